"""Factories for observers: `ObserverFactory()` builds an applicant of an active election."""

import datetime

import factory

from elections.models import Election
from elections.tests.factories import ElectionFactory
from geo.tests.factories import RegionFactory
from observers.models import Observer


class ObserverFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Observer

    election = factory.SubFactory(ElectionFactory, status=Election.Status.ACTIVE)
    full_name = factory.Sequence(lambda n: f"Müşahidəçi {n}")
    phone = factory.Sequence(lambda n: f"+99450{n:07d}")
    date_of_birth = datetime.date(1990, 5, 17)
    region = factory.SubFactory(RegionFactory)

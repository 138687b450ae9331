"""Factories for observers: `ObserverFactory()` builds an applicant of an active election;
`ObserverFactory(accredited=True)` an accredited observer with a number and a badge code."""

import datetime

import factory

from elections.models import Election
from elections.tests.factories import ElectionFactory
from geo.tests.factories import RegionFactory
from observers.models import MobileTeam, Observer, new_badge_code


class ObserverFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Observer

    class Params:
        accredited = factory.Trait(
            status=Observer.Status.ACCREDITED,
            number=factory.Sequence(lambda n: n + 1),
            badge_code=factory.LazyFunction(new_badge_code),
        )

    election = factory.SubFactory(ElectionFactory, status=Election.Status.ACTIVE)
    full_name = factory.Sequence(lambda n: f"Müşahidəçi {n}")
    phone = factory.Sequence(lambda n: f"+99450{n:07d}")
    date_of_birth = datetime.date(1990, 5, 17)
    region = factory.SubFactory(RegionFactory)


class MobileTeamFactory(factory.django.DjangoModelFactory):
    """A mobile team; `MobileTeamFactory(stations=[...])` sets its stations."""

    class Meta:
        model = MobileTeam
        skip_postgeneration_save = True

    election = factory.SubFactory(ElectionFactory, status=Election.Status.ACTIVE)
    name = factory.Sequence(lambda n: f"Mobil qrup {n}")

    @factory.post_generation
    def stations(self, create, extracted, **kwargs):
        if create and extracted:
            self.stations.set(extracted)

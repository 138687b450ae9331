"""Factories for elections: `BallotOptionFactory()` builds an option with its contest and
election."""

import datetime

import factory

from elections.models import BallotOption, Contest, Election


class ElectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Election

    kind = Election.Kind.PARLIAMENTARY
    name_az = factory.Sequence(lambda n: f"Parlament seçkiləri {n}")
    name_en = factory.Sequence(lambda n: f"Parliamentary election {n}")
    name_ru = factory.Sequence(lambda n: f"Парламентские выборы {n}")
    election_date = datetime.date(2026, 11, 1)


class ContestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contest

    election = factory.SubFactory(ElectionFactory, kind=Election.Kind.PRESIDENTIAL)
    kind = Contest.Kind.NATIONAL
    name_az = "Prezident"
    name_en = "President"
    name_ru = "Президент"


class BallotOptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BallotOption

    contest = factory.SubFactory(ContestFactory)
    kind = BallotOption.Kind.CANDIDATE
    name_az = factory.Sequence(lambda n: f"Namizəd {n}")
    ballot_number = factory.Sequence(lambda n: n + 1)

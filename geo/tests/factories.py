"""Factories for the geography: `PollingStationFactory()` builds a station with its
constituency, district and region."""

from decimal import Decimal

import factory

from geo.importing import station_code
from geo.models import Constituency, District, PollingStation, Region


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"region-{n}")
    name_az = factory.Sequence(lambda n: f"Region {n}")
    name_en = factory.LazyAttribute(lambda o: o.name_az)
    name_ru = factory.LazyAttribute(lambda o: o.name_az)


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ["code"]

    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"district-{n}")
    name_az = factory.Sequence(lambda n: f"District {n}")
    name_en = factory.LazyAttribute(lambda o: o.name_az)
    name_ru = factory.LazyAttribute(lambda o: o.name_az)


class ConstituencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Constituency
        django_get_or_create = ["number"]

    district = factory.SubFactory(DistrictFactory)
    number = factory.Sequence(lambda n: 200 + n)
    name_az = factory.Sequence(lambda n: f"Constituency {n}")
    name_en = factory.LazyAttribute(lambda o: o.name_az)
    name_ru = factory.LazyAttribute(lambda o: o.name_az)


class PollingStationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PollingStation

    constituency = factory.SubFactory(ConstituencyFactory)
    number = factory.Sequence(lambda n: n + 1)
    code = factory.LazyAttribute(lambda o: station_code(o.constituency.number, o.number))
    name_az = factory.LazyAttribute(lambda o: f"{o.number} saylı seçki məntəqəsi")
    name_en = factory.LazyAttribute(lambda o: f"Polling station No. {o.number}")
    name_ru = factory.LazyAttribute(lambda o: f"Избирательный участок № {o.number}")
    address = factory.Sequence(lambda n: f"Nizami küçəsi {n}, {n} nömrəli tam orta məktəb")
    settlement = "Bakı"
    registered_voters = 900
    latitude = Decimal("40.40930")
    longitude = Decimal("49.86710")

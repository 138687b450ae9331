"""A small geography shared by the geo tests: two regions, three districts, three
constituencies and five stations with Azerbaijani names and addresses."""

from decimal import Decimal

import pytest

from geo.tests.factories import (
    ConstituencyFactory,
    DistrictFactory,
    PollingStationFactory,
    RegionFactory,
)


@pytest.fixture
def geography(db):
    baku = RegionFactory(code="baki", name_az="Bakı", name_en="Baku", name_ru="Баку")
    sz = RegionFactory(
        code="seki-zaqatala", name_az="Şəki-Zaqatala", name_en="Shaki-Zagatala",
        name_ru="Шеки-Закатала",
    )  # fmt: skip
    nasimi = DistrictFactory(
        region=baku, code="nesimi", name_az="Nəsimi", name_en="Nasimi", name_ru="Насими"
    )
    sabail = DistrictFactory(
        region=baku, code="sebail", name_az="Səbail", name_en="Sabail", name_ru="Сабаиль"
    )
    sheki = DistrictFactory(region=sz, code="seki", name_az="Şəki", name_en="Shaki", name_ru="Шеки")
    c12 = ConstituencyFactory(
        number=12, district=nasimi, name_az="Nəsimi seçki dairəsi",
        name_en="Nasimi Constituency", name_ru="Избирательный округ Насими",
    )  # fmt: skip
    c13 = ConstituencyFactory(
        number=13, district=sabail, name_az="Səbail seçki dairəsi",
        name_en="Sabail Constituency", name_ru="Избирательный округ Сабаиль",
    )  # fmt: skip
    c113 = ConstituencyFactory(
        number=113, district=sheki, name_az="Şəki şəhər seçki dairəsi",
        name_en="Shaki City Constituency", name_ru="Шекинский городской избирательный округ",
    )  # fmt: skip
    stations = {
        "12-034": PollingStationFactory(
            constituency=c12, number=34, address="Füzuli küçəsi 45, 132 nömrəli məktəb",
            settlement="Bakı", registered_voters=1245,
        ),
        "12-035": PollingStationFactory(
            constituency=c12, number=35, address="Səməd Vurğun küçəsi 3, Gənclər evi",
            settlement="Bakı", registered_voters=980,
        ),
        "13-001": PollingStationFactory(
            constituency=c13, number=1, address="Bayıl qəsəbəsi, Neftçilər prospekti 9",
            settlement="Bayıl", registered_voters=40, latitude=Decimal("40.34500"),
            longitude=Decimal("49.83600"),
        ),
        "113-034": PollingStationFactory(
            constituency=c113, number=34, address="M.F. Axundzadə küçəsi 12, 5 nömrəli məktəb",
            settlement="Şəki", registered_voters=700, latitude=Decimal("41.19870"),
            longitude=Decimal("47.17050"),
        ),
        "113-002": PollingStationFactory(
            constituency=c113, number=2, address="Kiş kəndi, kənd tam orta məktəbi",
            settlement="Kiş", registered_voters=310, latitude=None, longitude=None,
        ),
    }  # fmt: skip
    return {
        "regions": {"baki": baku, "seki-zaqatala": sz},
        "districts": {"nesimi": nasimi, "sebail": sabail, "seki": sheki},
        "constituencies": {12: c12, 13: c13, 113: c113},
        "stations": stations,
    }

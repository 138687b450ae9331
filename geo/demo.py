"""A synthetic but realistic geography of Azerbaijan for demos and load tests.

The 14 economic regions (2021 division) and their districts and cities are real, with approximate
centres and populations. Constituencies (1-125), polling stations, addresses, voter numbers and
coordinates are invented: every station name says "synthetic". Deterministic for a seed, and
running it again with the same arguments changes nothing.
"""

import itertools
import json
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError

from audit.models import AuditEntry
from audit.services import audit_log
from geo.importing import AZERBAIJAN_BOUNDS, station_code
from geo.models import Constituency, District, PollingStation, Region
from geo.services import fast_bulk_update

SYNTHETIC_NOTE = (
    "Synthetic demo geography: the regions and districts are real, the constituencies, polling "
    "stations, addresses, voter numbers and coordinates are invented."
)
CONSTITUENCIES = 125
SYNTHETIC_MARK = "(synthetic sample)"  # in every demo station's English name

# (code, Azerbaijani, English, Russian)
REGIONS = [
    ("naxcivan", "Naxçıvan", "Nakhchivan", "Нахчыван"),
    ("baki", "Bakı", "Baku", "Баку"),
    ("abseron-xizi", "Abşeron-Xızı", "Absheron-Khizi", "Абшерон-Хызы"),
    ("dagliq-sirvan", "Dağlıq Şirvan", "Mountainous Shirvan", "Горный Ширван"),
    ("gence-daskesen", "Gəncə-Daşkəsən", "Ganja-Dashkasan", "Гянджа-Дашкесан"),
    ("qarabag", "Qarabağ", "Karabakh", "Карабах"),
    ("qazax-tovuz", "Qazax-Tovuz", "Gazakh-Tovuz", "Газах-Товуз"),
    ("quba-xacmaz", "Quba-Xaçmaz", "Guba-Khachmaz", "Губа-Хачмаз"),
    ("lenkeran-astara", "Lənkəran-Astara", "Lankaran-Astara", "Ленкорань-Астара"),
    ("merkezi-aran", "Mərkəzi Aran", "Central Aran", "Центральный Аран"),
    ("mil-mugan", "Mil-Muğan", "Mil-Mughan", "Миль-Муган"),
    ("seki-zaqatala", "Şəki-Zaqatala", "Shaki-Zagatala", "Шеки-Закатала"),
    ("serqi-zengezur", "Şərqi Zəngəzur", "East Zangezur", "Восточный Зангезур"),
    ("sirvan-salyan", "Şirvan-Salyan", "Shirvan-Salyan", "Ширван-Сальян"),
]


@dataclass(frozen=True)
class DistrictData:
    region: str
    code: str
    name_az: str
    name_en: str
    name_ru: str
    latitude: float
    longitude: float
    population: int  # thousands, approximate
    city: bool = False
    settlements: tuple[str, ...] = ()  # named settlements (Baku's townships); else generated


def _d(region, code, az, en, ru, lat, lon, pop):
    return DistrictData(
        region, code, az, en, ru, lat, lon, pop, code in CITIES, tuple(SETTLEMENTS.get(code, ()))
    )


# Cities with district status: stations sit closer together.
CITIES = {
    "binegedi",
    "gence",
    "mingecevir",
    "naftalan",
    "naxcivan-seheri",
    "nerimanov",
    "nesimi",
    "nizami",
    "pirallahi",
    "qaradag",
    "sabuncu",
    "sebail",
    "sirvan",
    "sumqayit",
    "suraxani",
    "xankendi",
    "xetai",
    "xezer",
    "yasamal",
}
# Townships (qəsəbə) of the cities, where stations are spread over named places.
SETTLEMENTS = {
    "binegedi": ["Bakı", "Binəqədi", "Biləcəri", "Xocəsən", "Rəsulzadə", "Sulutəpə", "28 May"],
    "qaradag": ["Lökbatan", "Sahil", "Səngəçal", "Ələt", "Müşfiqabad", "Puta", "Şubanı"],
    "xetai": ["Bakı", "Əhmədli", "Həzi Aslanov"],
    "xezer": ["Mərdəkan", "Şüvəlan", "Buzovna", "Türkan", "Qala", "Zirə", "Şağan", "Dübəndi"],
    "nerimanov": ["Bakı"],
    "nesimi": ["Bakı"],
    "nizami": ["Bakı", "Keşlə", "8-ci kilometr"],
    "pirallahi": ["Pirallahı", "Gürgan"],
    "sabuncu": [
        "Sabunçu",
        "Bakıxanov",
        "Maştağa",
        "Nardaran",
        "Bilgəh",
        "Zabrat",
        "Ramana",
        "Kürdəxanı",
        "Balaxanı",
    ],
    "sebail": ["Bakı", "Badamdar", "Bayıl", "Şıxov"],
    "suraxani": ["Suraxanı", "Qaraçuxur", "Hövsan", "Əmircan", "Zığ", "Dədə Qorqud"],
    "yasamal": ["Bakı", "Yeni Yasamal"],
    "sumqayit": ["Sumqayıt", "Corat", "Hacı Zeynalabdin"],
    "abseron": [
        "Xırdalan",
        "Masazır",
        "Novxanı",
        "Mehdiabad",
        "Saray",
        "Ceyranbatan",
        "Fatmayı",
        "Görədil",
        "Hökməli",
    ],
    "gence": ["Gəncə"],
    "naftalan": ["Naftalan"],
    "xankendi": ["Xankəndi"],
    "mingecevir": ["Mingəçevir"],
    "sirvan": ["Şirvan"],
}

# (region, code, Azerbaijani, English, Russian, latitude, longitude, population in thousands)
# fmt: off
DISTRICTS = [
    _d("naxcivan", "naxcivan-seheri", "Naxçıvan şəhəri", "Nakhchivan City", "Нахчыван", 39.21, 45.41, 95),  # noqa: E501
    _d("naxcivan", "babek", "Babək", "Babek", "Бабек", 39.15, 45.45, 75),
    _d("naxcivan", "culfa", "Culfa", "Julfa", "Джульфа", 38.97, 45.63, 45),
    _d("naxcivan", "kengerli", "Kəngərli", "Kangarli", "Кенгерли", 39.39, 45.16, 30),
    _d("naxcivan", "ordubad", "Ordubad", "Ordubad", "Ордубад", 38.91, 46.02, 50),
    _d("naxcivan", "sederek", "Sədərək", "Sadarak", "Садарак", 39.71, 44.88, 16),
    _d("naxcivan", "sahbuz", "Şahbuz", "Shahbuz", "Шахбуз", 39.41, 45.57, 25),
    _d("naxcivan", "serur", "Şərur", "Sharur", "Шарур", 39.55, 44.98, 115),
    _d("baki", "binegedi", "Binəqədi", "Binagadi", "Бинагади", 40.45, 49.82, 260),
    _d("baki", "qaradag", "Qaradağ", "Garadagh", "Гарадаг", 40.30, 49.65, 125),
    _d("baki", "xetai", "Xətai", "Khatai", "Хатаи", 40.38, 49.91, 290),
    _d("baki", "xezer", "Xəzər", "Khazar", "Хазар", 40.43, 50.15, 170),
    _d("baki", "nerimanov", "Nərimanov", "Narimanov", "Нариманов", 40.41, 49.87, 170),
    _d("baki", "nesimi", "Nəsimi", "Nasimi", "Насими", 40.39, 49.84, 225),
    _d("baki", "nizami", "Nizami", "Nizami", "Низами", 40.40, 49.95, 200),
    _d("baki", "pirallahi", "Pirallahı", "Pirallahi", "Пираллахы", 40.47, 50.30, 20),
    _d("baki", "sabuncu", "Sabunçu", "Sabunchu", "Сабунчи", 40.44, 49.94, 250),
    _d("baki", "sebail", "Səbail", "Sabail", "Сабаиль", 40.37, 49.84, 100),
    _d("baki", "suraxani", "Suraxanı", "Surakhani", "Сураханы", 40.42, 50.02, 220),
    _d("baki", "yasamal", "Yasamal", "Yasamal", "Ясамал", 40.38, 49.80, 250),
    _d("abseron-xizi", "sumqayit", "Sumqayıt", "Sumgait", "Сумгайыт", 40.59, 49.65, 350),
    _d("abseron-xizi", "abseron", "Abşeron", "Absheron", "Абшерон", 40.46, 49.74, 220),
    _d("abseron-xizi", "xizi", "Xızı", "Khizi", "Хызы", 40.91, 49.07, 17),
    _d("dagliq-sirvan", "samaxi", "Şamaxı", "Shamakhi", "Шамахы", 40.63, 48.64, 105),
    _d("dagliq-sirvan", "ismayilli", "İsmayıllı", "Ismayilli", "Исмаиллы", 40.79, 48.15, 90),
    _d("dagliq-sirvan", "agsu", "Ağsu", "Agsu", "Агсу", 40.57, 48.40, 80),
    _d("dagliq-sirvan", "qobustan", "Qobustan", "Gobustan", "Гобустан", 40.53, 48.93, 50),
    _d("gence-daskesen", "gence", "Gəncə", "Ganja", "Гянджа", 40.68, 46.36, 335),
    _d("gence-daskesen", "naftalan", "Naftalan", "Naftalan", "Нафталан", 40.51, 46.82, 10),
    _d("gence-daskesen", "daskesen", "Daşkəsən", "Dashkasan", "Дашкесан", 40.52, 46.08, 35),
    _d("gence-daskesen", "goygol", "Göygöl", "Goygol", "Гёйгёль", 40.59, 46.32, 65),
    _d("gence-daskesen", "goranboy", "Goranboy", "Goranboy", "Геранбой", 40.61, 46.79, 105),
    _d("gence-daskesen", "samux", "Samux", "Samukh", "Самух", 40.76, 46.41, 60),
    _d("qarabag", "xankendi", "Xankəndi", "Khankendi", "Ханкенди", 39.82, 46.75, 55),
    _d("qarabag", "agcabedi", "Ağcabədi", "Aghjabadi", "Агджабеди", 40.05, 47.46, 135),
    _d("qarabag", "agdam", "Ağdam", "Aghdam", "Агдам", 40.00, 46.95, 200),
    _d("qarabag", "berde", "Bərdə", "Barda", "Барда", 40.37, 47.13, 155),
    _d("qarabag", "fuzuli", "Füzuli", "Fuzuli", "Физули", 39.60, 47.14, 130),
    _d("qarabag", "xocali", "Xocalı", "Khojaly", "Ходжалы", 39.91, 46.79, 30),
    _d("qarabag", "xocavend", "Xocavənd", "Khojavend", "Ходжавенд", 39.79, 47.11, 45),
    _d("qarabag", "susa", "Şuşa", "Shusha", "Шуша", 39.76, 46.75, 35),
    _d("qarabag", "terter", "Tərtər", "Tartar", "Тертер", 40.34, 46.93, 105),
    _d("qazax-tovuz", "agstafa", "Ağstafa", "Aghstafa", "Агстафа", 41.12, 45.45, 88),
    _d("qazax-tovuz", "gedebey", "Gədəbəy", "Gadabay", "Гедабек", 40.57, 45.81, 100),
    _d("qazax-tovuz", "qazax", "Qazax", "Gazakh", "Газах", 41.09, 45.37, 100),
    _d("qazax-tovuz", "semkir", "Şəmkir", "Shamkir", "Шамкир", 40.83, 46.02, 210),
    _d("qazax-tovuz", "tovuz", "Tovuz", "Tovuz", "Товуз", 40.99, 45.63, 175),
    _d("quba-xacmaz", "quba", "Quba", "Guba", "Губа", 41.36, 48.51, 170),
    _d("quba-xacmaz", "qusar", "Qusar", "Gusar", "Гусар", 41.43, 48.43, 97),
    _d("quba-xacmaz", "xacmaz", "Xaçmaz", "Khachmaz", "Хачмаз", 41.46, 48.80, 175),
    _d("quba-xacmaz", "sabran", "Şabran", "Shabran", "Шабран", 41.22, 48.99, 60),
    _d("quba-xacmaz", "siyezen", "Siyəzən", "Siyazan", "Сиазань", 41.08, 49.11, 40),
    _d("lenkeran-astara", "lenkeran", "Lənkəran", "Lankaran", "Ленкорань", 38.75, 48.83, 230),
    _d("lenkeran-astara", "astara", "Astara", "Astara", "Астара", 38.46, 48.85, 110),
    _d("lenkeran-astara", "celilabad", "Cəlilabad", "Jalilabad", "Джалилабад", 39.21, 48.49, 225),
    _d("lenkeran-astara", "lerik", "Lerik", "Lerik", "Лерик", 38.77, 48.42, 85),
    _d("lenkeran-astara", "masalli", "Masallı", "Masally", "Масаллы", 39.03, 48.67, 220),
    _d("lenkeran-astara", "yardimli", "Yardımlı", "Yardymli", "Ярдымлы", 38.91, 48.24, 62),
    _d("merkezi-aran", "mingecevir", "Mingəçevir", "Mingachevir", "Мингечевир", 40.77, 47.05, 105),
    _d("merkezi-aran", "yevlax", "Yevlax", "Yevlakh", "Евлах", 40.62, 47.15, 130),
    _d("merkezi-aran", "agdas", "Ağdaş", "Aghdash", "Агдаш", 40.65, 47.48, 110),
    _d("merkezi-aran", "goycay", "Göyçay", "Goychay", "Гёйчай", 40.65, 47.74, 125),
    _d("merkezi-aran", "kurdemir", "Kürdəmir", "Kurdamir", "Кюрдамир", 40.34, 48.16, 115),
    _d("merkezi-aran", "ucar", "Ucar", "Ujar", "Уджар", 40.52, 47.65, 85),
    _d("merkezi-aran", "zerdab", "Zərdab", "Zardab", "Зардаб", 40.22, 47.71, 60),
    _d("mil-mugan", "beyleqan", "Beyləqan", "Beylagan", "Бейлаган", 39.78, 47.62, 100),
    _d("mil-mugan", "imisli", "İmişli", "Imishli", "Имишли", 39.87, 48.06, 125),
    _d("mil-mugan", "saatli", "Saatlı", "Saatly", "Саатлы", 39.93, 48.37, 105),
    _d("mil-mugan", "sabirabad", "Sabirabad", "Sabirabad", "Сабирабад", 40.01, 48.48, 175),
    _d("seki-zaqatala", "seki", "Şəki", "Shaki", "Шеки", 41.19, 47.17, 185),
    _d("seki-zaqatala", "balaken", "Balakən", "Balakan", "Балакен", 41.70, 46.40, 100),
    _d("seki-zaqatala", "qax", "Qax", "Gakh", "Гах", 41.42, 46.92, 60),
    _d("seki-zaqatala", "qebele", "Qəbələ", "Gabala", "Габала", 40.98, 47.85, 105),
    _d("seki-zaqatala", "oguz", "Oğuz", "Oghuz", "Огуз", 41.07, 47.47, 45),
    _d("seki-zaqatala", "zaqatala", "Zaqatala", "Zagatala", "Закатала", 41.63, 46.64, 125),
    _d("serqi-zengezur", "cebrayil", "Cəbrayıl", "Jabrayil", "Джебраил", 39.40, 47.03, 85),
    _d("serqi-zengezur", "kelbecer", "Kəlbəcər", "Kalbajar", "Кельбаджар", 40.10, 46.04, 95),
    _d("serqi-zengezur", "qubadli", "Qubadlı", "Gubadly", "Губадлы", 39.34, 46.58, 40),
    _d("serqi-zengezur", "lacin", "Laçın", "Lachin", "Лачин", 39.64, 46.55, 80),
    _d("serqi-zengezur", "zengilan", "Zəngilan", "Zangilan", "Зангилан", 39.09, 46.66, 45),
    _d("sirvan-salyan", "sirvan", "Şirvan", "Shirvan", "Ширван", 39.94, 48.92, 85),
    _d("sirvan-salyan", "bilesuvar", "Biləsuvar", "Bilasuvar", "Билясувар", 39.46, 48.55, 105),
    _d("sirvan-salyan", "haciqabul", "Hacıqabul", "Hajigabul", "Гаджигабул", 40.04, 48.94, 75),
    _d("sirvan-salyan", "neftcala", "Neftçala", "Neftchala", "Нефтчала", 39.38, 49.25, 90),
    _d("sirvan-salyan", "salyan", "Salyan", "Salyan", "Сальян", 39.60, 48.98, 135),
]
# fmt: on
# Village names that recur all over the country; paired with a district they read as real.
VILLAGES = [
    "Bayramlı",
    "Əhmədli",
    "Qasımlı",
    "Hacılar",
    "Mollalı",
    "Kərimli",
    "Cəfərli",
    "Əliabad",
    "Yeniyol",
    "Təzəkənd",
    "Yenikənd",
    "Mirzəli",
    "Həsənli",
    "Qaraxanlı",
    "Çaylı",
    "Dəllər",
    "Şıxlı",
    "Ağbulaq",
    "Qızılqaya",
    "Kürdlər",
    "Qarabağlı",
    "Sarıcalı",
    "Bəylik",
    "Aşağı Qışlaq",
    "Yuxarı Qışlaq",
    "Quşçu",
    "Alıbəyli",
    "Mahmudlu",
    "Rəsullu",
    "Gəncəli",
    "Sofulu",
    "Arabkənd",
    "Qəribli",
    "Novruzlu",
    "Xanlıq",
    "Qaradağlı",
    "Günəşli",
    "Çiyni",
    "Bulaqlı",
    "Əmirli",
]  # fmt: skip
STREETS = [
    "Nizami", "Füzuli", "Səməd Vurğun", "Nəsimi", "Üzeyir Hacıbəyov", "Cəfər Cabbarlı",
    "Mirzə Fətəli Axundzadə", "Natəvan", "Xətai", "Rəşid Behbudov", "Hüseyn Cavid", "Səttarxan",
    "Koroğlu", "Sabit Rəhman", "Zərifə Əliyeva", "Bülbül", "Azadlıq", "İstiqlaliyyət",
    "Mikayıl Müşfiq", "Əhməd Cavad", "Məhəmməd Hadi", "Cavid Nağıyev", "Şəhriyar", "Vaqif",
]  # fmt: skip
CITY_VENUES = [
    "{n} nömrəli tam orta məktəb",
    "{n} nömrəli tam orta məktəb",
    "{n} nömrəli tam orta məktəb",
    "{n} nömrəli uşaq musiqi məktəbi",
    "{n} nömrəli peşə liseyi",
    "Mədəniyyət mərkəzi",
    "Gənclər evi",
    "Olimpiya idman kompleksi",
]
VILLAGE_VENUES = [
    "kənd tam orta məktəbi",
    "kənd ümumi orta məktəbi",
    "kənd mədəniyyət evi",
    "kənd klubu",
]
SMALL_VENUES = ["Mərkəzi rayon xəstəxanası", "Doğum evi", "Vərəm əleyhinə dispanser", "Qocalar evi"]
ORDINALS = [
    ("birinci", "First", "первый"),
    ("ikinci", "Second", "второй"),
    ("üçüncü", "Third", "третий"),
    ("dördüncü", "Fourth", "четвёртый"),
    ("beşinci", "Fifth", "пятый"),
    ("altıncı", "Sixth", "шестой"),
    ("yeddinci", "Seventh", "седьмой"),
    ("səkkizinci", "Eighth", "восьмой"),
    ("doqquzuncu", "Ninth", "девятый"),
    ("onuncu", "Tenth", "десятый"),
]


def _outline() -> list[list[tuple[float, float]]]:
    """The outer rings of static/geo/azerbaijan.geojson, as (longitude, latitude) lists."""
    path = finders.find("geo/azerbaijan.geojson") or str(
        Path(settings.BASE_DIR) / "static" / "geo" / "azerbaijan.geojson"
    )
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    rings = []
    for feature in data["features"]:
        for polygon in feature["geometry"]["coordinates"]:
            rings.append([(lon, lat) for lon, lat in polygon[0]])
    return rings


def inside(rings: list[list[tuple[float, float]]], longitude: float, latitude: float) -> bool:
    """Ray casting: is the point inside any of the rings?"""
    for ring in rings:
        result = False
        for (x1, y1), (x2, y2) in itertools.pairwise(ring):
            if (y1 > latitude) != (y2 > latitude):
                crossing = x1 + (latitude - y1) * (x2 - x1) / (y2 - y1)
                if longitude < crossing:
                    result = not result
        if result:
            return True
    return False


def _allocate(weights: list[float], total: int, minimum: int) -> list[int]:
    """Share `total` seats out in proportion to `weights`, each getting at least `minimum`
    (D'Hondt on what is left after the minimum)."""
    seats = [minimum] * len(weights)
    for _ in range(total - minimum * len(weights)):
        best = max(range(len(weights)), key=lambda i: weights[i] / (seats[i] + 1))
        seats[best] += 1
    return seats


def _largest_remainder(weights: list[float], total: int) -> list[int]:
    scale = total / sum(weights)
    exact = [w * scale for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _voters(rng: random.Random) -> tuple[int, bool]:
    if rng.random() < 0.05:
        return rng.randint(25, 290), True  # hospitals, care homes, remote hamlets
    return max(300, min(1500, int(rng.gauss(880, 280)))), False


def _point(rng, rings, latitude, longitude, spread) -> tuple[Decimal, Decimal]:
    bounds = AZERBAIJAN_BOUNDS
    for _ in range(50):
        lat = rng.gauss(latitude, spread)
        lon = rng.gauss(longitude, spread * 1.3)
        if inside(rings, lon, lat) and bounds.contains(Decimal(str(lat)), Decimal(str(lon))):
            break
    else:
        lat, lon = latitude, longitude
    return Decimal(f"{lat:.5f}"), Decimal(f"{lon:.5f}")


@transaction.atomic
def build_demo_geography(*, seed: int = 2026, stations: int = 6500, actor=None) -> dict:
    """Create (or bring up to date) the synthetic geography; returns what it built."""
    rng = random.Random(seed)
    rings = _outline()

    regions = _upsert(
        Region,
        "code",
        {code: {"name_az": az, "name_en": en, "name_ru": ru} for code, az, en, ru in REGIONS},
    )
    districts = _upsert(
        District,
        "code",
        {
            d.code: {
                "region_id": regions[d.region].pk,
                "name_az": d.name_az,
                "name_en": d.name_en,
                "name_ru": d.name_ru,
            }
            for d in DISTRICTS
        },
    )

    seats = _allocate([d.population for d in DISTRICTS], CONSTITUENCIES, 1)
    constituency_plan = []  # (number, district data, ordinal or None)
    for district, count in zip(DISTRICTS, seats, strict=True):
        for index in range(count):
            ordinal = index if count > 1 else None
            constituency_plan.append((len(constituency_plan) + 1, district, ordinal))
    constituencies = _upsert(
        Constituency,
        "number",
        {
            number: {"district_id": districts[d.code].pk, **_constituency_names(d, ordinal)}
            for number, d, ordinal in constituency_plan
        },
    )

    # Constituencies hold about the same number of voters, so about the same number of stations.
    # The split depends on the station count only, so every seed gives the same station codes.
    shares = random.Random(stations)
    per_constituency = _largest_remainder(
        [shares.uniform(0.85, 1.15) for _ in constituency_plan], stations
    )
    region_by_code = {r.code: r for r in regions.values()}
    station_values: dict[str, dict] = {}
    district_settlements = {d.code: _settlements(rng, d, rings) for d in DISTRICTS}
    for (number, district, _ordinal), count in zip(
        constituency_plan, per_constituency, strict=True
    ):
        constituency = constituencies[number]
        constituency.district = districts[district.code]
        constituency.district.region = region_by_code[district.region]
        settlements = district_settlements[district.code]
        weights = [weight for _name, _lat, _lon, weight in settlements]
        for station_number in range(1, count + 1):
            settlement, lat, lon, _weight = rng.choices(settlements, weights=weights)[0]
            voters, small = _voters(rng)
            latitude, longitude = _point(rng, rings, lat, lon, 0.006 if district.city else 0.012)
            station = PollingStation(
                constituency=constituency,
                number=station_number,
                code=station_code(number, station_number),
                name_az=f"{station_number} saylı seçki məntəqəsi (sintetik nümunə)",
                name_en=f"Polling station No. {station_number} {SYNTHETIC_MARK}",
                name_ru=f"Избирательный участок № {station_number} (синтетический пример)",
                address=_address(rng, district, settlement, small),
                settlement=settlement,
                registered_voters=voters,
                latitude=latitude,
                longitude=longitude,
            )
            station.search_text = station.build_search_text()
            station_values[station.code] = station

    created, updated = _upsert_stations(station_values)
    removed = _remove_other_synthetic_stations(set(station_values))
    summary = {
        "regions": len(regions),
        "districts": len(districts),
        "constituencies": len(constituencies),
        "stations": len(station_values),
        "stations_created": created,
        "stations_updated": updated,
        "stations_removed": removed,
        "registered_voters": sum(s.registered_voters for s in station_values.values()),
        "seed": seed,
        "synthetic": True,
        "note": SYNTHETIC_NOTE,
    }
    if created or updated or removed:
        audit_log(
            actor=actor or "demo data",
            action=AuditEntry.Action.IMPORT,
            changes=summary,
            object_label="synthetic demo geography",
        )
    return summary


def _constituency_names(district: DistrictData, ordinal: int | None) -> dict[str, str]:
    if ordinal is None:
        return {
            "name_az": f"{district.name_az} seçki dairəsi",
            "name_en": f"{district.name_en} Constituency",
            "name_ru": f"Избирательный округ {district.name_ru}",
        }
    az, en, ru = ORDINALS[ordinal] if ordinal < len(ORDINALS) else (str(ordinal + 1),) * 3
    return {
        "name_az": f"{district.name_az} {az} seçki dairəsi",
        "name_en": f"{district.name_en} {en} Constituency",
        "name_ru": f"Избирательный округ {district.name_ru}-{ordinal + 1} ({ru})",
    }


def _settlements(rng, district: DistrictData, rings) -> list[tuple[str, float, float, float]]:
    """(name, latitude, longitude, share of stations) for the district's places."""
    if district.settlements:
        names = list(district.settlements)
        shares = [3.0 if name in {"Bakı", "Sumqayıt", "Gəncə"} else 1.0 for name in names]
        spread = 0.02
    else:
        town = district.name_az.removesuffix(" şəhəri")
        names = [town, *rng.sample(VILLAGES, rng.randint(8, 16))]
        shares = [len(names) * 0.7, *[rng.uniform(0.4, 1.2) for _ in names[1:]]]
        spread = 0.08
    places = []
    for index, (name, share) in enumerate(zip(names, shares, strict=True)):
        if index == 0:
            lat, lon = district.latitude, district.longitude
        else:
            lat_d, lon_d = _point(rng, rings, district.latitude, district.longitude, spread)
            lat, lon = float(lat_d), float(lon_d)
        places.append((name, lat, lon, share))
    return places


def _address(rng, district: DistrictData, settlement: str, small: bool) -> str:
    street = f"{rng.choice(STREETS)} küçəsi {rng.randint(1, 180)}"
    if small:
        return f"{settlement}, {street}, {rng.choice(SMALL_VENUES)}"
    is_town = district.city or settlement == district.name_az
    if is_town:
        venue = rng.choice(CITY_VENUES).format(n=rng.randint(1, 320 if district.city else 12))
        place = "" if settlement in {"Bakı", district.name_az} else f"{settlement} qəsəbəsi, "
        return f"{place}{street}, {venue}"
    return f"{settlement} kəndi, {settlement} {rng.choice(VILLAGE_VENUES)}"


def _upsert(model, key: str, wanted: dict) -> dict:
    """Create missing rows and update changed ones; returns {key: instance}."""
    existing = model.objects.in_bulk(list(wanted), field_name=key)
    to_create, to_update, fields = [], [], set()
    for value, attributes in wanted.items():
        obj = existing.get(value)
        if obj is None:
            to_create.append(model(**{key: value}, **attributes))
            continue
        changed = [name for name, item in attributes.items() if getattr(obj, name) != item]
        for name in changed:
            setattr(obj, name, attributes[name])
        if changed:
            to_update.append(obj)
            fields.update(changed)
    model.objects.bulk_create(to_create)
    if to_update:
        model.objects.bulk_update(to_update, sorted(fields))
    return model.objects.in_bulk(list(wanted), field_name=key)


_STATION_FIELDS = [
    "constituency_id",
    "number",
    "name_az",
    "name_en",
    "name_ru",
    "address",
    "settlement",
    "registered_voters",
    "latitude",
    "longitude",
    "search_text",
]


def _upsert_stations(stations: dict[str, PollingStation]) -> tuple[int, int]:
    existing = {
        row["code"]: row
        for row in PollingStation.objects.filter(code__in=list(stations)).values(
            "pk", "code", *_STATION_FIELDS
        )
    }
    to_create, to_update = [], []
    for code, station in stations.items():
        row = existing.get(code)
        if row is None:
            to_create.append(station)
            continue
        if any(getattr(station, name) != row[name] for name in _STATION_FIELDS):
            station.pk = row["pk"]
            to_update.append(station)
    PollingStation.objects.bulk_create(to_create, batch_size=1000)
    fast_bulk_update(PollingStation, to_update, _STATION_FIELDS)
    return len(to_create), len(to_update)


def _remove_other_synthetic_stations(keep: set[str]) -> int:
    """Demo stations from an earlier build with more stations; kept if other records use them."""
    leftovers = PollingStation.objects.filter(name_en__endswith=SYNTHETIC_MARK).exclude(
        code__in=keep
    )
    try:
        with transaction.atomic():
            return leftovers.delete()[1].get(PollingStation._meta.label, 0)
    except (ProtectedError, RestrictedError):
        return 0

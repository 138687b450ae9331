"""The categories every installation starts with. Staff may rename, reorder, retire and add
categories afterwards (incidents.services); these are only ever added when missing, by the data
migration and by `ensure_default_categories` (the demo, and tests that empty the database)."""

# (code, Azerbaijani, English, Russian), in the order they are offered.
DEFAULT_CATEGORIES = [
    (
        "ballot_stuffing",
        "Seçki qutusuna bülleten doldurulması",
        "Ballot stuffing",
        "Вброс бюллетеней",
    ),
    (
        "multiple_voting",
        "Təkrar və ya karusel səsvermə",
        "Multiple or carousel voting",
        "Многократное голосование или «карусель»",
    ),
    ("pressure", "Təzyiq və ya hədə-qorxu", "Pressure or intimidation", "Давление или запугивание"),
    (
        "observer_obstruction",
        "Müşahidəçilərin işinə maneə",
        "Obstruction of observers",
        "Воспрепятствование работе наблюдателей",
    ),
    ("vote_buying", "Səs satın alınması", "Vote buying", "Подкуп избирателей"),
    (
        "campaign_violation",
        "Təşviqat qaydalarının pozulması",
        "Campaign violation",
        "Нарушение правил агитации",
    ),
    ("procedural_violation", "Prosedur pozuntusu", "Procedural violation", "Процедурное нарушение"),
    ("other", "Digər", "Other", "Другое"),
]


def add_default_categories(category_model) -> int:
    """Create the default categories that are missing (by code); returns how many."""
    created = 0
    for position, (code, name_az, name_en, name_ru) in enumerate(DEFAULT_CATEGORIES, start=1):
        _category, was_created = category_model.objects.get_or_create(
            code=code,
            defaults={
                "name_az": name_az,
                "name_en": name_en,
                "name_ru": name_ru,
                "position": position * 10,
                "active": True,
            },
        )
        created += was_created
    return created


def ensure_default_categories() -> int:
    from incidents.models import IncidentCategory

    return add_default_categories(IncidentCategory)

"""Content stored once per language: `name_az`, `name_en`, `name_ru` read as `name`."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language

LANGUAGE_CODES = [code for code, _label in settings.LANGUAGES]


def translated_fields(
    field_class: type[models.Field], *, required_default: bool = True, **kwargs
) -> dict[str, models.Field]:
    """Field definitions for each language; the default language (az) is required."""
    fields = {}
    for code in LANGUAGE_CODES:
        options = dict(kwargs)
        if code != settings.LANGUAGE_CODE or not required_default:
            options["blank"] = True
        fields[code] = field_class(**options)
    return fields


class TranslatedField:
    """Descriptor returning the value in the active language, falling back to az, en, ru."""

    def __init__(self, base_name: str):
        self.base_name = base_name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        order = [language, settings.LANGUAGE_CODE, *LANGUAGE_CODES]
        for code in order:
            value = getattr(instance, f"{self.base_name}_{code}", "")
            if value:
                return value
        return ""


def localized_field_name(base_name: str) -> str:
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if language not in LANGUAGE_CODES:
        language = settings.LANGUAGE_CODE
    return f"{base_name}_{language}"

"""Factories for forms: `QuestionnaireFactory()` builds a draft form of an active election;
`published_questionnaire()` one with a published version of `closing_schema()`."""

import copy

import factory
from django.utils import timezone

from elections.models import Election
from elections.tests.factories import ElectionFactory
from questionnaires.models import Questionnaire, QuestionnaireVersion


def yes_no(code: str, en: str, **extra) -> dict:
    return {
        "code": code,
        "type": "yes_no",
        "label": {"az": f"{en} (az)", "en": en, "ru": f"{en} (ru)"},
        **extra,
    }


def number(code: str, en: str, **extra) -> dict:
    return {
        "code": code,
        "type": "number",
        "label": {"az": f"{en} (az)", "en": en, "ru": f"{en} (ru)"},
        **extra,
    }


CLOSING_SCHEMA = {
    "sections": [
        {
            "code": "A",
            "label": {"az": "Bağlanış", "en": "Closing", "ru": "Закрытие"},
            "questions": [
                yes_no("A1", "Did the station close at 19:00?", required=True, alert="A1 == no"),
                {
                    "code": "A2",
                    "type": "time",
                    "label": {"az": "Saat", "en": "When did it close?", "ru": "Время"},
                    "relevant": "A1 == no",
                    "required": True,
                },
            ],
        },
        {
            "code": "B",
            "label": {"az": "Sayım", "en": "Counting", "ru": "Подсчёт"},
            "questions": [
                number("B1", "Registered voters", required=True, min=0, max=3000),
                number("B2", "Ballots cast", required=True, min=0, max=3000),
                number("B3", "Spoiled ballots", min=0, max=3000),
                {
                    "code": "B4",
                    "type": "multiple",
                    "label": {"az": "Pozuntular", "en": "Problems seen", "ru": "Нарушения"},
                    "options": [
                        {"value": "1", "label": {"az": "Karusel", "en": "Carousel voting"}},
                        {"value": "2", "label": {"az": "Təzyiq", "en": "Pressure on voters"}},
                        {"value": "3", "label": {"az": "Heç biri", "en": "None"}},
                    ],
                    "alert": "selected(B4, '1') or selected(B4, '2')",
                },
                {
                    "code": "B5",
                    "type": "text",
                    "label": {"az": "Təsvir", "en": "Describe the problem", "ru": "Опишите"},
                    "relevant": "selected(B4, '1') or selected(B4, '2')",
                },
                {
                    "code": "B6",
                    "type": "single",
                    "label": {"az": "Sayım şəffaf idi?", "en": "Was the count transparent?"},
                    "options": [
                        {"value": "1", "label": {"az": "Tam", "en": "Fully"}},
                        {"value": "2", "label": {"az": "Qismən", "en": "Partly"}},
                        {"value": "3", "label": {"az": "Yox", "en": "Not at all"}},
                    ],
                    "alert": "B6 == '3'",
                },
                {
                    "code": "B7",
                    "type": "photo",
                    "label": {"az": "Protokolun şəkli", "en": "Photo of the protocol"},
                },
            ],
        },
    ],
    "rules": [
        {
            "code": "R1",
            "check": "B2 <= B1",
            "questions": ["B1", "B2"],
            "message": {
                "az": "Bülletenlər seçicilərdən çox ola bilməz.",
                "en": "Ballots cast cannot exceed registered voters.",
            },
        },
        {
            "code": "R2",
            "check": "B3 <= B2",
            "message": {"en": "Spoiled ballots cannot exceed ballots cast."},
        },
    ],
}


def closing_schema() -> dict:
    return copy.deepcopy(CLOSING_SCHEMA)


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Questionnaire

    election = factory.SubFactory(ElectionFactory, status=Election.Status.ACTIVE)
    kind = Questionnaire.Kind.CLOSING_COUNTING
    code = factory.Sequence(lambda n: "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[n % 26] * (1 + n // 26 % 4))
    name_az = factory.Sequence(lambda n: f"Bağlanış və sayım {n}")
    name_en = factory.Sequence(lambda n: f"Closing and counting {n}")
    name_ru = factory.Sequence(lambda n: f"Закрытие и подсчёт {n}")


class VersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionnaireVersion

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    number = factory.Sequence(lambda n: n + 1)
    schema = factory.LazyFunction(closing_schema)


def draft_questionnaire(schema: dict | None = None, **fields) -> tuple:
    """A never-published form with version 1 as its draft."""
    questionnaire = QuestionnaireFactory(**fields)
    version = VersionFactory(
        questionnaire=questionnaire,
        number=1,
        schema=schema if schema is not None else closing_schema(),
    )
    return questionnaire, version


def published_questionnaire(schema: dict | None = None, **fields) -> Questionnaire:
    """An active form whose current version 1 holds `schema` (the closing checklist)."""
    questionnaire, version = draft_questionnaire(schema, **fields)
    version.published_at = timezone.now()
    version.save()
    questionnaire.current_version = version
    questionnaire.status = Questionnaire.Status.ACTIVE
    questionnaire.save()
    return questionnaire

"""The results form of an election's round: the questionnaire (kind "results") observers send
their copy of a station's protocol with, like any checklist (phone page, offline, API, SMS).

One number question per protocol line (A1–A7), one per ballot number (V1–Vk) and a photo of
the signed protocol (P1). The form has no rules for the arithmetic: a protocol that does not
add up is still what the commission wrote, so it is stored and waits in quarantine
(results.services.save_protocol) instead of being refused at the door.

For a national contest the V questions carry the candidates' names; where each constituency
has its own ballot (parliamentary, municipal) they read "Number N on the ballot", k is the
longest ballot of the round, and the station's own contest is found when the protocol arrives
(results.observer_protocols).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_log
from elections.models import BallotOption, Contest, Election
from questionnaires import services as questionnaire_services
from questionnaires.models import Questionnaire
from results.models import ProtocolForm
from results.services import MAX_COUNT

#: Protocol line → (question code, labels az/en/ru), in protocol order.
LINE_QUESTIONS: dict[str, tuple[str, dict[str, str]]] = {
    "registered": (
        "A1",
        {
            "az": "Seçici siyahısındakı seçicilərin sayı",
            "en": "Voters on the register",
            "ru": "Число избирателей в списке",
        },
    ),
    "received": (
        "A2",
        {
            "az": "Məntəqə seçki komissiyasının aldığı bülletenlərin sayı",
            "en": "Ballots received by the station",
            "ru": "Число бюллетеней, полученных участковой комиссией",
        },
    ),
    "issued": (
        "A3",
        {
            "az": "Seçicilərə verilmiş bülletenlərin sayı",
            "en": "Ballots issued to voters",
            "ru": "Число бюллетеней, выданных избирателям",
        },
    ),
    "cast": (
        "A4",
        {
            "az": "Seçki qutularındakı bülletenlərin sayı",
            "en": "Ballots found in the ballot boxes",
            "ru": "Число бюллетеней в ящиках для голосования",
        },
    ),
    "spoiled": (
        "A5",
        {
            "az": "Korlanmış bülletenlərin sayı",
            "en": "Spoiled ballots",
            "ru": "Число испорченных бюллетеней",
        },
    ),
    "invalid": (
        "A6",
        {
            "az": "Etibarsız bülletenlərin sayı",
            "en": "Invalid ballots",
            "ru": "Число недействительных бюллетеней",
        },
    ),
    "valid": (
        "A7",
        {
            "az": "Etibarlı bülletenlərin sayı",
            "en": "Valid ballots",
            "ru": "Число действительных бюллетеней",
        },
    ),
}
PHOTO_CODE = "P1"
NAMES = {
    "az": "Yekun protokol",
    "en": "Results protocol",
    "ru": "Итоговый протокол",
}
ROUND_NAMES = {
    "az": "{name} ({round}-ci tur)",
    "en": "{name} (round {round})",
    "ru": "{name} ({round}-й тур)",
}


def form_code(round_number: int) -> str:
    """PR for the first round, PRB and PRC for the second and third (codes are letters)."""
    return "PR" if round_number <= 1 else "PR" + "ABC"[round_number - 1]


def _option_label(option: BallotOption) -> dict[str, str]:
    names = {
        "az": option.name_az,
        "en": option.name_en or option.name_az,
        "ru": option.name_ru or option.name_az,
    }
    return {language: f"{option.ballot_number}. {name}" for language, name in names.items()}


def _numbered_label(number: int) -> dict[str, str]:
    return {
        "az": f"Bülletendə {number} nömrəli namizədin səsləri",
        "en": f"Votes for number {number} on the ballot",
        "ru": f"Голоса за номер {number} в бюллетене",
    }


def _number(code: str, label: dict[str, str], *, required: bool) -> dict[str, Any]:
    return {
        "code": code,
        "type": "number",
        "label": label,
        "required": required,
        "min": 0,
        "max": MAX_COUNT,
    }


def build_schema(contest: Contest | None, ballot_size: int, options: list[BallotOption]):
    """(schema, question_map) of the form: for a national ``contest`` its ``options``; with
    none, ``ballot_size`` numbered questions that fit every constituency's ballot."""
    question_map: dict[str, str] = {}
    line_questions = []
    for line, (code, label) in LINE_QUESTIONS.items():
        line_questions.append(_number(code, label, required=True))
        question_map[code] = line
    vote_questions = []
    if contest is not None:
        for option in options:
            code = f"V{option.ballot_number}"
            vote_questions.append(_number(code, _option_label(option), required=True))
            question_map[code] = f"option:{option.ballot_number}"
    else:
        for number in range(1, ballot_size + 1):
            code = f"V{number}"
            vote_questions.append(_number(code, _numbered_label(number), required=False))
            question_map[code] = f"option:{number}"
    question_map[PHOTO_CODE] = "photo"
    schema = {
        "sections": [
            {
                "code": "A",
                "label": {
                    "az": "Protokolun sətirləri",
                    "en": "Lines of the protocol",
                    "ru": "Строки протокола",
                },
                "questions": line_questions,
            },
            {
                "code": "V",
                "label": {
                    "az": "Namizədlərin aldığı səslər",
                    "en": "Votes for each option on the ballot",
                    "ru": "Голоса за каждую позицию бюллетеня",
                },
                "questions": vote_questions,
            },
            {
                "code": "P",
                "label": {"az": "Foto", "en": "Photo", "ru": "Фото"},
                "questions": [
                    {
                        "code": PHOTO_CODE,
                        "type": "photo",
                        "label": {
                            "az": "İmzalanmış protokolun fotosu",
                            "en": "Photo of the signed protocol",
                            "ru": "Фото подписанного протокола",
                        },
                        # SMS cannot carry a photo; the phone page asks for it all the same.
                        "required": False,
                    }
                ],
            },
        ],
        "rules": [],
    }
    return schema, question_map


def _ballot_of_round(election: Election, round_number: int):
    """(national contest or None, ballot size, national options) of a round; raises
    ValidationError when the round has no contest or no ballot option."""
    contests = Contest.objects.filter(election=election, round=round_number)
    if not contests.exists():
        raise ValidationError(
            _("This election has no contest in round %(round)s.") % {"round": round_number}
        )
    national = contests.filter(kind=Contest.Kind.NATIONAL).first()
    if national is not None:
        options = list(national.options.order_by("ballot_number"))
        if not options:
            raise ValidationError(_("The contest has no ballot options yet; add them first."))
        return national, options[-1].ballot_number, options
    size = BallotOption.objects.filter(contest__in=contests).aggregate(n=Max("ballot_number"))["n"]
    if not size:
        raise ValidationError(_("The contests have no ballot options yet; add them first."))
    return None, size, []


def _names(round_number: int, rounds: int) -> dict[str, str]:
    if rounds <= 1:
        return dict(NAMES)
    return {
        language: ROUND_NAMES[language].format(name=name, round=round_number)
        for language, name in NAMES.items()
    }


@transaction.atomic
def ensure_protocol_form(election: Election, *, actor=None, round: int | None = None):
    """The results form of the election's round (its current round by default), created and
    published on first call; later calls bring its ballot questions up to date. Returns the
    Questionnaire. Raises ValidationError (nothing written) when the round has no ballot."""
    actor = actor or "results"
    election = Election.objects.select_for_update().get(pk=election.pk)
    round_number = round or election.current_round
    if not 1 <= round_number <= election.rounds:
        raise ValidationError(_("This election has no round %(round)s.") % {"round": round_number})
    existing = (
        ProtocolForm.objects.select_related("questionnaire")
        .filter(election=election, round=round_number)
        .first()
    )
    if existing is not None:
        refresh_protocol_form(existing, actor=actor)
        return existing.questionnaire
    contest, size, options = _ballot_of_round(election, round_number)
    schema, question_map = build_schema(contest, size, options)
    names = _names(round_number, election.rounds)
    questionnaire = questionnaire_services.create_questionnaire(
        actor=actor,
        election=election,
        kind=Questionnaire.Kind.RESULTS,
        code=form_code(round_number),
        name_az=names["az"],
        name_en=names["en"],
        name_ru=names["ru"],
        schema=schema,
        note="Results protocol",
    )
    questionnaire_services.publish_version(questionnaire.versions.get(number=1), actor)
    questionnaire.refresh_from_db()
    protocol_form = ProtocolForm.objects.create(
        questionnaire=questionnaire,
        election=election,
        contest=contest,
        round=round_number,
        question_map=question_map,
    )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=protocol_form,
        changes={
            "questionnaire": questionnaire.pk,
            "contest": contest.pk if contest else None,
            "round": round_number,
            "ballot_questions": size,
        },
    )
    return questionnaire


@transaction.atomic
def refresh_protocol_form(protocol_form: ProtocolForm, *, actor=None) -> bool:
    """Publish a new version of the form when the ballot changed (a candidate added, a name
    corrected); answers already sent keep their version. Returns whether it changed."""
    actor = actor or "results"
    protocol_form = (
        ProtocolForm.objects.select_for_update(of=("self",))
        .select_related("questionnaire__current_version", "election")
        .get(pk=protocol_form.pk)
    )
    contest, size, options = _ballot_of_round(protocol_form.election, protocol_form.round)
    schema, question_map = build_schema(contest, size, options)
    questionnaire = protocol_form.questionnaire
    current = questionnaire.current_version
    if (
        current is not None
        and current.schema == schema
        and protocol_form.question_map == (question_map)
    ):
        return False
    if questionnaire.status == Questionnaire.Status.ARCHIVED:
        raise ValidationError(_("This form is archived; open it again before changing it."))
    draft = questionnaire_services.start_draft(questionnaire, actor)
    questionnaire_services.save_draft_schema(draft, schema, actor)
    questionnaire_services.publish_version(draft, actor, note="Ballot changed")
    before = protocol_form.question_map
    protocol_form.question_map = question_map
    protocol_form.contest = contest
    protocol_form.save(update_fields=["question_map", "contest"])
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=protocol_form,
        changes={"question_map": [before, question_map], "version": draft.number},
    )
    return True

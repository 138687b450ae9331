"""Arithmetic checks of result protocols.

Each election type has its own checks (results.models.ProtocolCheck), written in the form
engine's safe expression language (questionnaires.expressions) over the protocol's lines:
``registered``, ``received``, ``issued``, ``cast``, ``spoiled``, ``invalid``, ``valid`` and
``votes`` (the ballot options' votes added up). A line the protocol does not give is unknown,
and a check that comes out unknown is not reported (Kleene logic: ``cast <= registered`` with
no ``cast`` is neither passed nor failed).

DEFAULT_CHECKS are what a new installation starts with, for every type of election; staff with
``results.configure_checks`` change them per type.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from questionnaires.expressions import ExpressionError, compile_expression, is_true, is_unknown
from results.models import PROTOCOL_LINES, ProtocolCheck

CHECK_NAMES = frozenset((*PROTOCOL_LINES, "votes"))


@dataclass(frozen=True)
class DefaultCheck:
    code: str
    expression: str
    message_az: str
    message_en: str
    message_ru: str


DEFAULT_CHECKS: tuple[DefaultCheck, ...] = (
    DefaultCheck(
        "votes-equal-valid",
        "votes == valid",
        "Namizədlərin səsləri cəmi etibarlı bülletenlərin sayına bərabər deyil.",
        "The options' votes do not add up to the valid ballots.",
        "Сумма голосов за варианты не равна числу действительных бюллетеней.",
    ),
    DefaultCheck(
        "valid-invalid-equal-cast",
        "valid + invalid == cast",
        "Etibarlı və etibarsız bülletenlərin cəmi qutulardakı bülletenlərə bərabər deyil.",
        "Valid and invalid ballots do not add up to the ballots cast.",
        "Действительные и недействительные бюллетени в сумме не равны числу бюллетеней в ящиках.",
    ),
    DefaultCheck(
        "cast-not-above-registered",
        "cast <= registered",
        "Qutulardakı bülletenlər siyahıdakı seçicilərdən çoxdur.",
        "More ballots were cast than voters are registered.",
        "Бюллетеней в ящиках больше, чем избирателей в списке.",
    ),
    DefaultCheck(
        "cast-not-above-issued",
        "cast <= issued",
        "Qutulardakı bülletenlər verilmiş bülletenlərdən çoxdur.",
        "More ballots were cast than were issued.",
        "Бюллетеней в ящиках больше, чем выдано.",
    ),
    DefaultCheck(
        "issued-not-above-registered",
        "issued <= registered",
        "Verilmiş bülletenlər siyahıdakı seçicilərdən çoxdur.",
        "More ballots were issued than voters are registered.",
        "Выдано бюллетеней больше, чем избирателей в списке.",
    ),
    DefaultCheck(
        "issued-not-above-received",
        "issued <= received",
        "Verilmiş bülletenlər məntəqənin aldığı bülletenlərdən çoxdur.",
        "More ballots were issued than the station received.",
        "Выдано бюллетеней больше, чем получил участок.",
    ),
    DefaultCheck(
        "ballots-accounted-for",
        "issued + spoiled <= received",
        "Verilmiş və korlanmış bülletenlər alınanlardan çoxdur.",
        "Issued and spoiled ballots add up to more than the station received.",
        "Выданные и испорченные бюллетени в сумме больше полученных.",
    ),
)


def ensure_default_checks(election_kind: str | None = None) -> int:
    """Create the default checks that are missing (for one type of election, or all).
    Returns how many were created; existing checks (perhaps edited) are left alone."""
    from elections.models import Election

    kinds = [election_kind] if election_kind else list(Election.Kind.values)
    created = 0
    for kind in kinds:
        for position, default in enumerate(DEFAULT_CHECKS):
            _check, was_created = ProtocolCheck.objects.get_or_create(
                election_kind=kind,
                code=default.code,
                defaults={
                    "expression": default.expression,
                    "message_az": default.message_az,
                    "message_en": default.message_en,
                    "message_ru": default.message_ru,
                    "position": position,
                },
            )
            created += was_created
    return created


def expression_errors(expression: str) -> list[str]:
    """What is wrong with a check's expression (empty when it is usable)."""
    try:
        _compiled, names = compile_expression(expression)
    except ExpressionError as error:
        return [str(error)]
    unknown = sorted(set(names) - CHECK_NAMES)
    if unknown:
        return [
            str(
                _("Unknown protocol lines: %(names)s. Use: %(known)s.")
                % {"names": ", ".join(unknown), "known": ", ".join(sorted(CHECK_NAMES))}
            )
        ]
    return []


def active_checks(election_kind: str) -> list[ProtocolCheck]:
    return list(ProtocolCheck.objects.filter(election_kind=election_kind, is_active=True))


def failed_checks(lines: dict, checks: list[ProtocolCheck]) -> list[ProtocolCheck]:
    """The checks the protocol ``lines`` (see Protocol.lines()) fail, in order. A check that
    cannot be judged for want of a line, or whose expression is broken, is not reported."""
    failed = []
    for check in checks:
        try:
            if not is_true(check.expression, lines) and not is_unknown(check.expression, lines):
                failed.append(check)
        except ExpressionError:
            continue
    return failed

"""Statements: the numbers a statement is built from, the draft written from them in the three
languages, and the writes (edit, publish, unpublish, recommendations), each validated, audited
and run in one transaction.

`build_figures` reads every app that has a number to give (coverage, alerts, protocols,
incidents, the quick count, the official result) into one JSON-ready dict that is stored on the
statement, so a statement keeps the numbers it was written from even when they change later.
`draft_statement` writes the text from that dict with gettext templates under each language in
turn, so the Azerbaijani and Russian texts come from the translations.
"""

import datetime
from collections import Counter
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.db.models import Count, Q
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.models import AuditEntry
from audit.services import audit_log, model_changes, snapshot
from elections.models import BallotOption, Election, ElectionStation
from statements.models import Recommendation, Statement

LANGUAGES = [code for code, _label in settings.LANGUAGES]
MISSION = "Birlik"
#: A quarantine share at or above this proposes publishing every station's protocol.
QUARANTINE_SHARE_ALERT = 0.05
MAX_RECOMMENDATIONS = 5
TEXT_FIELDS = ("title_az", "title_en", "title_ru", "body_az", "body_en", "body_ru")
RECOMMENDATION_FIELDS = (
    "addressee_az",
    "addressee_en",
    "addressee_ru",
    "text_az",
    "text_en",
    "text_ru",
    "status",
    "position",
)


# --- reading the numbers ------------------------------------------------------------------------


def _names(obj: Any, base: str = "name") -> dict[str, str]:
    return {code: getattr(obj, f"{base}_{code}", "") or "" for code in LANGUAGES}


def label_in(labels: dict | None, language: str | None = None) -> str:
    """A {"az","en","ru"} label in the language asked for (or the active one), falling back to
    Azerbaijani and then any language that has it."""
    labels = labels or {}
    language = (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    for code in (language, settings.LANGUAGE_CODE, *LANGUAGES):
        if labels.get(code):
            return labels[code]
    return ""


def _coverage(election: Election) -> dict:
    from observation.models import StationReport, Submission
    from observers.models import Observer
    from questionnaires.models import Questionnaire

    taking_part = ElectionStation.objects.filter(election=election)
    deployed = Observer.objects.filter(election=election, status=Observer.Status.DEPLOYED)
    station_ids = set(deployed.filter(station__isnull=False).values_list("station_id", flat=True))
    station_ids |= set(
        deployed.filter(mobile_team__isnull=False).values_list("mobile_team__stations", flat=True)
    )
    station_ids.discard(None)
    reports = StationReport.objects.filter(election=election)
    by_kind = dict(
        reports.values_list("questionnaire__kind")
        .annotate(stations=Count("station", distinct=True))
        .order_by()
    )
    forms = [
        {"kind": kind, "stations": by_kind[kind]}
        for kind in Questionnaire.Kind.values
        if kind in by_kind
    ]
    return {
        "stations": taking_part.count(),
        "observers_deployed": deployed.count(),
        "stations_observed": len(station_ids),
        "forms": forms,
        "reports": reports.count(),
        "submissions": Submission.objects.filter(election=election).count(),
    }


def _alerts(election: Election) -> dict:
    from observation.models import Alert

    alerts = Alert.objects.filter(election=election).aggregate(
        raised=Count("pk"), handled=Count("pk", filter=Q(acknowledged_at__isnull=False))
    )
    return {"raised": alerts["raised"], "handled": alerts["handled"]}


def _protocols(election: Election) -> dict:
    from results.models import Protocol, ProtocolCheck

    protocols = Protocol.objects.filter(election=election)
    counts = dict(protocols.values_list("status").annotate(n=Count("pk")).order_by())
    total = sum(counts.values())
    failed: Counter = Counter()
    for codes in protocols.exclude(failed_checks=[]).values_list("failed_checks", flat=True):
        failed.update(set(codes or []))
    checks = {
        check.code: check
        for check in ProtocolCheck.objects.filter(election_kind=election.kind, code__in=failed)
    }
    quarantined = counts.get(Protocol.Status.QUARANTINED, 0)
    return {
        "total": total,
        "accepted": counts.get(Protocol.Status.ACCEPTED, 0),
        "quarantined": quarantined,
        "rejected": counts.get(Protocol.Status.REJECTED, 0),
        "quarantine_share": quarantined / total if total else None,
        "failed_checks": [
            {
                "code": code,
                "count": count,
                "label": _names(checks[code], "message") if code in checks else {},
            }
            for code, count in sorted(failed.items(), key=lambda item: (-item[1], item[0]))[:5]
        ],
    }


def _incidents(election: Election) -> dict:
    from incidents.models import Incident, IncidentCategory

    verified_statuses = [Incident.Status.VERIFIED, Incident.Status.PUBLISHED]
    rows = (
        Incident.objects.filter(election=election, status__in=verified_statuses)
        .values("category")
        .annotate(
            verified=Count("pk"),
            published=Count("pk", filter=Q(status=Incident.Status.PUBLISHED)),
        )
        .order_by()
    )
    counts = {row["category"]: row for row in rows}
    categories = IncidentCategory.objects.filter(pk__in=counts)
    listed = [
        {
            "code": category.code,
            "name": _names(category),
            "verified": counts[category.pk]["verified"],
            "published": counts[category.pk]["published"],
        }
        for category in categories
    ]
    listed.sort(key=lambda row: (-row["verified"], row["code"]))
    return {
        "verified": sum(row["verified"] for row in listed),
        "published": sum(row["published"] for row in listed),
        "categories": listed,
    }


def _estimate(overall: dict, quantity: str) -> dict | None:
    item = (overall or {}).get(quantity)
    if not item or item.get("estimate") is None:
        return None
    return {
        key: item.get(key)
        for key in ("estimate", "margin95", "low95", "high95", "margin99", "n", "fallback")
    }


def _option_labels(contest_id: int) -> dict[str, dict[str, str]]:
    return {
        f"option:{option.ballot_number}": _names(option)
        for option in BallotOption.objects.filter(contest_id=contest_id)
    }


def snapshot_figures(snap) -> dict:
    """What a statement (and the public page) shows of one quick-count snapshot."""
    design = snap.design
    result = snap.result or {}
    overall = result.get("overall") or {}
    labels = {**_option_labels(design.contest_id), **(result.get("labels") or {})}
    options = []
    for quantity in result.get("quantities") or list(overall):
        if not quantity.startswith("option:"):
            continue
        estimate = _estimate(overall, quantity)
        if estimate is None:
            continue
        options.append({"quantity": quantity, "label": labels.get(quantity, {}), **estimate})
    options.sort(key=lambda row: -(row["estimate"] or 0))
    return {
        "design_id": design.pk,
        "design": design.name,
        "contest_id": design.contest_id,
        "contest": _names(design.contest),
        "snapshot_id": snap.pk,
        "taken_at": snap.taken_at.isoformat(),
        "published": snap.is_published,
        "n_reported": result.get("n_reported", snap.n_reported),
        "n_population": result.get("n_population"),
        "warnings": len(result.get("warnings") or []),
        "turnout": _estimate(overall, "turnout"),
        "invalid": _estimate(overall, "invalid"),
        "options": options,
        "labels": labels,
    }


def latest_snapshots(election: Election, *, published_only: bool = False) -> list:
    """Per sample design of the election: its latest published snapshot, or (unless
    `published_only`) its latest one when none is published."""
    from quickcount.models import EstimateSnapshot, SampleDesign

    found = []
    for design in SampleDesign.objects.filter(election=election).select_related("contest"):
        snaps = EstimateSnapshot.objects.filter(design=design).select_related("design__contest")
        snap = snaps.filter(is_published=True).order_by("-taken_at", "-pk").first()
        if snap is None and not published_only:
            snap = snaps.order_by("-taken_at", "-pk").first()
        if snap is not None:
            found.append(snap)
    return found


def _official(election: Election) -> list[dict]:
    from results.models import OfficialResultImport

    imports = (
        OfficialResultImport.objects.filter(
            election=election, status=OfficialResultImport.Status.IMPORTED
        )
        .select_related("contest")
        .order_by("contest_id", "-created_at", "-pk")
    )
    found: dict[int, dict] = {}
    for item in imports:
        if item.contest_id in found or not item.totals:
            continue
        totals = item.totals
        options_by_id = {
            option.pk: option for option in BallotOption.objects.filter(contest=item.contest_id)
        }
        options = []
        for index, name in enumerate(item.option_names or []):
            option = options_by_id.get((item.option_map or {}).get(str(index)))
            options.append(
                {
                    "name": name,
                    "ballot_number": option.ballot_number if option else None,
                    "label": _names(option) if option else dict.fromkeys(LANGUAGES, name),
                    "votes": (totals.get("votes") or {}).get(name),
                    "share": (totals.get("shares") or {}).get(name),
                }
            )
        options.sort(key=lambda row: -(row["votes"] or 0))
        found[item.contest_id] = {
            "contest_id": item.contest_id,
            "contest": _names(item.contest),
            "import_id": item.pk,
            "name": item.name,
            "rows": item.row_count,
            "failed_rows": item.failed_row_count,
            **{
                key: totals.get(key)
                for key in (
                    "stations",
                    "registered",
                    "issued",
                    "cast",
                    "invalid",
                    "valid",
                    "turnout",
                    "invalid_share",
                )
            },
            "options": options,
        }
    return list(found.values())


def _official_value(official: dict, quantity: str) -> float | None:
    if quantity == "turnout":
        return official.get("turnout")
    if quantity == "invalid":
        return official.get("invalid_share")
    if quantity.startswith("option:"):
        number = quantity.split(":", 1)[1]
        for option in official.get("options", []):
            if str(option.get("ballot_number")) == number:
                return option.get("share")
    return None


def _comparison(snaps: list, quick: list[dict], official: list[dict]) -> list[dict]:
    """Per quick count: each quantity's official figure against the 95% interval (the
    snapshot's own "official" comparison when it has one, otherwise worked out here from the
    contest's current import)."""
    by_contest = {item["contest_id"]: item for item in official}
    compared = []
    for snap, figures in zip(snaps, quick, strict=True):
        rows = []
        stored = (snap.result or {}).get("official")
        if stored:
            for row in stored:
                rows.append(
                    {
                        "quantity": row.get("quantity"),
                        # The {az, en, ru} labels: the row's own label is in one language only.
                        "label": figures["labels"].get(row.get("quantity")) or {},
                        "official": row.get("official"),
                        "estimate": row.get("estimate"),
                        "low95": row.get("low95"),
                        "high95": row.get("high95"),
                        "inside95": bool(row.get("inside95")),
                    }
                )
        elif figures["contest_id"] in by_contest:
            result_official = by_contest[figures["contest_id"]]
            overall = (snap.result or {}).get("overall") or {}
            for quantity in (snap.result or {}).get("quantities") or list(overall):
                estimate = _estimate(overall, quantity)
                value = _official_value(result_official, quantity)
                if estimate is None or value is None or estimate.get("low95") is None:
                    continue
                rows.append(
                    {
                        "quantity": quantity,
                        "label": figures["labels"].get(quantity, {}),
                        "official": value,
                        "estimate": estimate["estimate"],
                        "low95": estimate["low95"],
                        "high95": estimate["high95"],
                        "inside95": estimate["low95"] <= value <= estimate["high95"],
                    }
                )
        if rows:
            compared.append(
                {
                    "design_id": figures["design_id"],
                    "contest": figures["contest"],
                    "rows": rows,
                    "outside": sum(1 for row in rows if not row["inside95"]),
                }
            )
    return compared


def build_figures(election: Election) -> dict:
    """Every number a statement on `election` is built from, JSON-ready."""
    snaps = latest_snapshots(election)
    quick = [snapshot_figures(snap) for snap in snaps]
    official = _official(election)
    return {
        "version": 1,
        "generated_at": timezone.now().isoformat(),
        "election": {
            "id": election.pk,
            "name": _names(election),
            "date": election.election_date.isoformat(),
        },
        "coverage": _coverage(election),
        "alerts": _alerts(election),
        "protocols": _protocols(election),
        "incidents": _incidents(election),
        "quick_count": quick,
        "official": official,
        "comparison": _comparison(snaps, quick, official),
    }


# --- writing the text ---------------------------------------------------------------------------


def number(value: int | None) -> str:
    return formats.number_format(value or 0, force_grouping=True)


def percent(value: float | None) -> str:
    if value is None:
        return "—"
    return _("%(number)s%%") % {"number": formats.number_format(round(value * 100, 1), 1)}


def points(value: float | None) -> str:
    """A margin in percentage points: one decimal, or two below 0.1 so that a small margin
    never reads as ±0.0."""
    if value is None:
        return "—"
    value = value * 100
    digits = 1 if value >= 0.095 else 2
    return formats.number_format(round(value, digits), digits)


def quantity_label(quantity: str, labels: dict | str | None = None) -> str:
    if quantity == "turnout":
        return _("Turnout")
    if quantity == "invalid":
        return _("Invalid ballots")
    if isinstance(labels, str):
        return labels or quantity
    return label_in(labels) or quantity


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _sentences(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def _summary(figures: dict) -> list[str]:
    coverage = figures["coverage"]
    election = label_in(figures["election"]["name"])
    date = formats.date_format(
        datetime.date.fromisoformat(figures["election"]["date"]), "DATE_FORMAT"
    )
    paragraphs = [
        _sentences(
            _("%(mission)s observed the %(election)s held on %(date)s.")
            % {"mission": MISSION, "election": election, "date": date},
            ngettext(
                "Our observers were present at %(observed)s of the %(stations)s polling station "
                "taking part (%(share)s).",
                "Our observers were present at %(observed)s of the %(stations)s polling stations "
                "taking part (%(share)s).",
                coverage["stations"],
            )
            % {
                "observed": number(coverage["stations_observed"]),
                "stations": number(coverage["stations"]),
                "share": percent(_share(coverage["stations_observed"], coverage["stations"])),
            },
        )
    ]
    for quick in figures["quick_count"]:
        if quick["options"]:
            leader = quick["options"][0]
            paragraphs.append(
                _(
                    "According to our quick count, %(option)s received %(share)s of the votes "
                    "(±%(margin)s percentage points at 95%% confidence)."
                )
                % {
                    "option": label_in(leader["label"]) or leader["quantity"],
                    "share": percent(leader["estimate"]),
                    "margin": points(leader["margin95"]),
                }
            )
    for compared in figures["comparison"]:
        if compared["outside"]:
            paragraphs.append(
                ngettext(
                    "For %(count)s figure the official result falls outside the quick count's "
                    "95%% margin of error.",
                    "For %(count)s figures the official result falls outside the quick count's "
                    "95%% margin of error.",
                    compared["outside"],
                )
                % {"count": number(compared["outside"])}
            )
        else:
            paragraphs.append(
                _("The official result falls within the quick count's 95%% margin of error.") % {}
            )
    return paragraphs


def _coverage_text(figures: dict) -> list[str]:
    from questionnaires.models import Questionnaire

    coverage = figures["coverage"]
    paragraphs = [
        _sentences(
            ngettext(
                "%(count)s polling station took part in the election.",
                "%(count)s polling stations took part in the election.",
                coverage["stations"],
            )
            % {"count": number(coverage["stations"])},
            ngettext(
                "We deployed %(count)s observer.",
                "We deployed %(count)s observers.",
                coverage["observers_deployed"],
            )
            % {"count": number(coverage["observers_deployed"])},
            _("Polling stations with observers: %(observed)s (%(share)s).")
            % {
                "observed": number(coverage["stations_observed"]),
                "share": percent(_share(coverage["stations_observed"], coverage["stations"])),
            },
        )
    ]
    if coverage["forms"]:
        parts = [
            _("%(form)s: %(count)s")
            % {"form": Questionnaire.Kind(row["kind"]).label, "count": number(row["stations"])}
            for row in coverage["forms"]
            if row["kind"] in Questionnaire.Kind.values
        ]
        paragraphs.append(
            _("Polling stations with at least one report, per form: %(list)s.")
            % {"list": "; ".join(parts)}
        )
    paragraphs.append(
        _("Submissions received: %(submissions)s; station reports built from them: %(reports)s.")
        % {
            "submissions": number(coverage["submissions"]),
            "reports": number(coverage["reports"]),
        }
    )
    return paragraphs


def _findings_text(figures: dict) -> list[str]:
    alerts = figures["alerts"]
    protocols = figures["protocols"]
    paragraphs = [
        _sentences(
            ngettext(
                "Observers raised %(count)s alert on a critical answer.",
                "Observers raised %(count)s alerts on critical answers.",
                alerts["raised"],
            )
            % {"count": number(alerts["raised"])},
            _("Handled by coordinators: %(count)s.") % {"count": number(alerts["handled"])}
            if alerts["raised"]
            else "",
        )
    ]
    if protocols["total"]:
        paragraphs.append(
            _sentences(
                ngettext(
                    "We received %(count)s result protocol.",
                    "We received %(count)s result protocols.",
                    protocols["total"],
                )
                % {"count": number(protocols["total"])},
                _(
                    "Accepted: %(accepted)s; held in quarantine because they fail arithmetic "
                    "checks: %(quarantined)s (%(share)s); rejected: %(rejected)s."
                )
                % {
                    "accepted": number(protocols["accepted"]),
                    "quarantined": number(protocols["quarantined"]),
                    "share": percent(protocols["quarantine_share"]),
                    "rejected": number(protocols["rejected"]),
                },
            )
        )
        if protocols["failed_checks"]:
            parts = [
                _("%(check)s (%(count)s)")
                % {
                    "check": (label_in(row["label"]) or row["code"]).rstrip("."),
                    "count": number(row["count"]),
                }
                for row in protocols["failed_checks"]
            ]
            paragraphs.append(
                _("The checks protocols failed most often: %(list)s.") % {"list": "; ".join(parts)}
            )
    else:
        paragraphs.append(_("No result protocol has been received yet."))
    return paragraphs


def _incidents_text(figures: dict) -> list[str]:
    incidents = figures["incidents"]
    if not incidents["verified"]:
        return [_("No incident has been verified so far.")]
    parts = [
        _("%(category)s: %(verified)s verified, %(published)s published")
        % {
            "category": label_in(row["name"]) or row["code"],
            "verified": number(row["verified"]),
            "published": number(row["published"]),
        }
        for row in incidents["categories"]
    ]
    return [
        _sentences(
            ngettext(
                "Our staff verified %(count)s incident reported by observers and citizens.",
                "Our staff verified %(count)s incidents reported by observers and citizens.",
                incidents["verified"],
            )
            % {"count": number(incidents["verified"])},
            _("Published so far: %(count)s.") % {"count": number(incidents["published"])},
        ),
        _("By category: %(list)s.") % {"list": "; ".join(parts)},
    ]


def _estimate_text(label: str, estimate: dict | None) -> str:
    if not estimate:
        return ""
    return _("%(label)s %(share)s (±%(margin)s)") % {
        "label": label,
        "share": percent(estimate["estimate"]),
        "margin": points(estimate["margin95"]),
    }


def _results_text(figures: dict) -> list[str]:
    paragraphs = []
    if not figures["quick_count"]:
        paragraphs.append(_("No quick-count estimate is available yet."))
    for quick in figures["quick_count"]:
        parts = [
            _estimate_text(quantity_label(row["quantity"], row["label"]), row)
            for row in quick["options"]
        ]
        paragraphs.append(
            _(
                "Quick count (%(contest)s), sample stations reported: %(reported)s. Turnout "
                "%(turnout)s (±%(turnout_margin)s percentage points), invalid ballots %(invalid)s."
                " Estimated shares of the votes, with their 95%% margins in percentage points: "
                "%(list)s."
            )
            % {
                "contest": label_in(quick["contest"]),
                "reported": number(quick["n_reported"]),
                "turnout": percent((quick["turnout"] or {}).get("estimate")),
                "turnout_margin": points((quick["turnout"] or {}).get("margin95")),
                "invalid": percent((quick["invalid"] or {}).get("estimate")),
                "list": "; ".join(parts) or "—",
            }
        )
    if not figures["official"]:
        paragraphs.append(_("The official results have not been imported yet."))
    for official in figures["official"]:
        parts = [
            _("%(option)s %(share)s")
            % {"option": label_in(row["label"]), "share": percent(row["share"])}
            for row in official["options"]
        ]
        paragraphs.append(
            _(
                "Official result (%(contest)s), %(stations)s polling stations: turnout "
                "%(turnout)s, invalid ballots %(invalid)s; %(list)s."
            )
            % {
                "contest": label_in(official["contest"]),
                "stations": number(official["stations"]),
                "turnout": percent(official["turnout"]),
                "invalid": percent(official["invalid_share"]),
                "list": "; ".join(parts) or "—",
            }
        )
        if official["failed_rows"]:
            paragraphs.append(
                ngettext(
                    "%(failed)s row of the official results (out of %(rows)s) fails the "
                    "arithmetic checks.",
                    "%(failed)s rows of the official results (out of %(rows)s) fail the "
                    "arithmetic checks.",
                    official["failed_rows"],
                )
                % {"failed": number(official["failed_rows"]), "rows": number(official["rows"])}
            )
    for compared in figures["comparison"]:
        outside = [
            quantity_label(row["quantity"], row["label"])
            for row in compared["rows"]
            if not row["inside95"]
        ]
        if outside:
            paragraphs.append(
                _(
                    "Compared with the quick count, the official figures fall outside the 95%% "
                    "margin of error for: %(list)s. Such a gap is unlikely to come from sampling "
                    "alone."
                )
                % {"list": "; ".join(outside)}
            )
        else:
            paragraphs.append(
                _(
                    "Every official figure falls within the quick count's 95%% margin of error "
                    "(figures compared: %(count)s)."
                )
                % {"count": number(len(compared["rows"]))}
            )
    return paragraphs


def _title(figures: dict, kind: str) -> str:
    election = label_in(figures["election"]["name"])
    if kind == Statement.Kind.FINAL:
        return _("Final report on the %(election)s") % {"election": election}
    return _("Preliminary statement on the %(election)s") % {"election": election}


def _body(figures: dict) -> str:
    sections = [
        (_("Summary"), _summary(figures)),
        (_("Observation coverage"), _coverage_text(figures)),
        (_("Key findings"), _findings_text(figures)),
        (_("Incidents"), _incidents_text(figures)),
        (_("Results"), _results_text(figures)),
        (
            _("Recommendations"),
            [
                _(
                    "Our recommendations follow. We will follow up on each of them and report "
                    "on what has been done."
                )
            ],
        ),
    ]
    blocks = []
    for heading, paragraphs in sections:
        blocks.append(f"## {heading}")
        blocks.extend(paragraph for paragraph in paragraphs if paragraph)
    return "\n\n".join(blocks)


def _proposals(figures: dict) -> list[tuple[str, str]]:
    """(addressee, text) in the active language, most pressing first."""
    cec = _("Central Election Commission")
    proposals = []
    protocols = figures["protocols"]
    share = protocols["quarantine_share"]
    if protocols["total"] and share is not None and share >= QUARANTINE_SHARE_ALERT:
        proposals.append(
            (
                cec,
                _(
                    "Publish the result protocol of every polling station online, in a "
                    "machine-readable form, within 24 hours of the count, so that arithmetic "
                    "errors (%(share)s of the protocols we received fail the checks) can be "
                    "found and corrected in public."
                )
                % {"share": percent(share)},
            )
        )
    if any(compared["outside"] for compared in figures["comparison"]):
        proposals.append(
            (
                cec,
                _(
                    "Order a public audit and recount, in the presence of observers, of a random "
                    "sample of polling stations, since the official result falls outside the "
                    "quick count's margin of error."
                ),
            )
        )
    if figures["incidents"]["verified"]:
        proposals.append(
            (
                _("Prosecutor General's Office"),
                _(
                    "Investigate every verified election incident promptly and make the outcome "
                    "of each investigation public."
                ),
            )
        )
    coverage = figures["coverage"]
    alerts = figures["alerts"]
    if coverage["stations_observed"] < coverage["stations"] or alerts["raised"]:
        proposals.append(
            (
                cec,
                _(
                    "Guarantee citizen observers unhindered access to every polling station for "
                    "the whole of election day, including the count and the tabulation."
                ),
            )
        )
    proposals.append(
        (
            _("Milli Majlis"),
            _(
                "Amend the Electoral Code so that every accredited observer receives a certified "
                "copy of the result protocol at the polling station."
            ),
        )
    )
    if len(proposals) < 3:
        proposals.append(
            (
                cec,
                _(
                    "Publish the turnout of every polling station at fixed hours on election "
                    "day, in a machine-readable form."
                ),
            )
        )
    if len(proposals) < 3:
        proposals.append(
            (
                _("Political parties and candidates"),
                _("Train and deploy party agents to every polling station, including the count."),
            )
        )
    return proposals[:MAX_RECOMMENDATIONS]


def write_texts(figures: dict, kind: str) -> dict[str, str]:
    """title_<lang> and body_<lang> for every language, from the figures."""
    texts = {}
    for code in LANGUAGES:
        with translation.override(code):
            texts[f"title_{code}"] = _title(figures, kind)[:300]
            texts[f"body_{code}"] = _body(figures)
    return texts


def propose_recommendations(figures: dict) -> list[dict]:
    """3–5 recommendations from the findings, each in every language."""
    proposed: list[dict] = []
    for code in LANGUAGES:
        with translation.override(code):
            for index, (addressee, text) in enumerate(_proposals(figures)):
                if index == len(proposed):
                    proposed.append({"position": index})
                proposed[index][f"addressee_{code}"] = addressee[:200]
                proposed[index][f"text_{code}"] = text
    return proposed


def _unique_slug(election: Election, kind: str) -> str:
    base = slugify(f"{election.name_en or election.name_az} {kind}")[:100].strip("-")
    base = base or f"statement-{election.pk}"
    slug, counter = base, 2
    while Statement.objects.filter(slug=slug).exists():
        slug = f"{base}-{counter}"
        counter += 1
    return slug


@transaction.atomic
def draft_statement(
    *, actor, election: Election, kind: str = Statement.Kind.PRELIMINARY
) -> Statement:
    """A new draft statement on `election`, written from its figures in every language, with
    the recommendations the findings call for."""
    if kind not in Statement.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of statement.")})
    figures = build_figures(election)
    statement = Statement.objects.create(
        election=election,
        kind=kind,
        figures=figures,
        slug=_unique_slug(election, kind),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **write_texts(figures, kind),
    )
    recommendations = Recommendation.objects.bulk_create(
        Recommendation(statement=statement, **fields) for fields in propose_recommendations(figures)
    )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=statement,
        changes={
            "election": election.pk,
            "kind": kind,
            "slug": statement.slug,
            "title_az": statement.title_az,
            "recommendations": len(recommendations),
        },
    )
    return statement


# --- editing ------------------------------------------------------------------------------------


def _locked(statement: Statement) -> Statement:
    return Statement.objects.select_for_update().get(pk=statement.pk)


def _clean_statement(statement: Statement, data: dict) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned = {}
    for field in TEXT_FIELDS:
        value = str(data.get(field, getattr(statement, field)) or "").strip()
        if field.startswith("title") and len(value) > 300:
            errors.setdefault(field, []).append(_("Keep the title to 300 characters at most."))
        cleaned[field] = value
    if not cleaned["title_az"]:
        errors.setdefault("title_az", []).append(_("Give the title in Azerbaijani."))
    if statement.status == Statement.Status.PUBLISHED and not cleaned["body_az"]:
        errors.setdefault("body_az", []).append(
            _("A published statement needs its text in Azerbaijani.")
        )
    slug = str(data.get("slug", statement.slug) or "").strip()
    try:
        validate_slug(slug)
    except ValidationError:
        errors.setdefault("slug", []).append(
            _("Use only Latin letters, digits, hyphens and underscores in the address.")
        )
    else:
        if len(slug) > 120:
            errors.setdefault("slug", []).append(_("Keep the address to 120 characters at most."))
        elif slug != statement.slug:
            if statement.status == Statement.Status.PUBLISHED:
                errors.setdefault("slug", []).append(
                    _(
                        "The address of a published statement cannot change: links to it would "
                        "break."
                    )
                )
            elif Statement.objects.filter(slug=slug).exclude(pk=statement.pk).exists():
                errors.setdefault("slug", []).append(
                    _("Another statement already has this address.")
                )
    cleaned["slug"] = slug
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_recommendation(data: dict, number: int) -> dict:
    errors = []
    cleaned: dict[str, Any] = {}
    for field in RECOMMENDATION_FIELDS[:6]:
        cleaned[field] = str(data.get(field) or "").strip()
        if field.startswith("addressee") and len(cleaned[field]) > 200:
            errors.append(_("Keep the addressee to 200 characters at most."))
    if not cleaned["addressee_az"]:
        errors.append(_("Say to whom the recommendation is addressed, in Azerbaijani."))
    if not cleaned["text_az"]:
        errors.append(_("Write the recommendation in Azerbaijani."))
    status = data.get("status") or Recommendation.Status.OPEN
    if status not in Recommendation.Status.values:
        errors.append(_("Choose a valid status."))
    cleaned["status"] = status
    try:
        cleaned["position"] = int(data.get("position") or 0)
        if not 0 <= cleaned["position"] <= 32767:
            raise ValueError
    except (TypeError, ValueError):
        errors.append(_("The order must be a whole number from 0."))
    if errors:
        prefix = _("Recommendation %(number)s:") % {"number": number}
        raise ValidationError([f"{prefix} {message}" for message in errors])
    return cleaned


def _apply_recommendations(actor, statement: Statement, items: list[dict]) -> None:
    """Create, change and delete the statement's recommendations as `items` say (an item with
    an "id" changes that recommendation, or deletes it with "delete": True; one without an id
    is new). Everything is checked before anything is written."""
    existing = {rec.pk: rec for rec in statement.recommendations.select_for_update()}
    plan = []
    errors: list = []
    for number, item in enumerate(items, start=1):
        pk = item.get("id")
        if pk is not None:
            try:
                pk = int(pk)
            except (TypeError, ValueError):
                pk = -1
            if pk not in existing:
                errors.append(
                    _("Recommendation %(number)s does not belong to this statement.")
                    % {"number": number}
                )
                continue
        if item.get("delete"):
            if pk is not None:
                plan.append(("delete", existing[pk], None))
            continue
        try:
            cleaned = _clean_recommendation(item, number)
        except ValidationError as error:
            errors.extend(error.messages)
            continue
        plan.append(("save", existing.get(pk) if pk is not None else None, cleaned))
    if errors:
        raise ValidationError(errors)
    for action, rec, cleaned in plan:
        if action == "delete":
            audit_log(
                actor=actor,
                action=AuditEntry.Action.DELETE,
                obj=rec,
                changes={field: getattr(rec, field) for field in RECOMMENDATION_FIELDS},
            )
            rec.delete()
        elif rec is None:
            rec = Recommendation.objects.create(statement=statement, **cleaned)
            audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=rec, changes=cleaned)
        else:
            before = snapshot(rec, list(RECOMMENDATION_FIELDS))
            for field, value in cleaned.items():
                setattr(rec, field, value)
            changes = model_changes(before, snapshot(rec, list(RECOMMENDATION_FIELDS)))
            if changes:
                rec.save()
                audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=rec, changes=changes)


@transaction.atomic
def update_statement(
    *, actor, statement: Statement, data: dict, recommendations: list[dict] | None = None
) -> Statement:
    """Change the statement's titles, texts and address (and, if given, its recommendations),
    all or nothing."""
    statement = _locked(statement)
    cleaned = _clean_statement(statement, data)
    before = snapshot(statement, [*TEXT_FIELDS, "slug"])
    if recommendations is not None:
        _apply_recommendations(actor, statement, recommendations)
    for field, value in cleaned.items():
        setattr(statement, field, value)
    changes = model_changes(before, snapshot(statement, [*TEXT_FIELDS, "slug"]))
    if changes:
        statement.save()
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=statement, changes=changes)
    return statement


@transaction.atomic
def publish_statement(*, actor, statement: Statement) -> Statement:
    statement = _locked(statement)
    if statement.status == Statement.Status.PUBLISHED:
        raise ValidationError(_("This statement is already published."))
    errors = {}
    if not statement.title_az.strip():
        errors["title_az"] = _("Give the title in Azerbaijani before publishing.")
    if not statement.body_az.strip():
        errors["body_az"] = _("Write the text in Azerbaijani before publishing.")
    if errors:
        raise ValidationError(errors)
    statement.status = Statement.Status.PUBLISHED
    statement.published_at = timezone.now()
    statement.published_by = actor if getattr(actor, "is_authenticated", False) else None
    statement.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    audit_log(
        actor=actor,
        action=AuditEntry.Action.PUBLISH,
        obj=statement,
        changes={
            "status": [Statement.Status.DRAFT, Statement.Status.PUBLISHED],
            "published_at": statement.published_at.isoformat(),
        },
    )
    return statement


@transaction.atomic
def unpublish_statement(*, actor, statement: Statement) -> Statement:
    statement = _locked(statement)
    if statement.status != Statement.Status.PUBLISHED:
        raise ValidationError(_("This statement is not published."))
    before = statement.published_at
    statement.status = Statement.Status.DRAFT
    statement.published_at = None
    statement.published_by = None
    statement.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=statement,
        changes={
            "status": [Statement.Status.PUBLISHED, Statement.Status.DRAFT],
            "published_at": [before.isoformat() if before else None, None],
        },
    )
    return statement


@transaction.atomic
def recommendation_add(*, actor, statement: Statement, data: dict) -> Recommendation:
    statement = _locked(statement)
    data = dict(data)
    if "position" not in data:
        last = statement.recommendations.order_by("-position").first()
        data["position"] = last.position + 1 if last else 0
    cleaned = _clean_recommendation(data, statement.recommendations.count() + 1)
    rec = Recommendation.objects.create(statement=statement, **cleaned)
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=rec, changes=cleaned)
    return rec


@transaction.atomic
def recommendation_update(*, actor, recommendation: Recommendation, data: dict) -> Recommendation:
    statement = _locked(recommendation.statement)
    current = {field: getattr(recommendation, field) for field in RECOMMENDATION_FIELDS}
    _apply_recommendations(actor, statement, [{**current, **data, "id": recommendation.pk}])
    recommendation.refresh_from_db()
    return recommendation


@transaction.atomic
def recommendation_delete(*, actor, recommendation: Recommendation) -> None:
    statement = _locked(recommendation.statement)
    _apply_recommendations(actor, statement, [{"id": recommendation.pk, "delete": True}])


@transaction.atomic
def recommendations_reorder(*, actor, statement: Statement, order: list[int]) -> None:
    """Put the statement's recommendations in the order of `order` (every id, once)."""
    statement = _locked(statement)
    existing = {rec.pk: rec for rec in statement.recommendations.select_for_update()}
    try:
        wanted = [int(pk) for pk in order]
    except (TypeError, ValueError):
        wanted = []
    if sorted(wanted) != sorted(existing):
        raise ValidationError(_("Give every recommendation of this statement exactly once."))
    changes = {}
    for position, pk in enumerate(wanted):
        rec = existing[pk]
        if rec.position != position:
            changes[str(pk)] = [rec.position, position]
            rec.position = position
            rec.save(update_fields=["position", "updated_at"])
    if changes:
        audit_log(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=statement,
            changes={"recommendation_order": changes},
        )


# --- reading statements -------------------------------------------------------------------------


def published_statements():
    return (
        Statement.objects.filter(status=Statement.Status.PUBLISHED)
        .select_related("election")
        .order_by("-published_at", "-pk")
    )


def body_blocks(text: str) -> list[tuple[str, str]]:
    """A statement's text as ("heading" | "paragraph", text) blocks: paragraphs are separated
    by a blank line; a line starting "## " is a heading."""
    blocks: list[tuple[str, str]] = []
    for chunk in (text or "").replace("\r\n", "\n").split("\n\n"):
        lines = [line.rstrip() for line in chunk.strip("\n").split("\n")]
        paragraph: list[str] = []
        for line in lines:
            if line.startswith("## "):
                if paragraph:
                    blocks.append(("paragraph", "\n".join(paragraph).strip()))
                    paragraph = []
                blocks.append(("heading", line[3:].strip()))
            elif line.strip():
                paragraph.append(line)
        if paragraph:
            blocks.append(("paragraph", "\n".join(paragraph).strip()))
    return blocks


def statement_text(statement: Statement, language: str) -> tuple[str, str]:
    """Title and text in `language`, falling back to the other languages like the page does."""
    with translation.override(language):
        return statement.title, statement.body


def figure_rows(figures: dict) -> list[tuple[str, str]]:
    """The figures as (what, value) rows in the active language, for tables."""
    if not figures:
        return []
    rows: list[tuple[str, str]] = []
    coverage = figures.get("coverage") or {}
    if coverage:
        rows += [
            (_("Polling stations taking part"), number(coverage.get("stations"))),
            (_("Observers deployed"), number(coverage.get("observers_deployed"))),
            (
                _("Polling stations with observers"),
                "{} ({})".format(
                    number(coverage.get("stations_observed")),
                    percent(
                        _share(coverage.get("stations_observed", 0), coverage.get("stations", 0))
                    ),
                ),
            ),
            (_("Station reports"), number(coverage.get("reports"))),
        ]
    alerts = figures.get("alerts") or {}
    if alerts:
        rows.append(
            (
                _("Alerts raised / handled"),
                f"{number(alerts['raised'])} / {number(alerts['handled'])}",
            )
        )
    protocols = figures.get("protocols") or {}
    if protocols:
        rows += [
            (_("Result protocols received"), number(protocols.get("total"))),
            (_("Protocols accepted"), number(protocols.get("accepted"))),
            (
                _("Protocols in quarantine"),
                "{} ({})".format(
                    number(protocols.get("quarantined")),
                    percent(protocols.get("quarantine_share")),
                ),
            ),
        ]
    incidents = figures.get("incidents") or {}
    if incidents:
        rows.append(
            (
                _("Incidents verified / published"),
                f"{number(incidents.get('verified'))} / {number(incidents.get('published'))}",
            )
        )
    for quick in figures.get("quick_count") or []:
        contest = label_in(quick.get("contest"))
        for key in ("turnout", "invalid"):
            if quick.get(key):
                rows.append(
                    (
                        _("Quick count (%(contest)s): %(what)s")
                        % {"contest": contest, "what": quantity_label(key)},
                        _("%(share)s ± %(margin)s")
                        % {
                            "share": percent(quick[key]["estimate"]),
                            "margin": points(quick[key]["margin95"]),
                        },
                    )
                )
        for row in quick.get("options") or []:
            rows.append(
                (
                    _("Quick count (%(contest)s): %(what)s")
                    % {"contest": contest, "what": quantity_label(row["quantity"], row["label"])},
                    _("%(share)s ± %(margin)s")
                    % {"share": percent(row["estimate"]), "margin": points(row["margin95"])},
                )
            )
    for official in figures.get("official") or []:
        contest = label_in(official.get("contest"))
        rows.append(
            (
                _("Official result (%(contest)s): %(what)s")
                % {"contest": contest, "what": _("Turnout")},
                percent(official.get("turnout")),
            )
        )
        for row in official.get("options") or []:
            rows.append(
                (
                    _("Official result (%(contest)s): %(what)s")
                    % {"contest": contest, "what": label_in(row["label"])},
                    percent(row.get("share")),
                )
            )
    for compared in figures.get("comparison") or []:
        rows.append(
            (
                _("Official figures outside the quick count's 95%% margin (%(contest)s)")
                % {"contest": label_in(compared.get("contest"))},
                f"{number(compared['outside'])} / {number(len(compared['rows']))}",
            )
        )
    return rows

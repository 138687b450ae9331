"""Reads for the coordinators' live picture of election day: coverage per form and region, the
stations by state, one station's submissions side by side, per-question results and the map.

Every function takes `region_ids`, the regions the reader may watch (a set of ids, or None for
the whole country, as observation.access.visible_region_ids gives), so one query serves a
coordinator of two regions and the national picture alike. Counting happens in SQL; the
per-question tally is a plain function over plain data (`tally_answers`).

The pages call observation.services.derive_station_reports first: these functions read the
derived StationReports and do not derive anything themselves.
"""

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, F, FilteredRelation, Max, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from elections.models import Election, ElectionStation
from geo.models import PollingStation, Region
from observation.models import Alert, StationReport, Submission
from questionnaires.engine import label, questions
from questionnaires.models import Questionnaire, QuestionnaireVersion

RegionIds = set[int] | None
WATCHED_FORM_STATUSES = (Questionnaire.Status.ACTIVE, Questionnaire.Status.ARCHIVED)
REGION_FIELD_OF_STATION = "constituency__district__region"


class StationState:
    """What the station list and the map can filter on (one form at a time)."""

    MISSING = "missing"
    REPORTED = "reported"
    CONFLICT = "conflict"
    ALERT = "alert"

    CHOICES = [
        (MISSING, gettext_lazy("Missing")),
        (REPORTED, gettext_lazy("Reported")),
        (CONFLICT, gettext_lazy("Conflict")),
        (ALERT, gettext_lazy("With an alert")),
    ]

    @classmethod
    def label(cls, state: str) -> str:
        return str(dict(cls.CHOICES).get(state, state))


def _in_regions(queryset: QuerySet, region_ids: RegionIds, field: str = "region") -> QuerySet:
    if region_ids is None:
        return queryset
    return queryset.filter(**{f"{field}__in": region_ids})


def election_forms(election: Election | int) -> list[Questionnaire]:
    """The forms observers answer in this election (open now or closed), in the form order."""
    return list(
        Questionnaire.objects.filter(
            election=election, status__in=WATCHED_FORM_STATUSES, current_version__isnull=False
        ).order_by("position", "pk")
    )


def expects_every_station(questionnaire: Questionnaire) -> bool:
    """An incident form is sent when something happens, so a station without one is not
    "missing" anything."""
    return questionnaire.kind != Questionnaire.Kind.INCIDENT


_PUBLISHED_SCHEMAS: dict[int, dict] = {}


def version_schemas(version_ids: Iterable[int]) -> dict[int, dict]:
    """{version id: schema}. A published version never changes, so its schema is kept in
    memory after the first read (a form's JSON is tens of kilobytes, read on every refresh)."""
    wanted = set(version_ids)
    missing = wanted - _PUBLISHED_SCHEMAS.keys()
    read = {}
    if missing:
        rows = QuestionnaireVersion.objects.filter(pk__in=missing).values_list(
            "pk", "schema", "published_at"
        )
        for pk, schema, published_at in rows:
            read[pk] = schema
            if published_at is not None:
                _PUBLISHED_SCHEMAS[pk] = schema
    return {pk: _PUBLISHED_SCHEMAS.get(pk, read.get(pk, {})) for pk in wanted}


def forget_schemas() -> None:
    """Empties the schema memory (tests: a rolled-back database reuses version ids)."""
    _PUBLISHED_SCHEMAS.clear()


# --- Coverage -------------------------------------------------------------------------------


@dataclass
class CoverageRow:
    """One region (or the total) of one form's coverage."""

    region: Region | None
    stations: int = 0  # taking part in the election
    reported: int = 0  # observers agree (or a coordinator resolved every disagreement)
    conflict: int = 0  # observers disagree on at least one question
    alerts: int = 0  # stations whose submissions raised an alert
    query: str = ""  # the station list's filters for this form and region ("form=1&region=2")

    @property
    def received(self) -> int:
        return self.reported + self.conflict

    @property
    def missing(self) -> int:
        return max(self.stations - self.received, 0)

    def _percent(self, count: int) -> float:
        return round(100 * count / self.stations, 1) if self.stations else 0.0

    @property
    def reported_percent(self) -> float:
        return self._percent(self.reported)

    @property
    def conflict_percent(self) -> float:
        return self._percent(self.conflict)

    @property
    def missing_percent(self) -> float:
        return self._percent(self.missing)

    @property
    def received_percent(self) -> float:
        return self._percent(self.received)

    @property
    def conflict_offset(self) -> float:
        """Where the conflict part of the bar starts (after the reported part)."""
        return self.reported_percent


@dataclass
class FormCoverage:
    questionnaire: Questionnaire
    rows: list[CoverageRow]
    total: CoverageRow

    @property
    def expects_every_station(self) -> bool:
        return expects_every_station(self.questionnaire)


TAKING_PART_SECONDS = 60


def stations_per_region(election: Election | int, region_ids: RegionIds) -> dict[int, int]:
    """{region id: number of stations taking part}.

    Kept in the cache for a minute: the stations taking part are settled before election day,
    and counting them joins every station to its region, on every refresh of every
    coordinator's page."""
    election_id = election if isinstance(election, int) else election.pk

    def count() -> dict[int, int]:
        region = f"station__{REGION_FIELD_OF_STATION}_id"
        rows = ElectionStation.objects.filter(election_id=election_id).order_by().values(region)
        return dict(rows.annotate(count=Count("pk")).values_list(region, "count"))

    counts = cache.get_or_set(f"observation:taking-part:{election_id}", count, TAKING_PART_SECONDS)
    if region_ids is None:
        return counts
    return {pk: number for pk, number in counts.items() if pk in region_ids}


COUNTS_SECONDS = 15


def report_counts(election: Election | int, form_ids: list[int]) -> dict[tuple[int, int], dict]:
    """{(form id, region id): {"reported", "conflict", "alerts"}} for every region.

    Counting scans every station report of the election, so the counts are kept in the cache
    under the time of the latest change to the election's reports: every coordinator's
    refresh reads them from there until a report changes. (The entry also expires after a few
    seconds, in case two reports were saved at once and the later commit carries the earlier
    time.)"""
    election_id = election if isinstance(election, int) else election.pk
    reports = StationReport.objects.filter(election_id=election_id)
    changed = reports.aggregate(latest=Max("updated_at"))["latest"]
    forms_key = ",".join(str(pk) for pk in sorted(form_ids))
    key = f"observation:coverage:{election_id}:{forms_key}:{changed.isoformat() if changed else 0}"

    def count() -> dict[tuple[int, int], dict]:
        rows = (
            reports.filter(questionnaire_id__in=form_ids)
            .order_by()
            .values("questionnaire_id", "region_id")
            .annotate(
                reported=Count("pk", filter=Q(status=StationReport.Status.REPORTED)),
                conflict=Count("pk", filter=Q(status=StationReport.Status.CONFLICT)),
                alerts=Count("pk", filter=Q(has_alert=True)),
            )
        )
        return {(row.pop("questionnaire_id"), row.pop("region_id")): row for row in rows}

    return cache.get_or_set(key, count, COUNTS_SECONDS)


def coverage(
    election: Election | int,
    *,
    region_ids: RegionIds,
    forms: list[Questionnaire] | None = None,
) -> list[FormCoverage]:
    """Per form and region: stations taking part, reported, in conflict, missing, with alerts.

    A few small queries whatever the number of stations: the counts come from the cache
    while no report has changed (`report_counts`, `stations_per_region`)."""
    forms = election_forms(election) if forms is None else forms
    if not forms:
        return []
    taking_part = stations_per_region(election, region_ids)
    by_form: dict[int, dict[int, dict]] = defaultdict(dict)
    for (form_id, region_id), row in report_counts(election, [f.pk for f in forms]).items():
        if region_ids is None or region_id in region_ids:
            by_form[form_id][region_id] = row
    region_pks = set(taking_part) | {pk for rows in by_form.values() for pk in rows}
    regions = list(Region.objects.filter(pk__in=region_pks))
    regions.sort(key=lambda region: str(region.name).casefold())
    result = []
    for form in forms:
        rows = []
        total = CoverageRow(region=None)
        for region in regions:
            found = by_form[form.pk].get(region.pk, {})
            row = CoverageRow(
                region=region,
                stations=taking_part.get(region.pk, 0),
                reported=found.get("reported", 0),
                conflict=found.get("conflict", 0),
                alerts=found.get("alerts", 0),
                query=f"form={form.pk}&region={region.pk}",
            )
            rows.append(row)
            for name in ("stations", "reported", "conflict", "alerts"):
                setattr(total, name, getattr(total, name) + getattr(row, name))
        result.append(FormCoverage(questionnaire=form, rows=rows, total=total))
    return result


# --- Stations by state ----------------------------------------------------------------------


def stations_with_state(
    election: Election | int,
    questionnaire: Questionnaire | int,
    *,
    region_ids: RegionIds,
    region: Region | int | None = None,
    state: str | None = None,
    query: str = "",
) -> QuerySet:
    """The stations taking part, each annotated with its report on this form:
    report_status (None when missing), report_alert, report_observers, report_submissions,
    report_last and report_conflicts. Filtered by region, state and a code or name search."""
    stations = (
        PollingStation.objects.filter(election_stations__election=election)
        .select_related("constituency__district__region")
        .annotate(
            report=FilteredRelation(
                "station_reports", condition=Q(station_reports__questionnaire=questionnaire)
            )
        )
        .annotate(
            report_status=F("report__status"),
            report_alert=F("report__has_alert"),
            report_observers=F("report__observer_count"),
            report_submissions=F("report__submission_count"),
            report_last=F("report__last_received_at"),
            report_conflicts=F("report__conflicts"),
            region_id=F(f"{REGION_FIELD_OF_STATION}_id"),
        )
    )
    stations = _in_regions(stations, region_ids, REGION_FIELD_OF_STATION)
    if region is not None:
        stations = stations.filter(**{REGION_FIELD_OF_STATION: region})
    if state == StationState.MISSING:
        stations = stations.filter(report_status__isnull=True)
    elif state == StationState.REPORTED:
        stations = stations.filter(report_status=StationReport.Status.REPORTED)
    elif state == StationState.CONFLICT:
        stations = stations.filter(report_status=StationReport.Status.CONFLICT)
    elif state == StationState.ALERT:
        stations = stations.filter(report_alert=True)
    if query.strip():
        stations = stations.search(query)
    return stations


def station_state(station: PollingStation) -> str:
    """The state of a station from `stations_with_state` (an alert outranks the rest)."""
    if getattr(station, "report_status", None) is None:
        return StationState.MISSING
    if station.report_alert:
        return StationState.ALERT
    if station.report_status == StationReport.Status.CONFLICT:
        return StationState.CONFLICT
    return StationState.REPORTED


# --- The map --------------------------------------------------------------------------------


def map_features(
    election: Election | int,
    questionnaire: Questionnaire | int,
    *,
    region_ids: RegionIds,
    state: str | None = None,
    url_of=None,
) -> dict:
    """The stations with coordinates as a GeoJSON FeatureCollection, each with its code, name,
    state (missing, reported, conflict, alert) and, when `url_of(code)` is given, its page.
    `counts` tells how many stations are in each state, on the map or not."""
    stations = stations_with_state(election, questionnaire, region_ids=region_ids, state=state)
    stations = stations.select_related(None).only(
        "code", "name_az", "name_en", "name_ru", "latitude", "longitude"
    )
    features = []
    counts: Counter = Counter()
    without_position = 0
    for station in stations.order_by():
        status = station_state(station)
        counts[status] += 1
        if station.latitude is None or station.longitude is None:
            without_position += 1
            continue
        properties = {
            "code": station.code,
            "name": str(station.name),
            "state": status,
            "state_label": StationState.label(status),
        }
        if url_of is not None:
            properties["url"] = url_of(station.code)
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(station.longitude), float(station.latitude)],
                },
                "properties": properties,
            }
        )
    features.sort(key=lambda feature: feature["properties"]["code"])
    return {
        "type": "FeatureCollection",
        "features": features,
        "counts": {key: counts.get(key, 0) for key, _label in StationState.CHOICES},
        "without_position": without_position,
    }


# --- Alerts ---------------------------------------------------------------------------------


def alert_feed(
    election: Election | int,
    *,
    region_ids: RegionIds,
    handled: bool | None = None,
    region: Region | int | None = None,
) -> QuerySet:
    """The election's alerts in the watched regions, newest first; `handled` False for those
    nobody has acknowledged yet, True for those acknowledged, None for all."""
    alerts = _in_regions(Alert.objects.filter(election=election), region_ids)
    if region is not None:
        alerts = alerts.filter(region=region)
    if handled is not None:
        alerts = alerts.filter(acknowledged_at__isnull=not handled)
    return (
        alerts.select_related(
            "station",
            "region",
            "acknowledged_by",
            "submission__questionnaire",
            "submission__observer",
        )
        .defer("submission__answers")  # the alert holds the answer that matters
        .order_by("-created_at", "-pk")
    )


def describe_alerts(alerts: Iterable[Alert]) -> list[Alert]:
    """Adds `question_text` and `value_text` to each alert, from the form version the observer
    answered (one query for all of them)."""
    alerts = list(alerts)
    schemas = version_schemas(alert.submission.version_id for alert in alerts)
    for alert in alerts:
        by_code = {q["code"]: q for q in questions(schemas.get(alert.submission.version_id, {}))}
        question = by_code.get(alert.question)
        alert.question_text = label(question["label"]) if question else alert.question
        alert.value_text = display_value(question, alert.value)
    return alerts


# --- One station ----------------------------------------------------------------------------


def display_value(question: dict | None, value: Any) -> str:
    """An answer as a person reads it, in the active language ("" when not answered)."""
    if value is None or value == "" or value == []:
        return ""
    kind = question.get("type") if question else None
    if kind == "yes_no" or isinstance(value, bool):
        return _("Yes") if value else _("No")
    if kind in ("single", "multiple") and question:
        labels = {str(option["value"]): label(option["label"]) for option in question["options"]}
        values = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(str(item), str(item)) for item in values)
    if kind == "photo":
        return _("Photo")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def encode_value(value: Any) -> str:
    """A value as the resolution form carries it (JSON keeps true, 3 and "3" apart)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@dataclass
class ObserverColumn:
    observer: Any
    submission: Submission  # the observer's latest: the one that counts
    earlier: int  # earlier submissions of the same observer, replaced by the latest


@dataclass
class QuestionRow:
    code: str
    text: str
    values: list[str]  # per observer column, as read by a person ("" when not answered)
    derived: str
    state: str  # agreed, conflict, resolved or unanswered
    candidates: list[tuple[str, str]] = field(default_factory=list)  # (encoded, as read)

    @property
    def may_be_resolved(self) -> bool:
        return self.state in ("conflict", "resolved") and len(self.candidates) > 1


@dataclass
class FormPicture:
    questionnaire: Questionnaire
    report: StationReport | None
    columns: list[ObserverColumn]
    rows: list[QuestionRow]

    @property
    def conflicts(self) -> list[QuestionRow]:
        return [row for row in self.rows if row.state == "conflict"]


def station_picture(
    election: Election | int, station: PollingStation, forms: list[Questionnaire] | None = None
) -> list[FormPicture]:
    """For each form: every observer's latest submission next to the station's derived answer,
    question by question, with the values a coordinator can choose between where observers
    disagree. Four queries whatever the number of forms and observers."""
    forms = election_forms(election) if forms is None else forms
    reports = {
        report.questionnaire_id: report
        for report in StationReport.objects.filter(
            station=station, questionnaire__in=[form.pk for form in forms]
        )
    }
    submissions = (
        Submission.objects.filter(station=station, questionnaire__in=[form.pk for form in forms])
        .select_related("observer")
        .order_by("received_at", "pk")
    )
    latest: dict[int, dict[int, Submission]] = defaultdict(dict)
    sent: Counter = Counter()
    for submission in submissions:
        latest[submission.questionnaire_id][submission.observer_id] = submission
        sent[(submission.questionnaire_id, submission.observer_id)] += 1
    schemas = version_schemas(form.current_version_id for form in forms)
    pictures = []
    for form in forms:
        report = reports.get(form.pk)
        columns = [
            ObserverColumn(
                observer=submission.observer,
                submission=submission,
                earlier=sent[(form.pk, observer_id)] - 1,
            )
            for observer_id, submission in sorted(
                latest[form.pk].items(),
                key=lambda item: (item[1].observer.number or 0, item[0]),
            )
        ]
        rows = _question_rows(schemas.get(form.current_version_id, {}), report, columns)
        pictures.append(FormPicture(questionnaire=form, report=report, columns=columns, rows=rows))
    return pictures


def _question_rows(
    schema: dict, report: StationReport | None, columns: list[ObserverColumn]
) -> list[QuestionRow]:
    asked = questions(schema)
    known = {question["code"] for question in asked}
    # Answers to questions an older version of the form had are still shown, by their code.
    extra = sorted(
        {code for column in columns for code in column.submission.answers if code not in known}
    )
    asked = [*asked, *({"code": code, "type": None, "label": code} for code in extra)]
    rows = []
    for question in asked:
        code = question["code"]
        given = [column.submission.answers.get(code) for column in columns]
        candidates: dict[str, str] = {}
        for value in given:
            if value is not None:
                candidates.setdefault(encode_value(value), display_value(question, value))
        if report is not None and code in report.conflicts:
            state = "conflict"
        elif report is not None and code in report.resolutions:
            state = "resolved"
        elif report is not None and code in report.answers:
            state = "agreed"
        else:
            state = "unanswered"
        derived = report.answers.get(code) if report is not None else None
        rows.append(
            QuestionRow(
                code=code,
                text=label(question.get("label")) or code,
                values=[display_value(question, value) for value in given],
                derived=display_value(question, derived),
                state=state,
                candidates=sorted(candidates.items(), key=lambda item: item[1]),
            )
        )
    return rows


# --- Per-question results -------------------------------------------------------------------

TALLIED_TYPES = ("yes_no", "single", "multiple", "number")


@dataclass
class Tally:
    """What one region's stations answered to one question."""

    answered: int = 0
    conflicts: int = 0
    counts: Counter = field(default_factory=Counter)  # yes_no, single, multiple
    total: int = 0  # number
    minimum: int | None = None
    maximum: int | None = None

    @property
    def average(self) -> float | None:
        return round(self.total / self.answered, 1) if self.answered else None

    def add(self, kind: str, value: Any) -> None:
        self.answered += 1
        if kind == "yes_no":
            self.counts["yes" if value else "no"] += 1
        elif kind == "single":
            self.counts[str(value)] += 1
        elif kind == "multiple":
            for item in value if isinstance(value, list) else [value]:
                self.counts[str(item)] += 1
        elif kind == "number" and isinstance(value, int | float) and not isinstance(value, bool):
            self.total += value
            self.minimum = value if self.minimum is None else min(self.minimum, value)
            self.maximum = value if self.maximum is None else max(self.maximum, value)


def tally_answers(
    asked: list[dict], rows: Iterable[tuple[int, dict, dict]]
) -> dict[str, dict[int | None, Tally]]:
    """{question code: {region id: Tally, None: all regions}} from (region id, answers,
    conflicts) per station. Pure: no database, so it can be tested and timed on its own."""
    kinds = {question["code"]: question["type"] for question in asked}
    result: dict[str, dict[int | None, Tally]] = {code: defaultdict(Tally) for code in kinds}
    for region_id, answers, conflicts in rows:
        for code, kind in kinds.items():
            if code in conflicts:
                result[code][region_id].conflicts += 1
                result[code][None].conflicts += 1
            elif code in answers:
                value = answers[code]
                result[code][region_id].add(kind, value)
                result[code][None].add(kind, value)
    return result


@dataclass
class Share:
    """One option's part of a region's answers, for the bars."""

    value: str
    label: str
    count: int
    percent: float
    offset: float  # where its segment starts in a stacked bar (0-100)
    colour: int  # index of its colour class


@dataclass
class RegionResult:
    region: Region | None
    tally: Tally
    shares: list[Share]
    bar_percent: float = 0.0  # numbers: the average against the largest average


@dataclass
class QuestionResult:
    code: str
    text: str
    kind: str
    options: list[tuple[str, str, int]]  # (value, label, colour) in the form's order
    regions: list[RegionResult]
    total: RegionResult

    @property
    def is_choice(self) -> bool:
        return self.kind in ("yes_no", "single", "multiple")

    @property
    def is_number(self) -> bool:
        return self.kind == "number"


COLOURS = 8


def _options_of(question: dict) -> list[tuple[str, str, int]]:
    if question["type"] == "yes_no":
        return [("yes", _("Yes"), 0), ("no", _("No"), 1)]
    return [
        (str(option["value"]), label(option["label"]), index % COLOURS)
        for index, option in enumerate(question.get("options", []))
    ]


def _shares(tally: Tally, options: list[tuple[str, str, int]]) -> list[Share]:
    # Percentages of the stations that answered (a multiple choice adds up to more than 100).
    shares, offset = [], 0.0
    for value, text, colour in options:
        count = tally.counts.get(value, 0)
        percent = round(100 * count / tally.answered, 1) if tally.answered else 0.0
        shares.append(Share(value, text, count, percent, min(offset, 100.0), colour))
        offset += percent
    return shares


def question_results(
    election: Election | int, questionnaire: Questionnaire, *, region_ids: RegionIds
) -> list[QuestionResult]:
    """Per question of the form: counts per option (or yes/no), or the sum, average, lowest
    and highest for numbers, per region and in all, from the stations' derived answers."""
    schema = version_schemas([questionnaire.current_version_id])[questionnaire.current_version_id]
    asked = [question for question in questions(schema) if question["type"] in TALLIED_TYPES]
    reports = _in_regions(
        StationReport.objects.filter(election=election, questionnaire=questionnaire), region_ids
    ).values_list("region_id", "answers", "conflicts")
    tallies = tally_answers(asked, reports.iterator(chunk_size=2000))
    region_pks = {pk for by_region in tallies.values() for pk in by_region if pk is not None}
    regions = sorted(Region.objects.filter(pk__in=region_pks), key=lambda r: str(r).casefold())
    results = []
    for question in asked:
        code, kind = question["code"], question["type"]
        options = _options_of(question) if kind != "number" else []
        by_region = tallies[code]
        region_results = [
            RegionResult(region, by_region[region.pk], _shares(by_region[region.pk], options))
            for region in regions
            if region.pk in by_region
        ]
        total = RegionResult(None, by_region[None], _shares(by_region[None], options))
        if kind == "number":
            largest = max((row.tally.average or 0 for row in [*region_results, total]), default=0)
            for row in [*region_results, total]:
                average = row.tally.average or 0
                row.bar_percent = round(100 * average / largest, 1) if largest > 0 else 0.0
        results.append(
            QuestionResult(
                code=code,
                text=label(question["label"]),
                kind=kind,
                options=options,
                regions=region_results,
                total=total,
            )
        )
    return results

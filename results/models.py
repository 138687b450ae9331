"""Result protocols: what each polling station's commission wrote down after the count.

- ProtocolCheck: an arithmetic check that an election type configures ("votes == valid",
  "issued <= received"), in the form engine's safe expression language over the protocol's
  lines (see results.checks).
- ProtocolForm: the form (a questionnaire of kind "results") observers send protocols with, from
  the phone page, offline, through the API or by SMS, like any checklist.
- Protocol: one copy of one station's protocol for one contest: an observer's copy (from a
  submission), or one entered twice from a photo (double entry). A protocol that fails a check
  waits in quarantine with its reasons until someone accepts, corrects or rejects it.
- DataEntryTask / ProtocolEntry: double entry from a photo: two clerks enter independently; a
  mismatch goes to a third clerk, whose entry settles it.
- OfficialResultImport / OfficialResult: the official per-station results of a contest, imported
  from a file (a known layout or a column mapping), with every row that fails arithmetic.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.i18n import TranslatedField
from elections.models import Contest, Election
from geo.models import PollingStation

#: The lines of a protocol besides the votes per ballot option, in protocol order. Checks name
#: them, plus ``votes`` (the options' votes added up).
PROTOCOL_LINES = ("registered", "received", "issued", "cast", "spoiled", "invalid", "valid")


def _private_storage():
    from django.core.files.storage import storages

    return storages["private"]


class ProtocolCheck(models.Model):
    """An arithmetic check for the protocols of one type of election.

    ``expression`` is in the form engine's language (questionnaires.expressions) over the names
    in PROTOCOL_LINES and ``votes``; a check whose lines are missing is not judged."""

    election_kind = models.CharField(
        _("type of election"), max_length=20, choices=Election.Kind.choices
    )
    code = models.SlugField(_("code"), max_length=40)
    expression = models.CharField(
        _("check"),
        max_length=300,
        help_text=_("For example: votes == valid, or cast <= registered."),
    )
    message_az = models.CharField(_("message (Azerbaijani)"), max_length=300)
    message_en = models.CharField(_("message (English)"), max_length=300, blank=True)
    message_ru = models.CharField(_("message (Russian)"), max_length=300, blank=True)
    message = TranslatedField("message")
    is_active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("protocol check")
        verbose_name_plural = _("protocol checks")
        ordering = ["election_kind", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["election_kind", "code"],
                name="results_unique_check_code_per_kind",
                violation_error_message=_(
                    "This type of election already has a check with this code."
                ),
            )
        ]
        permissions = [
            ("view_results", _("Can see protocols, official results and comparisons")),
            ("review_quarantine", _("Can accept, correct or reject quarantined protocols")),
            ("configure_checks", _("Can configure the arithmetic checks of protocols")),
            ("enter_protocols", _("Can enter protocols from photos (double entry)")),
            ("arbitrate_protocols", _("Can settle protocols whose two entries differ")),
            ("import_official_results", _("Can import official results")),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.expression}"


class ProtocolForm(models.Model):
    """Links a results form (questionnaire of kind "results") to the contest its protocols are
    for. With no contest, a station's protocol is for the contest of the station's constituency
    in the form's round (parliamentary and municipal elections)."""

    questionnaire = models.OneToOneField(
        "questionnaires.Questionnaire",
        verbose_name=_("form"),
        on_delete=models.CASCADE,
        related_name="protocol_form",
    )
    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.CASCADE, related_name="+"
    )
    contest = models.ForeignKey(
        Contest,
        verbose_name=_("contest"),
        on_delete=models.CASCADE,
        related_name="protocol_forms",
        null=True,
        blank=True,
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    #: Question code → protocol line ("registered", …) or "option:<ballot number>" or "photo".
    question_map = models.JSONField(_("questions and protocol lines"), default=dict)

    class Meta:
        verbose_name = _("protocol form")
        verbose_name_plural = _("protocol forms")

    def __str__(self) -> str:
        return str(self.questionnaire)


class DataEntryTask(models.Model):
    """One protocol photo to be entered twice by different clerks (and settled by a third)."""

    class Status(models.TextChoices):
        FIRST_ENTRY = "first", _("Waiting for the first entry")
        SECOND_ENTRY = "second", _("Waiting for the second entry")
        ARBITRATION = "arbitration", _("Entries differ: waiting for arbitration")
        DONE = "done", _("Done")

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.CASCADE, related_name="+"
    )
    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="entry_tasks"
    )
    station = models.ForeignKey(
        PollingStation,
        verbose_name=_("polling station"),
        on_delete=models.PROTECT,
        related_name="entry_tasks",
    )
    # The photo: an observer's (from a protocol submission) or one a staff member uploaded.
    submission_photo = models.ForeignKey(
        "observation.SubmissionPhoto",
        verbose_name=_("observer's photo"),
        on_delete=models.PROTECT,
        related_name="entry_tasks",
        null=True,
        blank=True,
    )
    upload = models.FileField(
        _("uploaded photo"),
        upload_to="results/protocols/%Y/%m/%d/",
        storage=_private_storage,
        max_length=200,
        blank=True,
    )
    upload_content_type = models.CharField(max_length=50, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.FIRST_ENTRY
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("data-entry task")
        verbose_name_plural = _("data-entry tasks")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["election", "status"])]

    def __str__(self) -> str:
        return f"{self.station} · {self.contest}"


class ProtocolEntry(models.Model):
    """One clerk's reading of a task's photo. ``numbers`` = {line: int, "votes": {ballot
    number: int}}. A clerk enters a task once; the arbiter is neither of the first two."""

    class Stage(models.TextChoices):
        FIRST = "first", _("First entry")
        SECOND = "second", _("Second entry")
        ARBITRATION = "arbitration", _("Arbitration")

    task = models.ForeignKey(
        DataEntryTask, verbose_name=_("task"), on_delete=models.CASCADE, related_name="entries"
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("clerk"),
        on_delete=models.PROTECT,
        related_name="protocol_entries",
    )
    numbers = models.JSONField(_("numbers"), default=dict)
    created_at = models.DateTimeField(_("entered"), auto_now_add=True)

    class Meta:
        verbose_name = _("protocol entry")
        verbose_name_plural = _("protocol entries")
        ordering = ["task", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["task", "stage"], name="results_one_entry_per_stage"),
            models.UniqueConstraint(fields=["task", "clerk"], name="results_one_entry_per_clerk"),
        ]

    def __str__(self) -> str:
        return f"{self.task} · {self.get_stage_display()}"


class ProtocolQuerySet(models.QuerySet):
    def accepted(self) -> "ProtocolQuerySet":
        return self.filter(status=Protocol.Status.ACCEPTED)

    def quarantined(self) -> "ProtocolQuerySet":
        return self.filter(status=Protocol.Status.QUARANTINED)

    def of_contest(self, contest: Contest | int) -> "ProtocolQuerySet":
        return self.filter(contest=contest)


class Protocol(models.Model):
    """One copy of a station's result protocol for one contest."""

    class Source(models.TextChoices):
        OBSERVER = "observer", _("Observer's copy")
        DATA_ENTRY = "data_entry", _("Entered twice from a photo")

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        QUARANTINED = "quarantined", _("In quarantine")
        REJECTED = "rejected", _("Rejected")

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.CASCADE, related_name="protocols"
    )
    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="protocols"
    )
    station = models.ForeignKey(
        PollingStation,
        verbose_name=_("polling station"),
        on_delete=models.PROTECT,
        related_name="protocols",
    )
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    registered = models.PositiveIntegerField(_("registered voters"), null=True, blank=True)
    received = models.PositiveIntegerField(_("ballots received"), null=True, blank=True)
    issued = models.PositiveIntegerField(_("ballots issued"), null=True, blank=True)
    cast = models.PositiveIntegerField(_("ballots cast"), null=True, blank=True)
    spoiled = models.PositiveIntegerField(_("spoiled ballots"), null=True, blank=True)
    invalid = models.PositiveIntegerField(_("invalid ballots"), null=True, blank=True)
    valid = models.PositiveIntegerField(_("valid ballots"), null=True, blank=True)
    #: Votes per ballot option: {"<ballot number>": count}.
    votes = models.JSONField(_("votes per ballot option"), default=dict)
    #: Codes of the ProtocolChecks this protocol fails (empty when it passes all).
    failed_checks = models.JSONField(_("failed checks"), default=list, blank=True)
    submission = models.OneToOneField(
        "observation.Submission",
        verbose_name=_("submission"),
        on_delete=models.CASCADE,
        related_name="protocol",
        null=True,
        blank=True,
    )
    entry_task = models.OneToOneField(
        DataEntryTask,
        verbose_name=_("data-entry task"),
        on_delete=models.CASCADE,
        related_name="protocol",
        null=True,
        blank=True,
    )
    photo = models.ForeignKey(
        "observation.SubmissionPhoto",
        verbose_name=_("photo of the protocol"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    received_at = models.DateTimeField(_("received"), db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = ProtocolQuerySet.as_manager()

    class Meta:
        verbose_name = _("protocol")
        verbose_name_plural = _("protocols")
        ordering = ["-received_at", "pk"]
        indexes = [
            models.Index(fields=["contest", "station"]),
            models.Index(fields=["election", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.station} · {self.contest}"

    def lines(self) -> dict:
        """The protocol as the checks see it: its lines and ``votes`` (the options' sum, or
        None when no option has a count)."""
        values = {line: getattr(self, line) for line in PROTOCOL_LINES}
        counts = [v for v in (self.votes or {}).values() if v is not None]
        values["votes"] = sum(counts) if counts else None
        return values


class OfficialResultImport(models.Model):
    """One file of official per-station results for a contest."""

    class Layout(models.TextChoices):
        RUSSIA = "russia", _("Russia (CEC protocol lines)")
        ALBANIA = "albania", _("Albania (CEC precincts)")
        GEORGIA = "georgia", _("Georgia (CEC precincts)")
        MAPPED = "mapped", _("Any CSV or XLSX, with a column mapping")

    class Status(models.TextChoices):
        IMPORTED = "imported", _("Imported")
        REPLACED = "replaced", _("Replaced by a later import")

    election = models.ForeignKey(
        Election,
        verbose_name=_("election"),
        on_delete=models.CASCADE,
        related_name="official_imports",
    )
    contest = models.ForeignKey(
        Contest,
        verbose_name=_("contest"),
        on_delete=models.CASCADE,
        related_name="official_imports",
    )
    name = models.CharField(_("name"), max_length=200)
    layout = models.CharField(_("layout"), max_length=10, choices=Layout.choices)
    original_name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(
        _("file"),
        upload_to="results/official/%Y/%m/%d/",
        storage=_private_storage,
        max_length=200,
        blank=True,
    )
    #: For the mapped layout: protocol field → column name (see electionstats.layouts).
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    #: Ballot options as named in the file, in column order.
    option_names = models.JSONField(_("options in the file"), default=list)
    #: Index in option_names → BallotOption id (or None when not matched).
    option_map = models.JSONField(_("options matched"), default=dict, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    failed_row_count = models.PositiveIntegerField(_("rows failing checks"), default=0)
    matched_station_count = models.PositiveIntegerField(_("stations matched"), default=0)
    #: Every failure: [[row, station, rule, detail], ...] (electionstats.layouts.RowFailure).
    failures = models.JSONField(_("failures"), default=list, blank=True)
    #: electionstats.layouts.ResultsTable.totals() of the whole file.
    totals = models.JSONField(_("totals"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.IMPORTED
    )
    seconds = models.FloatField(_("import time (s)"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        verbose_name = _("official results import")
        verbose_name_plural = _("official results imports")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return self.name


class OfficialResult(models.Model):
    """One row (station) of an official results file, as read, with its failed checks."""

    result_import = models.ForeignKey(
        OfficialResultImport,
        verbose_name=_("import"),
        on_delete=models.CASCADE,
        related_name="results",
    )
    row = models.PositiveIntegerField(_("row"))
    region = models.CharField(_("region"), max_length=200, blank=True)
    district = models.CharField(_("district"), max_length=200, blank=True)
    station_code = models.CharField(_("station"), max_length=100)
    station = models.ForeignKey(
        PollingStation,
        verbose_name=_("polling station"),
        on_delete=models.SET_NULL,
        related_name="official_results",
        null=True,
        blank=True,
    )
    registered = models.BigIntegerField(_("registered voters"))
    issued = models.BigIntegerField(_("ballots issued"))
    cast = models.BigIntegerField(_("ballots cast"))
    invalid = models.BigIntegerField(_("invalid ballots"))
    valid = models.BigIntegerField(_("valid ballots"))
    #: Votes per option, in the import's option_names order.
    votes = models.JSONField(_("votes"), default=list)
    extra = models.JSONField(_("other protocol lines"), default=dict, blank=True)
    failed_rules = models.JSONField(_("failed checks"), default=list, blank=True)

    class Meta:
        verbose_name = _("official result")
        verbose_name_plural = _("official results")
        ordering = ["result_import", "row"]
        indexes = [models.Index(fields=["result_import", "station"])]

    def __str__(self) -> str:
        return f"{self.result_import} · {self.station_code}"

"""Election day: what observers send, and what Birlik makes of it.

- ObserverDevice: a phone or app an observer signed in on; its bearer token (hashed) sends
  submissions through the API, also from the offline phone page.
- SignInCode: a one-time code sent by SMS, or an access code a coordinator issues.
- Submission: one observer's answers to one form for one station, exactly as received. Kept for
  ever; never edited. The client-made idempotency key makes a retry land on the same row.
- StationReport: the station's current answer per form, derived from all its submissions;
  where observers disagree the question is a conflict for a coordinator to resolve.
- Alert: a critical answer (the form says which) for coordinators to act on.
- CoordinatorScope: the regions a coordinator sees.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from elections.models import Election
from geo.models import PollingStation, Region
from observers.models import Observer
from questionnaires.models import Questionnaire, QuestionnaireVersion


class ObserverDeviceQuerySet(models.QuerySet):
    def active(self) -> "ObserverDeviceQuerySet":
        return self.filter(revoked_at__isnull=True)


class ObserverDevice(models.Model):
    observer = models.ForeignKey(
        Observer, verbose_name=_("observer"), on_delete=models.CASCADE, related_name="devices"
    )
    prefix = models.CharField(_("prefix"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)  # SHA-256 of the token
    name = models.CharField(_("device"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("signed in"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("signed out"), null=True, blank=True)

    objects = ObserverDeviceQuerySet.as_manager()

    class Meta:
        verbose_name = _("observer device")
        verbose_name_plural = _("observer devices")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.observer} ({self.prefix}…)"


class SignInCode(models.Model):
    class Kind(models.TextChoices):
        ONE_TIME = "one_time", _("One-time code by SMS")
        ACCESS = "access", _("Access code from a coordinator")

    observer = models.ForeignKey(
        Observer, verbose_name=_("observer"), on_delete=models.CASCADE, related_name="sign_in_codes"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    code_hash = models.CharField(max_length=64, db_index=True)  # access codes are looked up by it
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("sign-in code")
        verbose_name_plural = _("sign-in codes")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["observer", "kind", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.observer} · {self.get_kind_display()}"


class Channel(models.TextChoices):
    WEB = "web", _("Phone page")
    API = "api", _("API")
    SMS = "sms", _("SMS")
    STAFF = "staff", _("Entered by staff")


class SubmissionQuerySet(models.QuerySet):
    def of_election(self, election: "Election | int") -> "SubmissionQuerySet":
        return self.filter(election=election)

    def pending_derivation(self) -> "SubmissionQuerySet":
        return self.filter(derived=False)


class Submission(models.Model):
    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.PROTECT, related_name="+"
    )
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("form"), on_delete=models.PROTECT, related_name="submissions"
    )
    version = models.ForeignKey(
        QuestionnaireVersion,
        verbose_name=_("form version"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    observer = models.ForeignKey(
        Observer, verbose_name=_("observer"), on_delete=models.PROTECT, related_name="submissions"
    )
    station = models.ForeignKey(
        PollingStation,
        verbose_name=_("polling station"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    answers = models.JSONField(_("answers"), default=dict)
    # Made by the client (a UUID on the phone page, the gateway's message id for SMS); a retry
    # with the same key returns the stored submission instead of adding one.
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, unique=True)
    channel = models.CharField(_("channel"), max_length=5, choices=Channel.choices)
    submitted_at = models.DateTimeField(_("filled in"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), db_index=True)
    has_alert = models.BooleanField(_("has an alert"), default=False)
    # False until the station's report has taken this submission into account.
    derived = models.BooleanField(default=False)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["station", "questionnaire"]),
            models.Index(fields=["observer", "-received_at"]),
            models.Index(
                fields=["election"], condition=models.Q(derived=False), name="observation_underived"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire.code} · {self.station} · {self.observer}"


class StationReport(models.Model):
    class Status(models.TextChoices):
        REPORTED = "reported", _("Reported")
        CONFLICT = "conflict", _("Conflict")

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.CASCADE, related_name="+"
    )
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("form"),
        on_delete=models.CASCADE,
        related_name="station_reports",
    )
    station = models.ForeignKey(
        PollingStation,
        verbose_name=_("polling station"),
        on_delete=models.CASCADE,
        related_name="station_reports",
    )
    region = models.ForeignKey(  # copied from the station, for coverage per region
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    # The station's answer per question: agreed by every observer, or chosen by a coordinator.
    answers = models.JSONField(_("answers"), default=dict)
    # {question code: {observer id: value}} where observers disagree and nobody has resolved it.
    conflicts = models.JSONField(_("conflicts"), default=dict)
    # {question code: value} chosen by coordinators; they win over what observers sent.
    resolutions = models.JSONField(_("resolutions"), default=dict)
    has_alert = models.BooleanField(_("has an alert"), default=False)
    submission_count = models.PositiveIntegerField(_("submissions"), default=0)
    observer_count = models.PositiveIntegerField(_("observers"), default=0)
    last_received_at = models.DateTimeField(_("last received"))
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("station report")
        verbose_name_plural = _("station reports")
        ordering = ["station__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "station"], name="observation_one_report_per_station_form"
            )
        ]
        indexes = [
            models.Index(fields=["questionnaire", "region", "status"]),
            # The coordinators' pages ask for the latest change (observation.dashboard).
            models.Index(fields=["election", "updated_at"], name="observation_report_changed"),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire.code} · {self.station}"


class Alert(models.Model):
    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.CASCADE, related_name="+"
    )
    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="alerts"
    )
    station = models.ForeignKey(
        PollingStation,
        verbose_name=_("polling station"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="+"
    )
    question = models.CharField(_("question"), max_length=10)
    value = models.JSONField(_("answer"), null=True)
    created_at = models.DateTimeField(_("raised"), db_index=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("handled"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("view_observation", _("Can watch election-day reports")),
            ("manage_observation", _("Can resolve conflicts and handle alerts")),
            ("view_all_regions", _("Can watch every region")),
        ]

    def __str__(self) -> str:
        return f"{self.question} · {self.station}"


class CoordinatorScope(models.Model):
    """The regions whose stations a coordinator sees on election day."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="coordinator_scope",
    )
    regions = models.ManyToManyField(Region, verbose_name=_("regions"), blank=True)

    class Meta:
        verbose_name = _("coordinator's regions")
        verbose_name_plural = _("coordinators' regions")

    def __str__(self) -> str:
        return str(self.user)


def _private_storage():
    from django.core.files.storage import storages

    return storages["private"]


class SubmissionPhoto(models.Model):
    """A photo an observer uploads before sending the form that names it (by its id).

    Stored in the private storage; only staff who may watch the observer's region, and the
    observer, can open it."""

    id = models.UUIDField(primary_key=True, editable=False)
    observer = models.ForeignKey(
        Observer, verbose_name=_("observer"), on_delete=models.PROTECT, related_name="photos"
    )
    file = models.FileField(
        _("file"), upload_to="observation/photos/%Y/%m/%d/", storage=_private_storage
    )
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("submission photo")
        verbose_name_plural = _("submission photos")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.id)

"""Election observers: the people who apply to watch an election, and the record of every
step of their way from application to deployment (who moved them, and when).

Writes go through observers.services, which validates, audits and runs each change in one
transaction."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from elections.models import Election
from geo.models import PollingStation, Region

MINIMUM_AGE = 18
_PHONE_DIGITS = re.compile(r"\d+")


def normalise_phone(value: str) -> str:
    """An Azerbaijani mobile or landline number as +994 and nine digits ("+994501234567").

    Accepts spaces, dashes, brackets, the international prefix written as +994, 00994 or 994,
    and the national form with a leading 0 ("050 123 45 67"); anything else is refused."""
    text = (value or "").strip()
    if re.search(r"[^\d\s()+\-.]", text):
        raise ValidationError(_("Enter a phone number as +994 followed by nine digits."))
    digits = "".join(_PHONE_DIGITS.findall(text))
    if digits.startswith("00994"):
        digits = digits[5:]
    elif digits.startswith("994") and len(digits) == 12:
        digits = digits[3:]
    elif digits.startswith("0") and len(digits) == 10:
        digits = digits[1:]
    if len(digits) != 9 or digits.startswith("0"):
        raise ValidationError(_("Enter a phone number as +994 followed by nine digits."))
    return f"+994{digits}"


def validate_phone(value: str) -> None:
    normalise_phone(value)


def age_on(birth, day) -> int:
    """Full years between a date of birth and a day."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


class ObserverQuerySet(models.QuerySet):
    def of_election(self, election: "Election | int") -> "ObserverQuerySet":
        return self.filter(election=election)

    def with_status(self, status: str) -> "ObserverQuerySet":
        return self.filter(status=status)

    def with_places(self) -> "ObserverQuerySet":
        return self.select_related("election", "region")

    def search(self, text: str) -> "ObserverQuerySet":
        text = text.strip()
        if not text:
            return self
        query = models.Q(full_name__icontains=text)
        digits = "".join(_PHONE_DIGITS.findall(text))
        if digits:
            query |= models.Q(phone__contains=digits)
        return self.filter(query)


class Observer(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        VETTED = "vetted", _("Vetted")
        TRAINED = "trained", _("Trained")
        ACCREDITED = "accredited", _("Accredited")
        DEPLOYED = "deployed", _("Deployed")
        REJECTED = "rejected", _("Rejected")

    class Language(models.TextChoices):
        AZ = "az", _("Azerbaijani")
        EN = "en", _("English")
        RU = "ru", _("Russian")

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.PROTECT, related_name="observers"
    )
    full_name = models.CharField(_("full name"), max_length=200)
    phone = models.CharField(
        _("phone"),
        max_length=13,
        validators=[validate_phone],
        help_text=_("+994 followed by nine digits, for example +994 50 123 45 67."),
    )
    email = models.EmailField(_("email"), blank=True)
    date_of_birth = models.DateField(_("date of birth"))
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="observers",
        help_text=_("Where you can observe."),
    )
    language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.AZ
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.APPLIED
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        related_name="observer_records",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("applied on"), auto_now_add=True)
    # Given at accreditation: the number on the badge and in SMS reports ("OP 1042 ...").
    number = models.PositiveIntegerField(_("observer number"), null=True, blank=True)
    # The unguessable part of the badge's verification address (QR code).
    badge_code = models.CharField(max_length=32, unique=True, null=True, blank=True, editable=False)
    # Deployment: one station, or a mobile team that covers several (never both).
    station = models.ForeignKey(
        PollingStation,
        verbose_name=_("polling station"),
        on_delete=models.PROTECT,
        related_name="observers",
        null=True,
        blank=True,
    )
    mobile_team = models.ForeignKey(
        "MobileTeam",
        verbose_name=_("mobile team"),
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
    )

    objects = ObserverQuerySet.as_manager()

    class Meta:
        verbose_name = _("observer")
        verbose_name_plural = _("observers")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "phone"],
                name="observers_observer_unique_phone_per_election",
                violation_error_message=_(
                    "Someone has already applied to observe this election with this phone number."
                ),
            ),
            models.UniqueConstraint(
                fields=["election", "number"],
                name="observers_observer_unique_number_per_election",
                violation_error_message=_("Another observer of this election has this number."),
            ),
            models.CheckConstraint(
                condition=models.Q(station__isnull=True) | models.Q(mobile_team__isnull=True),
                name="observers_observer_station_or_team",
                violation_error_message=_(
                    "An observer is deployed to one station or to a mobile team, not both."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("observers_staff:observer_detail", args=[self.pk])

    @property
    def next_statuses(self) -> list[str]:
        return list(TRANSITIONS.get(self.status, ()))

    def next_status_choices(self) -> list[tuple[str, str]]:
        return [(status, Observer.Status(status).label) for status in self.next_statuses]

    def assigned_stations(self) -> "models.QuerySet[PollingStation]":
        """The stations this observer reports on: their station, or their team's."""
        if self.station_id:
            return PollingStation.objects.filter(pk=self.station_id)
        if self.mobile_team_id:
            return self.mobile_team.stations.all()
        return PollingStation.objects.none()


class MobileTeam(models.Model):
    """Observers who move between several stations on election day."""

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.CASCADE, related_name="mobile_teams"
    )
    name = models.CharField(_("name"), max_length=100)
    stations = models.ManyToManyField(
        PollingStation, verbose_name=_("polling stations"), related_name="mobile_teams"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("mobile team")
        verbose_name_plural = _("mobile teams")
        ordering = ["election", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "name"],
                name="observers_mobileteam_unique_name",
                violation_error_message=_("This election already has a mobile team of this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


S = Observer.Status
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.APPLIED: (S.VETTED, S.REJECTED),
    S.VETTED: (S.TRAINED, S.REJECTED),
    S.TRAINED: (S.ACCREDITED, S.REJECTED),
    S.ACCREDITED: (S.DEPLOYED, S.REJECTED),
}


class ObserverStatusChange(models.Model):
    """One step of an observer's way; the applicant's own application has no actor."""

    observer = models.ForeignKey(
        Observer,
        verbose_name=_("observer"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    from_status = models.CharField(
        _("from status"), max_length=12, choices=Observer.Status.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=12, choices=Observer.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("observer status change")
        verbose_name_plural = _("observer status changes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.observer}: {self.from_status or '—'} → {self.to_status}"

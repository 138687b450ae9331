"""Election observers: the people who apply to watch an election, and the record of every
step of their way from application to deployment (who moved them, and when).

Writes go through observers.services, which validates, audits and runs each change in one
transaction."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from elections.models import Election
from geo.models import PollingStation, Region
from observers.phones import MINIMUM_AGE, age_on, normalise_phone, phone_digits

__all__ = ["MINIMUM_AGE", "age_on", "normalise_phone"]

BADGE_CODE_LENGTH = 32


def validate_phone(value: str) -> None:
    normalise_phone(value)


def new_badge_code() -> str:
    """The unguessable part of a badge's verification address: 192 random bits, 32 characters."""
    return secrets.token_urlsafe(24)


class ObserverQuerySet(models.QuerySet):
    def of_election(self, election: "Election | int") -> "ObserverQuerySet":
        return self.filter(election=election)

    def with_status(self, status: str) -> "ObserverQuerySet":
        return self.filter(status=status)

    def with_places(self) -> "ObserverQuerySet":
        return self.select_related("election", "region", "station", "mobile_team")

    def search(self, text: str) -> "ObserverQuerySet":
        text = text.strip()
        if not text:
            return self
        query = models.Q(full_name__icontains=text)
        digits = phone_digits(text)
        if digits:
            query |= models.Q(phone__contains=digits)
            if len(digits) <= 6:
                query |= models.Q(number=int(digits))
        return self.filter(query)

    def with_badges(self) -> "ObserverQuerySet":
        """Observers whose badge can be printed: accredited or deployed, with a badge code."""
        return self.filter(status__in=BADGE_STATUSES, badge_code__isnull=False)

    def deployed_to_station(self) -> "ObserverQuerySet":
        return self.filter(station__isnull=False)

    def in_mobile_team(self) -> "ObserverQuerySet":
        return self.filter(mobile_team__isnull=False)

    def not_deployed(self) -> "ObserverQuerySet":
        return self.filter(station__isnull=True, mobile_team__isnull=True)


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

    @property
    def is_deployable(self) -> bool:
        """Only accredited (and already deployed) observers are given a station or a team."""
        return self.status in BADGE_STATUSES

    @property
    def has_valid_badge(self) -> bool:
        """What the public verification page says: accredited or deployed, with a badge code,
        in an election that is not closed."""
        return (
            self.status in BADGE_STATUSES
            and bool(self.badge_code)
            and self.election.status != Election.Status.CLOSED
        )

    def badge_url(self, language: str | None = None) -> str:
        """The absolute address of the badge's public verification page (the QR code)."""
        with translation.override(language or self.language or settings.LANGUAGE_CODE):
            path = reverse("observers:verify", args=[self.badge_code])
        return settings.SITE_URL.rstrip("/") + path

    def assigned_stations(self) -> "models.QuerySet[PollingStation]":
        """The stations this observer reports on: their station, or their team's."""
        if self.station_id:
            return PollingStation.objects.filter(pk=self.station_id)
        if self.mobile_team_id:
            return self.mobile_team.stations.all()
        return PollingStation.objects.none()


class MobileTeamQuerySet(models.QuerySet):
    def of_election(self, election: "Election | int") -> "MobileTeamQuerySet":
        return self.filter(election=election)

    def with_counts(self) -> "MobileTeamQuerySet":
        """Adds station_count and member_count."""
        return self.annotate(
            station_count=models.Count("stations", distinct=True),
            member_count=models.Count("members", distinct=True),
        )


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

    objects = MobileTeamQuerySet.as_manager()

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

    def get_absolute_url(self) -> str:
        return reverse("observers_staff:team_edit", args=[self.pk])


S = Observer.Status
BADGE_STATUSES = (S.ACCREDITED, S.DEPLOYED)
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

"""Elections and what is on the ballot: an election (type, date, rounds), its contests (one
national contest, or one per constituency), the ballot options of each contest (candidates,
parties, referendum answers) and the polling stations taking part.

Names are stored once per language (name_az, name_en, name_ru). Writes go through
elections.services, which validates, audits and runs each change in one transaction."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.i18n import TranslatedField
from geo.models import Constituency, PollingStation

MAX_ROUNDS = 3


def _count_of(model: type[models.Model], field: str) -> Coalesce:
    """A correlated COUNT of `model` rows whose `field` is the outer election (no join blow-up
    when several counts are annotated together)."""
    counts = (
        model.objects.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


class ElectionQuerySet(models.QuerySet):
    def with_counts(self) -> "ElectionQuerySet":
        """Adds contest_count and station_count (the stations taking part)."""
        return self.annotate(
            contest_count=_count_of(Contest, "election"),
            station_count=_count_of(ElectionStation, "election"),
        )

    def of_kind(self, kind: str) -> "ElectionQuerySet":
        return self.filter(kind=kind)

    def with_status(self, status: str) -> "ElectionQuerySet":
        return self.filter(status=status)


class Election(models.Model):
    class Kind(models.TextChoices):
        PRESIDENTIAL = "presidential", _("Presidential")
        PARLIAMENTARY = "parliamentary", _("Parliamentary")
        MUNICIPAL = "municipal", _("Municipal")
        REFERENDUM = "referendum", _("Referendum")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    name_az = models.CharField(_("name (Azerbaijani)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name = TranslatedField("name")
    election_date = models.DateField(_("election day"))
    rounds = models.PositiveSmallIntegerField(
        _("rounds"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_ROUNDS)],
        help_text=_("How many rounds of voting the election may have (1 to 3)."),
    )
    current_round = models.PositiveSmallIntegerField(
        _("current round"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_ROUNDS)],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    stations = models.ManyToManyField(
        PollingStation,
        through="ElectionStation",
        related_name="elections",
        verbose_name=_("polling stations taking part"),
        blank=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = ElectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["-election_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rounds__gte=1, rounds__lte=MAX_ROUNDS),
                name="elections_election_rounds_range",
                violation_error_message=_("An election has one to three rounds."),
            ),
            models.CheckConstraint(
                condition=Q(current_round__gte=1, current_round__lte=models.F("rounds")),
                name="elections_election_current_round_in_range",
                violation_error_message=_(
                    "The current round cannot be later than the number of rounds."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("elections_staff:election_detail", args=[self.pk])

    @property
    def has_constituency_contests(self) -> bool:
        return self.kind in {self.Kind.PARLIAMENTARY, self.Kind.MUNICIPAL}


class ContestQuerySet(models.QuerySet):
    def of_election(self, election: "Election | int") -> "ContestQuerySet":
        return self.filter(election=election)

    def in_round(self, round_number: int) -> "ContestQuerySet":
        return self.filter(round=round_number)

    def with_options(self) -> "ContestQuerySet":
        """The constituency and the ballot options (in ballot order) fetched along."""
        return self.select_related("constituency").prefetch_related(
            Prefetch("options", queryset=BallotOption.objects.order_by("ballot_number"))
        )

    def with_option_counts(self) -> "ContestQuerySet":
        return self.annotate(option_count=Count("options"))


class Contest(models.Model):
    """What voters choose in one round: nationally (a president, a referendum question) or in
    one constituency (a member of parliament)."""

    class Kind(models.TextChoices):
        NATIONAL = "national", _("National")
        CONSTITUENCY = "constituency", _("Constituency")

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.CASCADE, related_name="contests"
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    constituency = models.ForeignKey(
        Constituency,
        verbose_name=_("constituency"),
        on_delete=models.PROTECT,
        related_name="contests",
        null=True,
        blank=True,
    )
    name_az = models.CharField(_("name (Azerbaijani)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name = TranslatedField("name")
    round = models.PositiveSmallIntegerField(
        _("round"), default=1, validators=[MinValueValidator(1), MaxValueValidator(MAX_ROUNDS)]
    )

    objects = ContestQuerySet.as_manager()

    class Meta:
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        ordering = ["election", "round", "kind", "constituency__number", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="national", constituency__isnull=True)
                    | Q(kind="constituency", constituency__isnull=False)
                ),
                name="elections_contest_constituency_matches_kind",
                violation_error_message=_(
                    "A constituency contest needs a constituency; a national contest has none."
                ),
            ),
            models.UniqueConstraint(
                fields=["election", "constituency", "round"],
                name="elections_contest_unique_constituency",
                violation_error_message=_(
                    "This election already has a contest in this constituency for this round."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("elections_staff:contest_detail", args=[self.pk])


class BallotOptionQuerySet(models.QuerySet):
    def of_contest(self, contest: "Contest | int") -> "BallotOptionQuerySet":
        return self.filter(contest=contest)

    def candidates(self) -> "BallotOptionQuerySet":
        return self.filter(kind=BallotOption.Kind.CANDIDATE)


class BallotOption(models.Model):
    """One line of the ballot: a candidate, a party list, or a referendum answer."""

    class Kind(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        PARTY = "party", _("Party")
        ANSWER = "answer", _("Answer (referendum)")

    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="options"
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    name_az = models.CharField(_("name (Azerbaijani)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name = TranslatedField("name")
    party = models.CharField(
        _("party affiliation"),
        max_length=200,
        blank=True,
        help_text=_("The party that nominated the candidate; empty for independents."),
    )
    ballot_number = models.PositiveSmallIntegerField(
        _("ballot number"), validators=[MinValueValidator(1)]
    )

    objects = BallotOptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("ballot option")
        verbose_name_plural = _("ballot options")
        ordering = ["contest", "ballot_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "ballot_number"],
                name="elections_option_unique_ballot_number",
                violation_error_message=_("Another option of this contest has this number."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.ballot_number}. {self.name}"


class ElectionStationQuerySet(models.QuerySet):
    def of_election(self, election: "Election | int") -> "ElectionStationQuerySet":
        return self.filter(election=election)

    def with_places(self) -> "ElectionStationQuerySet":
        return self.select_related("station__constituency__district__region")


class ElectionStation(models.Model):
    """A polling station taking part in an election."""

    election = models.ForeignKey(
        Election,
        verbose_name=_("election"),
        on_delete=models.CASCADE,
        related_name="election_stations",
    )
    station = models.ForeignKey(
        PollingStation,
        verbose_name=_("polling station"),
        on_delete=models.PROTECT,
        related_name="election_stations",
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    objects = ElectionStationQuerySet.as_manager()

    class Meta:
        verbose_name = _("participating polling station")
        verbose_name_plural = _("participating polling stations")
        ordering = ["election", "station__constituency__number", "station__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "station"],
                name="elections_station_unique_in_election",
                violation_error_message=_("This polling station already takes part."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.election}: {self.station}"

"""The quick count (parallel vote tabulation): a stratified random sample of an election's
polling stations, drawn reproducibly from a recorded seed, and the estimates built from the
protocols observers send from the sample stations (statistics in electionstats.sampling and
electionstats.quickcount).

- SampleDesign: the contest, how stations are stratified, the size (from the sample-size
  calculator or chosen), the seed once drawn.
- SampleStation: a station drawn into the sample (or onto its stratum's reserve list).
- EstimateSnapshot: the estimates at one moment, kept so the convergence chart and the public
  page show what was known when.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from elections.models import Contest, Election
from geo.models import PollingStation


class SampleDesign(models.Model):
    class Stratification(models.TextChoices):
        NONE = "none", _("No strata (simple random sample)")
        REGION = "region", _("Region")
        DISTRICT = "district", _("District")
        REGION_SETTLEMENT_SIZE = "region_size", _("Region × large or small station")

    class Allocation(models.TextChoices):
        STATIONS = "stations", _("In proportion to the number of stations")
        VOTERS = "voters", _("In proportion to registered voters")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        DRAWN = "drawn", _("Drawn")

    election = models.ForeignKey(
        Election,
        verbose_name=_("election"),
        on_delete=models.CASCADE,
        related_name="sample_designs",
    )
    contest = models.ForeignKey(
        Contest,
        verbose_name=_("contest"),
        on_delete=models.CASCADE,
        related_name="sample_designs",
    )
    name = models.CharField(_("name"), max_length=200)
    stratify_by = models.CharField(
        _("strata"), max_length=12, choices=Stratification.choices, default=Stratification.REGION
    )
    allocation = models.CharField(
        _("allocation"), max_length=10, choices=Allocation.choices, default=Allocation.STATIONS
    )
    target_margin = models.DecimalField(
        _("target margin of error (percentage points)"),
        max_digits=4,
        decimal_places=2,
        default=2,
        validators=[MinValueValidator(0.1), MaxValueValidator(20)],
    )
    confidence = models.DecimalField(
        _("confidence (%)"),
        max_digits=4,
        decimal_places=1,
        default=95,
        validators=[MinValueValidator(80), MaxValueValidator(99.9)],
    )
    sample_size = models.PositiveIntegerField(_("sample size (stations)"))
    reserve_per_stratum = models.PositiveSmallIntegerField(
        _("reserve stations per stratum"), default=0
    )
    min_reports = models.PositiveSmallIntegerField(
        _("fewest reports for a reliable margin"), default=30
    )
    seed = models.BigIntegerField(_("random seed"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    drawn_at = models.DateTimeField(_("drawn"), null=True, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drawn by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
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
        verbose_name = _("sample design")
        verbose_name_plural = _("sample designs")
        ordering = ["-created_at", "pk"]
        permissions = [
            ("view_quickcount", _("Can see the quick count and its estimates")),
            ("manage_sample", _("Can design and draw the quick-count sample")),
            ("publish_quickcount", _("Can publish quick-count estimates")),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("quickcount_staff:design_detail", args=[self.pk])


class SampleStation(models.Model):
    design = models.ForeignKey(
        SampleDesign, verbose_name=_("sample"), on_delete=models.CASCADE, related_name="stations"
    )
    station = models.ForeignKey(
        PollingStation,
        verbose_name=_("polling station"),
        on_delete=models.PROTECT,
        related_name="sample_memberships",
    )
    stratum = models.CharField(_("stratum"), max_length=200)
    #: 0 for a sample station; 1, 2, … for the stratum's reserve list, in the order to use it.
    reserve_rank = models.PositiveSmallIntegerField(_("reserve rank"), default=0)

    class Meta:
        verbose_name = _("sample station")
        verbose_name_plural = _("sample stations")
        ordering = ["design", "reserve_rank", "stratum", "station__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["design", "station"], name="quickcount_station_once_per_design"
            )
        ]
        indexes = [models.Index(fields=["design", "reserve_rank"])]

    def __str__(self) -> str:
        return f"{self.design} · {self.station}"

    @property
    def is_reserve(self) -> bool:
        return self.reserve_rank > 0


class EstimateSnapshot(models.Model):
    """The estimates at one moment (electionstats.quickcount.QuickCountResult.to_dict())."""

    design = models.ForeignKey(
        SampleDesign, verbose_name=_("sample"), on_delete=models.CASCADE, related_name="snapshots"
    )
    taken_at = models.DateTimeField(_("taken"), db_index=True)
    n_reported = models.PositiveIntegerField(_("sample stations reported"))
    result = models.JSONField(_("estimates"), default=dict)
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("quick-count estimate")
        verbose_name_plural = _("quick-count estimates")
        ordering = ["design", "taken_at"]

    def __str__(self) -> str:
        return f"{self.design} · {self.taken_at:%Y-%m-%d %H:%M}"

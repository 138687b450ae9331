"""Where elections happen: economic regions, administrative districts, constituencies and
polling stations. Names are stored once per language (name_az, name_en, name_ru)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.i18n import TranslatedField


class Region(models.Model):
    """An economic region (iqtisadi rayon)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_az = models.CharField(_("name (Azerbaijani)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name = TranslatedField("name")

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name_az"]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """An administrative district (rayon) or a city with district status."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="districts"
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_az = models.CharField(_("name (Azerbaijani)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name = TranslatedField("name")

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name_az"]

    def __str__(self) -> str:
        return self.name


class Constituency(models.Model):
    """An election constituency (seçki dairəsi), numbered 1-125 in Azerbaijan."""

    number = models.PositiveIntegerField(_("number"), unique=True)
    name_az = models.CharField(_("name (Azerbaijani)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name = TranslatedField("name")
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="constituencies",
    )

    class Meta:
        verbose_name = _("constituency")
        verbose_name_plural = _("constituencies")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class PollingStationQuerySet(models.QuerySet):
    def in_region(self, region: Region) -> "PollingStationQuerySet":
        return self.filter(constituency__district__region=region)

    def with_places(self) -> "PollingStationQuerySet":
        return self.select_related("constituency__district__region")


class PollingStation(models.Model):
    """A polling station (seçki məntəqəsi). `code` is "<constituency>-<number>", e.g. "12-034"."""

    constituency = models.ForeignKey(
        Constituency,
        verbose_name=_("constituency"),
        on_delete=models.PROTECT,
        related_name="stations",
    )
    number = models.PositiveIntegerField(_("station number"))
    code = models.CharField(_("code"), max_length=20, unique=True)
    name_az = models.CharField(_("name (Azerbaijani)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=300, blank=True)
    name = TranslatedField("name")
    address = models.CharField(_("address"), max_length=300)
    settlement = models.CharField(_("settlement"), max_length=120, db_index=True)
    registered_voters = models.PositiveIntegerField(
        _("registered voters"), validators=[MaxValueValidator(10000)]
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )

    objects = PollingStationQuerySet.as_manager()

    class Meta:
        verbose_name = _("polling station")
        verbose_name_plural = _("polling stations")
        ordering = ["constituency__number", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["constituency", "number"], name="geo_station_number_unique_in_constituency"
            )
        ]
        permissions = [("import_geography", _("Can import regions, districts and stations"))]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

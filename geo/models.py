"""Where elections happen: economic regions, administrative districts, constituencies and
polling stations. Names are stored once per language (name_az, name_en, name_ru)."""

import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.i18n import TranslatedField
from geo.importing import AZERBAIJAN_BOUNDS, Bounds, station_code
from geo.search import search_key, search_terms

_CODE_QUERY = re.compile(r"^\s*(\d+)\s*[-/. ]\s*(\d+)\s*$")


def country_bounds() -> Bounds:
    """The box stations must lie in: Azerbaijan, unless settings.GEO_COUNTRY_BOUNDS says
    otherwise as (min_latitude, max_latitude, min_longitude, max_longitude)."""
    configured = getattr(settings, "GEO_COUNTRY_BOUNDS", None)
    if not configured:
        return AZERBAIJAN_BOUNDS
    return Bounds(*(Decimal(str(value)) for value in configured))


class RegionQuerySet(models.QuerySet):
    def with_station_counts(self) -> "RegionQuerySet":
        return self.annotate(station_count=models.Count("districts__constituencies__stations"))


class Region(models.Model):
    """An economic region (iqtisadi rayon)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_az = models.CharField(_("name (Azerbaijani)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name = TranslatedField("name")

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name_az"]

    def __str__(self) -> str:
        return self.name


class DistrictQuerySet(models.QuerySet):
    def in_region(self, region: "Region | int") -> "DistrictQuerySet":
        return self.filter(region=region)


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

    objects = DistrictQuerySet.as_manager()

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name_az"]

    def __str__(self) -> str:
        return self.name


class ConstituencyQuerySet(models.QuerySet):
    def in_region(self, region: "Region | int") -> "ConstituencyQuerySet":
        return self.filter(district__region=region)

    def in_district(self, district: "District | int") -> "ConstituencyQuerySet":
        return self.filter(district=district)


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

    objects = ConstituencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("constituency")
        verbose_name_plural = _("constituencies")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class PollingStationQuerySet(models.QuerySet):
    def in_region(self, region: Region | int) -> "PollingStationQuerySet":
        return self.filter(constituency__district__region=region)

    def in_district(self, district: District | int) -> "PollingStationQuerySet":
        return self.filter(constituency__district=district)

    def in_constituency(self, constituency: Constituency | int) -> "PollingStationQuerySet":
        return self.filter(constituency=constituency)

    def with_places(self) -> "PollingStationQuerySet":
        return self.select_related("constituency__district__region")

    def with_coordinates(self) -> "PollingStationQuerySet":
        return self.filter(latitude__isnull=False, longitude__isnull=False)

    def around(
        self, latitude: Decimal, longitude: Decimal, *, degrees: Decimal
    ) -> "PollingStationQuerySet":
        """Stations in a box of +/- `degrees` around a point (then sort by distance)."""
        return self.filter(
            latitude__range=(latitude - degrees, latitude + degrees),
            longitude__range=(longitude - degrees, longitude + degrees),
        )

    def search(self, query: str) -> "PollingStationQuerySet":
        """Stations matching a code ("12-034"), a station number ("34") or words of the name,
        address, settlement or place names, spelling-tolerant ("Sheki" finds "Şəki").
        Exact code and number matches come first."""
        query = (query or "").strip()
        if not query:
            return self
        code_match = _CODE_QUERY.match(query)
        if code_match:
            # "12-3" while typing: the exact station 12-003 first, then 12-3xx.
            constituency, number = int(code_match[1]), code_match[2]
            code = station_code(constituency, int(number))
            return (
                self.filter(Q(code=code) | Q(code__startswith=f"{constituency}-{number}"))
                .annotate(
                    search_rank=Case(
                        When(code=code, then=Value(0)),
                        default=Value(1),
                        output_field=IntegerField(),
                    )
                )
                .order_by("search_rank", "constituency__number", "number")
            )
        terms = search_terms(query)
        if not terms:
            return self.none()  # only punctuation: nothing to look for
        words = Q()
        for term in terms:
            words &= Q(search_text__contains=term)
        matches = words
        rank = Value(2)
        if query.isdigit():
            number = int(query)
            matches = Q(number=number) | Q(constituency__number=number) | words
            rank = Case(
                When(number=number, then=Value(0)),
                When(constituency__number=number, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        return (
            self.filter(matches)
            .annotate(search_rank=rank)
            .order_by("search_rank", "constituency__number", "number")
        )


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
    # Folded words of the code, names, address and places, for spelling-tolerant search
    # (see geo.search); kept up to date by save() and by the bulk writers in geo.services.
    search_text = models.TextField(_("search text"), blank=True, editable=False)

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

    def save(self, *args, **kwargs):
        if self.constituency_id is not None and self.number is not None:
            self.code = station_code(self.constituency.number, self.number)
        self.search_text = self.build_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "code", "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("geo:station_detail", args=[self.code])

    def clean(self) -> None:
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            field = "longitude" if self.longitude is None else "latitude"
            raise ValidationError({field: _("Give both latitude and longitude, or neither.")})
        if self.latitude is not None and self.longitude is not None:
            bounds = country_bounds()
            errors = {}
            if not bounds.min_latitude <= Decimal(self.latitude) <= bounds.max_latitude:
                errors["latitude"] = _("This latitude is outside the country.")
            if not bounds.min_longitude <= Decimal(self.longitude) <= bounds.max_longitude:
                errors["longitude"] = _("This longitude is outside the country.")
            if errors:
                raise ValidationError(errors)

    def build_search_text(self) -> str:
        parts = [self.code, str(self.number or ""), self.name_az, self.name_en, self.name_ru]
        parts += [self.address, self.settlement]
        constituency = self.constituency if self.constituency_id else None
        if constituency is not None:
            # Not the region: "Şəki" should find the town, not all of Şəki-Zaqatala.
            for place in (constituency, constituency.district):
                parts += [place.name_az, place.name_en, place.name_ru]
        return " ".join(search_key(part) for part in parts if part)

    @property
    def has_position(self) -> bool:
        return self.latitude is not None and self.longitude is not None

"""Forms of the quick-count pages; the rules themselves are in quickcount.services."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from elections.models import Contest, Election
from geo.models import Region
from observers.models import BADGE_STATUSES, Observer
from quickcount.models import SampleDesign, SampleStation


class ContestChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Contest) -> str:
        return f"{obj.election.name} · {obj.name}"


class DesignForm(forms.ModelForm):
    contest = ContestChoiceField(
        label=_("Contest"),
        queryset=Contest.objects.select_related("election").order_by(
            "-election__election_date", "pk"
        ),
    )
    sample_size = forms.IntegerField(
        label=_("Sample size (stations)"),
        required=False,
        min_value=2,
        help_text=_("Leave empty to use the calculator's size for the margin and confidence."),
    )

    class Meta:
        model = SampleDesign
        fields = [
            "name",
            "contest",
            "stratify_by",
            "allocation",
            "target_margin",
            "confidence",
            "sample_size",
            "reserve_per_stratum",
            "min_reports",
        ]

    def __init__(self, *args, election: Election | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if election is not None:
            self.fields["contest"].queryset = self.fields["contest"].queryset.filter(
                election=election
            )
        self.fields["reserve_per_stratum"].widget.attrs["max"] = 50
        self.fields["min_reports"].widget.attrs["min"] = 2

    def clean_reserve_per_stratum(self):
        value = self.cleaned_data["reserve_per_stratum"]
        if value is not None and value > 50:
            raise forms.ValidationError(_("Keep at most 50 reserve stations per stratum."))
        return value

    def clean_min_reports(self):
        value = self.cleaned_data["min_reports"]
        if value is not None and value < 2:
            raise forms.ValidationError(_("At least two reports are needed for a margin."))
        return value


class CalculatorForm(forms.Form):
    margin = forms.DecimalField(
        label=_("Margin of error (± percentage points)"),
        min_value=Decimal("0.1"),
        max_value=Decimal("20"),
        decimal_places=2,
        initial=Decimal("2"),
    )
    confidence = forms.DecimalField(
        label=_("Confidence (%)"),
        min_value=Decimal("80"),
        max_value=Decimal("99.9"),
        decimal_places=1,
        initial=Decimal("95"),
    )
    deff = forms.DecimalField(
        label=_("Design effect"),
        min_value=Decimal("0.01"),
        max_value=Decimal("10"),
        decimal_places=3,
        initial=Decimal("1"),
        required=False,
        help_text=_(
            "1 is the cautious rule of thumb. Past results usually show a smaller value for "
            "station-level shares."
        ),
    )
    population = forms.IntegerField(
        label=_("Stations in the frame"),
        min_value=1,
        max_value=10_000_000,
        required=False,
        help_text=_("Leave empty for an unlimited population."),
    )


class DrawForm(forms.Form):
    seed = forms.IntegerField(
        label=_("Random seed"),
        required=False,
        min_value=0,
        max_value=2**63 - 1,
        help_text=_(
            "Leave empty for a new random seed. Give a recorded seed to draw the same sample again."
        ),
    )


class ResetForm(forms.Form):
    reason = forms.CharField(
        label=_("Why reset the sample?"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssignObserverForm(forms.Form):
    sample_station = forms.ModelChoiceField(
        label=_("Sample station"), queryset=SampleStation.objects.none()
    )
    observer = forms.ModelChoiceField(label=_("Observer"), queryset=Observer.objects.none())

    def __init__(self, *args, design: SampleDesign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sample_station"].queryset = design.stations.select_related("station")
        self.fields["sample_station"].label_from_instance = lambda item: (
            f"{item.station.code} · {item.station.name}"
        )
        self.fields["observer"].queryset = Observer.objects.filter(
            election=design.election_id, status__in=BADGE_STATUSES
        ).order_by("full_name")
        self.fields["observer"].label_from_instance = lambda o: (
            f"{o.full_name}" + (f" (№ {o.number})" if o.number else "")
        )


class SampleFilterForm(forms.Form):
    COVERAGE = [
        ("", _("Any coverage")),
        ("covered", _("With an observer")),
        ("uncovered", _("Without an observer")),
    ]
    KIND = [
        ("", _("Sample and reserve")),
        ("sample", _("Sample stations")),
        ("reserve", _("Reserve stations")),
    ]
    q = forms.CharField(label=_("Station code"), required=False, max_length=40)
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.none(), required=False
    )
    kind = forms.ChoiceField(label=_("Stations"), choices=KIND, required=False)
    coverage = forms.ChoiceField(label=_("Coverage"), choices=COVERAGE, required=False)

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions if regions is not None else Region.objects.all()

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data.get("q"):
            queryset = queryset.filter(station__code__icontains=data["q"].strip())
        if data.get("region"):
            queryset = queryset.filter(station__constituency__district__region=data["region"])
        if data.get("kind") == "sample":
            queryset = queryset.filter(reserve_rank=0)
        elif data.get("kind") == "reserve":
            queryset = queryset.filter(reserve_rank__gt=0)
        return queryset

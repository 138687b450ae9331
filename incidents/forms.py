"""Forms of the incident pages; the rules are checked and the writes made by
incidents.services."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from elections.models import Election
from geo.importing import station_code
from geo.models import PollingStation, Region
from incidents.models import SUMMARY_LANGUAGES, Incident, IncidentCategory
from incidents.services import MAX_FILES, NOTE_MAX, REPORTER_FIELD_MAX, SUMMARY_MAX

_STATION_CODE = re.compile(r"^\s*(\d{1,3})\s*[-/. ]\s*(\d{1,4})\s*$")
ACCEPTED_MEDIA = "image/jpeg,image/png,image/webp,video/mp4,video/webm,video/quicktime"


def find_station(code: str) -> PollingStation | None:
    """The station with this code, written as "12-034", "12-34" or "12/34"."""
    match = _STATION_CODE.match(code or "")
    if not match:
        return None
    return PollingStation.objects.filter(code=station_code(int(match[1]), int(match[2]))).first()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; their types and sizes are checked by the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_MEDIA}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        if not isinstance(data, list | tuple):
            data = [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in data]


def open_elections():
    return Election.objects.with_status(Election.Status.ACTIVE).order_by("election_date", "pk")


def active_categories():
    return IncidentCategory.objects.filter(active=True)


class ReportForm(forms.Form):
    """The public report. The honeypot and the signed timestamp are checked by the view."""

    election = forms.ModelChoiceField(
        label=_("Election"), queryset=Election.objects.none(), empty_label=None
    )
    category = forms.ModelChoiceField(
        label=_("Kind of incident"),
        queryset=IncidentCategory.objects.none(),
        empty_label=_("Choose a category"),
    )
    severity = forms.ChoiceField(
        label=_("How serious is it"),
        choices=Incident.Severity.choices,
        initial=Incident.Severity.MEDIUM,
    )
    occurred_at = forms.DateTimeField(
        label=_("When it happened"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("The date and time, as near as you know them."),
    )
    station_code = forms.CharField(
        label=_("Polling station code"),
        required=False,
        max_length=20,
        help_text=_('Optional, for example "12-034". You can find it on the station\'s door.'),
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("Choose a region"),
        help_text=_("Needed when you do not give a station code."),
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        max_digits=8,
        decimal_places=5,
        widget=forms.NumberInput(attrs={"step": "0.00001", "inputmode": "decimal"}),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        max_digits=8,
        decimal_places=5,
        widget=forms.NumberInput(attrs={"step": "0.00001", "inputmode": "decimal"}),
        help_text=_(
            "Optional. The public map never shows this exact point, only the area around it."
        ),
    )
    description = forms.CharField(
        label=_("What you saw"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_(
            "Describe what happened, who did what and how many people were involved. "
            "This text is read only by our staff; it is never published."
        ),
    )
    files = MultipleFileField(
        label=_("Photos or videos"),
        required=False,
        help_text=_(
            "Optional, up to %(count)d files: photos (JPEG, PNG, WebP, at most 10 MB each) or "
            "videos (MP4, WebM, MOV, at most 50 MB each)."
        )
        % {"count": MAX_FILES},
    )
    name = forms.CharField(
        label=_("Your name"),
        required=False,
        max_length=REPORTER_FIELD_MAX,
        help_text=_("Optional. Leave it empty to report anonymously."),
    )
    contact = forms.CharField(
        label=_("Phone or email"),
        required=False,
        max_length=REPORTER_FIELD_MAX,
        help_text=_(
            "Optional, if we may contact you about your report. Only our staff can read it."
        ),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["election"].queryset = open_elections()
        self.fields["category"].queryset = active_categories()
        self.fields["name"].widget.attrs["autocomplete"] = "off"
        self.fields["contact"].widget.attrs["autocomplete"] = "off"
        self.fields["station_code"].widget.attrs.update(
            {"autocomplete": "off", "spellcheck": "false"}
        )

    def clean_station_code(self):
        code = self.cleaned_data.get("station_code", "").strip()
        if not code:
            return None
        station = find_station(code)
        if station is None:
            raise forms.ValidationError(_("There is no polling station with this code."))
        return station

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "election": data["election"],
            "category": data["category"],
            "severity": data["severity"],
            "occurred_at": data["occurred_at"],
            "station": data["station_code"],
            "region": data["region"],
            "latitude": data["latitude"],
            "longitude": data["longitude"],
            "description": data["description"],
            "name": data["name"],
            "contact": data["contact"],
            "files": data["files"],
        }


# The service's field names, where the form's differ.
REPORT_FIELD_NAMES = {"station": "station_code"}


class PublicFilterForm(forms.Form):
    """Filters of the public list and map."""

    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=IncidentCategory.objects.all(),
        required=False,
        empty_label=_("All categories"),
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("All regions"),
    )

    def filter(self, incidents):
        if not self.is_valid():
            return incidents
        if self.cleaned_data["category"]:
            incidents = incidents.filter(category=self.cleaned_data["category"])
        if self.cleaned_data["region"]:
            incidents = incidents.filter(region=self.cleaned_data["region"])
        return incidents


class IncidentFilterForm(forms.Form):
    """Filters of the staff list."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All statuses")), *Incident.Status.choices],
        required=False,
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=IncidentCategory.objects.all(),
        required=False,
        empty_label=_("All categories"),
    )
    severity = forms.ChoiceField(
        label=_("Severity"),
        choices=[("", _("All levels")), *Incident.Severity.choices],
        required=False,
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("All regions"),
    )
    election = forms.ModelChoiceField(
        label=_("Election"),
        queryset=Election.objects.all(),
        required=False,
        empty_label=_("All elections"),
    )

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions if regions is not None else Region.objects.all()

    def filter(self, incidents):
        if not self.is_valid():
            return incidents
        data = self.cleaned_data
        if data["status"]:
            incidents = incidents.with_status(data["status"])
        if data["severity"]:
            incidents = incidents.filter(severity=data["severity"])
        for name in ("category", "region", "election"):
            if data[name]:
                incidents = incidents.filter(**{name: data[name]})
        return incidents


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Next step"), choices=Incident.Status.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    public_summary_az = forms.CharField(
        label=_("Public summary (Azerbaijani)"),
        required=False,
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    public_summary_en = forms.CharField(
        label=_("Public summary (English)"),
        required=False,
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    public_summary_ru = forms.CharField(
        label=_("Public summary (Russian)"),
        required=False,
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def summaries(self) -> dict[str, str]:
        return {code: self.cleaned_data[f"public_summary_{code}"] for code in SUMMARY_LANGUAGES}


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class ClassifyForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=IncidentCategory.objects.all(), empty_label=None
    )
    severity = forms.ChoiceField(label=_("Severity"), choices=Incident.Severity.choices)


class CategoryForm(forms.ModelForm):
    class Meta:
        model = IncidentCategory
        fields = ["code", "name_az", "name_en", "name_ru", "position", "active"]

    def _post_clean(self):
        # The model's checks run in the service (incidents.services.category_*).
        pass

"""Forms of the observer pages; saving goes through observers.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from elections.models import Election
from geo.models import PollingStation, Region
from observers.models import MobileTeam, Observer

MAX_FILE_SIZE = 10 * 1024 * 1024


class ApplicationForm(forms.ModelForm):
    """The public application. The rules (an open election, age on election day, one
    application per phone number) are checked by observers.services.observer_apply."""

    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        help_text=Observer._meta.get_field("phone").help_text,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    class Meta:
        model = Observer
        fields = ["full_name", "phone", "email", "date_of_birth", "region", "language"]
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["email"].help_text = _("Optional.")
        self.fields["region"].empty_label = _("Choose a region")

    def _post_clean(self):
        # The model's own checks run in the service, with the election known.
        pass


class ObserverFilterForm(forms.Form):
    election = forms.ModelChoiceField(
        label=_("Election"),
        queryset=Election.objects.all(),
        required=False,
        empty_label=_("All elections"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All statuses")), *Observer.Status.choices],
        required=False,
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("All regions"),
    )
    deployment = forms.ChoiceField(
        label=_("Deployment"),
        choices=[
            ("", _("Any deployment")),
            ("station", _("Deployed to a station")),
            ("team", _("In a mobile team")),
            ("none", _("Not deployed")),
        ],
        required=False,
    )
    q = forms.CharField(label=_("Name, phone or number"), required=False, max_length=100)

    def filter(self, observers):
        if not self.is_valid():
            return observers
        data = self.cleaned_data
        if data["election"]:
            observers = observers.of_election(data["election"])
        if data["status"]:
            observers = observers.with_status(data["status"])
        if data["region"]:
            observers = observers.filter(region=data["region"])
        if data["deployment"] == "station":
            observers = observers.deployed_to_station()
        elif data["deployment"] == "team":
            observers = observers.in_mobile_team()
        elif data["deployment"] == "none":
            observers = observers.not_deployed()
        return observers.search(data["q"] or "")


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Next step"), choices=Observer.Status.choices)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class BulkTransitionForm(forms.Form):
    observers = forms.ModelMultipleChoiceField(
        label=_("Observers"),
        queryset=Observer.objects.all(),
        error_messages={"required": _("Choose at least one observer.")},
    )
    to_status = forms.ChoiceField(
        label=_("Move the chosen observers to"),
        choices=[s for s in Observer.Status.choices if s[0] != Observer.Status.APPLIED],
    )


def _open_elections():
    return Election.objects.exclude(status=Election.Status.CLOSED)


class ImportFileField(forms.FileField):
    widget = forms.ClearableFileInput(
        attrs={
            "accept": ".csv,.xlsx,text/csv,"
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        }
    )

    def clean(self, *args, **kwargs):
        upload = super().clean(*args, **kwargs)
        if upload is None:
            return upload
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Upload a CSV (.csv) or Excel (.xlsx) file."))
        if upload.size > MAX_FILE_SIZE:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


class ObserverImportForm(forms.Form):
    election = forms.ModelChoiceField(
        label=_("Election"),
        queryset=_open_elections(),
        empty_label=_("Choose an election"),
        help_text=_("The observers are imported into this election."),
    )
    file = ImportFileField(
        label=_("Observer list (CSV or XLSX)"),
        help_text=_("UTF-8 CSV separated by commas or semicolons, or an Excel .xlsx workbook."),
    )


class DeploymentImportForm(forms.Form):
    election = forms.ModelChoiceField(
        label=_("Election"), queryset=_open_elections(), empty_label=_("Choose an election")
    )
    file = ImportFileField(
        label=_("Deployment list (CSV or XLSX)"),
        help_text=_("UTF-8 CSV separated by commas or semicolons, or an Excel .xlsx workbook."),
    )
    mark_deployed = forms.BooleanField(
        label=_("Also mark accredited observers as deployed"), required=False, initial=True
    )


class ConfirmImportForm(forms.Form):
    """The checked file, signed, carried from the preview to the confirmation."""

    payload = forms.CharField(widget=forms.HiddenInput)


class DeploymentForm(forms.Form):
    """Where an observer goes: a station (by code) or a mobile team of their election."""

    station_code = forms.CharField(
        label=_("Polling station code"),
        required=False,
        max_length=20,
        help_text=_("A station taking part in the election, e.g. 12-034."),
    )
    mobile_team = forms.ModelChoiceField(
        label=_("or mobile team"),
        queryset=MobileTeam.objects.none(),
        required=False,
        empty_label=_("No mobile team"),
    )

    def __init__(self, *args, observer: Observer, **kwargs):
        super().__init__(*args, **kwargs)
        self.observer = observer
        self.fields["mobile_team"].queryset = MobileTeam.objects.of_election(observer.election_id)
        if not self.is_bound:
            self.initial = {
                "station_code": observer.station.code if observer.station_id else "",
                "mobile_team": observer.mobile_team_id,
            }

    def clean_station_code(self):
        # A "choose" button of the station search sends the code as pick_station.
        code = (self.data.get("pick_station") or self.cleaned_data["station_code"]).strip()
        if not code:
            return None
        station = PollingStation.objects.filter(code=code).first()
        if station is None:
            raise forms.ValidationError(
                _("There is no polling station %(code)s.") % {"code": code[:20]}
            )
        return station

    def clean(self):
        data = super().clean()
        if self.data.get("pick_station"):
            data["mobile_team"] = None
        return data


class MobileTeamForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    stations = forms.ModelMultipleChoiceField(
        label=_("Polling stations"),
        queryset=PollingStation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, election: Election, **kwargs):
        super().__init__(*args, **kwargs)
        self.election = election
        self.fields["stations"].queryset = PollingStation.objects.filter(
            election_stations__election=election
        ).with_places()


class BadgeOptionsForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the badge"),
        choices=[("", _("Each observer's own language")), *Observer.Language.choices],
        required=False,
    )
    size = forms.ChoiceField(
        label=_("Size"),
        choices=[("a6", _("A6 (105 × 148 mm)")), ("card", _("Card (85.6 × 54 mm)"))],
        required=False,
    )

    def options(self) -> tuple[str, str]:
        if not self.is_valid():
            return "", "a6"
        return self.cleaned_data["language"], self.cleaned_data["size"] or "a6"

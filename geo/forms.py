"""Forms of the public station search and the staff geography pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from geo.models import Constituency, District, PollingStation, Region
from geo.services import MAX_FILE_SIZE


def _grouped(items, group_of) -> list:
    """Choices grouped under a heading (<optgroup>), in the order given."""
    groups: dict[str, list] = {}
    for item in items:
        groups.setdefault(group_of(item), []).append((item.pk, str(item)))
    return list(groups.items())


def constituency_choices(empty_label) -> list:
    constituencies = Constituency.objects.select_related("district__region").order_by("number")
    return [("", empty_label), *_grouped(constituencies, lambda c: c.district.region.name)]


class StationSearchForm(forms.Form):
    """The public "find my polling station" search."""

    q = forms.CharField(
        label=_("Station number, settlement or address"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}
        ),
        help_text=_('For example "12-034", "Şəki" or "Nizami küçəsi".'),
    )
    constituency = forms.TypedChoiceField(
        label=_("Constituency"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["constituency"].choices = constituency_choices(_("All constituencies"))


class StationFilterForm(forms.Form):
    """Filters of the staff station list."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    region = forms.TypedChoiceField(label=_("Region"), required=False, coerce=int, empty_value=None)
    district = forms.TypedChoiceField(
        label=_("District"), required=False, coerce=int, empty_value=None
    )
    constituency = forms.TypedChoiceField(
        label=_("Constituency"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.all()
        districts = District.objects.select_related("region")
        self.fields["region"].choices = [
            ("", _("All regions")),
            *[(r.pk, str(r)) for r in regions],
        ]
        self.fields["district"].choices = [
            ("", _("All districts")),
            *_grouped(districts, lambda d: d.region.name),
        ]
        self.fields["constituency"].choices = constituency_choices(_("All constituencies"))

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["region"]:
            queryset = queryset.in_region(data["region"])
        if data["district"]:
            queryset = queryset.in_district(data["district"])
        if data["constituency"]:
            queryset = queryset.in_constituency(data["constituency"])
        return queryset.search(data["q"])


class StationForm(forms.ModelForm):
    """A station's details; saved through geo.services so every change is audited."""

    class Meta:
        model = PollingStation
        fields = [
            "constituency",
            "number",
            "name_az",
            "name_en",
            "name_ru",
            "address",
            "settlement",
            "registered_voters",
            "latitude",
            "longitude",
        ]
        help_texts = {
            "number": _("The station's code is made of the constituency and this number."),
            "latitude": _(
                "Decimal degrees, e.g. 40.40930. Leave both coordinates empty if unknown."
            ),
            "longitude": _("Decimal degrees, e.g. 49.86710."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["constituency"]
        field.queryset = Constituency.objects.select_related("district__region")
        field.choices = constituency_choices(field.empty_label)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Station list (CSV or XLSX)"),
        help_text=_("UTF-8 CSV separated by commas or semicolons, or an Excel .xlsx workbook."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Upload a CSV (.csv) or Excel (.xlsx) file."))
        if upload.size > MAX_FILE_SIZE:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload

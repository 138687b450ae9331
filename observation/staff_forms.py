"""Forms of the coordinators' election-day pages: the filters (form, region, state, search),
acknowledging an alert, settling a disagreement and setting a coordinator's regions.

The region choices are only the regions the person may watch, so a coordinator cannot even
ask for another region's stations."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from geo.models import Region
from observation.dashboard import StationState
from questionnaires.models import Questionnaire

NOTE_MAX_LENGTH = 2000


def _region_queryset(region_ids):
    regions = Region.objects.all()
    if region_ids is not None:
        regions = regions.filter(pk__in=region_ids)
    return regions.order_by("name_az")


class FormChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Questionnaire) -> str:
        return f"{obj.code} · {obj.name}"


class PictureFilterForm(forms.Form):
    """Which form (and optionally which region) the results, map and exports show."""

    form = FormChoiceField(
        label=_("Form"),
        queryset=Questionnaire.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of this election's forms.")},
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("All my regions"),
        error_messages={"invalid_choice": _("Choose one of the regions you watch.")},
    )

    def __init__(self, data=None, *, forms_of_election: list, region_ids, **kwargs):
        # Without a choice, the first form is shown (a GET without parameters is valid).
        if forms_of_election and (data is None or not data.get("form")):
            data = data.copy() if data is not None else {}
            data["form"] = str(forms_of_election[0].pk)
        super().__init__(data, **kwargs)
        self.fields["form"].queryset = Questionnaire.objects.filter(
            pk__in=[form.pk for form in forms_of_election]
        ).order_by("position", "pk")
        self.fields["region"].queryset = _region_queryset(region_ids)


class StationFilterForm(PictureFilterForm):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("Any state")), *StationState.CHOICES],
        error_messages={"invalid_choice": _("Choose missing, reported, conflict or alert.")},
    )
    q = forms.CharField(
        label=_("Station code or name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class AlertFilterForm(forms.Form):
    HANDLED_CHOICES = [
        ("open", _("Not handled yet")),
        ("handled", _("Handled")),
        ("all", _("All alerts")),
    ]

    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=HANDLED_CHOICES,
        error_messages={"invalid_choice": _("Choose which alerts to show.")},
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("All my regions"),
        error_messages={"invalid_choice": _("Choose one of the regions you watch.")},
    )

    def __init__(self, data=None, *, region_ids, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["region"].queryset = _region_queryset(region_ids)

    @property
    def handled(self) -> bool | None:
        show = self.cleaned_data.get("show") if self.is_valid() else "open"
        return {"open": False, "handled": True}.get(show or "open")


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: called the observer, informed the lawyer on duty."),
        error_messages={"required": _("Write what was done about this alert.")},
    )


class ResolveForm(forms.Form):
    """A coordinator picks one of the values the station's observers sent for a question."""

    question = forms.CharField(max_length=10, widget=forms.HiddenInput)
    value = forms.ChoiceField(
        label=_("The station's answer"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the answer that stands for the station."),
            "invalid_choice": _("Choose one of the answers the observers sent."),
        },
    )

    def __init__(self, data=None, *, candidates: dict[str, list[tuple[str, str]]], **kwargs):
        """`candidates`: {question code: [(encoded value, as read)]} for the questions that
        may be settled."""
        super().__init__(data, **kwargs)
        self.candidates = candidates
        question = (data or {}).get("question") or ""
        self.fields["value"].choices = candidates.get(question, [])

    def clean_question(self) -> str:
        question = self.cleaned_data["question"]
        if question not in self.candidates:
            raise forms.ValidationError(
                _("Observers do not disagree on question %(code)s; there is nothing to settle.")
                % {"code": question}
            )
        return question

    def clean_value(self):
        return json.loads(self.cleaned_data["value"])


class CoordinatorRegionsForm(forms.Form):
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions watched"),
        queryset=Region.objects.order_by("name_az"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The coordinator sees the stations, reports and alerts of these regions."),
        error_messages={"invalid_choice": _("Choose regions from the list.")},
    )

"""Forms of the observer pages; saving goes through observers.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from elections.models import Election
from geo.models import Region
from observers.models import Observer


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
    q = forms.CharField(label=_("Name or phone"), required=False, max_length=100)

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

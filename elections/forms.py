"""Forms of the staff election pages; saving goes through elections.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from elections.models import BallotOption, Contest, Election
from geo.forms import constituency_choices
from geo.models import Constituency, Region


class ElectionForm(forms.ModelForm):
    class Meta:
        model = Election
        fields = [
            "kind",
            "name_az",
            "name_en",
            "name_ru",
            "election_date",
            "rounds",
            "current_round",
            "status",
        ]
        widgets = {"election_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class ContestForm(forms.ModelForm):
    class Meta:
        model = Contest
        fields = ["kind", "constituency", "name_az", "name_en", "name_ru", "round"]
        help_texts = {
            "constituency": _("Only for a constituency contest."),
            "name_az": _("Leave empty to use the constituency's name (or the election's)."),
        }

    def __init__(self, *args, election: Election, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name_az"].required = False
        field = self.fields["constituency"]
        field.queryset = Constituency.objects.select_related("district__region")
        field.choices = constituency_choices(field.empty_label)
        self.fields["round"].initial = election.current_round
        self.fields["round"].widget.attrs["max"] = election.rounds

    def _post_clean(self):
        # The rules (constituency or not, one contest per constituency) are checked by
        # elections.services.contest_create, with the same messages.
        pass


class BallotOptionForm(forms.ModelForm):
    class Meta:
        model = BallotOption
        fields = ["kind", "ballot_number", "name_az", "name_en", "name_ru", "party"]
        help_texts = {"ballot_number": _("Leave empty to put the option last.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ballot_number"].required = False

    def _post_clean(self):
        # Unique numbers and the referendum rule are checked by elections.services.
        pass


class StationScopeForm(forms.Form):
    """Which stations to add to an election: all of them, or one region or constituency."""

    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("All regions"),
    )
    constituency = forms.ModelChoiceField(
        label=_("Constituency"),
        queryset=Constituency.objects.select_related("district__region"),
        required=False,
        empty_label=_("All constituencies"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["constituency"].choices = constituency_choices(_("All constituencies"))

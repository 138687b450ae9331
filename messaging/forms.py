"""Forms of the message pages; the rules (a text in some language, a subject for email, someone
to send to) are messaging.services.bulk_message_plan's."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from elections.models import Election
from geo.models import PollingStation, Region
from messaging.models import Channel, InboundSms
from messaging.services import DEPLOYED, NOT_DEPLOYED
from observers.models import MobileTeam, Observer


class RecipientFilterForm(forms.Form):
    """Which observers: also used alone for the live count of recipients."""

    election = forms.ModelChoiceField(
        label=_("Election"), queryset=Election.objects.all(), empty_label=_("Choose an election")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Every status but rejected")), *Observer.Status.choices],
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
            ("", _("Deployed or not")),
            (DEPLOYED, _("Deployed to a station or a mobile team")),
            (NOT_DEPLOYED, _("Not deployed yet")),
        ],
        required=False,
    )
    station = forms.CharField(
        label=_("Polling station"),
        required=False,
        max_length=20,
        help_text=_("A code such as 12-034: its observers, and the mobile teams that cover it."),
    )
    mobile_team = forms.ModelChoiceField(
        label=_("Mobile team"),
        queryset=MobileTeam.objects.select_related("election"),
        required=False,
        empty_label=_("Any or none"),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("All languages")), *Observer.Language.choices],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mobile_team"].label_from_instance = lambda team: (
            f"{team.name} · {team.election.name}"
        )

    def clean_station(self) -> str:
        code = self.cleaned_data["station"].strip()
        if code and not PollingStation.objects.filter(code=code).exists():
            raise forms.ValidationError(
                _("There is no polling station with the code %(code)s."), params={"code": code}
            )
        return code

    def clean(self):
        data = super().clean()
        team, election = data.get("mobile_team"), data.get("election")
        if team and election and team.election_id != election.pk:
            self.add_error("mobile_team", _("This mobile team does not belong to the election."))
        return data

    def filters(self) -> dict:
        """The chosen filter as plain JSON (ids and codes), as stored with the message."""
        data = self.cleaned_data
        return {
            "status": data.get("status") or "",
            "region": data["region"].pk if data.get("region") else None,
            "deployment": data.get("deployment") or "",
            "station": data.get("station") or "",
            "mobile_team": data["mobile_team"].pk if data.get("mobile_team") else None,
            "language": data.get("language") or "",
        }


class BulkMessageForm(RecipientFilterForm):
    channel = forms.ChoiceField(
        label=_("Send by"), choices=Channel.choices, initial=Channel.SMS, widget=forms.RadioSelect
    )
    subject = forms.CharField(
        label=_("Subject"), required=False, max_length=200, help_text=_("For email only.")
    )
    body_az = forms.CharField(
        label=_("Message in Azerbaijani"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Observers whose language has no text get the Azerbaijani one."),
    )
    body_en = forms.CharField(
        label=_("Message in English"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    body_ru = forms.CharField(
        label=_("Message in Russian"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    # The recipient count the preview showed; sending stops if it has changed since.
    expected = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def bodies(self) -> dict[str, str]:
        return {
            language: self.cleaned_data.get(f"body_{language}", "")
            for language in ("az", "en", "ru")
        }


class InboundFilterForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", _("All outcomes")), *InboundSms.Outcome.choices],
        required=False,
    )
    q = forms.CharField(label=_("Phone or text"), required=False, max_length=100)

    def filter(self, messages):
        if not self.is_valid():
            return messages
        if self.cleaned_data["outcome"]:
            messages = messages.filter(outcome=self.cleaned_data["outcome"])
        text = self.cleaned_data["q"].strip()
        if text:
            messages = messages.filter(Q(sender__contains=text) | Q(text__icontains=text))
        return messages

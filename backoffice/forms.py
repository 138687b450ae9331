"""Forms for the staff pages. They check the shape of the input; the rules live in services."""

import re

from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from api.models import Scope
from audit.models import AuditEntry
from core.forms import add_service_errors  # noqa: F401  (re-exported for the views)

_ADDRESS_RE = re.compile(r"^[0-9A-Fa-f:.]+$")


def _record_type_choices() -> list[tuple[str, str]]:
    used = AuditEntry.objects.exclude(content_type=None).values("content_type").distinct()
    choices = []
    for content_type in ContentType.objects.filter(pk__in=used):
        model = content_type.model_class()
        label = str(model._meta.verbose_name) if model else content_type.model
        choices.append((str(content_type.pk), f"{label[:1].upper()}{label[1:]}"))
    return [("", _("Any")), *sorted(choices, key=lambda choice: choice[1].lower())]


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Who"), required=False, max_length=254)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("Any")), *AuditEntry.Action.choices]
    )
    record_type = forms.ChoiceField(label=_("Record type"), required=False)
    object_id = forms.CharField(label=_("Record id"), required=False, max_length=64)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    address = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=45,
        help_text=_("A full address, or its beginning (203.0.113.)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record_type"].choices = _record_type_choices()

    def clean_address(self) -> str:
        address = self.cleaned_data["address"].strip()
        if address and not _ADDRESS_RE.match(address):
            raise ValidationError(_("An address has only digits, letters a–f, dots and colons."))
        return address

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def filter(self, entries):
        """The entries matching the valid filters (all entries if the form is not valid)."""
        if not self.is_valid():
            return entries
        data = self.cleaned_data
        entries = entries.by_actor(data["actor"]).from_address(data["address"])
        entries = entries.between(data["date_from"], data["date_to"])
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["record_type"]:
            entries = entries.filter(content_type_id=int(data["record_type"]))
        if data["object_id"].strip():
            entries = entries.filter(object_id=data["object_id"].strip())
        return entries

    def applied(self) -> dict[str, str]:
        """The filters in use, as text (recorded with an export)."""
        if not self.is_valid():
            return {}
        return {
            name: str(value) for name, value in self.cleaned_data.items() if value not in ("", None)
        }


_LANGUAGE_CHOICES = list(settings.LANGUAGES)


class UserCreateForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=32,
        required=False,
        help_text=_("Optional. For example +994 12 345 67 89."),
    )
    preferred_language = forms.ChoiceField(
        label=_("Language for emails"), choices=_LANGUAGE_CHOICES, initial=settings.LANGUAGE_CODE
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one role for a staff member.")},
        help_text=_("Each role opens only the pages its work needs."),
    )


class UserProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    phone = forms.CharField(label=_("Phone number"), max_length=32, required=False)
    preferred_language = forms.ChoiceField(
        label=_("Language for emails"), choices=_LANGUAGE_CHOICES
    )


class UserRolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("A person without any role is not staff: the staff area closes to them."),
    )


class TokenIssueForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, for example “SMS gateway” or “results import”."),
    )
    user_email = forms.EmailField(
        label=_("Acts as (email address)"),
        help_text=_(
            "The token never does more than this person's roles allow, and requests made "
            "with it are recorded as theirs."
        ),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one scope.")},
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Optional. Leave empty for a token that works until it is revoked."),
    )

    def clean_user_email(self) -> User:
        email = self.cleaned_data["user_email"]
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise ValidationError(_("There is no active user with this email address."))
        return user

    def clean_expires_on(self):
        from django.utils import timezone

        expires_on = self.cleaned_data["expires_on"]
        if expires_on is not None and expires_on <= timezone.localdate():
            raise ValidationError(_("Choose a date after today."))
        return expires_on

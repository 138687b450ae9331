"""Birlik's four programmes, as named in the association's own statement of what it does."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Programme(models.TextChoices):
    ELECTIONS = "elections", _("Elections")
    PARTICIPATION = "participation", _("Public participation")
    HUMAN_RIGHTS = "human_rights", _("Human rights")
    CIVIL_SOCIETY = "civil_society", _("Civil society")

"""Forms: one engine for election-day checklists now, and surveys and intake forms later.

A Questionnaire is a form with a stable identity (its kind, its short code for SMS, its names).
Its questions live in versions: each QuestionnaireVersion holds the whole form as JSON (the
format is documented in questionnaires.engine) and never changes once published, so an answer
always keeps the version it was given against. Staff edit a draft version; publishing it makes
it the current one.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.i18n import TranslatedField
from elections.models import Election

FORM_CODE_PATTERN = r"^[A-Z]{1,4}$"


class Questionnaire(models.Model):
    class Kind(models.TextChoices):
        OPENING = "opening", _("Opening")
        VOTING = "voting", _("Voting")
        CLOSING_COUNTING = "closing_counting", _("Closing and counting")
        INCIDENT = "incident", _("Incident")
        RESULTS = "results", _("Results protocol")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        ARCHIVED = "archived", _("Archived")

    election = models.ForeignKey(
        Election,
        verbose_name=_("election"),
        on_delete=models.PROTECT,
        related_name="questionnaires",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    code = models.CharField(
        _("code"),
        max_length=4,
        validators=[
            RegexValidator(FORM_CODE_PATTERN, _("A form code is one to four capital letters."))
        ],
        help_text=_("One to four capital letters, used in SMS reports, for example OP."),
    )
    name_az = models.CharField(_("name (Azerbaijani)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name = TranslatedField("name")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    current_version = models.ForeignKey(
        "QuestionnaireVersion",
        verbose_name=_("current version"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("form")
        verbose_name_plural = _("forms")
        ordering = ["election", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "code"],
                name="questionnaires_unique_code_per_election",
                violation_error_message=_("This election already has a form with this code."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("questionnaires_staff:questionnaire_detail", args=[self.pk])


class QuestionnaireVersion(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("form"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("version"))
    schema = models.JSONField(_("questions"), default=dict)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="questionnaires_unique_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire.code} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

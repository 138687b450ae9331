"""Statements a mission publishes (the preliminary statement first), and the recommendations
they make, kept as records so that a later issue can track what became of each."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.i18n import TranslatedField
from elections.models import Election


class Statement(models.Model):
    class Kind(models.TextChoices):
        PRELIMINARY = "preliminary", _("Preliminary statement")
        FINAL = "final", _("Final report")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.PROTECT, related_name="statements"
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=Kind.choices, default=Kind.PRELIMINARY
    )
    title_az = models.CharField(_("title (Azerbaijani)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    title = TranslatedField("title")
    # The text: paragraphs separated by a blank line; a line starting "## " is a heading.
    body_az = models.TextField(_("text (Azerbaijani)"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    body_ru = models.TextField(_("text (Russian)"), blank=True)
    body = TranslatedField("body")
    #: The numbers the draft was built from (coverage, findings, quick count, official result).
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    slug = models.SlugField(_("address"), max_length=120, unique=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["-created_at", "pk"]
        permissions = [
            ("draft_statement", _("Can draft and edit statements")),
            ("publish_statement", _("Can publish statements")),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("statements:statement_detail", args=[self.slug])


class Recommendation(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Not yet acted on")
        IN_PROGRESS = "in_progress", _("Partly acted on")
        IMPLEMENTED = "implemented", _("Implemented")
        NOT_IMPLEMENTED = "not_implemented", _("Not implemented")

    statement = models.ForeignKey(
        Statement,
        verbose_name=_("statement"),
        on_delete=models.CASCADE,
        related_name="recommendations",
    )
    addressee_az = models.CharField(_("to whom (Azerbaijani)"), max_length=200)
    addressee_en = models.CharField(_("to whom (English)"), max_length=200, blank=True)
    addressee_ru = models.CharField(_("to whom (Russian)"), max_length=200, blank=True)
    addressee = TranslatedField("addressee")
    text_az = models.TextField(_("recommendation (Azerbaijani)"))
    text_en = models.TextField(_("recommendation (English)"), blank=True)
    text_ru = models.TextField(_("recommendation (Russian)"), blank=True)
    text = TranslatedField("text")
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["statement", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

"""Forensic analysis of official results: one run of the whole suite
(electionstats.forensics.run_suite) on one import, done in the background and kept."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from results.models import OfficialResultImport


class ForensicsRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    result_import = models.ForeignKey(
        OfficialResultImport,
        verbose_name=_("official results"),
        on_delete=models.CASCADE,
        related_name="forensics_runs",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    #: What run_suite returned (JSON), once done.
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    seconds = models.FloatField(_("computing time (s)"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("forensic analysis")
        verbose_name_plural = _("forensic analyses")
        ordering = ["-created_at", "pk"]
        permissions = [("view_forensics", _("Can run and read forensic analyses"))]

    def __str__(self) -> str:
        return f"{self.result_import} · {self.created_at:%Y-%m-%d %H:%M}"

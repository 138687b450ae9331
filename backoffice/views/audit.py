"""The audit log browser for administrators: filter, read one entry, export as CSV."""

import csv

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from audit.models import AuditEntry
from audit.services import audit_csv_rows, audit_export_record
from backoffice.decorators import staff_required
from backoffice.forms import AuditFilterForm

PER_PAGE = 50


class _Echo:
    """A file-like object whose write() hands the line back, for streaming CSV."""

    def write(self, value: str) -> str:
        return value


def _filtered(request) -> tuple[AuditFilterForm, object]:
    form = AuditFilterForm(request.GET or None)
    entries = form.filter(AuditEntry.objects.select_related("content_type"))
    return form, entries


@require_GET
@staff_required("audit.view_auditentry")
def audit_list(request):
    form, entries = _filtered(request)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "backoffice/audit/list.html", {"form": form, "page": page})


@require_GET
@staff_required("audit.view_auditentry")
def audit_detail(request, pk: int):
    entry = get_object_or_404(AuditEntry.objects.select_related("content_type", "actor"), pk=pk)
    return render(request, "backoffice/audit/detail.html", {"entry": entry})


@require_GET
@staff_required("audit.view_auditentry")
def audit_export(request):
    form, entries = _filtered(request)
    export_entry = audit_export_record(actor=request.user, entries=entries, filters=form.applied())
    # Rows logged after the export began (including the export itself) are not part of it.
    rows = audit_csv_rows(entries.filter(pk__lt=export_entry.pk))
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="birlik-audit-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response

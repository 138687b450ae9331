"""Health check for load balancers and monitoring: JSON, 200 when everything answers, else 503."""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _check(probe) -> dict:
    started = time.perf_counter()
    try:
        probe()
    except Exception as error:  # any failure means "down"; the reason goes to the log
        logger.warning("health check %s failed: %r", probe.__name__, error)
        return {"ok": False, "error": error.__class__.__name__}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 2)}


def _probe_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _probe_cache() -> None:
    cache.set("healthz", "1", 10)
    if cache.get("healthz") != "1":
        raise RuntimeError("cache did not return what was stored")


def _probe_tasks() -> None:
    """The queue the web workers hand tasks to can be reached (not whether a worker runs)."""
    backend = settings.TASKS["default"]["BACKEND"]
    if backend == "django_tasks_db.DatabaseBackend":
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.only("pk").first()  # the queue table exists and answers
    elif backend == "django_tasks_rq.RQBackend":
        import django_rq

        django_rq.get_connection(settings.TASKS["default"].get("QUEUES", ["default"])[0]).ping()


@never_cache
@require_GET
def healthz(request):
    checks = {
        "database": _check(_probe_database),
        "cache": _check(_probe_cache),
        "tasks": _check(_probe_tasks),
    }
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )

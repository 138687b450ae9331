"""`make demo`'s last step: the task worker in the background, the development server in front.

Ctrl-C stops both. The worker matches the configured task backend (the database queue by
default, RQ when REDIS_URL is set); the in-process backend needs none.
"""

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django.utils.translation import gettext as _


def worker_command() -> list[str] | None:
    backend = settings.TASKS["default"]["BACKEND"]
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    if backend == "django_tasks_db.DatabaseBackend":
        return [*manage, "db_worker", "--no-reload", "--interval", "1"]
    if backend == "django_tasks_rq.RQBackend":
        queues = settings.TASKS["default"].get("QUEUES", ["default"])
        return [*manage, "rqworker", "--job-class", "django_tasks_rq.Job", *queues]
    return None


class Command(BaseCommand):
    help = "Run the task worker and the development server together (Ctrl-C stops both)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("PORT", "8000")), help="default $PORT"
        )
        parser.add_argument(
            "--noreload", action="store_true", help="Do not restart the server on code changes."
        )

    def handle(self, *args, port: int, noreload: bool, **options):
        # The autoreloader runs this command again in a child process that serves requests;
        # only the first process starts the worker.
        if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            call_command("runserver", f"127.0.0.1:{port}")
            return
        # Stopped with SIGTERM (not Ctrl-C): unwind through `finally` so the worker stops too.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        command = worker_command()
        worker = None
        if command is not None:
            worker = subprocess.Popen(command)  # noqa: S603  (our own manage.py)
            self.stdout.write(_("Task worker started (process %(pid)s).") % {"pid": worker.pid})
        try:
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=not noreload)
        finally:
            if worker is not None and worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    worker.kill()
                    worker.wait()
                self.stdout.write(_("Task worker stopped."))

"""Helpers for tests that run Birlik in another process (a worker, a server, a command)."""

import os
import sqlite3
import sys
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")


class SharedTestDatabase:
    """The test database as a DATABASE_URL another process can open.

    On PostgreSQL that is the test database itself (use transaction=True so the data is
    committed). SQLite's test database lives in memory: it is copied to a file for the other
    process, and the file is copied back on exit so the test sees what the process wrote.
    """

    def __init__(self, tmp_path: Path):
        self.file: Path | None = None
        if connection.vendor == "sqlite":
            if connection.is_in_memory_db():
                self.file = tmp_path / "shared.sqlite3"
            self.url = f"sqlite:///{self.file or connection.settings_dict['NAME']}"
        else:
            s = connection.settings_dict
            credentials = quote(s["USER"] or "")
            if s["PASSWORD"]:
                credentials += ":" + quote(s["PASSWORD"])
            host = f"{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}"
            self.url = f"postgres://{credentials}@{host}/{s['NAME']}"

    def __enter__(self) -> str:
        if self.file is not None:
            connection.ensure_connection()
            with sqlite3.connect(self.file) as target:
                connection.connection.backup(target)
        return self.url

    def __exit__(self, *exc_info) -> None:
        if self.file is not None:
            with sqlite3.connect(self.file) as source:
                source.backup(connection.connection)


def process_env(**overrides: str) -> dict[str, str]:
    """This process's environment without the settings a test chooses itself, plus overrides."""
    chosen = {
        "DATABASE_URL",
        "REDIS_URL",
        "TASKS_BACKEND",
        "DEBUG",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "HTTPS",
        "STATIC_ROOT",
        "EMAIL_BACKEND",
        "EMAIL_FILE_PATH",
        # Set by the browser tests for Playwright's event loop; never for a real process.
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
    env = {key: value for key, value in os.environ.items() if key not in chosen}
    env.update(overrides)
    return env


def manage(*args: str) -> list[str]:
    return [sys.executable, MANAGE, *args]

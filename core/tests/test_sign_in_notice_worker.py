"""End to end: signing in queues the sign-in notice, a real worker process sends it, and the
email is in the user's language. Once with the database queue (`db_worker`), once with RQ on
Redis (`rqworker`, only when REDIS_URL is set).

The worker is a separate process, so it must see the test's data: on PostgreSQL it connects to
the test database (committed data: transaction=True); on SQLite, whose test database lives in
memory, the database is copied to a file for the worker and copied back afterwards.
"""

import email
import email.policy
import os
import subprocess
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from django_tasks import default_task_backend
from django_tasks.signals import task_enqueued

from accounts.tests.factories import PASSWORD, UserFactory
from core.tests.processes import SharedTestDatabase, manage, process_env

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

SUBJECT = "Birlik: new sign-in to your account"


def sign_in(client, user) -> None:
    response = client.post(
        f"/{user.preferred_language}/accounts/login/",
        {"login": user.email, "password": PASSWORD},
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 302, response.content[:500]


def read_mail(directory: Path) -> dict[str, email.message.EmailMessage]:
    """The filebased backend's messages, by recipient."""
    messages = {}
    for path in sorted(directory.iterdir()):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                message = email.message_from_bytes(chunk, policy=email.policy.default)
                messages[message["To"]] = message
    return messages


def month_and_year(language: str, moments: list[datetime]) -> set[str]:
    """How the notice's date shows the month and year in `language` (e.g. "ноября 2026")."""
    with translation.override(language):
        return {formats.date_format(timezone.localtime(m), "E Y") for m in moments}


def run_worker(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(
        manage(*command),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def worker_env(*, database_url: str, mail_dir: Path, **extra: str) -> dict[str, str]:
    return process_env(
        DATABASE_URL=database_url,
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_dir),
        DEBUG="0",
        **extra,
    )


@pytest.fixture
def enqueued():
    """Ids of the tasks enqueued during the test."""
    ids: list[str] = []

    def collect(sender, task_result, **kwargs):
        ids.append(task_result.id)

    task_enqueued.connect(collect, dispatch_uid="test-enqueued")
    yield ids
    task_enqueued.disconnect(dispatch_uid="test-enqueued")


def sign_in_two_users(client) -> tuple[dict, list[datetime]]:
    users = {
        language: UserFactory(preferred_language=language, email=f"notice-{language}@example.org")
        for language in ("az", "ru")
    }
    before = timezone.now()
    for user in users.values():
        sign_in(client, user)
        client.logout()
    return users, [before, timezone.now()]


def assert_notices_in_each_language(users: dict, moments: list[datetime], mail_dir: Path):
    messages = read_mail(mail_dir)
    assert {user.email for user in users.values()} <= set(messages)
    for language, user in users.items():
        message = messages[user.email]
        with translation.override(language):
            # A long non-ASCII subject is folded; the reader keeps the fold's leading space.
            assert str(message["Subject"]).strip() == gettext(SUBJECT)
        body = message.get_content()
        assert "198.51.100.7" in body
        assert any(date in body for date in month_and_year(language, moments)), body
    # The two languages really differ (month names), so this checks the language switch.
    assert not month_and_year("az", moments) & month_and_year("ru", moments)


def test_the_database_worker_sends_the_sign_in_notice_in_the_users_language(
    client, settings, tmp_path, enqueued
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    users, moments = sign_in_two_users(client)
    assert len(enqueued) == 2
    mail_dir = tmp_path / "mail"

    with SharedTestDatabase(tmp_path) as database_url:
        run_worker(
            ["db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0"],
            worker_env(database_url=database_url, mail_dir=mail_dir, TASKS_BACKEND="database"),
        )

    assert_notices_in_each_language(users, moments, mail_dir)
    for task_id in enqueued:
        result = default_task_backend.get_result(task_id)
        assert result.status == "SUCCESSFUL"
        assert result.return_value is True


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="the RQ path needs Redis: set REDIS_URL to run it"
)
def test_the_rq_worker_sends_the_sign_in_notice_in_the_users_language(
    client, settings, tmp_path, enqueued
):
    # A Redis database of its own, so the burst worker neither runs nor steals jobs that other
    # tests (in parallel, sharing REDIS_URL) leave in the "default" queue.
    parts = urlsplit(os.environ["REDIS_URL"])
    own_db = (int(parts.path.strip("/") or 0) + 8) % 16
    redis_url = urlunsplit(parts._replace(path=f"/{own_db}"))
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": redis_url, "DEFAULT_TIMEOUT": 60}}
    import django_rq

    django_rq.get_queue("default").empty()
    users, moments = sign_in_two_users(client)
    assert len(enqueued) == 2
    mail_dir = tmp_path / "mail"

    with SharedTestDatabase(tmp_path) as database_url:
        run_worker(
            ["rqworker", "--burst", "--job-class", "django_tasks_rq.Job", "default"],
            worker_env(database_url=database_url, mail_dir=mail_dir, REDIS_URL=redis_url),
        )

    assert_notices_in_each_language(users, moments, mail_dir)
    for task_id in enqueued:
        result = default_task_backend.get_result(task_id)
        assert result.status == "SUCCESSFUL"
        assert result.return_value is True

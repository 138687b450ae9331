"""`manage.py run_demo_server` (the end of `make demo`): a server and a task worker that runs
queued tasks, both gone after Ctrl-C or SIGTERM."""

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from accounts.tests.factories import UserFactory
from core.tests.processes import SharedTestDatabase, manage, process_env

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def children_of(pid: int) -> dict[int, str]:
    """{child pid: command line} of a process's direct children."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                child = int(stat.parent.name)
                found[child] = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError, ValueError):
            continue
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(condition, timeout: float, message: str):
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        assert time.monotonic() < deadline, message
        time.sleep(0.3)
    return result


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.mark.parametrize("stop", ["ctrl-c", "sigterm"])
def test_the_demo_server_runs_queued_tasks_and_stops_its_worker(tmp_path, stop):
    user = UserFactory(preferred_language="en")
    mail_dir = tmp_path / "mail"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with SharedTestDatabase(tmp_path) as database_url:
        env = process_env(
            DATABASE_URL=database_url,
            DEBUG="1",
            TASKS_BACKEND="database",
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(mail_dir),
        )
        server = subprocess.Popen(
            manage("run_demo_server", "--port", str(port)),
            env=env,
            cwd=settings.BASE_DIR,
            start_new_session=True,  # its own process group, like a terminal's foreground job
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(lambda: healthy(port), 60, "the demo server did not answer /healthz")
            workers = [pid for pid, line in children_of(server.pid).items() if "db_worker" in line]
            assert len(workers) == 1

            enqueue = (
                "from accounts.tasks import send_sign_in_notice; "
                f"send_sign_in_notice.enqueue(user_id={user.pk}, ip_address='203.0.113.5', "
                "when='2026-11-28T10:00:00+04:00')"
            )
            subprocess.run(
                manage("shell", "-c", enqueue), env=env, check=True, cwd=settings.BASE_DIR
            )
            wait_for(
                lambda: mail_dir.exists() and any(mail_dir.iterdir()),
                60,
                "the worker did not send the queued notice",
            )
            assert user.email in "".join(p.read_text() for p in mail_dir.iterdir())

            if stop == "ctrl-c":
                os.killpg(server.pid, signal.SIGINT)  # what the terminal does on Ctrl-C
            else:
                server.terminate()  # SIGTERM to the command alone
            server.wait(timeout=30)
            wait_for(lambda: not alive(workers[0]), 20, "the worker outlived the server")
        finally:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()

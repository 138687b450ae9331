"""Production settings: `check --deploy` is clean, static files collect, and the site serves
with DEBUG=0 behind an HTTPS proxy. Each runs Birlik in another process with a production-like
environment, as a deployment would."""

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings

from core.tests.processes import SharedTestDatabase, manage, process_env

pytestmark = pytest.mark.slow

HOST = "birlik.example.org"


def production_env(**overrides: str) -> dict[str, str]:
    values = {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": HOST,
        "HTTPS": "1",
        "DATABASE_URL": "sqlite:////tmp/birlik-deploy-check.sqlite3",
    }
    return process_env(**{**values, **overrides})


def run(args: list[str], env: dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, env=env, capture_output=True, text=True, timeout=timeout, cwd=settings.BASE_DIR
    )


def test_check_deploy_reports_nothing_for_production_settings():
    done = run(manage("check", "--deploy", "--fail-level", "WARNING"), production_env())
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")
def test_check_deploy_reports_nothing_with_postgresql_and_redis():
    env = production_env(
        DATABASE_URL=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/birlik"),
        REDIS_URL=os.environ["REDIS_URL"],
    )
    done = run(manage("check", "--deploy", "--fail-level", "WARNING"), env)
    assert done.returncode == 0, done.stdout + done.stderr


def test_check_deploy_warns_when_the_secret_key_is_missing():
    env = production_env()
    del env["SECRET_KEY"]
    done = run(manage("check", "--deploy", "--fail-level", "WARNING"), env)
    assert done.returncode != 0
    assert "security.W009" in done.stdout + done.stderr


def test_check_deploy_warns_when_https_is_not_configured():
    done = run(manage("check", "--deploy", "--fail-level", "WARNING"), production_env(HTTPS="0"))
    assert done.returncode != 0
    assert "security.W004" in done.stdout + done.stderr  # no HSTS


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, *, https: bool = True, host: str = HOST):
    """(status, headers, body) without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    headers = {"Host": host}
    if https:
        headers["X-Forwarded-Proto"] = "https"  # as the reverse proxy sets it
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.mark.django_db(transaction=True)
def test_the_site_serves_hashed_static_files_with_debug_off_after_collectstatic(tmp_path):
    static_root = tmp_path / "static"
    with SharedTestDatabase(tmp_path) as database_url:
        env = production_env(DATABASE_URL=database_url, STATIC_ROOT=str(static_root))
        collected = run(manage("collectstatic", "--no-input", "-v", "0"), env)
        assert collected.returncode == 0, collected.stdout + collected.stderr
        assert (static_root / "staticfiles.json").exists()

        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "birlik.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
            env=env,
            cwd=settings.BASE_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    status, _headers, body = _get(f"{base}/healthz", https=False)
                    break
                except OSError:
                    assert server.poll() is None, server.stdout.read().decode()
                    assert time.monotonic() < deadline, "the server did not start"
                    time.sleep(0.3)
            # The load balancer's plain-HTTP health check is not redirected.
            assert status == 200, body

            # Plain HTTP elsewhere goes to HTTPS; HTTPS answers carry HSTS.
            status, headers, _body = _get(f"{base}/api/v1/", https=False)
            assert status == 301 and headers["Location"].startswith("https://")
            status, headers, _body = _get(f"{base}/api/v1/")
            assert status == 200
            assert "max-age=31536000" in headers["Strict-Transport-Security"]

            # An unknown host is refused.
            assert _get(f"{base}/api/v1/", host="evil.example.com")[0] == 400

            # Pages refer to content-hashed static files, served with a far-future expiry.
            for page in ("/api/v1/docs", "/az/"):
                status, _headers, body = _get(base + page)
                assert status == 200, (page, body[:300])
                assets = re.findall(rb'(?:src|href)="(/static/[^"]+)"', body)
                assert assets, page
                for asset in assets:
                    assert re.search(rb"\.[0-9a-f]{12}\.\w+$", asset), asset
                    status, headers, _body = _get(base + asset.decode())
                    assert status == 200, asset
                    assert "max-age=315360000" in headers["Cache-Control"], asset
        finally:
            server.terminate()
            server.wait(timeout=20)

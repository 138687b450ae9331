import os

import pytest
from django.core.cache import cache
from django.db import OperationalError, connections

pytestmark = pytest.mark.django_db


def test_it_reports_database_cache_and_task_queue_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "tasks"}
    assert all(check["ok"] is True for check in body["checks"].values())


def test_it_answers_503_when_the_cache_fails(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache is down")

    monkeypatch.setattr(cache, "set", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["checks"]["cache"] == {"ok": False, "error": "ConnectionError"}


def test_it_answers_503_when_the_database_fails(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(connections["default"], "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"] == {"ok": False, "error": "OperationalError"}
    assert checks["cache"]["ok"] is True


@pytest.mark.skipif(bool(os.environ.get("REDIS_URL")), reason="checks the database queue")
def test_it_answers_503_when_the_task_queue_table_is_missing(client, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    monkeypatch.setattr(DBTaskResult._meta, "db_table", "no_such_task_table")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["tasks"]["ok"] is False
    assert response.json()["checks"]["database"]["ok"] is True


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="RQ is used only when REDIS_URL is set")
def test_it_answers_503_when_redis_for_the_task_queue_is_unreachable(client, settings):
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0", "DEFAULT_TIMEOUT": 5}}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["tasks"]["ok"] is False


def test_it_refuses_other_methods(client):
    assert client.post("/healthz").status_code == 405

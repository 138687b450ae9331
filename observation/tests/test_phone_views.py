"""The observer's phone page and its service worker: one page for every observer (their data
comes from the API with the phone's token), no inline code, in the language of the address."""

import json
import re

import pytest

from accounts.roles import Role
from accounts.tests.factories import make_staff, sign_in
from observation import views

pytestmark = pytest.mark.django_db


def page_json(html: str, element_id: str) -> dict:
    match = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S
    )
    return json.loads(match.group(1))


@pytest.mark.parametrize("language", ["az", "en", "ru"])
def test_the_page_opens_for_anyone_in_each_language(client, language):
    response = client.get(f"/{language}/observer/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    config = page_json(html, "observer-config")
    assert config["language"] == language
    assert config["serviceWorker"] == f"/{language}/observer/sw.js"
    assert config["api"] == "/api/v1/observation/"


def test_the_page_carries_its_scripts_texts_translated(client):
    html = client.get("/en/observer/").content.decode()
    strings = page_json(html, "observer-strings")
    assert strings["waiting"] == "Waiting to be sent: %(count)s"
    assert strings["needsAnswer"] == "This question needs an answer."
    assert set(strings) == set(views.phone_strings())
    assert "Sign in as an observer" in html


def test_the_page_holds_no_personal_data_even_for_a_signed_in_user(client):
    # The service worker keeps a copy of the page: it must be the same for everybody.
    coordinator = make_staff(Role.COORDINATOR, full_name="Rauf Coordinator")
    sign_in(client, coordinator)
    html = client.get("/en/observer/").content.decode()
    assert "Rauf Coordinator" not in html
    assert coordinator.email not in html
    assert "csrfmiddlewaretoken" not in html


def test_the_page_has_no_inline_code(client):
    response = client.get("/en/observer/")
    html = response.content.decode()
    for script in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in script or 'type="application/json"' in script, script
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_the_page_only_answers_get(client):
    assert client.post("/en/observer/").status_code == 405


def test_the_service_worker_is_served_from_the_pages_folder(client):
    response = client.get("/az/observer/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    config = json.loads(re.search(r"var CONFIG = (\{.*?\});", body).group(1))
    assert config["page"] == "/az/observer/"
    assert config["language"] == "az"
    assert config["me"] == "/api/v1/observation/me"
    assert "/static/observation/phone.js" in config["shell"]
    assert "/static/css/birlik.css" in config["shell"]


def test_the_service_worker_learns_hashed_static_names(client, monkeypatch):
    before = json.loads(
        re.search(r"var CONFIG = (\{.*?\});", client.get("/en/observer/sw.js").content.decode())[1]
    )
    monkeypatch.setattr(
        views, "static", lambda path: "/static/" + path.replace(".", ".0123abcd.", 1)
    )
    body = client.get("/en/observer/sw.js").content.decode()
    config = json.loads(re.search(r"var CONFIG = (\{.*?\});", body).group(1))
    assert "/static/observation/phone.0123abcd.js" in config["shell"]
    # New names make a new worker, which fetches the new files.
    assert config["version"] != before["version"]


def test_the_service_worker_only_answers_get(client):
    assert client.post("/en/observer/sw.js").status_code == 405

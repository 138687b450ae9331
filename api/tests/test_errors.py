"""Every error under /api/ has one JSON shape, in the client's language."""

import pytest
from django.test import Client
from django.utils import translation

from api.errors import default_message
from api.models import Scope
from api.tests.factories import bearer, make_token

pytestmark = [pytest.mark.django_db, pytest.mark.urls("api.tests.urls")]


def error_of(response) -> dict:
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert {"code", "message"} <= set(body["error"])
    return body["error"]


def test_an_unknown_address_under_the_api_is_a_json_404_not_a_redirect(client):
    response = client.get("/api/v1/no/such/endpoint")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_a_post_to_an_unknown_address_is_a_json_404_without_a_csrf_failure():
    response = Client(enforce_csrf_checks=True).post("/api/v1/nothing", {"a": 1})
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_the_api_root_points_to_the_documentation(client):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    assert response.json()["docs"] == "/api/v1/docs"
    assert response.json()["openapi"] == "/api/v1/openapi.json"


def test_a_wrong_method_is_a_json_405_listing_the_allowed_ones(client):
    response = client.delete("/api/v1/me")
    assert response.status_code == 405
    error = error_of(response)
    assert error["code"] == "method_not_allowed"
    assert error["details"] == {"allowed": ["GET"]}
    assert response["Allow"] == "GET"


def test_no_token_is_a_401_that_names_the_bearer_scheme(client):
    response = client.get("/api/test/write")
    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_token_without_the_needed_scope_is_a_403(client):
    _token, raw = make_token(scopes=[Scope.GEO_READ])
    response = client.get("/api/test/write", **bearer(raw))
    assert response.status_code == 403
    error = error_of(response)
    assert error["code"] == "insufficient_scope"
    assert error["details"] == {"required": ["geo:write"], "missing": ["geo:write"]}


def test_a_token_with_the_scope_gets_through(client):
    _token, raw = make_token(scopes=[Scope.GEO_WRITE])
    response = client.get("/api/test/write", **bearer(raw))
    assert response.status_code == 200


def test_an_invalid_parameter_is_a_422_naming_the_field(client):
    response = client.get("/api/test/numbers?upto=many")
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert error["details"][0]["location"] == "query"
    assert error["details"][0]["field"] == "upto"


def test_http404_raised_by_an_endpoint_is_a_json_404(client):
    response = client.get("/api/test/missing")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_permission_denied_raised_by_an_endpoint_is_a_json_403(client):
    response = client.get("/api/test/forbidden")
    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"


def test_an_api_error_keeps_its_code_message_and_details(client):
    response = client.get("/api/test/conflict")
    assert response.status_code == 409
    assert error_of(response) == {
        "code": "already_done",
        "message": "Already done.",
        "details": {"id": 7},
    }


def test_an_unexpected_exception_is_a_json_500_without_internals(caplog):
    client = Client(raise_request_exception=False)
    response = client.get("/api/test/boom")
    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "server_error"
    assert "hunter2" not in response.content.decode()
    assert "Traceback" not in response.content.decode()
    # ...but the operators see it in the log.
    assert any("hunter2" in (record.exc_text or str(record.exc_info)) for record in caplog.records)


def test_an_unexpected_exception_is_a_json_500_under_debug_too(settings):
    settings.DEBUG = True
    response = Client(raise_request_exception=False).get("/api/test/boom")
    assert response.status_code == 500
    assert "hunter2" not in response.content.decode()


@pytest.mark.parametrize("language", ["az", "en", "ru"])
def test_error_messages_are_in_the_language_the_client_asks_for(client, language):
    response = client.get("/api/test/write", HTTP_ACCEPT_LANGUAGE=language)
    assert response["Content-Language"] == language
    with translation.override(language):
        expected = default_message(401)
    assert error_of(response)["message"] == expected
    assert "Accept-Language" in response["Vary"]

"""The OpenAPI document is a reviewed artifact: complete, deterministic, and committed."""

import json
import re

import pytest
from django.contrib.staticfiles import finders

from api.schema import SNAPSHOT_PATH, openapi_document

REGENERATE = "the API changed: run `make openapi` and review the diff of api/openapi.snapshot.json"


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(openapi_document())


def operations(schema: dict):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def test_the_schema_declares_the_bearer_token_scheme(schema):
    scheme = schema["components"]["securitySchemes"]["TokenAuth"]
    assert scheme["type"] == "http"
    assert scheme["scheme"] == "bearer"


def test_every_operation_has_a_unique_operation_id(schema):
    ids = [operation.get("operationId") for _name, operation in operations(schema)]
    assert all(ids)
    assert len(ids) == len(set(ids))


def test_every_operation_documents_its_errors_in_the_one_error_shape(schema):
    error_ref = {"$ref": "#/components/schemas/ErrorOut"}
    for name, operation in operations(schema):
        responses = operation["responses"]
        expected = {"500"}
        if operation.get("security"):
            expected |= {"401", "403"}
        if operation.get("parameters") or operation.get("requestBody"):
            expected.add("422")
        assert expected <= set(responses), name
        for status in expected:
            content = responses[status]["content"]["application/json"]["schema"]
            assert content == error_ref or "$ref" in content, (name, status)
    assert set(schema["components"]["schemas"]["ErrorOut"]["properties"]) == {"error"}


def test_every_secured_operation_says_which_scopes_it_needs(schema):
    for name, operation in operations(schema):
        if operation.get("security"):
            assert "x-scopes" in operation, name
            assert "Token scopes needed" in operation["description"], name


def test_me_is_documented(schema):
    me = schema["paths"]["/api/v1/me"]["get"]
    assert me["security"] == [{"TokenAuth": []}]
    assert me["x-scopes"] == []


def test_every_path_is_under_api_v1(schema):
    assert all(path.startswith("/api/v1/") for path in schema["paths"])


def test_the_schema_text_is_the_same_every_time():
    assert openapi_document() == openapi_document()


def test_the_committed_snapshot_matches_the_code():
    assert SNAPSHOT_PATH.exists(), REGENERATE
    assert SNAPSHOT_PATH.read_text() == openapi_document(), REGENERATE


@pytest.mark.django_db
def test_the_schema_is_served_as_json(client, schema):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["paths"].keys() == schema["paths"].keys()


@pytest.mark.django_db
def test_the_docs_page_loads_swagger_from_our_own_static_files(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert "/static/ninja/swagger-ui-bundle.js" in assets
    assert "/static/ninja/swagger-ui.css" in assets
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), asset
    assert "cdn" not in html.lower()

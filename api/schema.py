"""The OpenAPI document as a stable text: the same code always gives the same bytes, so the
committed snapshot (api/openapi.snapshot.json) shows every change to the API in review."""

import json
from pathlib import Path

from django.utils import translation
from ninja.responses import NinjaJSONEncoder

SNAPSHOT_PATH = Path(__file__).resolve().parent / "openapi.snapshot.json"


def openapi_document() -> str:
    from api.urls import api

    with translation.override("en"):
        schema = api.get_openapi_schema(path_prefix="/api/v1/")
        text = json.dumps(schema, cls=NinjaJSONEncoder, indent=2, sort_keys=True)
    return text + "\n"

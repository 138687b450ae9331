"""The JSON API, /api/v1/: one router per app, documented by its OpenAPI schema."""

from api.base import BirlikAPI

api = BirlikAPI(
    title="Birlik API",
    version="1",
    description=(
        "Birlik's JSON API. Authenticate with `Authorization: Bearer <token>`; tokens are issued "
        "by administrators and carry scopes (each endpoint lists the ones it needs). Errors "
        'always have the form `{"error": {"code", "message", "details"}}`, with `message` in the '
        "language asked for by Accept-Language (az, en, ru). Lists are paginated (`page`, "
        '`page_size` up to 500) and answer `{"items", "count", "page", "page_size", "pages"}`.'
    ),
    urls_namespace="api-v1",
    docs_url="/docs",
)

api.add_router("", "api.api.router")
api.add_router("/geo/", "geo.api.router")
api.add_router("/elections/", "elections.api.router")
api.add_router("/observation/", "observation.api.router")
api.add_router("/incidents/", "incidents.api.router")

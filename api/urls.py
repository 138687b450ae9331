"""The JSON API, /api/v1/: one router per app, documented by its OpenAPI schema."""

from ninja import NinjaAPI

from api.errors import install_error_handlers

api = NinjaAPI(
    title="Birlik API",
    version="1",
    description=(
        "Birlik's JSON API. Authenticate with `Authorization: Bearer <token>`; tokens are issued "
        "by administrators in the staff area and carry scopes. Errors always have the form "
        '`{"error": {"code", "message", "details"}}`. Lists are paginated (`page`, `page_size`).'
    ),
    urls_namespace="api-v1",
    docs_url="/docs",
)
install_error_handlers(api)

api.add_router("/geo/", "geo.api.router")

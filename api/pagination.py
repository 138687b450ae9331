"""The one pagination every API list uses: `?page=2&page_size=100`.

Usage in a router (the endpoint returns a QuerySet or a list; the decorator slices it):

    from ninja.pagination import paginate

    from api.pagination import BirlikPagination

    @router.get("/stations", response=list[StationOut])
    @paginate(BirlikPagination)
    def station_list(request, region: str | None = None):
        return PollingStation.objects.order_by("code")

The response is

    {"items": [...], "count": 1234, "page": 2, "page_size": 100, "pages": 13}

`page` starts at 1; `page_size` defaults to 50 and may be at most 500 (a larger value is a
422 validation error, so a client never silently gets fewer rows than it asked for). A page
past the end answers 200 with no items, so clients can stop when `items` is empty or when
`page >= pages`. Order the QuerySet: unordered pages are not stable between requests.
"""

import math
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import AsyncPaginationBase

DEFAULT_PAGE_SIZE: int = getattr(settings, "NINJA_PAGINATION_PER_PAGE", 50)
MAX_PAGE_SIZE: int = getattr(settings, "NINJA_PAGINATION_MAX_PER_PAGE_SIZE", 500)


class BirlikPagination(AsyncPaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, description="Page number, starting at 1.")
        page_size: int = Field(
            DEFAULT_PAGE_SIZE,
            ge=1,
            le=MAX_PAGE_SIZE,
            description=f"Items per page, at most {MAX_PAGE_SIZE}.",
        )

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="Number of items on all pages.")
        page: int
        page_size: int
        pages: int = Field(description="Number of pages (0 when there are no items).")

    def _window(self, pagination: Input) -> tuple[int, int]:
        offset = (pagination.page - 1) * pagination.page_size
        return offset, offset + pagination.page_size

    def _envelope(self, items: Any, count: int, pagination: Input) -> dict[str, Any]:
        return {
            "items": items,
            "count": count,
            "page": pagination.page,
            "page_size": pagination.page_size,
            "pages": math.ceil(count / pagination.page_size),
        }

    def paginate_queryset(
        self, queryset: QuerySet, pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        start, end = self._window(pagination)
        count = self._items_count(queryset)
        return self._envelope(queryset[start:end], count, pagination)

    async def apaginate_queryset(
        self, queryset: QuerySet, pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        start, end = self._window(pagination)
        count = await self._aitems_count(queryset)
        if isinstance(queryset, QuerySet):
            items = [obj async for obj in queryset[start:end]]
        else:
            items = queryset[start:end]
        return self._envelope(items, count, pagination)

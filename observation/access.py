"""Who sees which regions on election day.

Staff with `observation.view_all_regions` (administrators, analysts) see the whole country. A
coordinator sees the regions of their CoordinatorScope, and nothing when none is set: a new
coordinator starts with no data rather than with everybody's.

    reports = visible_in_regions(StationReport.objects.all(), request.user)  # region
    stations = visible_in_regions(
        PollingStation.objects.all(), user, "constituency__district__region"
    )
"""

from django.db import models

from observation.models import CoordinatorScope


def sees_all_regions(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("observation.view_all_regions"))


def visible_region_ids(user) -> set[int] | None:
    """The ids of the regions the user may watch; None means every region."""
    if sees_all_regions(user):
        return None
    if not (user and user.is_authenticated):
        return set()
    scope = CoordinatorScope.objects.filter(user=user).first()
    if scope is None:
        return set()
    return set(scope.regions.values_list("pk", flat=True))


def visible_in_regions(
    queryset: models.QuerySet, user, region_field: str = "region"
) -> models.QuerySet:
    region_ids = visible_region_ids(user)
    if region_ids is None:
        return queryset
    return queryset.filter(**{f"{region_field}__in": region_ids})


def may_see_region(user, region_id: int | None) -> bool:
    region_ids = visible_region_ids(user)
    return region_ids is None or region_id in region_ids

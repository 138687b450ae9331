"""Which regions each coordinator watches on election day (observation.CoordinatorScope).

People with the coordinator role start with no regions and see no data until someone who
manages accounts gives them some; every change is written to the audit log."""

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from accounts.roles import Role
from audit.models import AuditEntry
from audit.services import audit_log
from geo.models import Region
from observation.models import CoordinatorScope


def coordinators() -> list[tuple]:
    """[(user, [regions])] for active people with the coordinator role or with regions set."""
    users = list(
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__name=Role.COORDINATOR) | Q(coordinator_scope__isnull=False))
        .distinct()
        .order_by("full_name", "email")
    )
    links = CoordinatorScope.regions.through.objects.filter(
        coordinatorscope__user__in=users
    ).select_related("region", "coordinatorscope")
    regions: dict[int, list[Region]] = defaultdict(list)
    for link in links:
        regions[link.coordinatorscope.user_id].append(link.region)
    return [
        (user, sorted(regions[user.pk], key=lambda region: str(region).casefold()))
        for user in users
    ]


def regions_of(user) -> list[Region]:
    scope = CoordinatorScope.objects.filter(user=user).first()
    if scope is None:
        return []
    return list(scope.regions.order_by("name_az"))


@transaction.atomic
def coordinator_regions_set(*, actor, user, regions) -> CoordinatorScope:
    """Make `regions` exactly the regions `user` watches (an empty list takes them all away)."""
    scope, _created = CoordinatorScope.objects.select_for_update().get_or_create(user=user)
    before = sorted(scope.regions.values_list("code", flat=True))
    scope.regions.set(regions)
    after = sorted(region.code for region in regions)
    if before != after:
        audit_log(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=scope,
            changes={"regions": [before, after]},
        )
    return scope

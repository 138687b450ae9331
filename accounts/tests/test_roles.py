"""The permission matrix: exactly which permissions each role holds (written out here by hand,
so a change to accounts.roles must be made twice, on purpose)."""

import pytest
from django.contrib.auth.models import Group

from accounts.roles import ROLE_PERMISSIONS, Role, sync_roles
from accounts.tests.factories import UserFactory, make_staff

pytestmark = pytest.mark.django_db

GEO_READ = {
    "geo.view_region",
    "geo.view_district",
    "geo.view_constituency",
    "geo.view_pollingstation",
}
GEO_WRITE = {"geo.add_pollingstation", "geo.change_pollingstation", "geo.import_geography"}
ELECTIONS_READ = {"elections.view_election"}
ELECTIONS_WRITE = {"elections.add_election", "elections.change_election"}
OBSERVERS = {"observers.view_observer", "observers.change_observer"}
FORMS_READ = {"questionnaires.view_questionnaire"}
FORMS_WRITE = {"questionnaires.add_questionnaire", "questionnaires.change_questionnaire"}
OBSERVATION_WATCH = {"observation.view_observation"}
OBSERVATION_MANAGE = {"observation.manage_observation"}
INCIDENTS = {
    "incidents.view_incident",
    "incidents.verify_incident",
    "incidents.publish_incident",
    "incidents.add_incidentcategory",
    "incidents.change_incidentcategory",
}
MESSAGING = {"messaging.send_bulk_message"}
CMS = {"wagtailadmin.access_admin", "wagtail_localize.submit_translation"}
RESULTS_REVIEW = {"results.view_results", "results.review_quarantine"}
RESULTS_ANALYSIS = {
    "results.configure_checks",
    "results.import_official_results",
    "forensics.view_forensics",
    "statements.draft_statement",
    "statements.publish_statement",
}

EXPECTED = {
    Role.ADMINISTRATOR: {
        "accounts.access_backoffice",
        "accounts.manage_users",
        "accounts.view_programme_elections",
        "accounts.view_programme_participation",
        "accounts.view_programme_civil_society",
        "audit.view_auditentry",
        "api.manage_api_tokens",
        "geo.delete_pollingstation",
        *CMS,
        *GEO_READ,
        *GEO_WRITE,
        *ELECTIONS_READ,
        *ELECTIONS_WRITE,
        *OBSERVERS,
        *FORMS_READ,
        *FORMS_WRITE,
        *OBSERVATION_WATCH,
        *OBSERVATION_MANAGE,
        *INCIDENTS,
        *MESSAGING,
        "observation.view_all_regions",
        *RESULTS_REVIEW,
        *RESULTS_ANALYSIS,
        "quickcount.view_quickcount",
    },
    Role.COORDINATOR: {
        "accounts.access_backoffice",
        "accounts.view_programme_elections",
        *GEO_READ,
        *GEO_WRITE,
        *ELECTIONS_READ,
        *ELECTIONS_WRITE,
        *OBSERVERS,
        *FORMS_READ,
        *FORMS_WRITE,
        *OBSERVATION_WATCH,
        *OBSERVATION_MANAGE,
        *INCIDENTS,
        *MESSAGING,
        *RESULTS_REVIEW,
        "quickcount.view_quickcount",
    },
    Role.ANALYST: {
        "accounts.access_backoffice",
        "accounts.view_programme_elections",
        "accounts.view_programme_participation",
        *GEO_READ,
        *ELECTIONS_READ,
        *FORMS_READ,
        *OBSERVATION_WATCH,
        "observation.view_all_regions",
        *RESULTS_REVIEW,
        *RESULTS_ANALYSIS,
        "quickcount.view_quickcount",
        "quickcount.manage_sample",
        "quickcount.publish_quickcount",
    },
    Role.LAWYER: {"accounts.access_backoffice", "accounts.view_programme_human_rights"},
    Role.DOCUMENTATION_OFFICER: {
        "accounts.access_backoffice",
        "accounts.view_programme_human_rights",
    },
    Role.PROGRAMME_OFFICER: {
        "accounts.access_backoffice",
        "accounts.view_programme_participation",
        "accounts.view_programme_civil_society",
        *CMS,
    },
    Role.DATA_CLERK: {
        "accounts.access_backoffice",
        "accounts.view_programme_elections",
        "results.enter_protocols",
        "results.arbitrate_protocols",
    },
}


def test_every_role_is_in_the_matrix():
    assert set(EXPECTED) == set(Role.values) == set(ROLE_PERMISSIONS)


def test_every_permission_named_by_a_role_exists():
    assert sync_roles() == []


@pytest.mark.parametrize("role", Role.values)
def test_role_holds_exactly_its_permissions(role):
    sync_roles()
    group = Group.objects.get(name=role)
    held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
    assert held == EXPECTED[role]


@pytest.mark.parametrize("role", Role.values)
def test_staff_member_has_exactly_the_role_permissions(role):
    user = make_staff(role)
    assert user.get_all_permissions() == EXPECTED[role]
    assert user.is_staff_member
    assert user.role_names == [role]


def test_only_administrators_see_the_audit_log_or_manage_people_and_tokens():
    for role, permissions in EXPECTED.items():
        administrative = {"accounts.manage_users", "audit.view_auditentry", "api.manage_api_tokens"}
        assert bool(permissions & administrative) == (role == Role.ADMINISTRATOR)


def test_human_rights_casework_is_open_only_to_lawyers_and_documentation_officers():
    with_access = {r for r, p in EXPECTED.items() if "accounts.view_programme_human_rights" in p}
    assert with_access == {Role.LAWYER, Role.DOCUMENTATION_OFFICER}


def test_sync_roles_removes_a_permission_added_by_hand():
    sync_roles()
    lawyers = Group.objects.get(name=Role.LAWYER)
    extra = Group.objects.get(name=Role.ADMINISTRATOR).permissions.get(codename="manage_users")
    lawyers.permissions.add(extra)
    sync_roles()
    assert not lawyers.permissions.filter(codename="manage_users").exists()


def test_citizen_holds_no_permission_and_is_not_staff():
    citizen = UserFactory()
    assert citizen.get_all_permissions() == set()
    assert not citizen.is_staff_member


def test_a_group_that_is_not_a_role_does_not_make_someone_staff():
    citizen = UserFactory()
    citizen.groups.add(Group.objects.create(name="newsletter"))
    citizen.forget_cached_roles()
    assert citizen.role_names == []
    assert not citizen.is_staff_member

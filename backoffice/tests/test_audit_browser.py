"""The audit browser: filters, pages, one entry's before/after, and the (audited) CSV export."""

import csv
import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.tests.factories import UserFactory, make_staff
from api.models import ApiToken
from api.services import api_token_create
from audit.models import AuditEntry
from audit.services import audit_log
from core import request_context

pytestmark = pytest.mark.django_db

LIST = "/en/staff/audit/"
EXPORT = "/en/staff/audit/export.csv"


@pytest.fixture
def administrator(client):
    user = make_staff(Role.ADMINISTRATOR, email="admin@example.org")
    client.force_login(user)
    return user


def _log_at(when: datetime.datetime, monkeypatch, **kwargs) -> AuditEntry:
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "now", lambda: when)
        return audit_log(**kwargs)


def _log_from(address: str, **kwargs) -> AuditEntry:
    token = request_context.set_current(request_context.RequestInfo(address, "test"))
    try:
        return audit_log(**kwargs)
    finally:
        request_context.reset_current(token)


def _rows(client, query: str) -> list[AuditEntry]:
    response = client.get(LIST + query)
    assert response.status_code == 200
    return list(response.context["page"].object_list)


@pytest.fixture
def journal(administrator, monkeypatch):
    """A small log: two people, three record types, three days, two addresses."""
    nigar = UserFactory(email="nigar@example.org", full_name="Nigar")
    rashad = make_staff(Role.ANALYST, email="rashad@example.org", full_name="Rashad")
    zone = timezone.get_current_timezone()
    day = lambda d: datetime.datetime(2026, 3, d, 12, 0, tzinfo=zone)  # noqa: E731
    token, _raw = api_token_create(user=rashad, name="SMS", scopes=["geo:read"])
    return {
        "old": _log_at(day(1), monkeypatch, actor=nigar, action="update", obj=rashad),
        "mid": _log_at(day(5), monkeypatch, actor=rashad, action="read", obj=nigar),
        "new": _log_at(day(9), monkeypatch, actor=nigar, action="delete", obj=token),
        "from_a": _log_from("203.0.113.7", actor=rashad, action="publish", obj=nigar),
        "from_b": _log_from("198.51.100.20", actor=nigar, action="import", model=ApiToken),
        "nigar": nigar,
        "rashad": rashad,
        "token": token,
    }


def test_filter_by_actor(client, journal):
    rows = _rows(client, "?actor=nigar@")
    assert {row.actor_label for row in rows} == {"nigar@example.org"}
    assert len(rows) == 3


def test_filter_by_action(client, journal):
    assert [row.pk for row in _rows(client, "?action=read")] == [journal["mid"].pk]


def test_filter_by_record_type_and_id(client, journal):
    user_type = ContentType.objects.get_for_model(User).pk
    rows = _rows(client, f"?record_type={user_type}&object_id={journal['nigar'].pk}")
    assert {row.pk for row in rows} == {journal["mid"].pk, journal["from_a"].pk}
    token_type = ContentType.objects.get_for_model(ApiToken).pk
    token_rows = _rows(client, f"?record_type={token_type}")
    assert journal["new"] in token_rows and journal["from_b"] in token_rows


def test_filter_by_date_range_includes_both_days(client, journal):
    rows = _rows(client, "?date_from=2026-03-01&date_to=2026-03-05")
    assert {row.pk for row in rows} == {journal["old"].pk, journal["mid"].pk}


def test_filter_by_address_exact_or_beginning(client, journal):
    assert [row.pk for row in _rows(client, "?address=203.0.113.7")] == [journal["from_a"].pk]
    assert [row.pk for row in _rows(client, "?address=198.51.")] == [journal["from_b"].pk]


def test_bad_filters_are_explained_and_filter_nothing(client, journal):
    response = client.get(LIST + "?date_from=2026-03-09&date_to=2026-03-01&address=drop;table")
    html = response.content.decode()
    assert "The end date is before the start date." in html
    assert "An address has only digits" in html
    assert response.context["page"].paginator.count == AuditEntry.objects.count()


def test_list_is_paginated(client, administrator):
    subject = UserFactory()
    for _n in range(60):
        audit_log(actor=administrator, action="read", obj=subject)
    first = client.get(LIST + "?action=read")
    assert len(first.context["page"].object_list) == 50
    assert "page=2" in first.content.decode()
    second = client.get(LIST + "?action=read&page=2")
    assert len(second.context["page"].object_list) == 10


def test_detail_shows_the_change_as_before_and_after(client, administrator):
    subject = UserFactory()
    entry = audit_log(
        actor=administrator,
        action="update",
        obj=subject,
        changes={"roles": [["lawyer"], ["analyst", "coordinator"]], "is_active": [True, False]},
    )
    response = client.get(f"/en/staff/audit/{entry.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<td class="change-table__before">lawyer</td>' in html
    assert '<td class="change-table__after">analyst, coordinator</td>' in html
    assert '<td class="change-table__before">yes</td>' in html
    assert '<td class="change-table__after">no</td>' in html


def test_export_gives_the_filtered_entries_as_csv_and_is_itself_logged(
    client, administrator, journal
):
    response = client.get(EXPORT + "?actor=rashad", REMOTE_ADDR="192.0.2.44")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:4] == ["id", "when", "who", "action"]
    assert {row[2] for row in rows[1:]} == {"rashad@example.org"}
    # Rashad read Nigar's record, published it, and issued himself a token.
    assert sorted(row[3] for row in rows[1:]) == ["create", "publish", "read"]

    export = AuditEntry.objects.get(action="export")
    assert export.actor == administrator
    assert export.ip_address == "192.0.2.44"
    assert export.changes == {"filters": {"actor": "rashad"}, "rows": 3}
    assert export.content_type == ContentType.objects.get_for_model(AuditEntry)


def test_export_neutralises_spreadsheet_formulas(client, administrator):
    audit_log(actor=None, action="sign_in_failed", object_label='=HYPERLINK("http://x")')
    body = b"".join(client.get(EXPORT + "?action=sign_in_failed").streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[1][6].startswith("'=")

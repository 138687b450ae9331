"""The staff home and programme pages show each person only their programmes, say what exists
now and what comes later, and share one navigation that other staff pages extend."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from accounts.roles import Role
from accounts.tests.factories import make_staff
from backoffice.navigation import staff_navigation

pytestmark = pytest.mark.django_db


def _html(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_home_shows_only_the_programmes_of_the_role(client):
    client.force_login(make_staff(Role.LAWYER))
    html = _html(client, "/en/staff/")
    assert 'href="/en/staff/programmes/human-rights/"' in html
    for other in ("elections", "participation", "civil-society"):
        assert f'href="/en/staff/programmes/{other}/"' not in html
    assert "/en/staff/users/" not in html
    assert "/en/staff/audit/" not in html


def test_administrator_home_links_to_administration_but_not_to_casework(client):
    client.force_login(make_staff(Role.ADMINISTRATOR))
    html = _html(client, "/en/staff/")
    for path in ("/en/staff/users/", "/en/staff/audit/", "/en/staff/api-tokens/"):
        assert f'href="{path}"' in html
    assert 'href="/en/staff/programmes/human-rights/"' not in html


def test_elections_page_states_what_comes_in_later_releases(client):
    client.force_login(make_staff(Role.COORDINATOR))
    html = _html(client, "/en/staff/programmes/elections/")
    assert "Coming in later releases" in html
    assert "Tracking recommendations over time" in html
    assert 'href="/en/staff/observation/"' in html  # election day is here today
    assert 'href="/en/stations/' in html  # the public polling-station finder exists today


def test_human_rights_page_says_plainly_that_nothing_is_ready_yet(client):
    client.force_login(make_staff(Role.DOCUMENTATION_OFFICER))
    html = _html(client, "/en/staff/programmes/human-rights/")
    assert "No tools in this programme yet" in html
    assert "Legal-aid intake" in html


def test_cms_is_listed_only_for_roles_with_cms_access(client):
    client.force_login(make_staff(Role.PROGRAMME_OFFICER))
    assert 'href="/cms/"' in _html(client, "/en/staff/programmes/participation/")
    client.force_login(make_staff(Role.ANALYST))
    assert 'href="/cms/"' not in _html(client, "/en/staff/programmes/participation/")


def test_navigation_marks_the_current_section():
    administrator = make_staff(Role.ADMINISTRATOR)
    links = staff_navigation(administrator, "/en/staff/users/7/")
    current = [link["url"] for link in links if link["current"]]
    assert current == ["/en/staff/users/"]
    on_home = [
        link["url"] for link in staff_navigation(administrator, "/en/staff/") if link["current"]
    ]
    assert on_home == ["/en/staff/"]


def test_navigation_lists_only_pages_the_person_may_open():
    lawyer = make_staff(Role.LAWYER)
    urls = [link["url"] for link in staff_navigation(lawyer, "/en/staff/")]
    assert "/en/staff/programmes/human-rights/" in urls
    assert not any(url.startswith(("/en/staff/users", "/en/staff/audit", "/cms/")) for url in urls)


def test_other_staff_pages_can_extend_the_layout(rf: RequestFactory):
    # How geography or any later staff page builds on the shared frame.
    request = rf.get("/en/staff/somewhere/")
    request.user = make_staff(Role.COORDINATOR)
    template = Template(
        '{% extends "backoffice/layout.html" %}'
        "{% block staff_title %}Stations{% endblock %}"
        "{% block staff_content %}<h1>Stations</h1>{% endblock %}"
    )
    html = template.render(Context({"request": request, "user": request.user}))
    assert '<nav class="staff-nav"' in html
    assert "<title>Stations · " in html
    assert "<h1>Stations</h1>" in html

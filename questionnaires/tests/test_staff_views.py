"""Staff form pages: who may open them, the preview and "try it", creating, importing and the
draft editor."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import Role
from accounts.tests.factories import UserFactory, make_staff
from backoffice.navigation import staff_navigation
from questionnaires import services
from questionnaires.engine import question_map, questions
from questionnaires.models import Questionnaire, QuestionnaireVersion
from questionnaires.tests.factories import published_questionnaire
from questionnaires.tests.test_xlsform import ndi, workbook

pytestmark = pytest.mark.django_db

BASE = "/en/staff/forms/"


@pytest.fixture
def form_with_draft():
    questionnaire = published_questionnaire(code="CL")
    services.start_draft(questionnaire, None)
    return questionnaire


def pages(questionnaire):
    pk = questionnaire.pk
    read = [BASE, f"{BASE}{pk}/", f"{BASE}{pk}/?version=2&lang=ru"]
    add = [f"{BASE}new/", f"{BASE}import/"]
    change = [
        f"{BASE}{pk}/edit/",
        f"{BASE}{pk}/draft/",
        f"{BASE}{pk}/draft/sections/new/",
        f"{BASE}{pk}/draft/sections/B/edit/",
        f"{BASE}{pk}/draft/sections/B/questions/new/",
        f"{BASE}{pk}/draft/questions/B1/edit/",
        f"{BASE}{pk}/draft/rules/new/",
        f"{BASE}{pk}/draft/rules/R1/edit/",
    ]
    return read, add, change


@pytest.mark.parametrize(
    ("role", "may_view", "may_change"),
    [
        (Role.ADMINISTRATOR, True, True),
        (Role.COORDINATOR, True, True),
        (Role.ANALYST, True, False),
        (Role.LAWYER, False, False),
        (Role.DOCUMENTATION_OFFICER, False, False),
        (Role.PROGRAMME_OFFICER, False, False),
    ],
)
def test_each_role_opens_exactly_the_pages_its_permissions_allow(
    client, form_with_draft, role, may_view, may_change
):
    client.force_login(make_staff(role))
    read, add, change = pages(form_with_draft)
    for url in read:
        assert client.get(url).status_code == (200 if may_view else 403), url
    for url in add + change:
        assert client.get(url).status_code == (200 if may_change else 403), url


def test_an_anonymous_visitor_is_sent_to_sign_in_and_a_citizen_is_refused(client, form_with_draft):
    read, add, change = pages(form_with_draft)
    for url in read + add + change:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    client.force_login(UserFactory())
    for url in read + add + change:
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", [Role.ANALYST, Role.LAWYER])
def test_roles_that_may_not_change_forms_cannot_post(client, form_with_draft, role):
    client.force_login(make_staff(role))
    pk = form_with_draft.pk
    for url in [
        f"{BASE}{pk}/draft/publish/",
        f"{BASE}{pk}/draft/discard/",
        f"{BASE}{pk}/draft/start/",
        f"{BASE}{pk}/archive/",
        f"{BASE}{pk}/reopen/",
        f"{BASE}{pk}/draft/questions/B7/delete/",
        f"{BASE}{pk}/draft/questions/B7/move/",
        f"{BASE}{pk}/draft/sections/A/delete/",
        f"{BASE}{pk}/draft/sections/A/move/",
        f"{BASE}{pk}/draft/rules/R2/delete/",
    ]:
        assert client.post(url, {"direction": "up"}).status_code == 403, url
    draft = services.draft_of(form_with_draft)
    assert "B7" in question_map(draft.schema)
    form_with_draft.refresh_from_db()
    assert form_with_draft.status == Questionnaire.Status.ACTIVE


def test_trying_answers_needs_view_permission(client, form_with_draft):
    url = f"{BASE}{form_with_draft.pk}/try/"
    assert client.post(url, {"version": 1}).status_code == 302
    client.force_login(make_staff(Role.LAWYER))
    assert client.post(url, {"version": 1}).status_code == 403
    client.force_login(make_staff(Role.ANALYST))
    assert client.post(url, {"version": 1}).status_code == 200


def test_the_navigation_links_to_forms_for_those_who_may_see_them():
    urls = [link["url"] for link in staff_navigation(make_staff(Role.ANALYST), "/en/staff/")]
    assert BASE in urls
    urls = [link["url"] for link in staff_navigation(make_staff(Role.LAWYER), "/en/staff/")]
    assert BASE not in urls


# --- List -------------------------------------------------------------------------------------


def test_the_list_filters_by_election_and_kind(client):
    closing = published_questionnaire(code="CL", name_en="Closing demo")
    incident = published_questionnaire(code="IN", kind="incident", name_en="Incident demo")
    client.force_login(make_staff(Role.ANALYST))
    html = client.get(BASE).content.decode()
    assert "Closing demo" in html and "Incident demo" in html
    html = client.get(BASE, {"kind": "incident"}).content.decode()
    assert "Incident demo" in html and "Closing demo" not in html
    html = client.get(BASE, {"election": closing.election.pk}).content.decode()
    assert "Closing demo" in html and "Incident demo" not in html
    # htmx asks for the table only.
    fragment = client.get(BASE, {"kind": "incident"}, headers={"HX-Request": "true"})
    assert "<h1>" not in fragment.content.decode() and "Incident demo" in fragment.content.decode()
    assert incident.pk


# --- Preview and "try it" ---------------------------------------------------------------------


def test_the_preview_shows_the_form_with_skip_logic_and_rules_in_words(client, form_with_draft):
    client.force_login(make_staff(Role.ANALYST))
    html = client.get(f"{BASE}{form_with_draft.pk}/").content.decode()
    assert "Preview of version 1" in html
    assert "Did the station close at 19:00?" in html
    assert "Asked only when the answer to A1 “Did the station close at 19:00?” is “No”." in html
    assert "Raises an alert when" in html
    assert (
        'B2 “Ballots cast” is at most B1 “Registered voters”. <span class="muted">If not: '
        "Ballots cast cannot exceed registered voters.</span>" in html
    )
    assert 'name="q_B4" value="1"' in html and "Carousel voting" in html
    assert "Versions" in html and "?version=2" in html


def test_the_preview_switches_the_language_of_the_form(client, form_with_draft):
    client.force_login(make_staff(Role.ANALYST))
    html = client.get(f"{BASE}{form_with_draft.pk}/", {"lang": "az"}).content.decode()
    assert "Bağlanış" in html and "Bülletenlər seçicilərdən çox ola bilməz." in html
    html = client.get(f"{BASE}{form_with_draft.pk}/", {"lang": "ru"}).content.decode()
    assert "Did the station close at 19:00? (ru)" in html and "Подсчёт" in html
    fragment = client.get(
        f"{BASE}{form_with_draft.pk}/", {"lang": "ru"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert fragment.lstrip().startswith('<div id="preview"')


def test_the_preview_page_renders_in_azerbaijani(client, form_with_draft):
    client.force_login(make_staff(Role.ANALYST))
    response = client.get(f"/az/staff/forms/{form_with_draft.pk}/")
    assert response.status_code == 200
    assert '<html lang="az">' in response.content.decode()


def test_trying_answers_shows_errors_alerts_and_skipped_questions(client, form_with_draft):
    client.force_login(make_staff(Role.ANALYST))
    response = client.post(
        f"{BASE}{form_with_draft.pk}/try/",
        {"version": 1, "lang": "en", "q_A1": "no", "q_B1": "100", "q_B2": "200", "q_B4": ["1"]},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<h1>" not in html
    assert "These answers would be refused: 2 problems." in html
    assert "This question needs an answer." in html  # A2: when did it close
    assert "questionnaire-rules__broken" in html  # R1: cast above registered
    assert "2 alerts would be raised:" in html
    assert 'value="100"' in html  # what was typed stays in the form
    # B5 (describe) is asked because B4 has option 1; B8 would be skipped.
    assert (
        'id="question-B5"' in html and "Skipped now." not in html.split('id="question-B5"')[1][:600]
    )


def test_good_answers_would_be_accepted(client, form_with_draft):
    client.force_login(make_staff(Role.ANALYST))
    response = client.post(
        f"{BASE}{form_with_draft.pk}/try/",
        {"version": 2, "lang": "en", "q_A1": "yes", "q_B1": "100", "q_B2": "90", "q_B7": "1"},
    )
    html = response.content.decode()
    assert "These answers would be accepted." in html
    assert "Skipped now." in html  # A2 and B5 are left out
    assert "<h1>" in html  # without htmx, the whole page


def test_trying_a_version_that_does_not_exist_is_not_found(client, form_with_draft):
    client.force_login(make_staff(Role.ANALYST))
    assert client.post(f"{BASE}{form_with_draft.pk}/try/", {"version": 9}).status_code == 404
    assert client.get(f"{BASE}{form_with_draft.pk}/", {"version": "x"}).status_code == 404


# --- Creating and editing ---------------------------------------------------------------------


def test_a_coordinator_creates_a_form_and_lands_in_its_draft(client):
    client.force_login(make_staff(Role.COORDINATOR))
    response = client.post(
        f"{BASE}new/",
        {"kind": "opening", "code": "op", "name_az": "Açılış", "name_en": "Opening", "name_ru": ""},
    )
    questionnaire = Questionnaire.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}{questionnaire.pk}/draft/"
    assert questionnaire.code == "OP" and questionnaire.versions.count() == 1
    html = client.get(response["Location"]).content.decode()
    assert "No sections yet." in html and "The form has no sections." in html


def test_a_form_with_a_taken_code_is_refused_on_its_field(client):
    existing = published_questionnaire(code="OP")
    client.force_login(make_staff(Role.COORDINATOR))
    response = client.post(
        f"{BASE}new/",
        {"election": existing.election.pk, "kind": "opening", "code": "OP", "name_az": "Açılış"},
    )
    assert response.status_code == 200
    assert "This election already has a form with this code." in response.content.decode()
    assert Questionnaire.objects.count() == 1


def test_editing_the_form_names(client, form_with_draft):
    client.force_login(make_staff(Role.COORDINATOR))
    response = client.post(
        f"{BASE}{form_with_draft.pk}/edit/",
        {
            "election": form_with_draft.election.pk,
            "kind": "closing_counting",
            "code": "CL",
            "name_az": "Bağlanış",
            "name_en": "Closing",
            "name_ru": "Закрытие",
            "position": 3,
        },
    )
    assert response.status_code == 302
    form_with_draft.refresh_from_db()
    assert form_with_draft.name_en == "Closing" and form_with_draft.position == 3


# --- Import -----------------------------------------------------------------------------------


def test_importing_an_xlsform_makes_a_draft_and_shows_its_preview(client):
    client.force_login(make_staff(Role.COORDINATOR))
    response = client.post(
        f"{BASE}import/",
        {"file": SimpleUploadedFile("ndi.xlsx", ndi()), "kind": "opening", "code": "op"},
    )
    questionnaire = Questionnaire.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}{questionnaire.pk}/?version=1"
    html = client.get(response["Location"]).content.decode()
    assert "imported as a draft with 9 questions" in html
    assert "Preview of the draft (version 1)" in html


def test_an_xlsform_with_problems_lists_them_by_row_and_imports_nothing(client):
    client.force_login(make_staff(Role.COORDINATOR))
    data = workbook(
        [
            ["type", "name", "label"],
            ["integer", "a1", "Voters"],
            ["begin repeat", "people", "Each person"],
            ["text", "p1", "Name"],
            ["end repeat"],
            ["decimal", "a2", "Share"],
        ]
    )
    response = client.post(
        f"{BASE}import/",
        {"file": SimpleUploadedFile("bad.xlsx", data), "kind": "opening", "code": "OP"},
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Nothing was imported" in html and "has 2 problems" in html
    assert '<td class="num">3</td>' in html and "repeat group" in html
    assert '<td class="num">6</td>' in html and "decimal" in html
    assert not Questionnaire.objects.exists() and not QuestionnaireVersion.objects.exists()


def test_the_import_form_checks_its_fields(client):
    client.force_login(make_staff(Role.COORDINATOR))
    response = client.post(f"{BASE}import/", {"kind": "opening", "code": "OP12"})
    html = response.content.decode()
    assert response.status_code == 422
    assert "This field is required." in html
    assert "A form code is one to four capital letters." in html
    assert not Questionnaire.objects.exists()


# --- The draft editor -------------------------------------------------------------------------


def draft_schema(questionnaire):
    return services.draft_of(questionnaire).schema


def test_adding_a_question_through_the_editor(client, form_with_draft):
    client.force_login(make_staff(Role.COORDINATOR))
    pk = form_with_draft.pk
    response = client.post(
        f"{BASE}{pk}/draft/sections/B/questions/new/",
        {
            "code": "b10",
            "type": "single",
            "label_az": "Kim saydı?",
            "label_en": "Who counted?",
            "required": "on",
            "options": "1 | Komissiya | Commission | Комиссия\n2 | Sədr | Chair\n",
            "relevant": "B1 > 0",
            "alert": "B10 == '2'",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#question-B10")
    question = question_map(draft_schema(form_with_draft))["B10"]
    assert question == {
        "code": "B10",
        "type": "single",
        "label": {"az": "Kim saydı?", "en": "Who counted?"},
        "required": True,
        "relevant": "B1 > 0",
        "alert": "B10 == '2'",
        "options": [
            {"value": "1", "label": {"az": "Komissiya", "en": "Commission", "ru": "Комиссия"}},
            {"value": "2", "label": {"az": "Sədr", "en": "Chair"}},
        ],
    }
    html = client.get(f"{BASE}{pk}/draft/").content.decode()
    assert (
        "Who counted?" in html and "Asked only when B1 “Registered voters” is more than 0." in html
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"options": "1 | Bir\n1 | İki"}, "Line 2: the value 1 is used twice."),
        ({"options": "a b | Bir\n2 | İki"}, "Line 1: the value “a b” may only use letters"),
        ({"options": "1 | Bir"}, "Give at least two options, one a line."),
        ({"options": "1 |\n2 | İki"}, "Line 1 has no Azerbaijani text."),
        ({"relevant": "B1 >"}, "This condition cannot be read"),
        ({"alert": "open('x')"}, "This condition cannot be read: unknown function"),
        ({"code": "b-1"}, "Use one to three capital letters"),
        ({"code": "B1"}, "Question code B1 is used twice."),
        ({"relevant": "B9 == '1'"}, "The skip logic of B9 can only use answers to earlier"),
        ({"relevant": "Z1 > 0"}, "names questions that do not exist: Z1"),
    ],
)
def test_a_wrong_question_is_refused_with_the_reason_and_nothing_changes(
    client, form_with_draft, fields, message
):
    client.force_login(make_staff(Role.COORDINATOR))
    before = draft_schema(form_with_draft)
    data = {"code": "B9", "type": "single", "label_az": "Sual", "options": "1 | Bir\n2 | İki"}
    response = client.post(
        f"{BASE}{form_with_draft.pk}/draft/sections/B/questions/new/", {**data, **fields}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert draft_schema(form_with_draft) == before


def test_a_number_question_with_its_range(client, form_with_draft):
    client.force_login(make_staff(Role.COORDINATOR))
    url = f"{BASE}{form_with_draft.pk}/draft/sections/B/questions/new/"
    data = {"code": "B9", "type": "number", "label_az": "Say", "min": "10", "max": "5"}
    response = client.post(url, data)
    assert "The largest number must not be below the smallest." in response.content.decode()
    response = client.post(url, {**data, "max": "50", "options": "ignored | x"})
    assert response.status_code == 302
    question = question_map(draft_schema(form_with_draft))["B9"]
    assert (question["min"], question["max"]) == (10, 50) and "options" not in question


def test_editing_a_question_keeps_its_place(client, form_with_draft):
    client.force_login(make_staff(Role.COORDINATOR))
    pk = form_with_draft.pk
    html = client.get(f"{BASE}{pk}/draft/questions/B4/edit/").content.decode()
    assert "1 | Karusel | Carousel voting" in html
    response = client.post(
        f"{BASE}{pk}/draft/questions/B3/edit/",
        {"code": "B3", "type": "number", "label_az": "Korlanmış", "label_en": "Spoiled", "min": 0},
    )
    assert response.status_code == 302
    schema = draft_schema(form_with_draft)
    assert [q["code"] for q in questions(schema)][4] == "B3"
    assert question_map(schema)["B3"]["label"] == {"az": "Korlanmış", "en": "Spoiled"}


def test_deleting_a_question_in_use_shows_why_it_cannot_be(client, form_with_draft):
    client.force_login(make_staff(Role.COORDINATOR))
    pk = form_with_draft.pk
    response = client.post(f"{BASE}{pk}/draft/questions/B1/delete/", follow=True)
    assert "Question B1 cannot be deleted: R1 use it." in response.content.decode()
    assert "B1" in question_map(draft_schema(form_with_draft))
    response = client.post(f"{BASE}{pk}/draft/questions/B7/delete/", follow=True)
    assert "Question B7 was deleted." in response.content.decode()
    assert "B7" not in question_map(draft_schema(form_with_draft))


def test_moving_questions_and_sections(client, form_with_draft):
    client.force_login(make_staff(Role.COORDINATOR))
    pk = form_with_draft.pk
    client.post(f"{BASE}{pk}/draft/questions/B7/move/", {"direction": "up"})
    assert [q["code"] for q in questions(draft_schema(form_with_draft))][-2:] == ["B7", "B6"]
    response = client.post(
        f"{BASE}{pk}/draft/questions/A1/move/", {"direction": "down"}, follow=True
    )
    assert "can only use answers to earlier questions" in response.content.decode()
    client.post(f"{BASE}{pk}/draft/sections/B/move/", {"direction": "up"})
    assert [s["code"] for s in draft_schema(form_with_draft)["sections"]] == ["B", "A"]


def test_sections_and_rules_through_the_editor(client, form_with_draft):
    client.force_login(make_staff(Role.COORDINATOR))
    pk = form_with_draft.pk
    response = client.post(
        f"{BASE}{pk}/draft/sections/new/",
        {"code": "C", "label_az": "Şərhlər", "label_en": "Comments"},
    )
    assert response.status_code == 302
    response = client.post(f"{BASE}{pk}/draft/sections/new/", {"code": "C", "label_az": "Təkrar"})
    assert "Every section needs a code of its own." in response.content.decode()
    client.post(f"{BASE}{pk}/draft/sections/C/edit/", {"code": "C", "label_az": "Qeydlər"})
    assert draft_schema(form_with_draft)["sections"][2]["label"] == {"az": "Qeydlər"}
    assert client.get(f"{BASE}{pk}/draft/rules/new/").context["form"].initial["code"] == "R3"
    response = client.post(
        f"{BASE}{pk}/draft/rules/new/",
        {"code": "R3", "check": "B3 + B2 <= B1", "message_az": "Cəm çoxdur"},
    )
    assert response.status_code == 302
    assert draft_schema(form_with_draft)["rules"][2]["check"] == "B3 + B2 <= B1"
    response = client.post(
        f"{BASE}{pk}/draft/rules/R3/edit/", {"code": "R3", "check": "B3 <=", "message_az": "x"}
    )
    assert "This condition cannot be read" in response.content.decode()
    client.post(f"{BASE}{pk}/draft/rules/R3/delete/")
    client.post(f"{BASE}{pk}/draft/sections/C/delete/")
    assert len(draft_schema(form_with_draft)["rules"]) == 2
    assert len(draft_schema(form_with_draft)["sections"]) == 2
    assert client.get(f"{BASE}{pk}/draft/rules/R9/edit/").status_code == 404
    assert client.get(f"{BASE}{pk}/draft/questions/Z1/edit/").status_code == 404


def test_publishing_the_draft_from_the_editor(client, form_with_draft):
    client.force_login(make_staff(Role.COORDINATOR))
    pk = form_with_draft.pk
    response = client.post(f"{BASE}{pk}/draft/publish/", {"note": "B7 photo kept"}, follow=True)
    assert "Version 2 was published; new reports use it." in response.content.decode()
    form_with_draft.refresh_from_db()
    assert form_with_draft.current_version.number == 2
    assert form_with_draft.current_version.note == "B7 photo kept"
    # No draft now: the editor offers to start one; editing a question sends there.
    html = client.get(f"{BASE}{pk}/draft/").content.decode()
    assert "Start a draft" in html
    response = client.get(f"{BASE}{pk}/draft/questions/B1/edit/")
    assert response.status_code == 302 and response["Location"] == f"{BASE}{pk}/draft/"
    client.post(f"{BASE}{pk}/draft/start/")
    assert services.draft_of(form_with_draft).number == 3


def test_a_draft_that_is_not_ready_cannot_be_published(client):
    client.force_login(make_staff(Role.COORDINATOR))
    questionnaire = services.create_questionnaire(
        actor=None, kind="opening", code="OP", name_az="Açılış"
    )
    response = client.post(f"{BASE}{questionnaire.pk}/draft/publish/", follow=True)
    assert "The form has no sections." in response.content.decode()
    questionnaire.refresh_from_db()
    assert questionnaire.current_version is None


def test_archiving_and_reopening(client, form_with_draft):
    client.force_login(make_staff(Role.COORDINATOR))
    pk = form_with_draft.pk
    response = client.post(f"{BASE}{pk}/archive/", follow=True)
    assert "The form was archived" in response.content.decode()
    form_with_draft.refresh_from_db()
    assert form_with_draft.status == Questionnaire.Status.ARCHIVED
    response = client.post(f"{BASE}{pk}/draft/questions/B7/delete/", follow=True)
    assert "This form is archived" in response.content.decode()
    client.post(f"{BASE}{pk}/reopen/")
    form_with_draft.refresh_from_db()
    assert form_with_draft.status == Questionnaire.Status.ACTIVE


def test_discarding_the_draft(client, form_with_draft):
    client.force_login(make_staff(Role.COORDINATOR))
    response = client.post(f"{BASE}{form_with_draft.pk}/draft/discard/", follow=True)
    assert "The draft was discarded." in response.content.decode()
    assert services.draft_of(form_with_draft) is None


def test_while_answers_are_typed_only_the_skip_logic_is_redrawn(client, form_with_draft):
    client.force_login(make_staff(Role.ANALYST))
    url = f"{BASE}{form_with_draft.pk}/try/?live=1"
    html = client.post(
        url, {"version": 1, "lang": "en", "q_A1": "yes"}, headers={"HX-Request": "true"}
    ).content.decode()
    # Only the lines saying which questions are asked, swapped in place (nothing typed is lost).
    assert "<input" not in html and 'hx-swap-oob="true"' in html
    a2 = html.split('id="relevance-A2"')[1].split("</p>")[0]
    assert "questionnaire-logic--skipped" in html.split('id="relevance-A2"')[0][-80:]
    assert "Skipped now." in a2
    html = client.post(
        url, {"version": 1, "lang": "en", "q_A1": "no"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "Skipped now." not in html.split('id="relevance-A2"')[1].split("</p>")[0]
    assert "would be refused" not in html and "This question needs an answer." not in html
    # Without htmx, the whole page, with the answers kept but not judged.
    html = client.post(url, {"version": 1, "lang": "en", "q_A1": "no"}).content.decode()
    assert 'id="id_q_A1_no" name="q_A1" value="no" checked' in html
    assert "would be refused" not in html

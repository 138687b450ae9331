"""Editing in Wagtail: who may, and the audit trail it leaves."""

import pytest
from wagtail.actions.delete_page import DeletePageAction
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.permissions import policy_registry
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, streamfield

from accounts.roles import Role
from accounts.tests.factories import make_staff
from audit.models import AuditEntry
from publications.models import ArticleIndexPage, ArticlePage
from publications.services import page_publish
from publications.tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.PROGRAMME_OFFICER, Role.ADMINISTRATOR])
def test_editors_can_open_the_cms(client, role):
    client.force_login(make_staff(role))

    assert client.get("/cms/").status_code == 200
    index = ArticleIndexPage.objects.get(locale__language_code="az")
    assert client.get(f"/cms/pages/{index.pk}/").status_code == 200


@pytest.mark.parametrize("role", [Role.LAWYER, Role.COORDINATOR])
def test_other_staff_cannot_open_the_cms(client, role):
    client.force_login(make_staff(role))

    response = client.get("/cms/")

    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/cms/" not in response["Location"].split("?")[0]


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/cms/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_programme_officers_may_write_and_publish_pages_in_every_language():
    officer = make_staff(Role.PROGRAMME_OFFICER)
    lawyer = make_staff(Role.LAWYER)

    for index in ArticleIndexPage.objects.all():
        permissions = index.permissions_for_user(officer)
        assert permissions.can_add_subpage()
        assert permissions.can_edit()
        assert permissions.can_publish()
        assert not index.permissions_for_user(lawyer).can_edit()


def test_programme_officers_may_upload_documents_and_images_and_lawyers_may_not():
    officer = make_staff(Role.PROGRAMME_OFFICER)
    lawyer = make_staff(Role.LAWYER)

    for model in (get_document_model(), get_image_model()):
        policy = policy_registry.get_by_type(model)
        assert policy.user_has_permission(officer, "add")
        assert policy.user_has_permission(officer, "choose")
        assert not policy.user_has_permission(lawyer, "add")
    assert officer.has_perm("wagtail_localize.submit_translation")


def test_publishing_in_the_cms_leaves_an_audit_entry(client):
    officer = make_staff(Role.PROGRAMME_OFFICER)
    article = make_article("Köhnə başlıq", language="az")
    client.force_login(officer)
    edit_url = f"/cms/pages/{article.pk}/edit/"
    form = querydict_from_html(client.get(edit_url).content.decode(), form_id="page-edit-form")
    form["title"] = "Yeni başlıq"
    # The body editor is drawn by JavaScript, so its fields are not in the page's HTML.
    form.update(nested_form_data({"body": streamfield([])}))
    form["action-publish"] = "action-publish"

    response = client.post(edit_url, form)

    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert article.title == "Yeni başlıq"
    assert article.live
    entry = AuditEntry.objects.filter(actor=officer, action=AuditEntry.Action.PUBLISH).get()
    assert entry.object_id == str(article.pk)
    assert entry.content_type.model_class() is ArticlePage
    assert entry.object_label == "Yeni başlıq"
    assert entry.changes["wagtail_action"] == "wagtail.publish"


def test_deleting_a_page_in_the_cms_is_audited_as_a_deletion():
    administrator = make_staff(Role.ADMINISTRATOR)
    article = make_article("To be deleted", language="en")
    page_id = article.pk

    DeletePageAction(article, user=administrator).execute()

    assert not ArticlePage.objects.filter(pk=page_id).exists()
    entry = AuditEntry.objects.get(actor=administrator, action=AuditEntry.Action.DELETE)
    assert entry.object_id == str(page_id)
    assert entry.object_label == "To be deleted"


def test_a_saved_draft_is_audited_as_a_change():
    officer = make_staff(Role.PROGRAMME_OFFICER)
    article = make_article("Draft me", language="en")
    article.title = "Draft me again"

    article.save_revision(user=officer, log_action=True)

    entry = AuditEntry.objects.get(actor=officer)
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.changes["wagtail_action"] == "wagtail.edit"


def test_publishing_without_a_user_is_audited_as_the_system():
    article = make_article("System publication", language="en", live=False)

    page_publish(page=article)

    entry = AuditEntry.objects.filter(object_id=str(article.pk)).latest("id")
    assert entry.action == AuditEntry.Action.PUBLISH
    assert entry.actor is None
    assert entry.actor_label == "wagtail"


def test_a_document_logged_by_wagtail_is_audited_with_its_type():
    from django.core.files.base import ContentFile
    from wagtail.log_actions import log

    officer = make_staff(Role.PROGRAMME_OFFICER)
    document = get_document_model()(title="Annual report", uploaded_by_user=officer)
    document.file.save("annual-report.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    document.save()

    log(instance=document, action="wagtail.create", user=officer)

    entry = AuditEntry.objects.get(actor=officer)
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.content_type.model_class() is get_document_model()
    assert entry.object_id == str(document.pk)
    assert entry.object_label == "Annual report"

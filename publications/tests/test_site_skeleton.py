"""What migrations leave: locales, a home page per language, programme pages, the index."""

import pytest
from django.contrib.auth.models import Group
from wagtail.documents import get_document_model
from wagtail.models import Collection, Locale, Page, Site, Workflow, WorkflowPage
from wagtail.permissions import policy_registry

from accounts.roles import Role
from accounts.tests.factories import make_staff
from core.programmes import Programme
from publications import content
from publications.models import ArticleIndexPage, HomePage, ProgrammePage
from publications.services import site_setup_after_migrate, site_skeleton_ensure

pytestmark = pytest.mark.django_db


def _after_migrate():
    """What `migrate` and `flush` do last: signal that the last app has migrated."""
    from django.apps import apps

    last_app = [config for config in apps.get_app_configs() if config.models_module][-1]
    site_setup_after_migrate(sender=last_app)


HEADINGS = {"az": "Biz nə edirik?", "en": "What do we do?", "ru": "Что мы делаем?"}


def test_locales_exist_for_the_three_languages():
    assert set(Locale.objects.values_list("language_code", flat=True)) == {"az", "en", "ru"}


def test_the_site_root_is_the_azerbaijani_home_page():
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    assert isinstance(home, HomePage)
    assert home.locale.language_code == "az"
    translations = {page.locale.language_code for page in home.get_translations()}
    assert translations == {"en", "ru"}


def test_wagtails_welcome_page_is_gone():
    assert not Page.objects.filter(title="Welcome to your new Wagtail site!").exists()
    assert Page.objects.filter(depth=2).type(HomePage).count() == 3


def test_wagtails_default_groups_and_their_workflow_are_removed():
    assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()
    assert not WorkflowPage.objects.exists()
    assert not Workflow.objects.filter(active=True).exists()


@pytest.mark.parametrize("language", ["az", "en", "ru"])
def test_a_fresh_database_serves_the_home_page_in_each_language(client, language):
    response = client.get(f"/{language}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert HEADINGS[language] in html
    for programme in Programme:
        assert content.PROGRAMMES[programme][language]["title"] in html


def test_the_azerbaijani_home_page_uses_the_associations_own_words(client):
    html = client.get("/az/").content.decode()

    assert "Birliyin fəaliyyət predmeti sırasında" in html
    assert "Azad və ədalətli seçkilər demokratiyanın təməl prinsipləri" in html
    assert "QHT-lərin cəmiyyətdə yerinin və rolunun artırılmasına" in html


def test_home_page_links_each_programme_page_in_its_language(client):
    html = client.get("/ru/").content.decode()

    for programme in Programme:
        page = ProgrammePage.objects.get(locale__language_code="ru", programme=programme)
        assert f'href="{page.url}"' in html
        assert page.url.startswith("/ru/")


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("/az/seckiler/", "Azad və ədalətli seçkilər"),
        ("/en/human-rights/", "Securing human rights and freedoms"),
        ("/ru/grazhdanskoe-obshchestvo/", "Признание за людьми возможности"),
        ("/az/xeberler/", "Xəbərlər və nəşrlər"),
        ("/en/publications/", "News and publications"),
        ("/ru/publikacii/", "Новости и публикации"),
    ],
)
def test_programme_pages_and_the_index_exist_in_each_language(client, url, text):
    response = client.get(url)

    assert response.status_code == 200
    assert text in response.content.decode()


def test_the_skeleton_does_not_bring_back_a_page_an_editor_deleted():
    ProgrammePage.objects.get(locale__language_code="en", programme=Programme.ELECTIONS).delete()

    _after_migrate()

    assert not ProgrammePage.objects.filter(
        locale__language_code="en", programme=Programme.ELECTIONS
    ).exists()


def test_the_site_and_cms_rights_are_rebuilt_on_an_emptied_database(client):
    # `flush` (used by live-server tests) empties every table, Wagtail's root page included.
    Site.objects.all().delete()
    Page.get_first_root_node().delete()
    Collection.get_first_root_node().delete()
    Locale.objects.all().delete()

    _after_migrate()

    assert client.get("/en/").status_code == 200
    assert ArticleIndexPage.objects.count() == 3
    assert ProgrammePage.objects.count() == 12
    officer = make_staff(Role.PROGRAMME_OFFICER)
    assert ArticleIndexPage.objects.first().permissions_for_user(officer).can_publish()
    assert policy_registry.get_by_type(get_document_model()).user_has_permission(officer, "add")


def test_ensuring_the_skeleton_twice_creates_nothing_new():
    pages_before = Page.objects.count()

    site_skeleton_ensure()

    assert Page.objects.count() == pages_before


@pytest.mark.django_db(transaction=True)
def test_after_a_real_flush_the_site_is_served_again(client):
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)

    assert client.get("/az/").status_code == 200
    assert client.get("/ru/publikacii/").status_code == 200
    officer = make_staff(Role.PROGRAMME_OFFICER)
    assert (
        HomePage.objects.get(locale__language_code="en")
        .permissions_for_user(officer)
        .can_add_subpage()
    )

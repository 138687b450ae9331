"""Writes for the public site: the page skeleton a fresh install starts with, who may edit it in
Wagtail, and the bridge that copies Wagtail's own log of CMS edits into Birlik's audit log."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
)
from wagtail.search import index as search_index

from accounts.roles import Role
from audit.models import AuditEntry
from audit.services import audit_log
from core.programmes import Programme
from publications import content
from publications.models import ArticleIndexPage, HomePage, ProgrammePage


def locales_ensure() -> dict[str, Locale]:
    """A Locale row for each site language."""
    return {
        code: Locale.objects.get_or_create(language_code=code)[0]
        for code, _name in settings.LANGUAGES
    }


def page_publish(*, page: Page, user=None) -> Page:
    """Save a revision of the page and publish it (Wagtail logs the publication).

    The page is indexed for search at once: Wagtail's own indexing runs as a background task,
    and a site built by a command (a new install, the demo) should be searchable before any
    worker has run.
    """
    page.save_revision(user=user).publish(user=user)
    search_index.insert_or_update_object(page)
    return page


def _site_address() -> tuple[str, int]:
    parts = urlsplit(settings.SITE_URL)
    default_port = 443 if parts.scheme == "https" else 80
    return parts.hostname or "localhost", parts.port or default_port


def _is_wagtail_placeholder(page: Page) -> bool:
    """Wagtail's own "Welcome to your new Wagtail site!" page, untouched."""
    return page.specific_class is Page and page.depth == 2 and page.is_leaf()


def _home_page_az(locales: dict[str, Locale]) -> HomePage:
    """The az home page as the default Site's root, replacing Wagtail's placeholder page."""
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locales["az"]))
    home = HomePage.objects.filter(locale=locales["az"], depth=2).first()
    if home is None:
        text = content.HOME["az"]
        home = root.add_child(
            instance=HomePage(
                title=text["title"],
                slug="birlik",
                locale=locales["az"],
                heading=text["heading"],
                intro=text["intro"],
            )
        )
        page_publish(page=home)
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        hostname, port = _site_address()
        Site.objects.create(hostname=hostname, port=port, root_page=home, is_default_site=True)
    elif not isinstance(site.root_page.specific, HomePage):
        placeholder = site.root_page
        site.hostname, site.port = _site_address()
        site.root_page = home
        site.site_name = settings.WAGTAIL_SITE_NAME
        site.save()
        if _is_wagtail_placeholder(placeholder):
            placeholder.delete()
    return home


def page_translation_ensure(*, source: Page, locale: Locale, tags=(), **fields) -> Page:
    """The source page's translation in `locale`; if missing, a new page with `fields` (and
    `tags`) is created under the parent's translation and published."""
    existing = source.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    if source.depth == 2:
        parent = source.get_parent()
    else:
        parent = source.get_parent().get_translation(locale)
    page = source.specific_class(locale=locale, translation_key=source.translation_key, **fields)
    if tags:
        page.tags.add(*tags)
    parent.add_child(instance=page)
    return page_publish(page=page)


def _programme_blocks(code: str, programme_pages: dict[str, ProgrammePage]) -> list[tuple]:
    return [
        (
            "programme",
            {
                "programme": programme.value,
                "title": content.PROGRAMMES[programme][code]["title"],
                "text": content.PROGRAMMES[programme][code]["text"],
                "page": programme_pages.get(programme.value),
            },
        )
        for programme in Programme
    ]


@transaction.atomic
def site_skeleton_ensure() -> dict[str, HomePage]:
    """Home page, one page per programme and the publications index, in az, en and ru.

    Creates only what is missing and never rewrites a page that exists, so editors' changes
    survive; returns the home page of each language.
    """
    locales = locales_ensure()
    homes = {"az": _home_page_az(locales)}
    for code in content.LANGUAGES[1:]:
        text = content.HOME[code]
        homes[code] = page_translation_ensure(
            source=homes["az"],
            locale=locales[code],
            title=text["title"],
            slug=f"birlik-{code}",
            heading=text["heading"],
            intro=text["intro"],
        )

    programme_pages: dict[str, dict[str, ProgrammePage]] = {code: {} for code in homes}
    for programme in Programme:
        text = content.PROGRAMMES[programme]
        source = ProgrammePage.objects.filter(locale=locales["az"], programme=programme).first()
        if source is None:
            source = homes["az"].add_child(
                instance=ProgrammePage(
                    title=text["az"]["title"],
                    slug=text["az"]["slug"],
                    locale=locales["az"],
                    programme=programme,
                    intro=f"<p>{text['az']['text']}</p>",
                )
            )
            page_publish(page=source)
        programme_pages["az"][programme.value] = source
        for code in content.LANGUAGES[1:]:
            programme_pages[code][programme.value] = page_translation_ensure(
                source=source,
                locale=locales[code],
                title=text[code]["title"],
                slug=text[code]["slug"],
                programme=programme,
                intro=f"<p>{text[code]['text']}</p>",
            )

    index = ArticleIndexPage.objects.child_of(homes["az"]).first()
    if index is None:
        text = content.PUBLICATIONS["az"]
        index = homes["az"].add_child(
            instance=ArticleIndexPage(
                title=text["title"], slug=text["slug"], locale=locales["az"], intro=text["intro"]
            )
        )
        page_publish(page=index)
    for code in content.LANGUAGES[1:]:
        text = content.PUBLICATIONS[code]
        page_translation_ensure(
            source=index,
            locale=locales[code],
            title=text["title"],
            slug=text["slug"],
            intro=text["intro"],
        )

    # The programme blocks link to the programme pages, which exist only now. The home pages
    # are read again: publishing saves tree fields (numchild) from the instance in hand.
    for code in homes:
        home = homes[code] = HomePage.objects.get(pk=homes[code].pk)
        if not home.programmes:
            home.programmes = _programme_blocks(code, programme_pages[code])
            page_publish(page=home)
    return homes


# Wagtail keeps page rights on the page tree and document and image rights on collections,
# outside Django's group permissions (which accounts.roles.sync_roles owns). With "add",
# Wagtail lets people change and delete the documents and images they uploaded themselves.
CMS_PAGE_PERMISSIONS = {
    Role.PROGRAMME_OFFICER: ["add", "change", "publish"],
    Role.ADMINISTRATOR: ["add", "change", "publish", "lock", "unlock"],
}
CMS_COLLECTION_PERMISSIONS = {
    Role.PROGRAMME_OFFICER: ["add", "choose"],
    Role.ADMINISTRATOR: ["add", "change", "delete", "choose"],
}


@transaction.atomic
def cms_permissions_ensure() -> None:
    """Programme officers and administrators may edit pages in every language (rights on the
    root page), documents and images (rights on the root collection). Only adds rights."""
    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
    for role, actions in CMS_PAGE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        if root_page is not None:
            for action in actions:
                GroupPagePermission.objects.get_or_create(
                    group=group,
                    page=root_page,
                    permission=Permission.objects.get(
                        content_type__app_label="wagtailcore", codename=f"{action}_page"
                    ),
                )
        for action in CMS_COLLECTION_PERMISSIONS[role]:
            for model in (get_document_model(), get_image_model()):
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=root_collection,
                    permission=Permission.objects.get(
                        content_type=ContentType.objects.get_for_model(model),
                        codename=f"{action}_{model._meta.model_name}",
                    ),
                )


def site_setup_after_migrate(sender, using="default", **kwargs) -> None:
    """After `migrate` (and `flush`), once every app's permissions exist: the CMS rights, and
    for a new install its site.

    A site whose root is already a HomePage is left alone, so pages an editor deleted on
    purpose are not brought back by the next deployment.
    """
    from django.apps import apps
    from django.db import connections

    apps_with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender.label != apps_with_models[-1].label:
        return
    tables = set(connections[using].introspection.table_names())
    if not {HomePage._meta.db_table, Site._meta.db_table} <= tables:
        return  # migrating backwards, or only part of the way
    site = Site.objects.filter(is_default_site=True).first()
    if site is None or not HomePage.objects.filter(pk=site.root_page_id).exists():
        site_skeleton_ensure()
    cms_permissions_ensure()


# --- Wagtail's log entries into the audit log ------------------------------------------------

_CREATE_ACTIONS = {"wagtail.create", "wagtail.copy", "wagtail.copy_for_translation"}
_DELETE_ACTIONS = {"wagtail.delete"}
_PUBLISH_ACTIONS = {"wagtail.publish", "wagtail.publish.scheduled"}


def audit_action_for(wagtail_action: str) -> str:
    if wagtail_action in _PUBLISH_ACTIONS:
        return AuditEntry.Action.PUBLISH
    if wagtail_action in _CREATE_ACTIONS:
        return AuditEntry.Action.CREATE
    if wagtail_action in _DELETE_ACTIONS:
        return AuditEntry.Action.DELETE
    return AuditEntry.Action.UPDATE


@transaction.atomic
def wagtail_log_entry_audit(*, entry) -> AuditEntry:
    """Record one Wagtail log entry (PageLogEntry or ModelLogEntry) in the audit log.

    The record is named by type and id without being loaded: after a deletion it is gone.
    """
    model = entry.content_type.model_class() if entry.content_type_id else None
    target = model(pk=entry.object_id) if model is not None else None
    changes = {"wagtail_action": entry.action}
    if entry.revision_id:
        changes["revision"] = entry.revision_id
    if getattr(entry, "data", None):
        changes["data"] = entry.data
    return audit_log(
        actor=entry.user if entry.user_id else "wagtail",
        action=audit_action_for(entry.action),
        obj=target,
        object_label=entry.label,
        changes=changes,
    )

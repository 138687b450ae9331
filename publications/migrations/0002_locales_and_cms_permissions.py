"""Locales for az, en and ru; Wagtail's default groups and workflow give way to Birlik's roles.

Wagtail's "Editors" and "Moderators" groups are removed (least privilege): programme officers
and administrators get their page, document and image rights from
`publications.services.cms_permissions_ensure`, run after every migrate. Wagtail's default
"Moderators approval" workflow goes with them: nobody would be left to approve, and the people
who edit pages may publish them.
"""

from django.db import migrations

LANGUAGE_CODES = ["az", "en", "ru"]
DEFAULT_GROUPS = ["Editors", "Moderators"]
DEFAULT_WORKFLOW = "Moderators approval"


def forwards(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")

    for code in LANGUAGE_CODES:
        Locale.objects.get_or_create(language_code=code)
    Group.objects.filter(name__in=DEFAULT_GROUPS).delete()
    WorkflowPage.objects.filter(workflow__name=DEFAULT_WORKFLOW).delete()
    Workflow.objects.filter(name=DEFAULT_WORKFLOW).update(active=False)


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    # Not reversed: Wagtail's defaults are not wanted back, and the locales may hold pages.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

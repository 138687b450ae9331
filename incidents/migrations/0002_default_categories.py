"""The eight categories every installation starts with (incidents.categories); only the missing
ones are added, so staff's later changes to them are never undone."""

from django.db import migrations


def add_categories(apps, schema_editor):
    from incidents.categories import add_default_categories

    add_default_categories(apps.get_model("incidents", "IncidentCategory"))


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]

    operations = [migrations.RunPython(add_categories, migrations.RunPython.noop)]

"""The default arithmetic checks for every type of election (see results.checks)."""

from django.db import migrations

ELECTION_KINDS = ("presidential", "parliamentary", "municipal", "referendum")


def add_default_checks(apps, schema_editor):
    from results.checks import DEFAULT_CHECKS

    ProtocolCheck = apps.get_model("results", "ProtocolCheck")
    for kind in ELECTION_KINDS:
        for position, default in enumerate(DEFAULT_CHECKS):
            ProtocolCheck.objects.get_or_create(
                election_kind=kind,
                code=default.code,
                defaults={
                    "expression": default.expression,
                    "message_az": default.message_az,
                    "message_en": default.message_en,
                    "message_ru": default.message_ru,
                    "position": position,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("results", "0001_initial")]

    operations = [migrations.RunPython(add_default_checks, migrations.RunPython.noop)]

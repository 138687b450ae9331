"""Print the API's OpenAPI document, or write it to the committed snapshot (`make openapi`)."""

from django.core.management.base import BaseCommand

from api.schema import SNAPSHOT_PATH, openapi_document


class Command(BaseCommand):
    help = "Print the OpenAPI document; with --write, update api/openapi.snapshot.json."

    def add_arguments(self, parser):
        parser.add_argument(
            "--write", action="store_true", help=f"Write the document to {SNAPSHOT_PATH}."
        )

    def handle(self, *args, write: bool, **options):
        document = openapi_document()
        if write:
            SNAPSHOT_PATH.write_text(document)
            self.stdout.write(f"Wrote {SNAPSHOT_PATH}")
        else:
            self.stdout.write(document, ending="")

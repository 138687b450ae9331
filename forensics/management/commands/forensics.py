"""`manage.py forensics FILE --layout russia`: the whole forensic suite on a results file,
printed as JSON (electionstats.forensics.run_suite). Nothing is written to the database.

    manage.py forensics ../shared/data/georgia/2013_official_pres.csv --layout georgia --indent 2
    manage.py forensics results.xlsx --layout mapped \
        --mapping '{"station": "PEC", "registered": "Voters", "issued": "Issued"}' \
        --options "Party A" "Party B"
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from electionstats.forensics import run_suite
from electionstats.layouts import (
    LAYOUTS,
    LayoutError,
    read_csv_mapped,
    read_layout,
    read_xlsx_mapped,
)

MAPPED = "mapped"


def _load_mapping(text: str) -> dict[str, str]:
    """The mapping as JSON text, or the path of a JSON file holding it."""
    if not text.lstrip().startswith("{") and Path(text).is_file():
        text = Path(text).read_text(encoding="utf-8")
    try:
        mapping = json.loads(text)
    except json.JSONDecodeError as error:
        message = _("The mapping is not valid JSON: %(error)s") % {"error": error}
        raise CommandError(message) from None
    if not isinstance(mapping, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
    ):
        raise CommandError(
            _('The mapping must be a JSON object of field → column name, e.g. {"station": "PEC"}.')
        )
    return mapping


def read_table(path: Path, layout: str, mapping: str | None, options: list[str] | None):
    """Read the file with its layout; every reader error becomes a CommandError."""
    if not path.is_file():
        raise CommandError(_("File not found: %(path)s") % {"path": path})
    if layout == MAPPED:
        if not mapping:
            raise CommandError(_("The mapped layout needs --mapping (a JSON object)."))
        columns = _load_mapping(mapping)
        reader = read_xlsx_mapped if path.suffix.lower() in {".xlsx", ".xlsm"} else read_csv_mapped
        call = lambda: reader(path, columns, options=options or None)  # noqa: E731
    else:
        if mapping or options:
            raise CommandError(_("--mapping and --options apply only to --layout mapped."))
        call = lambda: read_layout(path, layout)  # noqa: E731
    try:
        table = call()
    except LayoutError as error:
        message = _("The file does not fit the layout: %(error)s") % {"error": error}
        raise CommandError(message) from None
    except (UnicodeDecodeError, ValueError, KeyError, IndexError, OSError) as error:
        raise CommandError(
            _("The file could not be read as %(layout)s: %(error)s")
            % {"layout": layout, "error": error}
        ) from None
    if len(table) == 0:
        raise CommandError(_("The file has no polling-station rows."))
    if not table.options:
        raise CommandError(_("The file has no ballot-option columns."))
    return table


class Command(BaseCommand):
    help = "Run the election forensics suite on an official results file and print JSON."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV, zipped CSV or XLSX file of per-station results")
        parser.add_argument("--layout", required=True, choices=[*LAYOUTS, MAPPED])
        parser.add_argument(
            "--mapping",
            help='mapped layout: JSON {"station": column, "registered": column, ...} or a file',
        )
        parser.add_argument(
            "--options", nargs="+", help="mapped layout: the ballot-option columns (default: rest)"
        )
        parser.add_argument("--leader", help="option name (default: the most votes)")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--simulations", type=int, default=100)
        parser.add_argument("--indent", type=int, default=None)

    def handle(self, *args, **options):
        if options["simulations"] < 1:
            raise CommandError(_("--simulations must be at least 1."))
        table = read_table(
            Path(options["file"]), options["layout"], options["mapping"], options["options"]
        )
        leader = options["leader"]
        if leader is not None and leader not in table.options:
            raise CommandError(
                _("No option named %(leader)s; the options are: %(options)s")
                % {"leader": leader, "options": ", ".join(table.options)}
            )
        result = run_suite(
            table, leader=leader, seed=options["seed"], simulations=options["simulations"]
        )
        out = self.stdout if self.stdout is not None else sys.stdout
        out.write(json.dumps(result, ensure_ascii=False, indent=options["indent"], allow_nan=False))

"""CI check: every message in the Azerbaijani and Russian catalogues is translated.

Extracts the strings from the code again (makemessages, in a temporary copy of the source so
the check changes nothing), so a string added without a translation fails, as does an
untranslated or fuzzy entry."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["az", "ru"]
SKIP = shutil.ignore_patterns(
    ".venv",
    ".git",
    "staticfiles",
    "media",
    "var",
    "db.sqlite3*",
    "__pycache__",
    "*.mo",
    "node_modules",
)


def untranslated(locale_dir: Path) -> list[str]:
    problems = []
    for code in LANGUAGES:
        for path in sorted((locale_dir / code / "LC_MESSAGES").glob("*.po")):
            for entry in polib.pofile(str(path)):
                if entry.obsolete:
                    continue
                if "fuzzy" in entry.flags or not entry.translated():
                    problems.append(f"{code}/{path.name}: {entry.msgid!r}")
    return problems


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "src"
        shutil.copytree(ROOT, copy, ignore=SKIP)
        for domain, extra in (("django", []), ("djangojs", ["--ignore=static/vendor"])):
            subprocess.run(
                [
                    sys.executable,
                    "manage.py",
                    "makemessages",
                    "-d",
                    domain,
                    *[arg for code in LANGUAGES for arg in ("-l", code)],
                    "--no-wrap",
                    "--no-obsolete",
                    "-v",
                    "0",
                    "--ignore=bench",
                    "--ignore=tests",
                    "--ignore=scripts",
                    *extra,
                ],
                cwd=copy,
                check=True,
                env={**os.environ, "PYTHONPATH": str(copy)},
            )
        problems = untranslated(copy / "locale")
    if problems:
        print(f"{len(problems)} strings have no az or ru translation:")
        print("\n".join(problems))
        return 1
    print("translations: every az and ru string is translated")
    return 0


if __name__ == "__main__":
    sys.exit(main())

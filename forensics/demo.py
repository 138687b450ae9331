"""Demo forensic analyses: the whole suite run once on every current official import that has
no finished analysis yet, here and now (the demo's import is small: 6,500 stations)."""

from forensics.models import ForensicsRun
from forensics.services import run_now
from results.models import OfficialResultImport


def build_demo_forensics(*, actor=None) -> dict:
    done = 0
    imports = OfficialResultImport.objects.filter(status=OfficialResultImport.Status.IMPORTED)
    for result_import in imports:
        if result_import.forensics_runs.filter(status=ForensicsRun.Status.DONE).exists():
            continue
        run = ForensicsRun.objects.create(
            result_import=result_import,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        done += run_now(run).status == ForensicsRun.Status.DONE
    return {"analyses_run": done}

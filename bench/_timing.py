"""Shared timing helper for the electionstats benchmarks (wall and CPU time per run)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def measure(fn: Callable[[], Any], repeat: int) -> dict[str, float]:
    """Run ``fn`` ``repeat`` times; median and max of wall and CPU (process) time, in ms.

    CPU time is reported too because this machine is shared: under load the wall time
    includes waiting for a core, the CPU time is what the code itself costs.
    """
    wall, cpu = [], []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(1000 * (time.perf_counter() - w0))
        cpu.append(1000 * (time.process_time() - c0))
    return {
        "runs": repeat,
        "wall_ms_median": round(statistics.median(wall), 2),
        "wall_ms_max": round(max(wall), 2),
        "cpu_ms_median": round(statistics.median(cpu), 2),
        "cpu_ms_min": round(min(cpu), 2),
    }

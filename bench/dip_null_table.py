"""Make electionstats/_diptable.py: quantiles of √n·D (Hartigan's dip) under the uniform null.

For each sample size n in SIZES, draw `reps` uniform samples of size n from
numpy.random.Generator(PCG64(seed for n)), compute the dip with electionstats.dip.dip_statistic,
and store the quantiles of √n·D at PROBS. The seed of size n is SeedSequence(SEED).spawn(...)
[i] for its position i, so the table can be made again exactly.

    .venv/bin/python bench/dip_null_table.py            # writes the module (a few minutes)
    .venv/bin/python bench/dip_null_table.py --check    # prints the table, writes nothing

Prints one JSON object on the last line (sizes, reps, seconds).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from electionstats.dip import dip_statistic

ROOT = Path(__file__).resolve().parent.parent
SEED = 1985
SIZES = [4, 5, 6, 8, 10, 15, 20, 30, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000]
PROBS = [0.0, *[round(0.01 * i, 2) for i in range(1, 100)], 0.995, 0.998, 0.999, 1.0]


def reps_for(n: int, base: int) -> int:
    if n <= 2000:
        return base
    if n <= 20000:
        return max(base // 2, 500)
    return max(base // 5, 500)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=5000)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    seeds = np.random.SeedSequence(SEED).spawn(len(SIZES))
    rows = []
    reps_used = []
    t0 = time.perf_counter()
    for n, seed_seq in zip(SIZES, seeds, strict=True):
        rng = np.random.Generator(np.random.PCG64(seed_seq))
        reps = reps_for(n, args.reps)
        values = np.array([dip_statistic(rng.random(n)).dip for _ in range(reps)]) * np.sqrt(n)
        rows.append(np.quantile(values, PROBS).round(6).tolist())
        reps_used.append(reps)
        print(f"n={n}: {reps} samples, median √n·D = {np.median(values):.4f}", flush=True)
    seconds = time.perf_counter() - t0
    if not args.check:
        lines = [
            '"""Quantiles of √n·D, Hartigan\'s dip, for uniform samples (generated file).',
            "",
            "Made by bench/dip_null_table.py with electionstats.dip.dip_statistic:",
            f"seed {SEED} (numpy SeedSequence spawned per size, PCG64), samples per size in REPS.",
            "Rows: SIZES; columns: PROBS. Used by electionstats.dip.dip_pvalue.",
            '"""',
            "",
            f"SEED = {SEED}",
            f"SIZES = {SIZES!r}",
            f"REPS = {reps_used!r}",
            f"PROBS = {PROBS!r}",
            "QUANTILES = [",
            *[f"    {row!r}," for row in rows],
            "]",
            "",
        ]
        target = ROOT / "electionstats" / "_diptable.py"
        target.write_text("\n".join(lines), encoding="utf-8")
        # The project's formatter lays the lists out one value per line.
        ruff = ROOT / ".venv" / "bin" / "ruff"
        if ruff.exists():
            subprocess.run([str(ruff), "format", str(target)], check=True, capture_output=True)
    print(json.dumps({"sizes": SIZES, "reps": reps_used, "seed": SEED, "seconds": round(seconds)}))


if __name__ == "__main__":
    main()

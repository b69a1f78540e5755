"""``eih-schedule bench``: CP-SAT against the greedy baseline on generated instances.

Per team size and period length, ``repeat`` instances (seeds 0, 1, ...) are
generated (teams above 60 experts are split into regions of about 50), solved by
CP-SAT and by the greedy baseline, and both plans are checked by the validator.
The table shows the median solve time, the statuses, how many objective levels
were proven optimal (in priority order; the worst run counts), the median of each
objective level and the ratio CP-SAT / greedy for coverage, continuity and the
maximum relative load. Times are wall-clock on this machine; ``nproc`` is printed.

``--startup`` measures something else: the whole-process time of ``eih-schedule
solve`` on the real team's week (7 experts, one week, seed 0) against a bare
``python -c 'import ortools.sat.python.cp_model'``, run in pairs (one warm-up
pair first, so both start from compiled bytecode). The ratio says what the
scheduler adds to loading OR-Tools: its own modules, reading the week, solving and
writing the plan; a web stack loaded by mistake would show at once. It is the
median of the pairs' ratios: the two runs of a pair share the load of the moment,
which on a shared machine moves both a lot.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date

import ortools

from .eligibility import prune_candidates
from .generator import generate
from .greedy import greedy
from .io import InputError, dumps, instance_to_dict
from .model import OBJECTIVE_LEVELS
from .solver import solve
from .validator import validate

DEFAULT_SIZES = [7, 15, 30, 60, 120, 250]
QUICK_SIZES = [7, 15, 30]
DEFAULT_WEEKS = [1, 6]


def parse_list(text: str | None) -> list[int] | None:
    if not text:
        return None
    try:
        values = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise InputError(f'eih-schedule: expected comma-separated whole numbers, got "{text}"') from None
    if not values or any(v < 1 for v in values):
        raise InputError(f'eih-schedule: expected positive whole numbers, got "{text}"')
    return values


def regions_for(experts: int) -> int:
    return 1 if experts <= 60 else round(experts / 50)


def default_time_limit(experts: int, weeks: int) -> float:
    if experts <= 30:
        return 10.0
    if experts <= 60:
        return 20.0
    return 30.0 if experts <= 120 else 60.0


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:.2f}" if abs(v) < 1000 else f"{v:.0f}"
    return str(v)


def _ratio(a, b) -> str:
    if b == 0:
        return "=" if a == 0 else "inf"
    return f"{a / b:.2f}"


def machine_line() -> str:
    ortools_version = getattr(ortools, "__version__", "?")
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (f"{date.today().isoformat()}, nproc={os.cpu_count()}, {cpu}, Python {platform.python_version()}, "
            f"OR-Tools {ortools_version}, CP-SAT with 1 search worker (deterministic), "
            f"load average at start {os.getloadavg()[0]:.1f}")


HEADER = ("| experts | weeks | regions | demands | pairs | time s (median) | limit s | status | levels proven | "
          + " | ".join(k for k, _ in OBJECTIVE_LEVELS)
          + " | greedy coverage | coverage ratio | continuity ratio | max rel. load ratio | greedy s | valid |")


def run_bench(sizes=None, weeks=None, repeat: int = 3, time_limit: float | None = None, quick: bool = False,
              out=sys.stdout, markdown: str | None = None) -> list[dict]:
    """Run the benchmark, print a Markdown table as rows finish, return the rows."""
    sizes = sizes or (QUICK_SIZES if quick else DEFAULT_SIZES)
    weeks = weeks or ([1] if quick else DEFAULT_WEEKS)
    if quick:
        repeat = min(repeat, 1)
    lines = [f"Machine: {machine_line()}", "", HEADER, "|" + "---|" * (HEADER.count("|") - 1)]
    for line in lines:
        print(line, file=out, flush=True)
    rows = []
    for w in weeks:
        for n in sizes:
            row = bench_one(n, w, repeat, time_limit or default_time_limit(n, w))
            rows.append(row)
            line = _row_line(row)
            lines.append(line)
            print(line, file=out, flush=True)
    if markdown:
        with open(markdown, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")
    return rows


def bench_one(experts: int, weeks: int, repeat: int, time_limit: float) -> dict:
    regions = regions_for(experts)
    times, greedy_times, statuses, objs, gobjs, valid, proven = [], [], Counter(), [], [], True, []
    demands = pairs = 0
    for seed in range(repeat):
        inst = generate(experts, weeks=weeks, seed=seed, regions=regions)
        demands = len(inst.demands)
        pairs = sum(len(v) for v in prune_candidates(inst).by_demand.values())
        messages: list = []  # one Reason per objective level
        t0 = time.monotonic()
        plan = solve(inst, time_limit=time_limit, seed=0, progress=messages.append)
        times.append(time.monotonic() - t0)
        proven.append(sum(1 for m in messages if m.key == "level_optimal"))
        t0 = time.monotonic()
        gplan = greedy(inst)
        greedy_times.append(time.monotonic() - t0)
        statuses[plan.status] += 1
        objs.append(plan.objective)
        gobjs.append(gplan.objective)
        valid = valid and not validate(inst, plan) and not validate(inst, gplan)
    med = {k: statistics.median(o[k] for o in objs) for k, _ in OBJECTIVE_LEVELS}
    gmed = {k: statistics.median(o[k] for o in gobjs) for k, _ in OBJECTIVE_LEVELS}
    return {"experts": experts, "weeks": weeks, "regions": regions, "demands": demands, "pairs": pairs,
            "time": statistics.median(times), "time_limit": time_limit, "proven": min(proven),
            "status": ", ".join(f"{c} {s}" for s, c in sorted(statuses.items())),
            "objective": med, "greedy": gmed, "greedy_time": statistics.median(greedy_times), "valid": valid}


def _row_line(r: dict) -> str:
    o, g = r["objective"], r["greedy"]
    cells = [r["experts"], r["weeks"], r["regions"], r["demands"], r["pairs"], f"{r['time']:.2f}",
             f"{r['time_limit']:g}", r["status"], f"{r['proven']}/9"]
    cells += [_fmt(o[k]) for k, _ in OBJECTIVE_LEVELS]
    cells += [_fmt(g["coverage"]), _ratio(o["coverage"], g["coverage"]), _ratio(o["continuity"], g["continuity"]),
              _ratio(o["max_relative_load"], g["max_relative_load"]), f"{r['greedy_time']:.2f}",
              "yes" if r["valid"] else "NO"]
    return "| " + " | ".join(str(c) for c in cells) + " |"


STARTUP_RUNS = 7  # paired runs; the median of each side counts
BARE_IMPORT = "import ortools.sat.python.cp_model"


def _solve_command(instance: str, plan: str) -> list[str]:
    """``eih-schedule solve`` as installed next to this Python, else ``python -m eih.scheduler``."""
    script = os.path.join(os.path.dirname(sys.executable), "eih-schedule")
    head = [script] if os.access(script, os.X_OK) else [sys.executable, "-m", "eih.scheduler"]
    return head + ["solve", instance, "-o", plan]


def _wall(command: list[str], env: dict) -> float:
    t0 = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - t0


def run_startup(runs: int = STARTUP_RUNS, out=sys.stdout) -> dict:
    """Whole-process time of ``eih-schedule solve`` on a 7-expert week against the bare
    OR-Tools import, ``runs`` pairs; prints and returns the medians and their ratio."""
    with tempfile.TemporaryDirectory() as folder:
        instance, plan = os.path.join(folder, "week.json"), os.path.join(folder, "plan.json")
        with open(instance, "w", encoding="utf-8") as fh:
            fh.write(dumps(instance_to_dict(generate(7, weeks=1, seed=0))))
        solve_cmd, bare_cmd = _solve_command(instance, plan), [sys.executable, "-c", BARE_IMPORT]
        # as installed: pip compiles every module to bytecode, OR-Tools' too, so both sides
        # may write and use it (some shells set PYTHONDONTWRITEBYTECODE for the source tree)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        _wall(bare_cmd, env), _wall(solve_cmd, env)  # warm-up: bytecode written, files in the page cache
        bare, solved = [], []
        for i in range(runs):  # which side runs first alternates, so neither gains from going second
            if i % 2:
                solved.append(_wall(solve_cmd, env))
                bare.append(_wall(bare_cmd, env))
            else:
                bare.append(_wall(bare_cmd, env))
                solved.append(_wall(solve_cmd, env))
    row = {"runs": runs, "bare": statistics.median(bare), "solve": statistics.median(solved),
           # each pair ran back to back, under the same load: the median of the pairs' ratios
           "ratio": statistics.median(s / b for s, b in zip(solved, bare))}
    print(f"Machine: {machine_line()}", file=out)
    print(f"eih-schedule solve, 7 experts, 1 week: {row['solve']:.2f} s; python -c '{BARE_IMPORT}': "
          f"{row['bare']:.2f} s (medians of {runs}); ratio {row['ratio']:.2f} (median of the {runs} pairs)",
          file=out, flush=True)
    return row

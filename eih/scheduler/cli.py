"""``eih-schedule``: solve, validate, explain, generate and benchmark from the command line.

Exit status: 0 success; 1 ``validate`` found violations; 2 bad input (one line on
standard error, never a traceback).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from .explain import explain_text
from .generator import generate
from .greedy import greedy
from .io import InputError, dumps, instance_to_dict, plan_to_dict, read_instance, read_plan
from .solver import solve
from .validator import validate


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2 (argparse would print the usage too)
        raise InputError(f"{self.prog}: {message}")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="eih-schedule", description="Plan experts for demands (Ervaring in Huis).")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    s = sub.add_parser("solve", help="solve an instance with CP-SAT and write the plan")
    s.add_argument("instance")
    s.add_argument("-o", "--output", help="plan file (default: standard output)")
    s.add_argument("--time-limit", type=float, help="seconds for the whole solve (default: settings.time_limit_s)")
    s.add_argument("--seed", type=int, help="random seed (default: settings.seed)")
    s.add_argument("--greedy", action="store_true", help="use the greedy baseline instead of the optimiser")
    s.add_argument("--no-time", action="store_true",
                   help="leave solve_seconds out, so two runs can be compared byte for byte")
    s.add_argument("-v", "--verbose", action="store_true", help="report each objective level on standard error")

    v = sub.add_parser("validate", help="list every broken hard constraint (exit 1 if any)")
    v.add_argument("instance")
    v.add_argument("plan")

    e = sub.add_parser("explain", help="explain a plan in words")
    e.add_argument("instance")
    e.add_argument("plan")

    g = sub.add_parser("generate", help="write a realistic synthetic instance")
    g.add_argument("--experts", type=int, default=7)
    g.add_argument("--weeks", type=int, default=1)
    g.add_argument("--seed", type=int, default=0)
    g.add_argument("--regions", type=int, default=1)
    g.add_argument("--start", help="first Monday, YYYY-MM-DD (default 2026-11-30)")
    g.add_argument("-o", "--output")

    b = sub.add_parser("bench", help="benchmark CP-SAT against the greedy baseline")
    b.add_argument("--quick", action="store_true", help="small sizes only, for a short run")
    b.add_argument("--sizes", help="comma-separated team sizes (default 7,15,30,60,120,250)")
    b.add_argument("--weeks", help="comma-separated period lengths in weeks (default 1,6)")
    b.add_argument("--repeat", type=int, default=3, help="instances (seeds) per size, for the median")
    b.add_argument("--time-limit", type=float, default=None, help="seconds per solve (default depends on size)")
    b.add_argument("--markdown", help="also write the table as Markdown to this file")
    b.add_argument("--startup", action="store_true",
                   help="instead: whole-process time of `solve` on a 7-expert week against a bare OR-Tools import")
    b.add_argument("--runs", type=int, default=7, help="paired runs for --startup (default 7)")
    return p


def _write(text: str, output: str | None) -> None:
    if output:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write {output}: {exc.strerror}") from None
    else:
        sys.stdout.write(text)


def _positive(value, name: str) -> None:
    if value is not None and value <= 0:
        raise InputError(f"eih-schedule: --{name} must be positive")


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
        return _run(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130


def _run(args) -> int:
    if args.command == "solve":
        _positive(args.time_limit, "time-limit")
        inst = read_instance(args.instance)
        progress = (lambda msg: print(msg, file=sys.stderr)) if args.verbose else None
        plan = greedy(inst) if args.greedy else solve(inst, time_limit=args.time_limit, seed=args.seed,
                                                      progress=progress)
        _write(dumps(plan_to_dict(plan, include_time=not args.no_time)), args.output)
        return 0
    if args.command == "validate":
        inst = read_instance(args.instance)
        plan = read_plan(args.plan, inst)
        violations = validate(inst, plan)
        for v in violations:
            print(str(v))
        if not violations:
            print("valid: no hard constraint is broken")
        return 1 if violations else 0
    if args.command == "explain":
        inst = read_instance(args.instance)
        sys.stdout.write(explain_text(inst, read_plan(args.plan, inst)))
        return 0
    if args.command == "generate":
        for name in ("experts", "weeks", "regions"):
            _positive(getattr(args, name), name)
        try:
            start = date.fromisoformat(args.start) if args.start else None
        except ValueError:
            raise InputError(f'eih-schedule: --start must be a date like 2026-11-30, got "{args.start}"') from None
        inst = generate(args.experts, weeks=args.weeks, seed=args.seed, regions=args.regions, start=start)
        _write(dumps(instance_to_dict(inst)), args.output)
        return 0
    if args.command == "bench":
        # here, not at the top: the benchmark's own modules (statistics, subprocess,
        # platform) would slow down the start of every other command
        from .bench import parse_list, run_bench, run_startup

        _positive(args.repeat, "repeat")
        _positive(args.runs, "runs")
        if args.startup:
            run_startup(args.runs, out=sys.stdout)
            return 0
        rows = run_bench(sizes=parse_list(args.sizes), weeks=parse_list(args.weeks), repeat=args.repeat,
                         time_limit=args.time_limit, quick=args.quick, out=sys.stdout,
                         markdown=args.markdown)
        return 0 if rows else 1
    raise InputError(f"unknown command {args.command}")

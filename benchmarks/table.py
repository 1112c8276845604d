"""The README's table of benchmark figures, from two results files of ``make bench``.

    .venv/bin/python benchmarks/table.py benchmarks/results/reference-sqlite.json \\
        benchmarks/results/reference-postgresql.json

Prints Markdown: one row per case, the medians and the ratio on each database, and
the target; then the machine and the runs the figures came from.
"""

import json
import sys
from pathlib import Path


def cell(result):
    if result is None:
        return "—"
    base, other = result["base"]["median_ms"], result["other"]["median_ms"]
    mark = ""
    if result["target"] is not None:
        mark = " ✓" if result["ok"] else " **missed**"
    return f"{other:.1f} / {base:.1f} = **{result['ratio']:.2f}**{mark}"


def version(run):
    value = run["database_version"]
    if isinstance(value, int):  # PostgreSQL's server_version_num: 150020 is 15.20
        return f"{value // 10000}.{value % 10000}"
    return value


def table(paths):
    runs = [json.loads(Path(path).read_text(encoding="utf-8")) for path in paths]
    by_case = [{result["case"]: result for result in run["results"]} for run in runs]
    cases = list(dict.fromkeys(case for results in by_case for case in results))
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    headings = [f"{names.get(run['database'], run['database'])}: ms, ratio" for run in runs]
    lines = [
        "| case | compared | " + " | ".join(headings) + " | target |",
        "|---|---|" + "---|" * len(runs) + "---|",
    ]
    for case in cases:
        first = next(results[case] for results in by_case if case in results)
        compared = f"{first['other']['name']} vs {first['base']['name']}"
        target = first["target"]
        cells = [cell(results.get(case)) for results in by_case]
        lines.append(
            f"| {case} | {compared} | "
            + " | ".join(cells)
            + f" | {'≤ ' + str(target) if target else 'for information'} |"
        )
    machine = runs[0]["machine"]
    versions = ", ".join(
        f"{names.get(run['database'], run['database'])} {version(run)}" for run in runs
    )
    lines += [
        "",
        f"Measured on {machine['nproc']} CPUs ({machine['cpu']}"
        + (f", {machine['ram']} RAM" if machine.get("ram") else "")
        + f") at scale {runs[0].get('scale', 1)}"
        + (
            f", load average {', '.join(run['machine']['load'] for run in runs)} at the start"
            if machine.get("load")
            else ""
        )
        + f"; Python {machine['python']}, "
        f"Django {machine['django']}, Wagtail {machine['wagtail']}, {versions}; "
        + ", ".join(f"{run['when']} (commit {run['git']})" for run in runs)
        + ".",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(sys.argv[1:]))

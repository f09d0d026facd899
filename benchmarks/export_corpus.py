"""Export each corpus notebook's last code cell, run the module and its golden tests.

    python benchmarks/export_corpus.py [PATH ...] [--python EXE] [--timeout SECONDS]
                                       [--pick last|last-output]

PATH: notebooks or folders (default: tests/corpus). For each notebook the last code cell
with source (`--pick last-output`: the last one whose saved outputs hold text to compare)
is exported with its tests; the module then runs in a fresh interpreter (`--python`,
default this one) from the notebook's folder, and, when it ran, pytest runs the generated
tests with that interpreter. Everything runs in a temporary copy of the notebook's folder,
so files the modules write land there, never beside the notebooks. The table says what
passed and why the rest did not; the totals close the report.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jupyterlab_nbhygiene.export import ExportError, export_notebook  # noqa: E402

_REFUSALS = (
    ("no cell of the notebook defines", "a name no cell defines"),
    ("stopped with", "the cell errored when it last ran"),
    ("no order defines", "a cycle"),
    ("not valid Python", "a syntax error"),
    ("which a module does not have", "IPython-only names"),
    ("line", "a magic that cannot be translated"),
)
_EXCEPTION = re.compile(r"^(\w+(?:\.\w+)*(?:Error|Exception|Exit|Interrupt)\b.*)$", re.M)


def notebooks(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        elif path.exists():
            found.append(path)
    return found


def _has_text(cell: dict[str, Any]) -> bool:
    for output in cell.get("outputs") or []:
        if output.get("output_type") == "stream" and output.get("name") == "stdout":
            return True
        data = output.get("data") or {}
        if "text/plain" in data and not any(k.startswith("image/") for k in data):
            return True
    return False


def last_code_cell(data: dict[str, Any], pick: str = "last") -> int | None:
    cells = data.get("cells") or []
    numbers = [
        k + 1
        for k, c in enumerate(cells)
        if c.get("cell_type") == "code"
        and "".join(c.get("source") or "").strip()
        and (pick == "last" or _has_text(c))
    ]
    return numbers[-1] if numbers else None


def refusal_kind(message: str) -> str:
    return next((kind for needle, kind in _REFUSALS if needle in message), "other refusal")


def failure(stderr: str) -> str:
    """The exception a run ended with, shortened: `ModuleNotFoundError: No module named 'x'`."""
    found = _EXCEPTION.findall(stderr)
    line = found[-1] if found else (stderr.strip().splitlines() or ["no output"])[-1]
    return line[:110]


def failure_kind(line: str) -> str:
    name = line.split(":", 1)[0]
    if name == "ModuleNotFoundError":
        return "a package is not installed"
    if name in ("FileNotFoundError", "OSError") or "No such file" in line:
        return "a data file is missing"
    if "URLError" in name or "HTTPError" in name or "Connection" in name:
        return "needs the network"
    if name == "timeout":
        return "timed out"
    return "fails: " + name


def run_one(nb: Path, python: str, timeout: float, work: Path, pick: str) -> dict[str, Any]:
    row: dict[str, Any] = {"notebook": str(nb), "cell": None, "outcome": "", "detail": ""}
    row["compared"] = 0
    data = json.loads(nb.read_text(encoding="utf-8"))
    cell = last_code_cell(data, pick)
    if cell is None:
        kind = "no code cell" if pick == "last" else "no code cell with text output"
        row.update(outcome="refused", kind=kind, detail="")
        return row
    row["cell"] = cell
    folder = work / "notebook"
    shutil.copytree(nb.parent, folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    for path in folder.rglob("*"):  # the copy must be writable, as a user's folder is
        path.chmod(path.stat().st_mode | 0o200)
    folder.chmod(folder.stat().st_mode | 0o200)
    nb = folder / nb.name
    module, tests = work / "exported.py", work / "test_exported.py"
    try:
        result = export_notebook(
            data,
            path=str(nb),
            cells=[cell],
            tests=True,
            module_path=str(module),
            tests_path=str(tests),
        )
    except ExportError as e:
        row.update(outcome="refused", kind=refusal_kind(str(e)), detail=str(e)[:160])
        return row
    module.write_text(result.module, encoding="utf-8")
    tests.write_text(result.tests or "", encoding="utf-8")
    row["slice"] = len(result.cells)
    row["compared"] = (result.tests or "").count("    check(run, ")
    env_cmd = {"cwd": nb.parent, "capture_output": True, "text": True, "timeout": timeout}
    try:
        done = subprocess.run([python, str(module)], check=False, **env_cmd)  # type: ignore[call-overload]
    except subprocess.TimeoutExpired:
        row.update(outcome="module fails", kind="timed out", detail=f"over {timeout:.0f} s")
        return row
    if done.returncode != 0:
        line = failure(done.stderr)
        row.update(outcome="module fails", kind=failure_kind(line), detail=line)
        return row
    command = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tests)]
    try:
        ran = subprocess.run(command, check=False, **env_cmd)  # type: ignore[call-overload]
    except subprocess.TimeoutExpired:
        row.update(outcome="tests fail", kind="timed out", detail="")
        return row
    summary = (ran.stdout.strip().splitlines() or [""])[-1]
    if ran.returncode == 0:
        kind = "" if row["compared"] else "(no saved text output to compare)"
        row.update(outcome="tests pass", kind=kind, detail=summary)
    else:
        failed = re.findall(r"^FAILED \S+::(\w+)", ran.stdout, re.M)
        row.update(outcome="tests fail", kind="saved output differs", detail=f"{failed} {summary}")
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*", default=[str(ROOT / "tests" / "corpus")])
    parser.add_argument("--python", default=sys.executable, help="interpreter for the modules")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--pick", choices=("last", "last-output"), default="last")
    parser.add_argument("--json", metavar="FILE", help="also write the rows as JSON")
    args = parser.parse_args(argv)
    found = notebooks(args.paths)
    if not found:
        print(f"no notebooks in {', '.join(args.paths)}", file=sys.stderr)
        return 2
    rows = []
    started = time.perf_counter()
    for nb in found:
        with tempfile.TemporaryDirectory() as tmp:
            row = run_one(nb, args.python, args.timeout, Path(tmp), args.pick)
        row["notebook"] = str(nb)
        rows.append(row)
        print(f"{row['outcome']:13} {row.get('kind', ''):36} cell {row['cell']}  {nb}", flush=True)
        if row["detail"]:
            print(f"{'':14}{row['detail']}", flush=True)
    counts = Counter(r["outcome"] for r in rows)
    exported = len(rows) - counts["refused"]
    ran = counts["tests pass"] + counts["tests fail"]
    print()
    print(f"notebooks {len(rows)}; exported {exported}; modules run {ran}; ", end="")
    print(f"golden tests pass {counts['tests pass']}, ", end="")
    compared = sum(1 for r in rows if r["outcome"] == "tests pass" and r["compared"])
    print(f"of which compare a saved output {compared}  ({time.perf_counter() - started:.0f} s)")
    reasons = Counter(f"{r['outcome']}: {r['kind']}" for r in rows if r["outcome"] != "tests pass")
    for reason, n in reasons.most_common():
        print(f"  {n:3}  {reason}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

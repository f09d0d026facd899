"""Keystroke -> panel painted in Chromium, with and without ~20 MB of saved figures.

Two 400-cell notebooks whose cells really chain (`a{i} = a{i-1} + 1`), saved as run top
to bottom; one of them carries a real PNG figure (random pixels, ~170 KB each) in every
fourth cell, about 20 MB of images, the other no outputs. For each notebook, in a real
`jupyter lab` (started here, with whatever JUPYTER_PATH/PYTHONPATH select) and Debian's
Chromium:

- a real keystroke in a cell's editor (the cell's name `a{i}` becomes `ba{i}`), timed from
  the keydown to the first animation frame after the panel's row shows the new name (the
  analysis debounce, the request, the analysis and the render included), then undone;
- the bytes of the POST /nbhygiene/analyze body that followed each edit, and of the first;
- the round trip of those requests (sent to response read), which with the debounce tells
  the share of the frontend (snapshot, model, render) in the rest.

Prints the medians, the ratio with figures / without (goal <= 1.25) and the request size
after a one-cell edit (goal <= 50 KB).

Usage: JUPYTER_PATH=... PYTHONPATH=... python benchmarks/bench_browser.py [--edits 7]
(needs the `playwright` Python package and /usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import shutil
import statistics
import struct
import tempfile
import zlib
from pathlib import Path
from typing import Any

from bench_ui import ARGS, CHROMIUM, start_server
from notebooks import cell_id
from playwright.sync_api import Page, Request, sync_playwright

CELLS = 400
FIGURE_EVERY = 4
FIGURE_SIZE = (280, 220)  # RGB pixels; random rows make each PNG about 170 KB


def png(width: int, height: int, seed: int) -> bytes:
    """A valid PNG: random pixels in the upper 90 % (barely compressible), white below."""
    rng = random.Random(seed)
    noisy = int(height * 0.9)
    white = b"\xff" * (width * 3)
    rows = [b"\x00" + (rng.randbytes(width * 3) if y < noisy else white) for y in range(height)]
    raw = b"".join(rows)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 6))
        + chunk(b"IEND", b"")
    )


def chain_notebook(cells: int, figures: bool) -> dict[str, Any]:
    """Cells that chain (`a{i}` from `a{i-1}`), saved in order; figures in every 4th."""
    out = []
    for i in range(cells):
        source = "a0 = 1" if i == 0 else f"a{i} = a{i - 1} + 1"
        outputs: list[dict[str, Any]] = []
        if figures and i % FIGURE_EVERY == 0:
            data = base64.b64encode(png(*FIGURE_SIZE, seed=i)).decode()
            outputs.append(
                {
                    "output_type": "display_data",
                    "data": {"image/png": data, "text/plain": "<Figure size 640x480 with 1 Axes>"},
                    "metadata": {},
                }
            )
        out.append(
            {
                "cell_type": "code",
                "id": cell_id(i),
                "execution_count": i + 1,
                "metadata": {},
                "outputs": outputs,
                "source": source,
            }
        )
    return {
        "cells": out,
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    }


SETTLE_JS = """
async () => {
  const panel = document.getElementById('jp-nbhygiene-panel');
  const start = performance.now();
  while (performance.now() - start < 120000) {
    const busy = panel.querySelector('.jp-nbhygiene-busy[data-busy]');
    if (!busy) { return; }
    await new Promise(r => setTimeout(r, 50));
  }
}
"""

PREPARE_JS = """
async (index) => {
  const nb = window.jupyterapp.shell.currentWidget.content;
  nb.activeCellIndex = index;
  await nb.scrollToItem(index, 'center');
  nb.mode = 'edit';
  const cell = nb.widgets[index];
  await cell.ready;
  cell.editor.focus();
  cell.editor.setCursorPosition({ line: 0, column: 0 });
  window.__nbhKeydown = 0;
  if (!window.__nbhListening) {
    window.__nbhListening = true;
    document.addEventListener('keydown', () => {
      window.__nbhKeydown = performance.now();
    }, true);
  }
}
"""

WAIT_JS = """
async ([index, name]) => {
  const panel = document.getElementById('jp-nbhygiene-panel');
  const row = () => panel.querySelector(`.jp-nbhygiene-cell[data-cell-index="${index}"]`);
  const shows = () => {
    const r = row();
    return !!r && [...r.querySelectorAll('code')].some(c => c.textContent === name);
  };
  const painted = await new Promise(resolve => {
    const check = () => {
      if (shows()) {
        observer.disconnect();
        requestAnimationFrame(() => resolve(performance.now()));
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(panel, {subtree: true, childList: true, characterData: true});
    check();
    setTimeout(() => { observer.disconnect(); resolve(-1); }, 60000);
  });
  return painted < 0 ? -1 : painted - window.__nbhKeydown;
}
"""


def open_notebook(page: Page, url: str, path: str) -> None:
    # A workspace of its own, reset: the page opens this notebook only (a shared workspace
    # would also restore the notebook another page opened).
    workspace = path.removesuffix(".ipynb")
    page.goto(f"{url}/lab/workspaces/bench-{workspace}/tree/{path}?reset")
    page.wait_for_function("() => window.jupyterapp !== undefined", timeout=120000)
    page.evaluate("async () => { await window.jupyterapp.restored; }")
    page.evaluate("() => window.jupyterapp.commands.execute('nbhygiene:open-panel')")
    page.wait_for_function(
        f"() => document.querySelectorAll('#jp-nbhygiene-panel .jp-nbhygiene-cell').length"
        f" === {CELLS}",
        timeout=180000,
    )
    page.evaluate(SETTLE_JS)


class Session:
    """One notebook open in its own page, with the analyze requests it sends."""

    def __init__(self, page: Page, url: str, path: str) -> None:
        self.page = page
        self.requests: list[int] = []
        self.times: list[float] = []
        self.sizes: list[int] = []
        self.round_trips: list[float] = []  # ms, request sent -> response read, per request
        page.on("request", self._on_request)
        page.on("requestfinished", self._on_finished)
        open_notebook(page, url, path)
        self.first = self.requests[0] if self.requests else 0

    def _on_request(self, request: Request) -> None:
        if request.method == "POST" and "/nbhygiene/analyze" in request.url:
            self.requests.append(len((request.post_data or "").encode()))

    def _on_finished(self, request: Request) -> None:
        if request.method == "POST" and "/nbhygiene/analyze" in request.url:
            timing = request.timing
            if timing["responseEnd"] > 0:
                self.round_trips.append(timing["responseEnd"] - max(timing["requestStart"], 0))

    def edit(self, index: int, timed: bool) -> None:
        """Type one character into cell `index`, wait for the panel to show it, undo it."""
        page = self.page
        page.bring_to_front()
        page.evaluate(PREPARE_JS, index)
        page.wait_for_timeout(300)
        before = len(self.requests)
        page.keyboard.press("b")
        ms = float(page.evaluate(WAIT_JS, [index, f"ba{index}"]))
        if len(self.requests) > before:
            self.sizes.append(self.requests[before])
        page.keyboard.press("Backspace")
        page.evaluate(WAIT_JS, [index, f"a{index}"])
        page.evaluate(SETTLE_JS)
        page.wait_for_timeout(400)
        if timed and ms >= 0:
            self.times.append(ms)

    def snapshot_ms(self) -> list[float]:
        """How long each request's snapshot of the notebook took (summaries included)."""
        return [
            float(ms)
            for ms in self.page.evaluate(
                "() => performance.getEntriesByName('nbhygiene:snapshot').map(e => e.duration)"
            )
        ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=7, help="timed edits per notebook")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="nbhygiene-bench-browser-"))
    root = tmp / "root"
    root.mkdir()
    variants = {
        "code only": "chain400.ipynb",
        "with figures": "chain400_figures.ipynb",
    }
    sizes_mb = {}
    for name, file in variants.items():
        text = json.dumps(chain_notebook(CELLS, figures=name == "with figures"))
        (root / file).write_text(text)
        sizes_mb[name] = len(text) / 1e6
    proc, url = start_server(root, None)
    results: dict[str, Session] = {}
    snapshots: dict[str, list[float]] = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for name, file in variants.items():
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                results[name] = Session(context.new_page(), url, file)
            # Alternate the notebooks edit by edit, so that both see the same machine load.
            for k in range(args.edits + 1):
                index = 20 + (k * 41) % (CELLS - 40)  # spread over the notebook
                for session in results.values():
                    session.edit(index, timed=k > 0)  # the first edit warms up
            snapshots = {name: session.snapshot_ms() for name, session in results.items()}
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)

    print(
        f"Keystroke -> panel painted on {CELLS} chained cells (300 ms debounce included), "
        f"median of {args.edits} edits; JUPYTER_PATH={os.environ.get('JUPYTER_PATH', '')}"
    )
    for name in variants:
        r = results[name]
        med = statistics.median(r.times) if r.times else float("nan")
        edit_kb = statistics.median(r.sizes) / 1000 if r.sizes else float("nan")
        print(
            f"  {name:13s} notebook {sizes_mb[name]:6.1f} MB   painted {med:7.1f} ms "
            f"(min {min(r.times, default=float('nan')):.0f}, "
            f"max {max(r.times, default=float('nan')):.0f})   "
            f"first request {r.first / 1000:7.1f} KB   request after an edit {edit_kb:6.1f} KB"
        )
    for name in variants:
        trips = results[name].round_trips[2:]  # after the first full bodies
        if trips:
            print(
                f"  analyze round trip after an edit ({name}): median "
                f"{statistics.median(trips):.1f} ms over {len(trips)} (request sent to "
                f"response read: the server's analysis included)"
            )
    base = statistics.median(results["code only"].times)
    heavy = statistics.median(results["with figures"].times)
    print(f"  ratio with figures / code only: {heavy / base:.2f} (goal <= 1.25)")
    fastest = min(results["with figures"].times) / min(results["code only"].times)
    print(f"  ratio of the fastest edits: {fastest:.2f} (less sensitive to other load)")
    for name, ms in snapshots.items():
        if ms:
            print(
                f"  body snapshot ({name}): first {ms[0]:.1f} ms (summaries computed), "
                f"then median {statistics.median(ms[1:] or ms):.1f} ms over {len(ms) - 1}"
            )
    worst = max(results["with figures"].sizes, default=0) / 1000
    print(f"  largest request after a one-cell edit: {worst:.1f} KB (goal <= 50 KB)")


if __name__ == "__main__":
    main()

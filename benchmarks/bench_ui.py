"""Frontend benchmarks of the nbhygiene JupyterLab extension, measured in one run.

1. Panel refresh on a 500-cell notebook: from the arrival of a report (the
   `nbhygiene:report` performance mark) to the panel's DOM updated (last mutation) and
   painted (the next animation frame), after "Run All" and after re-running the first cell
   (which turns the 499 cells below it stale).
2. JupyterLab start-up (navigation start -> `app.restored`) with the extension enabled
   vs disabled (page_config `disabledExtensions` in a second config dir), alternating loads.

Usage: python benchmarks/bench_ui.py [--loads 6]   (needs the `playwright` Python package
and Debian's /usr/bin/chromium). Prints the numbers and the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
CELLS = 500


def chain_notebook(n: int) -> dict:
    cells = [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "c0",
            "metadata": {},
            "outputs": [],
            "source": "x0 = 1",
        }
    ]
    for i in range(1, n):
        cells.append(
            {
                "cell_type": "code",
                "execution_count": None,
                "id": f"c{i}",
                "metadata": {},
                "outputs": [],
                "source": f"x{i} = x{i - 1} + 1",
            }
        )
    return {
        "cells": cells,
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(root: Path, config_dir: Path | None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = dict(os.environ)
    if config_dir is not None:
        env["JUPYTER_CONFIG_DIR"] = str(config_dir)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--allow-root",
            f"--port={port}",
            f"--ServerApp.root_dir={root}",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            "--LabApp.expose_app_in_browser=True",
            "--ServerApp.disable_check_xsrf=True",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{url}/lab", timeout=2)
            return proc, url
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise RuntimeError("jupyter lab did not start")


def startup_ms(page: Page, url: str) -> float:
    page.goto(f"{url}/lab?reset")
    page.wait_for_function("() => window.jupyterapp !== undefined", timeout=60000)
    return float(
        page.evaluate("async () => { await window.jupyterapp.restored; return performance.now(); }")
    )


MEASURE_JS = """
async (command) => {
  const panel = document.getElementById('jp-nbhygiene-panel');
  performance.clearMarks('nbhygiene:report');
  let mutated = 0, painted = 0;
  const observer = new MutationObserver(() => {
    mutated = performance.now();
    requestAnimationFrame(() => { painted = performance.now(); });
  });
  observer.observe(panel, {subtree: true, childList: true, attributes: true, characterData: true});
  const wanted = command.expect;
  await window.jupyterapp.commands.execute(command.id);
  const start = performance.now();
  while (performance.now() - start < 120000) {
    const rows = panel.querySelectorAll(`.jp-nbhygiene-cell[data-state="${wanted}"]`).length;
    if (rows >= command.rows && painted > 0) break;
    await new Promise(r => setTimeout(r, 50));
  }
  await new Promise(r => setTimeout(r, 500));
  observer.disconnect();
  const marks = performance.getEntriesByName('nbhygiene:report');
  const mark = marks[marks.length - 1].startTime;
  return {dom: mutated - mark, paint: painted - mark, reports: marks.length};
}
"""


def refresh_times(page: Page, url: str, path: str) -> list[tuple[str, dict]]:
    page.goto(f"{url}/lab/tree/{path}")
    page.wait_for_function("() => window.jupyterapp !== undefined", timeout=60000)
    page.evaluate("async () => { await window.jupyterapp.restored; }")
    page.evaluate("() => window.jupyterapp.commands.execute('nbhygiene:open-panel')")
    page.wait_for_selector("#jp-nbhygiene-panel .jp-nbhygiene-score", timeout=60000)
    page.wait_for_function(
        "() => window.jupyterapp.shell.currentWidget"
        "?.sessionContext?.session?.kernel?.status === 'idle'",
        timeout=60000,
    )
    results = []
    results.append(
        (
            "run all (500 rows -> fresh)",
            page.evaluate(
                MEASURE_JS, {"id": "notebook:run-all-cells", "expect": "fresh", "rows": CELLS}
            ),
        )
    )
    page.evaluate("""() => {
      const nb = window.jupyterapp.shell.currentWidget.content;
      nb.activeCellIndex = 0;
      nb.widgets[0].model.sharedModel.setSource('x0 = 2');
    }""")
    page.wait_for_timeout(1500)
    results.append(
        (
            "re-run cell 1 (499 rows -> stale)",
            page.evaluate(
                MEASURE_JS, {"id": "notebook:run-cell", "expect": "stale", "rows": CELLS - 1}
            ),
        )
    )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=6, help="start-up loads per variant")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="nbhygiene-bench-"))
    root = tmp / "root"
    root.mkdir()
    (root / "chain500.ipynb").write_text(json.dumps(chain_notebook(CELLS)))
    disabled = tmp / "config-disabled"
    (disabled / "labconfig").mkdir(parents=True)
    (disabled / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {"jupyterlab_nbhygiene": True}})
    )
    on_proc, on_url = start_server(root, None)
    off_proc, off_url = start_server(root, disabled)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            times: dict[str, list[float]] = {"enabled": [], "disabled": []}
            for i in range(args.loads + 1):
                for name, url in (("enabled", on_url), ("disabled", off_url)):
                    context = browser.new_context(viewport={"width": 1280, "height": 900})
                    page = context.new_page()
                    ms = startup_ms(page, url)
                    if name == "enabled":
                        assert page.evaluate(
                            "() => window.jupyterapp.commands.hasCommand('nbhygiene:verify')"
                        )
                    context.close()
                    if i > 0:  # the first round warms caches
                        times[name].append(ms)
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            refresh = refresh_times(context.new_page(), on_url, "chain500.ipynb")
            context.close()
            browser.close()
    finally:
        for proc in (on_proc, off_proc):
            proc.terminate()
            proc.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)

    print(
        f"Panel refresh on a {CELLS}-cell notebook (report arrival -> DOM / paint), goal <= 200 ms:"
    )
    for label, r in refresh:
        print(
            f"  {label:36s} DOM {r['dom']:7.1f} ms   painted {r['paint']:7.1f} ms   "
            f"ratio to goal {r['paint'] / 200:.2f}"
        )
    on, off = statistics.mean(times["enabled"]), statistics.mean(times["disabled"])
    print(f"JupyterLab start-up to app.restored, mean of {args.loads} loads each (alternating):")
    print(f"  enabled  {on:7.1f} ms  (median {statistics.median(times['enabled']):.1f})")
    print(f"  disabled {off:7.1f} ms  (median {statistics.median(times['disabled']):.1f})")
    print(f"  ratio enabled/disabled {on / off:.3f} ({(on / off - 1) * 100:+.1f}%), goal <= +5%")


if __name__ == "__main__":
    main()

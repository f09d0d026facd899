"""Cell builders and a findings helper shared by the rule tests."""

from __future__ import annotations

from typing import Any

from nbfactory import make_notebook

from jupyterlab_nbhygiene.analysis import analyze

Cells = list[dict[str, Any] | str]


def md(text: str) -> dict[str, Any]:
    return {"cell_type": "markdown", "source": text}


def ran(source: str, count: int, *outputs: dict[str, Any], **meta: Any) -> dict[str, Any]:
    return {
        "source": source,
        "execution_count": count,
        "outputs": list(outputs),
        "metadata": meta,
    }


def tagged(source: str, *tags: str) -> dict[str, Any]:
    return {"source": source, "metadata": {"tags": list(tags)}}


def error_output(ename: str = "ValueError", evalue: str = "bad") -> dict[str, Any]:
    return {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": []}


def report(
    cells: Cells,
    *,
    path: str | None = "analysis.ipynb",
    language: str = "python",
    settings: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return analyze(make_notebook(*cells, language=language), None, settings, path=path)


def findings(rule_id: str, cells: Cells, **kwargs: Any) -> list[dict[str, Any]]:
    """The findings of one rule for a notebook made of `cells`."""
    return [f for f in report(cells, **kwargs)["findings"] if f["rule"] == rule_id]

"""SARIF: valid against the OASIS 2.1.0 schema, regions in the `.ipynb` file's own text, URIs
percent-encoded. The schema and its licence are in tests/sarif_schema/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from jsonschema import Draft4Validator, FormatChecker
from nbfactory import CORPUS, corpus_notebooks, make_notebook

from jupyterlab_nbhygiene.analysis import analyze
from jupyterlab_nbhygiene.cli import main
from jupyterlab_nbhygiene.cli.positions import LayoutError, source_positions
from jupyterlab_nbhygiene.cli.sarif import to_sarif

SCHEMA = json.loads(
    (Path(__file__).parents[1] / "sarif_schema" / "sarif-schema-2.1.0.json").read_text("utf-8")
)
# Every format jsonschema can check (uri-reference included), not only draft 4's.
VALIDATOR = Draft4Validator(SCHEMA, format_checker=FormatChecker())

HIDDEN = make_notebook(
    {"cell_type": "markdown", "source": "# Prices\nWith tax."},
    {"source": ["total = 1\n", 'label = "a \\"quoted\\" é 😀"\n', "print(100 * rate)"]},
    {"source": "rate = 0.2", "execution_count": 1},
)
HIDDEN["cells"][1]["execution_count"] = 2


def _sarif(paths: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    main(["analyze", *paths, "--format", "sarif"])
    log: dict[str, Any] = json.loads(capsys.readouterr().out)
    return log


def _errors(log: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in VALIDATOR.iter_errors(log)]


def _check_regions(log: dict[str, Any], folder: Path) -> int:
    """Each region must start, in the file's text, at the finding's source line; returns how
    many results were checked. Decoding uses the json module, not the code under test."""
    checked = 0
    for result in log["runs"][0]["results"]:
        props = result.get("properties")
        if props is None:
            continue
        location = result["locations"][0]["physicalLocation"]
        path = folder / unquote(location["artifactLocation"]["uri"])
        text = path.read_text(encoding="utf-8")
        source = json.loads(text)["cells"][props["cell"]]["source"]
        lines = ("".join(source) if isinstance(source, list) else source).split("\n")
        expected = lines[(props["cellLine"] or 1) - 1]
        region = location["region"]
        line_text = text.split("\n")[region["startLine"] - 1]
        at = region["startColumn"] - 1
        if not "".join(source):  # an empty cell: the region is its empty source value
            assert line_text[at:].startswith(("[]", '""')), (path.name, props, line_text)
            checked += 1
            continue
        # What the JSON string holds from that column on (up to its closing quote).
        tail, _ = json.decoder.scanstring(line_text, at)  # type: ignore[attr-defined]
        assert tail.startswith(expected), (path.name, props, tail[:60], expected[:60])
        checked += 1
    return checked


def test_the_corpus_as_sarif_is_valid_and_placed_in_the_file_text(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(CORPUS)
    paths = [p.relative_to(CORPUS).as_posix() for p in corpus_notebooks()]
    log = _sarif(paths, capsys)
    assert _errors(log) == []
    assert _check_regions(log, CORPUS) > 50
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    }
    assert any("%26" in uri for uri in uris)  # `&` in the pandas_exercises folder names


@pytest.mark.parametrize(
    "dump",
    [
        lambda nb: json.dumps(nb, indent=1, ensure_ascii=False) + "\n",  # nbformat's layout
        lambda nb: json.dumps(nb),  # one line, \u escapes, surrogate pairs
        lambda nb: json.dumps(nb, indent="\t").replace("\n", "\r\n"),  # tabs, CRLF
        lambda nb: json.dumps(_joined(nb), indent=2),  # sources as one string each
    ],
    ids=["nbformat", "one-line-ascii", "tabs-crlf", "string-sources"],
)
def test_regions_follow_the_file_layout(
    dump: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "my notebooks"
    folder.mkdir()
    (folder / "prices #1.ipynb").write_text(dump(HIDDEN), encoding="utf-8", newline="")
    monkeypatch.chdir(tmp_path)
    log = _sarif(["my notebooks/prices #1.ipynb"], capsys)
    assert _errors(log) == []
    assert _check_regions(log, tmp_path) >= 1
    [ubd] = [r for r in log["runs"][0]["results"] if r["ruleId"] == "use-before-definition"]
    assert ubd["properties"] == {"cell": 1, "cellLine": 3}
    location = ubd["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "my%20notebooks/prices%20%231.ipynb"


def _joined(nb: dict[str, Any]) -> dict[str, Any]:
    out = json.loads(json.dumps(nb))
    for cell in out["cells"]:
        if isinstance(cell["source"], list):
            cell["source"] = "".join(cell["source"])
    return out


def test_the_nbformat_layout_by_hand(tmp_path: Path) -> None:
    path = tmp_path / "n.ipynb"
    text = json.dumps(HIDDEN, indent=1, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")
    report = analyze(HIDDEN, path=str(path))
    [ubd] = [
        r
        for r in to_sarif([report])["runs"][0]["results"]
        if r["ruleId"] == "use-before-definition"
    ]
    # The line of the file that holds `"print(100 * rate)"`, just past its opening quote.
    lines = text.split("\n")
    row = next(i for i, line in enumerate(lines) if '"print(100 * rate)"' in line)
    column = lines[row].index('"print(') + 2
    region = ubd["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (row + 1, column)
    assert row + 1 > 20  # not the line inside the cell


def test_whole_cell_and_notebook_findings_and_an_unreadable_file(tmp_path: Path) -> None:
    report = analyze(HIDDEN, path=str(tmp_path / "gone.ipynb"))  # never written
    log = to_sarif([report])
    assert _errors(log) == []
    for result in log["runs"][0]["results"]:
        assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    positions = source_positions(json.dumps(HIDDEN, indent=1))
    assert positions.locate(1, None) == positions.locate(1, 1)
    assert positions.locate(1, 9) is None
    assert positions.locate(7, 1) is None
    with pytest.raises(LayoutError):
        source_positions('{"metadata": {}}')


def test_empty_sources_point_at_the_source_value() -> None:
    nb = make_notebook("", {"source": []}, "x = 1")
    text = json.dumps(nb, indent=1)
    positions = source_positions(text)
    for cell in (0, 1):
        line, column = positions.locate(cell, None) or (0, 0)
        assert text.split("\n")[line - 1][column - 1 :].startswith(('""', "[]"))


def test_absolute_paths_outside_the_folder_are_file_uris(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a b" / "n.ipynb"
    path.parent.mkdir()
    path.write_text(json.dumps(HIDDEN), encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    log = to_sarif([analyze(HIDDEN, path=str(path))])
    assert _errors(log) == []
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri["uri"].startswith("file:///")
    assert uri["uri"].endswith("/a%20b/n.ipynb")


def test_no_placeholder_urls() -> None:
    driver = to_sarif([])["runs"][0]["tool"]["driver"]
    assert "informationUri" not in driver
    assert all("helpUri" not in rule for rule in driver["rules"])

"""Read nbformat JSON (v4) into :class:`~.model.Notebook`, tolerating what real files contain."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .errors import AnalysisInputError
from .model import Cell, CellIndex, Notebook, cell_label

_CELL_TYPES: frozenset[str] = frozenset({"code", "markdown", "raw"})


class NotebookError(AnalysisInputError):
    """The input is not a notebook this tool can read; the message is for the user."""


def _text(value: Any, what: str) -> str:
    # nbformat stores multiline strings either as one string or a list of lines.
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(part, str) for part in value):
        return "".join(value)
    raise NotebookError(f"{what} must be a string or a list of strings.")


def _shown(value: Any) -> str:
    """A value quoted in a message, cut short: the message is a sentence, not the input."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def read_notebook(data: Any, path: str | None = None) -> Notebook:
    """Validate the shape of an nbformat v4 document and return its cells.

    Raises :class:`NotebookError` with a sentence for the user when the shape is wrong.
    Unknown keys are ignored, as Jupyter itself does.
    """
    if not isinstance(data, Mapping):
        raise NotebookError("A notebook must be a JSON object.")
    major = data.get("nbformat")
    if major is None:
        raise NotebookError("This is not a notebook: the `nbformat` field is missing.")
    if not isinstance(major, int) or isinstance(major, bool):
        raise NotebookError("The `nbformat` field must be an integer.")
    if major != 4:
        raise NotebookError(
            f"Notebook format {_shown(major)} is not supported; open and save it in Jupyter "
            "to convert it to format 4."
        )
    raw_cells = data.get("cells")
    if not isinstance(raw_cells, list):
        raise NotebookError("The notebook's `cells` field must be a list.")
    metadata = data.get("metadata") or {}
    if not isinstance(metadata, Mapping):
        raise NotebookError("The notebook's `metadata` field must be an object.")

    cells = tuple(_read_cell(i, raw) for i, raw in enumerate(raw_cells))
    language, kernel_name = _language(metadata)
    synthesized = any(raw.get("id") is None for raw in raw_cells)  # all read as objects
    return Notebook(
        cells=cells,
        language=language,
        kernel_name=kernel_name,
        language_name=None if language == "python" else _language_name(metadata, language),
        path=path,
        nbformat=major,
        synthesized_ids=synthesized,
    )


def _read_cell(index: int, raw: Any) -> Cell:
    # Exact-type checks first: json.loads gives dicts, lists, strs and ints, and an
    # isinstance() against the Mapping ABC costs several times more per cell.
    if type(raw) is not dict and not isinstance(raw, Mapping):
        raise NotebookError(f"{_where(index)} must be a JSON object.")
    cell_type = raw.get("cell_type")
    if not isinstance(cell_type, str) or cell_type not in _CELL_TYPES:  # a list is unhashable
        raise NotebookError(f"{_where(index)} has an unknown cell_type {_shown(cell_type)}.")
    source = raw.get("source")
    if type(source) is not str:
        source = _text(source, f"{_where(index)}'s source")
    cell_id = raw.get("id")
    if cell_id is None:
        cell_id = f"cell-{index}"  # nbformat < 4.5 has no ids
    elif not isinstance(cell_id, str):
        raise NotebookError(f"{_where(index)}'s id must be a string.")
    count = None
    outputs: tuple[dict[str, Any], ...] = ()
    if cell_type == "code":
        count = raw.get("execution_count")
        if (
            count is not None
            and type(count) is not int
            and (not isinstance(count, int) or isinstance(count, bool))
        ):
            raise NotebookError(f"{_where(index)}'s execution_count must be an integer or null.")
        outputs_raw = raw.get("outputs")
        if outputs_raw:
            outputs = _outputs(index, outputs_raw)
        elif outputs_raw is not None and not isinstance(outputs_raw, list):
            raise NotebookError(f"{_where(index)}'s outputs must be a list of objects.")
    meta = raw.get("metadata")
    tags: frozenset[str] = _NO_TAGS
    if meta and (type(meta) is dict or isinstance(meta, Mapping)):
        tags_raw = meta.get("tags")
        if tags_raw and isinstance(tags_raw, list):
            tags = frozenset(t for t in tags_raw if isinstance(t, str))
    return Cell(
        index=CellIndex(index),
        id=cell_id,
        cell_type=cell_type,  # type: ignore[arg-type]  # checked against _CELL_TYPES
        source=source,
        execution_count=count,
        outputs=outputs,
        tags=tags,
    )


_NO_TAGS: frozenset[str] = frozenset()


def _where(index: int) -> str:
    """How a message names the cell at `index` (only built when there is a problem)."""
    return cell_label(index, capital=True)


def _outputs(index: int, raw: Any) -> tuple[dict[str, Any], ...]:
    if not isinstance(raw, list) or not all(isinstance(o, Mapping) for o in raw):
        raise NotebookError(f"{_where(index)}'s outputs must be a list of objects.")
    for k, output in enumerate(raw):
        if is_summary(output):
            _check_summary(index, k, output)
    # Outputs are only read, so the caller's objects are kept, not copied.
    return tuple(o if type(o) is dict else dict(o) for o in raw)


# An output summary (the analyze protocol, README "REST API") carries what the rules read
# of an output instead of its content: its type, error name and value, MIME types, size.
_OUTPUT_TYPES = frozenset({"stream", "display_data", "execute_result", "error"})
_CONTENT_KEYS = ("data", "text", "traceback")


def is_summary(output: Mapping[str, Any]) -> bool:
    """True for an output summary: it has `nbytes` and no `data`, `text` or `traceback`."""
    return "nbytes" in output and not any(key in output for key in _CONTENT_KEYS)


def output_nbytes(output: Mapping[str, Any]) -> int:
    """The size of an output's full JSON in bytes (a summary says it in `nbytes`)."""
    if is_summary(output):
        return int(output["nbytes"])
    return len(json.dumps(output, separators=(",", ":"), ensure_ascii=False).encode())


def summarize_output(output: Mapping[str, Any]) -> dict[str, Any]:
    """The summary of an output (a summary is returned as it is)."""
    if is_summary(output):
        return dict(output)
    summary: dict[str, Any] = {"output_type": output.get("output_type")}
    for key in ("name", "ename", "evalue"):
        if key in output:
            summary[key] = output[key]
    data = output.get("data")
    if isinstance(data, Mapping):
        summary["mime_types"] = sorted(str(mime) for mime in data)
    summary["nbytes"] = output_nbytes(output)
    return summary


def _check_summary(index: int, k: int, output: Mapping[str, Any]) -> None:
    where = f"{_where(index)}'s output {k + 1}"
    if output.get("output_type") not in _OUTPUT_TYPES:
        raise NotebookError(
            f"{where} has an unknown output_type {_shown(output.get('output_type'))}."
        )
    nbytes = output["nbytes"]
    if not isinstance(nbytes, int) or isinstance(nbytes, bool) or nbytes < 0:
        raise NotebookError(f"{where}'s nbytes must be a non-negative integer.")
    for key in ("name", "ename", "evalue"):
        if key in output and not isinstance(output[key], str):
            raise NotebookError(f"{where}'s {key} must be a string.")
    mimes = output.get("mime_types")
    if mimes is not None and (
        not isinstance(mimes, list) or not all(isinstance(m, str) for m in mimes)
    ):
        raise NotebookError(f"{where}'s mime_types must be a list of strings.")


def _language(metadata: Mapping[str, Any]) -> tuple[str, str | None]:
    kernelspec = metadata.get("kernelspec")
    kernel_name: str | None = None
    language: str | None = None
    if isinstance(kernelspec, Mapping):
        name = kernelspec.get("name")
        kernel_name = name if isinstance(name, str) else None
        lang = kernelspec.get("language")
        language = lang if isinstance(lang, str) else None
    info = metadata.get("language_info")
    if language is None and isinstance(info, Mapping):
        lang = info.get("name")
        language = lang if isinstance(lang, str) else None
    if language is None and kernel_name is not None:
        language = "python" if kernel_name.startswith("python") else kernel_name
    return (language or "python").lower(), kernel_name


# How languages are written, for the ones whose kernels report them in lower case.
_LANGUAGE_NAMES = {
    "r": "R", "julia": "Julia", "bash": "Bash", "sh": "Shell", "zsh": "Zsh", "scala": "Scala",
    "javascript": "JavaScript", "typescript": "TypeScript", "c": "C", "c++": "C++",
    "cpp": "C++", "c#": "C#", "csharp": "C#", "f#": "F#", "fsharp": "F#", "sql": "SQL",
    "matlab": "MATLAB", "octave": "Octave", "ruby": "Ruby", "go": "Go", "rust": "Rust",
    "haskell": "Haskell", "java": "Java", "kotlin": "Kotlin", "powershell": "PowerShell",
    "sas": "SAS", "stata": "Stata", "perl": "Perl", "lua": "Lua", "ocaml": "OCaml",
    "clojure": "Clojure", "groovy": "Groovy", "sparql": "SPARQL", "xonsh": "Xonsh",
}  # fmt: skip


def _language_name(metadata: Mapping[str, Any], language: str) -> str:
    """`language` (lower case) as people write it: known names from a table, else the
    kernel's own casing (language_info or kernelspec display name), else capitalized."""
    known = _LANGUAGE_NAMES.get(language)
    if known is not None:
        return known
    info = metadata.get("language_info")
    name = info.get("name") if isinstance(info, Mapping) else None
    if isinstance(name, str) and name.lower() == language and name != language:
        return name
    kernelspec = metadata.get("kernelspec")
    display = kernelspec.get("display_name") if isinstance(kernelspec, Mapping) else None
    if isinstance(display, str):
        for word in display.split():  # "Julia 1.9.3" for julia (or julia-1.9)
            if language == word.lower() or language.startswith(word.lower() + "-"):
                return word
    return language[:1].upper() + language[1:]

"""IPython cell source -> plain Python for an exported module.

Each cell is rewritten line by line (line N of the result is line N of the cell, so a
refusal can name the line): `!cmd` becomes `subprocess.run(..., shell=True, check=True)`,
`%time`/`%%time`/`%timeit` keep their statement, magics that only configure IPython are
dropped and listed, display-only magics become a comment, and any other magic is refused
with its cell and line (:class:`ExportError`).
"""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Container
from dataclasses import dataclass, field

from ..analysis.source import scan_line
from .errors import ExportError

_BUILTINS = frozenset(dir(builtins))

# Magics that only configure IPython: no meaning in a plain interpreter.
CONFIG_MAGICS = frozenset(
    {
        "matplotlib", "load_ext", "reload_ext", "unload_ext", "config", "autoreload", "aimport",
        "pylab", "precision", "xmode", "colors", "pdb", "autocall", "automagic", "doctest_mode",
        "alias_magic", "notebook", "qtconsole", "gui", "autosave", "pprint",
        "tensorflow_version",
    }
)  # fmt: skip
# Magics that install packages: left to the environment, listed in the summary.
INSTALL_MAGICS = frozenset({"pip", "conda", "mamba", "uv"})
# Magics that only show something: dropped with a comment.
DISPLAY_MAGICS = frozenset(
    {
        "who", "whos", "who_ls", "lsmagic", "magic", "pwd", "history", "hist", "pinfo", "pinfo2",
        "pdoc", "pdef", "psource", "pfile", "page", "dhist", "dirs", "quickref", "env_show",
        "html", "markdown", "latex", "javascript", "js", "svg", "HTML", "md", "watermark",
        "ls", "tb", "version_information", "tensorboard",
    }
)  # fmt: skip
# Magics whose statement runs as Python (timed or profiled): the statement is kept.
STATEMENT_MAGICS = frozenset({"time", "timeit", "prun", "capture", "memit"})
_VALUE_OPTIONS = {"timeit": "nrp", "memit": "rti", "prun": "lsTD", "time": "", "capture": ""}
_SHELL_CELL_MAGICS = {"bash": "bash", "sh": "sh", "script": ""}
_AUTOMAGICS = frozenset({"cd", "pip", "conda", "matplotlib", "load_ext", "env", "ls", "pwd"})
_MAGIC = re.compile(r"^(%{1,2})([\w.-]+)(.*)$", re.S)
_ASSIGN = re.compile(r"^([A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*)\s*=\s*(!|%)(.*)$", re.S)
_DOLLAR = re.compile(r"(?<![\\$])\$([A-Za-z_]\w*)")
_BRACE = re.compile(r"(?<!\{)\{([^{}\n]+)\}(?!\})")


@dataclass(frozen=True)
class Dropped:
    """A magic left out of the module: `cell` is 1-based (as the panel counts), `line` too."""

    cell: int
    line: int
    magic: str
    why: str

    def to_json(self) -> dict[str, object]:
        return {"cell": self.cell, "line": self.line, "magic": self.magic, "why": self.why}


@dataclass
class Translated:
    """One cell as Python; `uses_subprocess`/`uses_os` ask the module to import them."""

    python: str
    dropped: list[Dropped] = field(default_factory=list)
    uses_subprocess: bool = False
    uses_os: bool = False


def translate_cell(source: str, cell: int, known: Container[str]) -> Translated:
    """Python for a cell's IPython `source`; `cell` is 1-based, for messages; `known`
    holds the names some cell defines (a `$name` or `{expr}` in a shell command is
    expanded only when its names are known, as IPython leaves the rest as written).
    Raises :class:`ExportError` for a magic that cannot be translated."""
    text = source.replace("\r\n", "\n").replace("\r", "\n")
    if _parses(text):
        return Translated(text)
    out = Translated("")
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    if first < len(lines) and lines[first].lstrip().startswith("%%"):
        lines = _cell_magic(lines, first, cell, out, known)
    else:
        _line_escapes(lines, 0, cell, out, known)
    _automagic(lines, cell, out, known)
    out.python = "\n".join(lines)
    return out


def _parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    return True


def _refuse(cell: int, line: int, what: str, why: str) -> ExportError:
    return ExportError(f"Cell {cell}, line {line}: {what} {why}", cell=cell, name=what)


def _options(magic: str, args: str) -> str:
    """`args` without the leading options of a timing magic (`-n 10 -r 3`)."""
    takes_value = _VALUE_OPTIONS.get(magic, "")
    rest = args.strip()
    while rest.startswith("-"):
        word, _, rest = rest.partition(" ")
        rest = rest.lstrip()
        if len(word) == 2 and word[1] in takes_value:
            _, _, rest = rest.partition(" ")
            rest = rest.lstrip()
    return rest


def _cell_magic(
    lines: list[str], first: int, cell: int, out: Translated, known: Container[str]
) -> list[str]:
    head = lines[first].strip()
    match = _MAGIC.match(head)
    name, args = (match.group(2), match.group(3).strip()) if match else ("", "")
    body = lines[first + 1 :]
    pad = [""] * (first + 1)
    where = f"%%{name}"
    if name in STATEMENT_MAGICS:
        rest = _options(name, args)
        if name == "capture" and rest:
            raise _refuse(cell, first + 1, f"%%capture {rest}", "keeps outputs in a variable.")
        setup = [rest] if name == "timeit" and rest else []
        kept = [*pad[:-1], *setup] if setup else pad
        _line_escapes(body, 0, cell, out, known, offset=first + 1)
        return [*kept, *body]
    if name in _SHELL_CELL_MAGICS:
        program = _SHELL_CELL_MAGICS[name] or args
        if (name != "script" and args) or not program or " " in program.strip():
            raise _refuse(cell, first + 1, f"{where} {args}".strip(), "has arguments.")
        out.uses_subprocess = True
        script = "\n".join(body)
        call = f"subprocess.run([{program!r}], input={script!r}, text=True, check=True)"
        return [*pad[:-1], call, *[""] * len(body)]
    if name == "writefile":
        append = args.startswith("-a ")
        target = args[3:].strip() if append else args
        if not target or " " in target:
            raise _refuse(cell, first + 1, f"{where} {args}".strip(), "needs one file name.")
        mode = "a" if append else "w"
        content = "\n".join(body) + "\n"
        call = (
            f"with open({target!r}, {mode!r}, encoding='utf-8') as _file: _file.write({content!r})"
        )
        return [*pad[:-1], call, *[""] * len(body)]
    if name in DISPLAY_MAGICS:
        out.dropped.append(Dropped(cell, first + 1, where, "only displays"))
        return [*pad[:-1], f"# {where} cell dropped: it only displays", *[""] * len(body)]
    raise _refuse(cell, first + 1, where, "cannot be translated to Python.")


def _starts(lines: list[str]) -> list[bool]:
    """Which lines begin a logical line (not inside brackets, strings or a continuation)."""
    starts: list[bool] = []
    depth, quote, continued = 0, None, False
    for line in lines:
        starts.append(depth == 0 and quote is None and not continued)
        depth, quote, continued = scan_line(line, depth, quote)
    return starts


def _line_escapes(
    lines: list[str],
    start: int,
    cell: int,
    out: Translated,
    known: Container[str],
    *,
    offset: int = 0,
) -> None:
    for i, at_start in enumerate(_starts(lines)):
        if i < start or not at_start:
            continue
        line = lines[i]
        stripped = line.lstrip()
        indent = line[: len(line) - len(stripped)]
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("?") or (stripped.endswith("?") and not _parses(stripped)):
            out.dropped.append(Dropped(cell, i + 1 + offset, stripped, "help only displays"))
            lines[i] = _at(indent, f"pass  # {stripped} dropped: help only displays")
            continue
        assign = _ASSIGN.match(stripped) if stripped[0] not in "%!" else None
        if assign is None and stripped[0] not in "%!":
            continue
        if assign is not None and _parses(stripped):
            continue
        lines[i] = _at(indent, _escape(stripped, assign, cell, i + 1 + offset, out, known))


def _at(indent: str, python: str) -> str:
    """`python` at `indent`; a dropped line is a bare comment at the top level."""
    if not indent and python.startswith("pass  # "):
        return python[len("pass  ") :]
    return indent + python


def _escape(
    stripped: str,
    assign: re.Match[str] | None,
    cell: int,
    line: int,
    out: Translated,
    known: Container[str],
) -> str:
    if assign is not None:
        target, kind, rest = assign.group(1), assign.group(2), assign.group(3).strip()
        if kind == "!":
            out.uses_subprocess = True
            command = _command(rest.lstrip("!"), known)
            options = "shell=True, check=True, capture_output=True, text=True"
            run = f"subprocess.run({command}, {options})"
            return f"{target} = {run}.stdout.splitlines()"
        value = _line_magic(rest, cell, line, out, known, assigned=True)
        return f"{target} = {value}"
    if stripped.startswith("!"):
        command = stripped.lstrip("!").strip()
        word = command.split(None, 1)[0] if command else ""
        if word in INSTALL_MAGICS or command.startswith(("python -m pip", "python3 -m pip")):
            out.dropped.append(Dropped(cell, line, stripped, "installs packages"))
            return f"pass  # {stripped} dropped: installs packages"
        out.uses_subprocess = True
        return f"subprocess.run({_command(command, known)}, shell=True, check=True)"
    if stripped.startswith("%%"):
        raise _refuse(cell, line, stripped.split()[0], "is a cell magic below the first line.")
    return _line_magic(stripped[1:], cell, line, out, known, assigned=False)


def _line_magic(
    text: str, cell: int, line: int, out: Translated, known: Container[str], *, assigned: bool
) -> str:
    match = re.match(r"([\w.-]+)(.*)$", text.strip(), re.S)
    name, args = (match.group(1), match.group(2).strip()) if match else ("", "")
    shown = f"%{name} {args}".strip()
    if name in STATEMENT_MAGICS and not assigned:
        statement = _options(name, args)
        if name == "capture" or not statement:
            return f"pass  # {shown} dropped"
        return statement
    if name in CONFIG_MAGICS and not assigned:
        out.dropped.append(Dropped(cell, line, shown, "configures IPython only"))
        return f"pass  # {shown} dropped: configures IPython only"
    if name in INSTALL_MAGICS and not assigned:
        out.dropped.append(Dropped(cell, line, shown, "installs packages"))
        return f"pass  # {shown} dropped: installs packages"
    if name in DISPLAY_MAGICS and not assigned:
        out.dropped.append(Dropped(cell, line, shown, "only displays"))
        return f"pass  # {shown} dropped: it only displays"
    if name == "cd" and args and not assigned:
        out.uses_os = True
        return f"os.chdir(os.path.expanduser({args.strip(chr(34) + chr(39))!r}))"
    if name in ("env", "set_env") and not assigned:
        key, sep, value = args.replace("=", " ", 1).partition(" ")
        if not sep or not key:
            out.dropped.append(Dropped(cell, line, shown, "only displays"))
            return f"pass  # {shown} dropped: it only displays"
        out.uses_os = True
        return f"os.environ[{key!r}] = {_command(value.strip(), known)}"
    raise _refuse(cell, line, shown, "cannot be translated to Python.")


def _command(command: str, known: Container[str]) -> str:
    """A Python string expression for a shell command, with IPython's `$name` and
    `{expr}` expansions for the names some cell defines."""
    fields: list[str] = []

    def field(expr: str) -> str:
        fields.append(expr)
        return f"\0{len(fields) - 1}\0"

    def brace(m: re.Match[str]) -> str:
        expr = m.group(1)
        if _names_known(expr, known):
            return field(expr)
        return m.group(0)

    text = _BRACE.sub(brace, command)
    text = _DOLLAR.sub(lambda m: field(m.group(1)) if m.group(1) in known else m.group(0), text)
    if not fields:
        return repr(command)
    parts = re.split(r"\0(\d+)\0", text)
    literal = "".join(
        part.replace("{", "{{").replace("}", "}}") if k % 2 == 0 else "{" + fields[int(part)] + "}"
        for k, part in enumerate(parts)
    )
    return "f" + repr(literal)


def _names_known(expr: str, known: Container[str]) -> bool:
    try:
        tree = ast.parse(expr, mode="eval")
    except (SyntaxError, ValueError):
        return False
    names = [n.id for n in ast.walk(tree) if isinstance(n, ast.Name)]
    return bool(names) and all(n in known or n in _BUILTINS for n in names)


def _automagic(lines: list[str], cell: int, out: Translated, known: Container[str]) -> None:
    """IPython runs `cd dir` or `pip install x` as magics when the line is not Python."""
    for _ in range(len(lines)):
        text = "\n".join(lines)
        try:
            ast.parse(text)
            return
        except SyntaxError as e:
            number = e.lineno or 0
        if not 1 <= number <= len(lines):
            return
        line = lines[number - 1]
        stripped = line.lstrip()
        word = stripped.split(None, 1)[0] if stripped else ""
        if word not in _AUTOMAGICS:
            return
        indent = line[: len(line) - len(stripped)]
        python = _line_magic(stripped, cell, number, out, known, assigned=False)
        lines[number - 1] = _at(indent, python)

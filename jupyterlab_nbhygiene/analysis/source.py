"""IPython-aware cell source -> Python AST, keeping the cell's line numbers.

IPython accepts more than Python: `%line` and `%%cell` magics, `!shell` escapes,
`x = !cmd`, `x = %magic`, `obj?` help and automagic (`cd dir`). :func:`parse_cell`
rewrites each such line into Python with the same meaning for name analysis (or into
`pass`) on the same line, records it as a :class:`ShellCommand`, and parses the result.
"""

from __future__ import annotations

import ast
import re
import warnings

from .model import ParsedCell, ShellCommand, SyntaxProblem

MAGIC_PREFIX = "_nbh_"
"""Names this module introduces into translated source; the cell's symbols never report them."""

_FLAGS = ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT

# Cell magics whose body IPython runs as Python in the user namespace.
_PYTHON_CELL_MAGICS = frozenset({"time", "capture", "prun", "debug", "pdb"})
# Cell magics whose body runs as Python inside a function IPython builds (names stay local).
_FUNCTION_CELL_MAGICS = frozenset({"timeit", "memit"})
# Line magics followed by a Python statement: `%time x = f()`.
_STATEMENT_LINE_MAGICS = frozenset({"time", "prun", "debug", "pdb"})
_FUNCTION_LINE_MAGICS = frozenset({"timeit", "memit"})
# Options of those magics that take a value (`%timeit -n 10 -r 3 f()`).
_VALUE_OPTIONS: dict[str, frozenset[str]] = {
    "timeit": frozenset("nrp"),
    "memit": frozenset("rti"),
    "prun": frozenset("lsTD"),
    "capture": frozenset(),
}
# Words that IPython runs as magics without `%` when a line is not valid Python.
_AUTOMAGICS = frozenset(
    {
        "cd", "ls", "pwd", "pip", "conda", "env", "load_ext", "reload_ext", "matplotlib",
        "autoreload", "aimport", "run", "who", "whos", "who_ls", "reset", "history", "store",
        "config", "pylab", "precision", "xmode", "rm", "mkdir", "cat", "cp", "mv", "less",
        "clear", "alias", "bookmark", "dhist", "pushd", "popd", "ldir", "lf", "lk", "lx",
    }
)  # fmt: skip

# The characters that start an IPython escape. A cell holds one when such a character
# begins a line (after blanks) or, for `!` and `%`, follows `=` (`x = !ls`); cells
# without are plain Python. Finding the few candidates and looking back from each is
# much cheaper than a multiline regex, which tries its alternatives at every position.
_ESCAPE_CHAR = re.compile(r"[%!?]")


def _may_escape(text: str) -> bool:
    """True when a line of `text` may hold an IPython escape (the translator decides)."""
    for match in _ESCAPE_CHAR.finditer(text):
        start = j = match.start()
        while j and text[j - 1] in " \t":
            j -= 1
        if j == 0 or text[j - 1] == "\n" or (text[j - 1] == "=" and text[start] != "?"):
            return True
    return False


_ASSIGN_ESCAPE = re.compile(
    r"^([A-Za-z_][\w.]*(?:[ \t]*,[ \t]*[A-Za-z_][\w.]*)*)[ \t]*=[ \t]*(!|%)"
)
_HELP_END = re.compile(r"^(%{0,2}(?!\d)[\w*]+(?:\.[\w*]+)*)(\?\??)$")
_MAGIC_NAME = re.compile(r"[\w.-]+")
_BRACED = re.compile(r"(?<!\{)\{([^{}\n]+)\}(?!\})")
_MAX_RETRIES = 20


def parse_cell(source: str) -> ParsedCell:
    """Translate IPython syntax and parse; never raises, whatever `source` holds.

    Line N of the returned `python` is line N of `source`. A cell magic that does not
    run Python (`%%bash`, `%%html`, ...) gives `skipped=True` and no tree. A source that
    does not parse gives `tree=None` and a :class:`SyntaxProblem` (also for null bytes,
    nesting too deep for the parser, or memory exhaustion). The result is cached per
    source string and shared: treat it as read-only.
    """
    try:
        return _parse(source)
    except Exception as e:  # a last guard: user text must never crash the analysis
        return ParsedCell(python="", tree=None, syntax_error=SyntaxProblem(_describe(e), 1))


def _parse(source: str) -> ParsedCell:
    text = source.replace("\r\n", "\n").replace("\r", "\n") if "\r" in source else source
    if not _may_escape(text):
        tree, problem = _compile(text)
        if tree is not None or problem is None:
            return ParsedCell(python=text, tree=tree)
        # `obj?` help or automagic can still hide here; the translator decides.
        translated = _Translator(text).run()
        if translated.python == text and not translated.commands:
            return _parse_translated(translated, known=problem)
    else:
        translated = _Translator(text).run()
    if translated.skipped:
        return ParsedCell(
            python=translated.python,
            tree=None,
            cell_magic=translated.cell_magic,
            skipped=True,
            commands=tuple(translated.commands),
        )
    return _parse_translated(translated)


def _parse_translated(t: _Translator, *, known: SyntaxProblem | None = None) -> ParsedCell:
    lines = t.python.split("\n")
    tree, problem = (None, known) if known is not None else _compile(t.python)
    retries = 0
    # Automagic: IPython runs `cd dir` as `%cd dir` when the line is not valid Python.
    while problem is not None and retries < _MAX_RETRIES and 1 <= problem.line <= len(lines):
        line = lines[problem.line - 1]
        word = line.split(None, 1)[0] if line.strip() else ""
        if word not in _AUTOMAGICS or not t.starts[problem.line - 1]:
            break
        indent = line[: len(line) - len(line.lstrip())]
        t.commands.append(ShellCommand(problem.line, "line-magic", line.strip()))
        lines[problem.line - 1] = indent + "pass"
        tree, problem = _compile("\n".join(lines))
        retries += 1
    python = "\n".join(lines)
    t.commands.sort(key=lambda c: c.line)
    return ParsedCell(
        python=python,
        tree=tree,
        syntax_error=problem,
        cell_magic=t.cell_magic,
        commands=tuple(t.commands),
    )


def _compile(text: str) -> tuple[ast.Module | None, SyntaxProblem | None]:
    try:
        # Real notebooks hold invalid escape sequences and `is` with literals: the
        # warnings compile() emits for them are not this tool's business.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = compile(text, "<cell>", "exec", _FLAGS, dont_inherit=True)
    except SyntaxError as e:
        line = e.lineno if isinstance(e.lineno, int) and e.lineno > 0 else 1
        col = e.offset if isinstance(e.offset, int) and e.offset > 0 else 0
        return None, SyntaxProblem(str(e.msg or "invalid syntax"), line, col)
    except Exception as e:  # ValueError (null bytes), RecursionError, MemoryError, ...
        return None, SyntaxProblem(_describe(e), 1)
    assert isinstance(tree, ast.Module)
    return tree, None


def _describe(e: BaseException) -> str:
    if isinstance(e, RecursionError):
        return "the cell is nested too deeply to analyze"
    if isinstance(e, MemoryError):
        return "the cell is too large to analyze"
    text = str(e) or type(e).__name__
    return text.splitlines()[0] if text.strip() else type(e).__name__


def _is_python(text: str, mode: str = "exec") -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, "<magic>", mode, _FLAGS, dont_inherit=True)
    except Exception:
        return False
    return True


def _expansions(command: str) -> list[str]:
    """Python expressions IPython substitutes into a shell line or magic: `{expr}`."""
    found = []
    for match in _BRACED.finditer(command):
        expr = match.group(1).strip()
        if not expr or ("," in expr and _is_tuple(expr)):
            continue  # `{a,b}` is the shell's brace expansion
        if _is_python(expr, "eval"):
            found.append(expr)
    return found


def _is_tuple(expr: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            node = ast.parse(expr, mode="eval").body
    except Exception:
        return True
    return isinstance(node, ast.Tuple)


def _strip_options(magic: str, args: str) -> str:
    """The Python statement after a magic's options: `-n 10 -r 3 f()` -> `f()`."""
    takes_value = _VALUE_OPTIONS.get(magic, frozenset())
    rest = args.strip()
    while rest.startswith("-"):
        word, _, tail = rest.partition(" ")
        letters = word[1:]
        rest = tail.lstrip()
        if letters and letters[-1] in takes_value and len(letters) == 1:
            _, _, rest = rest.partition(" ")  # the option's value is the next word
            rest = rest.lstrip()
    return rest


class _Translator:
    """Walks the lines once, tracking brackets and strings to find logical line starts."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self.out: list[str] = list(self.lines)
        self.starts: list[bool] = [False] * len(self.lines)
        self.commands: list[ShellCommand] = []
        self.cell_magic: str | None = None
        self.skipped = False
        self.python = text

    def run(self) -> _Translator:
        first = self._cell_magic()
        if self.skipped:
            self.python = "\n".join(self.out)
            return self
        self._dedent_leading(first)
        depth = 0
        quote: str | None = None
        continued = False
        i = first
        while i < len(self.lines):
            line = self.out[i]
            at_start = depth == 0 and quote is None and not continued
            self.starts[i] = at_start
            if at_start:
                consumed = self._escape(i, line)
                if consumed:
                    i += consumed
                    continue
            depth, quote, continued = scan_line(line, depth, quote)
            i += 1
        self.python = "\n".join(self.out)
        return self

    def _cell_magic(self) -> int:
        first = 0
        while first < len(self.lines) and not self.lines[first].strip():
            first += 1
        if first == len(self.lines):
            return first
        head = self.lines[first].lstrip()
        if not head.startswith("%%"):
            return first
        match = _MAGIC_NAME.match(head, 2)
        name = match.group(0) if match else ""
        args = head[2 + len(name) :].strip()
        self.cell_magic = name
        self.commands.append(ShellCommand(first + 1, "cell-magic", head[2:].strip()))
        self.out[first] = ""
        if name in _PYTHON_CELL_MAGICS:
            if name == "capture":
                target = _strip_options("capture", args).split()
                if target and target[0].isidentifier():
                    self.out[first] = f"{target[0]} = None"
            return first + 1
        if name in _FUNCTION_CELL_MAGICS:
            # The body runs inside a function: its assignments do not reach the namespace.
            self.out[first] = f"def {MAGIC_PREFIX}{name}():"
            body = self.lines[first + 1 :]
            if not any(b.strip() for b in body):
                self.out[first] = f"def {MAGIC_PREFIX}{name}(): pass"
            for j in range(first + 1, len(self.lines)):
                self.out[j] = " " + self.lines[j] if self.lines[j].strip() else ""
            self.lines = list(self.out)
            return len(self.lines)  # the body is indented as a whole; no escapes inside
        self.skipped = True
        return first

    def _dedent_leading(self, first: int) -> None:
        # IPython removes the first line's indentation from every line.
        if first >= len(self.out):
            return
        head = self.out[first]
        indent = head[: len(head) - len(head.lstrip())]
        if not indent:
            return
        for j in range(first, len(self.out)):
            if self.out[j].startswith(indent):
                self.out[j] = self.out[j][len(indent) :]
        self.lines[first:] = self.out[first:]

    def _escape(self, i: int, line: str) -> int:
        """Rewrite an escape starting at line i; return how many lines it took (0: none)."""
        stripped = line.lstrip()
        if not stripped:
            return 0
        indent = line[: len(line) - len(stripped)]
        head = stripped[0]
        assign = None if head in "%!?" else _ASSIGN_ESCAPE.match(stripped)
        if head not in "%!?" and assign is None and not stripped.endswith("?"):
            return 0
        if head not in "%!" and assign is None:
            return self._help(i, indent, stripped)
        # A trailing backslash continues the command on the next line.
        text, used = stripped, 1
        while text.endswith("\\") and i + used < len(self.lines):
            text = text[:-1] + " " + self.lines[i + used].strip()
            self.out[i + used] = ""
            used += 1
        if assign is not None:
            target = assign.group(1)
            command = text[assign.end() :]
            kind = "shell" if assign.group(2) == "!" else "line-magic"
            value = self._command(i, kind, command.lstrip("!") if kind == "shell" else command)
            self.out[i] = f"{indent}{target} = {value or 'None'}"
            return used
        if head == "!":
            value = self._command(i, "shell", text.lstrip("!"))
        else:
            body = text.lstrip("%")
            if text.startswith("%%"):
                # `%%magic` below the first line is not a cell magic; IPython fails on it.
                self.commands.append(ShellCommand(i + 1, "cell-magic", body))
                return 0
            if body.endswith("?"):
                return self._help(i, indent, stripped)
            value = self._command(i, "line-magic", body)
        self.out[i] = indent + (value or "pass")
        return used

    def _help(self, i: int, indent: str, stripped: str) -> int:
        if stripped.startswith("?"):
            target = stripped.lstrip("?").strip()
        else:
            match = _HELP_END.match(stripped)
            if match is None:
                return 0
            target = match.group(1)
        self.commands.append(ShellCommand(i + 1, "line-magic", f"pinfo {target}".strip()))
        self.out[i] = indent + "pass"
        return 1

    def _command(self, i: int, kind: str, text: str) -> str | None:
        """Record the escape; return the Python that stands for it on its line, if any."""
        text = text.strip()
        self.commands.append(ShellCommand(i + 1, kind, text))  # type: ignore[arg-type]
        if kind == "line-magic":
            match = _MAGIC_NAME.match(text)
            name = match.group(0) if match else ""
            args = text[len(name) :]
            if name in _STATEMENT_LINE_MAGICS or name in _FUNCTION_LINE_MAGICS:
                statement = _strip_options(name, args)
                if name in _FUNCTION_LINE_MAGICS:
                    if _is_python(statement, "eval"):
                        return f"(lambda: {statement})"
                    wrapped = f"def {MAGIC_PREFIX}{name}(): {statement}"
                    return wrapped if statement and _is_python(wrapped) else None
                return statement if statement and _is_python(statement) else None
        exprs = _expansions(text)
        if not exprs:
            return None
        value = "(" + ", ".join(exprs) + ",)"
        return value if _is_python(value, "eval") else None


def scan_line(line: str, depth: int, quote: str | None) -> tuple[int, str | None, bool]:
    """Bracket depth, open string and backslash continuation after `line`, given those
    before it (0, None for the first line of a cell)."""
    i, n = 0, len(line)
    while i < n:
        if quote is not None:
            end = _string_end(line, i, quote)
            if end < 0:
                # A single-quoted string may only continue after a backslash.
                if len(quote) == 1 and not line.endswith("\\"):
                    quote = None
                return depth, quote, False
            quote, i = None, end
            continue
        ch = line[i]
        if ch == "#":
            return depth, quote, False
        if ch in "'\"":
            quote = line[i : i + 3] if line[i : i + 3] in ("'''", '"""') else ch
            i += len(quote)
            continue
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(depth - 1, 0)
        i += 1
    continued = line.endswith("\\") and not line.rstrip().startswith("#")
    return depth, quote, continued


def _string_end(line: str, i: int, quote: str) -> int:
    """Index just past the closing `quote` from position i, or -1 if the line ends first."""
    n = len(line)
    while i < n:
        ch = line[i]
        if ch == "\\":
            i += 2
            continue
        if line.startswith(quote, i):
            return i + len(quote)
        i += 1
    return -1

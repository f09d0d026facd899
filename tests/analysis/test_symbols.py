"""Table of small cells and the names they define, use, mutate and delete."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from jupyterlab_nbhygiene.analysis.source import parse_cell
from jupyterlab_nbhygiene.analysis.symbols import cell_symbols


@dataclass(frozen=True)
class Case:
    name: str
    code: str
    defines: frozenset[str] | None
    uses: frozenset[str] | None
    mutates: frozenset[str] | None
    deletes: frozenset[str] | None


def case(
    name: str,
    code: str,
    *,
    defines: set[str] | None = None,
    uses: set[str] | None = None,
    mutates: set[str] | None = None,
    deletes: set[str] | None = None,
) -> Case:
    """None: not checked. Give at least one expectation."""

    def frozen(names: set[str] | None) -> frozenset[str] | None:
        return None if names is None else frozenset(names)

    return Case(name, code, frozen(defines), frozen(uses), frozen(mutates), frozen(deletes))


CASES = [
    # assignment
    case("assign", "x = 1", defines={"x"}, uses=set()),
    case("assign-use", "y = x + 1", defines={"y"}, uses={"x"}),
    case("chained", "a = b = c", defines={"a", "b"}, uses={"c"}),
    case("tuple-unpack", "a, b = pair", defines={"a", "b"}, uses={"pair"}),
    case("nested-unpack", "(a, (b, c)) = t", defines={"a", "b", "c"}, uses={"t"}),
    case("star-unpack", "first, *rest = items", defines={"first", "rest"}, uses={"items"}),
    case("list-target", "[a, b] = 1, 2", defines={"a", "b"}, uses=set()),
    case("use-then-define", "print(x)\nx = 2", defines={"x"}, uses={"x"}),
    case("define-then-use", "x = 2\nprint(x)", defines={"x"}, uses=set()),
    case("self-rebind", "x = x + 1", defines={"x"}, uses={"x"}),
    case("df-rebind", "df = df.dropna()", defines={"df"}, uses={"df"}, mutates=set()),
    case("swap", "a, b = b, a", defines={"a", "b"}, uses={"a", "b"}),
    case("multiple-statements", "a = 1; b = a", defines={"a", "b"}, uses=set()),
    # augmented and annotated
    case("augassign", "x += 1", defines={"x"}, uses={"x"}),
    case("augassign-local", "x = 0\nx += 1", defines={"x"}, uses=set()),
    case("augassign-item", "d['k'] += 1", defines=set(), uses={"d"}, mutates={"d"}),
    case("augassign-attr", "o.n -= 1", defines=set(), uses={"o"}, mutates={"o"}),
    case("annassign", "x: int = 1", defines={"x"}, uses=set()),
    case("annassign-bare", "x: int", defines=set(), uses=set()),
    case("annassign-bare-custom", "x: MyType", defines=set(), uses={"MyType"}),
    case("annassign-value-use", "y: float = x * 2", defines={"y"}, uses={"x"}),
    case("annassign-attr", "obj.a: int = 1", defines=set(), mutates={"obj"}),
    # builtins and IPython names
    case("builtin", "n = len(xs)", defines={"n"}, uses={"xs"}),
    case("print", "print('hi')", defines=set(), uses=set()),
    case("ipython-display", "display(df)", uses={"df"}),
    case("ipython-out", "a = _ + __ + ___ + _3 + _i3 + Out[1] + In[1]", uses=set()),
    case("ipython-get", "ip = get_ipython()", defines={"ip"}, uses=set()),
    case("dunder-name", "if __name__ == '__main__': main()", uses={"main"}),
    case("rebind-builtin", "list = [1]\nlist.append(2)", defines={"list"}, mutates=set()),
    # imports
    case("import", "import os", defines={"os"}, uses=set()),
    case("import-dotted", "import a.b.c", defines={"a"}),
    case("import-as", "import numpy as np", defines={"np", "np.random"}),
    case("import-dotted-as", "import matplotlib.pyplot as plt", defines={"plt"}),
    case("from-import", "from os import path, sep", defines={"path", "sep"}),
    case("from-import-as", "from x import y as z", defines={"z"}),
    case("relative-import", "from .utils import helper", defines={"helper"}),
    case("relative-dot", "from . import sibling", defines={"sibling"}),
    case("star-import", "from math import *", defines=set(), uses=set()),
    case("import-in-function", "def f():\n    import os\n    return os", defines={"f"}, uses=set()),
    case("import-in-if", "if flag:\n    import json", defines={"json"}, uses={"flag"}),
    case(
        "import-in-try",
        "try:\n    import ujson\nexcept ImportError:\n    ujson = None",
        defines={"ujson"},
        uses=set(),
    ),
    # functions
    case("def", "def f(a):\n    return a", defines={"f"}, uses=set()),
    case("def-global-read", "def f():\n    return g", defines={"f"}, uses={"g"}),
    case(
        "def-global-read-defined-later",
        "def f():\n    return g\ng = 1",
        defines={"f", "g"},
        uses=set(),
    ),
    case("def-recursive", "def fact(n):\n    return n * fact(n - 1)", uses=set()),
    case("def-default", "def f(a=default):\n    pass", uses={"default"}),
    case("def-kwdefault", "def f(*, a=kd):\n    pass", uses={"kd"}),
    case("def-decorator", "@decorate\ndef f():\n    pass", defines={"f"}, uses={"decorate"}),
    case("def-annotation", "def f(a: T) -> R:\n    pass", uses={"T", "R"}),
    case("def-local", "def f():\n    y = 1\n    return y", uses=set()),
    case("def-local-before-bind", "def f():\n    print(y)\n    y = 1", uses=set()),
    case("def-param-shadow", "def f(x):\n    return x + 1", uses=set()),
    case("def-varargs", "def f(*args, **kw):\n    return args, kw", uses=set()),
    case(
        "def-global-write",
        "def f():\n    global counter\n    counter = 1",
        defines={"f", "counter"},
        uses=set(),
    ),
    case(
        "def-global-augassign",
        "def f():\n    global n\n    n += 1",
        defines={"f", "n"},
        uses={"n"},
    ),
    case(
        "def-global-augassign-bound-above", "n = 0\ndef f():\n    global n\n    n += 1", uses=set()
    ),
    case(
        "def-global-read-before-write",
        "def f():\n    global n\n    print(n)\n    n = 1",
        uses={"n"},
    ),
    case(
        "def-global-write-then-read", "def f():\n    global n\n    n = 1\n    return n", uses=set()
    ),
    case(
        "def-global-read-written-by-other-function",
        "def f():\n    global n\n    n = 1\ndef g():\n    return n",
        uses=set(),
    ),
    case(
        "def-nonlocal",
        "def f():\n    x = 0\n    def g():\n        nonlocal x\n        x += 1\n    return g",
        defines={"f"},
        uses=set(),
    ),
    case(
        "def-closure",
        "def f():\n    x = 0\n    def g():\n        return x\n    return g",
        uses=set(),
    ),
    case(
        "def-mutation-not-cell-mutation", "def f():\n    lst.append(1)", uses={"lst"}, mutates=set()
    ),
    case("async-def", "async def f():\n    await g()", defines={"f"}, uses={"g"}),
    case(
        "def-for-local", "def f():\n    for i in range(3):\n        pass\n    return i", uses=set()
    ),
    case("def-with-local", "def f():\n    with open(p) as fh:\n        return fh", uses={"p"}),
    case(
        "def-except-local",
        "def f():\n    try:\n        pass\n    except E as e:\n        return e",
        uses={"E"},
    ),
    case(
        "def-comprehension-walrus", "def f():\n    [y := i for i in xs]\n    return y", uses={"xs"}
    ),
    case(
        "nested-def",
        "def outer():\n    def inner():\n        return z\n    return inner",
        defines={"outer"},
        uses={"z"},
    ),
    # lambda
    case("lambda", "f = lambda a: a + b", defines={"f"}, uses={"b"}),
    case("lambda-default", "f = lambda a=d: a", uses={"d"}),
    case("lambda-varargs", "f = lambda *a, **k: (a, k)", uses=set()),
    case("lambda-in-call", "sorted(xs, key=lambda r: r[1])", uses={"xs"}),
    # classes
    case("class", "class A:\n    pass", defines={"A"}, uses=set()),
    case("class-base", "class A(Base, metaclass=M):\n    pass", uses={"Base", "M"}),
    case("class-body-local", "class A:\n    x = 1\n    y = x + 1", defines={"A"}, uses=set()),
    case("class-body-global", "class A:\n    y = x", defines={"A"}, uses={"x"}),
    case(
        "class-method-reads",
        "class A:\n    def m(self):\n        return helper(self)",
        uses={"helper"},
    ),
    case(
        "class-attr-not-visible-in-method",
        "class A:\n    x = 1\n    def m(self):\n        return x",
        uses={"x"},
    ),
    case(
        "class-decorator", "@dataclass\nclass P:\n    x: int = 0", defines={"P"}, uses={"dataclass"}
    ),
    # comprehensions
    case("listcomp", "ys = [x * 2 for x in xs]", defines={"ys"}, uses={"xs"}),
    case("listcomp-no-leak", "ys = [x for x in xs]\nprint(x)", uses={"xs", "x"}),
    case("setcomp", "s = {k for k in ks}", uses={"ks"}),
    case("dictcomp", "d = {k: v for k, v in pairs}", defines={"d"}, uses={"pairs"}),
    case("genexp", "total = sum(v for v in vs)", uses={"vs"}),
    case("nested-comp", "m = [[c for c in row] for row in grid]", uses={"grid"}),
    case("comp-two-for", "p = [(a, b) for a in A for b in a]", uses={"A"}),
    case("comp-if", "z = [x for x in xs if x > limit]", uses={"xs", "limit"}),
    case("comp-shadow-global", "xs = [x for x in x]", defines={"xs"}, uses={"x"}),
    case("walrus", "if (n := len(a)) > 1:\n    print(n)", defines={"n"}, uses={"a"}),
    case(
        "walrus-leaks-from-comp",
        "[last := v for v in vals]\nprint(last)",
        defines={"last"},
        uses={"vals"},
    ),
    case("comp-in-class", "class A:\n    xs = [1]\n    ys = [x for x in xs]", uses=set()),
    # control flow
    case("for", "for i in range(n):\n    total = i", defines={"i", "total"}, uses={"n"}),
    case("for-else", "for i in it:\n    pass\nelse:\n    done = True", defines={"i", "done"}),
    case("for-tuple", "for k, v in d.items():\n    pass", defines={"k", "v"}, uses={"d"}),
    case("async-for", "async for row in stream:\n    pass", defines={"row"}, uses={"stream"}),
    case("while", "while cond:\n    cond = step(cond)", defines={"cond"}, uses={"cond", "step"}),
    case("if-else", "if a:\n    b = 1\nelse:\n    b = 2", defines={"b"}, uses={"a"}),
    case(
        "with-as", "with open(p) as fh:\n    text = fh.read()", defines={"fh", "text"}, uses={"p"}
    ),
    case("with-tuple", "with ctx() as (a, b):\n    pass", defines={"a", "b"}, uses={"ctx"}),
    case("async-with", "async with lock:\n    pass", uses={"lock"}),
    case(
        "try-except-as",
        "try:\n    run()\nexcept ValueError as err:\n    print(err)",
        defines=set(),
        uses={"run"},
    ),
    case(
        "except-as-rebound-then-use",
        "try:\n    pass\nexcept E as e:\n    e = str(e)\nprint(e)",
        defines=set(),
        uses={"E", "e"},
    ),
    case(
        "except-as-rebound-in-handler",
        "try:\n    pass\nexcept E as e:\n    e = repr(e)\n    msg = e",
        defines={"msg"},
        uses={"E"},
    ),
    case(
        "except-as-bound-before",
        "e = 0\ntry:\n    pass\nexcept E as e:\n    pass",
        defines={"e"},
    ),
    case(
        "except-as-then-use",
        "try:\n    pass\nexcept E as e:\n    pass\nprint(e)",
        defines=set(),
        uses={"E", "e"},
    ),
    case("try-finally", "try:\n    x = 1\nfinally:\n    y = 2", defines={"x", "y"}),
    case("assert", "assert ok, msg", uses={"ok", "msg"}),
    case("raise", "raise Err from cause", uses={"Err", "cause"}),
    case("return-in-def", "def f():\n    return v", uses={"v"}),
    case("top-level-await", "result = await fetch()", defines={"result"}, uses={"fetch"}),
    case(
        "fstring",
        "s = f'{name!r} {value:>{width}}'",
        defines={"s"},
        uses={"name", "value", "width"},
    ),
    case("conditional-expr", "y = a if c else b", uses={"a", "b", "c"}),
    case("slice", "y = xs[lo:hi]", uses={"xs", "lo", "hi"}),
    case("starred-call", "f(*args, **kwargs)", uses={"f", "args", "kwargs"}),
    case("attribute-read", "v = obj.attr.sub", uses={"obj"}),
    # match
    case(
        "match-capture",
        "match cmd:\n    case [x, y]:\n        pass",
        defines={"x", "y"},
        uses={"cmd"},
    ),
    case(
        "match-as",
        "match p:\n    case Point(x=0) as origin:\n        pass",
        defines={"origin"},
        uses={"p", "Point"},
    ),
    case(
        "match-star",
        "match s:\n    case [first, *others]:\n        pass",
        defines={"first", "others"},
    ),
    case(
        "match-mapping-rest",
        "match d:\n    case {'k': v, **rest}:\n        pass",
        defines={"v", "rest"},
    ),
    case(
        "match-value",
        "match c:\n    case Color.RED:\n        pass",
        defines=set(),
        uses={"c", "Color"},
    ),
    case(
        "match-guard",
        "match n:\n    case k if k > limit:\n        pass",
        defines={"k"},
        uses={"n", "limit"},
    ),
    case("match-wildcard", "match n:\n    case _:\n        pass", defines=set()),
    # deletion
    case("del-name", "del x", deletes={"x"}, uses={"x"}, defines=set()),
    case("del-local", "x = 1\ndel x", deletes={"x"}, uses=set()),
    case("del-item", "del d['k']", deletes=set(), mutates={"d"}, uses={"d"}),
    case("del-attr", "del obj.attr", deletes=set(), mutates={"obj"}),
    case(
        "del-global-in-function",
        "def f():\n    global g\n    del g",
        defines={"f"},
        uses={"g"},
        deletes={"g"},
    ),
    case("del-local-in-function", "def f():\n    g = 1\n    del g", uses=set(), deletes=set()),
    case(
        "del-global-bound-above",
        "g = 1\ndef f():\n    global g\n    del g",
        deletes={"g"},
        uses=set(),
    ),
    # mutation
    case("append", "lst.append(1)", mutates={"lst"}, uses={"lst"}, defines=set()),
    case("extend", "lst.extend(more)", mutates={"lst"}, uses={"lst", "more"}),
    case("insert", "lst.insert(0, v)", mutates={"lst"}),
    case("remove", "s.remove(v)", mutates={"s"}),
    case("pop", "x = stack.pop()", mutates={"stack"}, defines={"x"}),
    case("popitem", "d.popitem()", mutates={"d"}),
    case("clear", "cache.clear()", mutates={"cache"}),
    case("update", "config.update(extra)", mutates={"config"}),
    case("setdefault", "d.setdefault('k', [])", mutates={"d"}),
    case("sort", "xs.sort()", mutates={"xs"}),
    case("reverse", "xs.reverse()", mutates={"xs"}),
    case("set-add", "seen.add(v)", mutates={"seen"}),
    case("set-discard", "seen.discard(v)", mutates={"seen"}),
    case(
        "set-updates",
        "a.difference_update(b)\nc.intersection_update(b)\ne.symmetric_difference_update(b)",
        mutates={"a", "c", "e"},
    ),
    case("ndarray-fill", "arr.fill(0)", mutates={"arr"}),
    case("ndarray-resize", "arr.resize((2, 2))", mutates={"arr"}),
    case("ndarray-put", "arr.put([0], [1])", mutates={"arr"}),
    case("ndarray-setflags", "arr.setflags(write=False)", mutates={"arr"}),
    case("not-mutating", "y = xs.copy()", mutates=set(), uses={"xs"}),
    case("str-replace-not-mutating", "s2 = s.replace('a', 'b')", mutates=set()),
    case("pandas-inplace", "df.dropna(inplace=True)", mutates={"df"}),
    case("pandas-inplace-any", "df.rename(columns=m, inplace=True)", mutates={"df"}),
    case("pandas-inplace-false", "df2 = df.fillna(0, inplace=False)", mutates=set()),
    case("pandas-set-index-inplace", "df.set_index('a', inplace=True)", mutates={"df"}),
    case("pandas-column-inplace", "df['c'].fillna(0, inplace=True)", mutates={"df"}),
    case("item-assign", "df['c'] = 1", mutates={"df"}, uses={"df"}, defines=set()),
    case("item-assign-slice", "arr[1:3] = 0", mutates={"arr"}),
    case("attr-assign", "obj.attr = v", mutates={"obj"}, uses={"obj", "v"}),
    case("deep-assign", "x.a.b[c] = 1", mutates={"x"}, uses={"x", "c"}),
    case("loc-assign", "df.loc[mask, 'c'] = 0", mutates={"df"}, uses={"df", "mask"}),
    case("mutate-after-bind", "lst = []\nlst.append(1)", mutates=set(), defines={"lst"}),
    case("mutate-before-bind", "lst.append(1)\nlst = []", mutates={"lst"}, defines={"lst"}),
    case("mutate-call-root", "get()['k'] = 1", mutates=set(), uses={"get"}),
    case("mutate-in-comp", "[out.append(v) for v in vals]", mutates={"out"}),
    case("mutate-subobject", "cfg.items.append(1)", mutates={"cfg"}),
    case("random-shuffle", "random.shuffle(deck)", mutates={"deck", "random"}),
    # random generators: a draw or a seed changes the generator's state
    case("rng-integers", "k = rng.integers(10)", defines={"k"}, uses={"rng"}, mutates={"rng"}),
    case("rng-normal", "x = rng.normal(size=3)", mutates={"rng"}),
    case("rng-random", "u = rng.random()", mutates={"rng"}),
    case("rng-choice", "c = rng.choice(items)", uses={"rng", "items"}, mutates={"rng"}),
    case("rng-shuffle", "rng.shuffle(deck)", mutates={"rng", "deck"}),
    case("rng-made-here", "rng = np.random.default_rng(0)\nx = rng.normal()", mutates=set()),
    case("rng-default-rng-not-a-draw", "rng = np.random.default_rng(0)", mutates=set()),
    case("np-random-rand", "x = np.random.rand(3)", uses={"np"}, mutates={"np.random"}),
    case("np-random-randn", "x = np.random.randn(3)", mutates={"np.random"}),
    case("np-random-shuffle", "np.random.shuffle(a)", mutates={"np.random", "a"}),
    case("np-random-seed", "np.random.seed(0)", mutates={"np.random"}),
    case("np-random-get-state", "s = np.random.get_state()", mutates=set()),
    case("numpy-random-choice", "c = numpy.random.choice(xs)", mutates={"numpy.random"}),
    case(
        "np-imported-here",
        "import numpy as np\nx = np.random.rand(3)",
        defines={"np", "np.random", "x"},
        mutates=set(),
    ),
    case("import-numpy-defines-generator", "import numpy", defines={"numpy", "numpy.random"}),
    case("import-torch-defines-generator", "import torch", defines={"torch", "torch.random"}),
    case("import-tf-defines-generator", "import tensorflow as tf", defines={"tf", "tf.random"}),
    case("import-unusual-alias", "import numpy as nump", defines={"nump"}),
    case("random-random", "u = random.random()", uses={"random"}, mutates={"random"}),
    case("random-choice", "c = random.choice(xs)", mutates={"random"}),
    case("random-sample", "s = random.sample(xs, 2)", mutates={"random"}),
    case("random-seed", "random.seed(1)", mutates={"random"}),
    case("torch-rand", "t = torch.rand(3)", uses={"torch"}, mutates={"torch.random"}),
    case("torch-manual-seed", "torch.manual_seed(0)", mutates={"torch.random"}),
    case("torch-zeros-not-a-draw", "t = torch.zeros(3)", mutates=set()),
    case("tf-random-normal", "t = tf.random.normal([2])", mutates={"tf.random"}),
    case("np-zeros-not-a-draw", "z = np.zeros(3)", mutates=set()),
    case("df-sample-not-a-draw-of-df", "s = df.sample(5)", mutates=set()),
    case("math-gamma-not-a-draw", "g = math.gamma(3)", mutates=set()),
    case("draw-in-function-not-cell-draw", "def f():\n    return rng.normal()", mutates=set()),
    case("torch-inplace", "w.zero_()", mutates={"w"}),
    case("estimator-fit", "model.fit(X, y)", mutates={"model"}, uses={"model", "X", "y"}),
    case("module-attr-assign", "pd.options.display.max_rows = 10", mutates={"pd"}),
    # IPython syntax
    case("line-magic", "%matplotlib inline\nx = 1", defines={"x"}, uses=set()),
    case("shell", "!pip install pandas\nimport pandas", defines={"pandas"}, uses=set()),
    case("shell-assign", "files = !ls", defines={"files"}, uses=set()),
    case("shell-expansion", "!echo {msg}", uses={"msg"}),
    case("magic-assign", "t = %timeit -o f()", defines={"t"}, uses={"f"}),
    case("time-magic", "%time y = g(x)", defines={"y"}, uses={"g", "x"}),
    case("timeit-magic-local", "%timeit z = h()", defines=set(), uses={"h"}),
    case("cell-time", "%%time\nz = slow(a)", defines={"z"}, uses={"slow", "a"}),
    case("cell-timeit", "%%timeit\nw = slow(a)", defines=set(), uses={"slow", "a"}),
    case("cell-capture", "%%capture out\nprint(v)", defines={"out"}, uses={"v"}),
    case("cell-bash", "%%bash\necho $x", defines=set(), uses=set()),
    case("help", "df?\nx = 1", defines={"x"}, uses=set()),
    case("automagic", "cd data\nx = 1", defines={"x"}),
]


@pytest.mark.parametrize("c", CASES, ids=[c.name for c in CASES])
def test_symbols(c: Case) -> None:
    symbols = cell_symbols(parse_cell(c.code))
    if c.defines is not None:
        assert set(symbols.defines) == c.defines
    if c.uses is not None:
        assert set(symbols.uses) == c.uses
    if c.mutates is not None:
        assert set(symbols.mutates) == c.mutates
    if c.deletes is not None:
        assert set(symbols.deletes) == c.deletes


def test_case_names_are_unique() -> None:
    names = [c.name for c in CASES]
    assert len(names) == len(set(names))

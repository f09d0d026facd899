"""`unseeded-random`: random draws with no seed set for their library anywhere.

What a cell calls is read from its node index; what those calls mean depends on the
whole notebook's imports, so the calls are reduced per cell first, then classified under
the notebook's import map (each distinct call once).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from itertools import chain
from operator import itemgetter
from typing import NamedTuple

from ..context import AnalysisContext, Code
from ..model import CellIndex
from ..nodes import NodeIndex
from .base import Draft, code_cells, dotted_name, rule

# Names conventionally bound to a module even when the import is not in the notebook.
_CONVENTIONAL = {"np": "numpy", "tf": "tensorflow"}
_STDLIB_DRAWS = frozenset(
    {
        "random", "randint", "randrange", "choice", "choices", "shuffle", "sample", "uniform",
        "gauss", "normalvariate", "lognormvariate", "expovariate", "betavariate", "gammavariate",
        "triangular", "vonmisesvariate", "paretovariate", "weibullvariate", "getrandbits",
        "randbytes", "binomialvariate"
    }
)  # fmt: skip
_NUMPY_NOT_DRAWS = frozenset(
    {
        "seed", "get_state", "set_state", "SeedSequence", "Generator", "BitGenerator", "PCG64",
        "PCG64DXSM", "MT19937", "Philox", "SFC64", "bit_generator"
    }
)  # fmt: skip
_TORCH_DRAWS = frozenset(
    {
        "rand", "randn", "randint", "randperm", "rand_like", "randn_like", "randint_like",
        "normal", "bernoulli", "multinomial", "poisson"
    }
)  # fmt: skip
_TF_NOT_DRAWS = frozenset(["set_seed", "Generator", "get_global_generator"])
# scikit-learn callables whose result depends on `random_state`.
_SKLEARN_RANDOM = frozenset(
    {
        "train_test_split", "KFold", "StratifiedKFold", "GroupKFold", "ShuffleSplit",
        "StratifiedShuffleSplit", "RandomForestClassifier", "RandomForestRegressor",
        "ExtraTreesClassifier", "ExtraTreesRegressor", "GradientBoostingClassifier",
        "GradientBoostingRegressor", "HistGradientBoostingClassifier",
        "HistGradientBoostingRegressor", "DecisionTreeClassifier", "DecisionTreeRegressor",
        "BaggingClassifier", "BaggingRegressor", "AdaBoostClassifier", "AdaBoostRegressor",
        "IsolationForest", "KMeans", "MiniBatchKMeans", "SGDClassifier", "SGDRegressor",
        "MLPClassifier", "MLPRegressor", "Perceptron", "TSNE", "RandomizedSearchCV",
        "make_classification", "make_regression", "make_blobs", "make_moons", "make_circles",
        "shuffle", "resample", "RandomTreesEmbedding", "GaussianMixture", "SpectralClustering",
        "NMF", "LatentDirichletAllocation", "TruncatedSVD"
    }
)  # fmt: skip
# Seeders that fix several libraries at once (keras.utils.set_random_seed,
# lightning's seed_everything, transformers/accelerate set_seed).
_UNIVERSAL_SEEDERS = frozenset({"set_random_seed", "seed_everything", "set_seed"})
_FAMILIES = ("random", "numpy", "torch", "tensorflow")
_SEED_HINT = {
    "random": "random.seed(42)",
    "numpy": "np.random.seed(42)",
    "torch": "torch.manual_seed(42)",
    "tensorflow": "tf.random.set_seed(42)",
}


def _cell_aliases(nodes: NodeIndex) -> tuple[tuple[str, str], ...]:
    names: list[tuple[str, str]] = []
    for node in nodes.all_imports:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names.append((alias.asname, alias.name))
                else:
                    head = alias.name.split(".")[0]
                    names.append((head, head))
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                if alias.name != "*":
                    names.append((alias.asname or alias.name, f"{node.module}.{alias.name}"))
    return tuple(names)


def _qualify(name: str, aliases: dict[str, str]) -> str:
    head, _, rest = name.partition(".")
    base = aliases.get(head, _CONVENTIONAL.get(head, head))
    return f"{base}.{rest}" if rest else base


def _has_seed_arg(call: ast.Call) -> bool:
    if call.args and not (isinstance(call.args[0], ast.Constant) and call.args[0].value is None):
        return True
    return any(
        kw.arg in ("seed", "random_state")
        and not (isinstance(kw.value, ast.Constant) and kw.value.value is None)
        for kw in call.keywords
    )


def _seeds(qualified: str) -> tuple[str, ...]:
    """The library families this call seeds globally."""
    last = qualified.rsplit(".", 1)[-1]
    if last in _UNIVERSAL_SEEDERS:
        return _FAMILIES
    if qualified == "random.seed":
        return ("random",)
    if qualified == "numpy.random.seed":
        return ("numpy",)
    if qualified.startswith("torch.") and last in ("manual_seed", "manual_seed_all"):
        return ("torch",)
    if qualified.startswith("tensorflow.") and last in ("set_seed", "set_random_seed"):
        return ("tensorflow",)
    return ()


def _draw(qualified: str, call: _Call) -> tuple[str, bool] | None:
    """(family, is_sklearn) when this call draws random numbers without its own seed."""
    _, seed_arg, random_state, shuffles = call
    parts = qualified.split(".")
    last = parts[-1]
    if parts[0] == "random" and len(parts) == 2 and last in _STDLIB_DRAWS:
        return "random", False
    if parts[:2] == ["numpy", "random"] and len(parts) == 3:
        if last in ("default_rng", "RandomState"):
            # A generator made without a seed: np.random.seed does not fix it.
            return None if seed_arg else ("numpy-generator", False)
        if last not in _NUMPY_NOT_DRAWS:
            return "numpy", False
    if parts[0] == "torch" and len(parts) == 2 and last in _TORCH_DRAWS:
        return "torch", False
    if parts[:2] == ["tensorflow", "random"] and len(parts) == 3 and last not in _TF_NOT_DRAWS:
        return "tensorflow", False
    if parts[0] == "sklearn" and last in _SKLEARN_RANDOM and not random_state:
        if last in ("KFold", "StratifiedKFold") and not shuffles:
            return None
        return "numpy", True
    return None


def _has_seed_arg_kw(call: ast.Call) -> bool:
    return any(
        kw.arg == "random_state"
        and not (isinstance(kw.value, ast.Constant) and kw.value.value is None)
        for kw in call.keywords
    )


def _shuffles(call: ast.Call) -> bool:
    return any(
        kw.arg == "shuffle" and not (isinstance(kw.value, ast.Constant) and not kw.value.value)
        for kw in call.keywords
    )


# A call as far as this rule cares, without the notebook's imports: its dotted name and
# whether it passes a seed (first argument or keyword), a `random_state`, `shuffle=True`.
_Call = tuple[str, bool, bool, bool]
# What a cell contributes, whatever the imports: its import aliases and (line, call) pairs.
_Cell = tuple[tuple[tuple[str, str], ...], tuple[tuple[int, _Call], ...]]


def _cell_calls(code: Code) -> _Cell:
    """The cell's aliases, and the line and `_Call` of each call with a dotted name."""
    nodes = code.nodes
    calls: list[tuple[int, _Call]] = []
    for node in nodes.calls:
        func = node.func
        name = func.id if type(func) is ast.Name else dotted_name(func)
        if name is None:
            continue
        if node.keywords:
            call = (name, _has_seed_arg(node), _has_seed_arg_kw(node), _shuffles(node))
        else:  # the keyword checks are False: skip them, most calls have no keyword
            call = (name, bool(node.args) and _has_seed_arg(node), False, False)
        calls.append((node.lineno, call))
    return _cell_aliases(nodes), tuple(calls)


# What a call means under the notebook's imports: the families it seeds, and
# (family, is_sklearn) when it draws without a seed.
_Kind = tuple[tuple[str, ...], tuple[str, bool] | None]


class _Draws(NamedTuple):
    """What a cell's calls do under one notebook's imports."""

    seeds: frozenset[str]  # the families it seeds
    uses: tuple[tuple[int, str, str], ...]  # (line, family, message) per draw, by line


def _message(call: str, family: str, sklearn: bool) -> str:
    if family == "numpy-generator":
        return (
            f"`{call}()` makes a generator without a seed: every run draws other "
            f"numbers. Pass one, e.g. `{call}(42)`."
        )
    if sklearn:
        return (
            f"`{call}(...)` has no `random_state` and numpy is not seeded: results "
            f"change on every run. Pass `random_state=42` (or call `np.random.seed(42)` "
            f"at the top)."
        )
    return (
        f"`{call}(...)` draws random numbers but no seed is set for "
        f"{family}: results change on every run. Seed once at the top, e.g. "
        f"`{_SEED_HINT[family]}`."
    )


def _scan(ctx: AnalysisContext) -> list[tuple[CellIndex, _Draws]]:
    """Each cell that seeds or draws, and what it does, in notebook order (the cells
    that do neither, None, are left out).

    What a call means depends on every cell's imports: the calls are read first, then
    classified once the notebook's import map is known.
    """
    cells = code_cells(ctx).parsed
    calls = [code.once(_cell_calls) for code in cells]
    # Global name -> qualified module path, from every import (the last one wins).
    aliases = dict(chain.from_iterable(map(itemgetter(0), calls)))
    # The same calls recur in many cells (`np.random.rand`, `print`): classify each once.
    kinds: dict[_Call, _Kind] = {}

    def draws(cell: _Cell) -> _Draws | None:
        seeds: set[str] = set()
        uses: list[tuple[int, str, str]] = []
        for line, call in cell[1]:
            kind = kinds.get(call)
            if kind is None:
                qualified = _qualify(call[0], aliases)
                kind = kinds[call] = (_seeds(qualified), _draw(qualified, call))
            found_seeds, found = kind
            seeds.update(found_seeds)
            if found is not None:
                uses.append((line, found[0], _message(call[0], *found)))
        if not seeds and not uses:
            return None
        uses.sort(key=itemgetter(0))  # stable: calls on one line stay in source order
        return _Draws(frozenset(seeds), tuple(uses))

    found: list[tuple[CellIndex, _Draws]] = []
    for code, cell in zip(cells, calls, strict=True):
        drawn = draws(cell)
        if drawn is not None:
            found.append((code.cell, drawn))
    return found


@rule(
    "unseeded-random",
    "reproducibility",
    "warning",
    "random / numpy.random / torch / sklearn randomness used with no seed set anywhere.",
    "Every run draws other numbers, so saved outputs cannot be reproduced and a re-run "
    "cannot tell a bug from chance: only 4.03% of notebooks gave the same results again "
    "(Pimentel et al., MSR 2019).",
)
def unseeded_random(ctx: AnalysisContext) -> Iterator[Draft]:
    cells = _scan(ctx)
    seeded: set[str] = set()
    for _, cell in cells:
        seeded.update(cell.seeds)
    for index, cell in cells:
        # One finding per cell: its first draw from a family no cell seeds.
        for line, family, message in cell.uses:
            if family not in seeded:
                yield (index, line, message)
                break

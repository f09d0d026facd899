"""Random generators as state: a draw changes the generator, so it is a mutation.

The slice treats `rng.normal(...)` on a generator name, `np.random.rand()`,
`random.random()` and `torch.randn()` as mutations of the generator they draw from (the
module-level generators are named `<numpy.random>`, `<random>`, `<torch>`), and their
seed calls as definitions, whatever the analyzer says about them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

GENERATOR_MAKERS = frozenset(
    {
        "numpy.random.default_rng",
        "numpy.random.RandomState",
        "numpy.random.Generator",
        "random.Random",
        "torch.Generator",
    }
)
_NUMPY_NOT_DRAWS = frozenset(
    {
        "seed", "default_rng", "RandomState", "Generator", "SeedSequence", "PCG64", "MT19937",
        "Philox", "SFC64", "BitGenerator", "get_state",
    }
)  # fmt: skip
_RANDOM_NOT_DRAWS = frozenset({"seed", "Random", "SystemRandom", "getstate"})
_TORCH_DRAWS = frozenset(
    {
        "rand", "randn", "randint", "randperm", "normal", "bernoulli", "multinomial",
        "poisson", "rand_like", "randn_like", "randint_like",
    }
)  # fmt: skip
# Builtins that look at an object without drawing from it: `type(rng)`, `print(rng)`.
_LOOKS_ONLY = frozenset({"type", "print", "repr", "str", "id", "isinstance", "len", "display"})
_SEEDS = {
    "numpy.random.seed": "<numpy.random>",
    "numpy.random.set_state": "<numpy.random>",
    "random.seed": "<random>",
    "random.setstate": "<random>",
    "torch.manual_seed": "<torch>",
    "torch.random.manual_seed": "<torch>",
}


def is_pseudo(name: str) -> bool:
    """True for a module-level generator's name (`<numpy.random>`): never a ghost."""
    return name.startswith("<")


def import_aliases(trees: Iterable[ast.Module]) -> dict[str, str]:
    """Global name -> dotted module path, from every cell's imports (`np` -> `numpy`,
    `normal` -> `numpy.random.normal`)."""
    aliases: dict[str, str] = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    if a.asname:
                        aliases[a.asname] = a.name
                    else:
                        top = a.name.split(".")[0]
                        aliases[top] = top
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for a in node.names:
                    if a.name != "*":
                        aliases[a.asname or a.name] = f"{node.module}.{a.name}"
    return aliases


def dotted(node: ast.expr, aliases: Mapping[str, str]) -> str | None:
    """`np.random.normal` -> `numpy.random.normal` when `np` is an imported module."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in aliases:
        return None
    return ".".join([aliases[node.id], *reversed(parts)])


def generator_names(trees: Iterable[ast.Module], aliases: Mapping[str, str]) -> set[str]:
    """Global names bound to a random generator anywhere in the notebook."""
    names: set[str] = set()
    for tree in trees:
        for node in tree.body:
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Call)
                and dotted(node.value.func, aliases) in GENERATOR_MAKERS
            ):
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


@dataclass
class RandomEffects:
    """What one cell does to random generators: draws (mutations) and seeds (definitions)."""

    draws: set[str] = field(default_factory=set)
    seeds: set[str] = field(default_factory=set)


def random_effects(
    tree: ast.Module, aliases: Mapping[str, str], generators: set[str]
) -> RandomEffects:
    """The generators a cell draws from or seeds (module docstring)."""
    effects = RandomEffects()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id in generators
        ):
            effects.draws.add(func.value.id)
        handed = [*node.args, *(k.value for k in node.keywords)]
        if isinstance(func, ast.Name) and func.id in _LOOKS_ONLY:
            handed = []
        for arg in handed:
            if isinstance(arg, ast.Attribute):  # `g.random` handed over draws from g
                arg = arg.value
            if isinstance(arg, ast.Name) and arg.id in generators:
                effects.draws.add(arg.id)  # handed to a function that may draw from it
        full = dotted(func, aliases)
        if full is None:
            continue
        if full in _SEEDS:
            effects.seeds.add(_SEEDS[full])
            continue
        module, _, last = full.rpartition(".")
        if module == "numpy.random" and last not in _NUMPY_NOT_DRAWS:
            effects.draws.add("<numpy.random>")
        elif module == "random" and last not in _RANDOM_NOT_DRAWS:
            effects.draws.add("<random>")
        elif module == "torch" and last in _TORCH_DRAWS:
            effects.draws.add("<torch>")
    return effects

"""What a fresh kernel's namespace holds, and which calls change objects in place."""

from __future__ import annotations

import ast
import builtins
import re

IPYTHON_NAMES: frozenset[str] = frozenset(
    {
        "get_ipython", "display", "In", "Out", "_", "__", "___", "_i", "_ii", "_iii",
        "_ih", "_oh", "_dh", "exit", "quit", "help", "__builtin__", "__builtins__",
        "__name__", "__doc__",
    }
)  # fmt: skip
BUILTIN_NAMES: frozenset[str] = frozenset(dir(builtins)) | IPYTHON_NAMES
_NUMBERED = re.compile(r"_i{0,3}\d+")  # `_5` (Out[5]) and `_i5` (In[5])

MUTATING_METHODS: frozenset[str] = frozenset(
    {
        "append", "extend", "insert", "remove", "pop", "popitem", "clear", "update",
        "setdefault", "sort", "reverse", "add", "discard", "difference_update",
        "intersection_update", "symmetric_difference_update", "fill", "resize", "put",
        "setflags", "itemset", "appendleft", "extendleft", "popleft", "rotate",
        # Estimators learn in place: a later `model.predict` depends on the cell that fit.
        "fit", "partial_fit", "fit_transform",
    }
)  # fmt: skip
# Functions that shuffle their first argument in place (`random.shuffle(x)`).
MUTATING_FUNCTIONS = frozenset({"shuffle"})
NAMESPACE_CALLS = frozenset({"globals", "locals", "vars"})

# Methods that draw from a random generator, or seed it, and so change its state: numpy's
# `Generator` and `RandomState`, the `random` module and `random.Random`. Names too common
# elsewhere (`sample` of a DataFrame, `gamma`, `beta`, `power`, `bytes`) are left out.
GENERATOR_METHODS: frozenset[str] = frozenset(
    {
        "integers", "random", "choice", "choices", "shuffle", "permutation", "permuted",
        "normal", "standard_normal", "uniform", "binomial", "poisson", "exponential",
        "standard_exponential", "multinomial", "multivariate_normal", "lognormal", "laplace",
        "logistic", "geometric", "hypergeometric", "negative_binomial", "chisquare",
        "noncentral_chisquare", "dirichlet", "pareto", "rayleigh", "triangular", "vonmises",
        "wald", "weibull", "zipf", "standard_cauchy", "standard_gamma", "standard_t", "gumbel",
        "logseries", "rand", "randn", "randint", "random_sample", "random_integers", "ranf",
        "randrange", "gauss", "normalvariate", "lognormvariate", "expovariate",
        "betavariate", "gammavariate", "vonmisesvariate", "paretovariate", "weibullvariate",
        "getrandbits", "randbytes", "binomialvariate", "seed", "set_state", "setstate",
    }
)  # fmt: skip
# Names conventionally bound to a library whose global generator lives in `<name>.random`
# (numpy, tensorflow, torch): a draw changes that pseudo-name, which the import defines.
GENERATOR_LIBRARIES: dict[str, str] = {
    "np": "numpy", "numpy": "numpy", "tf": "tensorflow", "tensorflow": "tensorflow",
    "torch": "torch",
}  # fmt: skip
_TORCH_DRAWS = frozenset(
    {
        "rand", "randn", "randint", "randperm", "rand_like", "randn_like", "randint_like",
        "normal", "bernoulli", "multinomial", "poisson", "manual_seed", "seed", "set_rng_state",
    }
)  # fmt: skip
# `np.random.X` / `tf.random.X` that neither draw nor seed the global generator.
_NOT_DRAWS = frozenset(
    {
        "default_rng", "RandomState", "Generator", "SeedSequence", "BitGenerator", "PCG64",
        "PCG64DXSM", "MT19937", "Philox", "SFC64", "get_state", "get_global_generator",
        "get_rng_state", "experimental", "create_rng_state", "fork_rng", "initial_seed",
    }
)  # fmt: skip


def generator_state(func: ast.expr) -> str | None:
    """The name whose random state a call of `func` changes, or None.

    `rng.normal(...)` changes `rng`, `random.shuffle(...)` the module `random`;
    `np.random.rand(...)`, `np.random.seed(...)`, `tf.random.normal(...)` and
    `torch.rand(...)` change the library's global generator, the pseudo-name `np.random`
    (`tf.random`, `torch.random`) that `import numpy as np` defines.
    """
    if type(func) is not ast.Attribute:
        return None
    attr, value = func.attr, func.value
    if type(value) is ast.Name:
        name = value.id
        if name in GENERATOR_LIBRARIES:
            return "torch.random" if name == "torch" and attr in _TORCH_DRAWS else None
        if attr in GENERATOR_METHODS or (attr == "sample" and name == "random"):
            return name
        return None
    if (
        type(value) is ast.Attribute
        and value.attr == "random"
        and type(value.value) is ast.Name
        and value.value.id in GENERATOR_LIBRARIES
        and attr not in _NOT_DRAWS
        and not attr.startswith(("_", "stateless", "get_"))
    ):
        return f"{value.value.id}.random"
    return None


def generator_of_import(module: str, name: str) -> str | None:
    """The generator pseudo-name an import binding `name` to `module` defines, if any:
    `np.random` for `import numpy as np`."""
    library = GENERATOR_LIBRARIES.get(name)
    return f"{name}.random" if library and module.split(".", 1)[0] == library else None


def is_builtin(name: str) -> bool:
    """A name Python or IPython provides in a fresh kernel's namespace."""
    return name in BUILTIN_NAMES or _NUMBERED.fullmatch(name) is not None


def root_name(node: ast.expr) -> ast.Name | None:
    """The variable at the root of `x.a.b[c]` (None when the root is a call or literal)."""
    while isinstance(node, ast.Attribute | ast.Subscript | ast.Starred):
        node = node.value
    return node if isinstance(node, ast.Name) else None


def in_place_suffix(attr: str) -> bool:
    # PyTorch's in-place operations end in one underscore: `t.add_(1)`, `w.zero_()`.
    return len(attr) > 2 and attr.endswith("_") and not attr.endswith("__") and attr[0] != "_"


def is_sys_modules(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "modules"
        and isinstance(node.value.value, ast.Name)
        and node.value.value.id == "sys"
    )

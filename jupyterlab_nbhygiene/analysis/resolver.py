"""The state of one walk over a cell, how its names resolve, and the symbols it gives.

The walk itself is bindings.py's `CellWalker`; this base class holds what it has found
so far, resolves each read and binding through the scopes (scopes.py), and adds it all
up into :class:`CellSymbols` (`result`).

Top-level code runs in order, so a read is a use only if the cell has not bound the
name yet. Function bodies run later, when called: their reads of globals are uses
unless the cell binds the name anywhere (`deferred`), and each function's reads are
kept (`function_reads`) so that a cell calling it can be linked to them.
"""

from __future__ import annotations

from .model import CellSymbols, ImportRecord
from .namespace import is_builtin
from .nodes import NodeIndex, by_position
from .scopes import Scope
from .source import MAGIC_PREFIX
from .visitor import FastVisitor


class Resolver(FastVisitor):
    """The state of one walk over a cell and how names resolve through its scopes."""

    def __init__(self) -> None:
        self.module = Scope("module", None)
        self.scope = self.module
        self.deferred_depth = 0  # > 0 inside function and lambda bodies
        self.bound: set[str] = set()  # globals bound so far, in execution order
        self.defines: dict[str, int] = {}
        self.uses: dict[str, int] = {}
        self.deferred: dict[str, int] = {}
        self.mutates: dict[str, int] = {}
        self.draws: dict[str, int] = {}  # the mutations that are random draws
        self.deletes: dict[str, int] = {}
        self.module_deletes: set[str] = set()  # deleted by top-level code (not functions)
        # Globals whose last top-level statement is a `del`: gone when the cell ends.
        self.gone: set[str] = set()
        self.rebinds: dict[str, int] = {}
        self.dynamic: dict[str, int] = {}
        self.builtin_uses: dict[str, int] = {}
        self.imports: list[ImportRecord] = []
        self.function_reads: dict[str, set[str]] = {}
        self.collector: set[str] | None = None
        # Globals each top-level function writes (`global x; x = ...`) when it is called.
        self.function_writes: dict[str, set[str]] = {}
        self.write_collector: set[str] | None = None
        self.global_writes: set[str] = set()  # globals some function body binds
        self.local_reads: set[str] = set()
        # Globals a function reads before it rebinds or deletes them itself (`global n;
        # n += 1`): uses, even though the cell's function writes them (`deferred` are not).
        self.read_then_written: dict[str, int] = {}
        # What rules look for, gathered in the same walk (nodes.NodeIndex).
        self.index = NodeIndex()
        self.scoped = 0  # > 0 inside a def, class or lambda, decorators included
        self.annotation_only = False  # walking an annotation Python never evaluates

    def node_index(self) -> NodeIndex:
        """The node index of the walked cell, calls and strings in source order."""
        index = self.index
        if len(index.calls) > 1:
            index.calls.sort(key=by_position)
        if len(index.strings) > 1:
            index.strings.sort(key=by_position)
        return index

    # -- results ---------------------------------------------------------------------

    def result(self) -> CellSymbols:
        defines = {n: ln for n, ln in self.defines.items() if not n.startswith(MAGIC_PREFIX)}
        uses = dict(self.uses)
        deferred: dict[str, int] = {}
        read_then_written = self.read_then_written
        for name, line in self.deferred.items():
            if name in self.defines and (name not in read_then_written or name in self.bound):
                continue
            if is_builtin(name):
                self.builtin_uses.setdefault(name, line)
            elif name not in uses:
                uses[name] = line
                deferred[name] = line
        # Globals only function bodies write or delete: they change when a function is called.
        deferred_defines = {
            n: ln for n, ln in defines.items() if n not in self.bound and n in self.global_writes
        }
        deferred_deletes = {n: ln for n, ln in self.deletes.items() if n not in self.module_deletes}
        # A function the cell defines and calls at once runs its body now.
        pending = [
            n for n in self.local_reads if n in self.function_reads or n in self.function_writes
        ]
        seen: set[str] = set()
        while pending:
            fn = pending.pop()
            if fn in seen:
                continue
            seen.add(fn)
            for name in self.function_writes.get(fn, ()):
                deferred_defines.pop(name, None)
                deferred_deletes.pop(name, None)
            for name in self.function_reads.get(fn, ()):
                deferred.pop(name, None)
                if name in self.function_reads or name in self.function_writes:
                    pending.append(name)
        function_globals = {
            name: tuple(sorted(reads))
            for name, reads in self.function_reads.items()
            if reads and not name.startswith(MAGIC_PREFIX)
        }
        function_writes = {
            name: tuple(sorted(writes))
            for name, writes in self.function_writes.items()
            if writes and not name.startswith(MAGIC_PREFIX)
        }
        return CellSymbols(
            defines=defines,
            uses=uses,
            mutates=self.mutates,
            deletes=self.deletes,
            imports=tuple(self.imports),
            draws=self.draws,
            rebinds_own_input=self.rebinds,
            dynamic=self.dynamic,
            builtin_uses=self.builtin_uses,
            deferred_uses=deferred,
            function_globals=function_globals,
            function_writes=function_writes,
            deferred_defines=deferred_defines,
            deferred_deletes=deferred_deletes,
            ends={n: self.deletes[n] for n in self.gone} if self.gone else {},
        )

    # -- name resolution -------------------------------------------------------------

    def _is_global(self, name: str) -> bool:
        """Resolution outside function bodies, where every binding seen so far is known."""
        scope = self.scope
        while scope.kind != "module":
            if scope.kind == "comprehension":
                if name in scope.locals:
                    return False
            elif scope.kind == "class":
                if scope is self.scope and name in scope.locals:
                    return False  # a class body sees its own names; nested scopes do not
            elif name in scope.globals:
                return True
            elif name in scope.locals or name in scope.nonlocals:
                return False
            assert scope.parent is not None
            scope = scope.parent
        return True

    def _load(self, name: str, line: int) -> None:
        if self.annotation_only:
            return
        if self.deferred_depth:
            self._resolve(self.scope, name, line, current=True)
        elif self._is_global(name):
            if name in self.bound:
                self.local_reads.add(name)
            elif is_builtin(name):
                self.builtin_uses.setdefault(name, line)
            else:
                self.uses.setdefault(name, line)

    def _resolve(self, scope: Scope, name: str, line: int, *, current: bool) -> None:
        """Resolve a read inside a function body, starting at `scope`.

        A function's own bindings are only all known when its body ends (Python makes a
        name local if it is bound anywhere in the function), so a read that reaches a
        function scope waits in its `pending` list until then.
        """
        while scope.kind != "module":
            if scope.kind == "comprehension":
                if name in scope.locals:
                    return
            elif scope.kind == "class":
                if current and scope is self.scope and name in scope.locals:
                    return
            elif name in scope.globals:
                if name not in scope.written:
                    scope.early.setdefault(name, line)
                break
            else:
                scope.pending.append((name, line))
                return
            assert scope.parent is not None
            scope = scope.parent
        self.deferred.setdefault(name, line)
        if self.collector is not None:
            self.collector.add(name)

    def _function_scope(self) -> Scope | None:
        scope: Scope | None = self.scope
        while scope is not None and scope.kind != "function":
            scope = scope.parent
        return scope

    def _bind(self, name: str, line: int, *, walrus: bool = False) -> None:
        scope = self.scope
        if walrus:
            while scope.kind == "comprehension":
                assert scope.parent is not None
                scope = scope.parent
        if scope.kind == "class":
            scope.locals.add(name)
            return
        if scope.kind == "comprehension":
            return
        if scope.kind == "function":
            if name not in scope.globals:
                scope.locals.add(name)
                return
            scope.written.add(name)
        self.defines.setdefault(name, line)
        if not self.deferred_depth:
            if name in self.uses:
                self.rebinds.setdefault(name, line)
            self.bound.add(name)
            self.gone.discard(name)
        else:  # `global name` in a function: written when the function is called
            self.global_writes.add(name)
            if self.write_collector is not None:
                self.write_collector.add(name)

/**
 * Repairs: which findings have a one-click fix, and how the server's fix answer is
 * applied to the notebook model in one undoable step (nothing is written to disk).
 */
import { INotebookModel } from '@jupyterlab/notebook';
import { TranslationBundle } from '@jupyterlab/translation';

import { FixKind, ICellReport, IFinding, IFixAnswer } from './tokens';

type SharedNotebook = INotebookModel['sharedModel'];
type CellJSON = Parameters<SharedNotebook['insertCells']>[1][number];

/** The part of the notebook's Yjs undo manager a fix needs. */
export interface IUndoStack {
  readonly undoStack: readonly unknown[];
  stopCapturing(): void;
}

/** The notebook-wide undo manager (cell moves and fixes land there), if any. */
export function undoStackOf(notebook: SharedNotebook): IUndoStack | null {
  return (
    (notebook as unknown as { undoManager?: IUndoStack | null }).undoManager ??
    null
  );
}

/** The fix offered for a finding's rule. */
export const FIX_FOR_RULE: Readonly<Record<string, FixKind>> = {
  'use-before-definition': 'move-cell',
  'import-not-at-top': 'hoist-imports',
  'duplicate-import': 'hoist-imports',
  'unseeded-random': 'seed-random'
};

/** The fix a finding offers, if any. */
export function fixFor(finding: IFinding): FixKind | null {
  return FIX_FOR_RULE[finding.rule] ?? null;
}

/**
 * The cell (0-based) that defines, below `cell`, a name `cell` uses: the cell that a
 * move-cell fix lifts above it, as the report says (`hidden_because`, or the hidden
 * `depends_on` edge); null when it names none.
 */
export function definingCellBelow(
  cell: ICellReport | undefined
): number | null {
  if (!cell) {
    return null;
  }
  const below = cell.hidden_because.find(
    r => r.why === 'below' && r.cell !== null
  );
  if (below && below.cell !== null) {
    return below.cell;
  }
  // A cell in a stronger state (not run, edited) has no reasons, but the server still
  // draws its hidden edge from the cell below.
  const edge = cell.depends_on.find(d => d.hidden && d.cell > cell.index);
  return edge ? edge.cell : null;
}

/** The label of a fix button, before the server has prepared the fix. */
export function fixLabel(
  fix: FixKind,
  trans: TranslationBundle,
  cell?: ICellReport
): string {
  switch (fix) {
    case 'move-cell': {
      const from = definingCellBelow(cell);
      if (cell && from !== null) {
        return trans.__('Move cell %1 above cell %2', from + 1, cell.index + 1);
      }
      return cell
        ? trans.__('Move the defining cell above cell %1', cell.index + 1)
        : trans.__('Move Defining Cells Above Their Use');
    }
    case 'hoist-imports':
      return trans.__('Move imports to the first code cell');
    case 'seed-random':
      return trans.__('Insert a seed');
  }
  return fix;
}

/** A fix that no longer fits the notebook (it changed while the fix was prepared). */
export class FixConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FixConflictError';
  }
}

/** What a fix answer does to a notebook, as data. */
export interface IFixPlan {
  /** Every cell id in notebook order once the fix is applied. */
  order: string[];
  /** New sources by cell id. */
  sources: Map<string, string>;
  /** Ids of the cells the fix edits or moves, in notebook order after the fix. */
  changed: string[];
}

/**
 * Plan a fix answer over the notebook's cell ids (in order). Moves are applied in the
 * order given; each puts its cell at `to_index` of the list as it is after the move.
 *
 * @throws FixConflictError when the answer names a cell the notebook does not have or
 * an index outside it.
 */
export function planFix(ids: readonly string[], answer: IFixAnswer): IFixPlan {
  const known = new Set(ids);
  const unknown = [...answer.edits, ...answer.moves].find(
    e => !known.has(e.cell_id)
  );
  if (unknown) {
    throw new FixConflictError(
      `The notebook no longer has the cell ${unknown.cell_id} the fix changes; analyse it again.`
    );
  }
  const order = [...ids];
  for (const move of answer.moves) {
    const from = order.indexOf(move.cell_id);
    order.splice(from, 1);
    if (
      !Number.isInteger(move.to_index) ||
      move.to_index < 0 ||
      move.to_index > order.length
    ) {
      throw new FixConflictError(
        `The fix moves a cell to position ${move.to_index + 1}, outside the notebook.`
      );
    }
    order.splice(move.to_index, 0, move.cell_id);
  }
  const sources = new Map(answer.edits.map(e => [e.cell_id, e.source]));
  const touched = new Set([
    ...sources.keys(),
    ...answer.moves.map(m => m.cell_id)
  ]);
  return { order, sources, changed: order.filter(id => touched.has(id)) };
}

/**
 * Apply a fix answer to the notebook model in one transaction, so one Undo reverts it.
 * `sent` holds the sources the fix was prepared from (by cell id, in notebook order): when
 * a cell the fix changes was edited since, or the cells changed order while the fix moves
 * some, nothing is applied.
 *
 * @returns the ids of the changed cells, in notebook order.
 * @throws FixConflictError when the answer no longer fits the notebook.
 */
export function applyFix(
  notebook: SharedNotebook,
  answer: IFixAnswer,
  sent?: ReadonlyMap<string, string>
): string[] {
  const cells = notebook.cells;
  const ids = cells.map(c => c.id);
  const plan = planFix(ids, answer);
  if (sent) {
    // Moves name positions in the notebook as it was sent.
    const before = [...sent.keys()];
    if (
      answer.moves.length > 0 &&
      (before.length !== ids.length || before.some((id, i) => id !== ids[i]))
    ) {
      throw new FixConflictError(
        'Cells were added, removed or moved while the fix was prepared; nothing was changed. Try again.'
      );
    }
    const index = cells.findIndex(
      c => plan.changed.includes(c.id) && sent.get(c.id) !== c.getSource()
    );
    if (index >= 0) {
      throw new FixConflictError(
        `Cell ${index + 1} changed while the fix was prepared; nothing was changed. Try again.`
      );
    }
  }
  // The smallest range of positions whose cell changes: replaced as a whole.
  let lo = 0;
  while (lo < ids.length && ids[lo] === plan.order[lo]) {
    lo++;
  }
  let hi = ids.length;
  while (hi > lo && ids[hi - 1] === plan.order[hi - 1]) {
    hi--;
  }
  const byId = new Map(cells.map(c => [c.id, c]));
  const replacement = plan.order.slice(lo, hi).map(id => {
    const json = byId.get(id)!.toJSON() as CellJSON;
    const source = plan.sources.get(id);
    return source === undefined ? json : { ...json, source };
  });
  // Keep the fix one step of its own on the undo stack.
  const undo = undoStackOf(notebook);
  undo?.stopCapturing();
  notebook.transact(() => {
    plan.sources.forEach((source, id) => {
      const at = ids.indexOf(id);
      if (at < lo || at >= hi) {
        byId.get(id)!.setSource(source);
      }
    });
    if (hi > lo) {
      notebook.deleteCellRange(lo, hi);
      notebook.insertCells(lo, replacement);
    }
  });
  undo?.stopCapturing();
  return plan.changed;
}

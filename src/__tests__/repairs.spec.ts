import { NotebookModel } from '@jupyterlab/notebook';

import {
  FixConflictError,
  applyFix,
  definingCellBelow,
  fixFor,
  planFix
} from '../repairs';
import { ICellReport, IFixAnswer } from '../tokens';

// @jupyter/ydoc reads a new cell's Yjs types before inserting them (as JupyterLab itself
// does when it inserts cells); Yjs warns about that. The warning says nothing here.
const warn = console.warn;
beforeAll(() => {
  jest.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    if (!String(args[0]).startsWith('Invalid access')) {
      warn(...args);
    }
  });
});
afterAll(() => jest.restoreAllMocks());

function answer(partial: Partial<IFixAnswer>): IFixAnswer {
  return {
    fix: 'move-cell',
    title: 'Move cell 3 above cell 2',
    edits: [],
    moves: [],
    summary: '',
    ...partial
  };
}

/** A real notebook model with code cells a, b, c, d (sources `a = 1`, ...). */
function notebook(ids = ['a', 'b', 'c', 'd']): NotebookModel {
  const model = new NotebookModel();
  model.sharedModel.insertCells(
    0,
    ids.map(id => ({
      id,
      cell_type: 'code' as const,
      source: `${id} = 1`,
      metadata: {},
      execution_count: null,
      outputs: []
    }))
  );
  // Setting up the notebook is not a step the user can undo.
  model.sharedModel.clearUndoHistory();
  return model;
}

const ids = (model: NotebookModel) => model.sharedModel.cells.map(c => c.id);
const sources = (model: NotebookModel) =>
  model.sharedModel.cells.map(c => c.getSource());

describe('planFix', () => {
  it('puts a moved cell at to_index of the list after the move', () => {
    const plan = planFix(
      ['a', 'b', 'c', 'd'],
      answer({ moves: [{ cell_id: 'd', to_index: 1 }] })
    );
    expect(plan.order).toEqual(['a', 'd', 'b', 'c']);
    expect(plan.changed).toEqual(['d']);
  });

  it('applies moves in order and lists changed cells in the new order', () => {
    const plan = planFix(
      ['a', 'b', 'c', 'd'],
      answer({
        moves: [
          { cell_id: 'a', to_index: 3 },
          { cell_id: 'c', to_index: 0 }
        ],
        edits: [{ cell_id: 'b', source: 'import os' }]
      })
    );
    expect(plan.order).toEqual(['c', 'b', 'd', 'a']);
    expect(plan.changed).toEqual(['c', 'b', 'a']);
    expect(plan.sources.get('b')).toBe('import os');
  });

  it('refuses a cell the notebook does not have, or a position outside it', () => {
    expect(() =>
      planFix(['a'], answer({ edits: [{ cell_id: 'zz', source: '' }] }))
    ).toThrow(FixConflictError);
    expect(() =>
      planFix(['a', 'b'], answer({ moves: [{ cell_id: 'a', to_index: 5 }] }))
    ).toThrow(/outside the notebook/);
  });
});

describe('applyFix', () => {
  it('moves and edits in one step that one undo reverts', () => {
    const model = notebook();
    const changed = applyFix(
      model.sharedModel,
      answer({
        moves: [{ cell_id: 'd', to_index: 1 }],
        edits: [
          { cell_id: 'a', source: 'import random\na = 1' },
          { cell_id: 'd', source: 'd = 2' }
        ]
      })
    );
    expect(ids(model)).toEqual(['a', 'd', 'b', 'c']);
    expect(sources(model)).toEqual([
      'import random\na = 1',
      'd = 2',
      'b = 1',
      'c = 1'
    ]);
    expect(changed).toEqual(['a', 'd']);
    expect(model.sharedModel.canUndo()).toBe(true);
    model.sharedModel.undo();
    expect(ids(model)).toEqual(['a', 'b', 'c', 'd']);
    expect(sources(model)).toEqual(['a = 1', 'b = 1', 'c = 1', 'd = 1']);
    expect(model.sharedModel.canUndo()).toBe(false);
  });

  it('keeps outputs and counts of the cells it moves', () => {
    const model = notebook(['a', 'b']);
    const cell = model.sharedModel.cells[1] as any;
    cell.setExecutionCount(7);
    cell.setOutputs([{ output_type: 'stream', name: 'stdout', text: 'hi\n' }]);
    applyFix(
      model.sharedModel,
      answer({ moves: [{ cell_id: 'b', to_index: 0 }] })
    );
    const moved = model.sharedModel.cells[0].toJSON() as any;
    expect(moved.id).toBe('b');
    expect(moved.execution_count).toBe(7);
    expect(moved.outputs[0].text).toBe('hi\n');
  });

  it('changes nothing when a changed cell was edited since the request', () => {
    const model = notebook();
    const sent = new Map(
      model.sharedModel.cells.map(c => [c.id, c.getSource()])
    );
    model.sharedModel.cells[2].setSource('c = 42');
    expect(() =>
      applyFix(
        model.sharedModel,
        answer({ edits: [{ cell_id: 'c', source: 'c = 0' }] }),
        sent
      )
    ).toThrow(/Cell 3 changed/);
    expect(sources(model)[2]).toBe('c = 42');
  });

  it('moves nothing when cells were added since the request', () => {
    const model = notebook();
    const sent = new Map(
      model.sharedModel.cells.map(c => [c.id, c.getSource()])
    );
    model.sharedModel.insertCell(0, {
      id: 'new',
      cell_type: 'code',
      source: 'z = 0'
    });
    expect(() =>
      applyFix(
        model.sharedModel,
        answer({ moves: [{ cell_id: 'd', to_index: 1 }] }),
        sent
      )
    ).toThrow(/added, removed or moved/);
    expect(ids(model)).toEqual(['new', 'a', 'b', 'c', 'd']);
  });
});

describe('fix labels', () => {
  const cell = {
    index: 3,
    depends_on: [{ cell: 5, names: ['tax_rate'], hidden: true }],
    hidden_because: [{ name: 'tax_rate', cell: 5, why: 'below' }]
  } as unknown as ICellReport;

  it('maps rules to fixes', () => {
    const finding = (rule: string) => ({
      rule,
      severity: 'error' as const,
      cell: 3,
      line: 1,
      message: ''
    });
    expect(fixFor(finding('use-before-definition'))).toBe('move-cell');
    expect(fixFor(finding('duplicate-import'))).toBe('hoist-imports');
    expect(fixFor(finding('import-not-at-top'))).toBe('hoist-imports');
    expect(fixFor(finding('unseeded-random'))).toBe('seed-random');
    expect(fixFor(finding('long-cell'))).toBeNull();
  });

  it('finds the defining cell below from hidden_because, else a hidden edge', () => {
    expect(definingCellBelow(cell)).toBe(5);
    const edgeOnly = { ...cell, hidden_because: [] } as unknown as ICellReport;
    expect(definingCellBelow(edgeOnly)).toBe(5);
    const none = { ...cell, hidden_because: [], depends_on: [] };
    expect(definingCellBelow(none as unknown as ICellReport)).toBeNull();
  });
});

import {
  AnalysisProtocol,
  ICellSnapshot,
  IDeltaBody,
  IFullBody,
  INotebookSnapshot,
  IOrderChanges,
  orderChanges,
  summarizeOutput,
  utf8Length
} from '../protocol';
import { IExecution } from '../tokens';

function cell(id: string, source: string, count: number | null = 1) {
  return {
    id,
    cell_type: 'code',
    source,
    execution_count: count,
    outputs: [],
    metadata: {}
  } as ICellSnapshot;
}

function snap(
  cells: ICellSnapshot[],
  history: IExecution[] | null = null,
  epoch = 0
): INotebookSnapshot {
  return {
    cells,
    metadata: { kernelspec: { name: 'python3' } },
    history,
    epoch
  };
}

function run(cell_id: string, source: string, n: number): IExecution {
  return { cell_id, source, execution_count: n, status: 'ok' };
}

/** A JupyterLab-like cell id: 36 characters, a UUID. */
function uuid(i: number): string {
  const hex = i.toString(16).padStart(12, '0');
  return `8f0c${hex.slice(0, 4)}-3b1a-4c2e-9d7f-${hex}`;
}

const PNG = 'iVBORw0KGgo'.repeat(5000);

describe('summarizeOutput', () => {
  it('keeps what the rules read and never the content', () => {
    const image = {
      output_type: 'display_data',
      data: { 'image/png': PNG, 'text/plain': '<Figure>' },
      metadata: {}
    };
    const summary = summarizeOutput(image);
    expect(summary).toEqual({
      output_type: 'display_data',
      mime_types: ['image/png', 'text/plain'],
      nbytes: JSON.stringify(image).length
    });
    expect(JSON.stringify(summary).length).toBeLessThan(120);

    const error = {
      output_type: 'error',
      ename: 'NameError',
      evalue: "name 'x' is not defined",
      traceback: ['Traceback...', 'NameError: ...']
    };
    expect(summarizeOutput(error)).toEqual({
      output_type: 'error',
      ename: 'NameError',
      evalue: "name 'x' is not defined",
      nbytes: JSON.stringify(error).length
    });
    const stream = { output_type: 'stream', name: 'stderr', text: 'é\n' };
    expect(summarizeOutput(stream)).toEqual({
      output_type: 'stream',
      name: 'stderr',
      nbytes: JSON.stringify(stream).length + 1 // é is two bytes in UTF-8
    });
    expect(utf8Length('aé')).toBe(3);
  });
});

describe('AnalysisProtocol', () => {
  it('sends a full body first, then only the changed cells, the order and new executions', () => {
    const protocol = new AnalysisProtocol('client-1');
    const a = cell('a', 'x = 1');
    const b = cell('b', 'y = x + 1', 2);
    const first = protocol.prepare(snap([a, b]), { path: 'n.ipynb' });
    expect(first.delta).toBe(false);
    const full = first.body as IFullBody;
    expect(full.client).toBe('client-1');
    expect(full.path).toBe('n.ipynb');
    expect(full.notebook.cells).toEqual([a, b]);
    expect(full.notebook.nbformat_minor).toBe(5);
    expect(full.history).toBeUndefined(); // nothing seen: states from saved counts
    protocol.confirm(first, 1);
    expect(protocol.revision).toBe(1);

    const edited = cell('b', 'y = x + 2', 2);
    const second = protocol.prepare(snap([a, edited]));
    expect(second.delta).toBe(true);
    expect(second.body).toEqual({
      client: 'client-1',
      base_revision: 1,
      delta: { cells: [edited] } // same cells in the same order: no `order`
    });
    protocol.confirm(second, 2);

    // A run: the count changes, the execution is appended; a deleted cell leaves `order`.
    const ran = cell('a', 'x = 1', 3);
    const history = [run('a', 'x = 1', 3)];
    const third = protocol.prepare(snap([ran], history));
    const delta = (third.body as IDeltaBody).delta;
    expect(delta.order).toEqual(['a']);
    expect(delta.cells).toEqual([ran]);
    // The first history the session sees starts it over.
    expect(delta.history).toEqual(history);
    expect(delta.history_reset).toBe(true);
    protocol.confirm(third, 3);

    const more = [...history, run('a', 'x = 1', 4)];
    const fourth = protocol.prepare(snap([cell('a', 'x = 1', 4)], more));
    expect((fourth.body as IDeltaBody).delta.history).toEqual([more[1]]);
    expect((fourth.body as IDeltaBody).delta.history_reset).toBeUndefined();
    expect((fourth.body as IDeltaBody).base_revision).toBe(3);
  });

  it('starts the history over after a kernel restart', () => {
    const protocol = new AnalysisProtocol('c');
    const a = cell('a', 'x = 1');
    const first = protocol.prepare(snap([a], [run('a', 'x = 1', 1)]));
    expect((first.body as IFullBody).history?.executions).toHaveLength(1);
    protocol.confirm(first, 1);
    const restarted = protocol.prepare(snap([a], [], 1));
    expect((restarted.body as IDeltaBody).delta).toEqual({
      cells: [],
      history: [],
      history_reset: true
    });
  });

  it('sends after a one-cell edit that cell alone: no order, history, path or settings that did not change', () => {
    const protocol = new AnalysisProtocol('c');
    const ids = Array.from({ length: 50 }, (_, i) => uuid(i));
    const cells = ids.map((id, i) => cell(id, `a${i} = ${i}`, i + 1));
    const history = cells.map((c, i) => run(c.id, c.source, i + 1));
    const extra = {
      path: 'work/n.ipynb',
      settings: { ignore: ['empty-cell'] }
    };
    protocol.confirm(protocol.prepare(snap(cells, history), extra), 1);
    const edited = cells.slice();
    edited[20] = { ...cells[20], source: 'a20 = 21' };
    const next = protocol.prepare(snap(edited, history), {
      path: 'work/n.ipynb',
      settings: { ignore: ['empty-cell'] } // equal, though another object
    });
    expect(next.body).toEqual({
      client: 'c',
      base_revision: 1,
      delta: { cells: [edited[20]] }
    });
    protocol.confirm(next, 2);
    // What changes is sent again: a move sends the order's changes, new settings and a
    // new path.
    const moved = [edited[1], edited[0], ...edited.slice(2)];
    const after = protocol.prepare(snap(moved, history), {
      path: 'work/m.ipynb',
      settings: {}
    });
    expect(after.body).toEqual({
      client: 'c',
      base_revision: 2,
      path: 'work/m.ipynb',
      settings: {},
      delta: {
        order_changes: {
          removed: [ids[1]],
          inserted: [{ id: ids[1], after: null }]
        },
        cells: []
      }
    });
  });

  it('keeps a one-cell edit small in a large notebook with large outputs', () => {
    const protocol = new AnalysisProtocol('c');
    const image = summarizeOutput({
      output_type: 'display_data',
      data: { 'image/png': PNG.repeat(10) },
      metadata: {}
    });
    const cells = Array.from({ length: 2000 }, (_, i) => ({
      ...cell(uuid(i), `a${i} = a${i - 1} + 1`, i + 1),
      outputs: [image]
    }));
    const first = protocol.prepare(snap(cells));
    protocol.confirm(first, 7);
    cells[200] = { ...cells[200], source: 'b200 = a199 + 1' };
    const next = protocol.prepare(snap(cells));
    const bytes = JSON.stringify(next.body).length;
    expect((next.body as IDeltaBody).delta.cells).toHaveLength(1);
    expect(bytes).toBeLessThan(1_000); // the order of 2,000 ids would be ~78 KB
  });

  it('falls back to full bodies when the server keeps no session or after a reset', () => {
    const protocol = new AnalysisProtocol('c');
    const a = cell('a', 'x = 1');
    const first = protocol.prepare(snap([a]));
    protocol.confirm(first, undefined); // an older server: no `revision`
    expect(protocol.prepare(snap([a])).delta).toBe(false);
    protocol.confirm(protocol.prepare(snap([a])), 4);
    expect(protocol.prepare(snap([a])).delta).toBe(true);
    protocol.reset(); // a 409
    expect(protocol.prepare(snap([a])).delta).toBe(false);
  });

  it('sends a cell again when its outputs, tags or type change', () => {
    const protocol = new AnalysisProtocol('c');
    const a = cell('a', 'x = 1');
    protocol.confirm(protocol.prepare(snap([a])), 1);
    const variants: ICellSnapshot[] = [
      { ...a, metadata: { tags: ['raises-exception'] } },
      { ...a, cell_type: 'markdown' },
      { ...a, outputs: [{ output_type: 'stream', name: 'stdout', nbytes: 9 }] },
      { ...a, execution_count: 2 }
    ];
    for (const v of variants) {
      expect(
        (protocol.prepare(snap([v])).body as IDeltaBody).delta.cells
      ).toEqual([v]);
    }
    expect(
      (protocol.prepare(snap([{ ...a, outputs: [] }])).body as IDeltaBody).delta
        .cells
    ).toEqual([]);
  });
});

/** The order `changes` make of `before`: a reference of the server's reading. */
function applyChanges(
  before: readonly string[],
  changes: IOrderChanges
): string[] {
  const removed = new Set(changes.removed);
  expect(removed.size).toBe(changes.removed.length);
  const order = before.filter(id => !removed.has(id));
  expect(before.length - order.length).toBe(removed.size);
  for (const { id, after } of changes.inserted) {
    expect(order).not.toContain(id);
    const at = after === null ? 0 : order.indexOf(after) + 1;
    expect(at === 0 && after !== null).toBe(false); // `after` is in the order
    order.splice(at, 0, id);
  }
  return order;
}

/** The length of a longest increasing subsequence, by the quadratic recurrence. */
function longestLength(values: number[]): number {
  const best = values.map(() => 1);
  values.forEach((v, k) => {
    for (let j = 0; j < k; j++) {
      if (values[j] < v) {
        best[k] = Math.max(best[k], best[j] + 1);
      }
    }
  });
  return Math.max(0, ...best);
}

/** A seeded PRNG in [0, 1) (mulberry32), so that a failure replays. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('orderChanges', () => {
  const ids = Array.from({ length: 50 }, (_, i) => uuid(i));

  /** The delta the protocol sends after the order went from `before` to `after`. */
  function deltaFor(before: string[], after: string[]): IDeltaBody['delta'] {
    const protocol = new AnalysisProtocol('c');
    const cells = new Map(
      [...before, ...after].map(id => [id, cell(id, 'x = 1')])
    );
    const snapshot = (order: string[]) =>
      snap(order.map(id => cells.get(id) as ICellSnapshot));
    protocol.confirm(protocol.prepare(snapshot(before)), 1);
    return (protocol.prepare(snapshot(after)).body as IDeltaBody).delta;
  }

  it('sends one entry for a cell added, deleted or moved', () => {
    const added = [...ids.slice(0, 10), 'new', ...ids.slice(10)];
    expect(deltaFor(ids, added)).toEqual({
      order_changes: { removed: [], inserted: [{ id: 'new', after: ids[9] }] },
      cells: [cell('new', 'x = 1')]
    });
    const top = ['new', ...ids];
    expect(deltaFor(ids, top).order_changes).toEqual({
      removed: [],
      inserted: [{ id: 'new', after: null }]
    });
    const deleted = ids.filter(id => id !== ids[7]);
    expect(deltaFor(ids, deleted)).toEqual({
      order_changes: { removed: [ids[7]], inserted: [] },
      cells: []
    });
    const last = [...ids.slice(1), ids[0]];
    expect(deltaFor(ids, last).order_changes).toEqual({
      removed: [ids[0]],
      inserted: [{ id: ids[0], after: ids[49] }]
    });
    const middle = [...ids.slice(0, 20), ...ids.slice(21, 30), ids[20]];
    middle.push(...ids.slice(30));
    expect(deltaFor(ids, middle).order_changes).toEqual({
      removed: [ids[20]],
      inserted: [{ id: ids[20], after: ids[29] }]
    });
  });

  it('moves the fewest cells when many move', () => {
    // Cells 10-14 reversed in place, and cell 40 to the top: 4 + 1 moved.
    const after = [
      ids[40],
      ...ids.slice(0, 10),
      ...ids.slice(10, 15).reverse(),
      ...ids.slice(15, 40),
      ...ids.slice(41)
    ];
    const changes = deltaFor(ids, after).order_changes as IOrderChanges;
    expect(changes.removed).toHaveLength(5);
    expect(changes.inserted.map(e => e.id).sort()).toEqual(
      changes.removed.slice().sort()
    );
    expect(changes.inserted[0]).toEqual({ id: ids[40], after: null });
    expect(applyChanges(ids, changes)).toEqual(after);
  });

  it('sends the whole order when the changes would be longer', () => {
    const reversed = ids.slice().reverse();
    expect(deltaFor(ids, reversed)).toEqual({ order: reversed, cells: [] });
    // Two cells of three: the changes are longer than the order itself.
    expect(deltaFor(['a', 'b', 'c'], ['b', 'c'])).toEqual({
      order: ['b', 'c'],
      cells: []
    });
  });

  it('gives the new order from the old one, on random edits', () => {
    const random = prng(20240614);
    const pick = (n: number) => Math.floor(random() * n);
    for (let round = 0; round < 400; round++) {
      const before = Array.from({ length: pick(60) }, (_, i) => `c${i}`);
      let after = before.filter(() => random() > 0.1);
      for (let k = pick(4); k > 0; k--) {
        after.splice(pick(after.length + 1), 0, `new${round}-${k}`);
      }
      for (let k = pick(4); k > 0 && after.length > 0; k--) {
        const [id] = after.splice(pick(after.length), 1);
        after.splice(pick(after.length + 1), 0, id);
      }
      if (random() < 0.2) {
        after = after
          .map(id => ({ id, key: random() }))
          .sort((x, y) => x.key - y.key)
          .map(x => x.id);
      }
      const changes = orderChanges(before, after);
      expect(applyChanges(before, changes)).toEqual(after);
      const kept = after.filter(id => before.includes(id));
      const moved =
        kept.length - longestLength(kept.map(id => before.indexOf(id)));
      expect(changes.removed).toHaveLength(before.length - kept.length + moved);
      expect(changes.inserted).toHaveLength(after.length - kept.length + moved);
      if (before.join() !== after.join()) {
        const delta = deltaFor(before, after);
        const sent = delta.order_changes
          ? applyChanges(before, delta.order_changes)
          : delta.order;
        expect(sent).toEqual(after);
        expect(delta.order === undefined).toBe(
          delta.order_changes !== undefined
        );
      }
    }
  });

  it('keeps a one-cell move small in a notebook of 2,000 cells', () => {
    const many = Array.from({ length: 2000 }, (_, i) => uuid(i));
    const protocol = new AnalysisProtocol(
      '4b1f0c1e-6a55-4c1e-9a53-2f4d2f3f0c11'
    );
    const cells = many.map((id, i) => cell(id, `a${i} = a${i - 1} + 1`, i + 1));
    protocol.confirm(protocol.prepare(snap(cells)), 1);
    const moved = [...cells.slice(1, 1000), cells[0], ...cells.slice(1000)];
    const body = protocol.prepare(snap(moved)).body as IDeltaBody;
    expect(body.delta.order_changes).toEqual({
      removed: [many[0]],
      inserted: [{ id: many[0], after: many[999] }]
    });
    const bytes = utf8Length(JSON.stringify(body));
    expect(bytes).toBeLessThanOrEqual(50_000);
    expect(bytes).toBeLessThan(300); // the whole order would be ~78 KB
  });
});

import {
  AnalysisProtocol,
  ICellSnapshot,
  IDeltaBody,
  IFullBody,
  INotebookSnapshot,
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
    // What changes is sent again: a move sends the order, new settings and a new path.
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
      delta: { order: moved.map(c => c.id), cells: [] }
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

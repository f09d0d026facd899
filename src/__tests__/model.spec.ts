import { NotebookActions } from '@jupyterlab/notebook';
import { Signal } from '@lumino/signaling';

import { NotebookHygieneModel } from '../model';
import * as api from '../request';
import { IReport } from '../tokens';

jest.mock('../request', () => {
  class NbHygieneRequestError extends Error {
    constructor(
      message: string,
      readonly status: number,
      readonly reason: string | null = null
    ) {
      super(message);
    }
  }
  return {
    NbHygieneRequestError,
    analyzeNotebook: jest.fn(),
    closeAnalysis: jest.fn(() => Promise.resolve()),
    startVerify: jest.fn(),
    getVerify: jest.fn(),
    cancelVerify: jest.fn()
  };
});

const analyze = api.analyzeNotebook as jest.Mock;

interface IFakeCell {
  id: string;
  type: 'code';
  executionCount: number | null;
  source: string;
}

function fakeCellModel(cell: IFakeCell) {
  return {
    get id() {
      return cell.id;
    },
    type: 'code',
    get executionCount() {
      return cell.executionCount;
    },
    sharedModel: { getSource: () => cell.source },
    outputs: { length: 0, get: () => undefined },
    getMetadata: () => undefined
  };
}

function fakePanel(cells: IFakeCell[] = []) {
  const owner = {};
  const model = {
    contentChanged: new Signal<any, void>(owner),
    getMetadata: (key: string) =>
      key === 'kernelspec' ? { name: 'python3' } : undefined,
    cells: {
      changed: new Signal<any, void>(owner),
      get length() {
        return cells.length;
      },
      get: (i: number) => fakeCellModel(cells[i])
    }
  };
  return {
    content: { model, widgets: [] },
    context: { ready: Promise.resolve(), path: 'a.ipynb' },
    sessionContext: {
      statusChanged: new Signal<any, string>(owner),
      kernelChanged: new Signal<any, any>(owner)
    }
  };
}

function report(score: number, revision?: number): IReport {
  return {
    path: 'a.ipynb',
    language: 'python',
    score,
    score_label: score >= 80 ? 'good' : score >= 50 ? 'fair' : 'poor',
    score_breakdown: {},
    cells: [],
    findings: [],
    revision
  };
}

/** A report on `cells` (ids in order), as a server holding that notebook answers. */
function reportOn(
  cells: IFakeCell[],
  score: number,
  revision?: number
): IReport {
  return {
    ...report(score, revision),
    cells: cells.map((c, index) => ({ index, id: c.id }) as any)
  };
}

const tick = () => new Promise(resolve => setTimeout(resolve, 0));

/** A model on two cells whose server keeps a session (revisions 1, 2, ...), loaded. */
async function withSession() {
  const cells: IFakeCell[] = [
    { id: 'a', type: 'code', executionCount: 1, source: 'x = 1' },
    { id: 'b', type: 'code', executionCount: 2, source: 'y = x' }
  ];
  let revision = 0;
  const next = () => ++revision;
  analyze.mockImplementation(async () => reportOn(cells, 90, next()));
  const model = new NotebookHygieneModel({ panel: fakePanel(cells) as any });
  await tick();
  return { cells, model, next };
}

describe('NotebookHygieneModel', () => {
  beforeEach(() => analyze.mockReset());

  it('collapses a burst of edits into one analysis', async () => {
    analyze.mockResolvedValue(report(90));
    const panel = fakePanel();
    const model = new NotebookHygieneModel({ panel: panel as any, delay: 20 });
    await tick();
    expect(analyze).toHaveBeenCalledTimes(1); // the first analysis, on load
    for (let i = 0; i < 10; i++) {
      panel.content.model.contentChanged.emit();
    }
    await new Promise(resolve => setTimeout(resolve, 60));
    expect(analyze).toHaveBeenCalledTimes(2);
    expect(model.report?.score).toBe(90);
    model.dispose();
  });

  it('sends one more request after a request in flight, never two at once', async () => {
    const resolvers: Array<(r: IReport) => void> = [];
    analyze.mockImplementation(
      () =>
        new Promise<IReport>(resolve => {
          resolvers.push(resolve);
        })
    );
    const model = new NotebookHygieneModel({ panel: fakePanel() as any });
    await tick();
    expect(analyze).toHaveBeenCalledTimes(1);
    const second = model.refresh();
    const third = model.refresh();
    expect(analyze).toHaveBeenCalledTimes(1);
    resolvers[0](report(10));
    await tick();
    expect(analyze).toHaveBeenCalledTimes(2); // the two refreshes collapse into one
    resolvers[1](report(70));
    await second;
    await third;
    expect(model.report?.score).toBe(70);
    expect(model.analyzing).toBe(false);
    model.dispose();
  });

  it('sends deltas once the server confirms a revision, a full body again after a 409', async () => {
    const { cells, model } = await withSession();
    expect(model.error).toBeNull();
    const full = analyze.mock.calls[0][0];
    expect(full.client).toBe(model.client);
    expect(full.notebook.cells.map((c: any) => c.id)).toEqual(['a', 'b']);

    cells[1].source = 'y = x + 1';
    await model.refresh();
    const delta = analyze.mock.calls[1][0];
    expect(delta.base_revision).toBe(1);
    expect(delta.notebook).toBeUndefined();
    expect(delta.delta.cells.map((c: any) => c.source)).toEqual(['y = x + 1']);

    analyze.mockImplementationOnce(async () => {
      throw new api.NbHygieneRequestError('expired', 409, 'no-session');
    });
    cells[0].source = 'x = 2';
    await model.refresh();
    const retry = analyze.mock.calls[3][0];
    expect(retry.notebook.cells.map((c: any) => c.source)).toEqual([
      'x = 2',
      'y = x + 1'
    ]);
    expect(model.error).toBeNull();
    model.dispose();
    expect(api.closeAnalysis).toHaveBeenCalledWith(model.client);
  });

  it('sends the notebook whole when the report on a delta holds other cells', async () => {
    const { cells, model, next } = await withSession();
    // A server that ignored the move answers on the old order.
    const before = [...cells];
    cells.reverse();
    analyze.mockImplementationOnce(async () => reportOn(before, 40, next()));
    await model.refresh();
    expect(analyze).toHaveBeenCalledTimes(3);
    expect(analyze.mock.calls[1][0].delta).toBeDefined();
    const whole = analyze.mock.calls[2][0];
    expect(whole.notebook.cells.map((c: any) => c.id)).toEqual(['b', 'a']);
    expect(model.report?.cells.map(c => c.id)).toEqual(['b', 'a']);
    expect(model.report?.score).toBe(90);
    model.dispose();
  });

  it('keeps full bodies with a server that answers no revision', async () => {
    analyze.mockResolvedValue(report(90));
    const model = new NotebookHygieneModel({ panel: fakePanel() as any });
    await tick();
    await model.refresh();
    expect(analyze.mock.calls[1][0].notebook).toBeDefined();
    model.dispose();
  });

  it('marks a keystroke after open as edited, and runs the kernel aborted as unexecuted', async () => {
    const cells: IFakeCell[] = [
      { id: 'a', type: 'code', executionCount: 1, source: 'x = 1' },
      { id: 'b', type: 'code', executionCount: 2, source: 'y = x' }
    ];
    const panel = fakePanel(cells);
    const wire = (): IReport => ({
      ...report(90),
      cells: cells.map((c, index) => ({
        index,
        id: c.id,
        cell_type: 'code',
        execution_count: c.executionCount,
        defines: [],
        uses: [],
        mutates: [],
        deletes: [],
        imports: [],
        depends_on: [],
        state: 'fresh',
        stale_because: [],
        hidden_because: [],
        fix_by: []
      }))
    });
    analyze.mockImplementation(async () => wire());
    const model = new NotebookHygieneModel({ panel: panel as any });
    await tick();
    expect(model.report?.cells.map(c => c.state)).toEqual(['fresh', 'fresh']);
    cells[0].source = 'x = 12';
    await model.refresh();
    expect(model.report?.cells.map(c => c.state)).toEqual(['edited', 'fresh']);

    // Run All stops at an error in cell a: the kernel aborts cell b.
    const executed = NotebookActions.executed as any;
    cells[1].executionCount = null;
    executed.emit({
      notebook: panel.content,
      cell: { model: fakeCellModel(cells[1]) },
      success: false
    });
    await model.refresh();
    expect(model.report?.cells[1].state).toBe('unexecuted');
    expect(model.history.length).toBe(0); // nothing ran: nothing recorded
    model.dispose();
  });

  it('shows a server error and sends the settings', async () => {
    analyze.mockRejectedValue(new Error('Unknown setting `ignor`.'));
    const model = new NotebookHygieneModel({
      panel: fakePanel() as any,
      settings: () => ({ ignore: ['long-cell'] })
    });
    await tick();
    await tick();
    expect(model.error).toBe('Unknown setting `ignor`.');
    expect(analyze.mock.calls[0][0].settings).toEqual({
      ignore: ['long-cell']
    });
    expect(analyze.mock.calls[0][0].history).toBeUndefined();
    model.dispose();
  });

  it('sends an empty history after a kernel restart', async () => {
    analyze.mockResolvedValue(report(90));
    const panel = fakePanel();
    const model = new NotebookHygieneModel({ panel: panel as any, delay: 5 });
    await tick();
    panel.sessionContext.statusChanged.emit('restarting');
    await new Promise(resolve => setTimeout(resolve, 30));
    const last = analyze.mock.calls[analyze.mock.calls.length - 1][0];
    expect(last.history).toEqual({ executions: [] });
    model.dispose();
  });

  it('takes a kernel that replaces another as a new session, but not the first connection', async () => {
    analyze.mockResolvedValue(report(90));
    const panel = fakePanel();
    const model = new NotebookHygieneModel({ panel: panel as any, delay: 5 });
    await tick();
    const kernel = (id: string) => ({ id }) as any;
    panel.sessionContext.kernelChanged.emit({
      name: 'kernel',
      oldValue: null,
      newValue: kernel('k1')
    });
    await new Promise(resolve => setTimeout(resolve, 30));
    let last = analyze.mock.calls[analyze.mock.calls.length - 1][0];
    expect(last.history).toBeUndefined(); // saved counts still tell the states
    panel.sessionContext.kernelChanged.emit({
      name: 'kernel',
      oldValue: kernel('k1'),
      newValue: null
    });
    panel.sessionContext.kernelChanged.emit({
      name: 'kernel',
      oldValue: null,
      newValue: kernel('k2')
    });
    await new Promise(resolve => setTimeout(resolve, 30));
    last = analyze.mock.calls[analyze.mock.calls.length - 1][0];
    expect(last.history ?? last.delta?.history).toEqual(
      last.history ? { executions: [] } : []
    );
    model.dispose();
  });
});

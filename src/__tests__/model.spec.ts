import { Signal } from '@lumino/signaling';

import { NotebookHygieneModel } from '../model';
import * as api from '../request';
import { IReport } from '../tokens';

jest.mock('../request', () => ({
  analyzeNotebook: jest.fn(),
  startVerify: jest.fn(),
  getVerify: jest.fn(),
  cancelVerify: jest.fn()
}));

const analyze = api.analyzeNotebook as jest.Mock;

function fakePanel() {
  const owner = {};
  const model = {
    toJSON: () => ({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 }),
    contentChanged: new Signal<any, void>(owner),
    cells: { changed: new Signal<any, void>(owner) }
  };
  return {
    content: { model, widgets: [] },
    context: { ready: Promise.resolve(), path: 'a.ipynb' },
    sessionContext: {
      statusChanged: new Signal<any, string>(owner),
      kernelChanged: new Signal<any, void>(owner)
    }
  };
}

function report(score: number): IReport {
  return {
    path: 'a.ipynb',
    language: 'python',
    score,
    score_breakdown: {},
    cells: [],
    findings: []
  };
}

const tick = () => new Promise(resolve => setTimeout(resolve, 0));

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

  it('aborts a request that a newer one replaces, and keeps the newer report', async () => {
    const resolvers: Array<(r: IReport) => void> = [];
    const signals: AbortSignal[] = [];
    analyze.mockImplementation(
      (_body: unknown, signal: AbortSignal) =>
        new Promise<IReport>(resolve => {
          signals.push(signal);
          resolvers.push(resolve);
        })
    );
    const model = new NotebookHygieneModel({ panel: fakePanel() as any });
    await tick();
    const second = model.refresh();
    expect(signals[0].aborted).toBe(true);
    resolvers[1](report(70));
    resolvers[0](report(10));
    await second;
    expect(model.report?.score).toBe(70);
    expect(model.analyzing).toBe(false);
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
});

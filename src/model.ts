/**
 * Per-notebook hygiene state: the latest report, the execution history of the kernel
 * session and the verify run. Views re-render from its signals.
 */
import { ISessionContext } from '@jupyterlab/apputils';
import { IChangedArgs } from '@jupyterlab/coreutils';
import { Cell, ICodeCellModel } from '@jupyterlab/cells';
import { NotebookActions, NotebookPanel } from '@jupyterlab/notebook';
import { Kernel } from '@jupyterlab/services';
import { UUID } from '@lumino/coreutils';
import { IDisposable } from '@lumino/disposable';
import { Debouncer } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { applyLiveFacts, ILiveFacts } from './cellstate';
import { ExecutionHistory } from './history';
import {
  AnalysisProtocol,
  INotebookSnapshot,
  IPreparedRequest,
  sameCellIds
} from './protocol';
import { reconcileReport } from './report';
import * as api from './request';
import { analysisMetadata, OutputSummaries, snapshotCells } from './snapshot';
import { IReport, IVerifyStatus } from './tokens';

/** A performance mark set when a report arrives (for measuring the panel refresh). */
export const REPORT_MARK = 'nbhygiene:report';

/** A performance measure of each request body's snapshot of the notebook. */
export const SNAPSHOT_MEASURE = 'nbhygiene:snapshot';

export interface IModelOptions {
  panel: NotebookPanel;
  /** Settings sent with each analysis (rule selection, thresholds). */
  settings?: () => Record<string, unknown>;
  /** Delay between the last change and the analysis, in ms. */
  delay?: number;
  /** Whether edits trigger an analysis (executions and explicit refresh always do). */
  autoAnalyze?: () => boolean;
  /** Verify options. */
  verifyOptions?: () => { timeout?: number; runs?: 1 | 2 };
}

const TERMINAL_STATES = new Set(['done', 'cancelled', 'failed']);

export class NotebookHygieneModel implements IDisposable {
  readonly panel: NotebookPanel;
  readonly history = new ExecutionHistory();

  constructor(options: IModelOptions) {
    this.panel = options.panel;
    this._settings = options.settings ?? (() => ({}));
    this._autoAnalyze = options.autoAnalyze ?? (() => true);
    this._verifyOptions = options.verifyOptions ?? (() => ({}));
    this._debouncer = new Debouncer(() => this.refresh(), options.delay ?? 300);

    NotebookActions.executionScheduled.connect(this._onScheduled, this);
    NotebookActions.executed.connect(this._onExecuted, this);
    this.panel.sessionContext.statusChanged.connect(this._onStatus, this);
    this.panel.sessionContext.kernelChanged.connect(
      this._onKernelChanged,
      this
    );
    this.panel.context.ready
      .then(() => {
        if (this._disposed) {
          return;
        }
        this.panel.content.model?.contentChanged.connect(
          this._onContentChanged,
          this
        );
        this.panel.content.model?.cells.changed.connect(
          this._onCellsChanged,
          this
        );
        this._recordBaseline();
        this._loaded = true;
        void this.refresh();
      })
      .catch(reason =>
        console.warn('nbhygiene: notebook failed to load', reason)
      );
  }

  get report(): IReport | null {
    return this._report;
  }

  get error(): string | null {
    return this._error;
  }

  get analyzing(): boolean {
    return this._analyzing;
  }

  get verify(): IVerifyStatus | null {
    return this._verify;
  }

  get verifyError(): string | null {
    return this._verifyError;
  }

  /** True while a cancel request is on its way (the server stops the kernel). */
  get cancelling(): boolean {
    return this._cancelling;
  }

  /** Emitted when the report, the analysis error or the analyzing flag change. */
  get stateChanged(): ISignal<this, void> {
    return this._stateChanged;
  }

  /** Emitted when a new report arrives (not when the analyzing flag changes). */
  get reportChanged(): ISignal<this, IReport | null> {
    return this._reportChanged;
  }

  /** Emitted as a verify run progresses. */
  get verifyChanged(): ISignal<this, IVerifyStatus | null> {
    return this._verifyChanged;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /** Ask for an analysis soon (debounced): repeated calls collapse into one. */
  schedule(): void {
    void this._debouncer.invoke();
  }

  /**
   * Analyse the notebook now. A request in flight is not cancelled (the server's
   * session must know what it applied): one more request follows it, with everything
   * that changed meanwhile, and the promise resolves after that one.
   */
  refresh(): Promise<void> {
    // Before the file is loaded the model holds a placeholder cell: nothing to analyse.
    if (this._disposed || !this._loaded || !this.panel.content.model) {
      return Promise.resolve();
    }
    if (this._running) {
      this._again = true;
      return this._running;
    }
    this._running = this._analyzeUntilCurrent().finally(() => {
      this._running = null;
    });
    return this._running;
  }

  /** The id of this notebook's analysis session on the server. */
  get client(): string {
    return this._protocol.client;
  }

  private async _analyzeUntilCurrent(): Promise<void> {
    this._analyzing = true;
    this._stateChanged.emit();
    do {
      this._again = false;
      await this._analyzeOnce();
    } while (this._again && !this._disposed);
    this._analyzing = false;
    if (!this._disposed) {
      this._stateChanged.emit();
    }
  }

  private _snapshot(): INotebookSnapshot | null {
    const model = this.panel.content.model;
    if (!model) {
      return null;
    }
    return {
      cells: snapshotCells(model, this._summaries),
      metadata: analysisMetadata(model),
      // Until an execution or a restart is seen in this kernel, the states come from
      // the saved execution counts; afterwards the history is exact.
      history: this._observed ? this.history.executions.slice() : null,
      epoch: this.history.epoch
    };
  }

  private async _analyzeOnce(): Promise<void> {
    const started = performance.now();
    const snapshot = this._snapshot();
    if (!snapshot) {
      return;
    }
    performance.measure?.(SNAPSHOT_MEASURE, { start: started });
    const extra = { path: this.panel.context.path, settings: this._settings() };
    const signal = this._abort.signal;
    try {
      let prepared = this._protocol.prepare(snapshot, extra);
      let wire = await this._send(prepared, snapshot, signal);
      if (wire === null) {
        this._protocol.reset();
        prepared = this._protocol.prepare(snapshot, extra);
        wire = await api.analyzeNotebook(prepared.body, signal);
      }
      if (this._disposed) {
        return;
      }
      this._protocol.confirm(prepared, wire.revision);
      const live: ILiveFacts = {
        sources: new Map(snapshot.cells.map(c => [c.id, c.source])),
        baseline: this._baseline,
        ran: this.history.ran,
        aborted: this.history.abortedCells
      };
      const report = applyLiveFacts(wire, live);
      this._report = reconcileReport(this._report, report);
      this._error = null;
      performance.mark?.(REPORT_MARK);
      this._reportChanged.emit(this._report);
    } catch (error) {
      // Whatever the server applied is unknown now: the next body is a full one.
      this._protocol.reset();
      if (this._disposed || signal.aborted) {
        return;
      }
      this._error = (error as Error).message;
    }
  }

  /**
   * The report on `prepared`, or null when a delta must go again as the whole notebook:
   * a 409 (no session, another revision), or a report on other cells than these.
   */
  private async _send(
    prepared: IPreparedRequest,
    snapshot: INotebookSnapshot,
    signal: AbortSignal
  ): Promise<IReport | null> {
    let wire: IReport;
    try {
      wire = await api.analyzeNotebook(prepared.body, signal);
    } catch (error) {
      if (
        prepared.delta &&
        error instanceof api.NbHygieneRequestError &&
        error.status === 409
      ) {
        return null;
      }
      throw error;
    }
    return prepared.delta && !sameCellIds(wire, snapshot) ? null : wire;
  }

  /** Sources at load time of the cells with a saved count: the baseline of `edited`. */
  private _recordBaseline(): void {
    const cells = this.panel.content.model?.cells;
    if (!cells) {
      return;
    }
    for (let i = 0; i < cells.length; i++) {
      const cell = cells.get(i);
      if (
        cell.type === 'code' &&
        (cell as ICodeCellModel).executionCount !== null
      ) {
        this._baseline.set(cell.id, cell.sharedModel.getSource());
      }
    }
  }

  /**
   * The notebook index of a cell of the report: found by cell id, since cells may have
   * moved since the analysis; the report's index when the id is not found.
   */
  notebookIndex(reportIndex: number): number {
    const id = this._report?.cells[reportIndex]?.id;
    if (id !== undefined) {
      const widgets = this.panel.content.widgets;
      if (widgets[reportIndex]?.model.id === id) {
        return reportIndex;
      }
      const found = widgets.findIndex(w => w.model.id === id);
      if (found >= 0) {
        return found;
      }
    }
    return reportIndex;
  }

  /** Start "Verify reproducibility" on the notebook as it is now. */
  async startVerify(): Promise<void> {
    const model = this.panel.content.model;
    if (!model) {
      return;
    }
    await this.cancelVerify();
    this._verifyError = null;
    this._verify = {
      id: '',
      state: 'queued',
      progress: { done: 0, total: 0 },
      cells: []
    };
    this._verifyChanged.emit(this._verify);
    try {
      const { id } = await api.startVerify({
        path: this.panel.context.path,
        notebook: model.toJSON(),
        ...this._verifyOptions()
      });
      this._verify = { ...this._verify, id };
      this._poll(id);
    } catch (error) {
      this._verify = null;
      this._verifyError = (error as Error).message;
      this._verifyChanged.emit(null);
    }
  }

  /** Cancel the running verify, if any (its kernel is shut down at once). */
  async cancelVerify(): Promise<void> {
    const run = this._verify;
    if (this._pollTimer !== null) {
      clearTimeout(this._pollTimer);
      this._pollTimer = null;
    }
    if (run && run.id && !TERMINAL_STATES.has(run.state)) {
      this._cancelling = true;
      this._verifyChanged.emit(this._verify);
      try {
        await api.cancelVerify(run.id);
        let status: IVerifyStatus = { ...run, state: 'cancelled' };
        try {
          status = await api.getVerify(run.id);
        } catch {
          // The run is cancelled either way; its last status is a nicety.
        }
        if (this._verify?.id === run.id) {
          this._verify = status;
        }
      } catch (error) {
        this._verifyError = (error as Error).message;
      }
      this._cancelling = false;
      this._verifyChanged.emit(this._verify);
    }
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._abort.abort();
    this._debouncer.dispose();
    if (this._protocol.sessionOpened) {
      // The notebook closed: the server can drop its session now rather than at expiry.
      api.closeAnalysis(this._protocol.client).catch(() => undefined);
    }
    if (this._pollTimer !== null) {
      clearTimeout(this._pollTimer);
    }
    Signal.clearData(this);
  }

  private _poll(id: string): void {
    const tick = async () => {
      this._pollTimer = null;
      try {
        const status = await api.getVerify(id);
        if (this._disposed || !this._verify || this._verify.id !== id) {
          return;
        }
        if (this._cancelling) {
          return;
        }
        this._verify = status;
        this._verifyChanged.emit(status);
        if (!TERMINAL_STATES.has(status.state)) {
          this._pollTimer = window.setTimeout(tick, 400);
        }
        failures = 0;
      } catch (error) {
        // A few failed polls in a row (server restarting?) end the watch with the error.
        failures++;
        if (failures < 3 && !this._disposed) {
          this._pollTimer = window.setTimeout(tick, 1000);
          return;
        }
        this._verifyError = (error as Error).message;
        this._verifyChanged.emit(this._verify);
      }
    };
    let failures = 0;
    this._pollTimer = window.setTimeout(tick, 200);
  }

  private _mine(notebook: unknown): boolean {
    return notebook === this.panel.content;
  }

  private _onScheduled(
    _: unknown,
    args: { notebook: unknown; cell: Cell }
  ): void {
    if (this._mine(args.notebook) && args.cell.model.type === 'code') {
      this._observed = true;
      this.history.scheduled(
        args.cell.model.id,
        args.cell.model.sharedModel.getSource()
      );
    }
  }

  private _onExecuted(
    _: unknown,
    args: { notebook: unknown; cell: Cell; success: boolean }
  ): void {
    if (!this._mine(args.notebook) || args.cell.model.type !== 'code') {
      return;
    }
    const model = args.cell.model as ICodeCellModel;
    const count = model.executionCount ?? null;
    if (!args.success && count === null) {
      // Aborted after an earlier error: the kernel never started it.
      this.history.aborted(model.id);
    } else {
      this.history.executed(
        model.id,
        model.sharedModel.getSource(),
        count,
        args.success
      );
    }
    this.schedule();
  }

  private _onStatus(_: ISessionContext, status: string): void {
    if (status === 'restarting' || status === 'autorestarting') {
      this._observed = true;
      this.history.reset();
      this.schedule();
    }
  }

  private _onKernelChanged(
    _: ISessionContext,
    change: IChangedArgs<
      Kernel.IKernelConnection | null,
      Kernel.IKernelConnection | null,
      'kernel'
    >
  ): void {
    // Once a kernel the notebook had goes away (change kernel, shutdown, a restart that
    // starts a new process: JupyterLab may signal old → null, then null → new), the next
    // kernel starts from an empty namespace and the history is exact. The first
    // connection when the notebook opens (null → kernel) is not such a change: that
    // kernel may hold the saved session's state, so saved counts still tell the states.
    const replaced = change.oldValue !== null;
    this._observed = replaced || this.history.length > 0 || this._observed;
    this.history.reset();
    this.schedule();
  }

  private _onContentChanged(): void {
    if (this._autoAnalyze()) {
      this.schedule();
    }
  }

  private _onCellsChanged(): void {
    this.schedule();
  }

  private _report: IReport | null = null;
  private _error: string | null = null;
  private _analyzing = false;
  private _running: Promise<void> | null = null;
  private _again = false;
  private _abort = new AbortController();
  private _protocol = new AnalysisProtocol(UUID.uuid4());
  private _summaries = new OutputSummaries();
  private _baseline = new Map<string, string>();
  private _loaded = false;
  private _verify: IVerifyStatus | null = null;
  private _verifyError: string | null = null;
  private _pollTimer: number | null = null;
  private _cancelling = false;
  private _observed = false;
  private _disposed = false;
  private _debouncer: Debouncer;
  private _settings: () => Record<string, unknown>;
  private _autoAnalyze: () => boolean;
  private _verifyOptions: () => { timeout?: number; runs?: 1 | 2 };
  private _stateChanged = new Signal<this, void>(this);
  private _verifyChanged = new Signal<this, IVerifyStatus | null>(this);
  private _reportChanged = new Signal<this, IReport | null>(this);
}

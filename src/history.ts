/**
 * The execution history of one kernel session, in kernel order, as the analyzer
 * expects it (`{"executions": [...]}`), and what it implies for the live states: the
 * cells that ran in this session and those whose run the kernel aborted.
 */
import { IExecution, IHistory } from './tokens';

export class ExecutionHistory {
  private _executions: IExecution[] = [];
  private _pending = new Map<string, string>();
  private _aborted = new Set<string>();
  private _ran = new Set<string>();
  private _epoch = 0;

  /** Remember the source a cell had when it was sent to the kernel. */
  scheduled(cellId: string, source: string): void {
    this._pending.set(cellId, source);
    this._aborted.delete(cellId);
    this._ran.add(cellId);
  }

  /**
   * Record a finished execution. The source is the one captured when the cell was
   * scheduled (the user may have typed since), else `fallbackSource`.
   */
  executed(
    cellId: string,
    fallbackSource: string,
    executionCount: number | null,
    ok: boolean
  ): void {
    const source = this._pending.get(cellId) ?? fallbackSource;
    this._pending.delete(cellId);
    this._aborted.delete(cellId);
    this._ran.add(cellId);
    this._executions.push({
      cell_id: cellId,
      source,
      execution_count: executionCount,
      status: ok ? 'ok' : 'error'
    });
  }

  /**
   * The kernel aborted the request (an earlier cell raised): the cell never started,
   * so the kernel's namespace did not change and no execution is recorded.
   */
  aborted(cellId: string): void {
    this._pending.delete(cellId);
    this._aborted.add(cellId);
  }

  /** Forget everything: the kernel restarted, its namespace is empty again. */
  reset(): void {
    this._executions = [];
    this._pending.clear();
    this._aborted.clear();
    this._ran.clear();
    this._epoch++;
  }

  get length(): number {
    return this._executions.length;
  }

  /** How many times the history started over (kernel restarts). */
  get epoch(): number {
    return this._epoch;
  }

  /** Cells sent to the kernel since the last restart (running, done or failed). */
  get ran(): ReadonlySet<string> {
    return this._ran;
  }

  /** Cells whose last request the kernel aborted, not run since. */
  get abortedCells(): ReadonlySet<string> {
    return this._aborted;
  }

  /** The executions so far (a read-only view). */
  get executions(): readonly IExecution[] {
    return this._executions;
  }

  toJSON(): IHistory {
    return { executions: this._executions.slice() };
  }
}

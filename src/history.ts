/**
 * The execution history of one kernel session, in kernel order, as the analyzer
 * expects it (`{"executions": [...]}`).
 */
import { IExecution, IHistory } from './tokens';

export class ExecutionHistory {
  private _executions: IExecution[] = [];
  private _pending = new Map<string, string>();

  /** Remember the source a cell had when it was sent to the kernel. */
  scheduled(cellId: string, source: string): void {
    this._pending.set(cellId, source);
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
    this._executions.push({
      cell_id: cellId,
      source,
      execution_count: executionCount,
      status: ok ? 'ok' : 'error'
    });
  }

  /** Forget everything: the kernel restarted, its namespace is empty again. */
  reset(): void {
    this._executions = [];
    this._pending.clear();
  }

  get length(): number {
    return this._executions.length;
  }

  toJSON(): IHistory {
    return { executions: this._executions.slice() };
  }
}

/**
 * One truth per cell: the report exactly as the server sends it (states, `hidden_because`,
 * hidden edges in `depends_on`, `score_label`: the analyzer alone decides them), overlaid
 * with what only the browser knows live (edits since the notebook was opened, runs the
 * kernel aborted). The rows, the badges, the graph and the score all read the result.
 * Pure functions, no DOM.
 */
import { CellStateName, IReport, STATE_PRECEDENCE } from './tokens';

/** Whether state `a` wins over state `b` (for code cells). */
export function outranks(a: CellStateName, b: CellStateName): boolean {
  const ia = STATE_PRECEDENCE.indexOf(a);
  const ib = STATE_PRECEDENCE.indexOf(b);
  return ia >= 0 && (ib < 0 || ia < ib);
}

/** What the frontend knows about the cells right now, beyond the report. */
export interface ILiveFacts {
  /** Source of each cell (by id) as sent with the analysed request. */
  sources: ReadonlyMap<string, string>;
  /** Source at load time of the cells that had a saved execution count. */
  baseline: ReadonlyMap<string, string>;
  /** Cells that ran (or were sent to run) in the current kernel session. */
  ran: ReadonlySet<string>;
  /** Cells whose last request the kernel aborted (never started after an error). */
  aborted: ReadonlySet<string>;
}

function normalizeSource(source: string): string {
  return source.replace(/\r\n/g, '\n').trimEnd();
}

/**
 * The live states over a report, with the contract's precedence:
 * - a cell whose run the kernel aborted after an error (no count, never started) is
 *   `unexecuted`;
 * - a cell edited since the notebook was opened and not run since is `edited` (its
 *   source at load time is the baseline).
 * Cells that change are new objects; the others (and the report, when nothing
 * changes) keep their identity.
 */
export function applyLiveFacts(report: IReport, live: ILiveFacts): IReport {
  let changed = false;
  const cells = report.cells.map(cell => {
    if (cell.cell_type !== 'code') {
      return cell;
    }
    if (live.aborted.has(cell.id) && cell.execution_count === null) {
      if (cell.state === 'unexecuted') {
        return cell;
      }
      changed = true;
      return { ...cell, state: 'unexecuted' as const, fix_by: [] };
    }
    const base = live.baseline.get(cell.id);
    const now = live.sources.get(cell.id);
    if (
      base !== undefined &&
      now !== undefined &&
      !live.ran.has(cell.id) &&
      outranks('edited', cell.state) &&
      normalizeSource(base) !== normalizeSource(now)
    ) {
      changed = true;
      return {
        ...cell,
        state: 'edited' as const,
        fix_by: cell.fix_by.length > 0 ? cell.fix_by : [cell.index]
      };
    }
    return cell;
  });
  return changed ? { ...report, cells } : report;
}

/** English ordinal of a positive integer: 1st, 2nd, 3rd, 4th, 11th, 21st. */
export function ordinal(n: number): string {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) {
    return `${n}th`;
  }
  const suffix = { 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] ?? 'th';
  return `${n}${suffix}`;
}

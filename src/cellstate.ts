/**
 * One truth per cell: the report as the server sends it, completed where an older server
 * leaves keys out (`hidden_because`, hidden edges, `score_label`), then overlaid with
 * what only the frontend knows live (edits since the notebook was opened, runs the
 * kernel aborted). The rows, the badges, the graph and the score all read the result.
 * Pure functions, no DOM.
 */
import {
  CellStateName,
  ICellReport,
  IDependency,
  IFinding,
  IHiddenReason,
  IReport,
  ScoreLabel,
  STATE_PRECEDENCE
} from './tokens';

/** Rules whose findings mean a cell relies on state no cell above provides. */
export const HIDDEN_STATE_RULES = new Set([
  'use-before-definition',
  'undefined-name'
]);

/** Rules whose (error) findings mean Restart & Run All fails. */
export const BREAKING_RULES = new Set([
  'syntax-error',
  'use-before-definition',
  'undefined-name'
]);

/** A cell of the report as it arrives: older servers omit `hidden_because`. */
export type WireCell = Omit<ICellReport, 'hidden_because'> & {
  hidden_because?: IHiddenReason[];
};

/** The report as it arrives from the server. */
export type WireReport = Omit<IReport, 'score_label' | 'cells'> & {
  score_label?: ScoreLabel;
  cells: WireCell[];
};

/** The words for a score: the band, or "breaks on re-run" (see docs/rules.md). */
export function deriveScoreLabel(
  score: number,
  findings: readonly IFinding[]
): ScoreLabel {
  if (
    findings.some(f => f.severity === 'error' && BREAKING_RULES.has(f.rule))
  ) {
    return 'breaks on re-run';
  }
  if (score >= 80) {
    return 'good';
  }
  return score >= 50 ? 'fair' : 'poor';
}

/** Whether state `a` wins over state `b` (for code cells). */
export function outranks(a: CellStateName, b: CellStateName): boolean {
  const ia = STATE_PRECEDENCE.indexOf(a);
  const ib = STATE_PRECEDENCE.indexOf(b);
  return ia >= 0 && (ib < 0 || ia < ib);
}

/**
 * Why a cell relies on hidden state, from the report's own facts (for a server that
 * does not send `hidden_because`): each name it uses or mutates that no earlier cell
 * provides is defined below (the first cell below that defines it) or nowhere.
 */
export function deriveHiddenReasons(
  cell: WireCell,
  cells: readonly WireCell[]
): IHiddenReason[] {
  const provided = new Set<string>();
  cell.depends_on.forEach(d => {
    if (!d.hidden) {
      d.names.forEach(n => provided.add(n));
    }
  });
  const own = new Set(cell.defines);
  const names = [...new Set([...cell.uses, ...cell.mutates])]
    .filter(n => !provided.has(n) && !own.has(n))
    .sort();
  return names.map(name => {
    const below = cells.find(
      c =>
        c.index > cell.index &&
        c.cell_type === 'code' &&
        c.defines.includes(name)
    );
    return below
      ? { name, cell: below.index, why: 'below' as const }
      : { name, cell: null, why: 'nowhere' as const };
  });
}

/** `depends_on` with a hidden edge for every reason that names a cell below. */
function withHiddenEdges(
  deps: readonly IDependency[],
  reasons: readonly IHiddenReason[]
): IDependency[] {
  const out = deps.map(d => ({ ...d, names: [...d.names] }));
  for (const r of reasons) {
    if (r.cell === null || r.why !== 'below') {
      continue;
    }
    const edge = out.find(d => d.cell === r.cell && d.hidden);
    if (edge) {
      if (!edge.names.includes(r.name)) {
        edge.names.push(r.name);
        edge.names.sort();
      }
    } else {
      out.push({ cell: r.cell, names: [r.name], hidden: true });
    }
  }
  return out;
}

/**
 * The report with every key of the contract present. A server that sends
 * `hidden_because` is taken as it is; for one that does not, a code cell carrying a
 * hidden-state error finding gets the `hidden` state (unless a stronger state holds),
 * its reasons and its hidden edges, so that no cell with such a finding shows as fresh.
 */
export function normalizeReport(wire: WireReport): IReport {
  const modern = wire.cells.some(c => c.hidden_because !== undefined);
  const hiddenCells = new Set<number>();
  if (!modern) {
    for (const f of wire.findings) {
      if (
        f.cell !== null &&
        f.severity === 'error' &&
        HIDDEN_STATE_RULES.has(f.rule)
      ) {
        hiddenCells.add(f.cell);
      }
    }
  }
  const cells: ICellReport[] = wire.cells.map(cell => {
    if (modern || cell.cell_type !== 'code') {
      return { ...cell, hidden_because: cell.hidden_because ?? [] };
    }
    if (!hiddenCells.has(cell.index)) {
      return { ...cell, hidden_because: [] };
    }
    const reasons = deriveHiddenReasons(cell, wire.cells);
    const state = outranks('hidden', cell.state) ? 'hidden' : cell.state;
    return {
      ...cell,
      state,
      hidden_because: reasons,
      depends_on: withHiddenEdges(cell.depends_on, reasons)
    };
  });
  return {
    ...wire,
    cells,
    score_label: wire.score_label ?? deriveScoreLabel(wire.score, wire.findings)
  };
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

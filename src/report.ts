/**
 * Pure helpers over a report: keeping unchanged parts of a new report identical to
 * the previous one (so memoized rows do not re-render), and the badges of a cell.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { ICellReport, IFinding, IReport } from './tokens';

/** Rules whose findings mean a cell relies on state no cell above provides. */
export const HIDDEN_STATE_RULES = new Set([
  'use-before-definition',
  'undefined-name'
]);

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * `next` with every cell (and the findings list) that equals its counterpart in `prev`
 * replaced by that counterpart, so consumers can compare by identity.
 */
export function reconcileReport(prev: IReport | null, next: IReport): IReport {
  if (!prev) {
    return next;
  }
  const before = new Map(prev.cells.map(c => [c.id, c]));
  const cells = next.cells.map(cell => {
    const old = before.get(cell.id);
    return old && same(old, cell) ? old : cell;
  });
  const findings = same(prev.findings, next.findings)
    ? prev.findings
    : next.findings;
  const breakdown = same(prev.score_breakdown, next.score_breakdown)
    ? prev.score_breakdown
    : next.score_breakdown;
  return { ...next, cells, findings, score_breakdown: breakdown };
}

export type BadgeKind = 'stale' | 'edited' | 'errored' | 'hidden-state';

export interface IBadge {
  kind: BadgeKind;
  label: string;
  title: string;
}

/** Findings per cell index. */
export function findingsByCell(
  findings: readonly IFinding[]
): Map<number, IFinding[]> {
  const byCell = new Map<number, IFinding[]>();
  for (const f of findings) {
    if (f.cell !== null) {
      const list = byCell.get(f.cell) ?? [];
      list.push(f);
      byCell.set(f.cell, list);
    }
  }
  return byCell;
}

/** The reasons a stale cell is stale, in words (1-based cell numbers). */
export function staleText(cell: ICellReport, trans: TranslationBundle): string {
  return cell.stale_because
    .map(r => trans.__('`%1` changed by cell %2', r.name, r.cell + 1))
    .join('; ');
}

/** The badges a cell carries in the notebook: its state and hidden-state findings. */
export function cellBadges(
  cell: ICellReport,
  findings: readonly IFinding[],
  trans: TranslationBundle
): IBadge[] {
  const badges: IBadge[] = [];
  if (cell.state === 'stale') {
    const why = staleText(cell, trans);
    const fix = cell.fix_by.length
      ? ' ' +
        trans.__(
          'Re-run cells %1 to fix.',
          cell.fix_by.map(i => i + 1).join(' → ')
        )
      : '';
    badges.push({
      kind: 'stale',
      label: trans.__('stale'),
      title:
        trans.__('Stale: its output was computed from old values.') +
        (why ? ` ${why}.` : '') +
        fix
    });
  } else if (cell.state === 'edited') {
    badges.push({
      kind: 'edited',
      label: trans.__('edited'),
      title: trans.__(
        'Edited since it last ran: its output is not from this source.'
      )
    });
  } else if (cell.state === 'errored') {
    badges.push({
      kind: 'errored',
      label: trans.__('error'),
      title: trans.__('Its last run raised an error.')
    });
  }
  const hidden = findings.filter(f => HIDDEN_STATE_RULES.has(f.rule));
  if (hidden.length > 0) {
    badges.push({
      kind: 'hidden-state',
      label: trans.__('hidden'),
      title: hidden.map(f => f.message).join('\n')
    });
  }
  return badges;
}

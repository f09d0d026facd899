/**
 * Pure helpers over a report: keeping unchanged parts of a new report identical to
 * the previous one (so memoized rows do not re-render), and the badges of a cell.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { ICellReport, IFinding, IHiddenReason, IReport } from './tokens';

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

export type BadgeKind = 'stale' | 'edited' | 'errored' | 'hidden';

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

/** Why a cell relies on hidden state, in words (1-based cell numbers). */
export function hiddenReasonText(
  reason: IHiddenReason,
  trans: TranslationBundle
): string {
  switch (reason.why) {
    case 'below':
      return reason.cell === null
        ? trans.__('uses `%1`, defined only in a cell below', reason.name)
        : trans.__(
            'uses `%1` from cell %2 below',
            reason.name,
            reason.cell + 1
          );
    case 'via':
      return reason.cell === null
        ? trans.__('uses `%1` from a hidden cell', reason.name)
        : trans.__(
            'uses `%1` from cell %2, which is hidden',
            reason.name,
            reason.cell + 1
          );
    case 'deleted':
      return trans.__('uses `%1` from a deleted cell', reason.name);
    case 'edited':
      return reason.cell === null
        ? trans.__('uses `%1` as a cell defined it before an edit', reason.name)
        : trans.__(
            'uses `%1` as cell %2 defined it before an edit',
            reason.name,
            reason.cell + 1
          );
    default:
      return trans.__('uses `%1`, which no cell defines', reason.name);
  }
}

/** All the reasons of a hidden cell, in words. */
export function hiddenText(
  cell: ICellReport,
  trans: TranslationBundle
): string {
  return cell.hidden_because.map(r => hiddenReasonText(r, trans)).join('; ');
}

/**
 * The badges a cell carries in the notebook: one for its state (the same state as its
 * row in the panel), with the reason in the tooltip.
 */
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
  } else if (cell.state === 'hidden') {
    const why =
      hiddenText(cell, trans) ||
      findings
        .filter(f => f.severity === 'error')
        .map(f => f.message)
        .join(' ');
    badges.push({
      kind: 'hidden',
      label: trans.__('hidden'),
      title:
        trans.__(
          'Hidden state: its output relies on a value no cell above provides.'
        ) + (why ? ` ${why}.` : '')
    });
  }
  return badges;
}

/**
 * Words for verify results: verdict labels, the cause in plain words and the order
 * issues, with 1-based cell numbers (JSON indices stay 0-based).
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { ICellVerdict, IOrderIssue, IVerifyStatus } from './tokens';

/** Verdicts that make a notebook not reproducible. */
export const BAD_VERDICTS = new Set([
  'changed',
  'nondeterministic',
  'new-error',
  'error-fixed',
  'timeout',
  'kernel-died'
]);

/** Verdicts not worth a row of their own. */
export const QUIET_VERDICTS = new Set(['same', 'skipped']);

export function verdictLabel(
  verdict: string,
  trans: TranslationBundle
): string {
  const labels: Record<string, string> = {
    same: trans.__('same'),
    soft: trans.__('same (minor differences)'),
    changed: trans.__('changed output'),
    nondeterministic: trans.__('differs between runs'),
    'new-error': trans.__('new error'),
    'error-fixed': trans.__('saved error gone'),
    timeout: trans.__('timed out'),
    'kernel-died': trans.__('kernel died'),
    unrun: trans.__('no saved output'),
    skipped: trans.__('skipped')
  };
  return labels[verdict] ?? verdict;
}

/** One order issue in words: which cell must run before which. */
export function orderIssueText(
  issue: IOrderIssue,
  trans: TranslationBundle
): string {
  if (issue.name) {
    return trans.__(
      'cell %1 uses `%2`, which is defined further down, in cell %3 (that cell ran first: [%4] before [%5])',
      issue.cell + 1,
      issue.name,
      issue.defined_in + 1,
      issue.counts[1],
      issue.counts[0]
    );
  }
  return trans.__(
    'cell %1 ran before cell %2 above it ([%3] before [%4])',
    issue.defined_in + 1,
    issue.cell + 1,
    issue.counts[1],
    issue.counts[0]
  );
}

function firstBad(cells: readonly ICellVerdict[]): ICellVerdict | undefined {
  return [...cells]
    .sort((a, b) => a.index - b.index)
    .find(c => BAD_VERDICTS.has(c.verdict));
}

function errorText(cell: ICellVerdict): string {
  return cell.error ? ` (${cell.error.ename}: ${cell.error.evalue})` : '';
}

/** The cause of a finished run in plain words. */
export function causeText(
  status: IVerifyStatus,
  trans: TranslationBundle
): string {
  const result = status.result;
  if (!result) {
    return '';
  }
  if (result.reproducible || result.cause === null) {
    return trans.__(
      'A fresh top-to-bottom run gives the saved outputs: the notebook reproduces.'
    );
  }
  const bad = firstBad(result.cells);
  const cell = bad ? bad.index + 1 : 0;
  switch (result.cause) {
    case 'execution-order':
      return trans.__(
        'Restart & Run All fails, but running the cells in their saved execution order gives the saved outputs: the cells were run out of order.'
      );
    case 'nondeterminism':
      return trans.__(
        'Cell %1 gives different output on every fresh run (unseeded randomness, time, or ordering?).',
        cell
      );
    case 'changed-output':
      if (bad?.verdict === 'error-fixed') {
        return trans.__(
          'Cell %1 no longer raises its saved error: its saved output is stale.',
          cell
        );
      }
      return trans.__(
        'Cell %1 gives different output in a fresh kernel than the saved one.',
        cell
      );
    case 'error':
      if (bad?.verdict === 'timeout') {
        return trans.__(
          'Cell %1 did not finish within the timeout in a fresh kernel.',
          cell
        );
      }
      if (bad?.verdict === 'kernel-died') {
        return trans.__('Cell %1 crashed the kernel in a fresh run.', cell);
      }
      return (
        trans.__('Cell %1 raises an error in a fresh kernel', cell) +
        errorText(bad ?? { index: 0, verdict: '' }) +
        '.'
      );
    default:
      return result.summary ?? String(result.cause);
  }
}

/** The lines of a unified diff with their kind, for colouring. */
export function diffLines(
  diff: string
): Array<{ kind: 'add' | 'del' | 'hunk' | 'context'; text: string }> {
  return diff.split('\n').map(text => {
    if (text.startsWith('@@')) {
      return { kind: 'hunk', text };
    }
    if (text.startsWith('+++') || text.startsWith('---')) {
      return { kind: 'hunk', text };
    }
    if (text.startsWith('+')) {
      return { kind: 'add', text };
    }
    if (text.startsWith('-')) {
      return { kind: 'del', text };
    }
    return { kind: 'context', text };
  });
}

/** A data: URL for an image output as saved (base64, or SVG text). */
export function imageSrc(mime: string, data: string): string {
  if (mime === 'image/svg+xml') {
    return `data:image/svg+xml,${encodeURIComponent(data)}`;
  }
  return `data:${mime};base64,${data.replace(/\s+/g, '')}`;
}

import { nullTranslator } from '@jupyterlab/translation';

import { cellBadges, reconcileReport } from '../report';
import { analysisSettings } from '../settings';
import { ICellReport, IReport, IVerifyStatus } from '../tokens';
import {
  causeText,
  diffLines,
  imageSrc,
  orderIssueText,
  verdictLabel
} from '../verdicts';

const trans = nullTranslator.load('jupyterlab_nbhygiene');

function status(
  result: Partial<NonNullable<IVerifyStatus['result']>>
): IVerifyStatus {
  return {
    id: 'r',
    state: 'done',
    progress: { done: 6, total: 6 },
    cells: [],
    result: { reproducible: false, cause: null, cells: [], ...result }
  };
}

describe('causeText', () => {
  it('names the first failing cell, 1-based, with its error', () => {
    const text = causeText(
      status({
        cause: 'error',
        cells: [
          { index: 5, verdict: 'new-error' },
          {
            index: 3,
            verdict: 'new-error',
            error: {
              ename: 'NameError',
              evalue: "name 'tax_rate' is not defined"
            }
          }
        ]
      }),
      trans
    );
    expect(text).toBe(
      "Cell 4 raises an error in a fresh kernel (NameError: name 'tax_rate' is not defined)."
    );
  });

  it('explains execution order, nondeterminism, changed output and timeouts', () => {
    expect(causeText(status({ cause: 'execution-order' }), trans)).toContain(
      'run out of order'
    );
    expect(
      causeText(
        status({
          cause: 'nondeterminism',
          cells: [{ index: 0, verdict: 'nondeterministic' }]
        }),
        trans
      )
    ).toContain('Cell 1 gives different output on every fresh run');
    expect(
      causeText(
        status({
          cause: 'changed-output',
          cells: [{ index: 2, verdict: 'error-fixed' }]
        }),
        trans
      )
    ).toContain('Cell 3 no longer raises');
    expect(
      causeText(
        status({ cause: 'error', cells: [{ index: 1, verdict: 'timeout' }] }),
        trans
      )
    ).toContain('Cell 2 did not finish');
  });

  it('says when the notebook reproduces, and falls back to the summary', () => {
    expect(causeText(status({ reproducible: true }), trans)).toContain(
      'reproduces'
    );
    expect(
      causeText(status({ cause: 'something-new', summary: 'Because.' }), trans)
    ).toBe('Because.');
    expect(causeText({ ...status({}), result: null }, trans)).toBe('');
  });
});

describe('verify words', () => {
  it('turns order issues into 1-based sentences', () => {
    expect(
      orderIssueText(
        {
          cell: 3,
          name: 'tax_rate',
          defined_in: 5,
          counts: [5, 4],
          message: ''
        },
        trans
      )
    ).toBe(
      'cell 4 uses `tax_rate`, which is defined further down, in cell 6 (that cell ran first: [4] before [5])'
    );
    expect(
      orderIssueText(
        { cell: 0, name: null, defined_in: 2, counts: [3, 1], message: '' },
        trans
      )
    ).toBe('cell 3 ran before cell 1 above it ([1] before [3])');
  });

  it('labels verdicts and classifies diff lines', () => {
    expect(verdictLabel('new-error', trans)).toBe('new error');
    expect(verdictLabel('brand-new', trans)).toBe('brand-new');
    expect(
      diffLines('--- saved\n+++ fresh\n@@ -1 +1 @@\n-a\n+b\n c').map(
        l => l.kind
      )
    ).toEqual(['hunk', 'hunk', 'hunk', 'del', 'add', 'context']);
  });

  it('builds image URLs for base64 and SVG', () => {
    expect(imageSrc('image/png', 'iVBO\nRw==')).toBe(
      'data:image/png;base64,iVBORw=='
    );
    expect(imageSrc('image/svg+xml', '<svg/>')).toBe(
      'data:image/svg+xml,%3Csvg%2F%3E'
    );
  });
});

function cell(index: number, extra: Partial<ICellReport> = {}): ICellReport {
  return {
    index,
    id: `c${index}`,
    cell_type: 'code',
    execution_count: 1,
    defines: [],
    uses: [],
    mutates: [],
    deletes: [],
    imports: [],
    depends_on: [],
    state: 'fresh',
    stale_because: [],
    hidden_because: [],
    fix_by: [],
    ...extra
  };
}

function report(cells: ICellReport[]): IReport {
  return {
    path: 'a.ipynb',
    language: 'python',
    score: 90,
    score_label: 'good',
    score_breakdown: { reproducibility: -10 },
    cells,
    findings: []
  };
}

describe('reconcileReport', () => {
  it('keeps unchanged cells identical so rows are not re-rendered', () => {
    const prev = report([cell(0), cell(1)]);
    const next = report([cell(0), cell(1, { state: 'stale' })]);
    const merged = reconcileReport(prev, next);
    expect(merged.cells[0]).toBe(prev.cells[0]);
    expect(merged.cells[1]).toBe(next.cells[1]);
    expect(merged.findings).toBe(prev.findings);
    expect(merged.score_breakdown).toBe(prev.score_breakdown);
    expect(reconcileReport(null, next)).toBe(next);
  });
});

describe('cellBadges', () => {
  it('explains a stale cell and its fix, 1-based', () => {
    const badges = cellBadges(
      cell(1, {
        state: 'stale',
        stale_because: [{ name: 'x', cell: 0 }],
        fix_by: [0, 1]
      }),
      [],
      trans
    );
    expect(badges).toHaveLength(1);
    expect(badges[0].kind).toBe('stale');
    expect(badges[0].title).toContain('`x` changed by cell 1');
    expect(badges[0].title).toContain('Re-run cells 1 → 2 to fix.');
  });

  it('gives a hidden cell one badge with its reason, as its row', () => {
    const badges = cellBadges(
      cell(3, {
        state: 'hidden',
        hidden_because: [{ name: 'tax_rate', cell: 5, why: 'below' }]
      }),
      [],
      trans
    );
    expect(badges.map(b => b.kind)).toEqual(['hidden']);
    expect(badges[0].label).toBe('hidden');
    expect(badges[0].title).toContain('uses `tax_rate` from cell 6 below');
    // The state decides, not the findings: an edited cell shows as edited only.
    expect(
      cellBadges(
        cell(3, { state: 'edited' }),
        [
          {
            rule: 'use-before-definition',
            severity: 'error',
            cell: 3,
            line: 1,
            message: '`tax_rate` is used here but only defined later'
          }
        ],
        trans
      ).map(b => b.kind)
    ).toEqual(['edited']);
    expect(cellBadges(cell(0), [], trans)).toEqual([]);
  });
});

describe('analysisSettings', () => {
  it('drops an empty select and nulls', () => {
    expect(
      analysisSettings({
        select: [],
        ignore: ['long-cell'],
        'long-cell-lines': null
      })
    ).toEqual({ ignore: ['long-cell'] });
  });
});

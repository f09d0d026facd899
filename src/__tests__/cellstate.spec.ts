import {
  applyLiveFacts,
  deriveScoreLabel,
  ILiveFacts,
  normalizeReport,
  ordinal,
  outranks,
  WireCell,
  WireReport
} from '../cellstate';
import { IFinding } from '../tokens';

function wireCell(index: number, extra: Partial<WireCell> = {}): WireCell {
  return {
    index,
    id: `c${index}`,
    cell_type: 'code',
    execution_count: index + 1,
    defines: [],
    uses: [],
    mutates: [],
    deletes: [],
    imports: [],
    depends_on: [],
    state: 'fresh',
    stale_because: [],
    fix_by: [],
    ...extra
  };
}

function finding(cell: number, rule: string, severity = 'error'): IFinding {
  return {
    rule,
    severity: severity as IFinding['severity'],
    cell,
    line: 1,
    message: `${rule} in cell ${cell + 1}`
  };
}

/** The shipped demo (hidden_state.ipynb) as a server without `hidden_because` sends it. */
function demo(): WireReport {
  return {
    path: 'hidden_state.ipynb',
    language: 'python',
    score: 64,
    score_breakdown: {},
    cells: [
      { ...wireCell(0), cell_type: 'markdown', state: 'markdown' },
      wireCell(1, { defines: ['statistics'], imports: ['statistics'] }),
      wireCell(2, { defines: ['prices'] }),
      wireCell(3, {
        execution_count: 5,
        defines: ['total'],
        uses: ['prices', 'tax_rate'],
        depends_on: [{ cell: 2, names: ['prices'] }]
      }),
      wireCell(4, {
        mutates: ['prices'],
        depends_on: [{ cell: 2, names: ['prices'] }]
      }),
      wireCell(5, { defines: ['tax_rate'] }),
      wireCell(6, {
        uses: ['prices', 'statistics'],
        depends_on: [
          { cell: 1, names: ['statistics'] },
          { cell: 4, names: ['prices'] }
        ]
      })
    ],
    findings: [
      finding(3, 'use-before-definition'),
      finding(4, 'cross-cell-mutation', 'warning')
    ]
  };
}

const noLive: ILiveFacts = {
  sources: new Map(),
  baseline: new Map(),
  ran: new Set(),
  aborted: new Set()
};

describe('normalizeReport', () => {
  it('makes the demo cell that uses tax_rate before its definition hidden, with its reason and a hidden edge', () => {
    const report = normalizeReport(demo());
    const cell = report.cells[3];
    expect(cell.state).toBe('hidden');
    expect(cell.hidden_because).toEqual([
      { name: 'tax_rate', cell: 5, why: 'below' }
    ]);
    expect(cell.depends_on).toEqual([
      { cell: 2, names: ['prices'] },
      { cell: 5, names: ['tax_rate'], hidden: true }
    ]);
    expect(report.cells[6].hidden_because).toEqual([]);
    expect(report.cells[0].hidden_because).toEqual([]);
    expect(report.score_label).toBe('breaks on re-run');
  });

  it('says "nowhere" for a name no cell defines', () => {
    const wire = demo();
    wire.cells[5] = wireCell(5, { defines: ['rate'] });
    const report = normalizeReport(wire);
    expect(report.cells[3].hidden_because).toEqual([
      { name: 'tax_rate', cell: null, why: 'nowhere' }
    ]);
    expect(report.cells[3].depends_on.some(d => d.hidden)).toBe(false);
  });

  it('never shows a cell with a hidden-state error finding as fresh, but keeps stronger states', () => {
    for (const state of ['fresh', 'stale'] as const) {
      const wire = demo();
      wire.cells[3].state = state;
      expect(normalizeReport(wire).cells[3].state).toBe('hidden');
    }
    for (const state of ['unexecuted', 'edited', 'errored'] as const) {
      const wire = demo();
      wire.cells[3].state = state;
      expect(normalizeReport(wire).cells[3].state).toBe(state);
    }
  });

  it('takes a server that sends hidden_because and score_label as it is', () => {
    const wire = demo();
    wire.cells = wire.cells.map(c => ({ ...c, hidden_because: [] }));
    wire.cells[3].state = 'hidden';
    wire.cells[3].hidden_because = [
      { name: 'tax_rate', cell: 5, why: 'below' }
    ];
    wire.cells[3].depends_on = [
      { cell: 2, names: ['prices'] },
      { cell: 5, names: ['tax_rate'], hidden: true }
    ];
    wire.score_label = 'breaks on re-run';
    wire.score = 49;
    const report = normalizeReport(wire);
    expect(report.cells[3]).toEqual(wire.cells[3]);
    expect(report.score_label).toBe('breaks on re-run');
  });
});

describe('deriveScoreLabel', () => {
  it('bands the score unless Restart & Run All breaks', () => {
    expect(deriveScoreLabel(80, [])).toBe('good');
    expect(deriveScoreLabel(79, [])).toBe('fair');
    expect(deriveScoreLabel(50, [])).toBe('fair');
    expect(deriveScoreLabel(49, [])).toBe('poor');
    expect(deriveScoreLabel(95, [finding(1, 'undefined-name')])).toBe(
      'breaks on re-run'
    );
    expect(deriveScoreLabel(64, [finding(1, 'syntax-error')])).toBe(
      'breaks on re-run'
    );
    expect(
      deriveScoreLabel(95, [finding(1, 'undefined-name', 'warning')])
    ).toBe('good');
  });
});

describe('applyLiveFacts', () => {
  it('marks a keystroke in a cell of a notebook just opened as edited (load-time baseline)', () => {
    const report = normalizeReport({ ...demo(), findings: [] });
    const live: ILiveFacts = {
      ...noLive,
      sources: new Map([
        ['c1', 'import statistics'],
        ['c2', 'prices = [3.5, 4.0, 5.25]x']
      ]),
      baseline: new Map([
        ['c1', 'import statistics\n'],
        ['c2', 'prices = [3.5, 4.0, 5.25]']
      ])
    };
    const out = applyLiveFacts(report, live);
    expect(out.cells[1]).toBe(report.cells[1]); // trailing newline: not an edit
    expect(out.cells[2].state).toBe('edited');
    expect(out.cells[2].fix_by).toEqual([2]);
    // Once the cell ran in this kernel, the server's state (from the history) holds.
    const ran = applyLiveFacts(report, { ...live, ran: new Set(['c2']) });
    expect(ran).toBe(report);
  });

  it('marks cells the kernel aborted after an error as unexecuted', () => {
    const wire = demo();
    wire.cells[4] = wireCell(4, { execution_count: null, state: 'errored' });
    wire.cells[5] = wireCell(5, { execution_count: null, state: 'fresh' });
    const report = normalizeReport({ ...wire, findings: [] });
    const out = applyLiveFacts(report, {
      ...noLive,
      aborted: new Set(['c4', 'c5', 'c6'])
    });
    expect(out.cells.map(c => c.state)).toEqual([
      'markdown',
      'fresh',
      'fresh',
      'fresh',
      'unexecuted',
      'unexecuted',
      'fresh' // c6 has a count: it ran after the aborted run
    ]);
  });

  it('keeps the report identical when nothing live applies', () => {
    const report = normalizeReport(demo());
    expect(applyLiveFacts(report, noLive)).toBe(report);
  });
});

describe('precedence and wording', () => {
  it('orders states as the contract says', () => {
    expect(outranks('unexecuted', 'edited')).toBe(true);
    expect(outranks('edited', 'errored')).toBe(true);
    expect(outranks('errored', 'hidden')).toBe(true);
    expect(outranks('hidden', 'stale')).toBe(true);
    expect(outranks('stale', 'fresh')).toBe(true);
    expect(outranks('fresh', 'hidden')).toBe(false);
  });

  it('spells out execution counts', () => {
    expect(ordinal(1)).toBe('1st');
    expect(ordinal(2)).toBe('2nd');
    expect(ordinal(3)).toBe('3rd');
    expect(ordinal(4)).toBe('4th');
    expect(ordinal(11)).toBe('11th');
    expect(ordinal(22)).toBe('22nd');
  });
});

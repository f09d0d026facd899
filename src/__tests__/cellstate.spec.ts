import { applyLiveFacts, ILiveFacts, ordinal, outranks } from '../cellstate';
import { ICellReport, IFinding, IReport } from '../tokens';

function wireCell(
  index: number,
  extra: Partial<ICellReport> = {}
): ICellReport {
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
    hidden_because: [],
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

/** The shipped demo (hidden_state.ipynb) as the server reports it. */
function demo(): IReport {
  return {
    path: 'hidden_state.ipynb',
    language: 'python',
    score: 49,
    score_label: 'breaks on re-run',
    score_breakdown: {},
    cells: [
      { ...wireCell(0), cell_type: 'markdown', state: 'markdown' },
      wireCell(1, { defines: ['statistics'], imports: ['statistics'] }),
      wireCell(2, { defines: ['prices'] }),
      wireCell(3, {
        execution_count: 5,
        defines: ['total'],
        uses: ['prices', 'tax_rate'],
        state: 'hidden',
        hidden_because: [{ name: 'tax_rate', cell: 5, why: 'below' }],
        depends_on: [
          { cell: 2, names: ['prices'] },
          { cell: 5, names: ['tax_rate'], hidden: true }
        ]
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

describe('applyLiveFacts', () => {
  it('marks a keystroke in a cell of a notebook just opened as edited (load-time baseline)', () => {
    const report = demo();
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
    const report = wire;
    const out = applyLiveFacts(report, {
      ...noLive,
      aborted: new Set(['c4', 'c5', 'c6'])
    });
    expect(out.cells.map(c => c.state)).toEqual([
      'markdown',
      'fresh',
      'fresh',
      'hidden',
      'unexecuted',
      'unexecuted',
      'fresh' // c6 has a count: it ran after the aborted run
    ]);
  });

  it('shows what the server says: no state, reason, edge or label of its own', () => {
    const wire = demo();
    // A finding the server did not turn into a hidden state stays a finding.
    wire.findings = [finding(6, 'undefined-name')];
    wire.score = 95;
    wire.score_label = 'good';
    const out = applyLiveFacts(wire, noLive);
    expect(out).toBe(wire);
    expect(out.cells[6].state).toBe('fresh');
    expect(out.cells[6].hidden_because).toEqual([]);
    expect(out.cells[6].depends_on.some(d => d.hidden)).toBe(false);
    expect(out.score_label).toBe('good');
    expect(out.cells[3].hidden_because).toEqual([
      { name: 'tax_rate', cell: 5, why: 'below' }
    ]);
  });

  it('keeps the report identical when nothing live applies', () => {
    const report = demo();
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

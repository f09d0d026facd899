import {
  edgeInRows,
  edgePath,
  layoutGraph,
  relatives,
  visibleRows
} from '../graph';
import { ICellReport } from '../tokens';

function cell(
  index: number,
  deps: Array<[number, string[]]> = [],
  extra: Partial<ICellReport> = {}
): ICellReport {
  return {
    index,
    id: `c${index}`,
    cell_type: 'code',
    execution_count: null,
    defines: [],
    uses: [],
    mutates: [],
    deletes: [],
    imports: [],
    depends_on: deps.map(([c, names]) => ({ cell: c, names })),
    state: 'fresh',
    stale_because: [],
    hidden_because: [],
    fix_by: [],
    ...extra
  };
}

describe('layoutGraph', () => {
  it('makes a node per code cell and skips markdown', () => {
    const md = {
      ...cell(0),
      cell_type: 'markdown' as const,
      state: 'markdown' as const
    };
    const layout = layoutGraph([md, cell(1), cell(2, [[1, ['x']]])]);
    expect(layout.nodes.map(n => [n.index, n.row])).toEqual([
      [1, 0],
      [2, 1]
    ]);
    expect(layout.edges).toEqual([
      {
        from: 1,
        to: 2,
        names: ['x'],
        hidden: false,
        top: 0,
        bottom: 1,
        lane: 0
      }
    ]);
  });

  it('puts overlapping arcs in different lanes, short ones inside', () => {
    // 0 -> 3 spans rows 0..3 and contains 1 -> 2.
    const layout = layoutGraph([
      cell(0),
      cell(1),
      cell(2, [[1, ['a']]]),
      cell(3, [[0, ['b']]])
    ]);
    const lane = (from: number) =>
      layout.edges.find(e => e.from === from)!.lane;
    expect(lane(1)).toBe(0);
    expect(lane(0)).toBe(1);
    expect(layout.lanes).toBe(2);
  });

  it('lets arcs that only touch share a lane', () => {
    const layout = layoutGraph([
      cell(0),
      cell(1, [[0, ['a']]]),
      cell(2, [[1, ['b']]])
    ]);
    expect(layout.edges.map(e => e.lane)).toEqual([0, 0]);
  });

  it('caps the lanes of a dense notebook', () => {
    const cells = [cell(0)];
    for (let i = 1; i < 200; i++) {
      cells.push(
        cell(i, [
          [0, ['x']],
          ...(i > 1 ? [[i - 1, ['y']] as [number, string[]]] : [])
        ])
      );
    }
    const layout = layoutGraph(cells, 6);
    expect(layout.lanes).toBeLessThanOrEqual(6);
    expect(layout.edges.length).toBe(199 + 198);
  });
});

describe('hidden edges', () => {
  it('draws an edge from the later defining cell to the user, marked hidden', () => {
    const user = cell(1, [[0, ['x']]], { uses: ['x', 'rate'] });
    user.depends_on.push({ cell: 3, names: ['rate'], hidden: true });
    const layout = layoutGraph([cell(0), user, cell(2), cell(3)]);
    const hidden = layout.edges.filter(e => e.hidden);
    expect(hidden).toEqual([
      expect.objectContaining({
        from: 3,
        to: 1,
        names: ['rate'],
        top: 1,
        bottom: 3
      })
    ]);
    expect(layout.nodes[1].uses).toEqual(['x', 'rate']);
    // Outside the normal arcs, so that its label crosses none of them.
    const normal = layout.edges.filter(e => !e.hidden);
    expect(hidden[0].lane).toBeGreaterThan(
      Math.max(...normal.map(e => e.lane))
    );
    expect(layout.lanes).toBe(hidden[0].lane + 1);
    expect(
      relatives(
        layout.nodes.map((_, i) => [cell(0), user, cell(2), cell(3)][i]),
        1
      ).upstream
    ).toEqual(new Set([0, 3]));
  });
});

describe('visibleRows', () => {
  it('adds overscan and clamps to the rows there are', () => {
    expect(visibleRows(0, 100, 20, 500, 2)).toEqual([0, 7]);
    expect(visibleRows(2000, 100, 20, 500, 2)).toEqual([98, 107]);
    expect(visibleRows(10000, 100, 20, 500, 2)).toEqual([498, 499]);
    expect(visibleRows(0, 100, 20, 0)).toEqual([0, -1]);
  });

  it('keeps the arcs that cross the window', () => {
    const edge = {
      from: 0,
      to: 9,
      names: [],
      hidden: false,
      top: 0,
      bottom: 9,
      lane: 0
    };
    expect(edgeInRows(edge, 3, 5)).toBe(true);
    expect(edgeInRows(edge, 10, 20)).toBe(false);
  });
});

describe('edgePath', () => {
  it('bulges left of the nodes by the lane', () => {
    const edge = {
      from: 0,
      to: 2,
      names: [],
      hidden: false,
      top: 0,
      bottom: 2,
      lane: 1
    };
    expect(edgePath(edge, { rowHeight: 20, laneWidth: 6, nodeX: 30 })).toBe(
      'M 30 10 C 14 10, 14 50, 30 50'
    );
  });
});

describe('relatives', () => {
  const cells = [
    cell(0),
    cell(1, [[0, ['a']]]),
    cell(2, [[1, ['b']]]),
    cell(3)
  ];
  it('walks depends_on both ways', () => {
    const { upstream, downstream } = relatives(cells, 1);
    expect([...upstream]).toEqual([0]);
    expect([...downstream]).toEqual([2]);
    expect([...relatives(cells, 2).upstream].sort()).toEqual([0, 1]);
  });

  it('prefers the report upstream/downstream', () => {
    const withLists = cells.map(c => ({ ...c, upstream: [9], downstream: [] }));
    expect([...relatives(withLists, 1).upstream]).toEqual([9]);
  });

  it('is empty without a selected code cell', () => {
    expect(relatives(cells, null).upstream.size).toBe(0);
    expect(relatives(cells, 42).downstream.size).toBe(0);
  });
});

/**
 * Layout of the dependency graph (pure functions, no DOM): cells are rows of a vertical
 * list, each dependency an arc on the left in a "lane", so that arcs that overlap
 * vertically do not share a lane. The view draws only the rows in sight.
 */
import { CellStateName, ICellReport } from './tokens';

export interface IGraphNode {
  /** The cell's index in the notebook (0-based). */
  index: number;
  /** The node's row in the graph (code cells only, in notebook order). */
  row: number;
  state: CellStateName;
  defines: string[];
  mutates: string[];
  uses: string[];
}

export interface IGraphEdge {
  /** The defining (upstream) cell. */
  from: number;
  /** The cell that depends on it. */
  to: number;
  names: string[];
  /** A use before the definition: the defining cell is below the user. */
  hidden: boolean;
  top: number;
  bottom: number;
  lane: number;
}

export interface IGraphLayout {
  nodes: IGraphNode[];
  edges: IGraphEdge[];
  lanes: number;
  rowOf: Map<number, number>;
}

/**
 * Nodes and edges of the code cells of a report. Edges get the lowest lane where
 * they overlap no other edge (shortest spans first, so short arcs stay close to the
 * nodes); past `maxLanes` the arcs share the outermost lane.
 */
export function layoutGraph(
  cells: readonly ICellReport[],
  maxLanes = 8
): IGraphLayout {
  const nodes: IGraphNode[] = [];
  const rowOf = new Map<number, number>();
  for (const cell of cells) {
    if (cell.cell_type !== 'code') {
      continue;
    }
    rowOf.set(cell.index, nodes.length);
    nodes.push({
      index: cell.index,
      row: nodes.length,
      state: cell.state,
      defines: cell.defines,
      mutates: cell.mutates,
      uses: cell.uses
    });
  }
  const edges: IGraphEdge[] = [];
  for (const cell of cells) {
    const to = rowOf.get(cell.index);
    if (to === undefined) {
      continue;
    }
    for (const dep of cell.depends_on) {
      const from = rowOf.get(dep.cell);
      if (from === undefined || from === to) {
        continue;
      }
      edges.push({
        from: dep.cell,
        to: cell.index,
        names: dep.names,
        hidden: dep.hidden === true,
        top: Math.min(from, to),
        bottom: Math.max(from, to),
        lane: 0
      });
    }
  }
  // Hidden edges go outside the others, so that their labels (beside the outermost
  // arcs) cross no other arc.
  const normal = packLanes(
    edges.filter(e => !e.hidden),
    0,
    maxLanes
  );
  const lanes = packLanes(
    edges.filter(e => e.hidden),
    normal,
    maxLanes + normal
  );
  return { nodes, edges, lanes, rowOf };
}

/**
 * Give each edge the lowest lane from `first` on where it overlaps no other edge
 * (shortest spans first); past `maxLanes` the arcs share the last lane. Returns the
 * number of lanes used from 0 (at least `first`).
 */
function packLanes(
  edges: IGraphEdge[],
  first: number,
  maxLanes: number
): number {
  const order = edges
    .map((_, i) => i)
    .sort(
      (a, b) =>
        edges[a].bottom - edges[a].top - (edges[b].bottom - edges[b].top) ||
        edges[a].top - edges[b].top
    );
  const occupied: Array<Array<[number, number]>> = [];
  let lanes = first;
  for (const i of order) {
    const edge = edges[i];
    let lane = first;
    while (
      lane < maxLanes - 1 &&
      (occupied[lane] ?? []).some(
        ([top, bottom]) => edge.top < bottom && top < edge.bottom
      )
    ) {
      lane++;
    }
    (occupied[lane] ??= []).push([edge.top, edge.bottom]);
    edge.lane = lane;
    lanes = Math.max(lanes, lane + 1);
  }
  return lanes;
}

/** The rows to draw for a scroll position: [first, last] inclusive, with overscan. */
export function visibleRows(
  scrollTop: number,
  viewHeight: number,
  rowHeight: number,
  count: number,
  overscan = 10
): [number, number] {
  if (count === 0) {
    return [0, -1];
  }
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(
    count - 1,
    Math.ceil((scrollTop + viewHeight) / rowHeight) + overscan
  );
  return [first, Math.max(first, last)];
}

/** Whether an edge crosses the rows [first, last]. */
export function edgeInRows(
  edge: IGraphEdge,
  first: number,
  last: number
): boolean {
  return edge.top <= last && edge.bottom >= first;
}

export interface IGeometry {
  rowHeight: number;
  laneWidth: number;
  /** x of the nodes; the lanes extend to its left. */
  nodeX: number;
}

/** The SVG path of an arc: from the node to its lane and back, as a cubic curve. */
export function edgePath(edge: IGraphEdge, g: IGeometry): string {
  const y1 = edge.top * g.rowHeight + g.rowHeight / 2;
  const y2 = edge.bottom * g.rowHeight + g.rowHeight / 2;
  // A cubic with both control points at x reaches 3/4 of the way to x.
  const reach = ((edge.lane + 1) * g.laneWidth) / 0.75;
  const x = g.nodeX - reach;
  return `M ${g.nodeX} ${y1} C ${x} ${y1}, ${x} ${y2}, ${g.nodeX} ${y2}`;
}

/**
 * Where the label of an arc goes: beside the farthest point of its curve, halfway
 * between its ends (the text runs along the arc, rotated).
 */
export function edgeLabelPoint(
  edge: IGraphEdge,
  g: IGeometry
): { x: number; y: number } {
  const y1 = edge.top * g.rowHeight + g.rowHeight / 2;
  const y2 = edge.bottom * g.rowHeight + g.rowHeight / 2;
  return { x: g.nodeX - (edge.lane + 1) * g.laneWidth, y: (y1 + y2) / 2 };
}

/** Width needed left of the nodes for `lanes` lanes. */
export function lanesWidth(lanes: number, laneWidth: number): number {
  return lanes * laneWidth + 4;
}

/**
 * The cells a cell depends on (transitively) and the cells that depend on it, from the
 * report's `upstream`/`downstream` when present, else from `depends_on`.
 */
export function relatives(
  cells: readonly ICellReport[],
  index: number | null
): { upstream: Set<number>; downstream: Set<number> } {
  const upstream = new Set<number>();
  const downstream = new Set<number>();
  const cell = index === null ? undefined : cells.find(c => c.index === index);
  if (!cell || cell.cell_type !== 'code') {
    return { upstream, downstream };
  }
  if (cell.upstream && cell.downstream) {
    cell.upstream.forEach(i => upstream.add(i));
    cell.downstream.forEach(i => downstream.add(i));
    return { upstream, downstream };
  }
  const byIndex = new Map(cells.map(c => [c.index, c]));
  const dependents = new Map<number, number[]>();
  for (const c of cells) {
    for (const d of c.depends_on) {
      const list = dependents.get(d.cell) ?? [];
      list.push(c.index);
      dependents.set(d.cell, list);
    }
  }
  const walk = (
    start: number,
    next: (i: number) => number[],
    into: Set<number>
  ) => {
    const stack = [...next(start)];
    while (stack.length > 0) {
      const i = stack.pop()!;
      if (i === start || into.has(i)) {
        continue;
      }
      into.add(i);
      stack.push(...next(i));
    }
  };
  walk(
    cell.index,
    i => (byIndex.get(i)?.depends_on ?? []).map(d => d.cell),
    upstream
  );
  walk(cell.index, i => dependents.get(i) ?? [], downstream);
  return { upstream, downstream };
}

import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import {
  edgeInRows,
  edgeLabelPoint,
  edgePath,
  IGeometry,
  IGraphEdge,
  IGraphLayout,
  IGraphNode,
  lanesWidth,
  visibleRows
} from '../graph';
import { STATE_ICONS, stateLabel } from './CellList';

/** A few names, then "…". */
function few(names: readonly string[], max = 3): string {
  return names.slice(0, max).join(', ') + (names.length > max ? ', …' : '');
}

/** What a node says beside its number: what the cell defines, changes or reads. */
export function nodeSummary(
  node: IGraphNode,
  trans: TranslationBundle
): string {
  if (node.defines.length > 0) {
    return few(node.defines);
  }
  if (node.mutates.length > 0) {
    return trans.__('changes %1', few(node.mutates));
  }
  if (node.uses.length > 0) {
    return trans.__('reads %1', few(node.uses));
  }
  return trans.__('no names');
}

const ROW = 20;
const LANE = 10;
const LABEL_GUTTER = 8;
/** Above this many code cells, only the rows in sight are drawn. */
const VIRTUAL_FROM = 80;
const VIEW_HEIGHT = 320;

function edgeRelation(
  edge: IGraphEdge,
  active: number | null,
  upstream: Set<number>,
  downstream: Set<number>
): 'upstream' | 'downstream' | '' {
  if (active === null) {
    return '';
  }
  if (
    upstream.has(edge.from) &&
    (edge.to === active || upstream.has(edge.to))
  ) {
    return 'upstream';
  }
  if (
    downstream.has(edge.to) &&
    (edge.from === active || downstream.has(edge.from))
  ) {
    return 'downstream';
  }
  return '';
}

/**
 * The dependency graph as an arc diagram: one row per code cell, one arc per
 * dependency (hover it for the variables). The selected cell's inputs and dependents
 * are highlighted; a click on a row selects its cell.
 */
export function CellGraph(props: {
  layout: IGraphLayout;
  activeIndex: number | null;
  upstream: Set<number>;
  downstream: Set<number>;
  trans: TranslationBundle;
  onSelect: (index: number) => void;
}): JSX.Element {
  const { layout, activeIndex, upstream, downstream, trans } = props;
  const [scrollTop, setScrollTop] = React.useState(0);
  const frame = React.useRef(0);
  const count = layout.nodes.length;
  const virtual = count > VIRTUAL_FROM;
  const [first, last] = virtual
    ? visibleRows(scrollTop, VIEW_HEIGHT, ROW, count)
    : [0, count - 1];
  // Room left of the outermost arcs for the labels of hidden edges.
  const gutter = layout.edges.some(e => e.hidden) ? LABEL_GUTTER : 0;
  const geometry: IGeometry = {
    rowHeight: ROW,
    laneWidth: LANE,
    nodeX: lanesWidth(layout.lanes, LANE) + 6 + gutter
  };
  // Names carried by the arcs into and out of the selected cell, shown as labels.
  const gives = new Map<number, string[]>();
  const takes = new Map<number, string[]>();
  for (const edge of layout.edges) {
    if (edge.to === activeIndex) {
      gives.set(edge.from, edge.names);
    }
    if (edge.from === activeIndex) {
      takes.set(edge.to, edge.names);
    }
  }
  const onScroll = (event: React.UIEvent<HTMLDivElement>) => {
    const top = event.currentTarget.scrollTop;
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => setScrollTop(top));
  };
  React.useEffect(() => () => cancelAnimationFrame(frame.current), []);

  if (count === 0) {
    return <p className="jp-nbhygiene-empty">{trans.__('No code cells.')}</p>;
  }
  const renderEdge = (edge: IGraphEdge): JSX.Element => {
    const relation = edgeRelation(edge, activeIndex, upstream, downstream);
    const title = edge.hidden
      ? trans.__(
          '%1: used by cell %2 before cell %3 below defines it (hidden state)',
          edge.names.join(', '),
          edge.to + 1,
          edge.from + 1
        )
      : trans.__(
          '%1: cell %2 → cell %3',
          edge.names.join(', '),
          edge.from + 1,
          edge.to + 1
        );
    const key = `${edge.from}-${edge.to}${edge.hidden ? '-hidden' : ''}`;
    if (!edge.hidden) {
      return (
        <path
          key={key}
          className="jp-nbhygiene-edge"
          data-relation={relation || undefined}
          d={edgePath(edge, geometry)}
        >
          <title>{title}</title>
        </path>
      );
    }
    const at = edgeLabelPoint(edge, geometry);
    return (
      <g key={key} className="jp-nbhygiene-edge-group">
        <path
          className="jp-nbhygiene-edge jp-nbhygiene-edge-hidden"
          data-hidden="true"
          data-from={edge.from}
          data-to={edge.to}
          data-relation={relation || undefined}
          d={edgePath(edge, geometry)}
        >
          <title>{title}</title>
        </path>
        <text
          className="jp-nbhygiene-edge-label"
          data-hidden="true"
          x={at.x - 6}
          y={at.y}
          textAnchor="middle"
          transform={`rotate(-90 ${at.x - 6} ${at.y})`}
        >
          {edge.names.join(', ')}
        </text>
      </g>
    );
  };
  const nodes = layout.nodes.slice(first, last + 1);
  const edges = layout.edges.filter(e => edgeInRows(e, first, last));
  return (
    <div
      className="jp-nbhygiene-graph"
      style={{ maxHeight: VIEW_HEIGHT }}
      onScroll={virtual ? onScroll : undefined}
      data-virtual={virtual ? 'true' : undefined}
    >
      <svg
        width="100%"
        height={count * ROW}
        role="img"
        aria-label={trans.__(
          'Dependency graph: %1 code cells, %2 dependencies',
          count,
          layout.edges.length
        )}
      >
        <g className="jp-nbhygiene-edges">
          {edges.filter(e => !e.hidden).map(renderEdge)}
        </g>
        {nodes.map(node => {
          const y = node.row * ROW + ROW / 2;
          const relation =
            node.index === activeIndex
              ? 'active'
              : upstream.has(node.index)
                ? 'upstream'
                : downstream.has(node.index)
                  ? 'downstream'
                  : undefined;
          const label = gives.get(node.index) ?? takes.get(node.index);
          const summary = nodeSummary(node, trans);
          return (
            <g
              key={node.index}
              className="jp-nbhygiene-graph-node"
              data-cell-index={node.index}
              data-state={node.state}
              data-relation={relation}
              role="button"
              tabIndex={0}
              onClick={() => props.onSelect(node.index)}
              onKeyDown={event => {
                if (event.key === 'Enter' || event.key === ' ') {
                  event.preventDefault();
                  props.onSelect(node.index);
                }
              }}
            >
              <title>
                {trans.__(
                  'Cell %1 (%2)',
                  node.index + 1,
                  stateLabel(node.state, trans)
                )}
              </title>
              <rect
                className="jp-nbhygiene-graph-row"
                x={0}
                y={node.row * ROW}
                width="100%"
                height={ROW}
              />
              <circle cx={geometry.nodeX} cy={y} r={4.5} />
              <text x={geometry.nodeX + 9} y={y} dominantBaseline="central">
                <tspan className="jp-nbhygiene-graph-number">
                  {node.index + 1}
                </tspan>
                <tspan className="jp-nbhygiene-graph-icon" dx={4}>
                  {STATE_ICONS[node.state] ?? ''}
                </tspan>
                <tspan className="jp-nbhygiene-graph-defines" dx={4}>
                  {summary}
                </tspan>
                {node.state === 'hidden' && (
                  <tspan className="jp-nbhygiene-graph-hidden" dx={6}>
                    {trans.__('hidden')}
                  </tspan>
                )}
                {label && (
                  <tspan className="jp-nbhygiene-graph-label" dx={6}>
                    {gives.has(node.index)
                      ? trans.__('→ %1', label.join(', '))
                      : trans.__('← %1', label.join(', '))}
                  </tspan>
                )}
              </text>
            </g>
          );
        })}
        {/* Above the rows, so that a highlighted row does not hide them. */}
        <g className="jp-nbhygiene-edges jp-nbhygiene-hidden-edges">
          {edges.filter(e => e.hidden).map(renderEdge)}
        </g>
      </svg>
    </div>
  );
}

import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { ordinal } from '../cellstate';
import { hiddenReasonText, staleText } from '../report';
import { ICellReport } from '../tokens';

/** A symbol beside the state word, so that the state is not told by colour alone. */
export const STATE_ICONS: Record<string, string> = {
  fresh: '✓',
  stale: '⟲',
  edited: '✎',
  unexecuted: '○',
  errored: '✕',
  hidden: '◌'
};

export function stateLabel(state: string, trans: TranslationBundle): string {
  const labels: Record<string, string> = {
    fresh: trans.__('fresh'),
    stale: trans.__('stale'),
    edited: trans.__('edited'),
    unexecuted: trans.__('not run'),
    errored: trans.__('errored'),
    hidden: trans.__('hidden')
  };
  return labels[state] ?? state;
}

/** Text with `code` spans (as the messages write names) rendered as <code>. */
export function Ticked(props: { text: string }): JSX.Element {
  const parts = props.text.split('`');
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? <code key={i}>{part}</code> : part
      )}
    </>
  );
}

export type Relation = 'active' | 'upstream' | 'downstream' | '';

function Names(props: { label: string; names: string[] }): JSX.Element | null {
  if (props.names.length === 0) {
    return null;
  }
  return (
    <span className="jp-nbhygiene-names">
      <span className="jp-nbhygiene-names-label">{props.label}</span>{' '}
      {props.names.map(n => (
        <code key={n}>{n}</code>
      ))}
    </span>
  );
}

interface IRowProps {
  cell: ICellReport;
  relation: Relation;
  trans: TranslationBundle;
  onSelect: (index: number) => void;
  onRunFixBy: (cells: number[]) => void;
  renderActions?: (cell: ICellReport) => React.ReactNode;
}

/** One code cell; re-renders only when its report entry or its relation change. */
const CellRow = React.memo(function CellRow(props: IRowProps): JSX.Element {
  const { cell, trans, relation } = props;
  const relationText: Record<string, string> = {
    active: trans.__('selected cell'),
    upstream: trans.__('the selected cell depends on it'),
    downstream: trans.__('depends on the selected cell')
  };
  return (
    <li
      className="jp-nbhygiene-cell"
      data-cell-index={cell.index}
      data-state={cell.state}
      data-relation={relation || undefined}
    >
      <button
        className="jp-nbhygiene-cell-head"
        onClick={() => props.onSelect(cell.index)}
        title={
          trans.__('Go to cell %1', cell.index + 1) +
          (relation ? ` (${relationText[relation]})` : '')
        }
      >
        <span className="jp-nbhygiene-cell-number">
          {trans.__('cell %1', cell.index + 1)}
          {cell.execution_count !== null && (
            <span
              className="jp-nbhygiene-count"
              title={trans.__(
                'Execution count %1: the kernel ran it %2 in its session',
                cell.execution_count,
                ordinal(cell.execution_count)
              )}
            >
              {trans.__(', run %1', ordinal(cell.execution_count))}
            </span>
          )}
        </span>
        {relation === 'upstream' && (
          <span className="jp-nbhygiene-relation">{trans.__('↑ input')}</span>
        )}
        {relation === 'downstream' && (
          <span className="jp-nbhygiene-relation">{trans.__('↓ uses it')}</span>
        )}
        <span className={`jp-nbhygiene-state jp-nbhygiene-state-${cell.state}`}>
          <span aria-hidden="true">{STATE_ICONS[cell.state] ?? ''}</span>{' '}
          {stateLabel(cell.state, trans)}
        </span>
      </button>
      <div className="jp-nbhygiene-cell-body">
        <Names label={trans.__('defines')} names={cell.defines} />
        <Names label={trans.__('uses')} names={cell.uses} />
        <Names label={trans.__('mutates')} names={cell.mutates} />
        {cell.depends_on.length > 0 && (
          <span className="jp-nbhygiene-deps">
            {trans.__('depends on')}{' '}
            {cell.depends_on.map(d => (
              <button
                key={`${d.cell}${d.hidden ? 'h' : ''}`}
                className="jp-nbhygiene-dep"
                data-hidden={d.hidden ? 'true' : undefined}
                onClick={() => props.onSelect(d.cell)}
                title={trans.__('Go to cell %1', d.cell + 1)}
              >
                {d.hidden
                  ? trans.__('cell %1 below', d.cell + 1)
                  : trans.__('cell %1', d.cell + 1)}{' '}
                ({d.names.join(', ')})
              </button>
            ))}
          </span>
        )}
        {cell.state === 'hidden' && (
          <span className="jp-nbhygiene-hidden-why">
            {cell.hidden_because.length > 0 ? (
              cell.hidden_because.map((r, i) => (
                <React.Fragment key={`${r.name}-${r.why}`}>
                  {i > 0 && '; '}
                  <Ticked text={hiddenReasonText(r, trans)} />
                </React.Fragment>
              ))
            ) : (
              <>{trans.__('uses a value no cell above provides')}</>
            )}
          </span>
        )}
        {cell.state === 'stale' && (
          <span className="jp-nbhygiene-stale-why">
            {staleText(cell, trans) || trans.__('an input changed')}
            {cell.fix_by.length > 0 && (
              <button
                className="jp-nbhygiene-fix"
                data-command="nbhygiene:run-fix-by"
                onClick={() => props.onRunFixBy(cell.fix_by)}
                title={trans.__(
                  'Run cells %1 in this order',
                  cell.fix_by.map(i => i + 1).join(', ')
                )}
              >
                {trans.__(
                  '▶ Re-run %1',
                  cell.fix_by.map(i => i + 1).join(' → ')
                )}
              </button>
            )}
          </span>
        )}
        {props.renderActions?.(cell)}
      </div>
    </li>
  );
});

export function CellList(props: {
  cells: ICellReport[];
  activeIndex: number | null;
  upstream: Set<number>;
  downstream: Set<number>;
  trans: TranslationBundle;
  onSelect: (index: number) => void;
  onRunFixBy: (cells: number[]) => void;
  /** Buttons of a row (stable across renders, so rows stay memoized). */
  renderActions?: (cell: ICellReport) => React.ReactNode;
}): JSX.Element {
  const { activeIndex, upstream, downstream } = props;
  const codeCells = React.useMemo(
    () => props.cells.filter(c => c.cell_type === 'code'),
    [props.cells]
  );
  if (codeCells.length === 0) {
    return (
      <p className="jp-nbhygiene-empty">{props.trans.__('No code cells.')}</p>
    );
  }
  return (
    <ol className="jp-nbhygiene-cells">
      {codeCells.map(cell => (
        <CellRow
          key={cell.id}
          cell={cell}
          relation={
            cell.index === activeIndex
              ? 'active'
              : upstream.has(cell.index)
                ? 'upstream'
                : downstream.has(cell.index)
                  ? 'downstream'
                  : ''
          }
          trans={props.trans}
          onSelect={props.onSelect}
          onRunFixBy={props.onRunFixBy}
          renderActions={props.renderActions}
        />
      ))}
    </ol>
  );
}

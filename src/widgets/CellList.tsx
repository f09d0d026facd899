import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { ICellReport } from '../tokens';

const STATE_ICONS: Record<string, string> = {
  fresh: '✓',
  stale: '⟲',
  edited: '✎',
  unexecuted: '○',
  errored: '✕'
};

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

export function CellList(props: {
  cells: ICellReport[];
  activeIndex: number | null;
  trans: TranslationBundle;
  onSelect: (index: number) => void;
  onRunFixBy: (cells: number[]) => void;
}): JSX.Element {
  const { trans, activeIndex } = props;
  const codeCells = props.cells.filter(c => c.cell_type === 'code');
  const active =
    activeIndex === null ? undefined : (props.cells[activeIndex] ?? undefined);
  const upstream = new Set(
    active?.upstream ?? active?.depends_on.map(d => d.cell)
  );
  const downstream = new Set(
    active?.downstream ??
      codeCells
        .filter(c => c.depends_on.some(d => d.cell === activeIndex))
        .map(c => c.index)
  );
  const stateLabels: Record<string, string> = {
    fresh: trans.__('fresh'),
    stale: trans.__('stale'),
    edited: trans.__('edited'),
    unexecuted: trans.__('not run'),
    errored: trans.__('errored')
  };
  return (
    <ol className="jp-nbhygiene-cells">
      {codeCells.map(cell => {
        const relation =
          cell.index === activeIndex
            ? 'active'
            : upstream.has(cell.index)
              ? 'upstream'
              : downstream.has(cell.index)
                ? 'downstream'
                : '';
        return (
          <li
            key={cell.id}
            className="jp-nbhygiene-cell"
            data-cell-index={cell.index}
            data-state={cell.state}
            data-relation={relation || undefined}
          >
            <button
              className="jp-nbhygiene-cell-head"
              onClick={() => props.onSelect(cell.index)}
              title={trans.__('Go to cell %1', cell.index + 1)}
            >
              <span className="jp-nbhygiene-cell-number">
                [{cell.execution_count ?? ' '}]{' '}
                {trans.__('cell %1', cell.index + 1)}
              </span>
              <span
                className={`jp-nbhygiene-state jp-nbhygiene-state-${cell.state}`}
              >
                <span aria-hidden="true">{STATE_ICONS[cell.state] ?? ''}</span>{' '}
                {stateLabels[cell.state] ?? cell.state}
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
                      key={d.cell}
                      className="jp-nbhygiene-dep"
                      onClick={() => props.onSelect(d.cell)}
                      title={trans.__('Go to cell %1', d.cell + 1)}
                    >
                      {trans.__('cell %1', d.cell + 1)} ({d.names.join(', ')})
                    </button>
                  ))}
                </span>
              )}
              {cell.state === 'stale' && cell.stale_because.length > 0 && (
                <span className="jp-nbhygiene-stale-why">
                  {cell.stale_because
                    .map(r =>
                      trans.__('`%1` changed by cell %2', r.name, r.cell + 1)
                    )
                    .join('; ')}
                  {cell.fix_by.length > 0 && (
                    <button
                      className="jp-nbhygiene-fix jp-mod-styled"
                      onClick={() => props.onRunFixBy(cell.fix_by)}
                      title={trans.__(
                        'Run cells %1 in order',
                        cell.fix_by.map(i => i + 1).join(', ')
                      )}
                    >
                      {trans.__(
                        'Re-run %1',
                        cell.fix_by.map(i => i + 1).join(' → ')
                      )}
                    </button>
                  )}
                </span>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { IFinding, Severity } from '../tokens';

const ORDER: Severity[] = ['error', 'warning', 'info'];

export function FindingList(props: {
  findings: IFinding[];
  trans: TranslationBundle;
  onSelect: (index: number) => void;
}): JSX.Element {
  const { trans } = props;
  const [filter, setFilter] = React.useState('');
  const needle = filter.trim().toLowerCase();
  const shown = props.findings.filter(
    f =>
      !needle ||
      f.rule.includes(needle) ||
      f.message.toLowerCase().includes(needle) ||
      (f.category ?? '').includes(needle)
  );
  const titles: Record<Severity, string> = {
    error: trans.__('Errors'),
    warning: trans.__('Warnings'),
    info: trans.__('Info')
  };
  return (
    <div className="jp-nbhygiene-findings">
      <input
        className="jp-nbhygiene-filter jp-mod-styled"
        type="search"
        placeholder={trans.__('Filter findings')}
        aria-label={trans.__('Filter findings')}
        value={filter}
        onChange={e => setFilter(e.target.value)}
      />
      {props.findings.length === 0 && (
        <p className="jp-nbhygiene-empty">{trans.__('No findings.')}</p>
      )}
      {ORDER.map(severity => {
        const group = shown.filter(f => f.severity === severity);
        if (group.length === 0) {
          return null;
        }
        return (
          <section key={severity} data-severity={severity}>
            <h4>
              {titles[severity]} ({group.length})
            </h4>
            <ul>
              {group.map((f, i) => (
                <li
                  key={`${f.rule}-${f.cell}-${f.line}-${i}`}
                  className={`jp-nbhygiene-finding jp-nbhygiene-sev-${f.severity}`}
                  data-rule={f.rule}
                  data-cell-index={f.cell ?? undefined}
                >
                  <button
                    disabled={f.cell === null}
                    onClick={() => f.cell !== null && props.onSelect(f.cell)}
                    title={
                      f.cell === null
                        ? f.message
                        : trans.__('Go to cell %1', f.cell + 1)
                    }
                  >
                    <span className="jp-nbhygiene-rule">{f.rule}</span>
                    {f.cell !== null && (
                      <span className="jp-nbhygiene-where">
                        {trans.__('cell %1', f.cell + 1)}
                        {f.line ? `:${f.line}` : ''}
                      </span>
                    )}
                    <span className="jp-nbhygiene-message">{f.message}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}

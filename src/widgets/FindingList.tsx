import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { Category, IFinding, Severity } from '../tokens';

const SEVERITIES: Severity[] = ['error', 'warning', 'info'];
const CATEGORIES: Category[] = [
  'reproducibility',
  'structure',
  'documentation',
  'portability'
];
const SEVERITY_ICONS: Record<string, string> = {
  error: '✕',
  warning: '⚠',
  info: 'ℹ'
};

export type GroupBy = 'severity' | 'category';

/** Findings matching a filter text (rule id, message, category or "cell N"). */
export function filterFindings(
  findings: readonly IFinding[],
  text: string
): IFinding[] {
  const needle = text.trim().toLowerCase();
  if (!needle) {
    return [...findings];
  }
  return findings.filter(
    f =>
      f.rule.includes(needle) ||
      f.message.toLowerCase().includes(needle) ||
      (f.category ?? '').includes(needle) ||
      f.severity === needle ||
      (f.cell !== null && `cell ${f.cell + 1}` === needle)
  );
}

const FindingRow = React.memo(function FindingRow(props: {
  finding: IFinding;
  trans: TranslationBundle;
  onSelect: (index: number) => void;
}): JSX.Element {
  const { finding: f, trans } = props;
  return (
    <li
      className={`jp-nbhygiene-finding jp-nbhygiene-sev-${f.severity}`}
      data-rule={f.rule}
      data-severity={f.severity}
      data-cell-index={f.cell ?? undefined}
    >
      <button
        disabled={f.cell === null}
        onClick={() => f.cell !== null && props.onSelect(f.cell)}
        title={
          f.cell === null
            ? trans.__('About the whole notebook')
            : trans.__('Go to cell %1', f.cell + 1)
        }
      >
        <span className="jp-nbhygiene-sev-icon" aria-hidden="true">
          {SEVERITY_ICONS[f.severity] ?? ''}
        </span>
        <span className="jp-nbhygiene-rule">{f.rule}</span>
        {f.cell !== null && (
          <span className="jp-nbhygiene-where">
            {trans.__('cell %1', f.cell + 1)}
            {f.line ? trans.__(', line %1', f.line) : ''}
          </span>
        )}
        <span className="jp-nbhygiene-message">{f.message}</span>
      </button>
    </li>
  );
});

export const FindingList = React.memo(function FindingList(props: {
  findings: IFinding[];
  trans: TranslationBundle;
  onSelect: (index: number) => void;
}): JSX.Element {
  const { trans } = props;
  const [filter, setFilter] = React.useState('');
  const [groupBy, setGroupBy] = React.useState<GroupBy>('severity');
  const shown = React.useMemo(
    () => filterFindings(props.findings, filter),
    [props.findings, filter]
  );
  const titles: Record<string, string> = {
    error: trans.__('Errors'),
    warning: trans.__('Warnings'),
    info: trans.__('Info'),
    reproducibility: trans.__('Reproducibility'),
    structure: trans.__('Structure'),
    documentation: trans.__('Documentation'),
    portability: trans.__('Portability'),
    other: trans.__('Other')
  };
  const keys: string[] = groupBy === 'severity' ? SEVERITIES : CATEGORIES;
  const groups = new Map<string, IFinding[]>();
  for (const f of shown) {
    const key =
      groupBy === 'severity'
        ? f.severity
        : keys.includes(f.category ?? '')
          ? f.category!
          : 'other';
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return (
    <div className="jp-nbhygiene-findings" data-group-by={groupBy}>
      <div className="jp-nbhygiene-findings-tools">
        <input
          className="jp-nbhygiene-filter jp-mod-styled"
          type="search"
          placeholder={trans.__('Filter findings')}
          aria-label={trans.__('Filter findings')}
          value={filter}
          onChange={e => setFilter(e.target.value)}
        />
        <select
          className="jp-nbhygiene-groupby"
          aria-label={trans.__('Group findings by')}
          value={groupBy}
          onChange={e => setGroupBy(e.target.value as GroupBy)}
        >
          <option value="severity">{trans.__('by severity')}</option>
          <option value="category">{trans.__('by category')}</option>
        </select>
      </div>
      {props.findings.length === 0 && (
        <p className="jp-nbhygiene-empty">{trans.__('No findings.')}</p>
      )}
      {props.findings.length > 0 && shown.length === 0 && (
        <p className="jp-nbhygiene-empty">
          {trans.__('No finding matches the filter.')}
        </p>
      )}
      {[...keys, 'other'].map(key => {
        const group = groups.get(key);
        if (!group) {
          return null;
        }
        return (
          <section key={key} data-group={key}>
            <h4>
              {titles[key] ?? key} ({group.length})
            </h4>
            <ul>
              {group.map((f, i) => (
                <FindingRow
                  key={`${f.rule}-${f.cell}-${f.line}-${i}`}
                  finding={f}
                  trans={trans}
                  onSelect={props.onSelect}
                />
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
});

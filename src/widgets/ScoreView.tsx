import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { IFinding, IReport, ScoreLabel } from '../tokens';

export type ScoreBand = 'good' | 'fair' | 'poor' | 'breaks';

/**
 * The band shown: the server's `score_label`, except that a notebook that breaks on
 * re-run, or that a verify run found not reproducible, is never styled as good or fair.
 */
export function shownBand(
  label: ScoreLabel,
  notReproducible: boolean
): ScoreBand {
  if (label === 'breaks on re-run' || notReproducible) {
    return 'breaks';
  }
  return label;
}

function countByCategory(findings: readonly IFinding[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of findings) {
    const key = f.category ?? 'other';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export const ScoreView = React.memo(function ScoreView(props: {
  score: number;
  label: ScoreLabel;
  /** A verify run of this notebook found it not reproducible. */
  notReproducible?: boolean;
  breakdown: IReport['score_breakdown'];
  findings: IFinding[];
  trans: TranslationBundle;
}): JSX.Element {
  const { score, breakdown, trans, label } = props;
  const band = shownBand(label, props.notReproducible === true);
  const counts = countByCategory(props.findings);
  const bandLabel = props.notReproducible
    ? trans.__('not reproducible')
    : {
        good: trans.__('good'),
        fair: trans.__('fair'),
        poor: trans.__('poor'),
        'breaks on re-run': trans.__('breaks on re-run')
      }[label];
  const labels: Record<string, string> = {
    reproducibility: trans.__('Reproducibility'),
    structure: trans.__('Structure'),
    documentation: trans.__('Documentation'),
    portability: trans.__('Portability')
  };
  return (
    <details
      className="jp-nbhygiene-scorebox"
      data-band={band}
      data-label={props.notReproducible ? 'not reproducible' : label}
    >
      <summary
        title={trans.__('Hygiene score out of 100; expand for the breakdown')}
      >
        <span
          className={`jp-nbhygiene-score jp-nbhygiene-band-${band}`}
          aria-label={trans.__('Hygiene score')}
        >
          {score}
        </span>
        <span className="jp-nbhygiene-score-label">
          {trans.__('/ 100')}{' '}
          <span className={`jp-nbhygiene-band-word jp-nbhygiene-band-${band}`}>
            {bandLabel}
          </span>
        </span>
        <span
          className="jp-nbhygiene-meter"
          role="meter"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={score}
        >
          <span
            className={`jp-nbhygiene-meter-fill jp-nbhygiene-bg-${band}`}
            style={{ width: `${Math.max(0, Math.min(100, score))}%` }}
          />
        </span>
      </summary>
      <table className="jp-nbhygiene-breakdown">
        <thead>
          <tr>
            <th>{trans.__('Category')}</th>
            <th>{trans.__('Findings')}</th>
            <th>{trans.__('Points')}</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(breakdown).map(([category, points]) => (
            <tr
              key={category}
              data-category={category}
              className={points < 0 ? 'jp-mod-lost' : undefined}
            >
              <td>{labels[category] ?? category}</td>
              <td>{counts.get(category) ?? 0}</td>
              <td>{points === 0 ? '0' : `${points}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
});

import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { IReport } from '../tokens';

/** The colour band of a score: good ≥ 80, fair ≥ 50, else poor. */
export function scoreBand(score: number): 'good' | 'fair' | 'poor' {
  if (score >= 80) {
    return 'good';
  }
  return score >= 50 ? 'fair' : 'poor';
}

export function ScoreView(props: {
  report: IReport;
  trans: TranslationBundle;
}): JSX.Element {
  const { report, trans } = props;
  const band = scoreBand(report.score);
  const lost = Object.entries(report.score_breakdown);
  const labels: Record<string, string> = {
    reproducibility: trans.__('Reproducibility'),
    structure: trans.__('Structure'),
    documentation: trans.__('Documentation'),
    portability: trans.__('Portability')
  };
  return (
    <details className="jp-nbhygiene-scorebox">
      <summary
        title={trans.__('Hygiene score out of 100; expand for the breakdown')}
      >
        <span
          className={`jp-nbhygiene-score jp-nbhygiene-band-${band}`}
          aria-label={trans.__('Hygiene score')}
        >
          {report.score}
        </span>
        <span className="jp-nbhygiene-score-label">
          {trans.__('/ 100 hygiene')}
        </span>
      </summary>
      <ul className="jp-nbhygiene-breakdown">
        {lost.map(([category, points]) => (
          <li key={category} data-category={category}>
            <span>{labels[category] ?? category}</span>
            <span>{points === 0 ? '0' : `${points}`}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}

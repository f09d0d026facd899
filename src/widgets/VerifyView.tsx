import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { ICellVerdict, IVerifyStatus } from '../tokens';
import {
  BAD_VERDICTS,
  causeText,
  diffLines,
  imageSrc,
  orderIssueText,
  QUIET_VERDICTS,
  verdictLabel
} from '../verdicts';

function Diff(props: { diff: string }): JSX.Element {
  return (
    <pre className="jp-nbhygiene-diff">
      {diffLines(props.diff).map((line, i) => (
        <span key={i} className={`jp-nbhygiene-diff-${line.kind}`}>
          {line.text}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}

function Images(props: {
  cell: ICellVerdict;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { trans } = props;
  const pairs = props.cell.images ?? [];
  if (pairs.length === 0) {
    return null;
  }
  return (
    <div className="jp-nbhygiene-images">
      {pairs.map((pair, i) => (
        <div key={i} className="jp-nbhygiene-image-pair">
          <figure>
            <figcaption>{trans.__('saved')}</figcaption>
            <img
              src={imageSrc(pair.mime, pair.saved)}
              alt={trans.__('saved output')}
            />
          </figure>
          <figure>
            <figcaption>{trans.__('fresh run')}</figcaption>
            <img
              src={imageSrc(pair.mime, pair.fresh)}
              alt={trans.__('fresh output')}
            />
          </figure>
        </div>
      ))}
    </div>
  );
}

function VerdictRow(props: {
  cell: ICellVerdict;
  trans: TranslationBundle;
  onSelect: (index: number) => void;
}): JSX.Element {
  const { cell, trans } = props;
  const bad = BAD_VERDICTS.has(cell.verdict);
  return (
    <li
      className="jp-nbhygiene-verdict"
      data-verdict={cell.verdict}
      data-cell-index={cell.index}
    >
      <button
        className="jp-nbhygiene-verdict-head"
        onClick={() => props.onSelect(cell.index)}
        title={trans.__('Go to cell %1', cell.index + 1)}
      >
        <span className="jp-nbhygiene-link">
          {trans.__('cell %1', cell.index + 1)}
        </span>
        <span
          className={`jp-nbhygiene-verdict-word ${bad ? 'jp-mod-bad' : ''}`}
        >
          {bad ? '✕ ' : '• '}
          {verdictLabel(cell.verdict, trans)}
        </span>
      </button>
      {cell.error && (
        <code className="jp-nbhygiene-verdict-error">
          {cell.error.ename}: {cell.error.evalue}
        </code>
      )}
      {cell.reason && (
        <span className="jp-nbhygiene-reason">{cell.reason}</span>
      )}
      {cell.diff && <Diff diff={cell.diff} />}
      <Images cell={cell} trans={trans} />
    </li>
  );
}

export function VerifyView(props: {
  run: IVerifyStatus | null;
  error: string | null;
  cancelling: boolean;
  trans: TranslationBundle;
  onCancel: () => void;
  onRerun: () => void;
  onSelect: (index: number) => void;
}): JSX.Element | null {
  const { run, error, trans } = props;
  if (!run && !error) {
    return null;
  }
  const state = run?.state ?? 'failed';
  const running = state === 'queued' || state === 'running';
  const { done, total } = run?.progress ?? { done: 0, total: 0 };
  const result = run?.result ?? null;
  const cells = result?.cells ?? run?.cells ?? [];
  const shown = cells.filter(c => !QUIET_VERDICTS.has(c.verdict));
  return (
    <section
      className="jp-nbhygiene-verify"
      data-state={state}
      aria-live="polite"
    >
      <h3>{trans.__('Reproducibility check')}</h3>
      {error && (
        <p className="jp-nbhygiene-error" role="alert">
          {error}
        </p>
      )}
      {running && (
        <div className="jp-nbhygiene-progress">
          <progress
            max={total || 1}
            value={done}
            aria-label={trans.__('Cells run')}
          />
          <span>
            {state === 'queued'
              ? trans.__('Starting a fresh kernel…')
              : trans.__('%1 of %2 cells', done, total)}
          </span>
          <button
            className="jp-nbhygiene-button jp-nbhygiene-cancel"
            onClick={props.onCancel}
            disabled={props.cancelling}
          >
            {props.cancelling ? trans.__('Cancelling…') : trans.__('Cancel')}
          </button>
        </div>
      )}
      {state === 'cancelled' && (
        <p className="jp-nbhygiene-muted">{trans.__('Check cancelled.')}</p>
      )}
      {state === 'failed' && run?.message && (
        <p className="jp-nbhygiene-error" role="alert">
          {run.message}
        </p>
      )}
      {state === 'done' && result && run && (
        <div
          className={`jp-nbhygiene-verdict-summary ${result.reproducible ? 'jp-mod-ok' : 'jp-mod-bad'}`}
        >
          <strong>
            {result.reproducible
              ? trans.__('✓ Reproducible')
              : trans.__('✕ Not reproducible')}
          </strong>
          <p className="jp-nbhygiene-cause">{causeText(run, trans)}</p>
          {(result.order ?? []).length > 0 && (
            <ul className="jp-nbhygiene-order">
              {result.order!.map((issue, i) => (
                <li key={i}>
                  <button onClick={() => props.onSelect(issue.cell)}>
                    {orderIssueText(issue, trans)}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <ul className="jp-nbhygiene-verdicts">
        {shown.map(cell => (
          <VerdictRow
            key={cell.index}
            cell={cell}
            trans={trans}
            onSelect={props.onSelect}
          />
        ))}
      </ul>
      {!running && (
        <button
          className="jp-nbhygiene-button"
          onClick={props.onRerun}
          title={trans.__('Run the check again')}
        >
          {trans.__('Check again')}
        </button>
      )}
    </section>
  );
}

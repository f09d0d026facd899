import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { ICellVerdict, IVerifyStatus } from '../tokens';

const QUIET_VERDICTS = new Set(['same', 'skipped']);

export function causeText(
  cause: string | null | undefined,
  trans: TranslationBundle
): string {
  switch (cause) {
    case null:
    case undefined:
      return trans.__('Every saved output came back: the notebook reproduces.');
    case 'execution-order':
      return trans.__(
        'Run top to bottom the notebook fails, but in the order of its saved execution counts it reproduces: cells were run out of order.'
      );
    case 'nondeterminism':
      return trans.__(
        'Outputs differ between two fresh runs: something is random or time-dependent.'
      );
    case 'error':
      return trans.__('A cell raises an error in a fresh kernel.');
    case 'changed-output':
      return trans.__('Some outputs differ from the saved ones.');
    default:
      return cause;
  }
}

function Images(props: { cell: ICellVerdict; trans: TranslationBundle }) {
  const images = props.cell.images;
  if (!images || !images.mime) {
    return null;
  }
  const src = (data: string) => `data:${images.mime};base64,${data}`;
  return (
    <div className="jp-nbhygiene-images">
      <figure>
        <figcaption>{props.trans.__('saved')}</figcaption>
        {(images.saved ?? []).map((d, i) => (
          <img key={i} src={src(d)} alt={props.trans.__('saved output')} />
        ))}
      </figure>
      <figure>
        <figcaption>{props.trans.__('fresh run')}</figcaption>
        {(images.new ?? []).map((d, i) => (
          <img key={i} src={src(d)} alt={props.trans.__('new output')} />
        ))}
      </figure>
    </div>
  );
}

export function VerifyView(props: {
  run: IVerifyStatus | null;
  error: string | null;
  trans: TranslationBundle;
  onCancel: () => void;
  onSelect: (index: number) => void;
}): JSX.Element | null {
  const { run, error, trans } = props;
  if (!run && !error) {
    return null;
  }
  const state = run?.state ?? 'failed';
  const running = state === 'queued' || state === 'running';
  const { done, total } = run?.progress ?? { done: 0, total: 0 };
  const interesting = (run?.cells ?? []).filter(
    c => !QUIET_VERDICTS.has(c.verdict)
  );
  return (
    <section className="jp-nbhygiene-verify" data-state={state}>
      <h3>{trans.__('Reproducibility')}</h3>
      {error && <p className="jp-nbhygiene-error">{error}</p>}
      {running && (
        <div className="jp-nbhygiene-progress">
          <progress max={total || 1} value={done} />
          <span>
            {state === 'queued'
              ? trans.__('Waiting for a kernel…')
              : trans.__('%1 of %2 cells', done, total)}
          </span>
          <button className="jp-mod-styled" onClick={props.onCancel}>
            {trans.__('Cancel')}
          </button>
        </div>
      )}
      {state === 'cancelled' && <p>{trans.__('Verification cancelled.')}</p>}
      {state === 'failed' && run?.message && (
        <p className="jp-nbhygiene-error">{run.message}</p>
      )}
      {state === 'done' && (
        <p
          className={`jp-nbhygiene-verdict-summary ${run?.reproducible ? 'jp-mod-ok' : 'jp-mod-bad'}`}
        >
          <strong>
            {run?.reproducible
              ? trans.__('Reproducible')
              : trans.__('Not reproducible')}
          </strong>{' '}
          {run?.explanation || causeText(run?.cause, trans)}
        </p>
      )}
      <ul>
        {interesting.map(cell => (
          <li
            key={cell.index}
            className="jp-nbhygiene-verdict"
            data-verdict={cell.verdict}
            data-cell-index={cell.index}
          >
            <button onClick={() => props.onSelect(cell.index)}>
              {trans.__('cell %1', cell.index + 1)}:{' '}
              <strong>{cell.verdict}</strong>
              {cell.error && (
                <code>
                  {' '}
                  {cell.error.ename}: {cell.error.evalue}
                </code>
              )}
            </button>
            {cell.diff && <pre className="jp-nbhygiene-diff">{cell.diff}</pre>}
            <Images cell={cell} trans={trans} />
          </li>
        ))}
      </ul>
    </section>
  );
}

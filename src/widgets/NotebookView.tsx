import { JupyterFrontEnd } from '@jupyterlab/application';
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { layoutGraph, relatives } from '../graph';
import { NotebookHygieneModel } from '../model';
import { CellGraph } from './CellGraph';
import { CellList } from './CellList';
import { FindingList } from './FindingList';
import { useRepairActions } from './RepairActions';
import { useSignalValue } from './hooks';
import { ScoreView } from './ScoreView';
import { VerifyView } from './VerifyView';

export interface IPanelActions {
  selectCell: (model: NotebookHygieneModel, index: number) => void;
  runCells: (model: NotebookHygieneModel, cells: number[]) => void;
  /** The application's commands: rows and findings get repair buttons when given. */
  commands?: JupyterFrontEnd['commands'];
}

function Section(props: {
  title: string;
  count?: number;
  className: string;
  children: React.ReactNode;
}): JSX.Element {
  return (
    <details className={`jp-nbhygiene-section ${props.className}`} open>
      <summary>
        <h3>
          {props.title}
          {props.count !== undefined && (
            <span className="jp-nbhygiene-count-badge">{props.count}</span>
          )}
        </h3>
      </summary>
      {props.children}
    </details>
  );
}

function VerifySection(props: {
  model: NotebookHygieneModel;
  trans: TranslationBundle;
  onSelect: (index: number) => void;
}): JSX.Element | null {
  const { model } = props;
  const run = useSignalValue(model.verifyChanged, () => model.verify);
  const error = useSignalValue(model.verifyChanged, () => model.verifyError);
  const cancelling = useSignalValue(
    model.verifyChanged,
    () => model.cancelling
  );
  return (
    <VerifyView
      run={run}
      error={error}
      cancelling={cancelling}
      trans={props.trans}
      onCancel={() => void model.cancelVerify()}
      onRerun={() => void model.startVerify()}
      onSelect={props.onSelect}
    />
  );
}

/** Everything the panel shows about one notebook. */
export function NotebookView(props: {
  model: NotebookHygieneModel;
  trans: TranslationBundle;
  actions: IPanelActions;
}): JSX.Element {
  const { model, trans, actions } = props;
  const notebook = model.panel.content;
  const report = useSignalValue(model.reportChanged, () => model.report);
  const analyzing = useSignalValue(model.stateChanged, () => model.analyzing);
  const error = useSignalValue(model.stateChanged, () => model.error);
  const notReproducible = useSignalValue(
    model.verifyChanged,
    () =>
      model.verify?.state === 'done' &&
      model.verify.result?.reproducible === false
  );
  const activeId = useSignalValue(
    notebook.activeCellChanged,
    () => notebook.activeCell?.model.id ?? null
  );
  const cells = report?.cells;
  const activeIndex = React.useMemo(() => {
    const found = cells?.find(c => c.id === activeId);
    return found ? found.index : null;
  }, [cells, activeId]);
  const { upstream, downstream } = React.useMemo(
    () => relatives(cells ?? [], activeIndex),
    [cells, activeIndex]
  );
  const layout = React.useMemo(() => layoutGraph(cells ?? []), [cells]);
  const select = React.useCallback(
    (index: number) => actions.selectCell(model, index),
    [model, actions]
  );
  const runFixBy = React.useCallback(
    (indices: number[]) => actions.runCells(model, indices),
    [model, actions]
  );
  const repairs = useRepairActions(actions.commands, trans, cells);
  const counts = React.useMemo(() => {
    const byState = new Map<string, number>();
    (cells ?? []).forEach(c =>
      byState.set(c.state, (byState.get(c.state) ?? 0) + 1)
    );
    return byState;
  }, [cells]);

  return (
    <>
      <header className="jp-nbhygiene-header">
        <span className="jp-nbhygiene-path" title={model.panel.context.path}>
          {model.panel.context.path}
        </span>
        <span
          className="jp-nbhygiene-busy"
          data-busy={analyzing ? 'true' : undefined}
          aria-live="polite"
        >
          {analyzing ? trans.__('analysing…') : ''}
        </span>
        <button
          className="jp-nbhygiene-button"
          onClick={() => void model.refresh()}
          title={trans.__('Analyse the notebook again')}
        >
          {trans.__('↻ Analyse')}
        </button>
        <button
          className="jp-nbhygiene-button"
          onClick={() => void model.startVerify()}
          title={trans.__(
            'Run the notebook top to bottom in a fresh kernel and compare every output with the saved one'
          )}
        >
          {trans.__('Verify')}
        </button>
      </header>
      {error && (
        <p className="jp-nbhygiene-error" role="alert">
          {error}
        </p>
      )}
      {!report && !error && (
        <p className="jp-nbhygiene-empty">{trans.__('Analysing…')}</p>
      )}
      {report && (
        <ScoreView
          score={report.score}
          label={report.score_label}
          notReproducible={notReproducible}
          breakdown={report.score_breakdown}
          findings={report.findings}
          trans={trans}
        />
      )}
      {report &&
      (counts.get('stale') || counts.get('edited') || counts.get('hidden')) ? (
        <p className="jp-nbhygiene-summary">
          {[
            counts.get('hidden') &&
              trans._n(
                '%1 cell relies on hidden state',
                '%1 cells rely on hidden state',
                counts.get('hidden')!
              ),
            counts.get('stale') &&
              trans._n('%1 stale cell', '%1 stale cells', counts.get('stale')!),
            counts.get('edited') &&
              trans._n(
                '%1 edited cell',
                '%1 edited cells',
                counts.get('edited')!
              )
          ]
            .filter(Boolean)
            .join(' · ')}
        </p>
      ) : null}
      <VerifySection model={model} trans={trans} onSelect={select} />
      {report && (
        <>
          <Section
            title={trans.__('Findings')}
            count={report.findings.length}
            className="jp-nbhygiene-findings-section"
          >
            <FindingList
              findings={report.findings}
              trans={trans}
              onSelect={select}
              renderActions={repairs.finding}
            />
          </Section>
          <Section
            title={trans.__('Dependencies')}
            className="jp-nbhygiene-graph-section"
          >
            <CellGraph
              layout={layout}
              activeIndex={activeIndex}
              upstream={upstream}
              downstream={downstream}
              trans={trans}
              onSelect={select}
            />
          </Section>
          <Section
            title={trans.__('Cells')}
            count={layout.nodes.length}
            className="jp-nbhygiene-cells-section"
          >
            <CellList
              cells={report.cells}
              activeIndex={activeIndex}
              upstream={upstream}
              downstream={downstream}
              trans={trans}
              onSelect={select}
              onRunFixBy={runFixBy}
              renderActions={repairs.cell}
            />
          </Section>
        </>
      )}
    </>
  );
}

import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import * as React from 'react';

import { NotebookHygieneModel } from '../model';
import { HygieneTracker } from '../tracker';
import { PANEL_ID } from '../tokens';
import { CellList } from './CellList';
import { FindingList } from './FindingList';
import { ScoreView } from './ScoreView';
import { VerifyView } from './VerifyView';

export interface IPanelActions {
  selectCell: (model: NotebookHygieneModel, index: number) => void;
  runCells: (model: NotebookHygieneModel, cells: number[]) => void;
}

function NotebookView(props: {
  model: NotebookHygieneModel;
  trans: TranslationBundle;
  actions: IPanelActions;
}): JSX.Element {
  const { model, trans, actions } = props;
  const select = (index: number) => actions.selectCell(model, index);
  const notebook = model.panel.content;
  return (
    <UseSignal signal={notebook.activeCellChanged}>
      {() => (
        <UseSignal signal={model.stateChanged}>
          {() => (
            <>
              <header className="jp-nbhygiene-header">
                <span className="jp-nbhygiene-path">
                  {model.panel.context.path}
                </span>
                {model.analyzing && (
                  <span className="jp-nbhygiene-busy">
                    {trans.__('analysing…')}
                  </span>
                )}
              </header>
              {model.error && (
                <p className="jp-nbhygiene-error">{model.error}</p>
              )}
              {model.report && (
                <>
                  <ScoreView report={model.report} trans={trans} />
                  <UseSignal signal={model.verifyChanged}>
                    {() => (
                      <VerifyView
                        run={model.verify}
                        error={model.verifyError}
                        trans={trans}
                        onCancel={() => void model.cancelVerify()}
                        onSelect={select}
                      />
                    )}
                  </UseSignal>
                  <h3>{trans.__('Findings')}</h3>
                  <FindingList
                    findings={model.report.findings}
                    trans={trans}
                    onSelect={select}
                  />
                  <h3>{trans.__('Cells')}</h3>
                  <CellList
                    cells={model.report.cells}
                    activeIndex={notebook.activeCellIndex}
                    trans={trans}
                    onSelect={select}
                    onRunFixBy={cells => actions.runCells(model, cells)}
                  />
                </>
              )}
            </>
          )}
        </UseSignal>
      )}
    </UseSignal>
  );
}

/** The right-sidebar panel: follows the active notebook. */
export class HygienePanel extends ReactWidget {
  constructor(
    private readonly _tracker: HygieneTracker,
    private readonly _trans: TranslationBundle,
    private readonly _actions: IPanelActions
  ) {
    super();
    this.id = PANEL_ID;
    this.addClass('jp-nbhygiene-panel');
    this.title.caption = _trans.__('Notebook hygiene');
  }

  render(): JSX.Element {
    return (
      <UseSignal
        signal={this._tracker.currentChanged}
        initialArgs={this._tracker.current}
      >
        {(_, model) =>
          model ? (
            <NotebookView
              key={model.panel.id}
              model={model}
              trans={this._trans}
              actions={this._actions}
            />
          ) : (
            <p className="jp-nbhygiene-empty">
              {this._trans.__('Open a notebook to see its hygiene.')}
            </p>
          )
        }
      </UseSignal>
    );
  }
}

import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import * as React from 'react';

import { PANEL_ID } from '../tokens';
import { HygieneTracker } from '../tracker';
import { IPanelActions, NotebookView } from './NotebookView';

export type { IPanelActions } from './NotebookView';

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
    this.title.caption = _trans.__('Notebook Hygiene');
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

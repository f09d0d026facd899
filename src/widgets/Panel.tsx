import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
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
    // Re-render from the tracker's state rather than from the signal's payload: React
    // mounts asynchronously and could otherwise miss a change made before it mounted.
    _tracker.currentChanged.connect(() => this.update(), this);
  }

  render(): JSX.Element {
    const model = this._tracker.current;
    return model ? (
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
    );
  }
}

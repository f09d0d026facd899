/**
 * Follows the notebooks of the application: one hygiene model per open notebook,
 * and the one of the active notebook.
 */
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { ISignal, Signal } from '@lumino/signaling';

import { IModelOptions, NotebookHygieneModel } from './model';
import { IHygieneTracker, IReport } from './tokens';

export class HygieneTracker implements IHygieneTracker {
  constructor(
    notebooks: INotebookTracker,
    private readonly _options: Omit<IModelOptions, 'panel'>
  ) {
    notebooks.widgetAdded.connect((_, panel) => {
      this._add(panel);
      // Notebook 7 shows one notebook per page and need not report it as current.
      if (!this._current) {
        this._setCurrent(panel);
      }
    });
    notebooks.forEach(panel => this._add(panel));
    notebooks.currentChanged.connect((_, panel) => {
      // Keep following the last notebook while focus is elsewhere (Notebook 7 reports
      // null then); a closed notebook is let go when its panel is disposed.
      if (panel) {
        this._setCurrent(panel);
      }
    });
    // Notebook 7 may have opened its notebook before this plugin started, without
    // reporting it as current.
    this._setCurrent(
      notebooks.currentWidget ?? notebooks.find(() => true) ?? null
    );
  }

  /** The model of the active notebook, if any. */
  get current(): NotebookHygieneModel | null {
    return this._current;
  }

  get currentChanged(): ISignal<this, NotebookHygieneModel | null> {
    return this._currentChanged;
  }

  get report(): IReport | null {
    return this._current?.report ?? null;
  }

  get reportChanged(): ISignal<this, IReport | null> {
    return this._reportChanged;
  }

  /** Emitted when a notebook gets its model. */
  get modelAdded(): ISignal<this, NotebookHygieneModel> {
    return this._modelAdded;
  }

  /** Every model, one per open notebook. */
  get models(): NotebookHygieneModel[] {
    return [...this._models.values()];
  }

  /** The model attached to a notebook panel. */
  modelFor(panel: NotebookPanel): NotebookHygieneModel | undefined {
    return this._models.get(panel);
  }

  async refresh(): Promise<void> {
    await this._current?.refresh();
  }

  /** Re-analyse every open notebook (settings changed). */
  refreshAll(): void {
    this._models.forEach(model => model.schedule());
  }

  private _add(panel: NotebookPanel): NotebookHygieneModel {
    let model = this._models.get(panel);
    if (!model) {
      model = new NotebookHygieneModel({ ...this._options, panel });
      const created = model;
      this._models.set(panel, created);
      created.reportChanged.connect(() => {
        if (created === this._current) {
          this._reportChanged.emit(created.report);
        }
      });
      panel.disposed.connect(() => {
        this._models.delete(panel);
        created.dispose();
        if (this._current === created) {
          this._setCurrent(null);
        }
      });
      this._modelAdded.emit(created);
    }
    return model;
  }

  private _setCurrent(panel: NotebookPanel | null): void {
    const model = panel ? this._add(panel) : null;
    if (model === this._current) {
      return;
    }
    this._current = model;
    // The notebook may have changed while in the background (its kernel kept running).
    model?.schedule();
    this._currentChanged.emit(model);
    this._reportChanged.emit(model?.report ?? null);
  }

  private _models = new Map<NotebookPanel, NotebookHygieneModel>();
  private _current: NotebookHygieneModel | null = null;
  private _currentChanged = new Signal<this, NotebookHygieneModel | null>(this);
  private _reportChanged = new Signal<this, IReport | null>(this);
  private _modelAdded = new Signal<this, NotebookHygieneModel>(this);
}

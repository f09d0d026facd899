/**
 * Badges on the notebook's own cells (stale, edited, errored, hidden state): a class on
 * the cell node and a small element with a tooltip, refreshed from each report. Cells
 * that the windowed notebook has not attached yet get theirs when they come into view.
 */
import { Cell } from '@jupyterlab/cells';
import { TranslationBundle } from '@jupyterlab/translation';

import { NotebookHygieneModel } from './model';
import { cellBadges, findingsByCell, IBadge } from './report';
import { HygieneTracker } from './tracker';
import { ICellReport, IFinding } from './tokens';

const CONTAINER_CLASS = 'jp-nbhygiene-badges';
const BADGED_CLASS = 'jp-nbhygiene-badged';
const KIND_PREFIX = 'jp-nbhygiene-mod-';

/** Put `badges` on a cell node, touching the DOM only when they changed. */
export function applyBadges(node: HTMLElement, badges: IBadge[]): void {
  const key = badges.map(b => `${b.kind}:${b.title}`).join('|');
  let container = node.querySelector<HTMLElement>(
    `:scope > .${CONTAINER_CLASS}`
  );
  if ((container?.dataset.key ?? '') === key) {
    return;
  }
  node.classList.forEach(name => {
    if (name.startsWith(KIND_PREFIX)) {
      node.classList.remove(name);
    }
  });
  if (badges.length === 0) {
    container?.remove();
    node.classList.remove(BADGED_CLASS);
    return;
  }
  if (!container) {
    container = document.createElement('div');
    container.className = CONTAINER_CLASS;
    node.appendChild(container);
  }
  container.dataset.key = key;
  container.replaceChildren(
    ...badges.map(badge => {
      const span = document.createElement('span');
      span.className = `jp-nbhygiene-badge jp-nbhygiene-badge-${badge.kind}`;
      span.textContent = badge.label;
      span.title = badge.title;
      return span;
    })
  );
  node.classList.add(BADGED_CLASS);
  badges.forEach(b => node.classList.add(`${KIND_PREFIX}${b.kind}`));
}

class NotebookBadges {
  constructor(
    private readonly _model: NotebookHygieneModel,
    private readonly _trans: TranslationBundle,
    private readonly _enabled: () => boolean
  ) {
    _model.reportChanged.connect(this._applyAll, this);
    _model.panel.content.cellInViewportChanged.connect(this._onCell, this);
    this._applyAll();
  }

  private _applyAll(): void {
    const report = this._model.report;
    this._byId = new Map((report?.cells ?? []).map(c => [c.id, c]));
    this._findings = findingsByCell(report?.findings ?? []);
    this._model.panel.content.widgets.forEach(cell => this._apply(cell));
  }

  private _onCell(_: unknown, cell: Cell): void {
    if (cell.inViewport) {
      this._apply(cell);
    }
  }

  private _apply(cell: Cell): void {
    const entry = this._byId.get(cell.model.id);
    const badges =
      entry && entry.cell_type === 'code' && this._enabled()
        ? cellBadges(entry, this._findings.get(entry.index) ?? [], this._trans)
        : [];
    applyBadges(cell.node, badges);
  }

  private _byId = new Map<string, ICellReport>();
  private _findings = new Map<number, IFinding[]>();
}

/** Keep badges on the cells of every open notebook. */
export function trackBadges(
  tracker: HygieneTracker,
  trans: TranslationBundle,
  enabled: () => boolean = () => true
): void {
  const attach = (model: NotebookHygieneModel) =>
    new NotebookBadges(model, trans, enabled);
  tracker.models.forEach(attach);
  tracker.modelAdded.connect((_, model) => attach(model));
}

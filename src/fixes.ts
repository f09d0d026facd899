/**
 * The repair flows behind the fix buttons: ask the server for a fix, apply it through
 * the notebook model (one undoable step), show the edit; and "Restart kernel and run
 * up to this cell".
 */
import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import { NotebookActions } from '@jupyterlab/notebook';
import { TranslationBundle } from '@jupyterlab/translation';

import { NotebookHygieneModel } from './model';
import { applyFix, undoStackOf } from './repairs';
import { NbHygieneRequestError, requestFix } from './request';
import { FixKind } from './tokens';

/** Show a sentence in a dialog that offers nothing but OK. */
export async function tell(title: string, message: string): Promise<void> {
  await showDialog({
    title,
    body: message,
    buttons: [Dialog.okButton()]
  });
}

/** Select the given cells (by id), the first one active, and scroll it into view. */
function showCells(model: NotebookHygieneModel, ids: readonly string[]): void {
  const notebook = model.panel.content;
  const indices = ids
    .map(id => notebook.widgets.findIndex(w => w.model.id === id))
    .filter(i => i >= 0);
  if (indices.length === 0) {
    return;
  }
  notebook.mode = 'command';
  notebook.deselectAll();
  notebook.activeCellIndex = indices[0];
  indices.forEach(i => notebook.select(notebook.widgets[i]));
  void notebook.scrollToItem(indices[0], 'smart');
}

/**
 * Ask the server for a fix of the notebook as it is now and apply it. A fix that is not
 * safe (409) is explained and nothing changes. `cell` is a notebook index (0-based).
 */
export async function runFix(
  model: NotebookHygieneModel,
  fix: FixKind,
  cell: number | undefined,
  trans: TranslationBundle
): Promise<boolean> {
  const notebookModel = model.panel.content.model;
  if (!notebookModel) {
    return false;
  }
  const shared = notebookModel.sharedModel;
  const sent = new Map(shared.cells.map(c => [c.id, c.getSource()]));
  let answer;
  try {
    answer = await requestFix({
      notebook: notebookModel.toJSON(),
      fix,
      ...(cell === undefined ? {} : { cell })
    });
  } catch (error) {
    const status = error instanceof NbHygieneRequestError ? error.status : 0;
    await tell(
      status === 409
        ? trans.__('This fix is not safe')
        : trans.__('The fix could not be prepared'),
      (error as Error).message
    );
    return false;
  }
  if (answer.edits.length === 0 && answer.moves.length === 0) {
    Notification.info(answer.summary || trans.__('Nothing to change.'), {
      autoClose: 5000
    });
    return false;
  }
  let changed: string[];
  try {
    changed = applyFix(shared, answer, sent);
  } catch (error) {
    await tell(trans.__('The fix was not applied'), (error as Error).message);
    return false;
  }
  const undoStack = undoStackOf(shared)?.undoStack;
  const step = undoStack?.[undoStack.length - 1];
  showCells(model, changed);
  const notebook = model.panel.content;
  // The summary often begins with the title already.
  const message =
    answer.summary && answer.summary.startsWith(answer.title)
      ? answer.summary
      : [answer.title, answer.summary].filter(Boolean).join(': ');
  Notification.success(message, {
    autoClose: 10000,
    actions: [
      {
        label: trans.__('Undo'),
        caption: trans.__('Revert this fix'),
        callback: () => {
          // Only while the fix is still the last change of the notebook.
          const stack = undoStackOf(shared)?.undoStack;
          if (stack && stack[stack.length - 1] === step) {
            NotebookActions.undo(notebook);
          }
        }
      }
    ]
  });
  void model.refresh();
  return true;
}

/**
 * Restart the notebook's kernel (a fresh kernel process of the same kind) and run its
 * cells from the first to `index` (a notebook index), stopping at the first error.
 */
export async function restartAndRunTo(
  model: NotebookHygieneModel,
  index: number
): Promise<boolean> {
  const notebook = model.panel.content;
  const context = model.panel.sessionContext;
  if (index < 0 || index >= notebook.widgets.length) {
    return false;
  }
  await context.ready;
  // A fresh process of the same kernelspec: for the cells this is a restart (an empty
  // namespace). `restartKernel()` would keep the kernel id, but under the galata harness
  // its connection was seen to stay "starting"; a new kernel in the session never was.
  const name = context.session?.kernel?.name;
  if (name) {
    await context.changeKernel({ name });
  }
  const ok = await NotebookActions.runCells(
    notebook,
    notebook.widgets.slice(0, index + 1),
    context
  );
  showCells(model, [notebook.widgets[index].model.id]);
  return ok;
}

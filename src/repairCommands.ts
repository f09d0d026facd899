/**
 * The repair and export commands (`nbhygiene:fix`, `nbhygiene:run-to-cell`,
 * `nbhygiene:export`) and their palette entries. A command's `cell` argument is the
 * 0-based index the panel shows (`data-cell-index`); without it, the active cell (or
 * the cell right-clicked) is meant.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { exportCells } from './export';
import { restartAndRunTo, runFix } from './fixes';
import { NotebookHygieneModel } from './model';
import { fixLabel } from './repairs';
import { CommandIDs, FixKind } from './tokens';
import { HygieneTracker } from './tracker';

const FIXES: FixKind[] = ['move-cell', 'hoist-imports', 'seed-random'];

/** The notebook and the notebook index a command is about. */
function target(
  app: JupyterFrontEnd,
  tracker: HygieneTracker,
  args: ReadonlyPartialJSONObject
): { model: NotebookHygieneModel; index: number } | null {
  if (typeof args.cell === 'number') {
    const model = tracker.current;
    return model ? { model, index: model.notebookIndex(args.cell) } : null;
  }
  // From a cell's context menu: the cell under the pointer.
  const node = app.contextMenuHitTest(n => n.classList.contains('jp-Cell'));
  if (node) {
    for (const model of tracker.models) {
      const index = model.panel.content.widgets.findIndex(w => w.node === node);
      if (index >= 0) {
        return { model, index };
      }
    }
  }
  const model = tracker.current;
  return model ? { model, index: model.panel.content.activeCellIndex } : null;
}

export function addRepairCommands(
  app: JupyterFrontEnd,
  tracker: HygieneTracker,
  trans: TranslationBundle,
  palette: ICommandPalette | null
): void {
  const hasNotebook = () => tracker.current !== null;
  const cellReport = (args: ReadonlyPartialJSONObject) =>
    typeof args.cell === 'number'
      ? tracker.current?.report?.cells[args.cell]
      : undefined;

  app.commands.addCommand(CommandIDs.fix, {
    label: args => {
      const fix = args.fix as FixKind;
      if (!FIXES.includes(fix)) {
        return trans.__('Fix a Hygiene Finding');
      }
      if (fix === 'move-cell' && typeof args.cell !== 'number') {
        return trans.__('Move the Cells the Active Cell Needs Above It');
      }
      return fixLabel(fix, trans, cellReport(args));
    },
    caption: trans.__(
      'Change the notebook to fix the finding, in one step that Undo reverts'
    ),
    describedBy: {
      args: {
        type: 'object',
        properties: {
          fix: { type: 'string', enum: FIXES },
          cell: { type: 'number' }
        },
        required: ['fix']
      }
    },
    isEnabled: args => hasNotebook() && FIXES.includes(args.fix as FixKind),
    execute: async args => {
      const fix = args.fix as FixKind;
      const model = tracker.current;
      if (!model || !FIXES.includes(fix)) {
        return false;
      }
      const cell =
        typeof args.cell === 'number'
          ? model.notebookIndex(args.cell)
          : fix === 'move-cell'
            ? model.panel.content.activeCellIndex
            : undefined;
      return runFix(model, fix, cell, trans);
    }
  });

  app.commands.addCommand(CommandIDs.runToCell, {
    label: args =>
      typeof args.cell === 'number'
        ? trans.__('Restart kernel and run up to cell %1', args.cell + 1)
        : trans.__('Restart Kernel and Run up to the Active Cell'),
    caption: trans.__(
      'Start the kernel afresh and run every cell from the top to this one'
    ),
    isEnabled: hasNotebook,
    execute: args => {
      const found = target(app, tracker, args);
      return found ? restartAndRunTo(found.model, found.index) : false;
    }
  });

  app.commands.addCommand(CommandIDs.exportModule, {
    label: args =>
      args.all
        ? trans.__('Export Notebook to Module…')
        : trans.__('Export to Module…'),
    caption: trans.__(
      'Write the cells this cell needs, in an order that runs, as a Python module with golden tests'
    ),
    isEnabled: hasNotebook,
    execute: args => {
      if (args.all) {
        const model = tracker.current;
        return model ? exportCells(app, model, [], trans) : null;
      }
      const found = target(app, tracker, args);
      if (!found || found.index < 0) {
        return null;
      }
      return exportCells(app, found.model, [found.index], trans);
    }
  });

  if (palette) {
    const category = trans.__('Notebook Hygiene');
    FIXES.forEach(fix =>
      palette.addItem({ command: CommandIDs.fix, args: { fix }, category })
    );
    palette.addItem({ command: CommandIDs.runToCell, category });
    palette.addItem({ command: CommandIDs.exportModule, category });
    palette.addItem({
      command: CommandIDs.exportModule,
      args: { all: true },
      category
    });
  }
}

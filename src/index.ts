import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { INotebookTracker, NotebookActions } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { LabIcon } from '@jupyterlab/ui-components';

import { trackBadges } from './badges';
import { NotebookHygieneModel } from './model';
import { addRepairCommands } from './repairCommands';
import { analysisSettings } from './settings';
import { CommandIDs, IHygieneTracker, PANEL_ID } from './tokens';
import { HygieneTracker } from './tracker';
import { HygienePanel } from './widgets/Panel';

import iconSvg from '../style/icons/nbhygiene.svg';

export const hygieneIcon = new LabIcon({
  name: 'nbhygiene:icon',
  svgstr: iconSvg
});

const PLUGIN = 'jupyterlab_nbhygiene:plugin';

interface ISettingsValues {
  autoAnalyze: boolean;
  cellBadges: boolean;
  analysisDelay: number;
  rules: Record<string, unknown>;
  verifyTimeout: number;
  verifyRuns: 1 | 2;
}

const DEFAULTS: ISettingsValues = {
  autoAnalyze: true,
  cellBadges: true,
  analysisDelay: 300,
  rules: {},
  verifyTimeout: 120,
  verifyRuns: 1
};

function selectCell(
  app: JupyterFrontEnd,
  model: NotebookHygieneModel,
  reportIndex: number
): void {
  const notebook = model.panel.content;
  const index = model.notebookIndex(reportIndex);
  if (index < 0 || index >= notebook.widgets.length) {
    return;
  }
  app.shell.activateById(model.panel.id);
  notebook.deselectAll();
  notebook.activeCellIndex = index;
  notebook.mode = 'command';
  void notebook.scrollToItem(index, 'smart');
}

/** Run cells of the report (by report index) one after the other, in the given order. */
async function runCells(
  model: NotebookHygieneModel,
  reportIndices: number[]
): Promise<void> {
  const notebook = model.panel.content;
  const cells = reportIndices
    .map(i => notebook.widgets[model.notebookIndex(i)])
    .filter(cell => cell !== undefined);
  for (const cell of cells) {
    const ok = await NotebookActions.runCells(
      notebook,
      [cell],
      model.panel.sessionContext
    );
    if (!ok) {
      break;
    }
  }
}

const plugin: JupyterFrontEndPlugin<IHygieneTracker> = {
  id: PLUGIN,
  description:
    'Notebook hygiene: score, cell state and dependencies, findings and reproducibility checks.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ICommandPalette, ISettingRegistry, ITranslator, ILayoutRestorer],
  provides: IHygieneTracker,
  activate: (
    app: JupyterFrontEnd,
    notebooks: INotebookTracker,
    palette: ICommandPalette | null,
    settingRegistry: ISettingRegistry | null,
    translator: ITranslator | null,
    restorer: ILayoutRestorer | null
  ): IHygieneTracker => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_nbhygiene');
    let values: ISettingsValues = { ...DEFAULTS };

    const tracker = new HygieneTracker(notebooks, {
      settings: () => analysisSettings(values.rules),
      autoAnalyze: () => values.autoAnalyze,
      delay: DEFAULTS.analysisDelay,
      verifyOptions: () => ({
        timeout: values.verifyTimeout,
        runs: values.verifyRuns
      })
    });

    const panel = new HygienePanel(tracker, trans, {
      selectCell: (model, index) => selectCell(app, model, index),
      runCells: (model, cells) => void runCells(model, cells),
      commands: app.commands
    });
    panel.title.icon = hygieneIcon;
    trackBadges(tracker, trans, () => values.cellBadges);
    app.shell.add(panel, 'right', { rank: 600 });
    restorer?.add(panel, PANEL_ID);

    const hasNotebook = () => tracker.current !== null;
    const category = trans.__('Notebook Hygiene');

    app.commands.addCommand(CommandIDs.openPanel, {
      // The View menu names the panel; the palette says what the command does.
      label: args =>
        args.menu
          ? trans.__('Notebook Hygiene')
          : trans.__('Open Notebook Hygiene Panel'),
      caption: trans.__('Show the hygiene score, cell states and findings'),
      icon: hygieneIcon,
      execute: () => {
        if (panel.isVisible && panel.node.contains(document.activeElement)) {
          // A second Accel Shift H goes back to the notebook.
          tracker.current?.panel.content.activate();
          return;
        }
        app.shell.activateById(PANEL_ID);
      }
    });
    app.commands.addCommand(CommandIDs.analyze, {
      label: trans.__('Analyze Notebook Hygiene'),
      caption: trans.__('Re-analyse the active notebook now'),
      isEnabled: hasNotebook,
      execute: () => tracker.refresh()
    });
    app.commands.addCommand(CommandIDs.verify, {
      label: args => (args.toolbar ? '' : trans.__('Verify Reproducibility')),
      caption: trans.__(
        'Run the notebook top to bottom in a fresh kernel and compare every output with the saved one'
      ),
      icon: hygieneIcon,
      isEnabled: hasNotebook,
      execute: async () => {
        const model = tracker.current;
        if (!model) {
          return;
        }
        app.shell.activateById(PANEL_ID);
        await model.startVerify();
      }
    });
    app.commands.addCommand(CommandIDs.cancelVerify, {
      label: trans.__('Cancel Reproducibility Check'),
      isEnabled: () =>
        ['queued', 'running'].includes(tracker.current?.verify?.state ?? ''),
      execute: () => tracker.current?.cancelVerify()
    });
    app.commands.addCommand(CommandIDs.runFixBy, {
      label: trans.__('Re-run Cells That Fix a Stale Cell'),
      isEnabled: hasNotebook,
      execute: args => {
        const model = tracker.current;
        const cells = (args.cells as number[] | undefined) ?? [];
        return model ? runCells(model, cells) : undefined;
      }
    });
    addRepairCommands(app, tracker, trans, palette);
    tracker.currentChanged.connect(() => app.commands.notifyCommandChanged());

    if (palette) {
      for (const command of [
        CommandIDs.openPanel,
        CommandIDs.analyze,
        CommandIDs.verify,
        CommandIDs.cancelVerify
      ]) {
        palette.addItem({ command, category });
      }
    }

    if (settingRegistry) {
      settingRegistry
        .load(PLUGIN)
        .then(settings => {
          const update = () => {
            values = {
              ...DEFAULTS,
              ...(settings.composite as unknown as Partial<ISettingsValues>)
            };
            tracker.refreshAll();
          };
          settings.changed.connect(update);
          update();
        })
        .catch(reason =>
          console.error('nbhygiene: settings failed to load', reason)
        );
    }

    return tracker;
  }
};

export default plugin;

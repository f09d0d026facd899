/**
 * Repair buttons of finding rows and cell rows. Every button runs a command and carries
 * its id in `data-command` (and the fix in `data-fix`), so scripts and tests find it.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import * as React from 'react';

import { fixFor, fixLabel } from '../repairs';
import { CommandIDs, ICellReport, IFinding } from '../tokens';

type CommandRegistry = JupyterFrontEnd['commands'];

/** States of a cell whose output no longer follows from the cells above it. */
const RUN_STATES: readonly string[] = ['stale', 'hidden'];

/** A button that runs a command; its label defaults to the command's. */
export function CommandButton(props: {
  commands: CommandRegistry;
  command: string;
  args?: ReadonlyPartialJSONObject;
  label?: string;
  title?: string;
}): JSX.Element {
  const { commands, command, args = {} } = props;
  const [busy, setBusy] = React.useState(false);
  const run = async () => {
    setBusy(true);
    try {
      await commands.execute(command, args);
    } catch (reason) {
      console.error(`nbhygiene: ${command} failed`, reason);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      className="jp-nbhygiene-action"
      data-command={command}
      data-fix={typeof args.fix === 'string' ? args.fix : undefined}
      disabled={busy}
      title={props.title ?? commands.caption(command, args)}
      onClick={() => void run()}
    >
      {props.label ?? commands.label(command, args)}
    </button>
  );
}

/** Buttons of one finding: its fix, and for a stale cell the restart-and-run. */
export function FindingActions(props: {
  finding: IFinding;
  cell?: ICellReport;
  commands: CommandRegistry;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { finding, cell, commands, trans } = props;
  const fix = fixFor(finding);
  const buttons: JSX.Element[] = [];
  if (fix) {
    buttons.push(
      <CommandButton
        key="fix"
        commands={commands}
        command={CommandIDs.fix}
        args={finding.cell === null ? { fix } : { fix, cell: finding.cell }}
        label={fixLabel(fix, trans, cell)}
      />
    );
  }
  if (finding.rule === 'stale-cell' && finding.cell !== null) {
    if (cell && cell.fix_by.length > 0) {
      buttons.push(
        <CommandButton
          key="fix-by"
          commands={commands}
          command={CommandIDs.runFixBy}
          args={{ cells: cell.fix_by }}
          label={trans.__(
            '▶ Re-run %1',
            cell.fix_by.map(i => i + 1).join(' → ')
          )}
          title={trans.__('Run these cells in this order')}
        />
      );
    }
    buttons.push(
      <CommandButton
        key="run-to"
        commands={commands}
        command={CommandIDs.runToCell}
        args={{ cell: finding.cell }}
        label={trans.__('Restart & run to here')}
      />
    );
  }
  return buttons.length > 0 ? (
    <div className="jp-nbhygiene-actions">{buttons}</div>
  ) : null;
}

/** Buttons of one cell row: restart-and-run for cells that need it, and export. */
export function CellActions(props: {
  cell: ICellReport;
  commands: CommandRegistry;
  trans: TranslationBundle;
}): JSX.Element {
  const { cell, commands, trans } = props;
  const needsRun = RUN_STATES.includes(cell.state);
  return (
    <div className="jp-nbhygiene-actions">
      {needsRun && (
        <CommandButton
          commands={commands}
          command={CommandIDs.runToCell}
          args={{ cell: cell.index }}
          label={trans.__('Restart & run')}
        />
      )}
      <CommandButton
        commands={commands}
        command={CommandIDs.exportModule}
        args={{ cell: cell.index }}
        label={trans.__('Export to module…')}
        title={trans.__(
          'Write the cells cell %1 needs as a Python module with golden tests',
          cell.index + 1
        )}
      />
    </div>
  );
}

/**
 * Render functions for the finding and cell rows' buttons; the cell rows' one stays the
 * same across reports so memoized rows do not re-render.
 */
export function useRepairActions(
  commands: CommandRegistry | undefined,
  trans: TranslationBundle,
  cells: ICellReport[] | undefined
): {
  finding?: (finding: IFinding) => React.ReactNode;
  cell?: (cell: ICellReport) => React.ReactNode;
} {
  const finding = React.useCallback(
    (f: IFinding) =>
      commands ? (
        <FindingActions
          finding={f}
          cell={f.cell === null ? undefined : cells?.[f.cell]}
          commands={commands}
          trans={trans}
        />
      ) : null,
    [commands, trans, cells]
  );
  const cell = React.useCallback(
    (c: ICellReport) =>
      commands ? (
        <CellActions cell={c} commands={commands} trans={trans} />
      ) : null,
    [commands, trans]
  );
  return commands ? { finding, cell } : {};
}

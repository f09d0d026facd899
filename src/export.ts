/**
 * "Export to module…": ask for the file names, ask the server for the module (and its
 * tests) made of the chosen cells' slice, write them through the contents API, open
 * the module in an editor and say what was left out.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { exportFileNames, leftOut } from './exportNames';
import { tell } from './fixes';
import { NotebookHygieneModel } from './model';
import { requestExport } from './request';

interface IExportPaths {
  module: string;
  /** Empty: no tests. */
  tests: string;
}

/** The body of the export dialog: the module's path and the tests' path. */
class ExportPathsBody
  extends Widget
  implements Dialog.IBodyWidget<IExportPaths>
{
  constructor(defaults: IExportPaths, trans: TranslationBundle) {
    super();
    this.addClass('jp-nbhygiene-export-dialog');
    this._module = this._field(
      trans.__('Module'),
      'jp-nbhygiene-export-module',
      defaults.module
    );
    this._tests = this._field(
      trans.__('Tests (leave empty for none)'),
      'jp-nbhygiene-export-tests',
      defaults.tests
    );
    const note = document.createElement('p');
    note.className = 'jp-nbhygiene-export-note';
    note.textContent = trans.__(
      'Paths are relative to the server root. The module runs the cells the chosen ones need, in an order that works; the tests compare its output with the outputs the notebook shows.'
    );
    this.node.appendChild(note);
  }

  getValue(): IExportPaths {
    return {
      module: this._module.value.trim(),
      tests: this._tests.value.trim()
    };
  }

  protected onAfterAttach(): void {
    // Show the ends of the paths: the file names.
    for (const input of [this._tests, this._module]) {
      input.focus();
      input.setSelectionRange(input.value.length, input.value.length);
      input.scrollLeft = input.scrollWidth;
    }
  }

  private _field(
    label: string,
    className: string,
    value: string
  ): HTMLInputElement {
    const wrapper = document.createElement('label');
    wrapper.className = 'jp-nbhygiene-export-field';
    const text = document.createElement('span');
    text.textContent = label;
    const input = document.createElement('input');
    input.className = `jp-mod-styled ${className}`;
    input.value = value;
    input.spellcheck = false;
    wrapper.append(text, input);
    this.node.appendChild(wrapper);
    return input;
  }

  private _module: HTMLInputElement;
  private _tests: HTMLInputElement;
}

async function exists(app: JupyterFrontEnd, path: string): Promise<boolean> {
  try {
    await app.serviceManager.contents.get(path, { content: false });
    return true;
  } catch {
    return false;
  }
}

/** Show what the export left out and why. */
async function showLeftOut(
  magics: string[],
  outputs: string[],
  trans: TranslationBundle
): Promise<void> {
  const body = document.createElement('div');
  body.className = 'jp-nbhygiene-export-summary';
  const section = (title: string, lines: string[]) => {
    if (lines.length === 0) {
      return;
    }
    const heading = document.createElement('h4');
    heading.textContent = title;
    const list = document.createElement('ul');
    lines.forEach(line => {
      const item = document.createElement('li');
      item.textContent = line;
      list.appendChild(item);
    });
    body.append(heading, list);
  };
  section(trans.__('Magics dropped (no meaning outside IPython)'), magics);
  section(trans.__('Outputs the tests do not compare'), outputs);
  await showDialog({
    title: trans.__('What the export left out'),
    body: new Widget({ node: body }),
    buttons: [Dialog.okButton()]
  });
}

/**
 * Export the slice of the given cells (notebook indices, 0-based; all code cells when
 * empty) of the model's notebook to a module next to it.
 *
 * @returns the module's path, or null when the user cancelled or the export refused.
 */
export async function exportCells(
  app: JupyterFrontEnd,
  model: NotebookHygieneModel,
  cells: readonly number[],
  trans: TranslationBundle
): Promise<string | null> {
  const notebookModel = model.panel.content.model;
  if (!notebookModel) {
    return null;
  }
  const path = model.panel.context.path;
  const numbers = cells.map(i => i + 1);
  const choice = await showDialog({
    title:
      numbers.length > 0
        ? trans.__('Export cell %1 to a module', numbers.join(', '))
        : trans.__('Export the notebook to a module'),
    body: new ExportPathsBody(exportFileNames(path, numbers), trans),
    buttons: [
      Dialog.cancelButton(),
      Dialog.okButton({ label: trans.__('Export') })
    ],
    focusNodeSelector: '.jp-nbhygiene-export-module'
  });
  if (!choice.button.accept || !choice.value || !choice.value.module) {
    return null;
  }
  const paths = choice.value;
  let answer;
  try {
    answer = await requestExport({
      notebook: notebookModel.toJSON(),
      path,
      ...(numbers.length > 0 ? { cells: numbers } : {}),
      tests: paths.tests !== '',
      module_path: paths.module,
      ...(paths.tests ? { tests_path: paths.tests } : {})
    });
  } catch (error) {
    await tell(trans.__('The export was refused'), (error as Error).message);
    return null;
  }
  const files: [string, string][] = [[paths.module, answer.module]];
  if (paths.tests && answer.tests !== null) {
    files.push([paths.tests, answer.tests]);
  }
  const present: string[] = [];
  for (const [file] of files) {
    if (await exists(app, file)) {
      present.push(file);
    }
  }
  if (present.length > 0) {
    const replace = await showDialog({
      title: trans.__('Replace existing files?'),
      body: trans.__(
        'These files exist and would be replaced: %1',
        present.join(', ')
      ),
      buttons: [
        Dialog.cancelButton(),
        Dialog.warnButton({ label: trans.__('Replace') })
      ]
    });
    if (!replace.button.accept) {
      return null;
    }
  }
  try {
    for (const [file, content] of files) {
      await app.serviceManager.contents.save(file, {
        type: 'file',
        format: 'text',
        content
      });
    }
  } catch (error) {
    await tell(
      trans.__('The module could not be written'),
      (error as Error).message
    );
    return null;
  }
  await app.commands.execute('docmanager:open', { path: paths.module });
  const { magics, outputs } = leftOut(answer.summary);
  const written = files
    .map(([file]) => file.slice(file.lastIndexOf('/') + 1))
    .join(trans.__(' and '));
  const actions =
    magics.length + outputs.length > 0
      ? [
          {
            label: trans.__('What was left out'),
            callback: () => void showLeftOut(magics, outputs, trans)
          }
        ]
      : [];
  const left = [
    magics.length > 0 &&
      trans._n('%1 magic dropped', '%1 magics dropped', magics.length),
    outputs.length > 0 &&
      trans._n(
        '%1 output not compared',
        '%1 outputs not compared',
        outputs.length
      )
  ].filter(Boolean);
  Notification.success(
    (numbers.length > 0
      ? trans.__('Exported cell %1 to %2.', numbers.join(', '), written)
      : trans.__('Exported the notebook to %1.', written)) +
      (left.length > 0 ? ` ${left.join(', ')}.` : ''),
    { autoClose: left.length > 0 ? false : 8000, actions }
  );
  return paths.module;
}

/**
 * One-click repairs and "Export to module…" as a person meets them in JupyterLab.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';

import { openWithPanel, waitForIdleKernel } from './helpers';

/** The sources of the current notebook's cells, in order (from its model). */
function sources(page: IJupyterLabPageFixture): Promise<string[]> {
  return page.evaluate(() => {
    const widget = window.jupyterapp.shell.currentWidget as any;
    return widget.content.model.sharedModel.cells.map((c: any) =>
      c.getSource()
    );
  });
}

const finding = (
  panel: ReturnType<IJupyterLabPageFixture['locator']>,
  rule: string
) => panel.locator(`.jp-nbhygiene-finding[data-rule="${rule}"]`);

test.describe('Repairs', () => {
  test('moving the defining cell removes use-before-definition; Undo brings it back', async ({
    page,
    tmpPath
  }, testInfo) => {
    const panel = await openWithPanel(page, tmpPath, 'hidden_state.ipynb');
    const ubd = finding(panel, 'use-before-definition');
    await expect(ubd).toHaveCount(1);
    const before = await sources(page);

    const button = ubd.locator(
      'button[data-command="nbhygiene:fix"][data-fix="move-cell"]'
    );
    // The report says which cell defines `tax_rate` below its use.
    await expect(button).toHaveText('Move cell 6 above cell 4');
    await panel.screenshot({ path: testInfo.outputPath('fix-button.png') });
    await button.click();

    await expect(ubd).toHaveCount(0);
    const after = await sources(page);
    expect(after.indexOf('tax_rate = 1.2')).toBeLessThan(
      after.indexOf('total = sum(prices) * tax_rate\ntotal')
    );
    expect([...after].sort()).toEqual([...before].sort());
    // The moved cell is the active one, in view.
    await expect(
      page.locator('.jp-Notebook .jp-Cell.jp-mod-active')
    ).toContainText('tax_rate = 1.2');
    await page.screenshot({ path: testInfo.outputPath('after-move.png') });

    // One step of the notebook's undo reverts the whole fix.
    await page.evaluate(() =>
      window.jupyterapp.commands.execute('notebook:undo-cell-action')
    );
    await expect(ubd).toHaveCount(1);
    expect(await sources(page)).toEqual(before);
  });

  test('imports move to the first code cell; the toast Undo reverts it', async ({
    page,
    tmpPath
  }, testInfo) => {
    const panel = await openWithPanel(page, tmpPath, 'scattered_imports.ipynb');
    await expect(finding(panel, 'duplicate-import')).toHaveCount(1);
    await expect(finding(panel, 'import-not-at-top')).not.toHaveCount(0);
    const before = await sources(page);

    await finding(panel, 'duplicate-import')
      .locator('button[data-command="nbhygiene:fix"][data-fix="hoist-imports"]')
      .click();
    await expect(finding(panel, 'duplicate-import')).toHaveCount(0);
    await expect(finding(panel, 'import-not-at-top')).toHaveCount(0);
    const after = await sources(page);
    expect(after[1]).toBe('import os\nimport math\n\nx = 1');
    expect(after[3]).toBe('print(os.sep)');

    const toast = page.locator('.Toastify__toast', {
      hasText: 'Move imports to the first code cell'
    });
    await expect(toast).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('after-hoist.png') });
    await toast.locator('.jp-toast-button', { hasText: 'Undo' }).click();
    await expect(finding(panel, 'duplicate-import')).toHaveCount(1);
    expect(await sources(page)).toEqual(before);
  });

  test('a seed is inserted where the generator is made, and shown', async ({
    page,
    tmpPath
  }, testInfo) => {
    const panel = await openWithPanel(page, tmpPath, 'unseeded.ipynb');
    await finding(panel, 'unseeded-random')
      .locator('button[data-command="nbhygiene:fix"][data-fix="seed-random"]')
      .click();
    await expect(finding(panel, 'unseeded-random')).toHaveCount(0);
    expect((await sources(page))[1]).toBe('import random\nrandom.seed(0)');
    // The edited cell is the active one, for the user to review.
    await expect(
      page.locator('.jp-Notebook .jp-Cell.jp-mod-active')
    ).toContainText('random.seed(0)');
    await page.screenshot({ path: testInfo.outputPath('after-seed.png') });
  });

  test('an unsafe move is explained and changes nothing', async ({
    page,
    tmpPath
  }, testInfo) => {
    const panel = await openWithPanel(page, tmpPath, 'unsafe_move.ipynb');
    const before = await sources(page);
    await finding(panel, 'use-before-definition')
      .locator('button[data-command="nbhygiene:fix"]')
      .click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('This fix is not safe');
    await expect(dialog).toContainText('cell 4 needs `y` from cell 3');
    await expect(dialog.locator('.jp-Dialog-button')).toHaveCount(1);
    await dialog.screenshot({ path: testInfo.outputPath('unsafe.png') });
    await dialog.locator('.jp-Dialog-button').click();
    expect(await sources(page)).toEqual(before);
    await expect(finding(panel, 'use-before-definition')).toHaveCount(1);
  });
});

test('Restart & run up to a cell starts the kernel afresh', async ({
  page,
  tmpPath
}) => {
  await openWithPanel(page, tmpPath, 'hidden_state.ipynb');
  await waitForIdleKernel(page);
  // The live kernel knows tax_rate: cell 4 would run without error in it.
  await page.notebook.runCell(5);
  await waitForIdleKernel(page);
  await page.evaluate(() =>
    window.jupyterapp.commands.execute('nbhygiene:run-to-cell', { cell: 3 })
  );
  const cell4 = page.locator('.jp-Notebook .jp-Cell').nth(3);
  await expect(cell4.locator('.jp-OutputArea-output')).toContainText(
    "NameError: name 'tax_rate' is not defined"
  );
  await expect(cell4.locator('.jp-InputPrompt')).toHaveText('[3]:');
});

test.describe('Export to module', () => {
  test('a row exports its cell, writes module and tests, opens the module', async ({
    page,
    tmpPath
  }, testInfo) => {
    const panel = await openWithPanel(page, tmpPath, 'hidden_state.ipynb');
    await panel
      .locator(
        '.jp-nbhygiene-cell[data-cell-index="3"] button[data-command="nbhygiene:export"]'
      )
      .click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog.locator('.jp-nbhygiene-export-module')).toHaveValue(
      `${tmpPath}/hidden_state_cell4.py`
    );
    await expect(dialog.locator('.jp-nbhygiene-export-tests')).toHaveValue(
      `${tmpPath}/test_hidden_state_cell4.py`
    );
    await dialog.screenshot({ path: testInfo.outputPath('export-dialog.png') });
    await dialog.locator('.jp-Dialog-button.jp-mod-accept').click();

    const tab = page.locator('.lm-DockPanel-tabBar .lm-TabBar-tab', {
      hasText: 'hidden_state_cell4.py'
    });
    await expect(tab).toBeVisible();
    const editor = page.locator('.jp-FileEditor .cm-content');
    await expect(editor).toContainText('tax_rate = 1.2');
    await expect(editor).toContainText('total = sum(prices) * tax_rate');
    expect(
      await page.contents.fileExists(`${tmpPath}/test_hidden_state_cell4.py`)
    ).toBe(true);
    await expect(
      page.locator('.Toastify__toast', {
        hasText:
          'Exported cell 4 to hidden_state_cell4.py and test_hidden_state_cell4.py'
      })
    ).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('exported.png') });
  });

  test('the export says which magics and outputs it left out, and why', async ({
    page,
    tmpPath
  }, testInfo) => {
    const panel = await openWithPanel(page, tmpPath, 'magic_and_figure.ipynb');
    await panel
      .locator(
        '.jp-nbhygiene-cell[data-cell-index="2"] button[data-command="nbhygiene:export"]'
      )
      .click();
    await page.locator('.jp-Dialog .jp-Dialog-button.jp-mod-accept').click();
    const toast = page.locator('.Toastify__toast', {
      hasText: '1 magic dropped, 1 output not compared'
    });
    await expect(toast).toBeVisible();
    await toast
      .locator('.jp-toast-button', { hasText: 'What was left out' })
      .click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText(
      'cell 2, line 1: %matplotlib inline — configures IPython only'
    );
    await expect(dialog).toContainText(
      'cell 3, output 2: image/png — images are not compared'
    );
    await dialog.screenshot({ path: testInfo.outputPath('left-out.png') });
    await dialog.locator('.jp-Dialog-button').click();
  });

  test("a code cell's context menu offers the export of that cell", async ({
    page,
    tmpPath
  }) => {
    await openWithPanel(page, tmpPath, 'hidden_state.ipynb');
    await page
      .locator('.jp-Notebook .jp-Cell')
      .nth(6)
      .click({ button: 'right' });
    await page
      .locator('.lm-Menu-item', { hasText: 'Export to Module…' })
      .click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog.locator('.jp-nbhygiene-export-module')).toHaveValue(
      `${tmpPath}/hidden_state_cell7.py`
    );
    await dialog.locator('.jp-Dialog-button.jp-mod-reject').click();
    await expect(dialog).toHaveCount(0);
  });

  test('View → Notebook Hygiene opens the panel', async ({ page, tmpPath }) => {
    await openWithPanel(page, tmpPath, 'hidden_state.ipynb');
    await page.evaluate(() => {
      window.jupyterapp.shell.collapseRight();
    });
    await expect(page.locator('#jp-nbhygiene-panel')).toBeHidden();
    await page.locator('.lm-MenuBar-itemLabel', { hasText: /^View$/ }).click();
    await page
      .locator('.lm-Menu-item', { hasText: /^Notebook Hygiene$/ })
      .click();
    await expect(page.locator('#jp-nbhygiene-panel')).toBeVisible();
  });

  test('repairs and export are in the command palette', async ({
    page,
    tmpPath
  }) => {
    await openWithPanel(page, tmpPath, 'hidden_state.ipynb');
    await page.keyboard.press('Control+Shift+C');
    const palette = page.locator('#modal-command-palette');
    for (const label of [
      'Move imports to the first code cell',
      'Insert a seed',
      'Restart Kernel and Run up to the Active Cell',
      'Export Notebook to Module…'
    ]) {
      await palette.locator('input').fill(label);
      await expect(
        palette.locator('.lm-CommandPalette-item', { hasText: label })
      ).toBeVisible();
    }
  });
});

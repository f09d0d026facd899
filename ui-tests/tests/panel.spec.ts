import { expect, test } from '@jupyterlab/galata';
import * as path from 'path';

const NOTEBOOK = 'hidden_state.ipynb';

test.describe('Notebook hygiene panel', () => {
  test.beforeEach(async ({ page, tmpPath }) => {
    await page.contents.uploadFile(
      path.resolve(__dirname, '..', 'notebooks', NOTEBOOK),
      `${tmpPath}/${NOTEBOOK}`
    );
    await page.notebook.openByPath(`${tmpPath}/${NOTEBOOK}`);
    await page.notebook.activate(NOTEBOOK);
  });

  test('shows one row per code cell and the out-of-order finding', async ({
    page
  }, testInfo) => {
    await page.evaluate(async () => {
      await window.jupyterapp.commands.execute('nbhygiene:open-panel');
    });
    const panel = page.locator('#jp-nbhygiene-panel');
    await expect(panel).toBeVisible();
    await expect(panel.locator('.jp-nbhygiene-cell')).toHaveCount(6);
    await expect(
      panel.locator('.jp-nbhygiene-finding[data-rule="out-of-order-execution"]')
    ).toHaveCount(1);
    const score = panel.locator('.jp-nbhygiene-score');
    await expect(score).toHaveText(/^\d{1,3}$/);
    await expect(
      page.locator('.jp-SideBar [data-id="jp-nbhygiene-panel"]')
    ).toBeVisible();
    await panel.screenshot({ path: testInfo.outputPath('panel.png') });
    await page.screenshot({ path: testInfo.outputPath('lab.png') });
  });

  test('Accel Alt H opens the panel', async ({ page }) => {
    await page.notebook.selectCells(1);
    await page.keyboard.press('Control+Alt+H');
    await expect(page.locator('#jp-nbhygiene-panel')).toBeVisible();
  });

  test('the notebook toolbar carries the verify button', async ({ page }) => {
    const button = page.locator(
      '.jp-NotebookPanel-toolbar [data-command="nbhygiene:verify"]'
    );
    await expect(button).toBeVisible();
  });

  test('commands are in the palette', async ({ page }) => {
    const labels = await page.evaluate(() => {
      const commands = window.jupyterapp.commands;
      return [
        'nbhygiene:open-panel',
        'nbhygiene:analyze',
        'nbhygiene:verify'
      ].map(id => commands.hasCommand(id) && commands.label(id));
    });
    expect(labels).toEqual([
      'Open Notebook Hygiene Panel',
      'Analyze Notebook Hygiene',
      'Verify Reproducibility'
    ]);
    await page.keyboard.press('Control+Shift+C');
    await page.locator('#modal-command-palette input').fill('Notebook Hygiene');
    await expect(
      page.locator('#modal-command-palette .lm-CommandPalette-item', {
        hasText: 'Open Notebook Hygiene Panel'
      })
    ).toBeVisible();
  });
});

/**
 * One truth per cell: the four situations where the panel used to contradict itself,
 * walked on the shipped demo (hidden_state.ipynb).
 */
import { expect, test } from '@jupyterlab/galata';

import { openWithPanel, waitForIdleKernel } from './helpers';

test.describe.configure({ timeout: 90000 });
test.use({ viewport: { width: 1280, height: 900 } });

const DEMO = 'hidden_state.ipynb';

test.describe('One truth per cell', () => {
  test('the cell that uses tax_rate before its definition is hidden, with the reason and a dashed labelled edge', async ({
    page,
    tmpPath
  }, testInfo) => {
    const panel = await openWithPanel(page, tmpPath, DEMO);
    // cell 4 (index 3) uses `tax_rate`, which only cell 6 (index 5) defines.
    const row = panel.locator('.jp-nbhygiene-cell[data-cell-index="3"]');
    await expect(row).toHaveAttribute('data-state', 'hidden');
    await expect(row.locator('.jp-nbhygiene-state')).toHaveText(/hidden/);
    await expect(row.locator('.jp-nbhygiene-hidden-why')).toHaveText(
      'uses tax_rate from cell 6 below'
    );
    await expect(row.locator('.jp-nbhygiene-hidden-why code')).toHaveText(
      'tax_rate'
    );
    // No row reads "fresh" while a finding on it says Restart & Run All fails.
    const errored = await panel
      .locator('.jp-nbhygiene-finding[data-severity="error"]')
      .evaluateAll(rows => rows.map(r => r.getAttribute('data-cell-index')));
    for (const index of errored) {
      await expect(
        panel.locator(`.jp-nbhygiene-cell[data-cell-index="${index}"]`)
      ).not.toHaveAttribute('data-state', 'fresh');
    }
    // The finding explains the "cell 6 [4]" notation.
    await expect(
      panel.locator(
        '.jp-nbhygiene-finding[data-rule="use-before-definition"] .jp-nbhygiene-message'
      )
    ).not.toContainText('[');

    const edge = panel.locator('.jp-nbhygiene-edge[data-hidden="true"]');
    await expect(edge).toHaveCount(1);
    await expect(edge).toHaveAttribute('data-from', '5');
    await expect(edge).toHaveAttribute('data-to', '3');
    expect(
      await edge.evaluate(e => getComputedStyle(e).strokeDasharray)
    ).not.toBe('none');
    await expect(
      panel.locator('.jp-nbhygiene-edge-label[data-hidden="true"]')
    ).toHaveText('tax_rate');
    // Every node has a label, not only a state icon.
    const labels = await panel
      .locator('.jp-nbhygiene-graph-defines')
      .allTextContents();
    expect(labels).toHaveLength(6);
    expect(labels.every(l => l.trim().length > 0)).toBe(true);

    const badge = page
      .locator('.jp-Cell')
      .nth(3)
      .locator('.jp-nbhygiene-badge-hidden');
    await expect(badge).toHaveText('hidden');
    await expect(badge).toHaveAttribute('title', /tax_rate` from cell 6 below/);

    await panel
      .locator('.jp-nbhygiene-graph')
      .screenshot({ path: testInfo.outputPath('graph-hidden-edge.png') });
    await row.screenshot({ path: testInfo.outputPath('row-hidden.png') });
  });

  test('the score says the demo breaks on re-run, never fair or good, then not reproducible after verify', async ({
    page,
    tmpPath
  }, testInfo) => {
    const panel = await openWithPanel(page, tmpPath, DEMO);
    const box = panel.locator('.jp-nbhygiene-scorebox');
    await expect(box.locator('.jp-nbhygiene-band-word')).toHaveText(
      'breaks on re-run'
    );
    await expect(box).toHaveAttribute('data-band', 'breaks');
    await expect(box.locator('.jp-nbhygiene-band-word')).not.toHaveClass(
      /band-(good|fair)/
    );
    await box
      .locator('summary')
      .screenshot({ path: testInfo.outputPath('score-label.png') });
    // Once a verify run says the notebook does not reproduce, the label says so.
    await page.evaluate(async () => {
      await window.jupyterapp.commands.execute('nbhygiene:verify');
    });
    await expect(panel.locator('.jp-nbhygiene-verify')).toHaveAttribute(
      'data-state',
      'done',
      { timeout: 60000 }
    );
    await expect(box.locator('.jp-nbhygiene-band-word')).toHaveText(
      'not reproducible'
    );
    await expect(box).toHaveAttribute('data-band', 'breaks');
    await box
      .locator('summary')
      .screenshot({ path: testInfo.outputPath('score-not-reproducible.png') });
  });

  test('Run All in a fresh kernel stopping at the NameError: the cells never reached are unexecuted, the raising cell errored', async ({
    page,
    tmpPath
  }, testInfo) => {
    const panel = await openWithPanel(page, tmpPath, DEMO);
    await waitForIdleKernel(page);
    // What Kernel › Restart Kernel and Run All Cells does: a new kernel process, then
    // Run All. The new kernel is started with "change kernel": under galata here, a
    // kernel restarted through the menu stays "starting" and never runs a cell (the same
    // restart works in a plain Chromium session against the same server).
    await page.evaluate(async () => {
      const widget = window.jupyterapp.shell.currentWidget as any;
      await widget.sessionContext.changeKernel({ name: 'python3' });
    });
    await waitForIdleKernel(page);
    await page.evaluate(() => {
      void window.jupyterapp.commands.execute('notebook:run-all-cells');
    });
    const row = (i: number) =>
      panel.locator(`.jp-nbhygiene-cell[data-cell-index="${i}"]`);
    await expect(row(3)).toHaveAttribute('data-state', 'errored');
    for (const i of [4, 5, 6]) {
      await expect(row(i)).toHaveAttribute('data-state', 'unexecuted');
    }
    for (const i of [1, 2]) {
      await expect(row(i)).toHaveAttribute('data-state', 'fresh');
    }
    await expect(
      page.locator('.jp-Cell').nth(4).locator('.jp-nbhygiene-badge-errored')
    ).toHaveCount(0);
    // These outputs come from this kernel session: no finding calls them "saved".
    await expect(
      panel.locator('.jp-nbhygiene-finding[data-rule="error-output"]')
    ).toHaveCount(1);
    await expect(
      panel
        .locator('.jp-nbhygiene-finding .jp-nbhygiene-message')
        .filter({ hasText: /saved (output|notebook)/i })
    ).toHaveCount(0);
    await page
      .locator('.jp-nbhygiene-cells')
      .screenshot({ path: testInfo.outputPath('rows-after-run-all.png') });
    await page.screenshot({ path: testInfo.outputPath('lab-run-all.png') });
  });

  test('a keystroke in a cell of a notebook just opened makes its row edited', async ({
    page,
    tmpPath
  }, testInfo) => {
    const panel = await openWithPanel(page, tmpPath, DEMO);
    const row = panel.locator('.jp-nbhygiene-cell[data-cell-index="2"]');
    await expect(row).toHaveAttribute('data-state', 'fresh');
    await page.notebook.enterCellEditingMode(2);
    await page.keyboard.press('End');
    const edit = page.waitForRequest(
      request =>
        request.method() === 'POST' &&
        new URL(request.url()).pathname.endsWith('/nbhygiene/analyze') &&
        (request.postData() ?? '').includes('# ok')
    );
    await page.keyboard.type(' # ok');
    await expect(row).toHaveAttribute('data-state', 'edited');
    // After the first analysis only the edited cell travels, by id, against the
    // revision the server confirmed.
    const body = (await edit).postDataJSON();
    expect(body.notebook).toBeUndefined();
    expect(typeof body.client).toBe('string');
    expect(typeof body.base_revision).toBe('number');
    // Nothing that did not change: no order (no cell moved), no history, no settings.
    expect(Object.keys(body).sort()).toEqual([
      'base_revision',
      'client',
      'delta'
    ]);
    expect(Object.keys(body.delta)).toEqual(['cells']);
    expect(body.delta.cells.map((c: any) => c.source)).toEqual([
      'prices = [3.5, 4.0, 5.25] # ok'
    ]);
    await expect(
      page.locator('.jp-Cell').nth(2).locator('.jp-nbhygiene-badge-edited')
    ).toBeVisible();
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Backspace');
    }
    // Back to the source it was saved with: fresh again.
    await expect(row).toHaveAttribute('data-state', 'fresh');
    await panel.screenshot({ path: testInfo.outputPath('panel-edited.png') });

    // Closing the notebook ends its analysis session on the server.
    const closed = page.waitForRequest(
      request =>
        request.method() === 'DELETE' &&
        new URL(request.url()).pathname.endsWith(
          `/nbhygiene/analyze/${body.client}`
        )
    );
    await page.evaluate(async () => {
      await window.jupyterapp.commands.execute('docmanager:save');
      await window.jupyterapp.commands.execute('application:close');
    });
    await closed;
  });
});

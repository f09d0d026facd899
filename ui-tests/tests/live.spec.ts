import { expect, test } from '@jupyterlab/galata';

import { activeCellIndex, openWithPanel, waitForIdleKernel } from './helpers';

test.describe.configure({ timeout: 90000 });

test.describe('Live hidden state', () => {
  test('running out of order marks the dependent cell stale, the fix button re-runs it', async ({
    page,
    tmpPath
  }, testInfo) => {
    // The history the server holds, rebuilt from the bodies: a full body (or
    // `history_reset`) starts it over, a delta appends to it.
    let held: any[] | null = null;
    page.on('request', request => {
      if (
        request.method() !== 'POST' ||
        !new URL(request.url()).pathname.endsWith('/nbhygiene/analyze')
      ) {
        return;
      }
      const body = request.postDataJSON();
      if (body.delta) {
        const added: any[] = body.delta.history ?? []; // left out: nothing new
        held = body.delta.history_reset
          ? added
          : held === null && added.length === 0
            ? null
            : [...(held ?? []), ...added];
      } else {
        held = body.history?.executions ?? null;
      }
    });
    const panel = await openWithPanel(page, tmpPath, 'two_cells.ipynb');
    await waitForIdleKernel(page);
    const rowA = panel.locator('.jp-nbhygiene-cell[data-cell-index="0"]');
    const rowB = panel.locator('.jp-nbhygiene-cell[data-cell-index="1"]');

    await page.notebook.runCell(0);
    await page.notebook.runCell(1);
    await expect(rowB).toHaveAttribute('data-state', 'fresh');

    await page.notebook.setCell(0, 'code', 'x = 2');
    await expect(rowA).toHaveAttribute('data-state', 'edited');
    await expect(page.locator('.jp-Cell').nth(0)).toHaveClass(
      /jp-nbhygiene-mod-edited/
    );

    await page.notebook.runCell(0);
    await expect
      .poll(() =>
        (held ?? []).map((e: any) => [e.source, e.execution_count, e.cell_id])
      )
      .toEqual([
        ['x = 1', 1, 'cell-a'],
        ['y = x + 1', 2, 'cell-b'],
        ['x = 2', 3, 'cell-a']
      ]);

    await expect(rowB).toHaveAttribute('data-state', 'stale');
    await expect(rowB.locator('.jp-nbhygiene-stale-why')).toContainText(
      '`x` changed by cell 1'
    );
    const badge = page
      .locator('.jp-Cell')
      .nth(1)
      .locator('.jp-nbhygiene-badge-stale');
    await expect(badge).toBeVisible();
    await expect(badge).toHaveAttribute('title', /changed by cell 1/);
    await page
      .locator('.jp-Notebook')
      .screenshot({ path: testInfo.outputPath('notebook-badges.png') });

    await rowB.locator('.jp-nbhygiene-fix').click();
    await expect(rowB).toHaveAttribute('data-state', 'fresh');
    await expect(badge).toHaveCount(0);
  });

  test('a kernel restart forgets the history', async ({ page, tmpPath }) => {
    const panel = await openWithPanel(page, tmpPath, 'two_cells.ipynb');
    await waitForIdleKernel(page);
    await page.notebook.runCell(0);
    const rowA = panel.locator('.jp-nbhygiene-cell[data-cell-index="0"]');
    await expect(rowA).toHaveAttribute('data-state', 'fresh');
    await page.evaluate(async () => {
      const widget = window.jupyterapp.shell.currentWidget as any;
      await widget.sessionContext.restartKernel();
    });
    await expect(rowA).toHaveAttribute('data-state', 'unexecuted');
  });

  test('selecting a cell highlights its inputs; a click on a row selects the cell', async ({
    page,
    tmpPath
  }) => {
    const panel = await openWithPanel(page, tmpPath, 'hidden_state.ipynb');
    // cell 7 (index 6) prints the mean of `prices` (cell 3) with `statistics` (cell 2).
    await panel
      .locator(
        '.jp-nbhygiene-cell[data-cell-index="6"] .jp-nbhygiene-cell-head'
      )
      .click();
    expect(await activeCellIndex(page)).toBe(6);
    await expect(
      panel.locator('.jp-nbhygiene-cell[data-cell-index="6"]')
    ).toHaveAttribute('data-relation', 'active');
    await expect(
      panel.locator('.jp-nbhygiene-cell[data-cell-index="1"]')
    ).toHaveAttribute('data-relation', 'upstream');
    await expect(
      panel.locator('.jp-nbhygiene-graph-node[data-cell-index="2"]')
    ).toHaveAttribute('data-relation', 'upstream');

    await page.notebook.selectCells(2);
    await expect(
      panel.locator('.jp-nbhygiene-cell[data-cell-index="6"]')
    ).toHaveAttribute('data-relation', 'downstream');

    await panel
      .locator('.jp-nbhygiene-graph-node[data-cell-index="4"]')
      .click();
    expect(await activeCellIndex(page)).toBe(4);
  });

  test('a click on a finding lands on its cell', async ({ page, tmpPath }) => {
    const panel = await openWithPanel(page, tmpPath, 'hidden_state.ipynb');
    await page.notebook.selectCells(0);
    expect(await activeCellIndex(page)).toBe(0);
    const finding = panel.locator(
      '.jp-nbhygiene-finding[data-rule="use-before-definition"]'
    );
    await expect(finding).toHaveCount(1);
    // The finding's own button (its fix buttons carry data-command).
    await finding.locator('button:not([data-command])').click();
    await expect.poll(() => activeCellIndex(page)).toBe(3);

    await panel.locator('.jp-nbhygiene-filter').fill('mutation');
    await expect(panel.locator('.jp-nbhygiene-finding')).toHaveCount(1);
    await panel.locator('.jp-nbhygiene-groupby').selectOption('category');
    await expect(
      panel.locator(
        '.jp-nbhygiene-findings section[data-group="reproducibility"]'
      )
    ).toHaveCount(1);
  });
});

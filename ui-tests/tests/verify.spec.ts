import { expect, test } from '@jupyterlab/galata';

import { activeCellIndex, openWithPanel } from './helpers';

test.describe.configure({ timeout: 90000 });

test.describe('Verify reproducibility', () => {
  test('the toolbar button runs the hidden-state notebook and explains the NameError', async ({
    page,
    tmpPath
  }) => {
    const panel = await openWithPanel(page, tmpPath, 'hidden_state.ipynb');
    await page
      .locator('.jp-NotebookPanel-toolbar [data-command="nbhygiene:verify"]')
      .click();
    const verify = panel.locator('.jp-nbhygiene-verify');
    await expect(verify).toHaveAttribute('data-state', 'done', {
      timeout: 60000
    });
    await expect(verify.locator('.jp-nbhygiene-verdict-summary')).toContainText(
      'Not reproducible'
    );
    await expect(verify.locator('.jp-nbhygiene-cause')).toContainText(
      'out of order'
    );
    const verdict = verify.locator(
      '.jp-nbhygiene-verdict[data-cell-index="3"]'
    );
    await expect(verdict).toHaveAttribute('data-verdict', 'new-error');
    await expect(verdict).toContainText(
      "NameError: name 'tax_rate' is not defined"
    );
    await expect(verify.locator('.jp-nbhygiene-order')).toContainText(
      'cell 4 uses `tax_rate`, which is defined further down, in cell 6'
    );
    await verdict.locator('.jp-nbhygiene-verdict-head').click();
    await expect.poll(() => activeCellIndex(page)).toBe(3);
  });

  test('a long run shows its progress and can be cancelled', async ({
    page,
    tmpPath
  }) => {
    const panel = await openWithPanel(page, tmpPath, 'slow.ipynb');
    await page.evaluate(async () => {
      await window.jupyterapp.commands.execute('nbhygiene:verify');
    });
    const verify = panel.locator('.jp-nbhygiene-verify');
    await expect(verify).toHaveAttribute('data-state', 'running', {
      timeout: 30000
    });
    await expect(verify.locator('progress')).toBeVisible();
    await expect(verify.locator('.jp-nbhygiene-progress')).toContainText(
      'of 3 cells'
    );
    await verify.locator('.jp-nbhygiene-cancel').click();
    await expect(verify).toHaveAttribute('data-state', 'cancelled', {
      timeout: 30000
    });
  });
});

test.describe('Verify errors', () => {
  test('a server error is shown, not swallowed', async ({ page, tmpPath }) => {
    const panel = await openWithPanel(page, tmpPath, 'two_cells.ipynb');
    await page.route(
      url => url.pathname.endsWith('/nbhygiene/verify'),
      route =>
        route.fulfill({
          status: 422,
          contentType: 'application/json',
          body: JSON.stringify({
            message:
              "The notebook's kernel 'julia' is not installed on this server."
          })
        })
    );
    await page.evaluate(async () => {
      await window.jupyterapp.commands.execute('nbhygiene:verify');
    });
    await expect(
      panel.locator('.jp-nbhygiene-verify .jp-nbhygiene-error')
    ).toContainText("kernel 'julia' is not installed");
  });
});

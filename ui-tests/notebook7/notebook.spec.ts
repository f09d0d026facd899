/**
 * The extension in Notebook 7: the toolbar's verify button, the panel in the right
 * sidebar opened from the View menu, a finding, and a verify run that completes.
 */
import { APIRequestContext, expect, test } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

const NOTEBOOK = 'hidden_state.ipynb';

/** Put a notebook of ui-tests/notebooks in a fresh folder of the server; its path. */
async function upload(
  request: APIRequestContext,
  name: string
): Promise<string> {
  const folder = `nb7-${Date.now()}`;
  const created = await request.put(`/api/contents/${folder}`, {
    data: { type: 'directory' }
  });
  expect(created.ok()).toBeTruthy();
  const content = JSON.parse(
    fs.readFileSync(path.resolve(__dirname, '..', 'notebooks', name), 'utf-8')
  );
  const saved = await request.put(`/api/contents/${folder}/${name}`, {
    data: { type: 'notebook', format: 'json', content }
  });
  expect(saved.ok()).toBeTruthy();
  return `${folder}/${name}`;
}

test('Notebook 7: verify button, panel from the View menu, a finding, a verify run', async ({
  page,
  request
}, testInfo) => {
  const notebookPath = await upload(request, NOTEBOOK);
  await page.goto(`/notebooks/${notebookPath}`);
  await expect(page.locator('.jp-Notebook .jp-Cell').first()).toBeVisible();

  const verify = page.locator(
    '.jp-NotebookPanel-toolbar [data-command="nbhygiene:verify"]'
  );
  await expect(verify).toBeVisible();

  // The panel without the shortcut: View → Notebook Hygiene.
  await page.locator('.lm-MenuBar-itemLabel', { hasText: /^View$/ }).click();
  await page
    .locator('.lm-Menu-item', { hasText: /^Notebook Hygiene$/ })
    .click();
  const panel = page.locator('#jp-nbhygiene-panel');
  await expect(panel).toBeVisible();
  const inRightSidebar = await page.evaluate(() => {
    const shell = (window as any).jupyterapp.shell;
    return Array.from(shell.widgets('right') as Iterable<{ id: string }>).some(
      w => w.id === 'jp-nbhygiene-panel'
    );
  });
  expect(inRightSidebar).toBe(true);
  await expect(panel.locator('.jp-nbhygiene-score')).toHaveText(/^\d{1,3}$/);
  await expect(
    panel.locator('.jp-nbhygiene-finding[data-rule="out-of-order-execution"]')
  ).toHaveCount(1);

  await verify.click();
  const view = panel.locator('.jp-nbhygiene-verify');
  await expect(view).toHaveAttribute('data-state', 'done', { timeout: 90000 });
  await page.screenshot({ path: testInfo.outputPath('notebook7.png') });
});

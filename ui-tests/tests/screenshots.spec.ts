import { expect, test } from '@jupyterlab/galata';

import { openWithPanel } from './helpers';

test.describe.configure({ timeout: 90000 });
test.use({ viewport: { width: 1280, height: 900 } });

for (const theme of ['light', 'dark'] as const) {
  test(`panel, graph and verify view in the ${theme} theme`, async ({
    page,
    tmpPath
  }, testInfo) => {
    if (theme === 'dark') {
      await page.theme.setDarkTheme();
    }
    const panel = await openWithPanel(page, tmpPath, 'hidden_state.ipynb');
    await page.notebook.selectCells(6);
    await expect(
      panel.locator('.jp-nbhygiene-graph-node[data-relation="active"]')
    ).toHaveCount(1);
    await panel.locator('.jp-nbhygiene-scorebox summary').click();
    await panel.screenshot({ path: testInfo.outputPath(`panel-${theme}.png`) });
    await panel
      .locator('.jp-nbhygiene-graph')
      .screenshot({ path: testInfo.outputPath(`graph-${theme}.png`) });

    await page.evaluate(async () => {
      await window.jupyterapp.commands.execute('nbhygiene:verify');
    });
    const verify = panel.locator('.jp-nbhygiene-verify');
    await expect(verify).toHaveAttribute('data-state', 'done', {
      timeout: 60000
    });
    await verify.screenshot({
      path: testInfo.outputPath(`verify-${theme}.png`)
    });
    await page.screenshot({ path: testInfo.outputPath(`lab-${theme}.png`) });
  });
}

import { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { Locator } from '@playwright/test';
import * as path from 'path';

/** Upload a notebook of ui-tests/notebooks, open it and show the hygiene panel. */
export async function openWithPanel(
  page: IJupyterLabPageFixture,
  tmpPath: string,
  name: string
): Promise<Locator> {
  await page.contents.uploadFile(
    path.resolve(__dirname, '..', 'notebooks', name),
    `${tmpPath}/${name}`
  );
  await page.notebook.openByPath(`${tmpPath}/${name}`);
  await page.notebook.activate(name);
  await page.evaluate(async () => {
    await window.jupyterapp.commands.execute('nbhygiene:open-panel');
  });
  const panel = page.locator('#jp-nbhygiene-panel');
  await panel.locator('.jp-nbhygiene-score').waitFor();
  return panel;
}

/** The active cell index of the current notebook. */
export async function activeCellIndex(
  page: IJupyterLabPageFixture
): Promise<number> {
  return page.evaluate(() => {
    const widget = window.jupyterapp.shell.currentWidget as any;
    return widget?.content?.activeCellIndex ?? -1;
  });
}

/** Wait until the kernel of the current notebook is idle. */
export async function waitForIdleKernel(
  page: IJupyterLabPageFixture
): Promise<void> {
  await page.waitForFunction(() => {
    const widget = window.jupyterapp.shell.currentWidget as any;
    return widget?.sessionContext?.session?.kernel?.status === 'idle';
  });
}

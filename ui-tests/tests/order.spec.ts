/**
 * Adding and moving cells in a notebook with JupyterLab's own cell ids: the panel sends
 * the order's changes when shorter than the order, and its rows follow the notebook.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';

import { openWithPanel } from './helpers';

/** The next analyze request whose delta satisfies `wanted`, and its answer's status. */
function nextDelta(
  page: IJupyterLabPageFixture,
  wanted: (delta: any) => boolean
) {
  return page.waitForResponse(response => {
    const request = response.request();
    if (
      request.method() !== 'POST' ||
      !new URL(request.url()).pathname.endsWith('/nbhygiene/analyze')
    ) {
      return false;
    }
    const body = request.postDataJSON();
    return body?.delta !== undefined && wanted(body.delta);
  });
}

/** The cell ids of the current notebook, in order (from its model). */
function ids(page: IJupyterLabPageFixture): Promise<string[]> {
  return page.evaluate(() => {
    const widget = window.jupyterapp.shell.currentWidget as any;
    return widget.content.model.sharedModel.cells.map((c: any) => c.getId());
  });
}

test('a moved cell travels as order changes and its row follows it', async ({
  page,
  tmpPath
}) => {
  const panel = await openWithPanel(page, tmpPath, 'hidden_state.ipynb');
  const rows = panel.locator('.jp-nbhygiene-cell');
  const count = await rows.count();
  // Ten new code cells, with UUIDs as JupyterLab makes them: the whole order is sent.
  const added = nextDelta(page, delta => Array.isArray(delta.order));
  await page.evaluate(() => {
    const widget = window.jupyterapp.shell.currentWidget as any;
    const shared = widget.content.model.sharedModel;
    shared.insertCells(
      shared.cells.length,
      Array.from({ length: 10 }, (_, i) => ({
        cell_type: 'code',
        source: `added_${i} = ${i}`
      }))
    );
  });
  expect((await added).status()).toBe(200);
  await expect(rows).toHaveCount(count + 10);

  const before = await ids(page);
  const moved = nextDelta(page, delta => delta.order_changes !== undefined);
  await page.evaluate(() => {
    const widget = window.jupyterapp.shell.currentWidget as any;
    const shared = widget.content.model.sharedModel;
    shared.moveCell(shared.cells.length - 1, 0);
  });
  const answer = await moved;
  expect(answer.status()).toBe(200);
  const delta = answer.request().postDataJSON().delta;
  const last = before[before.length - 1];
  expect(delta.order).toBeUndefined();
  expect(delta.order_changes).toEqual({
    removed: [last],
    inserted: [{ id: last, after: null }]
  });
  await expect(rows.first()).toContainText('added_9');
  expect(await ids(page)).toEqual([last, ...before.slice(0, -1)]);
});

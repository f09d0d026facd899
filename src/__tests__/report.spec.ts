import { nullTranslator } from '@jupyterlab/translation';

import { hiddenReasonText } from '../report';

const trans = nullTranslator.load('jupyterlab');

describe('hiddenReasonText', () => {
  it.each([
    [
      { name: 'tax_rate', cell: 5, why: 'below' },
      'uses `tax_rate` from cell 6 below'
    ],
    [
      { name: 'x', cell: null, why: 'nowhere' },
      'uses `x`, which no cell defines'
    ],
    [
      { name: 'total', cell: 3, why: 'via' },
      'uses `total` from cell 4, which is hidden'
    ],
    [{ name: 'y', cell: null, why: 'deleted' }, 'uses `y` from a deleted cell'],
    [
      { name: 'z', cell: 1, why: 'edited' },
      'uses `z` as cell 2 defined it before an edit'
    ]
  ] as const)('words %j as the row shows it', (reason, text) => {
    expect(hiddenReasonText({ ...reason }, trans)).toBe(text);
  });
});

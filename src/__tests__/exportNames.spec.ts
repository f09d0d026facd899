import {
  describeItem,
  exportFileNames,
  leftOut,
  moduleStem
} from '../exportNames';

describe('exportFileNames', () => {
  it.each([
    [
      'demo/hidden_state.ipynb',
      [4],
      'demo/hidden_state_cell4.py',
      'demo/test_hidden_state_cell4.py'
    ],
    [
      'analysis.ipynb',
      [2, 7],
      'analysis_cell2_7.py',
      'test_analysis_cell2_7.py'
    ],
    [
      'a/b/Q3 report-v2.ipynb',
      [1],
      'a/b/Q3_report_v2_cell1.py',
      'a/b/test_Q3_report_v2_cell1.py'
    ],
    ['2024.ipynb', [], '_2024.py', 'test__2024.py']
  ])('%s cells %j -> %s, %s', (path, cells, module, tests) => {
    expect(exportFileNames(path, cells)).toEqual({ module, tests });
  });

  it('makes a module name of any stem', () => {
    expect(moduleStem('ok_name')).toBe('ok_name');
    expect(moduleStem('')).toBe('notebook');
    expect(moduleStem('é')).toBe('_');
  });
});

describe('what an export left out', () => {
  it('reads strings and records', () => {
    expect(describeItem('%matplotlib inline')).toBe('%matplotlib inline');
    expect(
      describeItem({
        cell: 3,
        line: 1,
        magic: '%matplotlib inline',
        reason: 'no meaning outside IPython'
      })
    ).toBe('cell 3, line 1: %matplotlib inline — no meaning outside IPython');
    expect(
      describeItem({ cell: 5, mime_types: ['image/png'], reason: 'an image' })
    ).toBe('cell 5: image/png — an image');
    expect(
      describeItem({
        cell: 6,
        output: 0,
        mime: 'image/png',
        why: 'images are not compared'
      })
    ).toBe('cell 6, output 1: image/png — images are not compared');
    expect(describeItem({ other: 1 })).toBe('{"other":1}');
  });

  it('copes with a missing summary', () => {
    expect(leftOut(undefined)).toEqual({ magics: [], outputs: [] });
    expect(
      leftOut({
        cells: [4],
        dropped_magics: ['%load_ext autoreload'],
        skipped_outputs: []
      })
    ).toEqual({ magics: ['%load_ext autoreload'], outputs: [] });
  });
});

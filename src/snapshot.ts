/**
 * Snapshots of a JupyterLab notebook model for the analysis (see protocol.ts): sources,
 * counts, tags and output summaries. Output summaries are computed once per output
 * (cached by the output model's identity), so that a keystroke never serialises an
 * image; stream outputs, which JupyterLab appends to in place, are summarised afresh.
 */
import { ICellModel, ICodeCellModel } from '@jupyterlab/cells';
import { INotebookModel } from '@jupyterlab/notebook';

import { ICellSnapshot, IOutputSummary, summarizeOutput } from './protocol';

type IOutputModel = ReturnType<ICodeCellModel['outputs']['get']>;

/** Output summaries by output model, for one notebook. */
export class OutputSummaries {
  /** The summaries of a code cell's outputs. */
  of(cell: ICodeCellModel): IOutputSummary[] {
    const outputs = cell.outputs;
    const list: IOutputSummary[] = [];
    for (let i = 0; i < outputs.length; i++) {
      const output = outputs.get(i);
      list.push(this._one(output));
    }
    return list;
  }

  private _one(output: IOutputModel): IOutputSummary {
    if (output.type === 'stream') {
      return summarizeOutput(output.toJSON() as Record<string, any>);
    }
    let summary = this._cache.get(output);
    if (!summary) {
      summary = summarizeOutput(output.toJSON() as Record<string, any>);
      this._cache.set(output, summary);
    }
    return summary;
  }

  private _cache = new WeakMap<IOutputModel, IOutputSummary>();
}

/** The snapshot of one cell. */
export function snapshotCell(
  cell: ICellModel,
  summaries: OutputSummaries
): ICellSnapshot {
  const tags = cell.getMetadata('tags');
  const metadata = Array.isArray(tags)
    ? { tags: tags.filter((t): t is string => typeof t === 'string') }
    : {};
  if (cell.type === 'code') {
    const code = cell as ICodeCellModel;
    return {
      id: cell.id,
      cell_type: 'code',
      source: cell.sharedModel.getSource(),
      execution_count: code.executionCount ?? null,
      outputs: summaries.of(code),
      metadata
    };
  }
  return {
    id: cell.id,
    cell_type: cell.type,
    source: cell.sharedModel.getSource(),
    execution_count: null,
    outputs: [],
    metadata
  };
}

/** The cells of a notebook model. */
export function snapshotCells(
  model: INotebookModel,
  summaries: OutputSummaries
): ICellSnapshot[] {
  const cells: ICellSnapshot[] = [];
  for (let i = 0; i < model.cells.length; i++) {
    cells.push(snapshotCell(model.cells.get(i), summaries));
  }
  return cells;
}

/** The notebook metadata the analysis reads (not widget state or other bulk). */
export function analysisMetadata(
  model: INotebookModel
): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  for (const key of ['kernelspec', 'language_info']) {
    const value = model.getMetadata(key);
    if (value !== undefined) {
      metadata[key] = value;
    }
  }
  return metadata;
}

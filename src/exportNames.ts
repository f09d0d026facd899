/**
 * Pure parts of "Export to module…": default file names and the sentences that say
 * what an export left out.
 */
import { IExportSummary } from './tokens';

/** The notebook's folder ('' at the root) and its name without `.ipynb`. */
function splitPath(notebookPath: string): { dir: string; stem: string } {
  const slash = notebookPath.lastIndexOf('/');
  const dir = slash >= 0 ? notebookPath.slice(0, slash) : '';
  const name = slash >= 0 ? notebookPath.slice(slash + 1) : notebookPath;
  const stem = name.replace(/\.ipynb$/i, '');
  return { dir, stem };
}

/** A stem usable as a Python module name: other characters become `_`. */
export function moduleStem(stem: string): string {
  const safe = stem.replace(/[^A-Za-z0-9_]/g, '_') || 'notebook';
  return /^[0-9]/.test(safe) ? `_${safe}` : safe;
}

/**
 * Default paths of the module and its tests, next to the notebook:
 * `<stem>_cellN.py` and `test_<stem>_cellN.py` (N counts from 1, as the panel does;
 * several cells join as `cell2_5`; no cell means the whole notebook: `<stem>.py`).
 */
export function exportFileNames(
  notebookPath: string,
  cells: readonly number[] = []
): { module: string; tests: string } {
  const { dir, stem } = splitPath(notebookPath);
  const base =
    moduleStem(stem) + (cells.length ? `_cell${cells.join('_')}` : '');
  const prefix = dir ? `${dir}/` : '';
  return { module: `${prefix}${base}.py`, tests: `${prefix}test_${base}.py` };
}

/** One item of an export summary as a line of text (items are strings or records). */
export function describeItem(item: unknown): string {
  if (typeof item === 'string') {
    return item;
  }
  if (item === null || typeof item !== 'object') {
    return String(item);
  }
  const record = item as Record<string, unknown>;
  const where: string[] = [];
  if (typeof record.cell === 'number') {
    where.push(`cell ${record.cell}`);
  }
  if (typeof record.line === 'number') {
    where.push(`line ${record.line}`);
  }
  if (typeof record.output === 'number') {
    // Outputs count from 0 in the summary, from 1 for people.
    where.push(`output ${record.output + 1}`);
  }
  const what = ['magic', 'source', 'name', 'mime_types', 'mime']
    .map(key => record[key])
    .filter(v => v !== undefined && v !== null)
    .map(v => (Array.isArray(v) ? v.join(', ') : String(v)));
  const reason =
    typeof record.reason === 'string'
      ? record.reason
      : typeof record.why === 'string'
        ? record.why
        : '';
  const head = [where.join(', '), what.join(' ')].filter(Boolean).join(': ');
  const text = [head, reason].filter(Boolean).join(' — ');
  return text || JSON.stringify(item);
}

/** What an export left out, as two lists of lines. */
export function leftOut(summary: IExportSummary | null | undefined): {
  magics: string[];
  outputs: string[];
} {
  return {
    magics: (summary?.dropped_magics ?? []).map(describeItem),
    outputs: (summary?.skipped_outputs ?? []).map(describeItem)
  };
}

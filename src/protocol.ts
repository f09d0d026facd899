/**
 * The bodies of POST /nbhygiene/analyze (README, "The analyze protocol"), built from
 * snapshots of the notebook: outputs travel as summaries (never their content), and after
 * a first full body that opened a session on the server, only what changed since the
 * revision the server confirmed. Pure: no DOM, no JupyterLab models, no HTTP.
 */
import { IExecution, IReport } from './tokens';

/** What the rules read of an output (its content stays in the browser). */
export interface IOutputSummary {
  output_type: string;
  name?: string;
  ename?: string;
  evalue?: string;
  mime_types?: string[];
  /** Size of the full output's JSON, in bytes (UTF-8). */
  nbytes: number;
}

/** A cell as the analysis needs it. */
export interface ICellSnapshot {
  id: string;
  cell_type: string;
  source: string;
  execution_count: number | null;
  outputs: IOutputSummary[];
  metadata: { tags?: string[] };
}

/** The notebook as the analysis needs it, with the kernel's history. */
export interface INotebookSnapshot {
  cells: ICellSnapshot[];
  /** Notebook metadata the analysis reads (kernelspec, language_info). */
  metadata: Record<string, unknown>;
  /** All executions since the last kernel restart, or null before any was seen. */
  history: readonly IExecution[] | null;
  /** Counts kernel restarts: a new epoch means the history starts over. */
  epoch: number;
}

export interface IFullBody {
  notebook: {
    nbformat: 4;
    nbformat_minor: number;
    metadata: Record<string, unknown>;
    cells: ICellSnapshot[];
  };
  path?: string;
  history?: { executions: IExecution[] };
  settings?: Record<string, unknown>;
  client: string;
}

export interface IDeltaBody {
  client: string;
  path?: string;
  base_revision: number;
  delta: {
    /**
     * Every cell id in notebook order; only when a cell was added, deleted or moved since
     * the base revision, and `order_changes` would not be shorter.
     */
    order?: string[];
    /** How the order changed since the base revision, when shorter than `order`. */
    order_changes?: IOrderChanges;
    cells: ICellSnapshot[];
    /** Left out when no execution was appended (and the history does not start over). */
    history?: IExecution[];
    history_reset?: true;
  };
  settings?: Record<string, unknown>;
}

export type AnalyzeBody = IFullBody | IDeltaBody;

/**
 * How an order of cell ids changed (README, "Sessions"): drop every id in `removed`, then
 * insert each entry of `inserted`, in list order, right after `after` (null: at the top).
 * A moved cell is in both lists.
 */
export interface IOrderChanges {
  removed: string[];
  inserted: { id: string; after: string | null }[];
}

/**
 * The changes that turn the order `before` into `after`, moving the fewest cells: the
 * kept ids that stay are a longest run of them still in their old order; every other kept
 * id is moved. `inserted` follows `after` from the top, each id placed after the one
 * that precedes it there.
 */
export function orderChanges(
  before: readonly string[],
  after: readonly string[]
): IOrderChanges {
  const old = new Map(before.map((id, i) => [id, i]));
  const positions: number[] = []; // the old positions of the kept ids, in the new order
  for (const id of after) {
    const position = old.get(id);
    if (position !== undefined) {
      positions.push(position);
    }
  }
  const stay = new Set(longestIncreasing(positions).map(i => before[i]));
  const inserted: IOrderChanges['inserted'] = [];
  after.forEach((id, i) => {
    if (!stay.has(id)) {
      inserted.push({ id, after: i > 0 ? after[i - 1] : null });
    }
  });
  return { removed: before.filter(id => !stay.has(id)), inserted };
}

/** A longest strictly increasing subsequence of `values` (patience sorting). */
function longestIncreasing(values: readonly number[]): number[] {
  const tails: number[] = []; // tails[k]: index of the least last value of a run of k + 1
  const back: number[] = []; // each index's predecessor in its run, -1 for none
  values.forEach((value, i) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[tails[mid]] < value) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    back.push(lo > 0 ? tails[lo - 1] : -1);
    tails[lo] = i;
  });
  const run: number[] = [];
  for (
    let i = tails.length ? tails[tails.length - 1] : -1;
    i !== -1;
    i = back[i]
  ) {
    run.push(values[i]);
  }
  return run.reverse();
}

/** Size in bytes of `text` encoded as UTF-8. */
export function utf8Length(text: string): number {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) {
    return text.length;
  }
  return new TextEncoder().encode(text).length;
}

/** The summary of one nbformat output (its JSON as JupyterLab holds it). */
export function summarizeOutput(output: Record<string, any>): IOutputSummary {
  const summary: IOutputSummary = {
    output_type: String(output.output_type),
    nbytes: utf8Length(JSON.stringify(output))
  };
  if (typeof output.name === 'string') {
    summary.name = output.name;
  }
  if (output.output_type === 'error') {
    summary.ename = String(output.ename ?? '');
    summary.evalue = String(output.evalue ?? '');
  }
  if (output.data && typeof output.data === 'object') {
    summary.mime_types = Object.keys(output.data).sort();
  }
  return summary;
}

/** Whether two snapshots of a cell say the same to the analysis. */
export function sameCell(a: ICellSnapshot, b: ICellSnapshot): boolean {
  return (
    a.source === b.source &&
    a.execution_count === b.execution_count &&
    a.cell_type === b.cell_type &&
    sameList(a.metadata.tags, b.metadata.tags) &&
    (a.outputs === b.outputs || sameOutputs(a.outputs, b.outputs))
  );
}

function sameList(a?: readonly string[], b?: readonly string[]): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function sameOutputs(
  a: readonly IOutputSummary[],
  b: readonly IOutputSummary[]
): boolean {
  return (
    a.length === b.length &&
    a.every(
      (o, i) =>
        o === b[i] ||
        (o.output_type === b[i].output_type &&
          o.nbytes === b[i].nbytes &&
          o.name === b[i].name &&
          o.ename === b[i].ename &&
          o.evalue === b[i].evalue &&
          sameList(o.mime_types, b[i].mime_types))
    )
  );
}

/** What the server holds after a confirmed request (its session). */
interface ISentState {
  revision: number;
  cells: Map<string, ICellSnapshot>;
  /** The cell ids in notebook order. */
  order: readonly string[];
  /** The `path` and `settings` (as JSON) last sent. */
  path: string | undefined;
  settings: string | undefined;
  /** Whether the session has a history (false: states from the saved counts). */
  observed: boolean;
  epoch: number;
  executions: number;
}

/** A body to send, and what the server will hold once it confirms it. */
export interface IPreparedRequest {
  body: AnalyzeBody;
  delta: boolean;
  /** The state of the session if the server answers with a revision. */
  readonly next: Omit<ISentState, 'revision'>;
}

/**
 * The client side of one analysis session: which revision the server confirmed and
 * what it holds, so that each request carries only what changed.
 * - No confirmed revision (first request, a 409, an error, or a server without
 *   sessions): a full body.
 * - Otherwise a delta with only what changed: the changed cells by id, the order (only
 *   when a cell was added, deleted or moved; as the changes from the last order sent
 *   when that is shorter), the executions since the last request
 *   (all of them, with `history_reset`, after a kernel restart), and `path` and
 *   `settings` only when they changed.
 */
export class AnalysisProtocol {
  constructor(readonly client: string) {}

  /** The revision the server confirmed last, or null (the next body is full). */
  get revision(): number | null {
    return this._sent?.revision ?? null;
  }

  /** Whether the server answered with a revision at least once. */
  get sessionOpened(): boolean {
    return this._opened;
  }

  /** The body for `snapshot`. */
  prepare(
    snapshot: INotebookSnapshot,
    extra: { path?: string; settings?: Record<string, unknown> } = {}
  ): IPreparedRequest {
    const observed = snapshot.history !== null;
    const executions = snapshot.history ?? [];
    const order = snapshot.cells.map(c => c.id);
    const settings =
      extra.settings === undefined ? undefined : JSON.stringify(extra.settings);
    const next = {
      cells: new Map(snapshot.cells.map(c => [c.id, c])),
      order,
      path: extra.path,
      settings,
      observed,
      epoch: snapshot.epoch,
      executions: executions.length
    };
    const sent = this._sent;
    if (!sent) {
      const body: IFullBody = {
        notebook: {
          nbformat: 4,
          nbformat_minor: 5,
          metadata: snapshot.metadata,
          cells: snapshot.cells
        },
        ...extra,
        client: this.client
      };
      if (observed) {
        body.history = { executions: executions.slice() };
      }
      return { body, delta: false, next };
    }
    const changed = snapshot.cells.filter(c => {
      const before = sent.cells.get(c.id);
      return !before || !sameCell(before, c);
    });
    const reset =
      observed &&
      (!sent.observed ||
        sent.epoch !== snapshot.epoch ||
        sent.executions > executions.length);
    const body: IDeltaBody = {
      client: this.client,
      base_revision: sent.revision,
      delta: { cells: changed }
    };
    if (extra.path !== undefined && extra.path !== sent.path) {
      body.path = extra.path;
    }
    if (extra.settings !== undefined && settings !== sent.settings) {
      body.settings = extra.settings;
    }
    if (!sameList(order, sent.order)) {
      const changes = orderChanges(sent.order, order);
      if (
        utf8Length(JSON.stringify(changes)) < utf8Length(JSON.stringify(order))
      ) {
        body.delta.order_changes = changes;
      } else {
        body.delta.order = order;
      }
    }
    if (reset) {
      body.delta.history = executions.slice();
      body.delta.history_reset = true;
    } else if (observed && executions.length > sent.executions) {
      body.delta.history = executions.slice(sent.executions);
    }
    return { body, delta: true, next };
  }

  /**
   * The server answered `prepared` with `revision` (undefined: the server keeps no
   * session, so every body stays full).
   */
  confirm(prepared: IPreparedRequest, revision: number | undefined): void {
    if (typeof revision !== 'number') {
      this._sent = null;
      return;
    }
    this._opened = true;
    this._sent = { ...prepared.next, revision };
  }

  /** Forget the session (a 409, an error): the next body is full. */
  reset(): void {
    this._sent = null;
  }

  private _sent: ISentState | null = null;
  private _opened = false;
}

/** Whether a report describes the cells of `snapshot`: the same ids, in the same order. */
export function sameCellIds(
  report: Pick<IReport, 'cells'>,
  snapshot: INotebookSnapshot
): boolean {
  const cells = report.cells;
  return (
    cells.length === snapshot.cells.length &&
    cells.every((cell, i) => cell.id === snapshot.cells[i].id)
  );
}

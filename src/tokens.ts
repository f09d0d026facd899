/**
 * Shapes shared by the frontend: the analysis report, the execution history and the
 * verify run. They mirror jupyterlab_nbhygiene/analysis/report.schema.json and the verify
 * routes of the server extension (one place for these types).
 */
import { Token } from '@lumino/coreutils';
import { ISignal } from '@lumino/signaling';

export const PLUGIN_ID = 'jupyterlab_nbhygiene';
export const PANEL_ID = 'jp-nbhygiene-panel';

export namespace CommandIDs {
  export const openPanel = 'nbhygiene:open-panel';
  export const analyze = 'nbhygiene:analyze';
  export const verify = 'nbhygiene:verify';
  export const runFixBy = 'nbhygiene:run-fix-by';
  export const cancelVerify = 'nbhygiene:cancel-verify';
  export const fix = 'nbhygiene:fix';
  export const runToCell = 'nbhygiene:run-to-cell';
  export const exportModule = 'nbhygiene:export';
}

export type Severity = 'error' | 'warning' | 'info';
export type Category =
  'reproducibility' | 'structure' | 'documentation' | 'portability';
/**
 * The state of a cell, one set for the report, the rows, the badges and the graph.
 * Precedence for a code cell (the first that applies): unexecuted > edited > errored >
 * hidden > stale > fresh.
 */
export type CellStateName =
  | 'fresh'
  | 'stale'
  | 'edited'
  | 'unexecuted'
  | 'errored'
  | 'hidden'
  | 'markdown';

/** The order in which states win over each other (first wins). */
export const STATE_PRECEDENCE: readonly CellStateName[] = [
  'unexecuted',
  'edited',
  'errored',
  'hidden',
  'stale',
  'fresh'
];

export interface IDependency {
  cell: number;
  names: string[];
  /**
   * An edge from a later cell that defines the names to the cell that used them
   * before they were defined (its output relies on hidden state).
   */
  hidden?: boolean;
}

/** Why a cell's output relies on a value no cell above it provides. */
export interface IHiddenReason {
  name: string;
  /**
   * The defining cell below (0-based), or for `via` the hidden cell above whose value this
   * cell read; null when no cell of the notebook defines it.
   */
  cell: number | null;
  why: 'below' | 'nowhere' | 'deleted' | 'edited' | 'via';
}

export type ScoreLabel = 'good' | 'fair' | 'poor' | 'breaks on re-run';

export interface IStaleReason {
  name: string;
  cell: number;
}

export interface ICellReport {
  index: number;
  id: string;
  cell_type: 'code' | 'markdown' | 'raw';
  execution_count: number | null;
  defines: string[];
  uses: string[];
  mutates: string[];
  deletes: string[];
  imports: string[];
  depends_on: IDependency[];
  state: CellStateName;
  stale_because: IStaleReason[];
  /** Why the cell relies on hidden state ([] unless its state is `hidden`). */
  hidden_because: IHiddenReason[];
  fix_by: number[];
  upstream?: number[];
  downstream?: number[];
}

export interface IFinding {
  rule: string;
  severity: Severity;
  category?: Category;
  cell: number | null;
  line: number | null;
  message: string;
}

export interface IReport {
  path: string | null;
  language: string;
  score: number;
  /** The words for the score, as the server labels it (docs/rules.md). */
  score_label: ScoreLabel;
  score_breakdown: Record<string, number>;
  cells: ICellReport[];
  findings: IFinding[];
  /** The analysis session's revision (only when the request carried a `client`). */
  revision?: number;
}

export interface IExecution {
  cell_id: string;
  source: string;
  execution_count: number | null;
  status?: 'ok' | 'error';
}

export interface IHistory {
  executions: IExecution[];
}

export type VerifyState =
  'queued' | 'running' | 'done' | 'cancelled' | 'failed';

export type Verdict =
  | 'same'
  | 'soft'
  | 'changed'
  | 'nondeterministic'
  | 'new-error'
  | 'error-fixed'
  | 'timeout'
  | 'kernel-died'
  | 'unrun'
  | 'skipped';

export type VerifyCause =
  'execution-order' | 'nondeterminism' | 'error' | 'changed-output';

export interface IOutputError {
  ename: string;
  evalue: string;
}

/** One image whose bytes differ between the saved output and the fresh run. */
export interface IImagePair {
  mime: string;
  /** Base64 (PNG, JPEG, ...) or SVG text, as saved in the notebook. */
  saved: string;
  fresh: string;
  size?: [number, number] | null;
}

export interface ICellVerdict {
  index: number;
  id?: string;
  verdict: Verdict | string;
  execution_count?: number | null;
  error?: IOutputError | null;
  saved_error?: IOutputError | null;
  diff?: string | null;
  images?: IImagePair[];
  reason?: string | null;
  truncated?: boolean;
  seconds?: number | null;
}

/** A cell whose execution order matters (the run in saved order reproduced). */
export interface IOrderIssue {
  cell: number;
  name: string | null;
  defined_in: number;
  counts: [number, number];
  message: string;
}

/** The verify result, once a run is done. */
export interface IVerifyResult {
  path?: string;
  reproducible: boolean;
  cause: VerifyCause | string | null;
  summary?: string;
  kernel?: string;
  runs?: number;
  counts?: Record<string, number>;
  order?: IOrderIssue[];
  cells: ICellVerdict[];
}

/** GET /nbhygiene/verify/{id}. */
export interface IVerifyStatus {
  id: string;
  path?: string | null;
  state: VerifyState;
  progress: { done: number; total: number };
  phase?: string | null;
  /** Verdicts so far; final when `state` is done. */
  cells: ICellVerdict[];
  result?: IVerifyResult | null;
  /** Why a run failed or was cancelled. */
  message?: string | null;
}

/** A repair the server can prepare (POST /nbhygiene/fix). */
export type FixKind = 'move-cell' | 'hoist-imports' | 'seed-random';

/** The server's answer to a fix request: edits and moves to apply, by cell id. */
export interface IFixAnswer {
  fix: FixKind | string;
  title: string;
  edits: { cell_id: string; source: string }[];
  /** Applied in order; `to_index` is the cell's index once it has moved. */
  moves: { cell_id: string; to_index: number }[];
  summary: string;
}

/** What an export left out of the module (POST /nbhygiene/export). */
export interface IExportSummary {
  cells: unknown[];
  dropped_magics: unknown[];
  skipped_outputs: unknown[];
}

export interface IExportAnswer {
  module: string;
  tests: string | null;
  summary: IExportSummary;
}

/**
 * The per-notebook hygiene state, shared with other extensions.
 */
export interface IHygieneTracker {
  /** The report of the active notebook, or null before the first analysis. */
  readonly report: IReport | null;
  /** Emitted when the report of the active notebook changes. */
  readonly reportChanged: ISignal<IHygieneTracker, IReport | null>;
  /** Re-analyse the active notebook now. */
  refresh(): Promise<void>;
}

export const IHygieneTracker = new Token<IHygieneTracker>(
  'jupyterlab_nbhygiene:IHygieneTracker',
  'The hygiene report of the active notebook.'
);

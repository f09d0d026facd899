/**
 * The only module that talks HTTP to the nbhygiene server extension.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { AnalyzeBody } from './protocol';
import {
  FixKind,
  IExportAnswer,
  IFixAnswer,
  IReport,
  IVerifyStatus
} from './tokens';

/** An error answered by the server, with its sentence for the user. */
export class NbHygieneRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** The machine-readable reason of a 409 (`no-session`, `revision`), if any. */
    readonly reason: string | null = null
  ) {
    super(message);
    this.name = 'NbHygieneRequestError';
  }
}

/**
 * Call a route under `/nbhygiene/`; resolves with the parsed JSON (or null for 204).
 */
export async function requestAPI<T>(
  endPoint: string,
  init: RequestInit = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<T> {
  const url = URLExt.join(settings.baseUrl, 'nbhygiene', endPoint);
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, settings);
  } catch (error) {
    if ((error as Error).name === 'AbortError') {
      throw error;
    }
    throw new NbHygieneRequestError(
      `The nbhygiene server extension cannot be reached: ${(error as Error).message}`,
      0
    );
  }
  const text = await response.text();
  let data: any = null;
  if (text.length > 0) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { message: text };
    }
  }
  if (!response.ok) {
    const message =
      (data && typeof data.message === 'string' && data.message) ||
      `${response.status} ${response.statusText}`;
    const reason = data && typeof data.reason === 'string' ? data.reason : null;
    throw new NbHygieneRequestError(message, response.status, reason);
  }
  return data as T;
}

/**
 * POST /nbhygiene/analyze with a full or a delta body (see protocol.ts); the answer is
 * the report, with the session's `revision` when the body carried a `client`.
 */
export function analyzeNotebook(
  body: AnalyzeBody,
  signal?: AbortSignal
): Promise<IReport> {
  return requestAPI<IReport>('analyze', {
    method: 'POST',
    body: JSON.stringify(body),
    signal
  });
}

/** The notebook closed: its analysis session on the server can go (204, also unknown). */
export async function closeAnalysis(client: string): Promise<void> {
  await requestAPI<null>(`analyze/${encodeURIComponent(client)}`, {
    method: 'DELETE'
  });
}

export interface IVerifyRequest {
  path: string;
  notebook?: unknown;
  timeout?: number;
  runs?: 1 | 2;
}

export function startVerify(body: IVerifyRequest): Promise<{ id: string }> {
  return requestAPI<{ id: string }>('verify', {
    method: 'POST',
    body: JSON.stringify(body)
  });
}

export function getVerify(id: string): Promise<IVerifyStatus> {
  return requestAPI<IVerifyStatus>(`verify/${encodeURIComponent(id)}`, {
    method: 'GET'
  });
}

export async function cancelVerify(id: string): Promise<void> {
  await requestAPI<null>(`verify/${encodeURIComponent(id)}`, {
    method: 'DELETE'
  });
}

export interface IFixRequest {
  notebook: unknown;
  fix: FixKind;
  /** 0-based index of the cell the fix is about (as in the report). */
  cell?: number;
}

/** Ask for a repair; a 409 (the fix is not safe) rejects with the server's sentence. */
export function requestFix(body: IFixRequest): Promise<IFixAnswer> {
  return requestAPI<IFixAnswer>('fix', {
    method: 'POST',
    body: JSON.stringify(body)
  });
}

export interface IExportRequest {
  notebook: unknown;
  path: string;
  /** Cells to export, counted from 1 as the panel does; all code cells without it. */
  cells?: number[];
  tests: boolean;
  /** Where the module and the tests will be written (the tests find the module there). */
  module_path?: string;
  tests_path?: string;
}

/** Ask for a module (and its tests) made of the slice of the given cells. */
export function requestExport(body: IExportRequest): Promise<IExportAnswer> {
  return requestAPI<IExportAnswer>('export', {
    method: 'POST',
    body: JSON.stringify(body)
  });
}

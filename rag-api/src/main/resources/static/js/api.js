// The REST API as the page uses it. Every failure becomes an ApiError whose message is fit to show a person:
// the problem's detail (RFC 9457) when the server sent one, otherwise a plain description.
import { readEvents } from './sse.js';

export const NETWORK_FAILURE = 'Could not reach the Groundwork server. Check that it is running and try again.';

export class ApiError extends Error {
  /**
   * @param {string} message what to show
   * @param {number} status HTTP status, 0 when the server was not reached
   * @param {object|null} problem the problem JSON, if any
   */
  constructor(message, status, problem = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
}

async function send(url, init) {
  let response;
  try {
    response = await fetch(url, init);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(NETWORK_FAILURE, 0);
  }
  if (!response.ok) throw await errorOf(response);
  return response;
}

/** Turns a failed response into an ApiError, reading its problem JSON when it has one. */
export async function errorOf(response) {
  let problem = null;
  const type = response.headers.get('Content-Type') || '';
  if (type.includes('json')) {
    try {
      problem = await response.json();
    } catch {
      problem = null;
    }
  }
  return new ApiError(problemMessage(problem, response.status), response.status, problem);
}

/** The sentence to show for a problem object (or a bare status). */
export function problemMessage(problem, status) {
  if (problem && typeof problem.detail === 'string' && problem.detail) return problem.detail;
  if (problem && typeof problem.title === 'string' && problem.title) return problem.title;
  return status ? `The server answered with HTTP ${status}.` : 'Something went wrong.';
}

export async function listDocuments() {
  const response = await send('api/documents', { headers: { Accept: 'application/json' } });
  return response.json();
}

export async function deleteDocument(id) {
  await send(`api/documents/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/**
 * Uploads files; resolves to the UploadResponse. A rejected upload (415/422) throws an ApiError whose
 * problem still holds the per-file `results`.
 */
export async function uploadDocuments(files, collection) {
  const form = new FormData();
  for (const file of files) form.append('files', file, file.name);
  if (collection) form.append('collection', collection);
  const response = await send('api/documents', { method: 'POST', body: form, headers: { Accept: 'application/json' } });
  return response.json();
}

/**
 * Asks a question and streams the answer.
 * @param {{question: string, collection?: string, history?: {question: string, answer: string}[]}} request
 *   history: the conversation's earlier answered turns, oldest first
 * @param {{signal: AbortSignal, onEvent: (name: string, data: *) => void}} options events are
 *   token, answer, citations, done and error, with their JSON payloads parsed
 */
export async function streamAnswer(request, { signal, onEvent }) {
  const body = { question: request.question };
  if (request.collection) body.collection = request.collection;
  if (request.history?.length) body.history = request.history;
  const response = await send('api/ask/stream', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
    body: JSON.stringify(body),
    signal,
  });
  try {
    await readEvents(response.body, ({ event, data }) => onEvent(event, JSON.parse(data)));
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    if (e instanceof SyntaxError) throw new ApiError('The server sent an answer this page cannot read.', 0);
    throw new ApiError('The connection was lost while the answer was streaming.', 0);
  }
}

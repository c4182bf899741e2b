// The JSON API, as the page calls it: one request at a time per view (a newer one aborts the
// older), and the API's error message shown as it is.

/** An error the API answered (4xx) with its `code` and message. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** GET `url` as JSON; throws ApiError for an error answer, lets AbortError through. */
export async function api(url, signal) {
  const response = await fetch(url, { signal, headers: { accept: 'application/json' } });
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    if (e.name === 'AbortError') throw e;
  }
  if (!response.ok) {
    const err = body && body.error;
    throw new ApiError(response.status, err ? err.code : 'http', err ? err.message : `HTTP ${response.status}`);
  }
  return body;
}

let current = null;

/** Like `api`, but aborts the previous call made through `latest` (a stale answer never
 * overwrites a newer one). */
export function latest(url) {
  if (current) current.abort();
  current = new AbortController();
  return api(url, current.signal);
}

// Everything the page shows is in its address, so a search can be shared and the back button
// works: the path says which view (/, /commitments, /reply/{id}) and the query string holds the
// search (q, filters, sort, page) exactly as the API spells it.

/** Filters that take several values (comma-separated, as the API takes them). */
export const LIST_FILTERS = ['region', 'year', 'topic', 'department', 'assembly', 'level',
  'reply_kind', 'result_class', 'strength'];
/** Filters that take one value. */
export const SINGLE_FILTERS = ['date_from', 'date_to', 'has_commitments', 'has_quantity'];
/** Filters of one view only. */
const ONLY = {
  replies: ['reply_kind', 'result_class', 'has_commitments'],
  commitments: ['strength', 'has_quantity'],
};
/** Page sizes offered. */
export const PAGE_SIZES = [10, 20, 50];
/** The API serves offset + limit up to this. */
export const MAX_WINDOW = 10000;

/** Which view the address shows: `{view: 'replies' | 'commitments' | 'reply', id}`. */
export function route(loc = window.location) {
  const m = /^\/reply\/([^/]+)\/?$/.exec(loc.pathname);
  if (m) return { view: 'reply', id: decodeURIComponent(m[1]) };
  if (/^\/commitments\/?$/.test(loc.pathname)) return { view: 'commitments' };
  return { view: 'replies' };
}

/** The current query string. */
export function current() {
  return new URLSearchParams(window.location.search);
}

/** The values of a list filter. */
export function listOf(p, name) {
  return (p.get(name) || '').split(',').map(v => v.trim()).filter(Boolean);
}

/** Sets (or with no values, removes) a list filter. */
export function setList(p, name, values) {
  if (values.length) p.set(name, values.join(','));
  else p.delete(name);
}

/** Whether `name` filters `view`. */
export function appliesTo(name, view) {
  return !Object.entries(ONLY).some(([v, names]) => v !== view && names.includes(name));
}

/** The filters set in `p` that apply to `view`, as [name, value] pairs. */
export function activeFilters(p, view) {
  const out = [];
  for (const name of LIST_FILTERS) {
    if (appliesTo(name, view)) for (const v of listOf(p, name)) out.push([name, v]);
  }
  for (const name of SINGLE_FILTERS) {
    if (appliesTo(name, view) && p.get(name)) out.push([name, p.get(name)]);
  }
  return out;
}

/** The page number (1-based) and size in `p`. */
export function paging(p) {
  const limit = PAGE_SIZES.includes(Number(p.get('limit'))) ? Number(p.get('limit')) : PAGE_SIZES[0];
  const last = Math.floor((MAX_WINDOW - limit) / limit) + 1;
  const page = Math.min(Math.max(1, Math.floor(Number(p.get('page')) || 1)), last);
  return { page, limit, offset: (page - 1) * limit };
}

/** The API parameters of the search in `p` for `view` (filters of the other view dropped). */
export function apiParams(p, view, { paged = true } = {}) {
  const out = new URLSearchParams();
  if (p.get('q')) out.set('q', p.get('q'));
  for (const [name, value] of activeFilters(p, view)) {
    if (LIST_FILTERS.includes(name)) out.set(name, listOf(p, name).join(','));
    else out.set(name, value);
  }
  if (p.get('sort')) out.set('sort', p.get('sort'));
  if (paged) {
    const { limit, offset } = paging(p);
    out.set('limit', String(limit));
    if (offset) out.set('offset', String(offset));
  }
  return out;
}

/** The address of a search: `view` with the query and filters of `p` that apply to it. */
export function searchUrl(view, p) {
  const keep = new URLSearchParams();
  for (const [k, v] of p) {
    if (k === 'from') continue;
    if ((LIST_FILTERS.includes(k) || SINGLE_FILTERS.includes(k)) && !appliesTo(k, view)) continue;
    keep.set(k, v);
  }
  const qs = keep.toString();
  return (view === 'commitments' ? '/commitments' : '/') + (qs ? '?' + qs : '');
}

/** The address of a reply, carrying the search it was opened from (for the way back and the
 * marks). */
export function replyUrl(id, p, view, hash = '') {
  const keep = new URLSearchParams(p);
  keep.delete('page');
  if (view === 'commitments') keep.set('from', 'commitments');
  else keep.delete('from');
  const qs = keep.toString();
  return '/reply/' + encodeURIComponent(id) + (qs ? '?' + qs : '') + hash;
}

const listeners = [];

/** Calls `fn` after every change of address (ours or the back and forward buttons). */
export function onNavigate(fn) {
  listeners.push(fn);
}

/** Goes to `url` (a new history entry, or `replace` the current one) and redraws. */
export function navigate(url, { replace = false } = {}) {
  const target = new URL(url, window.location.href);
  if (replace) history.replaceState(null, '', target);
  else history.pushState(null, '', target);
  for (const fn of listeners) fn();
}

window.addEventListener('popstate', () => { for (const fn of listeners) fn(); });

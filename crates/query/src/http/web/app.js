// The page's entry: reads the address, asks the API, draws the view, and turns the reader's
// clicks and keys into new addresses (so every state can be shared and the back button works).

import { api, latest, ApiError } from './api.js';
import { loadTopics, esc } from './labels.js';
import { route, current, listOf, setList, navigate, onNavigate, apiParams, searchUrl, LIST_FILTERS } from './state.js';
import { facetsHtml, isSingle, toggleNode, expand, regionTreeParams } from './facets.js';
import { resultsHtml } from './results.js';
import { renderReply } from './reply.js';

const app = document.getElementById('app');
const box = document.getElementById('q');

function errorHtml(e) {
  const what = e instanceof ApiError && e.code === 'invalid_query' ? '检索式有误'
    : e instanceof ApiError && e.status === 404 ? '找不到'
      : e instanceof ApiError ? '参数有误' : '无法连接服务器';
  return `<p class="error" role="alert"><strong>${what}：</strong>${esc(e.message)}</p>`;
}

function setTabs(view, p) {
  const replies = document.getElementById('tab-replies');
  const commitments = document.getElementById('tab-commitments');
  replies.href = searchUrl('replies', withoutPage(p));
  commitments.href = searchUrl('commitments', withoutPage(p));
  for (const [tab, name] of [[replies, 'replies'], [commitments, 'commitments']]) {
    if (view === name) tab.setAttribute('aria-current', 'page');
    else tab.removeAttribute('aria-current');
  }
}

function withoutPage(p) {
  const q = new URLSearchParams(p);
  q.delete('page');
  q.delete('from');
  return q;
}

async function renderSearch(view) {
  const p = current();
  const endpoint = view === 'commitments' ? '/api/commitments' : '/api/search';
  app.setAttribute('aria-busy', 'true');
  let data;
  try {
    data = await latest(endpoint + '?' + regionTreeParams(apiParams(p, view)).toString());
  } catch (e) {
    if (e.name === 'AbortError') return;
    app.removeAttribute('aria-busy');
    app.innerHTML = `<aside id="facets" class="facets" aria-label="筛选条件"></aside><main id="main" class="results">${errorHtml(e)}</main>`;
    return;
  }
  app.removeAttribute('aria-busy');
  const hadFocus = document.activeElement && document.activeElement.id;
  app.innerHTML = `<aside id="facets" class="facets" aria-label="筛选条件"><div class="facets-head"><h2>筛选</h2>` +
    `<button type="button" class="close-facets" data-close-facets>完成</button></div>${facetsHtml(data, p, view)}</aside>` +
    `<main id="main" class="results" tabindex="-1">${resultsHtml(data, p, view)}</main>`;
  const q = p.get('q') || '';
  document.title = (q ? `${q} · ` : '') + (view === 'commitments' ? '承诺检索' : '答复检索') + ' · 答复 dafu';
  if (hadFocus) {
    const again = document.getElementById(hadFocus);
    if (again && again !== box) again.focus();
  }
}

async function render() {
  const where = route();
  const p = current();
  box.value = p.get('q') || '';
  setTabs(where.view, p);
  document.body.dataset.view = where.view;
  if (where.view === 'reply') {
    app.setAttribute('aria-busy', 'true');
    try {
      const q = p.get('q') ? '?q=' + encodeURIComponent(p.get('q')) : '';
      const reply = await latest('/api/replies/' + encodeURIComponent(where.id) + q);
      renderReply(app, reply);
    } catch (e) {
      if (e.name === 'AbortError') return;
      app.innerHTML = `<main id="main" class="results">${errorHtml(e)}<p><a href="${esc(searchUrl('replies', p))}" data-nav>← 返回检索</a></p></main>`;
    } finally {
      app.removeAttribute('aria-busy');
    }
    return;
  }
  document.onselectionchange = null;
  await renderSearch(where.view);
}

/** The search's address after changing `p` (any change of the search goes back to page 1). */
function goSearch(p) {
  p.delete('page');
  navigate(searchUrl(route().view === 'commitments' ? 'commitments' : 'replies', p));
}

function toggleValue(filter, value) {
  const p = current();
  if (isSingle(filter)) {
    if (p.get(filter) === value) p.delete(filter); else p.set(filter, value);
  } else {
    const values = listOf(p, filter);
    setList(p, filter, values.includes(value) ? values.filter(v => v !== value) : values.concat(value));
  }
  goSearch(p);
}

document.getElementById('search-form').addEventListener('submit', e => {
  e.preventDefault();
  // From a reply, the search goes on in the view and with the filters it was opened from.
  const p = current();
  const where = route().view;
  const view = where === 'commitments' || (where === 'reply' && p.get('from') === 'commitments') ? 'commitments' : 'replies';
  const q = box.value.trim();
  if (q) p.set('q', q); else p.delete('q');
  p.delete('page');
  navigate(searchUrl(view, p));
});

document.getElementById('syntax').addEventListener('click', e => {
  const ex = e.target.closest('button.ex');
  if (!ex) return;
  box.value = ex.dataset.q;
  document.getElementById('search-form').requestSubmit();
});

app.addEventListener('change', e => {
  const t = e.target;
  if (t.matches('input[type=checkbox][data-filter]')) return toggleValue(t.dataset.filter, t.dataset.value);
  if (t.matches('input[type=checkbox][data-single]')) {
    const p = current();
    if (t.checked) p.set(t.dataset.single, t.dataset.value); else p.delete(t.dataset.single);
    return goSearch(p);
  }
  if (t.matches('input[type=date][data-single]')) {
    const p = current();
    if (t.value) p.set(t.dataset.single, t.value); else p.delete(t.dataset.single);
    return goSearch(p);
  }
  if (t.id === 'sort' || t.id === 'limit') {
    const p = current();
    const keepDefault = (t.id === 'sort' && t.value === 'relevance') || (t.id === 'limit' && t.value === '10');
    if (keepDefault) p.delete(t.id); else p.set(t.id, t.value);
    return goSearch(p);
  }
});

app.addEventListener('input', e => {
  const t = e.target;
  if (!t.matches('.facet-filter')) return;
  const needle = t.value.trim();
  const section = t.closest('.facet');
  section.querySelectorAll('label.opt').forEach(label => {
    const name = label.querySelector('.name').textContent;
    const on = label.querySelector('input').checked;
    label.hidden = needle ? !name.includes(needle) && !on : label.hasAttribute('data-more-item');
  });
  const more = section.querySelector('.more');
  if (more) more.hidden = Boolean(needle);
});

app.addEventListener('click', e => {
  const t = e.target;
  const bar = t.closest('button[data-filter]');
  if (bar) return toggleValue(bar.dataset.filter, bar.dataset.value);
  const chip = t.closest('button[data-remove]');
  if (chip) {
    const p = current();
    const name = chip.dataset.remove;
    if (LIST_FILTERS.includes(name)) setList(p, name, listOf(p, name).filter(v => v !== chip.dataset.value));
    else p.delete(name);
    return goSearch(p);
  }
  if (t.closest('[data-clear]')) {
    const p = new URLSearchParams();
    const q = current().get('q');
    if (q) p.set('q', q);
    return goSearch(p);
  }
  const twisty = t.closest('button.twisty');
  if (twisty) {
    const open = twisty.getAttribute('aria-expanded') !== 'true';
    toggleNode(twisty.dataset.node, open);
    if (open && twisty.hasAttribute('data-folded')) {
      // Its children come with the search asked again (the address does not change).
      const node = twisty.dataset.node;
      return renderSearch(route().view).then(() => {
        const again = [...document.querySelectorAll('button.twisty')].find(b => b.dataset.node === node);
        if (again) again.focus();
      });
    }
    twisty.setAttribute('aria-expanded', String(open));
    twisty.textContent = open ? '▾' : '▸';
    const list = document.getElementById(twisty.getAttribute('aria-controls'));
    if (list) list.hidden = !open;
    return;
  }
  const more = t.closest('button[data-more]');
  if (more) {
    expand(more.dataset.more);
    more.closest('.facet').querySelectorAll('[data-more-item], .more-item').forEach(x => { x.hidden = false; });
    more.remove();
    return;
  }
  if (t.closest('[data-open-facets]')) {
    document.body.classList.add('facets-open');
    const first = document.querySelector('#facets input, #facets button');
    if (first) first.focus();
    return;
  }
  if (t.closest('[data-close-facets]')) {
    document.body.classList.remove('facets-open');
    const toggle = document.querySelector('[data-open-facets]');
    if (toggle) toggle.focus();
    return;
  }
});

// Links inside the app change the address without reloading the page.
document.addEventListener('click', e => {
  const a = e.target.closest('a[data-nav], #tab-replies, #tab-commitments, a.brand');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  document.body.classList.remove('facets-open');
  navigate(a.href);
});

document.addEventListener('keydown', e => {
  const typing = e.target.closest('input, textarea, select, [contenteditable]');
  if (e.key === '/' && !typing) {
    e.preventDefault();
    box.focus();
    box.select();
  } else if (e.key === 'Escape' && document.body.classList.contains('facets-open')) {
    document.body.classList.remove('facets-open');
  }
});

onNavigate(() => {
  document.body.classList.remove('facets-open');
  render();
});

loadTopics(api).then(render);

// The sidebar: facet counts of the current result set (disjunctive: a dimension's counts ignore
// its own filter), each value a checkbox, several per dimension; the region facet is a tree
// (province → city → county) and the years come with a histogram above the results.

import { FACET_LABELS, valueLabel, count, esc } from './labels.js';
import { listOf } from './state.js';

/** Values shown before "更多". */
const SHOWN = 8;
/** Provinces shown before "更多". */
const PROVINCES_SHOWN = 12;
/** Facets of each view, in sidebar order (region and year are drawn apart). */
const DIMENSIONS = {
  replies: ['topic', 'department', 'assembly', 'level', 'reply_kind', 'result_class'],
  commitments: ['strength', 'has_quantity', 'topic', 'department', 'assembly', 'level'],
};
/** Dimensions whose filter takes one value (choosing another replaces it). */
const SINGLE = ['has_quantity'];

/** Tree nodes the reader opened or closed (by code or name), kept across searches. */
const opened = new Set();
const closed = new Set();
/** Dimensions whose full list the reader asked for. */
const expanded = new Set();

/** The filter value of a region-tree node: provinces and cities by name (readable addresses),
 * other places by division code (a county name such as 鼓楼区 names places in several cities). */
export function regionValue(node, depth) {
  if (depth === 0 || !node.code) return node.value;
  return node.code.endsWith('00') ? node.value : node.code;
}

/** The tree's label for a region filter value (a name or a code), with its parents. */
export function regionLabel(tree, value) {
  const walk = (nodes, path, depth) => {
    for (const n of nodes || []) {
      const here = path.concat(n.value);
      if (regionValue(n, depth) === value || n.code === value) return here.join(' ');
      const found = walk(n.children, here, depth + 1);
      if (found) return found;
    }
    return null;
  };
  return walk(tree, [], 0) || value;
}

function checkbox(filter, value, label, n, on, extra = '') {
  // One id per filter and value, whatever characters the value has (focus survives redraws).
  const id = `f-${filter}-${Array.from(String(value), c => c.codePointAt(0).toString(36)).join('-')}`;
  return `<label class="opt${on ? ' on' : ''}" for="${esc(id)}"${extra}>` +
    `<input type="checkbox" id="${esc(id)}" data-filter="${esc(filter)}" data-value="${esc(value)}"${on ? ' checked' : ''}>` +
    `<span class="name">${esc(label)}</span><span class="count">${n == null ? '' : count(n)}</span></label>`;
}

function regionTree(tree, selected) {
  const isOn = (node, depth) => selected.includes(regionValue(node, depth)) || (node.code && selected.includes(node.code));
  const hasOn = (node, depth) => isOn(node, depth) || (node.children || []).some(c => hasOn(c, depth + 1));
  const key = node => node.code || node.value;
  const items = (nodes, depth, limit) => nodes.map((node, i) => {
    const kids = node.children || [];
    const open = kids.length && !closed.has(key(node)) && (opened.has(key(node)) || hasOn(node, depth));
    const hidden = limit && i >= limit && !hasOn(node, depth);
    const listId = `t-${key(node)}`;
    // A folded node's children were not sent: opening it asks the server for them.
    const folded = node.folded ? ' data-folded' : '';
    const twisty = kids.length || node.folded
      ? `<button type="button" class="twisty" data-node="${esc(key(node))}"${folded} aria-expanded="${open ? 'true' : 'false'}" aria-controls="${esc(listId)}" aria-label="${open ? '收起' : '展开'} ${esc(node.value)}">${open ? '▾' : '▸'}</button>`
      : '<span class="twisty-space"></span>';
    return `<li${hidden ? ' class="more-item" hidden' : ''}><div class="node">${twisty}` +
      checkbox('region', regionValue(node, depth), node.value, node.count, isOn(node, depth)) + '</div>' +
      (kids.length ? `<ul id="${esc(listId)}" class="tree-children"${open ? '' : ' hidden'}>${items(kids, depth + 1, 0)}</ul>` : '') +
      '</li>';
  }).join('');
  const more = tree.length > PROVINCES_SHOWN && !expanded.has('region')
    ? `<button type="button" class="more" data-more="region">显示全部 ${tree.length} 个省份</button>` : '';
  const limit = expanded.has('region') ? 0 : PROVINCES_SHOWN;
  return `<ul class="tree" role="list">${items(tree, 0, limit)}</ul>${more}`;
}

function section(dim, title, body, n = null) {
  const badge = n ? ` <span class="badge">${n}</span>` : '';
  return `<section class="facet" data-dim="${dim}"><h2 id="h-${dim}">${esc(title)}${badge}</h2>` +
    `<div role="group" aria-labelledby="h-${dim}">${body}</div></section>`;
}

function valueList(dim, values, selected, keep = SHOWN) {
  const shown = values.slice();
  for (const v of selected) if (!shown.some(x => x.value === v)) shown.push({ value: v, count: null });
  const all = expanded.has(dim);
  const body = shown.map((v, i) => {
    const on = selected.includes(v.value);
    const hide = !all && i >= keep && !on;
    return checkbox(dim, v.value, valueLabel(dim, v.value), v.count, on, hide ? ' hidden data-more-item' : '');
  }).join('');
  const filterBox = dim === 'department' && shown.length > keep
    ? `<input type="search" class="facet-filter" data-filter-for="${dim}" placeholder="筛选办理单位" aria-label="筛选办理单位列表">` : '';
  const more = shown.length > keep && !all
    ? `<button type="button" class="more" data-more="${dim}">更多（共 ${shown.length} 项）</button>` : '';
  return filterBox + body + more;
}

/** The sidebar's HTML for a search response `data` of `view`. */
export function facetsHtml(data, p, view) {
  const parts = [];
  const regions = listOf(p, 'region');
  if ((data.region_tree || []).length || regions.length) {
    parts.push(section('region', FACET_LABELS.region, regionTree(data.region_tree || [], regions), regions.length));
  }
  const years = listOf(p, 'year');
  const yearValues = (data.facets.year || []).map(v => ({ value: v.value, count: v.count }));
  const dateInputs = `<div class="dates"><label>起<input type="date" data-single="date_from" value="${esc(p.get('date_from') || '')}"></label>` +
    `<label>止<input type="date" data-single="date_to" value="${esc(p.get('date_to') || '')}"></label></div>`;
  parts.push(section('year', FACET_LABELS.year, valueList('year', yearValues, years, 12) + dateInputs, years.length));
  if (view === 'replies') {
    const on = p.get('has_commitments') === 'true';
    parts.push(section('has_commitments', FACET_LABELS.has_commitments,
      `<label class="opt${on ? ' on' : ''}"><input type="checkbox" data-single="has_commitments" data-value="true"${on ? ' checked' : ''}><span class="name">只看作出承诺的答复</span><span class="count"></span></label>`));
  }
  for (const dim of DIMENSIONS[view]) {
    const values = data.facets[dim] || [];
    const selected = SINGLE.includes(dim) ? (p.get(dim) ? [p.get(dim)] : []) : listOf(p, dim);
    if (!values.length && !selected.length) continue;
    parts.push(section(dim, FACET_LABELS[dim], valueList(dim, values, selected), selected.length));
  }
  return parts.join('');
}

/** Whether `dim` takes one value only. */
export function isSingle(dim) {
  return SINGLE.includes(dim);
}

/** The region tree the page asks for: folded, with the nodes the reader opened listed (a
 * county list is fetched when its city is opened, not sent with every search). */
export function regionTreeParams(params) {
  params.set('region_tree', 'folded');
  // The API takes at most 50 values of a list: the nodes opened last (an older one comes back
  // folded and is fetched again when it is reopened).
  if (opened.size) params.set('region_open', [...opened].slice(-50).join(','));
  return params;
}

/** Opens or closes a tree node (by its key); returns whether it is now open. */
export function toggleNode(key, nowOpen) {
  if (nowOpen) { opened.delete(key); opened.add(key); closed.delete(key); } else { closed.add(key); opened.delete(key); }
}

/** Shows every value of `dim`. */
export function expand(dim) {
  expanded.add(dim);
}

/** The year histogram of the result set: a bar per year, the selected years marked, each bar a
 * button that selects its year. */
export function histogramHtml(histogram, p, unit) {
  if (!histogram || histogram.length < 2) return '';
  const selected = listOf(p, 'year');
  const max = Math.max(1, ...histogram.map(h => h.count));
  const every = histogram.length > 16 ? Math.ceil(histogram.length / 8) : 1;
  const bars = histogram.map((h, i) => {
    const on = selected.includes(String(h.year));
    const pct = h.count ? Math.max(3, Math.round((h.count / max) * 100)) : 0;
    const label = i % every === 0 || i === histogram.length - 1 ? String(h.year) : '';
    return `<button type="button" class="bar${on ? ' on' : ''}" data-filter="year" data-value="${h.year}" aria-pressed="${on}" ` +
      `title="${h.year}年 ${count(h.count)} ${unit}" aria-label="${h.year}年 ${count(h.count)} ${unit}">` +
      `<span class="fill" style="height:${pct}%"></span><span class="yr">${label}</span></button>`;
  }).join('');
  return `<figure class="histogram" aria-label="年度分布"><figcaption>年度分布</figcaption><div class="bars">${bars}</div></figure>`;
}

// The results column of a search: active filters as removable chips, the count and the time,
// sort, page size and export, the year histogram, the hits and the pager.

import { FACET_LABELS, valueLabel, count, esc, place } from './labels.js';
import { activeFilters, apiParams, paging, replyUrl, PAGE_SIZES, MAX_WINDOW } from './state.js';
import { histogramHtml, regionLabel } from './facets.js';

const UNIT = { replies: '条答复', commitments: '项承诺' };

function filterLabel(name, value, data) {
  if (name === 'region') return regionLabel(data.region_tree, value);
  if (name === 'year') return value.replace('..', '–') + '年';
  if (name === 'date_from') return '自 ' + value;
  if (name === 'date_to') return '至 ' + value;
  return valueLabel(name, value);
}

function chipsHtml(data, p, view) {
  const active = activeFilters(p, view);
  if (!active.length) return '';
  const chips = active.map(([name, value]) => {
    const label = filterLabel(name, value, data);
    return `<li><button type="button" class="chip removable" data-remove="${esc(name)}" data-value="${esc(value)}" aria-label="移除筛选：${esc(FACET_LABELS[name] || name)} ${esc(label)}">` +
      `<span class="dim">${esc(FACET_LABELS[name] || name)}</span> ${esc(label)} <span aria-hidden="true">×</span></button></li>`;
  }).join('');
  return `<div class="active" aria-label="已选条件"><ul class="chips">${chips}</ul>` +
    '<button type="button" class="link" data-clear>清除全部</button></div>';
}

function topicChips(topics) {
  return (topics || []).map(t => `<span class="chip topic">${esc(valueLabel('topic', t))}</span>`).join('');
}

function replyHit(h, p, view) {
  const meta = [
    h.department && `<span class="dept">${esc(h.department)}</span>`,
    place(h.region) && `<span>${esc(place(h.region))}</span>`,
    h.date && `<time datetime="${esc(h.date)}">${esc(h.date)}</time>`,
    h.doc_number && `<span class="doc">${esc(h.doc_number)}</span>`,
  ].filter(Boolean).join('<span class="sep" aria-hidden="true">·</span>');
  const proposal = h.proposal_title
    ? `<p class="proposal">${h.assembly === 'cppcc' ? '提案' : '建议'}${h.proposal_number ? ` 第${esc(h.proposal_number)}号` : ''}：《${esc(h.proposal_title)}》${h.proposer ? ` · ${esc(h.proposer)}` : ''}</p>`
    : '';
  const chips = topicChips(h.topics) +
    (h.assembly ? `<span class="chip">${esc(valueLabel('assembly', h.assembly))}</span>` : '') +
    (h.commitment_count ? `<span class="chip promise">${h.commitment_count} 项承诺</span>` : '');
  const frags = (h.highlights || []).map(f => `<p class="frag">${f.html}</p>`).join('');
  return `<li class="hit"><h3><a href="${esc(replyUrl(h.id, p, view))}" data-nav>${esc(h.title || h.id)}</a></h3>` +
    `<div class="meta">${meta}</div>${proposal}<div class="chips">${chips}</div>${frags}</li>`;
}

function commitmentHit(h, p, view) {
  const r = h.reply || {};
  const frags = (h.highlights || []).length
    ? h.highlights.map(f => `<p class="frag">${f.html}</p>`).join('')
    : `<p class="frag">${esc(h.text)}</p>`;
  const when = h.deadline ? `期限 ${esc(h.deadline)}` : (h.target_year ? `${h.target_year}年` : '');
  const chips = `<span class="chip ${h.strength === 'firm' ? 'firm' : 'tentative'}">${esc(valueLabel('strength', h.strength))}</span>` +
    (h.quantities || []).map(q => `<span class="chip qty">${esc(q.text)}</span>`).join('') +
    (when ? `<span class="chip when">${when}</span>` : '') +
    (h.department ? `<span class="chip dept">${esc(h.department)}</span>` : '');
  const source = [r.department, place(r.region || {}), r.date, r.doc_number].filter(Boolean).map(esc)
    .join('<span class="sep" aria-hidden="true">·</span>');
  return `<li class="hit commitment">${frags}<div class="chips">${chips}</div>` +
    `<div class="meta">出自 <a href="${esc(replyUrl(h.reply_id, p, view, '#c' + h.number))}" data-nav>${esc(r.title || h.reply_id)}</a>` +
    (h.section ? ` · ${esc(h.section)}` : '') + `</div><div class="meta">${source}</div></li>`;
}

function pagerHtml(total, p) {
  const { page, limit } = paging(p);
  const pages = Math.max(1, Math.min(Math.ceil(total / limit), Math.floor(MAX_WINDOW / limit)));
  if (pages <= 1) return '';
  const link = (n, text, label, current = false) => {
    const q = new URLSearchParams(p);
    if (n === 1) q.delete('page'); else q.set('page', String(n));
    return `<a href="?${esc(q.toString())}" data-nav${current ? ' aria-current="page" class="current"' : ''}${label ? ` aria-label="${label}"` : ''}>${text}</a>`;
  };
  const items = [];
  if (page > 1) items.push(link(page - 1, '‹ 上一页', '上一页'));
  const from = Math.max(1, page - 2);
  const to = Math.min(pages, page + 2);
  if (from > 1) items.push(link(1, '1', '第1页'));
  if (from > 2) items.push('<span class="gap">…</span>');
  for (let n = from; n <= to; n++) items.push(link(n, String(n), `第${n}页`, n === page));
  if (to < pages - 1) items.push('<span class="gap">…</span>');
  if (to < pages) items.push(link(pages, String(pages), `第${pages}页`));
  if (page < pages) items.push(link(page + 1, '下一页 ›', '下一页'));
  return `<nav class="pager" aria-label="分页">${items.join('')}</nav>`;
}

function toolbarHtml(data, p, view) {
  const { limit } = paging(p);
  const sort = p.get('sort') || 'relevance';
  const option = (value, text, cur) => `<option value="${value}"${cur === value ? ' selected' : ''}>${text}</option>`;
  const exportParams = apiParams(p, view, { paged: false });
  exportParams.set('format', 'csv');
  exportParams.set('bom', 'true');
  const exportUrl = (view === 'commitments' ? '/api/export/commitments?' : '/api/export?') + exportParams.toString();
  return `<div class="toolbar">` +
    `<p class="summary" id="summary" role="status">共 <strong id="total">${count(data.total)}</strong> ${UNIT[view]}<span class="took"> · 用时 ${data.took_ms.toFixed(1)} 毫秒</span></p>` +
    `<button type="button" class="filters-toggle" data-open-facets aria-controls="facets" aria-expanded="false">筛选</button>` +
    `<label>排序 <select id="sort">${option('relevance', '相关度', sort)}${option('date', '日期：新→旧', sort)}${option('date_asc', '日期：旧→新', sort)}</select></label>` +
    `<label>每页 <select id="limit">${PAGE_SIZES.map(n => option(String(n), String(n), String(limit))).join('')}</select></label>` +
    `<a class="button" id="export" href="${esc(exportUrl)}" download>导出 CSV</a></div>`;
}

/** The results column's HTML for a search response `data` of `view`. */
export function resultsHtml(data, p, view) {
  const hits = data.hits.map(h => (view === 'commitments' ? commitmentHit(h, p, view) : replyHit(h, p, view))).join('');
  const { offset } = paging(p);
  const empty = p.get('q') || activeFilters(p, view).length
    ? '<p class="empty">没有找到结果。试试更少或更宽的词，或去掉一些筛选条件。</p>'
    : '<p class="empty">索引中还没有内容。</p>';
  const heading = `<h1 class="sr-only">${view === 'commitments' ? '承诺检索结果' : '答复检索结果'}</h1>`;
  return heading + chipsHtml(data, p, view) + toolbarHtml(data, p, view) +
    histogramHtml(data.year_histogram, p, UNIT[view]) +
    (hits ? `<ol class="hits" start="${offset + 1}">${hits}</ol>` : empty) +
    pagerHtml(data.total, p);
}


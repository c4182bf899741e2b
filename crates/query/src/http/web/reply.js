// The reply page: the whole text, readable, with the query's words marked and the
// commitments highlighted where they stand; the extracted fields as a table; the commitments
// listed with their quantities and deadlines; "复制引文" for a selected passage.

import { valueLabel, chineseDate, count, esc, place } from './labels.js';
import { current, searchUrl } from './state.js';
import { selectedRange, passageText, citation, copyText } from './citation.js';

/** The text view's HTML: one `[data-s][data-e]` segment per run of characters that carries
 * the same marks, so a DOM position maps back to a character offset. Layers are character
 * ranges: query marks, commitments, and the passage a citation link points at. */
export function textHtml(chars, marks, commitments, cited) {
  const n = chars.length;
  const cuts = new Set([0, n]);
  const clamp = x => Math.max(0, Math.min(n, x));
  for (const r of marks) { cuts.add(clamp(r.start)); cuts.add(clamp(r.end)); }
  commitments.forEach(c => { cuts.add(clamp(c.start)); cuts.add(clamp(c.end)); });
  if (cited) { cuts.add(clamp(cited.start)); cuts.add(clamp(cited.end)); }
  const points = [...cuts].sort((a, b) => a - b);
  const out = [];
  let m = 0;
  const begun = new Set();
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i];
    const b = points[i + 1];
    while (m < marks.length && marks[m].end <= a) m++;
    const marked = m < marks.length && marks[m].start <= a && marks[m].end >= b;
    const c = commitments.findIndex(x => x.start <= a && x.end >= b);
    const inCited = cited && cited.start <= a && cited.end >= b;
    const classes = ['seg'];
    let attrs = '';
    if (c >= 0) {
      classes.push('cm', commitments[c].strength === 'firm' ? 'firm' : 'tentative');
      attrs += ` data-c="${c}"`;
      if (!begun.has(c)) { begun.add(c); attrs += ` id="c${c}"`; }
    }
    if (inCited) classes.push('cited');
    const text = esc(chars.slice(a, b).join(''));
    out.push(`<span class="${classes.join(' ')}" data-s="${a}" data-e="${b}"${attrs}>${marked ? `<mark>${text}</mark>` : text}</span>`);
  }
  return out.join('');
}

const FORMAT_LABELS = { txt: '文本', jsonl: 'JSONL', html: '网页', docx: 'Word', pdf: 'PDF', api: '接口' };

function sourceLine(s) {
  // Only web addresses become links (a `javascript:` address in a record stays text).
  const where = s.source_url && /^https?:\/\//i.test(s.source_url)
    ? `<a href="${esc(s.source_url)}" rel="noreferrer noopener" target="_blank">${esc(s.source_url)}</a>`
    : esc([s.source_url, s.path, s.line ? `第${s.line}行` : null].filter(Boolean).join(' '));
  const notes = [
    s.format ? (FORMAT_LABELS[s.format] || s.format) : null,
    s.published ? `发布于 ${s.published}` : null,
    s.source || null,
  ].filter(Boolean);
  return where + (notes.length ? ` <span class="muted">${esc(notes.join(' · '))}</span>` : '');
}

function fieldRows(r) {
  const codes = [r.region.county_code, r.region.city_code, r.region.province_code].find(Boolean);
  // Every copy of the reply (a page, its PDF, a re-crawl): one line each.
  const copies = (r.sources && r.sources.length) ? r.sources : [r.origin || {}];
  const source = copies.map(sourceLine).join('<br>');
  const rows = [
    ['文号', esc(r.doc_number)],
    ['办理单位', esc(r.department)],
    ['会办/协办单位', esc((r.co_departments || []).join('、'))],
    ['地区', esc(place(r.region)) + (codes ? ` <span class="muted">(${esc(codes)})</span>` : '')],
    ['日期', r.date ? `<time datetime="${esc(r.date)}">${esc(chineseDate(r.date))}</time>` : ''],
    ['人大/政协', esc(r.assembly ? valueLabel('assembly', r.assembly) : '')],
    ['层级', esc(r.level ? valueLabel('level', r.level) : '')],
    ['届次', esc(r.session && r.session.text)],
    ['编号', esc(r.proposal_number ? `第${r.proposal_number}号` : '')],
    ['建议/提案', esc(r.proposal_title ? `《${r.proposal_title}》` : '')],
    ['提出人', esc(r.proposer)],
    ['文种', esc(r.reply_kind ? valueLabel('reply_kind', r.reply_kind) : '')],
    ['办理结果', esc(r.result_class ? valueLabel('result_class', r.result_class) : '')],
    ['议题', (r.topics || []).map(t => `<span class="chip topic">${esc(valueLabel('topic', t))}</span>`).join('')],
    ['联系人', esc((r.contacts || []).map(c => [c.name, (c.phones || []).join('、')].filter(Boolean).join(' ')).join('；'))],
    ['附件', esc((r.attachments || []).join('；'))],
    ['抄送', esc((r.cc || []).join('、'))],
    [copies.length > 1 ? `来源（${copies.length}份）` : '来源', source],
    ['提取提示', esc((r.warnings || []).join('；'))],
  ];
  return rows.filter(([, v]) => v).map(([k, v]) => `<tr><th scope="row">${k}</th><td>${v}</td></tr>`).join('');
}

function commitmentList(commitments, chars) {
  if (!commitments.length) return '<p class="muted">未识别到承诺事项。</p>';
  return '<ol class="promises">' + commitments.map((c, i) => {
    const text = passageText(chars, c.start, c.end) || c.text;
    const when = c.deadline ? `期限 ${esc(c.deadline)}` : (c.target_year ? `${c.target_year}年` : '');
    return `<li><a href="#c${i}" data-jump="c${i}">${esc(text.length > 90 ? text.slice(0, 90) + '…' : text)}</a><div class="chips">` +
      `<span class="chip ${c.strength === 'firm' ? 'firm' : 'tentative'}">${esc(valueLabel('strength', c.strength))}</span>` +
      (c.quantities || []).map(q => `<span class="chip qty">${esc(q.text)}</span>`).join('') +
      (when ? `<span class="chip when">${when}</span>` : '') +
      (c.department ? `<span class="chip dept">${esc(c.department)}</span>` : '') +
      (c.section ? `<span class="muted section">${esc(c.section)}</span>` : '') + '</div></li>';
  }).join('') + '</ol>';
}

/** `#p120-180`: a cited passage. */
function citedFromHash(n) {
  const m = /^#p(\d+)-(\d+)$/.exec(window.location.hash);
  if (!m) return null;
  const start = Number(m[1]);
  const end = Math.min(n, Number(m[2]));
  return end > start ? { start, end } : null;
}

/** Draws reply `r` (an /api/replies answer, with `marks` when the address has a query) into
 * `app`. */
export function renderReply(app, r) {
  const p = current();
  const from = p.get('from') === 'commitments' ? 'commitments' : 'replies';
  const chars = Array.from(r.text);
  const marks = (r.marks || []).slice().sort((a, b) => a.start - b.start);
  const commitments = r.commitments || [];
  const cited = citedFromHash(chars.length);
  const back = searchUrl(from, p);
  const markNav = marks.length
    ? `<span class="marknav"><span id="mark-count">${count(marks.length)}</span> 处匹配 <button type="button" data-mark="-1" aria-label="上一处匹配">↑</button><button type="button" data-mark="1" aria-label="下一处匹配">↓</button></span>`
    : (p.get('q') ? '<span class="marknav">正文中没有检索词</span>' : '');
  app.innerHTML = `<main id="main" class="reply-page" tabindex="-1">` +
    `<nav class="crumbs"><a href="${esc(back)}" id="back" data-nav>← 返回${from === 'commitments' ? '承诺' : ''}检索结果</a></nav>` +
    `<h1 id="reply-title" tabindex="-1">${esc(r.title || r.id)}</h1>` +
    `<p class="meta">${[r.department, r.doc_number, chineseDate(r.date)].filter(Boolean).map(esc).join('<span class="sep" aria-hidden="true">·</span>')}</p>` +
    '<div class="reply-layout"><section class="reading" aria-label="答复全文">' +
    `<div class="reading-bar"><button type="button" id="copy-citation" class="primary">复制引文</button>` +
    `<span class="hint">选中一段正文后复制，附办理单位、标题、文号和日期</span>${markNav}</div>` +
    '<div id="citation" class="citation" hidden><p class="status" id="citation-status" role="status"></p><pre id="citation-text"></pre></div>' +
    `<div id="reply-text" class="reply-text" lang="zh-CN">${textHtml(chars, marks, commitments, cited)}</div></section>` +
    `<aside class="reply-side"><h2>基本信息</h2><table class="fields"><tbody>${fieldRows(r)}</tbody></table>` +
    `<h2>承诺事项 <span class="badge" id="commitment-count">${commitments.length}</span></h2>${commitmentList(commitments, chars)}</aside></div></main>`;

  const textView = app.querySelector('#reply-text');
  let lastRange = null;
  document.onselectionchange = () => {
    const range = selectedRange(textView);
    if (range) lastRange = range;
  };
  app.querySelector('#copy-citation').addEventListener('click', async () => {
    const range = selectedRange(textView) || lastRange;
    const link = `${window.location.origin}/reply/${encodeURIComponent(r.id)}` + (range ? `#p${range.start}-${range.end}` : '');
    const passage = range ? passageText(chars, range.start, range.end) : '';
    const text = citation(r, passage, link);
    const ok = await copyText(text);
    const box = app.querySelector('#citation');
    box.hidden = false;
    app.querySelector('#citation-text').textContent = text;
    app.querySelector('#citation-status').textContent = ok
      ? (passage ? '已复制所选段落的引文：' : '未选中段落，已复制整篇答复的出处：')
      : '浏览器不允许写入剪贴板，请手动复制：';
  });
  let at = -1;
  app.querySelectorAll('[data-mark]').forEach(b => b.addEventListener('click', () => {
    const all = textView.querySelectorAll('mark');
    if (!all.length) return;
    at = (at + Number(b.dataset.mark) + all.length) % all.length;
    all.forEach(x => x.classList.remove('current'));
    all[at].classList.add('current');
    all[at].scrollIntoView({ block: 'center' });
  }));
  app.querySelectorAll('[data-jump]').forEach(a => a.addEventListener('click', e => {
    e.preventDefault();
    const target = textView.querySelector('#' + a.dataset.jump);
    if (!target) return;
    history.replaceState(null, '', '#' + a.dataset.jump);
    target.scrollIntoView({ block: 'center' });
    textView.querySelectorAll('.cm.focus').forEach(x => x.classList.remove('focus'));
    textView.querySelectorAll(`[data-c="${a.dataset.jump.slice(1)}"]`).forEach(x => x.classList.add('focus'));
  }));
  const hash = window.location.hash;
  const anchor = cited ? textView.querySelector('.cited') : (/^#c\d+$/.test(hash) ? textView.querySelector(hash) : null);
  if (anchor) {
    anchor.scrollIntoView({ block: 'center' });
    if (!cited) textView.querySelectorAll(`[data-c="${hash.slice(2)}"]`).forEach(x => x.classList.add('focus'));
  } else {
    window.scrollTo(0, 0);
  }
  document.title = `${r.title || r.id} · 答复 dafu`;
  app.querySelector('#reply-title').focus({ preventScroll: Boolean(anchor) });
}

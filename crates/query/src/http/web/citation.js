// "复制引文": a passage the reader selected in a reply, quoted with what a citation needs
// (department, title, 文号, date) and a link that opens the reply with that passage marked.

import { chineseDate } from './labels.js';

/** The character offset (Unicode code points, as the API counts) in the reply text of a DOM
 * position inside the text view, or null when the position is outside it. Each segment of the
 * view is a `[data-s]` element holding one text node. */
export function offsetOf(root, node, offset) {
  if (!root.contains(node)) return null;
  if (node.nodeType !== Node.TEXT_NODE) {
    // A position between children: the start of the child at `offset`, or the end of the
    // last segment before it.
    const child = node.childNodes[offset];
    if (child) {
      const seg = child.nodeType === Node.ELEMENT_NODE && child.matches('[data-s]') ? child : (child.parentElement && child.parentElement.closest('[data-s]'));
      if (seg && root.contains(seg)) return Number(seg.dataset.s);
    }
    const segs = root.querySelectorAll('[data-s]');
    const last = segs[segs.length - 1];
    return last ? Number(last.dataset.e) : 0;
  }
  const seg = node.parentElement && node.parentElement.closest('[data-s]');
  if (!seg || !root.contains(seg)) return null;
  return Number(seg.dataset.s) + Array.from(node.data.slice(0, offset)).length;
}

/** The selected range of the reply text as `{start, end}` (code points), or null. */
export function selectedRange(root) {
  const sel = window.getSelection();
  if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
  const range = sel.getRangeAt(0);
  if (!range.intersectsNode(root)) return null;
  let start = offsetOf(root, range.startContainer, range.startOffset);
  let end = offsetOf(root, range.endContainer, range.endOffset);
  const segs = root.querySelectorAll('[data-s]');
  if (!segs.length) return null;
  if (start === null) start = Number(segs[0].dataset.s);
  if (end === null) end = Number(segs[segs.length - 1].dataset.e);
  return end > start ? { start, end } : null;
}

/** The passage `start..end` of `chars` as it is quoted: line breaks inside Chinese text
 * (a PDF's or a page's wrapping) removed, runs of spaces folded. */
export function passageText(chars, start, end) {
  return chars.slice(start, end).join('')
    .replace(/\s*\n\s*/g, '')
    .replace(/[ \t\u3000]+/g, ' ')
    .trim();
}

/** The citation of `reply`: the quoted passage (when there is one), then the source. */
export function citation(reply, passage, link) {
  const source = [reply.department, reply.title ? `《${reply.title.replace(/^《|》$/g, '')}》` : null]
    .filter(Boolean).join('');
  const details = [reply.doc_number, chineseDate(reply.date)].filter(Boolean).join('，');
  const line = `${source}${details ? `（${details}）` : ''}`;
  const head = passage ? `“${passage}”\n——${line}` : line;
  return `${head}\n${link}`;
}

/** Puts `text` on the clipboard; true when it worked. */
export async function copyText(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch (e) {
    // Fall through to the older way.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch (e) {
    ok = false;
  }
  area.remove();
  return ok;
}

// What people read for the API's codes: facet names, enumerated values, topic labels.

/** Facet dimension -> its heading in the sidebar. */
export const FACET_LABELS = {
  region: '地区', year: '年份', topic: '议题', department: '办理单位', assembly: '人大/政协',
  level: '层级', reply_kind: '文种', result_class: '办理结果', strength: '承诺强度',
  has_quantity: '量化指标', has_commitments: '承诺', date: '日期',
};

/** Enumerated API values -> Chinese. */
const VALUE_LABELS = {
  assembly: { npc: '人大建议', cppcc: '政协提案' },
  level: { national: '全国', province: '省级', city: '市级', county: '县级' },
  reply_kind: { reply: '答复', co_handling: '会办意见', assisting: '协办意见' },
  result_class: { A: 'A类', B: 'B类', C: 'C类', D: 'D类' },
  strength: { firm: '明确承诺', tentative: '探索性表述' },
  has_quantity: { true: '含数量', false: '不含数量' },
  has_commitments: { true: '有承诺', false: '无承诺' },
};

let topicLabels = {};

/** Loads the topic taxonomy of the index (slug -> label) once. */
export async function loadTopics(api) {
  try {
    const topics = await api('/api/topics');
    topicLabels = Object.fromEntries(topics.map(t => [t.slug, t.label]));
  } catch (e) {
    topicLabels = {};
  }
}

/** The label of `value` in dimension `dim` (the value itself when it has none). */
export function valueLabel(dim, value) {
  if (dim === 'topic') return topicLabels[value] || value;
  const table = VALUE_LABELS[dim];
  return (table && table[value]) || String(value);
}

/** Province, city and county of a `region`, as one line. */
export function place(region) {
  return [region.province, region.city, region.county].filter(Boolean).join(' ');
}

/** 2020-08-18 -> 2020年8月18日 (what a citation prints). */
export function chineseDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : (iso || '');
}

/** 12345 -> 12,345 */
export function count(n) {
  return Number(n).toLocaleString('zh-CN');
}

/** Escapes text for HTML. */
export function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

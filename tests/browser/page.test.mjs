// The search page in a real browser: headless Chromium against a real `dafu serve` over a
// generated index. It searches, clicks facets, opens a reply, checks the marks, the inline
// commitments and the copied citation, uses the commitment view and the exports, the back
// button, a phone's width and the keyboard; every figure the page shows is checked against
// what the JSON API answers for the same search. Screenshots go to screenshotDir().
//
// No request may leave 127.0.0.1 (fonts and scripts are dafu's own), and no script error or
// console error may happen on any page.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';

import { startDafu, launchBrowser, screenshotDir } from './harness.mjs';

const QUERY = '培训';
let dafu;
let browser;

before(async () => {
  dafu = await startDafu({ count: 400 });
  // Chinese as the browser's own language too (its fonts and formats for a reader in China).
  browser = await launchBrowser({ args: ['--lang=zh-CN'], env: { ...process.env, LANGUAGE: 'zh_CN', LANG: 'zh_CN.UTF-8' } });
});

after(async () => {
  await browser?.close();
  await dafu?.stop();
});

/** GET the API from the test, as JSON. */
async function api(pathAndQuery) {
  const res = await fetch(dafu.baseUrl + pathAndQuery);
  assert.equal(res.status, 200, `${pathAndQuery}: ${res.status}`);
  return res.json();
}

/** `?a=b&…` of an object, percent-encoded. */
function qs(params) {
  return '?' + new URLSearchParams(params).toString();
}

/** A page in a fresh context that fails the test on any script error, console error or
 * request to another host; `page.expectConsoleError(re)` allows the errors a test provokes. */
async function openPage(t, { phone = false } = {}) {
  const context = await browser.newContext({
    locale: 'zh-CN',
    viewport: phone ? { width: 390, height: 844 } : { width: 1366, height: 900 },
    deviceScaleFactor: phone ? 2 : 1,
    isMobile: phone,
    hasTouch: phone,
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: dafu.baseUrl });
  const page = await context.newPage();
  const problems = [];
  const allowed = [];
  page.expectConsoleError = re => allowed.push(re);
  page.on('pageerror', e => problems.push(`script error: ${e.message}`));
  page.on('console', m => {
    if (m.type() === 'error' && !allowed.some(re => re.test(m.text()))) problems.push(`console error: ${m.text()}`);
  });
  page.on('request', r => {
    if (!r.url().startsWith(dafu.baseUrl) && !r.url().startsWith('data:')) problems.push(`request to another host: ${r.url()}`);
  });
  t.after(async () => {
    await context.close();
    assert.deepEqual(problems, [], 'the page misbehaved');
  });
  return page;
}

/** Waits until the results for the current address are drawn. */
async function results(page) {
  await page.waitForFunction(() => !document.getElementById('app').hasAttribute('aria-busy') && document.querySelector('#total, .error'));
}

/** The count the page shows. */
async function shownTotal(page) {
  await results(page);
  return Number((await page.textContent('#total')).replace(/[,，]/g, ''));
}

/** Parses CSV (RFC 4180: quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; } else if (c !== '\r') field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

/** axe-core's WCAG 2 A/AA rules on the page as it is now: the violations that matter
 * (serious or critical), one line each. */
async function accessibilityProblems(page) {
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
  const found = await page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map(n => n.target.join(' ')) }));
  });
  return found.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id} (${v.impact}): ${v.help} at ${v.targets.join(', ')}`);
}

/** A screenshot of the top of the page (where a reader lands). */
async function shot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(screenshotDir(), name), fullPage: false });
}

test('search, a facet, the histogram, the back button, a reply with marks, commitments and a citation', { timeout: 120_000 }, async t => {
  const page = await openPage(t);
  await page.goto(dafu.baseUrl + '/');
  const everything = await api('/api/search' + qs({ limit: 1 }));
  assert.equal(await shownTotal(page), everything.total);

  // Search.
  await page.fill('#q', QUERY);
  await page.press('#q', 'Enter');
  await page.waitForURL(u => new URL(u).searchParams.get('q') === QUERY);
  const expected = await api('/api/search' + qs({ q: QUERY, limit: 10 }));
  assert.ok(expected.total > 10, `the test wants several pages of hits: ${expected.total}`);
  assert.equal(await shownTotal(page), expected.total);
  const titles = await page.$$eval('.hit h3 a', as => as.map(a => a.textContent));
  assert.deepEqual(titles, expected.hits.map(h => h.title));
  const firstMarks = await page.$$eval('.hit:first-child .frag mark', ms => ms.map(m => m.textContent));
  assert.ok(firstMarks.length > 0 && firstMarks.every(m => m === QUERY), JSON.stringify(firstMarks));
  const firstChips = await page.$$eval('.hit:first-child .chip', cs => cs.map(c => c.textContent));
  assert.ok(firstChips.includes(`${expected.hits[0].commitment_count} 项承诺`) || expected.hits[0].commitment_count === 0, JSON.stringify(firstChips));
  await page.waitForSelector('.histogram .bar');
  await shot(page, 'search-desktop.png');

  // A province in the region tree: the count beside it is what the filtered search finds.
  const province = page.locator('.facet[data-dim="region"] .tree > li:not([hidden]) > .node label.opt').first();
  const name = await province.locator('.name').textContent();
  const count = Number((await province.locator('.count').textContent()).replace(/,/g, ''));
  await province.locator('input').check();
  await page.waitForURL(u => new URL(u).searchParams.get('region') === name);
  assert.equal(await shownTotal(page), count);
  const places = await page.$$eval('.hit .meta', ms => ms.map(m => m.textContent));
  assert.ok(places.length > 0 && places.every(p => p.includes(name)), `${name}: ${places}`);
  assert.match(await page.textContent('.active .chips'), new RegExp(name));
  const filtered = await api('/api/search' + qs({ q: QUERY, region: name, limit: 10 }));
  assert.equal(filtered.total, count);

  // The year histogram: a bar selects its year.
  const bar = filtered.year_histogram.find(y => y.count > 0);
  await page.click(`.histogram .bar[data-value="${bar.year}"]`);
  await page.waitForURL(u => new URL(u).searchParams.get('year') === String(bar.year));
  assert.equal(await shownTotal(page), bar.count);
  assert.equal(await page.getAttribute(`.histogram .bar[data-value="${bar.year}"]`, 'aria-pressed'), 'true');

  // The back button returns to the search before the year, with its count.
  await page.goBack();
  await page.waitForURL(u => !new URL(u).searchParams.has('year'));
  assert.equal(await shownTotal(page), count);
  assert.equal(await page.inputValue('#q'), QUERY);

  // Removing the province's chip widens the search again.
  await page.click('.active button[data-remove="region"]');
  await page.waitForURL(u => !new URL(u).searchParams.has('region'));
  assert.equal(await shownTotal(page), expected.total);

  // Open the first hit that makes commitments.
  const withCommitments = expected.hits.find(h => h.commitment_count > 0);
  assert.ok(withCommitments, 'a hit with commitments on the first page');
  await page.click(`.hit h3 a[href^="/reply/${encodeURIComponent(withCommitments.id)}?"]`);
  await page.waitForURL(u => new URL(u).pathname === `/reply/${withCommitments.id}`);
  await page.waitForSelector('#reply-text');
  const reply = await api(`/api/replies/${encodeURIComponent(withCommitments.id)}` + qs({ q: QUERY }));
  assert.equal(await page.textContent('h1'), reply.title);
  // The whole text, as the API has it, with every match of the query marked.
  assert.equal(await page.textContent('#reply-text'), reply.text);
  const marks = await page.$$eval('#reply-text mark', ms => ms.map(m => m.textContent));
  assert.equal(marks.length, reply.marks.length);
  assert.ok(marks.every(m => m === QUERY), JSON.stringify(marks));
  assert.equal(Number(await page.textContent('#mark-count')), reply.marks.length);
  // Each commitment is highlighted where it stands, and listed with its quantities.
  const chars = Array.from(reply.text);
  const inline = await page.$$eval('#reply-text .cm', segs => {
    const by = {};
    for (const s of segs) by[s.dataset.c] = (by[s.dataset.c] || '') + s.textContent;
    return by;
  });
  assert.equal(Object.keys(inline).length, reply.commitments.length);
  reply.commitments.forEach((c, i) => {
    assert.equal(inline[i], chars.slice(c.start, c.end).join(''), `commitment ${i}`);
  });
  assert.equal(await page.locator('.promises > li').count(), reply.commitments.length);
  const quantities = reply.commitments.flatMap(c => c.quantities.map(q => q.text));
  const listed = await page.$$eval('.promises .chip.qty', cs => cs.map(c => c.textContent));
  assert.deepEqual(listed, quantities);
  // The metadata table.
  const fields = await page.$$eval('table.fields tr', rows => Object.fromEntries(rows.map(r => [r.querySelector('th').textContent, r.querySelector('td').textContent])));
  assert.equal(fields['文号'], reply.doc_number ?? undefined);
  assert.equal(fields['办理单位'], reply.department ?? undefined);

  // Select the first commitment's text and copy its citation.
  const first = reply.commitments[0];
  await page.evaluate(() => {
    const segs = document.querySelectorAll('#reply-text [data-c="0"]');
    const range = document.createRange();
    range.setStart(segs[0].firstChild.nodeType === Node.TEXT_NODE ? segs[0].firstChild : segs[0].firstChild.firstChild, 0);
    const last = segs[segs.length - 1];
    const lastText = last.firstChild.nodeType === Node.TEXT_NODE ? last.firstChild : last.firstChild.firstChild;
    range.setEnd(lastText, lastText.data.length);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  });
  await page.click('#copy-citation');
  await page.waitForSelector('#citation:not([hidden])');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, await page.textContent('#citation-text'));
  const passage = chars.slice(first.start, first.end).join('').replace(/\s*\n\s*/g, '').trim();
  const [y, m, d] = reply.date.split('-').map(Number);
  assert.ok(copied.startsWith(`“${passage}”\n——`), copied);
  for (const part of [reply.department, `《${reply.title}》`, reply.doc_number, `${y}年${m}月${d}日`]) {
    assert.ok(copied.includes(part), `${part} missing from the citation:\n${copied}`);
  }
  const link = copied.trim().split('\n').pop();
  assert.equal(link, `${dafu.baseUrl}/reply/${encodeURIComponent(reply.id)}#p${first.start}-${first.end}`);
  await shot(page, 'reply-desktop.png');

  // The citation's link opens the reply with the passage marked.
  await page.goto(link);
  await page.waitForSelector('#reply-text .cited');
  const cited = await page.$$eval('#reply-text .cited', segs => segs.map(s => s.textContent).join(''));
  assert.equal(cited, chars.slice(first.start, first.end).join(''));

  // Back to the results from a reply opened from the search.
  await page.goBack();
  await page.waitForSelector('#back');
  await page.click('#back');
  await page.waitForURL(u => new URL(u).pathname === '/');
  assert.equal(await shownTotal(page), expected.total);
});

test('the commitment view: its facets, its export and the reply export', { timeout: 90_000 }, async t => {
  const page = await openPage(t);
  await page.goto(dafu.baseUrl + '/' + qs({ q: QUERY }));
  await results(page);
  await page.click('#tab-commitments');
  await page.waitForURL(u => new URL(u).pathname === '/commitments');
  const all = await api('/api/commitments' + qs({ q: QUERY, limit: 10 }));
  assert.equal(await shownTotal(page), all.total);
  const texts = await page.$$eval('.hit.commitment .frag', fs => fs.map(f => f.textContent));
  assert.ok(texts.length > 0 && texts.every(x => x.includes(QUERY)), JSON.stringify(texts));

  // The strength facet.
  const firm = all.facets.strength.find(v => v.value === 'firm');
  await page.check('input[data-filter="strength"][data-value="firm"]');
  await page.waitForURL(u => new URL(u).searchParams.get('strength') === 'firm');
  assert.equal(await shownTotal(page), firm.count);
  const strengths = await page.$$eval('.hit.commitment .chip.firm, .hit.commitment .chip.tentative', cs => cs.map(c => c.textContent));
  assert.ok(strengths.length > 0 && strengths.every(s => s === '明确承诺'), JSON.stringify(strengths));
  await shot(page, 'commitments-desktop.png');

  // A commitment's source link opens its reply at the commitment, highlighted.
  const firstHit = (await api('/api/commitments' + qs({ q: QUERY, strength: 'firm', limit: 1 }))).hits[0];
  const sourceLink = page.locator('.hit.commitment').first().locator('.meta a');
  await sourceLink.click();
  await page.waitForURL(u => new URL(u).pathname === `/reply/${firstHit.reply_id}` && new URL(u).hash === `#c${firstHit.number}`);
  await page.waitForSelector('#reply-text .cm.focus');
  const focused = await page.$$eval('#reply-text .cm.focus', segs => segs.map(s => s.textContent).join(''));
  const source = await api(`/api/replies/${encodeURIComponent(firstHit.reply_id)}`);
  assert.equal(focused, Array.from(source.text).slice(firstHit.start, firstHit.end).join(''));
  assert.match(await page.textContent('#back'), /承诺/);
  await page.click('#back');
  await page.waitForURL(u => new URL(u).pathname === '/commitments' && new URL(u).searchParams.get('strength') === 'firm');
  assert.equal(await shownTotal(page), firm.count);

  // The export link downloads every commitment of the current search.
  const href = await page.getAttribute('#export', 'href');
  assert.ok(href.startsWith('/api/export/commitments?'), href);
  const csv = await (await fetch(dafu.baseUrl + href)).text();
  const rows = parseCsv(csv.replace(/^\uFEFF/, ''));
  assert.equal(rows[0][0], 'id');
  assert.equal(rows.length - 1, firm.count);
  assert.ok(rows.slice(1).every(r => r[3] === 'firm'));

  // Back to replies: the query stays, the commitment filter goes, and the export has every reply.
  await page.click('#tab-replies');
  await page.waitForURL(u => new URL(u).pathname === '/' && !new URL(u).searchParams.has('strength'));
  const replies = await api('/api/search' + qs({ q: QUERY, limit: 1 }));
  assert.equal(await shownTotal(page), replies.total);
  const replyCsv = await (await fetch(dafu.baseUrl + (await page.getAttribute('#export', 'href')))).text();
  assert.equal(parseCsv(replyCsv.replace(/^\uFEFF/, '')).length - 1, replies.total);
});

test('paging, sorting, several values of a facet, and a malformed query', { timeout: 90_000 }, async t => {
  const page = await openPage(t);
  await page.goto(dafu.baseUrl + '/' + qs({ q: QUERY, sort: 'date' }));
  const page2 = await api('/api/search' + qs({ q: QUERY, sort: 'date', limit: 10, offset: 10 }));
  await results(page);
  assert.equal(await page.inputValue('#sort'), 'date');
  await page.click('.pager a[aria-label="下一页"]');
  await page.waitForURL(u => new URL(u).searchParams.get('page') === '2');
  await results(page);
  const titles = await page.$$eval('.hit h3 a', as => as.map(a => a.textContent));
  assert.deepEqual(titles, page2.hits.map(h => h.title));
  assert.equal(await page.textContent('.pager a[aria-current="page"]'), '2');

  // Two topics at once: the count is that of the API for both (a reply with either).
  const facets = (await api('/api/search' + qs({ q: QUERY, limit: 1 }))).facets.topic;
  const [a, b] = facets;
  await page.check(`input[data-filter="topic"][data-value="${a.value}"]`);
  await page.waitForURL(u => new URL(u).searchParams.get('topic') === a.value);
  await results(page);
  await page.check(`input[data-filter="topic"][data-value="${b.value}"]`);
  await page.waitForURL(u => new URL(u).searchParams.get('topic') === `${a.value},${b.value}`);
  const both = await api('/api/search' + qs({ q: QUERY, topic: `${a.value},${b.value}`, sort: 'date', limit: 1 }));
  assert.equal(await shownTotal(page), both.total);
  assert.ok(both.total >= Math.max(a.count, b.count));
  assert.equal(await page.locator('.active button[data-remove="topic"]').count(), 2);

  // A malformed query is the API's message, shown, not a broken page.
  page.expectConsoleError(/status of 400/);
  await page.fill('#q', '"培训');
  await page.press('#q', 'Enter');
  await page.waitForSelector('.error[role="alert"]');
  assert.match(await page.textContent('.error'), /检索式有误/);
});

test('the region tree comes folded: opening a province, then a city, fetches its places', { timeout: 90_000 }, async t => {
  const page = await openPage(t);
  const asked = [];
  page.on('request', r => { if (r.url().includes('/api/search')) asked.push(new URL(r.url()).searchParams); });
  await page.goto(dafu.baseUrl + '/' + qs({ q: QUERY }));
  await results(page);
  const full = (await api('/api/search' + qs({ q: QUERY, limit: 1 }))).region_tree;
  assert.equal(asked.at(-1).get('region_tree'), 'folded');
  // The page holds the provinces only: no city is drawn before its province is opened.
  const tree = '.facet[data-dim="region"] .tree';
  assert.equal(await page.locator(`${tree} .tree-children li`).count(), 0);
  // A province with a city that has counties.
  const province = full.find(p => p.children.some(c => c.children.length));
  const city = province.children.find(c => c.children.length);
  if (full.indexOf(province) >= 12) await page.click('.facet[data-dim="region"] button[data-more="region"]');
  await page.click(`button.twisty[data-node="${province.code}"]`);
  await page.waitForSelector(`button.twisty[data-node="${city.code}"]`);
  assert.equal(asked.at(-1).get('region_open'), province.code);
  const cityNames = await page.$$eval(`#t-${province.code} > li > .node .name`, ns => ns.map(n => n.textContent));
  assert.deepEqual(cityNames, province.children.map(c => c.value));
  await page.click(`button.twisty[data-node="${city.code}"]`);
  await page.waitForSelector(`#t-${city.code} label.opt`);
  assert.equal(asked.at(-1).get('region_open'), `${province.code},${city.code}`);
  const counties = await page.$$eval(`#t-${city.code} label.opt`, ls => ls.map(l => [l.querySelector('.name').textContent, l.querySelector('.count').textContent]));
  assert.deepEqual(counties, city.children.map(c => [c.value, c.count.toLocaleString('zh-CN')]));
  // The opened twisty keeps the keyboard's focus after the redraw.
  assert.equal(await page.evaluate(() => document.activeElement.dataset.node), city.code);
  // Closing the city hides its places without asking the server.
  const before = asked.length;
  await page.click(`button.twisty[data-node="${city.code}"]`);
  assert.equal(await page.locator(`#t-${city.code}`).isHidden(), true);
  assert.equal(asked.length, before);
});

test('a phone: the facets open as a panel, the reply reads in one column', { timeout: 90_000 }, async t => {
  const page = await openPage(t, { phone: true });
  await page.goto(dafu.baseUrl + '/' + qs({ q: QUERY }));
  await results(page);
  assert.equal(await page.isVisible('#facets'), false, 'the facets wait behind a button');
  const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  assert.ok(fits, 'the page is no wider than the phone');
  await shot(page, 'search-phone.png');
  await page.click('[data-open-facets]');
  assert.equal(await page.isVisible('#facets'), true);
  await shot(page, 'facets-phone.png');
  const level = (await api('/api/search' + qs({ q: QUERY, limit: 1 }))).facets.level[0];
  await page.check(`input[data-filter="level"][data-value="${level.value}"]`);
  await page.waitForURL(u => new URL(u).searchParams.get('level') === level.value);
  assert.equal(await shownTotal(page), level.count);
  assert.equal(await page.isVisible('#facets'), false, 'choosing closes the panel');

  await page.click('.hit:first-child h3 a');
  await page.waitForSelector('#reply-text');
  const fitsReply = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  assert.ok(fitsReply, 'the reply is no wider than the phone');
  await shot(page, 'reply-phone.png');
});

test('the keyboard alone: / to search, Tab to a facet, Space to choose it, Enter to open a reply', { timeout: 60_000 }, async t => {
  const page = await openPage(t);
  await page.goto(dafu.baseUrl + '/');
  await results(page);
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'q');
  await page.keyboard.type(QUERY);
  await page.keyboard.press('Enter');
  await page.waitForURL(u => new URL(u).searchParams.get('q') === QUERY);
  await results(page);
  // Tab until a facet checkbox has the focus, then choose it with Space.
  let onCheckbox = false;
  for (let i = 0; i < 40 && !onCheckbox; i++) {
    await page.keyboard.press('Tab');
    onCheckbox = await page.evaluate(() => document.activeElement.matches('input[type=checkbox][data-filter]'));
  }
  assert.ok(onCheckbox, 'a facet checkbox is reachable with Tab');
  const [filter, value] = await page.evaluate(() => [document.activeElement.dataset.filter, document.activeElement.dataset.value]);
  await page.keyboard.press('Space');
  await page.waitForURL(u => (new URL(u).searchParams.get(filter) || '').split(',').includes(value));
  await results(page);
  // The first hit's title, focused and opened with Enter.
  await page.focus('.hit:first-child h3 a');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#reply-text');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'reply-title', 'the reply\'s title takes the focus');
});

test('WCAG 2.1 A and AA: no serious or critical violation on any view', { timeout: 90_000 }, async t => {
  const reply = (await api('/api/search' + qs({ q: QUERY, has_commitments: 'true', limit: 1 }))).hits[0];
  const views = [
    ['search', '/' + qs({ q: QUERY, region: '浙江省' }), false],
    ['commitments', '/commitments' + qs({ q: QUERY }), false],
    ['reply', `/reply/${encodeURIComponent(reply.id)}` + qs({ q: QUERY }), false],
    ['search on a phone, filters open', '/' + qs({ q: QUERY }), true],
  ];
  for (const [name, address, phone] of views) {
    const page = await openPage(t, { phone });
    await page.goto(dafu.baseUrl + address);
    await page.waitForSelector('#total, #reply-text');
    if (phone) await page.click('[data-open-facets]');
    if (name === 'reply') {
      await page.click('#copy-citation');
      await page.waitForSelector('#citation:not([hidden])');
    }
    assert.deepEqual(await accessibilityProblems(page), [], name);
  }
});

test('the reply view keeps character offsets exact: astral characters, overlapping marks and commitments, selections', { timeout: 60_000 }, async t => {
  const page = await openPage(t);
  await page.goto(dafu.baseUrl + '/');
  await results(page);
  const checked = await page.evaluate(async () => {
    const { textHtml } = await import('/assets/reply.js');
    const { offsetOf, passageText } = await import('/assets/citation.js');
    // 𠮷 and 𡈼 are outside the BMP: one character for the API, two UTF-16 units for JS.
    const text = '𠮷野家将于2025年底前\n完成培训工作。𡈼培训';
    const chars = Array.from(text);
    const marks = [{ start: 15, end: 17 }, { start: 21, end: 23 }];
    const commitments = [{ start: 3, end: 19, strength: 'firm' }, { start: 20, end: 23, strength: 'tentative' }];
    const view = document.createElement('div');
    view.innerHTML = textHtml(chars, marks, commitments, { start: 0, end: 5 });
    document.body.appendChild(view);
    const out = { whole: view.textContent === text, segments: [], roundTrips: [] };
    for (const seg of view.querySelectorAll('[data-s]')) {
      const s = Number(seg.dataset.s);
      const e = Number(seg.dataset.e);
      out.segments.push(seg.textContent === chars.slice(s, e).join(''));
      const node = seg.querySelector('mark') ? seg.querySelector('mark').firstChild : seg.firstChild;
      out.roundTrips.push(offsetOf(view, node, 0) === s && offsetOf(view, node, node.data.length) === e);
    }
    out.marks = [...view.querySelectorAll('mark')].map(m => m.textContent);
    out.cm0 = [...view.querySelectorAll('[data-c="0"]')].map(x => x.textContent).join('');
    out.cm1 = [...view.querySelectorAll('[data-c="1"]')].map(x => x.textContent).join('');
    out.cited = [...view.querySelectorAll('.cited')].map(x => x.textContent).join('');
    out.anchors = [...view.querySelectorAll('[id]')].map(x => x.id);
    out.passage = passageText(chars, 3, 19);
    view.remove();
    return out;
  });
  assert.equal(checked.whole, true);
  assert.ok(checked.segments.length > 5 && checked.segments.every(Boolean), JSON.stringify(checked.segments));
  assert.ok(checked.roundTrips.every(Boolean), JSON.stringify(checked.roundTrips));
  assert.deepEqual(checked.marks, ['培训', '培训']);
  assert.equal(checked.cm0, '将于2025年底前\n完成培训工作');
  assert.equal(checked.cm1, '𡈼培训');
  assert.equal(checked.cited, '𠮷野家将于');
  assert.deepEqual(checked.anchors, ['c0', 'c1']);
  assert.equal(checked.passage, '将于2025年底前完成培训工作');
});

// Proves the harness end to end: dafu serves a fresh index, Chromium opens the page, the API
// answers, and a screenshot is written to screenshotDir().

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { startDafu, launchBrowser, screenshotDir } from './harness.mjs';

let dafu;
let browser;

before(async () => {
  dafu = await startDafu({ count: 400 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await dafu?.stop();
});

test('the search page opens in Chromium', { timeout: 60_000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  try {
    const response = await page.goto(`${dafu.baseUrl}/`, { waitUntil: 'load' });
    assert.equal(response?.status(), 200);
    const title = await page.title();
    assert.ok(title.includes('dafu'), `page title: ${JSON.stringify(title)}`);
    const file = path.join(screenshotDir(), 'smoke.png');
    await page.screenshot({ path: file, fullPage: true });
  } finally {
    await page.close();
  }
});

test('the API answers an empty query with every reply', { timeout: 30_000 }, async () => {
  const res = await fetch(`${dafu.baseUrl}/api/search?q=`);
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.ok(body.total > 0, `total: ${body.total}`);
});

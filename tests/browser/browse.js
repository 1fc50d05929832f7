#!/usr/bin/env node
// browse.js: depeche-serve in headless Chromium, as a journalist uses it.
//
//   node browse.js URL [SCREENSHOT_DIR]
//
// Types "Bout" in the search box and submits it; checks that the Viktor
// Bout dispatches come first with the matched word highlighted (<mark>);
// opens one; opens the meetings page for Blinken and Lavrov and the
// dossier on Viktor Bout with its chart.  Prints TAP.  With
// SCREENSHOT_DIR, saves the four pages there as PNG.
// Chromium: $DP_CHROMIUM, else /usr/bin/chromium.
'use strict';

const path = require('path');
const { chromium } = require('playwright-core');

const base = process.argv[2];
const shots = process.argv[3];
const exe = process.env.DP_CHROMIUM || '/usr/bin/chromium';

let n = 0;
let failed = 0;
function ok(cond, name, diag) {
  n++;
  console.log(`${cond ? 'ok' : 'not ok'} ${n} - ${name}`);
  if (!cond) {
    failed++;
    if (diag !== undefined)
      console.log(`#   ${String(diag).split('\n').join('\n#   ')}`);
  }
}

async function shot(page, name) {
  if (shots)
    await page.screenshot({ path: path.join(shots, name + '.png'), fullPage: true });
}

async function main() {
  const browser = await chromium.launch({
    executablePath: exe,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    timeout: 30000,
  });
  const context = await browser.newContext({
    viewport: { width: 1200, height: 900 },
    locale: 'fr-FR',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  // CSP violations and script errors show up on the console
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));

  // ---- search
  let resp = await page.goto(base + '/');
  ok(resp && resp.status() === 200, 'the search page answers 200');
  const box = page.locator('form.main input[name=q]');
  ok(await box.count() === 1, 'it has one search box');
  await box.fill('Bout');
  await Promise.all([page.waitForLoadState('load'), box.press('Enter')]);
  await page.waitForSelector('ol.hits li');
  ok(/[?&]q=Bout(&|$)/.test(page.url()), 'submitting goes to /?q=Bout', page.url());
  const hits = page.locator('ol.hits li.hit');
  const nhits = await hits.count();
  ok(nhits >= 3, 'several dispatches are listed', nhits);
  const top = [];
  for (let i = 0; i < Math.min(nhits, 3); i++)
    top.push(await hits.nth(i).innerText());
  ok(top.length === 3 && top.every((t) => /(Viktor|Victor) Bout/.test(t)),
     'the first three are about Viktor Bout', top.join('\n---\n'));
  ok(top.every((t) => !/au bout de/i.test(t)), 'none of them is "au bout de"');
  const marks = await page.locator('ol.hits li.hit').first().locator('mark').allInnerTexts();
  ok(marks.some((m) => /\bBout$/.test(m)), 'the first hit has "Bout" in a <mark>', marks.join(', '));
  ok(await page.locator('aside h3').count() >= 2, 'facets are shown');
  await shot(page, 'search');

  // ---- a dispatch
  const first = hits.first().locator('h2 a');
  const headline = (await first.innerText()).trim();
  await Promise.all([page.waitForLoadState('load'), first.click()]);
  await page.waitForSelector('article.dispatch');
  ok(/\/dispatch\?id=/.test(page.url()), 'the headline opens the dispatch', page.url());
  ok((await page.locator('article h1').innerText()).trim() === headline,
     'the dispatch page shows the same headline', headline);
  const body = page.locator('article.dispatch p');
  ok(await body.count() >= 2, 'with its full text in paragraphs');
  const amarks = await page.locator('article.dispatch mark').allInnerTexts();
  ok(amarks.some((m) => /\bBout$/.test(m)), 'the matched word is highlighted in the text', amarks.join(', '));
  await shot(page, 'dispatch');

  // ---- meetings
  await Promise.all([page.waitForLoadState('load'),
                     page.locator('header nav a', { hasText: 'Rencontres' }).click()]);
  const people = page.locator('form.people input[name=p]');
  await people.nth(0).fill('Blinken');
  await people.nth(1).fill('Lavrov');
  await Promise.all([page.waitForLoadState('load'), people.nth(1).press('Enter')]);
  await page.waitForSelector('h1');
  const h1 = await page.locator('h1').innerText();
  ok(/Blinken/.test(h1) && /Lavrov/.test(h1), 'the meetings page names both', h1);
  const groups = await page.locator('main h3').allInnerTexts();
  ok(groups.length > 0 && /rencontres/i.test(groups[0]),
     'meetings come first', groups.join(' | '));
  const ev = page.locator('p.evidence');
  ok(await ev.count() >= 2, 'each with its evidence sentence', await ev.count());
  const evm = await ev.first().locator('mark').allInnerTexts();
  ok(evm.some((m) => /Blinken$/.test(m)) && evm.some((m) => /Lavrov$/.test(m)),
     'the names are highlighted in the sentence', evm.join(', '));
  const times = await page.locator('ol.hits').first().locator('time').evaluateAll(
    (ts) => ts.map((t) => t.getAttribute('datetime')));
  ok(times.length >= 2 && times.every((t, i) => i === 0 || t >= times[i - 1]),
     'the timeline is in date order', times.join(' '));
  await shot(page, 'meetings');

  // ---- dossier
  resp = await page.goto(base + '/about');
  ok(resp && resp.status() === 200, 'the dossier form answers 200');
  await page.locator('input[name=name]').fill('Viktor Bout');
  await Promise.all([page.waitForLoadState('load'), page.locator('input[name=name]').press('Enter')]);
  await page.waitForSelector('h1');
  ok((await page.locator('h1').innerText()).trim() === 'Viktor Bout', 'the dossier is on Viktor Bout');
  const bars = page.locator('figure.chart svg rect.bar');
  const nbars = await bars.count();
  ok(nbars >= 5, 'an SVG bar chart of dispatches per month', nbars);
  const box2 = await page.locator('figure.chart svg').boundingBox();
  ok(box2 && box2.width > 100 && box2.height > 50, 'the chart is drawn at a visible size',
     JSON.stringify(box2));
  const tall = await bars.evaluateAll((rs) => rs.filter((r) => +r.getAttribute('height') > 0).length);
  ok(tall >= 5, 'months with dispatches have bars', tall);
  const person = page.locator('aside a', { hasText: 'Brittney Griner' }).first();
  ok(await person.count() === 1, 'co-mentioned people are links');
  await shot(page, 'about');
  await Promise.all([page.waitForLoadState('load'), person.click()]);
  ok((await page.locator('h1').innerText()).trim() === 'Brittney Griner',
     'a person link opens that dossier');

  ok(problems.length === 0, 'no script error or CSP violation on the console',
     problems.join('\n'));
  await browser.close();
}

main().then(() => {
  console.log(`1..${n}`);
  process.exit(failed ? 1 : 0);
}).catch((e) => {
  ok(false, 'the browser session ran to its end', e && e.stack ? e.stack : e);
  console.log(`1..${n}`);
  process.exit(1);
});

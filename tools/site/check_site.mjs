// Checks the reference site in a real browser: headless Chromium (Debian's chromium package)
// driven by playwright-core. Serves target/site/ on 127.0.0.1 and:
//   - loads every page reachable from index.html, with no console error, page error, failed
//     request or error status, and keeps a full-page screenshot of each;
//   - checks that every link resolves (pages, schemas, anchors inside pages);
//   - fetches every schema at the path of its `$id` (the site hosted at the `$id`s' base) and
//     checks it is JSON whose `$id` is that address;
//   - expands a field tree, opens a deep link into it, and uses the search boxes.
//
// Usage: node check_site.mjs SITE_DIR SCREENSHOT_DIR

import { createServer } from 'node:http';
import { mkdirSync, readFileSync, readdirSync, statSync, existsSync, rmSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';

const [siteDir, shotDir] = process.argv.slice(2);
const ID_BASE = 'https://schemas.opentact.org/';
const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json' };

let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) passed += 1;
  else {
    failed += 1;
    console.log(`FAIL ${name}${detail ? `: ${detail}` : ''}`);
  }
}

const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^\/+/, '');
  const file = join(siteDir, path === '' ? 'index.html' : path);
  if (!file.startsWith(normalize(siteDir)) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404).end('not found');
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
rmSync(shotDir, { recursive: true, force: true });
mkdirSync(shotDir, { recursive: true });

/** Opens a page and records everything that went wrong on the way. */
async function open(url) {
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  const response = await page.goto(url, { waitUntil: 'load' });
  return { page, problems, status: response?.status() };
}

// Crawl every page from the home page.
const seen = new Set();
const queue = [`${origin}index.html`];
const anchors = [];
const resources = new Set();
while (queue.length > 0) {
  const url = queue.shift();
  if (seen.has(url)) continue;
  seen.add(url);
  const { page, problems, status } = await open(url);
  const name = url.slice(origin.length);
  check(`${name}: loads`, status === 200, `HTTP ${status}`);
  const shot = join(shotDir, `${name.replaceAll('/', '__').replace(/\.html$/, '')}.png`);
  await page.screenshot({ path: shot, fullPage: true });
  const links = await page.$$eval('a[href]', (as) => as.map((a) => a.href));
  for (const link of links) {
    const target = new URL(link);
    if (!link.startsWith(origin)) {
      check(`${name}: link ${link} stays on the site`, false);
      continue;
    }
    if (target.hash) anchors.push({ from: name, link });
    target.hash = '';
    if (target.pathname.endsWith('.html')) queue.push(target.href);
    else resources.add(target.href);
  }
  check(`${name}: no console error, failed request or error status`, problems.length === 0, problems.join('; '));
  await page.close();
}
check('every page was reached', seen.size >= 10, `${seen.size} pages`);

// Every link to a non-page (schemas, catalogs) resolves.
for (const url of resources) {
  const response = await context.request.get(url);
  check(`link ${url.slice(origin.length)} resolves`, response.status() === 200, `HTTP ${response.status()}`);
}

// Every anchor names an element of its page (each page opened once).
const byPage = new Map();
for (const { from, link } of anchors) {
  const url = new URL(link);
  const id = decodeURIComponent(url.hash.slice(1));
  url.hash = '';
  if (!byPage.has(url.href)) byPage.set(url.href, []);
  byPage.get(url.href).push({ from, id });
}
for (const [url, wanted] of byPage) {
  const { page } = await open(url);
  const ids = new Set(await page.$$eval('[id]', (els) => els.map((e) => e.id)));
  for (const { from, id } of wanted) check(`${from}: anchor #${id} exists in ${url.slice(origin.length)}`, ids.has(id));
  await page.close();
}

// Every schema at the path of its `$id`: each version's index.json lists them.
let ids = 0;
let listed = 0;
for (const version of readdirSync(join(siteDir, 'events')).sort()) {
  const index = JSON.parse(readFileSync(join(siteDir, 'events', version, 'index.json'), 'utf8'));
  listed += 1 + index.events.length;
  for (const entry of [index.any_event, ...index.events]) {
    const id = entry.$id;
    check(`${version}: $id ${id} under ${ID_BASE}`, id.startsWith(ID_BASE));
    const response = await context.request.get(origin + id.slice(ID_BASE.length));
    let body = null;
    try {
      body = await response.json();
    } catch {}
    check(`$id ${id} resolves to its schema`, response.status() === 200 && response.headers()['content-type'] === 'application/json' && body?.$id === id, `HTTP ${response.status()}`);
    ids += 1;
  }
}
check('every $id was fetched', ids > 0 && ids === listed, `${ids} of ${listed}`);

// The home page links the current catalog's AsyncAPI and OpenAPI documents, served as JSON.
{
  const { page } = await open(`${origin}index.html`);
  const hrefs = await page.$$eval('#event-api-documents + p + ul a', (as) => as.map((a) => a.href));
  await page.close();
  check('the home page links the AsyncAPI and OpenAPI documents', hrefs.length === 2, hrefs.join(' '));
  for (const href of hrefs) {
    const response = await context.request.get(href);
    let body = null;
    try {
      body = await response.json();
    } catch {}
    const kind = href.endsWith('asyncapi.json') ? body?.asyncapi : body?.openapi;
    check(`${href.slice(origin.length)} is a document served as JSON`, response.status() === 200 && response.headers()['content-type'] === 'application/json' && typeof kind === 'string', `HTTP ${response.status()}`);
  }
}

// The field tree expands, a deep link opens it, the search filters it.
{
  const { page, problems } = await open(`${origin}events/2.0.0/call_state.html`);
  const nested = page.locator('[id="f-call.uuid"]');
  check('call_state: a nested field is hidden before its object expands', !(await nested.isVisible()));
  await page.locator('[id="f-call"] > details > summary').click();
  check('call_state: clicking `call` expands its fields', await nested.isVisible());
  await page.locator('[id="f-call"]').evaluate((e) => e.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: join(shotDir, 'events__2.0.0__call_state--expanded.png'), fullPage: false });
  const search = page.locator('#search');
  await search.fill('uuid');
  const count = await page.locator('#fields-tree-count').textContent();
  const matches = Number(count.split(' ')[0]);
  check('call_state: the search counts the matching fields', matches >= 3, count);
  check('call_state: the search hides fields that do not match', !(await page.locator('[id="f-message"]').isVisible()));
  check('call_state: the search shows a nested match', await page.locator('[id="f-call.parent.uuid"]').isVisible());
  await page.screenshot({ path: join(shotDir, 'events__2.0.0__call_state--search.png'), fullPage: false });
  await search.fill('');
  check('call_state: clearing the search shows every field', await page.locator('[id="f-message"]').isVisible());
  await page.locator('[data-collapse="fields-tree"]').click();
  check('call_state: collapse all', !(await nested.isVisible()));
  await page.locator('[data-expand="fields-tree"]').click();
  check('call_state: expand all', await page.locator('[id="f-call.parent.uuid"]').isVisible());
  check('call_state: no console error while used', problems.length === 0, problems.join('; '));
  await page.close();
}
{
  const { page } = await open(`${origin}events/2.0.0/call_state.html#f-call.parent.uuid`);
  check('a deep link opens the objects on its way', await page.locator('[id="f-call.parent.uuid"]').isVisible());
  await page.close();
}
{
  const { page, problems } = await open(`${origin}index.html`);
  check('home: the field list is hidden until a search', !(await page.locator('#all-fields').isVisible()));
  await page.locator('#search').fill('state');
  const shown = await page.locator('#all-fields li:not([hidden])').count();
  check('home: a search lists matching fields of every type', shown >= 2, `${shown}`);
  await page.screenshot({ path: join(shotDir, 'index--search.png'), fullPage: false });
  const first = page.locator('#all-fields li:not([hidden]) a').first();
  await first.click();
  await page.waitForLoadState('load');
  const hash = decodeURIComponent(new URL(page.url()).hash.slice(1));
  check('home: a result leads to its field, opened', await page.locator(`[id="${hash}"]`).isVisible(), page.url());
  check('home: no console error while used', problems.length === 0, problems.join('; '));
  await page.close();
}

await browser.close();
server.close();
const shots = readdirSync(shotDir).filter((f) => f.endsWith('.png')).length;
console.log(`screenshots: ${shots} in ${shotDir}`);
console.log(`site: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);

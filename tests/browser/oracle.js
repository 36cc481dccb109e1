// Drives Debian's Chromium (headless, through playwright-core) over the cases of cases.json on
// the local server, records a HAR of every response, and writes what the browser did: which
// cookies it stored (read back with the DevTools protocol, Network.getAllCookies) and which
// CORS fetches succeeded. Usage: node oracle.js CASES PORT HOSTS OUT_HAR OUT_JSON
'use strict';
const { chromium } = require('playwright-core');
const fs = require('fs');

async function main() {
  const [casesPath, port, hosts, harPath, outPath] = process.argv.slice(2);
  const cases = JSON.parse(fs.readFileSync(casesPath, 'utf8'));
  const profile = fs.mkdtempSync(require('os').tmpdir() + '/resplint-chromium-');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--no-first-run',
           '--host-resolver-rules=MAP cookie.test 127.0.0.1, MAP cors.test 127.0.0.1'],
    recordHar: { path: harPath, content: 'omit' },
  });
  const page = context.pages()[0] || await context.newPage();
  const cdp = await context.newCDPSession(page);
  const out = { cookies: [], cors: [] };
  const runs = [];
  for (const host of hosts.split(','))
    for (const name of Object.keys(cases.cookies))
      runs.push([host, name]);
  for (const name of Object.keys(cases.loopback_cookies))
    runs.push(['127.0.0.1', name]);
  for (const [host, name] of runs) {
    await cdp.send('Network.clearBrowserCookies');
    const url = `http://${host}:${port}/cookie/${name}`;
    const resp = await page.goto(url);
    if (!resp || resp.status() !== 200) throw new Error(`${url}: no 200`);
    const { cookies } = await cdp.send('Network.getAllCookies');
    out.cookies.push({ url, name, stored: cookies.map(c => ({ name: c.name, value: c.value,
      session: c.session, expires: c.expires })) });
  }
  // A fetch that fails the CORS check leaves no response headers in the HAR (Playwright
  // records status -1): load each CORS response once as a page too, so that resplint sees it.
  for (const name of Object.keys(cases.cors))
    await page.goto(`http://cors.test:${port}/cors/${name}`);
  await page.goto(`http://127.0.0.1:${port}/page`);
  for (const name of Object.keys(cases.cors)) {
    const url = `http://cors.test:${port}/cors/${name}`;
    const result = { url, name };
    for (const credentials of ['omit', 'include']) {
      result[credentials] = await page.evaluate(async ([u, c]) => {
        try {
          const r = await fetch(u, { credentials: c, cache: 'no-store' });
          return (await r.text()) === 'ok';
        } catch (e) {
          return false;
        }
      }, [url, credentials]);
    }
    out.cors.push(result);
  }
  out.now = Date.now() / 1000;
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
  fs.writeFileSync(outPath, JSON.stringify(out, null, 1));
}

main().catch(e => { console.error(e); process.exit(1); });

// Opens local HTML files in Debian's Chromium (headless, through playwright-core) and prints
// one JSON object per file: console errors and page errors, requests that left file://,
// and the numbers the tests check (rows with data-rule, SVG charts, src/href values that
// leave the page). Usage: node render.js OUT_DIR FILE... [--screenshot NAME] [--width N]
// [--height N] [--filter-rule RLnnnn] [--no-js]. Screenshots go to OUT_DIR; the screenshot
// and the filter are made on the first file.
"use strict";
const path = require("path");
const fs = require("fs");
const { chromium } = require("playwright-core");

async function main() {
  const args = process.argv.slice(2);
  const outDir = args.shift();
  const files = [], opt = { width: 1400, height: 1000 };
  while (args.length) {
    const a = args.shift();
    if (a === "--screenshot") opt.screenshot = args.shift();
    else if (a === "--width") opt.width = +args.shift();
    else if (a === "--height") opt.height = +args.shift();
    else if (a === "--filter-rule") opt.filterRule = args.shift();
    else if (a === "--no-js") opt.noJs = true;
    else files.push(a);
  }
  const profile = fs.mkdtempSync(path.join(outDir, "chromium-profile-"));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run"],
    viewport: { width: opt.width, height: opt.height },
    javaScriptEnabled: !opt.noJs,
  });
  try {
    for (const file of files) {
      const page = await browser.newPage();
      const errors = [], offline = [];
      page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on("request", (r) => { if (!r.url().startsWith("file:")) offline.push(r.url()); });
      const dialogs = [];
      page.on("dialog", (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
      await page.goto("file://" + path.resolve(file), { waitUntil: "load", timeout: 120000 });
      const facts = await page.evaluate(() => {
        const refs = [];
        document.querySelectorAll("[src],[href]").forEach((e) => {
          ["src", "href"].forEach((a) => {
            const v = e.getAttribute(a);
            if (v !== null && /^\s*(https?:|\/\/)/i.test(v)) refs.push(a + "=" + v);
          });
        });
        const rows = document.querySelectorAll("tr[data-rule]");
        let visible = 0;
        rows.forEach((r) => { if (r.getClientRects().length) visible++; });
        return {
          rows: rows.length,
          visible_rows: visible,
          svg_charts: document.querySelectorAll("figure.chart svg").length,
          rule_pages: document.querySelectorAll("details.rule").length,
          controls: !document.getElementById("controls") ? false : !document.getElementById("controls").hidden,
          external_refs: refs,
          scripts: document.querySelectorAll("script[src]").length,
          script_elements: document.querySelectorAll("script").length,
          body_text: document.getElementById("ft") ? document.getElementById("ft").textContent.slice(0, 200000) : "",
          // wider than the window: the reader would have to scroll sideways
          overflow_x: document.documentElement.scrollWidth > window.innerWidth,
          // table cells cut off at the window's edge (inside a scrolling box)
          cells_past_edge: Array.prototype.filter.call(document.querySelectorAll("#ft td"), (td) => {
            const r = td.getBoundingClientRect();
            return r.width > 0 && r.right > window.innerWidth + 1;
          }).length,
        };
      });
      if (opt.filterRule) {
        await page.selectOption("#f-rule", opt.filterRule);
        facts.filtered_rows = await page.evaluate((r) => {
          let n = 0, wrong = 0;
          document.querySelectorAll("tr[data-rule]").forEach((tr) => {
            if (tr.getClientRects().length) { n++; if (tr.getAttribute("data-rule") !== r) wrong++; }
          });
          return { visible: n, other_rules_visible: wrong };
        }, opt.filterRule);
        await page.selectOption("#f-rule", "");
        opt.filterRule = null; // the first file only
      }
      if (opt.screenshot) {
        await page.screenshot({ path: path.join(outDir, opt.screenshot) });
        opt.screenshot = null; // the first file only
      }
      facts.file = file;
      facts.console_errors = errors;
      facts.requests_off_file = offline;
      facts.dialogs = dialogs;
      process.stdout.write(JSON.stringify(facts) + "\n");
      await page.close();
    }
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}
main().catch((e) => { console.error(String(e && e.stack || e)); process.exit(1); });

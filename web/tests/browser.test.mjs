// The page in headless Chromium (Debian's, driven by playwright-core): load the sample, check,
// read the findings, switch language, open a finding, download the report, survive a
// malformed file, check records with a company's own rule file, make no network request
// after loading, read the sample workbook pms writes, and offer the template for download.
// Run: node --test web/tests/browser.test.mjs   (after scripts/build-wasm.sh)
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdirSync, mkdtempSync } from "node:fs";
import { join, dirname } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "./serve.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

test("the page checks records in the browser and never calls the network", { timeout: 180_000 }, async () => {
  const server = await serve(join(root, "web"));
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    // playwright gives the browser a new, empty profile directory of its own.
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    timeout: 60_000,
  });
  try {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 }, locale: "ja-JP" });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const requests = [];
    const consoleErrors = [];
    page.on("request", (r) => requests.push(r.url()));
    page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
    page.on("pageerror", (e) => consoleErrors.push(String(e)));
    await page.goto(base);
    await page.waitForSelector("body[data-ready=true]");
    const loadedWith = [...requests];
    requests.length = 0;
    assert.ok(loadedWith.every((u) => u.startsWith(base)), `only same-origin loads: ${loadedWith}`);
    assert.ok(!loadedWith.some((u) => u.includes("pms_ledgers")), "the ledger module waits for a ledger");

    // Sample company, check.
    await page.click("#sample");
    await page.click("#check");
    await page.waitForSelector("#results:not([hidden])");
    const golden = JSON.parse(readFileSync(join(root, "tests", "golden", "mimoto.json"), "utf8"));
    assert.equal(await page.textContent("#summary .card.gap .n"), String(golden.summary.gaps));
    assert.match(await page.textContent("#severity"), /重大 \d+/);
    const findingsText = await page.textContent("#findings");
    assert.match(findingsText, /R-TRN-01/);
    assert.match(findingsText, /池田 優子/);
    assert.equal(await page.locator("details.finding").count() >= 15, true);

    // Open a finding with the keyboard.
    const ca = page.locator('details[data-finding="R-CA-03:CA-2025-02"] > summary');
    await ca.focus();
    await page.keyboard.press("Enter");
    assert.equal(await page.locator('details[data-finding="R-CA-03:CA-2025-02"]').getAttribute("open"), "");
    assert.match(await page.textContent('details[data-finding="R-CA-03:CA-2025-02"] .body'), /是正方法/);

    // Switch to English.
    await page.selectOption("#lang", "en");
    assert.equal(await page.textContent("[data-i18n=findings]"), "Findings");
    assert.match(await page.textContent("#findings"), /has no training within 1 years|has no training within 12 months/);
    assert.equal(await page.evaluate(() => document.documentElement.lang), "en");

    mkdirSync(join(root, "target", "screenshots"), { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(root, "target", "screenshots", "page-en.png"), fullPage: false });
    await page.selectOption("#lang", "ja");
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(root, "target", "screenshots", "page-ja.png"), fullPage: false });

    // Download the JSON report: the very report the engine produced.
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
    const saved = join(mkdtempSync(join(tmpdir(), "pms-dl-")), download.suggestedFilename());
    await download.saveAs(saved);
    assert.equal(download.suggestedFilename(), "pms-report-2026-03-31.json");
    assert.equal(readFileSync(saved, "utf8"), readFileSync(join(root, "tests", "golden", "mimoto.json"), "utf8"));

    // The other formats, rendered in WebAssembly: the same bytes as the CLI's (golden files).
    for (const [format, ext, golden] of [["html", "html", "mimoto.ja.html"], ["md", "md", "mimoto.ja.md"], ["junit", "junit.xml", "mimoto.junit.xml"], ["ics", "ics", "mimoto.ics"]]) {
      const [dl] = await Promise.all([page.waitForEvent("download"), page.click(`button[data-format=${format}]`)]);
      assert.equal(dl.suggestedFilename(), `pms-report-2026-03-31.${ext}`);
      const file = join(mkdtempSync(join(tmpdir(), "pms-dl-")), dl.suggestedFilename());
      await dl.saveAs(file);
      assert.equal(readFileSync(file, "utf8"), readFileSync(join(root, "tests", "golden", "render", golden), "utf8"), `${format} download`);
    }

    // A malformed file gives a clear, located message, and the page keeps working.
    await page.setInputFiles("#files", [{ name: "workforce.yaml", mimeType: "application/yaml", buffer: Buffer.from("- {id: W-1, name: 甲\n") }]);
    await page.click("#check");
    await page.waitForSelector("#error:not([hidden])");
    const error = await page.textContent("#error");
    assert.match(error, /E1001/);
    assert.match(error, /workforce\.yaml/);
    assert.equal(await page.isHidden("#results"), true);
    await page.screenshot({ path: join(root, "target", "screenshots", "page-error.png") });
    await page.click("#sample");
    await page.click("#check");
    await page.waitForSelector("#results:not([hidden])");
    assert.equal(await page.isHidden("#error"), true);

    // A company's own rule file among the files: its extension fields load, its rules run.
    const read = (p) => readFileSync(join(root, p));
    await page.setInputFiles("#files", [
      { name: "records.yaml", mimeType: "application/yaml", buffer: read("examples/custom-rule/records.yaml") },
      { name: "call-recordings.pms", mimeType: "text/plain", buffer: read("examples/custom-rule/call-recordings.pms") },
    ]);
    await page.fill("#asof", "2026-04-30");
    await page.click("#check");
    await page.waitForSelector('details[data-finding="X-CALL-01:INV-CALL-C"]');
    assert.equal(await page.locator('details[data-finding="X-CALL-02:DP-2"]').count(), 1);
    assert.equal(await page.locator('details[data-finding="X-CALL-01:INV-CALL-A"]').count(), 0);
    assert.equal(await page.isHidden("#error"), true);

    const network = requests.filter((u) => !u.startsWith("blob:") && !u.startsWith("data:"));
    assert.deepEqual(network, [], "no network request after load");

    // The sample company as the workbook pms writes, read in the page: the YAML's report.
    await page.setInputFiles("#files", [
      { name: "ledgers.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer: read("examples/mimoto/ledgers.xlsx") },
    ]);
    await page.fill("#asof", "2026-03-31");
    await page.click("#check");
    await page.waitForSelector("#results:not([hidden])");
    assert.equal(await page.isHidden("#error"), true);
    const [fromWorkbook] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
    const savedReport = join(mkdtempSync(join(tmpdir(), "pms-dl-")), fromWorkbook.suggestedFilename());
    await fromWorkbook.saveAs(savedReport);
    assert.equal(readFileSync(savedReport, "utf8"), readFileSync(join(root, "tests", "golden", "mimoto.json"), "utf8"));
    // Read by the ledger module, fetched from the page's own folder for the first workbook.
    assert.deepEqual(requests.filter((u) => u.includes("pms_ledgers")), [`${base}pkg/pms_ledgers.js`, `${base}pkg/pms_ledgers_bg.wasm`]);

    // The template to fill in is offered for download from the page's own folder.
    const [template] = await Promise.all([page.waitForEvent("download"), page.click("#template")]);
    assert.equal(template.suggestedFilename(), "pms-ledgers.xlsx");
    const savedTemplate = join(mkdtempSync(join(tmpdir(), "pms-dl-")), "pms-ledgers.xlsx");
    await template.saveAs(savedTemplate);
    assert.ok(readFileSync(savedTemplate).equals(read("web/pms-ledgers.xlsx")));
    assert.ok(requests.every((u) => u.startsWith(base) || u.startsWith("blob:") || u.startsWith("data:")), `same-origin only: ${requests}`);
    assert.deepEqual(consoleErrors, []);
  } finally {
    await browser.close();
    server.close();
  }
});

// The page in headless Chromium, what goes in and out: every download button gives the report
// in its format (the CLI's bytes, parsed where a format is JSON or XML; SARIF located at the
// record's line and column), a folder of ledgers (an xlsx and a Shift_JIS CSV, among files
// pms does not read) is read whether chosen or dropped, and a failure of the WebAssembly
// module is an E9001 after which the page checks again. No network request.
// Run: node --test web/tests/browser-io.test.mjs   (after scripts/build-wasm.sh)
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdirSync, mkdtempSync, copyFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, dirname } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "./serve.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const read = (p) => readFileSync(join(root, p), "utf8");
const pms = createRequire(import.meta.url)(join(root, "target", "wasm-pkg", "nodejs", "index.js"));

async function withPage(fn) {
  const server = await serve(join(root, "web"));
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    timeout: 60_000,
  });
  try {
    const context = await browser.newContext({ acceptDownloads: true, locale: "ja-JP" });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const requests = [];
    const pageErrors = [];
    page.on("request", (r) => requests.push(r.url()));
    page.on("pageerror", (e) => pageErrors.push(String(e)));
    await page.goto(base);
    await page.waitForSelector("body[data-ready=true]");
    await fn(page, base);
    assert.ok(requests.every((u) => u.startsWith(base) || u.startsWith("blob:") || u.startsWith("data:")), `same-origin only: ${requests}`);
    assert.deepEqual(pageErrors, []);
  } finally {
    await browser.close();
    server.close();
  }
}

async function downloaded(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  const file = join(mkdtempSync(join(tmpdir(), "pms-dl-")), dl.suggestedFilename());
  await dl.saveAs(file);
  return { name: dl.suggestedFilename(), text: readFileSync(file, "utf8") };
}

test("every download button gives the report in its format", { timeout: 180_000 }, async () => {
  await withPage(async (page) => {
    await page.click("#sample");
    await page.click("#check");
    await page.waitForSelector("#results:not([hidden])");
    const golden = read("tests/golden/mimoto.json");
    const json = await downloaded(page, "#download");
    assert.equal(json.text, golden, "the JSON report, without the locations SARIF uses");

    // The CLI's bytes for the sample company (tests/golden, made by `pms check --format …`).
    const texts = {};
    for (const [format, ext, file] of [
      ["html", "html", "render/mimoto.ja.html"],
      ["md", "md", "render/mimoto.ja.md"],
      ["junit", "junit.xml", "render/mimoto.junit.xml"],
      ["ics", "ics", "render/mimoto.ics"],
      ["oscal-ar", "oscal-ar.json", "mimoto.oscal-ar.json"],
      ["oscal-poam", "oscal-poam.json", "mimoto.oscal-poam.json"],
    ]) {
      const dl = await downloaded(page, `button[data-format="${format}"]`);
      assert.equal(dl.name, `pms-report-2026-03-31.${ext}`);
      assert.equal(dl.text, read(join("tests", "golden", file)), format);
      texts[format] = dl.text;
    }
    const gaps = JSON.parse(golden).summary.gaps;
    // JUnit: XML the browser's own parser reads, one failure per gap.
    const failures = await page.evaluate((xml) => {
      const doc = new DOMParser().parseFromString(xml, "application/xml");
      if (doc.querySelector("parsererror")) return -1;
      return doc.querySelectorAll("testcase > failure").length;
    }, texts.junit);
    assert.equal(failures, gaps);
    // OSCAL: one POA&M item per open gap.
    const poam = JSON.parse(texts["oscal-poam"]);
    assert.equal(poam["plan-of-action-and-milestones"]["poam-items"].length, gaps);

    // SARIF: every finding at its record's file, line and column, as the CLI (which reads the
    // sample as examples/mimoto/records.yaml; the page as records.yaml).
    const sarif = await downloaded(page, 'button[data-format="sarif"]');
    assert.equal(sarif.name, "pms-report-2026-03-31.sarif");
    const log = JSON.parse(sarif.text);
    assert.equal(log.version, "2.1.0");
    const cli = JSON.parse(read("tests/golden/mimoto.sarif.json"));
    const where = (l) => l.runs[0].results.map((r) => r.locations?.[0]?.physicalLocation);
    assert.ok(where(log).every((p) => p?.artifactLocation?.uri === "records.yaml" && p.region.startLine > 0 && p.region.startColumn > 0));
    assert.deepEqual(where(log).map((p) => p.region), where(cli).map((p) => p.region));
    assert.equal(sarif.text, read("tests/golden/mimoto.sarif.json").replaceAll('"examples/mimoto/records.yaml"', '"records.yaml"'));
  });
});

// A page of its own: headless Chromium drops the eleventh download a page starts within a few
// seconds (its automatic-downloads limiter), whatever the page does.
test("the renewal application summary buttons give forms 7 and 8", { timeout: 180_000 }, async () => {
  await withPage(async (page) => {
    await page.click("#sample");
    await page.click("#check");
    await page.waitForSelector("#results:not([hidden])");
    // The renewal application summaries: `pms summary --form 7|8`.
    for (const form of ["7", "8"]) {
      for (const format of ["md", "csv"]) {
        const dl = await downloaded(page, `button[data-summary="${form}"][data-summary-format="${format}"]`);
        assert.equal(dl.name, `pms-form${form}-2026-03-31.${format}`);
        assert.equal(dl.text, read(`tests/golden/mimoto.form${form}.${format}`), `form ${form} ${format}`);
      }
    }
  });
});

test("a folder of ledgers is read in the page, chosen or dropped", { timeout: 180_000 }, async () => {
  // A folder as an office keeps it: an xlsx, a Shift_JIS CSV in a subfolder, and files pms
  // does not read.
  const dir = mkdtempSync(join(tmpdir(), "pms-folder-"));
  const folder = join(dir, "台帳");
  mkdirSync(join(folder, "委託"), { recursive: true });
  copyFileSync(join(root, "tests/ledgers/fixtures/従業者名簿.xlsx"), join(folder, "従業者名簿.xlsx"));
  copyFileSync(join(root, "tests/ledgers/fixtures/委託先一覧.csv"), join(folder, "委託", "委託先一覧.csv"));
  writeFileSync(join(folder, "メモ.txt"), "not a ledger");
  const bytes = (p) => new Uint8Array(readFileSync(join(root, "tests/ledgers/fixtures", p)));
  const expected = `${JSON.stringify(pms.checkFiles({ "従業者名簿.xlsx": bytes("従業者名簿.xlsx"), "委託先一覧.csv": bytes("委託先一覧.csv") }, { asOf: "2026-03-31" }), null, 2)}\n`;
  assert.match(expected, /"workforce": 2/);
  assert.match(expected, /"contractors": 1/);

  await withPage(async (page) => {
    // <input webkitdirectory>: the whole folder, subfolders included.
    await page.setInputFiles("#folder", folder);
    await page.fill("#asof", "2026-03-31");
    const loaded = await page.textContent("#loaded");
    assert.match(loaded, /2件のファイル/);
    assert.match(loaded, /台帳\/委託\/委託先一覧\.csv/);
    assert.match(loaded, /読み込まなかったファイル.*メモ\.txt/);
    await page.click("#check");
    await page.waitForSelector("#results:not([hidden])");
    assert.equal(await page.isHidden("#error"), true);
    assert.equal((await downloaded(page, "#download")).text.trimEnd(), expected.trimEnd());

    // Dropped: the same folder as FileSystemEntry objects, as a drop of a folder gives them
    // (a test cannot make the browser's own directory entries; these follow its API: batches
    // from readEntries, then an empty one).
    await page.click("#sample");
    await page.evaluate(async (files) => {
      const file = (path, b64, type) => {
        const name = path.split("/").pop();
        return { isFile: true, isDirectory: false, name, fullPath: `/${path}`, file: (ok) => ok(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name, { type })) };
      };
      const dirEntry = (path, children) => ({
        isFile: false, isDirectory: true, name: path.split("/").pop(), fullPath: `/${path}`,
        createReader: () => { const batches = [children.slice(0, 1), children.slice(1), []]; return { readEntries: (ok) => ok(batches.shift() ?? []) }; },
      });
      const tree = dirEntry("台帳", [
        file("台帳/従業者名簿.xlsx", files.xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        dirEntry("台帳/委託", [file("台帳/委託/委託先一覧.csv", files.csv, "text/csv")]),
        file("台帳/メモ.txt", btoa("memo"), "text/plain"),
      ]);
      const dataTransfer = { items: [{ kind: "file", webkitGetAsEntry: () => tree }], files: [] };
      const drop = new Event("drop", { bubbles: true, cancelable: true });
      Object.defineProperty(drop, "dataTransfer", { value: dataTransfer });
      document.getElementById("drop").dispatchEvent(drop);
    }, {
      xlsx: readFileSync(join(folder, "従業者名簿.xlsx")).toString("base64"),
      csv: readFileSync(join(folder, "委託", "委託先一覧.csv")).toString("base64"),
    });
    await page.waitForFunction(() => /2件のファイル/.test(document.getElementById("loaded").textContent));
    assert.match(await page.textContent("#loaded"), /台帳\/従業者名簿\.xlsx/);
    await page.click("#check");
    await page.waitForSelector("#results:not([hidden])");
    assert.equal(await page.isHidden("#error"), true);
    assert.equal((await downloaded(page, "#download")).text.trimEnd(), expected.trimEnd());
  });
});

test("a failure of the WebAssembly module is an internal error, and the page checks again", { timeout: 180_000 }, async () => {
  await withPage(async (page, base) => {
    await page.click("#sample");
    await page.click("#check");
    await page.waitForSelector("#results:not([hidden])");
    const before = (await downloaded(page, "#download")).text;
    // The internal test hook of the glue the page's module wraps (not part of the API).
    await page.evaluate(async (url) => (await import(url)).__pmsInternalTestPanic(), `${base}pkg/pms_wasm.js`);
    await page.click("#check");
    await page.waitForSelector("#error:not([hidden])");
    const error = await page.textContent("#error");
    assert.match(error, /E9001/);
    // The page is in Japanese by default, and so is its error text.
    assert.match(error, /`check` of records given as text の処理中に pms の内部エラーが起きた/);
    assert.match(error, /deliberate internal error/);
    assert.equal(await page.isHidden("#results"), true);
    await page.click("#check");
    await page.waitForSelector("#results:not([hidden])");
    assert.equal(await page.isHidden("#error"), true);
    assert.equal((await downloaded(page, "#download")).text, before);
  });
});

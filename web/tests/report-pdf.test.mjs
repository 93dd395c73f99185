// The HTML report (pms check --format html) in headless Chromium: it loads nothing, lays out
// within the printable width of A4, and prints to a sane number of A4 pages whose text (read
// back with poppler's pdftotext) holds the report. It uses the golden pages of the sample
// company, which a Rust test proves equal to what a run renders.
// Run: node --test web/tests/report-pdf.test.mjs   (needs chromium and poppler-utils: scripts/wasm-env.sh)
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join, dirname } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
// A4 with the report's @page margins (12 mm left and right) at 96 px per inch.
const A4_PRINTABLE_PX = Math.floor(((210 - 24) / 25.4) * 96);

const pages = [
  { file: "mimoto.ja.html", expect: ["プライバシーマーク 記録点検レポート 見本株式会社", "根本原因別の指摘", "部門別の指摘", "今後の期限", "R-TRN-01", "J.4.3", "大阪支店", "受講"] },
  { file: "mimoto.en.html", expect: ["Privacy Mark records check", "Findings by root cause", "Findings by department", "Deadlines ahead", "R-CA-03", "Fix:"] },
];

test("the HTML report prints on A4 without overflow and loads nothing", { timeout: 180_000 }, async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    timeout: 60_000,
  });
  const dir = mkdtempSync(join(tmpdir(), "pms-report-pdf-"));
  try {
    for (const { file, expect } of pages) {
      const url = pathToFileURL(join(root, "tests", "golden", "render", file)).href;
      const page = await browser.newPage({ viewport: { width: A4_PRINTABLE_PX, height: 1000 } });
      const requests = [];
      page.on("request", (r) => requests.push(r.url()));
      await page.goto(url);
      assert.deepEqual(requests, [url], `${file} loads only itself`);
      await page.emulateMedia({ media: "print" });
      const overflow = await page.evaluate(() => {
        const width = document.documentElement.clientWidth;
        const wide = [...document.querySelectorAll("body *")]
          .filter((e) => e.getBoundingClientRect().right > width + 0.5)
          .map((e) => `${e.tagName}.${e.className}: ${Math.round(e.getBoundingClientRect().right)}px`);
        return { scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5) };
      });
      assert.ok(overflow.scroll <= overflow.width, `${file}: content ${overflow.scroll}px wider than A4's ${overflow.width}px: ${overflow.wide}`);
      assert.deepEqual(overflow.wide, [], `${file}: elements past the right margin`);
      const pdf = join(dir, file.replace(/\.html$/, ".pdf"));
      writeFileSync(pdf, await page.pdf({ preferCSSPageSize: true }));
      await page.close();
      const info = execFileSync("pdfinfo", [pdf], { encoding: "utf8" });
      const count = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
      assert.ok(count >= 3 && count <= 30, `${file}: ${count} pages`);
      assert.match(info, /^Page size:\s+59[45]\.\d+ x 84[12]\.\d+ pts \(A4\)/m, `${file} is A4`);
      const text = execFileSync("pdftotext", ["-enc", "UTF-8", pdf, "-"], { encoding: "utf8" });
      for (const want of expect) {
        assert.ok(text.replace(/\s+/g, " ").includes(want), `${file}: "${want}" not in the PDF text`);
      }
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

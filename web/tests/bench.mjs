// WebAssembly vs native: the sample company and the sample × 100 checked in Node and in
// headless Chromium, against the native build. Not a test: run after scripts/build-wasm.sh
//   node web/tests/bench.mjs
import { createRequire } from "node:module";
import { readFileSync, existsSync, writeFileSync, mkdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { chromium } from "playwright-core";
import { serve } from "./serve.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const AS_OF = "2026-03-31";
const data = join(root, "target", "bench-data");
mkdirSync(data, { recursive: true });
const cargo = (args) => execFileSync("cargo", ["run", "-q", "--release", "-p", "pms-bench", ...args], { cwd: root, encoding: "utf8", maxBuffer: 1 << 30 });
for (const k of [1, 100]) {
  const f = join(data, `scaled-${k}.json`);
  if (!existsSync(f)) writeFileSync(f, cargo(["--example", "scaled", "--", String(k)]));
}
const inputs = [["sample (250 records)", join(data, "scaled-1.json"), 100], ["sample × 100 (≈ 19,000 records)", join(data, "scaled-100.json"), 5]];

const t0 = performance.now();
const require = createRequire(import.meta.url);
const pms = require(join(root, "target", "wasm-pkg", "nodejs", "pms_wasm.js"));
const tLoad = performance.now() - t0;
const t1 = performance.now();
const rs = new pms.Ruleset({});
const tCompile = performance.now() - t1;

function time(fn, runs) {
  fn();
  const s = performance.now();
  for (let i = 0; i < runs; i++) fn();
  return (performance.now() - s) / runs;
}

const server = await serve(join(root, "web"));
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
const page = await browser.newPage();
await page.goto(`http://127.0.0.1:${server.address().port}/`);
await page.waitForSelector("body[data-ready=true]");
const cold = await page.evaluate(async () => {
  const s = performance.now();
  const m = await import(`./pkg/pms_wasm.js?cold=${Math.random()}`);
  await m.default();
  const loaded = performance.now();
  new m.Ruleset({});
  return { instantiate: loaded - s, compile: performance.now() - loaded };
});

console.log(`cold start — Node: module load + instantiate ${tLoad.toFixed(1)} ms, compile rule packs ${tCompile.toFixed(1)} ms; Chromium: fetch + instantiate ${cold.instantiate.toFixed(1)} ms, compile rule packs ${cold.compile.toFixed(1)} ms`);
console.log("| data | native (ms) | Node wasm (ms) | ratio | Chromium wasm (ms) | ratio |");
console.log("|---|---|---|---|---|---|");
for (const [name, file, runs] of inputs) {
  const text = readFileSync(file, "utf8");
  const native = parseFloat(cargo(["--example", "native_check", "--", file, AS_OF, String(runs)]));
  const node = time(() => rs.checkJson(text, { asOf: AS_OF }), runs);
  const chrome = await page.evaluate(async ({ text, runs, asOf }) => {
    const m = await import("./pkg/pms_wasm.js");
    const r = new m.Ruleset({});
    r.checkJson(text, { asOf });
    const s = performance.now();
    for (let i = 0; i < runs; i++) r.checkJson(text, { asOf });
    return (performance.now() - s) / runs;
  }, { text, runs, asOf: AS_OF });
  console.log(`| ${name} | ${native.toFixed(2)} | ${node.toFixed(2)} | ${(node / native).toFixed(2)}× | ${chrome.toFixed(2)} | ${(chrome / native).toFixed(2)}× |`);
}
await browser.close();
server.close();

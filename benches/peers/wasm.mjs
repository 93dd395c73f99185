// pms through WebAssembly in Node on a generated company: load the JSON text once
// (loadRecords), then run the ten representative checks (checkLoadedJson with `only`) until
// V8 has optimised them; prints one JSON line with the times, the peak memory and the gaps per rule.
// Run by benches/compare.py: node benches/peers/wasm.mjs DATA.json RULE,RULE,...
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const pms = createRequire(import.meta.url)(join(root, "target", "wasm-pkg", "nodejs", "pms_wasm.js"));
const [path, rules] = process.argv.slice(2);
const only = rules.split(",");
const text = readFileSync(path, "utf8");
let t = performance.now();
const records = pms.loadRecords(text);
const load = (performance.now() - t) / 1000;
const rs = new pms.Ruleset({});
let best = Infinity;
let report;
// V8 first runs WebAssembly in its baseline tier and optimises hot functions later: repeat
// (at least five runs, up to sixty or two seconds) and keep the best, as the native run does.
const started = performance.now();
for (let i = 0; i < 60 && (i < 5 || performance.now() - started < 2000); i++) {
  t = performance.now();
  report = rs.checkLoadedJson(records, { asOf: "2026-03-31", only });
  best = Math.min(best, (performance.now() - t) / 1000);
}
const gaps = Object.fromEntries(only.map((r) => [r, []]));
for (const f of JSON.parse(report).findings) {
  if (f.status === "gap" && f.subject) gaps[f.rule_id].push(f.subject.id);
}
for (const ids of Object.values(gaps)) ids.sort();
console.log(JSON.stringify({ engine: "pms wasm (Node)", load_s: load, eval_s: best, peak_rss_kib: process.resourceUsage().maxRSS, gaps }));

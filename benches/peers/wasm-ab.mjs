// A/B of two builds of the nodejs WebAssembly package in one process (benchmarking, not a test):
//   node benches/peers/wasm-ab.mjs DATA.json RULE,RULE,... PKG_DIR_A PKG_DIR_B [SECONDS]
// loads the records once per package, then runs checkLoadedJson alternately until SECONDS (20)
// have passed, so that both see the same machine load; prints min, p10 and median per package.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
const require = createRequire(import.meta.url);
const [path, rules, ...rest] = process.argv.slice(2);
const secs = Number(rest.at(-1)) > 0 ? Number(rest.pop()) : 20;
const only = rules.split(",");
const text = readFileSync(path, "utf8");
const pk = rest.map((p) => {
  const pms = require(p + "/pms_wasm.js");
  let t = performance.now();
  const records = pms.loadRecords(text);
  const load = performance.now() - t;
  return { p, pms, records, rs: new pms.Ruleset({}), times: [], load };
});
const start = performance.now();
while (performance.now() - start < secs * 1000) {
  for (const k of pk) {
    const t = performance.now();
    k.rs.checkLoadedJson(k.records, { asOf: "2026-03-31", only });
    k.times.push(performance.now() - t);
  }
}
for (const k of pk) {
  const s = k.times.slice().sort((a, b) => a - b);
  console.log(`${k.p}: load ${k.load.toFixed(1)} ms; runs ${s.length}; min ${s[0].toFixed(3)} ms; p10 ${s[Math.floor(s.length * 0.1)].toFixed(3)}; median ${s[Math.floor(s.length / 2)].toFixed(3)} ms`);
}

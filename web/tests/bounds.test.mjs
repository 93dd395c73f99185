// maxInputSize and onProgress of the nodejs WebAssembly package.
// Run: node --test web/tests/   (after scripts/build-wasm.sh)
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const require = createRequire(import.meta.url);
const pms = require(join(root, "target", "wasm-pkg", "nodejs", "index.js"));
const sample = readFileSync(join(root, "examples", "mimoto", "records.yaml"), "utf8");
const bytes = Buffer.byteLength(sample, "utf8");

test("text over maxInputSize is refused before it is read, on every call", () => {
  const tooSmall = { maxInputSize: 100 };
  for (const call of [
    () => pms.check(sample, { asOf: "2026-03-31", ...tooSmall }),
    () => pms.checkJson(sample, { asOf: "2026-03-31", ...tooSmall }),
    () => pms.loadRecords(sample, tooSmall),
    () => pms.validate(sample, tooSmall),
    () => pms.checkFiles([{ name: "records.yaml", text: sample }], { asOf: "2026-03-31", ...tooSmall }),
    () => new pms.Ruleset().check(sample, { asOf: "2026-03-31", ...tooSmall }),
  ]) {
    assert.throws(call, (e) => e.code === "E1021" && e.kind === "records");
  }
  assert.ok(pms.loadRecords(sample, { maxInputSize: bytes }).size > 0);
  assert.ok(pms.validate(sample, { maxInputSize: 0 }));
});

test("maxInputSize and the options of loading are checked", () => {
  for (const bad of [-1, 1.5, "1GiB", true]) {
    assert.throws(() => pms.validate(sample, { maxInputSize: bad }), (e) => e.code === "E3001");
  }
  assert.throws(() => pms.loadRecords(sample, { max_input_size: 10 }), (e) => e.code === "E3001");
  assert.throws(() => pms.check(sample, { asOf: "2026-03-31", onProgress: 5 }), (e) => e.code === "E3001");
});

test("onProgress is told of every rule, and the report is the same", () => {
  const events = [];
  const observed = pms.checkJson(sample, { asOf: "2026-03-31", onProgress: (e) => events.push(e) });
  assert.equal(observed, pms.checkJson(sample, { asOf: "2026-03-31" }));
  const rules = events.filter((e) => e.event === "rules");
  assert.ok(rules.length > 0);
  assert.equal(rules.at(-1).done, rules.at(-1).total);
  const loading = [];
  pms.loadRecords(sample, { onProgress: (e) => loading.push(e) });
  assert.ok(loading.some((e) => e.event === "records" && e.loaded > 0));
  // A callback that throws does not stop the check.
  const report = pms.check(sample, { asOf: "2026-03-31", onProgress: () => { throw new Error("boom"); } });
  assert.ok(report.summary.gaps > 0);
});

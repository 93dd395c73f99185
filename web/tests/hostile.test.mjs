// Hostile input through the nodejs WebAssembly package: deep rules and records, and objects
// that contain themselves, are coded PmsErrors; the module keeps working after each.
// Run: node --test web/tests/   (after scripts/build-wasm.sh)
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const require = createRequire(import.meta.url);
const pms = require(join(root, "target", "wasm-pkg", "nodejs", "index.js"));

const rule = (expr) => `rule R-X-99 {
  title ja "例" en "example"
  clause jis2017 "A.3.4.5"
  phase do
  severity minor
  basis practice
  activity training_records
  for w in workforce
  require ${expr}
  message ja "x" en "x"
  fix ja "x" en "x"
}
`;

const stillWorks = () => {
  const report = pms.check(pms.sampleCompany(), { asOf: "2026-03-31" });
  assert.ok(report.summary.gaps > 0);
};

const deepRules = {
  not: "not ".repeat(10_000) + "true",
  plus: "1 + ".repeat(10_000) + "1 > 0",
  and: "true" + " and true".repeat(10_000),
  coalesce: "true" + " ?? true".repeat(10_000),
  if: "if true then true else ".repeat(5_000) + "true",
  parens: "(".repeat(2_000) + "true" + ")".repeat(2_000),
};

for (const [what, expr] of Object.entries(deepRules)) {
  test(`a deep rule expression (${what}) is E2014 and the module keeps working`, () => {
    assert.throws(() => new pms.Ruleset({ "deep.pms": rule(expr) }), (e) => e.name === "PmsError" && e.code === "E2014" && e.line === 9);
    stillWorks();
  });
}

test("deep or self-containing record objects and deep record text are E1022", () => {
  let deep = 1;
  for (let i = 0; i < 10_000; i++) deep = [deep];
  const records = { workforce: [{ id: "W-1", name: deep }] };
  assert.throws(() => pms.validate(records), (e) => e.code === "E1022" && e.diagnostics[0].location.pointer.startsWith("/workforce/0/name/0/0"));
  const self = { id: "W-1" };
  self.name = self;
  assert.throws(() => pms.validate({ workforce: [self] }), (e) => e.code === "E1022");
  assert.throws(() => pms.validate("workforce:\n  " + "- ".repeat(25_000) + "x\n"), (e) => e.code === "E1022");
  assert.throws(() => pms.validate("[".repeat(10_000) + "]".repeat(10_000)), (e) => e.name === "PmsError" && /^E10/.test(e.code));
  stillWorks();
});

// The module users import (index.js) recovers from a failure of the WebAssembly module: a
// panic (the deliberate test hook) or a trap becomes an InternalError (E9001) naming the
// call and its input, and the next call works on a fresh instance; rule texts obey
// maxInputSize. Run: node --test web/tests/   (after scripts/build-wasm.sh)
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const require = createRequire(import.meta.url);
const pkg = join(root, "target", "wasm-pkg", "nodejs");
const pms = require(join(pkg, "index.js"));
// The glue under the wrapper: only for its internal test hook.
const glue = require(join(pkg, "pms_wasm.js"));
const golden = readFileSync(join(root, "tests", "golden", "mimoto.json"), "utf8");
const asOf = "2026-03-31";

test("the package's main module is the recovering wrapper, with the glue's API", () => {
  assert.equal(JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")).main, "index.js");
  for (const name of ["check", "checkJson", "checkFiles", "validate", "loadRecords", "renderReport", "Ruleset", "RecordSet", "InternalError"]) {
    assert.equal(typeof pms[name], "function", name);
  }
  assert.equal(pms.__pmsInternalTestPanic, undefined, "the test hook is not part of the API");
  assert.equal(pms.checkJson(pms.sampleCompany(), { asOf }), golden);
});

test("a panic inside a check is an InternalError naming the input, and the next check works", () => {
  const before = pms.checkJson(pms.sampleCompany(), { asOf });
  // Count the re-instantiations (the wrapper calls the glue's reset when it recovers).
  const reset = glue.__wbg_reset_state;
  let resets = 0;
  glue.__wbg_reset_state = () => { resets += 1; reset(); };
  glue.__pmsInternalTestPanic();
  assert.throws(() => pms.check(pms.sampleCompany(), { asOf }), (e) => {
    assert.ok(e instanceof pms.InternalError);
    assert.equal(e.name, "InternalError");
    assert.equal(e.kind, "internal");
    assert.equal(e.code, "E9001");
    assert.match(e.message, /^error\[E9001\]: internal error in pms while handling `check` of records given as text: /);
    // The panic hook carries the panic's message and place.
    assert.match(e.message, /__pmsInternalTestPanic was called: a deliberate internal error/);
    assert.match(e.message, /internal\.rs/);
    assert.match(e.help, /bug in pms/);
    assert.equal(e.diagnostics[0].code, "E9001");
    assert.equal(e.cause.name, "PmsPanic");
    return true;
  });
  glue.__wbg_reset_state = reset;
  assert.equal(resets, 1, "the module was re-instantiated once");
  assert.equal(pms.checkJson(pms.sampleCompany(), { asOf }), before);
  assert.equal(before, golden);
});

test("objects made before the failure are rebuilt on the new instance", () => {
  const custom = readFileSync(join(root, "examples", "custom-rule", "call-recordings.pms"), "utf8");
  const records = pms.sampleCompany();
  const rs = new pms.Ruleset({ "call-recordings.pms": custom });
  const loaded = pms.loadRecords(records);
  const before = rs.checkLoadedJson(loaded, { asOf: "2026-04-30" });
  assert.match(before, /"rule_id": "X-CALL-01"/);
  glue.__pmsInternalTestPanic();
  assert.throws(() => rs.checkLoaded(loaded, { asOf: "2026-04-30" }), (e) => {
    assert.ok(e instanceof pms.InternalError);
    assert.match(e.message, /while handling `Ruleset\.checkLoaded` of records loaded by loadRecords: /);
    return true;
  });
  assert.equal(rs.checkLoadedJson(loaded, { asOf: "2026-04-30" }), before);
  assert.equal(loaded.size, pms.loadRecords(records).size);
  rs.free();
  loaded.free();
});

test("a trap of the module (not a panic) is recovered the same way", () => {
  // No input is known to trap any more (the known traps are coded errors first), so the
  // glue's checkFiles is replaced by a read through a RecordSet pointing far outside the
  // module's memory: a real "memory access out of bounds" trap of the engine, inside a call
  // (the CommonJS glue's exports are writable).
  const original = glue.checkFiles;
  glue.checkFiles = () => glue.RecordSet.__wrap(0x7ffffff0).counts();
  try {
    assert.throws(() => pms.checkFiles([{ name: "workforce.yaml", text: "- {id: W-1}" }], { asOf }), (e) => {
      assert.ok(e instanceof pms.InternalError);
      assert.match(e.message, /while handling `checkFiles` of the files `workforce\.yaml`: RuntimeError: memory access out of bounds/);
      assert.ok(e.cause instanceof WebAssembly.RuntimeError);
      return true;
    });
  } finally {
    glue.checkFiles = original;
  }
  assert.equal(pms.checkJson(pms.sampleCompany(), { asOf }), golden);
});

test("bad input is still a PmsError, not an internal error", () => {
  assert.throws(() => pms.validate("x: ["), (e) => e.name === "PmsError" && e.code === "E1001" && !(e instanceof pms.InternalError));
  assert.throws(() => pms.renderReport(pms.check(pms.sampleCompany(), { asOf }), "htm"), (e) => e.code === "E3020");
});

test("rule texts obey maxInputSize (E1021 naming the rule file), in Ruleset and checkFiles", () => {
  const text = "# a comment\n".repeat(100);
  assert.throws(() => new pms.Ruleset({ "big.pms": text }, { maxInputSize: 1000 }), (e) => {
    assert.equal(e.code, "E1021");
    assert.equal(e.kind, "rules");
    assert.equal(e.file, "big.pms");
    assert.match(e.message, /`big\.pms` is 1\.2 KiB, more than the limit of 1000 bytes|`big\.pms`/);
    return true;
  });
  assert.ok(new pms.Ruleset({ "big.pms": text }, { maxInputSize: 2000 }));
  assert.ok(new pms.Ruleset({ "big.pms": text }, { maxInputSize: 0 }));
  assert.throws(() => new pms.Ruleset({ "big.pms": text }, { maxInputSzie: 1 }), (e) => e.code === "E3001" || /unknown option/.test(e.message));
  const files = [{ name: "workforce.yaml", text: "[]" }, { name: "ours.pms", text }];
  assert.throws(() => pms.checkFiles(files, { asOf, maxInputSize: 1000 }), (e) => e.code === "E1021" && e.kind === "rules" && e.file === "ours.pms");
  assert.equal(pms.checkFiles(files, { asOf, maxInputSize: 2000 }).records.workforce ?? 0, 0);
});

test("the bundler package, which cannot re-instantiate, refuses every call after a failure", () => {
  // Node loads the bundler package's `.wasm` import with --experimental-wasm-modules.
  const code = `
    import * as pms from ${JSON.stringify(join(root, "target", "wasm-pkg", "bundler", "index.js"))};
    import * as glue from ${JSON.stringify(join(root, "target", "wasm-pkg", "bundler", "pms_wasm.js"))};
    const codes = [];
    const attempt = () => { try { pms.validate("workforce: []"); codes.push("ok"); } catch (e) { codes.push(e instanceof pms.InternalError ? e.code : String(e)); } };
    attempt();
    glue.__pmsInternalTestPanic();
    try { pms.check("workforce: []", { asOf: "2026-03-31" }); } catch (e) { codes.push(e instanceof pms.InternalError ? e.code + " " + e.message.split("\\n")[0] : String(e)); }
    attempt();
    console.log(JSON.stringify(codes));`;
  const run = spawnSync(process.execPath, ["--experimental-wasm-modules", "--no-warnings", "--input-type=module", "-e", code], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  const codes = JSON.parse(run.stdout);
  assert.equal(codes[0], "ok");
  assert.match(codes[1], /^E9001 error\[E9001\]: internal error in pms while handling `check` of records given as text: .*deliberate internal error/);
  assert.equal(codes[2], "E9001");
});

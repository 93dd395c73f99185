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

test("the ledger module is loaded at the first ledger, and a trap in it is recovered", () => {
  const ledgersGlue = join(pkg, "pms_ledgers.js");
  assert.equal(require.cache[ledgersGlue], undefined, "not loaded before a ledger is given");
  const csv = { "委託先一覧.csv": new Uint8Array(readFileSync(join(root, "tests", "ledgers", "fixtures", "委託先一覧.csv"))) };
  // Synchronous in Node.
  const first = pms.checkFiles(csv, { asOf });
  assert.ok(first.records.contractors > 0);
  assert.notEqual(require.cache[ledgersGlue], undefined, "loaded by the first ledger");
  const lg = require(ledgersGlue);
  const [read, reset] = [lg.readLedgers, lg.__wbg_reset_state];
  let resets = 0;
  lg.readLedgers = () => { throw new WebAssembly.RuntimeError("unreachable"); };
  lg.__wbg_reset_state = () => { resets += 1; reset(); };
  try {
    assert.throws(() => pms.checkFiles(csv, { asOf }), (e) => e instanceof pms.InternalError && e.code === "E9001" && /`checkFiles` of the files `委託先一覧\.csv`: RuntimeError: unreachable/.test(e.message));
  } finally {
    [lg.readLedgers, lg.__wbg_reset_state] = [read, reset];
  }
  assert.equal(resets, 1, "the ledger module was re-instantiated");
  assert.deepEqual(pms.checkFiles(csv, { asOf }), first);
  // The glue's own checkFiles does not read ledgers: it says to use index.js.
  assert.throws(() => glue.checkFiles(csv, { asOf }), (e) => e.code === "E1011" && /index\.js/.test(e.help));
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

test("the bundler package loads its modules itself and recovers like the others", () => {
  // The package instantiates its wasm from `new URL("./pms_wasm_bg.wasm", import.meta.url)`
  // (a URL bundlers copy the file for), so it can re-instantiate it. Node's fetch has no
  // file: URLs: this child process serves the package's own files to it, and refuses any
  // other request.
  const dir = join(root, "target", "wasm-pkg", "bundler");
  assert.match(readFileSync(join(dir, "index.js"), "utf8"), /new URL\("\.\/pms_wasm_bg\.wasm", import\.meta\.url\)/);
  const code = `
    import { readFileSync } from "node:fs";
    const fetched = [];
    globalThis.fetch = async (u) => {
      const url = new URL(String(u));
      if (url.protocol !== "file:") throw new Error("network request: " + url);
      fetched.push(url.pathname.split("/").pop());
      return new Response(readFileSync(url), { headers: { "content-type": "application/wasm" } });
    };
    const pms = await import(${JSON.stringify(join(dir, "index.js"))});
    const glue = await import(${JSON.stringify(join(dir, "pms_wasm.js"))});
    const out = { fetched: [...fetched], codes: [] };
    const attempt = () => { try { pms.validate("workforce: []"); out.codes.push("ok"); } catch (e) { out.codes.push(e instanceof pms.InternalError ? e.code : String(e)); } };
    attempt();
    glue.__pmsInternalTestPanic();
    try { pms.check("workforce: []", { asOf: "2026-03-31" }); } catch (e) { out.codes.push(e instanceof pms.InternalError ? e.code + " " + e.message.split("\\n")[0] : String(e)); }
    attempt();
    out.sample = pms.checkJson(pms.sampleCompany(), { asOf: "2026-03-31" });
    // A ledger: checkFiles is asynchronous here, and loads the ledger module on first use.
    const csv = readFileSync(${JSON.stringify(join(root, "tests", "ledgers", "fixtures", "委託先一覧.csv"))});
    const pending = pms.checkFiles({ "委託先一覧.csv": new Uint8Array(csv) }, { asOf: "2026-03-31" });
    out.promise = pending instanceof Promise;
    out.contractors = (await pending).records.contractors;
    out.fetchedAfter = [...fetched];
    console.log(JSON.stringify(out));`;
  const run = spawnSync(process.execPath, ["--no-warnings", "--input-type=module", "-e", code], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  const out = JSON.parse(run.stdout);
  assert.deepEqual(out.fetched, ["pms_wasm_bg.wasm"], "the ledger module is not loaded before a ledger is given");
  assert.equal(out.codes[0], "ok");
  assert.match(out.codes[1], /^E9001 error\[E9001\]: internal error in pms while handling `check` of records given as text: .*deliberate internal error/);
  assert.equal(out.codes[2], "ok", "the next call runs on a fresh instance");
  assert.equal(out.sample, golden);
  assert.equal(out.promise, true);
  assert.ok(out.contractors > 0, "the CSV's contractors were read");
  assert.deepEqual(out.fetchedAfter, ["pms_wasm_bg.wasm", "pms_ledgers_bg.wasm"]);
});

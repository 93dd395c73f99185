// Runs one hostile case through the nodejs WebAssembly package (called by scripts/hostile.py in
// a process of its own). Node reads text only: a records or rules path is read as UTF-8 text,
// as the page reads a dropped file; a ledger (.xlsx, .csv …) is handed to checkFiles as bytes.
// Prints one JSON line: {"ok": true}, {"codes": [...]} for a
// pms error, or {"exception": "..."} for anything else (which fails the case).
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const require = createRequire(import.meta.url);
const pms = require(process.env.PMS_WASM_NODE ?? join(root, "target", "wasm-pkg", "nodejs", "index.js"));

const c = JSON.parse(process.argv[2]);
const o = c.options ?? {};
const out = (v) => process.stdout.write(JSON.stringify(v) + "\n");
const ledger = /\.(xlsx|xlsm|ods|csv|tsv)$/i.test(c.records_path ?? "");
try {
  if (ledger) {
    // Ledgers are handed over as bytes, as the page does with a dropped workbook.
    const bytes = new Uint8Array(readFileSync(c.records_path));
    const name = c.records_path.split("/").pop();
    const bounds = o.max_input_size === undefined ? {} : { maxInputSize: o.max_input_size };
    pms.checkFiles([{ name, bytes }], { asOf: o.as_of ?? "2026-03-31", lang: o.lang ?? "ja", ...bounds });
  } else {
    runText();
  }
  out({ ok: true });
} catch (e) {
  report(e);
}

function runText() {
  const records = c.records_text ?? readFileSync(c.records_path, "utf8");
  const rules = c.rules_text ?? (c.rules_path ? readFileSync(c.rules_path, "utf8") : undefined);
  const bounds = o.max_input_size === undefined ? {} : { maxInputSize: o.max_input_size };
  if (c.command === "validate") {
    pms.validate(records, bounds);
  } else {
    const opts = { asOf: o.as_of ?? "2026-03-31", lang: o.lang ?? "ja", ...bounds };
    if (o.edition !== undefined) opts.edition = o.edition;
    if (o.only !== undefined) opts.only = o.only;
    const ruleset = rules === undefined ? null : new pms.Ruleset({ "rules.pms": rules }, bounds);
    if (ruleset) ruleset.check(records, opts);
    else pms.check(records, opts);
  }
}

function report(e) {
  if (e && typeof e.code === "string" && Array.isArray(e.diagnostics)) {
    out({ codes: e.diagnostics.map((d) => d.code) });
  } else {
    out({ exception: String(e && e.stack ? e.stack : e).slice(0, 500) });
  }
}

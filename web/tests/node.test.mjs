// The nodejs WebAssembly package against the language-neutral cases: every report must be
// byte-identical to the Rust run (tests/golden), and errors must carry their location.
// Run: node --test web/tests/   (after scripts/build-wasm.sh)
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const require = createRequire(import.meta.url);
const pms = require(join(root, "target", "wasm-pkg", "nodejs", "index.js"));
const read = (p) => readFileSync(join(root, p), "utf8");

test("the sample company gives the Rust report, as text and as an object", () => {
  const golden = read("tests/golden/mimoto.json");
  assert.equal(pms.checkJson(pms.sampleCompany(), { asOf: "2026-03-31" }), golden);
  const report = pms.check(read("examples/mimoto/records.yaml"), { asOf: "2026-03-31" });
  assert.equal(JSON.stringify(report, null, 2), golden);
  assert.equal(report.summary.gaps, JSON.parse(golden).summary.gaps);
  assert.equal(report.findings.filter((f) => f.status === "gap").length, report.summary.gaps);
});

test("reports render in every format as the CLI does, and two reports compare", () => {
  const report = pms.check(pms.sampleCompany(), { asOf: "2026-03-31" });
  for (const [format, lang, golden] of [["html", "en", "mimoto.en.html"], ["md", "ja", "mimoto.ja.md"], ["junit", "ja", "mimoto.junit.xml"], ["ics", "ja", "mimoto.ics"]]) {
    assert.equal(pms.renderReport(report, format, lang), read(`tests/golden/render/${golden}`), format);
  }
  // From the JSON text too, and the report's own language by default.
  assert.equal(pms.renderReport(read("tests/golden/mimoto.json"), "md"), read("tests/golden/render/mimoto.ja.md"));
  assert.match(pms.renderDeadlines(report, "ics"), /^BEGIN:VCALENDAR\r\n/);
  assert.throws(() => pms.renderReport(report, "htm"), (e) => e.code === "E3020");
  const later = pms.check(pms.sampleCompany(), { asOf: "2026-05-20" });
  const d = pms.diffReports(report, later);
  assert.ok(d.new.some((c) => c.finding_id === "R-TRN-02:W-031"));
  assert.equal(d.before.gaps, report.summary.gaps);
});

const files = readdirSync(join(root, "tests", "conformance")).filter((f) => f.endsWith(".yaml")).sort();
for (const file of files) {
  const doc = YAML.parse(read(join("tests", "conformance", file)));
  doc.cases.forEach((c, index) => {
    test(`conformance ${file}: ${c.name}`, () => {
      const params = Object.fromEntries(Object.entries(c.params ?? {}).map(([k, v]) => [k, String(v)]));
      const golden = read(join("tests", "golden", "conformance", `${file.replace(/\.yaml$/, "")}.${index}.json`));
      assert.equal(pms.checkJson(c.records, { asOf: String(c.as_of), params }), golden);
    });
  });
}

test("record errors are thrown with their location", () => {
  const text = read("tests/diagnostics/E1002-unknown-field.yaml");
  assert.throws(() => pms.validate(text), (e) => {
    assert.equal(e.name, "PmsError");
    assert.equal(e.kind, "records");
    assert.equal(e.code, "E1002");
    assert.equal(e.line, 6);
    assert.equal(e.column, 5);
    assert.equal(e.field, "strat_date");
    assert.equal(e.help, "did you mean `start_date`?");
    assert.match(e.message, /unknown field `strat_date`/);
    assert.match(e.messageJa, /未知の項目 `strat_date`/);
    assert.equal(e.helpJa, "`start_date` の誤りではないか");
    assert.ok(e.diagnostics.every((d) => d.message_ja));
    assert.ok(Array.isArray(e.diagnostics) && e.diagnostics.length === 1);
    return true;
  });
  assert.throws(() => pms.check({ workforce: "x" }, { asOf: "2026-03-31" }), { code: "E1003" });
  assert.throws(() => pms.check(42, {}), { code: "E1012" });
  assert.throws(() => pms.check("{ not json", {}), { code: "E1001" });
});

test("option and rule errors", () => {
  assert.throws(() => pms.check(pms.sampleCompany(), { asOf: "2026-02-30" }), { code: "E3001", kind: "options" });
  assert.throws(() => pms.check(pms.sampleCompany(), { asOf: "2026-03-31", edition: "jisq15001:2018" }), { code: "E3001" });
  assert.throws(() => pms.check(pms.sampleCompany(), { asOf: 20260331 }), { code: "E3001" });
  assert.throws(() => new pms.Ruleset({ "mine.pms": read("tests/diagnostics/E2003-unknown-field.pms") }), (e) => e.code === "E2003" && e.kind === "rules" && e.line === 9);
  assert.throws(() => pms.graph("svg"), { code: "E3001" });
});

test("a ruleset with a company rule, its extension fields and parameters", () => {
  const rs = new pms.Ruleset({ "call-recordings.pms": read("examples/custom-rule/call-recordings.pms") });
  const records = read("examples/custom-rule/records.yaml");
  const gaps = (asOf, params) => rs.check(records, { asOf, params, only: ["X-CALL-01", "X-CALL-02"] }).findings.filter((f) => f.status === "gap").map((f) => f.subject.id);
  assert.deepEqual(gaps("2026-04-30"), ["INV-CALL-C", "DP-2"]);
  assert.deepEqual(gaps("2026-05-01"), ["INV-CALL-A", "INV-CALL-C", "DP-2"]);
  assert.deepEqual(gaps("2026-04-30", { call_recording_days: "160" }), ["DP-2"]);
  // The page's call: rule files among the dropped files.
  const files = [{ name: "records.yaml", text: records }, { name: "call-recordings.pms", text: read("examples/custom-rule/call-recordings.pms") }];
  const viaFiles = pms.checkFiles(files, { asOf: "2026-04-30", only: ["X-CALL-01", "X-CALL-02"] });
  assert.deepEqual(viaFiles.findings.filter((f) => f.status === "gap").map((f) => f.subject.id), ["INV-CALL-C", "DP-2"]);
  // Without the rule file the extension fields are unknown.
  assert.throws(() => pms.check(records, { asOf: "2026-04-30" }), (e) => e.code === "E1002" && /retention_days/.test(e.message));
  assert.ok(rs.rules("jisq15001:2017").some((r) => r.id === "X-CALL-01"));
  assert.equal(pms.rules("jisq15001:2017").find((r) => r.id === "R-TRN-01").clause, "A.3.4.5");
  assert.match(pms.graph("mermaid"), /^flowchart LR/);
});

test("records loaded once are checked many times, and only the named rules", () => {
  const golden = read("tests/golden/mimoto.json");
  const records = pms.loadRecords(read("examples/mimoto/records.yaml"));
  assert.equal(records.counts().workforce, YAML.parse(read("examples/mimoto/records.yaml")).workforce.length);
  assert.equal(records.size, Object.values(records.counts()).reduce((a, b) => a + b, 0));
  const rs = new pms.Ruleset({});
  assert.equal(rs.checkLoadedJson(records, { asOf: "2026-03-31" }), golden);
  const later = rs.checkLoadedJson(records, { asOf: "2026-09-30" });
  assert.equal(later, rs.checkJson(pms.sampleCompany(), { asOf: "2026-09-30" }));
  assert.notEqual(later, golden);
  const some = rs.checkLoaded(records, { asOf: "2026-03-31", only: ["R-TRN-01", "R-CA-03"] });
  assert.deepEqual([...new Set(some.coverage.map((c) => c.rule_id))].sort(), ["R-CA-03", "R-TRN-01"]);
  const expected = JSON.parse(golden).findings.filter((f) => f.status === "gap" && ["R-TRN-01", "R-CA-03"].includes(f.rule_id)).map((f) => f.id);
  assert.deepEqual(some.findings.filter((f) => f.status === "gap").map((f) => f.id), expected);
  assert.throws(() => rs.checkLoaded(records, { asOf: "2026-03-31", only: ["R-TRN-1"] }), (e) => e.code === "E3001" && /R-TRN-01/.test(e.help));
  assert.throws(() => rs.checkLoaded(records, { asOf: "2026-03-31", only: "R-TRN-01" }), { code: "E3001" });
  assert.throws(() => pms.loadRecords({ workforce: [{ id: "W-1" }] }), { code: "E1006", kind: "records" });
});

test("a record the rule cannot decide is listed with the fields it lacks", () => {
  const rs = new pms.Ruleset({ "rules.pms": read("tests/undetermined/rules.pms") });
  const report = rs.check(read("tests/undetermined/records.yaml"), { asOf: "2025-06-30", only: ["X-UNK-01"] });
  const undecided = report.findings.filter((f) => f.status === "insufficient_data");
  assert.deepEqual(undecided.map((f) => [f.subject.id, f.missing]), [["S2", ["audience"]]]);
  assert.ok(!report.findings.some((f) => f.subject?.id === "S3"));
});

test("options and rule files that would be ignored are errors", () => {
  const records = read("examples/mimoto/records.yaml");
  // Python's spelling of an option: the check would have run at today's date.
  assert.throws(() => pms.check(records, { as_of: "2026-03-31" }), (e) => e.code === "E3001" && /unknown option `as_of`/.test(e.message) && /asOf/.test(e.help ?? e.message));
  assert.throws(() => pms.check(records, { asOf: "2026-03-31", onlyy: ["R-TRN-01"] }), (e) => e.code === "E3001" && /onlyy/.test(e.message));
  // An empty rule list is an error on every host (the CLI's --only "", Python's only=[]).
  assert.throws(() => pms.check(records, { asOf: "2026-03-31", only: [] }), (e) => e.code === "E3001" && /names no rule/.test(e.message));
  // A flag that is not a boolean would have been read as false.
  assert.throws(() => pms.check(records, { asOf: "2026-03-31", includePassed: "yes" }), (e) => e.code === "E3001" && /includePassed/.test(e.message));
  assert.throws(() => pms.check(records, { asOf: "2026-03-31", locate: 1 }), (e) => e.code === "E3001" && /locate/.test(e.message));
  assert.ok(pms.check(records, { asOf: "2026-03-31", includePassed: true }).findings.some((f) => f.status === "passed"));
  // Rule files are { name: text }.
  assert.throws(() => new pms.Ruleset("rule X {}"), (e) => e.code === "E3001" && e.kind === "rules");
  assert.throws(() => new pms.Ruleset({ "a.pms": 42 }), (e) => /`a.pms` is not text/.test(e.message));
  assert.ok(new pms.Ruleset({}).rules().length > 100);
});

test("spreadsheet and Shift_JIS CSV ledgers are read from their bytes, errors at their cell", () => {
  const bytes = (p) => new Uint8Array(readFileSync(join(root, "tests", "ledgers", "fixtures", p)));
  const report = pms.checkFiles(
    { "従業者名簿.xlsx": bytes("従業者名簿.xlsx"), "委託先一覧.csv": bytes("委託先一覧.csv") },
    { asOf: "2026-03-31" },
  );
  // the workforce and the contractors were read: no rule says they are missing
  const missing = (name) =>
    report.findings.some((f) => (f.message.ja.split("判定できません: ")[1] ?? "").split("、").includes(name));
  assert.ok(!missing("従業者") && !missing("委託先"));
  assert.ok(missing("受講記録"), "training records were not given");
  const arrayForm = pms.checkFiles([{ name: "従業者名簿.xlsx", bytes: bytes("従業者名簿.xlsx") }], { asOf: "2026-03-31" });
  assert.equal(JSON.stringify(arrayForm.summary), JSON.stringify(pms.checkFiles({ "従業者名簿.xlsx": bytes("従業者名簿.xlsx") }, { asOf: "2026-03-31" }).summary));
  assert.throws(
    () => pms.checkFiles({ "従業者名簿-誤り.xlsx": bytes("従業者名簿-誤り.xlsx") }, { asOf: "2026-03-31" }),
    (e) => e.code === "E1004" && e.cell === "従業者名簿!D5" && e.file === "従業者名簿-誤り.xlsx",
  );
});

test("the JSON Schemas are the ones published in docs/schema, and an unknown one is an option error", () => {
  for (const which of ["records", "report", "diagnostics"]) {
    assert.deepEqual(pms.schema(which), JSON.parse(read(`docs/schema/${which}.schema.json`)), which);
  }
  assert.deepEqual(pms.schema(), pms.schema("records"));
  assert.throws(() => pms.schema("findings"), (e) => e.kind === "options" && /unknown schema `findings`/.test(e.message));
});

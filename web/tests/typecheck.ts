// Compiled with `tsc --strict --noEmit`: the TypeScript definitions describe the API as used.
import * as pms from "../../target/wasm-pkg/nodejs/index.js";

const report: pms.Report = pms.check(pms.sampleCompany(), { asOf: "2026-03-31", lang: "en", params: { training_interval: "6 months" } });
const overdue: pms.Finding[] = report.findings.filter((f) => (f.days_overdue ?? 0) > 0);
const first: string | undefined = overdue[0]?.subject?.id;
const rs = new pms.Ruleset({ "mine.pms": "" });
const rules: pms.RuleInfo[] = rs.rules("jisq15001:2017");
const json: string = rs.checkJson({ workforce: [] }, undefined);
const counts: Record<string, number> = pms.validate("workforce: []", undefined);
const loaded: pms.RecordSet = pms.loadRecords(pms.sampleCompany(), { maxInputSize: 1 << 20 });
const again: pms.Report = rs.checkLoaded(loaded, { asOf: "2026-03-31", only: ["R-TRN-01"] });
const size: number = loaded.size + Object.keys(loaded.counts()).length + again.summary.gaps;
const html: string = pms.renderReport(report, "html", "ja");
const ics: string = pms.renderDeadlines(JSON.stringify(report), "ics", undefined);
const changes: pms.ReportDiff = pms.diffReports(report, again);
const closed: (pms.Finding["status"] | null)[] = changes.closed.map((c) => c.after);
const moved: number = changes.deadlines_moved.reduce((n, m) => n + m.days, 0);
const window: string | undefined = report.deadlines[0]?.opens;
console.log(html.length, ics.length, closed, moved, window, report.coverage[0]?.title.ja, report.findings[0]?.department?.name);
try {
  pms.validate("x: [", undefined);
} catch (e) {
  const err = e as pms.PmsError;
  const line: number | undefined = err.line;
  console.log(err.code, line);
}
console.log(size, first, rules.length, json.length, counts, report.summary.gaps_by_severity["major"]);
// Options are optional; rule texts take maxInputSize; SARIF locations; summaries; internal errors.
const bounded = new pms.Ruleset({ "mine.pms": "" }, { maxInputSize: 1 << 20 });
const located: pms.Report = bounded.check(pms.sampleCompany(), { asOf: "2026-03-31", locate: true });
const where: string | undefined = located.locations?.["W-001"]?.file;
const form7: string = pms.renderSummary([{ name: "records.yaml", text: pms.sampleCompany() }], 7, "md", { asOf: "2026-03-31" });
const plain: Record<string, number> = pms.validate("workforce: []");
try {
  pms.check(pms.sampleCompany());
} catch (e) {
  if (e instanceof pms.InternalError) {
    const internal: pms.PmsError = e;
    console.log(internal.kind, e.code, e.diagnostics.length);
  }
}
console.log(where, form7.length, plain);
// The web and bundler packages: checkFiles and renderSummary return Promises (the ledger
// module is fetched when a workbook or CSV is given); the other calls stay synchronous.
import type * as webPkg from "../../target/wasm-pkg/web/index.js";
import type * as bundlerPkg from "../../target/wasm-pkg/bundler/index.js";
const webReport: ReturnType<typeof webPkg.checkFiles> = Promise.resolve(report);
const webSummary: ReturnType<typeof bundlerPkg.renderSummary> = Promise.resolve("");
const webSync: ReturnType<typeof webPkg.check> = report;
console.log(webReport, webSummary, webSync.summary.gaps);

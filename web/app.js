// The pms page: records are read from files the user picks and checked by the WebAssembly
// engine inside this page. Nothing is sent anywhere: there is no fetch after the module
// loads, no CDN, no fonts, no analytics (the Content-Security-Policy forbids other origins).
// ./pkg/index.js wraps the wasm-bindgen glue: a failure of the module itself is reported as an
// InternalError (E9001) and the module is re-instantiated, so the page keeps working.
import init, { checkFiles, check, sampleCompany, renderReport, renderSummary } from "./pkg/index.js";

const T = {
  ja: {
    title: "プライバシーマーク記録点検",
    tagline: "記録はこのブラウザの中だけで点検され、外部には送信されません。",
    language: "言語",
    inputHeading: "記録を選ぶ",
    dropHere: "ここに記録ファイルやフォルダをドロップ、またはクリックして選択",
    pickFolder: "フォルダを選ぶ",
    form7md: "様式7 教育（Markdown）", form7csv: "様式7 教育（CSV）", form8md: "様式8 監査・レビュー（Markdown）", form8csv: "様式8 監査・レビュー（CSV）",
    skipped: (names) => `読み込まなかったファイル（記録・台帳・ルールではない）: ${names}`,
    dropHelp: "JSON / YAML の記録一式、エンティティごとのファイル（workforce.yaml など）、Excel・CSV の台帳（.xlsx / .csv、Shift_JIS 可）を複数選べます。ファイルはこのページの中で読み、どこにも送りません。自社ルール（*.pms）も一緒に選ぶと点検に加わります。",
    sample: "見本株式会社を読み込む",
    template: "記入用テンプレート（Excel）をダウンロード",
    asOf: "基準日",
    edition: "規格",
    check: "点検する",
    download: "レポート（JSON）をダウンロード",
    downloadAs: "他の形式で保存:",
    upcoming: "今後90日の期限",
    bySeverity: "重大度別の不備",
    findings: "指摘事項",
    footer: "pms — JIS Q 15001 / プライバシーマーク記録点検エンジン。通信は一切行いません。",
    loaded: (n, names) => `${n}件のファイルを読み込みました: ${names}`,
    sampleLoaded: "見本株式会社（埋め込みの見本データ）を読み込みました",
    resultsFor: (org, d) => `${org ?? ""} 点検結果（基準日 ${d}）`,
    gaps: "不備", rootCauses: "根本原因（対処すべき不備）", missing: "記録されていない項目", atRisk: "期限間近", rulesFailed: "不備のあるルール", rulesPassed: "適合したルール",
    notAssessed: "記録がなく判定できないルール", next90: "90日以内の期限", renewal: "更新申請の締切",
    closed: "完了", open: "未完了",
    phase: { plan: "計画 (Plan)", do: "実施 (Do)", check: "点検 (Check)", act: "見直し (Act)" },
    status: { gap: "不備", at_risk: "期限間近", passed: "適合", not_applicable: "対象外", insufficient_data: "判定不能" },
    severity: { critical: "重大", major: "主要", minor: "軽微", info: "情報" },
    due: "期限", overdue: (n) => `${n}日超過`, late: (d, n) => `完了 ${d}（${n}日遅れ）`,
    fix: "是正方法", records: "関連する記録", values: "判定に使った値", subject: "対象",
    causes: "この不備が原因の指摘", causedBy: "原因となっている指摘",
    clause: "条項", none: "なし", sev: "重大度・根拠", noFindings: "指摘事項はありません。",
    errorTitle: "記録を読み込めませんでした。修正して再度お試しください。",
    noDeadlines: "90日以内の期限はありません。",
  },
  en: {
    title: "Privacy Mark records check",
    tagline: "Records are checked inside this browser only; nothing is sent anywhere.",
    language: "Language",
    inputHeading: "Choose records",
    dropHere: "Drop record files or a folder here, or click to choose",
    pickFolder: "Choose a folder",
    form7md: "Form 7 training (Markdown)", form7csv: "Form 7 training (CSV)", form8md: "Form 8 audits & reviews (Markdown)", form8csv: "Form 8 audits & reviews (CSV)",
    skipped: (names) => `Not read (not records, ledgers or rules): ${names}`,
    dropHelp: "A JSON / YAML record set, several entity files (workforce.yaml …), or Excel / CSV ledgers (.xlsx, .csv, Shift_JIS too), read inside this page and sent nowhere; add your own rule files (*.pms) to check them too.",
    sample: "Load the sample company 見本株式会社",
    template: "Download the template to fill in (Excel)",
    asOf: "As of",
    edition: "Edition",
    check: "Check",
    download: "Download the report (JSON)",
    downloadAs: "Save as:",
    upcoming: "Due in the next 90 days",
    bySeverity: "Gaps by severity",
    findings: "Findings",
    footer: "pms — a JIS Q 15001 / Privacy Mark records gap checker. It makes no network request.",
    loaded: (n, names) => `${n} file(s) loaded: ${names}`,
    sampleLoaded: "Loaded the sample company (embedded data)",
    resultsFor: (org, d) => `${org ?? ""} — results as of ${d}`,
    gaps: "Gaps", rootCauses: "Root causes (gaps to fix)", missing: "Not recorded", atRisk: "At risk", rulesFailed: "Rules with gaps", rulesPassed: "Rules passed",
    notAssessed: "Rules not assessed (no records)", next90: "Deadlines in 90 days", renewal: "Renewal application due",
    closed: "closed", open: "open",
    phase: { plan: "Plan", do: "Do", check: "Check", act: "Act" },
    status: { gap: "gap", at_risk: "at risk", passed: "passed", not_applicable: "not applicable", insufficient_data: "insufficient data" },
    severity: { critical: "critical", major: "major", minor: "minor", info: "info" },
    due: "Due", overdue: (n) => `${n} days overdue`, late: (d, n) => `done ${d} (${n} days late)`,
    fix: "How to fix", records: "Records involved", values: "Values that decided it", subject: "Subject",
    causes: "Findings this gap causes", causedBy: "Caused by",
    clause: "Clause", none: "none", sev: "Severity · basis", noFindings: "No findings.",
    errorTitle: "The records could not be read. Fix them and try again.",
    noDeadlines: "Nothing falls due in the next 90 days.",
  },
};

const $ = (id) => document.getElementById(id);
let lang = "ja";
let files = null; // [{name, text}] or null when the sample is used
let useSample = false;
let report = null;
let locations = {};
let checked = null; // the files of the report shown, for the summaries

const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
};

function applyLanguage() {
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll("[data-i18n]")) {
    const v = T[lang][node.dataset.i18n];
    if (typeof v === "string") node.textContent = v;
  }
  document.title = `pms — ${T[lang].title}`;
  if (report) render();
}

function showError(err) {
  const box = $("error");
  box.replaceChildren(el("strong", { text: T[lang].errorTitle }), el("pre", { text: String((lang === "ja" && err?.messageJa) || err?.message || err) }));
  if (err?.code) box.append(el("p", { text: [err.code, err.cell ? `${err.file}!${err.cell}` : err.file, !err.cell && err.line && `${err.line}:${err.column ?? ""}`, err.field].filter(Boolean).join(" · ") }));
  box.hidden = false;
}

// What the checker reads; other files found in a dropped or chosen folder are listed as not read.
const READABLE = /\.(json|ya?ml|pms|xlsx|xlsm|ods|csv|tsv)$/i;

async function readFiles(list) {
  const out = [];
  // Spreadsheets and CSV ledgers go as bytes (their encoding is detected in WebAssembly);
  // nothing leaves the page.
  for (const { name, file } of list) {
    if (/\.(xlsx|xlsm|ods|csv|tsv)$/i.test(name)) out.push({ name, bytes: new Uint8Array(await file.arrayBuffer()) });
    else out.push({ name, text: await file.text() });
  }
  return out;
}

// A FileSystemEntry's callback API as a promise.
const promised = (fn) => new Promise((resolve, reject) => fn(resolve, reject));

// The files of a drop as [{name, file}]: files, and folders read through their entries
// (every level; a name is the path inside the dropped folder, e.g. "台帳/教育記録.xlsx").
// The entries are taken before the first await: a drop's items are valid during the event only.
async function droppedFiles(dataTransfer) {
  const entries = [...(dataTransfer.items ?? [])].map((item) => item.webkitGetAsEntry?.()).filter(Boolean);
  if (!entries.length) return [...dataTransfer.files].map((file) => ({ name: file.name, file }));
  const out = [];
  const walk = async (entry) => {
    if (entry.isFile) {
      out.push({ name: entry.fullPath.replace(/^\//, ""), file: await promised((ok, fail) => entry.file(ok, fail)), inFolder: entry.fullPath.lastIndexOf("/") > 0 });
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      // readEntries gives a folder's entries in batches, then an empty one.
      for (let batch = await promised((ok, fail) => reader.readEntries(ok, fail)); batch.length; batch = await promised((ok, fail) => reader.readEntries(ok, fail))) {
        for (const child of batch) await walk(child);
      }
    }
  };
  for (const entry of entries) await walk(entry);
  return out;
}

// Files from <input>: a folder chosen with webkitdirectory names them by their relative path.
const inputFiles = (list) => [...list].map((file) => ({ name: file.webkitRelativePath || file.name, file, inFolder: Boolean(file.webkitRelativePath) }));

async function takeFiles(list) {
  if (!list || !list.length) return;
  // From a folder, only what pms reads; a file chosen by itself is always given to the checker
  // (which names it in an error when it cannot read it).
  const chosen = list.filter((f) => !f.inFolder || READABLE.test(f.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const skipped = list.filter((f) => !chosen.includes(f)).map((f) => f.name).sort();
  if (!chosen.length) {
    $("loaded").textContent = T[lang].skipped(skipped.join(", "));
    return;
  }
  files = await readFiles(chosen);
  useSample = false;
  $("loaded").textContent = T[lang].loaded(files.length, files.map((f) => f.name).join(", ")) + (skipped.length ? ` — ${T[lang].skipped(skipped.join(", "))}` : "");
  $("check").disabled = false;
  $("error").hidden = true;
}

// checkFiles returns a Promise: the ledger readers are loaded from ./pkg/ the first time a
// workbook or CSV is checked.
async function runCheck() {
  $("error").hidden = true;
  // Hidden until this check's report is rendered (it may wait for the ledger readers).
  $("results").hidden = true;
  // locate: where each finding's record is (file, line, column or cell), kept apart from the
  // report (the JSON download is the CLI's `--format json`) and given to SARIF only.
  const opts = { asOf: $("asof").value, edition: $("edition").value, lang, locate: true };
  try {
    report = useSample ? check(sampleCompany(), opts) : await checkFiles(files, opts);
    locations = report.locations ?? {};
    checked = useSample ? [{ name: "records.yaml", text: sampleCompany() }] : files;
    delete report.locations;
  } catch (e) {
    report = null;
    $("results").hidden = true;
    showError(e);
    return;
  }
  render();
}

function card(n, label, cls) {
  return el("div", { class: `card ${cls ?? ""}` }, el("div", { class: "n", text: String(n) }), el("div", { class: "l", text: label }));
}

function render() {
  const t = T[lang];
  const r = report;
  $("results").hidden = false;
  $("results-heading").textContent = t.resultsFor(r.organization, r.as_of);
  const renewal = r.deadlines.find((d) => d.rule_id === "R-CRT-02");
  $("summary").replaceChildren(
    card(r.summary.gaps, t.gaps, "gap"),
    card(r.summary.root_cause_gaps, t.rootCauses, "gap"),
    card(r.summary.at_risk, t.atRisk, "risk"),
    card(r.summary.rules_failed, t.rulesFailed, "gap"),
    card(r.summary.rules_passed, t.rulesPassed, "ok"),
    card(r.deadlines.length, t.next90, "risk"),
    card(r.summary.rules_insufficient_data, t.notAssessed),
    ...(renewal ? [card(renewal.due, t.renewal, "risk date")] : []),
  );
  const sev = ["critical", "major", "minor", "info"].filter((k) => r.summary.gaps_by_severity[k]);
  $("severity").replaceChildren(...sev.map((k) => el("span", { class: `badge sev ${k}`, text: `${t.severity[k]} ${r.summary.gaps_by_severity[k]}` })));
  $("phases").replaceChildren(
    ...r.phases.map((p) => {
      const share = p.rules ? Math.round((100 * p.rules_with_gaps) / p.rules) : 0;
      const fill = el("span");
      fill.style.width = `${share}%`;
      return el("div", { class: "phase" },
        el("strong", { text: t.phase[p.phase] }),
        el("div", { class: "meta", text: `${t.gaps} ${p.gaps} · ${t.atRisk} ${p.at_risk} · ${p.closed ? t.closed : t.open}` }),
        el("div", { class: "bar", role: "img", "aria-label": `${t.rulesFailed} ${share}%` }, fill));
    }),
  );
  const dl = $("deadlines");
  dl.replaceChildren(...r.deadlines.map((d) => el("li", { text: `${d.due} (${d.days_left}) ${d.rule_id} ${d.title[lang]} — ${d.subject ? `${d.subject.id} ${d.subject.display}` : ""}` })));
  if (!r.deadlines.length) dl.append(el("li", { text: t.noDeadlines }));

  const byId = new Map(r.findings.map((f) => [f.id, f]));
  const shown = r.findings.filter((f) => f.status !== "passed" && !f.caused_by && !(f.status === "insufficient_data" && !f.subject));
  const box = $("findings");
  box.replaceChildren();
  if (!shown.length) box.append(el("p", { text: t.noFindings }));
  for (const phase of ["plan", "do", "check", "act"]) {
    const inPhase = shown.filter((f) => f.phase === phase);
    if (!inPhase.length) continue;
    const group = el("div", { class: "group" }, el("h2", { text: t.phase[phase] }));
    const clauses = [...new Set(inPhase.map((f) => f.clause ?? ""))];
    for (const c of clauses) {
      group.append(el("h3", { text: `${t.clause} ${c || "—"}` }));
      for (const f of inPhase.filter((x) => (x.clause ?? "") === c)) {
        group.append(findingElement(f, byId, r));
      }
    }
    box.append(group);
  }
  const undetermined = r.findings.filter((f) => f.status === "insufficient_data" && !f.subject);
  if (undetermined.length) {
    box.append(el("h2", { text: t.notAssessed }), el("ul", {}, ...undetermined.map((f) => el("li", { text: `${f.rule_id} ${f.title[lang]} — ${f.message[lang]}` }))));
  }
}

function findingElement(f, byId, r) {
  const t = T[lang];
  const due = f.due ? `${t.due} ${f.due}${f.days_overdue ? ` · ${f.completed_on ? t.late(f.completed_on, f.days_overdue) : t.overdue(f.days_overdue)}` : ""}` : "";
  const summary = el("summary", {},
    el("span", { class: `badge ${f.status}`, text: t.status[f.status] }),
    el("span", {}, el("span", { class: "msg", text: f.message[lang] }), el("br"), el("span", { class: "meta", text: `${f.rule_id} ${f.title[lang]}${f.shishin ? ` · ${f.shishin}` : ""}` })),
    el("span", { class: "meta", text: due }));
  const body = el("div", { class: "body" });
  body.append(el("div", { class: "fix" }, el("strong", { text: `${t.fix}: ` }), f.fix[lang]));
  const rows = [];
  if (f.subject) rows.push([t.subject, `${f.subject.entity} ${f.subject.id} ${f.subject.display}`]);
  rows.push([t.sev, `${t.severity[f.severity]} · ${f.basis}`]);
  if (f.missing?.length) rows.push([t.missing, f.missing.join(", ")]);
  if (f.related.length) rows.push([t.records, f.related.map((x) => `${x.entity}:${x.id}`).join(", ")]);
  for (const [k, v] of Object.entries(f.values)) rows.push([k, Array.isArray(v) ? v.join(", ") || t.none : v == null ? t.none : String(v)]);
  body.append(el("table", {}, el("caption", { class: "meta", text: t.values }), ...rows.map(([k, v]) => el("tr", {}, el("th", { text: k }), el("td", { text: v })))));
  const rc = r.root_causes.find((x) => x.finding_id === f.id);
  if (rc) {
    body.append(el("p", { class: "meta", text: t.causes }));
    for (const id of rc.consequences) {
      const c = byId.get(id);
      if (c) body.append(el("div", { class: "consequence" }, findingElement(c, byId, r)));
    }
  }
  const d = el("details", { class: "finding", "data-finding": f.id }, summary, body);
  return d;
}

function download() {
  if (!report) return;
  const blob = new Blob([JSON.stringify(report, null, 2)], { type: "application/json" });
  const a = el("a", { href: URL.createObjectURL(blob), download: `pms-report-${report.as_of}.json` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

// Other formats of the same report, rendered in WebAssembly by pms-render: the same bytes as
// `pms check --format html|md|junit|ics|sarif|oscal-ar|oscal-poam`, in the page's language
// (file name extensions and media types as the CLI's `--output-dir`).
const FORMATS = {
  html: ["html", "text/html;charset=utf-8"],
  md: ["md", "text/markdown;charset=utf-8"],
  junit: ["junit.xml", "application/xml"],
  ics: ["ics", "text/calendar;charset=utf-8"],
  sarif: ["sarif", "application/sarif+json"],
  "oscal-ar": ["oscal-ar.json", "application/json"],
  "oscal-poam": ["oscal-poam.json", "application/json"],
};

function save(text, type, name) {
  const a = el("a", { href: URL.createObjectURL(new Blob([text], { type })), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

// The renewal application summaries (様式7, 様式8) of the records checked: `pms summary`.
async function downloadSummary(form, format) {
  if (!report) return;
  let text;
  try {
    text = await renderSummary(checked, Number(form), format, { asOf: report.as_of, lang });
  } catch (err) {
    showError(err);
    return;
  }
  save(text, format === "csv" ? "text/csv;charset=utf-8" : "text/markdown;charset=utf-8", `pms-form${form}-${report.as_of}.${format}`);
}

function downloadAs(format) {
  if (!report) return;
  const [ext, type] = FORMATS[format];
  let text;
  try {
    text = renderReport(format === "sarif" ? { ...report, locations } : report, format, lang);
  } catch (err) {
    showError(err);
    return;
  }
  save(text, type, `pms-report-${report.as_of}.${ext}`);
}

async function main() {
  await init();
  const today = new Date();
  $("asof").value = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, "0")}-${String(today.getDate()).padStart(2, "0")}`;
  $("lang").addEventListener("change", (e) => { lang = e.target.value; applyLanguage(); });
  const drop = $("drop");
  const input = $("files");
  drop.addEventListener("click", () => input.click());
  drop.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); input.click(); } });
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => { e.preventDefault(); drop.classList.remove("over"); droppedFiles(e.dataTransfer).then(takeFiles).catch(showError); });
  input.addEventListener("change", () => takeFiles(inputFiles(input.files)));
  const folder = $("folder");
  $("pick-folder").addEventListener("click", () => folder.click());
  folder.addEventListener("change", () => takeFiles(inputFiles(folder.files)));
  $("sample").addEventListener("click", () => {
    useSample = true;
    files = null;
    $("asof").value = "2026-03-31";
    $("loaded").textContent = T[lang].sampleLoaded;
    $("check").disabled = false;
    $("error").hidden = true;
  });
  $("check").addEventListener("click", runCheck);
  $("download").addEventListener("click", download);
  for (const b of document.querySelectorAll("button[data-format]")) b.addEventListener("click", () => downloadAs(b.dataset.format));
  for (const b of document.querySelectorAll("button[data-summary]")) b.addEventListener("click", () => downloadSummary(b.dataset.summary, b.dataset.summaryFormat));
  applyLanguage();
  document.body.dataset.ready = "true";
}

main().catch(showError);

"""pms — check Privacy Mark / JIS Q 15001 records for gaps (プライバシーマーク記録点検).

>>> import pms
>>> report = pms.check(pms.sample_company(), as_of="2026-03-31")
>>> report.summary["gaps"] > 0
True

All behaviour lives in the Rust core; this package translates Python values to it and
wraps the JSON it returns in typed objects. The GIL is released while the engine works.
"""

from __future__ import annotations

import datetime as _dt
import html as _html
import json as _json
import os as _os
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, List, Mapping, NoReturn, Optional, Sequence, Tuple, TypeVar, Union

from . import _many, _pms

__all__ = [
    "check",
    "check_many",
    "load",
    "RecordSet",
    "validate",
    "rules",
    "graph",
    "schema",
    "sample_company",
    "template",
    "export",
    "Ruleset",
    "Report",
    "Finding",
    "PmsError",
    "RecordsError",
    "RulesError",
    "OptionsError",
    "InternalError",
    "DEFAULT_EDITION",
    "diff",
    "summary",
]

__version__: str = _pms.__version__

DEFAULT_EDITION = "jisq15001:2023"

Records = Union[str, "os.PathLike[str]", Mapping[str, Any]]
RuleFiles = Union[str, "os.PathLike[str]", Sequence[Union[str, "os.PathLike[str]"]]]
AsOf = Union[_dt.date, str, None]


class PmsError(Exception):
    """A problem with the input (records, rules or options).

    ``code``, ``file``, ``line``, ``column``, ``field`` and ``help`` describe the first
    diagnostic, ``message_ja`` and ``help_ja`` are its texts in Japanese; ``diagnostics``
    holds all of them as dicts (``message`` and ``message_ja``, ``help`` and ``help_ja`` …).
    ``str(error)`` is the text ``pms --lang en`` prints; ``error.text("ja")`` the Japanese
    one (``text()`` without a language: Japanese, as the command line's default).
    """

    def __init__(self, rendered: str, diagnostics: List[Dict[str, Any]], rendered_ja: Optional[str] = None):
        super().__init__(rendered.rstrip())
        self.rendered_ja: str = (rendered_ja or rendered).rstrip()
        self.diagnostics: List[Dict[str, Any]] = diagnostics
        first = diagnostics[0] if diagnostics else {}
        loc = first.get("location") or {}
        self.code: Optional[str] = first.get("code")
        self.message: Optional[str] = first.get("message")
        self.message_ja: Optional[str] = first.get("message_ja", self.message)
        self.help: Optional[str] = first.get("help")
        self.help_ja: Optional[str] = first.get("help_ja", self.help)
        self.file: Optional[str] = loc.get("file")
        self.line: Optional[int] = loc.get("line")
        self.column: Optional[int] = loc.get("column")
        self.field: Optional[str] = loc.get("field")
        self.pointer: Optional[str] = loc.get("pointer")
        self.cell: Optional[str] = loc.get("cell")

    def text(self, lang: str = "ja") -> str:
        """The diagnostics rendered as the command line shows them, in ``lang`` (ja or en)."""
        return str(self) if _lang(lang) == "en" else self.rendered_ja


class RecordsError(PmsError):
    """The records are invalid or cannot be read (codes E1xxx)."""


class RulesError(PmsError):
    """A rule file does not compile (codes E2xxx)."""


class OptionsError(PmsError):
    """An option is invalid: date, edition, language, parameter (codes E2012, E3xxx)."""


class InternalError(PmsError):
    """A bug in pms itself (code E9001), caught before it could take the process down;
    pms stays usable."""


_ERRORS = {"records": RecordsError, "rules": RulesError, "options": OptionsError, "internal": InternalError}


def _raise(err: BaseException) -> NoReturn:
    kind, rendered, diags, rendered_ja = err.args
    raise _ERRORS.get(kind, PmsError)(rendered, _json.loads(diags), rendered_ja) from None


def _call(fn: Any, *args: Any) -> Any:
    try:
        return fn(*args)
    except _pms.NativeError as e:
        _raise(e)


def _json_default(v: Any) -> Any:
    if isinstance(v, (_dt.date, _dt.datetime)):
        return v.isoformat()[:10]
    if isinstance(v, (set, frozenset, tuple)):
        return list(v)
    if hasattr(v, "item") and hasattr(v, "dtype"):  # a numpy scalar (a cell of a DataFrame)
        return v.item()
    if hasattr(v, "tolist") and hasattr(v, "dtype"):  # a numpy array (a list cell)
        return v.tolist()
    raise TypeError(f"records hold a value pms cannot read: {type(v).__name__} {v!r}")


def _is_table(v: Any) -> bool:
    """A pandas or polars DataFrame (duck-typed: no import of either is needed)."""
    return hasattr(v, "columns") and (hasattr(v, "itertuples") or hasattr(v, "iter_rows"))


def _cell(v: Any) -> Any:
    if v is None or type(v).__name__ in ("NaTType", "NAType"):
        return None
    if isinstance(v, float) and v != v:  # NaN
        return None
    if isinstance(v, (_dt.date, _dt.datetime)):
        return v.isoformat()[:10]
    if hasattr(v, "isoformat") and hasattr(v, "year"):  # pandas Timestamp
        return str(v.isoformat())[:10]
    if hasattr(v, "item") and not isinstance(v, (list, tuple, str)):  # numpy scalars
        return _cell(v.item())
    if isinstance(v, (list, tuple, set, frozenset)) or hasattr(v, "tolist"):
        items = v.tolist() if hasattr(v, "tolist") else list(v)
        return [str(_cell(i)) for i in items if _cell(i) is not None]
    return v


def _table(df: Any) -> Dict[str, Any]:
    columns = [str(c) for c in df.columns]
    if hasattr(df, "iter_rows"):  # polars
        rows = [[_cell(v) for v in r] for r in df.iter_rows()]
    else:  # pandas
        rows = [[_cell(v) for v in r] for r in df.itertuples(index=False, name=None)]
    return {"columns": columns, "rows": rows}


def _records_payload(records: Any) -> Tuple[str, str]:
    if isinstance(records, Mapping):
        if any(_is_table(v) for v in records.values()):
            payload = {
                "records": {k: v for k, v in records.items() if not _is_table(v)},
                "tables": {k: _table(v) for k, v in records.items() if _is_table(v)},
            }
            return "tables", _json.dumps(payload, ensure_ascii=False, default=_json_default)
        return "json", _json.dumps(records, ensure_ascii=False, default=_json_default)
    if isinstance(records, _os.PathLike):
        return "path", _os.fspath(records)
    if isinstance(records, str):
        text = records.lstrip()
        if text.startswith(("{", "[", '"')):
            return "json", records
        if "\n" in records or "\r" in records:
            return "yaml", records
        return "path", records
    raise TypeError(
        "records must be a path (str or os.PathLike), a dict of entity lists, or JSON/YAML text, "
        f"not {type(records).__name__}"
    )


def _as_of(as_of: Any) -> str:
    if as_of is None:
        return _dt.date.today().isoformat()
    if isinstance(as_of, _dt.datetime):
        return as_of.date().isoformat()
    if isinstance(as_of, _dt.date):
        return as_of.isoformat()
    if isinstance(as_of, str):
        return as_of
    raise TypeError(f"as_of must be a datetime.date, an ISO date string or None, not {type(as_of).__name__}")


def _params(params: Optional[Mapping[str, Any]]) -> List[Tuple[str, str]]:
    if params is None:
        return []
    if not isinstance(params, Mapping):
        raise TypeError(f"params must be a dict of name → value, not {type(params).__name__}")
    out = []
    for k, v in params.items():
        if not isinstance(k, str):
            raise TypeError(f"parameter names must be text, not {type(k).__name__}")
        if isinstance(v, bool):
            v = "true" if v else "false"
        elif isinstance(v, (_dt.date, _dt.datetime)):
            v = v.isoformat()[:10]
        out.append((k, str(v)))
    return out


def _rule_sources(rules: Optional[Iterable[Any]], max_input_size: Optional[int] = None) -> List[Tuple[str, str]]:
    if rules is None:
        return []
    if isinstance(rules, (str, _os.PathLike)):
        rules = [rules]
    out = []
    for i, r in enumerate(rules):
        if isinstance(r, _os.PathLike) or (isinstance(r, str) and "\n" not in r and "{" not in r):
            path = _os.fspath(r)
            # The core's bounded reader: regular files only, within max_input_size.
            out.append((path, _call(_pms.read_rule_file, path, max_input_size)))
        elif isinstance(r, str):
            out.append((f"<rules {i + 1}>", r))
        else:
            raise TypeError(f"rules must be paths or rule text, not {type(r).__name__}")
    return out


def _lang(lang: str) -> str:
    if not isinstance(lang, str):
        raise TypeError(f"lang must be 'ja' or 'en', not {type(lang).__name__}")
    return lang


def _date(v: Optional[str]) -> Optional[_dt.date]:
    return _dt.date.fromisoformat(v) if v else None


@dataclass(frozen=True)
class Finding:
    """One result of one rule for one record (a gap, at-risk item, …)."""

    id: str
    rule_id: str
    status: str
    severity: str
    phase: str
    basis: str
    clause: Optional[str]
    shishin: Optional[str]
    title: str
    message: str
    fix: str
    subject: Optional[Dict[str, str]]
    related: List[Dict[str, str]]
    values: Dict[str, Any]
    due: Optional[_dt.date]
    days_overdue: Optional[int]
    completed_on: Optional[_dt.date]
    caused_by: Optional[str]
    missing: List[str]
    raw: Dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def _from(cls, d: Dict[str, Any], lang: str) -> "Finding":
        return cls(
            id=d["id"],
            rule_id=d["rule_id"],
            status=d["status"],
            severity=d["severity"],
            phase=d["phase"],
            basis=d["basis"],
            clause=d.get("clause"),
            shishin=d.get("shishin"),
            title=d["title"][lang],
            message=d["message"][lang],
            fix=d["fix"][lang],
            subject=d.get("subject"),
            related=d.get("related", []),
            values=d.get("values", {}),
            due=_date(d.get("due")),
            days_overdue=d.get("days_overdue"),
            completed_on=_date(d.get("completed_on")),
            caused_by=d.get("caused_by"),
            missing=d.get("missing", []),
            raw=d,
        )

    @property
    def subject_id(self) -> Optional[str]:
        """Id of the record concerned."""
        return self.subject["id"] if self.subject else None

    @property
    def overdue(self) -> bool:
        """Whether the finding is a gap past its deadline."""
        return self.days_overdue is not None and self.days_overdue > 0


_STATUS_JA = {"gap": "不備", "at_risk": "期限間近", "passed": "適合", "not_applicable": "対象外", "insufficient_data": "判定不能"}
_PHASE_JA = {"plan": "計画 (Plan)", "do": "実施 (Do)", "check": "点検 (Check)", "act": "見直し (Act)"}


class Report:
    """The result of a check: findings, summaries, root causes and upcoming deadlines."""

    def __init__(self, raw_json: str, lang: str = "ja", locations_json: str = "{}"):
        self._json = raw_json
        # Where the findings' records are (records checked from files), for SARIF only: the
        # report's JSON stays the same as every other host's.
        self._locations_json = locations_json
        self._parsed: Optional[Dict[str, Any]] = None
        self._findings: Optional[List[Finding]] = None
        self.lang = lang

    @property
    def _data(self) -> Dict[str, Any]:
        # Parsed on first use: a caller that only writes the JSON out pays nothing.
        if self._parsed is None:
            self._parsed = _json.loads(self._json)
        return self._parsed

    @property
    def findings(self) -> List[Finding]:
        """Every finding (gaps, at-risk, undetermined; passed ones when asked for)."""
        if self._findings is None:
            self._findings = [Finding._from(f, self.lang) for f in self._data["findings"]]
        return self._findings

    as_of = property(lambda self: _dt.date.fromisoformat(self._data["as_of"]), doc="Evaluation date.")
    edition = property(lambda self: self._data["edition"], doc="Edition whose clause numbers are shown.")
    organization = property(lambda self: self._data.get("organization"), doc="Company name.")
    summary = property(lambda self: self._data["summary"], doc="Totals (rules failed, gaps, gaps by severity …).")
    phases = property(lambda self: self._data["phases"], doc="Per PDCA phase: gaps, at risk, closed.")
    clauses = property(lambda self: self._data["clauses"], doc="Per clause of the edition.")
    coverage = property(lambda self: self._data["coverage"], doc="Per rule: status and counts.")
    root_causes = property(lambda self: self._data["root_causes"], doc="Root findings and what they explain.")
    deadlines = property(lambda self: self._data["deadlines"], doc="Upcoming deadlines in date order.")

    @property
    def gaps(self) -> List[Finding]:
        """Findings with status ``gap``."""
        return [f for f in self.findings if f.status == "gap"]

    def to_dict(self) -> Dict[str, Any]:
        """The report as plain Python data (a fresh copy)."""
        return _json.loads(self._json)

    def to_json(self) -> str:
        """The report as JSON, byte-identical to ``pms check --format json``."""
        return self._json

    def _rows(self) -> List[Dict[str, Any]]:
        return [
            {
                "id": f.id,
                "rule_id": f.rule_id,
                "status": f.status,
                "severity": f.severity,
                "phase": f.phase,
                "clause": f.clause,
                "subject_entity": f.subject["entity"] if f.subject else None,
                "subject_id": f.subject_id,
                "subject": f.subject["display"] if f.subject else None,
                "title": f.title,
                "message": f.message,
                "fix": f.fix,
                "due": f.due,
                "days_overdue": f.days_overdue,
                "caused_by": f.caused_by,
                "missing": ", ".join(f.missing),
            }
            for f in self.findings
        ]

    def to_pandas(self) -> Any:
        """The findings as a pandas DataFrame (needs ``pip install pandas``)."""
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("to_pandas() needs pandas: pip install 'pms[pandas]'") from None
        df = pd.DataFrame(self._rows())
        if len(df):
            df["due"] = pd.to_datetime(df["due"])
        return df

    def to_polars(self) -> Any:
        """The findings as a polars DataFrame (needs ``pip install polars``)."""
        try:
            import polars as pl
        except ImportError:
            raise ImportError("to_polars() needs polars: pip install 'pms[polars]'") from None
        return pl.DataFrame(self._rows())

    # Other formats, rendered from the JSON report by pms-render (the same bytes as
    # `pms check --format …` / `pms report`). `lang` None keeps the report's language.
    def render(self, format: str, lang: Optional[str] = None) -> bytes:
        """The report in a format: ``html``, ``md``, ``junit``, ``ics``, ``text``, ``json`` …"""
        source = self._json
        if format == "sarif" and self._locations_json != "{}":
            located = dict(self._data)
            located["locations"] = _json.loads(self._locations_json)
            source = _json.dumps(located, ensure_ascii=False)
        return bytes(_call(_pms.render_report, source, format, lang))

    def to_html(self, lang: Optional[str] = None) -> str:
        """One self-contained HTML page (inline CSS and SVG, prints on A4)."""
        return self.render("html", lang).decode("utf-8")

    def to_markdown(self, lang: Optional[str] = None) -> str:
        """Markdown for wikis and pull requests."""
        return self.render("md", lang).decode("utf-8")

    def to_junit(self, lang: Optional[str] = None) -> str:
        """JUnit XML: one test case per rule and subject, failures for gaps."""
        return self.render("junit", lang).decode("utf-8")

    def to_ics(self, lang: Optional[str] = None) -> str:
        """The deadlines ahead as an iCalendar (RFC 5545) with stable UIDs."""
        return self.render("ics", lang).decode("utf-8")

    def to_oscal_ar(self, lang: Optional[str] = None) -> str:
        """OSCAL 1.1.x assessment results (JSON): one finding per gap or at-risk subject,
        targeting the controls of ``pms rules export --format oscal``."""
        return self.render("oscal-ar", lang).decode("utf-8")

    def to_oscal_poam(self, lang: Optional[str] = None) -> str:
        """OSCAL 1.1.x plan of action and milestones (JSON): one item per open gap, its
        deadline as the milestone."""
        return self.render("oscal-poam", lang).decode("utf-8")

    def to_sarif(self, lang: Optional[str] = None) -> str:
        """SARIF 2.1.0 (JSON): findings at their records' file, line and column (records
        checked from files), for code scanning."""
        return self.render("sarif", lang).decode("utf-8")

    def diff(self, later: "Report") -> Dict[str, Any]:
        """What changed from this report to a later one (see :func:`pms.diff`)."""
        return diff(self, later)

    def __repr__(self) -> str:
        s = self.summary
        return (
            f"<pms.Report {self.organization or ''} as of {self._data['as_of']}: "
            f"{s['gaps']} gaps, {s['at_risk']} at risk; rules {s['rules_failed']} failed / "
            f"{s['rules_passed']} passed / {s['rules_insufficient_data']} not assessed>"
        )

    def _repr_html_(self) -> str:
        ja = self.lang == "ja"
        e = _html.escape
        s = self.summary
        out = [
            "<div class='pms-report'>",
            f"<h3>{e(self.organization or '')} — {'基準日' if ja else 'as of'} {e(self._data['as_of'])}</h3>",
            f"<p>{'不備' if ja else 'Gaps'}: <b>{s['gaps']}</b> · {'期限間近' if ja else 'At risk'}: <b>{s['at_risk']}</b></p>",
        ]
        head = ["状態", "ルール", "条項", "対象", "内容", "期限"] if ja else ["Status", "Rule", "Clause", "Subject", "Message", "Due"]
        for phase in ["plan", "do", "check", "act"]:
            rows = [f for f in self.findings if f.phase == phase and f.status != "passed"]
            if not rows:
                continue
            out.append(f"<h4>{e(_PHASE_JA[phase] if ja else phase.capitalize())}</h4>")
            out.append("<table><thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead><tbody>")
            for f in rows:
                status = _STATUS_JA.get(f.status, f.status) if ja else f.status.replace("_", " ")
                subj = e(f"{f.subject['id']} {f.subject['display']}") if f.subject else ""
                due = e(str(f.due)) if f.due else ""
                if f.days_overdue:
                    due += f" <b>(+{f.days_overdue})</b>"
                out.append(
                    f"<tr><td>{e(status)}</td><td>{e(f.rule_id)}<br><small>{e(f.title)}</small></td>"
                    f"<td>{e(f.clause or '')}</td><td>{subj}</td><td>{e(f.message)}<br><small>→ {e(f.fix)}</small></td>"
                    f"<td>{due}</td></tr>"
                )
            out.append("</tbody></table>")
        out.append("</div>")
        return "".join(out)


Progress = Callable[[Dict[str, Any]], Any]
"""A progress callback: called with one dict per step of a load or check —
``{"event": "reading", "file", "index", "count", "bytes"}``, ``{"event": "records", "loaded"}``
or ``{"event": "rules", "done", "total"}`` — possibly from a worker thread."""


def _max_input_size(v: Optional[int]) -> Optional[int]:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        raise TypeError(f"max_input_size takes a number of bytes, 0 or more (0: no limit), not {v!r}")
    return v


def _progress(cb: Optional[Progress]) -> Optional[Progress]:
    if cb is not None and not callable(cb):
        raise TypeError(f"progress must be a callable taking one dict, not {type(cb).__name__}")
    return cb


def _bounds(max_input_size: Optional[int], progress: Optional[Progress]) -> Tuple[Optional[int], Optional[Progress]]:
    """The checked ``max_input_size`` and ``progress`` of a call that reads records."""
    return _max_input_size(max_input_size), _progress(progress)


_BOUNDS_DOC = """
    ``max_input_size`` bounds what is read in bytes (default 1 GiB, 0: no limit); ``progress``
    is called with a dict per step of loading and checking (see :data:`Progress`)."""

_F = TypeVar("_F", bound=Callable[..., Any])


def _documents_bounds(fn: _F) -> _F:
    """Adds the documentation of ``max_input_size`` and ``progress`` to a function's."""
    fn.__doc__ = (fn.__doc__ or "").rstrip() + "\n" + _BOUNDS_DOC
    return fn


class RecordSet:
    """Records loaded and validated once, to be checked any number of times (for example
    at several ``as_of`` dates, or by several rulesets) without reading them again.

    Made by :func:`load`; ``len()`` is the number of records and :attr:`counts` the number
    per entity.
    """

    def __init__(
        self,
        records: Records,
        ruleset: Optional["Ruleset"] = None,
        max_input_size: Optional[int] = None,
        progress: Optional[Progress] = None,
    ):
        kind, payload = _records_payload(records)
        bounds = _bounds(max_input_size, progress)
        if ruleset is None:
            self._loaded = _call(_pms.load_records, kind, payload, *bounds)
        else:
            self._loaded = _call(ruleset._program.load, kind, payload, *bounds)

    @property
    def counts(self) -> Dict[str, int]:
        """The number of records of each entity present."""
        return dict(_json.loads(self._loaded.counts()))

    def __len__(self) -> int:
        return len(self._loaded)

    def __repr__(self) -> str:
        return f"<pms.RecordSet {len(self)} records, {len(self.counts)} entities>"


@_documents_bounds
def load(
    records: Records,
    ruleset: Optional["Ruleset"] = None,
    *,
    max_input_size: Optional[int] = None,
    progress: Optional[Progress] = None,
) -> RecordSet:
    """Loads and validates records once (a path, a dict or JSON / YAML text); raises
    :class:`RecordsError` with every problem found. With a ``ruleset``, records may carry the
    extension fields its rule files declare (``extend inventory { … }``)."""
    if ruleset is not None and not isinstance(ruleset, Ruleset):
        raise TypeError(f"ruleset must be a pms.Ruleset, not {type(ruleset).__name__}")
    return RecordSet(records, ruleset, max_input_size, progress)


def _threads(threads: int) -> int:
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 0:
        raise TypeError(f"threads takes a whole number of threads, 0 or more (0: one per core), not {threads!r}")
    return threads


def _only(only: Optional[Iterable[str]]) -> List[str]:
    if only is None:
        return []
    if isinstance(only, str):
        return [only]
    out = list(only)
    for r in out:
        if not isinstance(r, str):
            raise TypeError(f"only takes rule ids such as 'R-TRN-01', not {type(r).__name__}")
    if not out or any(not r.strip() for r in out):
        # The same error as the command line's `--only ""` and JS's `only: []`.
        diag = {"code": "E3001", "level": "error", "message": "the rule list of `only` names no rule", "message_ja": "`only` のルール一覧にルールがない", "help": "give rule ids such as R-TRN-01, or leave `only` out to check every rule", "help_ja": "R-TRN-01 のようなルール id を書くか、`only` を外してすべてのルールを点検する"}
        raise OptionsError(f"error[E3001]: {diag['message']}\n  = help: {diag['help']}", [diag], f"error[E3001]: {diag['message_ja']}\n  = help: {diag['help_ja']}")
    return out


class Ruleset:
    """Rules compiled once (built-in packs plus your rule files) and checked many times.

    A Ruleset is safe to share between threads, and it pickles (it is rebuilt from its
    sources), so it works with ``multiprocessing`` and distributed schedulers.
    """

    def __init__(
        self,
        edition: str = DEFAULT_EDITION,
        rules: Optional[RuleFiles] = None,
        params: Optional[Mapping[str, Any]] = None,
        lang: str = "ja",
        max_input_size: Optional[int] = None,
    ):
        if not isinstance(edition, str):
            raise TypeError(f"edition must be text such as {DEFAULT_EDITION!r}, not {type(edition).__name__}")
        self.edition = edition
        self.lang = _lang(lang)
        self._sources = _rule_sources(rules, _max_input_size(max_input_size))
        self._params = _params(params)
        self._program = _call(_pms.Program, self._sources)

    def __reduce__(self) -> Tuple[Any, Tuple[Any, ...]]:
        return (_rebuild, (self.edition, self._sources, self._params, self.lang))

    def _options(
        self,
        as_of: AsOf,
        lang: Optional[str],
        params: Optional[Mapping[str, Any]],
        include_passed: bool,
        only: Optional[Iterable[str]],
        threads: int,
    ) -> Tuple[Any, ...]:
        """The check options as the engine takes them: the ruleset's language and parameters
        unless the call gives its own."""
        merged = dict(self._params)
        merged.update(_params(params))
        lang = _lang(lang or self.lang)
        return (_as_of(as_of), self.edition, lang, list(merged.items()), bool(include_passed), _only(only), _threads(threads))

    @_documents_bounds
    def check(
        self,
        records: Union[Records, RecordSet],
        *,
        as_of: AsOf = None,
        lang: Optional[str] = None,
        params: Optional[Mapping[str, Any]] = None,
        include_passed: bool = False,
        only: Optional[Iterable[str]] = None,
        threads: int = 0,
        max_input_size: Optional[int] = None,
        progress: Optional[Progress] = None,
    ) -> Report:
        """Checks records: a :class:`RecordSet` from :func:`load`, a path (file or
        directory), a dict, or JSON / YAML text. ``only`` limits the check to these rule ids;
        ``threads`` is how many threads evaluate rules (0: one per core for large record sets,
        1: the calling thread only). The report is the same whatever the number."""
        options = self._options(as_of, lang, params, include_passed, only, threads)
        lang = options[2]
        limit, cb = _bounds(max_input_size, progress)
        if isinstance(records, RecordSet):
            raw, locations = _call(self._program.check_loaded, records._loaded, options, cb)
        else:
            kind, payload = _records_payload(records)
            raw, locations = _call(self._program.check, kind, payload, options, limit, cb)
        return Report(raw, lang, locations)

    def check_many(
        self,
        sources: Any,
        *,
        as_of: AsOf = None,
        lang: Optional[str] = None,
        params: Optional[Mapping[str, Any]] = None,
        include_passed: bool = False,
        only: Optional[Iterable[str]] = None,
        threads: int = 0,
        processes: Optional[int] = None,
        output: str = "pandas",
    ) -> Any:
        """Checks many companies at one date and returns one findings table with a
        ``company`` column; see :func:`pms.check_many`."""
        from . import _many

        if output not in _many.OUTPUTS:
            raise ValueError(f"output must be one of {', '.join(_many.OUTPUTS)}, not {output!r}")
        if processes is not None and (isinstance(processes, bool) or not isinstance(processes, int) or processes < 1):
            raise TypeError(f"processes takes a whole number of processes, 1 or more (or None), not {processes!r}")
        options = self._options(as_of, lang, params, include_passed, only, threads)
        names, records = _many.companies(sources)
        return _many.frame(_many.table(self, names, records, options, options[6], processes), output)

    @_documents_bounds
    def load(
        self,
        records: Records,
        *,
        max_input_size: Optional[int] = None,
        progress: Optional[Progress] = None,
    ) -> RecordSet:
        """Loads and validates records once, with the extension fields this ruleset's rule
        files declare; check the result with :meth:`check` at any date."""
        return RecordSet(records, self, max_input_size, progress)

    def summary(
        self,
        records: Records,
        *,
        form: int,
        as_of: AsOf = None,
        format: str = "md",
        lang: Optional[str] = None,
    ) -> Union[str, bytes]:
        """A renewal application summary of ``records`` over the two years up to ``as_of``
        (see :func:`pms.summary`)."""
        if isinstance(form, bool) or form not in (7, 8):
            raise TypeError(f"form is 7 (training) or 8 (internal audits and reviews), not {form!r}")
        kind, payload = _records_payload(records)
        out = bytes(_call(self._program.summary, kind, payload, (form, _as_of(as_of), _lang(lang or self.lang), format)))
        return out if format == "xlsx" else out.decode("utf-8")

    def rules(self) -> List[Dict[str, Any]]:
        """The catalogue of this ruleset as a list of dicts, numbered by its edition."""
        return list(_json.loads(_call(self._program.rules, self.edition)))

    def graph(self, format: str = "dot") -> str:
        """The PDCA graph of activities and rules, as DOT or Mermaid."""
        return str(_call(self._program.graph, format))

    def __repr__(self) -> str:
        return f"<pms.Ruleset {self.edition}, {len(_json.loads(self._program.rules(DEFAULT_EDITION)))} rules, {len(self._sources)} user files>"


# Programs rebuilt from pickles, by their rule sources: a worker that receives the same
# Ruleset with every task compiles it once. Programs are immutable and shared across threads.
_PROGRAMS: Dict[Tuple[Tuple[str, str], ...], Any] = {}


def _rebuild(edition: str, sources: List[Tuple[str, str]], params: List[Tuple[str, str]], lang: str) -> Ruleset:
    rs = Ruleset.__new__(Ruleset)
    rs.edition, rs.lang, rs._sources, rs._params = edition, lang, sources, params
    key = tuple((str(n), str(t)) for n, t in sources)
    program = _PROGRAMS.get(key)
    if program is None:
        program = _PROGRAMS.setdefault(key, _call(_pms.Program, sources))
        while len(_PROGRAMS) > 16:  # the oldest go first
            _PROGRAMS.pop(next(iter(_PROGRAMS)))
    rs._program = program
    return rs


_DEFAULT: Optional[Ruleset] = None


def _default() -> Ruleset:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Ruleset()
    return _DEFAULT


@_documents_bounds
def check(
    records: Union[Records, RecordSet],
    *,
    as_of: AsOf = None,
    edition: str = DEFAULT_EDITION,
    rules: Optional[RuleFiles] = None,
    params: Optional[Mapping[str, Any]] = None,
    lang: str = "ja",
    include_passed: bool = False,
    only: Optional[Iterable[str]] = None,
    threads: int = 0,
    max_input_size: Optional[int] = None,
    progress: Optional[Progress] = None,
) -> Report:
    """Checks records against the built-in rules (and yours) and returns a :class:`Report`.

    ``records`` is a path (file or directory), a dict of entity lists, or JSON / YAML text;
    ``as_of`` a ``datetime.date`` or ISO string (default: today).
    """
    if rules is None and edition == DEFAULT_EDITION:
        rs = _default()
    else:
        rs = Ruleset(edition=edition, rules=rules, max_input_size=max_input_size)
    return rs.check(records, as_of=as_of, lang=lang, params=params, include_passed=include_passed, only=only, threads=threads, max_input_size=max_input_size, progress=progress)


def check_many(
    sources: Any,
    *,
    as_of: AsOf = None,
    ruleset: Optional[Ruleset] = None,
    lang: Optional[str] = None,
    params: Optional[Mapping[str, Any]] = None,
    include_passed: bool = False,
    only: Optional[Iterable[str]] = None,
    threads: int = 0,
    processes: Optional[int] = None,
    output: str = "pandas",
) -> Any:
    """Checks many companies at one date and returns one findings table.

    ``sources`` is a dict of company name → records, or a list of records: paths (a company
    is named by its directory, or its file name without suffix), dicts of entity lists or
    DataFrames (named by their organization), JSON / YAML text. The table has the columns of
    :meth:`Report.to_pandas` after a ``company`` column, and ``code``, ``file``, ``line``,
    ``column``, ``field``: a company whose records are bad gives one row per problem with
    status ``error`` instead of raising, and the others are checked all the same. Rows are in
    the order of the companies, then of each report's findings.

    The companies are checked in Rust on ``threads`` threads (0: one per core) with the GIL
    released, each company on one thread. ``processes=n`` spreads them over ``n`` worker
    processes as well (each with ``threads`` threads, or its share of the cores): worth it only
    when turning many Python dicts or DataFrames into records is the slow part. ``output`` is
    ``pandas`` (default), ``polars``, ``arrow`` (a ``pyarrow.Table``) or ``rows`` (a list of
    dicts). Bad options (a date, a rule id of ``only``, a parameter) raise
    :class:`OptionsError` before anything is checked.
    """
    if ruleset is None:
        ruleset = _default()
    elif not isinstance(ruleset, Ruleset):
        raise TypeError(f"ruleset must be a pms.Ruleset, not {type(ruleset).__name__}")
    return ruleset.check_many(sources, as_of=as_of, lang=lang, params=params, include_passed=include_passed,
                              only=only, threads=threads, processes=processes, output=output)


@_documents_bounds
def validate(
    records: Records,
    *,
    max_input_size: Optional[int] = None,
    progress: Optional[Progress] = None,
) -> Dict[str, int]:
    """Validates records; returns the number of records per entity or raises RecordsError."""
    kind, payload = _records_payload(records)
    return dict(_json.loads(_call(_pms.validate, kind, payload, *_bounds(max_input_size, progress))))


def rules(edition: str = DEFAULT_EDITION) -> List[Dict[str, Any]]:
    """The built-in rule catalogue as a list of dicts (clauses for every edition)."""
    if not isinstance(edition, str):
        raise TypeError("edition must be text")
    return list(_json.loads(_call(_default()._program.rules, edition)))


def graph(format: str = "dot") -> str:
    """The PDCA graph as ``dot`` or ``mermaid`` text."""
    return _default().graph(format)


def schema(which: str = "records") -> Dict[str, Any]:
    """A JSON Schema: ``records``, ``report`` or ``diagnostics``."""
    return dict(_json.loads(_call(_pms.schema, which)))


def sample_company() -> str:
    """The embedded sample company 見本株式会社 as YAML text (check it as of 2026-03-31)."""
    return str(_pms.sample_company()[1])


def diff(before: Union[Report, str, "os.PathLike[str]"], after: Union[Report, str, "os.PathLike[str]"], format: str = "json", lang: str = "ja") -> Any:
    """Gaps closed, new and still open, and deadlines moved between two reports.

    ``before`` and ``after`` are reports or paths of saved JSON reports. ``format="json"``
    returns a dict; ``format="text"`` the text of ``pms diff``.
    """

    def text(r: Union[Report, str, "os.PathLike[str]"]) -> str:
        if isinstance(r, Report):
            return r.to_json()
        with open(r, encoding="utf-8") as f:
            return f.read()

    out = _call(_pms.diff_reports, text(before), text(after), format, lang)
    return _json.loads(out) if format == "json" else out


def summary(
    records: Records,
    *,
    form: int,
    as_of: AsOf = None,
    format: str = "md",
    lang: str = "ja",
    rules: Optional[RuleFiles] = None,
) -> Union[str, bytes]:
    """The renewal application's summary: ``form=7`` 教育実施サマリー (training sessions with
    attendees, absentees and their make-up) or ``form=8`` 内部監査・マネジメントレビュー実施
    サマリー (audits with findings and corrective actions, reviews with inputs and outputs),
    over the two years up to ``as_of``. Missing records show as 「記録なし（rule）」, and the
    gaps of the form's rules follow. ``format`` is ``md`` or ``csv`` (text) or ``xlsx`` (bytes).
    """
    rs = _default() if rules is None else Ruleset(rules=rules)
    return rs.summary(records, form=form, as_of=as_of, format=format, lang=lang)


def _write_workbook(data: bytes, path: Any) -> Optional[bytes]:
    if path is None:
        return bytes(data)
    if not isinstance(path, (str, _os.PathLike)):
        raise TypeError(f"path must be a file path (str or os.PathLike) or None, not {type(path).__name__}")
    with open(_os.fspath(path), "wb") as f:
        f.write(data)
    return None


def template(path: Any = None, sample: bool = False) -> Optional[bytes]:
    """Writes the workbook to fill in (Excel .xlsx) to ``path``: one sheet per ledger with
    Japanese headers, drop-down lists and help, and a first sheet explaining how to fill it.
    With ``sample=True`` it holds the sample company 見本株式会社. Without a path, returns the
    workbook's bytes."""
    if not isinstance(sample, bool):
        raise TypeError(f"sample must be True or False, not {sample!r}")
    return _write_workbook(_call(_pms.template_workbook, sample), path)


def export(records: Any, path: Any = None) -> Optional[bytes]:
    """Writes records (a path, a dict of entity lists, JSON / YAML text or a
    :class:`RecordSet`) to ``path`` as a workbook in the template's layout; raises
    :class:`RecordsError` when they are invalid. Without a path, returns the workbook's
    bytes."""
    if isinstance(records, RecordSet):
        data = _call(_pms.export_loaded, records._loaded)
    else:
        kind, payload = _records_payload(records)
        data = _call(_pms.export_workbook, kind, payload)
    return _write_workbook(data, path)

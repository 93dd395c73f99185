import datetime
import os
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, List, Literal, Mapping, Optional, Sequence, Union, overload

__version__: str
DEFAULT_EDITION: str

Records = Union[str, os.PathLike[str], Mapping[str, Any]]
RuleFiles = Union[str, os.PathLike[str], Sequence[Union[str, os.PathLike[str]]]]
Lang = Literal["ja", "en"]
# The date a check is made at: a date, an ISO date text, or None for today.
AsOf = Union[datetime.date, str, None]
Output = Literal["pandas", "polars", "arrow", "rows"]
# Many companies: a dict of name → records, or a list of records (paths, dicts, text).
Companies = Union[Mapping[str, Records], Sequence[Records]]

class PmsError(Exception):
    diagnostics: List[Dict[str, Any]]
    code: Optional[str]
    message: Optional[str]
    message_ja: Optional[str]
    help: Optional[str]
    help_ja: Optional[str]
    rendered_ja: str
    file: Optional[str]
    line: Optional[int]
    column: Optional[int]
    field: Optional[str]
    pointer: Optional[str]
    cell: Optional[str]
    def __init__(self, rendered: str, diagnostics: List[Dict[str, Any]], rendered_ja: Optional[str] = ...) -> None: ...
    def text(self, lang: str = ...) -> str: ...

class RecordsError(PmsError): ...
class RulesError(PmsError): ...
class OptionsError(PmsError): ...
class InternalError(PmsError): ...

@dataclass(frozen=True)
class Finding:
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
    due: Optional[datetime.date]
    days_overdue: Optional[int]
    completed_on: Optional[datetime.date]
    caused_by: Optional[str]
    missing: List[str]
    raw: Dict[str, Any]
    @property
    def subject_id(self) -> Optional[str]: ...
    @property
    def overdue(self) -> bool: ...

class Report:
    lang: str
    @property
    def findings(self) -> List[Finding]: ...
    def __init__(self, raw_json: str, lang: str = ..., locations_json: str = ...) -> None: ...
    @property
    def as_of(self) -> datetime.date: ...
    @property
    def edition(self) -> str: ...
    @property
    def organization(self) -> Optional[str]: ...
    @property
    def summary(self) -> Dict[str, Any]: ...
    @property
    def phases(self) -> List[Dict[str, Any]]: ...
    @property
    def clauses(self) -> List[Dict[str, Any]]: ...
    @property
    def coverage(self) -> List[Dict[str, Any]]: ...
    @property
    def root_causes(self) -> List[Dict[str, Any]]: ...
    @property
    def deadlines(self) -> List[Dict[str, Any]]: ...
    @property
    def gaps(self) -> List[Finding]: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self) -> str: ...
    def to_pandas(self) -> Any: ...
    def to_polars(self) -> Any: ...
    def render(self, format: str, lang: Optional[Lang] = ...) -> bytes: ...
    def to_html(self, lang: Optional[Lang] = ...) -> str: ...
    def to_markdown(self, lang: Optional[Lang] = ...) -> str: ...
    def to_junit(self, lang: Optional[Lang] = ...) -> str: ...
    def to_ics(self, lang: Optional[Lang] = ...) -> str: ...
    def to_oscal_ar(self, lang: Optional[Lang] = ...) -> str: ...
    def to_oscal_poam(self, lang: Optional[Lang] = ...) -> str: ...
    def to_sarif(self, lang: Optional[Lang] = ...) -> str: ...
    def diff(self, later: Report) -> Dict[str, Any]: ...
    def _repr_html_(self) -> str: ...

Progress = Callable[[Dict[str, Any]], Any]

class RecordSet:
    def __init__(
        self,
        records: Records,
        ruleset: Optional[Ruleset] = ...,
        max_input_size: Optional[int] = ...,
        progress: Optional[Progress] = ...,
    ) -> None: ...
    @property
    def counts(self) -> Dict[str, int]: ...
    def __len__(self) -> int: ...

def load(
    records: Records,
    ruleset: Optional[Ruleset] = ...,
    *,
    max_input_size: Optional[int] = ...,
    progress: Optional[Progress] = ...,
) -> RecordSet: ...

class Ruleset:
    edition: str
    lang: str
    def __init__(
        self,
        edition: str = ...,
        rules: Optional[RuleFiles] = ...,
        params: Optional[Mapping[str, Any]] = ...,
        lang: Lang = ...,
        max_input_size: Optional[int] = ...,
    ) -> None: ...
    def check(
        self,
        records: Union[Records, RecordSet],
        *,
        as_of: AsOf = ...,
        lang: Optional[Lang] = ...,
        params: Optional[Mapping[str, Any]] = ...,
        include_passed: bool = ...,
        only: Optional[Iterable[str]] = ...,
        threads: int = ...,
        max_input_size: Optional[int] = ...,
        progress: Optional[Progress] = ...,
    ) -> Report: ...
    def check_many(
        self,
        sources: Companies,
        *,
        as_of: AsOf = ...,
        lang: Optional[Lang] = ...,
        params: Optional[Mapping[str, Any]] = ...,
        include_passed: bool = ...,
        only: Optional[Iterable[str]] = ...,
        threads: int = ...,
        processes: Optional[int] = ...,
        output: Output = ...,
    ) -> Any: ...
    def load(
        self,
        records: Records,
        *,
        max_input_size: Optional[int] = ...,
        progress: Optional[Progress] = ...,
    ) -> RecordSet: ...
    @overload
    def summary(
        self,
        records: Records,
        *,
        form: Literal[7, 8],
        as_of: AsOf = ...,
        format: Literal["md", "csv"] = ...,
        lang: Optional[Lang] = ...,
    ) -> str: ...
    @overload
    def summary(
        self,
        records: Records,
        *,
        form: Literal[7, 8],
        as_of: AsOf = ...,
        format: Literal["xlsx"],
        lang: Optional[Lang] = ...,
    ) -> bytes: ...
    def rules(self) -> List[Dict[str, Any]]: ...
    def graph(self, format: Literal["dot", "mermaid"] = ...) -> str: ...

def check(
    records: Union[Records, RecordSet],
    *,
    as_of: AsOf = ...,
    edition: str = ...,
    rules: Optional[RuleFiles] = ...,
    params: Optional[Mapping[str, Any]] = ...,
    lang: Lang = ...,
    include_passed: bool = ...,
    only: Optional[Iterable[str]] = ...,
    threads: int = ...,
    max_input_size: Optional[int] = ...,
    progress: Optional[Progress] = ...,
) -> Report: ...
def check_many(
    sources: Companies,
    *,
    as_of: AsOf = ...,
    ruleset: Optional[Ruleset] = ...,
    lang: Optional[Lang] = ...,
    params: Optional[Mapping[str, Any]] = ...,
    include_passed: bool = ...,
    only: Optional[Iterable[str]] = ...,
    threads: int = ...,
    processes: Optional[int] = ...,
    output: Output = ...,
) -> Any: ...
def validate(
    records: Records,
    *,
    max_input_size: Optional[int] = ...,
    progress: Optional[Progress] = ...,
) -> Dict[str, int]: ...
def rules(edition: str = ...) -> List[Dict[str, Any]]: ...
def graph(format: Literal["dot", "mermaid"] = ...) -> str: ...
def schema(which: Literal["records", "report", "diagnostics"] = ...) -> Dict[str, Any]: ...
def sample_company() -> str: ...

@overload
def diff(
    before: Union[Report, str, os.PathLike[str]],
    after: Union[Report, str, os.PathLike[str]],
    format: Literal["json"] = ...,
    lang: Lang = ...,
) -> Dict[str, Any]: ...
@overload
def diff(
    before: Union[Report, str, os.PathLike[str]],
    after: Union[Report, str, os.PathLike[str]],
    format: Literal["text"],
    lang: Lang = ...,
) -> str: ...

@overload
def summary(
    records: Records,
    *,
    form: Literal[7, 8],
    as_of: AsOf = ...,
    format: Literal["md", "csv"] = ...,
    lang: Lang = ...,
    rules: Optional[RuleFiles] = ...,
) -> str: ...
@overload
def summary(
    records: Records,
    *,
    form: Literal[7, 8],
    as_of: AsOf = ...,
    format: Literal["xlsx"],
    lang: Lang = ...,
    rules: Optional[RuleFiles] = ...,
) -> bytes: ...

def template(path: Optional[Union[str, os.PathLike[str]]] = ..., sample: bool = ...) -> Optional[bytes]: ...
def export(records: Union[Records, RecordSet], path: Optional[Union[str, os.PathLike[str]]] = ...) -> Optional[bytes]: ...

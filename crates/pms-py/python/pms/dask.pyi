import datetime
from typing import Any, Iterable, Mapping, Optional, Union

from . import Companies, Lang, Ruleset

def meta() -> Any: ...
def check_portfolio(
    paths: Companies,
    *,
    as_of: Union[datetime.date, str, None] = ...,
    ruleset: Optional[Ruleset] = ...,
    lang: Optional[Lang] = ...,
    params: Optional[Mapping[str, Any]] = ...,
    include_passed: bool = ...,
    only: Optional[Iterable[str]] = ...,
    companies_per_partition: int = ...,
    threads: int = ...,
) -> Any: ...

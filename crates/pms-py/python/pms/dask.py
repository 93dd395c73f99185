"""pms on a Dask cluster: a portfolio of companies checked where the records are.

>>> from distributed import Client
>>> import pms, pms.dask
>>> client = Client("tcp://scheduler:8786")                      # doctest: +SKIP
>>> findings = pms.dask.check_portfolio(paths, as_of="2026-03-31")  # doctest: +SKIP
>>> findings.to_parquet("findings/")                            # doctest: +SKIP

``check_portfolio`` makes a Dask DataFrame with one partition per share of companies: the
:class:`pms.Ruleset` travels to the workers as its sources (it pickles), each worker reads its
companies' records itself and checks them with :func:`pms.check_many`, and the partitions are
the findings tables, with the columns and types of ``pms.check_many(..., output="pandas")``.
Nothing runs until the frame is computed or written. Needs ``pip install 'pms[dask]'``;
dask is imported only when this module is.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

try:
    import dask.dataframe as _dd
except ImportError:  # pragma: no cover - the test environment has dask
    raise ImportError("pms.dask needs dask and distributed: pip install 'pms[dask]'") from None

from . import Ruleset, _as_of, _default, _lang, _many, _only, _params, _threads

__all__ = ["check_portfolio", "meta"]


def meta() -> Any:
    """The empty findings table: the columns and types of every partition."""
    return _many.frame({c: [] for c, _ in _many.COLUMNS}, "pandas")


def _partition(share: Tuple[List[str], List[Any]], ruleset: Ruleset, options: Any, threads: int) -> Any:
    """The findings of one share of companies, read and checked on the worker."""
    names, records = share
    return _many.frame(_many.table(ruleset, names, records, options, threads, None), "pandas")


def check_portfolio(
    paths: Union[Sequence[Any], Mapping[str, Any]],
    *,
    as_of: Union[_dt.date, str, None] = None,
    ruleset: Optional[Ruleset] = None,
    lang: Optional[str] = None,
    params: Optional[Mapping[str, Any]] = None,
    include_passed: bool = False,
    only: Optional[Iterable[str]] = None,
    companies_per_partition: int = 100,
    threads: int = 1,
) -> Any:
    """The findings of many companies as a lazy Dask DataFrame.

    ``paths`` names the companies as for :func:`pms.check_many` (paths, read on the workers,
    so they must be visible there: a shared file system or object store mount; or a dict of
    name → path). ``companies_per_partition`` companies make one task and one partition, in
    order, so ``.compute()`` gives the rows of ``pms.check_many`` in the same order (with each
    partition's index starting at 0). ``threads`` is how many threads one task uses in Rust:
    1 by default, as Dask runs one task per worker thread already.

    The options are checked here, on the client, before anything is scheduled: a bad date or
    rule id raises :class:`pms.OptionsError` at once; bad records become error rows of their
    company, as with :func:`pms.check_many`.
    """
    if ruleset is None:
        ruleset = _default()
    elif not isinstance(ruleset, Ruleset):
        raise TypeError(f"ruleset must be a pms.Ruleset, not {type(ruleset).__name__}")
    if isinstance(companies_per_partition, bool) or not isinstance(companies_per_partition, int) or companies_per_partition < 1:
        raise TypeError(f"companies_per_partition takes a whole number, 1 or more, not {companies_per_partition!r}")
    lang = _lang(lang or ruleset.lang)
    merged = dict(ruleset._params)
    merged.update(_params(params))
    options = (_as_of(as_of), ruleset.edition, lang, list(merged.items()), bool(include_passed), _only(only), _threads(threads))
    # Bad options fail here rather than in every task: check them on no company at all.
    _many.run(ruleset, [], [], options, 1)
    names, records = _many.companies(paths)
    k = companies_per_partition
    shares = [(names[i : i + k], records[i : i + k]) for i in range(0, len(names), k)] or [([], [])]
    return _dd.from_map(
        _partition,
        shares,
        ruleset=ruleset,
        options=options,
        threads=options[6],
        meta=meta(),
        enforce_metadata=False,
        label="pms-check",
    )

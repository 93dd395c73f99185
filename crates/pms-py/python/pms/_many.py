"""Many companies at one date: one findings table with a ``company`` column.

The per-company loop runs in Rust (``pms_core::batch``) on threads with the GIL released;
this module names the companies, turns Python records into the text the engine reads and
lays the findings out as columns. A company whose records are bad becomes rows of errors
(``status == "error"``, with ``code``, ``message`` and the location), never an exception.
"""

from __future__ import annotations

import datetime as _dt
import os as _os
import pathlib as _pathlib
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

if TYPE_CHECKING:  # pragma: no cover
    from . import Ruleset

# The columns of a findings table, in order, with their kind: text, whole number or date (the
# order and names of pms_core::batch::COLUMNS, which builds the rows).
# Finding columns are those of Report.to_pandas(); the last five locate the errors of a
# company whose records could not be read (status "error").
COLUMNS: Tuple[Tuple[str, str], ...] = (
    ("company", "str"),
    ("id", "str"),
    ("rule_id", "str"),
    ("status", "str"),
    ("severity", "str"),
    ("phase", "str"),
    ("clause", "str"),
    ("subject_entity", "str"),
    ("subject_id", "str"),
    ("subject", "str"),
    ("title", "str"),
    ("message", "str"),
    ("fix", "str"),
    ("due", "date"),
    ("days_overdue", "int"),
    ("caused_by", "str"),
    ("missing", "str"),
    ("code", "str"),
    ("file", "str"),
    ("line", "int"),
    ("column", "int"),
    ("field", "str"),
)

OUTPUTS = ("pandas", "polars", "arrow", "rows")

# One company as the engine reads it: (kind, payload, name).
Item = Tuple[str, str, str]


def _unique(names: List[str], fallback: List[str]) -> List[str]:
    """Names that collide are replaced by their fallback (the path as given, or the name
    with its position), so every company has a name of its own."""
    seen: Dict[str, int] = {}
    for n in names:
        seen[n] = seen.get(n, 0) + 1
    out = [fallback[i] if seen[n] > 1 else n for i, n in enumerate(names)]
    if len(set(out)) != len(out):
        out = [f"{n} [{i + 1}]" for i, n in enumerate(out)]
    return out


def _organization(records: Mapping[str, Any]) -> Optional[str]:
    org = records.get("organization")
    if isinstance(org, Mapping):
        org = [org]
    if isinstance(org, list) and org and isinstance(org[0], Mapping) and isinstance(org[0].get("name"), str):
        return str(org[0]["name"])
    return None


def _is_null(v: Any) -> bool:
    if v is None:
        return True
    try:
        return bool(v != v)  # NaN, NaT and pandas.NA compare unequal to themselves
    except (TypeError, ValueError):
        return False


def _table_rows(table: Any) -> Optional[List[Dict[str, Any]]]:
    """The rows of a pandas or polars DataFrame (None for anything else), without empty
    cells: a table has every column on every row, a record only the fields it fills."""
    if hasattr(table, "to_dicts") and callable(table.to_dicts):  # polars
        rows = table.to_dicts()
    elif hasattr(table, "to_dict") and hasattr(table, "columns") and hasattr(table, "iloc"):  # pandas
        rows = table.to_dict(orient="records")
    else:
        return None
    return [{str(k): v for k, v in row.items() if not _is_null(v)} for row in rows]


def plain(records: Mapping[str, Any]) -> Dict[str, Any]:
    """Records with every DataFrame of an entity turned into its list of rows."""
    out: Dict[str, Any] = {}
    for entity, value in records.items():
        rows = _table_rows(value)
        out[str(entity)] = value if rows is None else rows
    return out


def _item(name: str, records: Any) -> Item:
    """One company as the engine reads it: records Python cannot turn into JSON (a value of a
    type pms does not know) become an ``unreadable`` item, an E1003 row of the company."""
    from . import _records_payload

    try:
        kind, payload = _records_payload(records)
    except (TypeError, ValueError) as e:
        if isinstance(records, Mapping):
            return ("unreadable", str(e), name)
        raise
    return (kind, payload, name)


def companies(sources: Any) -> Tuple[List[str], List[Any]]:
    """The names and records of ``sources``: a dict of name → records, or a list of records
    (paths name themselves: a directory by its name, a file by its name without suffix; a dict
    by its organization's name; anything else by its position)."""
    if isinstance(sources, (str, _os.PathLike)) or (isinstance(sources, Mapping) and _looks_like_records(sources)):
        raise TypeError("check_many takes many companies: a list of records or a dict of name → records "
                        "(use pms.check for one company)")
    if isinstance(sources, Mapping):
        names = []
        for k in sources:
            if not isinstance(k, str):
                raise TypeError(f"company names must be text, not {type(k).__name__}")
            names.append(k)
        return names, list(sources.values())
    if not isinstance(sources, Iterable):
        raise TypeError(f"sources must be a list or a dict of companies, not {type(sources).__name__}")
    records = list(sources)
    names, fallback = [], []
    for i, r in enumerate(records):
        if isinstance(r, (str, _os.PathLike)) and not _is_text(r):
            p = _pathlib.Path(_os.fspath(r))
            names.append(p.name if p.suffix == "" or p.is_dir() else p.stem)
            fallback.append(_os.fspath(r))
        elif isinstance(r, Mapping):
            org = _organization(r)
            names.append(org or f"#{i + 1}")
            fallback.append(f"{org or ''} #{i + 1}".strip())
        elif isinstance(r, str):
            names.append(f"#{i + 1}")
            fallback.append(f"#{i + 1}")
        else:
            raise TypeError(
                "each company is a path (str or os.PathLike), a dict of entity lists or DataFrames, or JSON/YAML text, "
                f"not {type(r).__name__} (company {i + 1})"
            )
    return _unique(names, fallback), records


def _is_text(r: Any) -> bool:
    if not isinstance(r, str):
        return False
    t = r.lstrip()
    return t.startswith("{") or t.startswith("[") or "\n" in r


_ENTITY_HINTS = ("organization", "workforce", "training_records", "inventory", "contractors")


def _looks_like_records(m: Mapping[Any, Any]) -> bool:
    return any(k in m for k in _ENTITY_HINTS)


Columns = List[Tuple[str, List[Any]]]


def run(ruleset: "Ruleset", names: List[str], records: List[Any], options: Any, threads: int) -> Columns:
    """The findings table of these companies, as (column, values) pairs, from the engine."""
    from . import _call

    items = [_item(n, r) for n, r in zip(names, records)]
    return list(_call(ruleset._program.check_many, items, options, threads))


def _share(args: Tuple["Ruleset", List[str], List[Any], Any, int]) -> Columns:
    """One process's share (top level, so it pickles)."""
    return run(*args)


def table(ruleset: "Ruleset", names: List[str], records: List[Any], options: Any, threads: int,
          processes: Optional[int]) -> Dict[str, List[Any]]:
    """The findings table of every company, in order: on threads in this process, or spread
    over ``processes`` worker processes in contiguous shares."""
    if processes is None or processes <= 1 or len(records) < 2:
        parts = [run(ruleset, names, records, options, threads)]
    else:
        import concurrent.futures
        import multiprocessing

        n = min(processes, len(records))
        bounds = [len(records) * k // n for k in range(n + 1)]
        per = threads or max(1, (_os.cpu_count() or 1) // n)
        shares = [(ruleset, names[a:b], records[a:b], options, per) for a, b in zip(bounds, bounds[1:])]
        with concurrent.futures.ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("spawn")) as pool:
            parts = list(pool.map(_share, shares))
    cols: Dict[str, List[Any]] = {c: [] for c, _ in COLUMNS}
    for part in parts:
        for c, values in part:
            cols[c].extend(values)
    return cols


def frame(cols: Dict[str, List[Any]], output: str) -> Any:
    """The columns as a table of the chosen library, with the same types whatever the rows
    (also when there are none): text, nullable 64-bit integers, dates."""
    kinds = dict(COLUMNS)
    if output == "rows":
        n = len(cols["company"])
        return [{c: cols[c][i] for c, _ in COLUMNS} for i in range(n)]
    if output == "pandas":
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("check_many(output='pandas') needs pandas: pip install 'pms[pandas]'") from None
        # Text stays Python objects (None when empty): the same dtype with any pandas version
        # and with no rows, and several times faster to build than a `string` column.
        data = {}
        for c, kind in COLUMNS:
            if kind == "date":
                dates = pd.to_datetime(pd.Series(cols[c], dtype=object), format="%Y-%m-%d")
                data[c] = dates.astype("datetime64[ns]")
            elif kind == "int":
                data[c] = pd.Series(cols[c], dtype="Int64")
            else:
                data[c] = pd.Series(cols[c], dtype=object)
        return pd.DataFrame(data)
    dates = {c: [_dt.date.fromisoformat(v) if v else None for v in cols[c]] for c, k in kinds.items() if k == "date"}
    if output == "polars":
        try:
            import polars as pl
        except ImportError:
            raise ImportError("check_many(output='polars') needs polars: pip install 'pms[polars]'") from None
        types = {"str": pl.Utf8, "int": pl.Int64, "date": pl.Date}
        return pl.DataFrame({c: dates.get(c, cols[c]) for c, _ in COLUMNS}, schema={c: types[k] for c, k in COLUMNS})
    if output == "arrow":
        try:
            import pyarrow as pa
        except ImportError:
            raise ImportError("check_many(output='arrow') needs pyarrow: pip install 'pms[arrow]'") from None
        types = {"str": pa.string(), "int": pa.int64(), "date": pa.date32()}
        schema = pa.schema([(c, types[k]) for c, k in COLUMNS])
        return pa.table({c: dates.get(c, cols[c]) for c, _ in COLUMNS}, schema=schema)
    raise ValueError(f"output must be one of {', '.join(OUTPUTS)}, not {output!r}")

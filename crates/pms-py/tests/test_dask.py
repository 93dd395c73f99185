"""pms.dask on a real distributed.LocalCluster: 200 generated companies, row for row the
single-process table, written to Parquet."""

import json
import os
import pathlib
import subprocess

import pytest

import pms

ROOT = pathlib.Path(__file__).resolve().parents[3]
AS_OF = "2026-03-31"  # the generator's evaluation date
COMPANIES = 200


def cells(frame):
    """Every cell, row by row, with every empty cell as None (NaN, NaT, NA)."""
    return frame.astype(object).where(frame.notna(), None).values.tolist()


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory):
    """200 companies of mixed sizes with planted gaps, from `pms-generate --portfolio`."""
    out = tmp_path_factory.mktemp("portfolio")
    subprocess.run(
        ["cargo", "run", "-q", "--release", "-p", "pms-bench", "--bin", "pms-generate", "--",
         "--portfolio", str(COMPANIES), "7", str(out)],
        cwd=ROOT, check=True, env=os.environ,
    )
    paths = sorted(out.glob("company-*.json"))
    assert len(paths) == COMPANIES
    return paths, json.loads((out / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as c:
        yield c


def test_a_portfolio_on_a_local_cluster_equals_the_single_process_table(portfolio, client, tmp_path):
    pd = pytest.importorskip("pandas")
    import pms.dask

    paths, expected = portfolio
    single = pms.check_many(paths, as_of=AS_OF)
    # Persisted: computed once on the workers, then compared and written.
    frame = pms.dask.check_portfolio(paths, as_of=AS_OF, companies_per_partition=25).persist()
    assert frame.npartitions == COMPANIES // 25
    assert list(frame.columns) == list(single.columns)
    got = frame.compute().reset_index(drop=True)
    # Row for row and cell for cell; Dask stores text as its own string dtype (convert-string),
    # the other columns keep theirs.
    assert cells(got) == cells(single)
    assert got.dtypes.to_dict() == frame._meta.dtypes.to_dict()
    for c in ("due", "days_overdue", "line", "column"):
        assert got.dtypes[c] == single.dtypes[c], c
    # The work ran on both workers, not in this process.
    assert len({w for w, n in client.run(lambda: len(pms._PROGRAMS)).items() if n > 0}) == 2

    # Every planted gap is found, company by company (R-TRN-01: staff whose training is stale).
    gaps = single[(single.status == "gap") & (single.rule_id == "R-TRN-01")]
    for name, planted in expected.items():
        assert sorted(gaps[gaps.company == name].subject_id) == planted["R-TRN-01"], name
    assert set(single.company) == set(expected)

    # Written to Parquet by the workers, read back with the same rows.
    frame.to_parquet(tmp_path / "findings", write_index=False)
    back = pd.read_parquet(tmp_path / "findings")
    assert list(back.columns) == list(single.columns)
    assert cells(back) == cells(single)


def test_bad_options_fail_on_the_client_and_bad_records_become_rows(portfolio, client, tmp_path):
    import pms.dask

    paths, _ = portfolio
    with pytest.raises(pms.OptionsError):
        pms.dask.check_portfolio(paths[:3], as_of="2026-13-01")
    broken = tmp_path / "broken.json"
    broken.write_text('{"workforce": [{"id": "W1"', encoding="utf-8")
    table = pms.dask.check_portfolio([paths[0], broken], as_of=AS_OF, companies_per_partition=1).compute()
    errors = table[table.status == "error"]
    assert list(errors.company.unique()) == ["broken"] and (errors.code == "E1001").all()
    assert (table[table.company == "company-0001"].status != "error").all()

"""The evschema wheel's Arrow checker as data teams use it, installed from the built wheel in a
fresh venv: ``evschema.check`` over pyarrow arrays of every accepted type, ``evschema.spark`` on
a local Spark and on a standalone cluster (a master and two workers, separate processes), and
the README's Dask and DuckDB recipes. The truth is the installed ``evschema`` binary's
``validate --format json`` on the same lines: every row must equal its record (verdict, type,
and each problem's pointer, kind, message, line, column and keywords).

Environment: OPENTACT_ROOT (the repository), OPENTACT_CORPUS (the packages' corpus: every
fixture and single-fault mutations, NDJSON), OPENTACT_BENCH_SLICE (a slice of the benchmark
corpus, NDJSON), OPENTACT_SPARK_CLUSTER=0 skips the standalone cluster.
"""

from __future__ import annotations

import gzip
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pyarrow as pa
import pytest

import evschema

ROOT = Path(os.environ["OPENTACT_ROOT"])
BIN = Path(sys.executable).parent
EVSCHEMA = BIN / "evschema"
HERE = Path(__file__).resolve().parent
MAX = 4096  # --max-line-bytes for every comparison: small enough that a row reaches it


# ------------------------------------------------------------------------------------------
# The rows and the truth


def hostile_rows() -> list[bytes]:
    """One-line rows that exercise every limit and strictness rule."""
    valid = json.dumps(json.loads((ROOT / "fixtures/valid/auth/ipv6_connection.json").read_text()))
    return [
        b"",
        b" \t",
        b"\xff\xfe{}",  # invalid UTF-8
        b'{"type": "auth", "payload": "\xc3\x28"}',  # invalid UTF-8 inside a string
        b"\xef\xbb\xbf" + valid.encode(),  # a byte-order mark
        b'{"type": "auth", "type": "auth"}',  # a repeated key
        b"[" * 126 + b"1" + b"]" * 126,  # nesting at the limit (the row is level 1)
        b"[" * 127 + b"1" + b"]" * 127,  # one past it
        b"[" * 1000,  # far past it, unclosed
        b" " * (MAX + 1),  # over the size limit
        valid.encode() + b" " * (MAX - len(valid)),  # exactly at it
        b'{"type": "call_state", "payload": {"x": "\xe2\x80\xae\\u0000\\u2028"}}',
        b'{"type": "nope"}',
        b"[1, 2",
        b"null",
        b'{"type": "auth", "payload": 1e999}',
        valid.replace('"auth"', '"auth", "extra": 1', 1).encode(),  # an unknown key
    ]


def corpus_rows() -> list[bytes]:
    rows = []
    for name in ("OPENTACT_CORPUS", "OPENTACT_BENCH_SLICE"):
        rows += Path(os.environ[name]).read_bytes().split(b"\n")[:-1]
    return rows


ROWS = corpus_rows() + hostile_rows()


def write_ndjson(path: Path, rows: list[bytes]) -> Path:
    for row in rows:
        assert b"\n" not in row
    path.write_bytes(b"\n".join(rows) + b"\n")
    return path


def cli(path: Path, *options: str) -> list[dict]:
    """The binary's JSON records of `path` (the summary object dropped)."""
    result = subprocess.run(
        [str(EVSCHEMA), "validate", "--format", "json", "--max-line-bytes", str(MAX), *options, str(path)],
        capture_output=True,
    )
    assert result.returncode in (0, 1), result.stderr.decode()
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records.pop()["summary"] is True
    return records


def from_cli(record: dict) -> dict:
    """A CLI record as the checker's row: lines counted inside the row."""
    return {
        "verdict": record["verdict"],
        "valid": record["valid"],
        "type": record["type"],
        "errors": [
            {
                "pointer": e["pointer"],
                "kind": e["kind"],
                "message": e["message"],
                "line": e["line"] - record["line"] + 1,
                "column": e.get("column"),
                "keywords": e.get("keywords", []),
            }
            for e in record["errors"]
        ],
    }


OPTIONS = {
    "deny": ({}, ()),
    "allow": ({"unknown_fields": "allow"}, ("--unknown-fields", "allow")),
    "mask": ({"mask": True}, ("--mask",)),
}


@pytest.fixture(scope="session")
def truth(tmp_path_factory):
    """For each set of options: the CLI's rows for ROWS."""
    path = write_ndjson(tmp_path_factory.mktemp("rows") / "rows.ndjson", ROWS)
    return {name: [from_cli(r) for r in cli(path, *flags)] for name, (_, flags) in OPTIONS.items()}


def string_array_unchecked(rows: list[bytes], large: bool = False) -> pa.Array:
    """A string array over `rows` as bytes, UTF-8 or not (as an engine may hand one over):
    built from buffers, which pyarrow does not validate."""
    offsets, data, at = [0], b"".join(rows), 0
    for row in rows:
        at += len(row)
        offsets.append(at)
    kind, width = (pa.large_string(), "q") if large else (pa.string(), "i")
    import array as arr

    return pa.Array.from_buffers(
        kind, len(rows), [None, pa.py_buffer(arr.array(width, offsets).tobytes()), pa.py_buffer(data)]
    )


def arrays(rows: list[bytes]) -> dict[str, pa.Array]:
    return {
        "binary": pa.array(rows, pa.binary()),
        "large_binary": pa.array(rows, pa.large_binary()),
        "binary_view": pa.array(rows, pa.binary_view()),
        "string": string_array_unchecked(rows),
        "large_string": string_array_unchecked(rows, large=True),
        "string_view": pa.array(rows, pa.binary_view()).view(pa.string_view()),
        "chunked": pa.chunked_array([pa.array(rows[:7], pa.binary()), pa.array(rows[7:], pa.binary())]),
    }


# ------------------------------------------------------------------------------------------
# evschema.check


@pytest.mark.parametrize("option", OPTIONS)
@pytest.mark.parametrize("kind", ["binary", "large_binary", "binary_view", "string", "large_string", "string_view", "chunked"])
def test_check_equals_the_cli_record_for_record(truth, option, kind):
    kwargs, _ = OPTIONS[option]
    values = arrays(ROWS)[kind]
    result = evschema.check(values, max_line_bytes=MAX, **kwargs)
    assert isinstance(result, pa.StructArray)
    assert result.type.names == list(evschema.RESULT_COLUMNS)
    got = result.to_pylist()
    assert len(got) == len(truth[option])
    for i, (row, want) in enumerate(zip(got, truth[option])):
        assert row == want, f"row {i}: {ROWS[i][:200]!r}"


def test_the_rows_reach_every_verdict_but_the_internal_error(truth):
    seen = {row["verdict"] for row in truth["deny"]}
    assert seen == set(evschema.VERDICTS) - {"internal_error"}
    assert len(ROWS) > 3000


def test_null_rows_are_null_in_every_column_and_the_others_keep_their_place():
    valid = json.dumps(json.loads((ROOT / "fixtures/valid/auth/ipv6_connection.json").read_text()))
    result = evschema.check(pa.array([None, valid, None, "{"])).to_pylist()
    assert result[0] == result[2] == {"verdict": None, "valid": None, "type": None, "errors": None}
    assert (result[1]["verdict"], result[3]["verdict"]) == ("valid", "parse_error")


def test_other_libraries_through_the_arrow_c_interfaces():
    import duckdb
    import pandas as pd

    rows = ['{"type": "auth"}', "", None]
    want = evschema.check(pa.array(rows)).to_pylist()
    # A stream (`__arrow_c_stream__`): a DuckDB result, a pyarrow table's column.
    reader = duckdb.sql("select * from (values ('{\"type\": \"auth\"}', 1), ('', 2), (NULL, 3)) t(v, i) order by i").arrow()
    assert evschema.check(reader.read_all().column("v")).to_pylist() == want
    assert evschema.check(pa.table({"v": rows}).column("v")).to_pylist() == want
    # A plain list, converted by pyarrow.
    assert evschema.check(rows).to_pylist() == want
    # pandas' Arrow-backed strings.
    series = pd.Series(rows, dtype=pd.ArrowDtype(pa.string()))
    assert evschema.check(pa.array(series)).to_pylist() == want


def test_bad_input_raises_naming_what_was_found_and_what_is_accepted():
    with pytest.raises(TypeError, match=r"of type Int64; .*Utf8, LargeUtf8, Utf8View, Binary, LargeBinary"):
        evschema.check(pa.array([1, 2]))
    with pytest.raises(TypeError, match=r"of type Struct"):
        evschema.check(pa.table({"v": ["{}"]}))  # a table: pass one of its columns
    with pytest.raises(TypeError, match=r"__arrow_c_array__ or __arrow_c_stream__.*not int"):
        evschema.check(42)
    with pytest.raises(ValueError, match=r'unknown_fields must be "deny" or "allow", not "warn"'):
        evschema.check(["{}"], unknown_fields="warn")
    with pytest.raises(ValueError, match="max_line_bytes must be at least 1"):
        evschema.check(["{}"], max_line_bytes=0)
    with pytest.raises(ValueError, match="no-such-catalog"):
        evschema.check(["{}"], schemas=ROOT / "no-such-catalog")


def test_a_catalog_folder_gives_the_built_in_verdicts():
    rows = ROWS[:200]
    assert evschema.check(rows, schemas=ROOT / "schemas").to_pylist() == evschema.check(rows).to_pylist()
    assert evschema.checker(schemas=ROOT / "schemas").uses_fast_path


@pytest.mark.skipif(not evschema._native.FAULT_INJECTION, reason="a release build has no fault injection")
def test_a_row_the_engine_fails_on_is_an_internal_error_and_the_batch_goes_on():
    valid = json.dumps(json.loads((ROOT / "fixtures/valid/auth/ipv6_connection.json").read_text()))
    code = (
        "import evschema, json, sys\n"
        f"rows = [{valid!r}, '{{\"type\": \"BOOM-HERE\"}}', None, {valid!r}]\n"
        "print(json.dumps(evschema.check(rows).to_pylist()))\n"
    )
    env = dict(os.environ, EVSCHEMA_FAULT="check:BOOM-HERE")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r and r["verdict"] for r in rows] == ["valid", "internal_error", None, "valid"]
    assert rows[1]["errors"][0]["kind"] == "internal"
    assert "fault injected in check by EVSCHEMA_FAULT" in rows[1]["errors"][0]["message"]
    # The panic was reported in the row, not on standard error.
    assert "panicked" not in result.stderr


def test_the_gil_is_released_while_rows_are_checked():
    rows = pa.array(ROWS, pa.binary())
    ticks, done = [0], threading.Event()

    def count():
        while not done.is_set():
            ticks[0] += 1

    counter = threading.Thread(target=count)
    counter.start()
    start = time.perf_counter()
    evschema.check(rows)
    took = time.perf_counter() - start
    done.set()
    counter.join()
    # Held, the GIL would let the counter run only at the switch interval's pace (5 ms).
    assert took > 0.05, f"too fast to tell: {took:.3f} s"
    assert ticks[0] > 50 * (took / 0.005), (ticks[0], took)


# ------------------------------------------------------------------------------------------
# Spark: one local session per test run


@pytest.fixture(scope="session")
def spark():
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("evschema-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    yield session
    session.stop()


def spark_rows(df) -> list[dict]:
    return [
        {
            "verdict": r["verdict"],
            "valid": r["valid"],
            "type": r["type"],
            "errors": [e.asDict(recursive=True) for e in r["errors"]],
        }
        for r in df.select(*evschema.RESULT_COLUMNS).collect()
    ]


def aggregate(rows: list[dict]) -> tuple[dict, dict]:
    by_type, problems = {}, {}
    for row in rows:
        key = (row["type"], row["verdict"])
        by_type[key] = by_type.get(key, 0) + 1
        for e in row["errors"]:
            key = (row["type"], e["pointer"], e["kind"])
            problems[key] = problems.get(key, 0) + 1
    return by_type, problems


def cli_summary(path: Path, *options: str) -> tuple[dict, dict]:
    """The binary's drift summary of `path` (`--summary --top 0`): counts by (type, verdict)
    and by (type, pointer, kind)."""
    result = subprocess.run(
        [str(EVSCHEMA), "validate", "--summary", "--top", "0", "--format", "json", "--max-line-bytes", str(MAX), *options, str(path)],
        capture_output=True,
    )
    assert result.returncode in (0, 1), result.stderr.decode()
    (line,) = result.stdout.splitlines()
    report = json.loads(line)
    assert report["problems_omitted"] == report["problems_other"] == 0
    by_type = {(r["type"], r["verdict"]): r["count"] for r in report["by_type"]}
    problems = {(r["type"], r["pointer"], r["kind"]): r["count"] for r in report["problems"]}
    return by_type, problems


def test_spark_validate_equals_the_cli_and_its_summary_counts(spark, truth, tmp_path):
    from evschema.spark import summary, validate

    # One gzip file: one partition, read in order; blank lines and invalid UTF-8 included.
    path = tmp_path / "events.ndjson.gz"
    path.write_bytes(gzip.compress(b"\n".join(ROWS) + b"\n"))
    # Masking is the checker's alone (tested above); Spark is run on both readers.
    for option in ("deny", "allow"):
        kwargs, _ = OPTIONS[option]
        checked = validate(spark.read.text(str(path)), max_line_bytes=MAX, **kwargs)
        assert checked.columns == ["value", *evschema.RESULT_COLUMNS]
        got = spark_rows(checked)
        assert len(got) == len(truth[option])
        for i, (row, want) in enumerate(zip(got, truth[option])):
            assert row == want, f"{option} row {i}: {ROWS[i][:200]!r}"
    checked = validate(spark.read.text(str(path)), max_line_bytes=MAX)
    report = summary(checked)
    want_types, want_problems = cli_summary(path)
    # The CLI's summary is the aggregate of its records.
    assert (want_types, want_problems) == aggregate(truth["deny"])
    assert {(r["type"], r["verdict"]): r["count"] for r in report.by_type.collect()} == want_types
    got_problems = {(r["type"], r["pointer"], r["kind"]): r["count"] for r in report.problems.collect()}
    assert got_problems == want_problems
    as_dict = report.to_dict(top=5)
    assert as_dict["problems_total"] == len(want_problems)
    counts = [p["count"] for p in as_dict["problems"]]
    assert counts == sorted(counts, reverse=True) and counts[0] == max(want_problems.values())


def test_spark_binary_columns_and_other_columns_are_kept(spark):
    from evschema.spark import validate

    df = spark.createDataFrame([(1, bytearray(b'{"type": "auth"}')), (2, None), (3, bytearray(b"\xff"))], "id int, body binary")
    rows = validate(df, "body").orderBy("id").collect()
    assert [r["id"] for r in rows] == [1, 2, 3]
    assert [r["verdict"] for r in rows] == ["invalid", None, "parse_error"]


def test_spark_misuse_is_refused_on_the_driver(spark):
    from evschema.spark import summary, validate

    df = spark.createDataFrame([(1, "{}")], "id int, value string")
    with pytest.raises(ValueError, match=r"no column 'body'.*\['id', 'value'\]"):
        validate(df, "body")
    with pytest.raises(TypeError, match=r"column 'id' is of type int; .*string or binary"):
        validate(df, "id")
    with pytest.raises(ValueError, match=r"already has column\(s\) \['verdict'\]"):
        validate(df.withColumnRenamed("id", "verdict"))
    with pytest.raises(ValueError, match="unknown_fields"):
        validate(df, unknown_fields="sometimes")
    with pytest.raises(ValueError, match="not a validated DataFrame"):
        summary(df)


# ------------------------------------------------------------------------------------------
# Spark: a standalone cluster, a master and two workers as separate processes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(os.environ.get("OPENTACT_SPARK_CLUSTER") == "0", reason="OPENTACT_SPARK_CLUSTER=0")
def test_a_standalone_cluster_gives_the_cli_verdicts_for_every_line(truth, tmp_path):
    import pyspark

    spark_bin = Path(pyspark.__file__).parent / "bin"
    env = dict(os.environ, SPARK_LOCAL_IP="127.0.0.1", PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
    port, ui = free_port(), free_port()
    master_url = f"spark://127.0.0.1:{port}"
    logs = tmp_path / "logs"
    logs.mkdir()
    processes = []

    def start(name, *args):
        log = open(logs / f"{name}.log", "wb")
        processes.append(
            subprocess.Popen([str(spark_bin / "spark-class"), *args], stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        )

    try:
        start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", str(port), "--webui-port", str(ui))
        for n in (1, 2):
            start(
                f"worker{n}", "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--webui-port", str(free_port()),
                "--cores", "1", "--memory", "1g", "--work-dir", str(tmp_path / f"work{n}"), master_url,
            )
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{ui}/json/", timeout=2) as response:
                    if json.load(response).get("aliveworkers") == 2:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the cluster did not come up: " + "".join(
                p.read_text(errors="replace")[-2000:] for p in logs.iterdir()
            )
            time.sleep(1)
        # Two gzip archives: two partitions, one per worker's executor.
        data = tmp_path / "archive"
        data.mkdir()
        half = len(ROWS) // 2
        (data / "part-0.ndjson.gz").write_bytes(gzip.compress(b"\n".join(ROWS[:half]) + b"\n"))
        (data / "part-1.ndjson.gz").write_bytes(gzip.compress(b"\n".join(ROWS[half:]) + b"\n"))
        out = tmp_path / "out"
        submit = subprocess.run(
            [
                str(spark_bin / "spark-submit"), "--master", master_url,
                "--conf", "spark.executor.cores=1", "--conf", "spark.cores.max=2", "--conf", "spark.executor.memory=768m",
                "--conf", "spark.ui.showConsoleProgress=false",
                str(HERE / "cluster_job.py"), str(data), str(out), str(MAX),
            ],
            capture_output=True, text=True, env=env, timeout=600,
        )
        assert submit.returncode == 0, submit.stdout[-3000:] + submit.stderr[-5000:]
    finally:
        for p in processes:
            try:
                os.killpg(p.pid, 15)
            except ProcessLookupError:
                pass
        for p in processes:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, 9)
    result = json.loads((out / "result.json").read_text())
    assert result["executors"] == 2, result["executors"]
    got = result["rows"]
    assert len(got) == len(truth["deny"])
    for i, (row, want) in enumerate(zip(got, truth["deny"])):
        assert row == want, f"row {i}: {ROWS[i][:200]!r}"
    want_types, want_problems = cli_summary(data)
    assert {(r["type"], r["verdict"]): r["count"] for r in result["by_type"]} == want_types
    assert {(r["type"], r["pointer"], r["kind"]): r["count"] for r in result["problems"]} == want_problems


# ------------------------------------------------------------------------------------------
# The README's recipes: Dask and DuckDB


def test_the_dask_recipe(truth, tmp_path):
    import dask.bag as db

    path = write_ndjson(tmp_path / "events.ndjson", [r for r in ROWS if is_utf8(r)])
    want = [t for r, t in zip(ROWS, truth["deny"]) if is_utf8(r)]

    # The recipe (README: "Archives at scale"), with its own size limit.
    def check_partition(lines):
        texts = [line.removesuffix("\n").removesuffix("\r") for line in lines]
        return evschema.check(texts, max_line_bytes=MAX).to_pylist()

    got = db.read_text(str(path), blocksize="256kB").map_partitions(check_partition).compute()
    assert got == want


def is_utf8(row: bytes) -> bool:
    try:
        row.decode()
        return True
    except UnicodeDecodeError:
        return False


def test_the_duckdb_recipe(truth, tmp_path):
    import duckdb
    import pyarrow.parquet as pq

    con = duckdb.connect()

    # The recipe (README: "Archives at scale").
    def evschema_check(values):
        return evschema.check(values, max_line_bytes=MAX)

    result_type = con.sql(f"select {DUCKDB_TYPE_PROBE}").types[0]
    con.create_function("evschema_check", evschema_check, ["BLOB"], result_type, type="arrow")

    # A Parquet column of event texts (binary: any bytes survive).
    pq.write_table(pa.table({"value": pa.array(ROWS, pa.binary())}), tmp_path / "events.parquet")
    rows = con.sql(f"select evschema_check(value) as r from '{tmp_path / 'events.parquet'}'").fetchall()
    got = [normalise(r[0]) for r in rows]
    assert got == truth["deny"]

    # One event per file (the fixtures' layout), with read_blob: the CLI reads files alike (at
    # the default size limit: the CLI's for files is larger still).
    con.create_function("evschema_check_file", lambda values: evschema.check(values), ["BLOB"], result_type, type="arrow")
    files = con.sql(
        f"select filename, evschema_check_file(content) as r from read_blob('{ROOT}/fixtures/*/*/*.json') order by filename"
    ).fetchall()
    records = {r["source"]: r for r in cli_files(ROOT / "fixtures")}
    assert len(records) > len(files) > 30
    for name, row in files:
        assert normalise(row) == from_cli(records[name]), name


def cli_files(folder: Path) -> list[dict]:
    result = subprocess.run([str(EVSCHEMA), "validate", "--format", "json", str(folder)], capture_output=True)
    records = [json.loads(line) for line in result.stdout.splitlines()]
    records.pop()
    return records


DUCKDB_TYPE_PROBE = (
    "NULL::STRUCT(verdict VARCHAR, valid BOOLEAN, type VARCHAR, errors STRUCT(pointer VARCHAR, "
    "kind VARCHAR, message VARCHAR, line BIGINT, \"column\" BIGINT, keywords VARCHAR[])[])"
)


def normalise(row: dict) -> dict:
    return {k: row[k] for k in evschema.RESULT_COLUMNS}


# ------------------------------------------------------------------------------------------
# The README's section "Archives at scale": every Python block run as written


def test_the_readme_blocks_run_as_written_and_agree_with_the_cli(spark, truth, tmp_path, monkeypatch):
    import re

    text = (ROOT / "README.md").read_text()
    section = text[text.index("\n## Archives at scale") :]
    section = section[: section.index("\n## ", 5)]
    blocks = re.findall(r"^```python\n(.*?)^```$", section, re.M | re.S)
    assert len(blocks) == 3, blocks
    # The files the blocks name, made of the UTF-8 rows (Dask decodes lines strictly).
    rows = [r for r in ROWS if is_utf8(r)]
    want = [t for r, t in zip(ROWS, truth["deny"]) if is_utf8(r)]
    small = [r for r, t in zip(rows, want) if t["verdict"] != "too_large"]
    want_small = [t for t in want if t["verdict"] != "too_large"]
    (tmp_path / "events.ndjson.gz").write_bytes(gzip.compress(b"\n".join(small) + b"\n"))
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"value": pa.array(small, pa.binary())}), tmp_path / "events.parquet")
    (tmp_path / "fixtures").symlink_to(ROOT / "fixtures")
    monkeypatch.chdir(tmp_path)
    spark_block, dask_block, duckdb_block = blocks

    # Spark resolves a relative path against its JVM's folder, fixed when the session started:
    # the block's file names are given the scratch folder.
    for name in ("events.ndjson.gz", "refused.parquet"):
        assert f'"{name}"' in spark_block
        spark_block = spark_block.replace(f'"{name}"', repr(str(tmp_path / name)))
    names: dict = {}
    exec(compile(spark_block, "README: Spark", "exec"), names)
    assert spark_rows(names["checked"]) == want_small
    want_types, _ = aggregate(want_small)
    assert {(r["type"], r["verdict"]): r["count"] for r in names["report"].by_type.collect()} == want_types
    assert spark.read.parquet(str(tmp_path / "refused.parquet")).count() == sum(not t["valid"] for t in want_small)

    names = {}
    exec(compile(dask_block, "README: Dask", "exec"), names)
    assert names["refused"] == [t for t in want_small if not t["valid"]]

    names = {}
    exec(compile(duckdb_block, "README: DuckDB", "exec"), names)
    counts = names["con"].sql(
        "SELECT r.type, r.verdict, count(*) FROM (SELECT evschema_check(value) AS r FROM 'events.parquet') GROUP BY ALL"
    ).fetchall()
    assert {(t, v): n for t, v, n in counts} == {k: n for k, n in aggregate(want_small)[0].items()}


# ------------------------------------------------------------------------------------------
# Found by trying to break it


def test_an_empty_list_or_one_of_none_only_is_checked():
    # The Dask recipe hands over an empty list for an empty partition.
    assert evschema.check([]).to_pylist() == []
    assert evschema.check([None, None]).to_pylist() == [{"verdict": None, "valid": None, "type": None, "errors": None}] * 2
    # An array of the null type (pyarrow's, polars' for an all-null column) is null rows.
    assert evschema.check(pa.nulls(2)).to_pylist() == evschema.check([None, None]).to_pylist()


def test_spark_names_with_dots_and_backticks_and_map_columns(spark):
    from pyspark.sql import functions as F

    from evschema.spark import summary, validate

    df = spark.createDataFrame([(1, "{"), (2, None)], "`x.y` int, `a.b` string").withColumnRenamed("x.y", "x`y.z")
    df = df.withColumn("m", F.create_map(F.lit("k"), F.col("`x``y.z`")))
    checked = validate(df, "a.b")
    assert checked.columns == ["x`y.z", "a.b", "m", *evschema.RESULT_COLUMNS]
    assert [r["verdict"] for r in checked.orderBy("`x``y.z`").collect()] == ["parse_error", None]
    (problem,) = summary(checked).problems.collect()
    assert (problem["kind"], problem["count"]) == ("parse", 1)
    assert problem["example"].asDict() == {"x`y.z": 1, "a.b": "{", "m": {"k": 1}}


def test_spark_result_names_are_refused_in_any_case_as_spark_resolves_them(spark):
    from evschema.spark import validate

    df = spark.createDataFrame([(1, "{")], "Type int, value string")
    with pytest.raises(ValueError, match=r"already has column\(s\) \['type'\]"):
        validate(df)
    spark.conf.set("spark.sql.caseSensitive", "true")
    try:
        assert validate(df).filter("not valid").count() == 1
    finally:
        spark.conf.unset("spark.sql.caseSensitive")

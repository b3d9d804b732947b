"""Spark's ways of checking an archive against the contract, timed in one run on the same lines,
interleaved round by round (the machines are shared and noisy: the ratios are the result):

- evschema.spark.validate (the wheel's Arrow checker, batch by batch through mapInArrow);
- a Python UDF per row with python-jsonschema on the published union schema (schemas/event.json),
  as Great Expectations' expect_column_values_to_match_json_schema does;
- RDD.pipe to the evschema binary (`evschema validate --format json`, one process per partition).

Each way reads the same NDJSON file with spark.read.text on `local[1]` (one core: the ratios are
per core) and counts its refusals, which must agree before anything is timed (the UDF reads as a
tolerant consumer does, so every way runs with unknown keys allowed).

Usage: python spark_bench.py REPO_ROOT CORPUS.ndjson [--rounds N]   (spark_run.sh sets it up)
"""

import argparse
import json
import shutil
import statistics
import sys
import time
from pathlib import Path

from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import BooleanType

from evschema.spark import validate

parser = argparse.ArgumentParser()
parser.add_argument("root", type=Path)
parser.add_argument("corpus", type=Path)
parser.add_argument("--rounds", type=int, default=3)
args = parser.parse_args()

spark = (
    SparkSession.builder.master("local[1]")
    .appName("evschema-spark-bench")
    .config("spark.ui.enabled", "false")
    .config("spark.ui.showConsoleProgress", "false")
    .getOrCreate()
)
spark.sparkContext.setLogLevel("ERROR")
events = spark.read.text(str(args.corpus)).cache()
total = events.count()
schema = json.loads((args.root / "schemas" / "event.json").read_text())
evschema_bin = shutil.which("evschema")
assert evschema_bin, "the evschema binary is not on the PATH"


def with_evschema():
    return validate(events, unknown_fields="allow").filter("not valid").count()


def with_jsonschema_udf():
    def valid(text):
        import json as js

        import jsonschema

        global _validator
        try:
            _validator
        except NameError:
            cls = jsonschema.validators.validator_for(schema)
            _validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
        try:
            return _validator.is_valid(js.loads(text))
        except ValueError:
            return False

    udf = F.udf(valid, BooleanType())
    return events.filter(~udf("value")).count()


def with_pipe():
    lines = events.rdd.map(lambda row: row.value).pipe(f"{evschema_bin} validate --format json --unknown-fields allow --allow-empty -")
    return lines.filter(lambda line: '"valid":false' in line).count()


ways = {
    "evschema.spark.validate (Arrow, mapInArrow)": with_evschema,
    "python-jsonschema UDF per row": with_jsonschema_udf,
    "RDD.pipe to the evschema binary": with_pipe,
}
refused = {name: way() for name, way in ways.items()}
if len(set(refused.values())) != 1:
    sys.exit(f"the ways disagree on the refusals: {refused}")
times = {name: [] for name in ways}
for _ in range(args.rounds):
    for name, way in ways.items():
        start = time.perf_counter()
        way()
        times[name].append(time.perf_counter() - start)

base = statistics.median(times["evschema.spark.validate (Arrow, mapInArrow)"])
print(f"Spark local[1], {total} events ({next(iter(refused.values()))} refused), median of {args.rounds} rounds")
print("| way | events/s | time against evschema.spark.validate |")
print("|---|---:|---:|")
for name, t in times.items():
    m = statistics.median(t)
    print(f"| {name} | {total / m:,.0f} | {m / base:.1f}x |")
spark.stop()

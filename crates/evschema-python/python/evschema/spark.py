"""The contract check in Spark (3.3 and later): ``validate`` adds the verdict columns to a
DataFrame of event texts, batch by batch through ``mapInArrow`` (native speed, no row-by-row
Python); ``summary`` reads a validated DataFrame as a data team does: counts by type and verdict,
and the most frequent problems with an example of each.

    from evschema.spark import validate, summary
    events = spark.read.text("s3://archive/2026/12/*.ndjson.gz")   # one row per line: `value`
    checked = validate(events)                                     # + verdict, valid, type, errors
    report = summary(checked)
    report.by_type.show(); report.problems.show(20, truncate=False)

The executors need the ``evschema`` wheel (and pyarrow, pandas) in the Python they run
(``PYSPARK_PYTHON``); the verdicts are ``evschema validate --format json``'s for the same lines.
"""

from __future__ import annotations

import os
from typing import Any, NamedTuple, Optional, Union

import evschema

__all__ = ["validate", "summary", "Summary", "result_fields"]


def result_fields():
    """The Spark fields ``validate`` appends, in order: ``verdict`` (string), ``valid``
    (boolean), ``type`` (string), ``errors`` (array of struct ``pointer`` string, ``kind``
    string, ``message`` string, ``line`` bigint, ``column`` bigint, ``keywords`` array of
    string)."""
    from pyspark.sql.types import (
        ArrayType,
        BooleanType,
        LongType,
        StringType,
        StructField,
        StructType,
    )

    problem = StructType(
        [
            StructField("pointer", StringType(), False),
            StructField("kind", StringType(), False),
            StructField("message", StringType(), False),
            StructField("line", LongType(), False),
            StructField("column", LongType(), True),
            StructField("keywords", ArrayType(StringType(), True), False),
        ]
    )
    return [
        StructField("verdict", StringType(), True),
        StructField("valid", BooleanType(), True),
        StructField("type", StringType(), True),
        StructField("errors", ArrayType(problem, True), True),
    ]


def validate(
    df,
    column: str = "value",
    *,
    unknown_fields: str = "deny",
    mask: bool = False,
    max_line_bytes: int = evschema.DEFAULT_MAX_LINE_BYTES,
    schemas: Union[str, "os.PathLike[str]", None] = None,
):
    """``df`` with the columns ``verdict``, ``valid``, ``type`` and ``errors`` appended: each
    row's verdict on the event text in ``column`` (string or binary), as ``evschema.check``
    gives it. Lazy, like any transformation; partitioning and row order are kept.

    Raises ``ValueError`` when ``column`` is missing, when ``df`` already has a column of the
    result's names (in any case, unless ``spark.sql.caseSensitive`` is set), or for a bad option (checked on the driver, before any job runs);
    ``TypeError`` when ``column`` is neither string nor binary.
    """
    from pyspark.sql.types import BinaryType, StringType, StructType

    if column not in df.columns:
        raise ValueError(f"no column {column!r} in the DataFrame; its columns are {df.columns}")
    data_type = df.schema[column].dataType
    if not isinstance(data_type, (StringType, BinaryType)):
        raise TypeError(
            f"column {column!r} is of type {data_type.simpleString()}; evschema reads event texts "
            "from a string or binary column"
        )
    # Spark resolves names without regard to case unless spark.sql.caseSensitive is set: a
    # `Type` column would make every later reference to `type` ambiguous.
    case_sensitive = df.sparkSession.conf.get("spark.sql.caseSensitive", "false").lower() == "true"
    fold = (lambda name: name) if case_sensitive else str.lower
    present = {fold(name) for name in df.columns}
    clashes = [name for name in evschema.RESULT_COLUMNS if fold(name) in present]
    if clashes:
        raise ValueError(
            f"the DataFrame already has column(s) {clashes}, which validate() would add; rename "
            "them first (withColumnRenamed)"
        )
    # Built on the driver first: a bad option fails here, not in a task.
    evschema.checker(
        unknown_fields=unknown_fields, mask=mask, max_line_bytes=max_line_bytes, schemas=schemas
    )
    folder = None if schemas is None else os.fspath(schemas)
    options = (unknown_fields, mask, max_line_bytes, folder)
    # mapInArrow refers to the input columns by name, and reads a name with a dot as a nested
    # field: the columns go through it under plain names and get theirs back after.
    names = list(df.columns)
    plain = [f"_{i}" for i in range(len(names))]
    renamed = df.toDF(*plain)
    schema = StructType(renamed.schema.fields + result_fields())
    checked = renamed.mapInArrow(_checking(plain[names.index(column)], options), schema)
    return checked.toDF(*names, *evschema.RESULT_COLUMNS)


def _checking(column: str, options: tuple):
    """The function ``mapInArrow`` runs on the executors (pickled with its options only)."""

    def run(batches):
        import pyarrow as pa

        import evschema as ev

        checker = ev.checker(
            unknown_fields=options[0],
            mask=options[1],
            max_line_bytes=options[2],
            schemas=options[3],
        )
        for batch in batches:
            result = checker.check(batch.column(column))
            columns = list(batch.columns) + [result.field(i) for i in range(len(ev.RESULT_COLUMNS))]
            names = list(batch.schema.names) + list(ev.RESULT_COLUMNS)
            yield pa.RecordBatch.from_arrays(columns, names=names)

    return run


class Summary(NamedTuple):
    """A validated DataFrame, summarised (two lazy DataFrames).

    ``by_type``: ``type``, ``verdict``, ``count`` — rows per event type (null when unknown) and
    verdict, sorted by type then verdict. ``problems``: ``type``, ``pointer``, ``kind``,
    ``count``, ``message``, ``example`` — one row per (type, JSON Pointer, kind), most frequent
    first, with one example's message and the input columns of its row (``example``, a struct;
    the example is the row least by its message, then by its columns that Spark can order, all
    but maps and intervals: the same data gives the same example).
    """

    by_type: Any
    problems: Any

    def to_dict(self, top: Optional[int] = 20) -> dict:
        """Both tables collected to the driver: ``by_type`` a list of ``{type, verdict,
        count}`` (null input rows as a ``{type: None, verdict: None}`` entry), ``problems`` the
        ``top`` most frequent ``{type, pointer, kind, count, message}`` (all when ``top`` is
        ``None``), ``problems_total`` the number of groups. The keys of ``by_type`` and of each
        problem are those of ``evschema validate --summary --format json``; that report nests
        the message under ``first`` and has ``problems_omitted`` and ``problems_other``, which
        this has not."""
        by_type = [row.asDict() for row in self.by_type.collect()]
        total = self.problems.count()
        rows = self.problems if top is None else self.problems.limit(top)
        problems = [
            {k: row[k] for k in ("type", "pointer", "kind", "count", "message")}
            for row in rows.collect()
        ]
        return {"by_type": by_type, "problems": problems, "problems_total": total}


def summary(validated) -> Summary:
    """The drift summary of a DataFrame returned by ``validate`` (see ``Summary``): what to
    read first for a billion events."""
    from pyspark.sql import functions as F

    missing = [name for name in evschema.RESULT_COLUMNS if name not in validated.columns]
    if missing:
        raise ValueError(f"not a validated DataFrame: no column(s) {missing}; run validate() first")
    inputs = [c for c in validated.columns if c not in evschema.RESULT_COLUMNS]
    by_type = (
        validated.groupBy("type", "verdict")
        .count()
        .orderBy(F.col("type").asc_nulls_last(), F.col("verdict").asc_nulls_last())
    )
    # Input names are quoted: a dot or a backtick in a name is part of it.
    quoted = {name: F.col("`" + name.replace("`", "``") + "`") for name in inputs}
    types = {field.name: field.dataType for field in validated.schema.fields}
    # The example is the row least by (message, its columns that Spark can order: not maps).
    ordered = [quoted[name].alias(name) for name in inputs if _orderable(types[name])]
    exploded = validated.select(
        "type",
        F.explode("errors").alias("problem"),
        F.struct(*[quoted[name].alias(name) for name in inputs]).alias("row"),
        F.struct(*ordered).alias("order"),
    )
    problems = (
        exploded.groupBy("type", F.col("problem.pointer").alias("pointer"), F.col("problem.kind").alias("kind"))
        .agg(
            F.count(F.lit(1)).alias("count"),
            F.min_by(
                F.struct(F.col("problem.message").alias("message"), F.col("row").alias("row")),
                F.struct(F.col("problem.message"), F.col("order")),
            ).alias("first"),
        )
        .select(
            "type",
            "pointer",
            "kind",
            "count",
            F.col("first.message").alias("message"),
            F.col("first.row").alias("example"),
        )
        .orderBy(
            F.col("count").desc(),
            F.col("type").asc_nulls_last(),
            F.col("pointer").asc(),
            F.col("kind").asc(),
        )
    )
    return Summary(by_type, problems)


def _orderable(data_type) -> bool:
    """Whether Spark can order values of ``data_type`` (``min`` over it): not a map, a variant
    or a calendar interval, nor anything holding one."""
    from pyspark.sql.types import ArrayType, MapType, StructType

    if isinstance(data_type, MapType) or data_type.typeName() in ("variant", "interval"):
        return False
    if isinstance(data_type, ArrayType):
        return _orderable(data_type.elementType)
    if isinstance(data_type, StructType):
        return all(_orderable(field.dataType) for field in data_type.fields)
    return True

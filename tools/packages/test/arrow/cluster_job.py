"""The job test_arrow.py submits to a standalone Spark cluster (spark-submit): reads a folder of
gzip NDJSON archives with spark.read.text, validates every line with evschema.spark on the
executors, and writes the rows (in file and line order), the summary's counts and the number of
executors to OUT/result.json.

Usage: spark-submit --master spark://HOST:PORT cluster_job.py ARCHIVE_DIR OUT_DIR MAX_LINE_BYTES
"""

import json
import sys
from pathlib import Path

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from evschema.spark import summary, validate

archive, out, max_line_bytes = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
spark = SparkSession.builder.appName("evschema-cluster-test").getOrCreate()
# One partition per archive (gzip is not splittable); the row's place is kept for the order.
lines = spark.read.text(archive).select(
    F.input_file_name().alias("file"), F.monotonically_increasing_id().alias("n"), "value"
)
checked = validate(lines, max_line_bytes=max_line_bytes).cache()
rows = [
    {
        "verdict": r["verdict"],
        "valid": r["valid"],
        "type": r["type"],
        "errors": [e.asDict(recursive=True) for e in r["errors"]],
    }
    for r in checked.orderBy("file", "n").collect()
]
report = summary(checked)
result = {
    "rows": rows,
    "by_type": [r.asDict() for r in report.by_type.collect()],
    "problems": [{k: r[k] for k in ("type", "pointer", "kind", "count")} for r in report.problems.collect()],
    # The executors that registered (the driver's block manager is the extra one).
    "executors": spark.sparkContext._jsc.sc().getExecutorMemoryStatus().size() - 1,
}
out.mkdir(parents=True, exist_ok=True)
(out / "result.json").write_text(json.dumps(result))
spark.stop()

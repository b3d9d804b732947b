"""The Opentact event contract check, in Python: the same engine, verdicts and messages as the
``evschema validate`` command, over Arrow arrays of event texts.

``check`` takes any Arrow array or stream of event texts (pyarrow, polars, DuckDB results: an
object with ``__arrow_c_array__`` or ``__arrow_c_stream__``) and returns a
``pyarrow.StructArray`` with one row per input row:

==========  ==========================  ====================================================
column      Arrow type                  meaning
==========  ==========================  ====================================================
verdict     string                      ``valid``, ``invalid``, ``parse_error``,
                                        ``too_large``, ``too_deep``, ``blank`` or
                                        ``internal_error``; null for a null row
valid       bool                        whether the row passes (valid or blank); null for a
                                        null row
type        string                      the event's ``type`` when the contract knows it
errors      list<struct>                the problems, in the report's order; null for a null
                                        row
==========  ==========================  ====================================================

Each problem is a struct of ``pointer`` (a JSON Pointer, RFC 6901), ``kind`` (``required``,
``format``, ..., ``parse``, ``too_large``, ``too_deep``, ``internal``), ``message``, ``line`` and
``column`` (int64, 1-based, inside the row's own text; ``column`` counts characters and is null
when unknown) and ``keywords`` (the schema keywords that failed). A row means exactly what a
record of ``evschema validate --format json`` means for the same text read as an NDJSON line.

``evschema.spark`` runs the same check in Spark (``validate``, ``summary``).
"""

from __future__ import annotations

import functools
import os
from importlib.metadata import version as _version
from typing import Any, Optional, Union

from . import _native

__all__ = [
    "check",
    "checker",
    "VERDICTS",
    "RESULT_COLUMNS",
    "ACCEPTED_TYPES",
    "DUCKDB_TYPE",
    "DEFAULT_MAX_LINE_BYTES",
    "__version__",
]

__version__ = _version("evschema")

#: Every verdict a row can get (null rows get none).
VERDICTS = ("valid", "invalid", "parse_error", "too_large", "too_deep", "blank", "internal_error")

#: The columns of ``check``'s result, in order.
RESULT_COLUMNS = ("verdict", "valid", "type", "errors")

#: The Arrow types ``check`` reads.
ACCEPTED_TYPES = _native.ACCEPTED_TYPES

#: The result's type in DuckDB's SQL, for ``create_function(..., type="arrow")``:
#: ``duckdb.sqltype(evschema.DUCKDB_TYPE)``.
DUCKDB_TYPE = (
    "STRUCT(verdict VARCHAR, valid BOOLEAN, type VARCHAR, errors STRUCT(pointer VARCHAR, "
    'kind VARCHAR, message VARCHAR, line BIGINT, "column" BIGINT, keywords VARCHAR[])[])'
)

#: The longest row read by default, in bytes (``--max-line-bytes``): 1 MiB.
DEFAULT_MAX_LINE_BYTES = 1 << 20


@functools.lru_cache(maxsize=32)
def _checker(
    unknown_fields: str, mask: bool, max_line_bytes: int, schemas: Optional[str]
) -> "_native.Checker":
    """One checker per set of options and process: building one compiles the catalog."""
    return _native.Checker(
        unknown_fields=unknown_fields, mask=mask, max_line_bytes=max_line_bytes, schemas=schemas
    )


def checker(
    *,
    unknown_fields: str = "deny",
    mask: bool = False,
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES,
    schemas: Union[str, "os.PathLike[str]", None] = None,
) -> "_native.Checker":
    """The (cached) checker for these options; ``checker(...).check(values)`` is ``check``.

    Raises ``ValueError`` for an ``unknown_fields`` other than ``"deny"`` or ``"allow"``, a
    ``max_line_bytes`` below 1, or a ``schemas`` folder that does not load.
    """
    if isinstance(mask, bool) is False:
        raise TypeError(f"mask must be a bool, not {type(mask).__name__}")
    if isinstance(max_line_bytes, bool) or not isinstance(max_line_bytes, int):
        raise TypeError(f"max_line_bytes must be an int, not {type(max_line_bytes).__name__}")
    if max_line_bytes < 1:
        raise ValueError(f"max_line_bytes must be at least 1, not {max_line_bytes}")
    folder = None if schemas is None else os.fspath(schemas)
    return _checker(unknown_fields, mask, max_line_bytes, folder)


def check(
    values: Any,
    *,
    unknown_fields: str = "deny",
    mask: bool = False,
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES,
    schemas: Union[str, "os.PathLike[str]", None] = None,
):
    """Checks each row of ``values`` against the contract; returns a ``pyarrow.StructArray``.

    ``values``: an Arrow array or stream of event texts, of type string, large_string,
    string_view, binary, large_binary or binary_view (null rows allowed), or null (every row
    null: an empty or all-null column's type), from any library with the Arrow C data interface; or a list of ``str``/``bytes``/``None``, converted with
    ``pyarrow.array``. The texts are read in place, not copied, and the GIL is released while
    rows are checked.

    Options, as ``evschema validate`` names them: ``unknown_fields`` (``"deny"``, the contract
    check, or ``"allow"``, a tolerant reader), ``mask`` (keep values out of messages),
    ``max_line_bytes`` (a longer row is ``too_large``), ``schemas`` (a catalog folder laid out
    like ``schemas/`` instead of the built-in one).

    Raises ``TypeError`` for values that are not Arrow data of an accepted type (the message
    names the type found and the accepted ones), ``ValueError`` for a bad option, and
    ``ImportError`` when pyarrow is missing (``pip install "evschema[arrow]"``). A row that makes
    the engine fail is an ``internal_error`` row; the other rows are checked.
    """
    _require_pyarrow()
    the_checker = checker(
        unknown_fields=unknown_fields, mask=mask, max_line_bytes=max_line_bytes, schemas=schemas
    )
    if not (hasattr(values, "__arrow_c_array__") or hasattr(values, "__arrow_c_stream__")):
        if isinstance(values, (list, tuple)):
            import pyarrow as pa

            values = pa.array(values)
            # An empty list, or one of None only, has no type to infer: its rows are texts.
            if pa.types.is_null(values.type):
                values = values.cast(pa.string())
    return the_checker.check(values)


def _require_pyarrow() -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError as err:
        raise ImportError(
            'evschema.check returns a pyarrow.StructArray: install pyarrow (pip install "evschema[arrow]")'
        ) from err

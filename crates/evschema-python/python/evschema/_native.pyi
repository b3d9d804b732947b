"""Type stubs of the native module (crates/evschema-python/src/lib.rs)."""

from typing import Any, Optional

ACCEPTED_TYPES: str
FAULT_INJECTION: bool

class Checker:
    def __init__(
        self,
        *,
        unknown_fields: str = "deny",
        mask: bool = False,
        max_line_bytes: int = 1048576,
        schemas: Optional[str] = None,
    ) -> None: ...
    @property
    def uses_fast_path(self) -> bool: ...
    def check(self, values: Any) -> Any: ...

//! `evschema._native`: the Arrow checker ([`evarrow`]) as a Python extension module, built by
//! maturin into the `evschema` wheel (abi3: one wheel for every CPython from 3.9).
//!
//! Python reaches it through `evschema.check` (`python/evschema/__init__.py`), which documents
//! the columns; this module is the thin part: options in, the Arrow C data interface in and
//! out (pyo3-arrow), the GIL released while rows are checked.

use std::path::PathBuf;
use std::sync::Arc;

use arrow_array::{Array, ArrayRef};
use arrow_schema::{DataType, Field};
use evcontract::UnknownFields;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3_arrow::PyArray;
use pyo3_arrow::input::AnyArray;

/// The contract check with one set of options, over Arrow arrays of event texts.
#[pyclass(frozen, module = "evschema._native")]
struct Checker {
    inner: evarrow::Checker,
}

#[pymethods]
impl Checker {
    /// `Checker(*, unknown_fields="deny", mask=False, max_line_bytes=1048576, schemas=None)`.
    ///
    /// Raises `ValueError` for an `unknown_fields` other than `"deny"` or `"allow"`, a
    /// `max_line_bytes` below 1, or a `schemas` folder that does not load.
    #[new]
    #[pyo3(signature = (*, unknown_fields = "deny", mask = false, max_line_bytes = 1 << 20, schemas = None))]
    fn new(
        unknown_fields: &str,
        mask: bool,
        max_line_bytes: u64,
        schemas: Option<PathBuf>,
    ) -> PyResult<Checker> {
        let unknown_fields = match unknown_fields {
            "deny" => UnknownFields::Deny,
            "allow" => UnknownFields::Allow,
            other => {
                return Err(PyValueError::new_err(format!(
                    "unknown_fields must be \"deny\" or \"allow\", not {other:?}"
                )));
            }
        };
        let options = evarrow::Options {
            unknown_fields,
            mask,
            max_line_bytes,
            schemas,
        };
        let inner = evarrow::Checker::new(&options).map_err(PyValueError::new_err)?;
        Ok(Checker { inner })
    }

    /// Whether rows take the models' fast path (true for the built-in catalog).
    #[getter]
    fn uses_fast_path(&self) -> bool {
        self.inner.uses_fast_path()
    }

    /// One verdict row per row of `values` (an object with `__arrow_c_array__` or
    /// `__arrow_c_stream__` holding string or binary rows), as a `pyarrow.StructArray`.
    ///
    /// Raises `TypeError` when `values` has neither interface or holds another type.
    fn check<'py>(
        &self,
        py: Python<'py>,
        values: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let chunks: Vec<ArrayRef> = match values.extract::<AnyArray>() {
            Ok(AnyArray::Array(array)) => vec![array.into_inner().0],
            Ok(AnyArray::Stream(stream)) => {
                let reader = stream.into_reader()?;
                let field = reader.field();
                if !evarrow::is_accepted(field.data_type()) {
                    return Err(unsupported(field.data_type()));
                }
                reader.collect::<Result<Vec<_>, _>>().map_err(|err| {
                    PyValueError::new_err(format!("reading the Arrow stream failed: {err}"))
                })?
            }
            Err(_) => {
                let type_name = values.get_type().name()?;
                return Err(PyTypeError::new_err(format!(
                    "evschema.check takes an Arrow array or stream of event texts (an object with \
                     __arrow_c_array__ or __arrow_c_stream__: pyarrow, polars, DuckDB results), not \
                     {type_name}"
                )));
            }
        };
        let checker = &self.inner;
        let out = py
            .detach(|| checker.check_chunks(chunks.iter().map(|c| c.as_ref() as &dyn Array)))
            .map_err(|err| unsupported(&err.0))?;
        let field = Field::new("evschema", DataType::Struct(evarrow::fields()), true);
        // Handed to `pyarrow.array`, which imports it through `__arrow_c_array__`: no copy.
        let exported = PyArray::new(Arc::new(out), Arc::new(field)).into_pyobject(py)?;
        py.import("pyarrow")?.getattr("array")?.call1((exported,))
    }
}

fn unsupported(data_type: &DataType) -> PyErr {
    PyTypeError::new_err(evarrow::UnsupportedType(data_type.clone()).to_string())
}

/// The module: `Checker`, and the panic hook that turns a failure on one row into that row's
/// `internal_error` while leaving the host's other panics to the host.
#[pymodule]
#[pyo3(name = "_native")]
fn native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    evschema::fault::install_library_hook();
    module.add_class::<Checker>()?;
    module.add("ACCEPTED_TYPES", evarrow::ACCEPTED_TYPES)?;
    // Whether `EVSCHEMA_FAULT` can inject a failure (debug builds: the wheel CI tests).
    module.add("FAULT_INJECTION", cfg!(debug_assertions))?;
    Ok(())
}

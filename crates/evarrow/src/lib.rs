//! The contract check over Arrow arrays: one verdict row for each row of event text.
//!
//! [`Checker::check`] takes an array of event texts — `Utf8`, `LargeUtf8`, `Utf8View`,
//! `Binary`, `LargeBinary` or `BinaryView`, null rows allowed, or `Null` (every row null: what
//! an empty or all-null column is typed as by pyarrow and polars) — and returns a
//! [`StructArray`] of the same length whose row `i` says what the record of
//! `evschema validate --format json` says for the same text as one NDJSON line: the same engine
//! (the models' fast path when the catalog is the built-in one), the same verdicts, problems
//! and messages, through [`evschema::verdict::check_line`]. The columns ([`fields`]):
//!
//! | column | Arrow type | meaning |
//! |---|---|---|
//! | `verdict` | `Utf8` | `valid`, `invalid`, `parse_error`, `too_large`, `too_deep`, `blank` or `internal_error`; null for a null row |
//! | `valid` | `Boolean` | whether the row passes (valid, or blank); null for a null row |
//! | `type` | `Utf8` | the event's `type` when the contract knows it, else null |
//! | `errors` | `List<Struct>` | the problems, in the report's order; empty when valid; null for a null row |
//!
//! Each problem is a struct of `pointer` (`Utf8`, a JSON Pointer, RFC 6901), `kind` (`Utf8`:
//! `required`, `format`, ..., `parse`, `too_large`, `too_deep`, `internal`), `message`
//! (`Utf8`), `line` and `column` (`Int64`, 1-based, counted in the row's own text; `column` in
//! characters, null when unknown) and `keywords` (`List<Utf8>`: the schema keywords that failed,
//! empty for a problem that is not a schema problem).
//!
//! Texts are read where they are, never copied: a string array's bytes are read as bytes (so a
//! string array holding invalid UTF-8, as an engine may hand over, is a `parse_error` for the
//! row, never undefined behaviour), and only a refused row's text is decoded again to locate
//! its problems. A row that makes the engine fail (a bug) is `internal_error` for that row, and
//! the batch goes on.
//!
//! Rows are numbered from 1 in no report: a row's problems give `line` and `column` inside the
//! row's text, which is line 1.

use std::path::PathBuf;
use std::sync::Arc;

use arrow_array::builder::{
    ArrayBuilder, BooleanBuilder, Int64Builder, ListBuilder, StringBuilder, StructBuilder,
};
use arrow_array::cast::AsArray;
use arrow_array::{
    Array, ArrayRef, BinaryArray, GenericBinaryArray, LargeBinaryArray, OffsetSizeTrait,
    StructArray,
};
use arrow_schema::{DataType, Field, Fields};
use evcontract::{Engine, UnknownFields, Values};
use evschema::output::{Record, Source};

/// How rows are checked: the options of `evschema validate` that apply to one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Keys the contract does not list: `Deny` (the contract check, `--unknown-fields deny`)
    /// or `Allow` (a tolerant consumer).
    pub unknown_fields: UnknownFields,
    /// Keep the event's values out of messages (`--mask`).
    pub mask: bool,
    /// The longest row read, in bytes (`--max-line-bytes`, 1 MiB by default); a longer row is
    /// `too_large` and not read. At least 1.
    pub max_line_bytes: u64,
    /// A schema catalog folder laid out like `schemas/` (`--schemas`); `None` for the built-in
    /// one.
    pub schemas: Option<PathBuf>,
}

impl Default for Options {
    /// The defaults of `evschema validate`: deny unknown keys, show values, 1 MiB rows, the
    /// built-in catalog.
    fn default() -> Options {
        Options {
            unknown_fields: UnknownFields::Deny,
            mask: false,
            max_line_bytes: 1 << 20,
            schemas: None,
        }
    }
}

/// The Arrow types [`Checker::check`] reads, as named in its error.
pub const ACCEPTED_TYPES: &str =
    "Utf8, LargeUtf8, Utf8View, Binary, LargeBinary, BinaryView, or Null (every row null)";

/// An array [`Checker::check`] cannot read: its type is not one of [`ACCEPTED_TYPES`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "the array of event texts is of type {0}; the checker reads string or binary arrays \
     ({ACCEPTED_TYPES})"
)]
pub struct UnsupportedType(pub DataType);

/// Whether [`Checker::check`] reads arrays of this type ([`ACCEPTED_TYPES`]).
pub fn is_accepted(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::Utf8
            | DataType::LargeUtf8
            | DataType::Utf8View
            | DataType::Binary
            | DataType::LargeBinary
            | DataType::BinaryView
            | DataType::Null
    )
}

/// The fields of the struct array [`Checker::check`] returns, in column order.
pub fn fields() -> Fields {
    Fields::from(vec![
        Field::new("verdict", DataType::Utf8, true),
        Field::new("valid", DataType::Boolean, true),
        Field::new("type", DataType::Utf8, true),
        Field::new("errors", DataType::List(Arc::new(error_item())), true),
    ])
}

/// The item field of the `errors` list: one problem.
fn error_item() -> Field {
    Field::new("item", DataType::Struct(error_fields()), true)
}

fn error_fields() -> Fields {
    Fields::from(vec![
        Field::new("pointer", DataType::Utf8, false),
        Field::new("kind", DataType::Utf8, false),
        Field::new("message", DataType::Utf8, false),
        Field::new("line", DataType::Int64, false),
        Field::new("column", DataType::Int64, true),
        Field::new(
            "keywords",
            DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
            false,
        ),
    ])
}

/// The contract check over Arrow arrays. Built once (it compiles the catalog: milliseconds),
/// then shared: [`Checker::check`] takes `&self` and may run on several threads at once.
pub struct Checker {
    engine: Engine,
    max_line_bytes: u64,
    source: Arc<Source>,
}

impl Checker {
    /// A checker with these options.
    ///
    /// Errors: `max_line_bytes` of 0, or a `schemas` folder that does not load (the message
    /// names the file), as one line of text.
    pub fn new(options: &Options) -> Result<Checker, String> {
        if options.max_line_bytes == 0 {
            return Err("max_line_bytes must be at least 1".into());
        }
        let values = if options.mask {
            Values::Mask
        } else {
            Values::Show
        };
        let engine =
            evschema::catalog::engine(options.schemas.as_deref(), options.unknown_fields, values)?;
        Ok(Checker {
            engine,
            max_line_bytes: options.max_line_bytes,
            source: Source::stdin(),
        })
    }

    /// Whether the checker takes the models' fast path (true for the built-in catalog).
    pub fn uses_fast_path(&self) -> bool {
        self.engine.uses_fast_path()
    }

    /// The record of one row's text, as `evschema validate` makes it for an NDJSON line (its
    /// source and line mean nothing here).
    pub fn check_row(&self, bytes: &[u8]) -> Record {
        evschema::verdict::check_line(&self.engine, &self.source, 1, bytes, self.max_line_bytes)
    }

    /// One verdict row for each row of `texts` (see the crate's documentation for the
    /// columns).
    ///
    /// Errors: [`UnsupportedType`] when `texts` is not a string or binary array.
    pub fn check(&self, texts: &dyn Array) -> Result<StructArray, UnsupportedType> {
        self.check_chunks([texts])
    }

    /// One verdict row for each row of each chunk, in order, as one array: the chunks of a
    /// chunked array or of a stream, checked as if they were one array.
    ///
    /// Errors: [`UnsupportedType`] for the first chunk that is not a string or binary array,
    /// before any row is checked.
    pub fn check_chunks<'a>(
        &self,
        chunks: impl IntoIterator<Item = &'a dyn Array> + Clone,
    ) -> Result<StructArray, UnsupportedType> {
        let mut rows = 0;
        for chunk in chunks.clone() {
            if !is_accepted(chunk.data_type()) {
                return Err(UnsupportedType(chunk.data_type().clone()));
            }
            // The builders' capacity only: a wrong count costs reallocations, never a row
            // (cargo mutants' `+=` → `*=` here is equivalent).
            rows += chunk.len();
        }
        let mut out = Output::with_capacity(rows);
        for chunk in chunks {
            self.fill(chunk, &mut out);
        }
        Ok(out.finish())
    }

    /// Checks the rows of `texts`, of an accepted type, into `out`.
    fn fill(&self, texts: &dyn Array, out: &mut Output) {
        match texts.data_type() {
            // A string array is read through a binary array over the same buffers: no copy,
            // and no `&str` over bytes that another engine may have left unchecked.
            DataType::Utf8 => {
                self.binary(&BinaryArray::from(texts.as_string::<i32>().clone()), out)
            }
            DataType::LargeUtf8 => {
                self.binary(
                    &LargeBinaryArray::from(texts.as_string::<i64>().clone()),
                    out,
                );
            }
            DataType::Binary => self.binary(texts.as_binary::<i32>(), out),
            DataType::LargeBinary => self.binary(texts.as_binary::<i64>(), out),
            DataType::Utf8View => {
                let views = texts.as_string_view().clone().to_binary_view();
                self.rows(
                    (0..views.len()).map(|i| views.is_valid(i).then(|| views.value(i))),
                    out,
                );
            }
            DataType::BinaryView => {
                let views = texts.as_binary_view();
                self.rows(
                    (0..views.len()).map(|i| views.is_valid(i).then(|| views.value(i))),
                    out,
                );
            }
            DataType::Null => self.rows((0..texts.len()).map(|_| None), out),
            // Refused by `check_chunks` before any row is checked.
            _ => {}
        }
    }

    /// Rows of an offset-based binary array.
    fn binary<O: OffsetSizeTrait>(&self, array: &GenericBinaryArray<O>, out: &mut Output) {
        self.rows(
            (0..array.len()).map(|i| array.is_valid(i).then(|| array.value(i))),
            out,
        );
    }

    fn rows<'a>(&self, rows: impl Iterator<Item = Option<&'a [u8]>>, out: &mut Output) {
        for row in rows {
            match row {
                Some(bytes) => out.record(&self.check_row(bytes)),
                None => out.null(),
            }
        }
    }
}

/// The builders of the result's columns.
struct Output {
    verdict: StringBuilder,
    valid: BooleanBuilder,
    event_type: StringBuilder,
    errors: ListBuilder<StructBuilder>,
}

impl Output {
    fn with_capacity(rows: usize) -> Output {
        let problem = StructBuilder::new(
            error_fields(),
            vec![
                Box::new(StringBuilder::new()) as Box<dyn ArrayBuilder>,
                Box::new(StringBuilder::new()),
                Box::new(StringBuilder::new()),
                Box::new(Int64Builder::new()),
                Box::new(Int64Builder::new()),
                Box::new(ListBuilder::new(StringBuilder::new())),
            ],
        );
        Output {
            verdict: StringBuilder::with_capacity(rows, rows * 8),
            valid: BooleanBuilder::with_capacity(rows),
            event_type: StringBuilder::with_capacity(rows, rows * 8),
            errors: ListBuilder::with_capacity(problem, rows).with_field(Arc::new(error_item())),
        }
    }

    fn null(&mut self) {
        self.verdict.append_null();
        self.valid.append_null();
        self.event_type.append_null();
        self.errors.append_null();
    }

    fn record(&mut self, record: &Record) {
        self.verdict.append_value(record.verdict.as_str());
        self.valid.append_value(record.verdict.passes());
        self.event_type.append_option(record.event_type.as_deref());
        let problems = self.errors.values();
        for problem in &record.problems {
            string(problems, 0).append_value(&problem.pointer);
            string(problems, 1).append_value(problem.kind.as_str());
            string(problems, 2).append_value(&problem.message);
            int(problems, 3).append_value(to_i64(problem.line));
            int(problems, 4).append_option(problem.column.map(to_i64));
            let keywords = problems
                .field_builder::<ListBuilder<StringBuilder>>(5)
                .expect("field 5 of a problem is its keywords");
            for keyword in &problem.keywords {
                keywords.values().append_value(keyword);
            }
            keywords.append(true);
            problems.append(true);
        }
        self.errors.append(true);
    }

    fn finish(mut self) -> StructArray {
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.verdict.finish()),
            Arc::new(self.valid.finish()),
            Arc::new(self.event_type.finish()),
            Arc::new(self.errors.finish()),
        ];
        StructArray::new(fields(), columns, None)
    }
}

fn string(problems: &mut StructBuilder, i: usize) -> &mut StringBuilder {
    problems
        .field_builder::<StringBuilder>(i)
        .expect("fields 0 to 2 of a problem are strings")
}

fn int(problems: &mut StructBuilder, i: usize) -> &mut Int64Builder {
    problems
        .field_builder::<Int64Builder>(i)
        .expect("fields 3 and 4 of a problem are integers")
}

/// A line or column as Arrow's `Int64` (Spark's `bigint`): saturates past `i64::MAX`, which no
/// row of at most 2^63 bytes reaches.
fn to_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

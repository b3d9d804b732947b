//! `minLength`, `maxLength`, `pattern` and `format`.
//!
//! Patterns and formats are compared by name: a reader's pattern or format is satisfied only
//! by the same one in the producer. A producer's format is not taken to restrict its strings
//! in any other way, since not every validator asserts formats.

use serde_json::{Value, json};

use crate::formats::{format_samples, format_violations};
use crate::generate;
use crate::kind::ChangeKind;
use crate::normal::Record;
use crate::prove::Prover;
use crate::regex::Inclusion;
use crate::walk::Walk;

/// The producer's strings all satisfy the reader's lengths, patterns and formats. A reader's
/// pattern is satisfied by a producer's pattern whose language it includes.
pub(crate) fn includes(prover: &Prover<'_, '_>, p: &Record, r: &Record) -> bool {
    r.min_length <= p.min_length
        && r.max_length
            .is_none_or(|max| p.max_length.is_some_and(|m| m <= max))
        && r.patterns.iter().all(|pattern| {
            pattern.is_empty()
                || p.patterns.contains(pattern)
                || p.patterns
                    .iter()
                    .any(|own| prover.oracle.pattern_inclusion(own, pattern) == Inclusion::Included)
        })
        && r.formats.iter().all(|format| p.formats.contains(format))
}

/// Same lengths, patterns and formats.
pub(crate) fn same(a: &Record, b: &Record) -> bool {
    a.min_length == b.min_length
        && a.max_length == b.max_length
        && a.patterns == b.patterns
        && a.formats == b.formats
}

/// No string has a length both allow.
pub(crate) fn disjoint(a: &Record, b: &Record) -> bool {
    let lo = a.min_length.max(b.min_length);
    let hi = match (a.max_length, b.max_length) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) | (None, x) => x,
    };
    hi.is_some_and(|hi| hi < lo)
}

/// The changes of lengths, patterns and formats.
pub(crate) fn diff(w: &mut Walk<'_, '_, '_>, o: &Record, n: &Record) {
    for (min, old, new) in [
        (true, Some(o.min_length), Some(n.min_length)),
        (false, o.max_length, n.max_length),
    ] {
        if old != new {
            w.emit(
                ChangeKind::Length { min, old, new },
                old.map(|m| json!(m)),
                new.map(|m| json!(m)),
            );
        }
    }
    let one = |v: &Vec<String>| match v.as_slice() {
        [] => None,
        [x] => Some(json!(x)),
        _ => Some(json!(v)),
    };
    if o.patterns != n.patterns {
        w.emit(
            ChangeKind::Patterns {
                old: o.patterns.clone(),
                new: n.patterns.clone(),
            },
            one(&o.patterns),
            one(&n.patterns),
        );
    }
    if o.formats != n.formats {
        w.emit(
            ChangeKind::Formats {
                old: o.formats.clone(),
                new: n.formats.clone(),
            },
            one(&o.formats),
            one(&n.formats),
        );
    }
}

/// Strings the producer may send that are likely to fall outside the reader: strings one of
/// its patterns matches and a reader's pattern does not, its own samples, and the same cut or
/// padded to the reader's lengths, or altered slightly.
pub(crate) fn aimed(prover: &Prover<'_, '_>, rp: &Record, rr: &Record) -> Vec<Value> {
    let base = generate::strings(rp);
    let mut out: Vec<String> = Vec::new();
    for own in &rp.patterns {
        for pattern in &rr.patterns {
            if let Inclusion::Counterexample(text) = prover.oracle.pattern_inclusion(own, pattern) {
                out.push(text);
            }
        }
    }
    out.extend(base.iter().cloned());
    for s in &base {
        let len = s.chars().count() as u64;
        if let Some(max) = rr.max_length {
            let pad = s.chars().last().unwrap_or('a').to_string();
            if len <= max {
                out.push(format!("{s}{}", pad.repeat((max + 1 - len) as usize)));
            }
        }
        if rr.min_length > 0 && len >= rr.min_length {
            out.push(s.chars().take(rr.min_length as usize - 1).collect());
        }
        out.push(s.to_uppercase());
        out.push(format!("{s}x"));
        out.push(s.chars().skip(1).collect());
        out.push(s.replacen('T', " ", 1));
    }
    for format in &rr.formats {
        out.extend(format_violations(format).iter().map(|s| (*s).to_owned()));
        // Valid strings of another format are rarely valid in this one.
        for other in ["date-time", "uuid", "ipv4", "email", "uri", "date"] {
            if other != format {
                out.extend(format_samples(other).iter().map(|s| (*s).to_owned()));
            }
        }
    }
    out.into_iter().map(Value::String).collect()
}

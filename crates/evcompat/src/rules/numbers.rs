//! `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum` and `multipleOf`.

use std::cmp::Ordering;

use serde_json::{Number, Value, json};

use crate::kind::ChangeKind;
use crate::normal::{Bound, Record, Types, cmp_numbers, tighter};
use crate::walk::Walk;

/// The producer's numbers all satisfy the reader's bounds and multiples.
pub(crate) fn includes(p: &Record, r: &Record) -> bool {
    let integers_only = !p.effective_types().intersects(Types::FRACTION);
    bound_holds(&p.minimum, &r.minimum, integers_only, true)
        && bound_holds(&p.maximum, &r.maximum, integers_only, false)
        && r.multiple_of
            .iter()
            .all(|m| (integers_only && is_one(m)) || p.multiple_of.iter().any(|n| divides(m, n)))
}

/// Whether every number within `p` (a lower bound when `lower`) is within `r`.
pub(crate) fn bound_holds(
    p: &Option<Bound>,
    r: &Option<Bound>,
    integers_only: bool,
    lower: bool,
) -> bool {
    let Some(r) = r else { return true };
    let Some(p) = p else { return false };
    let order = cmp_numbers(&p.value, &r.value);
    // `Greater`: the producer's bound is the stricter one.
    let order = if lower { order } else { order.reverse() };
    match order {
        Ordering::Greater => true,
        Ordering::Equal => !r.exclusive || p.exclusive,
        Ordering::Less => {
            integers_only
                && p.first_integer(lower)
                    .is_some_and(|edge| satisfies(&edge, r, lower))
        }
    }
}

/// Whether `value` is within the bound.
fn satisfies(value: &Number, bound: &Bound, lower: bool) -> bool {
    let order = cmp_numbers(value, &bound.value);
    let order = if lower { order } else { order.reverse() };
    order == Ordering::Greater || (order == Ordering::Equal && !bound.exclusive)
}

fn as_int(n: &Number) -> Option<i128> {
    n.as_i64()
        .map(i128::from)
        .or_else(|| n.as_u64().map(i128::from))
        .or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 1e30)
                .map(|f| f as i128)
        })
}

fn is_one(n: &Number) -> bool {
    as_int(n) == Some(1)
}

/// Whether every multiple of `n` is a multiple of `m`: the same number, or integers where `m`
/// divides `n`. (Fractional multiples are compared only when equal: validators check them in
/// floating point, where "divides" is not exact.)
pub(crate) fn divides(m: &Number, n: &Number) -> bool {
    if cmp_numbers(m, n) == Ordering::Equal {
        return true;
    }
    match (as_int(m), as_int(n)) {
        (Some(m), Some(n)) if m != 0 => n % m == 0,
        _ => false,
    }
}

/// Same bounds and multiples.
pub(crate) fn same(a: &Record, b: &Record) -> bool {
    let bound = |x: &Option<Bound>, y: &Option<Bound>| match (x, y) {
        (None, None) => true,
        (Some(x), Some(y)) => {
            x.exclusive == y.exclusive && cmp_numbers(&x.value, &y.value) == Ordering::Equal
        }
        _ => false,
    };
    bound(&a.minimum, &b.minimum)
        && bound(&a.maximum, &b.maximum)
        && a.multiple_of.len() == b.multiple_of.len()
        && a.multiple_of.iter().all(|m| {
            b.multiple_of
                .iter()
                .any(|n| cmp_numbers(m, n) == Ordering::Equal)
        })
}

/// No number of type `t` is within both records' bounds.
pub(crate) fn disjoint(t: Types, a: &Record, b: &Record) -> bool {
    let lower = tighter(&a.minimum, &b.minimum, true);
    let upper = tighter(&a.maximum, &b.maximum, false);
    let (Some(lo), Some(hi)) = (lower, upper) else {
        return false;
    };
    match cmp_numbers(&lo.value, &hi.value) {
        Ordering::Greater => true,
        Ordering::Equal => lo.exclusive || hi.exclusive,
        Ordering::Less if t == Types::INTEGER => {
            match (lo.first_integer(true), hi.first_integer(false)) {
                (Some(first), Some(last)) => cmp_numbers(&first, &last) == Ordering::Greater,
                _ => false,
            }
        }
        Ordering::Less => false,
    }
}

/// The changes of bounds and multiples.
pub(crate) fn diff(w: &mut Walk<'_, '_, '_>, o: &Record, n: &Record) {
    for (lower, ob, nb) in [
        (true, &o.minimum, &n.minimum),
        (false, &o.maximum, &n.maximum),
    ] {
        let same_bound = match (ob, nb) {
            (None, None) => true,
            (Some(x), Some(y)) => {
                x.exclusive == y.exclusive && cmp_numbers(&x.value, &y.value) == Ordering::Equal
            }
            _ => false,
        };
        if !same_bound {
            w.emit(
                ChangeKind::Bound {
                    lower,
                    old: ob.clone(),
                    new: nb.clone(),
                },
                ob.as_ref().map(|b| Value::Number(b.value.clone())),
                nb.as_ref().map(|b| Value::Number(b.value.clone())),
            );
        }
    }
    let same_multiples = o.multiple_of.len() == n.multiple_of.len()
        && o.multiple_of.iter().all(|m| {
            n.multiple_of
                .iter()
                .any(|x| cmp_numbers(m, x) == Ordering::Equal)
        });
    if !same_multiples {
        let list = |v: &[Number]| (!v.is_empty()).then(|| json!(v));
        w.emit(
            ChangeKind::MultipleOf {
                old: o.multiple_of.clone(),
                new: n.multiple_of.clone(),
            },
            list(&o.multiple_of),
            list(&n.multiple_of),
        );
    }
}

/// Numbers on the edges: the producer's bounds, just past the reader's, multiples of the
/// producer's `multipleOf`.
pub(crate) fn aimed(rp: &Record, rr: &Record) -> Vec<Value> {
    let mut out = Vec::new();
    let types = rp.effective_types();
    if types.intersects(Types::INTEGER) {
        out.extend(crate::generate::integers(rp));
    }
    if types.intersects(Types::FRACTION) {
        out.extend(crate::generate::fractions(rp));
    }
    for (bound, outward) in [(&rr.minimum, -1.0), (&rr.maximum, 1.0)] {
        if let Some(b) = bound
            && let Some(v) = b.value.as_f64()
        {
            for delta in [0.0, 1.0, 0.5, 1e-6] {
                if let Some(n) = Number::from_f64(v + outward * delta) {
                    out.push(Value::Number(n));
                }
            }
            if let Some(i) = b.value.as_i64() {
                out.push(json!(i.saturating_add(outward as i64)));
            }
        }
    }
    for m in &rp.multiple_of {
        if let Some(i) = m.as_u64() {
            out.extend((1..=12).map(|k| json!(i.saturating_mul(k))));
        } else if let Some(f) = m.as_f64() {
            out.extend(
                (1..=12)
                    .filter_map(|k| Number::from_f64(f * f64::from(k)))
                    .map(Value::Number),
            );
        }
    }
    out
}

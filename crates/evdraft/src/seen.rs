//! What the captures show at each place of an event: which JSON types, how often, which
//! strings, which keys. One pass over the captures builds the tree; inference reads it.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::fixtures::Ordered;

/// A value's place in one capture: the capture's index and a JSON Pointer (RFC 6901) into it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct At {
    /// The index of the capture, in the order the captures were given.
    pub capture: usize,
    /// Where in the capture.
    pub pointer: String,
}

/// How many values of one JSON type were seen at a place, and the first of them.
#[derive(Debug, Clone, Default)]
pub struct Count {
    /// How many.
    pub count: usize,
    /// Where the first one was.
    pub first: Option<At>,
}

impl Count {
    fn add(&mut self, at: &At) {
        if self.count == 0 {
            self.first = Some(at.clone());
        }
        self.count += 1;
    }
}

/// At most this many distinct strings are kept per place: enough to decide an enum (at most
/// [`crate::infer::ENUM_MAX_VALUES`] values) or to reuse one of the catalog's (the longest has
/// 14), while a place with free text keeps a bounded set.
pub const DISTINCT_LIMIT: usize = 64;

/// The strings seen at a place.
#[derive(Debug, Clone)]
pub struct Strings {
    /// How many, and the first.
    pub seen: Count,
    /// The distinct strings with how often each was seen, up to [`DISTINCT_LIMIT`] of them.
    pub distinct: BTreeMap<String, usize>,
    /// More than [`DISTINCT_LIMIT`] distinct strings were seen (`distinct` holds the first).
    pub many: bool,
    /// Whether every string fits each of the catalog's checked string types.
    pub fits: Fits,
}

impl Default for Strings {
    fn default() -> Self {
        Strings {
            seen: Count::default(),
            distinct: BTreeMap::new(),
            many: false,
            fits: Fits::all(),
        }
    }
}

/// Whether every string seen at a place passes each checked scalar's check (the same check
/// the models run: `opentact_events::Timestamp::new` and its kin).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fits {
    /// [`opentact_events::Timestamp`]: UTC, milliseconds, `Z`.
    pub timestamp: bool,
    /// [`opentact_events::Uuid`].
    pub uuid: bool,
    /// [`opentact_events::Thread`]: 32 lowercase hexadecimal characters.
    pub thread: bool,
    /// [`opentact_events::IpAddress`].
    pub ip: bool,
    /// [`opentact_events::Email`].
    pub email: bool,
    /// Phone-like: an optional `+`, then 5 to 15 digits (anonymised as a phone number).
    pub phone: bool,
}

impl Fits {
    fn all() -> Fits {
        Fits {
            timestamp: true,
            uuid: true,
            thread: true,
            ip: true,
            email: true,
            phone: true,
        }
    }

    /// Which checks `text` passes.
    pub fn of(text: &str) -> Fits {
        Fits {
            timestamp: opentact_events::Timestamp::new(text).is_ok(),
            uuid: opentact_events::Uuid::new(text).is_ok(),
            thread: opentact_events::Thread::new(text).is_ok(),
            ip: opentact_events::IpAddress::new(text).is_ok(),
            email: opentact_events::Email::new(text).is_ok(),
            phone: phone_like(text),
        }
    }

    fn and(self, other: Fits) -> Fits {
        Fits {
            timestamp: self.timestamp && other.timestamp,
            uuid: self.uuid && other.uuid,
            thread: self.thread && other.thread,
            ip: self.ip && other.ip,
            email: self.email && other.email,
            phone: self.phone && other.phone,
        }
    }
}

/// An optional `+`, then 5 to 15 ASCII digits: a phone number as the platform writes one in a
/// string (E.164 has at most 15 digits).
pub fn phone_like(text: &str) -> bool {
    let digits = text.strip_prefix('+').unwrap_or(text);
    (5..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

/// The integers seen at a place (numbers written without a fraction or an exponent).
#[derive(Debug, Clone)]
pub struct Integers {
    /// How many, and the first.
    pub seen: Count,
    /// The smallest.
    pub min: i128,
    /// The largest.
    pub max: i128,
    /// Where the smallest was first seen.
    pub min_at: Option<At>,
    /// Where the largest was first seen.
    pub max_at: Option<At>,
}

impl Default for Integers {
    fn default() -> Self {
        Integers {
            seen: Count::default(),
            min: i128::MAX,
            max: i128::MIN,
            min_at: None,
            max_at: None,
        }
    }
}

/// The arrays seen at a place, and what their items are.
#[derive(Debug, Clone, Default)]
pub struct Arrays {
    /// How many, and the first.
    pub seen: Count,
    /// How many were empty.
    pub empty: usize,
    /// The items of every array seen here, as one place (none until an item is seen).
    items: Option<Box<Seen>>,
}

impl Arrays {
    /// The items of every array seen here, as one place.
    pub fn items(&self) -> &Seen {
        static NONE: std::sync::LazyLock<Seen> = std::sync::LazyLock::new(Seen::default);
        self.items.as_deref().unwrap_or(&NONE)
    }
}

/// One key of the objects seen at a place.
#[derive(Debug, Clone)]
pub struct Key {
    /// The key, as on the wire.
    pub name: String,
    /// In how many of the objects it was present (null included).
    pub present: usize,
    /// Where it was first absent, when it was.
    pub first_absent: Option<At>,
    /// Its values.
    pub seen: Seen,
}

/// The objects seen at a place, and their keys.
#[derive(Debug, Clone, Default)]
pub struct Objects {
    /// How many, and the first.
    pub seen: Count,
    /// How many had no key at all.
    pub empty: usize,
    /// Every key seen in any of them, in the order first seen (the platform's order).
    pub keys: Vec<Key>,
    index: BTreeMap<String, usize>,
    /// The keys (by index) in every object so far: the only ones whose first absence is still
    /// to be found, so that an object costs its own keys, not every key ever seen here.
    never_absent: Vec<usize>,
}

impl Objects {
    /// The key named `name`, if it was seen.
    pub fn key(&self, name: &str) -> Option<&Key> {
        self.index.get(name).map(|&i| &self.keys[i])
    }
}

/// Everything seen at one place of the captures.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    /// Nulls.
    pub nulls: Count,
    /// `true` and `false`.
    pub bools: Count,
    /// Integers.
    pub integers: Integers,
    /// Numbers with a fraction or an exponent (`1.5`, `1e3`, `5.0`), and integers past 64 bits
    /// (which serde_json reads as doubles).
    pub floats: Count,
    /// Strings.
    pub strings: Strings,
    /// Arrays.
    pub arrays: Arrays,
    /// Objects.
    pub objects: Objects,
}

impl Seen {
    /// How many values were seen here, nulls included.
    pub fn values(&self) -> usize {
        self.nulls.count + self.non_null()
    }

    /// How many values that are not null were seen here.
    pub fn non_null(&self) -> usize {
        self.bools.count
            + self.integers.seen.count
            + self.floats.count
            + self.strings.seen.count
            + self.arrays.seen.count
            + self.objects.seen.count
    }

    /// Adds one value, seen at `at`, and everything inside it; `order` has its objects' keys
    /// in the order of its text, which is the order they are first seen in.
    pub fn add(&mut self, value: &Value, order: &Ordered, at: &mut At) {
        match value {
            Value::Null => self.nulls.add(at),
            Value::Bool(_) => self.bools.add(at),
            Value::Number(n) => {
                let integer = n
                    .as_i64()
                    .map(i128::from)
                    .or_else(|| n.as_u64().map(i128::from));
                match integer {
                    Some(i) => {
                        let ints = &mut self.integers;
                        ints.seen.add(at);
                        if i < ints.min {
                            ints.min = i;
                            ints.min_at = Some(at.clone());
                        }
                        if i > ints.max {
                            ints.max = i;
                            ints.max_at = Some(at.clone());
                        }
                    }
                    None => self.floats.add(at),
                }
            }
            Value::String(text) => {
                let strings = &mut self.strings;
                strings.seen.add(at);
                strings.fits = strings.fits.and(Fits::of(text));
                if let Some(n) = strings.distinct.get_mut(text) {
                    *n += 1;
                } else if strings.distinct.len() < DISTINCT_LIMIT {
                    strings.distinct.insert(text.clone(), 1);
                } else {
                    strings.many = true;
                }
            }
            Value::Array(items) => {
                let arrays = &mut self.arrays;
                arrays.seen.add(at);
                if items.is_empty() {
                    arrays.empty += 1;
                }
                for (i, item) in items.iter().enumerate() {
                    let len = at.pointer.len();
                    at.pointer.push('/');
                    at.pointer.push_str(&i.to_string());
                    let inner = order.item(i).unwrap_or(&Ordered::Scalar);
                    arrays.items.get_or_insert_default().add(item, inner, at);
                    at.pointer.truncate(len);
                }
            }
            Value::Object(map) => {
                let objects = &mut self.objects;
                objects.seen.add(at);
                if map.is_empty() {
                    objects.empty += 1;
                }
                for name in order.keys(map) {
                    let item = &map[name];
                    let i = match objects.index.get(name) {
                        Some(&i) => i,
                        None => {
                            objects.index.insert(name.to_owned(), objects.keys.len());
                            // The objects before this one lacked the key.
                            let first_absent =
                                (objects.seen.count > 1).then(|| objects.seen.first.clone());
                            let first_absent = first_absent.flatten();
                            if first_absent.is_none() {
                                objects.never_absent.push(objects.keys.len());
                            }
                            objects.keys.push(Key {
                                name: name.to_owned(),
                                present: 0,
                                first_absent,
                                seen: Seen::default(),
                            });
                            objects.keys.len() - 1
                        }
                    };
                    let key = &mut objects.keys[i];
                    key.present += 1;
                    let len = at.pointer.len();
                    opentact_events::json::pointer::push_token(&mut at.pointer, name);
                    let inner = order.member(name).unwrap_or(&Ordered::Scalar);
                    key.seen.add(item, inner, at);
                    at.pointer.truncate(len);
                }
                // Keys in every earlier object but not in this one.
                let keys = &mut objects.keys;
                objects.never_absent.retain(|&i| {
                    let there = map.contains_key(&keys[i].name);
                    if !there {
                        keys[i].first_absent = Some(at.clone());
                    }
                    there
                });
            }
        }
    }
}

/// What the captures show, from the event's root: one [`Seen`] tree over all of them. Each
/// value comes with its key order (keys not in it come after, sorted).
pub fn observe(values: &[(&Value, &Ordered)]) -> Seen {
    let mut root = Seen::default();
    for (capture, (value, order)) in values.iter().enumerate() {
        let mut at = At {
            capture,
            pointer: String::new(),
        };
        root.add(value, order, &mut at);
    }
    root
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn seen(values: &[Value]) -> Seen {
        let pairs: Vec<(&Value, &Ordered)> = values.iter().map(|v| (v, &Ordered::Scalar)).collect();
        observe(&pairs)
    }

    #[test]
    fn counts_each_json_type_and_where_it_was_first() {
        let s = seen(&[
            json!(null),
            json!(true),
            json!(3),
            json!(-7),
            json!(1.5),
            json!(5.0),
            json!("x"),
            json!([]),
            json!({}),
        ]);
        assert_eq!(s.nulls.count, 1);
        assert_eq!(s.bools.count, 1);
        assert_eq!(s.integers.seen.count, 2);
        assert_eq!((s.integers.min, s.integers.max), (-7, 3));
        assert_eq!(s.integers.min_at.as_ref().map(|a| a.capture), Some(3));
        assert_eq!(s.integers.max_at.as_ref().map(|a| a.capture), Some(2));
        assert_eq!(s.floats.count, 2, "5.0 is written with a fraction");
        assert_eq!(s.floats.first.as_ref().map(|a| a.capture), Some(4));
        assert_eq!(s.strings.seen.count, 1);
        assert_eq!(s.arrays.seen.count, 1);
        assert_eq!(s.arrays.empty, 1);
        assert_eq!(s.objects.seen.count, 1);
        assert_eq!(s.objects.empty, 1);
        assert_eq!(s.values(), 9);
        assert_eq!(s.non_null(), 8);
    }

    #[test]
    fn the_smallest_and_largest_are_where_each_was_first_seen() {
        let s = seen(&[json!(5), json!(1), json!(9), json!(1), json!(9)]);
        assert_eq!((s.integers.min, s.integers.max), (1, 9));
        assert_eq!(s.integers.min_at.as_ref().map(|a| a.capture), Some(1));
        assert_eq!(s.integers.max_at.as_ref().map(|a| a.capture), Some(2));
    }

    #[test]
    fn integers_past_64_bits_are_floats_and_u64_is_kept_exact() {
        let s = seen(&[json!(u64::MAX), json!(i64::MIN)]);
        assert_eq!(s.integers.max, i128::from(u64::MAX));
        assert_eq!(s.integers.min, i128::from(i64::MIN));
        let big: Value = serde_json::from_str("18446744073709551616").expect("a number");
        assert_eq!(seen(&[big]).floats.count, 1);
    }

    #[test]
    fn keys_keep_their_first_seen_order_presence_and_first_absence() {
        let s = seen(&[
            json!({"b": 1, "a": null}),
            json!({"b": 2}),
            json!({"c": "x", "b": 3}),
        ]);
        let objects = &s.objects;
        // Without their text's order, an object's keys come sorted; across objects, the
        // first seen comes first.
        let names: Vec<&str> = objects.keys.iter().map(|k| k.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c"]);
        let a = objects.key("a").expect("seen");
        assert_eq!(a.present, 1);
        assert_eq!(a.seen.nulls.count, 1);
        assert_eq!(a.first_absent.as_ref().map(|at| at.capture), Some(1));
        let b = objects.key("b").expect("seen");
        assert_eq!((b.present, b.first_absent.clone()), (3, None));
        assert_eq!(
            b.seen.integers.max_at.as_ref().map(|a| a.pointer.as_str()),
            Some("/b")
        );
        let c = objects.key("c").expect("seen");
        assert_eq!(c.present, 1);
        assert_eq!(
            c.first_absent.as_ref().map(|at| at.capture),
            Some(0),
            "absent from the objects before it was first seen"
        );
        assert!(objects.key("d").is_none());
    }

    #[test]
    fn array_items_are_one_place_with_pointers_to_each() {
        let s = seen(&[json!({"xs": [1, "a"]}), json!({"xs": [[], null]})]);
        let xs = &s.objects.key("xs").expect("seen").seen;
        assert_eq!(xs.arrays.seen.count, 2);
        let items = xs.arrays.items();
        assert_eq!(items.integers.seen.count, 1);
        assert_eq!(
            items
                .strings
                .seen
                .first
                .as_ref()
                .map(|a| a.pointer.as_str()),
            Some("/xs/1")
        );
        assert_eq!(items.arrays.seen.count, 1);
        assert_eq!(
            items.nulls.first,
            Some(At {
                capture: 1,
                pointer: "/xs/1".into()
            })
        );
    }

    #[test]
    fn strings_are_counted_and_checked_against_every_scalar() {
        let s = seen(&[json!("b"), json!("a"), json!("b")]);
        assert_eq!(s.strings.distinct.get("b"), Some(&2));
        assert_eq!(s.strings.distinct.get("a"), Some(&1));
        assert!(!s.strings.many);
        let many: Vec<Value> = (0..=DISTINCT_LIMIT)
            .map(|i| json!(format!("v{i}")))
            .collect();
        let s = seen(&many);
        assert!(s.strings.many);
        assert_eq!(s.strings.distinct.len(), DISTINCT_LIMIT);
        let fits = |texts: &[&str]| {
            seen(&texts.iter().map(|t| json!(t)).collect::<Vec<_>>())
                .strings
                .fits
        };
        let ts = fits(&["2024-02-19T16:06:00.210Z"]);
        assert!(ts.timestamp && !ts.uuid && !ts.email && !ts.ip && !ts.thread && !ts.phone);
        let both = fits(&["2024-02-19T16:06:00.210Z", "x@y"]);
        assert!(!both.timestamp && !both.email);
        assert!(fits(&["58699aff-b3dd-46b6-b428-029cde3368a4"]).uuid);
        assert!(fits(&["f2fc43433c39837ba33497b10910cf76"]).thread);
        assert!(fits(&["10.0.0.1", "2001:db8::1"]).ip);
        assert!(fits(&["a@b"]).email);
        assert!(fits(&["+18382049000", "0123456789"]).phone);
    }

    #[test]
    fn phone_like_strings() {
        for yes in ["12345", "+12345", "123456789012345", "0839"] {
            assert_eq!(phone_like(yes), yes.len() >= 5, "{yes}");
        }
        for no in [
            "1234",
            "+1234",
            "1234567890123456",
            "+",
            "",
            "12 34 56",
            "+1-800-555",
            "1234a",
        ] {
            assert!(!phone_like(no), "{no}");
        }
    }
}

#[cfg(test)]
mod order_tests {
    use super::*;

    #[test]
    fn keys_come_in_the_order_of_their_text() {
        let texts = [
            r#"{"z": 1, "a": {"y": 1, "b": [{"x": 1, "c": 1}]}}"#,
            r#"{"m": 1, "a": {"b": []}}"#,
        ];
        let values: Vec<Value> = texts
            .iter()
            .map(|t| serde_json::from_str(t).expect("JSON"))
            .collect();
        let orders: Vec<Ordered> = texts.iter().map(|t| Ordered::read(t.as_bytes())).collect();
        let pairs: Vec<(&Value, &Ordered)> = values.iter().zip(&orders).collect();
        let s = observe(&pairs);
        let names = |o: &Objects| o.keys.iter().map(|k| k.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&s.objects), ["z", "a", "m"]);
        let a = &s.objects.key("a").expect("seen").seen.objects;
        assert_eq!(names(a), ["y", "b"]);
        let items = a.key("b").expect("seen").seen.arrays.items();
        assert_eq!(names(&items.objects), ["x", "c"]);
    }
}

//! `pattern`s compared as languages: whether every string one pattern matches is matched by
//! another, and if not, a string that shows it.
//!
//! Both patterns are translated from ECMA-262 to Rust syntax by `jsonschema-regex`, the
//! translation the validators use, and compiled into lazy DFAs (`regex-automata`) that search
//! anywhere in the string, as `pattern` does. A breadth-first walk over pairs of states looks
//! for a string the first matches and the second does not. Over every byte value the walk is a
//! proof when it finds none; over ASCII only it finds readable counterexamples. Anything the
//! DFAs cannot take (look-around, back-references, Unicode word boundaries, too many states)
//! is "not known".

use std::collections::{HashMap, VecDeque};

use regex_automata::Input;
use regex_automata::hybrid::LazyStateID;
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::util::syntax;

/// What comparing two patterns found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Inclusion {
    /// Every string the first matches, the second matches.
    Included,
    /// A string the first matches and the second does not.
    Counterexample(String),
    /// Neither could be shown.
    Unknown,
}

/// How many pairs of states a comparison may visit.
const MAX_PAIRS: usize = 20_000;

struct Automaton {
    dfa: DFA,
    cache: Cache,
}

impl Automaton {
    fn new(pattern: &str) -> Option<Automaton> {
        let translated = jsonschema_regex::to_rust_regex(pattern).ok()?;
        let dfa = DFA::builder()
            .configure(DFA::config().cache_capacity(16 << 20))
            .syntax(syntax::Config::new().unicode(true).utf8(true))
            .build(&translated)
            .ok()?;
        let cache = dfa.create_cache();
        Some(Automaton { dfa, cache })
    }

    fn start(&mut self) -> Option<LazyStateID> {
        self.dfa
            .start_state_forward(&mut self.cache, &Input::new(""))
            .ok()
    }

    fn next(&mut self, state: LazyStateID, byte: u8) -> Option<LazyStateID> {
        let next = self.dfa.next_state(&mut self.cache, state, byte).ok()?;
        (!next.is_quit() && !next.is_unknown()).then_some(next)
    }

    fn matches_at_end(&mut self, state: LazyStateID) -> Option<bool> {
        let end = self.dfa.next_eoi_state(&mut self.cache, state).ok()?;
        Some(end.is_match())
    }
}

/// Compares `p` with `r`: whether every string `p` matches (anywhere in it) `r` matches too.
pub(crate) fn compare(p: &str, r: &str) -> Inclusion {
    let (Some(mut a), Some(mut b)) = (Automaton::new(p), Automaton::new(r)) else {
        return Inclusion::Unknown;
    };
    // A readable counterexample first; then the proof over every byte.
    match walk(&mut a, &mut b, 0x20..=0x7e) {
        Walked::Found(text) => return Inclusion::Counterexample(text),
        Walked::GaveUp => return Inclusion::Unknown,
        Walked::None => {}
    }
    // Where validators read a pattern differently (ECMA-262's ASCII `\\d`, `\\w`, `\\s` and word
    // boundaries against Python's Unicode ones), no proof is claimed: it would hold for some
    // readers only.
    if [p, r].iter().any(|x| unicode_sensitive(x)) {
        return Inclusion::Unknown;
    }
    match walk(&mut a, &mut b, 0..=255) {
        Walked::None => Inclusion::Included,
        Walked::Found(_) | Walked::GaveUp => Inclusion::Unknown,
    }
}

/// Whether a pattern uses a class escape whose meaning differs between regular-expression
/// dialects.
fn unicode_sensitive(pattern: &str) -> bool {
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(next) = chars.next()
            && matches!(next, 'd' | 'D' | 'w' | 'W' | 's' | 'S' | 'b' | 'B')
        {
            return true;
        }
    }
    false
}

enum Walked {
    Found(String),
    None,
    GaveUp,
}

/// A state of the product: both automata's states, and whether each has matched already.
type Pair = (LazyStateID, LazyStateID, bool, bool);

fn walk(a: &mut Automaton, b: &mut Automaton, bytes: std::ops::RangeInclusive<u8>) -> Walked {
    let clears = (a.cache.clear_count(), b.cache.clear_count());
    let result = walk_inner(a, b, bytes);
    // A cache cleared on the way invalidates the states held: the walk proves nothing.
    if (a.cache.clear_count(), b.cache.clear_count()) != clears {
        return Walked::GaveUp;
    }
    result
}

fn walk_inner(a: &mut Automaton, b: &mut Automaton, bytes: std::ops::RangeInclusive<u8>) -> Walked {
    let (Some(sa), Some(sb)) = (a.start(), b.start()) else {
        return Walked::GaveUp;
    };
    let start: Pair = (sa, sb, false, false);
    let mut parent: HashMap<Pair, Option<(Pair, u8)>> = HashMap::new();
    parent.insert(start, None);
    let mut queue = VecDeque::from([start]);
    while let Some(pair) = queue.pop_front() {
        let (sa, sb, ma, mb) = pair;
        // A match is seen one byte late; a match of the reader's means every longer string
        // matches too.
        let ma = ma || sa.is_match();
        let mb = mb || sb.is_match();
        if mb {
            continue;
        }
        let (Some(ea), Some(eb)) = (a.matches_at_end(sa), b.matches_at_end(sb)) else {
            return Walked::GaveUp;
        };
        if (ma || ea) && !eb {
            return match text_of(&parent, pair) {
                Some(text) => Walked::Found(text),
                None => Walked::GaveUp,
            };
        }
        if sa.is_dead() && !ma {
            continue;
        }
        for byte in bytes.clone() {
            let (Some(na), Some(nb)) = (a.next(sa, byte), b.next(sb, byte)) else {
                return Walked::GaveUp;
            };
            let next: Pair = (na, nb, ma, mb);
            if parent.contains_key(&next) {
                continue;
            }
            if parent.len() >= MAX_PAIRS {
                return Walked::GaveUp;
            }
            parent.insert(next, Some((pair, byte)));
            queue.push_back(next);
        }
    }
    Walked::None
}

/// The string that leads to `pair`, when it is UTF-8.
fn text_of(parent: &HashMap<Pair, Option<(Pair, u8)>>, mut pair: Pair) -> Option<String> {
    let mut bytes = Vec::new();
    while let Some(Some((previous, byte))) = parent.get(&pair) {
        bytes.push(*byte);
        pair = *previous;
    }
    bytes.reverse();
    String::from_utf8(bytes).ok()
}

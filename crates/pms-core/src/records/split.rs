//! The top-level entries of a large JSON record document, found without parsing it, so that
//! its entity lists can be read on several threads like the files of a records directory.
//!
//! Only the document's outer object is read here: `{`, each key (a plain string: one with an
//! escape is not split), `:`, the extent of its value, `,` … `}`. A value's extent is found by
//! following strings (a `"` not escaped by a backslash) and counting brackets; nothing in it
//! is validated. That is left to `serde_json`, which reads each value on its own and must end
//! exactly where its extent ends: a well-formed document is split where a parser would read
//! it, and anything a parser would refuse either makes [`entries`] give `None` or makes one
//! of the values fail to parse; either way the caller reads the document whole, so every
//! syntax error is still reported at the line and column a whole read gives.
//!
//! `serde_json`'s `RawValue` would find the same extents, but it checks every byte of every
//! value (which the parallel read does again) and nests without limit: a value read on its
//! own has one level less above it than in the document, so a value whose nesting reaches
//! [`MAX_DEPTH`] is not split off, leaving the parser's nesting limit where it was.

use std::ops::Range;

/// Values nesting deeper than this are not split off (`serde_json` refuses 128 levels).
pub(super) const MAX_DEPTH: usize = 100;

/// One `key: value` of the outer object: the key's text (without its quotes, no escapes) and
/// the byte range of its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Entry {
    /// The key's bytes, between its quotes.
    pub(super) key: Range<usize>,
    /// The value's bytes, from its first to its last.
    pub(super) value: Range<usize>,
}

/// The entries of the outer object of `text` in their order, or `None` when `text` is not an
/// object of plain keys whose values are lists, objects (nesting at most [`MAX_DEPTH`]
/// levels) or strings (the caller then reads it whole).
pub(super) fn entries(text: &str) -> Option<Vec<Entry>> {
    let b = text.as_bytes();
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_ws(b, i + 1);
    let mut out = Vec::new();
    if b.get(i) == Some(&b'}') {
        i = skip_ws(b, i + 1);
        return (i == b.len()).then_some(out);
    }
    loop {
        if b.get(i) != Some(&b'"') {
            return None;
        }
        let key_start = i + 1;
        let key_end = key_start + memchr::memchr2(b'"', b'\\', b.get(key_start..)?)?;
        let key = b.get(key_start..key_end)?;
        // An escaped key, or a control character a parser refuses: read whole.
        if b.get(key_end) != Some(&b'"') || key.iter().any(|c| *c < 0x20) {
            return None;
        }
        i = skip_ws(b, key_end + 1);
        if b.get(i) != Some(&b':') {
            return None;
        }
        let start = skip_ws(b, i + 1);
        let end = container_end(b, start)?;
        out.push(Entry {
            key: key_start..key_end,
            value: start..end,
        });
        i = skip_ws(b, end);
        match b.get(i) {
            Some(b',') => i = skip_ws(b, i + 1),
            Some(b'}') => break,
            _ => return None,
        }
    }
    (skip_ws(b, i + 1) == b.len()).then_some(out)
}

/// The first index at or after `i` that is not JSON whitespace.
fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// The end (one past its last byte) of the list, object or string that opens at `start`.
fn container_end(b: &[u8], start: usize) -> Option<usize> {
    match b.get(start) {
        Some(b'[' | b'{') => {}
        Some(b'"') => return string_end(b, start + 1),
        _ => return None,
    }
    let mut depth = 0usize;
    let mut i = start;
    loop {
        match *b.get(i)? {
            b'"' => {
                i = string_end(b, i + 1)?;
                continue;
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return None;
                }
            }
            b']' | b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
}

/// The index after the `"` that closes the string whose content starts at `i`.
fn string_end(b: &[u8], mut i: usize) -> Option<usize> {
    loop {
        let j = i + memchr::memchr2(b'"', b'\\', b.get(i..)?)?;
        if b.get(j) == Some(&b'"') {
            return Some(j + 1);
        }
        // A backslash escapes the byte after it (`\"`, `\\`, or the letter of `\n`, `\u` …).
        i = j + 2;
    }
}

#[cfg(test)]
mod tests {
    use super::{entries, MAX_DEPTH};

    fn split(text: &str) -> Option<Vec<(&str, &str)>> {
        entries(text).map(|es| {
            es.into_iter()
                .map(|e| (&text[e.key], &text[e.value]))
                .collect()
        })
    }

    #[test]
    fn the_outer_entries_are_found_past_strings_and_brackets() {
        let text =
            "\u{20}{\"workforce\" : [{\"id\": \"W-\\\"]}1\", \"n\": \"\\\\\"}, {\"x\": [[]]}],\n\
                    \"inventory\":[],\"$schema\": {\"a\": \"}\"}, \"x\": \"]\\\"\" }\n";
        assert_eq!(
            split(text),
            Some(vec![
                (
                    "workforce",
                    "[{\"id\": \"W-\\\"]}1\", \"n\": \"\\\\\"}, {\"x\": [[]]}]"
                ),
                ("inventory", "[]"),
                ("$schema", "{\"a\": \"}\"}"),
                ("x", "\"]\\\"\""),
            ])
        );
        assert_eq!(split(" { } "), Some(vec![]));
        // Texts longer than the bytes looked at one by one.
        let long = format!("{{\"w\": [\"{}\\\"]{}\"]}}", "x".repeat(40), "y".repeat(40));
        assert_eq!(split(&long), Some(vec![("w", &long[6..long.len() - 1])]));
    }

    #[test]
    fn anything_else_is_left_to_a_whole_read() {
        for text in [
            "[]",
            "{\"workforce\": null}",
            "{\"workforce\": [1] x}",
            "{\"workforce\": [1], }",
            "{\"workforce\": [1]} x",
            "{\"work\\u0066orce\": []}",
            "{\"workforce\": [\"unclosed]}",
            "{\"workforce\": [[1]}",
            "{\"workforce\": [1]]}",
            "{\"workforce\" []}",
            "{\"a\tb\": []}",
            "",
        ] {
            assert_eq!(split(text), None, "{text}");
        }
        let deep = |d: usize| format!("{{\"w\": {}{}}}", "[".repeat(d), "]".repeat(d));
        assert!(split(&deep(MAX_DEPTH)).is_some());
        assert_eq!(split(&deep(MAX_DEPTH + 1)), None);
    }
}

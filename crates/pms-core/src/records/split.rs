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

/// What [`scan`] finds, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Found {
    /// The value of an entry (`key`: the key's bytes between its quotes; `None` for a
    /// document that is a bare list), from its first byte to its last.
    Value {
        key: Option<Range<usize>>,
        value: Range<usize>,
    },
    /// Some elements of a long list, cut between elements: their text (without brackets) and
    /// the index in the list of the first of them. Every element of the list is in exactly
    /// one part, and each part holds something other than whitespace.
    Part {
        key: Option<Range<usize>>,
        text: Range<usize>,
        first: u32,
    },
}

/// Finds the entries of the outer object of `text` (or the elements of a bare list) and tells
/// `on` of each in order, a list in parts of about `part` bytes (never cut when 0) as soon as
/// each part is found. `None` when `text` is not an object of plain keys whose values are
/// lists, objects (nesting at most [`MAX_DEPTH`] levels) or strings, or a bare list, or when
/// `on` gives `None`: the caller then reads the document whole (what `on` was told is void).
pub(super) fn scan(text: &str, part: usize, on: &mut dyn FnMut(Found) -> Option<()>) -> Option<()> {
    let b = text.as_bytes();
    let mut i = skip_ws(b, 0);
    match b.get(i) {
        Some(b'{') => {}
        Some(b'[') => {
            let end = value(b, i, None, part, on)?;
            return (skip_ws(b, end) == b.len()).then_some(());
        }
        _ => return None,
    }
    i = skip_ws(b, i + 1);
    if b.get(i) == Some(&b'}') {
        i = skip_ws(b, i + 1);
        return (i == b.len()).then_some(());
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
        let end = value(b, start, Some(key_start..key_end), part, on)?;
        i = skip_ws(b, end);
        match b.get(i) {
            Some(b',') => i = skip_ws(b, i + 1),
            Some(b'}') => break,
            _ => return None,
        }
    }
    (skip_ws(b, i + 1) == b.len()).then_some(())
}

/// The entries of the outer object of `text` in their order, each with its parts (see
/// [`scan`]).
#[cfg(test)]
pub(super) fn entries(text: &str, part: usize) -> Option<Vec<Found>> {
    let mut out = Vec::new();
    scan(text, part, &mut |f| {
        out.push(f);
        Some(())
    })?;
    Some(out)
}

/// Finds the end of the value that opens at `start` (one past its last byte) and tells `on`
/// of it: whole, or in parts when it is a list longer than `part` bytes.
fn value(
    b: &[u8],
    start: usize,
    key: Option<Range<usize>>,
    part: usize,
    on: &mut dyn FnMut(Found) -> Option<()>,
) -> Option<usize> {
    let blank = |r: &Range<usize>| {
        b.get(r.clone())
            .is_none_or(|t| t.iter().all(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r')))
    };
    // The current part: its first byte and the index of its first element.
    let (mut from, mut first, mut cut) = (start + 1, 0u32, false);
    let end = container_end(b, start, part, &mut |at, next| {
        let text = from..at;
        // `[a,,b]`, `[,a]`: read as a list of its own, an empty part would pass where the
        // whole list is refused.
        if blank(&text) {
            return None;
        }
        on(Found::Part {
            key: key.clone(),
            text,
            first,
        })?;
        (from, first, cut) = (at + 1, next, true);
        Some(())
    })?;
    if cut {
        let text = from..end.checked_sub(1)?;
        if blank(&text) {
            return None;
        }
        on(Found::Part { key, text, first })?;
    } else {
        on(Found::Value {
            key,
            value: start..end,
        })?;
    }
    Some(end)
}

/// The first index at or after `i` that is not JSON whitespace.
fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// The end (one past its last byte) of the list, object or string that opens at `start`; a
/// list's `,` between elements, about every `part` bytes (not when 0), given to `cut` with
/// the index of the element after it (`None` from `cut` stops).
fn container_end(
    b: &[u8],
    start: usize,
    part: usize,
    cut: &mut dyn FnMut(usize, u32) -> Option<()>,
) -> Option<usize> {
    let list = match b.get(start) {
        Some(b'[') => part > 0,
        Some(b'{') => false,
        Some(b'"') => return string_end(b, start + 1),
        _ => return None,
    };
    let mut depth = 0usize;
    let mut i = start;
    // Elements of the list passed, and where the current part started.
    let (mut elements, mut from) = (0u32, start);
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
            b',' if list && depth == 1 => {
                elements = elements.saturating_add(1);
                if i - from >= part {
                    cut(i, elements)?;
                    from = i;
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
    use super::{entries, Found, MAX_DEPTH};

    fn at(text: &str, r: Option<std::ops::Range<usize>>) -> &str {
        r.map_or("", |r| &text[r])
    }

    /// Each entry's key and value text (a part's key and elements, after `|`).
    fn split_in(text: &str, part: usize) -> Option<Vec<(&str, String)>> {
        entries(text, part).map(|es| {
            es.into_iter()
                .map(|f| match f {
                    Found::Value { key, value } => {
                        (at(text, key), at(text, Some(value)).to_string())
                    }
                    Found::Part {
                        key,
                        text: t,
                        first,
                    } => (at(text, key), format!("{first}|{}", at(text, Some(t)))),
                })
                .collect()
        })
    }

    fn split(text: &str) -> Option<Vec<(&str, String)>> {
        split_in(text, 0)
    }

    fn owned<'a>(v: &[(&'a str, &str)]) -> Vec<(&'a str, String)> {
        v.iter().map(|(k, t)| (*k, (*t).to_string())).collect()
    }

    #[test]
    fn the_outer_entries_are_found_past_strings_and_brackets() {
        let text =
            "\u{20}{\"workforce\" : [{\"id\": \"W-\\\"]}1\", \"n\": \"\\\\\"}, {\"x\": [[]]}],\n\
                    \"inventory\":[],\"$schema\": {\"a\": \"}\"}, \"x\": \"]\\\"\" }\n";
        assert_eq!(
            split(text),
            Some(owned(&[
                (
                    "workforce",
                    "[{\"id\": \"W-\\\"]}1\", \"n\": \"\\\\\"}, {\"x\": [[]]}]"
                ),
                ("inventory", "[]"),
                ("$schema", "{\"a\": \"}\"}"),
                ("x", "\"]\\\"\""),
            ]))
        );
        assert_eq!(split(" { } "), Some(vec![]));
        // Texts longer than the bytes looked at one by one.
        let long = format!("{{\"w\": [\"{}\\\"]{}\"]}}", "x".repeat(40), "y".repeat(40));
        assert_eq!(
            split(&long),
            Some(owned(&[("w", &long[6..long.len() - 1])]))
        );
        // A bare list.
        assert_eq!(split(" [1, [2]] "), Some(owned(&[("", "[1, [2]]")])));
    }

    #[test]
    fn a_long_list_is_cut_between_its_elements() {
        let text = r#"{"w": [1, "a,]", [2,3], {"x": [4, 5]}, 6], "o": {"a": 1, "b": 2}}"#;
        assert_eq!(
            split_in(text, 1),
            Some(owned(&[
                ("w", "0|1"),
                ("w", r#"1| "a,]""#),
                ("w", "2| [2,3]"),
                ("w", r#"3| {"x": [4, 5]}"#),
                ("w", "4| 6"),
                // Objects are not cut.
                ("o", r#"{"a": 1, "b": 2}"#),
            ]))
        );
        // Cuts come about every `part` bytes.
        assert_eq!(
            split_in(text, 12),
            Some(owned(&[
                ("w", r#"0|1, "a,]", [2,3]"#),
                ("w", r#"3| {"x": [4, 5]}"#),
                ("w", "4| 6"),
                ("o", r#"{"a": 1, "b": 2}"#),
            ]))
        );
        assert_eq!(
            split_in("[1, 2]", 1),
            Some(owned(&[("", "0|1"), ("", "1| 2")]))
        );
        // Elements missing between commas: not split (the list is refused as a whole).
        for bad in [
            r#"{"w": [1,,2]}"#,
            r#"{"w": [1, ]}"#,
            r#"{"w": [ ,1]}"#,
            "[1,]",
        ] {
            assert_eq!(split_in(bad, 1), None, "{bad}");
        }
    }

    #[test]
    fn anything_else_is_left_to_a_whole_read() {
        for text in [
            "1",
            "{\"workforce\": null}",
            "{\"workforce\": [1] x}",
            "{\"workforce\": [1], }",
            "{\"workforce\": [1]} x",
            "[1] x",
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

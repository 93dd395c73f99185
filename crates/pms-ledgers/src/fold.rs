//! The normal form of the words in header cells, sheet names and enum cells.
//!
//! Offices type the same header many ways: full-width letters and digits (`ＩＤ`, `Ｎｏ．`),
//! half-width katakana (`ﾒｰﾙ`), spaces inside (`氏　名`), a unit or note in brackets
//! (`件数（概数）`, `点数[点]`), a trailing colon or asterisk for required columns. [`key`]
//! maps all of them to one key: NFKC (Unicode compatibility composition, which also unifies
//! full-width and half-width forms), no whitespace, no punctuation that only decorates,
//! ASCII lowercase.

use unicode_normalization::UnicodeNormalization;

/// NFKC normal form of a text (full-width ASCII to ASCII, half-width katakana to
/// full-width, compatibility characters to their plain form).
#[must_use]
pub fn nfkc(s: &str) -> String {
    nfkc_cow(s).into_owned()
}

/// [`nfkc`], borrowing a text that is NFKC already.
#[must_use]
pub fn nfkc_cow(s: &str) -> std::borrow::Cow<'_, str> {
    // Most cells are NFKC already (ASCII, kana, kanji): ASCII text is its own NFKC, and the
    // quick check answers for the others without decomposing and recomposing every character.
    if s.is_ascii()
        || unicode_normalization::is_nfkc_quick(s.chars())
            == unicode_normalization::IsNormalized::Yes
    {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(s.nfkc().collect())
}

/// The folded form of a word: NFKC, lowercase ASCII, without whitespace and without
/// decorating marks at the ends (`*`, `※`, `:`); a bracketed note stays
/// (`有効期間（開始）` → `有効期間(開始)`).
#[must_use]
pub fn fold(s: &str) -> String {
    fold_cow(s).into_owned()
}

pub(crate) fn decoration(c: char) -> bool {
    matches!(c, '*' | '※' | ':' | '◆' | '■' | '●' | '★')
}

/// [`fold`], borrowing the text when folding changes nothing but its ends (most cells: no
/// space inside, no capital letter, already NFKC), so a cell compared with a few words
/// costs no allocation.
#[must_use]
pub fn fold_cow(s: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    let dropped = |c: char| c.is_whitespace() || matches!(c, '\u{200b}' | '\u{feff}');
    // Spaces at the ends only: the text between them is what the filter keeps.
    let inner = s.trim_matches(dropped);
    let unchanged = if inner.is_ascii() {
        // ASCII is its own NFKC: only spaces and capitals change.
        !inner
            .bytes()
            .any(|b| b.is_ascii_whitespace() || b == 0x0b || b.is_ascii_uppercase())
    } else {
        !inner.chars().any(|c| dropped(c) || c.is_ascii_uppercase())
            && unicode_normalization::is_nfkc_quick(inner.chars())
                == unicode_normalization::IsNormalized::Yes
    };
    if unchanged {
        return Cow::Borrowed(inner.trim_matches(decoration));
    }
    let folded: String = nfkc(s)
        .chars()
        .filter(|c| !dropped(*c))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    Cow::Owned(folded.trim_matches(decoration).to_owned())
}

/// The matching key of a header, sheet name or vocabulary word: [`fold`], then without a
/// trailing note in brackets (`件数（概数）` → `件数`).
#[must_use]
pub fn key(s: &str) -> String {
    let mut out = fold(s);
    // Decorations at the ends: required-column marks, colons.
    loop {
        let trimmed = out
            .trim_matches(|c: char| matches!(c, '*' | '※' | ':' | '◆' | '■' | '●' | '★'))
            .to_owned();
        let without_note = strip_note(&trimmed);
        if without_note == out {
            break;
        }
        out = without_note;
    }
    out
}

/// Removes one trailing bracketed note: `件数(概数)` → `件数`, `点数[点]` → `点数`,
/// `保管期間【年】` → `保管期間`. A text that is only a bracketed word keeps it.
fn strip_note(s: &str) -> String {
    let pairs = [
        ('(', ')'),
        ('[', ']'),
        ('【', '】'),
        ('〔', '〕'),
        ('<', '>'),
        ('《', '》'),
    ];
    for (open, close) in pairs {
        if let Some(body) = s.strip_suffix(close) {
            if let Some(pos) = body.rfind(open) {
                if pos > 0 {
                    return body.get(..pos).unwrap_or(body).to_owned();
                }
            }
        }
    }
    s.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_spacing_and_notes_fold_to_one_key() {
        assert_eq!(key("氏　名"), "氏名");
        assert_eq!(key(" 氏名 "), "氏名");
        assert_eq!(key("件数（概数）"), "件数");
        assert_eq!(key("点数[点]"), "点数");
        assert_eq!(key("保管期間【年】"), "保管期間");
        assert_eq!(key("ＩＤ"), "id");
        assert_eq!(key("Ｎｏ．"), "no.");
        assert_eq!(key("ﾒｰﾙ"), "メール");
        assert_eq!(key("※氏名："), "氏名");
        assert_eq!(key("Start_Date"), "start_date");
        assert_eq!(fold("有効期間（開始）"), "有効期間(開始)");
        for w in [
            " ※氏名： ",
            "ＩＤ",
            "Ｎ／Ａ",
            "A b",
            "－",
            "○",
            "\u{feff}x\u{200b}",
            "\u{b}Ab c\t",
            "w-12",
            "a\u{b}b",
            "*",
            " ｱｲ ",
        ] {
            assert_eq!(fold_cow(w), fold(w).as_str(), "{w}");
        }
        // a text that is only a bracketed word keeps it
        assert_eq!(key("（備考）"), "(備考)");
    }
}

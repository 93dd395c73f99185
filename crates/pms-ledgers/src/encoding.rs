//! Text encodings of CSV and TSV ledgers: UTF-8 with or without a byte-order mark,
//! UTF-16 with a byte-order mark (Excel's "Unicode text"), Shift_JIS/CP932 (the default
//! export of Japanese Excel) and EUC-JP, detected or forced, decoded strictly with
//! `encoding_rs` so that mojibake is an error, never silent garbage.

use encoding_rs::{DecoderResult, Encoding, EUC_JP, SHIFT_JIS, UTF_16BE, UTF_16LE, UTF_8};
use pms_core::diagnostic::codes;
use pms_core::{Diagnostic, Location};

/// A decoded text and the encoding it was read in.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The text, without a byte-order mark.
    pub text: String,
    /// The encoding's name (`UTF-8`, `Shift_JIS`, `EUC-JP`, `UTF-16LE`).
    pub encoding: &'static str,
    /// Whether the encoding was detected (rather than forced).
    pub detected: bool,
}

/// The encoding a user names (`--encoding`): `utf-8`, `shift_jis` (`sjis`, `cp932`,
/// `windows-31j`), `euc-jp`, `utf-16le`, `utf-16be`. Only the encodings Japanese ledgers
/// come in are named, so the WebAssembly build carries no Chinese or Korean tables.
#[must_use]
pub fn named(label: &str) -> Option<&'static Encoding> {
    let l = label.trim().to_ascii_lowercase().replace('_', "-");
    match l.as_str() {
        "sjis" | "shift-jis" | "cp932" | "ms932" | "windows-31j" | "x-sjis" | "ms-kanji" => {
            Some(SHIFT_JIS)
        }
        "euc-jp" | "eucjp" | "x-euc-jp" => Some(EUC_JP),
        "utf-8" | "utf8" | "unicode-1-1-utf-8" => Some(UTF_8),
        "utf-16le" | "utf-16" | "unicode" => Some(UTF_16LE),
        "utf-16be" => Some(UTF_16BE),
        _ => None,
    }
}

fn display_name(e: &'static Encoding) -> &'static str {
    if e == SHIFT_JIS {
        "Shift_JIS (CP932)"
    } else {
        e.name()
    }
}

/// Decodes strictly: the byte offset of the first byte sequence that is not valid in the
/// encoding, on failure.
fn strict(bytes: &[u8], enc: &'static Encoding) -> Result<String, usize> {
    let mut decoder = enc.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 2);
    let mut offset = 0usize;
    loop {
        let rest = bytes.get(offset..).unwrap_or(&[]);
        let (result, read) = decoder.decode_to_string_without_replacement(rest, &mut out, true);
        match result {
            DecoderResult::InputEmpty => return Ok(out),
            DecoderResult::OutputFull => {
                out.reserve(rest.len().max(64));
                offset += read;
            }
            DecoderResult::Malformed(bad, after) => {
                let end = offset + read;
                return Err(end.saturating_sub(usize::from(bad) + usize::from(after)));
            }
        }
    }
}

/// How Japanese a decoded text looks: kana and kanji count for it, half-width katakana and
/// private-use characters (what a wrong guess produces) against it.
fn score(text: &str) -> i64 {
    text.chars()
        .map(|c| match c {
            '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}' | '\u{3000}'..='\u{303f}' => 2,
            '\u{ff61}'..='\u{ff9f}' => -3,
            '\u{e000}'..='\u{f8ff}' => -5,
            _ => 0,
        })
        .sum()
}

/// A [`codes::LEDGER_ENCODING`] error: its message in English and Japanese.
fn encoding_error(file: &str, message: [String; 2], offset: Option<usize>) -> Box<Diagnostic> {
    let [message, message_ja] = message;
    Box::new(
        Diagnostic::error(codes::LEDGER_ENCODING, message)
            .ja(message_ja)
            .at(Location {
                file: file.to_owned(),
                span: offset.map(|o| (o, o + 1)),
                ..Location::default()
            })
            .help("save the file as UTF-8 or Shift_JIS (CSV), or name its encoding with --encoding")
            .help_ja("UTF-8 か Shift_JIS（CSV）で保存するか、--encoding で文字コードを指定する"),
    )
}

/// Decodes a text ledger, detecting its encoding unless `forced` names one.
///
/// # Errors
/// [`codes::LEDGER_ENCODING`] naming the encoding and the byte offset of the first byte
/// that is not valid in it, or when the text already holds replacement characters
/// (U+FFFD, the mark of an earlier bad conversion).
pub fn decode(file: &str, bytes: &[u8], forced: Option<&str>) -> Result<Decoded, Box<Diagnostic>> {
    let checked = |text: String,
                   enc: &'static Encoding,
                   detected: bool|
     -> Result<Decoded, Box<Diagnostic>> {
        if let Some(pos) = text.find('\u{fffd}') {
            let line = text.get(..pos).map_or(1, |t| t.matches('\n').count() + 1);
            return Err(encoding_error(
                file,
                [
                    format!(
                        "`{file}` holds replacement characters (�) on line {line}: the text was garbled by an earlier conversion"
                    ),
                    format!(
                        "`{file}` の {line} 行目に置換文字（�）がある: 以前の変換で文字化けしている"
                    ),
                ],
                None,
            ));
        }
        Ok(Decoded {
            text,
            encoding: display_name(enc),
            detected,
        })
    };
    if let Some(label) = forced {
        let Some(enc) = named(label) else {
            return Err(Box::new(
                Diagnostic::error(codes::OPTION, format!("unknown encoding `{label}`"))
                    .ja(format!("未知の文字コード `{label}`"))
                    .help("use utf-8, shift_jis (cp932), euc-jp or utf-16le")
                    .help_ja("utf-8、shift_jis（cp932）、euc-jp、utf-16le のどれかを使う"),
            ));
        };
        let body = strip_bom(bytes, enc);
        return match strict(body, enc) {
            Ok(t) => checked(t, enc, false),
            Err(off) => Err(encoding_error(
                file,
                [
                    format!(
                        "`{file}` is not valid {}: byte 0x{:02X} at offset {} cannot be decoded",
                        display_name(enc),
                        body.get(off).copied().unwrap_or(0),
                        off + (bytes.len() - body.len())
                    ),
                    format!(
                        "`{file}` は {} として正しくない: オフセット {} のバイト 0x{:02X} を読めない",
                        display_name(enc),
                        off + (bytes.len() - body.len()),
                        body.get(off).copied().unwrap_or(0)
                    ),
                ],
                Some(off + (bytes.len() - body.len())),
            )),
        };
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let body = bytes.get(bom_len..).unwrap_or(&[]);
        return match strict(body, enc) {
            Ok(t) => checked(t, enc, true),
            Err(off) => Err(encoding_error(
                file,
                [
                    format!(
                        "`{file}` starts with a {} byte-order mark but byte 0x{:02X} at offset {} is not valid {}",
                        enc.name(),
                        body.get(off).copied().unwrap_or(0),
                        off + bom_len,
                        enc.name()
                    ),
                    format!(
                        "`{file}` は {} の BOM で始まるが、オフセット {} のバイト 0x{:02X} が {} として正しくない",
                        enc.name(),
                        off + bom_len,
                        body.get(off).copied().unwrap_or(0),
                        enc.name()
                    ),
                ],
                Some(off + bom_len),
            )),
        };
    }
    let utf8_error = match std::str::from_utf8(bytes) {
        Ok(t) => return checked(t.to_owned(), UTF_8, true),
        Err(e) => e.valid_up_to(),
    };
    let candidates = [SHIFT_JIS, EUC_JP];
    let mut decoded: Vec<(String, &'static Encoding)> = Vec::new();
    let mut first_errors = Vec::new();
    for enc in candidates {
        match strict(bytes, enc) {
            Ok(t) => decoded.push((t, enc)),
            Err(off) => first_errors.push((enc, off)),
        }
    }
    // The text that looks the most Japanese (the first of equals); scored only when two
    // encodings both decode it.
    let best = if decoded.len() > 1 {
        let mut best: Option<(i64, String, &'static Encoding)> = None;
        for (t, enc) in decoded {
            let s = score(&t);
            if best.as_ref().is_none_or(|(b, _, _)| s > *b) {
                best = Some((s, t, enc));
            }
        }
        best.map(|(_, t, enc)| (t, enc))
    } else {
        decoded.pop()
    };
    if let Some((t, enc)) = best {
        return checked(t, enc, true);
    }
    let (sjis_off, euc_off) = (
        first_errors
            .iter()
            .find(|(e, _)| *e == SHIFT_JIS)
            .map_or(0, |x| x.1),
        first_errors
            .iter()
            .find(|(e, _)| *e == EUC_JP)
            .map_or(0, |x| x.1),
    );
    let furthest = utf8_error.max(sjis_off).max(euc_off);
    let (name, off) = if furthest == sjis_off {
        ("Shift_JIS (CP932)", sjis_off)
    } else if furthest == utf8_error {
        ("UTF-8", utf8_error)
    } else {
        ("EUC-JP", euc_off)
    };
    Err(encoding_error(
        file,
        [
            format!(
                "`{file}` is not valid UTF-8, Shift_JIS (CP932) or EUC-JP: read as {name}, byte 0x{:02X} at offset {off} cannot be decoded",
                bytes.get(off).copied().unwrap_or(0)
            ),
            format!(
                "`{file}` は UTF-8、Shift_JIS（CP932）、EUC-JP のどれとしても正しくない: {name} として読むと、オフセット {off} のバイト 0x{:02X} を読めない",
                bytes.get(off).copied().unwrap_or(0)
            ),
        ],
        Some(off),
    ))
}

fn strip_bom<'a>(bytes: &'a [u8], enc: &'static Encoding) -> &'a [u8] {
    match Encoding::for_bom(bytes) {
        Some((e, n)) if e == enc || (enc == UTF_16LE && e == UTF_16BE) => {
            bytes.get(n..).unwrap_or(bytes)
        }
        _ => bytes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_utf8_bom_shift_jis_and_euc_jp() {
        let text = "氏名,所属,雇用区分\n山田 太郎,総務部,正社員\n";
        let d = decode("a.csv", text.as_bytes(), None).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (text, "UTF-8"));
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(decode("a.csv", &bom, None).unwrap().text, text);
        let (sjis, _, _) = SHIFT_JIS.encode(text);
        let d = decode("a.csv", &sjis, None).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (text, "Shift_JIS (CP932)"));
        let (euc, _, _) = EUC_JP.encode(text);
        let d = decode("a.csv", &euc, None).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (text, "EUC-JP"));
        // CP932 extensions (①, ㈱, NEC special characters) decode as Shift_JIS.
        let (cp932, _, _) = SHIFT_JIS.encode("㈱見本①,髙橋\n");
        assert_eq!(
            decode("a.csv", &cp932, None).unwrap().text,
            "㈱見本①,髙橋\n"
        );
    }

    #[test]
    fn mojibake_is_a_located_error() {
        let (sjis, _, _) = SHIFT_JIS.encode("氏名,所属\n");
        let e = decode("a.csv", &sjis, Some("utf-8")).unwrap_err();
        assert_eq!(e.code, codes::LEDGER_ENCODING);
        assert!(
            e.message.contains("UTF-8") && e.message.contains("offset 0"),
            "{}",
            e.message
        );
        let mut bad = "氏名,".as_bytes().to_vec();
        bad.extend_from_slice(&[0xFF, 0xFF, 0x80, 0x80]);
        let e = decode("b.csv", &bad, None).unwrap_err();
        assert_eq!(e.code, codes::LEDGER_ENCODING);
        assert!(e.message.contains("offset"), "{}", e.message);
        let e = decode("c.csv", "氏名\u{fffd}\n".as_bytes(), None).unwrap_err();
        assert!(e.message.contains("replacement"), "{}", e.message);
        let e = decode("c.csv", b"a", Some("klingon")).unwrap_err();
        assert_eq!(e.code, codes::OPTION);
    }
}

//! Reading record documents: JSON and YAML text to a JSON value, and JSON pointers back to
//! line and column for diagnostics.
//!
//! JSON is parsed with `serde_json`. YAML is read with `yaml-rust2`'s event parser and built
//! into the same `serde_json::Value`, so validation is one code path. Positions are only
//! needed when something is wrong, so they are computed lazily by [`locate`], which replays
//! the (JSON-compatible) YAML events of the text and records where each pointer starts.

use crate::diagnostic::codes;
use crate::limits::MAX_RECORD_NESTING;
use serde_json::{Map, Number, Value as Json};
/// Positions are looked up by pointer once per problem: foldhash, as for ids (the keys are
/// the document's own pointers, not chosen to collide against a server).
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// A syntax error with its 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// The diagnostic code: [`codes::SYNTAX`], or [`codes::RECORD_NESTING`] for a document
    /// nested too deep.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// Parses JSON text.
///
/// # Errors
/// A [`SyntaxError`] with the position `serde_json` reports.
pub fn parse_json(text: &str) -> Result<Json, SyntaxError> {
    serde_json::from_str(text).map_err(|e| SyntaxError {
        code: json_code(&e),
        message: strip_position(&e.to_string()),
        line: e.line(),
        column: e.column(),
    })
}

/// The code of a `serde_json` error: its recursion limit (128) is the record nesting limit
/// of JSON text.
#[must_use]
pub fn json_code(e: &serde_json::Error) -> &'static str {
    if e.to_string().starts_with("recursion limit exceeded") {
        codes::RECORD_NESTING
    } else {
        codes::SYNTAX
    }
}

/// The Japanese of a syntax error's message: pms's own messages in Japanese; a parser's
/// message is kept inside a Japanese lead, as it names the characters expected.
#[must_use]
pub fn syntax_ja(message: &str) -> String {
    if message.starts_with("content after the document end marker") {
        return "文書終端 `...` の後に内容がある".into();
    }
    if message.starts_with("a second YAML document") {
        return "2 つ目の YAML 文書がある。記録ファイルは 1 文書だけ".into();
    }
    if message.starts_with("YAML aliases are not supported") {
        return "記録ファイルでは YAML のエイリアスは使えない".into();
    }
    if message == "mapping keys must be text" {
        return "マッピングのキーは文字列でなければならない".into();
    }
    if let Some(rest) = message.strip_prefix("duplicate key `") {
        if let Some((key, _)) = rest.split_once("`: each key once") {
            return format!("キー `{key}` が重複している。マッピングの各キーは 1 回だけ書く");
        }
    }
    if let Some(rest) = message.strip_prefix("lists and mappings nested deeper than ") {
        let n = rest.split(' ').next().unwrap_or_default();
        return format!("リストとマッピングの入れ子が {n} 段を超えている");
    }
    format!("構文の誤り（{message}）")
}

fn strip_position(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg.get(..i).unwrap_or(msg).to_string(),
        None => msg.to_string(),
    }
}

/// Parses YAML text (one document) into a JSON value. Plain scalars are resolved with the
/// YAML 1.2 core schema: `null`/`~`/empty, `true`/`false`, integers and floats; everything
/// else, dates included, stays text and is typed later against the record model.
///
/// # Errors
/// A [`SyntaxError`] for malformed YAML, aliases, or non-text mapping keys.
pub fn parse_yaml(text: &str) -> Result<Json, SyntaxError> {
    after_document_end(text)?;
    let mut b = Builder::default();
    // All documents are read, so that a second one is an error rather than dropped.
    drive(text, &mut b, true).map_err(|e| SyntaxError {
        // yaml-rust2 limits flow nesting itself.
        code: if e.info().starts_with("recursion limit exceeded") {
            codes::RECORD_NESTING
        } else {
            codes::SYNTAX
        },
        message: e.info().to_string(),
        line: e.marker().line(),
        column: e.marker().col() + 1,
    })?;
    if let Some(err) = b.error {
        return Err(err);
    }
    Ok(b.root.unwrap_or(Json::Null))
}

/// Content after a document end marker (`...` alone on a line), which the YAML reader would
/// drop silently, is an error at its line.
fn after_document_end(text: &str) -> Result<(), SyntaxError> {
    let mut ended = false;
    for (i, line) in text.lines().enumerate() {
        let content = line.split(" #").next().unwrap_or("").trim_end();
        if ended && content.starts_with("---") {
            // A second document: the reader reports it as such.
            return Ok(());
        }
        if ended && !content.is_empty() && !content.starts_with('#') {
            return Err(SyntaxError {
                code: codes::SYNTAX,
                message: "content after the document end marker `...`: a record file holds one document and nothing after it".into(),
                line: i + 1,
                column: 1,
            });
        }
        if content == "..." {
            ended = true;
        }
    }
    Ok(())
}

/// Feeds the events of `text` to `b` one by one (yaml-rust2's own `load` recurses once per
/// level of nesting), stopping at the first problem `b` finds when `stop` is set.
fn drive(text: &str, b: &mut Builder<'_>, stop: bool) -> Result<(), yaml_rust2::ScanError> {
    let mut parser = Parser::new_from_str(text);
    loop {
        let (ev, mark) = parser.next_token()?;
        if ev == Event::StreamEnd {
            return Ok(());
        }
        b.on_event(ev, mark);
        if stop && b.error.is_some() {
            return Ok(());
        }
    }
}

/// (line, column), 1-based.
type Pos = (usize, usize);

/// Where each JSON pointer starts (see [`locate`]).
#[derive(Debug, Default)]
pub struct Positions {
    map: HashMap<String, (Pos, Pos)>,
}

impl Positions {
    /// Position of the key naming `pointer` (or of the value for list elements).
    #[must_use]
    pub fn key(&self, pointer: &str) -> Option<(usize, usize)> {
        self.map.get(pointer).map(|p| p.0)
    }

    /// Position of the value at `pointer`.
    #[must_use]
    pub fn value(&self, pointer: &str) -> Option<(usize, usize)> {
        self.map.get(pointer).map(|p| p.1)
    }
}

/// Computes [`Positions`] for a text that parsed; returns empty positions if it does not.
#[must_use]
pub fn locate(text: &str) -> Positions {
    locate_only(text, None)
}

/// [`locate`], keeping only the positions of the `wanted` pointers (all when `None`): a file
/// with many problems is read once, and only the pointers of its problems are kept.
#[must_use]
pub fn locate_only(text: &str, wanted: Option<&std::collections::HashSet<String>>) -> Positions {
    let mut b = Builder {
        track: true,
        wanted,
        ..Builder::default()
    };
    if drive(text, &mut b, false).is_err() {
        return Positions::default();
    }
    Positions { map: b.positions }
}

/// Escapes one JSON pointer segment.
#[must_use]
pub fn escape_pointer(seg: &str) -> String {
    if !seg.contains(['~', '/']) {
        return seg.to_string();
    }
    seg.replace('~', "~0").replace('/', "~1")
}

enum Frame {
    Seq(Vec<Json>, String),
    Map(Map<String, Json>, Option<(String, (usize, usize))>, String),
}

#[derive(Default)]
struct Builder<'w> {
    /// The pointers whose positions are kept (all when `None`).
    wanted: Option<&'w std::collections::HashSet<String>>,
    stack: Vec<Frame>,
    root: Option<Json>,
    error: Option<SyntaxError>,
    /// Documents started: a record file holds one (a second would be dropped silently).
    documents: usize,
    track: bool,
    positions: HashMap<String, (Pos, Pos)>,
    /// Lists and mappings open beyond [`MAX_RECORD_NESTING`] (not built): their content and
    /// ends are skipped, so that what follows them keeps its pointer.
    overflow: usize,
}

fn pos(m: Marker) -> (usize, usize) {
    (m.line(), m.col() + 1)
}

impl Builder<'_> {
    /// The pointer of the next value pushed into the innermost container.
    fn next_pointer(&self) -> String {
        match self.stack.last() {
            None => String::new(),
            Some(Frame::Seq(items, p)) => format!("{p}/{}", items.len()),
            Some(Frame::Map(_, Some((k, _)), p)) => format!("{p}/{}", escape_pointer(k)),
            Some(Frame::Map(_, None, p)) => p.clone(),
        }
    }

    /// Adds a value to the innermost container; `mark` is `None` for a finished container,
    /// whose position was recorded at its start.
    fn push_value(&mut self, v: Json, mark: Option<Marker>) {
        if let (true, Some(m)) = (self.track, mark) {
            self.push_position(m);
        }
        let at = mark.map_or((0, 0), pos);
        // Locating needs the keys and the list indexes only, not the values.
        let track = self.track;
        match self.stack.last_mut() {
            None => self.root = Some(v),
            Some(Frame::Seq(items, _)) => items.push(if track { Json::Null } else { v }),
            Some(Frame::Map(map, key, _)) => match key.take() {
                Some((k, _)) => {
                    if !track {
                        map.insert(k, v);
                    }
                }
                None => match v {
                    // A repeated key would replace the earlier value silently.
                    Json::String(k) if map.contains_key(&k) => {
                        if self.error.is_none() {
                            self.error = Some(SyntaxError {
                                code: codes::SYNTAX,
                                message: format!("duplicate key `{k}`: each key once per mapping"),
                                line: at.0,
                                column: at.1,
                            });
                        }
                        *key = Some((k, at));
                    }
                    Json::String(k) => *key = Some((k, at)),
                    Json::Number(n) => *key = Some((n.to_string(), at)),
                    Json::Bool(b) => *key = Some((b.to_string(), at)),
                    _ => {
                        if self.error.is_none() {
                            self.error = Some(SyntaxError {
                                code: codes::SYNTAX,
                                message: "mapping keys must be text".into(),
                                line: at.0,
                                column: at.1,
                            });
                        }
                    }
                },
            },
        }
    }

    /// Whether a list or mapping starting at `mark` would nest deeper than
    /// [`MAX_RECORD_NESTING`] (then the error is set).
    fn too_deep(&mut self, mark: Marker) -> bool {
        if self.stack.len() < MAX_RECORD_NESTING {
            return false;
        }
        if self.error.is_none() {
            self.error = Some(SyntaxError {
                code: codes::RECORD_NESTING,
                message: format!(
                    "lists and mappings nested deeper than {MAX_RECORD_NESTING} levels"
                ),
                line: mark.line(),
                column: mark.col() + 1,
            });
        }
        self.overflow = 1;
        true
    }

    fn is_key_position(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Map(_, None, _)))
    }
}

impl Builder<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.overflow > 0 {
            match ev {
                Event::SequenceStart(..) | Event::MappingStart(..) => {
                    self.overflow = self.overflow.saturating_add(1);
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    self.overflow = self.overflow.saturating_sub(1);
                }
                _ => {}
            }
            return;
        }
        match ev {
            Event::Scalar(s, style, _, _) => {
                let v = if self.is_key_position() || style != TScalarStyle::Plain {
                    Json::String(s)
                } else {
                    resolve_plain(s)
                };
                self.push_value(v, Some(mark));
            }
            Event::SequenceStart(..) | Event::MappingStart(..) if self.too_deep(mark) => {
                // Stands for the container not built, so that its siblings keep their
                // places (the error is set).
                self.push_value(Json::Null, None);
            }
            Event::SequenceStart(..) => {
                let p = self.next_pointer();
                if self.track {
                    self.push_position(mark);
                }
                self.stack.push(Frame::Seq(Vec::new(), p));
            }
            Event::MappingStart(..) => {
                let p = self.next_pointer();
                if self.track {
                    self.push_position(mark);
                }
                self.stack.push(Frame::Map(Map::new(), None, p));
            }
            Event::SequenceEnd => {
                if let Some(Frame::Seq(items, _)) = self.stack.pop() {
                    self.push_value(Json::Array(items), None);
                }
            }
            Event::MappingEnd => {
                if let Some(Frame::Map(map, _, _)) = self.stack.pop() {
                    self.push_value(Json::Object(map), None);
                }
            }
            Event::DocumentStart => {
                self.documents += 1;
                if self.documents > 1 && self.error.is_none() {
                    self.error = Some(SyntaxError {
                                code: codes::SYNTAX,
                        message: "a second YAML document (after `---` or `...`): a record file holds one document; put the records in one, or in files of their own".into(),
                        line: mark.line(),
                        column: mark.col() + 1,
                    });
                }
            }
            Event::Alias(_) => {
                if self.error.is_none() {
                    self.error = Some(SyntaxError {
                        code: codes::SYNTAX,
                        message: "YAML aliases are not supported in record files".into(),
                        line: mark.line(),
                        column: mark.col() + 1,
                    });
                }
                self.push_value(Json::Null, Some(mark));
            }
            _ => {}
        }
    }
}

impl Builder<'_> {
    fn push_position(&mut self, mark: Marker) {
        let ptr = self.next_pointer();
        let key_pos = match self.stack.last() {
            Some(Frame::Map(_, Some((_, kp)), _)) => *kp,
            _ => pos(mark),
        };
        if self.wanted.is_none_or(|w| w.contains(&ptr)) {
            self.positions.entry(ptr).or_insert((key_pos, pos(mark)));
        }
    }
}

fn resolve_plain(s: String) -> Json {
    match s.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => return Json::Null,
        "true" | "True" | "TRUE" => return Json::Bool(true),
        "false" | "False" | "FALSE" => return Json::Bool(false),
        _ => {}
    }
    let digits = s.strip_prefix(['-', '+']).unwrap_or(&s);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(i) = s.parse::<i64>() {
            return Json::Number(i.into());
        }
    }
    let looks_float = digits.bytes().any(|b| b == b'.')
        && digits.bytes().all(|b| {
            b.is_ascii_digit() || b == b'.' || b == b'e' || b == b'E' || b == b'-' || b == b'+'
        })
        && digits
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_digit() || b == b'.');
    if looks_float {
        if let Some(n) = s.parse::<f64>().ok().and_then(Number::from_f64) {
            return Json::Number(n);
        }
    }
    Json::String(s)
}

/// Reads the bytes of a text file (records or rules) as UTF-8. A file in another encoding is
/// an error ([`codes::ENCODING`]) naming the encoding it most likely has (UTF-16 by its
/// byte-order mark or its zero bytes, Shift_JIS or EUC-JP when the bytes read cleanly as
/// such, gzip by its magic number) and the byte offset of the first sequence that is not
/// UTF-8. A UTF-8 byte-order mark is kept (the readers skip it).
///
/// # Errors
/// The encoding error, located in `name`.
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<String, Box<crate::Diagnostic>> {
    // One validation (the text is hundreds of megabytes at scale), then one memchr scan.
    let text = String::from_utf8(bytes).map_err(|e| not_utf8(name, e.into_bytes()))?;
    let bytes = text.as_bytes();
    // NUL is valid UTF-8 but no text file holds it: UTF-16 without a mark, or a binary file
    // (a YAML reader would stop there and drop the rest silently).
    if let Some(at) = memchr::memchr(0, bytes) {
        // Plain ASCII with a zero byte also reads as Shift_JIS: only UTF-16 is named here.
        let utf16 = likely_encoding(bytes).filter(|e| e.starts_with("UTF-16"));
        let message = match utf16 {
            Some(enc) => format!(
                "`{name}` is not UTF-8 text: it looks like {enc} (a zero byte at offset {at})"
            ),
            None => format!("`{name}` is not UTF-8 text: it holds a zero byte at offset {at}"),
        };
        return Err(Box::new(
            crate::Diagnostic::error(codes::ENCODING, message)
                .at(crate::Location {
                    file: name.to_string(),
                    span: Some((at, at + 1)),
                    ..crate::Location::default()
                })
                .ja(match utf16 {
                    Some(enc) => format!(
                        "`{name}` は UTF-8 テキストではない。{enc} と思われる（オフセット {at} にゼロバイト）"
                    ),
                    None => format!(
                        "`{name}` は UTF-8 テキストではない。オフセット {at} にゼロバイトがある"
                    ),
                })
                .label("zero byte")
                .label_ja("ゼロバイト")
                .help("save the file as UTF-8 text; pms reads UTF-8 text only")
                .help_ja("UTF-8 テキストとして保存する。pms は UTF-8 テキストだけを読む"),
        ));
    }
    Ok(text)
}

/// A likely encoding named in Japanese.
fn encoding_ja(enc: &str) -> &str {
    match enc {
        "a gzip-compressed file" => "gzip 圧縮ファイル",
        "UTF-16 LE (little-endian, with a byte-order mark)" => {
            "UTF-16 LE（リトルエンディアン、BOM 付き）"
        }
        "UTF-16 BE (big-endian, with a byte-order mark)" => {
            "UTF-16 BE（ビッグエンディアン、BOM 付き）"
        }
        "UTF-16 LE (little-endian)" => "UTF-16 LE（リトルエンディアン）",
        "UTF-16 BE (big-endian)" => "UTF-16 BE（ビッグエンディアン）",
        "Shift_JIS (Windows Japanese)" => "Shift_JIS（Windows の日本語）",
        "Shift_JIS or EUC-JP" => "Shift_JIS か EUC-JP",
        other => other,
    }
}

/// The error for `bytes` that are not UTF-8.
fn not_utf8(name: &str, bytes: Vec<u8>) -> Box<crate::Diagnostic> {
    let offset = std::str::from_utf8(&bytes)
        .err()
        .map_or(0, |e| e.valid_up_to());
    {
        let likely = likely_encoding(&bytes);
        let message = match likely {
            Some(enc) => format!(
                "`{name}` is not UTF-8 text: it looks like {enc} (the first byte that is not UTF-8 is at offset {offset})"
            ),
            None => format!(
                "`{name}` is not UTF-8 text (the first byte that is not UTF-8 is at offset {offset})"
            ),
        };
        let help = if likely == Some("a gzip-compressed file") {
            "decompress it first (gunzip); pms reads plain UTF-8 text"
        } else {
            "save the file as UTF-8 (most editors: \"Save with encoding\" → UTF-8); pms reads UTF-8 text only"
        };
        Box::new(
            crate::Diagnostic::error(codes::ENCODING, message)
                .at(crate::Location {
                    file: name.to_string(),
                    span: Some((offset, offset + 1)),
                    ..crate::Location::default()
                })
                .ja(match likely {
                    Some(enc) => format!(
                        "`{name}` は UTF-8 テキストではない。{} と思われる（UTF-8 でない最初のバイトはオフセット {offset}）",
                        encoding_ja(enc)
                    ),
                    None => format!(
                        "`{name}` は UTF-8 テキストではない（UTF-8 でない最初のバイトはオフセット {offset}）"
                    ),
                })
                .label("not UTF-8")
                .label_ja("UTF-8 ではない")
                .help_ja(if likely == Some("a gzip-compressed file") {
                    "先に展開する（gunzip）"
                } else {
                    "UTF-8 で保存し直す"
                })
                .help(help),
        )
    }
}

/// The encoding `bytes` (not UTF-8) most likely has, when it can be told.
fn likely_encoding(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return Some("a gzip-compressed file");
    }
    if bytes.starts_with(&[0xff, 0xfe]) {
        return Some("UTF-16 LE (little-endian, with a byte-order mark)");
    }
    if bytes.starts_with(&[0xfe, 0xff]) {
        return Some("UTF-16 BE (big-endian, with a byte-order mark)");
    }
    // Text in UTF-16 without a mark: ASCII characters have a zero byte beside them.
    let zeros_at = |parity: usize| {
        bytes
            .iter()
            .take(1024)
            .enumerate()
            .filter(|(i, b)| i % 2 == parity && **b == 0)
            .count()
    };
    let sample = bytes.len().min(1024) / 2;
    if sample > 0 {
        if zeros_at(1) * 2 > sample {
            return Some("UTF-16 LE (little-endian)");
        }
        if zeros_at(0) * 2 > sample {
            return Some("UTF-16 BE (big-endian)");
        }
    }
    let clean = |enc: &'static encoding_rs::Encoding| {
        enc.decode_without_bom_handling_and_without_replacement(bytes)
            .is_some()
    };
    match (clean(encoding_rs::SHIFT_JIS), clean(encoding_rs::EUC_JP)) {
        (true, false) => Some("Shift_JIS (Windows Japanese)"),
        (false, true) => Some("EUC-JP"),
        (true, true) => Some("Shift_JIS or EUC-JP"),
        (false, false) => None,
    }
}

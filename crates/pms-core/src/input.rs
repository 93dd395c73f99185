//! The file boundary: the only place pms reads files (records, rule files, test cases), shared
//! by the CLI, Python and [`crate::records::load_path`].
//!
//! Only regular files are read; a device, FIFO, socket or directory where a file is expected
//! is an [`codes::NOT_A_FILE`] error naming it, found from its metadata before it is opened
//! (opening a FIFO would block). Every input has a size limit ([`Limits::max_input_size`],
//! on by default), checked against the metadata before reading and again while reading (a
//! file can grow, and files of `/proc` report no size). A records directory is read by its
//! entity file names only (`workforce.yaml`), without descending into subdirectories; a
//! symbolic link in it is followed only to a regular file inside the same directory, never out
//! of it or into a loop.
//!
//! Progress is reported as [`Event`]s to a [`Progress`] callback: the engine stays
//! deterministic and prints nothing; the host decides what to show.

use crate::diagnostic::{codes, Diagnostic, Location};
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The default of [`Limits::max_input_size`]: 1 GiB. The largest record set measured (a
/// company of 100,000 people, 383 MB of JSON) is well under it, and loading peaks at about
/// 2.4 times the input, so the default keeps a run under 3 GB of memory on any machine pms is
/// meant for; larger sets can raise it.
pub const DEFAULT_MAX_INPUT_SIZE: u64 = 1 << 30;

/// Bounds on what pms reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest input read, in bytes: a file, a directory's files together, a rule file
    /// or a text handed over by a host. `0` means no limit.
    pub max_input_size: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_input_size: DEFAULT_MAX_INPUT_SIZE,
        }
    }
}

impl Limits {
    /// The limit in bytes, `u64::MAX` when there is none.
    fn max(self) -> u64 {
        if self.max_input_size == 0 {
            u64::MAX
        } else {
            self.max_input_size
        }
    }

    /// Checks the size of an input before it is read.
    ///
    /// # Errors
    /// [`codes::TOO_LARGE`] naming the input, its size and the limit.
    pub fn check(self, name: &str, size: u64) -> Result<(), Box<Diagnostic>> {
        if size <= self.max() {
            return Ok(());
        }
        Err(Box::new(
            Diagnostic::error(
                codes::TOO_LARGE,
                format!(
                    "`{name}` is {}, more than the limit of {}",
                    show_size(size),
                    show_size(self.max_input_size)
                ),
            )
            .ja(format!(
                "`{name}` は {} あり、上限 {} を超えている",
                show_size(size),
                show_size(self.max_input_size)
            ))
            .at(file_location(name))
            .help("raise the limit (`--max-input-size 4GiB` on the command line, `max_input_size` in Python, `maxInputSize` in JavaScript; 0 turns it off) if the input is meant to be this large")
            .help_ja("意図どおりなら上限（`--max-input-size` など。0 で無制限）を上げる"),
        ))
    }
}

/// A size for people: `1.5 GiB`, `383.0 MiB`, `12 bytes`.
#[must_use]
pub fn show_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    #[allow(clippy::cast_precision_loss)] // a size shown to one decimal
    let mut v = bytes as f64 / 1024.0;
    let mut unit = "KiB";
    for u in UNITS.iter().skip(1) {
        if v < 1024.0 {
            break;
        }
        v /= 1024.0;
        unit = u;
    }
    format!("{v:.1} {unit}")
}

/// Parses a size such as `1GiB`, `500 MB`, `64k` or `1048576` (bytes); `0` means no limit.
/// Units: `k`/`KB` = 1000, `KiB` = 1024, and so on for M, G, T; letters in any case.
///
/// # Errors
/// [`codes::OPTION`] for anything else.
pub fn parse_size(text: &str) -> Result<u64, Box<Diagnostic>> {
    let bad = || {
        Box::new(
            Diagnostic::error(codes::OPTION, format!("`{text}` is not a size"))
                .ja(format!("`{text}` は大きさではない"))
                .help(
                    "write a number of bytes with an optional unit, e.g. 1GiB, 500MB or 0 for no limit",
                )
                .help_ja("バイト数を単位付きで書く（例: 1GiB、500MB。0 は無制限）"),
        )
    };
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let n: u64 = digits.parse().map_err(|_| bad())?;
    let unit = unit.trim().to_ascii_lowercase();
    let factor: u64 = match unit.as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "ki" | "kib" => 1 << 10,
        "m" | "mb" => 1_000_000,
        "mi" | "mib" => 1 << 20,
        "g" | "gb" => 1_000_000_000,
        "gi" | "gib" => 1 << 30,
        "t" | "tb" => 1_000_000_000_000,
        "ti" | "tib" => 1 << 40,
        _ => return Err(bad()),
    };
    n.checked_mul(factor).ok_or_else(bad)
}

/// A step of loading or checking, reported to a [`Progress`] callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A file is about to be read: its name, its place among the files of the input
    /// (1-based) and its size in bytes.
    Reading {
        /// The file.
        file: String,
        /// Its place among the input's files, from 1.
        index: usize,
        /// How many files the input has.
        count: usize,
        /// Its size in bytes.
        bytes: u64,
    },
    /// Records read so far (reported every [`RECORDS_STEP`] records and at the end).
    Records {
        /// Records read so far.
        loaded: usize,
    },
    /// Rules evaluated so far.
    Rules {
        /// Rules finished.
        done: usize,
        /// Rules to evaluate.
        total: usize,
    },
}

/// How often [`Event::Records`] is reported while loading.
pub const RECORDS_STEP: usize = 1 << 16;

/// A callback told of the [`Event`]s of a long load or check. It may be called from any of the
/// threads evaluating rules, one call at a time per thread.
#[derive(Clone)]
pub struct Progress(Arc<dyn Fn(&Event) + Send + Sync>);

impl Progress {
    /// Wraps a callback.
    pub fn new(f: impl Fn(&Event) + Send + Sync + 'static) -> Progress {
        Progress(Arc::new(f))
    }

    /// Tells the callback of an event.
    pub fn emit(&self, e: &Event) {
        (self.0)(e);
    }
}

impl fmt::Debug for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Progress(..)")
    }
}

fn file_location(name: &str) -> Location {
    Location {
        file: name.to_string(),
        ..Location::default()
    }
}

/// What a file-system object is, for messages.
/// What an input is, in Japanese (`records` → 記録); other words are kept.
#[must_use]
pub fn what_ja(what: &str) -> &str {
    match what {
        "records" => "記録",
        "rule" | "rules" => "ルール",
        "ledger" => "台帳",
        "directory" => "ディレクトリ",
        "map" | "mapping" => "対応表",
        "report" => "レポート",
        "cases" | "test cases" => "テストケース",
        other => other,
    }
}

/// Why a file cannot be read, in Japanese: the common kinds of I/O errors, else the system's
/// own text.
#[must_use]
pub fn io_reason_ja(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "見つからない".into(),
        ErrorKind::PermissionDenied => "読む権限がない".into(),
        ErrorKind::IsADirectory => "ディレクトリである".into(),
        ErrorKind::NotADirectory => "ディレクトリではない".into(),
        ErrorKind::InvalidData => "正しい UTF-8 テキストではない".into(),
        _ => e.to_string(),
    }
}

/// [`kind`] in Japanese.
fn kind_ja(ft: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "FIFO（名前付きパイプ）";
        }
        if ft.is_char_device() {
            return "キャラクタデバイス";
        }
        if ft.is_block_device() {
            return "ブロックデバイス";
        }
        if ft.is_socket() {
            return "ソケット";
        }
    }
    if ft.is_dir() {
        return "ディレクトリ";
    }
    if ft.is_symlink() {
        return "シンボリックリンク";
    }
    "通常のファイルではないもの"
}

fn kind(ft: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if ft.is_char_device() {
            return "a character device";
        }
        if ft.is_block_device() {
            return "a block device";
        }
        if ft.is_socket() {
            return "a socket";
        }
    }
    if ft.is_dir() {
        "a directory"
    } else if ft.is_symlink() {
        "a symbolic link"
    } else {
        "not a regular file"
    }
}

fn not_a_file(name: &str, what: &str, ft: std::fs::FileType) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(
            codes::NOT_A_FILE,
            format!("`{name}` is {}, not a {what} file", kind(ft)),
        )
        .ja(format!(
            "`{name}` は{}であり、{}ファイルではない",
            kind_ja(ft),
            what_ja(what)
        ))
        .at(file_location(name))
        .help("give a regular file; pms does not read devices, pipes or sockets")
        .help_ja("通常のファイルを指定する。pms はデバイス、パイプ、ソケットを読まない"),
    )
}

fn io_error(name: &str, what: &str, e: &std::io::Error) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(codes::IO, format!("cannot read {what} `{name}`: {e}"))
            .ja(format!(
                "{} `{name}` を読めない: {}",
                what_ja(what),
                io_reason_ja(e)
            ))
            .at(file_location(name))
            .help("check the path")
            .help_ja("パスを確かめる"),
    )
}

/// The metadata of a path that must be a regular file (symbolic links followed), read
/// without opening it.
///
/// # Errors
/// [`codes::IO`] when it cannot be found, [`codes::NOT_A_FILE`] when it is not a regular file.
pub fn regular_file(path: &Path, what: &str) -> Result<std::fs::Metadata, Box<Diagnostic>> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| io_error(&name, what, &e))?;
    if meta.is_file() {
        Ok(meta)
    } else {
        Err(not_a_file(&name, what, meta.file_type()))
    }
}

/// Reads a regular file of at most `limits` bytes (`what` names it in messages: `rule`,
/// `records`, `test case`).
///
/// # Errors
/// [`codes::IO`], [`codes::NOT_A_FILE`] or [`codes::TOO_LARGE`], naming the file.
pub fn read_bytes(path: &Path, what: &str, limits: Limits) -> Result<Vec<u8>, Box<Diagnostic>> {
    let name = path.display().to_string();
    let meta = regular_file(path, what)?;
    limits.check(&name, meta.len())?;
    let file = std::fs::File::open(path).map_err(|e| io_error(&name, what, &e))?;
    // The file may have been swapped between the look and the opening.
    let meta = file.metadata().map_err(|e| io_error(&name, what, &e))?;
    if !meta.is_file() {
        return Err(not_a_file(&name, what, meta.file_type()));
    }
    let max = limits.max();
    if meta.len() >= PARALLEL_READ && meta.len() <= max {
        if let Some(buf) = read_in_parts(&file, meta.len()) {
            return Ok(buf);
        }
    }
    let mut buf = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(max.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| io_error(&name, what, &e))?;
    let read = u64::try_from(buf.len()).unwrap_or(u64::MAX);
    limits.check(&name, read)?;
    Ok(buf)
}

/// Files of at least this many bytes are read in parts, one thread each ([`read_in_parts`]).
const PARALLEL_READ: u64 = 64 << 20;

/// A file of `len` bytes read in one part per core, each on a thread of its own (the kernel's
/// copy of the file and the faults of the fresh pages it is copied to are most of the time
/// of reading hundreds of megabytes); `None` when a part could not be read or the file no
/// longer has `len` bytes (the caller then reads it from the start as usual).
#[cfg(unix)]
fn read_in_parts(file: &std::fs::File, len: u64) -> Option<Vec<u8>> {
    use std::os::unix::fs::FileExt as _;
    let n = usize::try_from(len).ok()?;
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(8);
    if threads < 2 {
        return None;
    }
    let mut buf = vec![0u8; n];
    let part = n.div_ceil(threads);
    let read = std::thread::scope(|scope| {
        let parts: Vec<_> = buf
            .chunks_mut(part)
            .enumerate()
            .map(|(k, bytes)| {
                let at = u64::try_from(k * part).unwrap_or(u64::MAX);
                std::thread::Builder::new()
                    .spawn_scoped(scope, move || file.read_exact_at(bytes, at).is_ok())
                    .ok()
            })
            .collect();
        // A part whose thread could not start is not read.
        parts
            .into_iter()
            .all(|p| p.is_some_and(|p| p.join().unwrap_or(false)))
    });
    // The file ends where its size said (it may have grown since).
    let mut more = [0u8; 1];
    (read && file.read_at(&mut more, len).ok()? == 0).then_some(buf)
}

/// [`read_in_parts`] where files are not read at an offset: always `None`.
#[cfg(not(unix))]
fn read_in_parts(_: &std::fs::File, _: u64) -> Option<Vec<u8>> {
    None
}

/// Reads a regular file of at most `limits` bytes as UTF-8 text.
///
/// # Errors
/// As [`read_bytes`], and [`codes::ENCODING`] naming the likely encoding when the file is
/// not UTF-8 (see [`crate::text::decode`]).
pub fn read_text(path: &Path, what: &str, limits: Limits) -> Result<String, Box<Diagnostic>> {
    let bytes = read_bytes(path, what, limits)?;
    crate::text::decode(&path.display().to_string(), bytes)
}

/// The record files of a records path: the path itself when it is a regular file, or the
/// entity files of a directory (`<entity>.json`, `.yaml` or `.yml`, sorted), each checked to
/// be a regular file inside the directory, with their sizes. Files of other extensions in
/// the directory (a README) are left alone; subdirectories are not entered.
///
/// # Errors
/// Every file that cannot be read, is not a regular file, is a symbolic link leading out of
/// the directory or into a loop, or is not named after an entity; a directory with no record
/// file; inputs larger than `limits` together.
pub fn record_files(path: &Path, limits: Limits) -> Result<Vec<(PathBuf, u64)>, Vec<Diagnostic>> {
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| vec![*io_error(&shown, "records", &e)])?;
    if meta.is_file() {
        limits.check(&shown, meta.len()).map_err(|d| vec![*d])?;
        return Ok(vec![(path.to_path_buf(), meta.len())]);
    }
    if !meta.is_dir() {
        return Err(vec![*not_a_file(&shown, "records", meta.file_type())]);
    }
    let dir_error = |e: &std::io::Error| vec![*io_error(&shown, "directory", e)];
    let root = std::fs::canonicalize(path).map_err(|e| dir_error(&e))?;
    let mut files = Vec::new();
    let mut diags = Vec::new();
    for entry in std::fs::read_dir(path).map_err(|e| dir_error(&e))? {
        let entry = entry.map_err(|e| dir_error(&e))?;
        let p = entry.path();
        let name = p.display().to_string();
        let Some(file_name) = entry.file_name().to_str().map(str::to_string) else {
            continue;
        };
        if crate::records::Format::from_name(&file_name).is_none() {
            continue;
        }
        let stem = file_name.split('.').next().unwrap_or_default();
        if crate::schema::find_entity(stem).is_none() {
            let help = crate::schema::suggest(stem, crate::schema::entities().map(|e| e.name))
                .map(|s| format!("did you mean `{s}`? a records directory holds one file per entity, named after it"))
                .unwrap_or_else(|| "a records directory holds one file per entity, named after it (e.g. `workforce.yaml`)".into());
            let help_ja = crate::schema::suggest(stem, crate::schema::entities().map(|e| e.name))
                .map(|s| format!("`{s}` の誤りではないか。記録のディレクトリにはエンティティごとに 1 ファイルを、その名前で置く"))
                .unwrap_or_else(|| "記録のディレクトリにはエンティティごとに 1 ファイルを、その名前で置く（例: `workforce.yaml`）".into());
            diags.push(
                Diagnostic::error(
                    codes::UNKNOWN_ENTITY,
                    format!("`{name}` is not named after an entity"),
                )
                .ja(format!("`{name}` の名前がエンティティ名ではない"))
                .at(file_location(&name))
                .help(help)
                .help_ja(help_ja),
            );
            continue;
        }
        let ft = match entry.file_type() {
            Ok(ft) => ft,
            Err(e) => {
                diags.push(*io_error(&name, "records", &e));
                continue;
            }
        };
        let meta = if ft.is_symlink() {
            let target = match std::fs::canonicalize(&p) {
                Ok(t) => t,
                Err(e) => {
                    diags.push(
                        Diagnostic::error(
                            codes::NOT_A_FILE,
                            format!("`{name}` is a symbolic link that leads nowhere readable: {e}"),
                        )
                        .ja(format!("`{name}` は読めるものを指さないシンボリックリンクである: {}", io_reason_ja(&e)))
                        .at(file_location(&name))
                        .help("a link in a records directory must lead to a file in the same directory; remove it or replace it by the file")
                        .help_ja("記録のディレクトリ内のリンクは同じディレクトリのファイルを指す必要がある。削除するか、ファイルに置き換える"),
                    );
                    continue;
                }
            };
            if target.parent() != Some(root.as_path()) {
                diags.push(
                    Diagnostic::error(
                        codes::NOT_A_FILE,
                        format!(
                            "`{name}` is a symbolic link leading out of the directory, to `{}`",
                            target.display()
                        ),
                    )
                    .ja(format!(
                        "`{name}` はディレクトリの外の `{}` を指すシンボリックリンクである",
                        target.display()
                    ))
                    .at(file_location(&name))
                    .help("a link in a records directory must lead to a file in the same directory; copy the file in instead")
                    .help_ja("記録のディレクトリ内のリンクは同じディレクトリのファイルを指す必要がある。ファイルをコピーして置く"),
                );
                continue;
            }
            match std::fs::metadata(&target) {
                Ok(m) => m,
                Err(e) => {
                    diags.push(*io_error(&name, "records", &e));
                    continue;
                }
            }
        } else {
            match entry.metadata() {
                Ok(m) => m,
                Err(e) => {
                    diags.push(*io_error(&name, "records", &e));
                    continue;
                }
            }
        };
        if !meta.is_file() {
            diags.push(*not_a_file(&name, "records", meta.file_type()));
            continue;
        }
        files.push((p, meta.len()));
    }
    if !diags.is_empty() {
        crate::diagnostic::sort(&mut diags);
        return Err(diags);
    }
    if files.is_empty() {
        return Err(vec![Diagnostic::error(
            codes::IO,
            format!("directory `{shown}` holds no records file (.json, .yaml or .yml named after an entity)"),
        )
        .ja(format!("ディレクトリ `{shown}` に記録ファイル（エンティティ名の .json、.yaml、.yml）がない"))
        .at(file_location(&shown))
        .help("give a records file, or a directory with one file per entity, e.g. `workforce.yaml`")
        .help_ja("記録ファイルか、エンティティごとに 1 ファイルを置いたディレクトリを指定する（例: `workforce.yaml`）")]);
    }
    files.sort();
    let total = files.iter().fold(0u64, |n, f| n.saturating_add(f.1));
    limits.check(&shown, total).map_err(|d| vec![*d])?;
    Ok(files)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    /// A fresh directory of its own under the system's temporary directory.
    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("pms-input-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn codes_of(r: Result<Vec<(PathBuf, u64)>, Vec<Diagnostic>>) -> Vec<String> {
        r.unwrap_err()
            .into_iter()
            .map(|d| d.code.to_string())
            .collect()
    }

    #[test]
    fn sizes_parse_with_decimal_and_binary_units() {
        assert_eq!(parse_size("1GiB").unwrap(), 1 << 30);
        assert_eq!(parse_size("500 MB").unwrap(), 500_000_000);
        assert_eq!(parse_size("64k").unwrap(), 64_000);
        assert_eq!(parse_size("12").unwrap(), 12);
        assert_eq!(parse_size("0").unwrap(), 0);
        for bad in [
            "",
            "GiB",
            "-1",
            "1.5G",
            "10x",
            "99999999999999999999",
            "20000000TiB",
        ] {
            assert_eq!(parse_size(bad).unwrap_err().code, codes::OPTION, "{bad}");
        }
        assert_eq!(show_size(1536), "1.5 KiB");
        assert_eq!(show_size(3 << 30), "3.0 GiB");
    }

    #[test]
    fn limits_refuse_larger_inputs_and_zero_means_none() {
        let l = Limits { max_input_size: 10 };
        assert!(l.check("a", 10).is_ok());
        assert_eq!(l.check("a", 11).unwrap_err().code, codes::TOO_LARGE);
        assert!(Limits { max_input_size: 0 }.check("a", u64::MAX).is_ok());
        assert_eq!(Limits::default().max_input_size, DEFAULT_MAX_INPUT_SIZE);
    }

    #[test]
    fn files_are_read_within_the_limit_and_only_when_regular() {
        let d = scratch("read");
        let f = d.join("r.pms");
        std::fs::write(&f, "0123456789").unwrap();
        assert_eq!(
            read_text(&f, "rule", Limits::default()).unwrap(),
            "0123456789"
        );
        let small = Limits { max_input_size: 9 };
        assert_eq!(
            read_text(&f, "rule", small).unwrap_err().code,
            codes::TOO_LARGE
        );
        assert_eq!(
            read_text(&d, "rule", Limits::default()).unwrap_err().code,
            codes::NOT_A_FILE
        );
        assert_eq!(
            read_text(&d.join("missing.pms"), "rule", Limits::default())
                .unwrap_err()
                .code,
            codes::IO
        );
        std::fs::write(&f, b"ok \xff\xfe").unwrap();
        let e = read_text(&f, "rule", Limits::default()).unwrap_err();
        assert!(
            e.code == codes::ENCODING && e.message.contains("at offset 3"),
            "{}",
            e.message
        );
        #[cfg(unix)]
        {
            let dev = read_text(Path::new("/dev/zero"), "rule", Limits::default()).unwrap_err();
            assert_eq!(dev.code, codes::NOT_A_FILE);
            assert!(dev.message.contains("character device"), "{}", dev.message);
        }
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn a_directory_is_read_by_its_entity_file_names_only() {
        let d = scratch("dir");
        std::fs::write(d.join("workforce.yaml"), "[]").unwrap();
        std::fs::write(d.join("training_records.json"), "[]").unwrap();
        std::fs::write(d.join("README.md"), "notes").unwrap();
        std::fs::create_dir(d.join("old")).unwrap();
        std::fs::write(d.join("old").join("workfroce.yaml"), "[]").unwrap();
        let files = record_files(&d, Limits::default()).unwrap();
        let names: Vec<_> = files
            .iter()
            .map(|f| f.0.file_name().unwrap().to_str().unwrap().to_string())
            .collect();
        assert_eq!(names, ["training_records.json", "workforce.yaml"]);
        // Both files together count against the limit.
        assert_eq!(
            codes_of(record_files(&d, Limits { max_input_size: 3 })),
            [codes::TOO_LARGE]
        );
        std::fs::write(d.join("workfroce.yaml"), "[]").unwrap();
        let e = record_files(&d, Limits::default()).unwrap_err();
        assert_eq!(e[0].code, codes::UNKNOWN_ENTITY);
        assert!(e[0].help.as_deref().unwrap_or("").contains("`workforce`"));
        let _ = std::fs::remove_dir_all(&d);
        let empty = scratch("empty");
        assert_eq!(
            codes_of(record_files(&empty, Limits::default())),
            [codes::IO]
        );
        let _ = std::fs::remove_dir_all(&empty);
    }

    #[cfg(unix)]
    #[test]
    fn links_lead_only_to_regular_files_inside_the_directory() {
        use std::os::unix::fs::symlink;
        let d = scratch("links");
        std::fs::write(d.join("workforce.yaml"), "[]").unwrap();
        symlink("workforce.yaml", d.join("contractors.yaml")).unwrap();
        assert_eq!(record_files(&d, Limits::default()).unwrap().len(), 2);
        symlink("/dev/zero", d.join("incidents.yaml")).unwrap();
        symlink("internal_audits.yaml", d.join("complaints.yaml")).unwrap();
        symlink("complaints.yaml", d.join("internal_audits.yaml")).unwrap();
        let _sock = std::os::unix::net::UnixListener::bind(d.join("systems.json")).unwrap();
        let e = record_files(&d, Limits::default()).unwrap_err();
        let msgs: Vec<&str> = e.iter().map(|d| d.message.as_str()).collect();
        assert!(e.iter().all(|d| d.code == codes::NOT_A_FILE), "{msgs:?}");
        assert_eq!(e.len(), 4, "{msgs:?}");
        assert!(msgs
            .iter()
            .any(|m| m.contains("out of the directory, to `/dev/zero`")));
        assert!(msgs.iter().any(|m| m.contains("a socket")));
        assert!(msgs.iter().any(|m| m.contains("leads nowhere readable")));
        // A device named directly is refused too.
        let dev = record_files(Path::new("/dev/null"), Limits::default()).unwrap_err();
        assert_eq!(dev[0].code, codes::NOT_A_FILE);
        let _ = std::fs::remove_dir_all(&d);
    }
}

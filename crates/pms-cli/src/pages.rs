//! Large inputs on huge pages.
//!
//! Loading a record set of hundreds of megabytes touches every page of the file's text, of
//! the string table and of the columns, mostly in random order (a hash probe per text): with
//! 4 KiB pages, the page-table walks of those look-ups and the faults of the fresh pages are
//! about a quarter of the load's CPU at the generated scale L (docs/benchmarks.md, "The load
//! (2026-11-28, night, machine loaded)"). glibc's allocator asks the kernel for transparent
//! huge pages when the tunable `glibc.malloc.hugetlb=1` is set, but it reads its tunables
//! only when a process starts. So a run whose arguments name an input of [`LARGE_INPUT`] bytes
//! or more starts itself again at once, the same program with the same arguments, standard
//! streams and environment, with that tunable added (`exec`: same process id, nothing read or
//! written before). Where glibc is not the C library, on kernels without transparent huge
//! pages, or when the tunable is already set, nothing changes; `PMS_HUGE_PAGES=0` turns it
//! off. The output is the same either way: only where memory comes from changes.

/// Inputs of at least this many bytes (a file, or the files of a directory together) are
/// read on huge pages.
const LARGE_INPUT: u64 = 64 << 20;

/// The glibc tunable that makes its allocator ask for transparent huge pages.
const TUNABLE: &str = "glibc.malloc.hugetlb";

/// The value of `GLIBC_TUNABLES` to start again with, given its current value and whether
/// `PMS_HUGE_PAGES=0` asks not to; `None` when nothing is to change (the tunable already set,
/// by the user or by an earlier start).
fn tunables(current: Option<&str>, off: bool) -> Option<String> {
    if off || current.is_some_and(|t| t.contains(TUNABLE)) {
        return None;
    }
    Some(match current {
        Some(t) if !t.is_empty() => format!("{t}:{TUNABLE}=1"),
        _ => format!("{TUNABLE}=1"),
    })
}

/// Whether `path` is a file of at least [`LARGE_INPUT`] bytes, or a directory whose files
/// (one level, as a records directory is read) add up to that much.
fn large(path: &std::path::Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    if meta.is_file() {
        return meta.len() >= LARGE_INPUT;
    }
    if !meta.is_dir() {
        return false;
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        return false;
    };
    let mut total = 0u64;
    for entry in entries.flatten() {
        if let Ok(m) = entry.metadata() {
            if m.is_file() {
                total = total.saturating_add(m.len());
                if total >= LARGE_INPUT {
                    return true;
                }
            }
        }
    }
    false
}

/// Starts this program again with huge pages when one of its arguments names a large input
/// (see the module's documentation); returns when it does not, or when starting again fails
/// (the run then goes on as it is).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn for_large_input() {
    use std::os::unix::process::CommandExt as _;
    const VAR: &str = "GLIBC_TUNABLES";
    // A value that is not UTF-8 is left alone.
    let current = match std::env::var_os(VAR) {
        None => None,
        Some(v) => match v.into_string() {
            Ok(v) => Some(v),
            Err(_) => return,
        },
    };
    let off = std::env::var_os("PMS_HUGE_PAGES").is_some_and(|v| v == "0");
    let Some(value) = tunables(current.as_deref(), off) else {
        return;
    };
    let mut args = std::env::args_os();
    let Some(arg0) = args.next() else {
        return;
    };
    let rest: Vec<std::ffi::OsString> = args.collect();
    if !rest.iter().any(|a| large(std::path::Path::new(a))) {
        return;
    }
    // This program's file (by its path, so that the process keeps its name); `exec`
    // returns only when it failed (the file removed since, for one).
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let _ = std::process::Command::new(exe)
        .arg0(arg0)
        .args(rest)
        .env(VAR, value)
        .exec();
}

/// Elsewhere than on Linux with glibc: nothing to do.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn for_large_input() {}

#[cfg(test)]
mod tests {
    use super::{large, tunables, LARGE_INPUT};

    #[test]
    fn the_tunable_is_added_once_and_never_against_the_users_choice() {
        assert_eq!(
            tunables(None, false).as_deref(),
            Some("glibc.malloc.hugetlb=1")
        );
        assert_eq!(
            tunables(Some(""), false).as_deref(),
            Some("glibc.malloc.hugetlb=1")
        );
        assert_eq!(
            tunables(Some("glibc.malloc.arena_max=2"), false).as_deref(),
            Some("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1")
        );
        // Already set (by an earlier start, or by the user to any value), or turned off.
        assert_eq!(tunables(Some("glibc.malloc.hugetlb=1"), false), None);
        assert_eq!(tunables(Some("glibc.malloc.hugetlb=0"), false), None);
        assert_eq!(tunables(None, true), None);
    }

    #[test]
    fn large_inputs_are_files_or_directories_of_64_mib() {
        let dir = std::env::temp_dir().join(format!("pms-pages-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        let small = dir.join("workforce.json");
        std::fs::write(&small, "[]").expect("write");
        assert!(!large(&small));
        assert!(!large(&dir));
        assert!(!large(&dir.join("absent.json")));
        // Sparse files: their size counts, not the disk they take.
        let half = std::fs::File::create(dir.join("entry_logs.json")).expect("create");
        half.set_len(LARGE_INPUT / 2).expect("size");
        assert!(!large(&dir));
        let other = std::fs::File::create(dir.join("training_records.json")).expect("create");
        other.set_len(LARGE_INPUT / 2).expect("size");
        assert!(large(&dir));
        assert!(!large(&dir.join("entry_logs.json")));
        other.set_len(LARGE_INPUT).expect("size");
        assert!(large(&dir.join("training_records.json")));
        std::fs::remove_dir_all(&dir).expect("clean up");
    }
}

//! Independent pieces of reading (the files of a directory, the sheets of a workbook) spread
//! over a few threads on native targets, their results handed back in the order of the pieces
//! so that everything made from them — records, notes, diagnostics — comes out as one thread
//! would make it. WebAssembly (one thread) reads them one after another.

/// At most this many threads read at once: past it the one-threaded validation that follows
/// the reading dominates, and each thread reading a workbook holds its own copy of the
/// workbook's shared strings.
#[cfg(not(target_arch = "wasm32"))]
const MAX_THREADS: usize = 4;

/// How many threads would read `count` pieces here (1 on WebAssembly, or for one piece).
#[must_use]
pub(crate) fn threads(count: usize) -> usize {
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::thread::available_parallelism()
            .map_or(1, std::num::NonZeroUsize::get)
            .min(MAX_THREADS)
            .min(count)
            .max(1)
    }
    #[cfg(target_arch = "wasm32")]
    {
        let _ = count;
        1
    }
}

/// `each(state, i)` for every `i` in `0..count`, in order of `i` in the result. Each thread
/// makes its own `state` with `init` (a workbook opened once per thread) and takes the next
/// piece not yet taken, so a long piece does not hold up the short ones behind it. With
/// `threads` ≤ 1 (or on WebAssembly) the pieces are read in order on the calling thread.
///
/// A panic of a piece is raised again on the calling thread, as if read there.
pub(crate) fn map<S, R: Send>(
    count: usize,
    threads: usize,
    init: impl Fn() -> S + Sync,
    each: impl Fn(&mut S, usize) -> R + Sync,
) -> Vec<R> {
    #[cfg(not(target_arch = "wasm32"))]
    if threads > 1 && count > 1 {
        return spread(count, threads.min(count), &init, &each);
    }
    let _ = threads;
    let mut state = init();
    (0..count).map(|i| each(&mut state, i)).collect()
}

#[cfg(not(target_arch = "wasm32"))]
fn spread<S, R: Send>(
    count: usize,
    threads: usize,
    init: &(impl Fn() -> S + Sync),
    each: &(impl Fn(&mut S, usize) -> R + Sync),
) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        let mut state: Option<S> = None;
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= count {
                break;
            }
            let s = state.get_or_insert_with(init);
            done.push((i, each(s, i)));
        }
        done
    };
    let mut all: Vec<(usize, R)> = Vec::with_capacity(count);
    std::thread::scope(|scope| {
        // A thread the system refuses (a process limit) is done without: the calling thread
        // and the others take its pieces.
        let others: Vec<_> = (1..threads)
            .filter_map(|_| std::thread::Builder::new().spawn_scoped(scope, work).ok())
            .collect();
        // The calling thread reads too.
        all.extend(work());
        for h in others {
            match h.join() {
                Ok(done) => all.extend(done),
                Err(p) => std::panic::resume_unwind(p),
            }
        }
    });
    all.sort_unstable_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::map;

    #[test]
    fn results_come_in_the_order_of_the_pieces_whatever_the_threads() {
        for threads in [1, 2, 3, 8] {
            let got = map(
                50,
                threads,
                || 0usize,
                |seen, i| {
                    *seen += 1;
                    // Uneven pieces: the later ones finish first.
                    std::thread::sleep(std::time::Duration::from_micros(
                        u64::try_from(50 - i).unwrap(),
                    ));
                    i * 2
                },
            );
            assert_eq!(got, (0..50).map(|i| i * 2).collect::<Vec<_>>());
        }
        assert!(map(0, 4, || (), |(), i| i).is_empty());
    }

    #[test]
    fn each_thread_makes_its_own_state_once() {
        let made = std::sync::atomic::AtomicUsize::new(0);
        let got = map(
            20,
            2,
            || made.fetch_add(1, std::sync::atomic::Ordering::SeqCst),
            |_, i| i,
        );
        assert_eq!(got.len(), 20);
        assert!(made.load(std::sync::atomic::Ordering::SeqCst) <= 2);
    }
}

//! Independent work spread over threads: the files of a compile, the rules of an
//! evaluation.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Applies `f` to every item on up to `workers` threads and gives the results in item
/// order. Each worker takes the next item not yet taken, with state of its own made by
/// `init` in its thread (caches that are not shared). The calling thread is one of the
/// workers, so a thread that cannot be started only means fewer workers; with one worker,
/// and always in WebAssembly, everything runs on the calling thread.
pub(crate) fn map<I, S, T>(
    items: &[I],
    workers: usize,
    init: impl Fn() -> S + Sync,
    f: impl Fn(&S, usize, &I) -> T + Sync,
) -> Vec<T>
where
    I: Sync,
    T: Send,
{
    let next = AtomicUsize::new(0);
    let work = || {
        let state = init();
        let mut out = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            out.push((i, f(&state, i, item)));
        }
        out
    };
    let workers = threads_for(workers, items.len());
    let mut done = if workers <= 1 {
        work()
    } else {
        std::thread::scope(|scope| {
            let helpers: Vec<_> = (1..workers)
                .filter_map(|_| std::thread::Builder::new().spawn_scoped(scope, work).ok())
                .collect();
            let mut done = work();
            for h in helpers {
                done.extend(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
            }
            done
        })
    };
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, t)| t).collect()
}

/// Threads for `workers` asked over `items` items: never more than the items, at least one,
/// and one in WebAssembly.
fn threads_for(workers: usize, items: usize) -> usize {
    if cfg!(target_family = "wasm") {
        1
    } else {
        workers.min(items).max(1)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn never_more_threads_than_items() {
        assert_eq!(super::threads_for(3, 100), 3);
        assert_eq!(super::threads_for(8, 2), 2);
        assert_eq!(super::threads_for(8, 0), 1);
        assert_eq!(super::threads_for(0, 100), 1);
    }

    #[test]
    fn results_keep_item_order_whatever_the_workers() {
        let items: Vec<u32> = (0..1000).collect();
        for workers in [0, 1, 2, 3, 16] {
            let out = super::map(&items, workers, || 10, |ten, i, x| (i, x * ten));
            assert_eq!(out.len(), items.len());
            assert!(out
                .iter()
                .zip(&items)
                .enumerate()
                .all(|(k, ((i, v), x))| *i == k && *v == x * 10));
        }
    }
}

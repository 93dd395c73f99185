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

/// Applies `f` to each item `produce` gives, on up to `workers` threads, while `produce` is
/// still giving them (it runs on the calling thread, which works on items too once it is
/// done), and hands each result to `fold` on the calling thread in the order the items were
/// given, as soon as it and those before it are ready (between the items the calling thread
/// gives or works on). With one worker, and always in WebAssembly, `produce` runs to its end,
/// then `f` and `fold` on every item in order.
pub(crate) fn stream<I, T>(
    workers: usize,
    produce: impl FnOnce(&mut dyn FnMut(I)),
    f: impl Fn(I) -> T + Sync,
    mut fold: impl FnMut(T),
) where
    I: Send,
    T: Send,
{
    use std::sync::{Condvar, Mutex, PoisonError};
    let workers = if cfg!(target_family = "wasm") {
        1
    } else {
        workers.max(1)
    };
    if workers == 1 {
        let mut items = Vec::new();
        produce(&mut |item| items.push(item));
        for item in items {
            fold(f(item));
        }
        return;
    }
    /// Items given and not yet taken, how many were given, whether `produce` is done, and
    /// the results not yet folded by item index.
    struct State<I, T> {
        items: std::collections::VecDeque<(usize, I)>,
        given: usize,
        done: bool,
        results: std::collections::BTreeMap<usize, T>,
        /// A thread panicked: the others stop waiting (the panic is passed on).
        failed: bool,
    }
    /// On a panic of its thread, tells the others to stop waiting.
    struct Unwinding<'a>(&'a dyn Fn());
    impl Drop for Unwinding<'_> {
        fn drop(&mut self) {
            if std::thread::panicking() {
                (self.0)();
            }
        }
    }
    let state = Mutex::new(State {
        items: std::collections::VecDeque::new(),
        given: 0,
        done: false,
        results: std::collections::BTreeMap::new(),
        failed: false,
    });
    // Told of every item given, every result, and the end of `produce`.
    let changed = Condvar::new();
    let lock = || state.lock().unwrap_or_else(PoisonError::into_inner);
    let fail = || {
        let mut st = lock();
        st.done = true;
        st.failed = true;
        drop(st);
        changed.notify_all();
    };
    let finish = |i: usize, item: I| {
        let t = f(item);
        lock().results.insert(i, t);
        changed.notify_all();
    };
    // A helper: the next item (waiting for one while `produce` runs) until none is left.
    let help = || loop {
        let _unwinding = Unwinding(&fail);
        let mut st = lock();
        let next = loop {
            if let Some(next) = st.items.pop_front() {
                break Some(next);
            }
            if st.done {
                break None;
            }
            st = changed.wait(st).unwrap_or_else(PoisonError::into_inner);
        };
        drop(st);
        match next {
            Some((i, item)) => finish(i, item),
            None => return,
        }
    };
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..workers)
            .filter_map(|_| std::thread::Builder::new().spawn_scoped(scope, help).ok())
            .collect();
        let _unwinding = Unwinding(&fail);
        let mut folded = 0;
        // Folds the results that are ready, in order.
        let mut fold_ready = |folded: &mut usize| loop {
            let Some(t) = lock().results.remove(&*folded) else {
                return;
            };
            fold(t);
            *folded += 1;
        };
        produce(&mut |item| {
            let mut st = lock();
            let i = st.given;
            st.given += 1;
            st.items.push_back((i, item));
            drop(st);
            changed.notify_all();
            fold_ready(&mut folded);
        });
        lock().done = true;
        changed.notify_all();
        loop {
            fold_ready(&mut folded);
            let mut st = lock();
            if let Some((i, item)) = st.items.pop_front() {
                drop(st);
                finish(i, item);
                continue;
            }
            if folded >= st.given || st.failed {
                break;
            }
            // The rest is being worked on by the helpers: wait for a result.
            if !st.results.contains_key(&folded) {
                drop(changed.wait(st).unwrap_or_else(PoisonError::into_inner));
            }
        }
        for h in helpers {
            h.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        }
    });
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
    fn streamed_items_give_their_results_in_the_order_given() {
        for workers in [1, 2, 3] {
            let mut out = Vec::new();
            super::stream(
                workers,
                |give| {
                    for x in 0..500u64 {
                        give(x);
                    }
                },
                |x| x * 3,
                |y| out.push(y),
            );
            assert_eq!(out, (0..500u64).map(|x| x * 3).collect::<Vec<_>>());
        }
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

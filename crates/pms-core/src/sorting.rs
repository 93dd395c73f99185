//! Stable sorts off the evaluation path, through one shared copy of the standard library's
//! sort.
//!
//! Each `sort_by` with a new element type or comparator instantiates the whole stable sort of
//! the standard library (driftsort: 5–7 kB of WebAssembly each). The sorts of diagnostics, of
//! the rule graph, of the rule list and of the report writers run once per call, so they go
//! through [`sort_by`]: it sorts the positions of the elements (`usize`) with a comparator
//! given as `&dyn Fn` — one instantiation of the sort for all of them — then moves the
//! elements to their places. The order is exactly that of `slice::sort_by` (a stable sort:
//! equal elements keep their order). Sorts of the evaluation keep `slice::sort_by`.
//!
//! `collect()` into a `BTreeMap` or `BTreeSet` sorts its items first (one more instantiation
//! of the sort per type); [`map_of`] and [`set_of`] insert them one by one instead.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Sorts `v` stably by `cmp`, as `slice::sort_by` does.
pub fn sort_by<T>(v: &mut [T], cmp: impl Fn(&T, &T) -> Ordering) {
    let order = {
        let v = &*v;
        sorted_positions(v.len(), &|a, b| match (v.get(a), v.get(b)) {
            (Some(x), Some(y)) => cmp(x, y),
            _ => Ordering::Equal,
        })
    };
    permute(v, order);
}

/// Sorts `v` stably by the key `key` gives, as `slice::sort_by_key` does.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v` stably, as `slice::sort` does.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// The map of `pairs`, as `collect()` makes it (of pairs with equal keys, the last one's
/// value is kept), without sorting them first.
pub fn map_of<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    map.extend(pairs);
    map
}

/// The set of `items`, as `collect()` makes it, without sorting them first.
pub fn set_of<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    set.extend(items);
    set
}

/// The positions `0..len` in the stable order `cmp` gives them: the one instantiation of the
/// standard library's sort.
#[inline(never)]
fn sorted_positions(len: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|a, b| cmp(*a, *b));
    order
}

/// Puts the element at `order[i]` at `i`, for every `i` (`order` is a permutation of the
/// positions of `v`), following each cycle of the permutation once.
pub(crate) fn permute<T>(v: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut here = start;
        while let Some(slot) = order.get_mut(here) {
            let from = std::mem::replace(slot, here);
            if from == start || from == here {
                break;
            }
            v.swap(here, from);
            here = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn equal_elements_keep_their_order() {
        let mut v = vec![(2, 'a'), (1, 'b'), (2, 'c'), (1, 'd'), (0, 'e')];
        sort_by_key(&mut v, |p| p.0);
        assert_eq!(v, [(0, 'e'), (1, 'b'), (1, 'd'), (2, 'a'), (2, 'c')]);
        let map = map_of([("b", 1), ("a", 2), ("b", 3)]);
        assert_eq!(map, [("a", 2), ("b", 3)].into_iter().collect());
        assert_eq!(set_of([3, 1, 3]), [1, 3].into_iter().collect());
        let mut empty: Vec<u8> = Vec::new();
        sort(&mut empty);
        assert!(empty.is_empty());
    }

    proptest! {
        #[test]
        fn sorts_as_the_standard_library_does(v in proptest::collection::vec((0u8..8, any::<u16>()), 0..200)) {
            let mut ours = v.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut std = v.clone();
            std.sort_by_key(|a| a.0);
            prop_assert_eq!(&ours, &std);
            let mut ours = v.clone();
            sort(&mut ours);
            let mut std = v;
            std.sort();
            prop_assert_eq!(ours, std);
        }
    }
}

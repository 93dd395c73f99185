//! The record set's distinct texts, kept in one growing block.
//!
//! A text costs its bytes and four bytes of end offset, instead of a shared allocation of
//! its own (about 64 bytes more per text with the allocator's header and rounding). At the
//! generated scale L (2.7 million distinct texts, mostly ids) that is about 110 MiB less.

/// Distinct texts by index, their bytes one after the other.
#[derive(Debug, Clone, Default)]
pub(crate) struct Texts {
    /// Every text's bytes, in index order.
    bytes: String,
    /// The low 32 bits of each text's end offset in `bytes`.
    ends: Vec<u32>,
    /// The indexes of the texts whose end offset reaches the next multiple of 2^32 (one
    /// entry per multiple crossed): the high bits of an end offset are the number of entries
    /// at or below its index. Empty unless the block outgrows 4 GiB.
    wraps: Vec<u32>,
}

impl Texts {
    /// The number of texts.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Appends a text; its index.
    pub(crate) fn push(&mut self, s: &str) -> u32 {
        let i = u32::try_from(self.ends.len()).unwrap_or(u32::MAX);
        self.bytes.push_str(s);
        let end = self.bytes.len() as u64;
        while (end >> 32) > self.wraps.len() as u64 {
            self.wraps.push(i);
        }
        // Truncation intended: the high bits are counted in `wraps`.
        #[allow(clippy::cast_possible_truncation)]
        self.ends.push(end as u32);
        i
    }

    /// The full end offset of text `i`.
    fn end(&self, i: usize) -> Option<usize> {
        let low = u64::from(*self.ends.get(i)?);
        let high = if self.wraps.is_empty() {
            0
        } else {
            self.wraps.partition_point(|w| *w as usize <= i) as u64
        };
        usize::try_from((high << 32) | low).ok()
    }

    /// The text with index `i`.
    pub(crate) fn get(&self, i: u32) -> Option<&str> {
        let i = i as usize;
        let start = match i.checked_sub(1) {
            Some(prev) => self.end(prev)?,
            None => 0,
        };
        self.bytes.get(start..self.end(i)?)
    }

    /// Every text, in index order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..u32::try_from(self.len()).unwrap_or(u32::MAX)).filter_map(|i| self.get(i))
    }

    /// Gives back memory reserved for growth.
    pub(crate) fn shrink(&mut self) {
        self.bytes.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::Texts;

    #[test]
    fn texts_are_read_back_by_index() {
        let mut t = Texts::default();
        let words = ["W-1", "", "受講記録", "x"];
        let ids: Vec<u32> = words.iter().map(|w| t.push(w)).collect();
        assert_eq!(ids, [0, 1, 2, 3]);
        for (i, w) in ids.iter().zip(words) {
            assert_eq!(t.get(*i), Some(w));
        }
        assert_eq!(t.get(4), None);
        assert_eq!(t.iter().collect::<Vec<_>>(), words);
    }

    #[test]
    fn offsets_past_four_gibibytes_keep_their_high_bits() {
        // The block's offsets as if 2^32 bytes came before: the wrap list alone is tested.
        let mut t = Texts::default();
        t.push("ab");
        t.push("cd");
        t.wraps.push(1);
        // Text 1 ends at 2^32 + 4: its start (text 0's end, 2) is below the wrap.
        assert_eq!(t.end(0), Some(2));
        assert_eq!(t.end(1), usize::try_from((1u64 << 32) | 4).ok());
    }
}

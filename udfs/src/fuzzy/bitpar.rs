//! Bit-parallel building blocks shared by the edit distances: a pattern of
//! at most 64 characters as one bit mask per character (the positions where
//! it occurs), kept across rows so no row allocates or clears a table.
//!
//! Characters below U+0100 (ASCII and Latin-1: é, è, ç, ï…) index a
//! 256-entry table; the few others (œ, Œ, ł…) sit in a short list. After
//! each use [`Pattern::clear`] zeroes exactly the entries it set.

/// A character of a string, as a code point: bytes of an ASCII string or
/// decoded `char`s.
pub(super) trait Code: Copy + PartialEq {
    /// The code point.
    fn code(self) -> u32;
}

impl Code for u8 {
    #[inline]
    fn code(self) -> u32 {
        u32::from(self)
    }
}

impl Code for char {
    #[inline]
    fn code(self) -> u32 {
        u32::from(self)
    }
}

/// The match masks of a pattern of at most 64 characters.
pub(super) struct Pattern {
    low: Box<[u64; 256]>,
    high: Vec<(u32, u64)>,
}

impl Default for Pattern {
    fn default() -> Self {
        Pattern {
            low: Box::new([0; 256]),
            high: Vec::new(),
        }
    }
}

impl Pattern {
    /// Sets the masks of `pat` (at most 64 characters; the table must be
    /// clear).
    #[inline]
    pub(super) fn set<T: Code>(&mut self, pat: &[T]) {
        debug_assert!(pat.len() <= 64);
        for (i, c) in pat.iter().enumerate() {
            let (c, bit) = (c.code(), 1u64 << i);
            if c < 256 {
                self.low[c as usize] |= bit;
            } else if let Some(e) = self.high.iter_mut().find(|e| e.0 == c) {
                e.1 |= bit;
            } else {
                self.high.push((c, bit));
            }
        }
    }

    /// The positions of `c` in the pattern.
    #[inline]
    pub(super) fn get<T: Code>(&self, c: T) -> u64 {
        let c = c.code();
        if c < 256 {
            self.low[c as usize]
        } else {
            self.high.iter().find(|e| e.0 == c).map_or(0, |e| e.1)
        }
    }

    /// Clears the masks `set(pat)` set.
    #[inline]
    pub(super) fn clear<T: Code>(&mut self, pat: &[T]) {
        for c in pat {
            let c = c.code();
            if c < 256 {
                self.low[c as usize] = 0;
            }
        }
        self.high.clear();
    }
}

/// The common prefix and suffix lengths of `s` and `t` removed.
#[inline]
pub(super) fn strip_affixes<'a, T: PartialEq>(s: &'a [T], t: &'a [T]) -> (&'a [T], &'a [T]) {
    let pre = s.iter().zip(t).take_while(|(x, y)| x == y).count();
    let (s, t) = (&s[pre..], &t[pre..]);
    let suf = s
        .iter()
        .rev()
        .zip(t.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    (&s[..s.len() - suf], &t[..t.len() - suf])
}

//! pg_trgm's `similarity`, `word_similarity`, `strict_word_similarity`
//! (float4) and `show_trgm` (text\[\]), with PostgreSQL 15's results.
//!
//! Trigrams are taken as pg_trgm takes them: the string is cut into words
//! of alphanumeric characters (accented and other non-ASCII letters count),
//! each word is lower-cased and padded with two spaces in front and one
//! behind, and every three consecutive characters form a trigram. A trigram
//! of three single-byte characters is kept as its three bytes; any other
//! is replaced by three bytes of the legacy CRC-32 of its UTF-8 bytes, which
//! `show_trgm` prints as `0x…` in hexadecimal. Trigram sets are ordered as
//! pg_trgm orders them (bytes compared as signed `char`), so `show_trgm`
//! lists them in PostgreSQL's order.
//!
//! `similarity(a, b)` = shared / (|a| + |b| − shared) over the two trigram
//! sets. `word_similarity(a, b)` is the greatest similarity between the
//! trigrams of `a` and those of a stretch of consecutive trigrams of `b`;
//! `strict_word_similarity` only considers stretches that start and end at
//! word boundaries of `b`. All arithmetic is in float4, as in pg_trgm.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{ArrayRef, Float32Builder, ListBuilder, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarUDF};

use super::{Arg, Strs, doc, udf};

pub(super) fn functions() -> Vec<ScalarUDF> {
    let two: &'static [&'static [Arg]] = &[&[Arg::Str, Arg::Str]];
    vec![
        udf(
            "similarity",
            two,
            DataType::Float32,
            similarity_kernel,
            doc(
                "Trigram similarity of two strings (0 to 1), as pg_trgm computes it.",
                "similarity(a, b)",
                "SELECT similarity('word', 'two words'); -- 0.36363637",
                &[("a", "First text."), ("b", "Second text.")],
            ),
        ),
        udf(
            "word_similarity",
            two,
            DataType::Float32,
            word_similarity_kernel,
            doc(
                "Greatest trigram similarity between the first string and a stretch of the second (0 to 1), as pg_trgm computes it.",
                "word_similarity(a, b)",
                "SELECT word_similarity('word', 'two words'); -- 0.8",
                &[("a", "Text to look for."), ("b", "Text to look in.")],
            ),
        ),
        udf(
            "strict_word_similarity",
            two,
            DataType::Float32,
            strict_word_similarity_kernel,
            doc(
                "Like word_similarity, but stretches of the second string start and end at word boundaries, as pg_trgm computes it.",
                "strict_word_similarity(a, b)",
                "SELECT strict_word_similarity('word', 'two words'); -- 0.5714286",
                &[("a", "Text to look for."), ("b", "Text to look in.")],
            ),
        ),
        udf(
            "show_trgm",
            &[&[Arg::Str]],
            list_of_text(),
            show_trgm_kernel,
            doc(
                "The trigrams of a string, in pg_trgm's order; multibyte trigrams as 0x-prefixed hashes.",
                "show_trgm(text)",
                "SELECT show_trgm('cat'); -- {\"  c\",\" ca\",\"at \",cat}",
                &[("text", "Text to cut into trigrams.")],
            ),
        ),
    ]
}

/// `text[]`.
fn list_of_text() -> DataType {
    DataType::List(Arc::new(Field::new("item", DataType::Utf8, true)))
}

/// A trigram as a sortable key: its three bytes with the sign bit flipped,
/// so that integer order is pg_trgm's signed-`char` order.
type Trgm = u32;

const LEFT: u8 = 1;
const RIGHT: u8 = 2;

fn key(b: [u8; 3]) -> Trgm {
    (u32::from(b[0] ^ 0x80) << 16) | (u32::from(b[1] ^ 0x80) << 8) | u32::from(b[2] ^ 0x80)
}

fn bytes(t: Trgm) -> [u8; 3] {
    [
        ((t >> 16) as u8) ^ 0x80,
        ((t >> 8) as u8) ^ 0x80,
        (t as u8) ^ 0x80,
    ]
}

static CRC_TABLE: LazyLock<[u32; 256]> = LazyLock::new(|| {
    let mut t = [0u32; 256];
    for (i, e) in t.iter_mut().enumerate() {
        let mut c = i as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 {
                (c >> 1) ^ 0xEDB8_8320
            } else {
                c >> 1
            };
        }
        *e = c;
    }
    t
});

/// PostgreSQL's legacy CRC-32 (reflected table, unreflected code).
fn legacy_crc32(data: &[u8]) -> u32 {
    let table = &*CRC_TABLE;
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc = table[(((crc >> 24) as u8) ^ b) as usize] ^ (crc << 8);
    }
    crc ^ 0xFFFF_FFFF
}

/// Scratch buffers for trigram extraction.
#[derive(Default)]
struct Extractor {
    /// The current padded, lower-cased word.
    word: String,
    /// Byte offsets of the characters of `word`, and its length at the end.
    starts: Vec<usize>,
}

impl Extractor {
    /// Appends the trigrams of `s` to `out`, in string order with
    /// duplicates; with `bounds`, marks each word's first and last trigram.
    fn extract(&mut self, s: &str, out: &mut Vec<Trgm>, mut bounds: Option<&mut Vec<u8>>) {
        out.clear();
        if let Some(b) = bounds.as_deref_mut() {
            b.clear();
        }
        let mut rest = s;
        loop {
            let Some(begin) = rest.find(is_word_char) else {
                return;
            };
            let after = &rest[begin..];
            let end = after.find(|c| !is_word_char(c)).unwrap_or(after.len());
            let w = &after[..end];
            rest = &after[end..];
            self.word.clear();
            self.word.push_str("  ");
            if w.is_ascii() {
                for b in w.bytes() {
                    self.word.push(b.to_ascii_lowercase() as char);
                }
            } else {
                for c in w.chars() {
                    self.word.push(c.to_lowercase().next().unwrap_or(c));
                }
            }
            self.word.push(' ');
            let first = out.len();
            let word = self.word.as_bytes();
            if self.word.len() == self.word.chars().count() {
                out.extend(word.windows(3).map(|t| key([t[0], t[1], t[2]])));
            } else {
                self.starts.clear();
                self.starts.extend(self.word.char_indices().map(|(i, _)| i));
                self.starts.push(word.len());
                for k in 0..self.starts.len().saturating_sub(3) {
                    let t = &word[self.starts[k]..self.starts[k + 3]];
                    out.push(if t.len() == 3 {
                        key([t[0], t[1], t[2]])
                    } else {
                        let c = legacy_crc32(t).to_le_bytes();
                        key([c[0], c[1], c[2]])
                    });
                }
            }
            if let Some(b) = bounds.as_deref_mut() {
                b.resize(out.len(), 0);
                if out.len() > first {
                    b[first] |= LEFT;
                    b[out.len() - 1] |= RIGHT;
                }
            }
        }
    }

    /// The sorted set of trigrams of `s`.
    fn set(&mut self, s: &str, out: &mut Vec<Trgm>) {
        self.extract(s, out, None);
        out.sort_unstable();
        out.dedup();
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn calc_sml(count: i32, len1: i32, len2: i32) -> f32 {
    count as f32 / (len1 + len2 - count) as f32
}

/// pg_trgm's `cnt_sml` over two sorted sets.
fn set_similarity(a: &[Trgm], b: &[Trgm]) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut count) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
                count += 1;
            }
        }
    }
    calc_sml(count, a.len() as i32, b.len() as i32)
}

/// Scratch state for word similarity.
#[derive(Default)]
struct WordSim {
    ex: Extractor,
    text: Vec<Trgm>,
    bounds: Vec<u8>,
    all: Vec<Trgm>,
    index: Vec<usize>,
    found: Vec<bool>,
    lastpos: Vec<i32>,
}

impl WordSim {
    /// pg_trgm's `calc_word_similarity` of the sorted trigram set `pattern`
    /// in `text`.
    fn compute(&mut self, pattern: &[Trgm], text: &str, strict: bool) -> f32 {
        self.ex.extract(
            text,
            &mut self.text,
            if strict { Some(&mut self.bounds) } else { None },
        );
        // Number every distinct trigram; `found` marks those of the pattern.
        self.all.clear();
        self.all.extend_from_slice(pattern);
        self.all.extend_from_slice(&self.text);
        self.all.sort_unstable();
        self.all.dedup();
        self.found.clear();
        self.found
            .extend(self.all.iter().map(|t| pattern.binary_search(t).is_ok()));
        self.index.clear();
        for t in &self.text {
            self.index.push(
                self.all
                    .binary_search(t)
                    .expect("every trigram is numbered"),
            );
        }
        self.lastpos.clear();
        self.lastpos.resize(self.all.len(), -1);
        iterate(
            &self.index,
            &self.found,
            pattern.len() as i32,
            strict.then_some(self.bounds.as_slice()),
            &mut self.lastpos,
        )
    }
}

/// pg_trgm's `iterate_word_similarity`: `index[i]` numbers the `i`-th
/// trigram of the text, `found[k]` says whether trigram `k` is in the
/// pattern (`ulen1` distinct trigrams), `bounds` (strict only) marks word
/// bounds; `lastpos` is all −1 on entry.
fn iterate(
    index: &[usize],
    found: &[bool],
    ulen1: i32,
    bounds: Option<&[u8]>,
    lastpos: &mut [i32],
) -> f32 {
    let strict = bounds.is_some();
    let (mut ulen2, mut count) = (0i32, 0i32);
    let mut lower: i32 = if strict { 0 } else { -1 };
    let mut smlr_max = 0f32;
    for (i, &t) in index.iter().enumerate() {
        if lower >= 0 || found[t] {
            if lastpos[t] < 0 {
                ulen2 += 1;
                if found[t] {
                    count += 1;
                }
            }
            lastpos[t] = i as i32;
        }
        let upper_bound = match bounds {
            Some(b) => b[i] & RIGHT != 0,
            None => found[t],
        };
        if !upper_bound {
            continue;
        }
        let upper = i as i32;
        if lower == -1 {
            lower = upper;
            ulen2 = 1;
        }
        let mut smlr_cur = calc_sml(count, ulen1, ulen2);
        let (mut tmp_count, mut tmp_ulen2, prev_lower) = (count, ulen2, lower);
        // The range is fixed at entry, though `lower` moves inside.
        let first = lower;
        for tmp_lower in first..=upper {
            let tl = tmp_lower as usize;
            if bounds.is_none_or(|b| b[tl] & LEFT != 0) {
                let smlr_tmp = calc_sml(tmp_count, ulen1, tmp_ulen2);
                if smlr_tmp > smlr_cur {
                    smlr_cur = smlr_tmp;
                    ulen2 = tmp_ulen2;
                    lower = tmp_lower;
                    count = tmp_count;
                }
            }
            let tt = index[tl];
            if lastpos[tt] == tmp_lower {
                tmp_ulen2 -= 1;
                if found[tt] {
                    tmp_count -= 1;
                }
            }
        }
        if smlr_cur > smlr_max {
            smlr_max = smlr_cur;
        }
        for tmp_lower in prev_lower..lower {
            let tt = index[tmp_lower as usize];
            if lastpos[tt] == tmp_lower {
                lastpos[tt] = -1;
            }
        }
    }
    smlr_max
}

fn similarity_kernel(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let (a, b) = (Strs::new(&args[0])?, Strs::new(&args[1])?);
    let mut ex = Extractor::default();
    let (mut ta, mut tb) = (Vec::new(), Vec::new());
    // A constant side is cut into trigrams once.
    let (ca, cb) = (a.constant().flatten(), b.constant().flatten());
    if let Some(s) = ca {
        ex.set(s, &mut ta);
    }
    if let Some(s) = cb {
        ex.set(s, &mut tb);
    }
    let mut out = Float32Builder::with_capacity(n);
    for i in 0..n {
        let (Some(x), Some(y)) = (a.get(i), b.get(i)) else {
            out.append_null();
            continue;
        };
        if ca.is_none() {
            ex.set(x, &mut ta);
        }
        if cb.is_none() {
            ex.set(y, &mut tb);
        }
        out.append_value(set_similarity(&ta, &tb));
    }
    Ok(Arc::new(out.finish()))
}

fn word_kernel(args: &[ColumnarValue], n: usize, strict: bool) -> Result<ArrayRef> {
    let (a, b) = (Strs::new(&args[0])?, Strs::new(&args[1])?);
    let mut ex = Extractor::default();
    let mut ws = WordSim::default();
    let mut pattern = Vec::new();
    let ca = a.constant().flatten();
    if let Some(s) = ca {
        ex.set(s, &mut pattern);
    }
    let mut out = Float32Builder::with_capacity(n);
    for i in 0..n {
        let (Some(x), Some(y)) = (a.get(i), b.get(i)) else {
            out.append_null();
            continue;
        };
        if ca.is_none() {
            ex.set(x, &mut pattern);
        }
        out.append_value(ws.compute(&pattern, y, strict));
    }
    Ok(Arc::new(out.finish()))
}

fn word_similarity_kernel(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    word_kernel(args, n, false)
}

fn strict_word_similarity_kernel(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    word_kernel(args, n, true)
}

/// How `show_trgm` prints a trigram.
fn push_trgm(t: Trgm, out: &mut String) {
    let b = bytes(t);
    if b.iter().all(|&c| c.is_ascii_alphanumeric() || c == b' ') {
        out.extend(b.iter().map(|&c| c as char));
    } else {
        use std::fmt::Write;
        let v = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        write!(out, "0x{v:06x}").expect("writing to a String");
    }
}

fn show_trgm_kernel(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let s = Strs::new(&args[0])?;
    let mut out = ListBuilder::new(StringBuilder::new()).with_field(Arc::new(Field::new(
        "item",
        DataType::Utf8,
        true,
    )));
    let mut ex = Extractor::default();
    let (mut set, mut buf) = (Vec::new(), String::new());
    for i in 0..n {
        match s.get(i) {
            Some(x) => {
                ex.set(x, &mut set);
                for &t in &set {
                    buf.clear();
                    push_trgm(t, &mut buf);
                    out.values().append_value(&buf);
                }
                out.append(true);
            }
            None => out.append(false),
        }
    }
    Ok(Arc::new(out.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(s: &str) -> Vec<String> {
        let mut set = Vec::new();
        Extractor::default().set(s, &mut set);
        set.iter()
            .map(|&t| {
                let mut b = String::new();
                push_trgm(t, &mut b);
                b
            })
            .collect()
    }

    fn sim(a: &str, b: &str) -> f32 {
        let (mut x, mut y) = (Vec::new(), Vec::new());
        let mut ex = Extractor::default();
        ex.set(a, &mut x);
        ex.set(b, &mut y);
        set_similarity(&x, &y)
    }

    fn word_sim(a: &str, b: &str, strict: bool) -> f32 {
        let mut p = Vec::new();
        Extractor::default().set(a, &mut p);
        WordSim::default().compute(&p, b, strict)
    }

    #[test]
    fn show_trgm_matches_postgresql() {
        // Expected values: PostgreSQL 15 pg_trgm show_trgm.
        let cases: &[(&str, &[&str])] = &[
            ("Zoé", &["0x97357e", "0xa7da63", "  z", " zo"]),
            (
                "Élodie",
                &[
                    "0xe69b54", "0xf5372c", "0x532122", "die", "ie ", "lod", "odi",
                ],
            ),
            (
                "Straße",
                &[
                    "0x9a07c3", "0xde3801", "  s", " st", "str", "tra", "0x76a40e",
                ],
            ),
            (
                "Œuvre",
                &["0x84da4c", "0x882d2b", "0x89686e", "re ", "uvr", "vre"],
            ),
            ("", &[]),
            ("a", &["  a", " a "]),
            (
                "Hello, World!",
                &[
                    "  h", "  w", " he", " wo", "ell", "hel", "ld ", "llo", "lo ", "orl", "rld",
                    "wor",
                ],
            ),
            (
                "a-b c_d 12",
                &[
                    "  1", "  a", "  b", "  c", "  d", " 12", " a ", " b ", " c ", " d ", "12 ",
                ],
            ),
            (
                "ÉLODIE",
                &[
                    "0xe69b54", "0xf5372c", "0x532122", "die", "ie ", "lod", "odi",
                ],
            ),
        ];
        for (s, want) in cases {
            assert_eq!(show(s), *want, "{s}");
        }
    }

    #[test]
    fn similarities_match_postgresql() {
        // Expected values: PostgreSQL 15 pg_trgm (float4 printed by PostgreSQL).
        assert_eq!(sim("word", "two words"), 0.363_636_37);
        assert_eq!(sim("", ""), 0.0);
        assert_eq!(sim("Zoé", "zoe"), 0.333_333_34);
        assert_eq!(sim("Élodie", "elodie"), 0.4);
        assert_eq!(sim("ab", "ab"), 1.0);
        assert_eq!(word_sim("word", "two words", false), 0.8);
        assert_eq!(word_sim("word", "two words", true), 0.571_428_6);
        assert_eq!(word_sim("", "abc", false), 0.0);
        assert_eq!(word_sim("Straße", "Strasse Berlin", false), 0.571_428_6);
        assert_eq!(word_sim("colon", "two colonels", true), 0.5);
        assert_eq!(word_sim("colon", "two colonels", false), 0.833_333_3);
        assert_eq!(word_sim("abc", "xabcx yabc", false), 0.5);
        assert_eq!(word_sim("Straße Berlin", "die Straße", true), 0.5);
    }
}

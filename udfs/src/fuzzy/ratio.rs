//! rapidfuzz's normalised similarities, with the Python library's results
//! (rapidfuzz 3, default processor: none, so no lower-casing or trimming):
//!
//! - `levenshtein_ratio(a, b)` = `rapidfuzz.distance.Levenshtein.normalized_similarity`
//!   = 1 − levenshtein / max(len a, len b), in \[0, 1\] (1 for two empty
//!   strings);
//! - `ratio(a, b)` = `rapidfuzz.fuzz.ratio` = 100 · (1 − indel / (len a + len b)),
//!   in \[0, 100\], where indel counts insertions and deletions only;
//! - `token_sort_ratio` = `ratio` of the whitespace-separated words of each
//!   string, sorted and joined by single spaces;
//! - `token_set_ratio` = `fuzz.token_set_ratio`: the best of comparing the
//!   shared words with each string's words (100 when one set of words
//!   contains the other); 0 when a string has no word;
//! - `partial_ratio` = `fuzz.partial_ratio`: the best `ratio` between the
//!   shorter string and any substring of the longer one of the same length
//!   (or a prefix or suffix of it that is shorter); 100 for two empty
//!   strings, 0 when only one is empty.
//!
//! Lengths count Unicode code points, as Python's `str` does; words are
//! separated by what Python's `str.isspace` accepts, except U+0085 and
//! U+00A0 in a string without a character above U+00FF (rapidfuzz 3 does
//! not split Python's one-byte strings there; Tessera follows it).
//!
//! Speed: `token_set_ratio` computes its indel distance as lengths minus
//! twice the longest common subsequence, bit-parallel over a pattern table
//! kept across rows when the shorter string (after common affixes) has at
//! most 64 characters, else with the rapidfuzz crate.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, Float64Builder};
use datafusion::arrow::datatypes::{DataType, Float64Type};
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarUDF};
use rapidfuzz::distance::{indel, levenshtein};
use rapidfuzz::fuzz;

use super::bitpar::{Code, Pattern, strip_affixes};
use super::{Arg, Strs, chars_into, doc, map2, udf};

pub(super) fn functions() -> Vec<ScalarUDF> {
    let two: &'static [&'static [Arg]] = &[&[Arg::Str, Arg::Str]];
    let args = &[("a", "First text."), ("b", "Second text.")];
    vec![
        udf(
            "levenshtein_ratio",
            two,
            DataType::Float64,
            levenshtein_ratio_kernel,
            doc(
                "1 - Levenshtein distance / length of the longer string, in [0, 1]: rapidfuzz's Levenshtein.normalized_similarity.",
                "levenshtein_ratio(a, b)",
                "SELECT levenshtein_ratio('kitten', 'sitting'); -- 0.5714285714285714",
                args,
            ),
        ),
        udf(
            "ratio",
            two,
            DataType::Float64,
            ratio_kernel,
            doc(
                "Indel similarity in [0, 100]: rapidfuzz's fuzz.ratio (no processor).",
                "ratio(a, b)",
                "SELECT ratio('this is a test', 'this is a test!'); -- 96.55172413793103",
                args,
            ),
        ),
        udf(
            "token_sort_ratio",
            two,
            DataType::Float64,
            token_sort_ratio_kernel,
            doc(
                "ratio of the sorted words of both strings, in [0, 100]: rapidfuzz's fuzz.token_sort_ratio (no processor).",
                "token_sort_ratio(a, b)",
                "SELECT token_sort_ratio('fuzzy wuzzy was a bear', 'wuzzy fuzzy was a bear'); -- 100",
                args,
            ),
        ),
        udf(
            "token_set_ratio",
            two,
            DataType::Float64,
            token_set_ratio_kernel,
            doc(
                "Similarity of the word sets of both strings, in [0, 100]: rapidfuzz's fuzz.token_set_ratio (no processor).",
                "token_set_ratio(a, b)",
                "SELECT token_set_ratio('new york mets', 'new york mets vs atlanta braves'); -- 100",
                args,
            ),
        ),
        udf(
            "partial_ratio",
            two,
            DataType::Float64,
            partial_ratio_kernel,
            doc(
                "Best ratio of the shorter string with a substring of the longer, in [0, 100]: rapidfuzz's fuzz.partial_ratio (no processor).",
                "partial_ratio(a, b)",
                "SELECT partial_ratio('this is a test', 'this is a test!'); -- 100",
                args,
            ),
        ),
    ]
}

fn levenshtein_ratio_kernel(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let (a, b) = (Strs::new(&args[0])?, Strs::new(&args[1])?);
    let fixed = a
        .constant()
        .flatten()
        .map(|s| levenshtein::BatchComparator::new(s.chars()));
    let mut out = Float64Builder::with_capacity(n);
    for i in 0..n {
        match (a.get(i), b.get(i)) {
            (Some(x), Some(y)) => out.append_value(match &fixed {
                Some(c) => c.normalized_similarity(y.chars()),
                None if x.is_ascii() && y.is_ascii() => {
                    levenshtein::normalized_similarity(x.bytes(), y.bytes())
                }
                None => levenshtein::normalized_similarity(x.chars(), y.chars()),
            }),
            _ => out.append_null(),
        }
    }
    Ok(Arc::new(out.finish()))
}

/// `fuzz.ratio` of two strings.
fn ratio(x: &str, y: &str) -> f64 {
    100.0
        * if x.is_ascii() && y.is_ascii() {
            fuzz::ratio(x.bytes(), y.bytes())
        } else {
            fuzz::ratio(x.chars(), y.chars())
        }
}

fn ratio_kernel(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let (a, b) = (Strs::new(&args[0])?, Strs::new(&args[1])?);
    let fixed = a
        .constant()
        .flatten()
        .map(|s| fuzz::RatioBatchComparator::new(s.chars()));
    let mut out = Float64Builder::with_capacity(n);
    for i in 0..n {
        match (a.get(i), b.get(i)) {
            (Some(x), Some(y)) => out.append_value(match &fixed {
                Some(c) => 100.0 * c.similarity(y.chars()),
                None => ratio(x, y),
            }),
            _ => out.append_null(),
        }
    }
    Ok(Arc::new(out.finish()))
}

/// Whether rapidfuzz splits words at `c`: Python's `str.isspace`, except
/// that U+0085 and U+00A0 only count in a string with a character above
/// U+00FF (rapidfuzz 3 misses them in Python's one-byte strings).
fn is_space(c: char, wide: bool) -> bool {
    match c {
        '\u{85}' | '\u{a0}' => wide,
        _ => c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c),
    }
}

/// A word of a string: its byte range.
type Word = (usize, usize);

/// The words of `s`, sorted by code point, into `out`.
fn sorted_words(s: &str, out: &mut Vec<Word>) {
    out.clear();
    let wide = !s.is_ascii() && s.chars().any(|c| u32::from(c) > 0xFF);
    let mut start = None;
    for (i, c) in s.char_indices() {
        if is_space(c, wide) {
            if let Some(st) = start.take() {
                out.push((st, i));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        out.push((st, s.len()));
    }
    out.sort_unstable_by(|x, y| s[x.0..x.1].cmp(&s[y.0..y.1]));
}

/// Appends `w` to `out`, after a space unless `out` is empty.
fn push_word(out: &mut String, w: &str) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(w);
}

/// Scratch buffers for the token ratios.
#[derive(Default)]
struct Tokens {
    wa: Vec<Word>,
    wb: Vec<Word>,
    sa: String,
    sb: String,
    ca: Vec<char>,
    cb: Vec<char>,
    pm: Pattern,
}

/// Length of the longest common subsequence of `s` and `t` by the
/// bit-parallel algorithm of Hyyrö (2004, as in rapidfuzz), after the
/// common prefix and suffix; `None` when the shorter remainder has more than
/// 64 characters.
fn lcs_bit_parallel<T: Code>(s: &[T], t: &[T], pm: &mut Pattern) -> Option<usize> {
    let (s2, t2) = strip_affixes(s, t);
    let affixes = s.len() - s2.len();
    let (pat, text) = if s2.len() <= t2.len() {
        (s2, t2)
    } else {
        (t2, s2)
    };
    if pat.is_empty() {
        return Some(affixes);
    }
    if pat.len() > 64 {
        return None;
    }
    pm.set(pat);
    let mut v = !0u64;
    for &c in text {
        let u = v & pm.get(c);
        v = v.wrapping_add(u) | (v - u);
    }
    pm.clear(pat);
    let used = if pat.len() < 64 {
        (1u64 << pat.len()) - 1
    } else {
        !0
    };
    Some(affixes + (!v & used).count_ones() as usize)
}

/// Indel distance (insertions and deletions) of two character slices.
fn indel_slices<T: Code + rapidfuzz::HashableChar>(s: &[T], t: &[T], pm: &mut Pattern) -> usize {
    match lcs_bit_parallel(s, t, pm) {
        Some(lcs) => s.len() + t.len() - 2 * lcs,
        None => indel::distance(s.iter().copied(), t.iter().copied()),
    }
}

impl Tokens {
    /// `fuzz.token_sort_ratio` of two strings.
    fn sort_ratio(&mut self, x: &str, y: &str) -> f64 {
        sorted_words(x, &mut self.wa);
        sorted_words(y, &mut self.wb);
        self.sa.clear();
        self.sb.clear();
        for &(s, e) in &self.wa {
            push_word(&mut self.sa, &x[s..e]);
        }
        for &(s, e) in &self.wb {
            push_word(&mut self.sb, &y[s..e]);
        }
        ratio(&self.sa, &self.sb)
    }

    /// `fuzz.token_set_ratio` of two strings.
    fn set_ratio(&mut self, x: &str, y: &str) -> f64 {
        sorted_words(x, &mut self.wa);
        sorted_words(y, &mut self.wb);
        self.wa.dedup_by(|p, q| x[p.0..p.1] == x[q.0..q.1]);
        self.wb.dedup_by(|p, q| y[p.0..p.1] == y[q.0..q.1]);
        if self.wa.is_empty() || self.wb.is_empty() {
            return 0.0;
        }
        self.sa.clear();
        self.sb.clear();
        // Both sorted: walk them together; `sa`, `sb` get the words of one
        // string only.
        let (mut i, mut j) = (0, 0);
        let (mut sect_chars, mut sect_n) = (0usize, 0usize);
        loop {
            let a = self.wa.get(i).map(|&(s, e)| &x[s..e]);
            let b = self.wb.get(j).map(|&(s, e)| &y[s..e]);
            match (a, b) {
                (Some(a), Some(b)) if a == b => {
                    sect_chars += a.chars().count();
                    sect_n += 1;
                    i += 1;
                    j += 1;
                }
                (Some(a), Some(b)) if a < b => {
                    push_word(&mut self.sa, a);
                    i += 1;
                }
                (Some(a), None) => {
                    push_word(&mut self.sa, a);
                    i += 1;
                }
                (_, Some(b)) => {
                    push_word(&mut self.sb, b);
                    j += 1;
                }
                (None, None) => break,
            }
        }
        if sect_n > 0 && (self.sa.is_empty() || self.sb.is_empty()) {
            return 100.0;
        }
        // The length of the shared words joined by spaces.
        let sect_len = if sect_n > 0 {
            sect_chars + sect_n - 1
        } else {
            0
        };
        let (sa, sb) = (&self.sa, &self.sb);
        let (ab_len, ba_len) = (sa.chars().count(), sb.chars().count());
        let sep = usize::from(sect_len > 0);
        let sect_ab_len = sect_len + sep + ab_len;
        let sect_ba_len = sect_len + sep + ba_len;
        let dist = if sa.is_ascii() && sb.is_ascii() {
            indel_slices(sa.as_bytes(), sb.as_bytes(), &mut self.pm)
        } else {
            chars_into(sa, &mut self.ca);
            chars_into(sb, &mut self.cb);
            indel_slices(&self.ca, &self.cb, &mut self.pm)
        };
        let result = norm_distance(dist, sect_ab_len + sect_ba_len);
        if sect_len == 0 {
            return result;
        }
        let sect_ab_ratio = norm_distance(sep + ab_len, sect_len + sect_ab_len);
        let sect_ba_ratio = norm_distance(sep + ba_len, sect_len + sect_ba_len);
        result.max(sect_ab_ratio).max(sect_ba_ratio)
    }
}

fn token_sort_ratio_kernel(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let mut t = Tokens::default();
    map2::<Float64Type>(args, n, |x, y| Ok(t.sort_ratio(x, y)))
}

/// 100 − 100 · dist / len (100 when `len` is 0), as rapidfuzz's `norm_distance`.
fn norm_distance(dist: usize, len: usize) -> f64 {
    if len > 0 {
        100.0 - 100.0 * dist as f64 / len as f64
    } else {
        100.0
    }
}

fn token_set_ratio_kernel(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let mut t = Tokens::default();
    map2::<Float64Type>(args, n, |x, y| Ok(t.set_ratio(x, y)))
}

/// Scratch buffers for `partial_ratio`.
#[derive(Default)]
struct Partial {
    a: Vec<char>,
    b: Vec<char>,
}

impl Partial {
    /// `fuzz.partial_ratio` of two strings.
    fn ratio(&mut self, x: &str, y: &str) -> f64 {
        chars_into(x, &mut self.a);
        chars_into(y, &mut self.b);
        let (short, long) = if self.a.len() <= self.b.len() {
            (&self.a, &self.b)
        } else {
            (&self.b, &self.a)
        };
        if short.is_empty() {
            return if long.is_empty() { 100.0 } else { 0.0 };
        }
        let mut best = best_alignment(short, long);
        if best != 100.0 && short.len() == long.len() {
            best = best.max(best_alignment(long, short));
        }
        best
    }
}

/// The best `ratio` of `needle` with the windows of `hay` of its length,
/// and with the shorter prefixes and suffixes of `hay` (those that end,
/// respectively start, with a character of `needle`).
fn best_alignment(needle: &[char], hay: &[char]) -> f64 {
    let (l1, l2) = (needle.len(), hay.len());
    let scorer = indel::BatchComparator::new(needle.iter().copied());
    let score = |s: &[char]| 100.0 * scorer.normalized_similarity(s.iter().copied());
    let mut best = 0f64;
    for start in 0..=l2 - l1 {
        best = best.max(score(&hay[start..start + l1]));
        if best == 100.0 {
            return best;
        }
    }
    for i in 1..l1 {
        if needle.contains(&hay[i - 1]) {
            best = best.max(score(&hay[..i]));
        }
    }
    for start in l2 - l1 + 1..l2 {
        if needle.contains(&hay[start]) {
            best = best.max(score(&hay[start..]));
        }
    }
    best
}

fn partial_ratio_kernel(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let mut p = Partial::default();
    map2::<Float64Type>(args, n, |x, y| Ok(p.ratio(x, y)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cases and rapidfuzz 3.14.6's answers, from `udfs/data/rapidfuzz_cases.py`.
    const CASES: &str = include_str!("../../data/rapidfuzz_cases.tsv");

    fn unescape(s: &str) -> String {
        s.replace("\\t", "\t").replace("\\n", "\n")
    }

    #[test]
    fn bit_parallel_indel_agrees_with_rapidfuzz() {
        let alphabet: Vec<char> = "abcéœ -".chars().collect();
        let mut pm = Pattern::default();
        let mut seed = 0x853c_49e6_748f_ea9bu64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..20_000 {
            let cap = if next(4) == 0 { 150 } else { 30 };
            let la = next(cap);
            let mut a: Vec<char> = (0..la).map(|_| alphabet[next(alphabet.len())]).collect();
            let mut b: Vec<char> = a.clone();
            if next(2) == 0 {
                let lb = next(90);
                b = (0..lb).map(|_| alphabet[next(alphabet.len())]).collect();
            } else if !b.is_empty() {
                let i = next(b.len());
                b.insert(i, 'x');
            }
            if next(5) == 0 {
                a.truncate(next(a.len() + 1));
            }
            assert_eq!(
                indel_slices(&a, &b, &mut pm),
                indel::distance(a.iter().copied(), b.iter().copied()),
                "{a:?} {b:?}"
            );
        }
    }

    #[test]
    fn matches_rapidfuzz() {
        let mut t = Tokens::default();
        let mut p = Partial::default();
        let mut checked = 0;
        for line in CASES.lines().skip(1) {
            let f: Vec<&str> = line.split('\t').collect();
            let (a, b) = (unescape(f[0]), unescape(f[1]));
            let num = |k: usize| f[k].parse::<f64>().expect("a number");
            assert_eq!(
                rapidfuzz::distance::jaro::similarity(a.chars(), b.chars()),
                num(2),
                "jaro {a:?} {b:?}"
            );
            assert_eq!(
                super::super::jaro::jaro_winkler(&a, &b),
                num(3),
                "jaro_winkler {a:?} {b:?}"
            );
            assert_eq!(
                rapidfuzz::distance::damerau_levenshtein::distance(a.chars(), b.chars()) as f64,
                num(4),
                "damerau {a:?} {b:?}"
            );
            assert_eq!(
                super::super::hamming::hamming(&a, &b) as f64,
                num(5),
                "hamming {a:?} {b:?}"
            );
            assert_eq!(
                levenshtein::normalized_similarity(a.chars(), b.chars()),
                num(6),
                "levenshtein_ratio {a:?} {b:?}"
            );
            assert_eq!(ratio(&a, &b), num(7), "ratio {a:?} {b:?}");
            assert_eq!(t.sort_ratio(&a, &b), num(8), "token_sort_ratio {a:?} {b:?}");
            assert_eq!(t.set_ratio(&a, &b), num(9), "token_set_ratio {a:?} {b:?}");
            assert_eq!(p.ratio(&a, &b), num(10), "partial_ratio {a:?} {b:?}");
            checked += 1;
        }
        assert!(checked > 100);
    }
}

//! `jaro(a, b)` and `jaro_winkler(a, b)`: Jaro and Jaro-Winkler similarity
//! in \[0, 1\] (float8), with the results of Python rapidfuzz 3's
//! `rapidfuzz.distance.Jaro.similarity` and `JaroWinkler.similarity`
//! (prefix weight 0.1, common prefix of at most four characters, applied
//! when the Jaro similarity exceeds 0.7). Characters are Unicode code
//! points; no case folding. Two empty strings have similarity 1.
//!
//! Speed: when both strings (after the parts that can never match and the
//! common prefix) have at most 64 characters, the matching characters are
//! flagged bit-parallel against a pattern table kept across rows
//! ([`super::bitpar::Pattern`]), in the same order and with the same
//! arithmetic as rapidfuzz, so the results are identical; longer strings go
//! to the rapidfuzz crate.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, Float64Builder};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarUDF};
use rapidfuzz::distance::{jaro, jaro_winkler};

use super::bitpar::{Code, Pattern};
use super::{Arg, Strs, chars_into, doc, udf};

pub(super) fn functions() -> Vec<ScalarUDF> {
    let two: &'static [&'static [Arg]] = &[&[Arg::Str, Arg::Str]];
    let args = &[("a", "First text."), ("b", "Second text.")];
    vec![
        udf(
            "jaro",
            two,
            DataType::Float64,
            jaro_kernel,
            doc(
                "Jaro similarity of two strings, in [0, 1]: rapidfuzz's Jaro.similarity.",
                "jaro(a, b)",
                "SELECT jaro('martha', 'marhta'); -- 0.9444444444444445",
                args,
            ),
        ),
        udf(
            "jaro_winkler",
            two,
            DataType::Float64,
            jaro_winkler_kernel,
            doc(
                "Jaro-Winkler similarity of two strings (prefix weight 0.1), in [0, 1]: rapidfuzz's JaroWinkler.similarity.",
                "jaro_winkler(a, b)",
                "SELECT jaro_winkler('martha', 'marhta'); -- 0.9611111111111111",
                args,
            ),
        ),
    ]
}

/// Scratch of the Jaro measures, kept across rows.
#[derive(Default)]
pub(super) struct Jaro {
    pm: Pattern,
    a: Vec<char>,
    b: Vec<char>,
}

impl Jaro {
    /// Jaro similarity of two strings.
    pub(super) fn jaro(&mut self, x: &str, y: &str) -> f64 {
        if x.is_ascii() && y.is_ascii() {
            similarity(x.as_bytes(), y.as_bytes(), &mut self.pm)
        } else {
            chars_into(x, &mut self.a);
            chars_into(y, &mut self.b);
            similarity(&self.a, &self.b, &mut self.pm)
        }
    }

    /// Jaro-Winkler similarity of two strings.
    pub(super) fn jaro_winkler(&mut self, x: &str, y: &str) -> f64 {
        if x.is_ascii() && y.is_ascii() {
            winkler(x.as_bytes(), y.as_bytes(), &mut self.pm)
        } else {
            chars_into(x, &mut self.a);
            chars_into(y, &mut self.b);
            winkler(&self.a, &self.b, &mut self.pm)
        }
    }
}

/// Jaro-Winkler from Jaro: rapidfuzz's `similarity_without_pm` with prefix
/// weight 0.1 and no cutoff.
fn winkler<T: Code + rapidfuzz::HashableChar>(s1: &[T], s2: &[T], pm: &mut Pattern) -> f64 {
    let prefix = s1
        .iter()
        .zip(s2)
        .take(4)
        .take_while(|(x, y)| x == y)
        .count();
    let mut sim = similarity(s1, s2, pm);
    if sim > 0.7 {
        sim += prefix as f64 * 0.1 * (1.0 - sim);
    }
    sim
}

/// Jaro similarity, bit-parallel when it fits in one word, else rapidfuzz's.
fn similarity<T: Code + rapidfuzz::HashableChar>(s1: &[T], s2: &[T], pm: &mut Pattern) -> f64 {
    bit_parallel(s1, s2, pm)
        .unwrap_or_else(|| jaro::similarity(s1.iter().copied(), s2.iter().copied()))
}

/// `(1 << n) - 1`, all ones from 64 on (rapidfuzz's `bit_mask_lsb_u64`).
fn low_bits(n: usize) -> u64 {
    if n < 64 { (1u64 << n) - 1 } else { !0 }
}

/// rapidfuzz's `jaro::similarity_without_pm` with no cutoff, for the case
/// where both windows fit in 64 bits (`None` otherwise).
fn bit_parallel<T: Code>(s1: &[T], s2: &[T], pm: &mut Pattern) -> Option<f64> {
    let (len1_orig, len2_orig) = (s1.len(), s2.len());
    if len1_orig == 0 && len2_orig == 0 {
        return Some(1.0);
    }
    if len1_orig == 0 || len2_orig == 0 {
        return Some(0.0);
    }
    if len1_orig == 1 && len2_orig == 1 {
        return Some(f64::from(u8::from(s1[0] == s2[0])));
    }
    // Characters farther than the window can never match: drop them.
    let (mut len1, mut len2) = (len1_orig, len2_orig);
    let bound = if len2 > len1 {
        let bound = len2 / 2 - 1;
        len2 = len2.min(len1 + bound);
        bound
    } else {
        let bound = len1 / 2 - 1;
        len1 = len1.min(len2 + bound);
        bound
    };
    let (s1, s2) = (&s1[..len1], &s2[..len2]);
    let prefix = s1.iter().zip(s2).take_while(|(x, y)| x == y).count();
    let (p, t) = (&s1[prefix..], &s2[prefix..]);
    let mut common = prefix;
    let mut transpositions = 0usize;
    if !p.is_empty() && !t.is_empty() {
        if p.len() > 64 || t.len() > 64 {
            return None;
        }
        pm.set(p);
        let (mut p_flag, mut t_flag) = (0u64, 0u64);
        let mut bound_mask = low_bits(bound + 1);
        for (j, &c) in t.iter().enumerate() {
            let pm_j = pm.get(c) & bound_mask & !p_flag;
            p_flag |= pm_j & pm_j.wrapping_neg();
            t_flag |= u64::from(pm_j != 0) << j;
            bound_mask = if j < bound {
                (bound_mask << 1) | 1
            } else {
                bound_mask << 1
            };
        }
        common += p_flag.count_ones() as usize;
        if common == 0 {
            pm.clear(p);
            return Some(0.0);
        }
        while t_flag != 0 {
            let j = t_flag.trailing_zeros() as usize;
            let lowest = p_flag & p_flag.wrapping_neg();
            transpositions += usize::from(pm.get(t[j]) & lowest == 0);
            t_flag &= t_flag - 1;
            p_flag ^= lowest;
        }
        pm.clear(p);
    }
    let transpositions = transpositions / 2;
    let mut sim = 0.0f64;
    sim += common as f64 / len1_orig as f64;
    sim += common as f64 / len2_orig as f64;
    sim += (common as f64 - transpositions as f64) / common as f64;
    Some(sim / 3.0)
}

/// Jaro-Winkler similarity of two strings (one-off; the kernels keep a
/// [`Jaro`] across rows).
#[cfg(test)]
pub(super) fn jaro_winkler(x: &str, y: &str) -> f64 {
    Jaro::default().jaro_winkler(x, y)
}

fn jaro_kernel(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let (a, b) = (Strs::new(&args[0])?, Strs::new(&args[1])?);
    let fixed = a
        .constant()
        .flatten()
        .map(|s| jaro::BatchComparator::new(s.chars()));
    let mut out = Float64Builder::with_capacity(n);
    let mut j = Jaro::default();
    for i in 0..n {
        match (a.get(i), b.get(i)) {
            (Some(x), Some(y)) => out.append_value(match &fixed {
                Some(c) => c.similarity(y.chars()),
                None => j.jaro(x, y),
            }),
            _ => out.append_null(),
        }
    }
    Ok(Arc::new(out.finish()))
}

fn jaro_winkler_kernel(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let (a, b) = (Strs::new(&args[0])?, Strs::new(&args[1])?);
    let fixed = a
        .constant()
        .flatten()
        .map(|s| jaro_winkler::BatchComparator::new(s.chars()));
    let mut out = Float64Builder::with_capacity(n);
    let mut j = Jaro::default();
    for i in 0..n {
        match (a.get(i), b.get(i)) {
            (Some(x), Some(y)) => out.append_value(match &fixed {
                Some(c) => c.similarity(y.chars()),
                None => j.jaro_winkler(x, y),
            }),
            _ => out.append_null(),
        }
    }
    Ok(Arc::new(out.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_parallel_agrees_with_rapidfuzz() {
        // Random strings over a small alphabet (many matches and
        // transpositions), up to 150 characters so both paths run; one
        // scratch for all pairs.
        let alphabet: Vec<char> = "abcdeéœ ".chars().collect();
        let mut j = Jaro::default();
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..20_000 {
            let cap = if next(4) == 0 { 150 } else { 30 };
            let la = next(cap);
            let cap = if next(4) == 0 { 150 } else { 30 };
            let lb = next(cap);
            let a: String = (0..la).map(|_| alphabet[next(alphabet.len())]).collect();
            let b: String = (0..lb).map(|_| alphabet[next(alphabet.len())]).collect();
            assert_eq!(
                j.jaro(&a, &b).to_bits(),
                jaro::similarity(a.chars(), b.chars()).to_bits(),
                "jaro {a:?} {b:?}"
            );
            assert_eq!(
                j.jaro_winkler(&a, &b).to_bits(),
                jaro_winkler::similarity(a.chars(), b.chars()).to_bits(),
                "jaro_winkler {a:?} {b:?}"
            );
            let (a, b): (String, String) = (
                a.chars().filter(char::is_ascii).collect(),
                b.chars().filter(char::is_ascii).collect(),
            );
            assert_eq!(
                j.jaro_winkler(&a, &b).to_bits(),
                jaro_winkler::similarity(a.bytes(), b.bytes()).to_bits(),
                "jaro_winkler ascii {a:?} {b:?}"
            );
        }
    }
}

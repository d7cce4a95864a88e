//! `levenshtein(source, target [, ins_cost, del_cost, sub_cost])` and
//! `levenshtein_less_equal(source, target [, ins_cost, del_cost, sub_cost],
//! max_d)` as in PostgreSQL 15's fuzzystrmatch (registered over DataFusion's
//! `levenshtein`, which returns the same distances but has no cost or bound
//! arguments and no length limit).
//!
//! Distances count characters, not bytes. Deleting a character of `source`
//! costs `del_cost`, inserting one of `target` costs `ins_cost`. Arguments
//! longer than 255 characters are an error unless the other one is empty,
//! as in PostgreSQL. `levenshtein_less_equal` follows PostgreSQL's bounded
//! algorithm cell for cell: below or at `max_d` it returns the distance,
//! above it the value that algorithm returns (usually `max_d + 1`, sometimes
//! a larger partial distance); a negative `max_d` means no bound.
//!
//! Speed: with unit costs and no bound (plain `levenshtein(a, b)`), the
//! common prefix and suffix are stripped and, when the shorter rest has at
//! most 64 characters, Hyyrö's bit-parallel algorithm computes the distance
//! one character of the longer string per step (the one rapidfuzz uses);
//! otherwise, and with other costs or a bound, PostgreSQL's dynamic
//! programme runs. Both give the same distance.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, Int32Builder};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarUDF};

use super::bitpar::{Code, Pattern, strip_affixes};
use super::{Arg, Ints, Strs, doc, udf};

/// PostgreSQL's `MAX_LEVENSHTEIN_STRLEN`.
const MAX_LEN: usize = 255;

pub(super) fn functions() -> Vec<ScalarUDF> {
    use Arg::{Int, Str};
    vec![
        udf(
            "levenshtein",
            &[&[Str, Str], &[Str, Str, Int, Int, Int]],
            DataType::Int32,
            levenshtein_kernel,
            doc(
                "Levenshtein distance between two strings, in characters, as PostgreSQL's fuzzystrmatch computes it; optional costs of an insertion, a deletion and a substitution.",
                "levenshtein(source, target [, ins_cost, del_cost, sub_cost])",
                "SELECT levenshtein('kitten', 'sitting'); -- 3",
                &[
                    ("source", "Text to transform (at most 255 characters)."),
                    ("target", "Text to reach (at most 255 characters)."),
                    ("ins_cost", "Cost of inserting a character (default 1)."),
                    ("del_cost", "Cost of deleting a character (default 1)."),
                    ("sub_cost", "Cost of substituting a character (default 1)."),
                ],
            ),
        ),
        udf(
            "levenshtein_less_equal",
            &[&[Str, Str, Int], &[Str, Str, Int, Int, Int, Int]],
            DataType::Int32,
            less_equal_kernel,
            doc(
                "Levenshtein distance when it is at most max_d; otherwise some value above max_d (PostgreSQL's bounded algorithm, faster for small max_d).",
                "levenshtein_less_equal(source, target [, ins_cost, del_cost, sub_cost], max_d)",
                "SELECT levenshtein_less_equal('abcdefgh', 'hgfedcba', 3); -- 4",
                &[
                    ("source", "Text to transform (at most 255 characters)."),
                    ("target", "Text to reach (at most 255 characters)."),
                    ("ins_cost", "Cost of inserting a character (default 1)."),
                    ("del_cost", "Cost of deleting a character (default 1)."),
                    ("sub_cost", "Cost of substituting a character (default 1)."),
                    ("max_d", "Bound on the distance; negative for none."),
                ],
            ),
        ),
    ]
}

fn levenshtein_kernel(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let costs = if args.len() == 5 {
        Some([
            Ints::new(&args[2])?,
            Ints::new(&args[3])?,
            Ints::new(&args[4])?,
        ])
    } else {
        None
    };
    run(args, n, |i| {
        Some(match &costs {
            Some([a, b, c]) => ([a.get(i)?, b.get(i)?, c.get(i)?], None),
            None => ([1, 1, 1], None),
        })
    })
}

fn less_equal_kernel(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let ints: Vec<Ints<'_>> = args[2..].iter().map(Ints::new).collect::<Result<_>>()?;
    run(args, n, |i| {
        Some(match ints.as_slice() {
            [a, b, c, d] => ([a.get(i)?, b.get(i)?, c.get(i)?], Some(d.get(i)?)),
            [d] => ([1, 1, 1], Some(d.get(i)?)),
            _ => return None,
        })
    })
}

/// Runs the distance over the rows; `params(i)` gives row `i`'s costs and
/// bound, `None` when one of them is NULL.
fn run(
    args: &[ColumnarValue],
    n: usize,
    params: impl Fn(usize) -> Option<([i32; 3], Option<i32>)>,
) -> Result<ArrayRef> {
    let (a, b) = (Strs::new(&args[0])?, Strs::new(&args[1])?);
    let mut out = Int32Builder::with_capacity(n);
    let (mut sa, mut sb, mut scratch) = (Vec::new(), Vec::new(), Scratch::default());
    for i in 0..n {
        let (Some(x), Some(y), Some(([ins, del, sub], max_d))) = (a.get(i), b.get(i), params(i))
        else {
            out.append_null();
            continue;
        };
        let d = if x.is_ascii() && y.is_ascii() {
            distance(
                x.as_bytes(),
                y.as_bytes(),
                ins,
                del,
                sub,
                max_d,
                &mut scratch,
            )?
        } else {
            super::chars_into(x, &mut sa);
            super::chars_into(y, &mut sb);
            distance(&sa, &sb, ins, del, sub, max_d, &mut scratch)?
        };
        out.append_value(d);
    }
    Ok(Arc::new(out.finish()))
}

/// Scratch space of [`distance`], kept across rows.
#[derive(Default)]
struct Scratch {
    /// The dynamic programme's two rows.
    rows: Vec<i32>,
    /// The bit-parallel pattern.
    pm: Pattern,
}

/// Unit-cost Levenshtein distance by Hyyrö's bit-parallel algorithm (2003,
/// as in rapidfuzz), after stripping the common prefix and suffix; `None`
/// when the shorter remainder is longer than 64 characters.
fn bit_parallel<T: Code>(s: &[T], t: &[T], pm: &mut Pattern) -> Option<i32> {
    let (s, t) = strip_affixes(s, t);
    let (pat, text) = if s.len() <= t.len() { (s, t) } else { (t, s) };
    if pat.is_empty() {
        return Some(text.len() as i32);
    }
    if pat.len() > 64 {
        return None;
    }
    pm.set(pat);
    let mask = 1u64 << (pat.len() - 1);
    let (mut vp, mut vn) = (!0u64, 0u64);
    let mut dist = pat.len() as i32;
    for &c in text {
        let x = pm.get(c);
        let d0 = (((x & vp).wrapping_add(vp)) ^ vp) | x | vn;
        let hp = vn | !(d0 | vp);
        let hn = d0 & vp;
        dist += i32::from(hp & mask != 0) - i32::from(hn & mask != 0);
        let hp = (hp << 1) | 1;
        vp = (hn << 1) | !(d0 | hp);
        vn = hp & d0;
    }
    pm.clear(pat);
    Some(dist)
}

/// PostgreSQL's `varstr_levenshtein[_less_equal]` over characters `s` and
/// `t` (`max_d` given: the bounded variant), through [`bit_parallel`] when
/// that gives the same answer faster.
fn distance<T: Code>(
    s: &[T],
    t: &[T],
    ins_c: i32,
    del_c: i32,
    mut sub_c: i32,
    max_d: Option<i32>,
    sc: &mut Scratch,
) -> Result<i32> {
    let (m0, n0) = (s.len() as i32, t.len() as i32);
    if m0 == 0 {
        return Ok(n0.wrapping_mul(ins_c));
    }
    if n0 == 0 {
        return Ok(m0.wrapping_mul(del_c));
    }
    if s.len() > MAX_LEN || t.len() > MAX_LEN {
        return exec_err!("levenshtein argument exceeds maximum length of {MAX_LEN} characters");
    }
    let bounded = max_d.is_some();
    if !bounded
        && (ins_c, del_c, sub_c) == (1, 1, 1)
        && let Some(d) = bit_parallel(s, t, &mut sc.pm)
    {
        return Ok(d);
    }
    let rows = &mut sc.rows;
    let mut max_d = max_d.unwrap_or(-1);
    let m = s.len() + 1;
    let n = t.len() + 1;
    let mut start_column = 0usize;
    let mut stop_column = m;
    if bounded && max_d >= 0 {
        let net_inserts = n0 - m0;
        let min_theo_d = if net_inserts < 0 {
            (-net_inserts).wrapping_mul(del_c)
        } else {
            net_inserts.wrapping_mul(ins_c)
        };
        if min_theo_d > max_d {
            return Ok(max_d.wrapping_add(1));
        }
        if ins_c.wrapping_add(del_c) < sub_c {
            sub_c = ins_c.wrapping_add(del_c);
        }
        let max_theo_d = min_theo_d.wrapping_add(sub_c.wrapping_mul(m0.min(n0)));
        if max_d >= max_theo_d {
            max_d = -1;
        } else if ins_c.wrapping_add(del_c) > 0 {
            let slack_d = max_d - min_theo_d;
            let best_column = if net_inserts < 0 { -net_inserts } else { 0 };
            let stop = best_column + slack_d / ins_c.wrapping_add(del_c) + 1;
            stop_column = if stop > m0 { m } else { stop as usize };
        }
    }
    rows.clear();
    rows.resize(2 * m, 0);
    let (mut prev, mut curr) = rows.split_at_mut(m);
    for (i, p) in prev
        .iter_mut()
        .enumerate()
        .take(stop_column)
        .skip(start_column)
    {
        *p = (i as i32).wrapping_mul(del_c);
    }
    let over = max_d.wrapping_add(1);
    for j in 1..n {
        let y = t[j - 1];
        if bounded && stop_column < m {
            prev[stop_column] = over;
            stop_column += 1;
        }
        let mut i = if !bounded || start_column == 0 {
            curr[0] = (j as i32).wrapping_mul(ins_c);
            1
        } else {
            start_column
        };
        let stop = if bounded { stop_column } else { m };
        while i < stop {
            let ins = prev[i].wrapping_add(ins_c);
            let del = curr[i - 1].wrapping_add(del_c);
            let sub = if s[i - 1] == y {
                prev[i - 1]
            } else {
                prev[i - 1].wrapping_add(sub_c)
            };
            curr[i] = ins.min(del).min(sub);
            i += 1;
        }
        std::mem::swap(&mut prev, &mut curr);
        if bounded && max_d >= 0 {
            // The column where the rest of both strings has equal length.
            let zp = j as i32 - (n as i32 - m as i32);
            let cost = |col: usize, v: i32| {
                let net = col as i32 - zp;
                v.wrapping_add(if net > 0 {
                    net.wrapping_mul(ins_c)
                } else {
                    (-net).wrapping_mul(del_c)
                })
            };
            while stop_column > 0 {
                let ii = stop_column - 1;
                if cost(ii, prev[ii]) <= max_d {
                    break;
                }
                stop_column -= 1;
            }
            while start_column < stop_column {
                if cost(start_column, prev[start_column]) <= max_d {
                    break;
                }
                prev[start_column] = over;
                curr[start_column] = over;
                start_column += 1;
            }
            if start_column >= stop_column {
                return Ok(over);
            }
        }
    }
    Ok(prev[m - 1])
}

#[cfg(test)]
mod tests {
    use super::{Scratch, distance};

    fn lev(a: &str, b: &str, c: [i32; 3], max_d: Option<i32>) -> i32 {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        distance(&a, &b, c[0], c[1], c[2], max_d, &mut Scratch::default()).expect("short")
    }

    #[test]
    fn bit_parallel_agrees_with_the_dynamic_programme() {
        // Costs (2, 2, 2) take PostgreSQL's dynamic programme and give twice
        // the unit distance; (1, 1, 1) takes the bit-parallel path (up to 64
        // characters after the common affixes). One scratch for all pairs:
        // it must come back clean.
        let alphabet: Vec<char> = "abcéèœŒ ß-".chars().collect();
        let mut sc = Scratch::default();
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..20_000 {
            let la = next(80);
            let lb = if next(2) == 0 { la } else { next(80) };
            let mut a: Vec<char> = (0..la).map(|_| alphabet[next(alphabet.len())]).collect();
            let b: Vec<char> = if next(3) == 0 {
                // A near copy: long common affixes.
                let mut b = a.clone();
                if !b.is_empty() {
                    let i = next(b.len());
                    b[i] = alphabet[next(alphabet.len())];
                }
                b
            } else {
                (0..lb).map(|_| alphabet[next(alphabet.len())]).collect()
            };
            let dp = distance(&a, &b, 2, 2, 2, None, &mut sc).expect("short") / 2;
            let fast = distance(&a, &b, 1, 1, 1, None, &mut sc).expect("short");
            assert_eq!(fast, dp, "{a:?} {b:?}");
            a.retain(|c| c.is_ascii());
            let (ab, bb): (Vec<u8>, Vec<u8>) = (
                a.iter().map(|&c| c as u8).collect(),
                b.iter()
                    .filter(|c| c.is_ascii())
                    .map(|&c| c as u8)
                    .collect(),
            );
            let dp = distance(&ab, &bb, 2, 2, 2, None, &mut sc).expect("short") / 2;
            assert_eq!(distance(&ab, &bb, 1, 1, 1, None, &mut sc).ok(), Some(dp));
        }
    }

    #[test]
    fn matches_postgresql() {
        // Expected values: PostgreSQL 15 fuzzystrmatch.
        type Case<'a> = (&'a str, &'a str, [i32; 3], Option<i32>, i32);
        let cases: &[Case<'_>] = &[
            ("kitten", "sitting", [1, 1, 1], None, 3),
            ("", "abc", [1, 1, 1], None, 3),
            ("Zoé", "Zoe", [1, 1, 1], None, 1),
            ("Straße", "Strasse", [1, 1, 1], None, 2),
            ("abc", "", [2, 3, 4], None, 9),
            ("kitten", "sitting", [1, 1, 3], None, 5),
            ("Œuvre", "oeuvre", [2, 1, 5], None, 5),
            ("kitten", "sitting", [1, 1, 1], Some(1), 2),
            ("kitten", "sitting", [1, 1, 1], Some(2), 3),
            ("kitten", "sitting", [1, 1, 1], Some(3), 3),
            ("extensive", "exhaustive", [1, 1, 1], Some(2), 3),
            ("abcdefgh", "hgfedcba", [1, 1, 1], Some(3), 4),
            ("abcdefgh", "hgfedcba", [1, 1, 1], Some(-1), 8),
            ("a", "abcdefghij", [1, 1, 1], Some(2), 3),
            ("kitten", "sitting", [2, 3, 4], Some(5), 6),
        ];
        for (a, b, c, max_d, want) in cases {
            assert_eq!(lev(a, b, *c, *max_d), *want, "{a} {b} {c:?} {max_d:?}");
        }
    }

    #[test]
    fn long_arguments_are_refused_unless_the_other_is_empty() {
        let long: Vec<u8> = vec![b'a'; 256];
        assert!(distance(&long, b"a", 1, 1, 1, None, &mut Scratch::default()).is_err());
        assert_eq!(
            distance(&long, b"", 1, 1, 1, None, &mut Scratch::default()).ok(),
            Some(256)
        );
    }
}

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

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, Int32Builder};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarUDF};

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
    let (mut sa, mut sb, mut rows) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..n {
        let (Some(x), Some(y), Some(([ins, del, sub], max_d))) = (a.get(i), b.get(i), params(i))
        else {
            out.append_null();
            continue;
        };
        let d = if x.is_ascii() && y.is_ascii() {
            distance(x.as_bytes(), y.as_bytes(), ins, del, sub, max_d, &mut rows)?
        } else {
            super::chars_into(x, &mut sa);
            super::chars_into(y, &mut sb);
            distance(&sa, &sb, ins, del, sub, max_d, &mut rows)?
        };
        out.append_value(d);
    }
    Ok(Arc::new(out.finish()))
}

/// PostgreSQL's `varstr_levenshtein[_less_equal]` over characters `s` and
/// `t` (`max_d` given: the bounded variant); `rows` is scratch space.
fn distance<T: Copy + PartialEq>(
    s: &[T],
    t: &[T],
    ins_c: i32,
    del_c: i32,
    mut sub_c: i32,
    max_d: Option<i32>,
    rows: &mut Vec<i32>,
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
    use super::distance;

    fn lev(a: &str, b: &str, c: [i32; 3], max_d: Option<i32>) -> i32 {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        distance(&a, &b, c[0], c[1], c[2], max_d, &mut Vec::new()).expect("short")
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
        assert!(distance(&long, b"a", 1, 1, 1, None, &mut Vec::new()).is_err());
        assert_eq!(
            distance(&long, b"", 1, 1, 1, None, &mut Vec::new()).ok(),
            Some(256)
        );
    }
}

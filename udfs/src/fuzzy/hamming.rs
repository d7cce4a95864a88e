//! `hamming(a, b)` (int4): the number of positions at which two strings
//! differ, with the results of Python rapidfuzz 3's
//! `rapidfuzz.distance.Hamming.distance` and its default `pad=True`: when
//! the lengths differ, each character of the longer string beyond the
//! shorter one counts as a difference (`hamming('abc', 'abcd')` is 1).
//! Characters are Unicode code points.

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::{DataType, Int32Type};
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarUDF};

use super::{Arg, doc, map2, udf};

pub(super) fn functions() -> Vec<ScalarUDF> {
    vec![udf(
        "hamming",
        &[&[Arg::Str, Arg::Str]],
        DataType::Int32,
        kernel,
        doc(
            "Number of positions where two strings differ, the length difference counting as differences: rapidfuzz's Hamming.distance (pad=True).",
            "hamming(a, b)",
            "SELECT hamming('karolin', 'kathrin'); -- 3",
            &[("a", "First text."), ("b", "Second text.")],
        ),
    )]
}

/// Hamming distance of two strings, the shorter padded.
pub(super) fn hamming(x: &str, y: &str) -> usize {
    if x.is_ascii() && y.is_ascii() {
        let (a, b) = (x.as_bytes(), y.as_bytes());
        let common = a.iter().zip(b).filter(|(p, q)| p != q).count();
        common + a.len().abs_diff(b.len())
    } else {
        let (mut i, mut j) = (x.chars(), y.chars());
        let mut d = 0;
        loop {
            match (i.next(), j.next()) {
                (Some(p), Some(q)) => d += usize::from(p != q),
                (Some(_), None) | (None, Some(_)) => d += 1,
                (None, None) => return d,
            }
        }
    }
}

fn kernel(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    map2::<Int32Type>(args, n, |x, y| Ok(hamming(x, y) as i32))
}

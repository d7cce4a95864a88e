//! `damerau_levenshtein(a, b)` (int4): the unrestricted Damerau-Levenshtein
//! distance (insertions, deletions, substitutions and transpositions of
//! adjacent characters, a substring may be edited more than once), with the
//! results of Python rapidfuzz 3's `rapidfuzz.distance.DamerauLevenshtein.distance`.
//! Characters are Unicode code points.

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::{DataType, Int32Type};
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarUDF};
use rapidfuzz::distance::damerau_levenshtein;

use super::{Arg, doc, map2, udf};

pub(super) fn functions() -> Vec<ScalarUDF> {
    vec![udf(
        "damerau_levenshtein",
        &[&[Arg::Str, Arg::Str]],
        DataType::Int32,
        kernel,
        doc(
            "Unrestricted Damerau-Levenshtein distance (adjacent transpositions count as one edit): rapidfuzz's DamerauLevenshtein.distance.",
            "damerau_levenshtein(a, b)",
            "SELECT damerau_levenshtein('ca', 'abc'); -- 2",
            &[("a", "First text."), ("b", "Second text.")],
        ),
    )]
}

fn kernel(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    map2::<Int32Type>(args, n, |x, y| {
        let d = if x.is_ascii() && y.is_ascii() {
            damerau_levenshtein::distance(x.bytes(), y.bytes())
        } else {
            damerau_levenshtein::distance(x.chars(), y.chars())
        };
        Ok(d as i32)
    })
}

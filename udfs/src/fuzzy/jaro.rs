//! `jaro(a, b)` and `jaro_winkler(a, b)`: Jaro and Jaro-Winkler similarity
//! in \[0, 1\] (float8), with the results of Python rapidfuzz 3's
//! `rapidfuzz.distance.Jaro.similarity` and `JaroWinkler.similarity`
//! (prefix weight 0.1, common prefix of at most four characters, applied
//! when the Jaro similarity exceeds 0.7). Characters are Unicode code
//! points; no case folding. Two empty strings have similarity 1.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, Float64Builder};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarUDF};
use rapidfuzz::distance::{jaro, jaro_winkler};

use super::{Arg, Strs, doc, udf};

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

/// Jaro-Winkler similarity of two strings.
pub(super) fn jaro_winkler(x: &str, y: &str) -> f64 {
    if x.is_ascii() && y.is_ascii() {
        jaro_winkler::similarity(x.bytes(), y.bytes())
    } else {
        jaro_winkler::similarity(x.chars(), y.chars())
    }
}

fn jaro_kernel(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let (a, b) = (Strs::new(&args[0])?, Strs::new(&args[1])?);
    let fixed = a
        .constant()
        .flatten()
        .map(|s| jaro::BatchComparator::new(s.chars()));
    let mut out = Float64Builder::with_capacity(n);
    for i in 0..n {
        match (a.get(i), b.get(i)) {
            (Some(x), Some(y)) => out.append_value(match &fixed {
                Some(c) => c.similarity(y.chars()),
                None if x.is_ascii() && y.is_ascii() => jaro::similarity(x.bytes(), y.bytes()),
                None => jaro::similarity(x.chars(), y.chars()),
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
    for i in 0..n {
        match (a.get(i), b.get(i)) {
            (Some(x), Some(y)) => out.append_value(match &fixed {
                Some(c) => c.similarity(y.chars()),
                None => jaro_winkler(x, y),
            }),
            _ => out.append_null(),
        }
    }
    Ok(Arc::new(out.finish()))
}

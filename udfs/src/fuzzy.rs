//! Fuzzy string matching: PostgreSQL 15's `fuzzystrmatch`, `pg_trgm` and
//! `unaccent` functions under their own names and with their results, and
//! measures from the Python `rapidfuzz` library.
//!
//! | SQL function | result | same results as |
//! |---|---|---|
//! | `levenshtein(a, b [, ins, del, sub])` | int4 | fuzzystrmatch |
//! | `levenshtein_less_equal(a, b [, ins, del, sub], max_d)` | int4 | fuzzystrmatch |
//! | `soundex(s)`, `difference(a, b)` | text, int4 | fuzzystrmatch |
//! | `metaphone(s, max_len)`, `dmetaphone(s)`, `dmetaphone_alt(s)` | text | fuzzystrmatch |
//! | `similarity`, `word_similarity`, `strict_word_similarity` | float4 | pg_trgm |
//! | `show_trgm(s)` | text\[\] | pg_trgm |
//! | `unaccent(s)`, `unaccent('unaccent', s)` | text | unaccent (default rules) |
//! | `jaro`, `jaro_winkler` | float8 in \[0, 1\] | `rapidfuzz.distance.Jaro/JaroWinkler.similarity` |
//! | `damerau_levenshtein`, `hamming` | int4 | `rapidfuzz.distance.DamerauLevenshtein/Hamming.distance` |
//! | `levenshtein_ratio` | float8 in \[0, 1\] | `rapidfuzz.distance.Levenshtein.normalized_similarity` |
//! | `ratio`, `token_sort_ratio`, `token_set_ratio`, `partial_ratio` | float8 in \[0, 100\] | `rapidfuzz.fuzz.*` |
//!
//! Semantics and hazards:
//! - Every function is strict: a NULL argument gives NULL.
//! - PostgreSQL's functions count *characters* where PostgreSQL does
//!   (`levenshtein`, trigrams) and *bytes* where PostgreSQL does: `soundex`
//!   and both metaphones look at ASCII letters only, so accented letters are
//!   skipped (`soundex('Élodie')` is `L300`).
//! - `levenshtein` and `levenshtein_less_equal` refuse arguments longer than
//!   255 characters, `metaphone` arguments longer than 255 bytes, as
//!   PostgreSQL does. `levenshtein_less_equal` returns `max_d + 1` (or
//!   another value above `max_d`) when the distance exceeds `max_d`, exactly
//!   the value PostgreSQL's bounded algorithm returns.
//! - The rapidfuzz measures work on Unicode code points with rapidfuzz's
//!   default processor (none: no lower-casing, no trimming); the token
//!   ratios split on whitespace. `hamming` pads the shorter string, as
//!   rapidfuzz 3 does by default (`pad=True`).
//!
//! Arguments may be Utf8, LargeUtf8 or Utf8View; a constant argument is
//! prepared once per batch (trigrams, pattern bit vectors), not per row.

mod bitpar;
mod damerau_levenshtein;
mod dmetaphone;
mod hamming;
mod jaro;
mod levenshtein;
mod metaphone;
mod ratio;
mod soundex;
mod trgm;
mod unaccent;

use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, Int32Array, LargeStringArray, PrimitiveBuilder, StringArray,
    StringBuilder, StringViewArray,
};
use datafusion::arrow::datatypes::{ArrowPrimitiveType, DataType};
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, DocSection, Documentation, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl,
    Signature, Volatility,
};

/// The functions of this module.
pub fn functions() -> Vec<ScalarUDF> {
    let mut all = Vec::new();
    all.extend(levenshtein::functions());
    all.extend(soundex::functions());
    all.extend(metaphone::functions());
    all.extend(dmetaphone::functions());
    all.extend(trgm::functions());
    all.extend(unaccent::functions());
    all.extend(jaro::functions());
    all.extend(damerau_levenshtein::functions());
    all.extend(hamming::functions());
    all.extend(ratio::functions());
    all
}

/// The kind of one argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Arg {
    /// text: Utf8, LargeUtf8 or Utf8View.
    Str,
    /// int4.
    Int,
}

/// Computes a function over `n` rows of its (coerced) arguments.
type Kernel = fn(&[ColumnarValue], usize) -> Result<ArrayRef>;

/// One fuzzy function: its name, argument lists, result type and kernel.
#[derive(Debug)]
struct FuzzyFunc {
    name: &'static str,
    arities: &'static [&'static [Arg]],
    ret: DataType,
    kernel: Kernel,
    signature: Signature,
    doc: Documentation,
}

// Two functions are equal when their names are: each name has one kernel
// (comparing function pointers would not be meaningful).
impl PartialEq for FuzzyFunc {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.arities == other.arities && self.ret == other.ret
    }
}

impl Eq for FuzzyFunc {}

impl std::hash::Hash for FuzzyFunc {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state);
        self.arities.hash(state);
        self.ret.hash(state);
    }
}

/// A scalar function taking one of `arities` and returning `ret`.
pub(crate) fn udf(
    name: &'static str,
    arities: &'static [&'static [Arg]],
    ret: DataType,
    kernel: Kernel,
    doc: Documentation,
) -> ScalarUDF {
    ScalarUDF::new_from_impl(FuzzyFunc {
        name,
        arities,
        ret,
        kernel,
        signature: Signature::user_defined(Volatility::Immutable),
        doc,
    })
}

/// Documentation in the "Fuzzy Matching Functions" section.
pub(crate) fn doc(
    description: &str,
    syntax: &str,
    example: &str,
    args: &[(&str, &str)],
) -> Documentation {
    let mut b = Documentation::builder(
        DocSection {
            include: true,
            label: "Fuzzy Matching Functions",
            description: Some(
                "PostgreSQL's fuzzystrmatch, pg_trgm and unaccent functions, and rapidfuzz measures.",
            ),
        },
        description,
        syntax,
    )
    .with_sql_example(format!("```sql\n{example}\n```"));
    for (name, what) in args {
        b = b.with_argument(*name, *what);
    }
    b.build()
}

fn type_name(t: &DataType) -> &'static str {
    match t {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => "text",
        DataType::Int8 | DataType::Int16 | DataType::UInt8 => "smallint",
        DataType::Int32 | DataType::UInt16 => "integer",
        DataType::Int64 | DataType::UInt32 | DataType::UInt64 => "bigint",
        DataType::Float32 => "real",
        DataType::Float64 => "double precision",
        DataType::Boolean => "boolean",
        DataType::Null => "unknown",
        _ => "unsupported type",
    }
}

impl ScalarUDFImpl for FuzzyFunc {
    fn name(&self) -> &str {
        self.name
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let found = self.arities.iter().find(|a| a.len() == arg_types.len());
        let coerced = found.and_then(|kinds| {
            kinds
                .iter()
                .zip(arg_types)
                .map(|(k, t)| match (k, t) {
                    (Arg::Str, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View) => {
                        Some(t.clone())
                    }
                    (Arg::Str, DataType::Null) => Some(DataType::Utf8),
                    (Arg::Int, t) if t.is_integer() || t.is_null() => Some(DataType::Int32),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()
        });
        match coerced {
            Some(c) => Ok(c),
            None => {
                let types: Vec<_> = arg_types.iter().map(type_name).collect();
                plan_err!(
                    "function {}({}) does not exist",
                    self.name,
                    types.join(", ")
                )
            }
        }
    }
    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(self.ret.clone())
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = args
            .args
            .iter()
            .all(|a| matches!(a, ColumnarValue::Scalar(_)));
        let n = if scalar { 1 } else { args.number_rows };
        let out = (self.kernel)(&args.args, n)?;
        crate::pg::result(out, scalar)
    }
    fn documentation(&self) -> Option<&Documentation> {
        Some(&self.doc)
    }
}

/// A text argument: one value for every row, or a string array.
pub(crate) enum Strs<'a> {
    Scalar(Option<&'a str>),
    Utf8(&'a StringArray),
    Large(&'a LargeStringArray),
    View(&'a StringViewArray),
}

impl<'a> Strs<'a> {
    pub(crate) fn new(v: &'a ColumnarValue) -> Result<Self> {
        Ok(match v {
            ColumnarValue::Scalar(
                ScalarValue::Utf8(s) | ScalarValue::LargeUtf8(s) | ScalarValue::Utf8View(s),
            ) => Strs::Scalar(s.as_deref()),
            ColumnarValue::Scalar(ScalarValue::Null) => Strs::Scalar(None),
            ColumnarValue::Array(a) => match a.data_type() {
                DataType::Utf8 => Strs::Utf8(a.as_string::<i32>()),
                DataType::LargeUtf8 => Strs::Large(a.as_string::<i64>()),
                DataType::Utf8View => Strs::View(a.as_string_view()),
                t => return exec_err!("expected a text argument, got {t}"),
            },
            ColumnarValue::Scalar(s) => {
                return exec_err!("expected a text argument, got {}", s.data_type());
            }
        })
    }

    /// The value of row `i`; `None` for NULL.
    #[inline]
    pub(crate) fn get(&self, i: usize) -> Option<&'a str> {
        match self {
            Strs::Scalar(s) => *s,
            Strs::Utf8(a) => (!a.is_null(i)).then(|| a.value(i)),
            Strs::Large(a) => (!a.is_null(i)).then(|| a.value(i)),
            Strs::View(a) => (!a.is_null(i)).then(|| a.value(i)),
        }
    }

    /// The constant value, when this argument is one.
    pub(crate) fn constant(&self) -> Option<Option<&'a str>> {
        match self {
            Strs::Scalar(s) => Some(*s),
            _ => None,
        }
    }
}

/// An int4 argument.
pub(crate) enum Ints<'a> {
    Scalar(Option<i32>),
    Array(&'a Int32Array),
}

impl<'a> Ints<'a> {
    pub(crate) fn new(v: &'a ColumnarValue) -> Result<Self> {
        Ok(match v {
            ColumnarValue::Scalar(ScalarValue::Int32(i)) => Ints::Scalar(*i),
            ColumnarValue::Scalar(s) if s.is_null() => Ints::Scalar(None),
            ColumnarValue::Array(a) if a.data_type() == &DataType::Int32 => {
                Ints::Array(a.as_primitive())
            }
            other => return exec_err!("expected an integer argument, got {}", other.data_type()),
        })
    }

    #[inline]
    pub(crate) fn get(&self, i: usize) -> Option<i32> {
        match self {
            Ints::Scalar(v) => *v,
            Ints::Array(a) => (!a.is_null(i)).then(|| a.value(i)),
        }
    }
}

/// `f(a, b)` over `n` rows of two text arguments; NULL in, NULL out.
pub(crate) fn map2<T: ArrowPrimitiveType>(
    args: &[ColumnarValue],
    n: usize,
    mut f: impl FnMut(&str, &str) -> Result<T::Native>,
) -> Result<ArrayRef> {
    let (a, b) = (Strs::new(&args[0])?, Strs::new(&args[1])?);
    let mut out = PrimitiveBuilder::<T>::with_capacity(n);
    for i in 0..n {
        match (a.get(i), b.get(i)) {
            (Some(x), Some(y)) => out.append_value(f(x, y)?),
            _ => out.append_null(),
        }
    }
    Ok(Arc::new(out.finish()))
}

/// `f(s, buf)` over `n` rows of one text argument, `f` writing the result
/// into `buf` (cleared before each row); NULL in, NULL out.
pub(crate) fn map1_text(
    s: &Strs<'_>,
    n: usize,
    mut f: impl FnMut(&str, &mut String) -> Result<()>,
) -> Result<ArrayRef> {
    let mut out = StringBuilder::with_capacity(n, n * 8);
    let mut buf = String::new();
    for i in 0..n {
        match s.get(i) {
            Some(x) => {
                buf.clear();
                f(x, &mut buf)?;
                out.append_value(&buf);
            }
            None => out.append_null(),
        }
    }
    Ok(Arc::new(out.finish()))
}

/// The characters of `s` in `buf` (cleared first).
#[inline]
pub(crate) fn chars_into(s: &str, buf: &mut Vec<char>) {
    buf.clear();
    buf.extend(s.chars());
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_function_is_documented_and_named_once() {
        let fs = super::functions();
        let mut names: Vec<_> = fs.iter().map(|f| f.name().to_string()).collect();
        for f in &fs {
            let doc = f.documentation().expect("documented");
            assert!(!doc.description.is_empty(), "{}", f.name());
        }
        names.sort();
        names.dedup();
        assert_eq!(names.len(), fs.len());
    }
}

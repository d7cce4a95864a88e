//! `upper(text)` and `lower(text)` as PostgreSQL 15 computes them in a
//! UTF-8 database: each character is mapped to its own upper (lower) case,
//! one character for one (`towupper`/`towlower`, Unicode's simple case
//! mapping), so `upper('straße')` is `STRAßE` and `lower('İ')` is `i`.
//! DataFusion's are Rust's full Unicode case mapping, which turns `ß` into
//! `SS` and `İ` into `i̇` and changes the length of the text; a key built
//! with `upper(last_name)` would then differ from PostgreSQL's.

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, StringBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

/// The `upper` function.
pub fn udf() -> ScalarUDF {
    ScalarUDF::new_from_impl(Upper {
        lower: false,
        signature: Signature::user_defined(Volatility::Immutable),
    })
}

/// The `lower` function.
pub fn lower() -> ScalarUDF {
    ScalarUDF::new_from_impl(Upper {
        lower: true,
        signature: Signature::user_defined(Volatility::Immutable),
    })
}

/// `upper`, or with `lower`, `lower`.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Upper {
    lower: bool,
    signature: Signature,
}

/// `c` in upper case when that is one character, else `c` itself.
fn upper_char(c: char) -> char {
    let mut up = c.to_uppercase();
    match (up.next(), up.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// `c` in lower case by Unicode's simple mapping: the full mapping's one
/// character, else `c` itself, except `İ` (its simple mapping is `i`, the
/// only letter whose full one is longer).
fn lower_char(c: char) -> char {
    let mut low = c.to_lowercase();
    match (low.next(), low.next()) {
        (Some(l), None) => l,
        _ if c == '\u{130}' => 'i',
        _ => c,
    }
}

/// PostgreSQL's `upper` (or, with `lower`, `lower`) of one text, written
/// into `out`.
fn case_into(s: &str, out: &mut String, lower: bool) {
    out.clear();
    if s.is_ascii() {
        out.push_str(s);
        if lower {
            out.make_ascii_lowercase();
        } else {
            out.make_ascii_uppercase();
        }
    } else {
        out.extend(s.chars().map(if lower { lower_char } else { upper_char }));
    }
}

impl ScalarUDFImpl for Upper {
    fn name(&self) -> &str {
        if self.lower { "lower" } else { "upper" }
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        match arg_types {
            [t] if t.is_null()
                || matches!(t, DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8) =>
            {
                Ok(vec![DataType::Utf8])
            }
            // PostgreSQL has only upper(text); other types are cast to it.
            [_] => Ok(vec![DataType::Utf8]),
            _ => plan_err!("function {} takes one argument", self.name()),
        }
    }
    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = matches!(args.args[0], ColumnarValue::Scalar(_));
        let input = cast(&args.args[0].to_array(args.number_rows)?, &DataType::Utf8)?;
        let input = input.as_string::<i32>();
        let mut out = StringBuilder::with_capacity(input.len(), input.value_data().len());
        let mut buf = String::new();
        for v in input {
            match v {
                Some(s) => {
                    case_into(s, &mut buf, self.lower);
                    out.append_value(&buf);
                }
                None => out.append_null(),
            }
        }
        super::result(Arc::new(out.finish()), scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::case_into;

    #[test]
    fn lower_one_character_for_one() {
        for (input, expected) in [
            ("İSTANBUL", "istanbul"),
            ("ÉLODIE", "élodie"),
            ("ǅ", "ǆ"),
            ("ABC", "abc"),
        ] {
            let mut out = String::new();
            case_into(input, &mut out, true);
            assert_eq!(out, expected, "lower({input:?})");
        }
    }

    #[test]
    fn one_character_for_one() {
        for (input, expected) in [
            ("straße", "STRAßE"),
            ("élodie", "ÉLODIE"),
            ("ça va", "ÇA VA"),
            ("ǆ", "Ǆ"),
            ("ﬁn", "ﬁN"),
            ("abc-123", "ABC-123"),
            ("", ""),
        ] {
            let mut out = String::new();
            case_into(input, &mut out, false);
            assert_eq!(out, expected, "upper({input:?})");
        }
    }
}

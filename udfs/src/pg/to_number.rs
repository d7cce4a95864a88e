//! `to_number(text, template)` → `numeric`, as in PostgreSQL 15
//! (`NUM_processor` in `formatting.c`, input direction, C locale).
//!
//! The template is read left to right, each element against the input:
//! `9` and `0` read a digit (after skipping one blank, and, before the
//! first digit, a `-`, `+` or, with `PR`, `<`); a character that is not a
//! digit is skipped, as PostgreSQL does (`to_number('12.5', '9999')` is
//! 125). `.` and `D` read the decimal point (also where a digit was
//! expected). `,` and `G` skip a group separator if there is one. `S`,
//! `MI`, `PL`, `SG` read a sign, `PR` a closing `>`, `L` a currency
//! symbol; `FM` reads nothing; any other template character skips one input
//! character. Digits past the template's fraction digits are dropped
//! (`to_number('12.567', '99.99')` is 12.56); more integer digits than the
//! template has are `numeric field overflow`; no digit at all is
//! `invalid input syntax for type numeric`. `V`, `EEEE`, `RN` and `TH` are
//! not supported for input (PostgreSQL rejects `EEEE` too).
//!
//! PostgreSQL shows each value with the fraction digits it read; Arrow has
//! one scale per column, so the column's scale is the template's number of
//! fraction digits (`to_number('12.5', '99.99')` shows `12.50`, PostgreSQL
//! `12.5`); with a template that is not a constant it is 10.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, Decimal128Array};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::cast::as_string_array;
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature,
    Volatility,
};

/// Scale of the result when the template is not a constant.
const VARIABLE_SCALE: i8 = 10;

/// `to_number`.
pub fn udf() -> ScalarUDF {
    ScalarUDF::new_from_impl(ToNumber {
        signature: Signature::user_defined(Volatility::Immutable),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct ToNumber {
    signature: Signature,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Digit,
    Point,
    Group,
    Sign,
    Bracket,
    Currency,
    Literal,
}

/// A parsed template: its elements, digits before and after the point.
#[derive(Debug)]
struct Template {
    tokens: Vec<Token>,
    pre: usize,
    post: usize,
    has_point: bool,
    bracket: bool,
}

fn parse(t: &str) -> Result<Template> {
    let mut tokens = vec![];
    let (mut pre, mut post, mut has_point, mut bracket) = (0, 0, false, false);
    let upper = t.to_ascii_uppercase();
    let b = upper.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let rest = &upper[i..];
        let (tok, len) = if rest.starts_with("FM") {
            i += 2;
            continue;
        } else if rest.starts_with("EEEE") {
            return exec_err!("\"EEEE\" not supported for input");
        } else if rest.starts_with("RN") || rest.starts_with("TH") {
            return exec_err!("\"{}\" not supported for input", &rest[..2]);
        } else if rest.starts_with("PR") {
            bracket = true;
            (Token::Bracket, 2)
        } else if rest.starts_with("MI") || rest.starts_with("PL") || rest.starts_with("SG") {
            (Token::Sign, 2)
        } else {
            match b[i] {
                b'9' | b'0' => {
                    if has_point {
                        post += 1
                    } else {
                        pre += 1
                    }
                    (Token::Digit, 1)
                }
                b'.' | b'D' => {
                    if has_point {
                        return exec_err!("multiple decimal points");
                    }
                    has_point = true;
                    (Token::Point, 1)
                }
                b',' | b'G' => (Token::Group, 1),
                b'S' => (Token::Sign, 1),
                b'L' => (Token::Currency, 1),
                b'V' => return exec_err!("\"V\" not supported for input"),
                _ => {
                    // One template character (UTF-8 aware).
                    let c = t[i..].chars().next().map_or(1, char::len_utf8);
                    (Token::Literal, c)
                }
            }
        };
        tokens.push(tok);
        i += len;
    }
    Ok(Template {
        tokens,
        pre,
        post,
        has_point,
        bracket,
    })
}

/// The digits read from `input`: `(negative, integer digits, fraction
/// digits)`, as an unscaled value at `t.post`.
fn read(input: &str, t: &Template) -> Result<i128> {
    let s: Vec<char> = input.chars().collect();
    let at = |p: usize| s.get(p).copied();
    let (mut p, mut negative, mut signed) = (0usize, false, false);
    let (mut int, mut frac) = (String::new(), String::new());
    let mut read_dec = false;
    for tok in &t.tokens {
        if p >= s.len() {
            break;
        }
        match tok {
            Token::Digit | Token::Point => {
                if at(p) == Some(' ') {
                    p += 1;
                }
                let nothing_read = int.is_empty() && frac.is_empty() && !read_dec;
                if !signed && *tok == Token::Digit && nothing_read {
                    match at(p) {
                        Some('-') => (negative, signed, p) = (true, true, p + 1),
                        Some('<') if t.bracket => (negative, signed, p) = (true, true, p + 1),
                        Some('+') => (signed, p) = (true, p + 1),
                        _ => {}
                    }
                }
                match at(p) {
                    Some(c) if c.is_ascii_digit() => {
                        if !read_dec {
                            int.push(c);
                        } else if frac.len() < t.post {
                            frac.push(c);
                        }
                    }
                    Some('.') if t.has_point && !read_dec => read_dec = true,
                    _ => {}
                }
                p += 1;
            }
            Token::Group => {
                if at(p) == Some(',') {
                    p += 1;
                }
            }
            Token::Sign => match at(p) {
                Some('-') => (negative, signed, p) = (true, true, p + 1),
                Some('+') => (signed, p) = (true, p + 1),
                _ => {}
            },
            Token::Bracket => {
                if at(p) == Some('>') {
                    p += 1;
                }
            }
            Token::Currency => {
                if at(p).is_some_and(|c| !c.is_ascii_digit() && c != '-' && c != '+') {
                    p += 1;
                }
            }
            Token::Literal => p += 1,
        }
    }
    if int.is_empty() && frac.is_empty() {
        let shown = if negative { "-" } else { " " };
        return exec_err!("invalid input syntax for type numeric: \"{shown}\"");
    }
    let int = int.trim_start_matches('0');
    if int.len() > t.pre || int.len() + t.post > 38 {
        return exec_err!("numeric field overflow");
    }
    let digits = format!("{int}{frac:0<width$}", width = t.post);
    let v: i128 = if digits.is_empty() {
        0
    } else {
        digits.parse().map_err(|_| {
            datafusion::error::DataFusionError::Execution("numeric field overflow".into())
        })?
    };
    Ok(if negative { -v } else { v })
}

/// `v` at scale `from` brought to scale `to` (truncating).
fn to_scale(v: i128, from: usize, to: i8) -> Option<i128> {
    let to = to.max(0) as usize;
    if to >= from {
        v.checked_mul(10i128.checked_pow((to - from) as u32)?)
    } else {
        Some(v / 10i128.checked_pow((from - to) as u32)?)
    }
}

impl ScalarUDFImpl for ToNumber {
    fn name(&self) -> &str {
        "to_number"
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let text = |t: &DataType| {
            matches!(
                t,
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null
            )
        };
        match arg_types {
            [a, b] if text(a) && text(b) => Ok(vec![DataType::Utf8, DataType::Utf8]),
            _ => plan_err!("function to_number takes (text, text)"),
        }
    }
    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Decimal128(38, VARIABLE_SCALE))
    }
    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let scale = match args.scalar_arguments.get(1).copied().flatten() {
            Some(v) => match v.try_as_str().flatten() {
                Some(t) => parse(t).map_or(0, |t| t.post.min(37) as i8),
                None => 0,
            },
            None => VARIABLE_SCALE,
        };
        Ok(Arc::new(Field::new(
            self.name(),
            DataType::Decimal128(38, scale),
            true,
        )))
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let DataType::Decimal128(_, scale) = *args.return_field.data_type() else {
            return exec_err!("to_number returns numeric");
        };
        let scalar = super::all_scalar(&args.args);
        // A constant template is parsed once.
        let constant = match &args.args[1] {
            ColumnarValue::Scalar(ScalarValue::Utf8(Some(t))) => Some(parse(t)?),
            _ => None,
        };
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let (text, templates) = (as_string_array(&arrays[0])?, as_string_array(&arrays[1])?);
        let mut out = Vec::with_capacity(text.len());
        for i in 0..text.len() {
            if text.is_null(i) || templates.is_null(i) {
                out.push(None);
                continue;
            }
            let parsed;
            let t = match &constant {
                Some(t) => t,
                None => {
                    parsed = parse(templates.value(i))?;
                    &parsed
                }
            };
            let v = read(text.value(i), t)?;
            match to_scale(v, t.post, scale) {
                Some(v) => out.push(Some(v)),
                None => return exec_err!("numeric field overflow"),
            }
        }
        let array: ArrayRef =
            Arc::new(Decimal128Array::from(out).with_precision_and_scale(38, scale)?);
        super::result(array, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `to_number(text, template)` as digits with the template's scale.
    fn n(text: &str, template: &str) -> Result<String> {
        let t = parse(template)?;
        let v = read(text, &t)?;
        let s = format!("{:0>w$}", v.unsigned_abs(), w = t.post + 1);
        let (a, b) = s.split_at(s.len() - t.post);
        let sign = if v < 0 { "-" } else { "" };
        Ok(if t.post == 0 {
            format!("{sign}{a}")
        } else {
            format!("{sign}{a}.{b}")
        })
    }

    #[test]
    fn like_postgres_15() {
        // Answers of PostgreSQL 15 (at the template's scale, see the
        // module documentation: PostgreSQL shows 12.5 for the first).
        let cases = [
            ("12.5", "99.99", "12.50"),
            ("12", "99.99", "12.00"),
            ("12.567", "99.99", "12.56"),
            ("-12.5", "S99.9", "-12.5"),
            ("12.5-", "99.9S", "-12.5"),
            ("<12.5>", "99.9PR", "-12.5"),
            ("12.5-", "99.9MI", "-12.5"),
            ("$12.5", "L99.9", "12.5"),
            ("0012", "0000", "12"),
            ("123456", "999", "123"),
            ("1 2 3", "999", "123"),
            ("12.5", "FM99.9", "12.5"),
            ("12.5", "9999", "125"),
            (" 12", "999", "12"),
            ("1,2,3", "9,9,9", "123"),
            ("123", "9,999", "123"),
            ("1234", "9,999", "1234"),
            ("-1,234.56", "S9,999.99", "-1234.56"),
            ("1234.5", "9999", "1234"),
            (".5", "9.9", "0.5"),
            ("x12", "999", "12"),
            ("12x", "999", "12"),
            ("  -42", "999", "-42"),
            ("4 2", "9 9", "42"),
            ("12.5%", "99.9", "12.5"),
            ("12.5%", "99.9%", "12.5"),
            ("1,234", "9G999", "1234"),
            ("1234", "9G999", "1234"),
            ("12,345.67", "99G999D99", "12345.67"),
            ("1,234.5", "9G999D9", "1234.5"),
            ("1,000.00", "9,999.99", "1000.00"),
        ];
        for (text, template, want) in cases {
            assert_eq!(
                n(text, template).unwrap(),
                want,
                "to_number('{text}', '{template}')"
            );
        }
    }

    #[test]
    fn errors_like_postgres_15() {
        let cases = [
            ("", "999", "invalid input syntax for type numeric: \" \""),
            ("abc", "999", "invalid input syntax for type numeric: \" \""),
            ("-", "999", "invalid input syntax for type numeric: \"-\""),
            ("12,3", "99D9", "numeric field overflow"),
            ("1.2e3", "9.9EEEE", "\"EEEE\" not supported for input"),
        ];
        for (text, template, want) in cases {
            let e = n(text, template).unwrap_err().to_string();
            assert!(e.contains(want), "to_number('{text}', '{template}'): {e}");
        }
    }
}

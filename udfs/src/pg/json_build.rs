//! JSON constructors as PostgreSQL 15 has them: `json_build_object`,
//! `jsonb_build_object`, `json_build_array`, `jsonb_build_array`,
//! `to_json`, `to_jsonb`, `row_to_json` (its `pretty` flag is accepted and
//! ignored).
//!
//! Values become JSON as PostgreSQL writes them ([`write_value`]): numbers
//! as their SQL text (`12.50`; float8 `1e+20`; `NaN` and infinities as
//! strings), booleans, text escaped (`\"`, `\\`, `\n`, other control
//! characters `\u00XX`, non-ASCII kept), dates `"2024-02-29"`, timestamps
//! `"2024-01-05T10:00:00"` (timestamptz with its offset in the session
//! time zone), arrays `[1,2,null]` and rows `{"x":1}` without spaces, and
//! json/jsonb values embedded as they are. The `json` object constructor
//! separates with `" : "` and `", "` (`{"id" : 1, "ok" : true}`); the
//! `jsonb` ones are normalised as [`super::json::normalize`] does.

use std::fmt::Write as _;
use std::str::FromStr;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Offset, TimeZone};
use datafusion::arrow::array::timezone::Tz;
use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{
    DataType, Field, FieldRef, Float32Type, Float64Type, IntervalMonthDayNanoType, IntervalUnit,
    TimeUnit, TimestampMicrosecondType,
};
use datafusion::arrow::util::display::array_value_to_string;
use datafusion::common::{Result, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature,
    TypeSignature, Volatility,
};

use super::json::{kind_of, normalize, tagged};

/// How values are written: the session time zone for `timestamptz`.
#[derive(Debug, Default, Clone)]
pub(crate) struct Style {
    /// The session time zone (`datafusion.execution.time_zone`).
    pub(crate) zone: Option<Tz>,
}

impl Style {
    /// The style of a session whose time zone is `zone`.
    pub(crate) fn new(zone: Option<&str>) -> Style {
        Style {
            zone: zone.and_then(|z| Tz::from_str(z).ok()),
        }
    }
}

/// PostgreSQL's float8 text (shortest round-trip digits; exponent form
/// below 1e-4 and from 1e15, as `1e+20`).
fn float_text(v: f64, out: &mut String) {
    if v.is_nan() {
        out.push_str("\"NaN\"");
        return;
    }
    if v.is_infinite() {
        out.push_str(if v > 0.0 {
            "\"Infinity\""
        } else {
            "\"-Infinity\""
        });
        return;
    }
    if v == 0.0 {
        out.push_str(if v.is_sign_negative() { "-0" } else { "0" });
        return;
    }
    let e = format!("{v:e}");
    let (mantissa, exp) = e.split_once('e').expect("{:e} has an exponent");
    let exp: i32 = exp.parse().expect("{:e} exponent is an integer");
    if !(-4..15).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        let _ = write!(out, "{mantissa}e{sign}{:02}", exp.abs());
    } else {
        let _ = write!(out, "{v}");
    }
}

/// Appends `s` as a JSON string, escaped as PostgreSQL's `escape_json`.
pub(crate) fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Fractional seconds as PostgreSQL prints them (trailing zeros dropped).
fn write_fraction(micros: u32, out: &mut String) {
    if micros > 0 {
        let f = format!("{micros:06}");
        out.push('.');
        out.push_str(f.trim_end_matches('0'));
    }
}

/// Appends row `i` of `array` (described by `field`) as JSON.
pub(crate) fn write_value(
    array: &dyn Array,
    field: &Field,
    i: usize,
    style: &Style,
    out: &mut String,
) -> Result<()> {
    if array.is_null(i) {
        out.push_str("null");
        return Ok(());
    }
    match array.data_type() {
        DataType::Null => out.push_str("null"),
        DataType::Boolean => {
            out.push_str(if array.as_boolean().value(i) {
                "true"
            } else {
                "false"
            });
        }
        DataType::Float64 => float_text(array.as_primitive::<Float64Type>().value(i), out),
        DataType::Float32 => {
            // float4 prints its own shortest digits.
            let v = array.as_primitive::<Float32Type>().value(i);
            let shortest: f64 = format!("{v}").parse().unwrap_or(f64::from(v));
            float_text(shortest, out);
        }
        t if t.is_integer() || matches!(t, DataType::Decimal128(..) | DataType::Decimal256(..)) => {
            out.push_str(&array_value_to_string(array, i)?);
        }
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
            let s = cast(&array.slice(i, 1), &DataType::Utf8)?;
            let s = s.as_string::<i32>().value(0);
            match kind_of(field) {
                // jsonb is written in its normal form (Tessera keeps the
                // text as given and normalises it on output).
                Some("jsonb") => match normalize(s) {
                    Some(n) => out.push_str(&n),
                    None => out.push_str(s.trim()),
                },
                Some(_) => out.push_str(s.trim()),
                None => write_string(s, out),
            }
        }
        DataType::Date32 | DataType::Date64 => {
            let d = cast(&array.slice(i, 1), &DataType::Date32)?;
            let days = d
                .as_primitive::<datafusion::arrow::datatypes::Date32Type>()
                .value(0);
            match NaiveDate::from_num_days_from_ce_opt(days + 719_163) {
                Some(d) => {
                    let _ = write!(out, "\"{}\"", d.format("%Y-%m-%d"));
                }
                None => return exec_err!("date out of range"),
            }
        }
        DataType::Timestamp(_, tz) => {
            let m = cast(
                &array.slice(i, 1),
                &DataType::Timestamp(TimeUnit::Microsecond, tz.clone()),
            )?;
            let micros = m.as_primitive::<TimestampMicrosecondType>().value(0);
            let Some(utc) = DateTime::from_timestamp_micros(micros) else {
                return exec_err!("timestamp out of range");
            };
            let (local, offset) = match tz {
                None => (utc.naive_utc(), None),
                Some(name) => {
                    let zone = style
                        .zone
                        .or_else(|| Tz::from_str(name).ok())
                        .unwrap_or_else(|| Tz::from_str("UTC").expect("UTC is a zone"));
                    let secs = zone
                        .offset_from_utc_datetime(&utc.naive_utc())
                        .fix()
                        .local_minus_utc();
                    (
                        utc.naive_utc() + chrono::Duration::seconds(i64::from(secs)),
                        Some(secs),
                    )
                }
            };
            let _ = write!(out, "\"{}", local.format("%Y-%m-%dT%H:%M:%S"));
            write_fraction(local.and_utc().timestamp_subsec_micros(), out);
            if let Some(secs) = offset {
                let sign = if secs < 0 { '-' } else { '+' };
                let a = secs.abs();
                let _ = write!(out, "{sign}{:02}:{:02}", a / 3600, a / 60 % 60);
                if a % 60 != 0 {
                    let _ = write!(out, ":{:02}", a % 60);
                }
            }
            out.push('"');
        }
        DataType::Time32(_) | DataType::Time64(_) => {
            write_string(&array_value_to_string(array, i)?, out);
        }
        // PostgreSQL's interval text (`1 day 02:00:00`), not Arrow's.
        DataType::Interval(_) => {
            let v = cast(
                &array.slice(i, 1),
                &DataType::Interval(IntervalUnit::MonthDayNano),
            )?;
            let v = v.as_primitive::<IntervalMonthDayNanoType>().value(0);
            let mut text = String::new();
            super::interval::write_postgres(
                &mut text,
                v.months,
                i64::from(v.days),
                i128::from(v.nanoseconds) / 1000,
            );
            write_string(&text, out);
        }
        DataType::List(item) | DataType::LargeList(item) | DataType::FixedSizeList(item, _) => {
            let values = match array.data_type() {
                DataType::List(_) => array.as_list::<i32>().value(i),
                DataType::LargeList(_) => array.as_list::<i64>().value(i),
                _ => array.as_fixed_size_list().value(i),
            };
            out.push('[');
            for j in 0..values.len() {
                if j > 0 {
                    out.push(',');
                }
                write_value(values.as_ref(), item, j, style, out)?;
            }
            out.push(']');
        }
        DataType::Struct(fields) => {
            let s = array.as_struct();
            out.push('{');
            for (j, (f, col)) in fields.iter().zip(s.columns()).enumerate() {
                if j > 0 {
                    out.push(',');
                }
                write_string(f.name(), out);
                out.push(':');
                write_value(col.as_ref(), f, i, style, out)?;
            }
            out.push('}');
        }
        _ => write_string(&array_value_to_string(array, i)?, out),
    }
    Ok(())
}

/// What a constructor builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Build {
    /// `json[b]_build_object(k, v, …)`.
    Object,
    /// `json[b]_build_array(v, …)`.
    Array,
    /// `to_json[b](v)`.
    To,
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct BuildFn {
    name: &'static str,
    build: Build,
    jsonb: bool,
    signature: Signature,
}

fn udf(name: &'static str, build: Build, jsonb: bool) -> ScalarUDF {
    let signature = match build {
        // `row_to_json(record [, pretty])`.
        Build::To if name == "row_to_json" => Signature::one_of(
            vec![TypeSignature::Any(1), TypeSignature::Any(2)],
            Volatility::Stable,
        ),
        Build::To => Signature::any(1, Volatility::Stable),
        _ => Signature::one_of(
            vec![TypeSignature::Nullary, TypeSignature::VariadicAny],
            Volatility::Stable,
        ),
    };
    ScalarUDF::new_from_impl(BuildFn {
        name,
        build,
        jsonb,
        signature,
    })
}

/// The constructor functions.
pub fn functions() -> Vec<ScalarUDF> {
    vec![
        udf("json_build_object", Build::Object, false),
        udf("jsonb_build_object", Build::Object, true),
        udf("json_build_array", Build::Array, false),
        udf("jsonb_build_array", Build::Array, true),
        udf("to_json", Build::To, false),
        udf("to_jsonb", Build::To, true),
        udf("row_to_json", Build::To, false),
    ]
}

/// Appends a key of `json[b]_build_object`: its text, quoted.
fn write_key(
    array: &dyn Array,
    field: &Field,
    i: usize,
    style: &Style,
    out: &mut String,
) -> Result<()> {
    if array.is_null(i) {
        return exec_err!("argument 1 cannot be null");
    }
    match array.data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
            let s = cast(&array.slice(i, 1), &DataType::Utf8)?;
            write_string(s.as_string::<i32>().value(0), out);
        }
        _ => {
            let mut v = String::new();
            write_value(array, field, i, style, &mut v)?;
            let v = v.trim_matches('"');
            write_string(v, out);
        }
    }
    Ok(())
}

impl ScalarUDFImpl for BuildFn {
    fn name(&self) -> &str {
        self.name
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        if self.build == Build::Object && !arg_types.len().is_multiple_of(2) {
            return plan_err!("argument list must have even number of elements");
        }
        Ok(DataType::Utf8)
    }
    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        self.return_type(
            &args
                .arg_fields
                .iter()
                .map(|f| f.data_type().clone())
                .collect::<Vec<_>>(),
        )?;
        Ok(tagged(self.name, if self.jsonb { "jsonb" } else { "json" }))
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = super::all_scalar(&args.args);
        let n = if scalar { 1 } else { args.number_rows };
        let arrays: Vec<ArrayRef> = args
            .args
            .iter()
            .map(|a| a.to_array(n))
            .collect::<Result<_>>()?;
        let style = Style::new(args.config_options.execution.time_zone.as_deref());
        let fields = &args.arg_fields;
        let mut out = StringBuilder::with_capacity(n, n * 16);
        let mut text = String::new();
        for i in 0..n {
            text.clear();
            match self.build {
                Build::To => {
                    if arrays[0].is_null(i) {
                        out.append_null();
                        continue;
                    }
                    write_value(arrays[0].as_ref(), &fields[0], i, &style, &mut text)?;
                }
                Build::Array => {
                    text.push('[');
                    for (j, a) in arrays.iter().enumerate() {
                        if j > 0 {
                            text.push_str(", ");
                        }
                        write_value(a.as_ref(), &fields[j], i, &style, &mut text)?;
                    }
                    text.push(']');
                }
                Build::Object => {
                    text.push('{');
                    for (j, pair) in arrays.chunks(2).enumerate() {
                        if j > 0 {
                            text.push_str(", ");
                        }
                        write_key(pair[0].as_ref(), &fields[2 * j], i, &style, &mut text)?;
                        text.push_str(" : ");
                        write_value(pair[1].as_ref(), &fields[2 * j + 1], i, &style, &mut text)?;
                    }
                    text.push('}');
                }
            }
            if self.jsonb {
                match normalize(&text) {
                    Some(t) => out.append_value(t),
                    None => return exec_err!("invalid json produced: {text}"),
                }
            } else {
                out.append_value(&text);
            }
        }
        super::result(Arc::new(out.finish()), scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{
        BooleanArray, Date32Array, Decimal128Array, Float64Array, Int32Array, ListArray,
        StringArray, TimestampMicrosecondArray,
    };
    use datafusion::arrow::datatypes::Int32Type;

    fn json(array: &dyn Array) -> Vec<String> {
        let field = Field::new("v", array.data_type().clone(), true);
        (0..array.len())
            .map(|i| {
                let mut s = String::new();
                write_value(array, &field, i, &Style::new(Some("UTC")), &mut s).unwrap();
                s
            })
            .collect()
    }

    #[test]
    fn values_as_postgres_15_writes_them() {
        // SELECT to_json(x::float8) for each x
        assert_eq!(
            json(&Float64Array::from(vec![
                1e20,
                1e15,
                123456789012345.0,
                0.0001,
                0.00001,
                1.5e-7,
                -2.5e300,
                1.0,
                -0.0,
                f64::NAN,
                f64::NEG_INFINITY
            ])),
            [
                "1e+20",
                "1e+15",
                "123456789012345",
                "0.0001",
                "1e-05",
                "1.5e-07",
                "-2.5e+300",
                "1",
                "-0",
                "\"NaN\"",
                "\"-Infinity\""
            ]
        );
        assert_eq!(
            json(&StringArray::from(vec![
                Some("text with \"quotes\""),
                Some("a\tb\u{1}é"),
                Some("\\ /"),
                Some(""),
                None
            ])),
            [
                r#""text with \"quotes\"""#,
                r#""a\tb\u0001é""#,
                r#""\\ /""#,
                r#""""#,
                "null"
            ]
        );
        assert_eq!(
            json(&BooleanArray::from(vec![true, false])),
            ["true", "false"]
        );
        assert_eq!(
            json(
                &Decimal128Array::from(vec![1250, 12500])
                    .with_precision_and_scale(10, 3)
                    .unwrap()
            ),
            ["1.250", "12.500"]
        );
        assert_eq!(json(&Date32Array::from(vec![19782])), ["\"2024-02-29\""]);
        assert_eq!(
            json(&TimestampMicrosecondArray::from(vec![
                1_704_448_800_000_000,
                1_704_448_800_123_000
            ])),
            ["\"2024-01-05T10:00:00\"", "\"2024-01-05T10:00:00.123\""]
        );
        assert_eq!(
            json(
                &TimestampMicrosecondArray::from(vec![1_704_441_600_500_000]).with_timezone("UTC")
            ),
            ["\"2024-01-05T08:00:00.5+00:00\""]
        );
        assert_eq!(
            json(&ListArray::from_iter_primitive::<Int32Type, _, _>(vec![
                Some(vec![Some(1), Some(2), None]),
                Some(vec![]),
            ])),
            ["[1,2,null]", "[]"]
        );
        assert_eq!(json(&Int32Array::from(vec![-42])), ["-42"]);
    }
}

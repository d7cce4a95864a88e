//! `to_timestamp(text, template)`, `to_timestamp(epoch)` and
//! `to_date(text, template)` with PostgreSQL's template patterns
//! (`YYYY-MM-DD HH24:MI:SS.US`, `DD/MM/YYYY`, `Mon DD YYYY`, …). Superset
//! writes every time filter as `TO_TIMESTAMP('2024-01-01 00:00:00.000000',
//! 'YYYY-MM-DD HH24:MI:SS.US')`; DataFusion's namesakes take chrono `%`
//! formats instead.
//!
//! The template is translated to a chrono format once per call; the text
//! is read in the session time zone (`to_timestamp` is `timestamptz`).

use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime};
use datafusion::arrow::array::{Array, ArrayRef, AsArray, Date32Array, TimestampMicrosecondArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Float64Type, TimeUnit};
use datafusion::common::{Result, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

/// `to_timestamp` (text + template, or seconds since the epoch).
pub fn to_timestamp() -> ScalarUDF {
    ScalarUDF::new_from_impl(Parse {
        name: "to_timestamp",
        signature: Signature::one_of(
            vec![
                datafusion::logical_expr::TypeSignature::Exact(vec![DataType::Float64]),
                datafusion::logical_expr::TypeSignature::Exact(vec![
                    DataType::Utf8,
                    DataType::Utf8,
                ]),
            ],
            Volatility::Stable,
        ),
    })
}

/// `to_date(text, template)`.
pub fn to_date() -> ScalarUDF {
    ScalarUDF::new_from_impl(Parse {
        name: "to_date",
        signature: Signature::exact(vec![DataType::Utf8, DataType::Utf8], Volatility::Stable),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Parse {
    name: &'static str,
    signature: Signature,
}

/// PostgreSQL template → chrono format. Template keywords are matched
/// longest first; `"…"` is literal text.
fn chrono_format(template: &str) -> Result<String> {
    const TOKENS: &[(&str, &str)] = &[
        // ISO 8601 week dates: year, week, day of the week (Monday 1).
        ("IYYY", "%G"),
        ("IW", "%V"),
        ("ID", "%u"),
        ("YYYY", "%Y"),
        ("HH24", "%H"),
        ("HH12", "%I"),
        ("MONTH", "%B"),
        ("Month", "%B"),
        ("month", "%B"),
        ("A.M.", "%p"),
        ("P.M.", "%p"),
        ("a.m.", "%p"),
        ("p.m.", "%p"),
        ("DDD", "%j"),
        ("MON", "%b"),
        ("Mon", "%b"),
        ("mon", "%b"),
        ("DAY", "%A"),
        ("Day", "%A"),
        ("day", "%A"),
        ("DY", "%a"),
        ("Dy", "%a"),
        ("dy", "%a"),
        ("YY", "%y"),
        ("HH", "%I"),
        ("MI", "%M"),
        ("SS", "%S"),
        ("MS", "%3f"),
        ("US", "%6f"),
        ("MM", "%m"),
        ("DD", "%d"),
        ("AM", "%p"),
        ("PM", "%p"),
        ("am", "%p"),
        ("pm", "%p"),
        ("TZH:TZM", "%:z"),
        ("TZ", "%Z"),
        ("OF", "%:z"),
    ];
    let mut out = String::new();
    let mut rest = template;
    'outer: while !rest.is_empty() {
        // Fill mode and exact mode only change padding rules: ignored.
        for skip in ["FM", "FX", "fm", "fx"] {
            if let Some(r) = rest.strip_prefix(skip) {
                rest = r;
                continue 'outer;
            }
        }
        if let Some(r) = rest.strip_prefix('"') {
            let end = r.find('"').unwrap_or(r.len());
            out.push_str(&r[..end].replace('%', "%%"));
            rest = r.get(end + 1..).unwrap_or("");
            continue;
        }
        for (t, f) in TOKENS {
            if let Some(r) = rest.strip_prefix(t) {
                out.push_str(f);
                rest = r;
                continue 'outer;
            }
        }
        // Anything else is literal text, as in PostgreSQL.
        let c = rest.chars().next().expect("not empty");
        match c {
            '%' => out.push_str("%%"),
            c => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    Ok(out)
}

/// `text` read by the chrono `format`; fields the template lacks are
/// PostgreSQL's defaults: the first month and day (an ISO week's Monday),
/// hour, minute and second 0, and a 12-hour clock without AM/PM in the
/// morning (`HH` alone: 12 is midnight).
fn parse_datetime(text: &str, format: &str) -> Result<NaiveDateTime> {
    use chrono::format::{Parsed, StrftimeItems, parse};
    let text = text.trim();
    let mut p = Parsed::new();
    let read = parse(&mut p, text, StrftimeItems::new(format)).and_then(|()| {
        if p.isoweek().is_some() {
            if p.weekday().is_none() {
                p.set_weekday(chrono::Weekday::Mon)?;
            }
        } else if p.ordinal().is_none() {
            if p.month().is_none() {
                p.set_month(1)?;
            }
            if p.day().is_none() {
                p.set_day(1)?;
            }
        }
        match (p.hour_div_12(), p.hour_mod_12()) {
            (None, None) => p.set_hour(0)?,
            (None, Some(_)) => p.set_ampm(false)?,
            _ => {}
        }
        if p.minute().is_none() {
            p.set_minute(0)?;
        }
        p.to_naive_datetime_with_offset(0)
    });
    read.or_else(|e| exec_err!("invalid value \"{text}\" for template: {e}"))
}

impl ScalarUDFImpl for Parse {
    fn name(&self) -> &str {
        self.name
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        match arg_types.len() {
            1 if self.name == "to_timestamp" => Ok(vec![DataType::Float64]),
            2 => Ok(vec![DataType::Utf8, DataType::Utf8]),
            _ => plan_err!(
                "function {} has no form with {} arguments",
                self.name,
                arg_types.len()
            ),
        }
    }
    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(if self.name == "to_date" {
            DataType::Date32
        } else {
            DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
        })
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let n = args.number_rows;
        let scalar = super::all_scalar(&args.args);
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let out: ArrayRef = if arrays.len() == 1 {
            let secs = cast(&arrays[0], &DataType::Float64)?;
            let secs = secs.as_primitive::<Float64Type>();
            Arc::new(
                secs.iter()
                    .map(|s| {
                        s.filter(|s| s.is_finite())
                            .map(|s| (s * 1e6).round() as i64)
                    })
                    .collect::<TimestampMicrosecondArray>()
                    .with_timezone("UTC"),
            )
        } else {
            let tz = super::timezone::session_zone(&args.config_options)?;
            let (texts, templates) = (arrays[0].as_string::<i32>(), arrays[1].as_string::<i32>());
            let mut cached: Option<(String, String)> = None;
            let mut values = Vec::with_capacity(n);
            for i in 0..texts.len() {
                if texts.is_null(i) || templates.is_null(i) {
                    values.push(None);
                    continue;
                }
                let template = templates.value(i);
                if cached.as_ref().is_none_or(|(t, _)| t != template) {
                    cached = Some((template.to_string(), chrono_format(template)?));
                }
                let format = &cached.as_ref().expect("set above").1;
                let dt = parse_datetime(texts.value(i), format)?;
                values.push(Some(dt));
            }
            if self.name == "to_date" {
                let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid");
                Arc::new(
                    values
                        .into_iter()
                        .map(|v| v.map(|d| (d.date() - epoch).num_days() as i32))
                        .collect::<Date32Array>(),
                )
            } else {
                let micros = values
                    .into_iter()
                    .map(|v| v.map(|d| super::timezone::local_to_utc_micros(d, &tz)))
                    .collect::<TimestampMicrosecondArray>();
                Arc::new(micros.with_timezone("UTC"))
            }
        };
        super::result(out, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_templates() {
        let f = chrono_format("YYYY-MM-DD HH24:MI:SS.US").unwrap();
        let d = parse_datetime("2024-01-01 00:00:00.000000", &f).unwrap();
        assert_eq!(d.to_string(), "2024-01-01 00:00:00");
        let f = chrono_format("DD/MM/YYYY").unwrap();
        assert_eq!(
            parse_datetime("29/02/2024", &f).unwrap().to_string(),
            "2024-02-29 00:00:00"
        );
        let f = chrono_format("Mon DD YYYY").unwrap();
        assert_eq!(
            parse_datetime("Feb 29 2024", &f).unwrap().to_string(),
            "2024-02-29 00:00:00"
        );
        assert!(parse_datetime("nope", &f).is_err());
        // PostgreSQL 15: ISO week dates; without ID, the week's Monday.
        let cases = [
            ("2024-W09", "IYYY-\"W\"IW", "2024-02-26"),
            ("2024-09-3", "IYYY-IW-ID", "2024-02-28"),
            ("2021-01", "IYYY-IW", "2021-01-04"),
        ];
        for (text, template, want) in cases {
            let f = chrono_format(template).unwrap();
            assert_eq!(parse_datetime(text, &f).unwrap().date().to_string(), want);
        }
    }

    /// PostgreSQL 15: fields the template lacks are the first month and
    /// day, hour/minute/second 0; `HH` without AM/PM is the morning.
    #[test]
    fn missing_fields() {
        let cases = [
            ("2024-03-01 10", "YYYY-MM-DD HH24", "2024-03-01 10:00:00"),
            ("10 2024-03-01", "HH24 YYYY-MM-DD", "2024-03-01 10:00:00"),
            ("2024-03-01 12", "YYYY-MM-DD HH", "2024-03-01 00:00:00"),
            (
                "2024-03-01 03 PM",
                "YYYY-MM-DD HH PM",
                "2024-03-01 15:00:00",
            ),
            ("2024-03", "YYYY-MM", "2024-03-01 00:00:00"),
            ("2024-061", "YYYY-DDD", "2024-03-01 00:00:00"),
            (
                "10:30 2024-03-01",
                "HH24:MI YYYY-MM-DD",
                "2024-03-01 10:30:00",
            ),
        ];
        for (text, template, want) in cases {
            let f = chrono_format(template).unwrap();
            assert_eq!(
                parse_datetime(text, &f).unwrap().to_string(),
                want,
                "{template}"
            );
        }
    }
}

//! `to_char(timestamp | timestamptz | date | interval, text)` with PostgreSQL's
//! template patterns (`YYYY-MM-DD HH24:MI:SS`, `Mon DD, YYYY`, `FMMonth`,
//! `IYYY-IW`, `Q`, `DDth`, quoted text, …), as `formatting.c` in
//! PostgreSQL 15. DataFusion's own `to_char` takes chrono `%` formats and
//! prints PostgreSQL templates back literally, which is what every BI tool
//! that groups by month (`to_char(d, 'YYYY-MM')`) would have seen.
//!
//! `timestamptz` values are shown in the session time zone
//! (`datafusion.execution.time_zone`, kept equal to `TimeZone`); intervals
//! are formatted from their own parts ([`interval`]).

mod interval;
mod number;
mod timestamp;

use timestamp::{Zone, render};

use std::sync::Arc;

use chrono::DateTime;
use datafusion::arrow::array::{Array, AsArray, StringBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, TimeUnit, TimestampMicrosecondType};
use datafusion::common::{Result, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

/// The `to_char` function.
pub fn udf() -> ScalarUDF {
    ScalarUDF::new_from_impl(ToChar {
        signature: Signature::any(2, Volatility::Stable),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct ToChar {
    signature: Signature,
}

impl ScalarUDFImpl for ToChar {
    fn name(&self) -> &str {
        "to_char"
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        match &args[0] {
            DataType::Date32
            | DataType::Date64
            | DataType::Timestamp(..)
            | DataType::Interval(_)
            | DataType::Duration(_)
            | DataType::Null => Ok(DataType::Utf8),
            t if t.is_numeric() => Ok(DataType::Utf8),
            other => plan_err!("function to_char({other}, text) does not exist"),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        // Intervals, and durations (`timestamptz - timestamptz`) as such.
        if matches!(
            args.arg_fields[0].data_type(),
            DataType::Interval(_) | DataType::Duration(_)
        ) {
            return intervals(&args);
        }
        if args.arg_fields[0].data_type().is_numeric() {
            return numbers(&args);
        }
        let n = args.number_rows;
        let zoned = matches!(
            args.arg_fields[0].data_type(),
            DataType::Timestamp(_, Some(_))
        );
        let zone = zoned
            .then(|| args.config_options.execution.time_zone.clone())
            .flatten()
            .or_else(|| match args.arg_fields[0].data_type() {
                DataType::Timestamp(_, Some(tz)) => Some(tz.to_string()),
                _ => None,
            });
        let zone = match zone {
            Some(z) => Some(Zone::new(&z)?),
            None => None,
        };
        let values = args.args[0].to_array(n)?;
        // Microseconds since 1970 (UTC instants for zoned timestamps: only
        // the unit changes, the zone is applied below).
        let target = match values.data_type() {
            DataType::Timestamp(_, tz) => DataType::Timestamp(TimeUnit::Microsecond, tz.clone()),
            _ => DataType::Timestamp(TimeUnit::Microsecond, None),
        };
        let micros = cast(&values, &target)?;
        let micros = micros.as_primitive::<TimestampMicrosecondType>();
        per_row(
            &args,
            micros,
            |f| Ok(parse(f)),
            |i, tokens, text| {
                let Some(utc) = DateTime::from_timestamp_micros(micros.value(i)) else {
                    return exec_err!("timestamp out of range");
                };
                let (local, offset) = match &zone {
                    Some(z) => z.local(&utc.naive_utc()),
                    None => (utc.naive_utc(), None),
                };
                render(text, tokens, &local, offset.as_ref());
                Ok(())
            },
        )
    }
}

/// `to_char` row by row: `write(row, template, text)` for the rows whose
/// value (in `values`) and template are both non-NULL, each distinct
/// template parsed once by `parse`.
fn per_row<T>(
    args: &ScalarFunctionArgs,
    values: &dyn Array,
    parse: impl Fn(&str) -> Result<T>,
    mut write: impl FnMut(usize, &T, &mut String) -> Result<()>,
) -> Result<ColumnarValue> {
    let n = args.number_rows;
    let all_scalar = args
        .args
        .iter()
        .all(|a| matches!(a, ColumnarValue::Scalar(_)));
    let formats = cast(&args.args[1].to_array(n)?, &DataType::Utf8)?;
    let formats = formats.as_string::<i32>();
    let mut out = StringBuilder::with_capacity(n, n * 16);
    let mut cached: Option<(String, T)> = None;
    let mut text = String::new();
    for i in 0..n {
        if values.is_null(i) || formats.is_null(i) {
            out.append_null();
            continue;
        }
        let fmt = formats.value(i);
        if cached.as_ref().is_none_or(|(f, _)| f != fmt) {
            cached = Some((fmt.to_string(), parse(fmt)?));
        }
        text.clear();
        write(i, &cached.as_ref().expect("parsed").1, &mut text)?;
        out.append_value(&text);
    }
    super::result(Arc::new(out.finish()), all_scalar)
}

/// `to_char(number, template)` row by row.
fn numbers(args: &ScalarFunctionArgs) -> Result<ColumnarValue> {
    use datafusion::arrow::datatypes::{Decimal128Type, Float64Type, Int64Type};
    let values = args.args[0].to_array(args.number_rows)?;
    // Integers and decimals exactly, floats as doubles.
    let scale = match values.data_type() {
        DataType::Decimal128(_, s) => *s,
        _ => 0,
    };
    let float = matches!(
        values.data_type(),
        DataType::Float16 | DataType::Float32 | DataType::Float64
    );
    let values = match values.data_type() {
        DataType::Decimal128(..) => values,
        _ if float => cast(&values, &DataType::Float64)?,
        _ => cast(&values, &DataType::Int64)?,
    };
    per_row(args, &values, number::parse, |i, template, text| {
        let value = match values.data_type() {
            _ if float => number::Value::Float(values.as_primitive::<Float64Type>().value(i)),
            DataType::Decimal128(..) => {
                number::Value::Decimal(values.as_primitive::<Decimal128Type>().value(i), scale)
            }
            _ => number::Value::Integer(values.as_primitive::<Int64Type>().value(i)),
        };
        text.push_str(&number::to_char(template, value));
        Ok(())
    })
}

/// `to_char(interval, template)` row by row.
fn intervals(args: &ScalarFunctionArgs) -> Result<ColumnarValue> {
    use datafusion::arrow::datatypes::{IntervalMonthDayNanoType, IntervalUnit};
    let values = cast(
        &args.args[0].to_array(args.number_rows)?,
        &DataType::Interval(IntervalUnit::MonthDayNano),
    )?;
    let values = values.as_primitive::<IntervalMonthDayNanoType>();
    per_row(
        args,
        values,
        |f| Ok(parse(f)),
        |i, tokens, text| {
            let v = values.value(i);
            interval::render(
                text,
                tokens,
                &interval::Parts::new(v.months, v.days, v.nanoseconds),
            )
        },
    )
}

/// How a name is capitalised in the template (`MONTH`, `Month`, `month`).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Case {
    Upper,
    Capital,
    Lower,
}

#[derive(Clone, Debug, PartialEq)]
enum Field {
    YearComma,
    Year4,
    Year3,
    Year2,
    Year1,
    IsoYear4,
    IsoYear3,
    IsoYear2,
    IsoYear1,
    Era(Case, bool),
    MonthName(Case),
    MonthAbbrev(Case),
    Month,
    DayName(Case),
    DayAbbrev(Case),
    DayOfYear,
    IsoDayOfYear,
    Day,
    DayOfWeek,
    IsoDayOfWeek,
    WeekOfMonth,
    WeekOfYear,
    IsoWeek,
    Century,
    Julian,
    Quarter,
    RomanMonth(Case),
    Hour24,
    Hour12,
    Minute,
    Second,
    Millis,
    Micros,
    SecondsOfDay,
    Meridiem(Case, bool),
    ZoneName(Case),
    ZoneHours,
    ZoneMinutes,
    Offset,
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Literal(String),
    Field {
        field: Field,
        fill: bool,
        ordinal: Option<Case>,
    },
}

/// Template keywords, longest first where one is a prefix of another.
/// `None` case: matched case-insensitively (numbers); otherwise the case
/// of the written keyword decides the output's.
const KEYWORDS: &[&str] = &[
    "A.D.", "a.d.", "A.M.", "a.m.", "AD", "ad", "AM", "am", "B.C.", "b.c.", "BC", "bc", "CC",
    "DAY", "Day", "day", "DDD", "DD", "DY", "Dy", "dy", "D", "FX", "HH24", "HH12", "HH", "IDDD",
    "ID", "IW", "IYYY", "IYY", "IY", "I", "J", "MI", "MM", "MONTH", "Month", "month", "MON", "Mon",
    "mon", "MS", "OF", "P.M.", "p.m.", "PM", "pm", "Q", "RM", "rm", "SSSSS", "SSSS", "SS", "TZH",
    "TZM", "TZ", "tz", "US", "WW", "W", "Y,YYY", "YYYY", "YYY", "YY", "Y",
];

fn case_of(k: &str) -> Case {
    let letters: Vec<char> = k.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.iter().all(|c| c.is_uppercase()) {
        Case::Upper
    } else if letters[0].is_uppercase() {
        Case::Capital
    } else {
        Case::Lower
    }
}

fn field(k: &str) -> Option<Field> {
    let case = case_of(k);
    Some(match k.to_ascii_uppercase().as_str() {
        "Y,YYY" => Field::YearComma,
        "YYYY" => Field::Year4,
        "YYY" => Field::Year3,
        "YY" => Field::Year2,
        "Y" => Field::Year1,
        "IYYY" => Field::IsoYear4,
        "IYY" => Field::IsoYear3,
        "IY" => Field::IsoYear2,
        "I" => Field::IsoYear1,
        "AD" | "BC" => Field::Era(case, false),
        "A.D." | "B.C." => Field::Era(case, true),
        "MONTH" => Field::MonthName(case),
        "MON" => Field::MonthAbbrev(case),
        "MM" => Field::Month,
        "DAY" => Field::DayName(case),
        "DY" => Field::DayAbbrev(case),
        "DDD" => Field::DayOfYear,
        "IDDD" => Field::IsoDayOfYear,
        "DD" => Field::Day,
        "D" => Field::DayOfWeek,
        "ID" => Field::IsoDayOfWeek,
        "W" => Field::WeekOfMonth,
        "WW" => Field::WeekOfYear,
        "IW" => Field::IsoWeek,
        "CC" => Field::Century,
        "J" => Field::Julian,
        "Q" => Field::Quarter,
        "RM" => Field::RomanMonth(case),
        "HH24" => Field::Hour24,
        "HH" | "HH12" => Field::Hour12,
        "MI" => Field::Minute,
        "SS" => Field::Second,
        "MS" => Field::Millis,
        "US" => Field::Micros,
        "SSSS" | "SSSSS" => Field::SecondsOfDay,
        "AM" | "PM" => Field::Meridiem(case, false),
        "A.M." | "P.M." => Field::Meridiem(case, true),
        "TZ" => Field::ZoneName(case),
        "TZH" => Field::ZoneHours,
        "TZM" => Field::ZoneMinutes,
        "OF" => Field::Offset,
        _ => return None,
    })
}

/// Whether keyword `k` is matched without regard to case (numeric fields;
/// names and meridiem/era markers keep their case variants).
fn case_insensitive(k: &str) -> bool {
    !matches!(
        k.to_ascii_uppercase().as_str(),
        "MONTH"
            | "MON"
            | "DAY"
            | "DY"
            | "AM"
            | "PM"
            | "A.M."
            | "P.M."
            | "AD"
            | "BC"
            | "A.D."
            | "B.C."
            | "RM"
            | "TZ"
    )
}

fn keyword_at(s: &str) -> Option<&'static str> {
    KEYWORDS.iter().copied().find(|k| {
        s.len() >= k.len()
            && s.is_char_boundary(k.len())
            && if case_insensitive(k) {
                s[..k.len()].eq_ignore_ascii_case(k)
            } else {
                s.starts_with(k)
            }
    })
}

/// Parses a template into literal text and fields.
fn parse(fmt: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut rest = fmt;
    let mut literal = String::new();
    while !rest.is_empty() {
        let mut fill = false;
        let mut probe = rest;
        loop {
            let upper = probe.get(..2).map(str::to_ascii_uppercase);
            match upper.as_deref() {
                Some("FM") => fill = true,
                Some("TM") | Some("FX") => {}
                _ => break,
            }
            probe = &probe[2..];
        }
        if let Some(k) = keyword_at(probe) {
            let Some(f) = field(k) else {
                rest = &probe[k.len()..];
                continue;
            };
            let mut after = &probe[k.len()..];
            let ordinal = match after.get(..2) {
                Some("TH") => Some(Case::Upper),
                Some("th") => Some(Case::Lower),
                _ => None,
            };
            if ordinal.is_some() {
                after = &after[2..];
            }
            if after.get(..2).is_some_and(|s| s.eq_ignore_ascii_case("SP")) {
                after = &after[2..];
            }
            if !literal.is_empty() {
                tokens.push(Token::Literal(std::mem::take(&mut literal)));
            }
            tokens.push(Token::Field {
                field: f,
                fill,
                ordinal,
            });
            rest = after;
            continue;
        }
        let mut chars = rest.chars();
        let c = chars.next().expect("non-empty");
        match c {
            '"' => {
                // Quoted literal text; `\"` inside is a quote.
                let mut inner = chars.as_str();
                loop {
                    let mut it = inner.chars();
                    match it.next() {
                        None => break,
                        Some('"') => {
                            inner = it.as_str();
                            break;
                        }
                        Some('\\') => match it.next() {
                            Some(e) => {
                                literal.push(e);
                                inner = it.as_str();
                            }
                            None => {
                                literal.push('\\');
                                inner = it.as_str();
                            }
                        },
                        Some(o) => {
                            literal.push(o);
                            inner = it.as_str();
                        }
                    }
                }
                rest = inner;
            }
            '\\' if chars.as_str().starts_with('"') => {
                literal.push('"');
                rest = &chars.as_str()[1..];
            }
            _ => {
                literal.push(c);
                rest = chars.as_str();
            }
        }
    }
    if !literal.is_empty() {
        tokens.push(Token::Literal(literal));
    }
    tokens
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const ROMAN: [&str; 12] = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
];

fn cased(s: &str, case: Case) -> String {
    match case {
        Case::Upper => s.to_uppercase(),
        Case::Capital => s.to_string(),
        Case::Lower => s.to_lowercase(),
    }
}

/// A number zero-padded to `width` (none in fill mode), with an optional
/// ordinal suffix.
fn number(out: &mut String, v: i64, width: usize, fill: bool, ordinal: Option<Case>) {
    if fill || width == 0 {
        out.push_str(&v.to_string());
    } else if v < 0 {
        out.push_str(&format!("-{:0width$}", -v, width = width));
    } else {
        out.push_str(&format!("{v:0width$}"));
    }
    if let Some(case) = ordinal {
        let n = v.unsigned_abs();
        let suffix = match (n % 100, n % 10) {
            (11..=13, _) => "th",
            (_, 1) => "st",
            (_, 2) => "nd",
            (_, 3) => "rd",
            _ => "th",
        };
        out.push_str(&cased(suffix, case));
    }
}

/// A name, padded with spaces to `width` unless in fill mode.
fn name(out: &mut String, s: &str, width: usize, fill: bool) {
    out.push_str(s);
    if !fill {
        for _ in s.chars().count()..width {
            out.push(' ');
        }
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(ts: &str, template: &str) -> String {
        let t = chrono::NaiveDateTime::parse_from_str(ts, "%Y-%m-%d %H:%M:%S%.f").unwrap();
        let mut s = String::new();
        render(&mut s, &parse(template), &t, None);
        s
    }

    #[test]
    fn intervals_match_postgres() {
        let f = |months: i32, days: i32, micros: i64, template: &str| {
            let mut out = String::new();
            let parts = interval::Parts::new(months, days, micros * 1000);
            interval::render(&mut out, &parse(template), &parts).map(|()| out)
        };
        let h = 3_600_000_000i64;
        let m = 60_000_000i64;
        // PostgreSQL 15's answers.
        assert_eq!(
            f(0, 1, 2 * h + 3 * m + 4_000_000, "HH24:MI:SS").unwrap(),
            "02:03:04"
        );
        assert_eq!(f(0, 0, 36 * h, "HH24").unwrap(), "36");
        assert_eq!(f(27, 0, 0, "YYYY-MM").unwrap(), "0002-03");
        assert_eq!(
            f(0, 0, 15 * h + 7 * m + 3_250_000, "HH12:MI:SS.MS AM").unwrap(),
            "03:07:03.250 PM"
        );
        assert_eq!(f(0, 0, -3 * h - 5 * m, "HH24:MI").unwrap(), "-03:-05");
        assert_eq!(
            f(0, 45, 5 * h, "DD \"days\" HH24\"h\"").unwrap(),
            "45 days 05h"
        );
        assert_eq!(f(0, 3, 0, "DDD").unwrap(), "003");
        assert_eq!(f(0, 0, 90 * m, "SSSS").unwrap(), "5400");
        assert_eq!(f(0, 0, 0, "HH:MI").unwrap(), "12:00");
        assert_eq!(f(14, 3, 0, "WW Q RM").unwrap(), "61 1 II  ");
        assert!(f(14, 0, 0, "Mon").is_err());
    }

    #[test]
    fn templates_match_postgres() {
        // Expected: PostgreSQL 15 `to_char(timestamp '…', '…')`.
        let t = "2024-02-29 13:05:09.123456";
        for (template, pg) in [
            ("YYYY-MM-DD HH24:MI:SS", "2024-02-29 13:05:09"),
            ("YYYY-MM", "2024-02"),
            ("Mon DD, YYYY", "Feb 29, 2024"),
            ("Day", "Thursday "),
            ("FMDay, FMDD FMMonth YYYY", "Thursday, 29 February 2024"),
            ("MONTH", "FEBRUARY "),
            ("month", "february "),
            ("IYYY-IW", "2024-09"),
            ("Q", "1"),
            ("DDth", "29th"),
            ("FMDDth", "29th"),
            ("HH12:MI AM", "01:05 PM"),
            ("hh24:mi:ss.ms", "13:05:09.123"),
            ("US", "123456"),
            ("\"Week\" WW", "Week 09"),
            ("D ID DDD", "5 4 060"),
            ("CC", "21"),
            ("J", "2460370"),
            ("RM", "II  "),
            ("YYYY\"Q\"Q", "2024Q1"),
            ("SSSS", "47109"),
            ("Y,YYY", "2,024"),
        ] {
            assert_eq!(fmt(t, template), pg, "{template}");
        }
        assert_eq!(fmt("2024-01-01 00:00:00", "HH12 am"), "12 am");
        assert_eq!(fmt("2023-01-01 00:00:00", "IYYY-IW ID"), "2022-52 7");
        assert_eq!(fmt("2024-01-03 00:00:00", "FMDDth FMMMth"), "3rd 1st");
    }
}

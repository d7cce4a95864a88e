//! PostgreSQL 15's constructors `make_date(year, month, day)`,
//! `make_time(hour, min, sec)`, `make_timestamp(year, month, mday, hour,
//! min, sec)`, `make_timestamptz(…, [timezone])` and `make_interval(years,
//! months, weeks, days, hours, mins, secs)`.
//!
//! - Fields are integers but seconds, which are `double precision`,
//!   rounded half-to-even to the microsecond.
//! - A negative year is BC (`-44` is 44 BC, astronomical year −43); year 0
//!   and impossible dates are `date field value out of range`. Hours run to
//!   24, minutes to 59, seconds to 60, the whole time to 24:00:00 (`23:59:60`
//!   is the next midnight), else `time field value out of range`.
//! - `make_timestamptz` reads the wall clock in `timezone` — a numeric
//!   offset in ISO sign (`'+02'` is east of Greenwich, unlike `AT TIME
//!   ZONE`) or a zone name — or in the session time zone. In a spring-forward
//!   gap the offset before the change applies; an ambiguous fall-back time
//!   is standard time (the later instant), as in PostgreSQL.
//! - `make_interval`'s arguments all default to 0. PostgreSQL 15 computes
//!   months and days in 32 bits without overflow checks; so does this.
//! - NULL in any argument gives NULL (the functions are strict).
//!
//! DataFusion's `make_date` accepts year 0 and reads negative years as
//! astronomical; its `make_time` takes integer seconds only.
//!
//! Hazard: DataFusion resolves named arguments (`make_interval(days =>
//! 10)`) only when they fill a prefix of the parameters; the SQL front end
//! must fill the gaps with 0 (see [`MAKE_INTERVAL_PARAMETERS`]).

use std::str::FromStr;
use std::sync::Arc;

use chrono::{Duration, NaiveDate};
use datafusion::arrow::array::timezone::Tz;
use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, Date32Array, IntervalMonthDayNanoArray, Time64MicrosecondArray,
    TimestampMicrosecondArray,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{
    DataType, Float64Type, Int64Type, IntervalMonthDayNano, IntervalUnit, TimeUnit,
};
use datafusion::common::{Result, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

/// `make_interval`'s parameters in order; each defaults to 0.
pub const MAKE_INTERVAL_PARAMETERS: [&str; 7] =
    ["years", "months", "weeks", "days", "hours", "mins", "secs"];

const MICROS_PER_DAY: i64 = 86_400_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Date,
    Time,
    Timestamp,
    Timestamptz,
    Interval,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Date => "make_date",
            Kind::Time => "make_time",
            Kind::Timestamp => "make_timestamp",
            Kind::Timestamptz => "make_timestamptz",
            Kind::Interval => "make_interval",
        }
    }
    fn parameters(self) -> &'static [&'static str] {
        match self {
            Kind::Date => &["year", "month", "day"],
            Kind::Time => &["hour", "min", "sec"],
            Kind::Timestamp => &["year", "month", "mday", "hour", "min", "sec"],
            Kind::Timestamptz => &["year", "month", "mday", "hour", "min", "sec", "timezone"],
            Kind::Interval => &MAKE_INTERVAL_PARAMETERS,
        }
    }
    /// The number of arguments accepted.
    fn arity(self) -> std::ops::RangeInclusive<usize> {
        match self {
            Kind::Date | Kind::Time => 3..=3,
            Kind::Timestamp => 6..=6,
            Kind::Timestamptz => 6..=7,
            Kind::Interval => 0..=7,
        }
    }
}

/// The five functions.
pub fn functions() -> Vec<ScalarUDF> {
    [
        Kind::Date,
        Kind::Time,
        Kind::Timestamp,
        Kind::Timestamptz,
        Kind::Interval,
    ]
    .into_iter()
    .map(|kind| {
        let volatility = if kind == Kind::Timestamptz {
            Volatility::Stable
        } else {
            Volatility::Immutable
        };
        ScalarUDF::new_from_impl(Make {
            kind,
            signature: Signature::user_defined(volatility)
                .with_parameter_names(kind.parameters().to_vec())
                .expect("user-defined signatures take any names"),
        })
    })
    .collect()
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Make {
    kind: Kind,
    signature: Signature,
}

/// `sec` as PostgreSQL's `%02g` shows it in error messages.
fn show_sec(sec: f64) -> String {
    if sec.is_nan() {
        "NaN".into()
    } else if sec.is_infinite() {
        if sec > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else if sec.fract() == 0.0 {
        format!("{:02}", sec as i64)
    } else {
        format!("{sec}")
    }
}

/// The day `year-month-day` (negative years BC).
fn date(year: i64, month: i64, day: i64) -> Result<NaiveDate> {
    let astronomical = if year < 0 { year + 1 } else { year };
    let d = (year != 0)
        .then(|| {
            NaiveDate::from_ymd_opt(
                i32::try_from(astronomical).ok()?,
                u32::try_from(month).ok()?,
                u32::try_from(day).ok()?,
            )
        })
        .flatten();
    match d {
        Some(d) => Ok(d),
        None if year != 0 && (1..=12).contains(&month) && (1..=31).contains(&day) => {
            match NaiveDate::from_ymd_opt(2000, month as u32, day as u32) {
                // A valid day in a year beyond chrono's range.
                Some(_) => exec_err!("date out of range: {year}-{month:02}-{day:02}"),
                None => exec_err!("date field value out of range: {year}-{month:02}-{day:02}"),
            }
        }
        None => exec_err!("date field value out of range: {year}-{month:02}-{day:02}"),
    }
}

/// Microseconds since midnight, up to 24:00:00.
fn time(hour: i64, min: i64, sec: f64) -> Result<i64> {
    let fail = || {
        exec_err!(
            "time field value out of range: {hour}:{min:02}:{}",
            show_sec(sec)
        )
    };
    if !(0..=24).contains(&hour) || !(0..=59).contains(&min) || !(0.0..=60.0).contains(&sec) {
        return fail();
    }
    let micros = (hour * 60 + min) * 60 * 1_000_000 + (sec * 1e6).round_ties_even() as i64;
    if micros > MICROS_PER_DAY {
        return fail();
    }
    Ok(micros)
}

/// A `make_timestamptz` zone: a numeric offset in ISO sign or a name.
fn zone(name: &str) -> Result<Tz> {
    let n = name.trim();
    if let Some(body) = n.strip_prefix(['+', '-']) {
        let digits: Vec<&str> = body.split(':').collect();
        let nums: Option<Vec<u32>> = digits.iter().map(|d| d.parse().ok()).collect();
        let (h, m, s) = match nums.as_deref() {
            Some([h]) if body.len() <= 2 => (*h, 0, 0),
            Some([hm]) if body.len() == 4 => (hm / 100, hm % 100, 0),
            Some([h, m]) => (*h, *m, 0),
            Some([h, m, s]) => (*h, *m, *s),
            _ => return exec_err!("time zone \"{n}\" not recognized"),
        };
        if h > 15 || m > 59 || s > 59 {
            return exec_err!("time zone \"{n}\" not recognized");
        }
        if s != 0 {
            return exec_err!("time zone \"{n}\" not recognized");
        }
        let sign = &n[..1];
        return Ok(Tz::from_str(&format!("{sign}{h:02}:{m:02}"))?);
    }
    super::timezone::zone(n)
}

/// PostgreSQL 15's `make_interval`: 32-bit months and days that wrap.
fn interval(f: [i64; 6], secs: f64) -> Result<IntervalMonthDayNano> {
    let [.., hours, mins] = f;
    let mut i = [0i32; 6];
    for (slot, v) in i.iter_mut().zip(f) {
        *slot = match i32::try_from(v) {
            Ok(v) => v,
            Err(_) => return exec_err!("integer out of range"),
        };
    }
    if !secs.is_finite() {
        return exec_err!("interval out of range");
    }
    let m = i[0].wrapping_mul(12).wrapping_add(i[1]);
    let d = i[2].wrapping_mul(7).wrapping_add(i[3]);
    let us = (secs * 1e6).round_ties_even();
    if !(-9.2e18..9.2e18).contains(&us) {
        return exec_err!("interval out of range");
    }
    let micros = (hours * 3_600_000_000 + mins * 60_000_000).checked_add(us as i64);
    match micros.and_then(|u| u.checked_mul(1000)) {
        Some(nanos) => Ok(IntervalMonthDayNano::new(m, d, nanos)),
        None => exec_err!("interval out of range"),
    }
}

fn is_integer(t: &DataType) -> bool {
    t.is_integer() || t.is_null()
}

fn is_number(t: &DataType) -> bool {
    t.is_numeric() || t.is_null()
}

fn is_text(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null
    )
}

impl ScalarUDFImpl for Make {
    fn name(&self) -> &str {
        self.kind.name()
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        if !self.kind.arity().contains(&arg_types.len()) {
            return plan_err!(
                "function {} has no form with {} arguments",
                self.name(),
                arg_types.len()
            );
        }
        let names = self.kind.parameters();
        arg_types
            .iter()
            .zip(names)
            .map(|(t, p)| {
                let (ok, to) = match *p {
                    "sec" | "secs" => (is_number(t), DataType::Float64),
                    "timezone" => (is_text(t), DataType::Utf8),
                    _ => (is_integer(t), DataType::Int64),
                };
                if ok {
                    Ok(to)
                } else {
                    let shown: Vec<&str> = arg_types
                        .iter()
                        .map(super::rounding::pg_type_name)
                        .collect();
                    plan_err!(
                        "function {}({}) does not exist",
                        self.name(),
                        shown.join(", ")
                    )
                }
            })
            .collect()
    }
    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(match self.kind {
            Kind::Date => DataType::Date32,
            Kind::Time => DataType::Time64(TimeUnit::Microsecond),
            Kind::Timestamp => DataType::Timestamp(TimeUnit::Microsecond, None),
            Kind::Timestamptz => DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
            Kind::Interval => DataType::Interval(IntervalUnit::MonthDayNano),
        })
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let n = args.number_rows;
        let scalar = super::all_scalar(&args.args);
        let rows = if scalar { 1 } else { n };
        let names = self.kind.parameters();
        let mut ints: Vec<ArrayRef> = Vec::new();
        let mut secs: Option<ArrayRef> = None;
        let mut zones: Option<ArrayRef> = None;
        for (a, p) in args.args.iter().zip(names) {
            let a = a.to_array(rows)?;
            match *p {
                "sec" | "secs" => secs = Some(cast(&a, &DataType::Float64)?),
                "timezone" => zones = Some(cast(&a, &DataType::Utf8)?),
                _ => ints.push(cast(&a, &DataType::Int64)?),
            }
        }
        let ints: Vec<_> = ints.iter().map(|a| a.as_primitive::<Int64Type>()).collect();
        let secs = secs.as_ref().map(|a| a.as_primitive::<Float64Type>());
        let zones = zones.as_ref().map(|a| a.as_string::<i32>());
        let null = |i: usize| {
            ints.iter().any(|a| a.is_null(i))
                || secs.is_some_and(|s| s.is_null(i))
                || zones.is_some_and(|z| z.is_null(i))
        };
        let int = |k: usize, i: usize| ints.get(k).map_or(0, |a| a.value(i));
        let sec = |i: usize| secs.map_or(0.0, |s| s.value(i));
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");
        let out: ArrayRef = match self.kind {
            Kind::Date => {
                let mut out = Vec::with_capacity(rows);
                for i in 0..rows {
                    out.push(if null(i) {
                        None
                    } else {
                        let d = date(int(0, i), int(1, i), int(2, i))?;
                        Some((d - epoch).num_days() as i32)
                    });
                }
                Arc::new(Date32Array::from(out))
            }
            Kind::Time => {
                let mut out = Vec::with_capacity(rows);
                for i in 0..rows {
                    out.push(if null(i) {
                        None
                    } else {
                        Some(time(int(0, i), int(1, i), sec(i))?)
                    });
                }
                Arc::new(Time64MicrosecondArray::from(out))
            }
            Kind::Timestamp | Kind::Timestamptz => {
                let session = args
                    .config_options
                    .execution
                    .time_zone
                    .clone()
                    .unwrap_or_else(|| "UTC".into());
                let session =
                    Tz::from_str(&session).or_else(|_| super::timezone::zone(&session))?;
                let mut cached: Option<(String, Tz)> = None;
                let mut out = Vec::with_capacity(rows);
                for i in 0..rows {
                    if null(i) {
                        out.push(None);
                        continue;
                    }
                    let d = date(int(0, i), int(1, i), int(2, i))?;
                    let t = time(int(3, i), int(4, i), sec(i))?;
                    let local =
                        d.and_hms_opt(0, 0, 0).expect("midnight") + Duration::microseconds(t);
                    out.push(Some(match (self.kind, zones) {
                        (Kind::Timestamp, _) => local.and_utc().timestamp_micros(),
                        (_, Some(z)) => {
                            let name = z.value(i);
                            if cached.as_ref().is_none_or(|(n, _)| n != name) {
                                cached = Some((name.to_string(), zone(name)?));
                            }
                            super::timezone::local_to_utc_micros(
                                local,
                                &cached.as_ref().expect("set above").1,
                            )
                        }
                        (_, None) => super::timezone::local_to_utc_micros(local, &session),
                    }));
                }
                let a = TimestampMicrosecondArray::from(out);
                if self.kind == Kind::Timestamptz {
                    Arc::new(a.with_timezone("UTC"))
                } else {
                    Arc::new(a)
                }
            }
            Kind::Interval => {
                let mut out = Vec::with_capacity(rows);
                for i in 0..rows {
                    out.push(if null(i) {
                        None
                    } else {
                        let f = [0, 1, 2, 3, 4, 5].map(|k| int(k, i));
                        Some(interval(f, sec(i))?)
                    });
                }
                Arc::new(IntervalMonthDayNanoArray::from(out))
            }
        };
        super::result(out, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An instant shown in UTC.
    fn utc(micros: i64) -> String {
        chrono::DateTime::from_timestamp_micros(micros)
            .expect("in range")
            .naive_utc()
            .to_string()
    }

    fn ts(y: i64, mo: i64, d: i64, h: i64, mi: i64, s: f64) -> Result<String> {
        let local =
            date(y, mo, d)?.and_hms_opt(0, 0, 0).unwrap() + Duration::microseconds(time(h, mi, s)?);
        Ok(local.to_string())
    }

    #[test]
    fn dates_as_postgres() {
        // PostgreSQL 15: make_date(2024, 2, 29) = 2024-02-29, (-44, 3, 15)
        // = 0044-03-15 BC, (1, 1, 1) = 0001-01-01.
        assert_eq!(date(2024, 2, 29).unwrap().to_string(), "2024-02-29");
        assert_eq!(date(-44, 3, 15).unwrap().to_string(), "-0043-03-15");
        assert_eq!(date(1, 1, 1).unwrap().to_string(), "0001-01-01");
        for (y, m, d, e) in [
            (0, 1, 1, "date field value out of range: 0-01-01"),
            (2024, 2, 30, "date field value out of range: 2024-02-30"),
            (5874898, 1, 1, "date out of range: 5874898-01-01"),
        ] {
            let got = date(y, m, d).unwrap_err().to_string();
            assert!(got.contains(e), "{got}");
        }
    }

    #[test]
    fn times_as_postgres() {
        // PostgreSQL 15: make_time(13, 45, 10.5) = 13:45:10.5; (24, 0, 0),
        // (23, 59, 60) and (23, 59, 59.9999999) = 24:00:00.
        assert_eq!(time(13, 45, 10.5).unwrap(), 49_510_500_000);
        for (h, m, s) in [(24, 0, 0.0), (23, 59, 60.0), (23, 59, 59.9999999)] {
            assert_eq!(time(h, m, s).unwrap(), MICROS_PER_DAY);
        }
        for (h, m, s, e) in [
            (-1, 0, 0.0, "time field value out of range: -1:00:00"),
            (1, 2, -3.0, "time field value out of range: 1:02:-3"),
            (0, 60, 0.0, "time field value out of range: 0:60:00"),
            (
                0,
                0,
                f64::INFINITY,
                "time field value out of range: 0:00:Infinity",
            ),
            (24, 0, 1.0, "time field value out of range: 24:00:01"),
        ] {
            let got = time(h, m, s).unwrap_err().to_string();
            assert!(got.contains(e), "{got}");
        }
    }

    #[test]
    fn timestamps_as_postgres() {
        // PostgreSQL 15 (shown as chrono does: BC years astronomical).
        for (args, want) in [
            (
                (2024, 2, 29, 13, 45, 10.123456),
                "2024-02-29 13:45:10.123456",
            ),
            ((2024, 2, 29, 24, 0, 0.0), "2024-03-01 00:00:00"),
            ((2024, 2, 29, 23, 59, 60.0), "2024-03-01 00:00:00"),
            ((2024, 1, 1, 0, 0, 59.9999999), "2024-01-01 00:01:00"),
            ((-44, 3, 15, 12, 0, 0.0), "-0043-03-15 12:00:00"),
        ] {
            let (y, mo, d, h, mi, s) = args;
            assert_eq!(ts(y, mo, d, h, mi, s).unwrap(), want);
        }
    }

    #[test]
    fn zones_as_postgres() {
        let local = |y, mo, d, h, mi| date(y, mo, d).unwrap().and_hms_opt(h, mi, 0).unwrap();
        // PostgreSQL 15, in UTC: make_timestamptz(2024, 2, 29, 13, 45, 0,
        // 'Europe/Paris') = 12:45; '+02' is east: 12:00 → 10:00; the gap
        // 2024-03-31 02:30 Paris → 01:30; the overlap 2024-10-27 02:30
        // Paris → 01:30.
        for ((y, mo, d, h, mi), z, want) in [
            ((2024, 2, 29, 13, 45), "Europe/Paris", "2024-02-29 12:45:00"),
            ((2024, 7, 1, 12, 0), "+02", "2024-07-01 10:00:00"),
            ((2024, 7, 1, 12, 0), "-03:30", "2024-07-01 15:30:00"),
            ((2024, 7, 1, 12, 0), "UTC", "2024-07-01 12:00:00"),
            ((2024, 3, 31, 2, 30), "Europe/Paris", "2024-03-31 01:30:00"),
            ((2024, 10, 27, 2, 30), "Europe/Paris", "2024-10-27 01:30:00"),
        ] {
            let tz = zone(z).unwrap();
            assert_eq!(
                utc(crate::pg::timezone::local_to_utc_micros(
                    local(y, mo, d, h, mi),
                    &tz
                )),
                want,
                "{z}"
            );
        }
        let e = zone("Mars/Olympus").unwrap_err().to_string();
        assert!(
            e.contains("time zone \"Mars/Olympus\" not recognized"),
            "{e}"
        );
    }

    #[test]
    fn intervals_as_postgres() {
        const S: i64 = 1_000_000_000;
        let iv = |f: [i64; 6], s: f64| interval(f, s).unwrap();
        let want = |m, d, ns| IntervalMonthDayNano::new(m, d, ns);
        // PostgreSQL 15: make_interval(days => 10) = 10 days,
        // (years => 1, months => 2) = 1 year 2 mons, (hours => 36) =
        // 36:00:00, (mins => 90, secs => 30.5) = 01:30:30.5,
        // (weeks => 2, days => 1) = 15 days, (0,0,0,0,0,0,0.001) =
        // 00:00:00.001, (1,2,3,4,5,6,7.25) = 1 year 2 mons 25 days
        // 05:06:07.25, secs 0.0000005 → 0, 0.0000015 → 00:00:00.000002,
        // (secs => -1.5, hours => 1) = 00:59:58.5, (years => 178956971)
        // = -178956970 years -4 mons.
        assert_eq!(iv([0, 0, 0, 10, 0, 0], 0.0), want(0, 10, 0));
        assert_eq!(iv([1, 2, 0, 0, 0, 0], 0.0), want(14, 0, 0));
        assert_eq!(iv([0, 0, 0, 0, 36, 0], 0.0), want(0, 0, 36 * 3600 * S));
        assert_eq!(iv([0, 0, 0, 0, 0, 90], 30.5), want(0, 0, 5430 * S + S / 2));
        assert_eq!(iv([0, 0, 2, 1, 0, 0], 0.0), want(0, 15, 0));
        assert_eq!(iv([0; 6], 0.001), want(0, 0, S / 1000));
        assert_eq!(
            iv([1, 2, 3, 4, 5, 6], 7.25),
            want(14, 25, (5 * 3600 + 6 * 60 + 7) * S + S / 4)
        );
        assert_eq!(iv([0; 6], 0.0000005), want(0, 0, 0));
        assert_eq!(iv([0; 6], 0.0000015), want(0, 0, 2000));
        assert_eq!(iv([0, 0, 0, 0, 1, 0], -1.5), want(0, 0, 3598 * S + S / 2));
        assert_eq!(
            iv([178956971, 0, 0, 0, 0, 0], 0.0),
            want(-178956970 * 12 - 4, 0, 0)
        );
        let e = interval([0; 6], f64::NAN).unwrap_err().to_string();
        assert!(e.contains("interval out of range"), "{e}");
    }
}

//! Text to `date`, `timestamp` and `timestamptz` as PostgreSQL 15's input
//! functions read it (`'01/02/2024'::date`, `timestamptz '2024-03-31
//! 02:30 Europe/Paris'`, `'Feb 29, 2024 1:30 PM'::timestamp`, `'today'`).
//!
//! Arrow's cast reads ISO 8601 only, errors on wall-clock times that DST
//! skipped or repeated, and knows no `DateStyle`. The SQL front end turns
//! explicit casts of text to these types into the functions here
//! (`pg_date_in`, `pg_timestamp_in`, `pg_timestamptz_in`), which follow
//! PostgreSQL's `ParseDateTime`/`DecodeDateTime` for the forms people and
//! tools write:
//!
//! - dates `2024-02-29`, `20240229`, `2024/02/29`, and with the session's
//!   field order (`DateStyle`, [`super::settings`]) `01/02/2024`,
//!   `01-02-2024`, `01.02.2024`, two-digit years (`24` is 2024, `70` 1970);
//!   month names (`Feb 29 2024`, `29 February 2024`, `2024-Feb-29`), week
//!   day names (ignored), `BC`/`AD`;
//! - times `13:45`, `13:45:10.123456` (rounded to microseconds), `24:00`,
//!   `AM`/`PM`, an ISO `T` between date and time;
//! - zones: `Z`, `UTC`/`GMT`, ISO offsets (`+02`, `-05:30`, `+0200`: east
//!   of Greenwich, unlike the POSIX offsets of `SET TimeZone`), common
//!   abbreviations (`CET`, `CEST`, `EST`, `PDT`…) and IANA names
//!   (`Europe/Paris`, any case). A wall-clock time in a zone is resolved
//!   with PostgreSQL's DST rules ([`super::timezone::local_to_utc_micros`]);
//!   without a zone, `timestamptz` reads it in the session's `TimeZone`;
//!   `timestamp` and `date` ignore zones;
//! - `epoch`, `now`, `today`, `tomorrow`, `yesterday` (the last three at
//!   midnight in the session's `TimeZone`), `infinity` and `-infinity`
//!   (the largest and smallest values of the type, [`DATE_INFINITY`],
//!   [`TIMESTAMP_INFINITY`]…, printed back as `infinity`).
//!
//! Errors carry PostgreSQL's messages: `invalid input syntax for type date:
//! "…"` (SQLSTATE 22007), `date/time field value out of range: "…"`
//! (22008). `infinity` is refused: Arrow's timestamps have no infinities.

#[cfg(test)]
use std::str::FromStr;
use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta, Utc};
use datafusion::arrow::array::timezone::Tz;
use datafusion::arrow::array::{
    ArrayRef, AsArray, Date32Array, StringArray, TimestampMicrosecondArray,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, TimeUnit};
use datafusion::common::{DataFusionError, Result, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

use super::settings::DateOrder;
use super::timezone::{local_to_utc_micros, session_zone};

mod fields;

use fields::{InputError, Parsed, Special, Zone, offset, parse};

/// The type a text is read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `date`
    Date,
    /// `timestamp` (without time zone)
    Timestamp,
    /// `timestamptz`, an instant (Arrow: microseconds tagged `UTC`).
    Timestamptz,
}

impl Kind {
    /// The Arrow type of the function's result.
    pub fn data_type(self) -> DataType {
        match self {
            Kind::Date => DataType::Date32,
            Kind::Timestamp => DataType::Timestamp(TimeUnit::Microsecond, None),
            Kind::Timestamptz => DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
        }
    }

    /// The kind of a cast's target type, if it is one of these.
    pub fn of_target(t: &DataType) -> Option<Kind> {
        match t {
            DataType::Date32 | DataType::Date64 => Some(Kind::Date),
            DataType::Timestamp(_, None) => Some(Kind::Timestamp),
            DataType::Timestamp(_, Some(_)) => Some(Kind::Timestamptz),
            _ => None,
        }
    }

    fn pg_name(self) -> &'static str {
        match self {
            Kind::Date => "date",
            Kind::Timestamp => "timestamp",
            Kind::Timestamptz => "timestamp with time zone",
        }
    }
}

/// The function reading text as `kind`.
pub fn udf(kind: Kind) -> ScalarUDF {
    ScalarUDF::new_from_impl(DatetimeIn {
        kind,
        // Stable: `today`, `now` and the session's TimeZone and DateStyle.
        signature: Signature::user_defined(Volatility::Stable),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct DatetimeIn {
    kind: Kind,
    signature: Signature,
}

impl ScalarUDFImpl for DatetimeIn {
    fn name(&self) -> &str {
        match self.kind {
            Kind::Date => "pg_date_in",
            Kind::Timestamp => "pg_timestamp_in",
            Kind::Timestamptz => "pg_timestamptz_in",
        }
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        match arg_types {
            [DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8 | DataType::Null] => {
                Ok(vec![DataType::Utf8])
            }
            _ => plan_err!("{}: expected text, got {arg_types:?}", self.name()),
        }
    }
    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(self.kind.data_type())
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = matches!(args.args[0], ColumnarValue::Scalar(_));
        let input = cast(&args.args[0].to_array(args.number_rows)?, &DataType::Utf8)?;
        let texts: &StringArray = input.as_string::<i32>();
        let session = Session {
            zone: session_zone(&args.config_options)?,
            order: DateOrder::of_session(&args.config_options),
        };
        let out: ArrayRef = match self.kind {
            Kind::Date => {
                let days = texts
                    .iter()
                    .map(|t| t.map(|t| date_in(t, &session)).transpose())
                    .collect::<Result<Date32Array>>()?;
                Arc::new(days)
            }
            Kind::Timestamp | Kind::Timestamptz => {
                let micros = texts
                    .iter()
                    .map(|t| t.map(|t| timestamp_in(t, self.kind, &session)).transpose())
                    .collect::<Result<TimestampMicrosecondArray>>()?;
                Arc::new(match self.kind {
                    Kind::Timestamptz => micros.with_timezone("UTC"),
                    _ => micros,
                })
            }
        };
        super::result(out, scalar)
    }
}

/// `'infinity'::date` (PostgreSQL's `DATEVAL_NOEND`: the largest value,
/// so it sorts and compares after every date, and is sent so in binary).
pub const DATE_INFINITY: i32 = i32::MAX;
/// `'-infinity'::date` (`DATEVAL_NOBEGIN`).
pub const DATE_NEG_INFINITY: i32 = i32::MIN;
/// `'infinity'::timestamp[tz]` (`DT_NOEND`), in microseconds.
pub const TIMESTAMP_INFINITY: i64 = i64::MAX;
/// `'-infinity'::timestamp[tz]` (`DT_NOBEGIN`).
pub const TIMESTAMP_NEG_INFINITY: i64 = i64::MIN;

/// What the input functions need from the session.
pub struct Session {
    /// `TimeZone`.
    pub zone: Tz,
    /// `DateStyle`'s field order.
    pub order: DateOrder,
}

/// `text::date`: days since 1970-01-01.
pub fn date_in(text: &str, session: &Session) -> Result<i32> {
    let local = match fast_iso(text) {
        Some((t, _)) => t,
        None => match parse(text).map_err(|e| e.into_error(text, Kind::Date))? {
            Parsed::Special(Special::Infinity) => return Ok(DATE_INFINITY),
            Parsed::Special(Special::NegInfinity) => return Ok(DATE_NEG_INFINITY),
            Parsed::Special(s) => special_local(s, session),
            Parsed::Fields(f) => {
                f.resolve(session.order)
                    .map_err(|e| e.into_error(text, Kind::Date))?
                    .0
            }
        },
    };
    Ok((local.date() - NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")).num_days() as i32)
}

/// `text::timestamp` or `text::timestamptz`: microseconds since the epoch
/// (an instant for `timestamptz`, wall-clock time for `timestamp`).
pub fn timestamp_in(text: &str, kind: Kind, session: &Session) -> Result<i64> {
    let (local, zone) = match fast_iso(text) {
        Some((t, offset)) => (t, offset.map(Zone::Fixed)),
        None => match parse(text).map_err(|e| e.into_error(text, kind))? {
            Parsed::Special(Special::Now) => {
                let now = Utc::now();
                return Ok(match kind {
                    Kind::Timestamptz => now.timestamp_micros(),
                    _ => now
                        .with_timezone(&session.zone)
                        .naive_local()
                        .and_utc()
                        .timestamp_micros(),
                });
            }
            Parsed::Special(Special::Epoch) => return Ok(0),
            Parsed::Special(Special::Infinity) => return Ok(TIMESTAMP_INFINITY),
            Parsed::Special(Special::NegInfinity) => return Ok(TIMESTAMP_NEG_INFINITY),
            Parsed::Special(s) => (special_local(s, session), None),
            Parsed::Fields(f) => f
                .resolve(session.order)
                .map_err(|e| e.into_error(text, kind))?,
        },
    };
    Ok(match (kind, zone) {
        (Kind::Timestamptz, Some(Zone::Fixed(east))) => (local
            - TimeDelta::seconds(i64::from(east)))
        .and_utc()
        .timestamp_micros(),
        (Kind::Timestamptz, Some(Zone::Named(tz))) => local_to_utc_micros(local, &tz),
        (Kind::Timestamptz, None) => local_to_utc_micros(local, &session.zone),
        _ => local.and_utc().timestamp_micros(),
    })
}

/// `YYYY-MM-DD` or `YYYY-MM-DD HH:MM[:SS[.fraction]]` (space or `T`),
/// optionally with `Z` or an ISO offset (`+02`, `-05:30`): most text in
/// data files and JSON events, read without the general parser. The offset
/// is seconds east of Greenwich.
fn fast_iso(text: &str) -> Option<(NaiveDateTime, Option<i32>)> {
    let b = text.as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<u32> {
        let digits = b.get(range)?;
        digits.iter().try_fold(0u32, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)?;
    if b.len() == 10 {
        return Some((date.and_time(chrono::NaiveTime::MIN), None));
    }
    if !(b[10] == b' ' || b[10] == b'T') || b.len() < 16 || b[13] != b':' {
        return None;
    }
    let (h, m) = (num(11..13)?, num(14..16)?);
    let mut at = 16;
    let mut s = 0u32;
    let mut micros = 0u32;
    if b.get(at) == Some(&b':') {
        s = num(17..19)?;
        at = 19;
        if b.get(at) == Some(&b'.') {
            let digits = b[at + 1..]
                .iter()
                .take_while(|d| d.is_ascii_digit())
                .count();
            if digits == 0 || digits > 6 {
                return None;
            }
            micros = num(at + 1..at + 1 + digits)? * 10u32.pow(6 - digits as u32);
            at += 1 + digits;
        }
    }
    let offset = match &b[at..] {
        [] => None,
        [b'Z' | b'z'] => Some(0),
        [b'+' | b'-', ..] => Some(offset(&text[at..])?),
        _ => return None,
    };
    if h > 23 || m > 59 || s > 59 {
        return None;
    }
    Some((date.and_hms_micro_opt(h, m, s, micros)?, offset))
}

/// Midnight of `today`/`tomorrow`/`yesterday` in the session's zone (or the
/// epoch), as wall-clock time.
fn special_local(s: Special, session: &Session) -> NaiveDateTime {
    let today = Utc::now().with_timezone(&session.zone).date_naive();
    let day = match s {
        Special::Epoch => NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch"),
        Special::Tomorrow => today + TimeDelta::days(1),
        Special::Yesterday => today - TimeDelta::days(1),
        Special::Today | Special::Now => today,
        Special::Infinity => NaiveDate::MAX,
        Special::NegInfinity => NaiveDate::MIN,
    };
    day.and_time(chrono::NaiveTime::MIN)
}

impl InputError {
    fn into_error(self, text: &str, kind: Kind) -> DataFusionError {
        DataFusionError::Execution(match self {
            InputError::Syntax => {
                format!(
                    "invalid input syntax for type {}: \"{text}\"",
                    kind.pg_name()
                )
            }
            InputError::Range => format!("date/time field value out of range: \"{text}\""),
            InputError::Zone(z) => format!("time zone \"{z}\" not recognized"),
        })
    }
}

/// Year, month and day of `text` read as a date in `order`.
#[cfg(test)]
fn ymd_of(text: &str, order: DateOrder) -> Option<(i32, u32, u32)> {
    let s = Session {
        zone: Tz::from_str("UTC").ok()?,
        order,
    };
    let days = date_in(text, &s).ok()?;
    let d = NaiveDate::from_ymd_opt(1970, 1, 1)? + TimeDelta::days(i64::from(days));
    use chrono::Datelike;
    Some((d.year(), d.month(), d.day()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(zone: &str, order: DateOrder) -> Session {
        Session {
            zone: Tz::from_str(zone).unwrap(),
            order,
        }
    }

    fn tstz(text: &str, zone: &str) -> String {
        let micros = timestamp_in(text, Kind::Timestamptz, &session(zone, DateOrder::Mdy)).unwrap();
        chrono::DateTime::from_timestamp_micros(micros)
            .unwrap()
            .format("%Y-%m-%d %H:%M:%S%.f")
            .to_string()
    }

    fn ts(text: &str) -> String {
        let micros = timestamp_in(text, Kind::Timestamp, &session("UTC", DateOrder::Mdy)).unwrap();
        chrono::DateTime::from_timestamp_micros(micros)
            .unwrap()
            .format("%Y-%m-%d %H:%M:%S%.f")
            .to_string()
    }

    #[test]
    fn dates_in_the_session_order() {
        use DateOrder::*;
        assert_eq!(ymd_of("2024-02-29", Mdy), Some((2024, 2, 29)));
        assert_eq!(ymd_of("01/02/2024", Mdy), Some((2024, 1, 2)));
        assert_eq!(ymd_of("01/02/2024", Dmy), Some((2024, 2, 1)));
        assert_eq!(ymd_of("01.02.2024", Dmy), Some((2024, 2, 1)));
        assert_eq!(ymd_of("01-02-24", Dmy), Some((2024, 2, 1)));
        assert_eq!(ymd_of("01-02-24", Mdy), Some((2024, 1, 2)));
        assert_eq!(ymd_of("01-02-70", Dmy), Some((1970, 2, 1)));
        assert_eq!(ymd_of("2024/02/01", Dmy), Some((2024, 2, 1)));
        assert_eq!(ymd_of("24/02/01", Ymd), Some((2024, 2, 1)));
        assert_eq!(ymd_of("20240229", Mdy), Some((2024, 2, 29)));
        assert_eq!(ymd_of("Feb 29 2024", Mdy), Some((2024, 2, 29)));
        assert_eq!(ymd_of("29 February 2024", Mdy), Some((2024, 2, 29)));
        assert_eq!(ymd_of("February 29, 2024", Mdy), Some((2024, 2, 29)));
        assert_eq!(ymd_of("2024-Feb-29", Mdy), Some((2024, 2, 29)));
        assert_eq!(ymd_of("29-feb-2024", Mdy), Some((2024, 2, 29)));
        assert_eq!(ymd_of("Feb-29-2024", Mdy), Some((2024, 2, 29)));
        assert_eq!(
            ymd_of("Thursday, February 29, 2024", Mdy),
            Some((2024, 2, 29))
        );
        assert_eq!(ymd_of("2024-02-29 13:45:10+02", Mdy), Some((2024, 2, 29)));
        assert_eq!(ymd_of("  2024-02-29  ", Mdy), Some((2024, 2, 29)));
        assert_eq!(ymd_of("0044-03-15 BC", Mdy), Some((-43, 3, 15)));
    }

    #[test]
    fn errors_as_postgres_words_them() {
        let s = session("UTC", DateOrder::Mdy);
        let msg = |t: &str| date_in(t, &s).unwrap_err().to_string();
        assert!(msg("2024-02-30").contains("date/time field value out of range: \"2024-02-30\""));
        assert!(msg("13/01/2024").contains("out of range"));
        assert!(msg("hello").contains("invalid input syntax for type date: \"hello\""));
        assert!(
            msg("2024-01-01 10:00 Mars/Olympus")
                .contains("time zone \"mars/olympus\" not recognized")
        );
        assert!(msg("2024-02").contains("invalid input syntax for type date: \"2024-02\""));
        assert!(msg("").contains("invalid input syntax"));
        assert_eq!(date_in("infinity", &s).unwrap(), DATE_INFINITY);
        assert_eq!(date_in(" -Infinity ", &s).unwrap(), DATE_NEG_INFINITY);
        assert_eq!(
            timestamp_in("+infinity", Kind::Timestamptz, &s).unwrap(),
            TIMESTAMP_INFINITY
        );
        let t = timestamp_in("2024-02-29 25:00", Kind::Timestamp, &s).unwrap_err();
        assert!(t.to_string().contains("out of range"));
    }

    #[test]
    fn times_and_zones() {
        assert_eq!(
            ts("2024-02-29T13:45:10.1234567"),
            "2024-02-29 13:45:10.123457"
        );
        assert_eq!(ts("2024-02-29 1:30 PM"), "2024-02-29 13:30:00");
        assert_eq!(ts("2024-02-29 12:05 am"), "2024-02-29 00:05:00");
        assert_eq!(ts("2024-02-29 24:00"), "2024-03-01 00:00:00");
        // A zone is ignored by timestamp, read by timestamptz.
        assert_eq!(ts("2024-02-29 10:00+02"), "2024-02-29 10:00:00");
        assert_eq!(tstz("2024-02-29 10:00+02", "UTC"), "2024-02-29 08:00:00");
        assert_eq!(
            tstz("2024-02-29 10:00:00-05:30", "UTC"),
            "2024-02-29 15:30:00"
        );
        assert_eq!(
            tstz("2024-02-29T10:00:00Z", "Europe/Paris"),
            "2024-02-29 10:00:00"
        );
        assert_eq!(tstz("2024-02-29 10:00 CET", "UTC"), "2024-02-29 09:00:00");
        assert_eq!(
            tstz("2024-07-01 10:00 europe/paris", "UTC"),
            "2024-07-01 08:00:00"
        );
        // No zone: the session's.
        assert_eq!(
            tstz("2024-07-01 10:00", "Europe/Paris"),
            "2024-07-01 08:00:00"
        );
        // DST: skipped times take the offset before the change, repeated
        // times the later instant (PostgreSQL's rules).
        assert_eq!(
            tstz("2024-03-31 02:30:00 Europe/Paris", "UTC"),
            "2024-03-31 01:30:00"
        );
        assert_eq!(
            tstz("2024-10-27 02:30:00 Europe/Paris", "UTC"),
            "2024-10-27 01:30:00"
        );
        assert_eq!(
            tstz("2024-03-31 02:30:00", "Europe/Paris"),
            "2024-03-31 01:30:00"
        );
        assert_eq!(tstz("epoch", "Europe/Paris"), "1970-01-01 00:00:00");
    }

    #[test]
    fn fast_path_agrees_with_the_general_one() {
        for t in [
            "2024-02-29",
            "2024-02-29 13:45",
            "2024-02-29 13:45:10",
            "2024-02-29T13:45:10.5",
            "2024-02-29 13:45:10.000001",
            "2024-02-29T13:45:10.123Z",
            "2024-02-29 13:45:10+02",
            "2024-02-29 13:45-05:30",
        ] {
            let fast = fast_iso(t).unwrap();
            let Ok(Parsed::Fields(f)) = parse(t) else {
                panic!("{t}")
            };
            let (local, zone) = f.resolve(DateOrder::Mdy).unwrap();
            let zone = zone.map(|z| match z {
                Zone::Fixed(s) => s,
                Zone::Named(_) => panic!("{t}"),
            });
            assert_eq!((local, zone), fast, "{t}");
        }
        assert!(fast_iso("2024-02-30").is_none());
        assert!(fast_iso("2024-02-29 13:45:10 Europe/Paris").is_none());
        assert!(fast_iso("2024-02-29 13:45:10.1234567").is_none());
    }
}

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
//!   midnight in the session's `TimeZone`).
//!
//! Errors carry PostgreSQL's messages: `invalid input syntax for type date:
//! "…"` (SQLSTATE 22007), `date/time field value out of range: "…"`
//! (22008). `infinity` is refused: Arrow's timestamps have no infinities.

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

/// Words that stand for a whole value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Special {
    Epoch,
    Now,
    Today,
    Tomorrow,
    Yesterday,
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
    };
    day.and_time(chrono::NaiveTime::MIN)
}

/// A zone named in the text.
#[derive(Clone, Debug)]
enum Zone {
    /// Seconds east of Greenwich.
    Fixed(i32),
    Named(Tz),
}

/// Why a text was refused.
#[derive(Debug, PartialEq, Eq)]
enum InputError {
    /// Not a date/time at all.
    Syntax,
    /// A field out of its range (`2024-02-30`, month 13).
    Range,
    /// An unknown zone name.
    Zone(String),
    /// A form Tessera does not read (`infinity`).
    Unsupported(&'static str),
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
            InputError::Unsupported(what) => {
                format!("{what} is not supported for type {}", kind.pg_name())
            }
        })
    }
}

enum Parsed {
    Special(Special),
    Fields(Fields),
}

/// The fields found in a text, before they are checked and combined.
#[derive(Default, Debug)]
struct Fields {
    /// A date written with separators: its parts, as written.
    date_parts: Option<Vec<String>>,
    /// Bare numbers (`29`, `2024` next to a month name).
    numbers: Vec<String>,
    month_name: Option<u32>,
    /// Hours, minutes, seconds, microseconds.
    time: Option<(u32, u32, u32, u32)>,
    pm: Option<bool>,
    bc: bool,
    zone: Option<Zone>,
}

fn parse(text: &str) -> std::result::Result<Parsed, InputError> {
    let trimmed = text.trim();
    match trimmed.to_ascii_lowercase().as_str() {
        "epoch" => return Ok(Parsed::Special(Special::Epoch)),
        "now" => return Ok(Parsed::Special(Special::Now)),
        "today" => return Ok(Parsed::Special(Special::Today)),
        "tomorrow" => return Ok(Parsed::Special(Special::Tomorrow)),
        "yesterday" => return Ok(Parsed::Special(Special::Yesterday)),
        "infinity" | "+infinity" | "-infinity" => {
            return Err(InputError::Unsupported("infinity"));
        }
        "" => return Err(InputError::Syntax),
        _ => {}
    }
    let mut f = Fields::default();
    for token in trimmed.split(|c: char| c.is_whitespace() || c == ',') {
        if token.is_empty() {
            continue;
        }
        f.token(token)?;
    }
    Ok(Parsed::Fields(f))
}

impl Fields {
    fn token(&mut self, token: &str) -> std::result::Result<(), InputError> {
        let first = token.chars().next().unwrap_or(' ');
        if first.is_ascii_digit() {
            // ISO's `T` between a date and a time.
            if let Some(t) = token.find(['T', 't'])
                && token[..t].contains(['-', '/', '.'])
                && token[t + 1..].starts_with(|c: char| c.is_ascii_digit())
            {
                self.token(&token[..t])?;
                return self.token(&token[t + 1..]);
            }
            if token.contains(':') {
                return self.time_with_zone(token);
            }
            if token.contains(['-', '/', '.']) {
                if self.date_parts.is_some() {
                    return Err(InputError::Syntax);
                }
                let parts: Vec<String> = token.split(['-', '/', '.']).map(str::to_string).collect();
                if parts.len() != 3 || parts.iter().any(String::is_empty) {
                    return Err(InputError::Syntax);
                }
                self.date_parts = Some(parts);
                return Ok(());
            }
            if token.chars().all(|c| c.is_ascii_digit()) {
                self.numbers.push(token.to_string());
                return Ok(());
            }
            return Err(InputError::Syntax);
        }
        if first == '+' || first == '-' {
            // An ISO offset after a time or date.
            self.zone = Some(Zone::Fixed(offset(token).ok_or(InputError::Syntax)?));
            return Ok(());
        }
        if first.is_alphabetic() {
            // `Feb-29-2024`: a date led by a month name.
            let parts: Vec<String> = token.split(['-', '/']).map(str::to_string).collect();
            if parts.len() == 3 && month(&parts[0].to_ascii_lowercase()).is_some() {
                if self.date_parts.replace(parts).is_some() {
                    return Err(InputError::Syntax);
                }
                return Ok(());
            }
            let word = token.trim_end_matches('.').to_ascii_lowercase();
            if let Some(m) = month(&word) {
                if self.month_name.replace(m).is_some() {
                    return Err(InputError::Syntax);
                }
                return Ok(());
            }
            if WEEKDAYS.iter().any(|d| word == d[..3] || word == *d) {
                return Ok(());
            }
            match word.as_str() {
                "am" => self.pm = Some(false),
                "pm" => self.pm = Some(true),
                "bc" => self.bc = true,
                "ad" => self.bc = false,
                "t" => {}
                _ => {
                    // PostgreSQL: an unknown word is a syntax error, an
                    // unknown `Area/City` an unknown zone.
                    let zone = zone_word(token).ok_or_else(|| {
                        if token.contains('/') {
                            InputError::Zone(token.to_lowercase())
                        } else {
                            InputError::Syntax
                        }
                    })?;
                    if self.zone.replace(zone).is_some() {
                        return Err(InputError::Syntax);
                    }
                }
            }
            return Ok(());
        }
        Err(InputError::Syntax)
    }

    /// `13:45`, `13:45:10.5`, with a zone glued on (`13:45:10+02`, `…Z`).
    fn time_with_zone(&mut self, token: &str) -> std::result::Result<(), InputError> {
        if self.time.is_some() {
            return Err(InputError::Syntax);
        }
        let (clock, zone) = match token.find(['+', '-']) {
            Some(i) => (&token[..i], Some(&token[i..])),
            None => match token.strip_suffix(['Z', 'z']) {
                Some(c) => (c, Some("Z")),
                None => (token, None),
            },
        };
        let mut parts = clock.split(':');
        let h = parts.next().ok_or(InputError::Syntax)?;
        let m = parts.next().ok_or(InputError::Syntax)?;
        let s = parts.next().unwrap_or("0");
        if parts.next().is_some() || h.is_empty() || m.is_empty() {
            return Err(InputError::Syntax);
        }
        let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
        let int = |p: &str| -> std::result::Result<u32, InputError> {
            if p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()) || p.len() > 9 {
                return Err(InputError::Syntax);
            }
            p.parse().map_err(|_| InputError::Syntax)
        };
        let micros = if frac.is_empty() {
            0
        } else {
            if !frac.chars().all(|c| c.is_ascii_digit()) {
                return Err(InputError::Syntax);
            }
            // Rounded to microseconds, as PostgreSQL does.
            let digits: f64 = format!("0.{frac}")
                .parse()
                .map_err(|_| InputError::Syntax)?;
            (digits * 1e6).round() as u32
        };
        self.time = Some((int(h)?, int(m)?, int(whole)?, micros));
        if let Some(z) = zone {
            let zone = if z == "Z" {
                Zone::Fixed(0)
            } else {
                Zone::Fixed(offset(z).ok_or(InputError::Syntax)?)
            };
            self.zone = Some(zone);
        }
        Ok(())
    }

    /// The wall-clock date and time, and the zone named.
    fn resolve(
        self,
        order: DateOrder,
    ) -> std::result::Result<(NaiveDateTime, Option<Zone>), InputError> {
        let (year, month, day, two_digit_year) = self.ymd(order)?;
        let mut year = year;
        if two_digit_year && !self.bc {
            year += if year < 70 { 2000 } else { 1900 };
        }
        if self.bc {
            if year <= 0 {
                return Err(InputError::Range);
            }
            year = 1 - year;
        }
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return Err(InputError::Range);
        }
        let date = NaiveDate::from_ymd_opt(year, month, day).ok_or(InputError::Range)?;
        let (mut h, m, s, micros) = self.time.unwrap_or((0, 0, 0, 0));
        match self.pm {
            Some(_) if h > 12 => return Err(InputError::Range),
            Some(false) if h == 12 => h = 0,
            Some(true) if h < 12 => h += 12,
            _ => {}
        }
        // 24:00:00 is the next midnight; a 60th second rolls over.
        let in_range =
            m <= 59 && s <= 60 && (h < 24 || (h == 24 && m == 0 && s == 0 && micros == 0));
        if !in_range {
            return Err(InputError::Range);
        }
        let at = date.and_time(chrono::NaiveTime::MIN)
            + TimeDelta::hours(i64::from(h))
            + TimeDelta::minutes(i64::from(m))
            + TimeDelta::seconds(i64::from(s))
            + TimeDelta::microseconds(i64::from(micros));
        Ok((at, self.zone))
    }

    /// Year, month, day, and whether the year was written with two digits.
    fn ymd(&self, order: DateOrder) -> std::result::Result<(i32, u32, u32, bool), InputError> {
        let num = |s: &str| -> std::result::Result<i64, InputError> {
            s.parse::<i64>().map_err(|_| InputError::Syntax)
        };
        let year_of = |s: &str| -> std::result::Result<(i32, bool), InputError> {
            let y = num(s)?;
            Ok((
                i32::try_from(y).map_err(|_| InputError::Range)?,
                s.len() <= 2,
            ))
        };
        let small = |s: &str| -> std::result::Result<u32, InputError> {
            u32::try_from(num(s)?).map_err(|_| InputError::Range)
        };
        if let Some(parts) = &self.date_parts {
            if !self.numbers.is_empty() || self.month_name.is_some() {
                return Err(InputError::Syntax);
            }
            let [a, b, c] = [&parts[0], &parts[1], &parts[2]];
            let named = parts
                .iter()
                .position(|p| month(&p.to_ascii_lowercase()).is_some());
            let all_digits = |p: &String| p.chars().all(|c| c.is_ascii_digit());
            if let Some(i) = named {
                let m = month(&parts[i].to_ascii_lowercase()).expect("month");
                let rest: Vec<&String> = parts
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, p)| p)
                    .collect();
                if !rest.iter().all(|p| all_digits(p)) {
                    return Err(InputError::Syntax);
                }
                let (y, d) = if rest[0].len() > 2 {
                    (rest[0], rest[1])
                } else {
                    (rest[1], rest[0])
                };
                let (y, two) = year_of(y)?;
                return Ok((y, m, small(d)?, two));
            }
            if !parts.iter().all(all_digits) {
                return Err(InputError::Syntax);
            }
            let (y, m, d) = if a.len() > 2 {
                (a, b, c)
            } else {
                match order {
                    DateOrder::Mdy => (c, a, b),
                    DateOrder::Dmy => (c, b, a),
                    DateOrder::Ymd => (a, b, c),
                }
            };
            let (y, two) = year_of(y)?;
            return Ok((y, small(m)?, small(d)?, two));
        }
        match (self.month_name, self.numbers.as_slice()) {
            // `Feb 29 2024`, `29 Feb 2024`, `February 29, 2024`.
            (Some(m), [x, y]) => {
                let (day, year) = if x.len() > 2 { (y, x) } else { (x, y) };
                let (year, two) = year_of(year)?;
                Ok((year, m, small(day)?, two))
            }
            // `20240229`, `240229`.
            (None, [n]) if n.len() == 8 => Ok((
                year_of(&n[..4])?.0,
                small(&n[4..6])?,
                small(&n[6..])?,
                false,
            )),
            (None, [n]) if n.len() == 6 => {
                let (y, two) = year_of(&n[..2])?;
                Ok((y, small(&n[2..4])?, small(&n[4..])?, two))
            }
            _ => Err(InputError::Syntax),
        }
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// `jan`, `january`, `sept` → 1..=12.
fn month(word: &str) -> Option<u32> {
    if word == "sept" {
        return Some(9);
    }
    MONTHS
        .iter()
        .position(|m| word.len() >= 3 && (word == &m[..3] || word == *m))
        .map(|i| i as u32 + 1)
}

/// `+02`, `-05:30`, `+0200`: seconds east of Greenwich (ISO 8601's sign).
fn offset(text: &str) -> Option<i32> {
    let (sign, body) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let digits: String = body.chars().filter(|c| *c != ':').collect();
    if digits.is_empty() || digits.len() > 6 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (h, m, s) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0, 0),
        3 | 4 => {
            let split = digits.len() - 2;
            (
                digits[..split].parse().ok()?,
                digits[split..].parse().ok()?,
                0,
            )
        }
        _ => {
            let n = digits.len();
            (
                digits[..n - 4].parse().ok()?,
                digits[n - 4..n - 2].parse().ok()?,
                digits[n - 2..].parse().ok()?,
            )
        }
    };
    if h > 15 || m > 59 || s > 59 {
        return None;
    }
    Some(sign * (h * 3600 + m * 60 + s))
}

/// A zone written as a word: `UTC`, an abbreviation PostgreSQL's default
/// `timezone_abbreviations` knows, or an IANA name.
fn zone_word(word: &str) -> Option<Zone> {
    let hours = |h: i32| Some(Zone::Fixed(h * 3600));
    match word.to_ascii_lowercase().as_str() {
        "z" | "zulu" | "utc" | "gmt" | "ut" => hours(0),
        "wet" => hours(0),
        "bst" | "cet" | "west" | "met" => hours(1),
        "cest" | "eet" | "mest" => hours(2),
        "eest" | "msk" => hours(3),
        "est" => hours(-5),
        "edt" | "cdt" => hours(if word.eq_ignore_ascii_case("edt") {
            -4
        } else {
            -5
        }),
        "cst" => hours(-6),
        "mst" => hours(-7),
        "mdt" => hours(-6),
        "pst" => hours(-8),
        "pdt" => hours(-7),
        "akst" => hours(-9),
        "akdt" => hours(-8),
        "hst" => hours(-10),
        "jst" => hours(9),
        "kst" => hours(9),
        "aest" => hours(10),
        "aedt" => hours(11),
        "nzst" => hours(12),
        "nzdt" => hours(13),
        _ => {
            // Zone names are case-insensitive in PostgreSQL.
            let tz = chrono_tz::TZ_VARIANTS
                .iter()
                .find(|tz| tz.name().eq_ignore_ascii_case(word))?;
            Tz::from_str(tz.name()).ok().map(Zone::Named)
        }
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
        assert!(msg("infinity").contains("infinity is not supported"));
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

//! Truncating microsecond timestamps on a zone's wall clock, as PostgreSQL's
//! `timestamptz_trunc_internal` does: the instant is read as local time in
//! the zone, the fields below the unit are cleared, and the local result is
//! turned back into an instant. For units of a day and more the zone's
//! offset is looked up again for the result (`DetermineTimeZoneOffset`: in
//! a spring-forward gap the offset before it, in a fall-back overlap the
//! later instant); for hours and below the input's own offset is kept, so
//! `date_trunc('hour', …)` inside a repeated hour stays in that hour.
//!
//! Units of a day and more are computed once per bucket: a batch of orders
//! over three years has 36 months, and each row finds its month's instant by
//! a binary search over the buckets met so far instead of two zone
//! conversions. A bucket is kept only when both of its ends are single
//! instants (no gap or overlap at a bucket edge), so every instant inside it
//! has the same local truncation.

use chrono::{
    DateTime, Datelike, Duration, LocalResult, Months, NaiveDate, NaiveDateTime, Offset, TimeZone,
};
use datafusion::arrow::array::timezone::Tz;
use datafusion::arrow::array::{Array, TimestampMicrosecondArray};
use datafusion::common::{Result, exec_err};

const MICROS_PER_SECOND: i64 = 1_000_000;

/// The units of `date_trunc`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Unit {
    Microsecond,
    Millisecond,
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Quarter,
    Year,
    Decade,
    Century,
    Millennium,
}

impl Unit {
    /// A unit by its PostgreSQL name or plural/abbreviation.
    pub(super) fn parse(s: &str) -> Option<Unit> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "microsecond" | "microseconds" | "us" | "usec" => Unit::Microsecond,
            "millisecond" | "milliseconds" | "ms" | "msec" => Unit::Millisecond,
            "second" | "seconds" | "sec" | "secs" => Unit::Second,
            "minute" | "minutes" | "min" | "mins" => Unit::Minute,
            "hour" | "hours" | "hr" | "hrs" => Unit::Hour,
            "day" | "days" => Unit::Day,
            "week" | "weeks" => Unit::Week,
            "month" | "months" | "mon" | "mons" => Unit::Month,
            "quarter" | "quarters" | "qtr" => Unit::Quarter,
            "year" | "years" | "yr" | "yrs" => Unit::Year,
            "decade" | "decades" => Unit::Decade,
            "century" | "centuries" => Unit::Century,
            "millennium" | "millenniums" | "millennia" => Unit::Millennium,
            _ => return None,
        })
    }

    /// The unit's singular name (DataFusion's for the units it knows).
    pub(super) fn name(self) -> &'static str {
        match self {
            Unit::Microsecond => "microsecond",
            Unit::Millisecond => "millisecond",
            Unit::Second => "second",
            Unit::Minute => "minute",
            Unit::Hour => "hour",
            Unit::Day => "day",
            Unit::Week => "week",
            Unit::Month => "month",
            Unit::Quarter => "quarter",
            Unit::Year => "year",
            Unit::Decade => "decade",
            Unit::Century => "century",
            Unit::Millennium => "millennium",
        }
    }

    /// The unit's length when it is a fixed number of microseconds of wall
    /// clock (hours and below).
    fn fixed_micros(self) -> Option<i64> {
        match self {
            Unit::Microsecond => Some(1),
            Unit::Millisecond => Some(1_000),
            Unit::Second => Some(MICROS_PER_SECOND),
            Unit::Minute => Some(60 * MICROS_PER_SECOND),
            Unit::Hour => Some(3_600 * MICROS_PER_SECOND),
            _ => None,
        }
    }

    /// The start of the local bucket holding `t` (units of a day and more).
    fn floor(self, t: NaiveDateTime) -> NaiveDateTime {
        let d = t.date();
        let first = |y: i32, m: u32| NaiveDate::from_ymd_opt(y, m, 1).expect("valid month");
        let date = match self {
            Unit::Week => d - Duration::days(i64::from(d.weekday().num_days_from_monday())),
            Unit::Month => first(d.year(), d.month()),
            Unit::Quarter => first(d.year(), 1 + 3 * ((d.month() - 1) / 3)),
            Unit::Year => first(d.year(), 1),
            Unit::Decade => first(d.year().div_euclid(10) * 10, 1),
            // PostgreSQL: the 21st century and 3rd millennium start in 2001.
            Unit::Century if d.year() > 0 => first((d.year() - 1) / 100 * 100 + 1, 1),
            Unit::Century => first(-((99 - d.year()) / 100 * 100) - 99, 1),
            Unit::Millennium if d.year() > 0 => first((d.year() - 1) / 1000 * 1000 + 1, 1),
            Unit::Millennium => first(-((999 - d.year()) / 1000 * 1000) - 999, 1),
            _ => d,
        };
        date.and_hms_opt(0, 0, 0).expect("midnight")
    }

    /// The start of the local bucket after the one starting at `t`.
    fn next(self, t: NaiveDateTime) -> Option<NaiveDateTime> {
        let months = |n: u32| t.checked_add_months(Months::new(n));
        match self {
            Unit::Week => t.checked_add_signed(Duration::days(7)),
            Unit::Month => months(1),
            Unit::Quarter => months(3),
            Unit::Year => months(12),
            Unit::Decade => months(120),
            Unit::Century => months(1_200),
            Unit::Millennium => months(12_000),
            _ => t.checked_add_signed(Duration::days(1)),
        }
    }
}

/// `values` truncated to `unit` on the wall clock of `tz` (`None`: the
/// values are wall-clock times already, a `timestamp` without zone).
/// `infinity` and `-infinity` stay.
pub(super) fn truncate(
    values: &TimestampMicrosecondArray,
    unit: Unit,
    tz: Option<&Tz>,
) -> Result<TimestampMicrosecondArray> {
    let mut truncator = Truncator::new(unit, tz);
    let mut out = Vec::with_capacity(values.len());
    for (i, &v) in values.values().iter().enumerate() {
        out.push(if values.is_valid(i) {
            truncator.value(v)?
        } else {
            0
        });
    }
    Ok(TimestampMicrosecondArray::new(
        out.into(),
        values.nulls().cloned(),
    ))
}

/// Truncates instants one by one, remembering the buckets met.
pub(super) struct Truncator<'a> {
    unit: Unit,
    tz: Option<&'a Tz>,
    buckets: Buckets,
}

impl<'a> Truncator<'a> {
    pub(super) fn new(unit: Unit, tz: Option<&'a Tz>) -> Self {
        Truncator {
            unit,
            tz,
            buckets: Buckets::default(),
        }
    }

    /// `v` truncated.
    pub(super) fn value(&mut self, v: i64) -> Result<i64> {
        if v == i64::MIN || v == i64::MAX {
            return Ok(v);
        }
        match (self.unit.fixed_micros(), self.tz) {
            // Zone offsets are whole seconds: seconds and below truncate
            // alike on every clock.
            (Some(step), _) if step <= MICROS_PER_SECOND => Ok(floor(v, step)),
            (Some(step), None) => Ok(floor(v, step)),
            (Some(step), Some(tz)) => {
                let offset = offset_micros(v, tz)?;
                Ok(floor(v + offset, step) - offset)
            }
            (None, tz) => self.buckets.truncate(v, self.unit, tz),
        }
    }
}

/// The instants `[start, end)` of local buckets met so far, sorted by start;
/// every instant in one truncates to its start.
#[derive(Default)]
struct Buckets(Vec<(i64, i64)>);

impl Buckets {
    /// Bounds the memory of a batch of instants spread over many buckets.
    const MAX: usize = 4_096;

    fn truncate(&mut self, v: i64, unit: Unit, tz: Option<&Tz>) -> Result<i64> {
        let at = self.0.partition_point(|&(start, _)| start <= v);
        if at > 0 && v < self.0[at - 1].1 {
            return Ok(self.0[at - 1].0);
        }
        let floor = unit.floor(wall_clock(v, tz)?);
        let (start, exact_start) = instant(floor, tz);
        let end = unit.next(floor).map(|n| instant(n, tz));
        if let Some((end, true)) = end
            && exact_start
            && start <= v
            && v < end
        {
            if self.0.len() >= Self::MAX {
                self.0.clear();
            }
            let at = self.0.partition_point(|&(s, _)| s <= v);
            self.0.insert(at, (start, end));
        }
        Ok(start)
    }
}

/// `v` rounded down to a multiple of `step` (never below the smallest
/// finite timestamp, which is far before PostgreSQL's 4713 BC).
fn floor(v: i64, step: i64) -> i64 {
    v.saturating_sub(v.rem_euclid(step))
}

/// `tz`'s offset from UTC at the instant `v`, in microseconds.
fn offset_micros(v: i64, tz: &Tz) -> Result<i64> {
    let utc = utc(v)?;
    let seconds = tz.offset_from_utc_datetime(&utc).fix().local_minus_utc();
    Ok(i64::from(seconds) * MICROS_PER_SECOND)
}

fn utc(v: i64) -> Result<NaiveDateTime> {
    match DateTime::from_timestamp_micros(v) {
        Some(t) => Ok(t.naive_utc()),
        None => exec_err!("timestamp out of range"),
    }
}

/// The wall-clock time of the instant `v` (or `v` itself without a zone).
fn wall_clock(v: i64, tz: Option<&Tz>) -> Result<NaiveDateTime> {
    let t = utc(v)?;
    Ok(match tz {
        Some(tz) => {
            t + Duration::seconds(i64::from(
                tz.offset_from_utc_datetime(&t).fix().local_minus_utc(),
            ))
        }
        None => t,
    })
}

/// The instant of the local time `t` in `tz` as PostgreSQL picks it, and
/// whether `t` is exactly one instant (not in a gap or an overlap).
fn instant(t: NaiveDateTime, tz: Option<&Tz>) -> (i64, bool) {
    match tz {
        None => (t.and_utc().timestamp_micros(), true),
        Some(tz) => match tz.from_local_datetime(&t) {
            LocalResult::Single(i) => (i.timestamp_micros(), true),
            _ => (super::timezone::local_to_utc_micros(t, tz), false),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn micros(s: &str) -> i64 {
        DateTime::parse_from_rfc3339(s).unwrap().timestamp_micros()
    }

    fn trunc(values: &[&str], unit: &str, zone: &str) -> Vec<String> {
        let tz = Tz::from_str(zone).unwrap();
        let a =
            TimestampMicrosecondArray::from(values.iter().map(|s| micros(s)).collect::<Vec<_>>());
        let out = truncate(&a, Unit::parse(unit).unwrap(), Some(&tz)).unwrap();
        out.values()
            .iter()
            .map(|&v| {
                DateTime::from_timestamp_micros(v)
                    .unwrap()
                    .with_timezone(&tz)
                    .to_rfc3339()
            })
            .collect()
    }

    /// Compared with PostgreSQL 15 (`SET TimeZone = 'Europe/Paris'`).
    #[test]
    fn units_of_days_and_more_on_the_wall_clock() {
        let v = [
            "2024-03-31T23:30:00Z",
            "2024-03-31T21:30:00Z",
            "2024-10-27T00:30:00Z",
        ];
        assert_eq!(
            trunc(&v, "month", "Europe/Paris"),
            [
                "2024-04-01T00:00:00+02:00",
                "2024-03-01T00:00:00+01:00",
                "2024-10-01T00:00:00+02:00"
            ]
        );
        assert_eq!(
            trunc(&v, "day", "Europe/Paris"),
            [
                "2024-04-01T00:00:00+02:00",
                "2024-03-31T00:00:00+01:00",
                "2024-10-27T00:00:00+02:00"
            ]
        );
        assert_eq!(
            trunc(&v[..1], "week", "Europe/Paris"),
            ["2024-04-01T00:00:00+02:00"]
        );
        assert_eq!(
            trunc(&v[..1], "quarter", "Europe/Paris"),
            ["2024-04-01T00:00:00+02:00"]
        );
        assert_eq!(
            trunc(&v[..1], "year", "Europe/Paris"),
            ["2024-01-01T00:00:00+01:00"]
        );
        assert_eq!(
            trunc(&v[..1], "century", "Europe/Paris"),
            ["2001-01-01T00:00:00+01:00"]
        );
    }

    /// PostgreSQL keeps the input's offset for hours: the two 02:30 of the
    /// repeated hour truncate to their own 02:00.
    #[test]
    fn hours_keep_the_offset_of_the_input() {
        let v = ["2024-10-27T00:30:00Z", "2024-10-27T01:30:00Z"];
        assert_eq!(
            trunc(&v, "hour", "Europe/Paris"),
            ["2024-10-27T02:00:00+02:00", "2024-10-27T02:00:00+01:00"]
        );
        assert_eq!(
            trunc(&["2024-01-01T10:50:00Z"], "hour", "Asia/Kathmandu"),
            ["2024-01-01T16:00:00+05:45"]
        );
    }

    /// Midnight does not exist on 2018-11-04 in São Paulo (DST started at
    /// 00:00): PostgreSQL gives 01:00 -02 (the offset before the gap).
    #[test]
    fn a_day_starting_in_a_gap() {
        let v = [
            "2018-11-04T12:00:00Z",
            "2018-11-04T03:30:00Z",
            "2018-11-04T02:59:00Z",
        ];
        assert_eq!(
            trunc(&v, "day", "America/Sao_Paulo"),
            [
                "2018-11-04T01:00:00-02:00",
                "2018-11-04T01:00:00-02:00",
                "2018-11-03T00:00:00-03:00"
            ]
        );
    }

    /// Buckets found by search agree with the direct computation, for
    /// instants in every order, every unit, across DST changes.
    #[test]
    fn buckets_agree_with_direct_truncation() {
        let zones = [
            "Europe/Paris",
            "America/Sao_Paulo",
            "America/Santiago",
            "Pacific/Apia",
            "+05:30",
        ];
        let units = ["day", "week", "month", "quarter", "year", "decade"];
        let mut v: Vec<i64> = (0..4_000)
            .map(|i: i64| 1_300_000_000_000_000 + i * 7_919 * 60_000_000)
            .collect();
        v.reverse();
        v.rotate_left(1_234);
        for zone in zones {
            let tz = Tz::from_str(zone).unwrap();
            for unit in units {
                let unit = Unit::parse(unit).unwrap();
                let got =
                    truncate(&TimestampMicrosecondArray::from(v.clone()), unit, Some(&tz)).unwrap();
                for (&x, &t) in v.iter().zip(got.values()) {
                    let direct =
                        instant(unit.floor(wall_clock(x, Some(&tz)).unwrap()), Some(&tz)).0;
                    assert_eq!(t, direct, "{zone} {unit:?} {x}");
                }
            }
        }
    }

    #[test]
    fn without_a_zone_and_before_1970() {
        let a = TimestampMicrosecondArray::from(vec![
            Some(-1),
            None,
            Some(micros("1900-02-15T10:20:30Z")),
        ]);
        let out = truncate(&a, Unit::Month, None).unwrap();
        assert_eq!(out.value(0), micros("1969-12-01T00:00:00Z"));
        assert!(out.is_null(1));
        assert_eq!(out.value(2), micros("1900-02-01T00:00:00Z"));
        let out = truncate(&a, Unit::Second, None).unwrap();
        assert_eq!(out.value(0), -1_000_000);
    }
}

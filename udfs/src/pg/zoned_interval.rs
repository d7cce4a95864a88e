//! `timestamptz ± interval` as PostgreSQL's `timestamptz_pl_interval`:
//! the months, then the days, are added on the wall clock of the session's
//! `TimeZone` (the time of day stays across a DST change, the day of the
//! month is clamped to the month's last: Jan 31 + 1 month is Feb 29), the
//! offset determined again after each ([`super::timezone::local_to_utc_micros`]:
//! a gap takes the offset before it, an overlap the later instant); the
//! hours and below are added as elapsed time.
//!
//! Arrow's kernel does the calendar steps in the zone the array is tagged
//! with, which for stored values is UTC (so `paid_at - interval '1 day'`
//! across a DST change was an hour off) and fails on a local time in a gap
//! or an overlap. The engine plans `+` and `-` between an instant and an
//! interval onto `pg_timestamptz_plus(ts, iv)` and `pg_timestamptz_minus`.

use std::sync::Arc;

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate};
use datafusion::arrow::array::timezone::Tz;
use datafusion::arrow::array::{Array, AsArray, TimestampMicrosecondArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{
    DataType, IntervalMonthDayNano, IntervalMonthDayNanoType, IntervalUnit, TimeUnit,
    TimestampMicrosecondType,
};
use datafusion::common::{Result, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

use super::timezone::{local_to_utc_micros, session_zone};

/// `pg_timestamptz_plus(timestamptz, interval)`.
pub fn plus_udf() -> ScalarUDF {
    ScalarUDF::new_from_impl(TimestamptzPlus {
        minus: false,
        signature: Signature::user_defined(Volatility::Stable),
    })
}

/// `pg_timestamptz_minus(timestamptz, interval)`.
pub fn minus_udf() -> ScalarUDF {
    ScalarUDF::new_from_impl(TimestamptzPlus {
        minus: true,
        signature: Signature::user_defined(Volatility::Stable),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct TimestamptzPlus {
    /// The interval is subtracted.
    minus: bool,
    signature: Signature,
}

const INTERVAL: DataType = DataType::Interval(IntervalUnit::MonthDayNano);

impl ScalarUDFImpl for TimestamptzPlus {
    fn name(&self) -> &str {
        if self.minus {
            "pg_timestamptz_minus"
        } else {
            "pg_timestamptz_plus"
        }
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        match arg_types {
            [DataType::Timestamp(_, Some(tz)), _] => Ok(vec![
                DataType::Timestamp(TimeUnit::Microsecond, Some(tz.clone())),
                INTERVAL,
            ]),
            _ => plan_err!("pg_timestamptz_plus takes a timestamptz and an interval"),
        }
    }
    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        Ok(arg_types[0].clone())
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = super::all_scalar(&args.args);
        let tz = session_zone(&args.config_options)?;
        // Without DST, days are 24 hours: no zone look-up per row.
        let fixed = args
            .config_options
            .execution
            .time_zone
            .as_deref()
            .is_none_or(|z| z.starts_with(['+', '-']) || z.eq_ignore_ascii_case("UTC"));
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let label = arrays[0].data_type().clone();
        let utc = DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()));
        let instants = cast(&arrays[0], &utc)?;
        let instants = instants.as_primitive::<TimestampMicrosecondType>();
        let intervals = arrays[1].as_primitive::<IntervalMonthDayNanoType>();
        let mut out = Vec::with_capacity(instants.len());
        for (t, iv) in instants.iter().zip(intervals.iter()) {
            let iv = iv.map(|iv| match self.minus {
                true => IntervalMonthDayNano::new(
                    iv.months.saturating_neg(),
                    iv.days.saturating_neg(),
                    iv.nanoseconds.saturating_neg(),
                ),
                false => iv,
            });
            out.push(match (t, iv) {
                (Some(t), Some(iv))
                    if fixed && iv.months == 0 && t != i64::MIN && t != i64::MAX =>
                {
                    let step = i64::from(iv.days) * 86_400_000_000 + iv.nanoseconds / 1_000;
                    match t.checked_add(step) {
                        Some(v) => Some(v),
                        None => return exec_err!("timestamp out of range"),
                    }
                }
                (Some(t), Some(iv)) => Some(plus(t, iv.months, iv.days, iv.nanoseconds, &tz)?),
                _ => None,
            });
        }
        let out = TimestampMicrosecondArray::from(out).with_timezone("UTC");
        let out: datafusion::arrow::array::ArrayRef = Arc::new(out);
        super::result(cast(&out, &label)?, scalar)
    }
}

/// The instant `t` plus `months`, `days` (on `tz`'s wall clock) and `nanos`
/// (elapsed, rounded to microseconds as PostgreSQL's intervals hold them).
fn plus(t: i64, months: i32, days: i32, nanos: i64, tz: &Tz) -> Result<i64> {
    use chrono::{Offset, TimeZone};
    let out_of_range = || exec_err!("timestamp out of range");
    // `infinity` stays.
    if t == i64::MIN || t == i64::MAX {
        return Ok(t);
    }
    let mut t = t;
    if months != 0 || days != 0 {
        let Some(utc) = DateTime::from_timestamp_micros(t) else {
            return out_of_range();
        };
        let offset = tz.offset_from_utc_datetime(&utc.naive_utc()).fix();
        let mut local = utc.naive_utc() + Duration::seconds(i64::from(offset.local_minus_utc()));
        if months != 0 {
            let d = local.date();
            let total = i64::from(d.year()) * 12 + i64::from(d.month0()) + i64::from(months);
            let (year, month0) = (total.div_euclid(12), total.rem_euclid(12) as u32);
            let Some(first) = i32::try_from(year)
                .ok()
                .and_then(|y| NaiveDate::from_ymd_opt(y, month0 + 1, 1))
            else {
                return out_of_range();
            };
            // The day clamped to the month's last.
            let last = first
                .checked_add_months(Months::new(1))
                .and_then(|n| n.pred_opt())
                .map_or(28, |l| l.day());
            let day = first.with_day(d.day().min(last)).expect("day in month");
            local = day.and_time(local.time());
        }
        if days != 0 {
            let Some(l) = local.checked_add_signed(Duration::days(i64::from(days))) else {
                return out_of_range();
            };
            local = l;
        }
        t = local_to_utc_micros(local, tz);
    }
    match t.checked_add(nanos / 1_000) {
        Some(t) => Ok(t),
        None => out_of_range(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn at(s: &str) -> i64 {
        DateTime::parse_from_rfc3339(s).unwrap().timestamp_micros()
    }

    /// Compared with PostgreSQL 15 (`SET TimeZone = 'Europe/Paris'`).
    #[test]
    fn calendar_steps_on_the_wall_clock() {
        let paris = Tz::from_str("Europe/Paris").unwrap();
        let day = 86_400_000_000_000;
        // Across the spring DST change, a day keeps the time of day.
        assert_eq!(
            plus(at("2025-03-30T03:30:00+02:00"), 0, -1, 0, &paris).unwrap(),
            at("2025-03-29T03:30:00+01:00")
        );
        // 24 hours do not.
        assert_eq!(
            plus(at("2025-03-30T03:30:00+02:00"), 0, 0, -day, &paris).unwrap(),
            at("2025-03-29T02:30:00+01:00")
        );
        // A local time in the gap: the offset before it.
        assert_eq!(
            plus(at("2024-03-30T02:30:00+01:00"), 0, 1, 0, &paris).unwrap(),
            at("2024-03-31T03:30:00+02:00")
        );
        // Months clamp the day.
        assert_eq!(
            plus(at("2024-01-31T10:00:00+01:00"), 1, 0, 0, &paris).unwrap(),
            at("2024-02-29T10:00:00+01:00")
        );
        assert_eq!(
            plus(at("2024-03-31T10:00:00+02:00"), -13, 0, 0, &paris).unwrap(),
            at("2023-02-28T10:00:00+01:00")
        );
        assert_eq!(plus(i64::MAX, 1, 1, 0, &paris).unwrap(), i64::MAX);
    }
}

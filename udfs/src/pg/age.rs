//! `age(a, b)`: the symbolic difference PostgreSQL 15 computes
//! (`timestamp_age` in `timestamp.c`): years, months and days on the
//! calendar, borrowing days from the month of the earlier argument, so
//! `age('2025-02-28', '2024-02-29')` is `11 mons 28 days` and an age in
//! years is `extract(year FROM age(d, birth_date))`. Dates are read as
//! timestamps, `timestamptz` on the session time zone's wall clock.

use std::str::FromStr;
use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike};
use datafusion::arrow::array::timezone::Tz;
use datafusion::arrow::array::{Array, AsArray, IntervalMonthDayNanoArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{
    DataType, IntervalMonthDayNano, IntervalUnit, TimeUnit, TimestampMicrosecondType,
};
use datafusion::common::{Result, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

/// The `age(timestamp, timestamp)` function.
pub fn udf() -> ScalarUDF {
    ScalarUDF::new_from_impl(Age {
        signature: Signature::user_defined(Volatility::Stable),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Age {
    signature: Signature,
}

fn days_in_month(year: i32, month: u32) -> i64 {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    match (next, NaiveDate::from_ymd_opt(year, month, 1)) {
        (Some(n), Some(f)) => (n - f).num_days(),
        _ => 30,
    }
}

/// PostgreSQL's `timestamp_age` on two wall-clock times.
pub fn age(a: NaiveDateTime, b: NaiveDateTime) -> IntervalMonthDayNano {
    let negative = a < b;
    let field = |x: &NaiveDateTime| {
        [
            i64::from(x.year()),
            i64::from(x.month()),
            i64::from(x.day()),
            i64::from(x.hour()),
            i64::from(x.minute()),
            i64::from(x.second()),
            i64::from(x.nanosecond() / 1000),
        ]
    };
    let (fa, fb) = (field(&a), field(&b));
    let mut d: [i64; 7] = std::array::from_fn(|i| fa[i] - fb[i]);
    if negative {
        d.iter_mut().for_each(|v| *v = -*v);
    }
    let [
        mut year,
        mut mon,
        mut mday,
        mut hour,
        mut min,
        mut sec,
        mut usec,
    ] = d;
    while usec < 0 {
        usec += 1_000_000;
        sec -= 1;
    }
    while sec < 0 {
        sec += 60;
        min -= 1;
    }
    while min < 0 {
        min += 60;
        hour -= 1;
    }
    while hour < 0 {
        hour += 24;
        mday -= 1;
    }
    // Days are borrowed from the month of the earlier time.
    let (by, bm) = if negative {
        (a.year(), a.month())
    } else {
        (b.year(), b.month())
    };
    while mday < 0 {
        mday += days_in_month(by, bm);
        mon -= 1;
    }
    while mon < 0 {
        mon += 12;
        year -= 1;
    }
    let sign = if negative { -1 } else { 1 };
    let micros = ((hour * 60 + min) * 60 + sec) * 1_000_000 + usec;
    IntervalMonthDayNano::new(
        (sign * (year * 12 + mon)) as i32,
        (sign * mday) as i32,
        sign * micros * 1000,
    )
}

impl ScalarUDFImpl for Age {
    fn name(&self) -> &str {
        "age"
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        if arg_types.len() != 2 {
            return plan_err!("age(timestamp, timestamp) takes two arguments");
        }
        let zoned = arg_types
            .iter()
            .any(|t| matches!(t, DataType::Timestamp(_, Some(_))));
        let t = DataType::Timestamp(TimeUnit::Microsecond, zoned.then(|| "UTC".into()));
        Ok(vec![t.clone(), t])
    }
    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Interval(IntervalUnit::MonthDayNano))
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = super::all_scalar(&args.args);
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let zoned = matches!(arrays[0].data_type(), DataType::Timestamp(_, Some(_)));
        let zone = match &args.config_options.execution.time_zone {
            Some(z) if zoned => Some(Tz::from_str(z)?),
            _ => None,
        };
        let wall = |v: i64| -> Option<NaiveDateTime> {
            let utc = DateTime::from_timestamp_micros(v)?;
            Some(match &zone {
                Some(tz) => utc.with_timezone(tz).naive_local(),
                None => utc.naive_utc(),
            })
        };
        let unit = |a| cast(a, &DataType::Timestamp(TimeUnit::Microsecond, None));
        let (a, b) = (unit(&arrays[0])?, unit(&arrays[1])?);
        let (a, b) = (
            a.as_primitive::<TimestampMicrosecondType>(),
            b.as_primitive::<TimestampMicrosecondType>(),
        );
        let out: IntervalMonthDayNanoArray = (0..a.len())
            .map(|i| {
                if a.is_null(i) || b.is_null(i) {
                    return None;
                }
                Some(age(wall(a.value(i))?, wall(b.value(i))?))
            })
            .collect();
        super::result(Arc::new(out), scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn postgres_15_ages() {
        // Answers of PostgreSQL 15.
        let a = age(ts("2025-02-28 00:00:00"), ts("2024-02-29 00:00:00"));
        assert_eq!((a.months, a.days, a.nanoseconds), (11, 28, 0));
        let a = age(ts("2024-03-01 00:00:00"), ts("2024-02-28 00:00:00"));
        assert_eq!((a.months, a.days), (0, 2));
        let a = age(ts("2024-01-31 12:00:00"), ts("2023-11-30 18:30:00"));
        assert_eq!(
            (a.months, a.days, a.nanoseconds),
            (2, 0, 63_000_000_000_000)
        );
        let a = age(ts("2023-11-30 18:30:00"), ts("2024-01-31 12:00:00"));
        assert_eq!(
            (a.months, a.days, a.nanoseconds),
            (-2, 0, -63_000_000_000_000)
        );
    }
}

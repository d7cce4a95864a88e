//! `justify_hours`, `justify_days` and `justify_interval` as in PostgreSQL
//! 15 (`interval_justify_hours` and friends in `timestamp.c`):
//!
//! - `justify_hours` moves whole 24-hour periods of the time part into
//!   days (`36:00:00` → `1 day 12:00:00`);
//! - `justify_days` moves whole 30-day periods into months (`40 days` →
//!   `1 mon 10 days`);
//! - `justify_interval` does both and then makes every part carry the
//!   same sign (`1 mon -1 hour` → `29 days 23:00:00`).
//!
//! Divisions truncate toward zero, as in C; a part that leaves Arrow's
//! range is `interval out of range`. Arrow intervals count nanoseconds
//! where PostgreSQL counts microseconds; the arithmetic is the same.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, IntervalMonthDayNanoArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{
    DataType, IntervalMonthDayNano, IntervalMonthDayNanoType, IntervalUnit,
};
use datafusion::common::{Result, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

const NANOS_PER_DAY: i64 = 86_400_000_000_000;
const DAYS_PER_MONTH: i64 = 30;
const INTERVAL: DataType = DataType::Interval(IntervalUnit::MonthDayNano);

/// Which justification a function applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Justify {
    Hours,
    Days,
    Interval,
}

/// The three functions.
pub fn functions() -> Vec<ScalarUDF> {
    [Justify::Hours, Justify::Days, Justify::Interval]
        .into_iter()
        .map(|kind| {
            ScalarUDF::new_from_impl(JustifyFunc {
                kind,
                signature: Signature::user_defined(Volatility::Immutable),
            })
        })
        .collect()
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct JustifyFunc {
    kind: Justify,
    signature: Signature,
}

/// Months, days and nanoseconds, widened so that a carry cannot overflow.
type Parts = (i64, i64, i64);

fn hours((m, mut d, mut t): Parts) -> Parts {
    let whole = t / NANOS_PER_DAY;
    t -= whole * NANOS_PER_DAY;
    d += whole;
    if d > 0 && t < 0 {
        t += NANOS_PER_DAY;
        d -= 1;
    } else if d < 0 && t > 0 {
        t -= NANOS_PER_DAY;
        d += 1;
    }
    (m, d, t)
}

fn days((mut m, mut d, t): Parts) -> Parts {
    let whole = d / DAYS_PER_MONTH;
    d -= whole * DAYS_PER_MONTH;
    m += whole;
    if m > 0 && d < 0 {
        d += DAYS_PER_MONTH;
        m -= 1;
    } else if m < 0 && d > 0 {
        d -= DAYS_PER_MONTH;
        m += 1;
    }
    (m, d, t)
}

fn interval((mut m, mut d, mut t): Parts) -> Parts {
    if (d > 0 && t > 0) || (d < 0 && t < 0) {
        let whole = d / DAYS_PER_MONTH;
        d -= whole * DAYS_PER_MONTH;
        m += whole;
    }
    let whole = t / NANOS_PER_DAY;
    t -= whole * NANOS_PER_DAY;
    d += whole;
    let whole = d / DAYS_PER_MONTH;
    d -= whole * DAYS_PER_MONTH;
    m += whole;
    if m > 0 && (d < 0 || (d == 0 && t < 0)) {
        d += DAYS_PER_MONTH;
        m -= 1;
    } else if m < 0 && (d > 0 || (d == 0 && t > 0)) {
        d -= DAYS_PER_MONTH;
        m += 1;
    }
    if d > 0 && t < 0 {
        t += NANOS_PER_DAY;
        d -= 1;
    } else if d < 0 && t > 0 {
        t -= NANOS_PER_DAY;
        d += 1;
    }
    (m, d, t)
}

fn justify(kind: Justify, v: IntervalMonthDayNano) -> Result<IntervalMonthDayNano> {
    let parts = (v.months as i64, v.days as i64, v.nanoseconds);
    let (m, d, t) = match kind {
        Justify::Hours => hours(parts),
        Justify::Days => days(parts),
        Justify::Interval => interval(parts),
    };
    match (i32::try_from(m), i32::try_from(d)) {
        (Ok(m), Ok(d)) => Ok(IntervalMonthDayNano::new(m, d, t)),
        _ => exec_err!("interval out of range"),
    }
}

impl ScalarUDFImpl for JustifyFunc {
    fn name(&self) -> &str {
        match self.kind {
            Justify::Hours => "justify_hours",
            Justify::Days => "justify_days",
            Justify::Interval => "justify_interval",
        }
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        match arg_types {
            [
                DataType::Interval(_)
                // `timestamptz - timestamptz` (an Arrow duration).
                | DataType::Duration(_)
                | DataType::Null
                | DataType::Utf8
                | DataType::LargeUtf8
                | DataType::Utf8View,
            ] => Ok(vec![INTERVAL]),
            [t] => plan_err!(
                "function {}({}) does not exist",
                self.name(),
                super::rounding::pg_type_name(t)
            ),
            _ => plan_err!("function {} takes one argument", self.name()),
        }
    }
    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(INTERVAL)
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = matches!(args.args[0], ColumnarValue::Scalar(_));
        let a = args.args[0].to_array(args.number_rows)?;
        let a = cast(&a, &INTERVAL)?;
        let a = a.as_primitive::<IntervalMonthDayNanoType>();
        let mut out = Vec::with_capacity(a.len());
        for v in a.iter() {
            out.push(v.map(|v| justify(self.kind, v)).transpose()?);
        }
        let out: ArrayRef = Arc::new(IntervalMonthDayNanoArray::from(out));
        debug_assert_eq!(out.len(), a.len());
        super::result(out, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3_600_000_000_000;

    #[test]
    fn as_postgres() {
        // Every expected value from PostgreSQL 15.
        let cases = [
            // justify_hours('36 hours') = 1 day 12:00:00
            (Justify::Hours, (0, 0, 36 * H), (0, 1, 12 * H)),
            // justify_hours('-50 hours') = -2 days -02:00:00
            (Justify::Hours, (0, 0, -50 * H), (0, -2, -2 * H)),
            // justify_hours('1 day -1 hour') = 23:00:00
            (Justify::Hours, (0, 1, -H), (0, 0, 23 * H)),
            // justify_days('40 days') = 1 mon 10 days
            (Justify::Days, (0, 40, 0), (1, 10, 0)),
            // justify_days('-35 days') = -1 mons -5 days
            (Justify::Days, (0, -35, 0), (-1, -5, 0)),
            // justify_days('1 mon -1 day') = 29 days
            (Justify::Days, (1, -1, 0), (0, 29, 0)),
            // justify_interval('1 mon -1 hour') = 29 days 23:00:00
            (Justify::Interval, (1, 0, -H), (0, 29, 23 * H)),
            // justify_interval('50 days 30 hours') = 1 mon 21 days 06:00:00
            (Justify::Interval, (0, 50, 30 * H), (1, 21, 6 * H)),
            // justify_interval('-1 mon 1 hour') = -29 days -23:00:00
            (Justify::Interval, (-1, 0, H), (0, -29, -23 * H)),
            // justify_interval('1 mon -30 days -1 hour') = -01:00:00
            (Justify::Interval, (1, -30, -H), (0, 0, -H)),
            // justify_interval('-35 days 2 hours') = -1 mons -4 days -22:00:00
            (Justify::Interval, (0, -35, 2 * H), (-1, -4, -22 * H)),
        ];
        for (kind, (m, d, t), (wm, wd, wt)) in cases {
            let got = justify(kind, IntervalMonthDayNano::new(m, d, t)).unwrap();
            assert_eq!(
                got,
                IntervalMonthDayNano::new(wm, wd, wt),
                "{kind:?} {m} {d} {t}"
            );
        }
    }

    #[test]
    fn out_of_range() {
        let huge = IntervalMonthDayNano::new(0, i32::MAX, 48 * H);
        assert!(justify(Justify::Hours, huge).is_err());
    }
}

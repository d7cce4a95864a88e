//! `avg(interval)` as PostgreSQL's `interval_avg`: the months, days and
//! microseconds are summed apart and the sum divided by the count with
//! `interval_div`'s carrying ([`super::interval_ops`]): `avg` of `1 mon`
//! and `1 day 01:00:00` is `15 days 12:30:00`. DataFusion's `avg` rejects
//! intervals (`age(…)` results, interval columns) and truncates the
//! average of durations (`end_at - start_at`, intervals in PostgreSQL) to
//! whole units.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{
    DataType, DurationMicrosecondType, Field, FieldRef, Int64Type, IntervalMonthDayNano,
    IntervalMonthDayNanoType, IntervalUnit, TimeUnit,
};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::Accumulator;

const MICROS_PER_DAY: i64 = 86_400_000_000;

/// The type averaged and returned.
pub(super) const INTERVAL: DataType = DataType::Interval(IntervalUnit::MonthDayNano);

/// The partial state: sums of months, days, microseconds, and the count.
pub(super) fn state_fields(name: &str) -> Vec<FieldRef> {
    ["months", "days", "micros", "count"]
        .iter()
        .map(|f| Arc::new(Field::new(format!("{name}[{f}]"), DataType::Int64, true)))
        .collect()
}

/// Sums the fields apart, as PostgreSQL's interval accumulator does.
#[derive(Debug, Default)]
pub(super) struct IntervalAvg {
    months: i64,
    days: i64,
    micros: i64,
    count: i64,
}

impl IntervalAvg {
    fn add(&mut self, months: i64, days: i64, micros: i64, count: i64) -> Result<()> {
        let (Some(m), Some(d), Some(u), Some(c)) = (
            self.months.checked_add(months),
            self.days.checked_add(days),
            self.micros.checked_add(micros),
            self.count.checked_add(count),
        ) else {
            return exec_err!("interval out of range");
        };
        (self.months, self.days, self.micros, self.count) = (m, d, u, c);
        Ok(())
    }

    /// Each value as an interval; a duration (`timestamp - timestamp`) as
    /// PostgreSQL's `timestamp_mi` gives it: whole days, then the time.
    fn each(
        values: &ArrayRef,
        mut f: impl FnMut(IntervalMonthDayNano) -> Result<()>,
    ) -> Result<()> {
        if let DataType::Duration(_) = values.data_type() {
            let micros = cast(values, &DataType::Duration(TimeUnit::Microsecond))?;
            let a = micros.as_primitive::<DurationMicrosecondType>();
            for i in 0..a.len() {
                if a.is_valid(i) {
                    let v = a.value(i);
                    let (days, time) = (v / MICROS_PER_DAY, v % MICROS_PER_DAY);
                    let Ok(days) = i32::try_from(days) else {
                        return exec_err!("interval out of range");
                    };
                    f(IntervalMonthDayNano::new(0, days, time * 1_000))?;
                }
            }
            return Ok(());
        }
        let a = values.as_primitive::<IntervalMonthDayNanoType>();
        for i in 0..a.len() {
            if a.is_valid(i) {
                f(a.value(i))?;
            }
        }
        Ok(())
    }
}

impl Accumulator for IntervalAvg {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        Self::each(&values[0], |v| {
            self.add(
                i64::from(v.months),
                i64::from(v.days),
                v.nanoseconds / 1_000,
                1,
            )
        })
    }
    fn retract_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        Self::each(&values[0], |v| {
            self.add(
                -i64::from(v.months),
                -i64::from(v.days),
                -(v.nanoseconds / 1_000),
                -1,
            )
        })
    }
    fn supports_retract_batch(&self) -> bool {
        true
    }
    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let s: Vec<_> = states
            .iter()
            .map(|a| a.as_primitive::<Int64Type>())
            .collect();
        for i in 0..s[0].len() {
            if s[3].is_valid(i) {
                self.add(s[0].value(i), s[1].value(i), s[2].value(i), s[3].value(i))?;
            }
        }
        Ok(())
    }
    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok([self.months, self.days, self.micros, self.count]
            .into_iter()
            .map(|v| ScalarValue::Int64(Some(v)))
            .collect())
    }
    fn evaluate(&mut self) -> Result<ScalarValue> {
        if self.count == 0 {
            return Ok(ScalarValue::IntervalMonthDayNano(None));
        }
        // PostgreSQL's sum keeps months and days in 32 bits.
        let (Ok(months), Ok(days)) = (i32::try_from(self.months), i32::try_from(self.days)) else {
            return exec_err!("interval out of range");
        };
        match super::interval_ops::scale(months, days, self.micros, self.count as f64, true) {
            Some((m, d, us)) => Ok(ScalarValue::IntervalMonthDayNano(Some(
                IntervalMonthDayNano::new(m, d, us * 1_000),
            ))),
            None => exec_err!("interval out of range"),
        }
    }
    fn size(&self) -> usize {
        std::mem::size_of_val(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::IntervalMonthDayNanoArray;

    fn avg(values: Vec<IntervalMonthDayNano>) -> IntervalMonthDayNano {
        let mut a = IntervalAvg::default();
        let values: ArrayRef = Arc::new(IntervalMonthDayNanoArray::from(values));
        a.update_batch(&[values]).unwrap();
        match a.evaluate().unwrap() {
            ScalarValue::IntervalMonthDayNano(Some(v)) => v,
            other => panic!("{other:?}"),
        }
    }

    /// PostgreSQL 15's answers.
    #[test]
    fn fields_apart_then_interval_div() {
        let hour = 3_600_000_000_000;
        // avg(1 mon, 1 day 01:00:00) = 15 days 12:30:00
        assert_eq!(
            avg(vec![
                IntervalMonthDayNano::new(1, 0, 0),
                IntervalMonthDayNano::new(0, 1, hour),
            ]),
            IntervalMonthDayNano::new(0, 15, 12 * hour + hour / 2)
        );
        // avg(1 day, 02:00:00, 00:00:01) = 08:40:00.333333
        assert_eq!(
            avg(vec![
                IntervalMonthDayNano::new(0, 1, 0),
                IntervalMonthDayNano::new(0, 0, 2 * hour),
                IntervalMonthDayNano::new(0, 0, 1_000_000_000),
            ]),
            IntervalMonthDayNano::new(0, 0, 8 * hour + 2_400_333_333_000)
        );
    }
}

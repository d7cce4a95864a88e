//! `(start1, end1) OVERLAPS (start2, end2)`: whether two periods of time
//! overlap, as PostgreSQL's `overlaps_timestamp` decides it (the SQL front
//! end rewrites the operator into `pg_overlaps(start1, end1, start2,
//! end2)`). Each period runs from its lesser to its greater end, half
//! open (`[s, e)`), a period with equal ends is that instant; an end may
//! be an interval (`(d, interval '30 days')`, the end is `d + 30 days`).
//! NULL ends follow PostgreSQL exactly: a period with one NULL end is its
//! other end, and the answer is NULL where the NULL could change it.
//!
//! Dates and timestamps compare as wall-clock times, `timestamptz` as
//! instants; when the two kinds are mixed, all are compared as instants
//! (a `timestamp` read as UTC).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::compute::kernels::numeric::add;
use datafusion::arrow::datatypes::{DataType, IntervalUnit, TimeUnit, TimestampMicrosecondType};
use datafusion::common::{Result, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

/// The `pg_overlaps(s1, e1, s2, e2)` function.
pub fn udf() -> ScalarUDF {
    ScalarUDF::new_from_impl(Overlaps {
        signature: Signature::user_defined(Volatility::Immutable),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Overlaps {
    signature: Signature,
}

impl ScalarUDFImpl for Overlaps {
    fn name(&self) -> &str {
        "pg_overlaps"
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        if arg_types.len() != 4 {
            return plan_err!("OVERLAPS compares two periods of two values each");
        }
        let zoned = arg_types
            .iter()
            .any(|t| matches!(t, DataType::Timestamp(_, Some(_))));
        let instant = DataType::Timestamp(TimeUnit::Microsecond, zoned.then(|| "UTC".into()));
        arg_types
            .iter()
            .enumerate()
            .map(|(i, t)| match t {
                DataType::Interval(_) if i % 2 == 1 => {
                    Ok(DataType::Interval(IntervalUnit::MonthDayNano))
                }
                DataType::Date32
                | DataType::Date64
                | DataType::Timestamp(..)
                | DataType::Null
                | DataType::Utf8
                | DataType::Utf8View => Ok(instant.clone()),
                other => plan_err!("OVERLAPS of {other} is not supported"),
            })
            .collect()
    }
    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Boolean)
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = super::all_scalar(&args.args);
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let micros = DataType::Timestamp(TimeUnit::Microsecond, None);
        // Ends given as intervals are added to their starts.
        let point = |i: usize| -> Result<ArrayRef> {
            let a = if matches!(arrays[i].data_type(), DataType::Interval(_)) {
                add(&arrays[i - 1], &arrays[i])?
            } else {
                Arc::clone(&arrays[i])
            };
            Ok(cast(&a, &micros)?)
        };
        let points = (0..4).map(point).collect::<Result<Vec<_>>>()?;
        let [s1, e1, s2, e2] =
            [0, 1, 2, 3].map(|i| points[i].as_primitive::<TimestampMicrosecondType>());
        let get = |a: &datafusion::arrow::array::TimestampMicrosecondArray, row: usize| {
            (!a.is_null(row)).then(|| a.value(row))
        };
        let out: BooleanArray = (0..args.number_rows)
            .map(|r| overlaps(get(s1, r), get(e1, r), get(s2, r), get(e2, r)))
            .collect();
        super::result(Arc::new(out), scalar)
    }
}

/// A period as `(start, end, end is NULL)`: a NULL start takes the end's
/// place; `None` when both are NULL.
fn period(s: Option<i64>, e: Option<i64>) -> Option<(i64, i64, bool)> {
    match (s, e) {
        (None, None) => None,
        (None, Some(e)) | (Some(e), None) => Some((e, e, true)),
        (Some(s), Some(e)) => Some((s.min(e), s.max(e), false)),
    }
}

/// PostgreSQL's `overlaps_timestamp`.
fn overlaps(s1: Option<i64>, e1: Option<i64>, s2: Option<i64>, e2: Option<i64>) -> Option<bool> {
    let (ts1, te1, te1_null) = period(s1, e1)?;
    let (ts2, te2, te2_null) = period(s2, e2)?;
    use std::cmp::Ordering::*;
    match ts1.cmp(&ts2) {
        Greater => {
            if te2_null {
                return None;
            }
            if ts1 < te2 {
                return Some(true);
            }
            if te1_null { None } else { Some(false) }
        }
        Less => {
            if te1_null {
                return None;
            }
            if ts2 < te1 {
                return Some(true);
            }
            if te2_null { None } else { Some(false) }
        }
        Equal => (!te1_null && !te2_null).then_some(true),
    }
}

#[cfg(test)]
mod tests {
    use super::overlaps;

    #[test]
    fn as_postgres_decides() {
        // Half-open periods: touching ends do not overlap.
        assert_eq!(overlaps(Some(1), Some(5), Some(5), Some(9)), Some(false));
        assert_eq!(overlaps(Some(1), Some(5), Some(4), Some(9)), Some(true));
        // Ends in either order.
        assert_eq!(overlaps(Some(5), Some(1), Some(9), Some(4)), Some(true));
        // Equal starts overlap, even as instants.
        assert_eq!(overlaps(Some(3), Some(3), Some(3), Some(3)), Some(true));
        // NULL ends.
        assert_eq!(overlaps(Some(1), None, Some(0), Some(5)), Some(true));
        assert_eq!(overlaps(Some(1), None, Some(2), Some(5)), None);
        assert_eq!(overlaps(None, None, Some(2), Some(5)), None);
        assert_eq!(overlaps(Some(6), Some(8), Some(2), Some(5)), Some(false));
    }
}

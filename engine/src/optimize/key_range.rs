//! The range of an integer column's values, from a plan's statistics,
//! when it is narrow enough to index arrays by (customer ids from a
//! sequence): [`super::dense_group`] finds groups, [`super::dense_sort`]
//! sorts, by indexing instead of hashing or comparing.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::stats::Precision;
use datafusion::common::{Result, ScalarValue};
use datafusion::physical_plan::expressions::Column;
use datafusion::physical_plan::{ExecutionPlan, StatisticsArgs, StatisticsContext};

/// The widest key range indexed directly: 8 Mi values, a 32 MiB table.
const MAX_RANGE: u64 = 1 << 23;
/// Ranges up to this width are indexed whatever the row count.
const SMALL_RANGE: u64 = 1 << 16;
/// Otherwise the range may be at most this many times the input rows
/// (ids from a sequence with gaps, a filtered input).
const ROWS_FACTOR: u64 = 4;

/// The key values indexed directly: `base ..= base + len - 1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KeyRange {
    pub(crate) base: i64,
    pub(crate) len: usize,
}

impl KeyRange {
    /// The range of `key` (a column of `input`) from the input's
    /// statistics, when it is known and narrow enough.
    pub(crate) fn of(input: &Arc<dyn ExecutionPlan>, key: &Column) -> Result<Option<Self>> {
        let stats = StatisticsContext::new().compute(input.as_ref(), &StatisticsArgs::new())?;
        let Some(column) = stats.column_statistics.get(key.index()) else {
            return Ok(None);
        };
        let bound = |p: &Precision<ScalarValue>| {
            p.get_value()
                .and_then(|v| v.cast_to(&DataType::Int64).ok())
                .and_then(|v| match v {
                    ScalarValue::Int64(Some(v)) => Some(v),
                    _ => None,
                })
        };
        let (Some(min), Some(max)) = (bound(&column.min_value), bound(&column.max_value)) else {
            return Ok(None);
        };
        let Some(width) = max.checked_sub(min).and_then(|w| u64::try_from(w).ok()) else {
            return Ok(None);
        };
        let width = width + 1;
        let rows = stats.num_rows.get_value().map(|&r| r as u64);
        let narrow = width <= SMALL_RANGE
            || (width <= MAX_RANGE && rows.is_some_and(|r| width <= r.saturating_mul(ROWS_FACTOR)));
        Ok(narrow.then_some(KeyRange {
            base: min,
            len: width as usize,
        }))
    }
}

/// Key types whose every value converts to an `i64`.
pub(crate) fn integer_key(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Int8
            | DataType::Int16
            | DataType::Int32
            | DataType::Int64
            | DataType::UInt8
            | DataType::UInt16
            | DataType::UInt32
    )
}

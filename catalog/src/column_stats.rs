//! Column statistics of a whole table, from its Delta log, for DataFusion's
//! cost-based choices (join order, hash join build side, aggregate sizes).
//!
//! Every Delta `add` action carries each file's row count and the min, max
//! and null count of its columns. delta-rs hands DataFusion those column
//! statistics only for the columns of the scan's predicate (reading the rest
//! would slow its log replay), so join keys usually have none. DataFusion
//! then estimates a join of N and M rows at `min(N, M)` rows — a fact table
//! joined to a dimension (8M order lines to 1M contacts) was taken for 1 000
//! rows and made the build side of every later hash join, several GB of
//! hash tables where the dimension (1M rows) would do.
//!
//! [`ColumnStats`] computes the statistics of every column once per table
//! snapshot (table providers are made per query; [`StatsCache`] keeps
//! the statistics by table location and Delta version) and fills them into
//! the scan where delta-rs left them absent:
//! min and max, null count, and for integer and date columns a distinct
//! count bounded by the value range (`max - min + 1`, at most the rows),
//! which is what DataFusion's join and aggregate estimates need. All are
//! marked inexact: they are for estimates (Delta truncates long strings'
//! bounds, files may hold deleted rows), never for answers.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::arrow::datatypes::{DataType, Int64Type, Schema};
use datafusion::common::stats::Precision;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{ColumnStatistics, Result, ScalarValue};
use datafusion::datasource::physical_plan::{FileScanConfig, FileScanConfigBuilder};
use datafusion::datasource::source::DataSourceExec;
use datafusion::physical_plan::ExecutionPlan;

/// [`ColumnStats`] by table location, each for the Delta version it was
/// computed from.
#[derive(Debug, Default)]
pub(crate) struct StatsCache(Mutex<HashMap<String, Versioned>>);

/// Statistics and the Delta version they describe.
type Versioned = (Option<u64>, Arc<ColumnStats>);

impl StatsCache {
    /// The statistics of `delta` at its loaded version (`schema`: the
    /// columns to describe), computed from its log on first request.
    pub(crate) fn get(&self, delta: &deltalake::DeltaTable, schema: &Schema) -> Arc<ColumnStats> {
        let key = delta.table_url().to_string();
        let version = delta.version();
        if let Some((v, stats)) = self.0.lock().expect("stats cache lock").get(&key)
            && *v == version
        {
            return stats.clone();
        }
        let stats = Arc::new(ColumnStats::of_table(delta, schema));
        self.0
            .lock()
            .expect("stats cache lock")
            .insert(key, (version, stats.clone()));
        stats
    }

    /// Forgets a dropped table.
    pub(crate) fn forget(&self, url: &str) {
        self.0.lock().expect("stats cache lock").remove(url);
    }
}

/// Whole-table statistics of each column, by column name.
#[derive(Debug, Default)]
pub(crate) struct ColumnStats {
    by_name: HashMap<String, ColumnStatistics>,
}

impl ColumnStats {
    /// Statistics of `delta`'s loaded snapshot (none when its log has none).
    pub(crate) fn of_table(delta: &deltalake::DeltaTable, schema: &Schema) -> ColumnStats {
        delta
            .snapshot()
            .and_then(|s| s.add_actions_table(true))
            .map(|actions| ColumnStats::from_add_actions(&actions, schema))
            .unwrap_or_default()
    }

    /// Statistics from a table's flattened add actions
    /// (`DeltaTableState::add_actions_table(true)`): `num_records`,
    /// `min.<col>`, `max.<col>`, `null_count.<col>` per file. Columns whose
    /// statistics are missing from any file get none.
    pub(crate) fn from_add_actions(actions: &RecordBatch, schema: &Schema) -> ColumnStats {
        let rows = actions
            .column_by_name("num_records")
            .and_then(|c| c.as_primitive_opt::<Int64Type>())
            .filter(|c| c.null_count() == 0)
            .map(|c| c.iter().flatten().sum::<i64>());
        let by_name = schema
            .fields()
            .iter()
            .filter_map(|f| {
                let stats = column(actions, f.name(), f.data_type(), rows)?;
                Some((f.name().clone(), stats))
            })
            .collect();
        ColumnStats { by_name }
    }

    /// `plan` (a scan of this table) with the absent column statistics of
    /// its file scans filled in.
    pub(crate) fn fill(&self, plan: Arc<dyn ExecutionPlan>) -> Result<Arc<dyn ExecutionPlan>> {
        if self.by_name.is_empty() {
            return Ok(plan);
        }
        plan.transform_down(|node| {
            let Some(scan) = node.downcast_ref::<DataSourceExec>() else {
                return Ok(Transformed::no(node));
            };
            let Some(config) = scan.data_source().downcast_ref::<FileScanConfig>() else {
                return Ok(Transformed::no(node));
            };
            let mut stats = config.statistics();
            let schema = config.file_source.table_schema().table_schema().clone();
            let mut changed = false;
            for (field, slot) in schema
                .fields()
                .iter()
                .zip(stats.column_statistics.iter_mut())
            {
                if let Some(known) = self.by_name.get(field.name())
                    && let Some(filled) = merge(slot, known, field.data_type())
                {
                    *slot = filled;
                    changed = true;
                }
            }
            if !changed {
                return Ok(Transformed::no(node));
            }
            let config = FileScanConfigBuilder::from(config.clone())
                .with_statistics(stats)
                .build();
            Ok(Transformed::yes(
                DataSourceExec::from_data_source(config) as Arc<dyn ExecutionPlan>
            ))
        })
        .map(|t| t.data)
    }
}

/// `slot` with its absent entries taken from `known` (cast to the scan's
/// type), or `None` when nothing changes.
fn merge(
    slot: &ColumnStatistics,
    known: &ColumnStatistics,
    data_type: &DataType,
) -> Option<ColumnStatistics> {
    let cast = |p: &Precision<ScalarValue>| match p {
        Precision::Inexact(v) => v
            .cast_to(data_type)
            .map(Precision::Inexact)
            .unwrap_or(Precision::Absent),
        _ => Precision::Absent,
    };
    let mut out = slot.clone();
    if out.min_value == Precision::Absent {
        out.min_value = cast(&known.min_value);
    }
    if out.max_value == Precision::Absent {
        out.max_value = cast(&known.max_value);
    }
    if out.null_count == Precision::Absent {
        out.null_count = known.null_count;
    }
    if out.distinct_count == Precision::Absent {
        out.distinct_count = known.distinct_count;
    }
    (out != *slot).then_some(out)
}

/// The statistics of one column over all files, if every file has them.
fn column(
    actions: &RecordBatch,
    name: &str,
    data_type: &DataType,
    rows: Option<i64>,
) -> Option<ColumnStatistics> {
    let complete = |c: &Arc<dyn Array>| c.null_count() == 0 && !c.is_empty();
    let mins = actions
        .column_by_name(&format!("min.{name}"))
        .filter(|c| complete(c));
    let maxs = actions
        .column_by_name(&format!("max.{name}"))
        .filter(|c| complete(c));
    let nulls = actions
        .column_by_name(&format!("null_count.{name}"))
        .and_then(|c| c.as_primitive_opt::<Int64Type>())
        .filter(|c| c.null_count() == 0 && !c.is_empty())
        .map(|c| c.iter().flatten().sum::<i64>());
    let min = mins.and_then(|c| extreme(c, std::cmp::Ordering::Less));
    let max = maxs.and_then(|c| extreme(c, std::cmp::Ordering::Greater));
    if min.is_none() && max.is_none() && nulls.is_none() {
        return None;
    }
    let distinct = match (&min, &max, rows) {
        (Some(lo), Some(hi), Some(rows)) => {
            range_size(lo, hi, data_type).map(|n| n.min((rows - nulls.unwrap_or(0)).max(0) as u64))
        }
        _ => None,
    };
    let inexact = |v: Option<ScalarValue>| v.map_or(Precision::Absent, Precision::Inexact);
    Some(ColumnStatistics {
        null_count: nulls.map_or(Precision::Absent, |n| Precision::Inexact(n as usize)),
        min_value: inexact(min),
        max_value: inexact(max),
        distinct_count: distinct.map_or(Precision::Absent, |n| Precision::Inexact(n as usize)),
        ..ColumnStatistics::new_unknown()
    })
}

/// The least (`Less`) or greatest (`Greater`) value of `values`, one per
/// file (a few thousand at most: no need for a vectorised kernel).
fn extreme(values: &Arc<dyn Array>, wanted: std::cmp::Ordering) -> Option<ScalarValue> {
    let mut best: Option<ScalarValue> = None;
    for i in 0..values.len() {
        let v = ScalarValue::try_from_array(values, i).ok()?;
        match &best {
            Some(b) if v.partial_cmp(b)? != wanted => {}
            _ => best = Some(v),
        }
    }
    best
}

/// How many values lie between `lo` and `hi` for integer and date columns.
fn range_size(lo: &ScalarValue, hi: &ScalarValue, data_type: &DataType) -> Option<u64> {
    if !(data_type.is_integer() || matches!(data_type, DataType::Date32 | DataType::Date64)) {
        return None;
    }
    let as_i64 = |v: &ScalarValue| match v.cast_to(&DataType::Int64).ok()? {
        ScalarValue::Int64(Some(n)) => Some(n),
        _ => None,
    };
    let (lo, hi) = (as_i64(lo)?, as_i64(hi)?);
    let span = (hi as i128 - lo as i128 + 1).max(0);
    Some(u64::try_from(span).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{Int32Array, Int64Array, StringArray};
    use datafusion::arrow::datatypes::Field;

    fn actions() -> RecordBatch {
        RecordBatch::try_from_iter(vec![
            ("num_records", Arc::new(Int64Array::from(vec![10, 20])) as _),
            ("min.id", Arc::new(Int32Array::from(vec![1, 11])) as _),
            ("max.id", Arc::new(Int32Array::from(vec![10, 30])) as _),
            ("null_count.id", Arc::new(Int64Array::from(vec![0, 0])) as _),
            ("min.name", Arc::new(StringArray::from(vec!["b", "a"])) as _),
            (
                "max.name",
                Arc::new(StringArray::from(vec![Some("y"), None])) as _,
            ),
            (
                "null_count.name",
                Arc::new(Int64Array::from(vec![1, 2])) as _,
            ),
        ])
        .unwrap()
    }

    #[test]
    fn whole_table_bounds_counts_and_integer_ranges() {
        let schema = Schema::new(vec![
            Field::new("id", DataType::Int32, true),
            Field::new("name", DataType::Utf8, true),
            Field::new("absent", DataType::Utf8, true),
        ]);
        let stats = ColumnStats::from_add_actions(&actions(), &schema);
        let id = &stats.by_name["id"];
        assert_eq!(
            id.min_value,
            Precision::Inexact(ScalarValue::Int32(Some(1)))
        );
        assert_eq!(
            id.max_value,
            Precision::Inexact(ScalarValue::Int32(Some(30)))
        );
        assert_eq!(id.null_count, Precision::Inexact(0));
        // 30 values in range, 30 rows.
        assert_eq!(id.distinct_count, Precision::Inexact(30));
        let name = &stats.by_name["name"];
        assert_eq!(name.min_value, Precision::Inexact(ScalarValue::from("a")));
        // One file lacks a max: no whole-table max.
        assert_eq!(name.max_value, Precision::Absent);
        assert_eq!(name.null_count, Precision::Inexact(3));
        assert_eq!(name.distinct_count, Precision::Absent);
        assert!(!stats.by_name.contains_key("absent"));
    }

    #[test]
    fn fills_only_what_is_absent_in_the_scans_type() {
        let known = ColumnStatistics {
            min_value: Precision::Inexact(ScalarValue::from("a")),
            max_value: Precision::Inexact(ScalarValue::from("z")),
            null_count: Precision::Inexact(3),
            ..ColumnStatistics::new_unknown()
        };
        let slot = ColumnStatistics {
            null_count: Precision::Exact(0),
            ..ColumnStatistics::new_unknown()
        };
        let filled = merge(&slot, &known, &DataType::Utf8View).unwrap();
        assert_eq!(
            filled.min_value,
            Precision::Inexact(ScalarValue::Utf8View(Some("a".into())))
        );
        assert_eq!(filled.null_count, Precision::Exact(0));
        assert!(merge(&filled, &known, &DataType::Utf8View).is_none());
    }
}

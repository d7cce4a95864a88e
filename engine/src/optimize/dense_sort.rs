//! Sorts whose first key is an integer column with a known, narrow range
//! (customer ids), by counting instead of comparing.
//!
//! "Each customer's orders in date order" is the input of every per-customer
//! window in customer analytics (`ROW_NUMBER()`/`LAG()` `OVER (PARTITION BY
//! contact_id ORDER BY order_date)`): DataFusion sorts it by comparing rows
//! on all the keys, and on the "days between orders" benchmark query at
//! SF10 that sort of 9.5 million orders was most of the query's time.
//!
//! [`DenseKeySort`] replaces a `SortExec` without a row limit whose first
//! key is an integer column whose minimum and maximum the input's
//! statistics give (see [`super::key_range`]) by [`DenseSortExec`]. It
//! buffers its partition's input as the sort does, then places rows by a
//! counting sort on the first key (one counter per value of the range, a
//! prefix sum, one scatter), and orders the few rows of each key by the
//! remaining keys, compared in Arrow's row format (any types, directions
//! and NULL placements). NULL keys go first or last as the first key's
//! options say; keys outside the range (statistics can be stale) are sorted
//! by comparison and put before or after the counted ones, so the order
//! never depends on the statistics being right. The output (schema,
//! ordering, partitioning) is the replaced operator's.
//!
//! Like DataFusion's sort under Tessera's unbounded memory pool, it does
//! not spill; its memory is reserved from the pool. The rule runs after
//! DataFusion's physical optimizer; a distributed executor needs this
//! operator's codec as for any extension plan.

use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::arrow::compute::{SortOptions, can_cast_types, cast, interleave_record_batch};
use datafusion::arrow::datatypes::{DataType, Int64Type};
use datafusion::arrow::row::{RowConverter, Rows, SortField};
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TreeNode, TreeNodeRecursion};
use datafusion::common::{Result, Statistics, exec_err};
use datafusion::execution::memory_pool::MemoryConsumer;
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::physical_expr::{OrderingRequirements, PhysicalExpr, PhysicalSortExpr};
use datafusion::physical_optimizer::PhysicalOptimizerRule;
use datafusion::physical_plan::execution_plan::{ChildrenPropertiesMode, ReplaceChildrenOptions};
use datafusion::physical_plan::expressions::Column;
use datafusion::physical_plan::metrics::{BaselineMetrics, ExecutionPlanMetricsSet, MetricsSet};
use datafusion::physical_plan::sorts::sort::SortExec;
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::{
    ChildStats, DisplayAs, DisplayFormatType, ExecutionPlan, PlanProperties, StatisticsArgs,
    displayable,
};
use futures::{StreamExt, TryStreamExt};

use super::key_range::{KeyRange, integer_key};

/// The physical optimizer rule (see the module docs).
#[derive(Debug, Default)]
pub struct DenseKeySort;

impl PhysicalOptimizerRule for DenseKeySort {
    fn optimize(
        &self,
        plan: Arc<dyn ExecutionPlan>,
        _config: &ConfigOptions,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        plan.transform_up(|node| match DenseSortExec::try_new(&node)? {
            Some(exec) => Ok(Transformed::yes(Arc::new(exec) as Arc<dyn ExecutionPlan>)),
            None => Ok(Transformed::no(node)),
        })
        .map(|t| t.data)
    }

    fn name(&self) -> &str {
        "tessera_dense_key_sort"
    }

    fn schema_check(&self) -> bool {
        true
    }
}

/// A `SortExec` whose first key is an integer column of a known range,
/// sorted by counting (see the module docs).
#[derive(Debug)]
pub struct DenseSortExec {
    /// The `SortExec` this operator replaces: its schema, properties and
    /// input requirements are this one's.
    replaced: Arc<dyn ExecutionPlan>,
    input: Arc<dyn ExecutionPlan>,
    key: Column,
    key_options: SortOptions,
    /// The keys after the first.
    rest: Vec<PhysicalSortExpr>,
    range: KeyRange,
    metrics: ExecutionPlanMetricsSet,
}

impl DenseSortExec {
    /// The replacement for `node`, when it is a sort this operator does.
    fn try_new(node: &Arc<dyn ExecutionPlan>) -> Result<Option<Self>> {
        let Some((sort, key)) = Self::sorts_by_integer(node)? else {
            return Ok(None);
        };
        Ok(KeyRange::of(sort.input(), &key)?.and_then(|range| Self::with_range(node, range)))
    }

    /// The sort and its first key, when `node` sorts all its rows first by
    /// an integer column.
    fn sorts_by_integer(node: &Arc<dyn ExecutionPlan>) -> Result<Option<(&SortExec, Column)>> {
        let Some(sort) = node.downcast_ref::<SortExec>() else {
            return Ok(None);
        };
        if sort.fetch().is_some() {
            return Ok(None);
        }
        let Some(key) = sort.expr().first().expr.downcast_ref::<Column>() else {
            return Ok(None);
        };
        if !integer_key(&key.data_type(&sort.input().schema())?) {
            return Ok(None);
        }
        Ok(Some((sort, key.clone())))
    }

    /// The replacement for `node` counting over `range`.
    fn with_range(node: &Arc<dyn ExecutionPlan>, range: KeyRange) -> Option<Self> {
        let (sort, key) = Self::sorts_by_integer(node).ok()??;
        let exprs = sort.expr();
        Some(DenseSortExec {
            replaced: Arc::clone(node),
            input: Arc::clone(sort.input()),
            key,
            key_options: exprs.first().options,
            rest: exprs.iter().skip(1).cloned().collect(),
            range,
            metrics: ExecutionPlanMetricsSet::new(),
        })
    }
}

impl DisplayAs for DenseSortExec {
    /// The replaced sort's line (every key, which `ShareSubplans` relies
    /// on) and the counted range.
    fn fmt_as(&self, _t: DisplayFormatType, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let replaced = displayable(self.replaced.as_ref()).one_line().to_string();
        write!(
            f,
            "DenseSortExec: keys={}..={}, replaces {}",
            self.range.base,
            self.range.base + (self.range.len as i64 - 1),
            replaced.trim_end()
        )
    }
}

impl ExecutionPlan for DenseSortExec {
    fn name(&self) -> &str {
        "DenseSortExec"
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        self.replaced.properties()
    }

    fn apply_expressions(
        &self,
        f: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> Result<TreeNodeRecursion>,
    ) -> Result<TreeNodeRecursion> {
        self.replaced.apply_expressions(f)
    }

    fn input_distribution_requirements(
        &self,
    ) -> datafusion::physical_plan::distribution_requirements::InputDistributionRequirements {
        self.replaced.input_distribution_requirements()
    }

    fn required_input_ordering(&self) -> Vec<Option<OrderingRequirements>> {
        self.replaced.required_input_ordering()
    }

    fn maintains_input_order(&self) -> Vec<bool> {
        vec![false]
    }

    fn benefits_from_input_partitioning(&self) -> Vec<bool> {
        self.replaced.benefits_from_input_partitioning()
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        vec![&self.input]
    }

    fn with_new_children(
        self: Arc<Self>,
        mut children: Vec<Arc<dyn ExecutionPlan>>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let input = children.swap_remove(0);
        let replaced = Arc::clone(&self.replaced).replace_children(
            vec![Arc::clone(&input)],
            ReplaceChildrenOptions::new(ChildrenPropertiesMode::Recompute),
        )?;
        Ok(Arc::new(DenseSortExec {
            replaced,
            input,
            key: self.key.clone(),
            key_options: self.key_options,
            rest: self.rest.clone(),
            range: self.range,
            metrics: ExecutionPlanMetricsSet::new(),
        }))
    }

    fn statistics_from_inputs(
        &self,
        input_stats: &[Arc<Statistics>],
        args: &StatisticsArgs,
    ) -> Result<Arc<Statistics>> {
        self.replaced.statistics_from_inputs(input_stats, args)
    }

    fn child_stats_requests(&self, partition: Option<usize>) -> Vec<ChildStats> {
        self.replaced.child_stats_requests(partition)
    }

    fn metrics(&self) -> Option<MetricsSet> {
        Some(self.metrics.clone_inner())
    }

    fn execute(
        &self,
        partition: usize,
        ctx: Arc<TaskContext>,
    ) -> Result<SendableRecordBatchStream> {
        let mut input = self.input.execute(partition, Arc::clone(&ctx))?;
        let schema = self.schema();
        let sorter = Sorter {
            key: Arc::new(self.key.clone()),
            key_options: self.key_options,
            rest: self.rest.clone(),
            range: self.range,
        };
        let metrics = BaselineMetrics::new(&self.metrics, partition);
        let reservation =
            MemoryConsumer::new(format!("DenseSortExec[{partition}]")).register(ctx.memory_pool());
        let batch_size = ctx.session_config().batch_size().max(1);
        let output = futures::stream::once(async move {
            let mut batches = Vec::new();
            while let Some(batch) = input.next().await {
                let batch = batch?;
                if batch.num_rows() > 0 {
                    reservation.try_grow(batch.get_array_memory_size())?;
                    batches.push(batch);
                }
            }
            let elapsed = metrics.elapsed_compute().clone();
            let timer = elapsed.timer();
            let order = sorter.order(&batches)?;
            reservation.try_grow(order.capacity() * size_of::<(u32, u32)>())?;
            let refs: Vec<&RecordBatch> = batches.iter().collect();
            let out = order
                .chunks(batch_size)
                .map(|chunk| {
                    let indices: Vec<(usize, usize)> = chunk
                        .iter()
                        .map(|&(b, r)| (b as usize, r as usize))
                        .collect();
                    interleave_record_batch(&refs, &indices).map_err(Into::into)
                })
                .collect::<Result<Vec<_>>>()?;
            timer.done();
            metrics.record_output(order.len());
            drop(reservation);
            Ok::<_, datafusion::error::DataFusionError>(futures::stream::iter(
                out.into_iter().map(Ok),
            ))
        })
        .try_flatten();
        Ok(Box::pin(RecordBatchStreamAdapter::new(schema, output)))
    }
}

/// What a partition is sorted by.
struct Sorter {
    key: Arc<dyn PhysicalExpr>,
    key_options: SortOptions,
    rest: Vec<PhysicalSortExpr>,
    range: KeyRange,
}

/// A row: its batch and its index there.
type RowId = (u32, u32);

/// A row to place: its remaining keys as a number that orders as they do
/// (exactly, or a prefix of their row format), and the row.
type Entry = (u128, u32, u32);

/// The remaining keys of every row, per batch.
enum RestKeys {
    /// No remaining keys.
    None,
    /// One or two integer or temporal keys without NULLs, packed into one
    /// `u128` per row that orders exactly as they do: no comparison
    /// reads anything else (the common `ORDER BY order_date, order_id`).
    Packed(Vec<Vec<u128>>),
    /// Anything else: Arrow's row format, compared by its first 16 bytes,
    /// then whole where those tie.
    Rows(Vec<Rows>),
}

/// Types whose values convert to `i64` in their own order.
fn packable(t: &DataType) -> bool {
    (integer_key(t)
        || matches!(
            t,
            DataType::Date32
                | DataType::Date64
                | DataType::Timestamp(..)
                | DataType::Time32(_)
                | DataType::Time64(_)
        ))
        && can_cast_types(t, &DataType::Int64)
}

impl RestKeys {
    /// The number `row` of batch `b` is placed with.
    fn prefix(&self, b: usize, row: usize) -> u128 {
        match self {
            RestKeys::None => 0,
            RestKeys::Packed(keys) => keys[b][row],
            RestKeys::Rows(rows) => {
                let bytes = rows[b].row(row);
                let bytes = bytes.as_ref();
                let mut buf = [0u8; 16];
                let n = bytes.len().min(16);
                buf[..n].copy_from_slice(&bytes[..n]);
                u128::from_be_bytes(buf)
            }
        }
    }

    /// The order of two entries: by their numbers, then (row format) by
    /// the whole rows.
    fn cmp(&self, a: &Entry, b: &Entry) -> Ordering {
        a.0.cmp(&b.0).then_with(|| match self {
            RestKeys::Rows(rows) => rows[a.1 as usize]
                .row(a.2 as usize)
                .cmp(&rows[b.1 as usize].row(b.2 as usize)),
            _ => Ordering::Equal,
        })
    }
}

impl Sorter {
    /// The remaining keys of `batches`, packed when they allow it.
    fn rest_keys(&self, batches: &[RecordBatch]) -> Result<RestKeys> {
        if self.rest.is_empty() {
            return Ok(RestKeys::None);
        }
        let evaluated = batches
            .iter()
            .map(|b| {
                self.rest
                    .iter()
                    .map(|e| e.expr.evaluate(b)?.into_array(b.num_rows()))
                    .collect::<Result<Vec<_>>>()
            })
            .collect::<Result<Vec<_>>>()?;
        let packs = self.rest.len() <= 2
            && evaluated
                .iter()
                .flatten()
                .all(|a| packable(a.data_type()) && a.null_count() == 0);
        if packs {
            let mut out = Vec::with_capacity(batches.len());
            for columns in &evaluated {
                let mut keys = vec![0u128; columns.first().map_or(0, |c| c.len())];
                for (j, (column, e)) in columns.iter().zip(&self.rest).enumerate() {
                    let values = cast(column, &DataType::Int64)?;
                    let shift = if j == 0 { 64 } else { 0 };
                    for (k, &v) in keys
                        .iter_mut()
                        .zip(values.as_primitive::<Int64Type>().values())
                    {
                        // Sign bit flipped: i64 order as u64 order.
                        let mut n = (v as u64) ^ (1 << 63);
                        if e.options.descending {
                            n = !n;
                        }
                        *k |= u128::from(n) << shift;
                    }
                }
                out.push(keys);
            }
            return Ok(RestKeys::Packed(out));
        }
        let fields = evaluated
            .first()
            .map(|columns| {
                columns
                    .iter()
                    .zip(&self.rest)
                    .map(|(c, e)| SortField::new_with_options(c.data_type().clone(), e.options))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        let converter = RowConverter::new(fields)?;
        Ok(RestKeys::Rows(
            evaluated
                .iter()
                .map(|columns| converter.convert_columns(columns))
                .collect::<std::result::Result<Vec<_>, _>>()?,
        ))
    }

    /// Every row of `batches`, in sorted order.
    fn order(&self, batches: &[RecordBatch]) -> Result<Vec<RowId>> {
        let total: usize = batches.iter().map(RecordBatch::num_rows).sum();
        if batches.len() > u32::MAX as usize
            || batches.iter().any(|b| b.num_rows() > u32::MAX as usize)
        {
            return exec_err!("DenseSortExec: batch too large");
        }
        let rest = self.rest_keys(batches)?;

        // Count the rows of each key of the range; the others aside.
        let keys = batches
            .iter()
            .map(|b| {
                cast(
                    &self.key.evaluate(b)?.into_array(b.num_rows())?,
                    &DataType::Int64,
                )
            })
            .collect::<std::result::Result<Vec<_>, _>>()?;
        // Far fewer rows than key values (a filtered input): counters would
        // cost more than comparing, so every row is sorted as an outlier.
        let len = if total.saturating_mul(4) < self.range.len {
            0
        } else {
            self.range.len
        };
        let base = self.range.base;
        let mut starts = vec![0u32; len + 1];
        let mut nulls: Vec<Entry> = Vec::new();
        let mut outliers: Vec<(i64, Entry)> = Vec::new();
        for (b, k) in keys.iter().enumerate() {
            let k = k.as_primitive::<Int64Type>();
            for (i, &v) in k.values().iter().enumerate() {
                let entry = || (rest.prefix(b, i), b as u32, i as u32);
                if k.is_null(i) {
                    nulls.push(entry());
                    continue;
                }
                let offset = v.wrapping_sub(base) as u64;
                if offset < len as u64 {
                    starts[offset as usize + 1] += 1;
                } else {
                    outliers.push((v, entry()));
                }
            }
        }
        for i in 1..=len {
            starts[i] += starts[i - 1];
        }
        // Scatter: each row, with its remaining keys' number, to the next
        // free place of its key; then each key's few rows in order.
        let counted = starts[len] as usize;
        let mut placed: Vec<Entry> = vec![(0, 0, 0); counted];
        let mut next = starts.clone();
        for (b, k) in keys.iter().enumerate() {
            let k = k.as_primitive::<Int64Type>();
            for (i, &v) in k.values().iter().enumerate() {
                let offset = v.wrapping_sub(base) as u64;
                if k.is_valid(i) && offset < len as u64 {
                    let slot = &mut next[offset as usize];
                    placed[*slot as usize] = (rest.prefix(b, i), b as u32, i as u32);
                    *slot += 1;
                }
            }
        }
        if !matches!(rest, RestKeys::None) {
            for w in starts.windows(2) {
                let (from, to) = (w[0] as usize, w[1] as usize);
                if to - from > 1 {
                    placed[from..to].sort_by(|a, b| rest.cmp(a, b));
                }
            }
        }
        nulls.sort_by(|a, b| rest.cmp(a, b));
        let descending = self.key_options.descending;
        outliers.sort_by(|(x, a), (y, b)| {
            let by_key = if descending { y.cmp(x) } else { x.cmp(y) };
            by_key.then_with(|| rest.cmp(a, b))
        });
        // Keys that sort before the counted ones, and after them.
        let (before, after): (Vec<_>, Vec<_>) = outliers
            .into_iter()
            .partition(|(v, _)| (*v < base) != descending);

        let id = |e: &Entry| (e.1, e.2);
        let mut order = Vec::with_capacity(total);
        if self.key_options.nulls_first {
            order.extend(nulls.iter().map(id));
        }
        order.extend(before.iter().map(|(_, e)| id(e)));
        if descending {
            for w in starts.windows(2).rev() {
                order.extend(placed[w[0] as usize..w[1] as usize].iter().map(id));
            }
        } else {
            order.extend(placed.iter().map(id));
        }
        order.extend(after.iter().map(|(_, e)| id(e)));
        if !self.key_options.nulls_first {
            order.extend(nulls.iter().map(id));
        }
        Ok(order)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use datafusion::arrow::array::{Int32Array, Int64Array, RecordBatch, StringArray};
    use datafusion::arrow::datatypes::{DataType, Field, Schema};
    use datafusion::arrow::util::pretty::pretty_format_batches;
    use datafusion::common::tree_node::{Transformed, TreeNode};
    use datafusion::datasource::MemTable;
    use datafusion::physical_plan::{ExecutionPlan, collect, displayable};
    use datafusion::prelude::{SessionConfig, SessionContext};

    use super::{DenseSortExec, KeyRange};

    /// Two partitions of small batches: keys 0‥11 and NULL, a few outside
    /// any small range; ties on the second key.
    fn table() -> MemTable {
        let schema = Arc::new(Schema::new(vec![
            Field::new("k", DataType::Int32, true),
            Field::new("g", DataType::Utf8, true),
            Field::new("ts", DataType::Int64, false),
            Field::new("v", DataType::Int32, true),
        ]));
        let mut seed = 5u64;
        let mut next = move |m: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % m
        };
        let mut partitions = vec![vec![], vec![]];
        for b in 0..8 {
            let n = 1 + next(30) as usize;
            let k: Int32Array = (0..n)
                .map(|_| match next(14) {
                    0 => None,
                    1 => Some(-5),
                    2 => Some(1_000_000),
                    x => Some(x as i32 - 3),
                })
                .collect();
            let g: StringArray = (0..n)
                .map(|_| (next(6) != 0).then(|| ["a", "b", "c"][next(3) as usize]))
                .collect();
            let ts: Int64Array = (0..n).map(|i| (b * 100 + i) as i64).collect();
            let v: Int32Array = (0..n)
                .map(|_| (next(5) != 0).then(|| next(10) as i32))
                .collect();
            partitions[b % 2].push(
                RecordBatch::try_new(
                    Arc::clone(&schema),
                    vec![Arc::new(k), Arc::new(g), Arc::new(ts), Arc::new(v)],
                )
                .unwrap(),
            );
        }
        MemTable::try_new(schema, partitions).unwrap()
    }

    /// The query's answer, with its sorts counted over `range` (`None`:
    /// DataFusion's plan), and the plan that ran.
    async fn run(sql: &str, range: Option<KeyRange>) -> (String, String) {
        let config = SessionConfig::new()
            .with_batch_size(7)
            .with_target_partitions(2);
        let ctx = SessionContext::new_with_config(config);
        ctx.register_table("t", Arc::new(table())).unwrap();
        let mut plan = ctx
            .sql(sql)
            .await
            .unwrap()
            .create_physical_plan()
            .await
            .unwrap();
        if let Some(range) = range {
            plan = plan
                .transform_up(|node| {
                    Ok(match DenseSortExec::with_range(&node, range) {
                        Some(dense) => Transformed::yes(Arc::new(dense) as Arc<dyn ExecutionPlan>),
                        None => Transformed::no(node),
                    })
                })
                .unwrap()
                .data;
        }
        let shown = displayable(plan.as_ref()).indent(true).to_string();
        let batches = collect(plan, ctx.task_ctx()).await.unwrap();
        (pretty_format_batches(&batches).unwrap().to_string(), shown)
    }

    #[tokio::test]
    async fn same_order_as_datafusion_whatever_the_range() {
        let ranges = [
            KeyRange { base: 0, len: 12 },
            KeyRange { base: 3, len: 4 },
            KeyRange { base: -5, len: 1 },
            KeyRange {
                base: -100,
                len: 2_000_000,
            },
            // Wider than 4 × the rows (a partition has about 60): every
            // row compared.
            KeyRange {
                base: 0,
                len: 1_000,
            },
        ];
        // Every sort has a total order (ts is unique), so the answers
        // compare row for row.
        for sql in [
            "SELECT k, g, ts, v FROM t ORDER BY k, g, ts",
            "SELECT k, g, ts FROM t ORDER BY k DESC, g NULLS FIRST, ts DESC",
            "SELECT k, ts FROM t ORDER BY k NULLS FIRST, ts",
            "SELECT k, ts FROM t ORDER BY k DESC NULLS LAST, ts",
            // Two remaining keys without NULLs (packed), one descending.
            "SELECT k, v, ts FROM t WHERE v IS NOT NULL ORDER BY k, v DESC, ts",
            "SELECT k, v, ts FROM t WHERE v IS NOT NULL ORDER BY k DESC, v, ts DESC",
            "SELECT k, ts, row_number() OVER (PARTITION BY k ORDER BY v, ts) AS rn, \
             lag(ts) OVER (PARTITION BY k ORDER BY v, ts) AS prev FROM t ORDER BY ts",
        ] {
            let (expected, plain) = run(sql, None).await;
            assert!(!plain.contains("DenseSortExec"));
            for range in ranges {
                let (actual, plan) = run(sql, Some(range)).await;
                assert!(plan.contains("DenseSortExec"), "{sql}\n{plan}");
                assert_eq!(actual, expected, "{sql} over {range:?}\n{plan}");
            }
        }
    }

    #[tokio::test]
    async fn limits_and_other_keys_keep_datafusion_sort() {
        let range = Some(KeyRange { base: 0, len: 12 });
        for sql in [
            "SELECT k, ts FROM t ORDER BY k, ts LIMIT 5",
            "SELECT g, ts FROM t ORDER BY g, ts",
            "SELECT k, ts FROM t ORDER BY k + 1, ts",
        ] {
            let (_, plan) = run(sql, range).await;
            assert!(!plan.contains("DenseSortExec"), "{sql}\n{plan}");
        }
    }
}

//! `GROUP BY` one integer column whose values lie in a known, not too wide
//! range, with groups found by indexing an array instead of hashing.
//!
//! Customer analytics groups by customer id everywhere (orders per
//! customer, first order, last event, lifetime value), and customer ids are
//! integers from a sequence: 100 000 customers are ids 1‥100 000. DataFusion's
//! hash aggregate looks each row's key up in a hash table that outgrows the
//! CPU caches and rehashes as it grows: in the "repeat purchase rate"
//! benchmark query (950 000 orders into 99 000 customers) the lookup and
//! the rehashing were a quarter of the query's time.
//!
//! [`DenseKeyAggregate`] replaces an `AggregateExec` of any mode that
//! groups by one integer column, when the input's statistics give that
//! column's minimum and maximum (Parquet and Delta files record them) and
//! the range is at most a few times the number of rows, by
//! [`DenseAggregateExec`]. It keeps a table with one `u32` per value of the
//! range, the group's index or "none yet", so finding a row's group is one
//! array read; groups are numbered in the order they first appear, so the
//! accumulators (DataFusion's own `GroupsAccumulator`s, the ones the hash
//! aggregate would use) see the same dense group indices as there. A key
//! outside the range (statistics can be stale or inexact) or NULL gets its
//! group from a small hash map instead, so the result never depends on the
//! statistics being right: only the speed does.
//!
//! The output (schema, partitioning) is the replaced operator's: group key
//! first, then each aggregate's state (partial modes) or value (final
//! modes); rows come in no particular order, as from the hash aggregate.
//! Memory (the table, the accumulators) is reserved from the session's
//! memory pool; unlike the hash aggregate the operator does not spill,
//! which the bound on the range keeps small (4 bytes per value).
//!
//! The rule runs after DataFusion's physical optimizer; a distributed
//! executor needs this operator's codec as for any extension plan.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int64Array, RecordBatch};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Int64Type, SchemaRef};
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TreeNode, TreeNodeRecursion};
use datafusion::common::{Result, Statistics};
use datafusion::execution::memory_pool::{MemoryConsumer, MemoryReservation};
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::logical_expr::{EmitTo, GroupsAccumulator};
use datafusion::physical_expr::{OrderingRequirements, PhysicalExpr};
use datafusion::physical_optimizer::PhysicalOptimizerRule;
use datafusion::physical_plan::aggregates::{
    AggregateExec, AggregateInputMode, AggregateOutputMode, aggregate_expressions,
};
use datafusion::physical_plan::execution_plan::{ChildrenPropertiesMode, ReplaceChildrenOptions};
use datafusion::physical_plan::expressions::Column;
use datafusion::physical_plan::metrics::{BaselineMetrics, ExecutionPlanMetricsSet, MetricsSet};
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::{
    ChildStats, DisplayAs, DisplayFormatType, ExecutionPlan, InputOrderMode, PlanProperties,
    StatisticsArgs, displayable,
};
use futures::{StreamExt, TryStreamExt};

use super::key_range::{KeyRange, integer_key};

/// Marks a key value no row has had yet.
const NO_GROUP: u32 = u32::MAX;

/// The physical optimizer rule (see the module docs).
#[derive(Debug, Default)]
pub struct DenseKeyAggregate;

impl PhysicalOptimizerRule for DenseKeyAggregate {
    fn optimize(
        &self,
        plan: Arc<dyn ExecutionPlan>,
        _config: &ConfigOptions,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        plan.transform_up(|node| match DenseAggregateExec::try_new(&node)? {
            Some(exec) => Ok(Transformed::yes(Arc::new(exec) as Arc<dyn ExecutionPlan>)),
            None => Ok(Transformed::no(node)),
        })
        .map(|t| t.data)
    }

    fn name(&self) -> &str {
        "tessera_dense_key_aggregate"
    }

    fn schema_check(&self) -> bool {
        true
    }
}

/// An `AggregateExec` grouping by one integer column, with direct-indexed
/// groups (see the module docs).
#[derive(Debug)]
pub struct DenseAggregateExec {
    /// The `AggregateExec` this operator replaces: its schema, properties,
    /// input requirements and aggregates are this one's.
    replaced: Arc<dyn ExecutionPlan>,
    input: Arc<dyn ExecutionPlan>,
    key: Column,
    range: KeyRange,
    metrics: ExecutionPlanMetricsSet,
}

impl DenseAggregateExec {
    /// The replacement for `node`, or `None` when it is not an aggregate
    /// this operator computes the same way or its key's range is unknown
    /// or too wide.
    fn try_new(node: &Arc<dyn ExecutionPlan>) -> Result<Option<Self>> {
        let Some((_, key)) = Self::groups_by_integer(node)? else {
            return Ok(None);
        };
        let input = node.children()[0];
        Ok(KeyRange::of(input, &key)?.and_then(|range| Self::with_range(node, range)))
    }

    /// The aggregate and its key column, when `node` groups by one integer
    /// column with aggregates that have groups accumulators.
    fn groups_by_integer(
        node: &Arc<dyn ExecutionPlan>,
    ) -> Result<Option<(&AggregateExec, Column)>> {
        let Some(agg) = node.downcast_ref::<AggregateExec>() else {
            return Ok(None);
        };
        let group_by = agg.group_expr();
        let simple = group_by.is_single()
            && group_by.expr().len() == 1
            && agg.limit_options().is_none()
            && *agg.input_order_mode() == InputOrderMode::Linear
            && agg
                .aggr_expr()
                .iter()
                .all(|a| a.groups_accumulator_supported());
        if !simple {
            return Ok(None);
        }
        let Some(key) = group_by.expr()[0].0.downcast_ref::<Column>() else {
            return Ok(None);
        };
        if !integer_key(&key.data_type(&agg.input().schema())?) {
            return Ok(None);
        }
        Ok(Some((agg, key.clone())))
    }

    /// The replacement for `node` indexing `range` directly.
    fn with_range(node: &Arc<dyn ExecutionPlan>, range: KeyRange) -> Option<Self> {
        let (agg, key) = Self::groups_by_integer(node).ok()??;
        Some(DenseAggregateExec {
            replaced: Arc::clone(node),
            input: Arc::clone(agg.input()),
            key,
            range,
            metrics: ExecutionPlanMetricsSet::new(),
        })
    }

    fn aggregate(&self) -> &AggregateExec {
        self.replaced
            .downcast_ref::<AggregateExec>()
            .expect("replaces an AggregateExec")
    }
}

impl DisplayAs for DenseAggregateExec {
    /// The replaced aggregate's line (every expression that decides the
    /// output, which `ShareSubplans` relies on) and the indexed range.
    fn fmt_as(&self, _t: DisplayFormatType, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let replaced = displayable(self.replaced.as_ref()).one_line().to_string();
        write!(
            f,
            "DenseAggregateExec: keys={}..={}, replaces {}",
            self.range.base,
            self.range.base + (self.range.len as i64 - 1),
            replaced.trim_end()
        )
    }
}

impl ExecutionPlan for DenseAggregateExec {
    fn name(&self) -> &str {
        "DenseAggregateExec"
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
        Ok(Arc::new(DenseAggregateExec {
            replaced,
            input,
            key: self.key.clone(),
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
        let agg = self.aggregate();
        let input = self.input.execute(partition, Arc::clone(&ctx))?;
        let mode = *agg.mode();
        let arguments = aggregate_expressions(agg.aggr_expr(), &mode, 1)?;
        // FILTER (WHERE …) applies to raw rows; partial states are filtered.
        let filters = match mode.input_mode() {
            AggregateInputMode::Raw => agg.filter_expr().to_vec(),
            AggregateInputMode::Partial => vec![None; agg.aggr_expr().len()],
        };
        let accumulators = agg
            .aggr_expr()
            .iter()
            .zip(arguments)
            .zip(filters)
            .map(|((expr, arguments), filter)| {
                Ok(Aggregate {
                    accumulator: expr.create_groups_accumulator()?,
                    arguments,
                    filter,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let schema = self.schema();
        let mut groups = Groups {
            key: Arc::new(self.key.clone()),
            range: self.range,
            table: Vec::new(),
            outliers: HashMap::new(),
            keys: Vec::new(),
            indices: Vec::new(),
            accumulators,
            raw_input: mode.input_mode() == AggregateInputMode::Raw,
            final_output: mode.output_mode() == AggregateOutputMode::Final,
            reservation: MemoryConsumer::new(format!("DenseAggregateExec[{partition}]"))
                .register(ctx.memory_pool()),
            metrics: BaselineMetrics::new(&self.metrics, partition),
        };
        let batch_size = ctx.session_config().batch_size();
        let out_schema = Arc::clone(&schema);
        let output = futures::stream::once(async move {
            let mut input = input;
            while let Some(batch) = input.next().await {
                groups.update(&batch?)?;
            }
            let batches = groups.emit(&out_schema, batch_size)?;
            Ok::<_, datafusion::error::DataFusionError>(futures::stream::iter(
                batches.into_iter().map(Ok),
            ))
        })
        .try_flatten();
        Ok(Box::pin(RecordBatchStreamAdapter::new(schema, output)))
    }
}

/// One aggregate function: its accumulator and what it reads.
struct Aggregate {
    accumulator: Box<dyn GroupsAccumulator>,
    arguments: Vec<Arc<dyn PhysicalExpr>>,
    filter: Option<Arc<dyn PhysicalExpr>>,
}

/// The groups of one partition and their accumulators.
struct Groups {
    key: Arc<dyn PhysicalExpr>,
    range: KeyRange,
    /// Per key value of the range: its group's index, or [`NO_GROUP`].
    /// Allocated with the first row.
    table: Vec<u32>,
    /// Groups of keys outside the range, and of NULL.
    outliers: HashMap<Option<i64>, u32>,
    /// Each group's key, by group index.
    keys: Vec<Option<i64>>,
    /// The current batch's group index per row (reused).
    indices: Vec<usize>,
    accumulators: Vec<Aggregate>,
    /// Raw rows in (else partial states); final values out (else states).
    raw_input: bool,
    final_output: bool,
    reservation: MemoryReservation,
    metrics: BaselineMetrics,
}

impl Groups {
    fn update(&mut self, batch: &RecordBatch) -> Result<()> {
        let elapsed = self.metrics.elapsed_compute().clone();
        let _timer = elapsed.timer();
        let n = batch.num_rows();
        if n == 0 {
            return Ok(());
        }
        let keys = cast(&self.key.evaluate(batch)?.into_array(n)?, &DataType::Int64)?;
        self.find_groups(keys.as_primitive::<Int64Type>());
        let total = self.keys.len();
        for aggregate in &mut self.accumulators {
            let values = aggregate
                .arguments
                .iter()
                .map(|e| e.evaluate(batch)?.into_array(n))
                .collect::<Result<Vec<_>>>()?;
            let filter = match &aggregate.filter {
                Some(f) => Some(f.evaluate(batch)?.into_array(n)?),
                None => None,
            };
            let filter = filter.as_ref().map(|f| f.as_boolean());
            if self.raw_input {
                aggregate
                    .accumulator
                    .update_batch(&values, &self.indices, filter, total)?;
            } else {
                aggregate
                    .accumulator
                    .merge_batch(&values, &self.indices, total)?;
            }
        }
        let size = self.table.capacity() * size_of::<u32>()
            + self.keys.capacity() * size_of::<Option<i64>>()
            + self.indices.capacity() * size_of::<usize>()
            + self.outliers.capacity() * (size_of::<Option<i64>>() + size_of::<u32>())
            + self
                .accumulators
                .iter()
                .map(|a| a.accumulator.size())
                .sum::<usize>();
        self.reservation.try_resize(size)
    }

    /// Sets `indices` to each row's group, making groups for new keys.
    fn find_groups(&mut self, keys: &Int64Array) {
        if self.table.is_empty() {
            self.table = vec![NO_GROUP; self.range.len];
        }
        self.indices.clear();
        self.indices.reserve(keys.len());
        let (base, len) = (self.range.base, self.range.len as u64);
        let Groups {
            table,
            outliers,
            keys: group_keys,
            indices,
            ..
        } = self;
        // A key outside the range, or NULL: its group from the map.
        let mut outlier = |key: Option<i64>, group_keys: &mut Vec<Option<i64>>| -> usize {
            *outliers.entry(key).or_insert_with(|| {
                group_keys.push(key);
                (group_keys.len() - 1) as u32
            }) as usize
        };
        for (i, &v) in keys.values().iter().enumerate() {
            if keys.is_null(i) {
                indices.push(outlier(None, group_keys));
                continue;
            }
            let offset = v.wrapping_sub(base) as u64;
            if offset < len {
                let slot = &mut table[offset as usize];
                if *slot == NO_GROUP {
                    *slot = group_keys.len() as u32;
                    group_keys.push(Some(v));
                }
                indices.push(*slot as usize);
            } else {
                indices.push(outlier(Some(v), group_keys));
            }
        }
    }

    /// Every group's key and aggregates, in batches of `batch_size` rows.
    fn emit(&mut self, schema: &SchemaRef, batch_size: usize) -> Result<Vec<RecordBatch>> {
        let elapsed = self.metrics.elapsed_compute().clone();
        let _timer = elapsed.timer();
        if self.keys.is_empty() {
            return Ok(Vec::new());
        }
        let keys: Int64Array = std::mem::take(&mut self.keys).into_iter().collect();
        let mut columns: Vec<ArrayRef> = vec![cast(&keys, schema.field(0).data_type())?];
        for aggregate in &mut self.accumulators {
            if self.final_output {
                columns.push(aggregate.accumulator.evaluate(EmitTo::All)?);
            } else {
                columns.extend(aggregate.accumulator.state(EmitTo::All)?);
            }
        }
        self.table = Vec::new();
        self.reservation.free();
        let batch = RecordBatch::try_new(Arc::clone(schema), columns)?;
        let rows = batch.num_rows();
        self.metrics.record_output(rows);
        Ok((0..rows)
            .step_by(batch_size.max(1))
            .map(|start| batch.slice(start, batch_size.min(rows - start)))
            .collect())
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

    use super::{DenseAggregateExec, KeyRange};

    /// Two partitions of small batches: keys 0‥11 and NULL, a few negative
    /// and large ones; values NULL now and then.
    fn table() -> MemTable {
        let schema = Arc::new(Schema::new(vec![
            Field::new("k", DataType::Int32, true),
            Field::new("g", DataType::Utf8, true),
            Field::new("ts", DataType::Int64, false),
            Field::new("v", DataType::Int32, true),
        ]));
        let mut seed = 11u64;
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
                .map(|_| Some(["a", "b", "c"][next(3) as usize]))
                .collect();
            let ts: Int64Array = (0..n).map(|i| (b * 100 + i) as i64).collect();
            let v: Int32Array = (0..n)
                .map(|_| (next(5) != 0).then(|| next(100) as i32))
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

    /// The query's answer, with its aggregates direct-indexed over `range`
    /// (`None`: DataFusion's plan), and the plan that ran.
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
                    Ok(match DenseAggregateExec::with_range(&node, range) {
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
    async fn same_answers_as_datafusion_whatever_the_range() {
        let ranges = [
            KeyRange { base: 0, len: 12 }, // every key but the outliers
            KeyRange { base: 3, len: 4 },  // most keys outside
            KeyRange { base: -5, len: 1 }, // one key inside
            KeyRange {
                base: -100,
                len: 2_000_000,
            }, // all of them
        ];
        for sql in [
            "SELECT k, count(*), count(v), sum(v), avg(v), min(g), max(ts), bool_and(v > 10), \
             count(v) FILTER (WHERE g = 'a'), sum(ts) FILTER (WHERE v IS NULL) \
             FROM t GROUP BY k ORDER BY k",
            "SELECT k, min(v), max(g), stddev(v), var_pop(v) FROM t WHERE v > 20 GROUP BY k HAVING count(*) > 1 ORDER BY k",
            "SELECT CAST(k AS bigint) AS kk, count(*) FROM t GROUP BY CAST(k AS bigint) ORDER BY kk",
            "SELECT k, count(*) FROM t WHERE v > 1000 GROUP BY k",
            "SELECT s.k, s.n, count(*) FROM (SELECT k, count(*) AS n FROM t GROUP BY k) s GROUP BY s.k, s.n ORDER BY 1",
        ] {
            let (expected, plain) = run(sql, None).await;
            assert!(!plain.contains("DenseAggregateExec"));
            for range in ranges {
                let (actual, plan) = run(sql, Some(range)).await;
                assert!(plan.contains("DenseAggregateExec"), "{sql}\n{plan}");
                assert_eq!(actual, expected, "{sql} over {range:?}\n{plan}");
            }
        }
    }

    #[tokio::test]
    async fn other_aggregates_keep_datafusion_operator() {
        let range = Some(KeyRange { base: 0, len: 12 });
        for sql in [
            // Two keys; a grouping set; a text key; an expression (its
            // final phase groups by a column, and is replaced).
            "SELECT k, g, count(*) FROM t GROUP BY k, g",
            "SELECT k, count(*) FROM t GROUP BY ROLLUP (k)",
            "SELECT g, count(*) FROM t GROUP BY g",
            "SELECT k + 1, count(*) FROM t GROUP BY k + 1",
        ] {
            let (_, plan) = run(sql, range).await;
            let partial = plan.lines().find(|l| l.contains("mode=Partial")).unwrap();
            assert!(partial.contains("AggregateExec: "), "{sql}\n{plan}");
            assert!(!partial.contains("DenseAggregateExec"), "{sql}\n{plan}");
        }
    }
}

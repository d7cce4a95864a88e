//! `row_number()`, `rank()`, `dense_rank()` and `lag(x [, n [, default]])`
//! over input already sorted by their window's PARTITION BY and ORDER BY,
//! computed batch by batch in one pass.
//!
//! The shape is everywhere in customer analytics: each customer's orders
//! numbered, with the previous order's date beside them
//! (`ROW_NUMBER() OVER (PARTITION BY contact_id ORDER BY order_date)`,
//! `LAG(order_date) OVER (…)`). DataFusion's `BoundedWindowAggExec` cuts
//! every input batch into one slice per partition and keeps per-partition
//! state in a map keyed by `ScalarValue`s: with ~100 000 customers of a
//! few orders each, that bookkeeping is most of the query's time (over half
//! of the "days between orders" benchmark query).
//!
//! [`SortedWindows`] replaces such an operator, when it runs in `Sorted`
//! mode (rows of a partition arrive together) and every function it
//! computes is `row_number`, `rank`, `dense_rank` or `lag` with a
//! constant offset, by
//! [`SortedWindowExec`]: partition starts are found by comparing each row's
//! key with the previous one in Arrow's row format, `row_number` is a
//! running count reset at each start, ranks move on where the ORDER BY
//! keys change (peers share one), and `lag` takes the value `n` rows
//! back (from the batch, or from the last `n` values of the previous
//! batches) unless the row is among the first `n` of its partition. The
//! output (schema, ordering, partitioning) is the replaced operator's.
//!
//! The rule runs after DataFusion's physical optimizer; a distributed
//! executor needs this operator's codec as for any extension plan.

use std::fmt;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, BooleanArray, UInt64Array, new_null_array};
use datafusion::arrow::compute::{cast, concat, take};
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::arrow::row::{OwnedRow, RowConverter, SortField};
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TreeNode, TreeNodeRecursion};
use datafusion::common::{Result, ScalarValue};
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::physical_expr::window::{StandardWindowExpr, StandardWindowFunctionExpr};
use datafusion::physical_expr::{OrderingRequirements, PhysicalExpr};
use datafusion::physical_optimizer::PhysicalOptimizerRule;
use datafusion::physical_plan::execution_plan::{ChildrenPropertiesMode, ReplaceChildrenOptions};
use datafusion::physical_plan::expressions::Literal;
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::windows::{BoundedWindowAggExec, WindowUDFExpr};
use datafusion::physical_plan::{
    DisplayAs, DisplayFormatType, ExecutionPlan, InputOrderMode, PlanProperties,
};
use futures::StreamExt;

/// The physical optimizer rule (see the module docs).
#[derive(Debug, Default)]
pub struct SortedWindows;

impl PhysicalOptimizerRule for SortedWindows {
    fn optimize(
        &self,
        plan: Arc<dyn ExecutionPlan>,
        _config: &ConfigOptions,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        plan.transform_up(|node| match SortedWindowExec::try_new(&node) {
            Some(exec) => Ok(Transformed::yes(Arc::new(exec) as Arc<dyn ExecutionPlan>)),
            None => Ok(Transformed::no(node)),
        })
        .map(|t| t.data)
    }

    fn name(&self) -> &str {
        "tessera_sorted_windows"
    }

    fn schema_check(&self) -> bool {
        true
    }
}

/// One window function the operator computes.
#[derive(Debug, Clone)]
enum Function {
    RowNumber,
    /// `rank()`: the position of the row's first peer (equal ORDER BY keys).
    Rank,
    /// `dense_rank()`: the number of peer groups up to the row.
    DenseRank,
    /// `lag(value, offset, default)`.
    Lag {
        value: Arc<dyn PhysicalExpr>,
        offset: usize,
        default: ScalarValue,
    },
}

/// `row_number`/`lag` over input sorted by the partition keys.
#[derive(Debug)]
pub struct SortedWindowExec {
    /// The `BoundedWindowAggExec` this operator replaces: its schema,
    /// properties and input requirements are this one's.
    replaced: Arc<dyn ExecutionPlan>,
    input: Arc<dyn ExecutionPlan>,
    partition_by: Vec<Arc<dyn PhysicalExpr>>,
    /// The ORDER BY that defines peers, when a function ranks.
    peers_by: Vec<Arc<dyn PhysicalExpr>>,
    functions: Vec<Function>,
}

impl SortedWindowExec {
    /// The replacement for `window`, or `None` when it computes anything
    /// else or its input is not sorted by the partition keys.
    fn try_new(node: &Arc<dyn ExecutionPlan>) -> Option<Self> {
        let window = node.downcast_ref::<BoundedWindowAggExec>()?;
        if window.input_order_mode != InputOrderMode::Sorted {
            return None;
        }
        let exprs = window.window_expr();
        let partition_by = exprs.first()?.partition_by().to_vec();
        let mut functions = Vec::with_capacity(exprs.len());
        let mut peers_by: Option<Vec<Arc<dyn PhysicalExpr>>> = None;
        for expr in exprs {
            if expr.partition_by() != partition_by.as_slice() {
                return None;
            }
            let standard = expr.as_any().downcast_ref::<StandardWindowExpr>()?;
            let udf = standard
                .get_standard_func_expr()
                .as_any()
                .downcast_ref::<WindowUDFExpr>()?;
            // IGNORE NULLS changes which rows count.
            if udf.name().to_ascii_uppercase().contains("IGNORE NULLS") {
                return None;
            }
            functions.push(match (udf.fun().name(), udf.args()) {
                ("row_number", []) => Function::RowNumber,
                (name @ ("rank" | "dense_rank"), []) => {
                    // Every ranking function must share one ORDER BY.
                    let order: Vec<_> = expr
                        .order_by()
                        .iter()
                        .map(|o| Arc::clone(&o.expr))
                        .collect();
                    if peers_by.get_or_insert_with(|| order.clone()) != &order {
                        return None;
                    }
                    if name == "rank" {
                        Function::Rank
                    } else {
                        Function::DenseRank
                    }
                }
                ("lag", [value, rest @ ..]) if rest.len() <= 2 => {
                    let literal = |e: &Arc<dyn PhysicalExpr>| {
                        e.downcast_ref::<Literal>().map(|l| l.value().clone())
                    };
                    let offset = match rest.first() {
                        None => 1,
                        Some(e) => match literal(e)?
                            .cast_to(&datafusion::arrow::datatypes::DataType::Int64)
                            .ok()?
                        {
                            ScalarValue::Int64(Some(n)) => usize::try_from(n).ok()?,
                            _ => return None,
                        },
                    };
                    let default = match rest.get(1) {
                        None => ScalarValue::Null,
                        Some(e) => literal(e)?,
                    };
                    Function::Lag {
                        value: Arc::clone(value),
                        offset,
                        default,
                    }
                }
                _ => return None,
            });
        }
        Some(SortedWindowExec {
            replaced: Arc::clone(node),
            input: Arc::clone(window.input()),
            partition_by,
            peers_by: peers_by.unwrap_or_default(),
            functions,
        })
    }
}

impl DisplayAs for SortedWindowExec {
    fn fmt_as(&self, _t: DisplayFormatType, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let window = self
            .replaced
            .downcast_ref::<BoundedWindowAggExec>()
            .expect("replaces a BoundedWindowAggExec");
        let names: Vec<&str> = window.window_expr().iter().map(|e| e.name()).collect();
        write!(f, "SortedWindowExec: [{}]", names.join(", "))
    }
}

impl ExecutionPlan for SortedWindowExec {
    fn name(&self) -> &str {
        "SortedWindowExec"
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
        vec![true]
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
        Ok(Arc::new(SortedWindowExec {
            replaced,
            input,
            partition_by: self.partition_by.clone(),
            peers_by: self.peers_by.clone(),
            functions: self.functions.clone(),
        }))
    }

    fn execute(
        &self,
        partition: usize,
        ctx: Arc<TaskContext>,
    ) -> Result<SendableRecordBatchStream> {
        let input = self.input.execute(partition, ctx)?;
        let schema = self.schema();
        let converter = |exprs: &[Arc<dyn PhysicalExpr>]| -> Result<RowConverter> {
            let fields = exprs
                .iter()
                .map(|e| Ok(SortField::new(e.data_type(&self.input.schema())?)))
                .collect::<Result<Vec<_>>>()?;
            Ok(RowConverter::new(fields)?)
        };
        let mut state = State {
            schema: Arc::clone(&schema),
            partition_by: self.partition_by.clone(),
            converter: converter(&self.partition_by)?,
            last_key: None,
            position: 0,
            peers_by: self.peers_by.clone(),
            peer_converter: converter(&self.peers_by)?,
            last_peer: None,
            rank: 0,
            dense_rank: 0,
            tails: vec![None; self.functions.len()],
            functions: self.functions.clone(),
        };
        let stream = input.map(move |batch| state.process(batch?));
        Ok(Box::pin(RecordBatchStreamAdapter::new(schema, stream)))
    }
}

/// What carries from one batch of a partition to the next.
struct State {
    schema: SchemaRef,
    partition_by: Vec<Arc<dyn PhysicalExpr>>,
    converter: RowConverter,
    /// The partition key of the last row seen.
    last_key: Option<OwnedRow>,
    /// The last row's 1-based position in its partition.
    position: u64,
    /// Ranking: the ORDER BY keys, the last row's, its rank and dense rank.
    peers_by: Vec<Arc<dyn PhysicalExpr>>,
    peer_converter: RowConverter,
    last_peer: Option<OwnedRow>,
    rank: u64,
    dense_rank: u64,
    /// Per function: for `lag`, the last `offset` values seen.
    tails: Vec<Option<ArrayRef>>,
    functions: Vec<Function>,
}

impl State {
    /// `rank` and `dense_rank` of each row, given its position in its
    /// partition (1 starts a partition). `continues` says whether rows came
    /// before this batch.
    fn ranks(
        &mut self,
        batch: &RecordBatch,
        positions: &[u64],
        continues: bool,
    ) -> Result<(Vec<u64>, Vec<u64>)> {
        let n = batch.num_rows();
        let keys = self
            .peers_by
            .iter()
            .map(|e| e.evaluate(batch)?.into_array(n))
            .collect::<Result<Vec<_>>>()?;
        let rows = self.peer_converter.convert_columns(&keys)?;
        let (mut rank, mut dense) = (Vec::with_capacity(n), Vec::with_capacity(n));
        for (i, &p) in positions.iter().enumerate() {
            let new_peer = p == 1
                || if i == 0 {
                    !continues
                        || self
                            .last_peer
                            .as_ref()
                            .is_none_or(|k| k.row() != rows.row(0))
                } else {
                    rows.row(i) != rows.row(i - 1)
                };
            if p == 1 {
                self.rank = 1;
                self.dense_rank = 1;
            } else if new_peer {
                self.rank = p;
                self.dense_rank += 1;
            }
            rank.push(self.rank);
            dense.push(self.dense_rank);
        }
        self.last_peer = Some(rows.row(n - 1).owned());
        Ok((rank, dense))
    }

    fn process(&mut self, batch: RecordBatch) -> Result<RecordBatch> {
        let n = batch.num_rows();
        if n == 0 {
            return Ok(RecordBatch::new_empty(Arc::clone(&self.schema)));
        }
        // Each row's position in its partition.
        let keys = self
            .partition_by
            .iter()
            .map(|e| e.evaluate(&batch)?.into_array(n))
            .collect::<Result<Vec<_>>>()?;
        let mut positions = Vec::with_capacity(n);
        let mut position = self.position;
        let continues = position > 0;
        if keys.is_empty() {
            // One partition: the count goes on.
            positions.extend((1..=n as u64).map(|i| position + i));
            position += n as u64;
        } else {
            let rows = self.converter.convert_columns(&keys)?;
            for i in 0..n {
                let starts = if i == 0 {
                    self.last_key
                        .as_ref()
                        .is_none_or(|k| k.row() != rows.row(0))
                } else {
                    rows.row(i) != rows.row(i - 1)
                };
                position = if starts { 1 } else { position + 1 };
                positions.push(position);
            }
            self.last_key = Some(rows.row(n - 1).owned());
        }
        self.position = position;
        let ranks = if self.peers_by.is_empty() {
            None
        } else {
            Some(self.ranks(&batch, &positions, continues)?)
        };

        let mut columns = batch.columns().to_vec();
        let first_new = columns.len();
        for (f, function) in self.functions.iter().enumerate() {
            let column: ArrayRef = match function {
                Function::RowNumber => Arc::new(UInt64Array::from(positions.clone())),
                Function::Rank | Function::DenseRank => {
                    let (rank, dense) = ranks.as_ref().expect("computed when a function ranks");
                    let values = if matches!(function, Function::Rank) {
                        rank
                    } else {
                        dense
                    };
                    Arc::new(UInt64Array::from(values.clone()))
                }
                Function::Lag {
                    value,
                    offset,
                    default,
                } => {
                    let values = value.evaluate(&batch)?.into_array(n)?;
                    let combined = match &self.tails[f] {
                        Some(tail) => concat(&[tail.as_ref(), values.as_ref()])?,
                        None => values,
                    };
                    let carried = combined.len() - n;
                    let offset = *offset as u64;
                    let indices: UInt64Array = positions
                        .iter()
                        .enumerate()
                        .map(|(i, &p)| (p > offset).then(|| (i + carried) as u64 - offset))
                        .collect();
                    let mut lagged = take(combined.as_ref(), &indices, None)?;
                    if !default.is_null() {
                        let before_start: BooleanArray =
                            positions.iter().map(|&p| Some(p <= offset)).collect();
                        let default = default.cast_to(lagged.data_type())?.to_scalar()?;
                        lagged = datafusion::arrow::compute::kernels::zip::zip(
                            &before_start,
                            &default,
                            &lagged,
                        )?;
                    }
                    let keep = (offset as usize).min(combined.len());
                    self.tails[f] = Some(combined.slice(combined.len() - keep, keep));
                    lagged
                }
            };
            let target = self.schema.field(first_new + f).data_type();
            let column = if column.data_type() == target {
                column
            } else if column.null_count() == column.len() {
                new_null_array(target, column.len())
            } else {
                cast(&column, target)?
            };
            columns.push(column);
        }
        Ok(RecordBatch::try_new(Arc::clone(&self.schema), columns)?)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use datafusion::arrow::array::{Int32Array, RecordBatch, StringArray};
    use datafusion::arrow::datatypes::{DataType, Field, Schema};
    use datafusion::arrow::util::pretty::pretty_format_batches;
    use datafusion::datasource::MemTable;
    use datafusion::execution::session_state::SessionStateBuilder;
    use datafusion::physical_plan::displayable;
    use datafusion::prelude::{SessionConfig, SessionContext};

    /// Rows in several small batches: partitions of 0 to 9 rows, some keys
    /// NULL, values NULL now and then.
    fn table() -> MemTable {
        let schema = Arc::new(Schema::new(vec![
            Field::new("k", DataType::Int32, true),
            Field::new("g", DataType::Utf8, true),
            Field::new("ts", DataType::Int32, false),
            Field::new("v", DataType::Int32, true),
        ]));
        let mut seed = 7u64;
        let mut next = move |m: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % m
        };
        let mut batches = vec![];
        for b in 0..6 {
            let n = 1 + next(40) as usize;
            let k: Int32Array = (0..n)
                .map(|_| (next(10) != 0).then(|| next(12) as i32))
                .collect();
            let g: StringArray = (0..n).map(|_| Some(["a", "b"][next(2) as usize])).collect();
            let ts: Int32Array = (0..n)
                .map(|i| (b * 100 + i) as i32)
                .collect::<Vec<_>>()
                .into();
            let v: Int32Array = (0..n)
                .map(|_| (next(5) != 0).then(|| next(100) as i32))
                .collect();
            batches.push(
                RecordBatch::try_new(
                    Arc::clone(&schema),
                    vec![Arc::new(k), Arc::new(g), Arc::new(ts), Arc::new(v)],
                )
                .unwrap(),
            );
        }
        MemTable::try_new(schema, vec![batches]).unwrap()
    }

    async fn run(sql: &str, with_rule: bool) -> (String, String) {
        let config = SessionConfig::new()
            .with_batch_size(5)
            .with_target_partitions(2);
        let mut builder = SessionStateBuilder::new()
            .with_config(config)
            .with_default_features();
        if with_rule {
            let mut rules = builder
                .physical_optimizer_rules()
                .clone()
                .unwrap_or_default();
            if rules.is_empty() {
                rules = SessionStateBuilder::new()
                    .with_default_features()
                    .build()
                    .physical_optimizers()
                    .to_vec();
            }
            rules.push(Arc::new(super::SortedWindows));
            builder = builder.with_physical_optimizer_rules(rules);
        }
        let ctx = SessionContext::new_with_state(builder.build());
        ctx.register_table("t", Arc::new(table())).unwrap();
        let df = ctx.sql(sql).await.unwrap();
        let plan = df.clone().create_physical_plan().await.unwrap();
        let shown = displayable(plan.as_ref()).indent(true).to_string();
        let batches = df.collect().await.unwrap();
        (pretty_format_batches(&batches).unwrap().to_string(), shown)
    }

    #[tokio::test]
    async fn same_answers_as_datafusion_across_batches() {
        for sql in [
            "SELECT k, ts, row_number() OVER w AS rn, lag(v) OVER w AS l1, lag(v, 2, -1) OVER w AS l2, \
             lag(v, 0) OVER w AS l0, lag(g, 3) OVER w AS lg \
             FROM t WINDOW w AS (PARTITION BY k ORDER BY ts) ORDER BY k, ts",
            "SELECT k, g, ts, row_number() OVER (PARTITION BY k, g ORDER BY ts DESC) AS rn, \
             lag(ts, 1, 0) OVER (PARTITION BY k, g ORDER BY ts DESC) AS prev FROM t ORDER BY k, g, ts",
            "SELECT ts, row_number() OVER (ORDER BY ts) AS rn, lag(v, 4) OVER (ORDER BY ts) AS l FROM t ORDER BY ts",
            "SELECT k, v, ts, rank() OVER w AS r, dense_rank() OVER w AS d, row_number() OVER w AS rn \
             FROM t WINDOW w AS (PARTITION BY k ORDER BY v DESC NULLS LAST) ORDER BY k, v DESC NULLS LAST, rn",
            "SELECT g, v, rank() OVER (ORDER BY g, v) AS r, dense_rank() OVER (ORDER BY g, v) AS d FROM t ORDER BY g, v",
        ] {
            let (expected, plain) = run(sql, false).await;
            let (actual, plan) = run(sql, true).await;
            assert!(!plain.contains("SortedWindowExec"));
            assert!(plan.contains("SortedWindowExec"), "{sql}\n{plan}");
            assert_eq!(actual, expected, "{sql}");
        }
    }

    #[tokio::test]
    async fn other_window_functions_keep_datafusion_operator() {
        let sql = "SELECT k, ts, ntile(3) OVER (PARTITION BY k ORDER BY ts), lead(v) OVER (PARTITION BY k ORDER BY ts) FROM t";
        let (_, plan) = run(sql, true).await;
        assert!(!plan.contains("SortedWindowExec"), "{plan}");
    }
}

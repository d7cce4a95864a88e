//! Subplans that a query computes twice, computed once.
//!
//! A `WITH` query referenced twice (`WITH firsts AS (SELECT contact_id,
//! min(order_date) … GROUP BY contact_id) … FROM firsts … JOIN (SELECT …
//! FROM firsts …)`) is inlined by DataFusion at each reference, so its
//! aggregation over the whole orders table runs twice. PostgreSQL
//! materialises such a CTE (referenced more than once, no `NOT
//! MATERIALIZED`) and so does DuckDB; on the cohort-retention benchmark
//! query the second aggregation was a third of Tessera's time.
//!
//! [`ShareSubplans`] runs after DataFusion's physical optimizer. It finds
//! subtrees that print identically (each node's one-line display and
//! schema, recursively, and the full file list of each scan) and occur
//! more than once, over leaves whose data it can identify (file scans),
//! keeps those worth
//! computing once (an aggregation, join or window inside) and safe to
//! (no dynamic filter — one pushed down by a hash join prints the same in
//! every copy but is fed by a different join — and no volatile function),
//! and puts one [`SharedExec`] in place of every copy. Each output
//! partition of the shared subtree runs once, in its own task, the first
//! time any copy asks for it; its batches are kept (and counted against
//! the memory pool) until the plan is dropped, and every copy streams
//! them. The largest duplicated subtrees are shared; nothing inside one is
//! shared again.
//!
//! Plans with recursive queries are left alone (their work tables are
//! re-executed by design). State lives in the plan instance, which Tessera
//! builds per execution; `reset_state` (DataFusion's re-execution hook)
//! and `with_new_children` start afresh. A distributed executor (Ballista)
//! would need a codec for this operator, as for any extension plan.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::config::ConfigOptions;
use datafusion::common::runtime::SpawnedTask;
use datafusion::common::tree_node::{Transformed, TreeNode, TreeNodeRecursion};
use datafusion::common::{DataFusionError, Result};
use datafusion::datasource::physical_plan::FileScanConfig;
use datafusion::datasource::source::DataSourceExec;
use datafusion::execution::memory_pool::{MemoryConsumer, MemoryReservation};
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::physical_expr::PhysicalExpr;
use datafusion::physical_optimizer::PhysicalOptimizerRule;
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::{
    DisplayAs, DisplayFormatType, ExecutionPlan, ExecutionPlanProperties, PlanProperties,
    displayable,
};
use futures::future::{BoxFuture, Shared};
use futures::{FutureExt, StreamExt, TryStreamExt, stream};

/// The physical optimizer rule (see the module docs).
#[derive(Debug, Default)]
pub struct ShareSubplans;

/// Operators whose work is worth keeping the output of.
const COSTLY: &[&str] = &[
    "AggregateExec",
    "DenseAggregateExec",
    "HashJoinExec",
    "SortMergeJoinExec",
    "NestedLoopJoinExec",
    "CrossJoinExec",
    "SymmetricHashJoinExec",
    "BoundedWindowAggExec",
    "WindowAggExec",
    "SortedWindowExec",
];

/// Operators whose one-line display names everything that decides their
/// output (with [`leaf_identity`] for scans). A subtree with any other
/// operator (extension plans, table functions, DataFusion operators not
/// reviewed here) is not shared.
const TRUSTED: &[&str] = &[
    "AggregateExec",
    "DenseAggregateExec",
    "HashJoinExec",
    "SortMergeJoinExec",
    "NestedLoopJoinExec",
    "CrossJoinExec",
    "BoundedWindowAggExec",
    "WindowAggExec",
    "SortedWindowExec",
    "ProjectionExec",
    "FilterExec",
    "RepartitionExec",
    "CoalescePartitionsExec",
    "CoalesceBatchesExec",
    "SortExec",
    "DenseSortExec",
    "SortPreservingMergeExec",
    "GlobalLimitExec",
    "LocalLimitExec",
    "UnionExec",
    "DeltaScanExec",
    "DataSourceExec",
    "PlaceholderRowExec",
    "EmptyExec",
];

/// Operators of recursive queries: plans with them are left alone.
const RECURSIVE: &[&str] = &["RecursiveQueryExec", "WorkTableExec"];

/// Text that makes a subtree unsafe to share when its one-line display
/// has it: values filled in at run time that print alike in every copy but
/// differ (dynamic filters fed by different joins, scalar subqueries shown
/// as `scalar_subquery(<pending>)`), and volatile functions (PostgreSQL
/// evaluates separate subqueries apart).
const UNSHAREABLE: &[&str] = &[
    "DynamicFilter",
    "scalar_subquery(",
    "<pending>",
    "random()",
    "uuid()",
    "nextval(",
];

/// What identifies the data a leaf reads, beyond its display (which
/// abbreviates file lists, and for some scans — delta-rs' row-count scan,
/// in-memory tables — does not name the data at all), or `None` for a leaf
/// whose data the rule cannot identify: subtrees over it are not shared.
fn leaf_identity(plan: &Arc<dyn ExecutionPlan>) -> Option<String> {
    if !plan.children().is_empty() {
        return Some(String::new());
    }
    if let Some(scan) = plan.downcast_ref::<DataSourceExec>()
        && let Some(config) = scan.data_source().downcast_ref::<FileScanConfig>()
    {
        let files = config.file_groups.iter().flat_map(|g| g.files());
        return Some(
            files
                .map(|f| format!("{}{:?};", f.object_meta.location, f.range))
                .collect(),
        );
    }
    // Leaves that read nothing.
    matches!(plan.name(), "PlaceholderRowExec" | "EmptyExec").then(String::new)
}

/// What the rule knows of one subtree.
struct Node {
    /// Its display and its children's, recursively.
    fingerprint: String,
    costly: bool,
    shareable: bool,
}

/// Describes every subtree of `plan`, keyed by node address.
fn describe(plan: &Arc<dyn ExecutionPlan>, out: &mut HashMap<usize, Node>) -> usize {
    let children: Vec<usize> = plan.children().iter().map(|c| describe(c, out)).collect();
    let line = displayable(plan.as_ref()).one_line().to_string();
    let identity = leaf_identity(plan);
    let mut fingerprint = format!(
        "{line}{:?}{}",
        plan.schema().fields(),
        identity.as_deref().unwrap_or_default()
    );
    let mut costly = COSTLY.contains(&plan.name());
    let mut shareable = identity.is_some()
        && TRUSTED.contains(&plan.name())
        && !UNSHAREABLE.iter().any(|s| line.contains(s));
    fingerprint.push('(');
    for c in &children {
        let child = &out[c];
        fingerprint.push_str(&child.fingerprint);
        fingerprint.push(',');
        costly |= child.costly;
        shareable &= child.shareable;
    }
    fingerprint.push(')');
    let key = Arc::as_ptr(plan) as *const () as usize;
    out.insert(
        key,
        Node {
            fingerprint,
            costly,
            shareable,
        },
    );
    key
}

/// Counts, top-down, the copies of each subtree that would be shared:
/// a candidate is counted and not entered.
fn count_copies(
    plan: &Arc<dyn ExecutionPlan>,
    nodes: &HashMap<usize, Node>,
    occurrences: &HashMap<&str, usize>,
    copies: &mut HashMap<String, usize>,
) {
    let node = &nodes[&(Arc::as_ptr(plan) as *const () as usize)];
    if node.costly && node.shareable && occurrences[node.fingerprint.as_str()] > 1 {
        *copies.entry(node.fingerprint.clone()).or_default() += 1;
        return;
    }
    for c in plan.children() {
        count_copies(c, nodes, occurrences, copies);
    }
}

impl PhysicalOptimizerRule for ShareSubplans {
    fn optimize(
        &self,
        plan: Arc<dyn ExecutionPlan>,
        _config: &ConfigOptions,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let mut recursive = false;
        plan.apply(|n| {
            recursive |= RECURSIVE.contains(&n.name());
            Ok(TreeNodeRecursion::Continue)
        })?;
        if recursive {
            return Ok(plan);
        }
        let mut nodes = HashMap::new();
        describe(&plan, &mut nodes);
        let mut occurrences: HashMap<&str, usize> = HashMap::new();
        for n in nodes.values() {
            *occurrences.entry(n.fingerprint.as_str()).or_default() += 1;
        }
        if occurrences.values().all(|&n| n < 2) {
            return Ok(plan);
        }
        let mut copies = HashMap::new();
        count_copies(&plan, &nodes, &occurrences, &mut copies);
        copies.retain(|_, n| *n > 1);
        if copies.is_empty() {
            return Ok(plan);
        }
        let mut shared: HashMap<String, Arc<dyn ExecutionPlan>> = HashMap::new();
        plan.transform_down(|node| {
            let Some(n) = nodes.get(&(Arc::as_ptr(&node) as *const () as usize)) else {
                return Ok(Transformed::no(node));
            };
            let Some(&consumers) = copies.get(&n.fingerprint) else {
                return Ok(Transformed::no(node));
            };
            let exec = shared
                .entry(n.fingerprint.clone())
                .or_insert_with(|| Arc::new(SharedExec::new(Arc::clone(&node), consumers)));
            Ok(Transformed::new(
                Arc::clone(exec),
                true,
                TreeNodeRecursion::Jump,
            ))
        })
        .map(|t| t.data)
    }

    fn name(&self) -> &str {
        "tessera_share_subplans"
    }

    fn schema_check(&self) -> bool {
        true
    }
}

/// The batches of one output partition, with their memory reservation.
type Batches = Arc<(Vec<RecordBatch>, MemoryReservation)>;
/// One partition's run, awaited by every copy.
type Run = Shared<BoxFuture<'static, std::result::Result<Batches, Arc<DataFusionError>>>>;

/// A subtree computed once for several parents (see the module docs).
#[derive(Debug)]
pub struct SharedExec {
    input: Arc<dyn ExecutionPlan>,
    /// How many places in the plan read it (for EXPLAIN).
    consumers: usize,
    /// Per output partition, its run once started.
    runs: Vec<OnceLock<Run>>,
}

impl SharedExec {
    fn new(input: Arc<dyn ExecutionPlan>, consumers: usize) -> SharedExec {
        let partitions = input.output_partitioning().partition_count();
        SharedExec {
            input,
            consumers,
            runs: (0..partitions).map(|_| OnceLock::new()).collect(),
        }
    }

    /// Runs `partition` of the input to the end in its own task.
    fn start(&self, partition: usize, ctx: Arc<TaskContext>) -> Run {
        let input = Arc::clone(&self.input);
        async move {
            let task = SpawnedTask::spawn(async move {
                let reservation = MemoryConsumer::new(format!("SharedExec[{partition}]"))
                    .register(ctx.memory_pool());
                let mut stream = input.execute(partition, ctx)?;
                let mut batches = Vec::new();
                while let Some(batch) = stream.next().await {
                    let batch = batch?;
                    reservation.try_grow(batch.get_array_memory_size())?;
                    batches.push(batch);
                }
                Ok::<_, DataFusionError>(Arc::new((batches, reservation)))
            });
            match task.join_unwind().await {
                Ok(result) => result.map_err(Arc::new),
                Err(e) => Err(Arc::new(DataFusionError::ExecutionJoin(Box::new(e)))),
            }
        }
        .boxed()
        .shared()
    }
}

impl DisplayAs for SharedExec {
    fn fmt_as(&self, _t: DisplayFormatType, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SharedExec: consumers={}", self.consumers)
    }
}

impl ExecutionPlan for SharedExec {
    fn name(&self) -> &str {
        "SharedExec"
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        self.input.properties()
    }

    fn apply_expressions(
        &self,
        _f: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> Result<TreeNodeRecursion>,
    ) -> Result<TreeNodeRecursion> {
        Ok(TreeNodeRecursion::Continue)
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
        Ok(Arc::new(SharedExec::new(
            children.swap_remove(0),
            self.consumers,
        )))
    }

    fn execute(
        &self,
        partition: usize,
        ctx: Arc<TaskContext>,
    ) -> Result<SendableRecordBatchStream> {
        let run = self
            .runs
            .get(partition)
            .ok_or_else(|| {
                DataFusionError::Internal(format!("SharedExec has no partition {partition}"))
            })?
            .get_or_init(|| self.start(partition, ctx))
            .clone();
        let batches = stream::once(run)
            .map_ok(|b| stream::iter(b.0.clone().into_iter().map(Ok)))
            .map_err(DataFusionError::Shared)
            .try_flatten();
        Ok(Box::pin(RecordBatchStreamAdapter::new(
            self.schema(),
            batches,
        )))
    }
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::util::pretty::pretty_format_batches;
    use datafusion::physical_plan::collect;
    use datafusion::prelude::SessionContext;

    use super::*;

    /// Tables `orders` and `refunds` (same shape, different values) as
    /// Parquet files in `dir`.
    async fn context(dir: &tempfile::TempDir) -> SessionContext {
        let ctx = SessionContext::new();
        for (table, factor) in [("orders", 1), ("refunds", 3)] {
            let path = dir.path().join(format!("{table}.parquet"));
            let path = path.display();
            for sql in [
                format!(
                    "COPY (SELECT g % 7 AS contact_id, g * {factor} AS amount \
                     FROM generate_series(1, 1000) AS t(g)) TO '{path}' STORED AS PARQUET"
                ),
                format!("CREATE EXTERNAL TABLE {table} STORED AS PARQUET LOCATION '{path}'"),
            ] {
                ctx.sql(&sql).await.unwrap().collect().await.unwrap();
            }
        }
        ctx
    }

    /// The plan of `sql` after the rule (and Tessera's dense-key
    /// aggregation before it, as in a session), its display, and its answer.
    async fn run(ctx: &SessionContext, sql: &str, share: bool) -> (String, String) {
        let df = ctx.sql(sql).await.unwrap();
        let mut plan = df.create_physical_plan().await.unwrap();
        if share {
            plan = super::super::dense_group::DenseKeyAggregate
                .optimize(plan, &ConfigOptions::default())
                .unwrap();
            plan = ShareSubplans
                .optimize(plan, &ConfigOptions::default())
                .unwrap();
        }
        let shown = displayable(plan.as_ref()).indent(false).to_string();
        let batches = collect(plan, ctx.task_ctx()).await.unwrap();
        (shown, pretty_format_batches(&batches).unwrap().to_string())
    }

    const TWICE: &str = "WITH totals AS (SELECT contact_id, sum(amount) AS total \
        FROM orders GROUP BY contact_id) \
        SELECT a.contact_id, a.total, b.n FROM totals a \
        JOIN (SELECT count(*) AS n, min(total) AS low FROM totals) b ON a.total > b.low \
        ORDER BY a.contact_id";

    #[tokio::test]
    async fn a_cte_read_twice_is_computed_once_with_the_same_answer() {
        let dir = tempfile::tempdir().unwrap();
        let ctx = context(&dir).await;
        let (plain_plan, plain) = run(&ctx, TWICE, false).await;
        let (plan, answer) = run(&ctx, TWICE, true).await;
        assert!(!plain_plan.contains("SharedExec"));
        // One shared subtree, shown under each of its two parents; nothing
        // inside it is shared again (that would show four times).
        assert_eq!(plan.matches("SharedExec").count(), 2, "{plan}");
        assert!(plan.contains("SharedExec: consumers=2"), "{plan}");
        assert!(plan.contains("DenseAggregateExec"), "{plan}");
        assert_eq!(answer, plain);
    }

    #[tokio::test]
    async fn other_tables_single_references_and_volatile_subplans_stay_apart() {
        let dir = tempfile::tempdir().unwrap();
        let ctx = context(&dir).await;
        // Same plan shape over two tables of the same size and schema.
        let two_tables = "SELECT (SELECT max(s) FROM (SELECT sum(amount) AS s FROM orders \
            GROUP BY contact_id)) AS o, (SELECT max(s) FROM (SELECT sum(amount) AS s \
            FROM refunds GROUP BY contact_id)) AS r";
        let (plan, answer) = run(&ctx, two_tables, true).await;
        assert!(!plan.contains("SharedExec"), "{plan}");
        assert_eq!(answer, run(&ctx, two_tables, false).await.1);
        let once = "SELECT contact_id, sum(amount) FROM orders GROUP BY contact_id \
                    ORDER BY contact_id";
        assert!(!run(&ctx, once, true).await.0.contains("SharedExec"));
        let volatile = "SELECT contact_id, sum(amount * random()) FROM orders GROUP BY contact_id \
            UNION ALL SELECT contact_id, sum(amount * random()) FROM orders GROUP BY contact_id";
        assert!(!run(&ctx, volatile, true).await.0.contains("SharedExec"));
        // The same query with a stable expression is shared.
        let stable = volatile.replace("random()", "2");
        assert!(run(&ctx, &stable, true).await.0.contains("SharedExec"));
    }
}

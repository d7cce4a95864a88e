//! [`DeltaDmlExec`]: runs a Delta operation (UPDATE, DELETE, MERGE, TRUNCATE)
//! when the plan is executed, not when it is planned, and yields the single
//! `count` row that DataFusion's DML plans produce.
//!
//! Delta's builders do their own scanning and writing, so this node has no
//! children; `EXPLAIN UPDATE …` plans it without changing anything.

use std::fmt;
use std::sync::Arc;

use datafusion::arrow::array::{RecordBatch, UInt64Array};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::common::Result;
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::physical_expr::EquivalenceProperties;
use datafusion::physical_plan::execution_plan::{Boundedness, EmissionType};
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::{
    DisplayAs, DisplayFormatType, ExecutionPlan, Partitioning, PlanProperties,
};
use futures::future::BoxFuture;

/// Produces the operation's future; called once per execution.
pub type DmlFn = Arc<dyn Fn() -> BoxFuture<'static, Result<u64>> + Send + Sync>;

/// A plan node that performs a Delta write operation and returns its row count.
pub struct DeltaDmlExec {
    op: &'static str,
    run: DmlFn,
    properties: Arc<PlanProperties>,
}

impl fmt::Debug for DeltaDmlExec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DeltaDmlExec({})", self.op)
    }
}

impl DeltaDmlExec {
    /// A node for `op` ("UPDATE", "DELETE", …) that runs `run` when executed.
    pub fn new(op: &'static str, run: DmlFn) -> Self {
        DeltaDmlExec {
            op,
            run,
            properties: count_properties(),
        }
    }
}

/// The schema of DataFusion's DML results: one non-null `count` column.
pub(crate) fn count_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![Field::new(
        "count",
        DataType::UInt64,
        false,
    )]))
}

/// Plan properties of a node that yields the single `count` row.
pub(crate) fn count_properties() -> Arc<PlanProperties> {
    Arc::new(PlanProperties::new(
        EquivalenceProperties::new(count_schema()),
        Partitioning::UnknownPartitioning(1),
        EmissionType::Final,
        Boundedness::Bounded,
    ))
}

/// A stream of one `count` row, computed by `fut`.
pub(crate) fn count_stream(
    fut: impl std::future::Future<Output = Result<u64>> + Send + 'static,
) -> SendableRecordBatchStream {
    let schema = count_schema();
    let out = schema.clone();
    let stream = futures::stream::once(async move {
        let n = fut.await?;
        Ok(RecordBatch::try_new(
            out,
            vec![Arc::new(UInt64Array::from(vec![n]))],
        )?)
    });
    Box::pin(RecordBatchStreamAdapter::new(schema, stream))
}

impl DisplayAs for DeltaDmlExec {
    fn fmt_as(&self, _t: DisplayFormatType, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DeltaDmlExec: op={}", self.op)
    }
}

impl ExecutionPlan for DeltaDmlExec {
    fn name(&self) -> &str {
        "DeltaDmlExec"
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        &self.properties
    }

    fn apply_expressions(
        &self,
        _f: &mut dyn FnMut(
            &Arc<dyn datafusion::physical_expr::PhysicalExpr>,
        ) -> Result<datafusion::common::tree_node::TreeNodeRecursion>,
    ) -> Result<datafusion::common::tree_node::TreeNodeRecursion> {
        Ok(datafusion::common::tree_node::TreeNodeRecursion::Continue)
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        vec![]
    }

    fn with_new_children(
        self: Arc<Self>,
        _children: Vec<Arc<dyn ExecutionPlan>>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        Ok(self)
    }

    fn execute(
        &self,
        _partition: usize,
        _ctx: Arc<TaskContext>,
    ) -> Result<SendableRecordBatchStream> {
        Ok(count_stream((self.run)()))
    }
}

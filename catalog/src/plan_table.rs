//! [`PlanTable`]: an already-planned `ExecutionPlan` seen as a table, so that
//! a physical plan (the source of a `MERGE`) can be read as a `DataFrame`.

use std::sync::Arc;

use async_trait::async_trait;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::Session;
use datafusion::common::Result;
use datafusion::datasource::{TableProvider, TableType};
use datafusion::logical_expr::Expr;
use datafusion::physical_plan::ExecutionPlan;
use datafusion::physical_plan::projection::ProjectionExec;

/// A table whose scan is a given plan.
#[derive(Debug)]
pub struct PlanTable {
    plan: Arc<dyn ExecutionPlan>,
    schema: SchemaRef,
}

impl PlanTable {
    /// Exposes `plan` with `schema` (same types, possibly other field names).
    pub fn new(plan: Arc<dyn ExecutionPlan>, schema: SchemaRef) -> Self {
        PlanTable { plan, schema }
    }
}

#[async_trait]
impl TableProvider for PlanTable {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    fn table_type(&self) -> TableType {
        TableType::Temporary
    }

    async fn scan(
        &self,
        _state: &dyn Session,
        projection: Option<&Vec<usize>>,
        _filters: &[Expr],
        _limit: Option<usize>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let all: Vec<usize> = (0..self.schema.fields().len()).collect();
        let indices = projection.unwrap_or(&all);
        let exprs: Vec<(Arc<dyn datafusion::physical_expr::PhysicalExpr>, String)> = indices
            .iter()
            .map(|&i| {
                let col = datafusion::physical_expr::expressions::Column::new(
                    self.plan.schema().field(i).name(),
                    i,
                );
                (Arc::new(col) as _, self.schema.field(i).name().clone())
            })
            .collect();
        Ok(Arc::new(ProjectionExec::try_new(exprs, self.plan.clone())?))
    }
}

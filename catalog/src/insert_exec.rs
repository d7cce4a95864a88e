//! [`DeltaInsertExec`]: `INSERT` into a Delta table with one Parquet writer
//! per input partition and a single Delta commit.
//!
//! delta-rs' own insert path (`DataSinkExec` + `DeltaDataSink`) funnels every
//! row through one Parquet encoder, which limits imports and
//! `INSERT … SELECT` to one core. Here each input partition is encoded by its
//! own writer task, in parallel; the files of all partitions are committed
//! together, so the statement is still atomic: on any error nothing is
//! committed and the written files are left unreferenced (removed by
//! `VACUUM`).
//!
//! Tables with partition columns or column mapping use delta-rs' path.

use std::fmt;
use std::sync::Arc;

use datafusion::common::{DataFusionError, Result};
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::physical_plan::{
    DisplayAs, DisplayFormatType, ExecutionPlan, ExecutionPlanProperties, PlanProperties,
};
use deltalake::DeltaTable;
use deltalake::delta_datafusion::DataFusionMixins as _;
use deltalake::kernel::Action;
use deltalake::kernel::transaction::CommitBuilder;
use deltalake::operations::write::WriterStatsConfig;
use deltalake::operations::write::writer::{DeltaWriter, WriterConfig};
use deltalake::protocol::{DeltaOperation, SaveMode};
use deltalake::table::config::TablePropertiesExt as _;
use futures::StreamExt;
use tokio::task::JoinSet;

use crate::dml_exec::{count_properties, count_stream};

/// Parallel insert into an unpartitioned Delta table; yields one `count` row.
pub struct DeltaInsertExec {
    input: Arc<dyn ExecutionPlan>,
    delta: DeltaTable,
    mode: SaveMode,
    properties: Arc<PlanProperties>,
}

impl fmt::Debug for DeltaInsertExec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DeltaInsertExec({:?})", self.mode)
    }
}

impl DeltaInsertExec {
    /// Whether the table can take this path (no partition columns, no column mapping).
    pub fn supports(delta: &DeltaTable) -> bool {
        let Ok(state) = delta.snapshot() else {
            return false;
        };
        let snapshot = state.snapshot();
        snapshot.metadata().partition_columns().is_empty()
            // delta-rs does not re-export the kernel's ColumnMappingMode.
            && format!("{:?}", snapshot.table_configuration().column_mapping_mode()) == "None"
    }

    /// Inserts the rows of `input` (already in the table's column order).
    pub fn new(input: Arc<dyn ExecutionPlan>, delta: DeltaTable, mode: SaveMode) -> Self {
        DeltaInsertExec {
            input,
            delta,
            mode,
            properties: count_properties(),
        }
    }
}

fn delta_err(e: deltalake::DeltaTableError) -> DataFusionError {
    DataFusionError::External(Box::new(e))
}

async fn write_all(
    input: Arc<dyn ExecutionPlan>,
    delta: DeltaTable,
    mode: SaveMode,
    ctx: Arc<TaskContext>,
) -> Result<u64> {
    let snapshot = delta.snapshot().map_err(delta_err)?.snapshot().clone();
    let log_store = delta.log_store();
    let target_schema = snapshot.input_schema();
    let stats = WriterStatsConfig::from_config(snapshot.table_configuration());
    let config = WriterConfig::new(
        snapshot.read_schema(),
        vec![],
        None,
        Some(
            snapshot
                .table_configuration()
                .table_properties()
                .target_file_size(),
        ),
        None,
        stats.num_indexed_cols,
        stats.stats_columns,
    );
    let operation_id = uuid::Uuid::new_v4();
    let store = log_store.object_store(Some(operation_id));
    let mut tasks = JoinSet::new();
    for partition in 0..input.output_partitioning().partition_count() {
        let mut stream = input.execute(partition, ctx.clone())?;
        let mut writer = DeltaWriter::new(store.clone(), config.clone());
        let schema = target_schema.clone();
        tasks.spawn(async move {
            let mut rows = 0u64;
            while let Some(batch) = stream.next().await {
                let batch = match batch {
                    Ok(b) => b,
                    Err(e) => {
                        let _ = writer.abort().await;
                        return Err(e);
                    }
                };
                rows += batch.num_rows() as u64;
                let batch = deltalake::cast_record_batch(&batch, schema.clone(), false, true)
                    .map_err(delta_err)?;
                writer.write(&batch).await.map_err(delta_err)?;
            }
            let adds = writer.close().await.map_err(delta_err)?;
            Ok::<_, DataFusionError>((rows, adds))
        });
    }
    let mut actions = Vec::new();
    let mut total = 0;
    while let Some(joined) = tasks.join_next().await {
        let (rows, adds) = joined.map_err(|e| DataFusionError::External(Box::new(e)))??;
        total += rows;
        actions.extend(adds.into_iter().map(Action::Add));
    }
    if mode == SaveMode::Overwrite {
        use futures::TryStreamExt;
        let removes: Vec<_> = snapshot
            .file_views(&log_store, None)
            .map_ok(|f| Action::Remove(f.remove_action(true)))
            .try_collect()
            .await
            .map_err(delta_err)?;
        actions.extend(removes);
    }
    let operation = DeltaOperation::Write {
        mode,
        partition_by: None,
        predicate: None,
    };
    CommitBuilder::default()
        .with_actions(actions)
        .with_operation_id(operation_id)
        .build(Some(&snapshot), log_store, operation)
        .await
        .map_err(delta_err)?;
    Ok(total)
}

impl DisplayAs for DeltaInsertExec {
    fn fmt_as(&self, _t: DisplayFormatType, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DeltaInsertExec: mode={:?}", self.mode)
    }
}

impl ExecutionPlan for DeltaInsertExec {
    fn name(&self) -> &str {
        "DeltaInsertExec"
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
        vec![&self.input]
    }

    /// Keep the input's partitions: each one gets its own writer.
    fn benefits_from_input_partitioning(&self) -> Vec<bool> {
        vec![false]
    }

    fn with_new_children(
        self: Arc<Self>,
        mut children: Vec<Arc<dyn ExecutionPlan>>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        Ok(Arc::new(DeltaInsertExec::new(
            children.swap_remove(0),
            self.delta.clone(),
            self.mode,
        )))
    }

    fn execute(
        &self,
        _partition: usize,
        ctx: Arc<TaskContext>,
    ) -> Result<SendableRecordBatchStream> {
        Ok(count_stream(write_all(
            self.input.clone(),
            self.delta.clone(),
            self.mode,
            ctx,
        )))
    }
}

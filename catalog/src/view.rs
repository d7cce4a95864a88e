//! Views: stored SQL, expanded when scanned.
//!
//! A view is planned with the scanning session (so it sees that session's
//! functions) but with the default schema it was created under, so that
//! unqualified names keep meaning what they meant at `CREATE VIEW`. Its
//! result shape is fixed at creation (as in PostgreSQL) and stored in the
//! catalog as an Arrow IPC schema; a view whose tables changed so that its
//! columns no longer match fails with a clear error.

use std::io::Cursor;
use std::sync::Arc;

use async_trait::async_trait;
use datafusion::arrow::datatypes::{Schema, SchemaRef};
use datafusion::arrow::ipc::reader::StreamReader;
use datafusion::arrow::ipc::writer::StreamWriter;
use datafusion::catalog::Session;
use datafusion::common::{Result, plan_err};
use datafusion::datasource::{TableProvider, TableType};
use datafusion::execution::SessionState;
use datafusion::logical_expr::{Expr, cast};
use datafusion::physical_plan::ExecutionPlan;
use datafusion::prelude::{DataFrame, col};

use crate::error::Error;
use crate::metadata::ViewMeta;

/// Encodes a schema for the catalog (hex of an empty Arrow IPC stream).
pub fn encode_schema(schema: &SchemaRef) -> String {
    let mut buf = Vec::new();
    {
        let mut w = StreamWriter::try_new(&mut buf, schema).expect("writing to a Vec cannot fail");
        w.finish().expect("writing to a Vec cannot fail");
    }
    hex::encode(buf)
}

/// Decodes a schema written by [`encode_schema`].
pub fn decode_schema(hex_text: &str) -> crate::Result<SchemaRef> {
    let bytes = hex::decode(hex_text)
        .map_err(|e| Error::InvalidDefinition(format!("stored view schema: {e}")))?;
    let reader = StreamReader::try_new(Cursor::new(bytes), None)
        .map_err(|e| Error::InvalidDefinition(format!("stored view schema: {e}")))?;
    Ok(reader.schema())
}

/// A view as a table provider.
#[derive(Debug)]
pub struct ViewTable {
    name: String,
    meta: ViewMeta,
    schema: SchemaRef,
}

impl ViewTable {
    /// Builds the provider for a stored view.
    pub fn try_new(name: &str, meta: ViewMeta) -> crate::Result<Self> {
        let schema = decode_schema(&meta.arrow_schema)?;
        Ok(ViewTable {
            name: name.to_string(),
            meta,
            schema,
        })
    }

    /// The stored definition.
    pub fn meta(&self) -> &ViewMeta {
        &self.meta
    }
}

#[async_trait]
impl TableProvider for ViewTable {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    fn table_type(&self) -> TableType {
        TableType::View
    }

    fn get_table_definition(&self) -> Option<&str> {
        Some(&self.meta.sql)
    }

    async fn scan(
        &self,
        state: &dyn Session,
        projection: Option<&Vec<usize>>,
        _filters: &[Expr],
        limit: Option<usize>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let Some(state) = state.as_any().downcast_ref::<SessionState>() else {
            return plan_err!("views need a DataFusion SessionState");
        };
        let mut state = state.clone();
        state.config_mut().options_mut().catalog.default_schema = self.meta.default_schema.clone();
        let plan = state.create_logical_plan(&self.meta.sql).await?;
        let df = DataFrame::new(state, plan);
        let actual: Schema = df.schema().as_arrow().clone();
        if actual.fields().len() != self.schema.fields().len() {
            return plan_err!(
                "view \"{}\" no longer matches its tables: recreate it with CREATE OR REPLACE VIEW",
                self.name
            );
        }
        let all: Vec<usize> = (0..self.schema.fields().len()).collect();
        let wanted = projection.unwrap_or(&all);
        let exprs: Vec<Expr> = wanted
            .iter()
            .map(|&i| {
                let (q, f) = df.schema().qualified_field(i);
                let c = col(datafusion::common::Column::new(q.cloned(), f.name()));
                let stored = self.schema.field(i);
                let e = if f.data_type() == stored.data_type() {
                    c
                } else {
                    cast(c, stored.data_type().clone())
                };
                e.alias(stored.name())
            })
            .collect();
        let mut df = df.select(exprs)?;
        if let Some(n) = limit {
            df = df.limit(0, Some(n))?;
        }
        df.create_physical_plan().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::datatypes::{DataType, Field};

    #[test]
    fn schema_survives_encoding() {
        let s: SchemaRef = Arc::new(Schema::new(vec![
            Field::new("a", DataType::Int64, false),
            Field::new("b", DataType::Utf8View, true),
        ]));
        assert_eq!(decode_schema(&encode_schema(&s)).unwrap(), s);
    }
}

//! DataFusion catalog providers over a [`Warehouse`].
//!
//! Register [`TesseraCatalogProvider`] in a `SessionContext` and every schema,
//! table and view of the warehouse is visible to SQL. Providers read the
//! catalog snapshot held by the warehouse; the session front end calls
//! [`Warehouse::refresh`] once per statement so other processes' changes
//! appear without a restart. Relations are created and dropped through the
//! warehouse's DDL methods, not through `register_table`.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use async_trait::async_trait;
use datafusion::catalog::{CatalogProvider, SchemaProvider};
use datafusion::common::{DataFusionError, Result, exec_err, not_impl_err};
use datafusion::datasource::TableProvider;
use datafusion::execution::SessionState;
use datafusion::execution::session_state::SessionStateBuilder;

use crate::metadata::RelationKind;
use crate::table::TesseraTable;
use crate::view::ViewTable;
use crate::warehouse::Warehouse;

/// The warehouse as a DataFusion catalog (one PostgreSQL "database").
#[derive(Debug, Clone)]
pub struct TesseraCatalogProvider {
    warehouse: Arc<Warehouse>,
    expr_state: Arc<SessionState>,
    /// In-process schemas registered by the front end (`pg_catalog`): not
    /// persisted, rebuilt by every process.
    system: Arc<RwLock<HashMap<String, Arc<dyn SchemaProvider>>>>,
}

impl TesseraCatalogProvider {
    /// A catalog over `warehouse`; column defaults are parsed with DataFusion's
    /// built-in functions.
    pub fn new(warehouse: Arc<Warehouse>) -> Self {
        let state = SessionStateBuilder::new().with_default_features().build();
        Self::with_expr_state(warehouse, state)
    }

    /// A catalog that parses column defaults with `state`'s functions (so that
    /// defaults may call the session's own UDFs).
    pub fn with_expr_state(warehouse: Arc<Warehouse>, state: SessionState) -> Self {
        TesseraCatalogProvider {
            warehouse,
            expr_state: Arc::new(state),
            system: Default::default(),
        }
    }

    /// The warehouse behind this catalog.
    pub fn warehouse(&self) -> &Arc<Warehouse> {
        &self.warehouse
    }
}

impl CatalogProvider for TesseraCatalogProvider {
    fn schema_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.warehouse.state().schemas.keys().cloned().collect();
        names.extend(self.system.read().expect("lock poisoned").keys().cloned());
        names
    }

    fn schema(&self, name: &str) -> Option<Arc<dyn SchemaProvider>> {
        if let Some(s) = self.system.read().expect("lock poisoned").get(name) {
            return Some(s.clone());
        }
        self.warehouse.state().schemas.get(name)?;
        Some(Arc::new(TesseraSchemaProvider {
            catalog: self.clone(),
            schema: name.to_string(),
        }))
    }

    /// Registers an in-process system schema such as `pg_catalog`. User
    /// schemas are created with `CREATE SCHEMA`, which persists them.
    fn register_schema(
        &self,
        name: &str,
        schema: Arc<dyn SchemaProvider>,
    ) -> Result<Option<Arc<dyn SchemaProvider>>> {
        if self.warehouse.state().schemas.contains_key(name) {
            return not_impl_err!("schema \"{name}\" exists in the warehouse");
        }
        Ok(self
            .system
            .write()
            .expect("lock poisoned")
            .insert(name.to_string(), schema))
    }
}

/// One schema of the warehouse.
#[derive(Debug)]
pub struct TesseraSchemaProvider {
    catalog: TesseraCatalogProvider,
    schema: String,
}

#[async_trait]
impl SchemaProvider for TesseraSchemaProvider {
    fn table_names(&self) -> Vec<String> {
        let state = self.catalog.warehouse.state();
        let Some(s) = state.schemas.get(&self.schema) else {
            return vec![];
        };
        s.tables.keys().chain(s.views.keys()).cloned().collect()
    }

    async fn table(&self, name: &str) -> Result<Option<Arc<dyn TableProvider>>> {
        let wh = &self.catalog.warehouse;
        let state = wh.state();
        match state.relation_kind(&self.schema, name) {
            None => Ok(None),
            Some(RelationKind::View) => {
                let meta = state.schemas[&self.schema].views[name].clone();
                Ok(Some(Arc::new(ViewTable::try_new(name, meta)?)))
            }
            Some(RelationKind::Table) => {
                let meta = state.schemas[&self.schema].tables[name].clone();
                let delta = wh
                    .load_delta(&meta.location)
                    .await
                    .map_err(DataFusionError::from)?;
                let t = TesseraTable::try_new(name, meta, delta, &self.catalog.expr_state)
                    .await?
                    .with_stats_cache(wh.stats_cache());
                Ok(Some(Arc::new(t)))
            }
        }
    }

    fn table_exist(&self, name: &str) -> bool {
        self.catalog
            .warehouse
            .state()
            .relation_kind(&self.schema, name)
            .is_some()
    }

    fn register_table(
        &self,
        name: String,
        _table: Arc<dyn TableProvider>,
    ) -> Result<Option<Arc<dyn TableProvider>>> {
        exec_err!("table \"{name}\" must be created through the warehouse (CREATE TABLE)")
    }

    fn deregister_table(&self, name: &str) -> Result<Option<Arc<dyn TableProvider>>> {
        exec_err!("table \"{name}\" must be dropped through the warehouse (DROP TABLE)")
    }
}

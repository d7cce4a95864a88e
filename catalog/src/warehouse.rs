//! [`Warehouse`]: the catalog and its Delta tables on one object store.
//!
//! The warehouse owns no state that matters beyond caches: every change is
//! committed to the object store before it is visible (see [`crate::persist`]),
//! so any number of processes can share one warehouse. Statements start with
//! [`Warehouse::refresh`] to pick up other processes' commits.
//!
//! Order of effects, chosen so that a failure never leaves the catalog
//! pointing at missing data:
//! - create: Delta table first, then the catalog entry (a crash in between
//!   leaves an orphan folder, removed by the next create of that name);
//! - drop: catalog entry first, then the data;
//! - rename: copy the data, commit the catalog, delete the old copy.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Once, RwLock};

use datafusion::arrow::datatypes::SchemaRef;
use datafusion::prelude::SessionContext;
use deltalake::kernel::StructField;
use deltalake::logstore::LogStoreRef;
use deltalake::protocol::SaveMode;
use deltalake::{DeltaTable, DeltaTableBuilder};
use futures::{StreamExt, TryStreamExt};
use object_store::ObjectStoreExt;

use crate::column_stats::StatsCache;
use crate::error::{Error, Result};
use crate::metadata::{CatalogState, ColumnMeta, TableMeta, ViewMeta};
use crate::persist::{self, Commit};
use crate::storage::WarehouseLocation;

/// How many times a catalog change is retried against concurrent writers.
const MAX_COMMIT_ATTEMPTS: usize = 20;

/// A warehouse: catalog metadata plus Delta tables, on one object store.
pub struct Warehouse {
    location: WarehouseLocation,
    state: RwLock<(u64, Arc<CatalogState>)>,
    /// Loaded Delta tables by location, brought up to date on each use.
    tables: Mutex<HashMap<String, DeltaTable>>,
    /// Column statistics of those tables, by table URL and version.
    column_stats: Arc<StatsCache>,
}

impl std::fmt::Debug for Warehouse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Warehouse")
            .field("url", &self.location.url.as_str())
            .finish()
    }
}

/// Definition of a new table.
#[derive(Debug, Clone)]
pub struct NewTable {
    /// Columns in order.
    pub columns: Vec<ColumnMeta>,
    /// Primary key column names.
    pub primary_key: Vec<String>,
    /// Table comment.
    pub comment: Option<String>,
}

impl Warehouse {
    /// Opens (creating if needed) the warehouse at `spec` (see [`WarehouseLocation::parse`]).
    pub async fn open(spec: &str, s3_options: &HashMap<String, String>) -> Result<Arc<Self>> {
        static REGISTER: Once = Once::new();
        REGISTER.call_once(|| deltalake::aws::register_handlers(None));
        let location = WarehouseLocation::parse(spec, s3_options)?;
        let (version, state) =
            persist::load_latest(location.store.as_ref(), &location.root).await?;
        tracing::debug!(url = %location.url, version, "opened warehouse");
        Ok(Arc::new(Warehouse {
            location,
            state: RwLock::new((version, Arc::new(state))),
            tables: Mutex::new(HashMap::new()),
            column_stats: Arc::default(),
        }))
    }

    /// Where the warehouse lives.
    pub fn location(&self) -> &WarehouseLocation {
        &self.location
    }

    /// The catalog as last loaded.
    pub fn state(&self) -> Arc<CatalogState> {
        self.state.read().expect("catalog lock poisoned").1.clone()
    }

    /// The catalog version as last loaded.
    pub fn version(&self) -> u64 {
        self.state.read().expect("catalog lock poisoned").0
    }

    /// Picks up catalog versions committed by other processes.
    pub async fn refresh(&self) -> Result<()> {
        let current = self.version();
        let newer =
            persist::refresh(self.location.store.as_ref(), &self.location.root, current).await?;
        if let Some((v, s)) = newer {
            self.install(v, s);
        }
        Ok(())
    }

    fn install(&self, version: u64, state: CatalogState) {
        let mut guard = self.state.write().expect("catalog lock poisoned");
        if version > guard.0 {
            *guard = (version, Arc::new(state));
        }
    }

    /// Applies `change` to the newest catalog and commits it, retrying on
    /// concurrent commits. `change` must be a pure function of the state.
    pub async fn mutate<T>(
        &self,
        mut change: impl FnMut(&mut CatalogState) -> Result<T>,
    ) -> Result<T> {
        for _ in 0..MAX_COMMIT_ATTEMPTS {
            self.refresh().await?;
            let (version, current) = {
                let g = self.state.read().expect("catalog lock poisoned");
                (g.0, g.1.clone())
            };
            let mut next = (*current).clone();
            let out = change(&mut next)?;
            if next == *current {
                return Ok(out);
            }
            let store = self.location.store.as_ref();
            match persist::write_version(store, &self.location.root, version + 1, &next).await? {
                Commit::Done => {
                    self.install(version + 1, next);
                    return Ok(out);
                }
                Commit::Conflict => continue,
            }
        }
        Err(Error::CommitConflict {
            attempts: MAX_COMMIT_ATTEMPTS,
        })
    }

    /// `CREATE SCHEMA [IF NOT EXISTS]`; false when it existed.
    pub async fn create_schema(&self, schema: &str, if_not_exists: bool) -> Result<bool> {
        self.mutate(|s| s.create_schema(schema, if_not_exists))
            .await
    }

    /// `DROP SCHEMA [IF EXISTS] [CASCADE]`.
    pub async fn drop_schema(&self, schema: &str, if_exists: bool, cascade: bool) -> Result<()> {
        let dropped = self
            .mutate(|s| s.drop_schema(schema, if_exists, cascade))
            .await?;
        for t in dropped {
            self.delete_data(&t.location).await;
        }
        Ok(())
    }

    fn log_store(&self, relative: &str) -> Result<LogStoreRef> {
        let url = self.location.url_of(relative);
        Ok(DeltaTableBuilder::from_url(url.clone())?
            .with_storage_backend(self.location.store.clone(), url)
            .with_storage_options(self.location.delta_options.clone())
            .build_storage()?)
    }

    /// `CREATE TABLE`: creates the Delta table, then the catalog entry.
    /// Returns false when `if_not_exists` and the name was taken.
    pub async fn create_table(
        &self,
        schema: &str,
        name: &str,
        def: NewTable,
        if_not_exists: bool,
    ) -> Result<bool> {
        self.refresh().await?;
        match self.state().check_free(schema, name) {
            Err(Error::RelationExists { .. }) if if_not_exists => return Ok(false),
            r => r?,
        }
        let location = format!("{schema}/{name}");
        let fields = def
            .columns
            .iter()
            .map(|c| {
                Ok(StructField::new(
                    c.name.clone(),
                    c.pg_type.delta_type()?,
                    c.nullable,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        let mut probe = TableMeta {
            location: location.clone(),
            columns: def.columns.clone(),
            primary_key: def.primary_key.clone(),
            comment: def.comment.clone(),
            oid: 0,
        };
        // Validate before touching storage.
        CatalogState::default().add_table("public", name, probe.clone())?;

        // Nothing in the catalog points here, so anything left is an orphan.
        self.delete_data(&location).await;
        let mut builder = deltalake::operations::create::CreateBuilder::new()
            .with_log_store(self.log_store(&location)?)
            .with_table_name(name)
            .with_columns(fields)
            .with_save_mode(SaveMode::ErrorIfExists);
        if let Some(c) = &def.comment {
            builder = builder.with_comment(c.clone());
        }
        builder.await?;
        let added = self
            .mutate(|s| {
                probe.oid = s.next_oid();
                s.add_table(schema, name, probe.clone())
            })
            .await;
        if let Err(e) = added {
            self.delete_data(&location).await;
            return match e {
                Error::RelationExists { .. } if if_not_exists => Ok(false),
                e => Err(e),
            };
        }
        Ok(true)
    }

    /// `DROP TABLE [IF EXISTS]`; false when it did not exist.
    pub async fn drop_table(&self, schema: &str, name: &str, if_exists: bool) -> Result<bool> {
        let removed = self.mutate(|s| s.remove_table(schema, name)).await;
        match removed {
            Ok(t) => {
                self.delete_data(&t.location).await;
                Ok(true)
            }
            Err(Error::RelationNotFound { .. }) | Err(Error::SchemaNotFound(_)) if if_exists => {
                Ok(false)
            }
            Err(e) => Err(e),
        }
    }

    /// `ALTER TABLE … RENAME TO`: moves the data to `<schema>/<new>`.
    pub async fn rename_table(&self, schema: &str, name: &str, new_name: &str) -> Result<()> {
        self.refresh().await?;
        let state = self.state();
        let old = state.table(schema, name)?.location.clone();
        state.check_free(schema, new_name)?;
        let new_location = format!("{schema}/{new_name}");
        self.delete_data(&new_location).await;
        self.copy_data(&old, &new_location).await?;
        let renamed = self
            .mutate(|s| s.rename_table(schema, name, new_name, new_location.clone()))
            .await;
        match renamed {
            Ok(()) => self.delete_data(&old).await,
            Err(e) => {
                self.delete_data(&new_location).await;
                return Err(e);
            }
        }
        Ok(())
    }

    /// `ALTER TABLE … ADD COLUMN` (nullable columns only: existing rows read NULL).
    pub async fn add_column(&self, schema: &str, table: &str, column: ColumnMeta) -> Result<()> {
        self.refresh().await?;
        let state = self.state();
        let meta = state.table(schema, table)?;
        if meta.column_index(&column.name).is_some() {
            return Err(Error::ColumnExists {
                table: table.to_string(),
                column: column.name,
            });
        }
        if !column.nullable {
            return Err(Error::Unsupported(
                "adding a NOT NULL column to an existing table".into(),
            ));
        }
        let delta = self.load_delta(&meta.location).await?;
        let field = StructField::new(column.name.clone(), column.pg_type.delta_type()?, true);
        delta.add_columns().with_fields([field]).await?;
        self.mutate(|s| s.add_column(schema, table, column.clone()))
            .await
    }

    /// `ALTER TABLE … RENAME COLUMN`: rewrites the table with the new column name.
    pub async fn rename_column(
        &self,
        schema: &str,
        table: &str,
        old: &str,
        new: &str,
    ) -> Result<()> {
        self.refresh().await?;
        let state = self.state();
        let meta = state.table(schema, table)?;
        // Check the names before rewriting anything.
        state.clone_with(|s| s.rename_column(schema, table, old, new))?;
        let delta = self.load_delta(&meta.location).await?;
        let ctx = SessionContext::new();
        delta.update_datafusion_session(&ctx.state())?;
        let provider = delta.table_provider().await?;
        let df = ctx.read_table(provider)?;
        let exprs: Vec<_> = df
            .schema()
            .fields()
            .iter()
            .map(|f| {
                let c =
                    datafusion::prelude::col(datafusion::common::Column::new_unqualified(f.name()));
                if f.name() == old { c.alias(new) } else { c }
            })
            .collect();
        let plan = df.select(exprs)?.into_unoptimized_plan();
        delta
            .write(vec![])
            .with_input_plan(plan)
            .with_save_mode(SaveMode::Overwrite)
            .with_schema_mode(deltalake::operations::write::SchemaMode::Overwrite)
            .await?;
        self.mutate(|s| s.rename_column(schema, table, old, new))
            .await
    }

    /// `CREATE [OR REPLACE] VIEW`.
    pub async fn create_view(
        &self,
        schema: &str,
        name: &str,
        sql: &str,
        default_schema: &str,
        arrow_schema: &SchemaRef,
        or_replace: bool,
    ) -> Result<()> {
        let encoded = crate::view::encode_schema(arrow_schema);
        self.mutate(|s| {
            let view = ViewMeta {
                sql: sql.to_string(),
                default_schema: default_schema.to_string(),
                arrow_schema: encoded.clone(),
                comment: None,
                oid: s.next_oid(),
            };
            s.put_view(schema, name, view, or_replace)
        })
        .await
    }

    /// `DROP VIEW [IF EXISTS]`; false when it did not exist.
    pub async fn drop_view(&self, schema: &str, name: &str, if_exists: bool) -> Result<bool> {
        match self.mutate(|s| s.remove_view(schema, name)).await {
            Ok(()) => Ok(true),
            Err(Error::RelationNotFound { .. }) | Err(Error::SchemaNotFound(_)) if if_exists => {
                Ok(false)
            }
            Err(e) => Err(e),
        }
    }

    /// Where table providers keep column statistics between queries.
    pub(crate) fn stats_cache(&self) -> Arc<StatsCache> {
        self.column_stats.clone()
    }

    /// The Delta table behind a catalog table, brought up to date.
    pub async fn load_delta(&self, location: &str) -> Result<DeltaTable> {
        let cached = self
            .tables
            .lock()
            .expect("table cache lock poisoned")
            .get(location)
            .cloned();
        let table = match cached {
            Some(mut t) => {
                t.update_state().await?;
                t
            }
            None => {
                let mut t = DeltaTable::new(self.log_store(location)?);
                t.load().await?;
                t
            }
        };
        self.tables
            .lock()
            .expect("table cache lock poisoned")
            .insert(location.to_string(), table.clone());
        Ok(table)
    }

    /// Deletes everything under a relative location (best effort, logged).
    async fn delete_data(&self, relative: &str) {
        let removed = self
            .tables
            .lock()
            .expect("table cache lock poisoned")
            .remove(relative);
        if let Some(t) = removed {
            self.column_stats.forget(t.table_url().as_str());
        }
        let store = &self.location.store;
        let prefix = self.location.path_of(relative);
        let paths = store.list(Some(&prefix)).map_ok(|m| m.location).boxed();
        let deleted: Vec<_> = store.delete_stream(paths).collect().await;
        for r in deleted {
            if let Err(e) = r {
                tracing::warn!(location = relative, error = %e, "could not delete table data");
            }
        }
    }

    async fn copy_data(&self, from: &str, to: &str) -> Result<()> {
        let store = &self.location.store;
        let from_prefix = self.location.path_of(from);
        let to_prefix = self.location.path_of(to);
        let objects: Vec<_> = store.list(Some(&from_prefix)).try_collect().await?;
        for o in objects {
            let rest: Vec<_> = o
                .location
                .prefix_match(&from_prefix)
                .expect("listed under the prefix")
                .collect();
            let target = rest
                .into_iter()
                .fold(to_prefix.clone(), |p, part| p.join(part));
            store.copy(&o.location, &target).await?;
        }
        Ok(())
    }
}

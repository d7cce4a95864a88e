//! # tessera-catalog: the warehouse
//!
//! Tessera keeps customer data as Delta Lake tables (Parquet files plus a
//! transaction log) on object storage — a local folder, S3 or memory — and
//! the catalog (schemas, tables with their declared PostgreSQL types,
//! primary keys, defaults and comments, views) as versioned JSON documents
//! on the same store. There is no metadata server: any process that opens
//! the same warehouse URL sees the same tables.
//!
//! Main types:
//! - [`Warehouse`]: opens a location, loads and commits the catalog
//!   ([`persist`]), creates, alters and drops tables and views;
//! - [`TesseraCatalogProvider`]: the warehouse as a DataFusion catalog;
//! - [`TesseraTable`]: a Delta table as a `TableProvider` that supports
//!   `INSERT`, `UPDATE`, `DELETE`, `TRUNCATE` and `MERGE INTO` planned by
//!   DataFusion;
//! - [`PgType`]: declared PostgreSQL column types and their Delta storage.
//!
//! ```no_run
//! # async fn demo() -> tessera_catalog::Result<()> {
//! use std::sync::Arc;
//! use tessera_catalog::{TesseraCatalogProvider, Warehouse};
//! let wh = Warehouse::open("memory://", &Default::default()).await?;
//! let ctx = datafusion::prelude::SessionContext::new();
//! ctx.register_catalog("tessera", Arc::new(TesseraCatalogProvider::new(wh)));
//! # Ok(()) }
//! ```
//!
//! This crate holds no SQL statement handling and no protocol code; the
//! engine crate parses DDL and calls the warehouse.

pub mod checks;
mod column_stats;
pub mod dml_exec;
pub mod error;
pub mod insert_exec;
pub mod metadata;
pub mod persist;
pub mod pg_type;
pub mod provider;
pub mod storage;
pub mod table;
pub mod view;
pub mod warehouse;

pub use error::{Error, Result};
pub use metadata::{CatalogState, ColumnMeta, DEFAULT_SCHEMA, RelationKind, TableMeta, ViewMeta};
pub use pg_type::PgType;
pub use provider::{TesseraCatalogProvider, TesseraSchemaProvider};
pub use storage::{DEFAULT_WAREHOUSE, WarehouseLocation};
pub use table::TesseraTable;
pub use warehouse::{NewTable, Warehouse};

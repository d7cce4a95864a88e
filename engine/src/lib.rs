//! # tessera-engine: sessions, SQL beyond DataFusion, the server and the CLI
//!
//! - [`session`]: [`Engine`] opens a warehouse; [`Session`] runs SQL — the
//!   single entry point used by the CLI, the pgwire server and the tests;
//! - [`ddl`]: `CREATE/DROP SCHEMA|TABLE|VIEW`, `ALTER TABLE`, `COMMENT ON`,
//!   `CREATE TABLE AS`, executed against the warehouse;
//! - [`import`]: `tessera import` for CSV, Parquet and JSON;
//! - [`demo`]: the sample customer base;
//! - [`server`]: the PostgreSQL wire protocol;
//! - [`cli`]: the `tessera` command line; [`error`] and [`sqlstate`]: errors
//!   and their PostgreSQL codes.
//!
//! ```no_run
//! # async fn demo() -> tessera_engine::error::Result<()> {
//! let engine = tessera_engine::Engine::open("memory://", &Default::default()).await?;
//! let session = engine.session();
//! session.execute_collect("create table t(id bigint, name text); insert into t values (1, 'Zoé')").await?;
//! # Ok(()) }
//! ```

pub mod allocator;
pub mod array_casts;
pub mod checked_ints;
pub mod cli;
pub mod coercion;
pub mod config;
pub mod ddl;
pub mod demo;
pub mod describe;
pub mod error;
pub mod import;
mod on_conflict;
pub mod optimize;
pub mod output;
pub mod pg_plan;
mod pg_text;
mod row_changes;
pub mod server;
pub mod session;
mod set_ops;
pub mod shell;
pub mod sqlstate;
pub mod text_casts;
pub mod types;
mod update_from;
pub mod zoned_casts;

pub use error::{Error, Result};
pub use session::{Collected, Engine, QueryOutput, Session};

//! The catalog's error type.
//!
//! Variants carry the names a user needs to fix the problem; the engine maps
//! each variant to one PostgreSQL SQLSTATE in a single place.

use deltalake::DeltaTableError;

/// Result alias for the catalog.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the warehouse.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The warehouse URL cannot be used.
    #[error("invalid warehouse \"{url}\": {reason}")]
    InvalidWarehouse {
        /// The URL as given.
        url: String,
        /// Why it was refused.
        reason: String,
    },
    /// A schema that does not exist was named.
    #[error("schema \"{0}\" does not exist")]
    SchemaNotFound(String),
    /// A schema that exists already was created.
    #[error("schema \"{0}\" already exists")]
    SchemaExists(String),
    /// A schema that still holds relations was dropped without CASCADE.
    #[error("cannot drop schema \"{0}\" because other objects depend on it")]
    SchemaNotEmpty(String),
    /// A table or view that does not exist was named.
    #[error("relation \"{schema}.{name}\" does not exist")]
    RelationNotFound {
        /// Schema searched.
        schema: String,
        /// Relation name.
        name: String,
    },
    /// A relation with this name exists already.
    #[error("relation \"{schema}.{name}\" already exists")]
    RelationExists {
        /// Schema of the relation.
        schema: String,
        /// Relation name.
        name: String,
    },
    /// The relation is of the other kind (a view named where a table is needed, or the reverse).
    #[error("\"{schema}.{name}\" is not a {expected}")]
    WrongObjectType {
        /// Schema of the relation.
        schema: String,
        /// Relation name.
        name: String,
        /// What the statement needed: "table" or "view".
        expected: &'static str,
    },
    /// A column that does not exist was named.
    #[error("column \"{column}\" of relation \"{table}\" does not exist")]
    ColumnNotFound {
        /// Table name.
        table: String,
        /// Column name.
        column: String,
    },
    /// A column with this name exists already.
    #[error("column \"{column}\" of relation \"{table}\" already exists")]
    ColumnExists {
        /// Table name.
        table: String,
        /// Column name.
        column: String,
    },
    /// A table definition that cannot be stored (duplicate columns, unknown key column, …).
    #[error("invalid table definition: {0}")]
    InvalidDefinition(String),
    /// A type that Delta tables cannot store.
    #[error("type {0} cannot be stored in a table")]
    UnsupportedType(String),
    /// A feature that is not supported (yet).
    #[error("{0} is not supported")]
    Unsupported(String),
    /// Concurrent writers kept changing the catalog; the change was not applied.
    #[error("could not commit catalog change after {attempts} attempts: concurrent updates")]
    CommitConflict {
        /// How many times the change was tried.
        attempts: usize,
    },
    /// The catalog file on the store cannot be read.
    #[error("catalog file \"{path}\" is corrupt: {source}")]
    CorruptCatalog {
        /// Object path of the file.
        path: String,
        /// Parse error.
        source: serde_json::Error,
    },
    /// An error from the Delta Lake layer.
    #[error(transparent)]
    Delta(#[from] DeltaTableError),
    /// An error from the object store.
    #[error(transparent)]
    ObjectStore(#[from] object_store::Error),
    /// An error from DataFusion (planning a view or a default expression).
    #[error(transparent)]
    DataFusion(#[from] datafusion::error::DataFusionError),
}

impl From<Error> for datafusion::error::DataFusionError {
    fn from(e: Error) -> Self {
        match e {
            Error::DataFusion(e) => e,
            other => datafusion::error::DataFusionError::External(Box::new(other)),
        }
    }
}

//! The catalog's metadata model: schemas, tables, views and comments.
//!
//! This is plain data, serialised as one JSON document per catalog version
//! (see [`crate::persist`]). All mutations are pure functions on
//! [`CatalogState`] so that a change can be re-applied to a newer state when
//! another process committed first (optimistic concurrency).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::pg_type::PgType;

/// Name of the schema every warehouse starts with.
pub const DEFAULT_SCHEMA: &str = "public";

/// The whole catalog at one version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogState {
    /// Schemas by name.
    pub schemas: BTreeMap<String, SchemaMeta>,
}

impl Default for CatalogState {
    fn default() -> Self {
        let mut schemas = BTreeMap::new();
        schemas.insert(DEFAULT_SCHEMA.to_string(), SchemaMeta::default());
        CatalogState { schemas }
    }
}

/// One schema (a namespace of tables and views).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SchemaMeta {
    /// Stable object id (`pg_namespace.oid`); 0 in catalogs written before
    /// schemas had one, see [`CatalogState::schema_oid`].
    #[serde(default)]
    pub oid: u32,
    /// `COMMENT ON SCHEMA`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Tables by name.
    #[serde(default)]
    pub tables: BTreeMap<String, TableMeta>,
    /// Views by name.
    #[serde(default)]
    pub views: BTreeMap<String, ViewMeta>,
}

/// A table: its Delta location and what Delta does not record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableMeta {
    /// Path of the Delta table relative to the warehouse root (`schema/table`).
    pub location: String,
    /// Columns in order, with their declared PostgreSQL types.
    pub columns: Vec<ColumnMeta>,
    /// Primary key columns (recorded, not enforced).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub primary_key: Vec<String>,
    /// `COMMENT ON TABLE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Stable object id, used for `oid`s by the wire protocol.
    pub oid: u32,
}

/// Offset of a primary key's index OID from its table's OID. Indexes and
/// constraints are not catalog objects of their own (the key is recorded on
/// the table), so their OIDs are derived: stable, and far above table OIDs.
const PKEY_INDEX_OID_OFFSET: u32 = 0x2000_0000;
/// Offset of a primary key constraint's OID from its table's OID.
const PKEY_CONSTRAINT_OID_OFFSET: u32 = 0x3000_0000;

impl TableMeta {
    /// OID of the primary key's index (`pg_index.indexrelid`), if there is a key.
    pub fn pkey_index_oid(&self) -> Option<u32> {
        (!self.primary_key.is_empty()).then(|| self.oid + PKEY_INDEX_OID_OFFSET)
    }

    /// OID of the primary key constraint (`pg_constraint.oid`), if there is a key.
    pub fn pkey_constraint_oid(&self) -> Option<u32> {
        (!self.primary_key.is_empty()).then(|| self.oid + PKEY_CONSTRAINT_OID_OFFSET)
    }

    /// Index of a column by name.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }
}

/// A column of a table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnMeta {
    /// Column name.
    pub name: String,
    /// Declared type.
    pub pg_type: PgType,
    /// False for `NOT NULL` columns.
    pub nullable: bool,
    /// `DEFAULT` expression as SQL text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// `COMMENT ON COLUMN`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A view: its SQL and the shape of its result when it was created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ViewMeta {
    /// The `SELECT` text.
    pub sql: String,
    /// Schema that unqualified names in `sql` resolve to.
    pub default_schema: String,
    /// Arrow schema of the result, Arrow IPC encoded as hex.
    pub arrow_schema: String,
    /// `COMMENT ON VIEW`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Stable object id.
    pub oid: u32,
}

/// What a relation name refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelationKind {
    /// A Delta table.
    Table,
    /// A view.
    View,
}

impl CatalogState {
    /// The schema, or `SchemaNotFound`.
    pub fn schema(&self, schema: &str) -> Result<&SchemaMeta> {
        self.schemas
            .get(schema)
            .ok_or_else(|| Error::SchemaNotFound(schema.to_string()))
    }

    fn schema_mut(&mut self, schema: &str) -> Result<&mut SchemaMeta> {
        self.schemas
            .get_mut(schema)
            .ok_or_else(|| Error::SchemaNotFound(schema.to_string()))
    }

    /// The table, or `RelationNotFound` / `WrongObjectType`.
    pub fn table(&self, schema: &str, name: &str) -> Result<&TableMeta> {
        let s = self.schema(schema)?;
        match s.tables.get(name) {
            Some(t) => Ok(t),
            None if s.views.contains_key(name) => Err(wrong_type(schema, name, "table")),
            None => Err(not_found(schema, name)),
        }
    }

    fn table_mut(&mut self, schema: &str, name: &str) -> Result<&mut TableMeta> {
        self.table(schema, name)?;
        Ok(self
            .schema_mut(schema)?
            .tables
            .get_mut(name)
            .expect("checked just above"))
    }

    /// The kind of a relation, if it exists.
    pub fn relation_kind(&self, schema: &str, name: &str) -> Option<RelationKind> {
        let s = self.schemas.get(schema)?;
        if s.tables.contains_key(name) {
            Some(RelationKind::Table)
        } else if s.views.contains_key(name) {
            Some(RelationKind::View)
        } else {
            None
        }
    }

    /// The next free object id: above every id in use, starting at 16384 as
    /// PostgreSQL's user objects do.
    pub fn next_oid(&self) -> u32 {
        self.schemas
            .values()
            .flat_map(|s| {
                s.tables
                    .values()
                    .map(|t| t.oid)
                    .chain(s.views.values().map(|v| v.oid))
                    .chain(std::iter::once(s.oid))
            })
            .filter(|oid| *oid >= 16384)
            .max()
            .map_or(16384, |m| m + 1)
    }

    /// `pg_namespace.oid` of a schema: PostgreSQL's 2200 for `public`, the
    /// recorded id otherwise, and for schemas created before ids were
    /// recorded a stable hash of the name (above the range `next_oid` uses).
    pub fn schema_oid(&self, name: &str) -> u32 {
        match self.schemas.get(name).map(|s| s.oid) {
            Some(oid) if oid != 0 => oid,
            _ if name == DEFAULT_SCHEMA => 2200,
            _ => {
                // FNV-1a: stable across processes and Rust versions.
                let hash = name.bytes().fold(0x811c_9dc5_u32, |h, b| {
                    (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
                });
                0x4000_0000 | (hash & 0x0fff_ffff)
            }
        }
    }

    /// Runs a change on a copy, to validate it without committing.
    pub fn clone_with<T>(&self, change: impl FnOnce(&mut CatalogState) -> Result<T>) -> Result<T> {
        let mut copy = self.clone();
        change(&mut copy)
    }

    /// `CREATE SCHEMA`.
    pub fn create_schema(&mut self, schema: &str, if_not_exists: bool) -> Result<bool> {
        if self.schemas.contains_key(schema) {
            return if if_not_exists {
                Ok(false)
            } else {
                Err(Error::SchemaExists(schema.to_string()))
            };
        }
        let oid = self.next_oid();
        self.schemas.insert(
            schema.to_string(),
            SchemaMeta {
                oid,
                ..SchemaMeta::default()
            },
        );
        Ok(true)
    }

    /// `DROP SCHEMA`; returns the tables that went with it (CASCADE), whose
    /// data the caller deletes after the commit.
    pub fn drop_schema(
        &mut self,
        schema: &str,
        if_exists: bool,
        cascade: bool,
    ) -> Result<Vec<TableMeta>> {
        let Some(s) = self.schemas.get(schema) else {
            return if if_exists {
                Ok(vec![])
            } else {
                Err(Error::SchemaNotFound(schema.to_string()))
            };
        };
        if !cascade && (!s.tables.is_empty() || !s.views.is_empty()) {
            return Err(Error::SchemaNotEmpty(schema.to_string()));
        }
        let s = self.schemas.remove(schema).expect("checked just above");
        Ok(s.tables.into_values().collect())
    }

    /// Checks that a new relation name is free.
    pub fn check_free(&self, schema: &str, name: &str) -> Result<()> {
        if self.relation_kind(schema, name).is_some() {
            return Err(Error::RelationExists {
                schema: schema.to_string(),
                name: name.to_string(),
            });
        }
        self.schema(schema).map(|_| ())
    }

    /// Adds a table whose Delta table has been created.
    pub fn add_table(&mut self, schema: &str, name: &str, table: TableMeta) -> Result<()> {
        self.check_free(schema, name)?;
        validate_columns(name, &table)?;
        self.schema_mut(schema)?
            .tables
            .insert(name.to_string(), table);
        Ok(())
    }

    /// Removes a table; returns it so the caller can delete its data.
    pub fn remove_table(&mut self, schema: &str, name: &str) -> Result<TableMeta> {
        self.table(schema, name)?;
        Ok(self
            .schema_mut(schema)?
            .tables
            .remove(name)
            .expect("checked just above"))
    }

    /// Renames a table, pointing it at its new location.
    pub fn rename_table(
        &mut self,
        schema: &str,
        name: &str,
        new_name: &str,
        new_location: String,
    ) -> Result<()> {
        self.table(schema, name)?;
        self.check_free(schema, new_name)?;
        let s = self.schema_mut(schema)?;
        let mut t = s.tables.remove(name).expect("checked just above");
        t.location = new_location;
        s.tables.insert(new_name.to_string(), t);
        Ok(())
    }

    /// Appends a column.
    pub fn add_column(&mut self, schema: &str, table: &str, column: ColumnMeta) -> Result<()> {
        let t = self.table_mut(schema, table)?;
        if t.column_index(&column.name).is_some() {
            return Err(Error::ColumnExists {
                table: table.to_string(),
                column: column.name,
            });
        }
        t.columns.push(column);
        Ok(())
    }

    /// Renames a column (and the primary key entry that names it).
    pub fn rename_column(&mut self, schema: &str, table: &str, old: &str, new: &str) -> Result<()> {
        let t = self.table_mut(schema, table)?;
        let Some(i) = t.column_index(old) else {
            return Err(Error::ColumnNotFound {
                table: table.to_string(),
                column: old.to_string(),
            });
        };
        if t.column_index(new).is_some() {
            return Err(Error::ColumnExists {
                table: table.to_string(),
                column: new.to_string(),
            });
        }
        t.columns[i].name = new.to_string();
        for k in t.primary_key.iter_mut().filter(|k| *k == old) {
            *k = new.to_string();
        }
        Ok(())
    }

    /// Adds or replaces a view.
    pub fn put_view(
        &mut self,
        schema: &str,
        name: &str,
        view: ViewMeta,
        replace: bool,
    ) -> Result<()> {
        let s = self.schema(schema)?;
        if s.tables.contains_key(name) {
            return Err(Error::RelationExists {
                schema: schema.to_string(),
                name: name.to_string(),
            });
        }
        if s.views.contains_key(name) && !replace {
            return Err(Error::RelationExists {
                schema: schema.to_string(),
                name: name.to_string(),
            });
        }
        let s = self.schema_mut(schema)?;
        let view = match s.views.get(name) {
            // CREATE OR REPLACE keeps the view's identity and comment.
            Some(old) => ViewMeta {
                oid: old.oid,
                comment: old.comment.clone(),
                ..view
            },
            None => view,
        };
        s.views.insert(name.to_string(), view);
        Ok(())
    }

    /// Removes a view.
    pub fn remove_view(&mut self, schema: &str, name: &str) -> Result<()> {
        let s = self.schema(schema)?;
        if s.views.contains_key(name) {
            self.schema_mut(schema)?.views.remove(name);
            Ok(())
        } else if s.tables.contains_key(name) {
            Err(wrong_type(schema, name, "view"))
        } else {
            Err(not_found(schema, name))
        }
    }

    /// `COMMENT ON TABLE|VIEW`; `None` removes the comment.
    pub fn set_relation_comment(
        &mut self,
        schema: &str,
        name: &str,
        comment: Option<String>,
    ) -> Result<()> {
        let s = self.schema_mut(schema)?;
        if let Some(t) = s.tables.get_mut(name) {
            t.comment = comment;
        } else if let Some(v) = s.views.get_mut(name) {
            v.comment = comment;
        } else {
            return Err(not_found(schema, name));
        }
        Ok(())
    }

    /// `COMMENT ON COLUMN`.
    pub fn set_column_comment(
        &mut self,
        schema: &str,
        table: &str,
        column: &str,
        comment: Option<String>,
    ) -> Result<()> {
        let t = self.table_mut(schema, table)?;
        let Some(i) = t.column_index(column) else {
            return Err(Error::ColumnNotFound {
                table: table.to_string(),
                column: column.to_string(),
            });
        };
        t.columns[i].comment = comment;
        Ok(())
    }

    /// `COMMENT ON SCHEMA`.
    pub fn set_schema_comment(&mut self, schema: &str, comment: Option<String>) -> Result<()> {
        self.schema_mut(schema)?.comment = comment;
        Ok(())
    }
}

fn not_found(schema: &str, name: &str) -> Error {
    Error::RelationNotFound {
        schema: schema.to_string(),
        name: name.to_string(),
    }
}

fn wrong_type(schema: &str, name: &str, expected: &'static str) -> Error {
    Error::WrongObjectType {
        schema: schema.to_string(),
        name: name.to_string(),
        expected,
    }
}

fn validate_columns(name: &str, table: &TableMeta) -> Result<()> {
    if table.columns.is_empty() {
        return Err(Error::InvalidDefinition(format!(
            "table \"{name}\" must have at least one column"
        )));
    }
    for (i, c) in table.columns.iter().enumerate() {
        if table.columns[..i].iter().any(|o| o.name == c.name) {
            return Err(Error::InvalidDefinition(format!(
                "column \"{}\" specified more than once",
                c.name
            )));
        }
    }
    for k in &table.primary_key {
        if table.column_index(k).is_none() {
            return Err(Error::InvalidDefinition(format!(
                "column \"{k}\" named in key does not exist"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(cols: &[&str]) -> TableMeta {
        TableMeta {
            location: "public/t".into(),
            columns: cols
                .iter()
                .map(|c| ColumnMeta {
                    name: c.to_string(),
                    pg_type: PgType::Text,
                    nullable: true,
                    default: None,
                    comment: None,
                })
                .collect(),
            primary_key: vec![],
            comment: None,
            oid: 16384,
        }
    }

    #[test]
    fn create_and_drop_schema_rules() {
        let mut s = CatalogState::default();
        assert!(s.create_schema("crm", false).unwrap());
        assert!(!s.create_schema("crm", true).unwrap());
        assert!(matches!(
            s.create_schema("crm", false),
            Err(Error::SchemaExists(_))
        ));
        s.add_table("crm", "t", table(&["a"])).unwrap();
        assert!(matches!(
            s.drop_schema("crm", false, false),
            Err(Error::SchemaNotEmpty(_))
        ));
        assert_eq!(s.drop_schema("crm", false, true).unwrap().len(), 1);
        assert!(s.drop_schema("crm", true, false).unwrap().is_empty());
    }

    #[test]
    fn relation_names_are_shared_by_tables_and_views() {
        let mut s = CatalogState::default();
        s.add_table("public", "t", table(&["a"])).unwrap();
        let view = ViewMeta {
            sql: "select 1".into(),
            default_schema: "public".into(),
            arrow_schema: String::new(),
            comment: None,
            oid: 1,
        };
        assert!(matches!(
            s.put_view("public", "t", view.clone(), true),
            Err(Error::RelationExists { .. })
        ));
        s.put_view("public", "v", view, false).unwrap();
        assert!(matches!(
            s.table("public", "v"),
            Err(Error::WrongObjectType { .. })
        ));
        assert!(matches!(
            s.remove_view("public", "t"),
            Err(Error::WrongObjectType { .. })
        ));
    }

    #[test]
    fn duplicate_columns_and_unknown_keys_are_refused() {
        let mut s = CatalogState::default();
        assert!(s.add_table("public", "t", table(&["a", "a"])).is_err());
        let mut t = table(&["a"]);
        t.primary_key = vec!["b".into()];
        assert!(s.add_table("public", "t", t).is_err());
    }

    #[test]
    fn rename_column_follows_primary_key() {
        let mut s = CatalogState::default();
        let mut t = table(&["id", "name"]);
        t.primary_key = vec!["id".into()];
        s.add_table("public", "t", t).unwrap();
        s.rename_column("public", "t", "id", "customer_id").unwrap();
        let t = s.table("public", "t").unwrap();
        assert_eq!(t.primary_key, vec!["customer_id".to_string()]);
        assert!(
            s.clone()
                .rename_column("public", "t", "name", "customer_id")
                .is_err()
        );
    }
}

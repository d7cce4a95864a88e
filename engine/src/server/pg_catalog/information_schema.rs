//! `information_schema` with PostgreSQL's columns and type names.
//!
//! DataFusion's `information_schema` reports Arrow types (`Int64`,
//! `Utf8View`) and has no constraint views, while Grafana, Metabase and
//! Power BI read `columns.data_type`/`udt_name` and join
//! `table_constraints`/`key_column_usage`. This schema answers `tables`,
//! `columns`, `schemata`, `views`, `table_constraints` and
//! `key_column_usage` from the warehouse's catalog with PostgreSQL 15's
//! column sets, and hands every other table (`routines`, `parameters`,
//! `df_settings`) to DataFusion's provider. Columns of system tables are
//! not listed (clients exclude `pg_catalog` and `information_schema`).

use std::sync::Arc;

use async_trait::async_trait;
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::catalog::{MemTable, SchemaProvider};
use datafusion::common::Result;
use datafusion::datasource::TableProvider;
use tessera_catalog::{CatalogState, PgType, Warehouse};

use super::relations::{pkey_name, views};
use super::rows::{Rows, V};
use crate::session::CATALOG_NAME;

/// The `information_schema` schema provider.
#[derive(Debug)]
pub(crate) struct InformationSchema {
    pub(crate) inner: Arc<dyn SchemaProvider>,
    pub(crate) warehouse: Arc<Warehouse>,
    pub(crate) system_tables: Vec<(String, Vec<String>)>,
}

const TABLES: &[&str] = &[
    "tables",
    "columns",
    "schemata",
    "views",
    "table_constraints",
    "key_column_usage",
];

fn schema_of(names: &[(&str, DataType)]) -> SchemaRef {
    Arc::new(Schema::new(
        names
            .iter()
            .map(|(n, t)| Field::new(*n, t.clone(), true))
            .collect::<Vec<_>>(),
    ))
}

fn text(names: &[&'static str]) -> Vec<(&'static str, DataType)> {
    names.iter().map(|n| (*n, DataType::Utf8)).collect()
}

fn table_schema(name: &str) -> Option<SchemaRef> {
    Some(match name {
        "tables" => schema_of(&text(&[
            "table_catalog",
            "table_schema",
            "table_name",
            "table_type",
            "self_referencing_column_name",
            "reference_generation",
            "user_defined_type_catalog",
            "user_defined_type_schema",
            "user_defined_type_name",
            "is_insertable_into",
            "is_typed",
            "commit_action",
        ])),
        "columns" => {
            let mut cols = text(&["table_catalog", "table_schema", "table_name", "column_name"]);
            cols.push(("ordinal_position", DataType::Int32));
            cols.extend(text(&["column_default", "is_nullable", "data_type"]));
            for n in [
                "character_maximum_length",
                "character_octet_length",
                "numeric_precision",
                "numeric_precision_radix",
                "numeric_scale",
                "datetime_precision",
            ] {
                cols.push((n, DataType::Int32));
            }
            cols.extend(text(&[
                "interval_type",
                "interval_precision",
                "character_set_catalog",
                "character_set_schema",
                "character_set_name",
                "collation_catalog",
                "collation_schema",
                "collation_name",
                "domain_catalog",
                "domain_schema",
                "domain_name",
                "udt_catalog",
                "udt_schema",
                "udt_name",
                "scope_catalog",
                "scope_schema",
                "scope_name",
                "maximum_cardinality",
                "dtd_identifier",
                "is_self_referencing",
                "is_identity",
                "identity_generation",
                "identity_start",
                "identity_increment",
                "identity_maximum",
                "identity_minimum",
                "identity_cycle",
                "is_generated",
                "generation_expression",
                "is_updatable",
            ]));
            schema_of(&cols)
        }
        "schemata" => schema_of(&text(&[
            "catalog_name",
            "schema_name",
            "schema_owner",
            "default_character_set_catalog",
            "default_character_set_schema",
            "default_character_set_name",
            "sql_path",
        ])),
        "views" => schema_of(&text(&[
            "table_catalog",
            "table_schema",
            "table_name",
            "view_definition",
            "check_option",
            "is_updatable",
            "is_insertable_into",
            "is_trigger_updatable",
            "is_trigger_deletable",
            "is_trigger_insertable_into",
        ])),
        "table_constraints" => schema_of(&text(&[
            "constraint_catalog",
            "constraint_schema",
            "constraint_name",
            "table_catalog",
            "table_schema",
            "table_name",
            "constraint_type",
            "is_deferrable",
            "initially_deferred",
            "enforced",
            "nulls_distinct",
        ])),
        "key_column_usage" => {
            let mut cols = text(&[
                "constraint_catalog",
                "constraint_schema",
                "constraint_name",
                "table_catalog",
                "table_schema",
                "table_name",
                "column_name",
            ]);
            cols.push(("ordinal_position", DataType::Int32));
            cols.push(("position_in_unique_constraint", DataType::Int32));
            schema_of(&cols)
        }
        _ => return None,
    })
}

/// Precision, radix, scale and datetime precision of a column type, as
/// `information_schema.columns` reports them.
fn numeric_facets(t: &PgType) -> [(&'static str, V); 4] {
    let (p, radix, s) = match t {
        PgType::SmallInt => (V::I(16), V::I(2), V::I(0)),
        PgType::Integer => (V::I(32), V::I(2), V::I(0)),
        PgType::BigInt => (V::I(64), V::I(2), V::I(0)),
        PgType::Real => (V::I(24), V::I(2), V::Null),
        PgType::Double => (V::I(53), V::I(2), V::Null),
        PgType::Numeric {
            precision_scale: Some((p, s)),
        } => (V::I(i64::from(*p)), V::I(10), V::I(i64::from(*s))),
        PgType::Numeric { .. } => (V::Null, V::I(10), V::Null),
        _ => (V::Null, V::Null, V::Null),
    };
    let datetime = match t {
        PgType::Date => V::I(0),
        PgType::Timestamp | PgType::Timestamptz => V::I(6),
        _ => V::Null,
    };
    [
        ("numeric_precision", p),
        ("numeric_precision_radix", radix),
        ("numeric_scale", s),
        ("datetime_precision", datetime),
    ]
}

impl InformationSchema {
    fn build(&self, name: &str, state: &CatalogState, rows: &mut Rows) -> Result<()> {
        let cat = || V::from(CATALOG_NAME);
        match name {
            "tables" => {
                for (schema, s) in &state.schemas {
                    let kinds = s
                        .tables
                        .keys()
                        .map(|t| (t, "BASE TABLE", "YES"))
                        .chain(s.views.keys().map(|v| (v, "VIEW", "NO")));
                    for (table, kind, insertable) in kinds {
                        rows.push(&[
                            ("table_catalog", cat()),
                            ("table_schema", schema.as_str().into()),
                            ("table_name", table.as_str().into()),
                            ("table_type", kind.into()),
                            ("is_insertable_into", insertable.into()),
                            ("is_typed", "NO".into()),
                        ])?;
                    }
                }
                for (schema, tables) in &self.system_tables {
                    for table in tables {
                        rows.push(&[
                            ("table_catalog", cat()),
                            ("table_schema", schema.as_str().into()),
                            ("table_name", table.as_str().into()),
                            ("table_type", "BASE TABLE".into()),
                            ("is_insertable_into", "NO".into()),
                            ("is_typed", "NO".into()),
                        ])?;
                    }
                }
            }
            "columns" => {
                for (schema, s) in &state.schemas {
                    let tables = s.tables.iter().map(|(name, t)| {
                        let cols: Vec<_> = t
                            .columns
                            .iter()
                            .map(|c| {
                                (
                                    c.name.clone(),
                                    c.pg_type.clone(),
                                    c.nullable,
                                    c.default.clone(),
                                )
                            })
                            .collect();
                        (name.as_str(), cols)
                    });
                    let views = views(state)
                        .into_iter()
                        .filter(|v| v.schema == schema)
                        .map(|v| {
                            let cols: Vec<_> = v
                                .columns
                                .into_iter()
                                .map(|(name, ty)| (name, ty, true, None))
                                .collect();
                            (v.name, cols)
                        });
                    for (table, cols) in tables.chain(views) {
                        for (i, (column, ty, nullable, default)) in cols.into_iter().enumerate() {
                            let length = match &ty {
                                PgType::Varchar { max_len: Some(n) }
                                | PgType::Char { len: Some(n) } => V::I(i64::from(*n)),
                                _ => V::Null,
                            };
                            let mut row = vec![
                                ("table_catalog", cat()),
                                ("table_schema", schema.as_str().into()),
                                ("table_name", table.into()),
                                ("column_name", column.into()),
                                ("ordinal_position", (i + 1).into()),
                                ("column_default", default.into()),
                                ("is_nullable", if nullable { "YES" } else { "NO" }.into()),
                                ("data_type", ty.sql_name().into()),
                                ("character_maximum_length", length),
                                (
                                    "character_octet_length",
                                    match &ty {
                                        PgType::Text
                                        | PgType::Varchar { .. }
                                        | PgType::Char { .. } => V::I(1_073_741_824),
                                        _ => V::Null,
                                    },
                                ),
                                ("udt_catalog", cat()),
                                ("udt_schema", "pg_catalog".into()),
                                ("udt_name", ty.udt_name().into()),
                                ("dtd_identifier", (i + 1).to_string().into()),
                                ("is_self_referencing", "NO".into()),
                                ("is_identity", "NO".into()),
                                ("identity_cycle", "NO".into()),
                                ("is_generated", "NEVER".into()),
                                ("is_updatable", "YES".into()),
                            ];
                            row.extend(numeric_facets(&ty));
                            rows.push(&row)?;
                        }
                    }
                }
            }
            "schemata" => {
                let system = ["pg_catalog", "information_schema"];
                let names = state.schemas.keys().map(String::as_str).chain(system);
                for schema in names {
                    rows.push(&[
                        ("catalog_name", cat()),
                        ("schema_name", schema.into()),
                        ("schema_owner", "tessera".into()),
                    ])?;
                }
            }
            "views" => {
                for (schema, s) in &state.schemas {
                    for (name, v) in &s.views {
                        rows.push(&[
                            ("table_catalog", cat()),
                            ("table_schema", schema.as_str().into()),
                            ("table_name", name.as_str().into()),
                            ("view_definition", v.sql.as_str().into()),
                            ("check_option", "NONE".into()),
                            ("is_updatable", "NO".into()),
                            ("is_insertable_into", "NO".into()),
                            ("is_trigger_updatable", "NO".into()),
                            ("is_trigger_deletable", "NO".into()),
                            ("is_trigger_insertable_into", "NO".into()),
                        ])?;
                    }
                }
            }
            "table_constraints" | "key_column_usage" => {
                for (schema, s) in &state.schemas {
                    for (table, t) in s.tables.iter().filter(|(_, t)| !t.primary_key.is_empty()) {
                        let common = [
                            ("constraint_catalog", cat()),
                            ("constraint_schema", schema.as_str().into()),
                            ("constraint_name", pkey_name(table).into()),
                            ("table_catalog", cat()),
                            ("table_schema", schema.as_str().into()),
                            ("table_name", table.as_str().into()),
                        ];
                        if name == "table_constraints" {
                            let mut row = common.to_vec();
                            row.extend([
                                ("constraint_type", "PRIMARY KEY".into()),
                                ("is_deferrable", "NO".into()),
                                ("initially_deferred", "NO".into()),
                                ("enforced", "YES".into()),
                                ("nulls_distinct", V::Null),
                            ]);
                            rows.push(&row)?;
                        } else {
                            for (i, column) in t.primary_key.iter().enumerate() {
                                let mut row = common.to_vec();
                                row.push(("column_name", column.as_str().into()));
                                row.push(("ordinal_position", (i + 1).into()));
                                row.push(("position_in_unique_constraint", V::Null));
                                rows.push(&row)?;
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }
}

#[async_trait]
impl SchemaProvider for InformationSchema {
    fn table_names(&self) -> Vec<String> {
        let mut names = self.inner.table_names();
        for t in TABLES {
            if !names.iter().any(|n| n == t) {
                names.push(t.to_string());
            }
        }
        names
    }

    async fn table(&self, name: &str) -> Result<Option<Arc<dyn TableProvider>>> {
        let lower = name.to_ascii_lowercase();
        let Some(schema) = table_schema(&lower) else {
            return self.inner.table(name).await;
        };
        let mut rows = Rows::new(&schema);
        self.build(&lower, &self.warehouse.state(), &mut rows)?;
        Ok(Some(Arc::new(MemTable::try_new(
            schema,
            vec![vec![rows.finish()?]],
        )?)))
    }

    fn table_exist(&self, name: &str) -> bool {
        TABLES.contains(&name.to_ascii_lowercase().as_str()) || self.inner.table_exist(name)
    }
}

//! psql-style descriptions of the warehouse (`\d`, `\dt`, `\dn`, `\d NAME`),
//! read from the catalog.

use std::io::Write;

use tessera_catalog::RelationKind;

use crate::error::{Error, Result};
use crate::output::write_table;
use crate::session::Session;

fn io(e: std::io::Error) -> Error {
    Error::Io {
        path: "<stdout>".into(),
        source: e,
    }
}

/// Lists relations (of one kind, or all) in every schema.
pub fn relations(session: &Session, kind: Option<RelationKind>, out: &mut dyn Write) -> Result<()> {
    let state = session.warehouse().state();
    let mut rows = Vec::new();
    for (schema, s) in &state.schemas {
        if kind != Some(RelationKind::View) {
            for name in s.tables.keys() {
                rows.push(vec![
                    Some(schema.clone()),
                    Some(name.clone()),
                    Some("table".into()),
                ]);
            }
        }
        if kind != Some(RelationKind::Table) {
            for name in s.views.keys() {
                rows.push(vec![
                    Some(schema.clone()),
                    Some(name.clone()),
                    Some("view".into()),
                ]);
            }
        }
    }
    if rows.is_empty() {
        writeln!(out, "Did not find any relations.").map_err(io)?;
        return Ok(());
    }
    rows.sort();
    writeln!(out, "List of relations").map_err(io)?;
    write_table(out, &["Schema", "Name", "Type"], &[false; 3], &rows).map_err(io)
}

/// Lists schemas with their comments.
pub fn schemas(session: &Session, out: &mut dyn Write) -> Result<()> {
    let state = session.warehouse().state();
    let rows: Vec<_> = state
        .schemas
        .iter()
        .map(|(n, s)| vec![Some(n.clone()), s.comment.clone()])
        .collect();
    writeln!(out, "List of schemas").map_err(io)?;
    write_table(out, &["Name", "Description"], &[false; 2], &rows).map_err(io)
}

/// Describes one table or view: columns, types, nullability, defaults, comments.
pub fn relation(session: &Session, name: &str, out: &mut dyn Write) -> Result<()> {
    let parsed = datafusion::sql::sqlparser::parser::Parser::new(
        &datafusion::sql::sqlparser::dialect::PostgreSqlDialect {},
    )
    .try_with_sql(name)
    .and_then(|mut p| p.parse_object_name(false))
    .map_err(|e| Error::Syntax {
        message: e.to_string(),
        position: None,
    })?;
    let (schema, rel) = crate::ddl::resolve(session, &parsed)?;
    let state = session.warehouse().state();
    match state.relation_kind(&schema, &rel) {
        Some(RelationKind::Table) => {
            let t = state.table(&schema, &rel)?;
            writeln!(out, "Table \"{schema}.{rel}\"").map_err(io)?;
            let rows: Vec<_> = t
                .columns
                .iter()
                .map(|c| {
                    vec![
                        Some(c.name.clone()),
                        Some(c.pg_type.to_string()),
                        Some(if c.nullable { "" } else { "not null" }.to_string()),
                        c.default.clone(),
                        c.comment.clone(),
                    ]
                })
                .collect();
            write_table(
                out,
                &["Column", "Type", "Nullable", "Default", "Description"],
                &[false; 5],
                &rows,
            )
            .map_err(io)?;
            if !t.primary_key.is_empty() {
                writeln!(
                    out,
                    "Primary key (not enforced): ({})",
                    t.primary_key.join(", ")
                )
                .map_err(io)?;
            }
            if let Some(c) = &t.comment {
                writeln!(out, "Comment: {c}").map_err(io)?;
            }
            writeln!(
                out,
                "Location: {}",
                session.warehouse().location().url_of(&t.location)
            )
            .map_err(io)
        }
        Some(RelationKind::View) => {
            let v = &state.schemas[&schema].views[&rel];
            let arrow = tessera_catalog::view::decode_schema(&v.arrow_schema)?;
            writeln!(out, "View \"{schema}.{rel}\"").map_err(io)?;
            let rows: Vec<_> = arrow
                .fields()
                .iter()
                .map(|f| {
                    let t = tessera_catalog::PgType::from_arrow(f.data_type())
                        .map(|t| t.to_string())
                        .unwrap_or_else(|_| f.data_type().to_string());
                    vec![Some(f.name().clone()), Some(t)]
                })
                .collect();
            write_table(out, &["Column", "Type"], &[false; 2], &rows).map_err(io)?;
            writeln!(out, "View definition:\n {};", v.sql).map_err(io)
        }
        None => Err(tessera_catalog::Error::RelationNotFound { schema, name: rel }.into()),
    }
}

//! Functions that describe catalog objects by OID, answered from the
//! warehouse's catalog: `obj_description`, `col_description`,
//! `pg_get_indexdef`, `pg_get_constraintdef`, `pg_get_viewdef` (and
//! `pg_get_expr`, which only needs the text it is given).
//!
//! The OIDs are those [`super::relations`] puts in `pg_class`,
//! `pg_constraint` and `pg_index`; OIDs of PostgreSQL's own objects answer
//! NULL (their descriptions are rows of `pg_description` instead).

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::logical_expr::Volatility;
use datafusion::prelude::SessionContext;
use tessera_catalog::{CatalogState, TableMeta, Warehouse};

use super::relations::pkey_name;
use crate::server::functions::{arg, quote_ident, text_fn};

/// What an OID names among Tessera's objects.
enum Object<'a> {
    Schema(&'a str),
    Table(&'a TableMeta),
    PkeyIndex(&'a str, &'a str, &'a TableMeta),
    PkeyConstraint(&'a TableMeta),
    View(&'a tessera_catalog::ViewMeta),
}

fn lookup(state: &CatalogState, oid: u32) -> Option<Object<'_>> {
    for (schema, s) in &state.schemas {
        if state.schema_oid(schema) == oid {
            return Some(Object::Schema(schema));
        }
        for (name, t) in &s.tables {
            if t.oid == oid {
                return Some(Object::Table(t));
            }
            if t.pkey_index_oid() == Some(oid) {
                return Some(Object::PkeyIndex(schema, name, t));
            }
            if t.pkey_constraint_oid() == Some(oid) {
                return Some(Object::PkeyConstraint(t));
            }
        }
        if let Some(v) = s.views.values().find(|v| v.oid == oid) {
            return Some(Object::View(v));
        }
    }
    None
}

/// Where the data of the relation `oid` lives: `Some(Some(location))` for
/// a table, `Some(None)` for a relation without storage (a view, an
/// index), `None` for an OID Tessera does not know.
pub(super) fn table_location(state: &CatalogState, oid: u32) -> Option<Option<String>> {
    match lookup(state, oid)? {
        Object::Table(t) => Some(Some(t.location.clone())),
        Object::View(_) | Object::PkeyIndex(..) => Some(None),
        Object::Schema(_) | Object::PkeyConstraint(_) => None,
    }
}

fn key_list(t: &TableMeta) -> String {
    t.primary_key
        .iter()
        .map(|k| quote_ident(k))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `to_regclass(text)`: the OID of a relation named `name` or
/// `schema.name` (quoted parts as PostgreSQL parses them), looked up in
/// `pg_catalog` (`system`: PostgreSQL's relation OIDs) and the warehouse;
/// an unqualified name is searched in `pg_catalog`, then `public`.
pub(super) fn to_regclass(
    state: &CatalogState,
    system: &HashMap<String, u32>,
    name: &str,
) -> Option<u32> {
    let parts = split_qualified(name)?;
    let (schema, rel) = match parts.as_slice() {
        [rel] => {
            if let Some(oid) = system.get(rel) {
                return Some(*oid);
            }
            (tessera_catalog::DEFAULT_SCHEMA.to_string(), rel.clone())
        }
        [schema, rel] if schema == "pg_catalog" => return system.get(rel).copied(),
        [schema, rel] => (schema.clone(), rel.clone()),
        _ => return None,
    };
    let s = state.schemas.get(&schema)?;
    s.tables
        .get(&rel)
        .map(|t| t.oid)
        .or_else(|| s.views.get(&rel).map(|v| v.oid))
}

/// `a.b`, `"A"."b c"` → parts, unquoted ones lower-cased.
fn split_qualified(name: &str) -> Option<Vec<String>> {
    let mut parts = Vec::new();
    let mut chars = name.trim().chars().peekable();
    loop {
        let mut part = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next()? {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        part.push('"');
                    }
                    '"' => break,
                    c => part.push(c),
                }
            }
        } else {
            while let Some(c) = chars.peek().copied().filter(|c| *c != '.') {
                part.push(c.to_ascii_lowercase());
                chars.next();
            }
        }
        parts.push(part);
        match chars.next() {
            Some('.') => continue,
            None => return Some(parts),
            Some(_) => return None,
        }
    }
}

/// Registers the functions on `ctx`, replacing the library's stubs;
/// `system` maps `pg_catalog` relation names to PostgreSQL's OIDs.
pub(crate) fn register(
    ctx: &SessionContext,
    warehouse: &Arc<Warehouse>,
    system: HashMap<String, u32>,
) {
    let w = warehouse.clone();
    ctx.register_udf(text_fn("to_regclass", Volatility::Stable, move |a, i| {
        to_regclass(&w.state(), &system, &arg(a, 0, i)?).map(|oid| oid.to_string())
    }));

    let oid_of = |arrays: &[datafusion::arrow::array::ArrayRef], i| -> Option<u32> {
        arg(arrays, 0, i)?
            .parse::<i64>()
            .ok()
            .and_then(|o| u32::try_from(o).ok())
    };

    // pg_get_expr(text, relid[, pretty]): the stored expression text, NULL
    // for NULL (the library's answers '' for NULL).
    ctx.register_udf(text_fn("pg_get_expr", Volatility::Stable, |a, i| {
        arg(a, 0, i)
    }));

    let w = warehouse.clone();
    ctx.register_udf(text_fn(
        "obj_description",
        Volatility::Stable,
        move |a, i| {
            let state = w.state();
            match lookup(&state, oid_of(a, i)?)? {
                Object::Schema(s) => state.schemas.get(s)?.comment.clone(),
                Object::Table(t) => t.comment.clone(),
                Object::View(v) => v.comment.clone(),
                _ => None,
            }
        },
    ));

    let w = warehouse.clone();
    ctx.register_udf(text_fn(
        "col_description",
        Volatility::Stable,
        move |a, i| {
            let state = w.state();
            let column: usize = arg(a, 1, i)?.parse().ok()?;
            match lookup(&state, oid_of(a, i)?)? {
                Object::Table(t) => t.columns.get(column.checked_sub(1)?)?.comment.clone(),
                _ => None,
            }
        },
    ));

    let w = warehouse.clone();
    ctx.register_udf(text_fn(
        "pg_get_indexdef",
        Volatility::Stable,
        move |a, i| {
            let state = w.state();
            let Object::PkeyIndex(schema, table, t) = lookup(&state, oid_of(a, i)?)? else {
                return None;
            };
            // pg_get_indexdef(oid, column, pretty): column k > 0 names the k-th key.
            match arg(a, 1, i).and_then(|c| c.parse::<usize>().ok()) {
                Some(k) if k > 0 => t.primary_key.get(k - 1).map(|c| quote_ident(c)),
                _ => Some(format!(
                    "CREATE UNIQUE INDEX {} ON {}.{} USING btree ({})",
                    quote_ident(&pkey_name(table)),
                    quote_ident(schema),
                    quote_ident(table),
                    key_list(t)
                )),
            }
        },
    ));

    let w = warehouse.clone();
    ctx.register_udf(text_fn(
        "pg_get_constraintdef",
        Volatility::Stable,
        move |a, i| {
            let state = w.state();
            match lookup(&state, oid_of(a, i)?) {
                Some(Object::PkeyConstraint(t)) => Some(format!("PRIMARY KEY ({})", key_list(t))),
                // PostgreSQL's own constraints (domain CHECKs of
                // information_schema, …): their text is not in the export;
                // '' like the library, since clients call string methods on it.
                _ => Some(String::new()),
            }
        },
    ));

    let w = warehouse.clone();
    ctx.register_udf(text_fn(
        "pg_get_viewdef",
        Volatility::Stable,
        move |a, i| {
            let state = w.state();
            match lookup(&state, oid_of(a, i)?)? {
                Object::View(v) => Some(v.sql.clone()),
                _ => None,
            }
        },
    ));
}

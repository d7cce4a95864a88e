//! PostgreSQL output column names, and unique aliases where PostgreSQL
//! allows duplicates and DataFusion does not.

use datafusion::sql::sqlparser::ast::{Expr, Ident, SelectItem, SetExpr, Statement};

/// Separator between a PostgreSQL output name and the suffix that keeps it
/// unique for DataFusion; `session::pg_output_names` strips it.
pub(crate) const NAME_SUFFIX: char = '\u{1}';

/// PostgreSQL allows duplicate output names (`SELECT 1, 1`,
/// `SELECT 'a'::regclass::oid, 'b'::regclass::oid`); DataFusion rejects a
/// projection whose expressions share a name. Items of the top-level SELECT
/// whose PostgreSQL names collide get aliases `name\u{1}n`, unique for
/// DataFusion, shown to clients as `name`. The source query of an INSERT
/// (`INSERT INTO t SELECT NULL, NULL`) is named the same way: its columns
/// are matched by position.
pub(crate) fn name_duplicate_outputs(statement: &mut Statement) {
    let q = match statement {
        Statement::Query(q) => q,
        Statement::Insert(insert) => match insert.source.as_mut() {
            Some(q) => q,
            None => return,
        },
        _ => return,
    };
    let SetExpr::Select(select) = q.body.as_mut() else {
        return;
    };
    let names: Vec<Option<String>> = select
        .projection
        .iter()
        .map(|item| match item {
            SelectItem::UnnamedExpr(e) => Some(pg_name(e).0),
            SelectItem::ExprWithAlias { alias, .. } => Some(alias.value.clone()),
            _ => None,
        })
        .collect();
    for (i, item) in select.projection.iter_mut().enumerate() {
        let Some(name) = &names[i] else { continue };
        let clashes = names.iter().filter(|n| n.as_ref() == Some(name)).count() > 1;
        if let (true, SelectItem::UnnamedExpr(e)) = (clashes, &*item) {
            *item = SelectItem::ExprWithAlias {
                expr: e.clone(),
                alias: Ident::with_quote('"', format!("{name}{NAME_SUFFIX}{i}")),
            };
        }
    }
}

/// PostgreSQL's output name of an expression and its strength (FigureColname
/// in parse_target.c): 2 for column references, function calls and scalar
/// subqueries, 1 for names taken from a type or `CASE`, 0 for `?column?`.
fn pg_name(e: &Expr) -> (String, u8) {
    match e {
        Expr::Identifier(i) => (ident_name(i), 2),
        Expr::CompoundIdentifier(parts) => (parts.last().map(ident_name).unwrap_or_default(), 2),
        Expr::Function(f) => match f.name.0.last().and_then(|p| p.as_ident()) {
            Some(i) => (ident_name(i), 2),
            None => ("?column?".into(), 0),
        },
        Expr::Cast {
            expr, data_type, ..
        } => {
            // A subquery here is the library's rewrite of `'x'::regclass`.
            let inner = match expr.as_ref() {
                Expr::Subquery(_) => ("?column?".into(), 0),
                e => pg_name(e),
            };
            if inner.1 == 2 {
                inner
            } else {
                (type_name(&data_type.to_string()), 1)
            }
        }
        Expr::Nested(inner) => pg_name(inner),
        Expr::Case { .. } => ("case".into(), 1),
        Expr::Subquery(q) => match q.body.as_ref() {
            SetExpr::Select(s) => match s.projection.first() {
                Some(SelectItem::ExprWithAlias { alias, .. }) => (ident_name(alias), 2),
                Some(SelectItem::UnnamedExpr(e)) => pg_name(e),
                _ => ("?column?".into(), 0),
            },
            _ => ("?column?".into(), 0),
        },
        _ => ("?column?".into(), 0),
    }
}

fn ident_name(i: &Ident) -> String {
    match i.quote_style {
        Some(_) => i.value.clone(),
        None => i.value.to_lowercase(),
    }
}

/// The `pg_type` name PostgreSQL reports for a type as written in a cast.
fn type_name(written: &str) -> String {
    let lower = written.to_lowercase();
    let base = lower.split('(').next().unwrap_or("").trim();
    let base = base.rsplit('.').next().unwrap_or(base);
    match base {
        "int" | "integer" => "int4",
        "bigint" => "int8",
        "smallint" => "int2",
        "boolean" => "bool",
        "real" => "float4",
        "double precision" | "double" => "float8",
        "decimal" => "numeric",
        "character varying" => "varchar",
        "character" | "char" => "bpchar",
        "timestamp with time zone" => "timestamptz",
        "timestamp without time zone" => "timestamp",
        other => other,
    }
    .to_string()
}

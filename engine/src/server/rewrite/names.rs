//! PostgreSQL output column names, given to DataFusion as aliases.
//!
//! PostgreSQL names an unaliased SELECT item from its raw parse tree
//! (`FigureColname` in `parse_target.c`): `extract(year FROM ts)` is
//! `extract`, `interval '1 day'` is `interval`, `CASE … END` is `case`,
//! `x::int` is `x`, `1::int` is `int4`, `ARRAY[…]` is `array`, anything
//! else `?column?`. DataFusion names it after its own expression
//! (`date_part(Utf8("year"),ts)`), so clients, subqueries, CTEs and
//! `CREATE TABLE … AS` would all see other names. [`output_names`] runs on
//! the statement as written, before any other rewrite changes its
//! spelling, and aliases every such item with PostgreSQL's name.
//!
//! PostgreSQL also allows duplicate output names (`SELECT 1, 1`,
//! `SELECT count(*), count(DISTINCT x)`); DataFusion rejects a projection
//! whose expressions share a name. Items whose names collide get aliases
//! `name\u{1}n` ([`NAME_SUFFIX`]), unique for DataFusion, shown to clients
//! as `name` (`session::pg_output_names` strips the suffix).

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    AccessExpr, Expr, Ident, Query, SelectItem, SetExpr, Statement, TrimWhereField, VisitMut,
    VisitorMut,
};

/// Separator between a PostgreSQL output name and the suffix that keeps it
/// unique for DataFusion; `session::pg_output_names` strips it.
pub(crate) const NAME_SUFFIX: char = '\u{1}';

/// Aliases the unaliased items of every SELECT of `statement` (subqueries,
/// CTEs, set operations and INSERT sources included) with PostgreSQL's
/// output names, unique within their SELECT. Idempotent.
pub(crate) fn output_names(statement: &mut Statement) {
    struct Names;
    impl VisitorMut for Names {
        type Break = ();
        fn pre_visit_query(&mut self, q: &mut Query) -> ControlFlow<()> {
            name_set_expr(&mut q.body);
            ControlFlow::Continue(())
        }
    }
    let _ = statement.visit(&mut Names);
}

fn name_set_expr(body: &mut SetExpr) {
    match body {
        SetExpr::Select(select) => name_items(&mut select.projection),
        SetExpr::SetOperation { left, right, .. } => {
            name_set_expr(left);
            name_set_expr(right);
        }
        _ => {}
    }
}

fn name_items(projection: &mut [SelectItem]) {
    let names: Vec<Option<String>> = projection
        .iter()
        .map(|item| match item {
            SelectItem::UnnamedExpr(e) => Some(pg_name(e).0),
            SelectItem::ExprWithAlias { alias, .. } => Some(ident_name(alias)),
            _ => None,
        })
        .collect();
    for (i, item) in projection.iter_mut().enumerate() {
        let (Some(name), SelectItem::UnnamedExpr(e)) = (&names[i], &*item) else {
            continue;
        };
        let clashes = names.iter().filter(|n| n.as_ref() == Some(name)).count() > 1;
        // A column keeps the name DataFusion gives it too (and its
        // qualifier, which ORDER BY may use), unless it clashes.
        let column = matches!(e, Expr::Identifier(_) | Expr::CompoundIdentifier(_));
        if clashes || !column {
            let alias = if clashes {
                format!("{name}{NAME_SUFFIX}{i}")
            } else {
                name.clone()
            };
            *item = SelectItem::ExprWithAlias {
                expr: e.clone(),
                alias: Ident::with_quote('"', alias),
            };
        }
    }
}

/// PostgreSQL's output name of an expression and its strength
/// (`FigureColnameInternal`): 2 for column references, function calls and
/// scalar subqueries, 1 for names taken from a type or a keyword (`case`),
/// 0 for `?column?`.
fn pg_name(e: &Expr) -> (String, u8) {
    let named = |n: &str| (n.to_string(), 2);
    match e {
        Expr::Identifier(i) => (ident_name(i), 2),
        Expr::CompoundIdentifier(parts) => (parts.last().map(ident_name).unwrap_or_default(), 2),
        Expr::CompoundFieldAccess { root, access_chain } => match access_chain.last() {
            Some(AccessExpr::Dot(Expr::Identifier(i))) => (ident_name(i), 2),
            _ => pg_name(root),
        },
        Expr::Function(f) => match f.name.0.last().and_then(|p| p.as_ident()) {
            // datafusion-pg-catalog's parser spells `x = ANY(a)` so;
            // PostgreSQL has no function of that name.
            Some(i) if i.value == "array_contains" => unnamed(),
            Some(i) => (ident_name(i), 2),
            None => unnamed(),
        },
        Expr::Cast {
            expr, data_type, ..
        } => {
            // A subquery here is the library's rewrite of `'x'::regclass`.
            let inner = match expr.as_ref() {
                Expr::Subquery(_) => unnamed(),
                e => pg_name(e),
            };
            if inner.1 == 2 {
                inner
            } else {
                (type_name(&data_type.to_string()), 1)
            }
        }
        Expr::TypedString(t) => (type_name(&t.data_type.to_string()), 1),
        Expr::Interval(_) => ("interval".into(), 1),
        Expr::Nested(inner) => pg_name(inner),
        Expr::Case { else_result, .. } => match else_result.as_deref().map(pg_name) {
            Some(n) if n.1 == 2 => n,
            _ => ("case".into(), 1),
        },
        Expr::Subquery(q) => match q.body.as_ref() {
            SetExpr::Select(s) => match s.projection.first() {
                Some(SelectItem::ExprWithAlias { alias, .. }) => (ident_name(alias), 2),
                Some(SelectItem::UnnamedExpr(e)) => pg_name(e),
                _ => unnamed(),
            },
            _ => unnamed(),
        },
        Expr::Exists { .. } => named("exists"),
        Expr::Array(_) => named("array"),
        Expr::Tuple(_) => named("row"),
        Expr::Extract { .. } => named("extract"),
        // `substr(…)` is parsed as `SUBSTRING` in its short form.
        Expr::Substring {
            shorthand: true, ..
        } => named("substr"),
        Expr::Substring { .. } => named("substring"),
        Expr::Position { .. } => named("position"),
        Expr::Overlay { .. } => named("overlay"),
        Expr::Ceil { .. } => named("ceil"),
        Expr::Floor { .. } => named("floor"),
        Expr::AtTimeZone { .. } => named("timezone"),
        Expr::Trim { trim_where, .. } => named(match trim_where {
            Some(TrimWhereField::Leading) => "ltrim",
            Some(TrimWhereField::Trailing) => "rtrim",
            _ => "btrim",
        }),
        _ => unnamed(),
    }
}

fn unnamed() -> (String, u8) {
    ("?column?".into(), 0)
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
    let base = base.trim_end_matches("[]");
    let name = match base {
        "int" | "integer" => "int4",
        "bigint" => "int8",
        "smallint" => "int2",
        "boolean" => "bool",
        "real" => "float4",
        "double precision" | "double" | "float" => "float8",
        "decimal" | "dec" => "numeric",
        "character varying" | "char varying" => "varchar",
        "character" | "char" => "bpchar",
        "timestamp with time zone" => "timestamptz",
        "timestamp without time zone" => "timestamp",
        "time without time zone" => "time",
        "time with time zone" => "timetz",
        other => other,
    };
    // `x::int[]` is named after the element type, as in PostgreSQL.
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::sql::sqlparser::dialect::PostgreSqlDialect;
    use datafusion::sql::sqlparser::parser::Parser;

    fn named(sql: &str) -> String {
        let mut s = Parser::parse_sql(&PostgreSqlDialect {}, sql)
            .unwrap()
            .remove(0);
        output_names(&mut s);
        s.to_string()
    }

    #[test]
    fn items_get_postgres_names() {
        // Expected names: PostgreSQL 15's column headers for these items.
        let cases = [
            ("SELECT extract(year FROM ts) FROM t", r#"AS "extract""#),
            ("SELECT interval '1 day'", r#"AS "interval""#),
            ("SELECT x::int FROM t", r#"AS "x""#),
            ("SELECT 1::int", r#"AS "int4""#),
            ("SELECT 'a'::varchar(3)", r#"AS "varchar""#),
            ("SELECT date '2024-01-01'", r#"AS "date""#),
            ("SELECT CASE WHEN a THEN 1 END FROM t", r#"AS "case""#),
            (
                "SELECT CASE WHEN a THEN 1 ELSE max(b) END FROM t",
                r#"AS "max""#,
            ),
            ("SELECT ARRAY[1, 2]", r#"AS "array""#),
            ("SELECT trim(leading 'x' FROM a) FROM t", r#"AS "ltrim""#),
            ("SELECT count(*) FROM t", r#"AS "count""#),
            ("SELECT (SELECT max(x) FROM t)", r#"AS "max""#),
            ("SELECT a + 1 FROM t", r#"AS "?column?""#),
        ];
        for (sql, want) in cases {
            let got = named(sql);
            assert!(got.contains(want), "{sql}: {got}");
        }
    }

    #[test]
    fn columns_keep_their_names_and_duplicates_are_made_unique() {
        assert_eq!(
            named("SELECT t.id, name FROM t"),
            "SELECT t.id, name FROM t"
        );
        let got = named("SELECT 1, 1, id, id FROM t");
        assert!(got.contains("\"?column?\u{1}0\""), "{got}");
        assert!(got.contains("\"?column?\u{1}1\""), "{got}");
        assert!(got.contains("\"id\u{1}3\""), "{got}");
        // Subqueries and set operations too; idempotent.
        let sub = named("SELECT * FROM (SELECT count(*) FROM t) s UNION SELECT sum(x) FROM u");
        assert!(sub.contains(r#"count(*) AS "count""#), "{sub}");
        assert!(sub.contains(r#"sum(x) AS "sum""#), "{sub}");
        let mut s = Parser::parse_sql(&PostgreSqlDialect {}, &sub)
            .unwrap()
            .remove(0);
        output_names(&mut s);
        assert_eq!(s.to_string(), sub);
    }
}

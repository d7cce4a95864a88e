//! PostgreSQL's set-returning functions (`json_array_elements`,
//! `jsonb_each`, `json_object_keys`, `regexp_matches`,
//! `regexp_split_to_table`, …) as DataFusion `unnest` of the list
//! functions in `tessera_udfs::pg::{json_srf, regexp}`:
//!
//! - in the select list, `f(x)` becomes `json(unnest(f_list(x)))` (the
//!   `json`/`jsonb` wrapper tags json-valued rows), named `f` as in
//!   PostgreSQL;
//! - in FROM, `f(x) AS e [(cols)] [WITH ORDINALITY]` becomes a derived
//!   table `e` with PostgreSQL's column names (`value`; `key`, `value`; the
//!   alias for the others; `ordinality`);
//! - the lateral form `FROM t [AS c], f(c.col) AS e` (or `CROSS JOIN
//!   [LATERAL]`, or `LEFT JOIN LATERAL … ON true`, which keeps a row whose
//!   function yields nothing once, with NULLs: `pg_rows_or_null`), which
//!   DataFusion cannot plan with outer references, becomes one derived
//!   table `c` holding `c.*` and the function's columns; references
//!   `e.value` become `c.value` and a bare `e` of a one-column function its
//!   column;
//! - `WITH ORDINALITY` adds `unnest(range(1, n + 1))` beside the rows, so
//!   the numbering restarts for each row of a lateral form.
//!
//! `generate_series` and `generate_subscripts` are rewritten the same way
//! (their lists: `tessera_udfs::pg::series_lists`), except that
//! `generate_series` alone in FROM stays the lazy table function; `unnest`
//! only where DataFusion has no form of its own (lateral, `WITH
//! ORDINALITY`).

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Ident, JoinOperator, Query, SelectItem,
    SetExpr, Statement, TableFactor, TableWithJoins, VisitMut, VisitorMut, visit_expressions_mut,
};
use datafusion::sql::sqlparser::dialect::PostgreSqlDialect;
use datafusion::sql::sqlparser::parser::Parser;

use super::call;

/// What a set-returning function yields.
#[derive(Clone, Copy, PartialEq)]
enum Shape {
    /// One column named `value` (the alias also names it).
    Value,
    /// Columns `key`, `value`.
    KeyValue,
    /// One column named after the alias (or the function).
    Aliased,
}

/// Where a function is rewritten; everywhere but where DataFusion's own
/// form already is PostgreSQL's.
#[derive(Clone, Copy, PartialEq)]
enum Places {
    Everywhere,
    /// Not alone in FROM: `generate_series` is a lazy table function there
    /// (`tessera_udfs::pg::generate_series`).
    NotAloneInFrom,
    /// `unnest`: DataFusion's own in the select list and alone in FROM,
    /// except `WITH ORDINALITY`, which it lacks.
    FromWithOrdinalityOrLateral,
}

/// `(function, list function, json wrapper of values, shape)`; an empty
/// list function means the argument is the list (`unnest`).
const SRFS: &[(&str, &str, Option<&str>, Shape)] = &[
    (
        "json_array_elements",
        "json_array_elements_list",
        Some("json"),
        Shape::Value,
    ),
    (
        "jsonb_array_elements",
        "jsonb_array_elements_list",
        Some("jsonb"),
        Shape::Value,
    ),
    (
        "json_array_elements_text",
        "json_array_elements_text_list",
        None,
        Shape::Value,
    ),
    (
        "jsonb_array_elements_text",
        "jsonb_array_elements_text_list",
        None,
        Shape::Value,
    ),
    ("json_each", "json_each_list", Some("json"), Shape::KeyValue),
    (
        "jsonb_each",
        "jsonb_each_list",
        Some("jsonb"),
        Shape::KeyValue,
    ),
    (
        "json_each_text",
        "json_each_text_list",
        None,
        Shape::KeyValue,
    ),
    (
        "jsonb_each_text",
        "jsonb_each_text_list",
        None,
        Shape::KeyValue,
    ),
    (
        "json_object_keys",
        "json_object_keys_list",
        None,
        Shape::Aliased,
    ),
    (
        "jsonb_object_keys",
        "jsonb_object_keys_list",
        None,
        Shape::Aliased,
    ),
    (
        "regexp_matches",
        "regexp_matches_list",
        None,
        Shape::Aliased,
    ),
    (
        "regexp_split_to_table",
        "regexp_split_to_array",
        None,
        Shape::Aliased,
    ),
    (
        "generate_series",
        "generate_series_list",
        None,
        Shape::Aliased,
    ),
    (
        "generate_subscripts",
        "generate_subscripts_list",
        None,
        Shape::Aliased,
    ),
    (
        "jsonb_path_query",
        "jsonb_path_query_list",
        Some("jsonb"),
        Shape::Aliased,
    ),
    (
        "jsonb_path_query_tz",
        "jsonb_path_query_tz_list",
        Some("jsonb"),
        Shape::Aliased,
    ),
    ("unnest", "", None, Shape::Aliased),
];

fn places(f: &Srf) -> Places {
    match f.0 {
        "generate_series" => Places::NotAloneInFrom,
        "unnest" => Places::FromWithOrdinalityOrLateral,
        _ => Places::Everywhere,
    }
}

type Srf = (&'static str, &'static str, Option<&'static str>, Shape);

fn srf(name: &str) -> Option<Srf> {
    SRFS.iter()
        .find(|(n, ..)| n.eq_ignore_ascii_case(name))
        .copied()
}

fn last_name(name: &datafusion::sql::sqlparser::ast::ObjectName) -> String {
    name.0
        .last()
        .and_then(|p| p.as_ident())
        .map(|i| i.value.clone())
        .unwrap_or_default()
}

/// The list whose elements are the rows, as SQL text.
fn list_sql(f: &Srf, args: &str) -> String {
    format!("{}({args})", f.1)
}

/// The row numbers `1 ‥ n` of the rows, as a list beside theirs (to
/// unnest).
fn ordinals_sql(f: &Srf, args: &str) -> String {
    let list = match f.3 {
        Shape::KeyValue => object_keys_sql(f, args),
        _ => list_sql(f, args),
    };
    format!("range(1, CAST(cardinality({list}) AS BIGINT) + 1)")
}

fn object_keys_sql(f: &Srf, args: &str) -> String {
    format!(
        "{}_object_keys_list({args})",
        &f.0[..f.0.find('_').expect("json_ or jsonb_")]
    )
}

fn wrap(f: &Srf, e: String) -> String {
    match f.2 {
        Some(w) => format!("{w}({e})"),
        None => e,
    }
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// The columns of a function in FROM.
fn column_names(f: &Srf, alias: Option<&str>, columns: &[String], ordinality: bool) -> Vec<String> {
    let mut names: Vec<String> = match f.3 {
        Shape::Value => vec!["value".into()],
        Shape::KeyValue => vec!["key".into(), "value".into()],
        Shape::Aliased => vec![alias.unwrap_or(f.0).to_string()],
    };
    if ordinality {
        names.push("ordinality".into());
    }
    for (n, c) in names.iter_mut().zip(columns) {
        *n = c.clone();
    }
    names
}

/// The select producing the function's columns (after `prefix`, e.g.
/// `c.*, `) over `from` (e.g. ` FROM customers AS c`).
fn columns_sql(
    f: &Srf,
    args: &str,
    names: &[String],
    ordinality: bool,
    prefix: &str,
    from: &str,
    outer: bool,
) -> String {
    // `LEFT JOIN LATERAL … ON true`: a row whose function yields nothing
    // is kept once, with NULLs (and a NULL ordinality).
    let unnest = |list: String| match outer {
        true => format!("unnest(pg_rows_or_null({list}))"),
        false => format!("unnest({list})"),
    };
    let mut items = match f.3 {
        // Keys and values as two lists unnested side by side (same length).
        Shape::KeyValue => {
            let keys = unnest(object_keys_sql(f, args));
            let values = unnest(format!("{}({args})", f.1.replace("_list", "_values_list")));
            format!(
                "{keys} AS {}, {} AS {}",
                quote(&names[0]),
                wrap(f, values),
                quote(&names[1]),
            )
        }
        _ => format!(
            "{} AS {}",
            wrap(f, unnest(list_sql(f, args))),
            quote(&names[0])
        ),
    };
    // The row numbers, unnested in step with the rows (per input row in
    // the lateral form).
    if ordinality {
        items.push_str(&format!(
            ", {} AS {}",
            unnest(ordinals_sql(f, args)),
            quote(names.last().expect("ordinality column"))
        ));
    }
    format!("SELECT {prefix}{items}{from}")
}

fn args_sql(args: &datafusion::sql::sqlparser::ast::TableFunctionArgs) -> String {
    args.args
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// `SELECT * FROM (<sql>) AS <alias>`'s relation.
fn derived(sql: &str, alias: &str) -> Option<TableFactor> {
    let text = format!("SELECT * FROM ({sql}) AS {}", quote(alias));
    let mut parsed = Parser::parse_sql(&PostgreSqlDialect {}, &text).ok()?;
    let Some(Statement::Query(q)) = parsed.pop() else {
        return None;
    };
    let SetExpr::Select(select) = *q.body else {
        return None;
    };
    select.from.into_iter().next().map(|f| f.relation)
}

/// A set-returning function in FROM: the function, its arguments as SQL,
/// alias, column aliases and `WITH ORDINALITY`.
struct FromCall {
    f: Srf,
    args: String,
    alias: Option<String>,
    columns: Vec<String>,
    ordinality: bool,
}

/// The function of a FROM item (`f(…)` or `LATERAL f(…)`), if it is a
/// set-returning one.
fn from_srf(factor: &TableFactor) -> Option<FromCall> {
    let (name, args, count, alias, ordinality) = match factor {
        TableFactor::Table {
            name,
            args: Some(args),
            alias,
            with_ordinality,
            ..
        } => (
            name,
            args_sql(args),
            args.args.len(),
            alias,
            *with_ordinality,
        ),
        TableFactor::Function {
            name,
            args,
            alias,
            with_ordinality,
            ..
        } => (
            name,
            args.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            args.len(),
            alias,
            *with_ordinality,
        ),
        TableFactor::UNNEST {
            alias,
            array_exprs,
            with_offset: false,
            with_ordinality,
            ..
        } => {
            let args = array_exprs
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            let f = srf("unnest").expect("listed");
            return (array_exprs.len() == 1).then(|| FromCall {
                f,
                args,
                alias: alias.as_ref().map(|a| a.name.value.clone()),
                columns: alias_columns(alias),
                ordinality: *with_ordinality,
            });
        }
        _ => return None,
    };
    let f = srf(&last_name(name))?;
    // `unnest(a, b)` zips arrays into several columns: DataFusion's.
    if f.1.is_empty() && count != 1 {
        return None;
    }
    Some(FromCall {
        f,
        args,
        alias: alias.as_ref().map(|a| a.name.value.clone()),
        columns: alias_columns(alias),
        ordinality,
    })
}

fn alias_columns(alias: &Option<datafusion::sql::sqlparser::ast::TableAlias>) -> Vec<String> {
    alias
        .as_ref()
        .map(|a| a.columns.iter().map(|c| c.name.value.clone()).collect())
        .unwrap_or_default()
}

/// The standalone form: `f(x) AS e(cols)` → a derived table `e`.
fn rewrite_factor(factor: &mut TableFactor) {
    let Some(c) = from_srf(factor) else { return };
    match places(&c.f) {
        Places::NotAloneInFrom => return,
        Places::FromWithOrdinalityOrLateral if !c.ordinality => return,
        _ => {}
    }
    let names = column_names(&c.f, c.alias.as_deref(), &c.columns, c.ordinality);
    let sql = columns_sql(&c.f, &c.args, &names, c.ordinality, "", "", false);
    if let Some(d) = derived(&sql, c.alias.as_deref().unwrap_or(c.f.0)) {
        *factor = d;
    }
}

/// Renames references to the function's alias `e` to the merged table `a`.
fn retarget(query: &mut Query, e: &str, a: &str, bare: Option<&str>) {
    // A bare `e` in the select list keeps its name (`SELECT tag`).
    if bare.is_some()
        && let SetExpr::Select(select) = query.body.as_mut()
    {
        for item in &mut select.projection {
            if let SelectItem::UnnamedExpr(Expr::Identifier(i)) = item
                && i.value.eq_ignore_ascii_case(e)
            {
                *item = SelectItem::ExprWithAlias {
                    expr: Expr::Identifier(i.clone()),
                    alias: i.clone(),
                };
            }
        }
    }
    let _ = visit_expressions_mut(query, |x| {
        match x {
            Expr::CompoundIdentifier(parts)
                if parts.len() == 2 && parts[0].value.eq_ignore_ascii_case(e) =>
            {
                parts[0] = Ident::new(a);
            }
            Expr::Identifier(i) if i.value.eq_ignore_ascii_case(e) => {
                if let Some(col) = bare {
                    *x = Expr::CompoundIdentifier(vec![Ident::new(a), Ident::new(col)]);
                }
            }
            _ => {}
        }
        ControlFlow::<()>::Continue(())
    });
}

/// `ON true` (or `ON 1 = 1`): a join that keeps every pair.
fn on_true(c: &datafusion::sql::sqlparser::ast::JoinConstraint) -> bool {
    use datafusion::sql::sqlparser::ast::JoinConstraint;
    matches!(c, JoinConstraint::On(e) if {
        let e = e.to_string().to_ascii_lowercase();
        e == "true" || e == "1 = 1"
    })
}

/// The lateral form, on a query whose FROM is `r, f(…) AS e`, `r CROSS
/// JOIN [LATERAL] f(…) AS e` or `r LEFT JOIN LATERAL f(…) AS e ON true`
/// (rows of `r` for which `f` yields nothing kept once, with NULLs).
fn rewrite_lateral(query: &mut Query) {
    let SetExpr::Select(select) = query.body.as_mut() else {
        return;
    };
    // Take the function item out of the FROM list.
    let from = &mut select.from;
    let mut outer = false;
    let function = if from.len() == 2 && from[1].joins.is_empty() && from[0].joins.is_empty() {
        if from_srf(&from[1].relation).is_none() {
            return;
        }
        from.pop().map(|t| t.relation)
    } else if from.len() == 1
        && from[0].joins.len() == 1
        && from_srf(&from[0].joins[0].relation).is_some()
    {
        match &from[0].joins[0].join_operator {
            JoinOperator::CrossJoin(_) => {}
            JoinOperator::Left(c) | JoinOperator::LeftOuter(c) if on_true(c) => outer = true,
            _ => return,
        }
        from[0].joins.pop().map(|j| j.relation)
    } else {
        return;
    };
    let Some(function) = function else { return };
    let c = from_srf(&function).expect("checked above");
    let left = &mut from[0].relation;
    let left_alias = match left {
        TableFactor::Table {
            alias: Some(a),
            args: None,
            ..
        } => Some(a.name.value.clone()),
        TableFactor::Table {
            name,
            alias: None,
            args: None,
            ..
        } => Some(last_name(name)),
        _ => None,
    };
    let Some(left_alias) = left_alias else {
        from.push(TableWithJoins {
            relation: function,
            joins: vec![],
        });
        return;
    };
    let names = column_names(&c.f, c.alias.as_deref(), &c.columns, c.ordinality);
    let sql = columns_sql(
        &c.f,
        &c.args,
        &names,
        c.ordinality,
        &format!("{}.*, ", quote(&left_alias)),
        &format!(" FROM {left}"),
        outer,
    );
    let Some(d) = derived(&sql, &left_alias) else {
        from.push(TableWithJoins {
            relation: function,
            joins: vec![],
        });
        return;
    };
    *left = d;
    if let Some(e) = c.alias {
        let bare = (names.len() == 1).then(|| names[0].clone());
        retarget(query, &e, &left_alias, bare.as_deref());
    }
}

fn in_projection(f: &Srf) -> bool {
    places(f) != Places::FromWithOrdinalityOrLateral
}

/// Select-list calls: `f(x)` → `wrap(unnest(list(x))) AS f`.
fn rewrite_projection(query: &mut Query) {
    let SetExpr::Select(select) = query.body.as_mut() else {
        return;
    };
    for item in &mut select.projection {
        if let SelectItem::UnnamedExpr(Expr::Function(func)) = item
            && srf(&last_name(&func.name)).is_some_and(|f| in_projection(&f))
        {
            let name = srf(&last_name(&func.name)).expect("checked").0;
            let e = Expr::Function(func.clone());
            *item = SelectItem::ExprWithAlias {
                expr: e,
                alias: Ident::new(name),
            };
        }
        let expr = match item {
            SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => e,
            _ => continue,
        };
        let _ = visit_expressions_mut(expr, |x| {
            if let Expr::Function(func) = x
                && let Some(f) = srf(&last_name(&func.name)).filter(in_projection)
                && let FunctionArguments::List(list) = &func.args
            {
                let args: Vec<Expr> = list
                    .args
                    .iter()
                    .filter_map(|a| match a {
                        FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e.clone()),
                        _ => None,
                    })
                    .collect();
                let u = call("unnest", vec![call(f.1, args, vec![])], vec![]);
                *x = match f.2 {
                    Some(w) => call(w, vec![u], vec![]),
                    None => u,
                };
            }
            ControlFlow::<()>::Continue(())
        });
    }
}

/// Rewrites the set-returning functions of every query in `statement`.
pub(crate) fn set_returning_functions(statement: &mut Statement) {
    struct Srfs;
    impl VisitorMut for Srfs {
        type Break = ();
        fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
            rewrite_lateral(query);
            rewrite_projection(query);
            if let SetExpr::Select(select) = query.body.as_mut() {
                for t in &mut select.from {
                    rewrite_factor(&mut t.relation);
                    for j in &mut t.joins {
                        rewrite_factor(&mut j.relation);
                    }
                }
            }
            ControlFlow::Continue(())
        }
    }
    let _ = statement.visit(&mut Srfs);
}

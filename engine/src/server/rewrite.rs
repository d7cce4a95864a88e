//! SQL rewrites for catalog queries clients send that DataFusion cannot plan
//! as written (applied after datafusion-pg-catalog's own rewrites).

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::helpers::attached_token::AttachedToken;
use datafusion::sql::sqlparser::ast::{
    BinaryOperator, CaseWhen, Expr, Function, FunctionArg, FunctionArgExpr, FunctionArgumentClause,
    FunctionArgumentList, FunctionArguments, GroupByExpr, Ident, ObjectName, OrderByKind, Query,
    SelectItem, SetExpr, Statement, Value, VisitMut, VisitorMut, visit_expressions_mut,
};

const AGGREGATES: &[&str] = &[
    "count",
    "sum",
    "min",
    "max",
    "avg",
    "array_agg",
    "string_agg",
    "bool_and",
    "bool_or",
    "json_agg",
    "jsonb_agg",
    "json_object_agg",
    "first_value",
    "last_value",
    "every",
];

/// DataFusion only plans correlated scalar subqueries that aggregate
/// ("must be aggregated to return at most one row"). PostgreSQL clients
/// (SQLAlchemy's column reflection, pgAdmin, DBeaver) use plain ones that
/// return at most one row by construction, e.g.
/// `(SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = a.attrelid AND adnum = a.attnum)`.
/// Wrapping the single selected expression in `first_value(…)` gives the
/// same value for zero or one row (PostgreSQL would raise an error for more,
/// which these catalog lookups never produce).
pub(crate) fn aggregate_scalar_subqueries(statement: &mut Statement) {
    let _ = visit_expressions_mut(statement, |e| {
        if let Expr::Subquery(q) = e
            && let SetExpr::Select(select) = q.body.as_mut()
            && select.projection.len() == 1
            && matches!(&select.group_by, GroupByExpr::Expressions(g, _) if g.is_empty())
            && select.having.is_none()
            && select.selection.is_some()
            && q.limit_clause.is_none()
            && select.distinct.is_none()
        {
            let item = &mut select.projection[0];
            let (expr, alias) = match item {
                SelectItem::UnnamedExpr(expr) => (expr.clone(), None),
                SelectItem::ExprWithAlias { expr, alias } => (expr.clone(), Some(alias.clone())),
                _ => return ControlFlow::<()>::Continue(()),
            };
            if is_aggregate(&expr) {
                return ControlFlow::Continue(());
            }
            let wrapped = call("first_value", expr, vec![]);
            *item = match alias {
                Some(alias) => SelectItem::ExprWithAlias {
                    expr: wrapped,
                    alias,
                },
                None => SelectItem::UnnamedExpr(wrapped),
            };
        }
        ControlFlow::Continue(())
    });
}

/// `ARRAY(SELECT x FROM … WHERE …)` (psql's `\\du`, pgAdmin) is not SQL
/// DataFusion plans. For a plain single-column subquery it is the same as
/// `(SELECT array_agg(x ORDER BY …) FROM … WHERE …)`, which DataFusion
/// decorrelates — except that an empty result gives NULL instead of `{}`.
pub(crate) fn array_subqueries(statement: &mut Statement) {
    let _ = visit_expressions_mut(statement, |e| {
        if let Expr::Function(f) = e
            && f.name.0.len() == 1
            && f.name.0[0]
                .as_ident()
                .is_some_and(|i| i.value.eq_ignore_ascii_case("array"))
            && let FunctionArguments::Subquery(q) = &f.args
            && let SetExpr::Select(select) = q.body.as_ref()
            && select.projection.len() == 1
            && matches!(&select.group_by, GroupByExpr::Expressions(g, _) if g.is_empty())
            && select.having.is_none()
            && select.distinct.is_none()
            && q.limit_clause.is_none()
        {
            let mut q = q.clone();
            let order = match q.order_by.take().map(|o| o.kind) {
                Some(OrderByKind::Expressions(exprs)) => {
                    vec![FunctionArgumentClause::OrderBy(exprs)]
                }
                _ => vec![],
            };
            let SetExpr::Select(select) = q.body.as_mut() else {
                unreachable!("matched above")
            };
            let expr = match &select.projection[0] {
                SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. } => {
                    expr.clone()
                }
                _ => return ControlFlow::<()>::Continue(()),
            };
            select.projection[0] = SelectItem::UnnamedExpr(call("array_agg", expr, order));
            *e = Expr::Subquery(q);
        }
        ControlFlow::Continue(())
    });
}

/// datafusion-pg-catalog's `RemoveSubqueryFromProjection` rule replaces
/// every correlated scalar subquery that is a whole SELECT item with NULL —
/// silently wrong results for `SELECT k, (SELECT max(w) FROM tb WHERE
/// tb.k = ta.k) FROM ta`, and empty `Default`s in psql's `\d`. DataFusion
/// plans those subqueries itself, so they are put in parentheses, which the
/// rule does not look into. Returns the re-serialised SQL when something
/// changed, `None` otherwise (or when sqlparser cannot parse it: the
/// compatibility parser reports the error on the original text).
pub(crate) fn shield_projection_subqueries(sql: &str) -> Option<String> {
    struct Shield(bool);
    impl VisitorMut for Shield {
        type Break = ();
        fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
            if let SetExpr::Select(select) = query.body.as_mut() {
                for item in &mut select.projection {
                    if let SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } =
                        item
                        && let Expr::Subquery(sub) = e
                        && let Some(shielded) = decorrelatable(sub)
                    {
                        *e = shielded;
                        self.0 = true;
                    }
                }
            }
            ControlFlow::Continue(())
        }
    }
    let mut statements = datafusion::sql::sqlparser::parser::Parser::parse_sql(
        &datafusion::sql::sqlparser::dialect::PostgreSqlDialect {},
        sql,
    )
    .ok()?;
    let mut shield = Shield(false);
    let _ = statements.visit(&mut shield);
    // The library also swaps Grafana's search-path subquery for `''`
    // (written before `current_setting` existed), which empties Grafana's
    // column list; re-serialising it keeps it from being recognised, and
    // the rewrites here plan it.
    shield.0 |= sql.contains("string_to_array(current_setting('search_path')");
    shield.0.then(|| {
        statements
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(";\n")
    })
}

/// The subquery in a form DataFusion decorrelates, or `None` when it has
/// a correlation DataFusion cannot plan (a non-equality between inner and
/// outer columns, e.g. psql's `a.attcollation <> t.typcollation`): those
/// are left to the library's NULL, as before. Conditions on outer columns
/// only move out of the subquery, which is exact for a scalar subquery:
/// `(SELECT x FROM d WHERE k = a.k AND a.flag)` is
/// `CASE WHEN a.flag THEN (SELECT x FROM d WHERE k = a.k) END`.
fn decorrelatable(sub: &Query) -> Option<Expr> {
    let SetExpr::Select(select) = sub.body.as_ref() else {
        return Some(Expr::Nested(Box::new(Expr::Subquery(Box::new(
            sub.clone(),
        )))));
    };
    let mut inner = std::collections::HashSet::new();
    for t in &select.from {
        for f in std::iter::once(&t.relation).chain(t.joins.iter().map(|j| &j.relation)) {
            if let datafusion::sql::sqlparser::ast::TableFactor::Table { name, alias, .. } = f {
                match alias {
                    Some(a) => inner.insert(a.name.value.to_lowercase()),
                    None => inner.insert(
                        name.0
                            .last()
                            .and_then(|p| p.as_ident())
                            .map(|i| i.value.to_lowercase())
                            .unwrap_or_default(),
                    ),
                };
            }
        }
    }
    let mut conjuncts = Vec::new();
    if let Some(w) = &select.selection {
        split_and(w, &mut conjuncts);
    }
    let (mut keep, mut outer_only) = (Vec::new(), Vec::new());
    for c in conjuncts {
        let (has_inner, has_outer) = references(&c, &inner);
        match (has_inner, has_outer) {
            (false, true) => outer_only.push(c),
            (true, true) if !column_equality(&c, &inner) => return None,
            _ => keep.push(c),
        }
    }
    let mut sub = sub.clone();
    if !outer_only.is_empty()
        && let SetExpr::Select(select) = sub.body.as_mut()
    {
        select.selection = keep.into_iter().reduce(and);
    }
    let subquery = Expr::Nested(Box::new(Expr::Subquery(Box::new(sub))));
    Some(match outer_only.into_iter().reduce(and) {
        None => subquery,
        Some(condition) => Expr::Case {
            case_token: AttachedToken::empty(),
            end_token: AttachedToken::empty(),
            operand: None,
            conditions: vec![CaseWhen {
                condition,
                result: subquery,
            }],
            else_result: None,
        },
    })
}

/// `inner_expr = outer.column` (either way round): the correlation
/// DataFusion turns into a join key.
fn column_equality(e: &Expr, inner: &std::collections::HashSet<String>) -> bool {
    let Expr::BinaryOp {
        left,
        op: BinaryOperator::Eq,
        right,
    } = e
    else {
        return false;
    };
    let outer_column = |x: &Expr| {
        matches!(x, Expr::CompoundIdentifier(_)) && references(x, inner) == (false, true)
    };
    let inner_only = |x: &Expr| !references(x, inner).1;
    (outer_column(left) && inner_only(right)) || (outer_column(right) && inner_only(left))
}

fn split_and(e: &Expr, out: &mut Vec<Expr>) {
    match e {
        Expr::BinaryOp {
            left,
            op: BinaryOperator::And,
            right,
        } => {
            split_and(left, out);
            split_and(right, out);
        }
        Expr::Nested(inner)
            if matches!(
                inner.as_ref(),
                Expr::BinaryOp {
                    op: BinaryOperator::And,
                    ..
                }
            ) =>
        {
            split_and(inner, out)
        }
        other => out.push(other.clone()),
    }
}

fn and(a: Expr, b: Expr) -> Expr {
    Expr::BinaryOp {
        left: Box::new(a),
        op: BinaryOperator::And,
        right: Box::new(b),
    }
}

/// Whether `e` references columns of the subquery's own tables (`inner`
/// qualifiers, or unqualified names) and columns qualified by anything else.
fn references(e: &Expr, inner: &std::collections::HashSet<String>) -> (bool, bool) {
    let (mut has_inner, mut has_outer) = (false, false);
    let _ = datafusion::sql::sqlparser::ast::visit_expressions(e, |x| {
        match x {
            Expr::CompoundIdentifier(parts) if parts.len() >= 2 => {
                let qualifier = parts[parts.len() - 2].value.to_lowercase();
                if inner.contains(&qualifier) {
                    has_inner = true;
                } else {
                    has_outer = true;
                }
            }
            Expr::Identifier(_) => has_inner = true,
            _ => {}
        }
        ControlFlow::<()>::Continue(())
    });
    (has_inner, has_outer)
}

/// DataFusion supports only the default `\` escape in `LIKE`; SQLAlchemy
/// writes `nspname NOT LIKE $1::VARCHAR || '%' ESCAPE '/'`. The pattern
/// becomes `like_escape(pattern, '/')`, which rewrites it to backslash
/// escapes at run time (see `functions::like_escape`), and the ESCAPE
/// clause goes.
pub(crate) fn like_escapes(statement: &mut Statement) {
    let _ = visit_expressions_mut(statement, |e| {
        if let Expr::Like {
            pattern,
            escape_char,
            ..
        }
        | Expr::ILike {
            pattern,
            escape_char,
            ..
        } = e
            && let Some(esc) = escape_char
            && let Value::SingleQuotedString(c) = &esc.value
            && c.chars().count() == 1
            && c != "\\"
        {
            let mut f = call("like_escape", pattern.as_ref().clone(), vec![]);
            if let Expr::Function(func) = &mut f
                && let FunctionArguments::List(list) = &mut func.args
            {
                list.args
                    .push(FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::value(
                        Value::SingleQuotedString(c.clone()),
                    ))));
            }
            **pattern = f;
            *escape_char = None;
        }
        ControlFlow::<()>::Continue(())
    });
}

/// The condition datafusion-pg-catalog's `'name'::regclass` rewrite puts on
/// unqualified names: only `current_schema()`.
const REGCLASS_SCHEMA: &str = "n.nspname = current_schema() AND c.relname = parts[1]";
/// PostgreSQL also looks in `pg_catalog` (`'pg_class'::regclass` is 1259,
/// which pgjdbc's getTables joins on).
const REGCLASS_SEARCH: &str =
    "n.nspname IN ('pg_catalog', current_schema()) AND c.relname = parts[1]";

/// Widens the library's `::regclass` lookup of unqualified names to
/// `pg_catalog` (see [`REGCLASS_SEARCH`]); statements without one are
/// returned untouched.
pub(crate) fn regclass_search_path(statement: Statement) -> Statement {
    let text = statement.to_string();
    if !text.contains(REGCLASS_SCHEMA) {
        return statement;
    }
    let widened = text.replace(REGCLASS_SCHEMA, REGCLASS_SEARCH);
    match datafusion::sql::sqlparser::parser::Parser::parse_sql(
        &datafusion::sql::sqlparser::dialect::PostgreSqlDialect {},
        &widened,
    ) {
        Ok(mut v) if v.len() == 1 => v.remove(0),
        _ => statement,
    }
}

/// `CAST(format('%I.%I', s, t) AS regclass)` (Metabase): a name computed
/// at run time. The library resolves only literal names; text expressions
/// become `to_regclass(…)` (an `oid` or an integer cast to regclass is left
/// alone: that is a lookup the other way).
pub(crate) fn runtime_regclass(statement: &mut Statement) {
    let _ = visit_expressions_mut(statement, |e| {
        if let Expr::Cast {
            expr, data_type, ..
        } = e
            && is_regclass(data_type)
            && textual(expr)
        {
            *e = call("to_regclass", expr.as_ref().clone(), vec![]);
        }
        ControlFlow::<()>::Continue(())
    });
}

fn is_regclass(t: &datafusion::sql::sqlparser::ast::DataType) -> bool {
    use datafusion::sql::sqlparser::ast::DataType as T;
    match t {
        T::Regclass => true,
        T::Custom(name, _) => name
            .0
            .last()
            .and_then(|p| p.as_ident())
            .is_some_and(|i| i.value.eq_ignore_ascii_case("regclass")),
        _ => false,
    }
}

fn textual(e: &Expr) -> bool {
    use datafusion::sql::sqlparser::ast::DataType as T;
    match e {
        Expr::Function(f) => f.name.0.last().and_then(|p| p.as_ident()).is_some_and(|i| {
            ["format", "concat", "quote_ident", "concat_ws"]
                .contains(&i.value.to_lowercase().as_str())
        }),
        Expr::BinaryOp {
            op: BinaryOperator::StringConcat,
            ..
        } => true,
        Expr::Cast { data_type, .. } => matches!(
            data_type,
            T::Text | T::Varchar(_) | T::CharacterVarying(_) | T::String(_)
        ),
        Expr::Nested(inner) => textual(inner),
        _ => false,
    }
}

/// DataFusion plans `x IN (SELECT …)` only as a conjunct of WHERE; inside
/// `CASE`, `OR` or `NOT` (Grafana's column list: `CASE WHEN … ELSE … AND
/// schema IN (SELECT …) END`) or in ORDER BY (Grafana's table list) it
/// fails. An uncorrelated one
/// there becomes `array_has((SELECT array_agg(…) …), x)`, a scalar
/// subquery DataFusion evaluates anywhere (same answer except that a NULL
/// `x` or NULLs in the list give false instead of NULL).
pub(crate) fn nested_in_subqueries(statement: &mut Statement) {
    struct Nested;
    impl VisitorMut for Nested {
        type Break = ();
        fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
            if let Some(order) = &mut query.order_by
                && let OrderByKind::Expressions(exprs) = &mut order.kind
            {
                for o in exprs {
                    rewrite_nested_in(&mut o.expr, false);
                }
            }
            if let SetExpr::Select(select) = query.body.as_mut() {
                for item in &mut select.projection {
                    if let SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } =
                        item
                    {
                        rewrite_nested_in(e, false);
                    }
                }
                if let Some(selection) = &mut select.selection {
                    rewrite_nested_in(selection, true);
                }
            }
            ControlFlow::Continue(())
        }
    }
    let _ = statement.visit(&mut Nested);
}

/// Walks `e`; `top` is true while still on WHERE's AND-spine.
fn rewrite_nested_in(e: &mut Expr, top: bool) {
    match e {
        Expr::BinaryOp {
            left,
            op: BinaryOperator::And,
            right,
        } => {
            rewrite_nested_in(left, top);
            rewrite_nested_in(right, top);
        }
        Expr::Nested(inner) => rewrite_nested_in(inner, top),
        Expr::InSubquery {
            expr,
            subquery,
            negated,
        } if !top && uncorrelated(subquery) => {
            if let SetExpr::Select(select) = subquery.body.as_mut()
                && select.projection.len() == 1
                && let SelectItem::UnnamedExpr(item) | SelectItem::ExprWithAlias { expr: item, .. } =
                    &select.projection[0]
            {
                let item = item.clone();
                select.projection[0] = SelectItem::UnnamedExpr(call("array_agg", item, vec![]));
                let mut has = call("array_has", Expr::Subquery(subquery.clone()), vec![]);
                if let Expr::Function(f) = &mut has
                    && let FunctionArguments::List(list) = &mut f.args
                {
                    list.args.push(FunctionArg::Unnamed(FunctionArgExpr::Expr(
                        expr.as_ref().clone(),
                    )));
                }
                *e = if *negated {
                    Expr::UnaryOp {
                        op: datafusion::sql::sqlparser::ast::UnaryOperator::Not,
                        expr: Box::new(has),
                    }
                } else {
                    has
                };
            }
        }
        Expr::BinaryOp { left, right, .. } => {
            rewrite_nested_in(left, false);
            rewrite_nested_in(right, false);
        }
        Expr::UnaryOp { expr, .. } => rewrite_nested_in(expr, false),
        Expr::Case {
            operand,
            conditions,
            else_result,
            ..
        } => {
            if let Some(o) = operand {
                rewrite_nested_in(o, false);
            }
            for w in conditions {
                rewrite_nested_in(&mut w.condition, false);
                rewrite_nested_in(&mut w.result, false);
            }
            if let Some(x) = else_result {
                rewrite_nested_in(x, false);
            }
        }
        _ => {}
    }
}

/// No column reference qualified by a name the subquery does not define.
fn uncorrelated(q: &Query) -> bool {
    let SetExpr::Select(select) = q.body.as_ref() else {
        return false;
    };
    if !select.from.iter().all(|t| t.joins.is_empty()) {
        return false;
    }
    let mut inner = std::collections::HashSet::new();
    for t in &select.from {
        use datafusion::sql::sqlparser::ast::TableFactor;
        match &t.relation {
            TableFactor::Table { name, alias, .. } => {
                inner.insert(match alias {
                    Some(a) => a.name.value.to_lowercase(),
                    None => name
                        .0
                        .last()
                        .and_then(|p| p.as_ident())
                        .map(|i| i.value.to_lowercase())
                        .unwrap_or_default(),
                });
            }
            TableFactor::Derived { alias: Some(a), .. } => {
                inner.insert(a.name.value.to_lowercase());
            }
            _ => return false,
        }
    }
    let mut correlated = false;
    let _ = datafusion::sql::sqlparser::ast::visit_expressions(&select.projection, |x| {
        if let Expr::CompoundIdentifier(parts) = x
            && parts.len() >= 2
            && !inner.contains(&parts[parts.len() - 2].value.to_lowercase())
        {
            correlated = true;
        }
        ControlFlow::<()>::Continue(())
    });
    if let Some(w) = &select.selection {
        correlated |= references(w, &inner).1;
    }
    !correlated
}

/// Table functions DataFusion provides (their output column is `value`).
const TABLE_FUNCTIONS: &[&str] = &["generate_series", "range", "unnest"];

/// Functions in FROM as PostgreSQL reads them (Grafana's search-path
/// query: `FROM generate_series(…) AS i, string_to_array(…) s`):
/// - a table function with a bare alias names its single column after the
///   alias (`i`), so the alias gets that column list;
/// - any other function is a one-row relation of its value:
///   `(SELECT f(…) AS s) AS s`.
///
/// Also the bare keyword `user`, which is `current_user` in PostgreSQL.
pub(crate) fn functions_in_from(statement: &mut Statement) {
    struct FromFunctions;
    impl VisitorMut for FromFunctions {
        type Break = ();
        fn pre_visit_table_factor(
            &mut self,
            factor: &mut datafusion::sql::sqlparser::ast::TableFactor,
        ) -> ControlFlow<()> {
            use datafusion::sql::sqlparser::ast::{TableAliasColumnDef, TableFactor};
            let TableFactor::Table {
                name,
                alias: Some(alias),
                args: Some(args),
                ..
            } = factor
            else {
                return ControlFlow::Continue(());
            };
            if !alias.columns.is_empty() {
                return ControlFlow::Continue(());
            }
            let function = name
                .0
                .last()
                .and_then(|p| p.as_ident())
                .map(|i| i.value.to_lowercase())
                .unwrap_or_default();
            if TABLE_FUNCTIONS.contains(&function.as_str()) {
                alias.columns = vec![TableAliasColumnDef::from_name(alias.name.value.clone())];
                return ControlFlow::Continue(());
            }
            let call = format!(
                "{name}({})",
                args.args
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let sql = format!("SELECT * FROM (SELECT {call} AS {0}) AS {0}", alias.name);
            if let Ok(mut parsed) = datafusion::sql::sqlparser::parser::Parser::parse_sql(
                &datafusion::sql::sqlparser::dialect::PostgreSqlDialect {},
                &sql,
            ) && let Some(Statement::Query(q)) = parsed.pop()
                && let SetExpr::Select(select) = *q.body
                && let Some(from) = select.from.into_iter().next()
            {
                *factor = from.relation;
            }
            ControlFlow::Continue(())
        }

        fn post_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
            // The compatibility parser turns the keyword into a call
            // without parentheses, which DataFusion reads as a column.
            let bare_user = match e {
                Expr::Identifier(i) => {
                    i.quote_style.is_none() && i.value.eq_ignore_ascii_case("user")
                }
                Expr::Function(f) => {
                    matches!(f.args, FunctionArguments::None)
                        && f.name.0.len() == 1
                        && f.name.0[0].as_ident().is_some_and(|i| {
                            i.quote_style.is_none() && i.value.eq_ignore_ascii_case("user")
                        })
                }
                _ => false,
            };
            if bare_user {
                *e = Expr::Function(Function {
                    name: ObjectName::from(vec![Ident::new("session_user")]),
                    uses_odbc_syntax: false,
                    parameters: FunctionArguments::None,
                    args: FunctionArguments::List(FunctionArgumentList {
                        duplicate_treatment: None,
                        args: vec![],
                        clauses: vec![],
                    }),
                    filter: None,
                    null_treatment: None,
                    over: None,
                    within_group: vec![],
                });
            }
            ControlFlow::Continue(())
        }
    }
    let _ = statement.visit(&mut FromFunctions);
}

/// Separator between a PostgreSQL output name and the suffix that keeps it
/// unique for DataFusion; `session::pg_output_names` strips it.
pub(crate) const NAME_SUFFIX: char = '\u{1}';

/// PostgreSQL allows duplicate output names (`SELECT 1, 1`,
/// `SELECT 'a'::regclass::oid, 'b'::regclass::oid`); DataFusion rejects a
/// projection whose expressions share a name. Items of the top-level SELECT
/// whose PostgreSQL names collide get aliases `name\u{1}n`, unique for
/// DataFusion, shown to clients as `name`.
pub(crate) fn name_duplicate_outputs(statement: &mut Statement) {
    let Statement::Query(q) = statement else {
        return;
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

fn call(name: &str, arg: Expr, clauses: Vec<FunctionArgumentClause>) -> Expr {
    Expr::Function(Function {
        name: ObjectName::from(vec![Ident::new(name)]),
        uses_odbc_syntax: false,
        parameters: FunctionArguments::None,
        args: FunctionArguments::List(FunctionArgumentList {
            duplicate_treatment: None,
            args: vec![FunctionArg::Unnamed(FunctionArgExpr::Expr(arg))],
            clauses,
        }),
        filter: None,
        null_treatment: None,
        over: None,
        within_group: vec![],
    })
}

fn is_aggregate(e: &Expr) -> bool {
    match e {
        Expr::Function(f) => {
            f.over.is_none()
                && f.name
                    .0
                    .last()
                    .and_then(|p| p.as_ident())
                    .is_some_and(|i| AGGREGATES.contains(&i.value.to_lowercase().as_str()))
        }
        Expr::Cast { expr, .. } | Expr::Nested(expr) => is_aggregate(expr),
        _ => false,
    }
}

//! Subqueries DataFusion cannot plan as clients write them: plain
//! correlated scalar subqueries (wrapped in an aggregate), `ARRAY(SELECT …)`,
//! SELECT-list subqueries shielded from the compatibility parser's NULL,
//! and `IN (SELECT …)` nested in CASE/OR/ORDER BY.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::helpers::attached_token::AttachedToken;
use datafusion::sql::sqlparser::ast::{
    BinaryOperator, CaseWhen, Expr, FunctionArgumentClause, GroupByExpr, OrderByKind, Query,
    SelectItem, SetExpr, Statement, VisitMut, VisitorMut, visit_expressions_mut,
};

use super::{and, call};

pub(super) const AGGREGATES: &[&str] = &[
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
    "percentile_cont",
    "percentile_disc",
    "mode",
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
            let wrapped = call("first_value", vec![expr], vec![]);
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
/// One mapping the elements of an `unnest` (often of an outer column)
/// becomes array functions first ([`super::array_map`]).
pub(crate) fn array_subqueries(statement: &mut Statement) {
    super::array_map::array_maps(statement);
    let _ = visit_expressions_mut(statement, |e| {
        if let Some(q) = super::array_map::array_subquery(e)
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
            select.projection[0] = SelectItem::UnnamedExpr(call("array_agg", vec![expr], order));
            *e = Expr::Subquery(Box::new(q));
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
    // Parsing twice costs: only statements that can hold a subquery pay it.
    if sql.to_ascii_lowercase().matches("select").count() < 2 {
        return None;
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
    let conjuncts: Vec<Expr> = select
        .selection
        .as_ref()
        .map(|w| super::conjuncts(w).into_iter().cloned().collect())
        .unwrap_or_default();
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
                select.projection[0] =
                    SelectItem::UnnamedExpr(call("array_agg", vec![item], vec![]));
                let has = call(
                    "array_has",
                    vec![Expr::Subquery(subquery.clone()), expr.as_ref().clone()],
                    vec![],
                );
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

/// Whether `e` calls an aggregate anywhere outside a nested subquery
/// (`0.2 * avg(x)` aggregates: wrapping it would nest aggregates).
/// Whether `e` calls an aggregate function (not as a window).
pub(super) fn is_aggregate(e: &Expr) -> bool {
    let mut found = false;
    let mut e = e.clone();
    let _ = visit_expressions_mut(&mut e, |x| {
        if let Expr::Function(f) = x
            && f.over.is_none()
            && f.name
                .0
                .last()
                .and_then(|p| p.as_ident())
                .is_some_and(|i| AGGREGATES.contains(&i.value.to_lowercase().as_str()))
        {
            found = true;
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    });
    found
}

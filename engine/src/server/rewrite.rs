//! SQL rewrites for catalog queries clients send that DataFusion cannot plan
//! as written (applied after datafusion-pg-catalog's own rewrites).

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Expr, Function, FunctionArg, FunctionArgExpr, FunctionArgumentList, FunctionArguments,
    GroupByExpr, Ident, ObjectName, SelectItem, SetExpr, Statement, visit_expressions_mut,
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
            let wrapped = Expr::Function(Function {
                name: ObjectName::from(vec![Ident::new("first_value")]),
                uses_odbc_syntax: false,
                parameters: FunctionArguments::None,
                args: FunctionArguments::List(FunctionArgumentList {
                    duplicate_treatment: None,
                    args: vec![FunctionArg::Unnamed(FunctionArgExpr::Expr(expr))],
                    clauses: vec![],
                }),
                filter: None,
                null_treatment: None,
                over: None,
                within_group: vec![],
            });
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

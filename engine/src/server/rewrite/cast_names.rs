//! Calls that differ only by casts, made distinct for DataFusion.
//!
//! DataFusion names an expression without its casts (`sum(qty::smallint)`
//! is `sum(orders.qty)`, as PostgreSQL's headers would be) and refuses a
//! plan node whose outputs share a name, so `SELECT sum(qty),
//! sum(qty::numeric(12,2))` fails to plan with "duplicate unqualified field
//! name" although PostgreSQL runs it. [`distinct_cast_calls`] finds, in
//! each SELECT, function calls (aggregates, windows, scalars) that are
//! equal once casts are ignored but not as written, and wraps the casts of
//! the second, third, … variant in one, two, … `coalesce(…)` of one
//! argument: a no-op that shows in the name and that DataFusion's
//! simplifier removes before execution. Client-facing names were already
//! fixed by [`super::names`], which runs first.

use std::collections::HashMap;
use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Expr, FunctionArguments, GroupByExpr, OrderBy, OrderByKind, Query, Select, SelectItem, SetExpr,
    Statement, VisitMut, VisitorMut, visit_expressions, visit_expressions_mut,
};

use super::call;

/// Applies the rewrite to every SELECT of `statement`. Idempotent: after
/// it, the variants differ without their casts too.
pub(crate) fn distinct_cast_calls(statement: &mut Statement) {
    struct Selects;
    impl VisitorMut for Selects {
        type Break = ();
        fn pre_visit_query(&mut self, q: &mut Query) -> ControlFlow<()> {
            match q.body.as_mut() {
                // ORDER BY names the SELECT's calls: it must change with them.
                SetExpr::Select(select) => {
                    let order_by = match &mut q.order_by {
                        Some(OrderBy {
                            kind: OrderByKind::Expressions(list),
                            ..
                        }) => list.iter_mut().map(|o| &mut o.expr).collect(),
                        _ => vec![],
                    };
                    fix_select(select, order_by);
                }
                body => each_select(body),
            }
            ControlFlow::Continue(())
        }
    }
    let _ = statement.visit(&mut Selects);
}

fn each_select(body: &mut SetExpr) {
    match body {
        SetExpr::Select(select) => fix_select(select, vec![]),
        SetExpr::SetOperation { left, right, .. } => {
            each_select(left);
            each_select(right);
        }
        _ => {}
    }
}

/// The expressions of a SELECT whose calls end up in one plan node's
/// outputs (projection and HAVING feed the same Aggregate).
fn item_exprs<'a>(
    projection: &'a mut [SelectItem],
    having: &'a mut Option<Expr>,
) -> Vec<&'a mut Expr> {
    let mut out: Vec<&mut Expr> = projection
        .iter_mut()
        .filter_map(|item| match item {
            SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => Some(e),
            _ => None,
        })
        .collect();
    out.extend(having.as_mut());
    out
}

fn fix_select(select: &mut Select, order_by: Vec<&mut Expr>) {
    // Every call's text without casts → the distinct texts with them.
    let mut variants: HashMap<String, Vec<(String, bool)>> = HashMap::new();
    for e in item_exprs(&mut select.projection, &mut select.having) {
        let _ = visit_expressions(&*e, |sub| {
            if matches!(sub, Expr::Function(_)) && !is_wrapper(sub) {
                let full = sub.to_string();
                let list = variants.entry(without_casts(sub).to_string()).or_default();
                if !list.iter().any(|(t, _)| *t == full) {
                    list.push((full, has_cast(sub)));
                }
            }
            ControlFlow::<()>::Continue(())
        });
    }
    // How many wrappers each colliding call with casts gets: 1, 2, … in
    // order, from 0 when no variant is cast-free (that one keeps its form).
    let mut depth: HashMap<String, usize> = HashMap::new();
    for list in variants.into_values().filter(|v| v.len() > 1) {
        let first = usize::from(list.iter().any(|(_, cast)| !cast));
        let casts = list.into_iter().filter(|(_, cast)| *cast);
        for (i, (text, _)) in casts.enumerate() {
            if first + i > 0 {
                depth.insert(text, first + i);
            }
        }
    }
    if depth.is_empty() {
        return;
    }
    // GROUP BY and ORDER BY name the same calls: they change alike.
    let group_by = match &mut select.group_by {
        GroupByExpr::Expressions(list, _) => list.iter_mut().collect(),
        GroupByExpr::All(_) => vec![],
    };
    let mut targets = group_by;
    targets.extend(order_by);
    targets.extend(item_exprs(&mut select.projection, &mut select.having));
    for e in targets {
        let _ = visit_expressions_mut(e, |sub| {
            if let Some(&n) = depth.get(&sub.to_string()) {
                wrap_casts(sub, n);
            }
            ControlFlow::<()>::Continue(())
        });
    }
}

/// A one-argument `coalesce`: this rewrite's no-op (never a collision
/// itself, or a second run would wrap again).
fn is_wrapper(e: &Expr) -> bool {
    let Expr::Function(f) = e else {
        return false;
    };
    f.name.to_string().eq_ignore_ascii_case("coalesce")
        && matches!(&f.args, FunctionArguments::List(l) if l.args.len() == 1)
}

fn has_cast(e: &Expr) -> bool {
    visit_expressions(e, |sub| match sub {
        Expr::Cast { .. } => ControlFlow::Break(()),
        _ => ControlFlow::Continue(()),
    })
    .is_break()
}

/// `e` as DataFusion names it: casts and parentheses dropped.
fn without_casts(e: &Expr) -> Expr {
    let mut e = e.clone();
    let _ = visit_expressions_mut(&mut e, |sub| {
        while let Expr::Cast { expr, .. } | Expr::Nested(expr) = sub {
            *sub = expr.as_ref().clone();
        }
        ControlFlow::<()>::Continue(())
    });
    e
}

/// Wraps every cast inside `e` in `n` one-argument `coalesce` calls.
fn wrap_casts(e: &mut Expr, n: usize) {
    let _ = visit_expressions_mut(e, |sub| {
        if matches!(sub, Expr::Cast { .. }) {
            let mut wrapped = sub.clone();
            for _ in 0..n {
                wrapped = call("coalesce", vec![wrapped], vec![]);
            }
            *sub = wrapped;
        }
        ControlFlow::<()>::Continue(())
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::sql::sqlparser::dialect::PostgreSqlDialect;
    use datafusion::sql::sqlparser::parser::Parser;

    fn rewritten(sql: &str) -> String {
        let mut s = Parser::parse_sql(&PostgreSqlDialect {}, sql)
            .unwrap()
            .remove(0);
        distinct_cast_calls(&mut s);
        s.to_string()
    }

    #[test]
    fn only_colliding_calls_change() {
        assert_eq!(
            rewritten("SELECT sum(qty), sum(qty::smallint), avg(qty::numeric(10,2)) FROM t"),
            "SELECT sum(qty), sum(coalesce(qty::SMALLINT)), avg(qty::NUMERIC(10,2)) FROM t"
        );
        let three = rewritten("SELECT sum(a), sum(a::int2) AS x, sum(a::int8) FROM t");
        assert!(three.contains("sum(coalesce(a::INT2)) AS x"), "{three}");
        assert!(
            three.contains("sum(coalesce(coalesce(a::INT8)))"),
            "{three}"
        );
        // Idempotent; calls that do not collide keep their casts.
        assert_eq!(rewritten(&three), three);
        let plain = "SELECT sum(a::INT2), max(b::TEXT) FROM t";
        assert_eq!(rewritten(plain), plain);
        // The cast-free variant may come second; nested calls change once.
        let late = rewritten("SELECT sum(a::INT2), sum(a) FROM t");
        assert!(late.contains("sum(coalesce(a::INT2)), sum(a)"), "{late}");
        let ordered = rewritten("SELECT sum(a), sum(a::INT8) FROM t ORDER BY sum(a::INT8)");
        assert!(
            ordered.ends_with("ORDER BY sum(coalesce(a::INT8))"),
            "{ordered}"
        );
        let nested = rewritten("SELECT round(avg(a), 2), round(avg(a::NUMERIC(10,2)), 2) FROM t");
        assert!(
            nested.ends_with("round(avg(coalesce(a::NUMERIC(10,2))), 2) FROM t"),
            "{nested}"
        );
    }
}

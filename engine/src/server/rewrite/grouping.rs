//! Output-column positions inside `ROLLUP`, `CUBE` and `GROUPING SETS`:
//! PostgreSQL reads `GROUP BY ROLLUP (1)` like `GROUP BY 1`, as the first
//! output column; DataFusion resolves positions only in a plain GROUP BY
//! and groups by the constant. The positions become the output columns'
//! expressions.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Expr, GroupByExpr, Query, SelectItem, SetExpr, Statement, Value, VisitMut, VisitorMut,
};

/// The select-list expression at 1-based `position`, if it is one.
fn output_expr(projection: &[SelectItem], position: &str) -> Option<Expr> {
    let n: usize = position.parse().ok()?;
    match projection.get(n.checked_sub(1)?)? {
        SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => Some(e.clone()),
        _ => None,
    }
}

fn resolve(sets: &mut [Vec<Expr>], projection: &[SelectItem]) {
    for e in sets.iter_mut().flatten() {
        if let Expr::Value(v) = e
            && let Value::Number(n, _) = &v.value
            && let Some(output) = output_expr(projection, n)
        {
            *e = output;
        }
    }
}

/// Rewrites every query of `statement` (see the module docs).
pub(crate) fn grouping_set_positions(statement: &mut Statement) {
    struct Positions;
    impl VisitorMut for Positions {
        type Break = ();
        fn pre_visit_query(&mut self, q: &mut Query) -> ControlFlow<()> {
            let SetExpr::Select(select) = q.body.as_mut() else {
                return ControlFlow::Continue(());
            };
            let projection = select.projection.clone();
            if let GroupByExpr::Expressions(exprs, _) = &mut select.group_by {
                for e in exprs {
                    match e {
                        Expr::Rollup(sets) | Expr::Cube(sets) => resolve(sets, &projection),
                        Expr::GroupingSets(sets) => resolve(sets, &projection),
                        _ => {}
                    }
                }
            }
            ControlFlow::Continue(())
        }
    }
    let _ = statement.visit(&mut Positions);
}

#[cfg(test)]
mod tests {
    use super::grouping_set_positions;
    use crate::server::rewrite::parse_one;

    #[test]
    fn positions_in_grouping_sets_name_output_columns() {
        let mut s = parse_one(
            "SELECT status AS s, channel, count(*) FROM orders \
             GROUP BY ROLLUP (1, 2), CUBE ((1), 2), GROUPING SETS ((1, channel), ())",
        );
        grouping_set_positions(&mut s);
        assert_eq!(
            s.to_string(),
            "SELECT status AS s, channel, count(*) FROM orders \
             GROUP BY ROLLUP (status, channel), CUBE (status, channel), \
             GROUPING SETS ((status, channel), ())"
        );
        // A position past the list or on `*` stays as written.
        let mut s = parse_one("SELECT *, 1 FROM t GROUP BY ROLLUP (1, 5)");
        grouping_set_positions(&mut s);
        assert_eq!(s.to_string(), "SELECT *, 1 FROM t GROUP BY ROLLUP (1, 5)");
    }
}

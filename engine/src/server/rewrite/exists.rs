//! `EXISTS (…)` outside a WHERE clause's top-level conjuncts, e.g. in the
//! select list (`SELECT c.id, EXISTS (SELECT 1 FROM orders o WHERE
//! o.customer_id = c.id) AS has_orders`), in CASE, under OR, in ON.
//!
//! DataFusion turns `EXISTS` into a semi or anti join only where it filters
//! a query (a conjunct of WHERE); anywhere else the plan fails at execution
//! ("Physical plan does not support logical expression Exists"). There the
//! predicate becomes a count: `EXISTS (q)` is `(SELECT count(*) …) > 0` and
//! `NOT EXISTS (q)` is `… = 0`, over q's own FROM and WHERE (its select
//! list, ORDER BY and LIMIT do not change whether a row exists). DataFusion
//! decorrelates a counting scalar subquery into a join with a grouped count,
//! and gives 0 for outer rows without a match, so the answer is never NULL,
//! as EXISTS's is not. A subquery that groups, aggregates or is a set
//! operation is counted as a whole: `(SELECT count(*) FROM (q) AS e) > 0`.
//!
//! The conjuncts DataFusion handles itself keep their `EXISTS`, which plans
//! as a semi join.

use std::collections::HashSet;
use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    BinaryOperator, Expr, FunctionArg, FunctionArgExpr, FunctionArgumentList, FunctionArguments,
    GroupByExpr, Query, SelectItem, SetExpr, Statement, TableAlias, TableFactor, TableWithJoins,
    Value, VisitMut, VisitorMut,
};

use super::call;

/// Rewrites every `EXISTS` of `statement` that DataFusion cannot plan into
/// a count (see the module docs).
pub(crate) fn exists_as_counts(statement: &mut Statement) {
    let _ = statement.visit(&mut Visitor::default());
}

#[derive(Default)]
struct Visitor {
    /// Addresses of the `EXISTS` nodes that are top-level WHERE conjuncts,
    /// left as they are. The nodes do not move while the visit runs: only
    /// other nodes are replaced.
    kept: HashSet<usize>,
}

impl VisitorMut for Visitor {
    type Break = ();
    fn pre_visit_query(&mut self, q: &mut Query) -> ControlFlow<()> {
        keep_where_conjuncts(&q.body, &mut self.kept);
        ControlFlow::Continue(())
    }
    fn pre_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
        if matches!(e, Expr::Exists { .. })
            && !self
                .kept
                .contains(&(std::ptr::from_ref::<Expr>(e) as usize))
        {
            *e = counted(e);
        }
        ControlFlow::Continue(())
    }
}

fn keep_where_conjuncts(body: &SetExpr, kept: &mut HashSet<usize>) {
    match body {
        SetExpr::Select(s) => {
            if let Some(w) = &s.selection {
                keep_conjuncts(w, kept);
            }
        }
        SetExpr::SetOperation { left, right, .. } => {
            keep_where_conjuncts(left, kept);
            keep_where_conjuncts(right, kept);
        }
        _ => {}
    }
}

/// Marks the `EXISTS` (or `NOT (EXISTS …)`) conjuncts of `where_` as kept;
/// [`super::conjuncts`] returns references into the tree, so their
/// addresses are the nodes'.
fn keep_conjuncts(where_: &Expr, kept: &mut HashSet<usize>) {
    for c in super::conjuncts(where_) {
        let exists = match c {
            // `NOT (EXISTS …)` is an anti join too.
            Expr::UnaryOp {
                op: datafusion::sql::sqlparser::ast::UnaryOperator::Not,
                expr,
            } => strip_nested(expr),
            other => other,
        };
        if matches!(exists, Expr::Exists { .. }) {
            kept.insert(std::ptr::from_ref::<Expr>(exists) as usize);
        }
    }
}

fn strip_nested(e: &Expr) -> &Expr {
    match e {
        Expr::Nested(inner) => strip_nested(inner),
        other => other,
    }
}

/// `(SELECT count(*) …) > 0` (or `= 0` when negated) for an `EXISTS`.
fn counted(e: &Expr) -> Expr {
    let Expr::Exists { subquery, negated } = e else {
        return e.clone();
    };
    let count = count_star();
    let mut q = subquery.as_ref().clone();
    let simple = q.with.is_none()
        && q.fetch.is_none()
        && q.limit_clause.as_ref().is_none_or(|l| {
            matches!(l, datafusion::sql::sqlparser::ast::LimitClause::LimitOffset { offset: None, limit_by, .. } if limit_by.is_empty())
        })
        && matches!(q.body.as_ref(), SetExpr::Select(s)
            if s.distinct.is_none()
                && matches!(&s.group_by, GroupByExpr::Expressions(g, m) if g.is_empty() && m.is_empty())
                && s.having.is_none()
                && !s.projection.iter().any(|i| match i {
                    SelectItem::UnnamedExpr(x) | SelectItem::ExprWithAlias { expr: x, .. } => super::subqueries::is_aggregate(x),
                    _ => false,
                }));
    // `LIMIT 0` means no row whatever the data.
    let limit_zero = matches!(&q.limit_clause,
        Some(datafusion::sql::sqlparser::ast::LimitClause::LimitOffset { limit: Some(Expr::Value(v)), .. })
            if matches!(&v.value, Value::Number(n, _) if n == "0"));
    if limit_zero {
        return Expr::value(Value::Boolean(*negated));
    }
    if simple {
        if let SetExpr::Select(s) = q.body.as_mut() {
            s.projection = vec![SelectItem::UnnamedExpr(count)];
        }
        q.order_by = None;
        q.limit_clause = None;
    } else {
        q = wrap_count(q, count);
    }
    Expr::Nested(Box::new(Expr::BinaryOp {
        left: Box::new(Expr::Subquery(Box::new(q))),
        op: if *negated {
            BinaryOperator::Eq
        } else {
            BinaryOperator::Gt
        },
        right: Box::new(Expr::value(Value::Number("0".into(), false))),
    }))
}

fn count_star() -> Expr {
    let mut count = call("count", vec![], vec![]);
    if let Expr::Function(f) = &mut count {
        f.args = FunctionArguments::List(FunctionArgumentList {
            duplicate_treatment: None,
            args: vec![FunctionArg::Unnamed(FunctionArgExpr::Wildcard)],
            clauses: vec![],
        });
    }
    count
}

/// `SELECT count(*) FROM (q) AS __exists`.
fn wrap_count(q: Query, count: Expr) -> Query {
    use datafusion::sql::sqlparser::dialect::PostgreSqlDialect;
    use datafusion::sql::sqlparser::parser::Parser;
    let Ok(Some(Statement::Query(mut outer))) = Parser::parse_sql(
        &PostgreSqlDialect {},
        "SELECT 0 FROM (SELECT 1) AS __exists",
    )
    .map(|mut v| v.pop()) else {
        unreachable!("the template parses")
    };
    if let SetExpr::Select(s) = outer.body.as_mut() {
        s.projection = vec![SelectItem::UnnamedExpr(count)];
        s.from = vec![TableWithJoins {
            relation: TableFactor::Derived {
                lateral: false,
                subquery: Box::new(q),
                alias: Some(TableAlias {
                    explicit: true,
                    name: datafusion::sql::sqlparser::ast::Ident::new("__exists"),
                    columns: vec![],
                    at: None,
                }),
                sample: None,
            },
            joins: vec![],
        }];
    }
    *outer
}

#[cfg(test)]
mod tests {
    use super::super::parse_one;

    fn rewritten(sql: &str) -> String {
        let mut s = parse_one(sql);
        super::exists_as_counts(&mut s);
        s.to_string()
    }

    #[test]
    fn select_list_exists_counts() {
        assert_eq!(
            rewritten(
                "SELECT c.id, EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id LIMIT 1) AS has, \
                 NOT EXISTS (SELECT * FROM events) FROM customers c"
            ),
            "SELECT c.id, ((SELECT count(*) FROM orders o WHERE o.customer_id = c.id) > 0) AS has, \
             ((SELECT count(*) FROM events) = 0) FROM customers c"
        );
    }

    #[test]
    fn where_conjuncts_stay_semi_joins() {
        let sql = "SELECT id FROM customers c WHERE c.vip AND EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id) AND NOT EXISTS (SELECT 1 FROM events) AND NOT (EXISTS (SELECT 1 FROM t))";
        let before = parse_one(sql).to_string();
        assert_eq!(rewritten(sql), before);
        // Under OR it is not a conjunct.
        assert!(
            rewritten("SELECT id FROM customers c WHERE c.vip OR EXISTS (SELECT 1 FROM orders)")
                .contains("count(*)")
        );
    }

    #[test]
    fn grouped_subqueries_are_counted_whole() {
        assert_eq!(
            rewritten(
                "SELECT EXISTS (SELECT status FROM orders GROUP BY status HAVING count(*) > 2)"
            ),
            "SELECT ((SELECT count(*) FROM (SELECT status FROM orders GROUP BY status HAVING count(*) > 2) AS __exists) > 0)"
        );
    }
}

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
//!
//! `x [NOT] IN (subquery)` (and `x = ANY (subquery)`, `x <> ALL
//! (subquery)`, which are the same) fails there in the same way. Outside
//! WHERE's conjuncts it becomes counts over the subquery, wrapped as a
//! derived table so that `x` keeps naming the outer query's columns, with
//! SQL's three-valued answer: true when a row equals `x`, false when the
//! subquery is empty, NULL when `x` is NULL or a row is NULL, else false.
//! (A subquery that refers to the outer query cannot be wrapped so; it
//! stays as DataFusion plans it.)

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
    any_subqueries_as_in(statement);
    // A DELETE's or UPDATE's subqueries are run once before it
    // (`crate::row_changes`), which needs them as DataFusion plans them.
    if matches!(statement, Statement::Delete(_) | Statement::Update { .. }) {
        return;
    }
    let _ = statement.visit(&mut Visitor::default());
}

/// `x = ANY (subquery)` as `x IN (subquery)`, `x <> ALL (subquery)` as
/// `x NOT IN (subquery)` (the parser of the wire protocol spells the first
/// `array_contains(subquery, x)`); the other comparisons with `ANY`/`ALL`
/// as [`quantified`] comparisons with the subquery's minimum or maximum.
fn any_subqueries_as_in(statement: &mut Statement) {
    use datafusion::sql::sqlparser::ast::visit_expressions_mut;
    let _ = visit_expressions_mut(statement, |e| {
        let compared = match e {
            Expr::AnyOp {
                left,
                compare_op,
                right,
                ..
            } if *compare_op != BinaryOperator::Eq => {
                subquery_of(right).and_then(|q| quantified(left, compare_op, &q, false))
            }
            Expr::AllOp {
                left,
                compare_op,
                right,
            } if *compare_op != BinaryOperator::NotEq => {
                subquery_of(right).and_then(|q| quantified(left, compare_op, &q, true))
            }
            _ => None,
        };
        if let Some(c) = compared {
            *e = c;
            return ControlFlow::<()>::Continue(());
        }
        let replaced = match e {
            Expr::AnyOp {
                left,
                compare_op: BinaryOperator::Eq,
                right,
                ..
            } => subquery_of(right).map(|q| (left.as_ref().clone(), q, false)),
            Expr::AllOp {
                left,
                compare_op: BinaryOperator::NotEq,
                right,
            } => subquery_of(right).map(|q| (left.as_ref().clone(), q, true)),
            Expr::Function(f)
                if f.name.to_string().eq_ignore_ascii_case("array_contains")
                    && let FunctionArguments::List(l) = &f.args
                    && let [
                        FunctionArg::Unnamed(FunctionArgExpr::Expr(a)),
                        FunctionArg::Unnamed(FunctionArgExpr::Expr(x)),
                    ] = l.args.as_slice() =>
            {
                subquery_of(a).map(|q| (x.clone(), q, false))
            }
            _ => None,
        };
        if let Some((x, subquery, negated)) = replaced {
            *e = Expr::InSubquery {
                expr: Box::new(x),
                subquery,
                negated,
            };
        }
        ControlFlow::<()>::Continue(())
    });
}

fn subquery_of(e: &Expr) -> Option<Box<Query>> {
    match e {
        Expr::Subquery(q) => Some(q.clone()),
        Expr::Nested(inner) => subquery_of(inner),
        _ => None,
    }
}

/// `x op ANY (q)` / `x op ALL (q)` for `<`, `<=`, `>`, `>=` (and `<>
/// ANY`, `= ALL`) through the subquery's minimum and maximum, which
/// DataFusion computes once (it cannot decorrelate the comparison itself):
/// `x > ANY (q)` holds when `x > min`, `x > ALL (q)` fails when `x <= max`.
/// NULLs as in SQL: an empty subquery makes ANY false and ALL true;
/// otherwise a NULL `x`, or an undecided answer with NULL rows, is NULL.
fn quantified(x: &Expr, op: &BinaryOperator, q: &Query, all: bool) -> Option<Expr> {
    use BinaryOperator::*;
    let rows = format!("FROM ({q}) AS __q_rows (__q_value)");
    let min = format!("(SELECT min(__q_value) {rows})");
    let max = format!("(SELECT max(__q_value) {rows})");
    // ANY: when it is true; ALL: when it is false.
    let decided = match (op, all) {
        (Gt, false) => format!("({x}) > {min}"),
        (GtEq, false) => format!("({x}) >= {min}"),
        (Lt, false) => format!("({x}) < {max}"),
        (LtEq, false) => format!("({x}) <= {max}"),
        (NotEq, false) | (Eq, true) => format!("({x}) <> {min} OR ({x}) <> {max}"),
        (Gt, true) => format!("({x}) <= {max}"),
        (GtEq, true) => format!("({x}) < {max}"),
        (Lt, true) => format!("({x}) >= {min}"),
        (LtEq, true) => format!("({x}) > {min}"),
        _ => return None,
    };
    let (empty, decision) = if all {
        ("true", "false")
    } else {
        ("false", "true")
    };
    let sql = format!(
        "SELECT CASE WHEN (SELECT count(*) {rows}) = 0 THEN {empty} \
         WHEN ({x}) IS NULL THEN NULL \
         WHEN {decided} THEN {decision} \
         WHEN (SELECT count(*) {rows} WHERE __q_value IS NULL) > 0 THEN NULL \
         ELSE {empty} END"
    );
    // An ALL that is not decided false is true (ANY: false) unless NULLs.
    select_item(&sql).map(|e| Expr::Nested(Box::new(e)))
}

/// The single select item of `sql` (a `SELECT expr` written here).
fn select_item(sql: &str) -> Option<Expr> {
    use datafusion::sql::sqlparser::dialect::PostgreSqlDialect;
    use datafusion::sql::sqlparser::parser::Parser;
    // Printed and read back: the parts are arbitrary expressions.
    let Some(Statement::Query(parsed)) = Parser::parse_sql(&PostgreSqlDialect {}, sql)
        .ok()
        .and_then(|mut v| v.pop())
    else {
        return None;
    };
    let SetExpr::Select(s) = *parsed.body else {
        return None;
    };
    match s.projection.into_iter().next()? {
        SelectItem::UnnamedExpr(e) => Some(e),
        _ => None,
    }
}

/// The counts standing for `x IN (q)` (see the module docs), or `None`
/// when `q` does not give one column.
fn in_counts(x: &Expr, q: &Query) -> Option<Expr> {
    let one_column = match q.body.as_ref() {
        SetExpr::Select(s) => {
            s.projection.len() == 1
                && matches!(
                    s.projection[0],
                    SelectItem::UnnamedExpr(_) | SelectItem::ExprWithAlias { .. }
                )
        }
        _ => true,
    };
    if !one_column {
        return None;
    }
    let rows = format!("FROM ({q}) AS __in_rows (__in_value)");
    let sql = format!(
        "SELECT CASE \
         WHEN (SELECT count(*) {rows} WHERE __in_rows.__in_value = ({x})) > 0 THEN true \
         WHEN (SELECT count(*) {rows}) = 0 THEN false \
         WHEN ({x}) IS NULL OR (SELECT count(*) {rows} WHERE __in_rows.__in_value IS NULL) > 0 \
         THEN NULL ELSE false END"
    );
    select_item(&sql).map(|case| Expr::Nested(Box::new(case)))
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
        // A correlated count cannot be a sort key: an `IN` in ORDER BY is
        // left to `subqueries::nested_in_subqueries`.
        if let Some(order) = &q.order_by
            && let datafusion::sql::sqlparser::ast::OrderByKind::Expressions(keys) = &order.kind
        {
            for key in keys {
                let _ = datafusion::sql::sqlparser::ast::visit_expressions(&key.expr, |e| {
                    if matches!(e, Expr::InSubquery { .. }) {
                        self.kept.insert(std::ptr::from_ref::<Expr>(e) as usize);
                    }
                    ControlFlow::<()>::Continue(())
                });
            }
        }
        ControlFlow::Continue(())
    }
    fn pre_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
        let kept = self
            .kept
            .contains(&(std::ptr::from_ref::<Expr>(e) as usize));
        if matches!(e, Expr::Exists { .. }) && !kept {
            *e = counted(e);
        }
        if let Expr::InSubquery {
            expr,
            subquery,
            negated,
        } = e
            && !kept
            && let Some(counts) = in_counts(expr, subquery)
        {
            *e = if *negated {
                Expr::UnaryOp {
                    op: datafusion::sql::sqlparser::ast::UnaryOperator::Not,
                    expr: Box::new(counts),
                }
            } else {
                counts
            };
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
        if matches!(exists, Expr::Exists { .. } | Expr::InSubquery { .. }) {
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

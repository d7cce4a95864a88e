//! Correlated `LATERAL` subqueries that DataFusion cannot decorrelate, the
//! "top n per row" idiom analysts write in PostgreSQL:
//!
//! ```sql
//! SELECT c.id, o.id, o.amount
//! FROM customers c
//! LEFT JOIN LATERAL (
//!     SELECT id, amount FROM orders WHERE orders.customer_id = c.id
//!     ORDER BY amount DESC LIMIT 1
//! ) o ON true
//! ```
//!
//! DataFusion plans the lateral join but fails at execution ("Physical plan
//! does not support logical expression OuterReferenceColumn") when the
//! subquery has a `LIMIT`. When every outer reference of the subquery is an
//! equality `inner = outer` in its WHERE clause, the subquery is the same
//! for every outer row with those keys, so it becomes an ordinary join:
//! the subquery is computed once for all keys, numbered per key with
//! `row_number() OVER (PARTITION BY keys ORDER BY <its ORDER BY>)`, cut to
//! the rows its `LIMIT`/`OFFSET` keep, and joined on the keys (`ON true`
//! becomes `ON o.key = c.id`; another ON condition stays beside it, applied
//! after the cut as PostgreSQL applies it).
//!
//! The key columns stay visible in the joined table, so the rewrite is
//! skipped when the enclosing SELECT reads the subquery with `*` or
//! `o.*`; so it is for column aliases on the subquery, grouping,
//! `DISTINCT`, window functions and any other outer reference. Those
//! queries keep DataFusion's own plan.

use std::collections::HashSet;
use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    BinaryOperator, Expr, GroupByExpr, Ident, Join, JoinConstraint, JoinOperator, LimitClause,
    ObjectName, OrderByExpr, OrderByKind, Query, Select, SelectItem,
    SelectItemQualifiedWildcardKind, SetExpr, Statement, TableFactor, TableWithJoins, Value,
    ValueWithSpan, VisitMut, VisitorMut, WindowSpec, WindowType, visit_expressions,
};
use datafusion::sql::sqlparser::dialect::PostgreSqlDialect;
use datafusion::sql::sqlparser::parser::Parser;

use super::{and, call};

/// Name of the row number column, and prefix of the key columns.
const ROW_NUMBER: &str = "__lateral_rn";
const KEY: &str = "__lateral_k";

/// Rewrites every correlated top-n `LATERAL` subquery of `statement` that
/// fits (see the module docs) into a join on its correlation keys.
pub(crate) fn top_n_laterals(statement: &mut Statement) {
    struct Visitor;
    impl VisitorMut for Visitor {
        type Break = ();
        fn pre_visit_query(&mut self, q: &mut Query) -> ControlFlow<()> {
            if let SetExpr::Select(select) = q.body.as_mut() {
                rewrite_select(select);
            }
            ControlFlow::Continue(())
        }
    }
    let _ = statement.visit(&mut Visitor);
}

fn rewrite_select(select: &mut Select) {
    // `FROM a, LATERAL (…) x` is `a CROSS JOIN LATERAL (…) x`.
    let mut i = 1;
    while i < select.from.len() {
        let lateral = select.from[i].joins.is_empty()
            && matches!(
                select.from[i].relation,
                TableFactor::Derived { lateral: true, .. }
            );
        if lateral && candidate(&select.from[i].relation, &select.projection) {
            let twj = select.from.remove(i);
            select.from[i - 1].joins.push(Join {
                relation: twj.relation,
                global: false,
                join_operator: JoinOperator::CrossJoin(JoinConstraint::None),
            });
        } else {
            i += 1;
        }
    }
    let projection = select.projection.clone();
    for twj in &mut select.from {
        for join in &mut twj.joins {
            rewrite_join(join, &projection);
        }
    }
}

/// A lateral subquery with an alias that the enclosing SELECT does not read
/// with a wildcard.
fn candidate(relation: &TableFactor, projection: &[SelectItem]) -> bool {
    let TableFactor::Derived {
        lateral: true,
        alias: Some(alias),
        ..
    } = relation
    else {
        return false;
    };
    alias.columns.is_empty()
        && !projection.iter().any(|item| match item {
            SelectItem::Wildcard(_) => true,
            SelectItem::QualifiedWildcard(SelectItemQualifiedWildcardKind::ObjectName(n), _) => {
                n.0.last()
                    .and_then(|p| p.as_ident())
                    .is_some_and(|i| i.value.eq_ignore_ascii_case(&alias.name.value))
            }
            SelectItem::QualifiedWildcard(..) => true,
            _ => false,
        })
}

fn rewrite_join(join: &mut Join, projection: &[SelectItem]) {
    if !candidate(&join.relation, projection) {
        return;
    }
    let (constraint, left) = match &mut join.join_operator {
        JoinOperator::Join(c) | JoinOperator::Inner(c) | JoinOperator::CrossJoin(c) => (c, false),
        JoinOperator::Left(c) | JoinOperator::LeftOuter(c) => (c, true),
        _ => return,
    };
    if !matches!(constraint, JoinConstraint::On(_) | JoinConstraint::None) {
        return;
    }
    let TableFactor::Derived {
        subquery, alias, ..
    } = &mut join.relation
    else {
        return;
    };
    let alias = alias.as_ref().expect("candidate has an alias").name.clone();
    let Some((derived, keys)) = decorrelate(subquery) else {
        return;
    };
    **subquery = derived;
    if let TableFactor::Derived { lateral, .. } = &mut join.relation {
        *lateral = false;
    }
    let mut on = keys
        .into_iter()
        .enumerate()
        .map(|(i, outer)| Expr::BinaryOp {
            left: Box::new(Expr::CompoundIdentifier(vec![
                alias.clone(),
                Ident::new(format!("{KEY}{i}")),
            ])),
            op: BinaryOperator::Eq,
            right: Box::new(outer),
        })
        .reduce(and)
        .expect("decorrelate returns at least one key");
    if let JoinConstraint::On(cond) = constraint
        && !is_true(cond)
    {
        on = and(Expr::Nested(Box::new(cond.clone())), on);
    }
    join.join_operator = if left {
        JoinOperator::LeftOuter(JoinConstraint::On(on))
    } else {
        JoinOperator::Inner(JoinConstraint::On(on))
    };
}

fn is_true(e: &Expr) -> bool {
    matches!(
        e,
        Expr::Value(ValueWithSpan {
            value: Value::Boolean(true),
            ..
        })
    )
}

/// The subquery as an uncorrelated derived table with key columns
/// `__lateral_k0…`, and the outer expressions those keys must equal; `None`
/// when it does not fit.
fn decorrelate(q: &Query) -> Option<(Query, Vec<Expr>)> {
    if q.with.is_some() || q.fetch.is_some() || !q.locks.is_empty() {
        return None;
    }
    let SetExpr::Select(s) = q.body.as_ref() else {
        return None;
    };
    let plain = s.distinct.is_none()
        && matches!(&s.group_by, GroupByExpr::Expressions(g, m) if g.is_empty() && m.is_empty())
        && s.having.is_none()
        && s.qualify.is_none()
        && s.named_window.is_empty()
        && s.top.is_none()
        && !s.projection.iter().any(|i| match i {
            SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => {
                aggregates_or_windows(e)
            }
            _ => false,
        });
    if !plain {
        return None;
    }
    let inner = inner_names(&s.from)?;
    let conjuncts = super::conjuncts(s.selection.as_ref()?);
    let (mut inner_keys, mut outer_keys, mut rest) = (vec![], vec![], vec![]);
    for c in conjuncts {
        if !references_outer(c, &inner) {
            rest.push(c.clone());
            continue;
        }
        let Expr::BinaryOp {
            left,
            op: BinaryOperator::Eq,
            right,
        } = c
        else {
            return None;
        };
        let (i, o) = match (only_outer(left, &inner), only_outer(right, &inner)) {
            (false, true) if !references_outer(left, &inner) => (left, right),
            (true, false) if !references_outer(right, &inner) => (right, left),
            _ => return None,
        };
        inner_keys.push(i.as_ref().clone());
        outer_keys.push(o.as_ref().clone());
    }
    if outer_keys.is_empty() {
        return None;
    }
    // Nothing else may look outside: the select list, ORDER BY, LIMIT.
    let order: Vec<OrderByExpr> = match &q.order_by {
        None => vec![],
        Some(o) => match &o.kind {
            OrderByKind::Expressions(v) => v.clone(),
            OrderByKind::All(_) => return None,
        },
    };
    let mut outside = false;
    let _ = visit_expressions(&s.projection, |e| {
        outside |= references_outer(e, &inner);
        ControlFlow::<()>::Continue(())
    });
    for o in &order {
        outside |= references_outer(&o.expr, &inner);
    }
    if outside {
        return None;
    }
    let (limit, offset) = match &q.limit_clause {
        None => (None, 0),
        Some(LimitClause::LimitOffset {
            limit,
            offset,
            limit_by,
        }) if limit_by.is_empty() => (
            match limit {
                None => None,
                Some(e) => Some(integer(e)?),
            },
            match offset {
                None => 0,
                Some(o) => integer(&o.value)?,
            },
        ),
        _ => return None,
    };

    let mut body = s.as_ref().clone();
    body.selection = rest.into_iter().reduce(and);
    for (i, k) in inner_keys.iter().enumerate() {
        body.projection.push(SelectItem::ExprWithAlias {
            expr: k.clone(),
            alias: Ident::new(format!("{KEY}{i}")),
        });
    }
    if limit.is_none() && offset == 0 {
        // No cut: the subquery is a plain derived table.
        let mut out = q.clone();
        out.body = Box::new(SetExpr::Select(Box::new(body)));
        out.order_by = None;
        out.limit_clause = None;
        return Some((out, outer_keys));
    }
    let order = order
        .into_iter()
        .map(|mut o| {
            o.expr = output_expr(&o.expr, &s.projection);
            o
        })
        .collect();
    let mut row_number = call("row_number", vec![], vec![]);
    if let Expr::Function(f) = &mut row_number {
        f.over = Some(WindowType::WindowSpec(WindowSpec {
            window_name: None,
            partition_by: inner_keys,
            order_by: order,
            window_frame: None,
        }));
    }
    body.projection.push(SelectItem::ExprWithAlias {
        expr: row_number,
        alias: Ident::new(ROW_NUMBER),
    });
    let cut = match limit {
        Some(n) => format!("{ROW_NUMBER} > {offset} AND {ROW_NUMBER} <= {}", offset + n),
        None => format!("{ROW_NUMBER} > {offset}"),
    };
    let template = format!("SELECT * FROM (SELECT 1) AS __lateral WHERE {cut}");
    let mut out = match Parser::parse_sql(&PostgreSqlDialect {}, &template)
        .ok()?
        .pop()?
    {
        Statement::Query(q) => *q,
        _ => return None,
    };
    let SetExpr::Select(wrapper) = out.body.as_mut() else {
        return None;
    };
    let SelectItem::Wildcard(options) = &mut wrapper.projection[0] else {
        return None;
    };
    options.opt_exclude = Some(datafusion::sql::sqlparser::ast::ExcludeSelectItem::Single(
        ObjectName::from(vec![Ident::new(ROW_NUMBER)]),
    ));
    let TableFactor::Derived { subquery, .. } = &mut wrapper.from[0].relation else {
        return None;
    };
    let mut inner_query = q.clone();
    inner_query.body = Box::new(SetExpr::Select(Box::new(body)));
    inner_query.order_by = None;
    inner_query.limit_clause = None;
    **subquery = inner_query;
    Some((out, outer_keys))
}

/// A non-negative integer literal.
fn integer(e: &Expr) -> Option<u64> {
    match e {
        Expr::Value(ValueWithSpan {
            value: Value::Number(n, _),
            ..
        }) => n.parse().ok(),
        _ => None,
    }
}

/// An ORDER BY item as an expression over the subquery's inputs: a select
/// list position or output name becomes the item's expression (a window's
/// ORDER BY cannot see output names).
fn output_expr(e: &Expr, projection: &[SelectItem]) -> Expr {
    if let Some(n) = integer(e)
        && let Some(item) = n.checked_sub(1).and_then(|i| projection.get(i as usize))
    {
        match item {
            SelectItem::UnnamedExpr(x) | SelectItem::ExprWithAlias { expr: x, .. } => {
                return x.clone();
            }
            _ => {}
        }
    }
    if let Expr::Identifier(id) = e {
        for item in projection {
            if let SelectItem::ExprWithAlias { expr, alias } = item
                && alias.value == id.value
            {
                return expr.clone();
            }
        }
    }
    e.clone()
}

/// The names the subquery's own FROM items are known by (lower case), or
/// `None` when one of them is not a plain table or derived table.
fn inner_names(from: &[TableWithJoins]) -> Option<HashSet<String>> {
    let mut names = HashSet::new();
    let mut add = |t: &TableFactor| -> Option<()> {
        match t {
            TableFactor::Table { name, alias, .. } => {
                let n = match alias {
                    Some(a) => a.name.value.clone(),
                    None => name.0.last()?.as_ident()?.value.clone(),
                };
                names.insert(n.to_lowercase());
                Some(())
            }
            TableFactor::Derived {
                lateral: false,
                alias: Some(a),
                ..
            } => {
                names.insert(a.name.value.to_lowercase());
                Some(())
            }
            _ => None,
        }
    };
    for twj in from {
        add(&twj.relation)?;
        for j in &twj.joins {
            add(&j.relation)?;
        }
    }
    (!names.is_empty()).then_some(names)
}

/// Whether `e` holds a qualified column of a relation outside `inner`
/// (unqualified names are taken as the subquery's own, as they would
/// resolve there first), or a subquery (not looked into).
fn references_outer(e: &Expr, inner: &HashSet<String>) -> bool {
    let mut found = false;
    let _ = visit_expressions(e, |x| {
        match x {
            Expr::CompoundIdentifier(parts) if parts.len() >= 2 => {
                let qualifier = &parts[parts.len() - 2].value;
                found |= !inner.contains(&qualifier.to_lowercase());
            }
            Expr::Subquery(_) | Expr::Exists { .. } | Expr::InSubquery { .. } => found = true,
            _ => {}
        }
        ControlFlow::<()>::Continue(())
    });
    found
}

/// Whether every column `e` reads is an outer one (and it reads one).
fn only_outer(e: &Expr, inner: &HashSet<String>) -> bool {
    let (mut outer, mut other) = (false, false);
    let _ = visit_expressions(e, |x| {
        match x {
            Expr::CompoundIdentifier(parts) if parts.len() >= 2 => {
                if inner.contains(&parts[parts.len() - 2].value.to_lowercase()) {
                    other = true;
                } else {
                    outer = true;
                }
            }
            Expr::Identifier(_) | Expr::Subquery(_) | Expr::Exists { .. } => other = true,
            _ => {}
        }
        ControlFlow::<()>::Continue(())
    });
    outer && !other
}

/// Whether `e` calls an aggregate or a window function (which change what
/// the subquery computes per outer row).
fn aggregates_or_windows(e: &Expr) -> bool {
    let mut window = false;
    let _ = visit_expressions(e, |x| {
        window |= matches!(x, Expr::Function(f) if f.over.is_some());
        ControlFlow::<()>::Continue(())
    });
    window || super::subqueries::is_aggregate(e)
}

#[cfg(test)]
mod tests {
    use super::super::parse_one;

    fn rewritten(sql: &str) -> String {
        let mut s = parse_one(sql);
        super::top_n_laterals(&mut s);
        s.to_string()
    }

    #[test]
    fn top_one_per_outer_row_becomes_a_join_on_the_key() {
        let out = rewritten(
            "SELECT c.id, o.amount FROM customers c LEFT JOIN LATERAL \
             (SELECT id, amount FROM orders WHERE orders.customer_id = c.id AND status = 'paid' \
              ORDER BY amount DESC LIMIT 2 OFFSET 1) o ON true",
        );
        assert_eq!(
            out,
            "SELECT c.id, o.amount FROM customers c LEFT OUTER JOIN \
             (SELECT * EXCLUDE __lateral_rn FROM (SELECT id, amount, orders.customer_id AS __lateral_k0, \
             row_number() OVER (PARTITION BY orders.customer_id ORDER BY amount DESC) AS __lateral_rn \
             FROM orders WHERE status = 'paid') AS __lateral \
             WHERE __lateral_rn > 1 AND __lateral_rn <= 3) o ON o.__lateral_k0 = c.id"
        );
    }

    #[test]
    fn comma_lateral_and_on_condition() {
        let out = rewritten(
            "SELECT c.id, x.n FROM customers c, LATERAL \
             (SELECT o.amount AS n FROM orders o WHERE c.id = o.customer_id ORDER BY n LIMIT 1) x",
        );
        assert!(
            out.contains("CROSS JOIN") || out.contains("JOIN (SELECT * EXCLUDE"),
            "{out}"
        );
        assert!(out.contains("ORDER BY o.amount"), "{out}");
        assert!(out.contains("ON x.__lateral_k0 = c.id"), "{out}");
    }

    #[test]
    fn left_alone_when_it_does_not_fit() {
        for sql in [
            // a wildcard over the lateral alias would show the key column
            "SELECT * FROM customers c LEFT JOIN LATERAL (SELECT id FROM orders o WHERE o.customer_id = c.id LIMIT 1) x ON true",
            // a non-equality correlation
            "SELECT c.id, x.id FROM customers c LEFT JOIN LATERAL (SELECT id FROM orders o WHERE o.amount > c.score LIMIT 1) x ON true",
            // an aggregate per outer row
            "SELECT c.id, x.n FROM customers c LEFT JOIN LATERAL (SELECT count(*) AS n FROM orders o WHERE o.customer_id = c.id) x ON true",
            // the select list reads the outer row
            "SELECT c.id, x.v FROM customers c LEFT JOIN LATERAL (SELECT o.amount * c.score AS v FROM orders o WHERE o.customer_id = c.id LIMIT 1) x ON true",
        ] {
            let before = parse_one(sql).to_string();
            assert_eq!(rewritten(sql), before, "{sql}");
        }
    }
}

//! `LATERAL` subqueries without `FROM`, analysts' way of naming an
//! expression once and reusing it:
//!
//! ```sql
//! SELECT o.id, v.net, v.net * 1.2 AS gross
//! FROM orders o CROSS JOIN LATERAL (SELECT o.amount - o.discount AS net) v
//! ```
//!
//! Such a subquery gives exactly one row per outer row (also under `LEFT
//! JOIN … ON true`), so it is the same as writing its expressions where
//! its columns are read. DataFusion plans it as a correlated join it cannot
//! run ("OuterReferenceColumn"), so the subquery is removed and each
//! reference to its columns (`v.net`, or `net` alone) replaced by
//! `(expression)`, in order, so a later one may read an earlier one. The
//! query is left as written when it reads the subquery with `*` or `v.*`,
//! or when the subquery has a WHERE, GROUP BY, DISTINCT, ORDER BY or
//! LIMIT.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Expr, GroupByExpr, Ident, JoinConstraint, JoinOperator, Query, Select, SelectItem, SetExpr,
    Statement, TableFactor, Value, VisitMut, VisitorMut, visit_expressions_mut,
};

/// Inlines every `FROM`-less `LATERAL` subquery of `statement`.
pub(crate) fn lateral_values(statement: &mut Statement) {
    struct Visitor;
    impl VisitorMut for Visitor {
        type Break = ();
        fn pre_visit_query(&mut self, q: &mut Query) -> ControlFlow<()> {
            while let Some((alias, columns)) = take_one(q) {
                substitute(q, &alias, &columns);
            }
            ControlFlow::Continue(())
        }
    }
    let _ = statement.visit(&mut Visitor);
}

/// The columns (name, expression) of `factor` if it is a `LATERAL`
/// subquery without FROM; with its alias.
fn row_of(factor: &TableFactor) -> Option<(Ident, Vec<(Ident, Expr)>)> {
    let TableFactor::Derived {
        lateral: true,
        subquery,
        alias: Some(alias),
        ..
    } = factor
    else {
        return None;
    };
    let SetExpr::Select(s) = subquery.body.as_ref() else {
        return None;
    };
    if !s.from.is_empty()
        || s.selection.is_some()
        || s.having.is_some()
        || s.distinct.is_some()
        || !matches!(&s.group_by, GroupByExpr::Expressions(g, _) if g.is_empty())
        || subquery.order_by.is_some()
        || subquery.limit_clause.is_some()
        || subquery.with.is_some()
    {
        return None;
    }
    let mut columns = Vec::new();
    for (i, item) in s.projection.iter().enumerate() {
        let (name, expr) = match item {
            SelectItem::ExprWithAlias { expr, alias } => (alias.clone(), expr.clone()),
            SelectItem::UnnamedExpr(expr @ Expr::Identifier(i)) => (i.clone(), expr.clone()),
            SelectItem::UnnamedExpr(expr @ Expr::CompoundIdentifier(parts)) => {
                (parts.last()?.clone(), expr.clone())
            }
            SelectItem::UnnamedExpr(expr) => (Ident::new("?column?"), expr.clone()),
            _ => return None,
        };
        let name = match alias.columns.get(i) {
            Some(c) => c.name.clone(),
            None => name,
        };
        columns.push((name, expr));
    }
    Some((alias.name.clone(), columns))
}

fn is_true(e: &Expr) -> bool {
    matches!(e, Expr::Value(v) if matches!(v.value, Value::Boolean(true)))
}

/// Removes the first inlinable `LATERAL` subquery from `q`'s FROM.
fn take_one(q: &mut Query) -> Option<(Ident, Vec<(Ident, Expr)>)> {
    let SetExpr::Select(select) = q.body.as_mut() else {
        return None;
    };
    let select: &mut Select = select;
    if select.projection.iter().any(|p| {
        matches!(
            p,
            SelectItem::Wildcard(_) | SelectItem::QualifiedWildcard(..)
        )
    }) {
        return None;
    }
    // `FROM a, LATERAL (SELECT …) v`.
    for i in 1..select.from.len() {
        if select.from[i].joins.is_empty()
            && let Some(row) = row_of(&select.from[i].relation)
        {
            select.from.remove(i);
            return Some(row);
        }
    }
    // `JOIN LATERAL (SELECT …) v ON true`, `CROSS JOIN LATERAL …`.
    for twj in &mut select.from {
        for j in 0..twj.joins.len() {
            let plain = match &twj.joins[j].join_operator {
                JoinOperator::CrossJoin(JoinConstraint::None) => true,
                JoinOperator::Join(JoinConstraint::On(on))
                | JoinOperator::Inner(JoinConstraint::On(on))
                | JoinOperator::Left(JoinConstraint::On(on))
                | JoinOperator::LeftOuter(JoinConstraint::On(on)) => is_true(on),
                _ => false,
            };
            if plain && let Some(row) = row_of(&twj.joins[j].relation) {
                twj.joins.remove(j);
                return Some(row);
            }
        }
    }
    None
}

/// Replaces the references to `alias`'s `columns` in `q` by their
/// expressions.
fn substitute(q: &mut Query, alias: &Ident, columns: &[(Ident, Expr)]) {
    let same = |a: &Ident, b: &Ident| {
        if a.quote_style.is_some() || b.quote_style.is_some() {
            a.value == b.value
        } else {
            a.value.eq_ignore_ascii_case(&b.value)
        }
    };
    let find = |name: &Ident| {
        columns
            .iter()
            .find(|(c, _)| same(c, name))
            .map(|(_, e)| Expr::Nested(Box::new(e.clone())))
    };
    // A SELECT item that reads a column keeps the column's name.
    if let SetExpr::Select(select) = q.body.as_mut() {
        for item in &mut select.projection {
            let name = match item {
                SelectItem::UnnamedExpr(Expr::CompoundIdentifier(parts))
                    if parts.len() == 2 && same(&parts[0], alias) =>
                {
                    columns.iter().find(|(c, _)| same(c, &parts[1]))
                }
                SelectItem::UnnamedExpr(Expr::Identifier(name)) => {
                    columns.iter().find(|(c, _)| same(c, name))
                }
                _ => None,
            };
            if let Some((name, _)) = name
                && let SelectItem::UnnamedExpr(expr) = item
            {
                *item = SelectItem::ExprWithAlias {
                    expr: expr.clone(),
                    alias: name.clone(),
                };
            }
        }
    }
    let _ = visit_expressions_mut(q, |e| {
        let replacement = match e {
            Expr::CompoundIdentifier(parts) if parts.len() == 2 && same(&parts[0], alias) => {
                find(&parts[1])
            }
            Expr::Identifier(name) => find(name),
            _ => None,
        };
        if let Some(r) = replacement {
            *e = r;
        }
        ControlFlow::<()>::Continue(())
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(sql: &str) -> String {
        let mut s = super::super::parse_one(sql);
        lateral_values(&mut s);
        s.to_string()
    }

    #[test]
    fn inlines_rows() {
        assert_eq!(
            rewritten(
                "SELECT o.id, v.net, net * 2 FROM orders o CROSS JOIN LATERAL \
                 (SELECT o.amount - o.discount AS net) v ORDER BY v.net"
            ),
            "SELECT o.id, (o.amount - o.discount) AS net, (o.amount - o.discount) * 2 FROM orders o \
             ORDER BY (o.amount - o.discount)"
        );
        assert_eq!(
            rewritten(
                "SELECT y.c FROM t, LATERAL (SELECT t.a * 2 AS b) x \
                 LEFT JOIN LATERAL (SELECT x.b + 1) y(c) ON true"
            ),
            "SELECT ((t.a * 2) + 1) AS c FROM t"
        );
        // With a FROM, or read with `*`: unchanged.
        assert_eq!(
            rewritten("SELECT * FROM t CROSS JOIN LATERAL (SELECT t.a AS b) x"),
            "SELECT * FROM t CROSS JOIN LATERAL (SELECT t.a AS b) x"
        );
    }
}

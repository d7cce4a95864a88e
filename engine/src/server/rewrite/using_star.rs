//! `SELECT *` over `a JOIN b USING (k)`: PostgreSQL lists the `USING`
//! columns first, then `a`'s other columns, then `b`'s; DataFusion keeps
//! `a`'s columns in place. The star becomes `a.k, a.* EXCLUDE (k), b.*
//! EXCLUDE (k)` (`k` read from the left side, where an inner or left join
//! has the join's value). Only a single inner or left
//! join is rewritten (for right and full joins PostgreSQL's `k` is
//! `COALESCE(a.k, b.k)`, and chains of `USING` joins nest their column
//! lists): other shapes keep DataFusion's order.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    ExcludeSelectItem, Expr, Ident, JoinConstraint, JoinOperator, ObjectName, Query, SelectItem,
    SelectItemQualifiedWildcardKind, SetExpr, Statement, TableFactor, VisitMut, VisitorMut,
};

/// Rewrites every such `SELECT *` of `statement`.
pub(crate) fn using_columns_first(statement: &mut Statement) {
    struct Star;
    impl VisitorMut for Star {
        type Break = ();
        fn pre_visit_query(&mut self, q: &mut Query) -> ControlFlow<()> {
            if let SetExpr::Select(s) = q.body.as_mut()
                && let [from] = s.from.as_slice()
                && let [join] = from.joins.as_slice()
                && let JoinOperator::Join(JoinConstraint::Using(cols))
                | JoinOperator::Inner(JoinConstraint::Using(cols))
                | JoinOperator::Left(JoinConstraint::Using(cols))
                | JoinOperator::LeftOuter(JoinConstraint::Using(cols)) = &join.join_operator
                && cols.iter().all(|c| c.0.len() == 1)
                && let Some(left) = qualifier(&from.relation)
                && let Some(right) = qualifier(&join.relation)
            {
                let cols = cols.clone();
                let mut items = Vec::with_capacity(s.projection.len() + cols.len());
                for item in std::mem::take(&mut s.projection) {
                    match item {
                        SelectItem::Wildcard(mut options) if options.opt_exclude.is_none() => {
                            for c in &cols {
                                if let Some(ident) = c.0[0].as_ident() {
                                    let mut parts = left.clone();
                                    parts.push(ident.clone());
                                    items.push(SelectItem::UnnamedExpr(Expr::CompoundIdentifier(
                                        parts,
                                    )));
                                }
                            }
                            options.opt_exclude = Some(ExcludeSelectItem::Multiple(cols.clone()));
                            for side in [&left, &right] {
                                items.push(SelectItem::QualifiedWildcard(
                                    SelectItemQualifiedWildcardKind::ObjectName(ObjectName::from(
                                        side.clone(),
                                    )),
                                    options.clone(),
                                ));
                            }
                        }
                        other => items.push(other),
                    }
                }
                s.projection = items;
            }
            ControlFlow::Continue(())
        }
    }
    let _ = statement.visit(&mut Star);
}

/// The name that qualifies the left side's columns: its alias, or the
/// table's name.
fn qualifier(relation: &TableFactor) -> Option<Vec<Ident>> {
    match relation {
        TableFactor::Table { alias: Some(a), .. } | TableFactor::Derived { alias: Some(a), .. } => {
            Some(vec![a.name.clone()])
        }
        TableFactor::Table {
            name, alias: None, ..
        } => name.0.iter().map(|p| p.as_ident().cloned()).collect(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse_one;

    #[test]
    fn using_columns_come_first() {
        let mut s = parse_one("SELECT * FROM a JOIN b USING (k, j) ORDER BY 1");
        super::using_columns_first(&mut s);
        assert_eq!(
            s.to_string(),
            "SELECT a.k, a.j, a.* EXCLUDE (k, j), b.* EXCLUDE (k, j) FROM a JOIN b USING(k, j) ORDER BY 1"
        );
        let mut s = parse_one("SELECT * FROM crm.orders o LEFT JOIN (SELECT 1 AS k) c USING (k)");
        super::using_columns_first(&mut s);
        assert_eq!(
            s.to_string(),
            "SELECT o.k, o.* EXCLUDE (k), c.* EXCLUDE (k) FROM crm.orders o LEFT JOIN (SELECT 1 AS k) c USING(k)"
        );
        let mut s = parse_one("SELECT * FROM a FULL JOIN b USING (k)");
        super::using_columns_first(&mut s);
        assert_eq!(s.to_string(), "SELECT * FROM a FULL JOIN b USING(k)");
    }
}

//! `DELETE` spellings DataFusion does not plan:
//!
//! - a table alias (`DELETE FROM orders o WHERE o.status = …`): DataFusion
//!   ignores it, so `o.status` named nothing; the alias is dropped and its
//!   columns are qualified with the table's name;
//! - `USING` (`DELETE FROM t USING s WHERE s.k = t.k`, dbt's delete+insert
//!   with a list of keys): `DELETE FROM t WHERE EXISTS (SELECT 1 FROM s
//!   WHERE s.k = t.k)`, whose correlated subquery the engine runs once
//!   (`crate::row_changes`).

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Expr, FromTable, Ident, ObjectName, SetExpr, Statement, TableFactor, visit_expressions_mut,
};
use datafusion::sql::sqlparser::dialect::PostgreSqlDialect;
use datafusion::sql::sqlparser::parser::Parser;

/// Applies the module's rewrites to a `DELETE`.
pub(crate) fn delete_spellings(statement: &mut Statement) {
    let Statement::Delete(d) = statement else {
        return;
    };
    let (FromTable::WithFromKeyword(from) | FromTable::WithoutKeyword(from)) = &mut d.from;
    let [target] = from.as_mut_slice() else {
        return;
    };
    if !target.joins.is_empty() {
        return;
    }
    let TableFactor::Table { name, alias, .. } = &mut target.relation else {
        return;
    };
    let table: ObjectName = name.clone();
    if let Some(a) = alias.take() {
        let alias_name = a.name.value.clone();
        let quoted = a.name.quote_style.is_some();
        let same = |i: &Ident| {
            if quoted || i.quote_style.is_some() {
                i.value == alias_name
            } else {
                i.value.eq_ignore_ascii_case(&alias_name)
            }
        };
        if let Some(selection) = &mut d.selection {
            let _ = visit_expressions_mut(selection, |e| {
                if let Expr::CompoundIdentifier(parts) = e
                    && parts.len() == 2
                    && same(&parts[0])
                {
                    let mut qualified: Vec<Ident> = table
                        .0
                        .iter()
                        .filter_map(|p| p.as_ident().cloned())
                        .collect();
                    qualified.push(parts[1].clone());
                    *parts = qualified;
                }
                ControlFlow::<()>::Continue(())
            });
        }
    }
    let Some(using) = d.using.take() else {
        return;
    };
    let tables = using
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let condition = d
        .selection
        .as_ref()
        .map(|s| format!(" WHERE {s}"))
        .unwrap_or_default();
    let sql = format!("SELECT 1 FROM {tables}{condition}");
    let Ok(mut parsed) = Parser::parse_sql(&PostgreSqlDialect {}, &sql) else {
        d.using = Some(using);
        return;
    };
    let Some(Statement::Query(query)) = parsed.pop() else {
        d.using = Some(using);
        return;
    };
    if !matches!(query.body.as_ref(), SetExpr::Select(_)) {
        d.using = Some(using);
        return;
    }
    d.selection = Some(Expr::Exists {
        subquery: query,
        negated: false,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(sql: &str) -> String {
        let mut s = super::super::parse_one(sql);
        delete_spellings(&mut s);
        s.to_string()
    }

    #[test]
    fn alias_and_using() {
        assert_eq!(
            rewritten("DELETE FROM orders o WHERE o.status = 'x' AND O.id > 1"),
            "DELETE FROM orders WHERE orders.status = 'x' AND orders.id > 1"
        );
        assert_eq!(
            rewritten("DELETE FROM t USING s WHERE s.k = t.k AND s.v > 1"),
            "DELETE FROM t WHERE EXISTS (SELECT 1 FROM s WHERE s.k = t.k AND s.v > 1)"
        );
    }
}

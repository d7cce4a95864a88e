//! `UPDATE t SET … FROM s … WHERE …` (data engineers' "update from a
//! staging table") run as a `MERGE`.
//!
//! DataFusion does not plan `UPDATE … FROM`; Tessera runs it as
//!
//! ```sql
//! MERGE INTO t USING (s CROSS JOIN (SELECT 1 AS __tessera_update_from)
//!   AS __tessera_update_from) ON <where> WHEN MATCHED THEN UPDATE SET …
//! ```
//!
//! The `FROM` items stay as they were written inside one nested join, so
//! `s.k` and the join conditions among them resolve as in PostgreSQL; the
//! one-row marker relation tells the engine (`Session::merge`) that the
//! statement is an `UPDATE`: its command tag is `UPDATE n`, and since
//! PostgreSQL updates a row joined with several source rows once, the
//! source is reduced to the distinct values the statement reads, so
//! `UPDATE customers SET has_orders = true FROM orders WHERE orders.customer_id = customers.id`
//! updates each customer once. (Rows joined with source rows that give
//! different new values are refused by the merge: PostgreSQL would pick
//! one of them arbitrarily.)

use datafusion::sql::sqlparser::ast::{Statement, TableFactor, UpdateTableFromKind};
use datafusion::sql::sqlparser::dialect::PostgreSqlDialect;
use datafusion::sql::sqlparser::parser::Parser;

/// The marker relation's name and only column.
pub(crate) const MARKER: &str = "__tessera_update_from";

/// Rewrites an `UPDATE … FROM` into the `MERGE` described in the module
/// documentation (other statements are left as they are).
pub(crate) fn update_from_as_merge(statement: &mut Statement) {
    let Statement::Update(u) = statement else {
        return;
    };
    let Some(UpdateTableFromKind::AfterSet(from) | UpdateTableFromKind::BeforeSet(from)) = &u.from
    else {
        return;
    };
    // RETURNING and the other dialects' clauses stay refused by the planner.
    if u.returning.is_some() || !u.table.joins.is_empty() || u.limit.is_some() {
        return;
    }
    if !matches!(u.table.relation, TableFactor::Table { .. }) {
        return;
    }
    let items = from
        .iter()
        .map(|t| {
            if t.joins.is_empty() {
                t.to_string()
            } else {
                format!("({t})")
            }
        })
        .chain([format!("(SELECT 1 AS {MARKER}) AS {MARKER}")])
        .collect::<Vec<_>>()
        .join(" CROSS JOIN ");
    let on = u
        .selection
        .as_ref()
        .map_or_else(|| "true".to_string(), ToString::to_string);
    let sets = u
        .assignments
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "MERGE INTO {} USING ({items}) ON {on} WHEN MATCHED THEN UPDATE SET {sets}",
        u.table.relation
    );
    if let Ok(mut parsed) = Parser::parse_sql(&PostgreSqlDialect {}, &sql)
        && let Some(merge @ Statement::Merge(_)) = parsed.pop()
    {
        *statement = merge;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(sql: &str) -> String {
        let mut s = super::super::parse_one(sql);
        update_from_as_merge(&mut s);
        s.to_string()
    }

    #[test]
    fn update_from_is_a_merge() {
        assert_eq!(
            rewritten("UPDATE customers c SET tier = s.tier FROM staging s WHERE s.id = c.id"),
            "MERGE INTO customers c USING (staging s CROSS JOIN (SELECT 1 AS \
             __tessera_update_from) AS __tessera_update_from) ON s.id = c.id \
             WHEN MATCHED THEN UPDATE SET tier = s.tier"
        );
        assert_eq!(
            rewritten("UPDATE t SET a = 1 FROM s JOIN u ON u.k = s.k, v WHERE t.k = s.k"),
            "MERGE INTO t USING ((s JOIN u ON u.k = s.k) CROSS JOIN v CROSS JOIN (SELECT 1 \
             AS __tessera_update_from) AS __tessera_update_from) ON t.k = s.k \
             WHEN MATCHED THEN UPDATE SET a = 1"
        );
        // Without FROM, and with RETURNING: unchanged.
        assert_eq!(
            rewritten("UPDATE t SET a = 1 WHERE b = 2"),
            "UPDATE t SET a = 1 WHERE b = 2"
        );
    }
}

//! Dates and timestamps as PostgreSQL reads and keeps them: text through
//! PostgreSQL's input rules (queries' casts, `VALUES` cells, and the values
//! INSERT/UPDATE/MERGE store), and SQL's `timestamp` in microseconds.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{DFSchema, Result};
use datafusion::logical_expr::{Cast, Expr, ExprSchemable, LogicalPlan};

/// A cast to `timestamp` in SQL is `Timestamp(Nanosecond)` in DataFusion:
/// years 1677 to 2262 only, so `timestamp '9999-12-31'` (the "valid until"
/// of slowly changing dimensions) failed, and table columns (microseconds,
/// as PostgreSQL's timestamps) were converted to nanoseconds to compare
/// with it. Casts are to microseconds instead. `true` when `e` changed.
pub(super) fn microsecond_cast(e: Expr) -> (Expr, bool) {
    use datafusion::arrow::datatypes::TimeUnit;
    match e {
        Expr::Cast(Cast { expr, field })
            if matches!(
                field.data_type(),
                DataType::Timestamp(TimeUnit::Nanosecond, _)
            ) =>
        {
            let DataType::Timestamp(_, tz) = field.data_type() else {
                unreachable!("matched above")
            };
            let to = DataType::Timestamp(TimeUnit::Microsecond, tz.clone());
            let field = Arc::new(field.as_ref().clone().with_data_type(to));
            (Expr::Cast(Cast { expr, field }), true)
        }
        e => (e, false),
    }
}

/// In INSERT/UPDATE/MERGE plans, which otherwise keep DataFusion's typing:
/// text stored into date and timestamp columns is read by PostgreSQL's
/// input rules (`'2024-01-01 10:00'`, `'infinity'`, `DateStyle`), as in a
/// query's casts.
pub(super) fn dml_datetimes(plan: LogicalPlan) -> Result<LogicalPlan> {
    plan.transform_up_with_subqueries(|node| {
        let mut schema = DFSchema::empty();
        for input in node.inputs() {
            schema.merge(input.schema());
        }
        node.map_expressions(|e| {
            e.transform_up(|e| match e {
                Expr::Cast(c) if is_text_to_datetime(&c, &schema) => {
                    Ok(Transformed::yes(text_to_datetime(c, &schema)?))
                }
                e => Ok(Transformed::no(e)),
            })
        })
    })
    .map(|t| t.data)
}

/// Whether `c` casts text to a date or a timestamp.
pub(crate) fn is_text_to_datetime(c: &Cast, schema: &DFSchema) -> bool {
    matches!(
        c.expr.get_type(schema),
        Ok(DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8)
    ) && tessera_udfs::pg::datetime_in::Kind::of_target(c.field.data_type()).is_some()
}

/// Text read as a date or timestamp by PostgreSQL's input rules
/// (`DateStyle` field order, zone names, DST gaps, `today`, `infinity`…);
/// Arrow's cast reads ISO 8601 only.
pub(crate) fn text_to_datetime(c: Cast, schema: &DFSchema) -> Result<Expr> {
    let Cast { expr, field } = c;
    let kind = tessera_udfs::pg::datetime_in::Kind::of_target(field.data_type())
        .expect("checked by is_text_to_datetime");
    let read = tessera_udfs::pg::datetime_in::udf(kind).call(vec![*expr]);
    Ok(if &kind.data_type() == field.data_type() {
        read
    } else {
        read.cast_to(field.data_type(), schema)?
    })
}

/// The casts of `VALUES` cells to dates and timestamps, by the rules
/// above (`VALUES (date '2024-06-01'), ('infinity'::date)`).
pub(super) fn values_casts(v: &datafusion::logical_expr::Values) -> Result<Option<LogicalPlan>> {
    let empty = DFSchema::empty();
    let mut changed = false;
    let mut rows = Vec::with_capacity(v.values.len());
    for row in &v.values {
        let mut cells = Vec::with_capacity(row.len());
        for e in row {
            let t = e.clone().transform_up(|e| {
                let (e, micro) = microsecond_cast(e);
                Ok(match e {
                    Expr::Cast(c) if is_text_to_datetime(&c, &empty) => {
                        Transformed::yes(text_to_datetime(c, &empty)?)
                    }
                    e if micro => Transformed::yes(e),
                    e => Transformed::no(e),
                })
            })?;
            changed |= t.transformed;
            cells.push(t.data);
        }
        rows.push(cells);
    }
    if !changed {
        return Ok(None);
    }
    datafusion::logical_expr::LogicalPlanBuilder::values(rows)?
        .build()
        .map(Some)
}

//! PostgreSQL's type rules applied to a freshly planned statement, before
//! DataFusion's analyzer: what the output schema (and so RowDescription)
//! says must already follow them, so this runs on the logical plan right
//! after SQL planning and recomputes every node's schema.
//!
//! - An integer literal is `integer` (int4) when it fits, as in PostgreSQL
//!   (DataFusion types every integer literal `Int64`): `SELECT 1 + 2` is
//!   int4, `7 / 2` is integer division of int4s.
//! - Division with a `numeric` operand is PostgreSQL's numeric division
//!   ([`tessera_udfs::pg::numeric`]): `1.0 / 3` is
//!   `0.33333333333333333333`, not DataFusion's decimal division.
//! - `sum(bigint)` is `numeric`, as in PostgreSQL (it cannot overflow).
//! - `real` with another number is `double precision` (compared as
//!   such too); intervals are
//!   compared as spans, as in PostgreSQL
//!   ([`binary`]).
//! - Casts from numeric and floats to integers round, as in PostgreSQL.
//! - `date_part(f, x)` is `extract(f FROM x)::float8`.
//! - `timestamptz::timestamp` (`::date`, `::time`) is the local time in the
//!   session's TimeZone.
//! - `x::text` of floats, arrays, timestamps, intervals and bytea is the
//!   value's PostgreSQL text ([`crate::pg_text`]).
//! - `date ± interval` is a `timestamp`; text cast to a date or timestamp
//!   (also in `VALUES` and in what DML stores) is read by PostgreSQL's input
//!   rules, and `timestamp` is microseconds ([`datetimes`]); nanosecond
//!   timestamps (`now()`) are compared in microseconds.
//! - A UNION's columns take their inputs' types once these follow the
//!   rules above (`SELECT 1 UNION SELECT 2` is integer).
//! - `date - date` and array sizes/positions (`array_length`,
//!   `cardinality`, `array_position`, …) are `integer`.
//!
//! Output names for clients (`session::pg_output_names`) are taken from
//! the plan before this rewrite; rewritten outputs keep DataFusion's names
//! as aliases so the nodes above still find them.
//!
//! Decimal literals (`12.50`) are `numeric` through DataFusion's
//! `parse_float_as_decimal`, set by the session.
//!
//! [`value_scale`] is not a type rule but a presentation step the session
//! applies to results sent to clients: `numeric` values printed at their
//! own scale.

mod bpchar;
pub(crate) mod datetimes;
pub mod value_scale;
pub mod whole_row;
pub mod with_ties;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{DFSchema, Result, ScalarValue};
use datafusion::logical_expr::expr::AggregateFunction;
use std::sync::Arc;

use datafusion::logical_expr::{
    BinaryExpr, Cast, Expr, ExprSchemable, LogicalPlan, Operator, Union,
};

/// Applies the module's rules to `plan` (queries only: DML and DDL plans
/// keep DataFusion's typing, their values are cast to the table's types).
pub fn postgres_types(plan: LogicalPlan) -> Result<LogicalPlan> {
    // Not a type rule, but a planning one every statement needs.
    let plan = crate::set_ops::multiplicities(plan)?;
    if matches!(plan, LogicalPlan::Dml(_)) {
        return datetimes::dml_datetimes(plan);
    }
    if matches!(
        plan,
        LogicalPlan::Ddl(_) | LogicalPlan::Statement(_) | LogicalPlan::Copy(_)
    ) {
        return Ok(plan);
    }
    // A recursive CTE's work table keeps the types it was planned with.
    let recursive = plan
        .exists(|n| Ok(matches!(n, LogicalPlan::RecursiveQuery(_))))
        .unwrap_or(true);
    if recursive {
        return unsigned_to_signed(plan);
    }
    let plan = plan
        .transform_up_with_subqueries(|node| {
            if let Some(ranked) = with_ties::rewrite(&node)? {
                return Ok(Transformed::yes(ranked));
            }
            // Row counts keep DataFusion's types.
            if matches!(node, LogicalPlan::Limit(_) | LogicalPlan::Extension(_)) {
                return Ok(Transformed::no(node));
            }
            if let LogicalPlan::Union(u) = &node {
                return union_types(u).map(Transformed::yes);
            }
            if let LogicalPlan::Values(v) = &node {
                let cast = datetimes::values_casts(v)?;
                let (node, cast_changed) = match cast {
                    Some(p) => (p, true),
                    None => (node, false),
                };
                let LogicalPlan::Values(v) = &node else {
                    unreachable!("values stay values")
                };
                return values(v).map(|p| match p {
                    Some(p) => Transformed::yes(p),
                    None if cast_changed => Transformed::yes(node),
                    None => Transformed::no(node),
                });
            }
            // GROUPING SETS / ROLLUP / CUBE name their output columns, and
            // `grouping(…)` finds its arguments, by the grouped expressions'
            // text: rewriting inside them would break both, so such an
            // aggregate keeps DataFusion's typing.
            if let LogicalPlan::Aggregate(a) = &node
                && a.group_expr
                    .iter()
                    .any(|e| matches!(e, Expr::GroupingSet(_)))
            {
                return node.recompute_schema().map(Transformed::yes);
            }
            let mut schema = DFSchema::empty();
            for input in node.inputs() {
                schema.merge(input.schema());
            }
            // Outputs keep their names: the nodes above refer to them as
            // columns. (Clients' column names are taken before this rewrite.)
            let names_outputs = matches!(
                node,
                LogicalPlan::Projection(_) | LogicalPlan::Aggregate(_) | LogicalPlan::Window(_)
            );
            let rewritten = node.map_expressions(|expr| {
                let name = names_outputs.then(|| expr.schema_name().to_string());
                let t = expr.transform_up(|e| rewrite(e, &schema))?;
                Ok(match name {
                    Some(name) if t.transformed && expr_name_changed(&t.data, &name) => {
                        t.update_data(|e| e.alias(name))
                    }
                    _ => t,
                })
            })?;
            // Recomputed even when unchanged: an input's types may have changed.
            let rewritten = rewritten.map_data(|p| p.recompute_schema())?;
            // `row_number()`, `rank()`, `ntile()` are UInt64 in DataFusion;
            // cast right above the window so that `avg(ntile(…) OVER …)` and
            // friends see PostgreSQL's bigint (integer for ntile).
            if matches!(rewritten.data, LogicalPlan::Window(_)) {
                return rewritten.map_data(unsigned_to_signed);
            }
            if let LogicalPlan::Aggregate(a) = &rewritten.data
                && let Some(p) = aggregate_outputs(a)?
            {
                return Ok(Transformed::yes(p));
            }
            Ok(rewritten)
        })
        .map(|t| t.data)?;
    unsigned_to_signed(plan)
}

/// Aggregate results whose PostgreSQL type DataFusion's aggregates do not
/// give, fixed by a projection above the aggregate under the same names
/// (the nodes above refer to them):
///
/// - `sum(real)` is `real`; DataFusion sums `Float32` as `Float64`. The sum
///   is kept in double precision and rounded once, where PostgreSQL adds in
///   single precision: long sums can differ in the last digit.
/// - `min`/`max`/`mode()`/`percentile_disc` of a `char(n)` value are
///   `char(n)` (PostgreSQL's `bpchar` aggregates), `array_agg` of one is
///   `char(n)[]` (of a `varchar(n)`, `varchar[]`); DataFusion's results
///   lose the type tag (`tessera_udfs::pg::chars::PG_TYPE_KEY`).
fn aggregate_outputs(a: &datafusion::logical_expr::Aggregate) -> Result<Option<LogicalPlan>> {
    use datafusion::common::Column;
    use datafusion::common::metadata::FieldMetadata;
    enum Fix {
        Real,
        Tag(FieldMetadata),
    }
    let input = a.input.schema();
    let fix = |e: &Expr| -> Option<Fix> {
        let e = match e {
            Expr::Alias(al) => al.expr.as_ref(),
            e => e,
        };
        let Expr::AggregateFunction(f) = e else {
            return None;
        };
        let arg = f.params.args.first()?;
        match f.func.name() {
            "sum"
                if f.params.args.len() == 1
                    && arg.get_type(input).is_ok_and(|t| t == DataType::Float32) =>
            {
                Some(Fix::Real)
            }
            "min" | "max" | "mode" | "percentile_disc" => {
                let (_, field) = arg.to_field(input).ok()?;
                let bpchar = field
                    .metadata()
                    .get(tessera_udfs::pg::chars::PG_TYPE_KEY)
                    .is_some_and(|t| t == "bpchar");
                (bpchar && field.data_type() == &e.get_type(input).ok()?)
                    .then(|| Fix::Tag(FieldMetadata::from(field.metadata().clone())))
            }
            // `array_agg` of `char(n)`/`varchar(n)` values is `bpchar[]` /
            // `varchar[]`; DataFusion's list drops the element's tag.
            "array_agg" => {
                let (_, field) = arg.to_field(input).ok()?;
                let tag = field
                    .metadata()
                    .get(tessera_udfs::pg::chars::PG_TYPE_KEY)
                    .filter(|t| matches!(t.as_str(), "bpchar" | "varchar"))?;
                let key = tessera_udfs::pg::chars::PG_TYPE_KEY.to_string();
                Some(Fix::Tag(FieldMetadata::from(
                    std::collections::BTreeMap::from([(key, format!("{tag}[]"))]),
                )))
            }
            _ => None,
        }
    };
    let groups = a.schema.fields().len() - a.aggr_expr.len();
    let fixes: Vec<Option<Fix>> = a.aggr_expr.iter().map(fix).collect();
    if fixes.iter().all(Option::is_none) {
        return Ok(None);
    }
    let columns = a
        .schema
        .iter()
        .enumerate()
        .map(|(i, (qualifier, field))| {
            let column = Expr::Column(Column::from((qualifier, field)));
            let name = field.name().clone();
            match i.checked_sub(groups).and_then(|j| fixes[j].as_ref()) {
                Some(Fix::Real) => Expr::Cast(Cast::new(Box::new(column), DataType::Float32))
                    .alias_qualified(qualifier.cloned(), name),
                Some(Fix::Tag(metadata)) => column.alias_qualified_with_metadata(
                    qualifier.cloned(),
                    name,
                    Some(metadata.clone()),
                ),
                None => column,
            }
        })
        .collect::<Vec<_>>();
    let aggregate = LogicalPlan::Aggregate(a.clone());
    Ok(Some(LogicalPlan::Projection(
        datafusion::logical_expr::Projection::try_new(columns, Arc::new(aggregate))?,
    )))
}

/// A UNION's column types from its inputs once they follow PostgreSQL's
/// rules: DataFusion keeps the types it planned (`SELECT 1 UNION SELECT 2`
/// would stay bigint after both literals became integer). A column whose
/// inputs still disagree keeps the planned (common) type, to which the
/// analyzer casts them.
fn union_types(u: &Union) -> Result<LogicalPlan> {
    let fields = u
        .schema
        .iter()
        .enumerate()
        .map(|(i, (qualifier, field))| {
            let mut types = u.inputs.iter().map(|p| p.schema().field(i).data_type());
            let first = types.next();
            let t = match first {
                Some(t) if types.all(|other| other == t) => t.clone(),
                _ => field.data_type().clone(),
            };
            (
                qualifier.cloned(),
                Arc::new(field.as_ref().clone().with_data_type(t)),
            )
        })
        .collect();
    let schema = DFSchema::new_with_metadata(fields, u.schema.metadata().clone())?;
    Ok(LogicalPlan::Union(Union {
        inputs: u.inputs.clone(),
        schema: Arc::new(schema),
    }))
}

/// PostgreSQL has no unsigned integers: DataFusion's `row_number()`,
/// `rank()`, `count` of some forms are `UInt64`, reported as `bigint`
/// (`ntile` as `integer`) by casting the unsigned output columns of `plan`.
fn unsigned_to_signed(plan: LogicalPlan) -> Result<LogicalPlan> {
    let schema = plan.schema().clone();
    let unsigned = schema.fields().iter().any(|f| {
        matches!(
            f.data_type(),
            DataType::UInt8 | DataType::UInt16 | DataType::UInt32 | DataType::UInt64
        )
    });
    if !unsigned {
        return Ok(plan);
    }
    let exprs = schema
        .iter()
        .map(|(q, f)| {
            let col = Expr::Column(datafusion::common::Column::new(q.cloned(), f.name()));
            match f.data_type() {
                DataType::UInt8 | DataType::UInt16 => col.cast_to(&DataType::Int32, &schema),
                DataType::UInt64 if f.name().starts_with("ntile(") => {
                    col.cast_to(&DataType::Int32, &schema)
                }
                DataType::UInt32 | DataType::UInt64 => col.cast_to(&DataType::Int64, &schema),
                _ => Ok(col),
            }
            .map(|e| match e {
                Expr::Column(_) => e,
                e => e.alias_qualified(q.cloned(), f.name()),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(LogicalPlan::Projection(
        datafusion::logical_expr::Projection::try_new(exprs, std::sync::Arc::new(plan))?,
    ))
}

/// `VALUES (1, 'a'), (2, 'b')`: a column whose values are all integer
/// literals that fit (or NULL) is `integer`, as in PostgreSQL. The node is
/// rebuilt, its schema inferred again.
fn values(v: &datafusion::logical_expr::Values) -> Result<Option<LogicalPlan>> {
    let fits = |e: &Expr| match e {
        Expr::Literal(ScalarValue::Int64(Some(x)), _) => i32::try_from(*x).is_ok(),
        Expr::Literal(ScalarValue::Int64(None) | ScalarValue::Null, _) => true,
        _ => false,
    };
    let columns = v.schema.fields().len();
    let narrow: Vec<bool> = (0..columns)
        .map(|c| {
            v.schema.field(c).data_type() == &DataType::Int64
                && v.values.iter().all(|row| fits(&row[c]))
        })
        .collect();
    if !narrow.contains(&true) {
        return Ok(None);
    }
    let rows = v
        .values
        .iter()
        .map(|row| {
            row.iter()
                .zip(&narrow)
                .map(|(e, n)| match (e, n) {
                    (Expr::Literal(ScalarValue::Int64(x), m), true) => {
                        Expr::Literal(ScalarValue::Int32(x.map(|x| x as i32)), m.clone())
                    }
                    (Expr::Literal(ScalarValue::Null, m), true) => {
                        Expr::Literal(ScalarValue::Int32(None), m.clone())
                    }
                    (e, _) => e.clone(),
                })
                .collect()
        })
        .collect();
    datafusion::logical_expr::LogicalPlanBuilder::values(rows)?
        .build()
        .map(Some)
}

/// Functions whose PostgreSQL result is `integer` where DataFusion's is a
/// wider or unsigned integer.
const INT4_FUNCTIONS: &[&str] = &[
    "array_length",
    "cardinality",
    "array_position",
    "array_upper",
    "array_lower",
    "array_ndims",
];

/// `e` (an integer expression) as `integer`: a checked cast, so a value out
/// of range is an error rather than a wrong number.
fn int4(e: Expr, schema: &DFSchema) -> Result<Expr> {
    e.cast_to(&DataType::Int32, schema)
}

fn is_interval(t: &DataType) -> bool {
    matches!(t, DataType::Interval(_))
}

/// An interval or a duration (`now() - paid_at`): both PostgreSQL's
/// `interval`.
fn is_span(t: &DataType) -> bool {
    matches!(t, DataType::Interval(_) | DataType::Duration(_))
}

/// The key PostgreSQL compares intervals by (the span, a month being 30
/// days), of an interval or a duration `e` of type `t`. DataFusion
/// compares an interval's months, days and nanoseconds apart, and a
/// duration cast to an interval is all nanoseconds: `now() - last_order >
/// interval '90 days'` was false for any duration.
fn span_key(e: Expr, t: &DataType) -> Expr {
    let interval = DataType::Interval(datafusion::arrow::datatypes::IntervalUnit::MonthDayNano);
    let e = match t {
        DataType::Duration(_) => Expr::Cast(Cast::new(Box::new(e), interval)),
        _ => e,
    };
    tessera_udfs::pg::interval_ops::interval_cmp_key().call(vec![e])
}

/// PostgreSQL's operators on intervals and `real`:
/// - interval comparisons compare spans (`tessera_udfs::pg::interval_ops`,
///   whose `IntervalPlanner` plans `interval * number` while the SQL is
///   planned: DataFusion rejects it before this rule could run);
/// - `real` with any other number is `double precision` arithmetic
///   (PostgreSQL has no `float4 * int4` operator: both become `float8`).
fn binary(b: &BinaryExpr, schema: &DFSchema) -> Result<Option<Expr>> {
    // Operands DataFusion cannot type yet (`indisprimary = 'f'` before the
    // analyzer's literal rule) are left for the analyzer to type or reject.
    let (Ok(lt), Ok(rt)) = (b.left.get_type(schema), b.right.get_type(schema)) else {
        return Ok(None);
    };
    let number = |t: &DataType| t.is_numeric();
    let float8 = |e: &Expr| e.clone().cast_to(&DataType::Float64, schema);
    // A nanosecond timestamp (`now()`, `to_timestamp()`) against a
    // microsecond one (columns, literals): compared in microseconds, not by
    // widening the microseconds — `'infinity'` and years past 2262 have no
    // nanosecond value.
    {
        use datafusion::arrow::datatypes::TimeUnit::{Microsecond, Nanosecond};
        // `e`, of type `t`, in microseconds when it is in nanoseconds and the
        // other operand (of type `other`) in microseconds.
        let micros = |e: &Expr, t: &DataType, other: &DataType| -> Result<Option<Expr>> {
            match (t, other) {
                (DataType::Timestamp(Nanosecond, tz), DataType::Timestamp(Microsecond, _)) => {
                    let to = DataType::Timestamp(Microsecond, tz.clone());
                    e.clone().cast_to(&to, schema).map(Some)
                }
                _ => Ok(None),
            }
        };
        let (left, right) = (micros(&b.left, &lt, &rt)?, micros(&b.right, &rt, &lt)?);
        if left.is_some() || right.is_some() {
            return Ok(Some(Expr::BinaryExpr(BinaryExpr::new(
                Box::new(left.unwrap_or_else(|| (*b.left).clone())),
                b.op,
                Box::new(right.unwrap_or_else(|| (*b.right).clone())),
            ))));
        }
    }
    Ok(match b.op {
        Operator::Eq
        | Operator::NotEq
        | Operator::Lt
        | Operator::LtEq
        | Operator::Gt
        | Operator::GtEq
            if is_span(&lt) && is_span(&rt) && (is_interval(&lt) || is_interval(&rt)) =>
        {
            Some(Expr::BinaryExpr(BinaryExpr::new(
                Box::new(span_key((*b.left).clone(), &lt)),
                b.op,
                Box::new(span_key((*b.right).clone(), &rt)),
            )))
        }
        // `date ± interval` is a `timestamp` in PostgreSQL (DataFusion
        // keeps a date, dropping any time the interval adds).
        Operator::Plus | Operator::Minus
            if (lt == DataType::Date32 && is_interval(&rt))
                || (b.op == Operator::Plus && is_interval(&lt) && rt == DataType::Date32) =>
        {
            let timestamp = |e: &Expr, t: &DataType| -> Result<Expr> {
                if t == &DataType::Date32 {
                    e.clone().cast_to(
                        &DataType::Timestamp(
                            datafusion::arrow::datatypes::TimeUnit::Microsecond,
                            None,
                        ),
                        schema,
                    )
                } else {
                    Ok(e.clone())
                }
            };
            Some(Expr::BinaryExpr(BinaryExpr::new(
                Box::new(timestamp(&b.left, &lt)?),
                b.op,
                Box::new(timestamp(&b.right, &rt)?),
            )))
        }
        // Comparisons too: `real_col > 0.1` compares in double precision
        // (PostgreSQL's float48 operators), so a real 0.1 is above 0.1.
        op if (comparison(op)
            || matches!(
                op,
                Operator::Plus
                    | Operator::Minus
                    | Operator::Multiply
                    | Operator::Divide
                    | Operator::Modulo
            ))
            && number(&lt)
            && number(&rt)
            && (lt == DataType::Float32) != (rt == DataType::Float32) =>
        {
            Some(Expr::BinaryExpr(BinaryExpr::new(
                Box::new(float8(&b.left)?),
                b.op,
                Box::new(float8(&b.right)?),
            )))
        }
        _ => None,
    })
}

/// `=`, `<>`, `<`, `<=`, `>`, `>=` and `IS [NOT] DISTINCT FROM`.
pub(crate) fn comparison(op: Operator) -> bool {
    matches!(
        op,
        Operator::Eq
            | Operator::NotEq
            | Operator::Lt
            | Operator::LtEq
            | Operator::Gt
            | Operator::GtEq
            | Operator::IsDistinctFrom
            | Operator::IsNotDistinctFrom
    )
}

fn expr_name_changed(e: &Expr, name: &str) -> bool {
    e.schema_name().to_string() != name
}

fn is_integer(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64
    )
}

fn rewrite(e: Expr, schema: &DFSchema) -> Result<Transformed<Expr>> {
    let (e, microseconds) = datetimes::microsecond_cast(e);
    let t = rewrite_expr(e, schema)?;
    Ok(if microseconds && !t.transformed {
        Transformed::yes(t.data)
    } else {
        t
    })
}

fn rewrite_expr(e: Expr, schema: &DFSchema) -> Result<Transformed<Expr>> {
    if let Some(record) = whole_row::expand(&e, schema) {
        return record.map(Transformed::yes);
    }
    if let Some(new) = bpchar::rewrite(&e, schema) {
        return Ok(Transformed::yes(new));
    }
    if let Expr::BinaryExpr(b) = &e
        && let Some(new) = binary(b, schema)?
    {
        return Ok(Transformed::yes(new));
    }
    match e {
        // Intervals compare as spans (`interval '1 day' = interval '24 hours'`).
        Expr::Between(mut b)
            if [&b.expr, &b.low, &b.high]
                .iter()
                .all(|e| e.get_type(schema).is_ok_and(|t| is_span(&t)))
                && [&b.expr, &b.low, &b.high]
                    .iter()
                    .any(|e| e.get_type(schema).is_ok_and(|t| is_interval(&t))) =>
        {
            let key = |e: Expr| -> Result<Expr> {
                let t = e.get_type(schema)?;
                Ok(span_key(e, &t))
            };
            b.expr = Box::new(key(*b.expr)?);
            b.low = Box::new(key(*b.low)?);
            b.high = Box::new(key(*b.high)?);
            Ok(Transformed::yes(Expr::Between(b)))
        }
        Expr::Literal(ScalarValue::Int64(Some(v)), meta) if i32::try_from(v).is_ok() => Ok(
            Transformed::yes(Expr::Literal(ScalarValue::Int32(Some(v as i32)), meta)),
        ),
        Expr::BinaryExpr(BinaryExpr {
            left,
            op: Operator::Divide,
            right,
        }) => {
            let (lt, rt) = (left.get_type(schema)?, right.get_type(schema)?);
            let numeric = |t: &DataType| matches!(t, DataType::Decimal128(..)) || is_integer(t);
            if numeric(&lt)
                && numeric(&rt)
                && (matches!(lt, DataType::Decimal128(..))
                    || matches!(rt, DataType::Decimal128(..)))
            {
                Ok(Transformed::yes(
                    tessera_udfs::pg::numeric::numeric_div().call(vec![*left, *right]),
                ))
            } else {
                Ok(Transformed::no(Expr::BinaryExpr(BinaryExpr {
                    left,
                    op: Operator::Divide,
                    right,
                })))
            }
        }
        // A cast of a numeric or float to an integer rounds in PostgreSQL
        // (`3.7::int` is 4, `2.5::int` 3, `2.5::float8::int` 2: numeric
        // half away from zero, floats half to even); DataFusion truncates.
        Expr::Cast(Cast { expr, field })
            if field.data_type().is_integer()
                && matches!(
                    expr.get_type(schema),
                    Ok(DataType::Decimal128(..) | DataType::Float32 | DataType::Float64)
                ) =>
        {
            let rounded = tessera_udfs::pg::rounding::round().call(vec![*expr]);
            Ok(Transformed::yes(Expr::Cast(Cast {
                expr: Box::new(rounded),
                field,
            })))
        }
        Expr::Cast(c) if datetimes::is_text_to_datetime(&c, schema) => {
            datetimes::text_to_datetime(c, schema).map(Transformed::yes)
        }
        // `timestamptz::timestamp` is the wall-clock time in the session's
        // TimeZone; Arrow's cast keeps the value's own zone's.
        // So are its date and time (`::date`, `::time`).
        Expr::Cast(Cast { expr, field })
            if matches!(
                field.data_type(),
                DataType::Timestamp(_, None)
                    | DataType::Date32
                    | DataType::Date64
                    | DataType::Time32(_)
                    | DataType::Time64(_)
            ) && matches!(expr.get_type(schema), Ok(DataType::Timestamp(_, Some(_)))) =>
        {
            let local = tessera_udfs::pg::timezone::local_timestamp().call(vec![*expr]);
            Ok(Transformed::yes(match field.data_type() {
                DataType::Timestamp(datafusion::arrow::datatypes::TimeUnit::Microsecond, None) => {
                    local
                }
                t => local.cast_to(t, schema)?,
            }))
        }
        // `timestamp::timestamptz` (and `date::…`) reads the wall-clock time in the
        // session's TimeZone, with PostgreSQL's rules in DST gaps and
        // overlaps (Arrow's cast fails there).
        Expr::Cast(Cast { expr, field })
            if matches!(field.data_type(), DataType::Timestamp(_, Some(_)))
                && matches!(
                    expr.get_type(schema),
                    Ok(DataType::Timestamp(_, None) | DataType::Date32)
                ) =>
        {
            let zoned = tessera_udfs::pg::timezone::zoned_timestamp().call(vec![*expr]);
            Ok(Transformed::yes(zoned.cast_to(field.data_type(), schema)?))
        }
        // A CASE is of its branches' common type (`CASE … THEN 1 ELSE 0.0
        // END` is numeric); DataFusion's `get_type` gives the first
        // branch's until the analyzer coerces it, so the rules for the
        // nodes above (numeric division, `sum`) would see `integer`.
        Expr::Case(case) => {
            use datafusion::common::tree_node::TreeNodeRewriter;
            use datafusion::optimizer::analyzer::type_coercion::TypeCoercionRewriter;
            // Dates beside instants are instants first (as the analyzer
            // would make them, `crate::zoned_casts`).
            let e = crate::zoned_casts::dates_beside_instants(Expr::Case(case), schema)?.data;
            match TypeCoercionRewriter::new(schema).f_up(e.clone()) {
                Ok(t) => Ok(t),
                Err(_) => Ok(Transformed::no(e)),
            }
        }
        // `x::text` is the value's output text (`{a,b}`, `1000000`,
        // `2024-02-29 09:00:00+00`, `1 day`), not Arrow's.
        Expr::Cast(Cast { expr, field })
            if matches!(
                field.data_type(),
                DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8
            ) && expr
                .get_type(schema)
                .is_ok_and(|t| crate::pg_text::differs_from_arrow(&t)) =>
        {
            let text = crate::pg_text::udf().call(vec![*expr]);
            Ok(Transformed::yes(match field.data_type() {
                DataType::Utf8 => text,
                t => text.cast_to(t, schema)?,
            }))
        }
        // `date - date` is a number of days, `integer` in PostgreSQL.
        Expr::BinaryExpr(BinaryExpr {
            left,
            op: Operator::Minus,
            right,
        }) if left.get_type(schema).is_ok_and(|t| t == DataType::Date32)
            && right.get_type(schema).is_ok_and(|t| t == DataType::Date32) =>
        {
            let days = Expr::BinaryExpr(BinaryExpr::new(left, Operator::Minus, right));
            Ok(Transformed::yes(int4(days, schema)?))
        }
        // `date_part` is `extract` as double precision in PostgreSQL
        // (DataFusion's is an integer for most fields, with its own
        // field semantics).
        Expr::ScalarFunction(f) if f.name() == "date_part" && f.args.len() == 2 => {
            let extract = tessera_udfs::pg::extract::udf().call(f.args);
            Ok(Transformed::yes(
                extract.cast_to(&DataType::Float64, schema)?,
            ))
        }
        // Array sizes and positions are `integer` in PostgreSQL; an empty
        // array has no dimensions (`array_length('{}', 1)` and
        // `array_ndims('{}')` are NULL, DataFusion's 0 and 1).
        Expr::ScalarFunction(f) if INT4_FUNCTIONS.contains(&f.name()) => {
            let empty_is_null = matches!(f.name(), "array_length" | "array_ndims");
            let array = f.args.first().cloned();
            let call = Expr::ScalarFunction(f);
            let typed = match call.get_type(schema) {
                Ok(t) if t.is_integer() && t != DataType::Int32 => {
                    Transformed::yes(int4(call, schema)?)
                }
                _ => Transformed::no(call),
            };
            match array {
                Some(array) if empty_is_null => {
                    use datafusion::prelude::{lit, when};
                    let cardinality = datafusion::functions_nested::expr_fn::cardinality(array);
                    let e = when(cardinality.eq(lit(0u64)), lit(ScalarValue::Int32(None)))
                        .otherwise(typed.data)?;
                    Ok(Transformed::yes(e))
                }
                _ => Ok(typed),
            }
        }
        // `array_positions` is `integer[]`.
        Expr::ScalarFunction(f) if f.name() == "array_positions" => {
            let call = Expr::ScalarFunction(f);
            let int4s = DataType::List(std::sync::Arc::new(
                datafusion::arrow::datatypes::Field::new_list_field(DataType::Int32, true),
            ));
            Ok(Transformed::yes(call.cast_to(&int4s, schema)?))
        }
        // `concat` and `concat_ws` write their arguments with their types'
        // output functions: `concat(true)` is `t`, `concat(1e6::float8)`
        // `1000000` (DataFusion: `true`, `1000000.0`).
        Expr::ScalarFunction(mut f)
            if matches!(f.name(), "concat" | "concat_ws")
                && f.args.iter().any(|a| {
                    a.get_type(schema).is_ok_and(|t| {
                        t == DataType::Boolean || crate::pg_text::differs_from_arrow(&t)
                    })
                }) =>
        {
            for a in f.args.iter_mut() {
                if a.get_type(schema)
                    .is_ok_and(|t| t == DataType::Boolean || crate::pg_text::differs_from_arrow(&t))
                {
                    *a = crate::pg_text::udf().call(vec![a.clone()]);
                }
            }
            Ok(Transformed::yes(Expr::ScalarFunction(f)))
        }
        Expr::AggregateFunction(mut f)
            if f.func.name() == "sum"
                && f.params.args.len() == 1
                && f.params.args[0].get_type(schema)? == DataType::Int64 =>
        {
            let arg = f.params.args.remove(0);
            f.params.args.push(Expr::Cast(Cast::new(
                Box::new(arg),
                DataType::Decimal128(38, 0),
            )));
            Ok(Transformed::yes(Expr::AggregateFunction(
                AggregateFunction {
                    func: f.func,
                    params: f.params,
                },
            )))
        }
        // The same over a window (`sum(count(*)) OVER ()`).
        Expr::WindowFunction(mut w)
            if w.fun.name() == "sum"
                && w.params.args.len() == 1
                && w.params.args[0]
                    .get_type(schema)
                    .is_ok_and(|t| t == DataType::Int64) =>
        {
            let arg = w.params.args.remove(0);
            w.params.args.push(Expr::Cast(Cast::new(
                Box::new(arg),
                DataType::Decimal128(38, 0),
            )));
            Ok(Transformed::yes(Expr::WindowFunction(w)))
        }
        other => Ok(Transformed::no(other)),
    }
}

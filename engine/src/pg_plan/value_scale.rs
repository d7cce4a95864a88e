//! `numeric` results printed at each value's own scale, as PostgreSQL
//! prints them.
//!
//! A PostgreSQL `numeric` value carries its display scale: in
//! `COALESCE(sum(amount), 0)` the sums print `12.50` and the zero `0`;
//! `CASE WHEN … THEN 1 ELSE 2.5 END` prints `1` or `2.5`; `GREATEST(amount,
//! 50)` prints `50` when 50 wins. An Arrow decimal column has one scale, the
//! largest of its operands', so every row would print `0.00`, `1.0`,
//! `50.00`.
//!
//! For each result column whose value is chosen among operands of
//! different scales (`COALESCE`, `CASE`, `GREATEST`/`LEAST`, `NULLIF`, and
//! `+`, `-`, `*` over them: PostgreSQL adds scales as `max`, multiplies
//! them as a sum), the node that computes it also computes the row's
//! scale, as a hidden column built from the same conditions: a projection
//! for expressions, an aggregate for `sum` (`max` of the summed values'
//! scales, with the same `FILTER`), a window for `lag`/`lead` with a
//! default (the same offset function over the scales) and for `sum(…)
//! OVER` (`max` of the scales over the same window). `x::numeric` of a
//! float or a text takes the value's own digits (`tessera_numeric_scale`). Projections,
//! filters, sorts, limits and subquery aliases above pass the hidden
//! columns along; a projection at the top prints each value at its scale
//! (`tessera_numeric_text`, text tagged `numeric`) and drops them. Sorting
//! and limiting still see the decimal.
//!
//! `UNION ALL` branches and `VALUES` rows carry their own operands' scales
//! (`SELECT 1 UNION ALL SELECT 2.5` prints `1`).
//!
//! Not covered (the column's scale is printed, as before): `min`, `max`,
//! `avg` over values of mixed scales, joins (a scale is not followed
//! through one), grouping sets, and anything below `DISTINCT` (`UNION`
//! included).

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::{Column, DFSchema, Result, ScalarValue};
use datafusion::logical_expr::expr::{AggregateFunction, Case, ScalarFunction, TryCast};
use datafusion::logical_expr::{
    Aggregate, BinaryExpr, Cast, Expr, ExprSchemable, LogicalPlan, Operator, Projection, ScalarUDF,
    Union, Values, Window, WindowFunctionDefinition, lit,
};
use tessera_udfs::pg::numeric_math::MathFn;

/// A value's display scale.
#[derive(Clone, Debug)]
enum Scale {
    /// The value is NULL (its scale does not matter).
    Any,
    /// The same for every row.
    Fixed(i32),
    /// Computed per row (an `Int32` expression).
    Row(Expr),
}

impl Scale {
    fn expr(&self) -> Expr {
        match self {
            Scale::Any => lit(ScalarValue::Int32(None)),
            Scale::Fixed(s) => lit(*s),
            Scale::Row(e) => e.clone(),
        }
    }
}

/// The display scale of values of type `t`, when it is a number type with
/// one (integers: 0).
fn type_scale(t: &DataType) -> Option<i32> {
    match t {
        DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64 => Some(0),
        DataType::Decimal128(_, s) if *s >= 0 => Some(i32::from(*s)),
        _ => None,
    }
}

/// The scale of the value chosen by the first true condition of
/// `branches` (`else_scale` when none is): fixed when every possible choice
/// has the same scale.
fn choose(base: Option<Box<Expr>>, branches: Vec<(Expr, Scale)>, else_scale: Scale) -> Scale {
    let mut fixed: Option<i32> = None;
    let mut varies = false;
    for s in branches.iter().map(|(_, s)| s).chain([&else_scale]) {
        match s {
            Scale::Any => {}
            Scale::Fixed(v) if fixed.is_none_or(|f| f == *v) => fixed = Some(*v),
            _ => varies = true,
        }
    }
    if !varies {
        return fixed.map_or(Scale::Any, Scale::Fixed);
    }
    Scale::Row(Expr::Case(Case {
        expr: base,
        when_then_expr: branches
            .into_iter()
            .map(|(when, s)| (Box::new(when), Box::new(s.expr())))
            .collect(),
        else_expr: Some(Box::new(else_scale.expr())),
    }))
}

/// Two operands' scales combined by `op` (`max` or `+`).
fn combine(a: Scale, b: Scale, sum: bool) -> Scale {
    match (a, b) {
        (Scale::Any, _) | (_, Scale::Any) => Scale::Any,
        (Scale::Fixed(x), Scale::Fixed(y)) => Scale::Fixed(if sum { x + y } else { x.max(y) }),
        (a, b) if sum => Scale::Row(a.expr() + b.expr()),
        (a, b) => Scale::Row(datafusion::functions::core::expr_fn::greatest(vec![
            a.expr(),
            b.expr(),
        ])),
    }
}

/// Where an expression's values come from: its input's schema and the
/// hidden scale columns the input carries for its outputs.
struct Rows<'a> {
    schema: &'a DFSchema,
    below: &'a [Option<String>],
}

/// The scale of one of the operands a `CASE`, `COALESCE`, `GREATEST` or
/// `LEAST` chooses among. The type rules cast operands to the common type
/// (`CAST(1 AS Decimal128(11, 1))`); PostgreSQL keeps the operand's own
/// scale, so such a cast to a larger scale is looked through. (A cast the
/// query wrote itself there, `1::numeric(10, 2)`, is looked through too.)
fn operand_scale(e: &Expr, rows: &Rows) -> Option<Scale> {
    let e = unaliased(e);
    if let Expr::Cast(Cast { expr, field }) | Expr::TryCast(TryCast { expr, field }) = e
        && let Some(to) = type_scale(field.data_type())
        && let Ok(from) = expr.get_type(rows.schema)
        && type_scale(&from).is_some_and(|s| s <= to)
    {
        return scale_of(expr, rows);
    }
    scale_of(e, rows)
}

/// The per-row display scale of `e`, a number in `rows`; `None` when `e` is
/// not a number with a scale.
fn scale_of(e: &Expr, rows: &Rows) -> Option<Scale> {
    let t = e.get_type(rows.schema).ok()?;
    if t == DataType::Null {
        return Some(Scale::Any);
    }
    let own = type_scale(&t)?;
    if let Some(scale) = quotient_scale(e, rows.schema) {
        // A quotient's scale is PostgreSQL's for each value (`scale()`
        // reads it from the value).
        return Some(Scale::Row(scale));
    }
    let args_scales = |args: &[Expr]| -> Option<Vec<Scale>> {
        args.iter().map(|a| operand_scale(a, rows)).collect()
    };
    Some(match e {
        Expr::Column(c) => match rows.schema.index_of_column(c) {
            Ok(j) => match rows.below.get(j).cloned().flatten() {
                Some(h) => Scale::Row(Expr::Column(Column::from_name(h))),
                None => Scale::Fixed(own),
            },
            Err(_) => Scale::Fixed(own),
        },
        Expr::Alias(a) => scale_of(&a.expr, rows)?,
        Expr::Negative(x) => scale_of(x, rows)?,
        Expr::BinaryExpr(BinaryExpr { left, op, right })
            if matches!(op, Operator::Plus | Operator::Minus | Operator::Multiply) =>
        {
            let (l, r) = (operand_scale(left, rows)?, operand_scale(right, rows)?);
            combine(l, r, *op == Operator::Multiply)
        }
        Expr::Case(c) => {
            let mut branches = Vec::new();
            for (when, then) in &c.when_then_expr {
                branches.push((when.as_ref().clone(), operand_scale(then, rows)?));
            }
            let else_scale = match &c.else_expr {
                Some(x) => operand_scale(x, rows)?,
                None => Scale::Any,
            };
            choose(c.expr.clone(), branches, else_scale)
        }
        Expr::ScalarFunction(ScalarFunction { func, args }) => match func.name() {
            "coalesce" if !args.is_empty() => {
                let scales = args_scales(args)?;
                let (last, first) = scales.split_last()?;
                let branches = args
                    .iter()
                    .zip(first.iter().cloned())
                    .map(|(a, s)| (a.clone().is_not_null(), s))
                    .collect();
                choose(None, branches, last.clone())
            }
            // The first argument equal to the result is the one chosen
            // (PostgreSQL keeps the first of equal values).
            "greatest" | "least" if !args.is_empty() => {
                let scales = args_scales(args)?;
                let branches = args
                    .iter()
                    .zip(scales)
                    .map(|(a, s)| (a.clone().eq(e.clone()), s))
                    .collect();
                choose(None, branches, Scale::Any)
            }
            "nullif" if args.len() == 2 => scale_of(&args[0], rows)?,
            // `sqrt`, `exp`, `ln`, `log`, `power` of numerics: PostgreSQL's
            // scale for each row, from the arguments and their scales.
            name if MathFn::of(name, args.len()).is_some() => {
                let scales = args_scales(args)?;
                let mut call = vec![lit(name), lit(own)];
                call.extend(args.iter().cloned());
                call.extend(scales.iter().map(Scale::expr));
                Scale::Row(Arc::new(tessera_udfs::pg::numeric_math::scale_udf()).call(call))
            }
            // `x::numeric` of a float or a text: the value's own digits.
            "numeric" if args.len() == 1 => match args[0].get_type(rows.schema).ok()? {
                t if t.is_floating() || is_text(&t) => Scale::Row(
                    Arc::new(tessera_udfs::pg::numeric_text::scale_udf())
                        .call(vec![args[0].clone()]),
                ),
                _ => operand_scale(&args[0], rows)?,
            },
            _ => Scale::Fixed(own),
        },
        _ => Scale::Fixed(own),
    })
}

/// The scale column a result of type `out` needs: `Some` when its rows'
/// scales are not all the type's own.
fn needed(e: &Expr, rows: &Rows, out: &DataType) -> Option<Expr> {
    let DataType::Decimal128(_, s) = out else {
        return None;
    };
    if *s < 0 || e.is_volatile() {
        return None;
    }
    // A quotient or statistic alone is printed at its values' scales by
    // the wire layer.
    if quotient_scale(e, rows.schema).is_some() {
        return None;
    }
    match scale_of(e, rows)? {
        Scale::Row(x) => Some(x),
        Scale::Fixed(d) if d != i32::from(*s) => Some(lit(d)),
        _ => None,
    }
}

/// The per-row scale of a quotient or statistic: what `scale()` reads from
/// the value (`tessera_udfs::pg::numeric::Display::scale`).
fn quotient_scale(e: &Expr, schema: &DFSchema) -> Option<Expr> {
    use tessera_udfs::pg::numeric::Display;
    let (_, f) = e.to_field(schema).ok()?;
    Display::of(&f)?;
    Some(Arc::new(tessera_udfs::pg::scale::udf()).call(vec![e.clone()]))
}

fn is_text(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
}

fn hidden_name(depth: usize, i: usize) -> String {
    format!("__tessera_scale_{depth}_{i}")
}

fn unaliased(e: &Expr) -> &Expr {
    match e {
        Expr::Alias(a) => unaliased(&a.expr),
        e => e,
    }
}

/// A plan rebuilt with hidden scale columns after its outputs, and for each
/// of its original outputs the hidden column holding its scale.
type Scaled = (LogicalPlan, Vec<Option<String>>);

/// The scale of `sum(x)`: the largest scale among the summed values (a
/// NULL sum has none), as `max(scale)` over the same rows.
fn sum_scale(e: &Expr, rows: &Rows, out: &DataType) -> Option<Expr> {
    let Expr::AggregateFunction(f) = unaliased(e) else {
        return None;
    };
    let p = &f.params;
    if f.func.name() != "sum" || p.distinct || p.args.len() != 1 {
        return None;
    }
    let scale = needed(&p.args[0], rows, out)?;
    Some(Expr::AggregateFunction(AggregateFunction::new_udf(
        datafusion::functions_aggregate::min_max::max_udaf(),
        vec![scale],
        false,
        p.filter.clone(),
        vec![],
        None,
    )))
}

/// The scale of a window function's result: for `lag(x, n, default)` /
/// `lead(…)`, `x`'s where the offset row exists and the default's
/// elsewhere — `lag(scale(x), n, scale(default))` over the same window; for
/// `sum(x) OVER …`, the largest scale in the frame — `max(scale(x))` over
/// the same window.
fn window_scale(e: &Expr, rows: &Rows, out: &DataType) -> Option<Expr> {
    let Expr::WindowFunction(w) = unaliased(e) else {
        return None;
    };
    let args = &w.params.args;
    let mut scaled = w.as_ref().clone();
    match w.fun.name() {
        "sum" if args.len() == 1 && !w.params.distinct => {
            scaled.fun = WindowFunctionDefinition::AggregateUDF(
                datafusion::functions_aggregate::min_max::max_udaf(),
            );
            scaled.params.args = vec![needed(&args[0], rows, out)?];
        }
        "lag" | "lead" if args.len() == 3 => {
            let DataType::Decimal128(_, own) = out else {
                return None;
            };
            let (value, default) = (
                operand_scale(&args[0], rows)?,
                operand_scale(&args[2], rows)?,
            );
            if let (Scale::Fixed(a), Scale::Fixed(b)) = (&value, &default)
                && *a == i32::from(*own)
                && *b == *a
            {
                return None;
            }
            scaled.params.args = vec![value.expr(), args[1].clone(), default.expr()];
        }
        _ => return None,
    }
    Some(Expr::WindowFunction(Box::new(scaled)))
}

/// `plan` with hidden scale columns added after its outputs, and for each
/// output the hidden column holding its scale; `None` when no output needs
/// one or the plan's shape is not followed.
fn with_scales(plan: &LogicalPlan, depth: usize) -> Result<Option<Scaled>> {
    let below = |input: &LogicalPlan| with_scales(input, depth + 1);
    // Hidden outputs named after their node's depth and output position.
    let named = |scales: Vec<Option<Expr>>, offset: usize| {
        let mut map = Vec::new();
        let mut extra = Vec::new();
        for (i, s) in scales.into_iter().enumerate() {
            match s {
                Some(s) => {
                    let name = hidden_name(depth, offset + i);
                    extra.push(s.alias(&name));
                    map.push(Some(name));
                }
                None => map.push(None),
            }
        }
        (extra, map)
    };
    match plan {
        LogicalPlan::Sort(_)
        | LogicalPlan::Limit(_)
        | LogicalPlan::SubqueryAlias(_)
        | LogicalPlan::Filter(_) => {
            let Some((input, map)) = below(plan.inputs()[0])? else {
                return Ok(None);
            };
            // Their outputs are their input's columns (requalified by an alias).
            let rebuilt = plan.with_new_exprs(plan.expressions(), vec![input])?;
            Ok(Some((rebuilt, map)))
        }
        LogicalPlan::Projection(p) => {
            let scaled_input = below(&p.input)?;
            let rows = Rows {
                schema: p.input.schema(),
                below: scaled_input.as_ref().map_or(&[], |(_, m)| m.as_slice()),
            };
            let scales = (p.expr.iter().enumerate())
                .map(|(i, e)| needed(e, &rows, p.schema.field(i).data_type()))
                .collect();
            let (extra, map) = named(scales, 0);
            let (casts, cast_changed) = text_casts(&p.expr, &p.schema, &rows)?;
            if extra.is_empty() && !cast_changed {
                return Ok(None);
            }
            let input = scaled_input.map_or_else(|| p.input.clone(), |(p, _)| Arc::new(p));
            let exprs = casts.into_iter().chain(extra).collect();
            Ok(Some((
                LogicalPlan::Projection(Projection::try_new(exprs, input)?),
                map,
            )))
        }
        LogicalPlan::Aggregate(a)
            if !a
                .group_expr
                .iter()
                .any(|e| matches!(e, Expr::GroupingSet(_))) =>
        {
            let scaled_input = below(&a.input)?;
            let rows = Rows {
                schema: a.input.schema(),
                below: scaled_input.as_ref().map_or(&[], |(_, m)| m.as_slice()),
            };
            let groups = a.group_expr.len();
            let scales = (a.aggr_expr.iter().enumerate())
                .map(|(k, e)| sum_scale(e, &rows, a.schema.field(groups + k).data_type()))
                .collect();
            let (extra, mut map) = named(scales, groups);
            if extra.is_empty() {
                return Ok(None);
            }
            map.splice(0..0, std::iter::repeat_n(None, groups));
            let input = scaled_input.map_or_else(|| a.input.clone(), |(p, _)| Arc::new(p));
            let aggr = a.aggr_expr.iter().cloned().chain(extra).collect();
            Ok(Some((
                LogicalPlan::Aggregate(Aggregate::try_new(input, a.group_expr.clone(), aggr)?),
                map,
            )))
        }
        LogicalPlan::Window(w) => {
            let scaled_input = below(&w.input)?;
            let n = w.input.schema().fields().len();
            let rows = Rows {
                schema: w.input.schema(),
                below: scaled_input.as_ref().map_or(&[], |(_, m)| m.as_slice()),
            };
            let scales: Vec<Option<Expr>> = (w.window_expr.iter().enumerate())
                .map(|(k, e)| window_scale(e, &rows, w.schema.field(n + k).data_type()))
                .collect();
            if scaled_input.is_none() && scales.iter().all(Option::is_none) {
                return Ok(None);
            }
            let (extra, window_map) = named(scales, n);
            let mut map: Vec<Option<String>> = rows.below.to_vec();
            map.resize(n, None);
            map.extend(window_map);
            let input = scaled_input.map_or_else(|| w.input.clone(), |(p, _)| Arc::new(p));
            let exprs = w.window_expr.iter().cloned().chain(extra).collect();
            Ok(Some((
                LogicalPlan::Window(Window::try_new(exprs, input)?),
                map,
            )))
        }
        LogicalPlan::Union(u) => union_scales(u, depth),
        LogicalPlan::Values(v) => values_scales(v, depth),
        _ => Ok(None),
    }
}

/// `exprs` (a projection's, whose output schema is `schema`) with each
/// cast of a `numeric` to text written at the value's own scale
/// (`sqrt(2.0)::text`, `'LTV ' || coalesce(sum(x), 0)`), and whether one
/// was.
fn text_casts(exprs: &[Expr], schema: &DFSchema, rows: &Rows) -> Result<(Vec<Expr>, bool)> {
    use datafusion::common::tree_node::{Transformed, TreeNode};
    let text: Arc<ScalarUDF> = Arc::new(tessera_udfs::pg::numeric_text::cast_udf());
    let mut changed = false;
    let mut out = Vec::with_capacity(exprs.len());
    for (i, e) in exprs.iter().enumerate() {
        let rewritten = e.clone().transform_up(|x| {
            // Functions that write their arguments as text.
            if let Expr::ScalarFunction(ScalarFunction { func, args }) = &x
                && matches!(func.name(), "concat" | "concat_ws" | "format")
            {
                let mut args = args.clone();
                let mut any = false;
                for a in &mut args {
                    if let Some(t) = numeric_as_text(a, rows, &text) {
                        *a = t;
                        any = true;
                    }
                }
                return Ok(if any {
                    Transformed::yes(func.call(args))
                } else {
                    Transformed::no(x)
                });
            }
            let Expr::Cast(Cast { expr, field }) = &x else {
                return Ok(Transformed::no(x));
            };
            if !is_text(field.data_type()) {
                return Ok(Transformed::no(x));
            }
            let Some(call) = numeric_as_text(expr, rows, &text) else {
                return Ok(Transformed::no(x));
            };
            let call = if field.data_type() == &DataType::Utf8 {
                call
            } else {
                Expr::Cast(Cast::new(Box::new(call), field.data_type().clone()))
            };
            Ok(Transformed::yes(call))
        })?;
        if rewritten.transformed {
            changed = true;
            let (qualifier, field) = schema.qualified_field(i);
            out.push(
                rewritten
                    .data
                    .unalias()
                    .alias_qualified(qualifier.cloned(), field.name()),
            );
        } else {
            out.push(e.clone());
        }
    }
    Ok((out, changed))
}

/// `e`, a `numeric` not always written at its type's scale, as text at
/// each value's scale; `None` for other expressions.
fn numeric_as_text(e: &Expr, rows: &Rows, text: &Arc<ScalarUDF>) -> Option<Expr> {
    if e.is_volatile() {
        return None;
    }
    let from @ DataType::Decimal128(..) = e.get_type(rows.schema).ok()? else {
        return None;
    };
    // A quotient or statistic: the scale read from the value.
    let scale = needed(e, rows, &from).or_else(|| quotient_scale(e, rows.schema))?;
    Some(text.call(vec![e.clone(), scale]))
}

/// The scales of the decimal columns of `schema` (`None` for the others).
fn own_scales(schema: &DFSchema) -> Vec<Option<i32>> {
    (schema.fields().iter())
        .map(|f| match f.data_type() {
            DataType::Decimal128(_, s) if *s >= 0 => Some(i32::from(*s)),
            _ => None,
        })
        .collect()
}

/// Which columns need a scale column: those where some input's scale is
/// not the column's own.
fn varying(own: &[Option<i32>], inputs: &[Vec<Option<Scale>>]) -> Vec<bool> {
    (own.iter().enumerate())
        .map(|(i, own)| {
            own.is_some()
                && inputs.iter().any(|scales| match &scales[i] {
                    Some(Scale::Row(_)) => true,
                    Some(Scale::Fixed(d)) => Some(*d) != *own,
                    _ => false,
                })
        })
        .collect()
}

/// `UNION ALL`: each branch computes its rows' scales (its projection's
/// operands keep theirs: `SELECT 1 UNION ALL SELECT 2.5` prints `1`).
fn union_scales(u: &Union, depth: usize) -> Result<Option<Scaled>> {
    let own = own_scales(&u.schema);
    if own.iter().all(Option::is_none) {
        return Ok(None);
    }
    let mut branches = Vec::new();
    for input in &u.inputs {
        let branch = match input.as_ref() {
            LogicalPlan::Projection(p) => {
                let scaled_input = with_scales(&p.input, depth + 1)?;
                let rows = Rows {
                    schema: p.input.schema(),
                    below: scaled_input.as_ref().map_or(&[], |(_, m)| m.as_slice()),
                };
                let scales: Vec<Option<Scale>> = (p.expr.iter().zip(&own))
                    .map(|(e, own)| {
                        own.filter(|_| !e.is_volatile())
                            .and_then(|_| operand_scale(e, &rows))
                    })
                    .collect();
                let input = scaled_input.map_or_else(|| p.input.clone(), |(p, _)| Arc::new(p));
                (p.expr.clone(), input, scales)
            }
            other => {
                let columns = other.schema().columns().into_iter().map(Expr::Column);
                let scales: Vec<Option<Scale>> = (other.schema().fields().iter())
                    .map(|f| type_scale(f.data_type()).map(Scale::Fixed))
                    .collect();
                (columns.collect(), input.clone(), scales)
            }
        };
        branches.push(branch);
    }
    let scales: Vec<_> = branches.iter().map(|(_, _, s)| s.clone()).collect();
    let varies = varying(&own, &scales);
    if !varies.contains(&true) {
        return Ok(None);
    }
    let mut inputs = Vec::new();
    for (mut exprs, input, scales) in branches {
        for (i, scale) in scales.into_iter().enumerate() {
            if varies[i] {
                let scale = scale.map_or_else(|| lit(own[i].unwrap_or(0)), |s| s.expr());
                exprs.push(scale.alias(hidden_name(depth, i)));
            }
        }
        inputs.push(Arc::new(LogicalPlan::Projection(Projection::try_new(
            exprs, input,
        )?)));
    }
    let map = (0..own.len())
        .map(|i| varies[i].then(|| hidden_name(depth, i)))
        .collect();
    let union = Union::try_new_with_loose_types(inputs)?;
    Ok(Some((LogicalPlan::Union(union), map)))
}

/// `VALUES`: each row's literals keep their scales (`VALUES (1), (2.5)`).
fn values_scales(v: &Values, depth: usize) -> Result<Option<Scaled>> {
    let own = own_scales(&v.schema);
    let empty = DFSchema::empty();
    let rows = Rows {
        schema: &empty,
        below: &[],
    };
    let scales: Vec<Vec<Option<Scale>>> = (v.values.iter())
        .map(|row| {
            (row.iter().zip(&own))
                .map(|(e, own)| own.and_then(|_| operand_scale(e, &rows)))
                .collect()
        })
        .collect();
    let varies = varying(&own, &scales);
    if !varies.contains(&true) {
        return Ok(None);
    }
    let mut fields: Vec<_> = (v.schema.iter())
        .map(|(q, f)| (q.cloned(), f.clone()))
        .collect();
    for (i, _) in varies.iter().enumerate().filter(|(_, v)| **v) {
        let field = Field::new(hidden_name(depth, i), DataType::Int32, true);
        fields.push((None, Arc::new(field)));
    }
    let values = (v.values.iter().zip(scales))
        .map(|(row, scales)| {
            let mut row = row.clone();
            for (i, scale) in scales.into_iter().enumerate() {
                if varies[i] {
                    row.push(scale.map_or_else(|| lit(own[i].unwrap_or(0)), |s| s.expr()));
                }
            }
            row
        })
        .collect();
    let schema = DFSchema::new_with_metadata(fields, v.schema.metadata().clone())?;
    let map = (0..own.len())
        .map(|i| varies[i].then(|| hidden_name(depth, i)))
        .collect();
    Ok(Some((
        LogicalPlan::Values(Values {
            schema: Arc::new(schema),
            values,
        }),
        map,
    )))
}

/// Applies the module's rule to a query's plan (other plans are returned
/// unchanged).
pub fn per_value_scales(plan: LogicalPlan) -> Result<LogicalPlan> {
    let Some((inner, hidden)) = with_scales(&plan, 0)? else {
        return Ok(plan);
    };
    let text: Arc<ScalarUDF> = Arc::new(tessera_udfs::pg::numeric_text::udf());
    let exprs = plan
        .schema()
        .iter()
        .zip(hidden)
        .map(|((qualifier, field), h)| {
            let column = Expr::Column(Column::from((qualifier, field)));
            match h {
                Some(h) => text
                    .call(vec![column, Expr::Column(Column::from_name(h))])
                    .alias_qualified(qualifier.cloned(), field.name()),
                None => column,
            }
        })
        .collect();
    Ok(LogicalPlan::Projection(Projection::try_new(
        exprs,
        Arc::new(inner),
    )?))
}

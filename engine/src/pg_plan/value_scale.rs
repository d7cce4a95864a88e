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
//! them as a sum), the projection that computes it also computes the row's
//! scale, as a hidden column built from the same conditions; projections,
//! sorts and limits above it pass that column along; a projection at the
//! top prints the value at it (`tessera_numeric_text`, text tagged
//! `numeric`) and drops the hidden columns. Sorting and limiting still see
//! the decimal.
//!
//! Not covered (the column's scale is printed, as before): scales decided
//! inside aggregates (`sum` over values of mixed scales), window functions
//! (`lag(x, 1, 0)`), `UNION` branches and `VALUES` rows of different
//! scales, and results computed by a subquery in `FROM` and passed up
//! through anything but plain column references, or below `DISTINCT`.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Column, DFSchema, Result, ScalarValue};
use datafusion::logical_expr::expr::{Case, ScalarFunction, TryCast};
use datafusion::logical_expr::{
    BinaryExpr, Cast, Expr, ExprSchemable, LogicalPlan, Operator, Projection, ScalarUDF, lit,
};

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

/// The scale of one of the operands a `CASE`, `COALESCE`, `GREATEST` or
/// `LEAST` chooses among. The type rules cast operands to the common type
/// (`CAST(1 AS Decimal128(11, 1))`); PostgreSQL keeps the operand's own
/// scale, so such a cast to a larger scale is looked through. (A cast the
/// query wrote itself there, `1::numeric(10, 2)`, is looked through too.)
fn operand_scale(e: &Expr, schema: &DFSchema) -> Option<Scale> {
    if let Expr::Cast(Cast { expr, field }) | Expr::TryCast(TryCast { expr, field }) = e
        && let Some(to) = type_scale(field.data_type())
        && let Ok(from) = expr.get_type(schema)
        && type_scale(&from).is_some_and(|s| s <= to)
    {
        return scale_of(expr, schema);
    }
    scale_of(e, schema)
}

/// The per-row display scale of `e`, a number in `schema`'s rows; `None`
/// when `e` is not a number with a scale.
fn scale_of(e: &Expr, schema: &DFSchema) -> Option<Scale> {
    let t = e.get_type(schema).ok()?;
    if t == DataType::Null {
        return Some(Scale::Any);
    }
    let own = type_scale(&t)?;
    let args_scales = |args: &[Expr]| -> Option<Vec<Scale>> {
        args.iter().map(|a| operand_scale(a, schema)).collect()
    };
    Some(match e {
        Expr::Alias(a) => scale_of(&a.expr, schema)?,
        Expr::Negative(x) => scale_of(x, schema)?,
        Expr::BinaryExpr(BinaryExpr { left, op, right })
            if matches!(op, Operator::Plus | Operator::Minus | Operator::Multiply) =>
        {
            let (l, r) = (scale_of(left, schema)?, scale_of(right, schema)?);
            combine(l, r, *op == Operator::Multiply)
        }
        Expr::Case(c) => {
            let mut branches = Vec::new();
            for (when, then) in &c.when_then_expr {
                branches.push((when.as_ref().clone(), operand_scale(then, schema)?));
            }
            let else_scale = match &c.else_expr {
                Some(x) => operand_scale(x, schema)?,
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
            "nullif" if args.len() == 2 => scale_of(&args[0], schema)?,
            _ => Scale::Fixed(own),
        },
        _ => Scale::Fixed(own),
    })
}

/// The scale column a result column needs: `Some` when its rows' scales
/// are not all the column's own.
fn needed(e: &Expr, schema: &DFSchema, out: &DataType) -> Option<Expr> {
    let DataType::Decimal128(_, s) = out else {
        return None;
    };
    if *s < 0 || e.is_volatile() {
        return None;
    }
    match scale_of(e, schema)? {
        Scale::Row(x) => Some(x),
        Scale::Fixed(d) if d != i32::from(*s) => Some(lit(d)),
        _ => None,
    }
}

fn hidden_name(depth: usize, i: usize) -> String {
    format!("__tessera_scale_{depth}_{i}")
}

/// `plan` with hidden scale columns added after its outputs, and for each
/// output the hidden column holding its scale; `None` when no output needs
/// one or the plan's shape is not followed.
fn with_scales(
    plan: &LogicalPlan,
    depth: usize,
) -> Result<Option<(LogicalPlan, Vec<Option<String>>)>> {
    match plan {
        LogicalPlan::Sort(_) | LogicalPlan::Limit(_) | LogicalPlan::SubqueryAlias(_) => {
            let input = plan.inputs()[0];
            let Some((input, hidden)) = with_scales(input, depth + 1)? else {
                return Ok(None);
            };
            let rebuilt = plan.with_new_exprs(plan.expressions(), vec![input])?;
            // Their outputs are their input's columns (requalified by an alias).
            Ok(Some((rebuilt, hidden)))
        }
        LogicalPlan::Projection(p) => {
            let input_schema = p.input.schema();
            // Scales of the input's outputs, when the input is a node this
            // follows (only asked for when a column refers to it).
            let mut below: Option<Option<(LogicalPlan, Vec<Option<String>>)>> = None;
            let mut extra = Vec::new();
            let mut hidden = Vec::new();
            for (i, e) in p.expr.iter().enumerate() {
                let out = p.schema.field(i).data_type();
                let name = hidden_name(depth, i);
                if let Some(scale) = needed(e, input_schema, out) {
                    extra.push(scale.alias(&name));
                    hidden.push(Some(name));
                    continue;
                }
                let inner = match e {
                    Expr::Column(c) => Some(c),
                    Expr::Alias(a) => match a.expr.as_ref() {
                        Expr::Column(c) => Some(c),
                        _ => None,
                    },
                    _ => None,
                };
                let from_below = match inner {
                    Some(c) if matches!(out, DataType::Decimal128(..)) => {
                        if below.is_none() {
                            below = Some(with_scales(&p.input, depth + 1)?);
                        }
                        let index = input_schema.index_of_column(c).ok();
                        match (below.as_ref().and_then(Option::as_ref), index) {
                            (Some((_, scales)), Some(j)) => scales[j].clone(),
                            _ => None,
                        }
                    }
                    _ => None,
                };
                match from_below {
                    Some(h) => {
                        extra.push(Expr::Column(Column::from_name(h)).alias(&name));
                        hidden.push(Some(name));
                    }
                    None => hidden.push(None),
                }
            }
            if extra.is_empty() {
                return Ok(None);
            }
            let input = match below.flatten() {
                Some((input, _)) => Arc::new(input),
                None => p.input.clone(),
            };
            let mut exprs = p.expr.clone();
            exprs.extend(extra);
            let projection = Projection::try_new(exprs, input)?;
            Ok(Some((LogicalPlan::Projection(projection), hidden)))
        }
        _ => Ok(None),
    }
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

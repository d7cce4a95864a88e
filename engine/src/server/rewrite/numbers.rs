//! Numeric literals in PostgreSQL's meaning: exponent notation is an exact
//! `numeric`, not DataFusion's negative-scale decimal.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{DataType, Expr, Statement, Value, visit_expressions_mut};

use super::call;

/// Numeric literals in exponent notation (`1e15`, `2.5e-3`) are exact
/// numerics in PostgreSQL; DataFusion's decimal parsing gives them a
/// negative scale, which casts to floats inexactly (`1e15::float8` would be
/// `999999999999999.9`). They are written out in plain digits when those
/// fit a 38-digit decimal; without a fraction (`1e3`) they stay `numeric`
/// (`numeric(1000)`), not the integer their digits would read as.
pub(crate) fn exponent_literals(statement: &mut Statement) {
    fn plain(n: &str) -> Option<String> {
        let (mantissa, exp) = n.split_once(['e', 'E'])?;
        let exp: i32 = exp.parse().ok()?;
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let digits = format!("{int}{frac}");
        let point = int.len() as i32 + exp;
        if !digits.bytes().all(|b| b.is_ascii_digit())
            || digits.len() > 38
            || !(-38..=38).contains(&point)
        {
            return None;
        }
        let out = tessera_udfs::pg::numeric::place_point(&digits, point);
        let significant = out.trim_start_matches(['0', '.']).len();
        (significant <= 38).then_some(out)
    }
    let _ = visit_expressions_mut(statement, |e| {
        // One too large or too small for a 38-digit decimal (`1e100`,
        // `1.5e300`) stays in exponent form; cast to a float it is read
        // as text by the float's input, exactly (`1e100::float8` is 1e+100).
        if let Expr::Cast {
            expr, data_type, ..
        } = e
            && matches!(
                data_type,
                DataType::Double(_)
                    | DataType::DoublePrecision
                    | DataType::Float8
                    | DataType::Float64
                    | DataType::Real
                    | DataType::Float4
                    | DataType::Float32
                    | DataType::Float(_)
            )
            && let Expr::Value(v) = expr.as_mut()
            && let Value::Number(n, _) = &v.value
            && n.contains(['e', 'E'])
        {
            v.value = Value::SingleQuotedString(n.clone());
            return ControlFlow::<()>::Continue(());
        }
        if let Expr::Value(v) = e
            && let Value::Number(n, long) = &v.value
            && let Some(p) = plain(n)
        {
            let whole = !p.contains('.');
            v.value = Value::Number(p, *long);
            if whole {
                *e = call("numeric", vec![e.clone()], vec![]);
            }
        }
        ControlFlow::<()>::Continue(())
    });
}

//! `sqrt`, `exp`, `ln`, `log`, `log10` and `power` of `numeric` values,
//! computed in decimal as PostgreSQL 15 computes them (`numeric.c`).
//!
//! PostgreSQL picks the `numeric` version of these functions when an
//! argument is `numeric` and none is a float (`power(1.05, 12)`,
//! `sqrt(amount)` of a `numeric(12,2)` column), and gives each result its
//! own scale: at least 16 significant digits, estimated from the
//! arguments' weights, and at least the arguments' scales (`sqrt(2.0)` is
//! `1.414213562373095`, `exp(1.0)` `2.7182818284590452`, `power(2.0, 3)`
//! `8.0000000000000000`). The value is the exact result rounded half away
//! from zero at that scale.
//!
//! Here the result is computed in double-double arithmetic
//! (`super::double_double`, about 31 digits) when its error bound makes
//! the rounding at that scale certain — nearly always — and otherwise with
//! `dashu-float` decimal floats carrying ten guard digits beyond that
//! scale (50 to 90 µs for one `ln` or `exp`), then rounded the same way;
//! a test checks that both paths agree. Arrow
//! decimals have one scale per column, so the column is stored at
//! [`stored_scale`] (≥ every usual result's scale) and the engine prints
//! each row at PostgreSQL's scale ([`scale_udf`], through the per-value
//! scales of `tessera_engine::pg_plan::value_scale`). Results with more
//! digits than a `Decimal128(38)` holds at that scale (`exp(100)`) are
//! refused with `numeric field overflow`.

use std::sync::Arc;

use dashu_float::FBig;
use dashu_float::round::mode::HalfAway;
use dashu_int::IBig;
use datafusion::arrow::array::{Array, ArrayRef, AsArray, Decimal128Array, Int32Array};
use datafusion::arrow::datatypes::{DataType, Decimal128Type};
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::error::DataFusionError;
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

use crate::error::{DataErrorKind, data_error};

/// Decimal floats rounding half away from zero, as `numeric` does.
type Dec = FBig<HalfAway, 10>;

/// PostgreSQL's `NUMERIC_MIN_SIG_DIGITS`.
const MIN_SIG_DIGITS: i32 = 16;
/// PostgreSQL's `NUMERIC_MAX_DISPLAY_SCALE`.
const MAX_DISPLAY_SCALE: i32 = 1000;
/// log10(e) as `numeric.c` writes it: its estimates truncate products
/// with this value, so the result scales depend on its exact digits.
#[allow(clippy::approx_constant)]
const PG_LOG10_E: f64 = 0.434294481903252;
/// Digits a stored result may have.
const MAX_DIGITS: i32 = 38;

/// The functions computed here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MathFn {
    /// `sqrt(x)`.
    Sqrt,
    /// `exp(x)`.
    Exp,
    /// `ln(x)`.
    Ln,
    /// `log(x)`, `log10(x)`: `log(10, x)` in PostgreSQL.
    Log10,
    /// `log(b, x)`.
    Log,
    /// `power(x, y)`.
    Power,
}

impl MathFn {
    /// The function `name` with `args` arguments, if it is one of these.
    pub fn of(name: &str, args: usize) -> Option<MathFn> {
        Some(match (name, args) {
            ("sqrt", 1) => MathFn::Sqrt,
            ("exp", 1) => MathFn::Exp,
            ("ln", 1) => MathFn::Ln,
            ("log" | "log10", 1) => MathFn::Log10,
            ("log", 2) => MathFn::Log,
            ("power" | "pow", 2) => MathFn::Power,
            _ => return None,
        })
    }
}

/// A `numeric` argument: its unscaled value, the scale it is stored at and
/// its display scale.
#[derive(Clone, Copy, Debug)]
pub struct Arg {
    /// The value times `10^scale`.
    pub unscaled: i128,
    /// The scale of the stored value.
    pub scale: i32,
    /// PostgreSQL's display scale of the value (`dscale`).
    pub dscale: i32,
}

impl Arg {
    fn dec(self) -> Dec {
        Dec::from_parts(IBig::from(self.unscaled), -(self.scale as isize))
    }
    fn f64(self) -> f64 {
        self.unscaled as f64 / 10f64.powi(self.scale)
    }
    /// PostgreSQL's base-10000 digits of the value, without leading and
    /// trailing zero groups, and the weight of the first (0 for 0).
    fn groups(self) -> (i32, Vec<u32>) {
        let digits = self.unscaled.unsigned_abs().to_string();
        let scale = self.scale.max(0) as usize;
        let (int, frac) = if digits.len() > scale {
            digits.split_at(digits.len() - scale)
        } else {
            ("", digits.as_str())
        };
        let frac = format!("{}{frac}", "0".repeat(scale - frac.len()));
        let int = format!("{}{int}", "0".repeat((4 - int.len() % 4) % 4));
        let frac = format!("{frac}{}", "0".repeat((4 - frac.len() % 4) % 4));
        let all = format!("{int}{frac}");
        let mut groups: Vec<u32> = (0..all.len() / 4)
            .map(|i| all[i * 4..i * 4 + 4].parse().unwrap_or(0))
            .collect();
        let mut weight = (int.len() / 4) as i32 - 1;
        while groups.first() == Some(&0) {
            groups.remove(0);
            weight -= 1;
        }
        while groups.last() == Some(&0) {
            groups.pop();
        }
        if groups.is_empty() {
            weight = 0;
        }
        (weight, groups)
    }
    fn is_integral(self) -> bool {
        let (weight, groups) = self.groups();
        groups.len() as i32 <= weight + 1
    }
}

/// PostgreSQL's `estimate_ln_dweight`: the decimal weight of `ln(x)`.
fn ln_dweight(x: Arg) -> i32 {
    let v = x.f64();
    if (0.9..=1.1).contains(&v) {
        let d = Arg {
            unscaled: x.unscaled - 10i128.pow(x.scale as u32),
            ..x
        };
        let (weight, groups) = d.groups();
        return match groups.first() {
            Some(first) => weight * 4 + (f64::from(*first)).log10() as i32,
            None => 0,
        };
    }
    let (weight, groups) = x.groups();
    let Some(first) = groups.first() else {
        return 0;
    };
    let mut digits = f64::from(*first);
    let mut dweight = weight * 4;
    if let Some(second) = groups.get(1) {
        digits = digits * 10000.0 + f64::from(*second);
        dweight -= 4;
    }
    let ln = digits.ln() + f64::from(dweight) * std::f64::consts::LN_10;
    ln.abs().log10() as i32
}

fn clamp_scale(r: i32) -> i32 {
    r.clamp(0, MAX_DISPLAY_SCALE)
}

/// The scale PostgreSQL gives `f(args)` (the arguments already checked).
pub fn result_scale(f: MathFn, args: &[Arg]) -> i32 {
    let x = args[0];
    match f {
        MathFn::Sqrt => {
            let sweight = (x.groups().0 + 1) * 4 / 2 - 1;
            clamp_scale((MIN_SIG_DIGITS - sweight).max(x.dscale))
        }
        MathFn::Exp => {
            let val = (x.f64() * PG_LOG10_E).clamp(-2000.0, 2000.0);
            clamp_scale((MIN_SIG_DIGITS - val as i32).max(x.dscale))
        }
        // log(x) is log(10, x), and ln(10)'s decimal weight is 0.
        MathFn::Ln | MathFn::Log10 => clamp_scale((MIN_SIG_DIGITS - ln_dweight(x)).max(x.dscale)),
        MathFn::Log => {
            let (b, x) = (args[0], args[1]);
            let weight = ln_dweight(x) - ln_dweight(b);
            clamp_scale((MIN_SIG_DIGITS - weight).max(b.dscale).max(x.dscale))
        }
        MathFn::Power => {
            let (b, e) = (args[0], args[1]);
            if e.is_integral() && i32::try_from(e.unscaled / 10i128.pow(e.scale as u32)).is_ok() {
                return clamp_scale(MIN_SIG_DIGITS.max(b.dscale));
            }
            if b.unscaled == 0 {
                return MIN_SIG_DIGITS;
            }
            let val = b.f64().ln() * e.f64() * PG_LOG10_E;
            clamp_scale((MIN_SIG_DIGITS - val as i32).max(b.dscale).max(e.dscale))
        }
    }
}

fn power_error(message: &str) -> DataFusionError {
    data_error(DataErrorKind::InvalidArgumentForPower, message)
}

fn overflow() -> DataFusionError {
    data_error(
        DataErrorKind::NumericValueOutOfRange,
        "numeric field overflow",
    )
}

/// PostgreSQL's errors for arguments outside the function's domain.
fn check(f: MathFn, args: &[Arg]) -> Result<()> {
    let log_error = |x: Arg| {
        (x.unscaled <= 0).then(|| {
            data_error(
                DataErrorKind::InvalidArgumentForLogarithm,
                if x.unscaled == 0 {
                    "cannot take logarithm of zero"
                } else {
                    "cannot take logarithm of a negative number"
                },
            )
        })
    };
    let error = match f {
        MathFn::Sqrt if args[0].unscaled < 0 => {
            Some(power_error("cannot take square root of a negative number"))
        }
        MathFn::Ln | MathFn::Log10 => log_error(args[0]),
        MathFn::Log => log_error(args[0])
            .or_else(|| log_error(args[1]))
            .or_else(|| {
                (args[0].unscaled == 10i128.pow(args[0].scale as u32))
                    .then(|| data_error(DataErrorKind::DivisionByZero, "division by zero"))
            }),
        MathFn::Power => {
            let (b, e) = (args[0], args[1]);
            if b.unscaled == 0 && e.unscaled < 0 {
                Some(power_error("zero raised to a negative power is undefined"))
            } else if b.unscaled < 0 && !e.is_integral() {
                Some(power_error(
                    "a negative number raised to a non-integer power yields a complex result",
                ))
            } else {
                None
            }
        }
        _ => None,
    };
    error.map_or(Ok(()), Err)
}

/// `f(args)` rounded at `rscale`, as an unscaled integer; `None` when it
/// cannot have fewer than `max_int_digits` digits before the point.
fn compute(f: MathFn, args: &[Arg], rscale: i32, max_int_digits: i32) -> Result<i128> {
    // The result's magnitude, estimated in double precision, bounds the
    // work (exp(1e6) would have 434,295 digits) and sets the precision.
    let estimate = match f {
        MathFn::Sqrt => args[0].f64().abs().sqrt(),
        MathFn::Exp => args[0].f64().exp(),
        MathFn::Ln => args[0].f64().ln(),
        MathFn::Log10 => args[0].f64().log10(),
        MathFn::Log => args[1].f64().ln() / args[0].f64().ln(),
        MathFn::Power => args[0].f64().abs().powf(args[1].f64()),
    };
    let int_digits = if estimate.is_finite() && estimate.abs() >= 1.0 {
        estimate.abs().log10().floor() as i32 + 1
    } else if estimate.is_finite() {
        0
    } else {
        i32::MAX
    };
    if int_digits > max_int_digits + 1 {
        // Beyond PostgreSQL's own limit (10^131072) it says so too.
        return Err(if int_digits > 131072 {
            data_error(
                DataErrorKind::NumericValueOutOfRange,
                "value overflows numeric format",
            )
        } else {
            overflow()
        });
    }
    if let Some(v) = fast(f, args, rscale) {
        return Ok(v);
    }
    exact(f, args, rscale, int_digits)
}

/// `f(args)` rounded at `rscale` in double-double arithmetic
/// (`super::double_double`), when its error bound makes the rounding
/// certain; `None` otherwise (and for `sqrt` and integer powers, which are
/// fast enough in decimal).
fn fast(f: MathFn, args: &[Arg], rscale: i32) -> Option<i128> {
    use super::double_double::{self as dd, DD};
    let value = |a: Arg| {
        (a.unscaled.unsigned_abs() < 1 << 100 && (0..=44).contains(&a.scale))
            .then(|| DD::from_i128(a.unscaled) / DD::pow10(a.scale as u32))
    };
    // Errors of the logarithm (absolute) and exponential (relative) of a
    // double-double are below 1e-30; the bounds below are generous.
    const E: f64 = 1e-28;
    match f {
        MathFn::Exp => {
            let x = value(args[0])?;
            let rel = E * (1.0 + x.to_f64().abs());
            dd::rounded(dd::exp(x)?, rscale, rel, 0.0)
        }
        MathFn::Ln => dd::rounded(dd::ln(value(args[0])?)?, rscale, E, E),
        MathFn::Log10 | MathFn::Log => {
            let (b, x) = match f {
                MathFn::Log => (dd::ln(value(args[0])?)?, dd::ln(value(args[1])?)?),
                _ => (dd::ln(DD::new(10.0))?, dd::ln(value(args[0])?)?),
            };
            let (lb, lx) = (b.to_f64().abs(), x.to_f64().abs());
            if lb < 1e-12 || lx < 1e-12 {
                return None;
            }
            let rel = E * (1.0 + 1.0 / lx + 1.0 / lb);
            dd::rounded(x / b, rscale, rel, 0.0)
        }
        MathFn::Power if !args[1].is_integral() && args[0].unscaled > 0 => {
            let (b, e) = (value(args[0])?, value(args[1])?);
            let exponent = e * dd::ln(b)?;
            let rel = E * (1.0 + e.to_f64().abs() + exponent.to_f64().abs());
            dd::rounded(dd::exp(exponent)?, rscale, rel, 0.0)
        }
        _ => None,
    }
}

/// `f(args)` rounded at `rscale`, in arbitrary-precision decimal.
fn exact(f: MathFn, args: &[Arg], rscale: i32, int_digits: i32) -> Result<i128> {
    let precision = (int_digits.max(1) + rscale + 10) as usize;
    let at = |a: Arg| a.dec().with_precision(precision).value();
    let value: Dec = match f {
        MathFn::Sqrt => at(args[0]).sqrt(),
        MathFn::Exp => at(args[0]).exp(),
        MathFn::Ln => at(args[0]).ln(),
        MathFn::Log10 => {
            let ten = Dec::from(10u8).with_precision(precision + 5).value();
            at(args[0]).with_precision(precision + 5).value().ln() / ten.ln()
        }
        MathFn::Log => {
            let p = precision + 5;
            args[1].dec().with_precision(p).value().ln()
                / args[0].dec().with_precision(p).value().ln()
        }
        MathFn::Power => {
            let (b, e) = (args[0], args[1]);
            if b.unscaled == 0 {
                if e.unscaled == 0 { Dec::ONE } else { Dec::ZERO }
            } else if e.is_integral() {
                let n = e.unscaled / 10i128.pow(e.scale as u32);
                let p = precision + n.unsigned_abs().to_string().len() + 5;
                let base = b.dec().with_precision(p).value();
                let magnitude = base.powi(IBig::from(n.unsigned_abs()));
                if n < 0 {
                    Dec::ONE.with_precision(p).value() / magnitude
                } else {
                    magnitude
                }
            } else {
                at(b).powf(&at(e))
            }
        }
    };
    let shifted = value * Dec::from_parts(IBig::ONE, rscale as isize);
    let rounded = shifted.round().to_int().value();
    i128::try_from(rounded).map_err(|_| overflow())
}

/// The scale a column of `f`'s results is stored at, from the arguments'
/// types: PostgreSQL's own scale for `power` to an integer exponent
/// (`max(16, scale of the base)`), otherwise 20 or the largest argument
/// scale.
pub fn stored_scale(f: MathFn, arg_scales: &[i8]) -> i8 {
    let largest = arg_scales.iter().copied().max().unwrap_or(0);
    let s = match f {
        MathFn::Power if arg_scales.get(1) == Some(&0) => largest.max(MIN_SIG_DIGITS as i8),
        _ => largest.max(20),
    };
    s.min(MAX_DIGITS as i8 - 1)
}

/// Multiplies or divides (rounding half away from zero) by a power of 10.
fn rescale(v: i128, from: i32, to: i32) -> Result<i128> {
    if to >= from {
        10i128
            .checked_pow((to - from) as u32)
            .and_then(|m| v.checked_mul(m))
            .ok_or_else(overflow)
    } else {
        let d = 10i128.pow((from - to) as u32);
        let (q, r) = (v / d, v % d);
        Ok(if r.unsigned_abs() * 2 >= d.unsigned_abs() {
            q + v.signum()
        } else {
            q
        })
    }
}

/// `f` of one row, stored at `out_scale`.
fn evaluate(f: MathFn, args: &[Arg], out_scale: i32) -> Result<i128> {
    check(f, args)?;
    let rscale = result_scale(f, args);
    let unscaled = compute(f, args, rscale.min(out_scale), MAX_DIGITS - out_scale)?;
    let stored = rescale(unscaled, rscale.min(out_scale), out_scale)?;
    if stored.unsigned_abs() >= 10u128.pow(MAX_DIGITS as u32) {
        return Err(overflow());
    }
    Ok(stored)
}

fn decimal_scale(t: &DataType) -> Option<i8> {
    match t {
        DataType::Decimal128(_, s) => Some(*s),
        _ => None,
    }
}

/// The arguments of one row (`None` if one is NULL); `dscales` gives each
/// argument's display scale (its type's when absent).
fn row_args(
    cols: &[&Decimal128Array],
    dscales: &[Option<&Int32Array>],
    i: usize,
) -> Option<Vec<Arg>> {
    cols.iter()
        .enumerate()
        .map(|(k, c)| {
            if c.is_null(i) {
                return None;
            }
            let scale = i32::from(c.scale());
            let dscale = match dscales.get(k).copied().flatten() {
                Some(d) if !d.is_null(i) => d.value(i),
                _ => scale,
            };
            Some(Arg {
                unscaled: c.value(i),
                scale,
                dscale,
            })
        })
        .collect()
}

/// Computes `f` over `args` (decimal arrays) into a decimal column at
/// `out_scale`.
pub fn invoke(f: MathFn, args: &[ArrayRef], out_scale: i8) -> Result<ArrayRef> {
    let cols: Vec<&Decimal128Array> = args
        .iter()
        .map(|a| a.as_primitive::<Decimal128Type>())
        .collect();
    let rows = cols.first().map_or(0, |c| c.len());
    let mut out = Vec::with_capacity(rows);
    for i in 0..rows {
        out.push(match row_args(&cols, &[], i) {
            Some(a) => Some(evaluate(f, &a, i32::from(out_scale))?),
            None => None,
        });
    }
    Ok(Arc::new(
        Decimal128Array::from(out).with_precision_and_scale(MAX_DIGITS as u8, out_scale)?,
    ))
}

/// `tessera_numeric_math_scale(name, stored_scale, args…, dscales…)`: the
/// scale PostgreSQL shows `name(args…)` with, at most the stored scale.
pub fn scale_udf() -> ScalarUDF {
    ScalarUDF::new_from_impl(MathScale {
        signature: Signature::user_defined(Volatility::Immutable),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct MathScale {
    signature: Signature,
}

impl ScalarUDFImpl for MathScale {
    fn name(&self) -> &str {
        "tessera_numeric_math_scale"
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        Ok(arg_types.to_vec())
    }
    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Int32)
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let (
            Some(ColumnarValue::Scalar(ScalarValue::Utf8(Some(name)))),
            Some(ColumnarValue::Scalar(ScalarValue::Int32(Some(stored)))),
        ) = (args.args.first(), args.args.get(1))
        else {
            return exec_err!("tessera_numeric_math_scale: name and stored scale expected");
        };
        let n = (args.args.len() - 2) / 2;
        let Some(f) = MathFn::of(name, n) else {
            return plan_err!("tessera_numeric_math_scale: unknown function {name}");
        };
        let arrays: Vec<ArrayRef> = (args.args[2..].iter())
            .map(|a| a.to_array(rows))
            .collect::<Result<_>>()?;
        let (values, scales) = arrays.split_at(n);
        let cols: Vec<&Decimal128Array> = values
            .iter()
            .map(|a| a.as_primitive::<Decimal128Type>())
            .collect();
        let dscales: Vec<Option<&Int32Array>> = scales
            .iter()
            .map(|a| a.as_primitive_opt::<datafusion::arrow::datatypes::Int32Type>())
            .collect();
        let out: Int32Array = (0..rows)
            .map(|i| {
                let a = row_args(&cols, &dscales, i)?;
                check(f, &a).ok()?;
                Some(result_scale(f, &a).min(*stored))
            })
            .collect();
        Ok(ColumnarValue::Array(Arc::new(out)))
    }
}

/// The `numeric` version's argument types for `arg_types`, when PostgreSQL
/// would pick it: some argument is `numeric` and none a float (integers
/// become `numeric`); `log(b, x)` has only a `numeric` version, so it is
/// picked for integers too.
pub fn numeric_arguments(f: MathFn, arg_types: &[DataType]) -> Option<Vec<DataType>> {
    if f != MathFn::Log && !arg_types.iter().any(|t| decimal_scale(t).is_some()) {
        return None;
    }
    arg_types
        .iter()
        .map(|t| match t {
            DataType::Decimal128(..) => Some(t.clone()),
            DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 => {
                Some(DataType::Decimal128(20, 0))
            }
            DataType::UInt8 | DataType::UInt16 | DataType::UInt32 | DataType::UInt64 => {
                Some(DataType::Decimal128(20, 0))
            }
            DataType::Null => Some(DataType::Decimal128(1, 0)),
            _ => None,
        })
        .collect()
}

/// The result type of the `numeric` version over `arg_types` (already
/// [`numeric_arguments`]).
pub fn numeric_result(f: MathFn, arg_types: &[DataType]) -> DataType {
    let scales: Vec<i8> = arg_types.iter().filter_map(decimal_scale).collect();
    DataType::Decimal128(MAX_DIGITS as u8, stored_scale(f, &scales))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arg(v: &str) -> Arg {
        let scale = v.find('.').map_or(0, |p| v.len() - p - 1) as i32;
        Arg {
            unscaled: v.replace('.', "").parse().unwrap(),
            scale,
            dscale: scale,
        }
    }

    fn text(f: MathFn, args: &[&str]) -> String {
        let a: Vec<Arg> = args.iter().map(|v| arg(v)).collect();
        let r = result_scale(f, &a);
        let v = compute(f, &a, r, 38).unwrap();
        let s = v.unsigned_abs().to_string();
        let s = format!(
            "{}{s}",
            "0".repeat((r as usize + 1).saturating_sub(s.len()))
        );
        let (int, frac) = s.split_at(s.len() - r as usize);
        let sign = if v < 0 { "-" } else { "" };
        if r == 0 {
            format!("{sign}{int}")
        } else {
            format!("{sign}{int}.{frac}")
        }
    }

    /// The double-double path agrees with the decimal one wherever it
    /// answers (pseudo-random arguments of every size).
    #[test]
    fn fast_path_agrees_with_decimal() {
        let mut seed: u64 = 42;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            seed >> 11
        };
        let (mut answered, mut total) = (0, 0);
        for _ in 0..1000 {
            let scale = (next() % 8) as i32;
            let digits = 1 + next() % 12;
            let unscaled = (next() % 10u64.pow(digits as u32)) as i128 + 1;
            let x = Arg {
                unscaled,
                scale,
                dscale: scale,
            };
            let e = Arg {
                unscaled: (next() % 4000) as i128 - 2000,
                scale: 2,
                dscale: 2,
            };
            let b = Arg {
                unscaled: 2 + (next() % 900) as i128,
                scale: 1,
                dscale: 1,
            };
            for (f, a) in [
                (MathFn::Ln, vec![x]),
                (MathFn::Log10, vec![x]),
                (MathFn::Log, vec![b, x]),
                (
                    MathFn::Exp,
                    vec![Arg {
                        unscaled: x.unscaled % 4000,
                        ..x
                    }],
                ),
                (MathFn::Power, vec![x, e]),
            ] {
                if check(f, &a).is_err() {
                    continue;
                }
                let r = result_scale(f, &a);
                let Ok(slow) = exact(f, &a, r, 38) else {
                    continue;
                };
                total += 1;
                if let Some(quick) = fast(f, &a, r) {
                    answered += 1;
                    assert_eq!(quick, slow, "{f:?} {a:?} at scale {r}");
                }
            }
        }
        // The fast path answers nearly always.
        assert!(answered * 10 > total * 9, "{answered} of {total}");
    }

    /// PostgreSQL 15's answers.
    #[test]
    fn as_postgres() {
        assert_eq!(text(MathFn::Sqrt, &["2"]), "1.414213562373095");
        assert_eq!(text(MathFn::Exp, &["1.0"]), "2.7182818284590452");
        assert_eq!(text(MathFn::Ln, &["2.0"]), "0.6931471805599453");
        assert_eq!(text(MathFn::Log10, &["2.0"]), "0.3010299956639812");
        assert_eq!(text(MathFn::Power, &["2.0", "3"]), "8.0000000000000000");
        assert_eq!(text(MathFn::Power, &["1.05", "12"]), "1.7958563260221292");
        assert_eq!(text(MathFn::Power, &["1.05", "12.5"]), "1.8402051355485847");
    }
}

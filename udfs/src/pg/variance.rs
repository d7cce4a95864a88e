//! `variance`, `var_samp`, `var_pop`, `stddev`, `stddev_samp` and
//! `stddev_pop` as in PostgreSQL 15.
//!
//! - Over `real` and `double precision` the result is `double precision`,
//!   computed as PostgreSQL's `float8_accum` / `float8_combine` do
//!   (Youngs–Cramer: count, sum and sum of squared deviations), so the
//!   last digit agrees with PostgreSQL where DataFusion's Welford update
//!   differs.
//! - Over integers and `numeric` the result is `numeric`, computed exactly
//!   as `numeric_stddev_internal`: `(N·Σx² − (Σx)²) / (N·(N−1))` (or
//!   `/ N²` for the population), divided at PostgreSQL's division scale
//!   ([`super::numeric::divide`]) and shown like a quotient; the standard
//!   deviation is the square root of that. A non-positive numerator (one
//!   value, or all equal) is 0.
//! - Sample statistics of fewer than two values and population statistics
//!   of none are NULL.
//!
//! - A numeric standard deviation is the root of the variance rounded to
//!   its division scale, taken at that scale, and shown at it
//!   ([`super::numeric::Display::Root`]: the scale is found again from the
//!   stored value's square); a zero result is `0`, as PostgreSQL shows it.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::datatypes::{
    DataType, Decimal128Type, Decimal256Type, Field, FieldRef, Float64Type, Int64Type, UInt64Type,
    i256,
};
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, Signature, Volatility,
};

use super::numeric::{QUOTIENT_SCALE, QUOTIENT_TYPE, display_scale, divide, statistic_field};
use super::rounding::pg_type_name;

/// The six aggregates, under PostgreSQL's names.
pub fn udafs() -> Vec<AggregateUDF> {
    [
        ("variance", true, false),
        ("var_samp", true, false),
        ("var_pop", false, false),
        ("stddev", true, true),
        ("stddev_samp", true, true),
        ("stddev_pop", false, true),
    ]
    .into_iter()
    .map(|(name, sample, root)| {
        AggregateUDF::new_from_impl(Variance {
            name,
            sample,
            root,
            signature: Signature::user_defined(Volatility::Immutable),
        })
    })
    .collect()
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Variance {
    name: &'static str,
    /// Divide by N − 1 (else N).
    sample: bool,
    /// Standard deviation (else variance).
    root: bool,
    signature: Signature,
}

/// The scale of the exact path's input, `None` for floats.
fn exact_scale(t: &DataType) -> Option<i8> {
    match t {
        DataType::Decimal128(_, s) => Some(*s),
        DataType::Int64 => Some(0),
        _ => None,
    }
}

impl AggregateUDFImpl for Variance {
    fn name(&self) -> &str {
        self.name
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        match arg_types {
            [
                DataType::Int8
                | DataType::Int16
                | DataType::Int32
                | DataType::Int64
                | DataType::UInt8
                | DataType::UInt16
                | DataType::UInt32,
            ] => Ok(vec![DataType::Int64]),
            [t @ DataType::Decimal128(_, s)] if *s >= 0 && *s <= 38 => Ok(vec![t.clone()]),
            [DataType::Float16 | DataType::Float32 | DataType::Float64 | DataType::Null] => {
                Ok(vec![DataType::Float64])
            }
            [t] => plan_err!("function {}({}) does not exist", self.name, pg_type_name(t)),
            _ => plan_err!("function {} takes one argument", self.name),
        }
    }
    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        Ok(match exact_scale(&arg_types[0]) {
            Some(_) => QUOTIENT_TYPE,
            None => DataType::Float64,
        })
    }
    fn return_field(&self, arg_fields: &[FieldRef]) -> Result<FieldRef> {
        Ok(match exact_scale(arg_fields[0].data_type()) {
            Some(_) => statistic_field(self.name, self.root),
            None => Arc::new(Field::new(self.name, DataType::Float64, true)),
        })
    }
    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let t = args.exprs[0].data_type(args.schema)?;
        Ok(match exact_scale(&t) {
            Some(scale) => Box::new(NumericAcc {
                n: 0,
                sum: i256::ZERO,
                sum_sq: i256::ZERO,
                scale,
                sample: self.sample,
                root: self.root,
            }),
            None => Box::new(FloatAcc {
                state: Float8State::default(),
                sample: self.sample,
                root: self.root,
            }),
        })
    }
    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        let f = |n: &str, t: DataType| Arc::new(Field::new(format!("{}[{n}]", args.name), t, true));
        Ok(match exact_scale(args.input_fields[0].data_type()) {
            Some(s) => vec![
                f("n", DataType::UInt64),
                f("sum", DataType::Decimal256(76, s)),
                f("sum_sq", DataType::Decimal256(76, 2 * s)),
            ],
            None => vec![
                f("n", DataType::Float64),
                f("sx", DataType::Float64),
                f("sxx", DataType::Float64),
            ],
        })
    }
}

/// PostgreSQL's float8 transition state: N, Sx, Sxx.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct Float8State {
    n: f64,
    sx: f64,
    sxx: f64,
}

impl Float8State {
    /// `float8_accum`.
    fn add(&mut self, x: f64) {
        let old_n = self.n;
        self.n += 1.0;
        self.sx += x;
        if old_n > 0.0 {
            let tmp = x * self.n - self.sx;
            self.sxx += tmp * tmp / (self.n * old_n);
            if self.sx.is_infinite() || self.sxx.is_infinite() {
                self.sxx = f64::NAN;
            }
        } else if x.is_nan() || x.is_infinite() {
            self.sxx = f64::NAN;
        }
    }

    /// `float8_combine`.
    fn merge(&mut self, o: Float8State) {
        if self.n == 0.0 {
            *self = o;
        } else if o.n != 0.0 {
            let n = self.n + o.n;
            let tmp = self.sx / self.n - o.sx / o.n;
            self.sxx = self.sxx + o.sxx + self.n * o.n * tmp * tmp / n;
            self.sx += o.sx;
            self.n = n;
        }
    }

    /// `float8_var_samp` / `float8_var_pop` (and their square roots).
    fn finish(&self, sample: bool, root: bool) -> Option<f64> {
        let d = if sample { self.n - 1.0 } else { self.n };
        if d <= 0.0 && (sample || self.n == 0.0) {
            return None;
        }
        let v = if self.sxx <= 0.0 { 0.0 } else { self.sxx / d };
        Some(if root { v.sqrt() } else { v })
    }
}

#[derive(Debug)]
struct FloatAcc {
    state: Float8State,
    sample: bool,
    root: bool,
}

impl Accumulator for FloatAcc {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let a = values[0].as_primitive::<Float64Type>();
        for i in 0..a.len() {
            if a.is_valid(i) {
                self.state.add(a.value(i));
            }
        }
        Ok(())
    }
    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let [n, sx, sxx] = [0, 1, 2].map(|k| states[k].as_primitive::<Float64Type>());
        for i in 0..n.len() {
            if n.is_valid(i) {
                self.state.merge(Float8State {
                    n: n.value(i),
                    sx: sx.value(i),
                    sxx: sxx.value(i),
                });
            }
        }
        Ok(())
    }
    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let s = self.state;
        Ok(vec![
            ScalarValue::Float64(Some(s.n)),
            ScalarValue::Float64(Some(s.sx)),
            ScalarValue::Float64(Some(s.sxx)),
        ])
    }
    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::Float64(
            self.state.finish(self.sample, self.root),
        ))
    }
    fn size(&self) -> usize {
        std::mem::size_of_val(self)
    }
}

#[derive(Debug)]
struct NumericAcc {
    n: u64,
    sum: i256,
    sum_sq: i256,
    scale: i8,
    sample: bool,
    root: bool,
}

fn overflow() -> datafusion::error::DataFusionError {
    datafusion::error::DataFusionError::Execution("numeric field overflow".into())
}

/// `⌊√n⌋` (Newton's method from a floating-point guess above the root).
fn isqrt(n: i256) -> i256 {
    if n <= i256::ZERO {
        return i256::ZERO;
    }
    let guess = n.to_string().parse::<f64>().unwrap_or(f64::MAX).sqrt() * (1.0 + 1e-12) + 2.0;
    let mut x = i256::from_f64(guess).unwrap_or(n);
    let two = i256::from_i128(2);
    loop {
        let y = (x + n / x) / two;
        if y >= x {
            break;
        }
        x = y;
    }
    while x * x > n {
        x -= i256::ONE;
    }
    x
}

/// The statistic of `n` values with sum `sum` (scale `s`) and sum of
/// squares `sum_sq` (scale `2s`), stored at the quotient scale.
fn numeric_result(
    n: u64,
    sum: i256,
    sum_sq: i256,
    s: i8,
    sample: bool,
    root: bool,
) -> Result<Option<i128>> {
    if n == 0 || (sample && n == 1) {
        return Ok(None);
    }
    let big_n = i256::from_i128(i128::from(n));
    let num = big_n
        .checked_mul(sum_sq)
        .zip(sum.checked_mul(sum))
        .and_then(|(a, b)| a.checked_sub(b))
        .ok_or_else(overflow)?;
    if num <= i256::ZERO {
        return Ok(Some(0));
    }
    let den = big_n
        .checked_mul(if sample { big_n - i256::ONE } else { big_n })
        .ok_or_else(overflow)?;
    let variance = divide(num, 2 * s, den, 0)?;
    if !root {
        return Ok(Some(variance));
    }
    // PostgreSQL rounds the variance to its division scale `r` and takes
    // the root at that scale: √(v·10⁻²⁰) = √(v·10^(2r−20))·10⁻ʳ, rounded
    // half up at the last digit, stored at scale 20.
    let r = u32::from(display_scale(variance) as u8);
    let drop = 10i128.pow(u32::from(QUOTIENT_SCALE as u8) - r);
    let rounded_variance = i256::from_i128(round_half_up(variance, drop) / drop);
    let scaled = rounded_variance
        .checked_mul(i256::from_i128(10).wrapping_pow(r + 2))
        .ok_or_else(overflow)?;
    let ten = i256::from_i128(10);
    let root = (isqrt(scaled) + i256::from_i128(5)) / ten;
    root.checked_mul(i256::from_i128(drop))
        .and_then(|v| v.to_i128())
        .ok_or_else(overflow)
        .map(Some)
}

/// `v` rounded half up to a multiple of `unit` (`v` ≥ 0).
fn round_half_up(v: i128, unit: i128) -> i128 {
    (v + unit / 2) / unit * unit
}

impl Accumulator for NumericAcc {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let mut add = |v: i128| -> Result<()> {
            let v = i256::from_i128(v);
            self.n += 1;
            self.sum = self.sum.checked_add(v).ok_or_else(overflow)?;
            self.sum_sq = v
                .checked_mul(v)
                .and_then(|sq| self.sum_sq.checked_add(sq))
                .ok_or_else(overflow)?;
            Ok(())
        };
        match values[0].data_type() {
            DataType::Decimal128(..) => {
                let a = values[0].as_primitive::<Decimal128Type>();
                for i in 0..a.len() {
                    if a.is_valid(i) {
                        add(a.value(i))?;
                    }
                }
            }
            DataType::Int64 => {
                let a = values[0].as_primitive::<Int64Type>();
                for i in 0..a.len() {
                    if a.is_valid(i) {
                        add(i128::from(a.value(i)))?;
                    }
                }
            }
            t => return exec_err!("variance does not take {t}"),
        }
        Ok(())
    }
    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let n = states[0].as_primitive::<UInt64Type>();
        let sum = states[1].as_primitive::<Decimal256Type>();
        let sum_sq = states[2].as_primitive::<Decimal256Type>();
        for i in 0..n.len() {
            if n.is_valid(i) {
                self.n += n.value(i);
                self.sum = self.sum.checked_add(sum.value(i)).ok_or_else(overflow)?;
                self.sum_sq = self
                    .sum_sq
                    .checked_add(sum_sq.value(i))
                    .ok_or_else(overflow)?;
            }
        }
        Ok(())
    }
    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![
            ScalarValue::UInt64(Some(self.n)),
            ScalarValue::Decimal256(Some(self.sum), 76, self.scale),
            ScalarValue::Decimal256(Some(self.sum_sq), 76, 2 * self.scale),
        ])
    }
    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::Decimal128(
            numeric_result(
                self.n,
                self.sum,
                self.sum_sq,
                self.scale,
                self.sample,
                self.root,
            )?,
            38,
            QUOTIENT_SCALE,
        ))
    }
    fn size(&self) -> usize {
        std::mem::size_of_val(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn float(values: &[f64], sample: bool, root: bool) -> Option<f64> {
        let mut s = Float8State::default();
        values.iter().for_each(|v| s.add(*v));
        s.finish(sample, root)
    }

    fn numeric(values: &[i128], scale: i8, sample: bool, root: bool) -> Option<i128> {
        let sum = values
            .iter()
            .map(|v| i256::from_i128(*v))
            .fold(i256::ZERO, |a, b| a + b);
        let sq = values
            .iter()
            .map(|v| i256::from_i128(*v * *v))
            .fold(i256::ZERO, |a, b| a + b);
        numeric_result(values.len() as u64, sum, sq, scale, sample, root).unwrap()
    }

    #[test]
    fn float8_like_postgres_15() {
        // PostgreSQL 15: variance / var_pop / stddev / stddev_pop of
        // (1.5, 2.25, 4.125)::float8.
        let v = [1.5, 2.25, 4.125];
        assert_eq!(float(&v, true, false), Some(1.828125));
        assert_eq!(float(&v, false, false), Some(1.21875));
        assert_eq!(float(&v, true, true), Some(1.352081728298996));
        assert_eq!(float(&v, false, true), Some(1.103970108290981));
        assert_eq!(float(&[1.0], true, false), None);
        assert_eq!(float(&[1.0], false, false), Some(0.0));
        assert_eq!(float(&[], false, false), None);
    }

    #[test]
    fn numeric_like_postgres_15() {
        let e20 = 10i128.pow(20);
        // variance(x) FROM (VALUES (1),(2),(4)) = 2.3333333333333333
        assert_eq!(
            numeric(&[1, 2, 4], 0, true, false),
            Some(233_333_333_333_333_330_000)
        );
        // var_pop = 1.5555555555555556
        assert_eq!(
            numeric(&[1, 2, 4], 0, false, false),
            Some(155_555_555_555_555_560_000)
        );
        // stddev = 1.5275252316519467 (at 16 digits)
        let sd = numeric(&[1, 2, 4], 0, true, true).unwrap();
        assert_eq!((sd + 5_000) / 10_000, 15_275_252_316_519_467);
        assert_eq!(numeric(&[5], 0, true, false), None);
        assert_eq!(numeric(&[5], 0, false, true), Some(0));
        assert_eq!(numeric(&[250, 250], 1, true, false), Some(0));
        // variance(x) of (1.5), (2.5) = 0.50000000000000000000
        assert_eq!(numeric(&[15, 25], 1, true, false), Some(e20 / 2));
        assert_eq!(isqrt(i256::from_i128(99)), i256::from_i128(9));
        assert_eq!(isqrt(i256::from_i128(100)), i256::from_i128(10));
    }
}

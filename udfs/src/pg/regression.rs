//! The two-variable statistics `corr`, `covar_pop`, `covar_samp` and
//! `regr_count`, `regr_sxx`, `regr_syy`, `regr_sxy`, `regr_avgx`,
//! `regr_avgy`, `regr_slope`, `regr_intercept`, `regr_r2`, as PostgreSQL
//! 15 computes them (`float8_regr_accum`, `float8_regr_combine` and the
//! final functions in `float.c`).
//!
//! All take `(y, x)` in double precision and skip rows where either is
//! NULL. The state is PostgreSQL's: N, Σx, Σy and the sums of squared and
//! crossed deviations Sxx, Syy, Sxy updated by Youngs–Cramer, so the last
//! digit agrees with PostgreSQL where DataFusion's running means and
//! co-moments differed (`corr` printed 0.8978017920859824 where
//! PostgreSQL prints 0.8978017920859825). Partial states merge with
//! PostgreSQL's combine formulas (its parallel aggregation).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Float64Type};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, Signature, TypeSignature, Volatility,
};

/// The result a function derives from the state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Stat {
    Count,
    Sxx,
    Syy,
    Sxy,
    AvgX,
    AvgY,
    Slope,
    Intercept,
    R2,
    CovarPop,
    CovarSamp,
    Corr,
}

/// The twelve aggregates, under PostgreSQL's names.
pub fn udafs() -> Vec<AggregateUDF> {
    use Stat::*;
    [
        ("regr_count", Count),
        ("regr_sxx", Sxx),
        ("regr_syy", Syy),
        ("regr_sxy", Sxy),
        ("regr_avgx", AvgX),
        ("regr_avgy", AvgY),
        ("regr_slope", Slope),
        ("regr_intercept", Intercept),
        ("regr_r2", R2),
        ("covar_pop", CovarPop),
        ("covar_samp", CovarSamp),
        ("corr", Corr),
    ]
    .into_iter()
    .map(|(name, stat)| {
        AggregateUDF::new_from_impl(Regression {
            name,
            stat,
            signature: Signature::one_of(
                vec![TypeSignature::Uniform(2, vec![DataType::Float64])],
                Volatility::Immutable,
            ),
        })
    })
    .collect()
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Regression {
    name: &'static str,
    stat: Stat,
    signature: Signature,
}

impl AggregateUDFImpl for Regression {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(if self.stat == Stat::Count {
            DataType::Int64
        } else {
            DataType::Float64
        })
    }

    fn accumulator(&self, _args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(RegrAcc {
            stat: self.stat,
            s: State::default(),
        }))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(["n", "sx", "sxx", "sy", "syy", "sxy"]
            .into_iter()
            .map(|part| {
                Arc::new(Field::new(
                    format!("{}_{part}", args.name),
                    DataType::Float64,
                    true,
                ))
            })
            .collect())
    }

    fn default_value(&self, _data_type: &DataType) -> Result<ScalarValue> {
        Ok(if self.stat == Stat::Count {
            ScalarValue::Int64(Some(0))
        } else {
            ScalarValue::Float64(None)
        })
    }
}

/// PostgreSQL's transition state (`float8[6]`).
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct State {
    n: f64,
    sx: f64,
    sxx: f64,
    sy: f64,
    syy: f64,
    sxy: f64,
}

impl State {
    /// `float8_regr_accum` (its overflow errors aside: infinities and NaN
    /// propagate).
    fn add(&mut self, y: f64, x: f64) {
        let old_n = self.n;
        self.n += 1.0;
        self.sx += x;
        self.sy += y;
        if old_n > 0.0 {
            let tmp_x = x * self.n - self.sx;
            let tmp_y = y * self.n - self.sy;
            let scale = 1.0 / (self.n * old_n);
            self.sxx += tmp_x * tmp_x * scale;
            self.syy += tmp_y * tmp_y * scale;
            self.sxy += tmp_x * tmp_y * scale;
            // An infinite input makes the deviations meaningless.
            if x.is_infinite() || self.sx.is_infinite() {
                self.sxx = f64::NAN;
                self.sxy = f64::NAN;
            }
            if y.is_infinite() || self.sy.is_infinite() {
                self.syy = f64::NAN;
                self.sxy = f64::NAN;
            }
        } else {
            if !x.is_finite() {
                self.sxx = f64::NAN;
                self.sxy = f64::NAN;
            }
            if !y.is_finite() {
                self.syy = f64::NAN;
                self.sxy = f64::NAN;
            }
        }
    }

    /// `float8_regr_combine`.
    fn merge(&mut self, o: State) {
        if o.n == 0.0 {
            return;
        }
        if self.n == 0.0 {
            *self = o;
            return;
        }
        let n = self.n + o.n;
        let tmp_x = self.sx / self.n - o.sx / o.n;
        let tmp_y = self.sy / self.n - o.sy / o.n;
        let w = self.n * o.n;
        self.sxx = self.sxx + o.sxx + w * tmp_x * tmp_x / n;
        self.syy = self.syy + o.syy + w * tmp_y * tmp_y / n;
        self.sxy = self.sxy + o.sxy + w * tmp_x * tmp_y / n;
        self.sx += o.sx;
        self.sy += o.sy;
        self.n = n;
    }

    /// The final function of `stat`.
    fn finish(&self, stat: Stat) -> ScalarValue {
        let s = self;
        let value = match stat {
            Stat::Count => return ScalarValue::Int64(Some(s.n as i64)),
            _ if s.n < 1.0 => None,
            Stat::Sxx => Some(s.sxx),
            Stat::Syy => Some(s.syy),
            Stat::Sxy => Some(s.sxy),
            Stat::AvgX => Some(s.sx / s.n),
            Stat::AvgY => Some(s.sy / s.n),
            Stat::CovarPop => Some(s.sxy / s.n),
            Stat::CovarSamp => (s.n >= 2.0).then(|| s.sxy / (s.n - 1.0)),
            // Vertical lines have no slope (and no intercept).
            Stat::Slope => (s.sxx != 0.0).then(|| s.sxy / s.sxx),
            Stat::Intercept => (s.sxx != 0.0).then(|| (s.sy - s.sx * s.sxy / s.sxx) / s.n),
            Stat::R2 if s.sxx == 0.0 => None,
            Stat::R2 if s.syy == 0.0 => Some(1.0),
            Stat::R2 => Some((s.sxy * s.sxy) / (s.sxx * s.syy)),
            // Per the standard, NULL for horizontal and vertical lines.
            Stat::Corr => (s.sxx != 0.0 && s.syy != 0.0).then(|| s.sxy / (s.sxx * s.syy).sqrt()),
        };
        ScalarValue::Float64(value)
    }
}

#[derive(Debug)]
struct RegrAcc {
    stat: Stat,
    s: State,
}

impl Accumulator for RegrAcc {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let (y, x) = (
            values[0].as_primitive::<Float64Type>(),
            values[1].as_primitive::<Float64Type>(),
        );
        for i in 0..y.len() {
            if y.is_valid(i) && x.is_valid(i) {
                self.s.add(y.value(i), x.value(i));
            }
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let parts: Vec<_> = states
            .iter()
            .map(|a| a.as_primitive::<Float64Type>())
            .collect();
        for i in 0..parts[0].len() {
            if parts[0].is_valid(i) {
                let v = |k: usize| parts[k].value(i);
                self.s.merge(State {
                    n: v(0),
                    sx: v(1),
                    sxx: v(2),
                    sy: v(3),
                    syy: v(4),
                    sxy: v(5),
                });
            }
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let s = self.s;
        Ok([s.n, s.sx, s.sxx, s.sy, s.syy, s.sxy]
            .into_iter()
            .map(|v| ScalarValue::Float64(Some(v)))
            .collect())
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(self.s.finish(self.stat))
    }

    fn size(&self) -> usize {
        size_of_val(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(pairs: &[(f64, f64)]) -> State {
        let mut s = State::default();
        for &(y, x) in pairs {
            s.add(y, x);
        }
        s
    }

    #[test]
    fn like_postgres_15() {
        // PostgreSQL 15 over (amount, qty) of the differential corpus's
        // orders: corr 0.8978017920859825, covar_pop 759.4584722222222,
        // regr_slope 118.48539544962082, regr_r2 0.806048057872802.
        let pairs = [
            (12.5, 2.),
            (99.99, 1.),
            (45., 3.),
            (7.35, 1.),
            (250., 5.),
            (0.99, 1.),
            (1234.56, 10.),
            (19.9, 2.),
            (75.25, 3.),
            (300., 1.),
            (15., 1.),
            (5., 1.),
        ];
        let s = state(&pairs);
        assert_eq!(
            s.finish(Stat::Corr),
            ScalarValue::Float64(Some(0.8978017920859825))
        );
        assert_eq!(
            s.finish(Stat::CovarPop),
            ScalarValue::Float64(Some(759.4584722222222))
        );
        assert_eq!(
            s.finish(Stat::CovarSamp),
            ScalarValue::Float64(Some(828.5001515151515))
        );
        assert_eq!(
            s.finish(Stat::Slope),
            ScalarValue::Float64(Some(118.48539544962082))
        );
        assert_eq!(
            s.finish(Stat::Intercept),
            ScalarValue::Float64(Some(-133.9589382448538))
        );
        assert_eq!(
            s.finish(Stat::R2),
            ScalarValue::Float64(Some(0.806048057872802))
        );
        assert_eq!(s.finish(Stat::Count), ScalarValue::Int64(Some(12)));
        // A split state merges to close to the whole (PostgreSQL's parallel
        // combine); the counts and sums are exact.
        let (a, b) = pairs.split_at(5);
        let mut m = state(a);
        m.merge(state(b));
        assert_eq!((m.n, m.sx), (s.n, s.sx));
        assert!((m.sxy - s.sxy).abs() < 1e-9 * s.sxy.abs());
    }

    #[test]
    fn degenerate_inputs() {
        // One row: no sample covariance; a vertical line: no slope or corr.
        let one = state(&[(1., 2.)]);
        assert_eq!(one.finish(Stat::CovarSamp), ScalarValue::Float64(None));
        assert_eq!(one.finish(Stat::CovarPop), ScalarValue::Float64(Some(0.0)));
        let vertical = state(&[(1., 2.), (3., 2.)]);
        assert_eq!(vertical.finish(Stat::Slope), ScalarValue::Float64(None));
        assert_eq!(vertical.finish(Stat::Corr), ScalarValue::Float64(None));
        let horizontal = state(&[(1., 2.), (1., 3.)]);
        assert_eq!(horizontal.finish(Stat::R2), ScalarValue::Float64(Some(1.0)));
        assert_eq!(
            State::default().finish(Stat::AvgX),
            ScalarValue::Float64(None)
        );
        assert_eq!(
            State::default().finish(Stat::Count),
            ScalarValue::Int64(Some(0))
        );
        // regr_avgx is Σx / N over the rows where both are non-NULL
        // (PostgreSQL: 31 / 12 = 2.5833333333333335).
        let xs = [1., 2., 3., 4., 5., 1., 2., 3., 4., 2., 2., 2.];
        let s = state(&xs.map(|x| (1.0, x)));
        assert_eq!(
            s.finish(Stat::AvgX),
            ScalarValue::Float64(Some(2.5833333333333335))
        );
    }
}

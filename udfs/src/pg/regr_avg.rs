//! `regr_avgx(y, x)` and `regr_avgy(y, x)` as PostgreSQL 15 computes them:
//! the sum of the independent (dependent) variable over the rows where
//! both are non-NULL, divided by their count, in double precision.
//! DataFusion's versions keep a running mean, whose rounding shows in the
//! last digit (`2.583333333333333` where PostgreSQL prints
//! `2.5833333333333335`, 31/12).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Float64Type, UInt64Type};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, Signature, TypeSignature, Volatility,
};

/// `regr_avgx` (`of_x`) or `regr_avgy`.
pub fn udaf(of_x: bool) -> AggregateUDF {
    AggregateUDF::new_from_impl(RegrAvg {
        name: if of_x { "regr_avgx" } else { "regr_avgy" },
        of_x,
        signature: Signature::one_of(
            vec![TypeSignature::Uniform(2, vec![DataType::Float64])],
            Volatility::Immutable,
        ),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct RegrAvg {
    name: &'static str,
    of_x: bool,
    signature: Signature,
}

impl AggregateUDFImpl for RegrAvg {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Float64)
    }

    fn accumulator(&self, _args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(SumCount {
            of_x: self.of_x,
            sum: 0.0,
            count: 0,
        }))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![
            Arc::new(Field::new(
                format!("{}_sum", args.name),
                DataType::Float64,
                true,
            )),
            Arc::new(Field::new(
                format!("{}_count", args.name),
                DataType::UInt64,
                true,
            )),
        ])
    }
}

#[derive(Debug)]
struct SumCount {
    of_x: bool,
    sum: f64,
    count: u64,
}

impl Accumulator for SumCount {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let (y, x) = (
            values[0].as_primitive::<Float64Type>(),
            values[1].as_primitive::<Float64Type>(),
        );
        let v = if self.of_x { x } else { y };
        for i in 0..v.len() {
            if y.is_valid(i) && x.is_valid(i) {
                self.sum += v.value(i);
                self.count += 1;
            }
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let sums = states[0].as_primitive::<Float64Type>();
        let counts = states[1].as_primitive::<UInt64Type>();
        for i in 0..sums.len() {
            if sums.is_valid(i) && counts.is_valid(i) {
                self.sum += sums.value(i);
                self.count += counts.value(i);
            }
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![
            ScalarValue::Float64(Some(self.sum)),
            ScalarValue::UInt64(Some(self.count)),
        ])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::Float64(
            (self.count > 0).then(|| self.sum / self.count as f64),
        ))
    }

    fn size(&self) -> usize {
        size_of_val(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::Float64Array;

    #[test]
    fn sums_then_divides_as_postgres_15() {
        // PostgreSQL 15: regr_avgx over x = 1..5 ×… summing to 31 in 12
        // rows is 2.5833333333333335; rows with a NULL on either side
        // do not count.
        let mut acc = SumCount {
            of_x: true,
            sum: 0.0,
            count: 0,
        };
        let xs: Vec<Option<f64>> = [1., 2., 3., 4., 5., 1., 2., 3., 4., 2., 2., 2.]
            .into_iter()
            .map(Some)
            .chain([Some(100.0), None])
            .collect();
        let ys: Vec<Option<f64>> = (0..12)
            .map(|_| Some(1.0))
            .chain([None, Some(1.0)])
            .collect();
        let (y, x): (ArrayRef, ArrayRef) = (
            Arc::new(Float64Array::from(ys)),
            Arc::new(Float64Array::from(xs)),
        );
        acc.update_batch(&[y, x]).unwrap();
        assert_eq!(
            acc.evaluate().unwrap(),
            ScalarValue::Float64(Some(2.5833333333333335))
        );
    }
}

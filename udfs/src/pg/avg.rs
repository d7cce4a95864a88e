//! `avg` as PostgreSQL 15 types it: over integers and numerics the result
//! is `numeric`, the sum divided by the count with PostgreSQL's division
//! scale ([`super::numeric`]); over intervals it is PostgreSQL's
//! `interval_avg` ([`super::interval_avg`]); over floats and anything else
//! it is DataFusion's `avg` (double precision for floats, as in
//! PostgreSQL).
//!
//! The numeric path keeps an exact `i128` sum and a count per group, with a
//! groups accumulator for `GROUP BY` and retraction for sliding windows.

use std::collections::HashSet;
use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, Decimal128Array, UInt64Array,
};
use datafusion::arrow::datatypes::{
    DataType, Decimal128Type, Field, FieldRef, Int64Type, UInt64Type, i256,
};
use datafusion::common::{Result, ScalarValue};
use datafusion::functions_aggregate::average::avg_udaf;
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, EmitTo, GroupsAccumulator, Signature, Volatility,
};

use super::interval_avg;
use super::numeric::{QUOTIENT_SCALE, QUOTIENT_TYPE, divide, quotient_field};

/// The `avg` aggregate (registered over DataFusion's).
pub fn udaf() -> AggregateUDF {
    AggregateUDF::new_from_impl(Avg {
        signature: Signature::user_defined(Volatility::Immutable),
        inner: avg_udaf(),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Avg {
    signature: Signature,
    inner: Arc<AggregateUDF>,
}

fn is_interval(t: &DataType) -> bool {
    matches!(t, DataType::Interval(_) | DataType::Duration(_))
}

/// The scale of the exact path's input, `None` for DataFusion's path.
fn exact_scale(t: &DataType) -> Option<i8> {
    match t {
        DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 => Some(0),
        DataType::UInt8 | DataType::UInt16 | DataType::UInt32 => Some(0),
        DataType::Decimal128(_, s) if *s >= 0 => Some(*s),
        _ => None,
    }
}

impl AggregateUDFImpl for Avg {
    fn name(&self) -> &str {
        "avg"
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        match arg_types {
            [t] if exact_scale(t) == Some(0) && !matches!(t, DataType::Decimal128(..)) => {
                Ok(vec![DataType::Int64])
            }
            [t @ DataType::Decimal128(..)] => Ok(vec![t.clone()]),
            [DataType::Float16 | DataType::Float32 | DataType::Float64] => {
                Ok(vec![DataType::Float64])
            }
            [DataType::Interval(_)] => Ok(vec![interval_avg::INTERVAL]),
            // Durations (`end_at - start_at`): intervals in PostgreSQL.
            [t @ DataType::Duration(_)] => Ok(vec![t.clone()]),
            _ => Ok(arg_types.to_vec()),
        }
    }
    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        if is_interval(&arg_types[0]) {
            return Ok(interval_avg::INTERVAL);
        }
        match exact_scale(&arg_types[0]) {
            Some(_) => Ok(QUOTIENT_TYPE),
            None => self.inner.return_type(arg_types),
        }
    }
    fn return_field(&self, arg_fields: &[FieldRef]) -> Result<FieldRef> {
        if is_interval(arg_fields[0].data_type()) {
            return Ok(Arc::new(Field::new(
                self.name(),
                interval_avg::INTERVAL,
                true,
            )));
        }
        match exact_scale(arg_fields[0].data_type()) {
            Some(_) => Ok(quotient_field(self.name())),
            None => self.inner.return_field(arg_fields),
        }
    }
    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        if is_interval(&args.exprs[0].data_type(args.schema)?) && !args.is_distinct {
            return Ok(Box::<interval_avg::IntervalAvg>::default());
        }
        match exact_scale(&args.exprs[0].data_type(args.schema)?) {
            Some(scale) if args.is_distinct => Ok(Box::new(DistinctAvg {
                values: HashSet::new(),
                scale,
            })),
            Some(scale) => Ok(Box::new(ExactAvg {
                sum: 0,
                count: 0,
                scale,
            })),
            None => self.inner.accumulator(args),
        }
    }
    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        if is_interval(args.input_fields[0].data_type()) && !args.is_distinct {
            return Ok(interval_avg::state_fields(args.name));
        }
        match exact_scale(args.input_fields[0].data_type()) {
            Some(scale) if args.is_distinct => Ok(vec![Arc::new(Field::new_list(
                format!("{}[distinct]", args.name),
                Field::new_list_field(DataType::Decimal128(38, scale), true),
                true,
            ))]),
            Some(scale) => Ok(vec![
                Arc::new(Field::new(
                    format!("{}[sum]", args.name),
                    DataType::Decimal128(38, scale),
                    true,
                )),
                Arc::new(Field::new(
                    format!("{}[count]", args.name),
                    DataType::UInt64,
                    true,
                )),
            ]),
            None => self.inner.state_fields(args),
        }
    }
    fn groups_accumulator_supported(&self, args: AccumulatorArgs) -> bool {
        match args.exprs[0].data_type(args.schema) {
            Ok(t) if is_interval(&t) => false,
            Ok(t) if exact_scale(&t).is_some() => !args.is_distinct,
            _ => self.inner.groups_accumulator_supported(args),
        }
    }
    fn create_groups_accumulator(
        &self,
        args: AccumulatorArgs,
    ) -> Result<Box<dyn GroupsAccumulator>> {
        match exact_scale(&args.exprs[0].data_type(args.schema)?) {
            Some(scale) => Ok(Box::new(ExactGroups {
                sums: vec![],
                counts: vec![],
                scale,
            })),
            None => self.inner.create_groups_accumulator(args),
        }
    }
}

/// Adds (or with `sign` -1 removes) the non-null values of an Int64 or
/// Decimal128 array.
fn fold(values: &ArrayRef, mut each: impl FnMut(usize, i128)) {
    match values.data_type() {
        DataType::Decimal128(..) => {
            let a = values.as_primitive::<Decimal128Type>();
            for i in 0..a.len() {
                if a.is_valid(i) {
                    each(i, a.value(i));
                }
            }
        }
        _ => {
            let a = values.as_primitive::<Int64Type>();
            for i in 0..a.len() {
                if a.is_valid(i) {
                    each(i, i128::from(a.value(i)));
                }
            }
        }
    }
}

fn quotient(sum: i128, count: u64, scale: i8) -> Result<Option<i128>> {
    if count == 0 {
        return Ok(None);
    }
    divide(
        i256::from_i128(sum),
        scale,
        i256::from_i128(i128::from(count)),
        0,
    )
    .map(Some)
}

fn overflow() -> datafusion::error::DataFusionError {
    datafusion::error::DataFusionError::Execution("numeric field overflow in avg".into())
}

#[derive(Debug)]
struct ExactAvg {
    sum: i128,
    count: u64,
    scale: i8,
}

impl Accumulator for ExactAvg {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let mut ok = true;
        fold(&values[0], |_, v| {
            match self.sum.checked_add(v) {
                Some(s) => self.sum = s,
                None => ok = false,
            }
            self.count += 1;
        });
        ok.then_some(()).ok_or_else(overflow)
    }
    fn retract_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        fold(&values[0], |_, v| {
            self.sum -= v;
            self.count -= 1;
        });
        Ok(())
    }
    fn supports_retract_batch(&self) -> bool {
        true
    }
    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let sums = states[0].as_primitive::<Decimal128Type>();
        let counts = states[1].as_primitive::<UInt64Type>();
        for i in 0..sums.len() {
            if sums.is_valid(i) {
                self.sum = self.sum.checked_add(sums.value(i)).ok_or_else(overflow)?;
                self.count += counts.value(i);
            }
        }
        Ok(())
    }
    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![
            ScalarValue::Decimal128(Some(self.sum), 38, self.scale),
            ScalarValue::UInt64(Some(self.count)),
        ])
    }
    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::Decimal128(
            quotient(self.sum, self.count, self.scale)?,
            38,
            QUOTIENT_SCALE,
        ))
    }
    fn size(&self) -> usize {
        std::mem::size_of_val(self)
    }
}

/// `avg(DISTINCT …)`: the distinct values, summed at the end.
#[derive(Debug)]
struct DistinctAvg {
    values: HashSet<i128>,
    scale: i8,
}

impl Accumulator for DistinctAvg {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        fold(&values[0], |_, v| {
            self.values.insert(v);
        });
        Ok(())
    }
    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let lists = states[0].as_list::<i32>();
        for i in 0..lists.len() {
            if lists.is_valid(i) {
                fold(&lists.value(i), |_, v| {
                    self.values.insert(v);
                });
            }
        }
        Ok(())
    }
    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let values: Vec<ScalarValue> = self
            .values
            .iter()
            .map(|v| ScalarValue::Decimal128(Some(*v), 38, self.scale))
            .collect();
        Ok(vec![ScalarValue::List(ScalarValue::new_list_nullable(
            &values,
            &DataType::Decimal128(38, self.scale),
        ))])
    }
    fn evaluate(&mut self) -> Result<ScalarValue> {
        let mut sum: i128 = 0;
        for v in &self.values {
            sum = sum.checked_add(*v).ok_or_else(overflow)?;
        }
        Ok(ScalarValue::Decimal128(
            quotient(sum, self.values.len() as u64, self.scale)?,
            38,
            QUOTIENT_SCALE,
        ))
    }
    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.values.capacity() * 17
    }
}

#[derive(Debug)]
struct ExactGroups {
    sums: Vec<i128>,
    counts: Vec<u64>,
    scale: i8,
}

impl ExactGroups {
    fn resize(&mut self, groups: usize) {
        self.sums.resize(groups, 0);
        self.counts.resize(groups, 0);
    }
}

fn selected(filter: Option<&BooleanArray>, i: usize) -> bool {
    filter.is_none_or(|f| f.is_valid(i) && f.value(i))
}

impl GroupsAccumulator for ExactGroups {
    fn update_batch(
        &mut self,
        values: &[ArrayRef],
        group_indices: &[usize],
        opt_filter: Option<&BooleanArray>,
        total_num_groups: usize,
    ) -> Result<()> {
        self.resize(total_num_groups);
        let mut ok = true;
        fold(&values[0], |i, v| {
            if selected(opt_filter, i) {
                let g = group_indices[i];
                match self.sums[g].checked_add(v) {
                    Some(s) => self.sums[g] = s,
                    None => ok = false,
                }
                self.counts[g] += 1;
            }
        });
        ok.then_some(()).ok_or_else(overflow)
    }
    fn merge_batch(
        &mut self,
        values: &[ArrayRef],
        group_indices: &[usize],
        total_num_groups: usize,
    ) -> Result<()> {
        self.resize(total_num_groups);
        let sums = values[0].as_primitive::<Decimal128Type>();
        let counts = values[1].as_primitive::<UInt64Type>();
        for (i, &g) in group_indices.iter().enumerate() {
            if sums.is_valid(i) {
                self.sums[g] = self.sums[g]
                    .checked_add(sums.value(i))
                    .ok_or_else(overflow)?;
                self.counts[g] += counts.value(i);
            }
        }
        Ok(())
    }
    fn evaluate(&mut self, emit_to: EmitTo) -> Result<ArrayRef> {
        let sums = emit_to.take_needed(&mut self.sums);
        let counts = emit_to.take_needed(&mut self.counts);
        let values = sums
            .into_iter()
            .zip(counts)
            .map(|(s, c)| quotient(s, c, self.scale))
            .collect::<Result<Vec<_>>>()?;
        Ok(Arc::new(
            Decimal128Array::from(values).with_precision_and_scale(38, QUOTIENT_SCALE)?,
        ))
    }
    fn state(&mut self, emit_to: EmitTo) -> Result<Vec<ArrayRef>> {
        let sums = emit_to.take_needed(&mut self.sums);
        let counts = emit_to.take_needed(&mut self.counts);
        Ok(vec![
            Arc::new(Decimal128Array::from(sums).with_precision_and_scale(38, self.scale)?),
            Arc::new(UInt64Array::from(counts)),
        ])
    }
    fn convert_to_state(
        &self,
        values: &[ArrayRef],
        opt_filter: Option<&BooleanArray>,
    ) -> Result<Vec<ArrayRef>> {
        let n = values[0].len();
        let mut sums = vec![None; n];
        let mut counts = vec![0u64; n];
        fold(&values[0], |i, v| {
            if selected(opt_filter, i) {
                sums[i] = Some(v);
                counts[i] = 1;
            }
        });
        Ok(vec![
            Arc::new(Decimal128Array::from(sums).with_precision_and_scale(38, self.scale)?),
            Arc::new(UInt64Array::from(counts)),
        ])
    }
    fn size(&self) -> usize {
        self.sums.capacity() * 16 + self.counts.capacity() * 8
    }
}

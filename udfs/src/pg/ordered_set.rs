//! The ordered-set aggregates `percentile_disc(fraction) WITHIN GROUP
//! (ORDER BY x)` and `mode() WITHIN GROUP (ORDER BY x)` as in PostgreSQL 15.
//!
//! - `percentile_disc(f)` is the first value, in the group's sort order,
//!   whose position `i` (1-based, among the non-NULL values) reaches
//!   `f · N`: the value at `max(⌈f·N⌉, 1)`. With an array of fractions
//!   the result is the array of those values (a NULL fraction gives a NULL
//!   element). A fraction outside `[0, 1]` is an error, a NULL fraction a
//!   NULL result.
//! - `mode()` is the most frequent non-NULL value; among equally frequent
//!   values the first in sort order wins (`ORDER BY x DESC` picks the
//!   largest).
//! - The result has the ordered column's type (`numeric(12,2)` stays
//!   `numeric(12,2)`); a group without non-NULL values gives NULL.
//!
//! DataFusion's SQL planner puts the `WITHIN GROUP` expression first in the
//! arguments (the fraction second) and passes the ordering to the
//! accumulator. The aggregates declare themselves order-insensitive so that
//! DataFusion does not sort their input (which would conflict between two
//! aggregates ordered differently); each accumulator keeps its values and
//! sorts them once, with Arrow's sort kernel, when it evaluates.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListArray, new_empty_array};
use datafusion::arrow::buffer::OffsetBuffer;
use datafusion::arrow::compute::kernels::partition::partition;
use datafusion::arrow::compute::{SortOptions, concat, sort_to_indices, take};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Float64Type, Schema};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::AggregateOrderSensitivity;
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, ColumnarValue, Signature, Volatility,
};

/// `percentile_disc(fraction) WITHIN GROUP (ORDER BY x)`.
pub fn percentile_disc() -> AggregateUDF {
    AggregateUDF::new_from_impl(OrderedSet {
        mode: false,
        signature: Signature::user_defined(Volatility::Immutable),
    })
}

/// `mode() WITHIN GROUP (ORDER BY x)`.
pub fn mode() -> AggregateUDF {
    AggregateUDF::new_from_impl(OrderedSet {
        mode: true,
        signature: Signature::user_defined(Volatility::Immutable),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct OrderedSet {
    /// `mode` (else `percentile_disc`).
    mode: bool,
    signature: Signature,
}

/// Whether `t` is an array type (an array of fractions).
pub(super) fn is_list(t: &DataType) -> bool {
    matches!(
        t,
        DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(..)
    )
}

impl AggregateUDFImpl for OrderedSet {
    fn name(&self) -> &str {
        if self.mode { "mode" } else { "percentile_disc" }
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let name = self.name();
        match (self.mode, arg_types) {
            (true, [t]) => Ok(vec![t.clone()]),
            (false, [t, f]) if f.is_numeric() || f.is_null() => {
                Ok(vec![t.clone(), DataType::Float64])
            }
            (false, [t, f]) if is_list(f) => {
                Ok(vec![t.clone(), DataType::new_list(DataType::Float64, true)])
            }
            (false, [_, f]) => plan_err!(
                "function percentile_disc({}) does not exist",
                super::rounding::pg_type_name(f)
            ),
            _ => plan_err!("{name} must be called as {name}(…) WITHIN GROUP (ORDER BY …)"),
        }
    }
    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        let t = arg_types[0].clone();
        Ok(match arg_types.get(1) {
            Some(f) if is_list(f) => DataType::new_list(t, true),
            _ => t,
        })
    }
    fn supports_within_group_clause(&self) -> bool {
        true
    }
    fn order_sensitivity(&self) -> AggregateOrderSensitivity {
        AggregateOrderSensitivity::Insensitive
    }
    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(state_fields(
            args.name,
            args.input_fields[0].data_type().clone(),
        ))
    }
    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let data_type = args.expr_fields[0].data_type().clone();
        let options = SortOptions {
            descending: args.order_bys.first().is_some_and(|s| s.options.descending),
            nulls_first: false,
        };
        let want = if self.mode {
            Want::Mode
        } else {
            let batch = RecordBatch::new_empty(Arc::new(Schema::empty()));
            let ColumnarValue::Scalar(f) = args.exprs[1].evaluate(&batch)? else {
                return plan_err!("the fraction of percentile_disc must be a constant");
            };
            fractions(&f)?
        };
        Ok(Box::new(OrderedSetAcc {
            want,
            values: Vec::new(),
            data_type,
            options,
        }))
    }
}

/// The state of the accumulators here: the values seen, as a list.
pub(super) fn state_fields(name: &str, t: DataType) -> Vec<FieldRef> {
    vec![Arc::new(Field::new(
        format!("{name}[values]"),
        DataType::new_list(t, true),
        true,
    ))]
}

/// `percentile_cont(ARRAY[…])`'s accumulator (`super::percentile_cont`):
/// values are `double precision`, each fraction interpolated.
pub(super) fn continuous(args: &AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
    let batch = RecordBatch::new_empty(Arc::new(Schema::empty()));
    let ColumnarValue::Scalar(f) = args.exprs[1].evaluate(&batch)? else {
        return plan_err!("the fractions of percentile_cont must be a constant");
    };
    let want = match fractions(&f)? {
        Want::Many(fs) => Want::ManyCont(fs),
        _ => return plan_err!("percentile_cont: expected an array of fractions"),
    };
    Ok(Box::new(OrderedSetAcc {
        want,
        values: Vec::new(),
        data_type: DataType::Float64,
        options: SortOptions {
            descending: args.order_bys.first().is_some_and(|s| s.options.descending),
            nulls_first: false,
        },
    }))
}

/// What an accumulator computes.
#[derive(Debug)]
enum Want {
    Mode,
    /// One fraction (`None`: NULL).
    One(Option<f64>),
    /// An array of fractions (`None`: a NULL array).
    Many(Option<Vec<Option<f64>>>),
    /// `percentile_cont` of an array of fractions: interpolated values.
    ManyCont(Option<Vec<Option<f64>>>),
}

fn check(f: f64) -> Result<f64> {
    if (0.0..=1.0).contains(&f) {
        Ok(f)
    } else {
        exec_err!("percentile value {f} is not between 0 and 1")
    }
}

/// The fraction argument, checked.
fn fractions(f: &ScalarValue) -> Result<Want> {
    Ok(match f {
        ScalarValue::Float64(v) => Want::One(v.map(check).transpose()?),
        ScalarValue::Null => Want::One(None),
        ScalarValue::List(l) if l.is_null(0) => Want::Many(None),
        ScalarValue::List(l) => {
            let v = l.value(0);
            let v = v.as_primitive::<Float64Type>();
            Want::Many(Some(
                v.iter()
                    .map(|x| x.map(check).transpose())
                    .collect::<Result<_>>()?,
            ))
        }
        other => return plan_err!("percentile_disc fraction of type {}", other.data_type()),
    })
}

/// The 0-based position of fraction `f` among `n` sorted values (`n > 0`).
fn disc_position(f: f64, n: usize) -> usize {
    let row = (f * n as f64).ceil() as usize;
    row.clamp(1, n) - 1
}

/// The range of the longest run in `runs` (the first of equal ones).
fn longest(runs: impl Iterator<Item = std::ops::Range<usize>>) -> Option<std::ops::Range<usize>> {
    let mut best: Option<std::ops::Range<usize>> = None;
    for r in runs {
        if best.as_ref().is_none_or(|b| r.len() > b.len()) {
            best = Some(r);
        }
    }
    best
}

#[derive(Debug)]
struct OrderedSetAcc {
    want: Want,
    /// The non-NULL values seen, batch by batch.
    values: Vec<ArrayRef>,
    data_type: DataType,
    options: SortOptions,
}

impl OrderedSetAcc {
    fn all(&self) -> Result<ArrayRef> {
        if self.values.is_empty() {
            return Ok(new_empty_array(&self.data_type));
        }
        let refs: Vec<&dyn Array> = self.values.iter().map(|a| a.as_ref()).collect();
        Ok(concat(&refs)?)
    }
    fn push(&mut self, a: &ArrayRef) -> Result<()> {
        let a = if a.null_count() > 0 {
            let keep = datafusion::arrow::compute::is_not_null(a)?;
            datafusion::arrow::compute::filter(a, &keep)?
        } else {
            Arc::clone(a)
        };
        if !a.is_empty() {
            self.values.push(a);
        }
        Ok(())
    }
}

impl Accumulator for OrderedSetAcc {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.push(&values[0])
    }
    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let lists = states[0].as_list::<i32>();
        for i in 0..lists.len() {
            if !lists.is_null(i) {
                self.push(&lists.value(i))?;
            }
        }
        Ok(())
    }
    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let all = self.all()?;
        self.values = vec![Arc::clone(&all)];
        let field = Arc::new(Field::new_list_field(self.data_type.clone(), true));
        let list = ListArray::new(field, OffsetBuffer::from_lengths([all.len()]), all, None);
        Ok(vec![ScalarValue::List(Arc::new(list))])
    }
    fn evaluate(&mut self) -> Result<ScalarValue> {
        let all = self.all()?;
        let n = all.len();
        let null = |t: &DataType| ScalarValue::try_from(t);
        let list_type = DataType::new_list(self.data_type.clone(), true);
        if n == 0 {
            return match self.want {
                Want::Many(_) | Want::ManyCont(_) => null(&list_type),
                _ => null(&self.data_type),
            };
        }
        let order = sort_to_indices(&all, Some(self.options), None)?;
        match &self.want {
            Want::Mode => {
                let sorted = take(&all, &order, None)?;
                let runs = partition(std::slice::from_ref(&sorted))?;
                let best = longest(runs.ranges().into_iter()).expect("n > 0 gives a run");
                ScalarValue::try_from_array(&sorted, best.start)
            }
            Want::One(None) => null(&self.data_type),
            Want::One(Some(f)) => {
                ScalarValue::try_from_array(&all, order.value(disc_position(*f, n)) as usize)
            }
            Want::Many(None) | Want::ManyCont(None) => null(&list_type),
            Want::ManyCont(Some(fs)) => {
                let sorted = take(&all, &order, None)?;
                let v = sorted.as_primitive::<Float64Type>();
                let at = |f: f64| {
                    let pos = f * (n - 1) as f64;
                    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
                    v.value(lo) + (pos - lo as f64) * (v.value(hi) - v.value(lo))
                };
                let values: datafusion::arrow::array::Float64Array =
                    fs.iter().map(|f| f.map(at)).collect();
                let field = Arc::new(Field::new_list_field(DataType::Float64, true));
                let list = ListArray::new(
                    field,
                    OffsetBuffer::from_lengths([values.len()]),
                    Arc::new(values),
                    None,
                );
                Ok(ScalarValue::List(Arc::new(list)))
            }
            Want::Many(Some(fs)) => {
                let picks: datafusion::arrow::array::UInt32Array = fs
                    .iter()
                    .map(|f| f.map(|f| order.value(disc_position(f, n))))
                    .collect();
                let picked = take(&all, &picks, None)?;
                let field = Arc::new(Field::new_list_field(self.data_type.clone(), true));
                let list = ListArray::new(
                    field,
                    OffsetBuffer::from_lengths([picked.len()]),
                    picked,
                    None,
                );
                Ok(ScalarValue::List(Arc::new(list)))
            }
        }
    }
    fn size(&self) -> usize {
        size_of::<Self>()
            + self
                .values
                .iter()
                .map(|a| a.get_array_memory_size())
                .sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{Decimal128Array, Int32Array, StringArray};

    fn acc(want: Want, t: DataType, descending: bool) -> OrderedSetAcc {
        OrderedSetAcc {
            want,
            values: Vec::new(),
            data_type: t,
            options: SortOptions {
                descending,
                nulls_first: false,
            },
        }
    }

    #[test]
    fn positions_as_postgres() {
        // PostgreSQL 15 over 1, 2, 3, 4: 0 → 1, 0.25 → 1, 0.5 → 2, 0.51 → 3,
        // 1 → 4.
        for (f, pos) in [(0.0, 0), (0.25, 0), (0.5, 1), (0.51, 2), (1.0, 3)] {
            assert_eq!(disc_position(f, 4), pos, "{f}");
        }
    }

    #[test]
    fn percentile_disc_values() {
        // PostgreSQL: percentile_disc(0.25) WITHIN GROUP (ORDER BY x DESC)
        // over 1, 2, 3, 4, NULL is 4; percentile_disc(ARRAY[0.5, NULL, 1])
        // over 1, 2, 3 is {2,NULL,3}.
        let a: ArrayRef = Arc::new(Int32Array::from(vec![Some(3), None, Some(1), Some(4)]));
        let b: ArrayRef = Arc::new(Int32Array::from(vec![Some(2)]));
        let mut x = acc(Want::One(Some(0.25)), DataType::Int32, true);
        x.update_batch(&[a]).unwrap();
        x.update_batch(&[b]).unwrap();
        assert_eq!(x.evaluate().unwrap(), ScalarValue::Int32(Some(4)));

        let c: ArrayRef = Arc::new(Int32Array::from(vec![1, 2, 3]));
        let mut x = acc(
            Want::Many(Some(vec![Some(0.5), None, Some(1.0)])),
            DataType::Int32,
            false,
        );
        x.update_batch(&[c]).unwrap();
        let ScalarValue::List(l) = x.evaluate().unwrap() else {
            panic!("a list")
        };
        let v = l.value(0);
        let v = v.as_primitive::<datafusion::arrow::datatypes::Int32Type>();
        assert_eq!(v.iter().collect::<Vec<_>>(), vec![Some(2), None, Some(3)]);
    }

    #[test]
    fn numeric_keeps_its_scale() {
        // PostgreSQL: percentile_disc(0.5) over 1.50, 2.00 (numeric(12,2)) is 1.50.
        let t = DataType::Decimal128(12, 2);
        let a: ArrayRef = Arc::new(
            Decimal128Array::from(vec![200, 150])
                .with_precision_and_scale(12, 2)
                .unwrap(),
        );
        let mut x = acc(Want::One(Some(0.5)), t, false);
        x.update_batch(&[a]).unwrap();
        assert_eq!(
            x.evaluate().unwrap(),
            ScalarValue::Decimal128(Some(150), 12, 2)
        );
    }

    #[test]
    fn empty_and_null_fraction() {
        // PostgreSQL: no rows (or only NULLs) → NULL; a NULL fraction → NULL.
        let mut x = acc(Want::One(Some(0.5)), DataType::Int32, false);
        let nulls: ArrayRef = Arc::new(Int32Array::from(vec![None, None]));
        x.update_batch(&[nulls]).unwrap();
        assert_eq!(x.evaluate().unwrap(), ScalarValue::Int32(None));
        let mut x = acc(Want::Many(Some(vec![Some(0.5)])), DataType::Int32, false);
        assert!(x.evaluate().unwrap().is_null());
        let mut x = acc(Want::One(None), DataType::Int32, false);
        x.update_batch(&[Arc::new(Int32Array::from(vec![1])) as ArrayRef])
            .unwrap();
        assert_eq!(x.evaluate().unwrap(), ScalarValue::Int32(None));
    }

    #[test]
    fn fractions_are_checked() {
        // PostgreSQL: ERROR:  percentile value 1.5 is not between 0 and 1
        let e = fractions(&ScalarValue::Float64(Some(1.5))).unwrap_err();
        assert!(
            e.to_string()
                .contains("percentile value 1.5 is not between 0 and 1")
        );
    }

    #[test]
    fn mode_ties_go_to_the_first_in_order() {
        // PostgreSQL over 'b', 'a', 'b', 'a', NULL, NULL, NULL: mode() ORDER
        // BY x is 'a', ORDER BY x DESC is 'b'.
        let a: ArrayRef = Arc::new(StringArray::from(vec![
            Some("b"),
            Some("a"),
            Some("b"),
            Some("a"),
            None,
            None,
            None,
        ]));
        for (descending, want) in [(false, "a"), (true, "b")] {
            let mut x = acc(Want::Mode, DataType::Utf8, descending);
            // Split across a merge, as two partitions would be.
            let mut y = acc(Want::Mode, DataType::Utf8, descending);
            x.update_batch(&[a.slice(0, 3)]).unwrap();
            y.update_batch(&[a.slice(3, 4)]).unwrap();
            let state = y.state().unwrap()[0].to_array().unwrap();
            x.merge_batch(&[state]).unwrap();
            assert_eq!(
                x.evaluate().unwrap(),
                ScalarValue::Utf8(Some(want.into())),
                "{descending}"
            );
        }
    }
}

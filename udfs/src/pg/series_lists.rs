//! The rows of `generate_series` and `generate_subscripts` as lists, for
//! the SELECT list and lateral FROM items (the SQL front end turns
//! `generate_series(a, b)` in the SELECT list into
//! `unnest(generate_series_list(a, b))`; see the engine's `rewrite::srf`).
//! `generate_series` standing alone in FROM is the lazy table function of
//! [`super::generate_series`].
//!
//! - `generate_series_list(start, stop [, step])`: DataFusion's
//!   `generate_series` list, but `integer` elements when every argument is
//!   an integer of at most 32 bits, as PostgreSQL's
//!   `generate_series(int4, int4)` (DataFusion: always `bigint`);
//!   `(date, date, interval)` is a series of `timestamptz` (PostgreSQL has
//!   no series of dates): the dates are read as their local midnights in
//!   the session's `TimeZone` (the engine's zoned casts), and every series
//!   of instants steps on the session's wall clock (DataFusion steps in the
//!   zone its arguments are tagged with: a stored column's is UTC);
//! - `generate_subscripts_list(array, dim)`: the subscripts `1 ‥ n` of
//!   dimension `dim` (`integer`); none for a NULL array, an empty one or a
//!   dimension it does not have.

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, Int32Builder, ListBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, IntervalUnit, TimeUnit};
use datafusion::common::{Result, exec_err, plan_err};
use datafusion::logical_expr::type_coercion::functions::fields_with_udf;
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

/// The list functions of this module.
pub fn functions() -> Vec<ScalarUDF> {
    vec![
        ScalarUDF::new_from_impl(SeriesList {
            signature: Signature::user_defined(Volatility::Immutable),
            inner: datafusion::functions_nested::range::gen_series_udf(),
        }),
        ScalarUDF::new_from_impl(SubscriptsList {
            signature: Signature::user_defined(Volatility::Immutable),
        }),
    ]
}

fn int32_list() -> DataType {
    DataType::List(Arc::new(Field::new_list_field(DataType::Int32, true)))
}

fn small_int(t: &DataType) -> bool {
    matches!(t, DataType::Int8 | DataType::Int16 | DataType::Int32)
}

#[derive(Debug)]
struct SeriesList {
    signature: Signature,
    inner: Arc<ScalarUDF>,
}

impl PartialEq for SeriesList {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl Eq for SeriesList {}
impl std::hash::Hash for SeriesList {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        "generate_series_list".hash(state);
    }
}

impl ScalarUDFImpl for SeriesList {
    fn name(&self) -> &str {
        "generate_series_list"
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        if !arg_types.is_empty() && arg_types.iter().all(small_int) {
            return Ok(vec![DataType::Int32; arg_types.len()]);
        }
        // An untyped step beside dates or timestamps is an interval.
        let interval = DataType::Interval(IntervalUnit::MonthDayNano);
        let arg_types: Vec<DataType> = match arg_types {
            [
                DataType::Date32 | DataType::Timestamp(..),
                _,
                DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8,
            ] => {
                let mut t = arg_types.to_vec();
                t[2] = interval;
                t
            }
            _ => arg_types.to_vec(),
        };
        if let [
            DataType::Date32,
            DataType::Date32,
            step @ DataType::Interval(_),
        ] = arg_types.as_slice()
        {
            return Ok(vec![instant(), instant(), step.clone()]);
        }
        let arg_types = arg_types.as_slice();
        let fields: Vec<_> = arg_types
            .iter()
            .map(|t| Arc::new(Field::new("", t.clone(), true)))
            .collect();
        Ok(fields_with_udf(&fields, self.inner.as_ref())?
            .iter()
            .map(|f| f.data_type().clone())
            .collect())
    }
    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        if !arg_types.is_empty() && arg_types.iter().all(small_int) {
            return Ok(int32_list());
        }
        self.inner.return_type(arg_types)
    }
    fn invoke_with_args(&self, mut args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        if let Some(DataType::Timestamp(_, Some(_))) =
            args.arg_fields.first().map(|f| f.data_type())
        {
            return self.instants_in_session_zone(args);
        }
        let int4 = args
            .arg_fields
            .iter()
            .all(|f| f.data_type() == &DataType::Int32);
        if !int4 {
            return self.inner.invoke_with_args(args);
        }
        // DataFusion's series of bigints, narrowed: every element lies
        // between two int4 arguments.
        for (a, f) in args.args.iter_mut().zip(args.arg_fields.iter_mut()) {
            *a = a.cast_to(&DataType::Int64, None)?;
            *f = Arc::new(f.as_ref().clone().with_data_type(DataType::Int64));
        }
        args.return_field = Arc::new(Field::new(
            "generate_series",
            DataType::List(Arc::new(Field::new_list_field(DataType::Int64, true))),
            true,
        ));
        match self.inner.invoke_with_args(args)? {
            ColumnarValue::Array(a) => Ok(ColumnarValue::Array(cast(&a, &int32_list())?)),
            ColumnarValue::Scalar(s) => Ok(ColumnarValue::Scalar(s.cast_to(&int32_list())?)),
        }
    }
}

/// The instant type dates are read as.
fn instant() -> DataType {
    DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into()))
}

impl SeriesList {
    /// DataFusion's series of instants, its arguments tagged with the
    /// session's zone (the same instants) so that it steps on that wall
    /// clock; the lists tagged back as the declared result.
    fn instants_in_session_zone(&self, mut args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let zone: Arc<str> = args
            .config_options
            .execution
            .time_zone
            .as_deref()
            .unwrap_or("UTC")
            .into();
        // In nanoseconds, the unit DataFusion's series answers in.
        let local = DataType::Timestamp(TimeUnit::Nanosecond, Some(zone));
        for (a, f) in args.args.iter_mut().zip(args.arg_fields.iter_mut()) {
            if matches!(f.data_type(), DataType::Timestamp(_, Some(_))) {
                *a = a.cast_to(&local, None)?;
                *f = Arc::new(f.as_ref().clone().with_data_type(local.clone()));
            }
        }
        let declared = args.return_field.data_type().clone();
        args.return_field = Arc::new(Field::new(
            "generate_series",
            DataType::List(Arc::new(Field::new_list_field(local, true))),
            true,
        ));
        match self.inner.invoke_with_args(args)? {
            ColumnarValue::Array(a) => Ok(ColumnarValue::Array(cast(&a, &declared)?)),
            ColumnarValue::Scalar(s) => Ok(ColumnarValue::Scalar(s.cast_to(&declared)?)),
        }
    }
}

/// The length of dimension `dim` (1-based) of a PostgreSQL array held as
/// nested lists (`elements`: the outermost list's values); arrays are
/// rectangular, so the first element of each level tells the next one's.
fn dimension_length(elements: &dyn Array, dim: i32) -> Option<i32> {
    if dim < 1 || elements.is_empty() {
        return None;
    }
    if dim == 1 {
        return i32::try_from(elements.len()).ok();
    }
    let inner = match elements.data_type() {
        DataType::List(_) => elements.as_list::<i32>().value(0),
        DataType::LargeList(_) => elements.as_list::<i64>().value(0),
        DataType::FixedSizeList(..) => elements.as_fixed_size_list().value(0),
        _ => return None,
    };
    dimension_length(inner.as_ref(), dim - 1)
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct SubscriptsList {
    signature: Signature,
}

impl ScalarUDFImpl for SubscriptsList {
    fn name(&self) -> &str {
        "generate_subscripts_list"
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        match arg_types {
            [
                list @ (DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(..)),
                dim,
            ] if dim.is_integer() || dim.is_null() => Ok(vec![list.clone(), DataType::Int32]),
            [DataType::Null, _] => Ok(vec![
                DataType::List(Arc::new(Field::new_list_field(DataType::Null, true))),
                DataType::Int32,
            ]),
            _ => plan_err!("function generate_subscripts({arg_types:?}) does not exist"),
        }
    }
    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(int32_list())
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = super::all_scalar(&args.args);
        let n = args.number_rows;
        let list = args.args[0].to_array(n)?;
        let dim = args.args[1].to_array(n)?;
        let dim = cast(&dim, &DataType::Int32)?;
        let dim = dim.as_primitive::<datafusion::arrow::datatypes::Int32Type>();
        let list = cast(
            &list,
            &DataType::LargeList(Arc::new(Field::new_list_field(
                match list.data_type() {
                    DataType::List(f) | DataType::LargeList(f) | DataType::FixedSizeList(f, _) => {
                        f.data_type().clone()
                    }
                    other => return exec_err!("generate_subscripts needs an array, not {other}"),
                },
                true,
            ))),
        )?;
        let list = list.as_list::<i64>();
        let mut out = ListBuilder::new(Int32Builder::new());
        for row in 0..n {
            if list.is_valid(row) && dim.is_valid(row) {
                if let Some(len) = dimension_length(&list.value(row), dim.value(row)) {
                    out.values().append_slice(&(1..=len).collect::<Vec<_>>());
                }
                out.append(true);
            } else {
                out.append(false);
            }
        }
        super::result(Arc::new(out.finish()), scalar)
    }
}

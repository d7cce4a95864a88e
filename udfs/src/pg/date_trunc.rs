//! `date_trunc(unit, x [, zone])` as in PostgreSQL 15: every unit and its
//! plural (`microseconds` … `millennium`), a `date` argument read as
//! `timestamptz`, and `timestamptz` truncated in the session time zone (or
//! the zone given), not in UTC. Timestamps are truncated by
//! [`super::wall_clock`] (PostgreSQL's rules at DST changes, microsecond
//! range, no per-row zone conversion for days and more); other types go to
//! DataFusion's `date_trunc`.

use std::str::FromStr;
use std::sync::Arc;

use super::wall_clock;
use crate::error::{DataErrorKind, data_error};
use datafusion::arrow::array::timezone::Tz;
use datafusion::arrow::array::{Array, ArrayRef, AsArray, TimestampMicrosecondArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, TimeUnit, TimestampMicrosecondType};
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

/// The `date_trunc` function (registered over DataFusion's).
pub fn udf() -> ScalarUDF {
    ScalarUDF::new_from_impl(DateTrunc {
        signature: Signature::user_defined(Volatility::Stable),
        inner: datafusion::functions::datetime::date_trunc(),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct DateTrunc {
    signature: Signature,
    inner: Arc<ScalarUDF>,
}

fn micros_utc() -> DataType {
    DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
}

impl ScalarUDFImpl for DateTrunc {
    fn name(&self) -> &str {
        "date_trunc"
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        if !(2..=3).contains(&arg_types.len()) {
            return plan_err!("function date_trunc takes 2 or 3 arguments");
        }
        let mut out = vec![DataType::Utf8];
        out.push(match &arg_types[1] {
            // Read as the session's local midnight when truncated.
            DataType::Date32 | DataType::Date64 => DataType::Date32,
            DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8 if arg_types.len() == 3 => {
                micros_utc()
            }
            DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8 | DataType::Null => {
                DataType::Timestamp(TimeUnit::Microsecond, None)
            }
            // PostgreSQL's timestamps are microseconds, and reach years
            // (`date_trunc('millennium', …)` is 1001-01-01) that Arrow's
            // nanosecond timestamps cannot hold.
            DataType::Timestamp(_, tz) => DataType::Timestamp(TimeUnit::Microsecond, tz.clone()),
            t => t.clone(),
        });
        if arg_types.len() == 3 {
            out.push(DataType::Utf8);
        }
        Ok(out)
    }
    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        Ok(match &arg_types[1] {
            DataType::Date32 | DataType::Date64 => micros_utc(),
            t => t.clone(),
        })
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = super::all_scalar(&args.args);
        let return_type = args.return_field.data_type().clone();
        let mut input = args.args[1].to_array(args.number_rows)?;
        if input.data_type() == &DataType::Date32 {
            // `date::timestamptz`: midnight in the session's zone.
            let zone = super::timezone::session_zone(&args.config_options)?;
            input = Arc::new(super::timezone::local_midnights(
                input.as_primitive(),
                &zone,
            ));
        }
        let DataType::Timestamp(TimeUnit::Microsecond, label) = input.data_type().clone() else {
            return self.other_types(args, input);
        };
        // An instant is truncated on the wall clock of the zone given, else
        // the session's, else its own.
        let tz = match &label {
            Some(l) => {
                let zone = match args.args.get(2) {
                    Some(ColumnarValue::Scalar(v)) => v.try_as_str().flatten(),
                    Some(_) => return exec_err!("date_trunc needs a constant time zone"),
                    None => args.config_options.execution.time_zone.as_deref(),
                };
                Some(Tz::from_str(zone.unwrap_or(l))?)
            }
            None => None,
        };
        let instants = input.as_primitive::<TimestampMicrosecondType>();
        let truncated = match &args.args[0] {
            ColumnarValue::Scalar(v) => match v.try_as_str().flatten() {
                Some(u) => wall_clock::truncate(instants, parse_unit(u, &label)?, tz.as_ref())?,
                None => return Ok(ColumnarValue::Scalar(ScalarValue::try_from(&return_type)?)),
            },
            ColumnarValue::Array(units) => {
                let units = cast(units, &DataType::Utf8)?;
                let mut out = Vec::with_capacity(instants.len());
                for (u, v) in units.as_string::<i32>().iter().zip(instants.iter()) {
                    out.push(match (u, v) {
                        (Some(u), Some(v)) => Some(
                            wall_clock::Truncator::new(parse_unit(u, &label)?, tz.as_ref())
                                .value(v)?,
                        ),
                        _ => None,
                    });
                }
                TimestampMicrosecondArray::from(out)
            }
        };
        let truncated = truncated.with_timezone_opt(label);
        super::result(cast(&truncated, &return_type)?, scalar)
    }
}

impl DateTrunc {
    /// Types other than timestamps (times) are DataFusion's.
    fn other_types(&self, args: ScalarFunctionArgs, input: ArrayRef) -> Result<ColumnarValue> {
        let scalar = super::all_scalar(&args.args);
        let rows = args.number_rows;
        let return_type = args.return_field.data_type().clone();
        let unit = match &args.args[0] {
            ColumnarValue::Scalar(v) => match v.try_as_str().flatten() {
                // DataFusion's singular names; an unknown unit for its error.
                Some(s) => wall_clock::Unit::parse(s)
                    .map_or_else(|| s.trim().to_ascii_lowercase(), |u| u.name().to_string()),
                None => return Ok(ColumnarValue::Scalar(ScalarValue::try_from(&return_type)?)),
            },
            _ => return exec_err!("date_trunc needs a constant unit for {}", input.data_type()),
        };
        let return_field = Arc::new(datafusion::arrow::datatypes::Field::new(
            "date_trunc",
            input.data_type().clone(),
            true,
        ));
        let inner_args = ScalarFunctionArgs {
            args: vec![
                ColumnarValue::Scalar(ScalarValue::Utf8(Some(unit))),
                ColumnarValue::Array(input),
            ],
            return_field,
            ..args
        };
        let out = self.inner.invoke_with_args(inner_args)?.to_array(rows)?;
        super::result(cast(&out, &return_type)?, scalar)
    }
}

/// A unit of `date_trunc` on a timestamp, or PostgreSQL's error.
fn parse_unit(s: &str, zone: &Option<Arc<str>>) -> Result<wall_clock::Unit> {
    wall_clock::Unit::parse(s).ok_or_else(|| {
        let with = if zone.is_some() { "with" } else { "without" };
        data_error(
            DataErrorKind::InvalidParameterValue,
            format!("unit \"{s}\" not recognized for type timestamp {with} time zone"),
        )
    })
}

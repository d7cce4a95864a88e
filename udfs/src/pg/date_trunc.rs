//! `date_trunc(unit, x [, zone])` as in PostgreSQL 15: every unit and its
//! plural (`microseconds` … `millennium`), a `date` argument read as
//! `timestamptz`, and `timestamptz` truncated in the session time zone (or
//! the zone given), not in UTC. DataFusion's `date_trunc` does the
//! truncation for the units it knows; decades, centuries and millennia are
//! computed here.

use std::str::FromStr;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
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

/// PostgreSQL's unit names and plurals → one name.
fn unit(s: &str) -> String {
    let u = s.trim().to_ascii_lowercase();
    match u.as_str() {
        "microseconds" | "us" | "usec" => "microsecond".into(),
        "milliseconds" | "ms" | "msec" => "millisecond".into(),
        "seconds" | "sec" | "secs" => "second".into(),
        "minutes" | "min" | "mins" => "minute".into(),
        "hours" | "hr" | "hrs" => "hour".into(),
        "days" => "day".into(),
        "weeks" => "week".into(),
        "months" | "mon" | "mons" => "month".into(),
        "quarters" | "qtr" => "quarter".into(),
        "years" | "yr" | "yrs" => "year".into(),
        "decades" => "decade".into(),
        "centuries" => "century".into(),
        "millenniums" | "millennia" => "millennium".into(),
        _ => u,
    }
}

/// The first day of the decade, century or millennium of `d`.
fn truncate_years(d: NaiveDateTime, unit: &str) -> NaiveDateTime {
    let y = d.year();
    let first = match unit {
        "decade" => y.div_euclid(10) * 10,
        // PostgreSQL: the 21st century and 3rd millennium start in 2001.
        "century" if y > 0 => (y - 1) / 100 * 100 + 1,
        "century" => -((99 - y) / 100 * 100) - 99,
        _ if y > 0 => (y - 1) / 1000 * 1000 + 1,
        _ => -((999 - y) / 1000 * 1000) - 999,
    };
    NaiveDate::from_ymd_opt(first, 1, 1)
        .expect("valid year")
        .and_hms_opt(0, 0, 0)
        .expect("midnight")
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
            DataType::Date32 | DataType::Date64 => micros_utc(),
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
        Ok(arg_types[1].clone())
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let unit = match &args.args[0] {
            ColumnarValue::Scalar(v) => match v.try_as_str().flatten() {
                Some(s) => unit(s),
                None => {
                    return Ok(ColumnarValue::Scalar(ScalarValue::try_from(
                        args.return_type(),
                    )?));
                }
            },
            _ => return exec_err!("date_trunc needs a constant unit"),
        };
        let scalar = super::all_scalar(&args.args);
        let return_type = args.return_field.data_type().clone();
        let args_return_type = &return_type;
        let input = args.args[1].to_array(args.number_rows)?;
        let input_type = input.data_type().clone();
        let zone = match args.args.get(2) {
            Some(ColumnarValue::Scalar(v)) => v.try_as_str().flatten().map(str::to_string),
            Some(_) => return exec_err!("date_trunc needs a constant time zone"),
            None => args.config_options.execution.time_zone.clone(),
        };
        // An instant is truncated on the wall clock of the zone.
        let local_type = match (&input_type, &zone) {
            (DataType::Timestamp(_, Some(_)), Some(z)) => Some(DataType::Timestamp(
                TimeUnit::Microsecond,
                Some(z.as_str().into()),
            )),
            _ => None,
        };
        let local = match &local_type {
            Some(t) => relabel(&input, t)?,
            None => input.clone(),
        };
        let truncated: ArrayRef = if matches!(unit.as_str(), "decade" | "century" | "millennium") {
            years(&local, &unit)?
        } else {
            // The wrapper checks the result against `return_field`.
            let return_field = Arc::new(datafusion::arrow::datatypes::Field::new(
                "date_trunc",
                local.data_type().clone(),
                true,
            ));
            let inner_args = ScalarFunctionArgs {
                args: vec![
                    ColumnarValue::Scalar(ScalarValue::Utf8(Some(unit.clone()))),
                    ColumnarValue::Array(local),
                ],
                return_field,
                ..args
            };
            self.inner
                .invoke_with_args(inner_args)?
                .to_array(input.len())?
        };
        let out = relabel(&truncated, args_return_type)?;
        super::result(out, scalar)
    }
}

/// `a` as `target`; between time zones the instants stay (Arrow's cast
/// keeps the source zone's label there).
fn relabel(a: &ArrayRef, target: &DataType) -> Result<ArrayRef> {
    match target {
        DataType::Timestamp(TimeUnit::Microsecond, tz) if tz.is_some() => {
            let utc = cast(
                a,
                &DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
            )?;
            let micros = utc.as_primitive::<TimestampMicrosecondType>().clone();
            Ok(Arc::new(micros.with_timezone_opt(tz.clone())))
        }
        _ => Ok(cast(a, target)?),
    }
}

/// Decades, centuries, millennia of a timestamp array (wall clock of its
/// zone, if any).
fn years(a: &ArrayRef, unit: &str) -> Result<ArrayRef> {
    let tz = match a.data_type() {
        DataType::Timestamp(_, Some(z)) => Some(Tz::from_str(z)?),
        DataType::Timestamp(_, None) => None,
        other => return exec_err!("date_trunc('{unit}', …) does not take {other}"),
    };
    let target = DataType::Timestamp(TimeUnit::Microsecond, tz.map(|_| "UTC".into()));
    let micros = cast(a, &target)?;
    let micros = micros.as_primitive::<TimestampMicrosecondType>();
    let out: TimestampMicrosecondArray = micros
        .iter()
        .map(|v| {
            v.and_then(|v| {
                let utc = chrono::DateTime::from_timestamp_micros(v)?;
                Some(match &tz {
                    Some(tz) => {
                        let wall = truncate_years(utc.with_timezone(tz).naive_local(), unit);
                        super::timezone::local_to_utc_micros(wall, tz)
                    }
                    None => truncate_years(utc.naive_utc(), unit)
                        .and_utc()
                        .timestamp_micros(),
                })
            })
        })
        .collect();
    let out = match tz {
        Some(_) => out.with_timezone("UTC"),
        None => out,
    };
    Ok(Arc::new(out))
}

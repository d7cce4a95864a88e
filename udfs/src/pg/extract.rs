//! `EXTRACT(field FROM x)` as PostgreSQL 15 answers it: a `numeric`, with
//! the fractional digits PostgreSQL gives each field (`second` and `epoch`
//! of a timestamp: 6, `milliseconds`: 3, the others: 0). The SQL front end
//! rewrites `EXTRACT(f FROM x)` into `extract('f', x)`; `date_part(…)`
//! stays DataFusion's.
//!
//! Seconds, milliseconds and epochs are taken from the raw microsecond
//! counts, so they are exact (no float round trip).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Decimal128Array, Int32Array};
use datafusion::arrow::compute::kernels::temporal::{DatePart, date_part};
use datafusion::arrow::compute::{CastOptions, cast, cast_with_options};
use datafusion::arrow::datatypes::{
    DataType, Date32Type, DurationMicrosecondType, Field, FieldRef, IntervalMonthDayNanoType,
    Time64MicrosecondType, TimeUnit, TimestampMicrosecondType,
};
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature,
    Volatility,
};

/// The `extract(field, value)` function.
pub fn udf() -> ScalarUDF {
    ScalarUDF::new_from_impl(Extract {
        signature: Signature::any(2, Volatility::Immutable),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Extract {
    signature: Signature,
}

/// The canonical name of a field, PostgreSQL's synonyms folded.
fn field_name(s: &str) -> String {
    let f = s.trim().trim_matches('\'').to_ascii_lowercase();
    match f.as_str() {
        "seconds" | "sec" | "secs" | "s" => "second",
        "milliseconds" | "millisecond" | "ms" | "msec" | "msecs" | "mseconds" => "milliseconds",
        "microseconds" | "microsecond" | "us" | "usec" | "usecs" | "useconds" => "microseconds",
        "minutes" | "min" | "mins" | "m" => "minute",
        "hours" | "hour" | "h" | "hr" | "hrs" => "hour",
        "days" | "d" => "day",
        "months" | "mon" | "mons" => "month",
        "years" | "y" | "yr" | "yrs" => "year",
        "weeks" | "w" => "week",
        "qtr" => "quarter",
        other => return other.to_string(),
    }
    .to_string()
}

fn scale(field: &str, input: &DataType) -> i8 {
    let date = matches!(input, DataType::Date32 | DataType::Date64);
    match field {
        "second" | "epoch" if !date => 6,
        "milliseconds" if !date => 3,
        // PostgreSQL divides the microseconds of the day by a day's as
        // numeric: 20 digits for any time after 00:01:40 (its scale is
        // per value, so earlier times show 24 or 28 there).
        "julian" if !date => JULIAN_SCALE,
        _ => 0,
    }
}

fn field_arg(args: &[Option<&ScalarValue>]) -> Result<String> {
    match args.first() {
        Some(Some(v)) => match v.try_as_str().flatten() {
            Some(s) => Ok(field_name(s)),
            None => plan_err!("extract needs a field name"),
        },
        _ => plan_err!("extract needs a constant field name"),
    }
}

impl ScalarUDFImpl for Extract {
    fn name(&self) -> &str {
        "extract"
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Decimal128(38, 6))
    }
    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let field = field_arg(args.scalar_arguments)?;
        let s = scale(&field, args.arg_fields[1].data_type());
        Ok(Arc::new(Field::new(
            self.name(),
            DataType::Decimal128(38, s),
            true,
        )))
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let field = match &args.args[0] {
            ColumnarValue::Scalar(v) => field_arg(&[Some(v)])?,
            _ => return exec_err!("extract needs a constant field name"),
        };
        let scalar = matches!(args.args[1], ColumnarValue::Scalar(_));
        let mut input = args.args[1].to_array(args.number_rows)?;
        // A timestamptz's fields are those of its local time in the
        // session's TimeZone (re-tagging the zone does not touch values).
        if let (DataType::Timestamp(unit, Some(_)), Some(zone)) = (
            input.data_type(),
            args.config_options.execution.time_zone.as_deref(),
        ) {
            let local = DataType::Timestamp(*unit, Some(zone.into()));
            input = cast(&input, &local)?;
        }
        let s = scale(&field, input.data_type());
        let unscaled = unscaled(&field, &input)?;
        let out: ArrayRef = Arc::new(
            unscaled
                .iter()
                .map(|v| v.map(|v| v.rescale(s)))
                .collect::<Decimal128Array>()
                .with_precision_and_scale(38, s)?,
        );
        super::result(out, scalar)
    }
}

/// Scale of `extract(julian FROM timestamp)`.
const JULIAN_SCALE: i8 = 20;
/// Julian day number of 1970-01-01.
const UNIX_EPOCH_JULIAN_DAY: i128 = 2_440_588;
const MICROS_PER_DAY: i128 = 86_400_000_000;

/// A value and its scale.
#[derive(Clone, Copy)]
struct Scaled(i128, i8);

impl Scaled {
    fn rescale(self, to: i8) -> i128 {
        let Scaled(v, from) = self;
        if to >= from {
            v * 10i128.pow((to - from) as u32)
        } else {
            v / 10i128.pow((from - to) as u32)
        }
    }
}

fn int_part(input: &ArrayRef, part: DatePart, scale: i8) -> Result<Vec<Option<Scaled>>> {
    let a = date_part(input.as_ref(), part)?;
    let a: &Int32Array = a.as_primitive();
    Ok(a.iter()
        .map(|v| v.map(|v| Scaled(i128::from(v), scale)))
        .collect())
}

/// Seconds and their fraction, in microseconds, shown at `scale`
/// (6: seconds, 3: milliseconds, 0: microseconds).
fn micros_of_minute(input: &ArrayRef, scale: i8) -> Result<Vec<Option<Scaled>>> {
    let secs = int_part(input, DatePart::Second, 0)?;
    let nanos = int_part(input, DatePart::Nanosecond, 0)?;
    Ok(secs
        .into_iter()
        .zip(nanos)
        .map(|(s, n)| match (s, n) {
            (Some(Scaled(s, _)), Some(Scaled(n, _))) => {
                Some(Scaled(s * 1_000_000 + (n % 1_000_000_000) / 1000, scale))
            }
            _ => None,
        })
        .collect())
}

/// Microseconds since the epoch of a timestamp or date column; microseconds
/// of a duration or interval (PostgreSQL: a year is 365.25 days, a month 30).
fn epoch_micros(input: &ArrayRef) -> Result<Vec<Option<i128>>> {
    Ok(match input.data_type() {
        DataType::Timestamp(_, tz) => {
            let t = cast(
                input,
                &DataType::Timestamp(TimeUnit::Microsecond, tz.clone()),
            )?;
            t.as_primitive::<TimestampMicrosecondType>()
                .iter()
                .map(|v| v.map(i128::from))
                .collect()
        }
        DataType::Date32 => input
            .as_primitive::<Date32Type>()
            .iter()
            .map(|v| v.map(|d| i128::from(d) * 86_400_000_000))
            .collect(),
        DataType::Time32(_) | DataType::Time64(_) => {
            let t = cast(input, &DataType::Time64(TimeUnit::Microsecond))?;
            t.as_primitive::<Time64MicrosecondType>()
                .iter()
                .map(|v| v.map(i128::from))
                .collect()
        }
        DataType::Duration(_) => {
            let t = cast(input, &DataType::Duration(TimeUnit::Microsecond))?;
            t.as_primitive::<DurationMicrosecondType>()
                .iter()
                .map(|v| v.map(i128::from))
                .collect()
        }
        DataType::Interval(_) => {
            let options = CastOptions::default();
            let t = cast_with_options(
                input,
                &DataType::Interval(datafusion::arrow::datatypes::IntervalUnit::MonthDayNano),
                &options,
            )?;
            t.as_primitive::<IntervalMonthDayNanoType>()
                .iter()
                .map(|v| {
                    v.map(|i| {
                        let (years, months) = (i.months / 12, i.months % 12);
                        i128::from(years) * 31_557_600_000_000
                            + i128::from(months) * 2_592_000_000_000
                            + i128::from(i.days) * 86_400_000_000
                            + i128::from(i.nanoseconds / 1000)
                    })
                })
                .collect()
        }
        other => return exec_err!("extract does not take {other}"),
    })
}

fn unscaled(field: &str, input: &ArrayRef) -> Result<Vec<Option<Scaled>>> {
    let year_based = |div: i32, offset: i32| -> Result<Vec<Option<Scaled>>> {
        let years = int_part(input, DatePart::Year, 0)?;
        Ok(years
            .into_iter()
            .map(|y| {
                y.map(|Scaled(y, _)| {
                    let y = y as i32;
                    // PostgreSQL: the first century starts with year 1.
                    let v = if offset == 0 {
                        y.div_euclid(div)
                    } else if y > 0 {
                        (y + offset) / div
                    } else {
                        -((offset - y) / div)
                    };
                    Scaled(i128::from(v), 0)
                })
            })
            .collect())
    };
    match field {
        "epoch" => Ok(epoch_micros(input)?
            .into_iter()
            .map(|v| v.map(|v| Scaled(v, 6)))
            .collect()),
        "second" => micros_of_minute(input, 6),
        "milliseconds" => micros_of_minute(input, 3),
        "microseconds" => micros_of_minute(input, 0),
        "minute" => int_part(input, DatePart::Minute, 0),
        "hour" => int_part(input, DatePart::Hour, 0),
        "day" => int_part(input, DatePart::Day, 0),
        "month" => int_part(input, DatePart::Month, 0),
        "year" => int_part(input, DatePart::Year, 0),
        "week" => int_part(input, DatePart::Week, 0),
        "quarter" => int_part(input, DatePart::Quarter, 0),
        "doy" => int_part(input, DatePart::DayOfYear, 0),
        "dow" => int_part(input, DatePart::DayOfWeekSunday0, 0),
        "isodow" => int_part(input, DatePart::DayOfWeekMonday1, 0),
        "isoyear" => int_part(input, DatePart::YearISO, 0),
        "decade" => year_based(10, 0),
        "century" => year_based(100, 99),
        "millennium" => year_based(1000, 999),
        "julian" => julian(input),
        "timezone" => zone_offset(input, 1),
        "timezone_hour" => zone_offset(input, 3600),
        // PostgreSQL: the minutes of the offset, with its sign.
        "timezone_minute" => zone_offset(input, 60).map(|v| {
            v.into_iter()
                .map(|m| m.map(|Scaled(m, s)| Scaled(m % 60, s)))
                .collect()
        }),
        other => exec_err!("unit \"{other}\" not recognized for extract"),
    }
}

/// Julian day of a date (an integer) or of a timestamp's local time (the
/// day plus the fraction of it elapsed, at [`JULIAN_SCALE`]).
fn julian(input: &ArrayRef) -> Result<Vec<Option<Scaled>>> {
    let date = match input.data_type() {
        DataType::Date32 | DataType::Date64 => true,
        DataType::Timestamp(..) => false,
        other => return exec_err!("unit \"julian\" not supported for type {other}"),
    };
    let micros = epoch_micros(input)?;
    let offsets = zone_offsets(input)?;
    Ok(micros
        .into_iter()
        .zip(offsets)
        .map(|(m, offset)| {
            let m = m? + i128::from(offset.unwrap_or(0)) * 1_000_000;
            let day = m.div_euclid(MICROS_PER_DAY) + UNIX_EPOCH_JULIAN_DAY;
            Some(if date {
                Scaled(day, 0)
            } else {
                let unit = 10i128.pow(JULIAN_SCALE as u32);
                // The fraction rounded half up at the scale (it is positive).
                let fraction = (m.rem_euclid(MICROS_PER_DAY) * unit * 2 + MICROS_PER_DAY)
                    / (2 * MICROS_PER_DAY);
                Scaled(day * unit + fraction, JULIAN_SCALE)
            })
        })
        .collect())
}

/// The UTC offset, in seconds, of each value of a timestamptz in its zone
/// (the session's, see `invoke_with_args`); all `None` for other types.
fn zone_offsets(input: &ArrayRef) -> Result<Vec<Option<i32>>> {
    use chrono::{Offset, TimeZone};
    use datafusion::arrow::array::timezone::Tz;
    let DataType::Timestamp(_, Some(zone)) = input.data_type() else {
        return Ok(vec![None; input.len()]);
    };
    let tz: Tz = zone.parse()?;
    Ok(epoch_micros(input)?
        .into_iter()
        .map(|m| {
            let utc = chrono::DateTime::from_timestamp_micros(i64::try_from(m?).ok()?)?;
            Some(
                tz.offset_from_utc_datetime(&utc.naive_utc())
                    .fix()
                    .local_minus_utc(),
            )
        })
        .collect())
}

/// `timezone` (`unit` 1), `timezone_hour` (3600) or minutes (60) of a
/// timestamptz's offset; PostgreSQL has no zone for other types.
fn zone_offset(input: &ArrayRef, unit: i32) -> Result<Vec<Option<Scaled>>> {
    if !matches!(input.data_type(), DataType::Timestamp(_, Some(_))) {
        return exec_err!(
            "unit \"timezone\" not supported for type {}",
            input.data_type()
        );
    }
    Ok(zone_offsets(input)?
        .into_iter()
        .map(|o| o.map(|o| Scaled(i128::from(o / unit), 0)))
        .collect())
}

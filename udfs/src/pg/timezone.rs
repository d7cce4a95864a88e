//! `timezone(zone, x)`, PostgreSQL's `x AT TIME ZONE zone` (the SQL front
//! end rewrites the operator into the call): a `timestamptz` becomes the
//! wall-clock `timestamp` in `zone`; a `timestamp` is read as wall-clock
//! time in `zone` and becomes a `timestamptz`. DataFusion's `AT TIME ZONE`
//! only relabels the Arrow time zone.
//!
//! Zones are IANA names or offsets; a bare offset such as `'+02'` follows
//! POSIX as in PostgreSQL: hours *west* of Greenwich (`'+02'` is UTC−2).

use std::str::FromStr;
use std::sync::Arc;

use chrono::{DateTime, TimeZone};
use datafusion::arrow::array::timezone::Tz;
use datafusion::arrow::array::{Array, ArrayRef, AsArray, TimestampMicrosecondArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, IntervalUnit, TimeUnit, TimestampMicrosecondType};
use datafusion::common::{Result, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

/// The `timezone(zone, timestamp)` function.
pub fn udf() -> ScalarUDF {
    ScalarUDF::new_from_impl(AtTimeZone {
        signature: Signature::user_defined(Volatility::Immutable),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct AtTimeZone {
    signature: Signature,
}

/// The wall-clock time `local` in `tz` as an instant (microseconds since
/// the epoch), resolving DST changes as PostgreSQL does: a time the clocks
/// skipped is read with the offset in force before the change
/// (`2024-03-31 02:30` in Paris is 03:30+02), a time they showed twice is
/// the later instant, standard time (`2024-10-27 02:30` is 02:30+01).
pub fn local_to_utc_micros(local: chrono::NaiveDateTime, tz: &Tz) -> i64 {
    use chrono::{LocalResult, Offset};
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.timestamp_micros(),
        LocalResult::Ambiguous(_, later) => later.timestamp_micros(),
        LocalResult::None => {
            let before = local - chrono::Duration::days(1);
            let offset = tz.offset_from_utc_datetime(&before).fix();
            (local - chrono::Duration::seconds(i64::from(offset.local_minus_utc())))
                .and_utc()
                .timestamp_micros()
        }
    }
}

/// A PostgreSQL time zone name or POSIX offset as an Arrow zone.
pub fn zone(name: &str) -> Result<Tz> {
    let n = name.trim();
    let posix = n.starts_with(['+', '-']) && n[1..].chars().all(|c| c.is_ascii_digit() || c == ':');
    if posix {
        let (sign, body) = n.split_at(1);
        let (h, m) = body.split_once(':').unwrap_or((body, "0"));
        let (h, m): (i32, i32) = (h.parse().unwrap_or(0), m.parse().unwrap_or(0));
        let flipped = if sign == "+" { '-' } else { '+' };
        return Ok(Tz::from_str(&format!("{flipped}{h:02}:{m:02}"))?);
    }
    match n.to_ascii_lowercase().as_str() {
        "utc" | "gmt" | "z" | "zulu" => Ok(Tz::from_str("+00:00")?),
        _ => Tz::from_str(n).or_else(|_| exec_err!("time zone \"{n}\" not recognized")),
    }
}

impl ScalarUDFImpl for AtTimeZone {
    fn name(&self) -> &str {
        "timezone"
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let [z, t] = arg_types else {
            return plan_err!("function timezone takes two arguments");
        };
        // `AT TIME ZONE INTERVAL '-05:00'`: an offset east of Greenwich.
        let z = match z {
            DataType::Interval(_) => DataType::Interval(IntervalUnit::MonthDayNano),
            _ => DataType::Utf8,
        };
        let t = match t {
            DataType::Timestamp(_, Some(_)) | DataType::Date32 | DataType::Date64 => {
                DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
            }
            DataType::Timestamp(_, None) | DataType::Utf8 | DataType::Null => {
                DataType::Timestamp(TimeUnit::Microsecond, None)
            }
            other => return plan_err!("function timezone(text, {other}) does not exist"),
        };
        Ok(vec![z, t])
    }
    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        Ok(match &arg_types[1] {
            DataType::Timestamp(_, Some(_)) => DataType::Timestamp(TimeUnit::Microsecond, None),
            _ => DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
        })
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = super::all_scalar(&args.args);
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let zones = match arrays[0].data_type() {
            DataType::Interval(_) => interval_zones(&arrays[0])?,
            _ => cast(&arrays[0], &DataType::Utf8)?,
        };
        let zones = zones.as_string::<i32>();
        let zoned = matches!(arrays[1].data_type(), DataType::Timestamp(_, Some(_)));
        let micros = cast(
            &arrays[1],
            &DataType::Timestamp(TimeUnit::Microsecond, zoned.then(|| "UTC".into())),
        )?;
        let micros = micros.as_primitive::<TimestampMicrosecondType>();
        let mut cached: Option<(String, Tz)> = None;
        let mut out = Vec::with_capacity(micros.len());
        for i in 0..micros.len() {
            if micros.is_null(i) || zones.is_null(i) {
                out.push(None);
                continue;
            }
            let name = zones.value(i);
            if cached.as_ref().is_none_or(|(n, _)| n != name) {
                cached = Some((name.to_string(), zone(name)?));
            }
            let tz = &cached.as_ref().expect("set above").1;
            let v = micros.value(i);
            out.push(if zoned {
                DateTime::from_timestamp_micros(v).map(|d| {
                    d.with_timezone(tz)
                        .naive_local()
                        .and_utc()
                        .timestamp_micros()
                })
            } else {
                DateTime::from_timestamp_micros(v).map(|d| local_to_utc_micros(d.naive_utc(), tz))
            });
        }
        let array = TimestampMicrosecondArray::from(out);
        let array: ArrayRef = if zoned {
            Arc::new(array)
        } else {
            Arc::new(array.with_timezone("UTC"))
        };
        super::result(array, scalar)
    }
}

/// Interval zones (an offset east of Greenwich: `INTERVAL '-05:00'` is
/// UTC−5) as the POSIX offsets [`zone`] reads (`+05:00`, hours west).
/// PostgreSQL refuses an interval with months or days as a zone.
fn interval_zones(a: &ArrayRef) -> Result<ArrayRef> {
    use datafusion::arrow::array::StringArray;
    use datafusion::arrow::datatypes::IntervalMonthDayNanoType;
    let a = cast(a, &DataType::Interval(IntervalUnit::MonthDayNano))?;
    let texts = a
        .as_primitive::<IntervalMonthDayNanoType>()
        .iter()
        .map(|v| {
            v.map(|v| {
                if v.months != 0 || v.days != 0 {
                    return exec_err!("interval time zone must not include months or days");
                }
                let secs = v.nanoseconds / 1_000_000_000;
                let west = if secs < 0 { '+' } else { '-' };
                let s = secs.unsigned_abs();
                Ok(format!("{west}{:02}:{:02}", s / 3600, s / 60 % 60))
            })
            .transpose()
        })
        .collect::<Result<StringArray>>()?;
    Ok(Arc::new(texts))
}

/// The session's `TimeZone` (`datafusion.execution.time_zone`; UTC when
/// unset) as an Arrow zone.
pub fn session_zone(config: &datafusion::config::ConfigOptions) -> Result<Tz> {
    Ok(Tz::from_str(
        config.execution.time_zone.as_deref().unwrap_or("UTC"),
    )?)
}

/// Each date's local midnight in `tz` as an instant (PostgreSQL's
/// `date::timestamptz`); `infinity` and `-infinity` stay infinite.
pub(crate) fn local_midnights(
    dates: &datafusion::arrow::array::Date32Array,
    tz: &Tz,
) -> TimestampMicrosecondArray {
    use super::datetime_in::{
        DATE_INFINITY, DATE_NEG_INFINITY, TIMESTAMP_INFINITY, TIMESTAMP_NEG_INFINITY,
    };
    let out: TimestampMicrosecondArray = dates
        .iter()
        .map(|d| {
            Some(match d? {
                DATE_INFINITY => TIMESTAMP_INFINITY,
                DATE_NEG_INFINITY => TIMESTAMP_NEG_INFINITY,
                d => {
                    let day =
                        chrono::NaiveDate::from_num_days_from_ce_opt(d.checked_add(719_163)?)?;
                    local_to_utc_micros(day.and_hms_opt(0, 0, 0)?, tz)
                }
            })
        })
        .collect();
    out.with_timezone("UTC")
}

/// `pg_local_timestamp(x)`: a `timestamptz`'s wall-clock time in the
/// session's `TimeZone`, PostgreSQL's `timestamptz::timestamp`. Arrow's
/// cast keeps the wall-clock time of the zone the value happens to be
/// tagged with, which is not the session's.
pub fn local_timestamp() -> ScalarUDF {
    ScalarUDF::new_from_impl(SessionShift {
        to_local: true,
        signature: Signature::user_defined(Volatility::Stable),
    })
}

/// `pg_zoned_timestamp(x)`: a `timestamp` (or `date`) read as wall-clock
/// time in the session's `TimeZone`, PostgreSQL's `timestamp::timestamptz`,
/// with its DST rules ([`local_to_utc_micros`]); Arrow's cast errors on a
/// time in a gap or an overlap.
pub fn zoned_timestamp() -> ScalarUDF {
    ScalarUDF::new_from_impl(SessionShift {
        to_local: false,
        signature: Signature::user_defined(Volatility::Stable),
    })
}

/// Between instants and the session's wall-clock times.
#[derive(Debug, PartialEq, Eq, Hash)]
struct SessionShift {
    /// `timestamptz → timestamp` (else `timestamp → timestamptz`).
    to_local: bool,
    signature: Signature,
}

impl SessionShift {
    /// The input type taken, and the output type.
    fn types(&self) -> (DataType, DataType) {
        let zoned = DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()));
        let naive = DataType::Timestamp(TimeUnit::Microsecond, None);
        if self.to_local {
            (zoned, naive)
        } else {
            (naive, zoned)
        }
    }
}

impl ScalarUDFImpl for SessionShift {
    fn name(&self) -> &str {
        if self.to_local {
            "pg_local_timestamp"
        } else {
            "pg_zoned_timestamp"
        }
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let accepted = match arg_types {
            [DataType::Null] => true,
            [DataType::Timestamp(_, zone)] => zone.is_some() == self.to_local,
            [DataType::Date32] => !self.to_local,
            _ => false,
        };
        if !accepted {
            return plan_err!("{}: unexpected argument types {arg_types:?}", self.name());
        }
        Ok(vec![self.types().0])
    }
    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(self.types().1)
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = matches!(args.args[0], ColumnarValue::Scalar(_));
        let tz = session_zone(&args.config_options)?;
        let input = args.args[0].to_array(args.number_rows)?;
        let micros = cast(&input, &self.types().0)?;
        let micros = micros.as_primitive::<TimestampMicrosecondType>().iter();
        let out: TimestampMicrosecondArray = if self.to_local {
            micros
                .map(|v| {
                    let d = DateTime::from_timestamp_micros(v?)?;
                    Some(
                        d.with_timezone(&tz)
                            .naive_local()
                            .and_utc()
                            .timestamp_micros(),
                    )
                })
                .collect()
        } else {
            micros
                .map(|v| {
                    let d = DateTime::from_timestamp_micros(v?)?;
                    Some(local_to_utc_micros(d.naive_utc(), &tz))
                })
                .collect()
        };
        let out = match self.types().1 {
            DataType::Timestamp(_, Some(zone)) => out.with_timezone(zone),
            _ => out,
        };
        super::result(Arc::new(out), scalar)
    }
}

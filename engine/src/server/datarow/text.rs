//! PostgreSQL 15's text output for numbers, dates and timestamps, byte for
//! byte (`float8out`, `float4out`, `date_out`, `timestamp_out`,
//! `timestamptz_out` with `DateStyle = ISO`).
//!
//! pgwire's own formatters differ from PostgreSQL on exactly the values BI
//! tools compare: `1.0` instead of `1`, `1e20` instead of `1e+20`, `inf`
//! instead of `Infinity`, `03:04:05.000000` instead of `03:04:05`, no UTC
//! offset on `timestamptz`. Everything here writes straight into the row
//! buffer, without intermediate strings.

use bytes::{BufMut, BytesMut};
use datafusion::arrow::array::{ArrayRef, AsArray};
use datafusion::arrow::datatypes::DataType;

use super::interval_style::IntervalStyle;
use tessera_udfs::pg::numeric::Display;

/// Days from 1970-01-01 to PostgreSQL's epoch 2000-01-01.
pub(crate) const PG_EPOCH_DAYS: i32 = 10_957;
/// Microseconds from 1970-01-01 to 2000-01-01.
pub(crate) const PG_EPOCH_MICROS: i64 = 946_684_800_000_000;
const MICROS_PER_DAY: i64 = 86_400_000_000;

/// Significant digits of `%g` for `extra_float_digits <= 0` (`DBL_DIG`, `FLT_DIG`).
const DBL_DIG: i32 = 15;
const FLT_DIG: i32 = 6;

/// Writes an `i64` in decimal.
#[inline]
pub(crate) fn int(buf: &mut BytesMut, v: impl itoa::Integer) {
    buf.put_slice(itoa::Buffer::new().format(v).as_bytes());
}

/// `float8out`: shortest round-trip digits when `extra_float_digits > 0`
/// (PostgreSQL's default of 1), otherwise `%.{15+extra}g`.
pub(crate) fn float8(buf: &mut BytesMut, v: f64, extra_float_digits: i32) {
    if special(buf, v.is_nan(), v.is_infinite(), v.is_sign_negative()) {
        return;
    }
    if extra_float_digits > 0 {
        let mut ryu = ryu::Buffer::new();
        render(buf, &Decimal::parse(ryu.format_finite(v)), DBL_DIG);
    } else {
        let precision = (DBL_DIG + extra_float_digits).max(1);
        let s = format!("{:.*e}", (precision - 1) as usize, v);
        render(buf, &Decimal::parse(&s), precision);
    }
}

/// `float4out`: as [`float8`] with `FLT_DIG` and single-precision digits.
pub(crate) fn float4(buf: &mut BytesMut, v: f32, extra_float_digits: i32) {
    if special(buf, v.is_nan(), v.is_infinite(), v.is_sign_negative()) {
        return;
    }
    if extra_float_digits > 0 {
        let mut ryu = ryu::Buffer::new();
        render(buf, &Decimal::parse(ryu.format_finite(v)), FLT_DIG);
    } else {
        let precision = (FLT_DIG + extra_float_digits).max(1);
        let s = format!("{:.*e}", (precision - 1) as usize, v);
        render(buf, &Decimal::parse(&s), precision);
    }
}

fn special(buf: &mut BytesMut, nan: bool, infinite: bool, negative: bool) -> bool {
    if nan {
        buf.put_slice(b"NaN");
    } else if infinite {
        buf.put_slice(if negative { b"-Infinity" } else { b"Infinity" });
    } else {
        return false;
    }
    true
}

/// A finite decimal: `[-]0.d1d2d3… × 10^(exp+1)`, i.e. `d1.d2d3… × 10^exp`.
struct Decimal {
    negative: bool,
    /// Significant digits, no leading or trailing zeros (empty for zero).
    digits: [u8; 40],
    len: usize,
    exp: i32,
}

impl Decimal {
    /// Parses the output of `ryu` or of Rust's `{:e}` formatting.
    fn parse(s: &str) -> Decimal {
        let mut d = Decimal {
            negative: false,
            digits: [0; 40],
            len: 0,
            exp: 0,
        };
        let (mantissa, exp) = match s.split_once(['e', 'E']) {
            Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
            None => (s, 0),
        };
        let mantissa = match mantissa.strip_prefix('-') {
            Some(m) => {
                d.negative = true;
                m
            }
            None => mantissa,
        };
        // Position of the decimal point relative to the first digit seen.
        let mut point: Option<i32> = None;
        let mut seen = 0i32;
        let mut first_significant: Option<i32> = None;
        for b in mantissa.bytes() {
            if b == b'.' {
                point = Some(seen);
                continue;
            }
            let digit = b - b'0';
            if digit != 0 && first_significant.is_none() {
                first_significant = Some(seen);
            }
            if first_significant.is_some() && d.len < d.digits.len() {
                d.digits[d.len] = digit;
                d.len += 1;
            }
            seen += 1;
        }
        while d.len > 0 && d.digits[d.len - 1] == 0 {
            d.len -= 1;
        }
        let point = point.unwrap_or(seen);
        if let Some(first) = first_significant {
            d.exp = point - first - 1 + exp;
        }
        d
    }
}

/// PostgreSQL's layout: fixed notation when `-4 <= exp < fixed_below`,
/// otherwise `d.ddde±XX` with at least two exponent digits.
fn render(buf: &mut BytesMut, d: &Decimal, fixed_below: i32) {
    if d.negative {
        buf.put_u8(b'-');
    }
    let digits = &d.digits[..d.len];
    if digits.is_empty() {
        buf.put_u8(b'0');
        return;
    }
    let ascii = |b: &u8| b + b'0';
    if d.exp >= -4 && d.exp < fixed_below {
        if d.exp < 0 {
            buf.put_slice(b"0.");
            buf.put_bytes(b'0', (-d.exp - 1) as usize);
            buf.extend(digits.iter().map(ascii));
        } else {
            let int_len = d.exp as usize + 1;
            if digits.len() <= int_len {
                buf.extend(digits.iter().map(ascii));
                buf.put_bytes(b'0', int_len - digits.len());
            } else {
                buf.extend(digits[..int_len].iter().map(ascii));
                buf.put_u8(b'.');
                buf.extend(digits[int_len..].iter().map(ascii));
            }
        }
        return;
    }
    buf.put_u8(digits[0] + b'0');
    if digits.len() > 1 {
        buf.put_u8(b'.');
        buf.extend(digits[1..].iter().map(ascii));
    }
    buf.put_u8(b'e');
    buf.put_u8(if d.exp < 0 { b'-' } else { b'+' });
    let e = d.exp.unsigned_abs();
    if e < 10 {
        buf.put_u8(b'0');
    }
    int(buf, e);
}

/// `numeric` text of a scaled integer (`Decimal128(p, s)` with `s >= 0`):
/// exactly `scale` fractional digits, as PostgreSQL prints a typed numeric.
pub(crate) fn decimal(buf: &mut BytesMut, v: i128, scale: u32) {
    if v < 0 {
        buf.put_u8(b'-');
    }
    let mut itoa = itoa::Buffer::new();
    let digits = itoa.format(v.unsigned_abs()).as_bytes();
    let scale = scale as usize;
    if scale == 0 {
        buf.put_slice(digits);
        return;
    }
    if digits.len() <= scale {
        buf.put_slice(b"0.");
        buf.put_bytes(b'0', scale - digits.len());
        buf.put_slice(digits);
    } else {
        let (int_part, frac) = digits.split_at(digits.len() - scale);
        buf.put_slice(int_part);
        buf.put_u8(b'.');
        buf.put_slice(frac);
    }
}

/// A stored quotient or statistic (`Decimal128(38, 20)`, see
/// `tessera_udfs::pg::numeric::Display`)
/// at the scale PostgreSQL would have shown it with.
pub(crate) fn quotient(buf: &mut BytesMut, v: i128, display: Display) {
    use tessera_udfs::pg::numeric::QUOTIENT_SCALE;
    let scale = display.scale(v);
    let divisor = 10i128.pow((QUOTIENT_SCALE - scale) as u32);
    let (q, r) = (v / divisor, v % divisor);
    let rounded = if r.unsigned_abs() * 2 >= divisor.unsigned_abs() {
        q + v.signum()
    } else {
        q
    };
    decimal(buf, rounded, scale as u32);
}

/// `time` or `interval` text of row `row` of a time, duration or interval
/// array (`IntervalStyle` postgres: `1 year 2 mons 3 days 04:05:06`; the
/// other styles: [`super::interval_style`]).
pub(crate) fn temporal(buf: &mut BytesMut, a: &ArrayRef, row: usize, style: IntervalStyle) {
    use datafusion::arrow::datatypes::{
        DurationMicrosecondType, DurationMillisecondType, DurationNanosecondType,
        DurationSecondType, IntervalDayTimeType, IntervalMonthDayNanoType, IntervalUnit,
        IntervalYearMonthType, Time32MillisecondType, Time32SecondType, Time64MicrosecondType,
        Time64NanosecondType, TimeUnit,
    };
    let interval = |buf: &mut BytesMut, months: i32, days: i64, micros: i128| match style {
        IntervalStyle::Postgres => interval(buf, months, days, micros),
        other => super::interval_style::encode(buf, other, months, days, micros),
    };
    let micros_of = |v: i64, unit: &TimeUnit| match unit {
        TimeUnit::Second => i128::from(v) * 1_000_000,
        TimeUnit::Millisecond => i128::from(v) * 1000,
        TimeUnit::Microsecond => i128::from(v),
        TimeUnit::Nanosecond => i128::from(v) / 1000,
    };
    match a.data_type() {
        DataType::Time32(unit) => {
            let v = match unit {
                TimeUnit::Second => a.as_primitive::<Time32SecondType>().value(row),
                _ => a.as_primitive::<Time32MillisecondType>().value(row),
            };
            clock(buf, micros_of(i64::from(v), unit), false);
        }
        DataType::Time64(unit) => {
            let v = match unit {
                TimeUnit::Nanosecond => a.as_primitive::<Time64NanosecondType>().value(row),
                _ => a.as_primitive::<Time64MicrosecondType>().value(row),
            };
            clock(buf, micros_of(v, unit), false);
        }
        DataType::Duration(unit) => {
            let v = match unit {
                TimeUnit::Second => a.as_primitive::<DurationSecondType>().value(row),
                TimeUnit::Millisecond => a.as_primitive::<DurationMillisecondType>().value(row),
                TimeUnit::Microsecond => a.as_primitive::<DurationMicrosecondType>().value(row),
                TimeUnit::Nanosecond => a.as_primitive::<DurationNanosecondType>().value(row),
            };
            // PostgreSQL's timestamp difference: whole days, then the time.
            let micros = micros_of(v, unit);
            let day = 86_400_000_000i128;
            interval(buf, 0, (micros / day) as i64, micros % day);
        }
        DataType::Interval(IntervalUnit::MonthDayNano) => {
            let v = a.as_primitive::<IntervalMonthDayNanoType>().value(row);
            interval(
                buf,
                v.months,
                i64::from(v.days),
                i128::from(v.nanoseconds) / 1000,
            );
        }
        DataType::Interval(IntervalUnit::DayTime) => {
            let v = a.as_primitive::<IntervalDayTimeType>().value(row);
            interval(buf, 0, i64::from(v.days), i128::from(v.milliseconds) * 1000);
        }
        DataType::Interval(IntervalUnit::YearMonth) => {
            let v = a.as_primitive::<IntervalYearMonthType>().value(row);
            interval(buf, v, 0, 0);
        }
        _ => buf.put_slice(b"?"),
    }
}

/// `HH:MM:SS[.ffffff]` (fraction without trailing zeros); hours may pass 24.
fn clock(buf: &mut BytesMut, micros: i128, sign: bool) {
    tessera_udfs::pg::interval::write_clock(buf, micros, sign);
}

/// PostgreSQL's `EncodeInterval` in the `postgres` style.
fn interval(buf: &mut BytesMut, months: i32, days: i64, micros: i128) {
    tessera_udfs::pg::interval::write_postgres(buf, months, days, micros);
}

/// Proleptic Gregorian (year, month, day) of a day count since 1970-01-01
/// (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn two(buf: &mut BytesMut, v: u32) {
    buf.put_u8(b'0' + (v / 10) as u8);
    buf.put_u8(b'0' + (v % 10) as u8);
}

/// `YYYY-MM-DD`; years before 1 are written as PostgreSQL does (`0044-…`,
/// with ` BC` appended by the caller after the whole value). Returns BC.
fn ymd(buf: &mut BytesMut, days: i64) -> bool {
    let (y, month, day) = civil_from_days(days);
    let bc = year(buf, y);
    buf.put_u8(b'-');
    two(buf, month);
    buf.put_u8(b'-');
    two(buf, day);
    bc
}

/// `DateStyle`'s output style and field order (PostgreSQL's `DateStyle`
/// and `DateOrder` as `EncodeDateOnly`/`EncodeDateTime` use them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DateStyle {
    /// `2024-02-29 13:45:10+01` (the default).
    Iso,
    /// `02/29/2024 13:45:10 CET`, `29/02/2024 …` with day first.
    Sql { dmy: bool },
    /// `29.02.2024 13:45:10 CET`.
    German,
    /// `Thu Feb 29 13:45:10 2024 CET`, `Thu 29 Feb …` with day first;
    /// dates `02-29-2024` / `29-02-2024`.
    Postgres { dmy: bool },
}

impl DateStyle {
    /// From a `DateStyle` value as `SHOW` prints it (`ISO, MDY`, `SQL, DMY`).
    pub(crate) fn parse(value: &str) -> DateStyle {
        let upper = value.to_ascii_uppercase();
        let dmy = upper.contains("DMY") || upper.contains("EURO");
        match upper
            .split([',', ' '])
            .find(|p| !p.is_empty())
            .unwrap_or("ISO")
        {
            "SQL" => DateStyle::Sql { dmy },
            "GERMAN" => DateStyle::German,
            "POSTGRES" => DateStyle::Postgres { dmy },
            _ => DateStyle::Iso,
        }
    }
}

const MONTHS: [&[u8; 3]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];
const WEEKDAYS: [&[u8; 3]; 7] = [b"Thu", b"Fri", b"Sat", b"Sun", b"Mon", b"Tue", b"Wed"];

/// A year as PostgreSQL writes it: at least four digits, years before 1
/// as `n BC` (the caller appends ` BC`). Returns BC.
fn year(buf: &mut BytesMut, year: i64) -> bool {
    let bc = year <= 0;
    let shown = if bc { 1 - year } else { year } as u64;
    if shown < 1000 {
        buf.put_bytes(b'0', 4 - itoa::Buffer::new().format(shown).len());
    }
    int(buf, shown);
    bc
}

/// The date part of `days` in `style` (not `Postgres` timestamps, whose
/// date is split around the time). Returns BC.
fn styled_date(buf: &mut BytesMut, days: i64, style: DateStyle) -> bool {
    let (y, month, day) = civil_from_days(days);
    let (first, second, sep) = match style {
        DateStyle::Iso => return ymd(buf, days),
        DateStyle::Sql { dmy: true } => (day, month, b'/'),
        DateStyle::Sql { dmy: false } => (month, day, b'/'),
        DateStyle::German => (day, month, b'.'),
        DateStyle::Postgres { dmy: true } => (day, month, b'-'),
        DateStyle::Postgres { dmy: false } => (month, day, b'-'),
    };
    two(buf, first);
    buf.put_u8(sep);
    two(buf, second);
    buf.put_u8(sep);
    year(buf, y)
}

/// `date_out` of days since 1970-01-01 in `style`.
pub(crate) fn date_styled(buf: &mut BytesMut, days: i32, style: DateStyle) {
    if styled_date(buf, i64::from(days), style) {
        buf.put_slice(b" BC");
    }
}

/// `HH:MM:SS[.ffffff]` with trailing fractional zeros dropped.
pub(crate) fn time_of_day(buf: &mut BytesMut, micros: i64) {
    let secs = (micros / 1_000_000) as u32;
    two(buf, secs / 3600);
    buf.put_u8(b':');
    two(buf, secs / 60 % 60);
    buf.put_u8(b':');
    two(buf, secs % 60);
    let mut frac = (micros % 1_000_000) as u32;
    if frac != 0 {
        let mut width = 6;
        while frac.is_multiple_of(10) {
            frac /= 10;
            width -= 1;
        }
        buf.put_u8(b'.');
        let s = itoa::Buffer::new().format(frac).len();
        buf.put_bytes(b'0', width - s);
        int(buf, frac);
    }
}

/// `timestamp_out` (ISO) of microseconds since 1970-01-01, or with
/// `offset_secs` the `timestamptz_out` of the local time at that offset.
pub(crate) fn timestamp(buf: &mut BytesMut, micros: i64, offset_secs: Option<i32>) {
    let zone = offset_secs.map(|o| (o, None));
    timestamp_styled(buf, micros, zone, DateStyle::Iso);
}

/// A UTC offset as `EncodeTimezone` writes it: `+01`, `-05:30`.
fn offset(buf: &mut BytesMut, offset: i32) {
    buf.put_u8(if offset < 0 { b'-' } else { b'+' });
    let o = offset.unsigned_abs();
    two(buf, o / 3600);
    if !o.is_multiple_of(3600) {
        buf.put_u8(b':');
        two(buf, o / 60 % 60);
        if !o.is_multiple_of(60) {
            buf.put_u8(b':');
            two(buf, o % 60);
        }
    }
}

/// `timestamp_out` of microseconds since 1970-01-01 in `style`, or with
/// `zone` (its UTC offset then, and the zone's abbreviation if it has
/// one) `timestamptz_out` of the local time there. ISO prints the offset,
/// the other styles the abbreviation (the offset without one).
pub(crate) fn timestamp_styled(
    buf: &mut BytesMut,
    micros: i64,
    zone: Option<(i32, Option<&str>)>,
    style: DateStyle,
) {
    let local = micros + i64::from(zone.map_or(0, |z| z.0)) * 1_000_000;
    let days = local.div_euclid(MICROS_PER_DAY);
    let clock = local.rem_euclid(MICROS_PER_DAY);
    let bc = match style {
        DateStyle::Postgres { dmy } => {
            let (y, month, day) = civil_from_days(days);
            buf.put_slice(WEEKDAYS[days.rem_euclid(7) as usize]);
            buf.put_u8(b' ');
            if dmy {
                two(buf, day);
                buf.put_u8(b' ');
                buf.put_slice(MONTHS[month as usize - 1]);
            } else {
                buf.put_slice(MONTHS[month as usize - 1]);
                buf.put_u8(b' ');
                two(buf, day);
            }
            buf.put_u8(b' ');
            time_of_day(buf, clock);
            buf.put_u8(b' ');
            year(buf, y)
        }
        _ => {
            let bc = styled_date(buf, days, style);
            buf.put_u8(b' ');
            time_of_day(buf, clock);
            bc
        }
    };
    match (zone, style) {
        (None, _) => {}
        (Some((o, _)), DateStyle::Iso) | (Some((o, None)), _) => {
            if style != DateStyle::Iso {
                buf.put_u8(b' ');
            }
            offset(buf, o);
        }
        (Some((_, Some(abbreviation))), _) => {
            buf.put_u8(b' ');
            buf.put_slice(abbreviation.as_bytes());
        }
    }
    if bc {
        buf.put_slice(b" BC");
    }
}

/// `bytea` in the default `hex` output: `\x` and two lowercase digits a byte.
pub(crate) fn bytea_hex(buf: &mut BytesMut, v: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    buf.reserve(2 + 2 * v.len());
    buf.put_slice(b"\\x");
    for b in v {
        buf.put_u8(HEX[(b >> 4) as usize]);
        buf.put_u8(HEX[(b & 15) as usize]);
    }
}

/// Quotes the array element written at `buf[at..]` as `array_out` does:
/// in double quotes, with `"` and `\` escaped, when it is empty, is `NULL`
/// (in any case), or holds a brace, a comma, a quote, a backslash or white
/// space. Most elements (numbers, dates) need none and are left in place.
pub(crate) fn quote_array_element(buf: &mut BytesMut, at: usize) {
    let special = |b: &u8| {
        matches!(
            b,
            b'{' | b'}' | b',' | b'"' | b'\\' | b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c
        )
    };
    let text = &buf[at..];
    let quote = text.is_empty() || text.eq_ignore_ascii_case(b"NULL") || text.iter().any(special);
    if !quote {
        return;
    }
    let raw = text.to_vec();
    buf.truncate(at);
    buf.reserve(raw.len() + 2);
    buf.put_u8(b'"');
    for b in raw {
        if b == b'"' || b == b'\\' {
            buf.put_u8(b'\\');
        }
        buf.put_u8(b);
    }
    buf.put_u8(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_elements_are_quoted_as_array_out_quotes_them() {
        // PostgreSQL 15: SELECT ARRAY['a', '', 'null', 'x y', 'a,b', 'q"', 'b\', '{}']::text[];
        let mut buf = BytesMut::new();
        for (i, e) in ["a", "", "null", "x y", "a,b", "q\"", "b\\", "{}"]
            .iter()
            .enumerate()
        {
            if i > 0 {
                buf.put_u8(b',');
            }
            let at = buf.len();
            buf.put_slice(e.as_bytes());
            quote_array_element(&mut buf, at);
        }
        assert_eq!(&buf[..], br#"a,"","null","x y","a,b","q\"","b\\","{}""#);
    }

    fn s(f: impl FnOnce(&mut BytesMut)) -> String {
        let mut b = BytesMut::new();
        f(&mut b);
        String::from_utf8(b.to_vec()).unwrap()
    }

    #[test]
    fn float8_matches_postgres() {
        // Expected values: PostgreSQL 15 `SELECT x::float8` (extra_float_digits 1).
        for (v, pg) in [
            (1.0, "1"),
            (1e20, "1e+20"),
            (1.5e-5, "1.5e-05"),
            (-0.0, "-0"),
            (0.0, "0"),
            (123456789012345.6, "123456789012345.6"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1e15, "1e+15"),
            (1e14, "100000000000000"),
            (1e-4, "0.0001"),
            (1e-5, "1e-05"),
            (123.5, "123.5"),
            (-2.5e-300, "-2.5e-300"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (f64::INFINITY, "Infinity"),
            (f64::NEG_INFINITY, "-Infinity"),
            (f64::NAN, "NaN"),
        ] {
            assert_eq!(s(|b| float8(b, v, 1)), pg, "{v}");
        }
        // extra_float_digits = 0: %.15g
        assert_eq!(s(|b| float8(b, 0.1 + 0.2, 0)), "0.3");
        assert_eq!(s(|b| float8(b, 1e20, 0)), "1e+20");
        assert_eq!(s(|b| float8(b, 123456.0, -10)), "1.2346e+05");
        assert_eq!(s(|b| float8(b, 100.0, 0)), "100");
    }

    #[test]
    fn float4_matches_postgres() {
        for (v, pg) in [
            (0.5f32, "0.5"),
            (0.1, "0.1"),
            (100000.0, "100000"),
            (1e6, "1e+06"),
            (1.25e-5, "1.25e-05"),
            (3.4028235e38, "3.4028235e+38"),
        ] {
            assert_eq!(s(|b| float4(b, v, 1)), pg, "{v}");
        }
        assert_eq!(s(|b| float4(b, 0.1, 0)), "0.1");
    }

    #[test]
    fn decimals() {
        assert_eq!(s(|b| decimal(b, 3140, 3)), "3.140");
        assert_eq!(s(|b| decimal(b, -5, 2)), "-0.05");
        assert_eq!(s(|b| decimal(b, 0, 2)), "0.00");
        assert_eq!(s(|b| decimal(b, 42, 0)), "42");
    }

    #[test]
    fn dates_and_timestamps_match_postgres() {
        assert_eq!(s(|b| date_styled(b, 0, DateStyle::Iso)), "1970-01-01");
        assert_eq!(s(|b| date_styled(b, 10_956, DateStyle::Iso)), "1999-12-31");
        assert_eq!(
            s(|b| date_styled(b, -719_163, DateStyle::Iso)),
            "0001-12-31 BC"
        );
        assert_eq!(
            s(|b| date_styled(b, 3_789_000, DateStyle::Iso)),
            "12343-12-07"
        );
        let ts = 1_704_164_645_123_400; // 2024-01-02 03:04:05.1234 UTC
        assert_eq!(s(|b| timestamp(b, ts, None)), "2024-01-02 03:04:05.1234");
        assert_eq!(
            s(|b| timestamp(b, ts - 123_400, None)),
            "2024-01-02 03:04:05"
        );
        assert_eq!(
            s(|b| timestamp(b, ts, Some(0))),
            "2024-01-02 03:04:05.1234+00"
        );
        assert_eq!(
            s(|b| timestamp(b, ts, Some(-(3 * 3600 + 1800)))),
            "2024-01-01 23:34:05.1234-03:30"
        );
        assert_eq!(s(|b| timestamp(b, -1, None)), "1969-12-31 23:59:59.999999");
        // 0044-03-15 00:00:00 BC
        assert_eq!(
            s(|b| timestamp(b, -63_517_824_000_000_000, None)),
            "0044-03-15 00:00:00 BC"
        );
        assert_eq!(s(|b| bytea_hex(b, b"ab")), "\\x6162");
    }

    #[test]
    fn date_styles_match_postgres() {
        use DateStyle::*;
        // Answers of PostgreSQL 15 with TimeZone = 'Europe/Paris'.
        let ts = 1_704_164_645_123_400; // 2024-01-02 03:04:05.1234 UTC
        let cet = Some((3600, Some("CET")));
        let styled = |style, zone| s(|b| timestamp_styled(b, ts, zone, style));
        assert_eq!(
            styled(Sql { dmy: true }, cet),
            "02/01/2024 04:04:05.1234 CET"
        );
        assert_eq!(
            styled(Sql { dmy: false }, cet),
            "01/02/2024 04:04:05.1234 CET"
        );
        assert_eq!(styled(German, cet), "02.01.2024 04:04:05.1234 CET");
        assert_eq!(
            styled(Postgres { dmy: false }, cet),
            "Tue Jan 02 04:04:05.1234 2024 CET"
        );
        assert_eq!(
            styled(Postgres { dmy: true }, cet),
            "Tue 02 Jan 04:04:05.1234 2024 CET"
        );
        assert_eq!(styled(Iso, cet), "2024-01-02 04:04:05.1234+01");
        assert_eq!(styled(German, None), "02.01.2024 03:04:05.1234");
        // A zone without an abbreviation prints its offset.
        assert_eq!(
            styled(Sql { dmy: true }, Some((-3 * 3600, None))),
            "02/01/2024 00:04:05.1234 -03"
        );
        let bc = -63_517_824_000_000_000 + 36_000_000_000; // 0044-03-15 10:00 BC
        assert_eq!(
            s(|b| timestamp_styled(b, bc, None, Postgres { dmy: false })),
            "Fri Mar 15 10:00:00 0044 BC"
        );
        let jan2 = 19_724;
        assert_eq!(s(|b| date_styled(b, jan2, Sql { dmy: true })), "02/01/2024");
        assert_eq!(
            s(|b| date_styled(b, jan2, Postgres { dmy: false })),
            "01-02-2024"
        );
        assert_eq!(s(|b| date_styled(b, jan2, German)), "02.01.2024");
        assert_eq!(
            s(|b| date_styled(b, -735_160, Sql { dmy: true })),
            "15/03/0044 BC"
        );
        assert_eq!(DateStyle::parse("SQL, DMY"), Sql { dmy: true });
        assert_eq!(DateStyle::parse("Postgres, MDY"), Postgres { dmy: false });
        assert_eq!(DateStyle::parse("German, DMY"), German);
        assert_eq!(DateStyle::parse("ISO, DMY"), Iso);
    }
}

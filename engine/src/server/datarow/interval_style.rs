//! Interval text in PostgreSQL's other `IntervalStyle`s (`EncodeInterval`
//! in `datetime.c`): `sql_standard` (`1-2`, `3 4:05:06`, `+1-2 -3 +4:05:06`
//! for mixed signs), `iso_8601` (`P1Y2M3DT4H5M6.5S`) and
//! `postgres_verbose` (`@ 1 year 2 mons 3 days 4 hours 5 mins 6 secs`,
//! `@ 1 hour 30 mins ago`). The default style, `postgres`, is
//! `text::interval`.

use bytes::{BufMut, BytesMut};

/// The session's `IntervalStyle`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IntervalStyle {
    Postgres,
    PostgresVerbose,
    SqlStandard,
    Iso8601,
}

impl IntervalStyle {
    /// The style a setting value names (PostgreSQL's spellings, any case);
    /// `postgres` for anything else.
    pub(crate) fn parse(setting: &str) -> IntervalStyle {
        match setting.trim().to_ascii_lowercase().as_str() {
            "postgres_verbose" => IntervalStyle::PostgresVerbose,
            "sql_standard" => IntervalStyle::SqlStandard,
            "iso_8601" => IntervalStyle::Iso8601,
            _ => IntervalStyle::Postgres,
        }
    }
}

/// An interval's fields as PostgreSQL splits it (`interval2itm`): every
/// time field carries the sign of the time part.
struct Fields {
    year: i64,
    mon: i64,
    mday: i64,
    hour: i64,
    min: i64,
    sec: i64,
    fsec: i64,
}

impl Fields {
    fn new(months: i32, days: i64, micros: i128) -> Fields {
        let micros = micros as i64;
        Fields {
            year: i64::from(months / 12),
            mon: i64::from(months % 12),
            mday: days,
            hour: micros / 3_600_000_000,
            min: micros / 60_000_000 % 60,
            sec: micros / 1_000_000 % 60,
            fsec: micros % 1_000_000,
        }
    }
}

/// `AppendSeconds`: absolute seconds, then a fraction without trailing
/// zeros; `fill` pads the seconds to two digits.
fn seconds(out: &mut String, sec: i64, fsec: i64, fill: bool) {
    let s = sec.unsigned_abs();
    if fill {
        out.push_str(&format!("{s:02}"));
    } else {
        out.push_str(&s.to_string());
    }
    if fsec != 0 {
        let f = format!("{:06}", fsec.unsigned_abs());
        out.push('.');
        out.push_str(f.trim_end_matches('0'));
    }
}

/// Writes `months`, `days`, `micros` in `style` (not `Postgres`).
pub(crate) fn encode(
    buf: &mut BytesMut,
    style: IntervalStyle,
    months: i32,
    days: i64,
    micros: i128,
) {
    let f = Fields::new(months, days, micros);
    let text = match style {
        IntervalStyle::SqlStandard => sql_standard(f),
        IntervalStyle::Iso8601 => iso_8601(&f),
        IntervalStyle::PostgresVerbose | IntervalStyle::Postgres => verbose(&f),
    };
    buf.put_slice(text.as_bytes());
}

fn sql_standard(mut f: Fields) -> String {
    let neg =
        f.year < 0 || f.mon < 0 || f.mday < 0 || f.hour < 0 || f.min < 0 || f.sec < 0 || f.fsec < 0;
    let pos =
        f.year > 0 || f.mon > 0 || f.mday > 0 || f.hour > 0 || f.min > 0 || f.sec > 0 || f.fsec > 0;
    let year_month = f.year != 0 || f.mon != 0;
    let day_time = f.mday != 0 || f.hour != 0 || f.min != 0 || f.sec != 0 || f.fsec != 0;
    let standard = !(neg && pos || year_month && day_time);
    let mut out = String::new();
    if neg && standard {
        out.push('-');
        for v in [
            &mut f.year,
            &mut f.mon,
            &mut f.mday,
            &mut f.hour,
            &mut f.min,
            &mut f.sec,
            &mut f.fsec,
        ] {
            *v = -*v;
        }
    }
    if !neg && !pos {
        out.push('0');
    } else if !standard {
        let year_sign = if f.year < 0 || f.mon < 0 { '-' } else { '+' };
        let day_sign = if f.mday < 0 { '-' } else { '+' };
        let sec_sign = if f.hour < 0 || f.min < 0 || f.sec < 0 || f.fsec < 0 {
            '-'
        } else {
            '+'
        };
        out.push_str(&format!(
            "{year_sign}{}-{} {day_sign}{} {sec_sign}{}:{:02}:",
            f.year.abs(),
            f.mon.abs(),
            f.mday.abs(),
            f.hour.abs(),
            f.min.abs()
        ));
        seconds(&mut out, f.sec, f.fsec, true);
    } else if year_month {
        out.push_str(&format!("{}-{}", f.year, f.mon));
    } else if f.mday != 0 {
        out.push_str(&format!("{} {}:{:02}:", f.mday, f.hour, f.min));
        seconds(&mut out, f.sec, f.fsec, true);
    } else {
        out.push_str(&format!("{}:{:02}:", f.hour, f.min));
        seconds(&mut out, f.sec, f.fsec, true);
    }
    out
}

fn iso_8601(f: &Fields) -> String {
    if [f.year, f.mon, f.mday, f.hour, f.min, f.sec, f.fsec]
        .iter()
        .all(|v| *v == 0)
    {
        return "PT0S".into();
    }
    let mut out = String::from("P");
    let part = |out: &mut String, v: i64, unit: char| {
        if v != 0 {
            out.push_str(&format!("{v}{unit}"));
        }
    };
    part(&mut out, f.year, 'Y');
    part(&mut out, f.mon, 'M');
    part(&mut out, f.mday, 'D');
    if f.hour != 0 || f.min != 0 || f.sec != 0 || f.fsec != 0 {
        out.push('T');
    }
    part(&mut out, f.hour, 'H');
    part(&mut out, f.min, 'M');
    if f.sec != 0 || f.fsec != 0 {
        if f.sec < 0 || f.fsec < 0 {
            out.push('-');
        }
        seconds(&mut out, f.sec, f.fsec, false);
        out.push('S');
    }
    out
}

fn verbose(f: &Fields) -> String {
    let mut out = String::from("@");
    let (mut zero, mut before) = (true, false);
    for (v, unit) in [
        (f.year, "year"),
        (f.mon, "mon"),
        (f.mday, "day"),
        (f.hour, "hour"),
        (f.min, "min"),
    ] {
        if v == 0 {
            continue;
        }
        let mut v = v;
        if zero {
            before = v < 0;
            v = v.abs();
        } else if before {
            v = -v;
        }
        out.push_str(&format!(" {v} {unit}{}", if v == 1 { "" } else { "s" }));
        zero = false;
    }
    if f.sec != 0 || f.fsec != 0 {
        out.push(' ');
        if f.sec < 0 || (f.sec == 0 && f.fsec < 0) {
            if zero {
                before = true;
            } else if !before {
                out.push('-');
            }
        } else if before {
            out.push('-');
        }
        seconds(&mut out, f.sec, f.fsec, false);
        let plural = f.sec.abs() != 1 || f.fsec != 0;
        out.push_str(if plural { " secs" } else { " sec" });
        zero = false;
    }
    if zero {
        out.push_str(" 0");
    }
    if before {
        out.push_str(" ago");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(style: IntervalStyle, months: i32, days: i64, micros: i128) -> String {
        let mut buf = BytesMut::new();
        encode(&mut buf, style, months, days, micros);
        String::from_utf8(buf.to_vec()).unwrap()
    }

    #[test]
    fn styles_print_as_postgres() {
        // PostgreSQL 15 with each IntervalStyle.
        let t = 4 * 3_600_000_000 + 5 * 60_000_000 + 6_500_000;
        use IntervalStyle::*;
        assert_eq!(text(Iso8601, 14, 3, t), "P1Y2M3DT4H5M6.5S");
        assert_eq!(text(Iso8601, 0, 0, 36 * 3_600_000_000), "PT36H");
        assert_eq!(text(Iso8601, 0, -1, 0), "P-1D");
        assert_eq!(text(Iso8601, 0, 0, 0), "PT0S");
        assert_eq!(text(SqlStandard, 14, 0, 0), "1-2");
        assert_eq!(text(SqlStandard, 0, 3, t - 500_000), "3 4:05:06");
        assert_eq!(
            text(SqlStandard, 0, -1, 2 * 3_600_000_000),
            "+0-0 -1 +2:00:00"
        );
        assert_eq!(text(SqlStandard, 14, 3, t - 500_000), "+1-2 +3 +4:05:06");
        assert_eq!(text(SqlStandard, 0, 0, 0), "0");
        assert_eq!(
            text(PostgresVerbose, 14, 3, t - 500_000),
            "@ 1 year 2 mons 3 days 4 hours 5 mins 6 secs"
        );
        assert_eq!(
            text(PostgresVerbose, 0, 0, -90 * 60_000_000),
            "@ 1 hour 30 mins ago"
        );
        assert_eq!(text(PostgresVerbose, 0, 0, 0), "@ 0");
        assert_eq!(
            text(PostgresVerbose, 0, -1, 2 * 3_600_000_000),
            "@ 1 day -2 hours ago"
        );
        assert_eq!(text(PostgresVerbose, 0, 0, -500_000), "@ 0.5 secs ago");
        assert_eq!(
            text(Iso8601, 0, -1, 2 * 3_600_000_000 + 3_250_000),
            "P-1DT2H3.25S"
        );
        assert_eq!(text(Iso8601, 0, 0, -500_000), "PT-0.5S");
    }
}

//! PostgreSQL's interval input (`DecodeInterval` and `DecodeISO8601Interval`
//! in PostgreSQL 15): `1 year 2 mons 3 days 04:05:06`, `36 hours`,
//! `-1 day +2 hours`, `1.5 days`, `@ 1 hour ago`, `P1Y2M3DT4H5M6S`, a bare
//! number of seconds. DataFusion's parser takes only `<number> <unit>`
//! pairs; the SQL front end rewrites interval literals into the canonical
//! form [`canonical`] returns, which it reads. Also PostgreSQL's interval
//! output ([`write_postgres`]), shared by the wire encoder and the JSON
//! writers.

/// An interval as PostgreSQL stores it: months, days, microseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Interval {
    /// Months (years are 12).
    pub months: i64,
    /// Days.
    pub days: i64,
    /// Microseconds.
    pub micros: i64,
}

const MICROS_PER_DAY: f64 = 86_400_000_000.0;

impl Interval {
    /// Adds `value` of `unit`, fractions spilling into the smaller units
    /// as PostgreSQL does (`1.5 days` = 1 day 12:00:00, `1.5 mons` = 1 mon
    /// 15 days).
    fn add(&mut self, value: f64, unit: &str) -> Option<()> {
        let (months, days, micros): (f64, f64, f64) = match unit {
            "microsecond" => (0.0, 0.0, 1.0),
            "millisecond" => (0.0, 0.0, 1e3),
            "second" => (0.0, 0.0, 1e6),
            "minute" => (0.0, 0.0, 6e7),
            "hour" => (0.0, 0.0, 3.6e9),
            "day" => (0.0, 1.0, 0.0),
            "week" => (0.0, 7.0, 0.0),
            "month" => (1.0, 0.0, 0.0),
            "year" => (12.0, 0.0, 0.0),
            "decade" => (120.0, 0.0, 0.0),
            "century" => (1200.0, 0.0, 0.0),
            "millennium" => (12000.0, 0.0, 0.0),
            _ => return None,
        };
        let m = value * months;
        let whole_m = m.trunc();
        let d = value * days + (m - whole_m) * 30.0;
        let whole_d = d.trunc();
        let us = value * micros + (d - whole_d) * MICROS_PER_DAY;
        self.months += whole_m as i64;
        self.days += whole_d as i64;
        self.micros += us.round() as i64;
        Some(())
    }

    fn negate(&mut self) {
        self.months = -self.months;
        self.days = -self.days;
        self.micros = -self.micros;
    }
}

fn unit(word: &str) -> Option<&'static str> {
    Some(match word.to_ascii_lowercase().as_str() {
        "microsecond" | "microseconds" | "us" | "usec" | "usecs" | "useconds" => "microsecond",
        "millisecond" | "milliseconds" | "ms" | "msec" | "msecs" | "mseconds" => "millisecond",
        "second" | "seconds" | "s" | "sec" | "secs" => "second",
        "minute" | "minutes" | "m" | "min" | "mins" => "minute",
        "hour" | "hours" | "h" | "hr" | "hrs" => "hour",
        "day" | "days" | "d" => "day",
        "week" | "weeks" | "w" => "week",
        "month" | "months" | "mon" | "mons" => "month",
        "year" | "years" | "y" | "yr" | "yrs" => "year",
        "decade" | "decades" => "decade",
        "century" | "centuries" => "century",
        "millennium" | "millennia" | "millenniums" => "millennium",
        _ => return None,
    })
}

/// `[-+]H:M[:S[.f]]` in microseconds.
fn clock(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let parts: Vec<&str> = body.split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return None;
    }
    let h: i64 = parts[0].parse().ok()?;
    let m: i64 = parts[1].parse().ok()?;
    let secs: f64 = match parts.get(2) {
        Some(s) => s.parse().ok()?,
        None => 0.0,
    };
    let v = (h * 3600 + m * 60) * 1_000_000 + (secs * 1e6).round() as i64;
    Some(if neg { -v } else { v })
}

/// ISO 8601 durations: `P1Y2M3DT4H5M6S`, `P2W`.
fn iso8601(s: &str) -> Option<Interval> {
    let body = s.strip_prefix('P').or_else(|| s.strip_prefix('p'))?;
    let mut out = Interval::default();
    let mut time = false;
    let mut number = String::new();
    for c in body.chars() {
        match c {
            'T' | 't' => time = true,
            '0'..='9' | '.' | '-' => number.push(c),
            _ => {
                let v: f64 = number.parse().ok()?;
                number.clear();
                let u = match (c.to_ascii_uppercase(), time) {
                    ('Y', false) => "year",
                    ('M', false) => "month",
                    ('W', false) => "week",
                    ('D', false) => "day",
                    ('H', true) => "hour",
                    ('M', true) => "minute",
                    ('S', true) => "second",
                    _ => return None,
                };
                out.add(v, u)?;
            }
        }
    }
    number.is_empty().then_some(out)
}

/// Parses PostgreSQL interval text; `None` when PostgreSQL would reject it
/// (or it uses a form not handled here). `default_unit` is the unit of a
/// bare number (`interval '5' day`), seconds otherwise.
pub fn parse(text: &str, default_unit: Option<&str>) -> Option<Interval> {
    let t = text.trim();
    if t.starts_with(['P', 'p']) {
        return iso8601(t);
    }
    let t = t.strip_prefix('@').unwrap_or(t).trim();
    let mut words: Vec<&str> = t.split_whitespace().collect();
    let ago = words.last().is_some_and(|w| w.eq_ignore_ascii_case("ago"));
    if ago {
        words.pop();
    }
    if words.is_empty() {
        return None;
    }
    let mut out = Interval::default();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        if w.contains(':') {
            out.micros += clock(w)?;
            i += 1;
            continue;
        }
        if let Some(months) = year_month(w) {
            out.months += months;
            i += 1;
            continue;
        }
        let v: f64 = w.parse().ok()?;
        let next = words.get(i + 1);
        match next.and_then(|u| unit(u)) {
            Some(u) => {
                out.add(v, u)?;
                i += 2;
            }
            None => {
                // A number before a time of day is days (`1 2:00:00`).
                let u = if next.is_some_and(|n| n.contains(':')) {
                    "day"
                } else {
                    default_unit.and_then(unit).unwrap_or("second")
                };
                out.add(v, u)?;
                i += 1;
            }
        }
    }
    if ago {
        out.negate();
    }
    Some(out)
}

/// A SQL-standard year-month field, `[+-]Y-M`, in months (the sign
/// applies to both parts).
fn year_month(w: &str) -> Option<i64> {
    let (neg, body) = match w.as_bytes().first()? {
        b'-' => (true, &w[1..]),
        b'+' => (false, &w[1..]),
        _ => (false, w),
    };
    let (y, m) = body.split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(y) || !digits(m) {
        return None;
    }
    let months = y.parse::<i64>().ok()?.checked_mul(12)? + m.parse::<i64>().ok()?;
    Some(if neg { -months } else { months })
}

/// Interval text as PostgreSQL reads it under `IntervalStyle =
/// sql_standard`: a leading `-` applies to every field when no other field
/// has a sign (`-1 2:00:00` is minus one day and two hours, where the
/// other styles read minus one day plus two hours). `None` when the rule
/// changes nothing.
pub fn sql_standard_signs(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let (first, rest) = words.split_first()?;
    let signed = |w: &&str| w.starts_with(['-', '+']);
    if first.len() < 2 || !first.starts_with('-') || rest.iter().any(signed) {
        return None;
    }
    let numeric = |w: &str| w.starts_with(|c: char| c.is_ascii_digit() || c == '.');
    if !rest.iter().any(|w| numeric(w)) {
        return None;
    }
    let mut out = first.to_string();
    for w in rest {
        out.push(' ');
        if numeric(w) {
            out.push('-');
        }
        out.push_str(w);
    }
    Some(out)
}

/// The interval in the `<n> <unit>` form DataFusion reads.
pub fn canonical(i: Interval) -> String {
    format!(
        "{} months {} days {} microseconds",
        i.months, i.days, i.micros
    )
}

/// A clock time `hh:mm:ss[.ffffff]` of `micros` (a time of day, or an
/// interval's time part; hours may pass 24), `+` before it when `sign`,
/// as PostgreSQL writes it.
pub fn write_clock<W: std::fmt::Write>(out: &mut W, micros: i128, sign: bool) {
    if micros < 0 {
        let _ = out.write_char('-');
    } else if sign {
        let _ = out.write_char('+');
    }
    let m = micros.unsigned_abs();
    let (secs, frac) = (m / 1_000_000, m % 1_000_000);
    let (h, mi, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let _ = write!(out, "{h:02}:{mi:02}:{s:02}");
    if frac != 0 {
        let f = format!("{frac:06}");
        let _ = write!(out, ".{}", f.trim_end_matches('0'));
    }
}

/// PostgreSQL's `EncodeInterval` in the `postgres` style (`1 year 2 mons
/// 3 days 04:05:06`): each non-zero part with its unit; after a negative
/// part a positive one gets `+`.
pub fn write_postgres<W: std::fmt::Write>(out: &mut W, months: i32, days: i64, micros: i128) {
    let (years, mons) = (months / 12, months % 12);
    let mut before = false;
    let mut any = false;
    for (v, one, many) in [
        (i64::from(years), "year", "years"),
        (i64::from(mons), "mon", "mons"),
        (days, "day", "days"),
    ] {
        if v == 0 {
            continue;
        }
        if any {
            let _ = out.write_char(' ');
        }
        if before && v > 0 {
            let _ = out.write_char('+');
        }
        let _ = write!(out, "{v} {}", if v == 1 { one } else { many });
        before = v < 0;
        any = true;
    }
    if micros != 0 || !any {
        if any {
            let _ = out.write_char(' ');
        }
        write_clock(out, micros, before && micros > 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> (i64, i64, i64) {
        let i = parse(s, None).unwrap();
        (i.months, i.days, i.micros)
    }

    #[test]
    fn postgres_forms() {
        assert_eq!(
            p("1 year 2 months 3 days 04:05:06"),
            (14, 3, 14_706_000_000)
        );
        assert_eq!(p("36 hours"), (0, 0, 129_600_000_000));
        assert_eq!(p("-1 day +2 hours"), (0, -1, 7_200_000_000));
        assert_eq!(p("1.5 days"), (0, 1, 43_200_000_000));
        assert_eq!(p("@ 1 hour ago"), (0, 0, -3_600_000_000));
        assert_eq!(p("P1Y2M3DT4H5M6S"), (14, 3, 14_706_000_000));
        assert_eq!(p("1:30"), (0, 0, 5_400_000_000));
        assert_eq!(p("2 weeks"), (0, 14, 0));
        assert_eq!(p("0"), (0, 0, 0));
        assert!(parse("soon", None).is_none());
    }

    /// PostgreSQL 15's answers (psql).
    #[test]
    fn sql_standard_fields() {
        assert_eq!(p("1 2:00:00"), (0, 1, 7_200_000_000));
        assert_eq!(p("-1 2:00:00"), (0, -1, 7_200_000_000));
        assert_eq!(p("3 4:05"), (0, 3, 14_700_000_000));
        assert_eq!(p("1-2"), (14, 0, 0));
        assert_eq!(p("-1-2"), (-14, 0, 0));
        assert_eq!(p("+1-2 -3 +4:05:06"), (14, -3, 14_706_000_000));
        let standard = |s: &str| {
            let t = sql_standard_signs(s).unwrap_or_else(|| s.to_string());
            let i = parse(&t, None).unwrap();
            (i.months, i.days, i.micros)
        };
        // IntervalStyle = sql_standard: `-1 2:00:00`, `-1-2 -3 -4:05:06`…
        assert_eq!(standard("-1 day 2 hours"), (0, -1, -7_200_000_000));
        assert_eq!(standard("-1 2:00:00"), (0, -1, -7_200_000_000));
        assert_eq!(standard("-1 day +2 hours"), (0, -1, 7_200_000_000));
        assert_eq!(standard("-1-2 3 4:05:06"), (-14, -3, -14_706_000_000));
        assert_eq!(standard("-1.5 days 2 hours"), (0, -1, -50_400_000_000));
        assert_eq!(standard("-1 day 2 hours ago"), (0, 1, 7_200_000_000));
        assert_eq!(sql_standard_signs("1 day 2 hours"), None);
        assert_eq!(sql_standard_signs("-1 day"), None);
    }
}

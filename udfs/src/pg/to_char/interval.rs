//! `to_char(interval, text)`: PostgreSQL's `interval_to_char`. An interval
//! has no calendar date, so the template's fields read its own parts:
//! `YYYY` its years, `MM` the months beyond them, `DD` its days, `HH24`
//! its hours (36 for `36 hours`), `MI`, `SS`, `MS`, `US`, `SSSS`; `DDD`
//! counts 30-day months and 365-day years, as PostgreSQL does. Names of
//! months and days, week days, eras and zones are refused, with
//! PostgreSQL's message.

use datafusion::common::{Result, exec_err};

use super::{Field, ROMAN, Token, cased, name, number};

/// An interval's parts as PostgreSQL's `interval2tm` splits them (each
/// with the interval's sign, truncated toward zero).
pub(super) struct Parts {
    years: i64,
    months: i64,
    days: i64,
    hours: i64,
    minutes: i64,
    seconds: i64,
    micros: i64,
}

impl Parts {
    /// From Arrow's `IntervalMonthDayNano` fields.
    pub(super) fn new(months: i32, days: i32, nanos: i64) -> Parts {
        let micros = nanos / 1_000;
        Parts {
            years: i64::from(months) / 12,
            months: i64::from(months) % 12,
            days: i64::from(days),
            hours: micros / 3_600_000_000,
            minutes: micros / 60_000_000 % 60,
            seconds: micros / 1_000_000 % 60,
            micros: micros % 1_000_000,
        }
    }
}

/// `tokens` rendered for an interval.
pub(super) fn render(out: &mut String, tokens: &[Token], p: &Parts) -> Result<()> {
    // PostgreSQL's day of the "year" of an interval: 30-day months.
    let yday = (p.years * 12 + p.months) * 30 + p.days;
    for token in tokens {
        let (field, fill, ordinal) = match token {
            Token::Literal(s) => {
                out.push_str(s);
                continue;
            }
            Token::Field {
                field,
                fill,
                ordinal,
            } => (field, *fill, *ordinal),
        };
        let half = p.hours % 12;
        match field {
            Field::YearComma => out.push_str(&format!("{},{:03}", p.years / 1000, p.years % 1000)),
            Field::Year4 => number(out, p.years, 4, fill, ordinal),
            Field::Year3 => number(out, p.years % 1000, 3, fill, ordinal),
            Field::Year2 => number(out, p.years % 100, 2, fill, ordinal),
            Field::Year1 => number(out, p.years % 10, 1, fill, ordinal),
            Field::Month => number(out, p.months, 2, fill, ordinal),
            Field::Day => number(out, p.days, 2, fill, ordinal),
            Field::DayOfYear => number(out, yday, 3, fill, ordinal),
            Field::WeekOfMonth => number(out, (p.days - 1) / 7 + 1, 1, fill, ordinal),
            Field::WeekOfYear => number(out, (yday - 1) / 7 + 1, 2, fill, ordinal),
            Field::Century => number(out, p.years / 100, 2, fill, ordinal),
            Field::Quarter => {
                if p.months != 0 {
                    number(out, (p.months - 1) / 3 + 1, 1, fill, ordinal);
                }
            }
            Field::RomanMonth(case) => {
                if p.months != 0 {
                    let r = cased(ROMAN[(p.months.unsigned_abs() - 1) as usize], *case);
                    name(out, &r, 4, fill);
                }
            }
            Field::Hour24 => number(out, p.hours, 2, fill, ordinal),
            Field::Hour12 => number(out, if half == 0 { 12 } else { half }, 2, fill, ordinal),
            Field::Minute => number(out, p.minutes, 2, fill, ordinal),
            Field::Second => number(out, p.seconds, 2, fill, ordinal),
            Field::Millis => number(out, p.micros / 1000, 3, fill, ordinal),
            Field::Micros => number(out, p.micros, 6, fill, ordinal),
            Field::SecondsOfDay => {
                let s = p.hours * 3600 + p.minutes * 60 + p.seconds;
                number(out, s, 0, fill, ordinal)
            }
            Field::Meridiem(case, dots) => {
                let m = match (p.hours % 24 < 12, dots) {
                    (true, false) => "AM",
                    (true, true) => "A.M.",
                    (false, false) => "PM",
                    (false, true) => "P.M.",
                };
                let case = if *case == super::Case::Lower {
                    super::Case::Lower
                } else {
                    super::Case::Upper
                };
                out.push_str(&cased(m, case));
            }
            _ => {
                return exec_err!(
                    "invalid format specification for an interval value (intervals are not tied to specific calendar dates)"
                );
            }
        }
    }
    Ok(())
}

//! `to_char` of dates and timestamps: the template's fields read from a
//! wall-clock time, `timestamptz` values shown in the session time zone.

use std::str::FromStr;

use chrono::{Datelike, NaiveDateTime, Offset, TimeZone, Timelike};
use datafusion::arrow::array::timezone::Tz;
use datafusion::common::{Result, exec_err};

use super::{Case, DAYS, Field, MONTHS, ROMAN, Token, cased, name, number};

/// The session time zone for `timestamptz` values.
pub(super) struct Zone {
    tz: Tz,
    name: String,
}

/// A UTC offset and the zone's abbreviation at that instant.
pub(super) struct LocalOffset {
    secs: i32,
    abbreviation: String,
}

impl Zone {
    pub(super) fn new(name: &str) -> Result<Zone> {
        match Tz::from_str(name) {
            Ok(tz) => Ok(Zone {
                tz,
                name: name.to_string(),
            }),
            Err(e) => exec_err!("invalid time zone {name}: {e}"),
        }
    }

    pub(super) fn local(&self, utc: &NaiveDateTime) -> (NaiveDateTime, Option<LocalOffset>) {
        let secs = self
            .tz
            .offset_from_utc_datetime(utc)
            .fix()
            .local_minus_utc();
        let local = *utc + chrono::Duration::seconds(i64::from(secs));
        // PostgreSQL prints the zone's abbreviation; UTC-like zones are
        // `UTC`, offsets (`+02:00`) the numeric offset.
        let utc_like = matches!(
            self.name.to_ascii_uppercase().as_str(),
            "UTC" | "ETC/UTC" | "Z" | "ZULU" | "UCT" | "ETC/UCT" | "UNIVERSAL" | "ETC/UNIVERSAL"
        );
        let abbreviation = if utc_like {
            "UTC".to_string()
        } else if secs == 0 && self.name.eq_ignore_ascii_case("GMT") {
            "GMT".to_string()
        } else {
            // A named zone's abbreviation at that instant, from the tz
            // database PostgreSQL also reads (`CET`/`CEST`, `EST`; `-03`
            // where the database has none).
            self.name
                .parse::<chrono_tz::Tz>()
                .ok()
                .and_then(|tz| {
                    use chrono_tz::OffsetName;
                    tz.offset_from_utc_datetime(utc)
                        .abbreviation()
                        .map(str::to_string)
                })
                .unwrap_or_else(|| offset_text(secs))
        };
        (local, Some(LocalOffset { secs, abbreviation }))
    }
}

fn offset_text(secs: i32) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.unsigned_abs();
    let mut s = format!("{sign}{:02}", a / 3600);
    if !a.is_multiple_of(3600) {
        s.push_str(&format!(":{:02}", a / 60 % 60));
    }
    s
}

pub(super) fn render(
    out: &mut String,
    tokens: &[Token],
    t: &NaiveDateTime,
    offset: Option<&LocalOffset>,
) {
    let year = i64::from(t.year());
    // PostgreSQL shows years before 1 as positive BC years.
    let shown_year = if year <= 0 { 1 - year } else { year };
    let iso = t.iso_week();
    let iso_year = i64::from(iso.year());
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
        let hour12 = match t.hour() % 12 {
            0 => 12,
            h => h,
        };
        match field {
            Field::YearComma => {
                let y = shown_year;
                out.push_str(&format!("{},{:03}", y / 1000, y % 1000));
            }
            Field::Year4 => number(out, shown_year, 4, fill, ordinal),
            Field::Year3 => number(out, shown_year % 1000, 3, fill, ordinal),
            Field::Year2 => number(out, shown_year % 100, 2, fill, ordinal),
            Field::Year1 => number(out, shown_year % 10, 1, fill, ordinal),
            Field::IsoYear4 => number(out, iso_year, 4, fill, ordinal),
            Field::IsoYear3 => number(out, iso_year % 1000, 3, fill, ordinal),
            Field::IsoYear2 => number(out, iso_year % 100, 2, fill, ordinal),
            Field::IsoYear1 => number(out, iso_year % 10, 1, fill, ordinal),
            Field::Era(case, dots) => {
                let e = match (year <= 0, dots) {
                    (true, false) => "BC",
                    (true, true) => "B.C.",
                    (false, false) => "AD",
                    (false, true) => "A.D.",
                };
                out.push_str(&cased(
                    e,
                    if *case == Case::Lower {
                        Case::Lower
                    } else {
                        Case::Upper
                    },
                ));
            }
            Field::MonthName(case) => {
                name(out, &cased(MONTHS[t.month0() as usize], *case), 9, fill)
            }
            Field::MonthAbbrev(case) => {
                out.push_str(&cased(&MONTHS[t.month0() as usize][..3], *case))
            }
            Field::Month => number(out, i64::from(t.month()), 2, fill, ordinal),
            Field::DayName(case) => name(
                out,
                &cased(DAYS[t.weekday().num_days_from_sunday() as usize], *case),
                9,
                fill,
            ),
            Field::DayAbbrev(case) => out.push_str(&cased(
                &DAYS[t.weekday().num_days_from_sunday() as usize][..3],
                *case,
            )),
            Field::DayOfYear => number(out, i64::from(t.ordinal()), 3, fill, ordinal),
            Field::IsoDayOfYear => {
                let d =
                    (i64::from(iso.week()) - 1) * 7 + i64::from(t.weekday().number_from_monday());
                number(out, d, 3, fill, ordinal)
            }
            Field::Day => number(out, i64::from(t.day()), 2, fill, ordinal),
            Field::DayOfWeek => number(
                out,
                i64::from(t.weekday().number_from_sunday()),
                1,
                fill,
                ordinal,
            ),
            Field::IsoDayOfWeek => number(
                out,
                i64::from(t.weekday().number_from_monday()),
                1,
                fill,
                ordinal,
            ),
            Field::WeekOfMonth => number(out, i64::from((t.day() - 1) / 7 + 1), 1, fill, ordinal),
            Field::WeekOfYear => number(out, i64::from(t.ordinal0() / 7 + 1), 2, fill, ordinal),
            Field::IsoWeek => number(out, i64::from(iso.week()), 2, fill, ordinal),
            Field::Century => {
                let c = if year > 0 {
                    (year + 99) / 100
                } else {
                    -((99 - year) / 100)
                };
                number(out, c, 2, fill, ordinal)
            }
            Field::Julian => {
                // Julian Day: days since 4714-11-24 BC (proleptic Gregorian).
                let jd = i64::from(t.date().num_days_from_ce()) + 1_721_425;
                number(out, jd, 0, fill, ordinal)
            }
            Field::Quarter => number(out, i64::from(t.month0() / 3 + 1), 1, fill, ordinal),
            Field::RomanMonth(case) => {
                let r = cased(ROMAN[t.month0() as usize], *case);
                name(out, &r, 4, fill)
            }
            Field::Hour24 => number(out, i64::from(t.hour()), 2, fill, ordinal),
            Field::Hour12 => number(out, i64::from(hour12), 2, fill, ordinal),
            Field::Minute => number(out, i64::from(t.minute()), 2, fill, ordinal),
            Field::Second => number(out, i64::from(t.second()), 2, fill, ordinal),
            Field::Millis => number(out, i64::from(t.nanosecond() / 1_000_000), 3, fill, ordinal),
            Field::Micros => number(out, i64::from(t.nanosecond() / 1_000), 6, fill, ordinal),
            Field::SecondsOfDay => number(
                out,
                i64::from(t.num_seconds_from_midnight()),
                0,
                fill,
                ordinal,
            ),
            Field::Meridiem(case, dots) => {
                let m = match (t.hour() < 12, dots) {
                    (true, false) => "AM",
                    (true, true) => "A.M.",
                    (false, false) => "PM",
                    (false, true) => "P.M.",
                };
                out.push_str(&cased(
                    m,
                    if *case == Case::Lower {
                        Case::Lower
                    } else {
                        Case::Upper
                    },
                ));
            }
            Field::ZoneName(case) => {
                if let Some(o) = offset {
                    out.push_str(&cased(&o.abbreviation, *case));
                }
            }
            Field::ZoneHours => {
                if let Some(o) = offset {
                    let sign = if o.secs < 0 { '-' } else { '+' };
                    out.push_str(&format!("{sign}{:02}", o.secs.unsigned_abs() / 3600));
                }
            }
            Field::ZoneMinutes => {
                if let Some(o) = offset {
                    out.push_str(&format!("{:02}", o.secs.unsigned_abs() / 60 % 60));
                }
            }
            Field::Offset => {
                if let Some(o) = offset {
                    out.push_str(&offset_text(o.secs));
                }
            }
        }
    }
}

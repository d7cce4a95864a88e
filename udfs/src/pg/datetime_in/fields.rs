//! The general reader of date/time text (PostgreSQL's `ParseDateTime` and
//! `DecodeDateTime`): the text split into fields — date parts, bare
//! numbers, month and week-day names, a clock, AM/PM, BC, a zone — then
//! checked and combined in the session's `DateStyle` order.

use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use datafusion::arrow::array::timezone::Tz;

use super::super::settings::DateOrder;

/// Words that stand for a whole value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Special {
    Epoch,
    Now,
    Today,
    Tomorrow,
    Yesterday,
    /// `infinity` / `+infinity`: later than every other value.
    Infinity,
    /// `-infinity`: earlier than every other value.
    NegInfinity,
}

/// A zone named in the text.
#[derive(Clone, Debug)]
pub(super) enum Zone {
    /// Seconds east of Greenwich.
    Fixed(i32),
    Named(Tz),
}

/// Why a text was refused.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum InputError {
    /// Not a date/time at all.
    Syntax,
    /// A field out of its range (`2024-02-30`, month 13).
    Range,
    /// An unknown zone name.
    Zone(String),
}

pub(super) enum Parsed {
    Special(Special),
    Fields(Fields),
}

/// The fields found in a text, before they are checked and combined.
#[derive(Default, Debug)]
pub(super) struct Fields {
    /// A date written with separators: its parts, as written.
    date_parts: Option<Vec<String>>,
    /// Bare numbers (`29`, `2024` next to a month name).
    numbers: Vec<String>,
    month_name: Option<u32>,
    /// Hours, minutes, seconds, microseconds.
    time: Option<(u32, u32, u32, u32)>,
    pm: Option<bool>,
    bc: bool,
    zone: Option<Zone>,
}

pub(super) fn parse(text: &str) -> std::result::Result<Parsed, InputError> {
    let trimmed = text.trim();
    match trimmed.to_ascii_lowercase().as_str() {
        "epoch" => return Ok(Parsed::Special(Special::Epoch)),
        "now" => return Ok(Parsed::Special(Special::Now)),
        "today" => return Ok(Parsed::Special(Special::Today)),
        "tomorrow" => return Ok(Parsed::Special(Special::Tomorrow)),
        "yesterday" => return Ok(Parsed::Special(Special::Yesterday)),
        "infinity" | "+infinity" => return Ok(Parsed::Special(Special::Infinity)),
        "-infinity" => return Ok(Parsed::Special(Special::NegInfinity)),
        "" => return Err(InputError::Syntax),
        _ => {}
    }
    let mut f = Fields::default();
    for token in trimmed.split(|c: char| c.is_whitespace() || c == ',') {
        if token.is_empty() {
            continue;
        }
        f.token(token)?;
    }
    Ok(Parsed::Fields(f))
}

impl Fields {
    fn token(&mut self, token: &str) -> std::result::Result<(), InputError> {
        let first = token.chars().next().unwrap_or(' ');
        if first.is_ascii_digit() {
            // ISO's `T` between a date and a time.
            if let Some(t) = token.find(['T', 't'])
                && token[..t].contains(['-', '/', '.'])
                && token[t + 1..].starts_with(|c: char| c.is_ascii_digit())
            {
                self.token(&token[..t])?;
                return self.token(&token[t + 1..]);
            }
            if token.contains(':') {
                return self.time_with_zone(token);
            }
            if token.contains(['-', '/', '.']) {
                if self.date_parts.is_some() {
                    return Err(InputError::Syntax);
                }
                let parts: Vec<String> = token.split(['-', '/', '.']).map(str::to_string).collect();
                if parts.len() != 3 || parts.iter().any(String::is_empty) {
                    return Err(InputError::Syntax);
                }
                self.date_parts = Some(parts);
                return Ok(());
            }
            if token.chars().all(|c| c.is_ascii_digit()) {
                self.numbers.push(token.to_string());
                return Ok(());
            }
            return Err(InputError::Syntax);
        }
        if first == '+' || first == '-' {
            // An ISO offset after a time or date.
            self.zone = Some(Zone::Fixed(offset(token).ok_or(InputError::Syntax)?));
            return Ok(());
        }
        if first.is_alphabetic() {
            // `Feb-29-2024`: a date led by a month name.
            let parts: Vec<String> = token.split(['-', '/']).map(str::to_string).collect();
            if parts.len() == 3 && month(&parts[0].to_ascii_lowercase()).is_some() {
                if self.date_parts.replace(parts).is_some() {
                    return Err(InputError::Syntax);
                }
                return Ok(());
            }
            let word = token.trim_end_matches('.').to_ascii_lowercase();
            if let Some(m) = month(&word) {
                if self.month_name.replace(m).is_some() {
                    return Err(InputError::Syntax);
                }
                return Ok(());
            }
            if WEEKDAYS.iter().any(|d| word == d[..3] || word == *d) {
                return Ok(());
            }
            match word.as_str() {
                "am" => self.pm = Some(false),
                "pm" => self.pm = Some(true),
                "bc" => self.bc = true,
                "ad" => self.bc = false,
                "t" => {}
                _ => {
                    // PostgreSQL: an unknown word is a syntax error, an
                    // unknown `Area/City` an unknown zone.
                    let zone = zone_word(token).ok_or_else(|| {
                        if token.contains('/') {
                            InputError::Zone(token.to_lowercase())
                        } else {
                            InputError::Syntax
                        }
                    })?;
                    if self.zone.replace(zone).is_some() {
                        return Err(InputError::Syntax);
                    }
                }
            }
            return Ok(());
        }
        Err(InputError::Syntax)
    }

    /// `13:45`, `13:45:10.5`, with a zone glued on (`13:45:10+02`, `…Z`).
    fn time_with_zone(&mut self, token: &str) -> std::result::Result<(), InputError> {
        if self.time.is_some() {
            return Err(InputError::Syntax);
        }
        let (clock, zone) = match token.find(['+', '-']) {
            Some(i) => (&token[..i], Some(&token[i..])),
            None => match token.strip_suffix(['Z', 'z']) {
                Some(c) => (c, Some("Z")),
                None => (token, None),
            },
        };
        let mut parts = clock.split(':');
        let h = parts.next().ok_or(InputError::Syntax)?;
        let m = parts.next().ok_or(InputError::Syntax)?;
        let s = parts.next().unwrap_or("0");
        if parts.next().is_some() || h.is_empty() || m.is_empty() {
            return Err(InputError::Syntax);
        }
        let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
        let int = |p: &str| -> std::result::Result<u32, InputError> {
            if p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()) || p.len() > 9 {
                return Err(InputError::Syntax);
            }
            p.parse().map_err(|_| InputError::Syntax)
        };
        let micros = if frac.is_empty() {
            0
        } else {
            if !frac.chars().all(|c| c.is_ascii_digit()) {
                return Err(InputError::Syntax);
            }
            // Rounded to microseconds, as PostgreSQL does.
            let digits: f64 = format!("0.{frac}")
                .parse()
                .map_err(|_| InputError::Syntax)?;
            (digits * 1e6).round() as u32
        };
        self.time = Some((int(h)?, int(m)?, int(whole)?, micros));
        if let Some(z) = zone {
            let zone = if z == "Z" {
                Zone::Fixed(0)
            } else {
                Zone::Fixed(offset(z).ok_or(InputError::Syntax)?)
            };
            self.zone = Some(zone);
        }
        Ok(())
    }

    /// The wall-clock date and time, and the zone named.
    pub(super) fn resolve(
        self,
        order: DateOrder,
    ) -> std::result::Result<(NaiveDateTime, Option<Zone>), InputError> {
        let (year, month, day, two_digit_year) = self.ymd(order)?;
        let mut year = year;
        if two_digit_year && !self.bc {
            year += if year < 70 { 2000 } else { 1900 };
        }
        if self.bc {
            if year <= 0 {
                return Err(InputError::Range);
            }
            year = 1 - year;
        }
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return Err(InputError::Range);
        }
        let date = NaiveDate::from_ymd_opt(year, month, day).ok_or(InputError::Range)?;
        let (mut h, m, s, micros) = self.time.unwrap_or((0, 0, 0, 0));
        match self.pm {
            Some(_) if h > 12 => return Err(InputError::Range),
            Some(false) if h == 12 => h = 0,
            Some(true) if h < 12 => h += 12,
            _ => {}
        }
        // 24:00:00 is the next midnight; a 60th second rolls over.
        let in_range =
            m <= 59 && s <= 60 && (h < 24 || (h == 24 && m == 0 && s == 0 && micros == 0));
        if !in_range {
            return Err(InputError::Range);
        }
        let at = date.and_time(chrono::NaiveTime::MIN)
            + TimeDelta::hours(i64::from(h))
            + TimeDelta::minutes(i64::from(m))
            + TimeDelta::seconds(i64::from(s))
            + TimeDelta::microseconds(i64::from(micros));
        Ok((at, self.zone))
    }

    /// Year, month, day, and whether the year was written with two digits.
    fn ymd(&self, order: DateOrder) -> std::result::Result<(i32, u32, u32, bool), InputError> {
        let num = |s: &str| -> std::result::Result<i64, InputError> {
            s.parse::<i64>().map_err(|_| InputError::Syntax)
        };
        let year_of = |s: &str| -> std::result::Result<(i32, bool), InputError> {
            let y = num(s)?;
            Ok((
                i32::try_from(y).map_err(|_| InputError::Range)?,
                s.len() <= 2,
            ))
        };
        let small = |s: &str| -> std::result::Result<u32, InputError> {
            u32::try_from(num(s)?).map_err(|_| InputError::Range)
        };
        if let Some(parts) = &self.date_parts {
            if !self.numbers.is_empty() || self.month_name.is_some() {
                return Err(InputError::Syntax);
            }
            let [a, b, c] = [&parts[0], &parts[1], &parts[2]];
            let named = parts
                .iter()
                .position(|p| month(&p.to_ascii_lowercase()).is_some());
            let all_digits = |p: &String| p.chars().all(|c| c.is_ascii_digit());
            if let Some(i) = named {
                let m = month(&parts[i].to_ascii_lowercase()).expect("month");
                let rest: Vec<&String> = parts
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, p)| p)
                    .collect();
                if !rest.iter().all(|p| all_digits(p)) {
                    return Err(InputError::Syntax);
                }
                let (y, d) = if rest[0].len() > 2 {
                    (rest[0], rest[1])
                } else {
                    (rest[1], rest[0])
                };
                let (y, two) = year_of(y)?;
                return Ok((y, m, small(d)?, two));
            }
            if !parts.iter().all(all_digits) {
                return Err(InputError::Syntax);
            }
            let (y, m, d) = if a.len() > 2 {
                (a, b, c)
            } else {
                match order {
                    DateOrder::Mdy => (c, a, b),
                    DateOrder::Dmy => (c, b, a),
                    DateOrder::Ymd => (a, b, c),
                }
            };
            let (y, two) = year_of(y)?;
            return Ok((y, small(m)?, small(d)?, two));
        }
        match (self.month_name, self.numbers.as_slice()) {
            // `Feb 29 2024`, `29 Feb 2024`, `February 29, 2024`.
            (Some(m), [x, y]) => {
                let (day, year) = if x.len() > 2 { (y, x) } else { (x, y) };
                let (year, two) = year_of(year)?;
                Ok((year, m, small(day)?, two))
            }
            // `20240229`, `240229`.
            (None, [n]) if n.len() == 8 => Ok((
                year_of(&n[..4])?.0,
                small(&n[4..6])?,
                small(&n[6..])?,
                false,
            )),
            (None, [n]) if n.len() == 6 => {
                let (y, two) = year_of(&n[..2])?;
                Ok((y, small(&n[2..4])?, small(&n[4..])?, two))
            }
            _ => Err(InputError::Syntax),
        }
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// `jan`, `january`, `sept` → 1..=12.
fn month(word: &str) -> Option<u32> {
    if word == "sept" {
        return Some(9);
    }
    MONTHS
        .iter()
        .position(|m| word.len() >= 3 && (word == &m[..3] || word == *m))
        .map(|i| i as u32 + 1)
}

/// `+02`, `-05:30`, `+0200`: seconds east of Greenwich (ISO 8601's sign).
pub(super) fn offset(text: &str) -> Option<i32> {
    let (sign, body) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let digits: String = body.chars().filter(|c| *c != ':').collect();
    if digits.is_empty() || digits.len() > 6 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (h, m, s) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0, 0),
        3 | 4 => {
            let split = digits.len() - 2;
            (
                digits[..split].parse().ok()?,
                digits[split..].parse().ok()?,
                0,
            )
        }
        _ => {
            let n = digits.len();
            (
                digits[..n - 4].parse().ok()?,
                digits[n - 4..n - 2].parse().ok()?,
                digits[n - 2..].parse().ok()?,
            )
        }
    };
    if h > 15 || m > 59 || s > 59 {
        return None;
    }
    Some(sign * (h * 3600 + m * 60 + s))
}

/// A zone written as a word: `UTC`, an abbreviation PostgreSQL's default
/// `timezone_abbreviations` knows, or an IANA name.
fn zone_word(word: &str) -> Option<Zone> {
    let hours = |h: i32| Some(Zone::Fixed(h * 3600));
    match word.to_ascii_lowercase().as_str() {
        "z" | "zulu" | "utc" | "gmt" | "ut" => hours(0),
        "wet" => hours(0),
        "bst" | "cet" | "west" | "met" => hours(1),
        "cest" | "eet" | "mest" => hours(2),
        "eest" | "msk" => hours(3),
        "est" => hours(-5),
        "edt" | "cdt" => hours(if word.eq_ignore_ascii_case("edt") {
            -4
        } else {
            -5
        }),
        "cst" => hours(-6),
        "mst" => hours(-7),
        "mdt" => hours(-6),
        "pst" => hours(-8),
        "pdt" => hours(-7),
        "akst" => hours(-9),
        "akdt" => hours(-8),
        "hst" => hours(-10),
        "jst" => hours(9),
        "kst" => hours(9),
        "aest" => hours(10),
        "aedt" => hours(11),
        "nzst" => hours(12),
        "nzdt" => hours(13),
        _ => {
            // Zone names are case-insensitive in PostgreSQL.
            let tz = chrono_tz::TZ_VARIANTS
                .iter()
                .find(|tz| tz.name().eq_ignore_ascii_case(word))?;
            Tz::from_str(tz.name()).ok().map(Zone::Named)
        }
    }
}

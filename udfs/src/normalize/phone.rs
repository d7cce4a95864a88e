//! `normalize_phone(phone [, region])`, `phone_type(phone [, region])`,
//! `is_valid_phone(phone [, region])`, on Google's libphonenumber metadata
//! (the `phonenumber` crate; its version names the metadata release).
//!
//! `region` (default `'FR'`) is the ISO 3166-1 alpha-2 country a number
//! written without `+` is read in (case-insensitive; unknown → error). A
//! number is **valid** when libphonenumber says so: right length *and* a
//! range in use for its country. Results:
//!
//! - `normalize_phone`: E.164 (`'06 12 34 56 78'` → `'+33612345678'`;
//!   `'0033 6 12 34 56 78'`, `'+33 (0)6 12 34 56 78'`, `'(0)6 12 34 56 78'`
//!   too); NULL for an invalid number;
//! - `phone_type`: libphonenumber's type in snake case — `fixed_line`,
//!   `mobile`, `fixed_line_or_mobile` (where the plan cannot tell, e.g.
//!   the US), `toll_free`, `premium_rate`, `shared_cost`, `voip`,
//!   `personal_number`, `pager`, `uan`, `voicemail`, … — NULL for an
//!   invalid number. French ranges in the bundled metadata (libphonenumber
//!   9.0.33): 06 (but 0639, 0690–0694, 0696, 0697)
//!   and 073–079 mobile, 01–05 fixed line, 09 voip,
//!   0800–0805 toll free, 0806–0809 uan, 0810/0811/0820/0821/0825/0826/
//!   0884 shared cost, most other 08 premium rate; 0700… is unassigned
//!   (invalid);
//! - `is_valid_phone`: `true` / `false`.
//!
//! **Input accepted** before the crate sees it: digits, spaces, `+ ( ) - . /`
//! only, 3 to 17 digits, at most 64 bytes. Letters (vanity numbers,
//! `ext. 12`) give NULL. `(0)` after a country code is the national trunk
//! prefix and is dropped; at the start it is read as `0`. The pre-check
//! exists because the crate has panicked on odd input before
//! (whisperfish/rust-phonenumber issues 32 and 43, fixed since); every call
//! also runs under `catch_unwind`, so a panic that slips through is a NULL.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::str::FromStr;

use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::ScalarUDF;
use phonenumber::country::Id;
use phonenumber::{Mode, PhoneNumber, Type};

use super::{ArgKind, Kernel, Val, doc, udf};

/// The functions of this family.
pub fn functions() -> Vec<ScalarUDF> {
    let region = "ISO 3166-1 alpha-2 country of numbers written without '+' (default 'FR').";
    vec![
        udf(
            "normalize_phone",
            &[ArgKind::Text, ArgKind::Text],
            1,
            Kernel::Text(normalize_kernel),
            doc(
                "A phone number in E.164 ('+33612345678'); NULL when libphonenumber \
                 does not consider it valid.",
                "normalize_phone(phone [, default_region])",
            )
            .with_argument("phone", "The number, text: digits, spaces and + ( ) - . /")
            .with_argument("default_region", region)
            .with_sql_example("SELECT normalize_phone('+33 (0)6 12 34 56 78'); -- +33612345678")
            .build(),
        ),
        udf(
            "phone_type",
            &[ArgKind::Text, ArgKind::Text],
            1,
            Kernel::Text(type_kernel),
            doc(
                "libphonenumber's type of a valid number: 'mobile', 'fixed_line', \
                 'fixed_line_or_mobile', 'toll_free', 'premium_rate', 'shared_cost', \
                 'voip', 'personal_number', 'pager', 'uan', 'voicemail', …; NULL when \
                 the number is invalid.",
                "phone_type(phone [, default_region])",
            )
            .with_argument("phone", "The number, text.")
            .with_argument("default_region", region)
            .with_sql_example("SELECT phone_type('09 51 23 45 67'); -- voip")
            .build(),
        ),
        udf(
            "is_valid_phone",
            &[ArgKind::Text, ArgKind::Text],
            1,
            Kernel::Bool(valid_kernel),
            doc(
                "Whether libphonenumber considers the number valid (length and range).",
                "is_valid_phone(phone [, default_region])",
            )
            .with_argument("phone", "The number, text.")
            .with_argument("default_region", region)
            .with_sql_example("SELECT is_valid_phone('06 12 34 56 78', 'FR'); -- true")
            .build(),
        ),
    ]
}

/// The region argument (default FR).
pub(crate) fn region(args: &[Val<'_>], at: usize) -> Result<Id> {
    let Some(v) = args.get(at) else {
        return Ok(Id::FR);
    };
    let r = v.text().trim().to_ascii_uppercase();
    match Id::from_str(&r) {
        Ok(id) if r.len() == 2 => Ok(id),
        _ => exec_err!("unknown phone region \"{}\"", v.text()),
    }
}

/// The characters the pre-check lets through, `(0)` resolved.
fn precheck(s: &str) -> Option<String> {
    let t = s.trim();
    if t.is_empty() || t.len() > 64 {
        return None;
    }
    let mut digits = 0;
    for (i, c) in t.char_indices() {
        match c {
            '0'..='9' => digits += 1,
            '+' if i == 0 => {}
            ' ' | '\u{a0}' | '(' | ')' | '-' | '.' | '/' => {}
            _ => return None,
        }
    }
    if !(3..=17).contains(&digits) {
        return None;
    }
    let international = t.starts_with('+') || t.starts_with("00");
    let squeezed: String = t.chars().filter(|c| !matches!(c, ' ' | '\u{a0}')).collect();
    Some(if international {
        squeezed.replace("(0)", "")
    } else {
        squeezed.replacen("(0)", "0", 1)
    })
}

/// The number, when it is valid.
pub(crate) fn parse_valid(s: &str, region: Id) -> Option<PhoneNumber> {
    let cleaned = precheck(s)?;
    catch_unwind(AssertUnwindSafe(|| {
        phonenumber::parse(Some(region), &cleaned)
            .ok()
            .filter(phonenumber::is_valid)
    }))
    .ok()
    .flatten()
}

/// E.164 of a valid number into `out`.
pub(crate) fn e164_into(s: &str, region: Id, out: &mut String) -> bool {
    use std::fmt::Write;
    match parse_valid(s, region) {
        Some(n) => write!(out, "{}", n.format().mode(Mode::E164)).is_ok(),
        None => false,
    }
}

fn type_name(t: Type) -> &'static str {
    match t {
        Type::FixedLine => "fixed_line",
        Type::Mobile => "mobile",
        Type::FixedLineOrMobile => "fixed_line_or_mobile",
        Type::TollFree => "toll_free",
        Type::PremiumRate => "premium_rate",
        Type::SharedCost => "shared_cost",
        Type::PersonalNumber => "personal_number",
        Type::Voip => "voip",
        Type::Pager => "pager",
        Type::Uan => "uan",
        Type::Emergency => "emergency",
        Type::Voicemail => "voicemail",
        Type::ShortCode => "short_code",
        Type::StandardRate => "standard_rate",
        Type::Carrier => "carrier",
        Type::NoInternational => "no_international",
        Type::Unknown => "unknown",
    }
}

fn phone_type(s: &str, region: Id) -> Option<&'static str> {
    let n = parse_valid(s, region)?;
    catch_unwind(AssertUnwindSafe(|| {
        type_name(n.number_type(&phonenumber::metadata::DATABASE))
    }))
    .ok()
}

fn normalize_kernel(args: &[Val<'_>], out: &mut String) -> Result<bool> {
    Ok(e164_into(args[0].text(), region(args, 1)?, out))
}

fn type_kernel(args: &[Val<'_>], out: &mut String) -> Result<bool> {
    Ok(match phone_type(args[0].text(), region(args, 1)?) {
        Some(t) => {
            out.push_str(t);
            true
        }
        None => false,
    })
}

fn valid_kernel(args: &[Val<'_>]) -> Result<Option<bool>> {
    Ok(Some(
        parse_valid(args[0].text(), region(args, 1)?).is_some(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e164(s: &str, r: Id) -> Option<String> {
        let mut out = String::new();
        e164_into(s, r, &mut out).then_some(out)
    }

    #[test]
    fn french_spellings() {
        for s in [
            "06 12 34 56 78",
            "0612345678",
            "06.12.34.56.78",
            "06-12-34-56-78",
            "0033 6 12 34 56 78",
            "+33 6 12 34 56 78",
            "+33 (0)6 12 34 56 78",
            "+33(0)612345678",
            "(0)6 12 34 56 78",
            "  +33612345678 ",
            "+33\u{a0}6\u{a0}12\u{a0}34\u{a0}56\u{a0}78",
        ] {
            assert_eq!(e164(s, Id::FR).as_deref(), Some("+33612345678"), "{s:?}");
        }
    }

    #[test]
    fn types_by_country() {
        // Expected types: libphonenumber's published ranges (ARCEP for France).
        for (s, r, want, t) in [
            ("06 12 34 56 78", Id::FR, "+33612345678", "mobile"),
            ("07 81 23 45 67", Id::FR, "+33781234567", "mobile"),
            ("01 42 68 53 00", Id::FR, "+33142685300", "fixed_line"),
            ("02 99 12 34 56", Id::FR, "+33299123456", "fixed_line"),
            ("03 88 12 34 56", Id::FR, "+33388123456", "fixed_line"),
            ("04 91 12 34 56", Id::FR, "+33491123456", "fixed_line"),
            ("05 56 12 34 56", Id::FR, "+33556123456", "fixed_line"),
            ("09 51 23 45 67", Id::FR, "+33951234567", "voip"),
            ("0 800 12 34 56", Id::FR, "+33800123456", "toll_free"),
            ("08 10 12 34 56", Id::FR, "+33810123456", "shared_cost"),
            ("08 99 12 34 56", Id::FR, "+33899123456", "premium_rate"),
            ("08 06 12 34 56", Id::FR, "+33806123456", "uan"),
            ("+33 0 6 12 34 56 78", Id::FR, "+33612345678", "mobile"),
            ("044 668 18 00", Id::CH, "+41446681800", "fixed_line"),
            (
                "(212) 736-5000",
                Id::US,
                "+12127365000",
                "fixed_line_or_mobile",
            ),
            ("0470 12 34 56", Id::BE, "+32470123456", "mobile"),
            ("02 234 56 78", Id::BE, "+3222345678", "fixed_line"),
            ("+32 2 234 56 78", Id::FR, "+3222345678", "fixed_line"),
            ("079 123 45 67", Id::CH, "+41791234567", "mobile"),
            ("022 123 45 67", Id::CH, "+41221234567", "fixed_line"),
            ("07400 123456", Id::GB, "+447400123456", "mobile"),
            ("020 7946 0018", Id::GB, "+442079460018", "fixed_line"),
            ("+44 (0)20 7946 0018", Id::FR, "+442079460018", "fixed_line"),
            (
                "(201) 555-0123",
                Id::US,
                "+12015550123",
                "fixed_line_or_mobile",
            ),
            ("1-800-723-3456", Id::US, "+18007233456", "toll_free"),
            ("011 33 6 12 34 56 78", Id::US, "+33612345678", "mobile"),
        ] {
            assert_eq!(e164(s, r).as_deref(), Some(want), "{s:?} {r:?}");
            assert_eq!(phone_type(s, r), Some(t), "{s:?} {r:?}");
        }
    }

    #[test]
    fn invalid_is_null() {
        for s in [
            "",
            " ",
            "abc",
            "06 12 34 56",
            "06 12 34 56 78 90",
            "00 00 00 00 00",
            "+33 0 12 34 56 78",
            "1-800-FLOWERS",
            "06 12 34 56 78 ext 12",
            "++33612345678",
            "33+612345678",
            "  2 22#:",
            "003-836-4618x3001",
            "+999 123 456 789",
            "12",
            "112",
            "3615",
            "07 00 12 34 56",
            "02 123 45 67",
            &"9".repeat(40),
        ] {
            assert_eq!(e164(s, Id::FR), None, "{s:?}");
            assert_eq!(phone_type(s, Id::FR), None, "{s:?}");
        }
    }

    /// The crate itself (no `catch_unwind`) on 10,000 pseudo-random strings
    /// that pass the pre-check, in four regions: no panic.
    #[test]
    fn no_panic_on_junk() {
        let alphabet: Vec<char> = "0123456789 +()-./".chars().collect();
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut passed = 0;
        for i in 0..10_000 {
            let len = (next() % 24) as usize;
            let mut s: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            if i % 3 == 0 {
                s.insert(0, '+');
            }
            let Some(c) = precheck(&s) else { continue };
            passed += 1;
            let region = [Id::FR, Id::BE, Id::US, Id::CH][i % 4];
            if let Ok(n) = phonenumber::parse(Some(region), &c)
                && phonenumber::is_valid(&n)
            {
                let _ = n.format().mode(Mode::E164).to_string();
                let _ = n.number_type(&phonenumber::metadata::DATABASE);
            }
        }
        assert!(passed > 2_000, "{passed}");
    }

    #[test]
    fn regions() {
        let t = |s| [Val::Text("x"), Val::Text(s)];
        assert_eq!(region(&t("be"), 1).unwrap(), Id::BE);
        assert_eq!(region(&t(" GB "), 1).unwrap(), Id::GB);
        assert_eq!(region(&[Val::Text("x")], 1).unwrap(), Id::FR);
        assert!(region(&t("XX"), 1).is_err());
        assert!(region(&t("France"), 1).is_err());
        assert!(region(&t(""), 1).is_err());
    }
}

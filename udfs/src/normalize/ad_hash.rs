//! `ad_hash_email(email [, platform])`, `ad_hash_phone(phone [, region
//! [, platform]])`, `ad_hash_name(name [, platform])`: lower-case hex
//! SHA-256 of a value normalised as the ad platform's customer-list
//! matching expects. `platform` is `'google'` (default: Google Ads Customer
//! Match / enhanced conversions) or `'meta'` (Meta custom audiences;
//! `'facebook'` is accepted too), case-insensitive; anything else is an
//! error. A value that is not an e-mail / a valid phone / a name is NULL.
//!
//! What is hashed (UTF-8 bytes):
//!
//! | value | google | meta |
//! |---|---|---|
//! | e-mail | trimmed, lower case; for `gmail.com` and `googlemail.com` every `.` of the local part removed (the domain kept) | trimmed, lower case |
//! | phone | E.164 with the `+` (`+33612345678`), via [`normalize_phone`](super::phone) with `region` (default `'FR'`) | the same digits without `+` (`33612345678`): country code, no leading zeros, no symbols |
//! | name | NFC, lower case, punctuation removed (`jean-pierre` → `jeanpierre`), spaces trimmed and collapsed to one | NFC, lower case, punctuation *and* spaces removed (a–z style, accents kept as UTF-8: `valéry`) |
//!
//! Punctuation is every character that is neither a letter, a digit nor
//! white space. Accents are kept: both platforms hash UTF-8 names as given.
//! E-mails must pass `is_valid_email`; `+tag` suffixes are kept (neither
//! platform strips them).

use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::ScalarUDF;
use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

use super::{ArgKind, Kernel, Val, doc, email, phone, udf};

/// The ad platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Platform {
    Google,
    Meta,
}

fn platform(args: &[Val<'_>], at: usize) -> Result<Platform> {
    let Some(v) = args.get(at) else {
        return Ok(Platform::Google);
    };
    let p = v.text().trim();
    if p.eq_ignore_ascii_case("google") {
        Ok(Platform::Google)
    } else if p.eq_ignore_ascii_case("meta") || p.eq_ignore_ascii_case("facebook") {
        Ok(Platform::Meta)
    } else {
        exec_err!("unknown ad platform \"{p}\" (expected \"google\" or \"meta\")")
    }
}

/// Hex SHA-256 of `value` into `out`.
fn sha256_hex_into(value: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for b in Sha256::digest(value.as_bytes()).iter() {
        out.push(HEX[(b >> 4) as usize] as char);
        out.push(HEX[(b & 15) as usize] as char);
    }
}

fn email_value(s: &str, p: Platform) -> Option<String> {
    let (local, domain) = email::split(s.trim())?;
    let domain = domain.to_ascii_lowercase();
    let gmail = p == Platform::Google && (domain == "gmail.com" || domain == "googlemail.com");
    let mut v = String::with_capacity(local.len() + domain.len() + 1);
    v.extend(
        local
            .chars()
            .filter(|c| !(gmail && *c == '.'))
            .map(|c| c.to_ascii_lowercase()),
    );
    v.push('@');
    v.push_str(&domain);
    Some(v)
}

fn phone_value(s: &str, region: phonenumber::country::Id, p: Platform) -> Option<String> {
    let mut v = String::with_capacity(16);
    if !phone::e164_into(s, region, &mut v) {
        return None;
    }
    if p == Platform::Meta {
        v.remove(0);
    }
    Some(v)
}

fn name_value(s: &str, p: Platform) -> Option<String> {
    let mut v = String::with_capacity(s.len());
    let mut space = false;
    for c in s.nfc() {
        if c.is_whitespace() {
            space = true;
        } else if c.is_alphanumeric() {
            if space && p == Platform::Google && !v.is_empty() {
                v.push(' ');
            }
            space = false;
            v.extend(c.to_lowercase());
        }
    }
    (!v.is_empty()).then_some(v)
}

/// The functions of this family.
pub fn functions() -> Vec<ScalarUDF> {
    let platform_arg = "'google' (default) or 'meta'.";
    vec![
        udf(
            "ad_hash_email",
            &[ArgKind::Text, ArgKind::Text],
            1,
            Kernel::Text(email_kernel),
            doc(
                "Hex SHA-256 of an e-mail address normalised for ad matching: trimmed, \
                 lower case; for 'google', dots removed from gmail.com/googlemail.com \
                 local parts. NULL when not an e-mail address.",
                "ad_hash_email(email [, platform])",
            )
            .with_argument("email", "The address, text.")
            .with_argument("platform", platform_arg)
            .with_sql_example(
                "SELECT ad_hash_email('Jean.Dupont@gmail.com');\n\
                 -- a58df53d782ec0e3ed0e64226ae34b2519457e405954edc29c8cfa515de1eb02",
            )
            .build(),
        ),
        udf(
            "ad_hash_phone",
            &[ArgKind::Text, ArgKind::Text, ArgKind::Text],
            1,
            Kernel::Text(phone_kernel),
            doc(
                "Hex SHA-256 of a phone number normalised for ad matching: E.164 with \
                 '+' for 'google', its digits without '+' for 'meta'. NULL when not a \
                 valid number.",
                "ad_hash_phone(phone [, default_region [, platform]])",
            )
            .with_argument("phone", "The number, text.")
            .with_argument("default_region", "ISO 3166-1 alpha-2 (default 'FR').")
            .with_argument("platform", platform_arg)
            .with_sql_example(
                "SELECT ad_hash_phone('06 12 34 56 78', 'FR', 'meta');\n\
                 -- 8a3e7886c9335e82e02299fa3e87b46e2de3b0c63d56003e30a5029394a47661",
            )
            .build(),
        ),
        udf(
            "ad_hash_name",
            &[ArgKind::Text, ArgKind::Text],
            1,
            Kernel::Text(name_kernel),
            doc(
                "Hex SHA-256 of a first or last name normalised for ad matching: NFC, \
                 lower case, punctuation removed, accents kept; spaces collapsed for \
                 'google', removed for 'meta'. NULL when nothing is left.",
                "ad_hash_name(name [, platform])",
            )
            .with_argument("name", "A first or last name, text.")
            .with_argument("platform", platform_arg)
            .with_sql_example(
                "SELECT ad_hash_name(' Élodie ');\n\
                 -- 36bac2631d17463d569eaf1b869e7bf8d40e4636fd8b2b778ee93f504baf6691",
            )
            .build(),
        ),
    ]
}

fn finish(value: Option<String>, out: &mut String) -> bool {
    match value {
        Some(v) => {
            sha256_hex_into(&v, out);
            true
        }
        None => false,
    }
}

fn email_kernel(args: &[Val<'_>], out: &mut String) -> Result<bool> {
    let p = platform(args, 1)?;
    Ok(finish(email_value(args[0].text(), p), out))
}

fn phone_kernel(args: &[Val<'_>], out: &mut String) -> Result<bool> {
    let region = phone::region(args, 1)?;
    let p = platform(args, 2)?;
    Ok(finish(phone_value(args[0].text(), region, p), out))
}

fn name_kernel(args: &[Val<'_>], out: &mut String) -> Result<bool> {
    let p = platform(args, 1)?;
    Ok(finish(name_value(args[0].text(), p), out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use phonenumber::country::Id;

    // Digests: PostgreSQL 15, encode(sha256(convert_to(v, 'UTF8')), 'hex').
    const JEANDUPONT_GMAIL: &str =
        "a58df53d782ec0e3ed0e64226ae34b2519457e405954edc29c8cfa515de1eb02";
    const JEAN_DOT_DUPONT_GMAIL: &str =
        "2b79ad2133a56f795c3d9157c88db8bd684b981f292ae17ada5c8d585273d7b7";
    const PLUS33: &str = "42d573cfc315801d4cd8eddd5416b416a0bf298b9b9e12d6b07442c91db42bd8";
    const DIGITS33: &str = "8a3e7886c9335e82e02299fa3e87b46e2de3b0c63d56003e30a5029394a47661";
    const ELODIE: &str = "36bac2631d17463d569eaf1b869e7bf8d40e4636fd8b2b778ee93f504baf6691";

    fn hex(v: &str) -> String {
        let mut o = String::new();
        sha256_hex_into(v, &mut o);
        o
    }

    #[test]
    fn digests() {
        assert_eq!(hex("jeandupont@gmail.com"), JEANDUPONT_GMAIL);
        assert_eq!(hex("élodie"), ELODIE);
    }

    #[test]
    fn values() {
        use Platform::*;
        for (s, p, want) in [
            (
                " Jean.Dupont@GMAIL.com ",
                Google,
                Some("jeandupont@gmail.com"),
            ),
            (
                "Jean.Dupont@googlemail.com",
                Google,
                Some("jeandupont@googlemail.com"),
            ),
            (
                "Jean.Dupont+x@gmail.com",
                Google,
                Some("jeandupont+x@gmail.com"),
            ),
            (
                "Jean.Dupont@Orange.fr",
                Google,
                Some("jean.dupont@orange.fr"),
            ),
            (
                " Jean.Dupont@GMAIL.com ",
                Meta,
                Some("jean.dupont@gmail.com"),
            ),
            ("not an email", Google, None),
        ] {
            assert_eq!(email_value(s, p).as_deref(), want, "{s:?} {p:?}");
        }
        for (s, p, want) in [
            ("06 12 34 56 78", Google, Some("+33612345678")),
            ("06 12 34 56 78", Meta, Some("33612345678")),
            ("+33 (0)6 12 34 56 78", Meta, Some("33612345678")),
            ("06 12", Meta, None),
        ] {
            assert_eq!(phone_value(s, Id::FR, p).as_deref(), want, "{s:?} {p:?}");
        }
        for (s, p, want) in [
            (" Élodie ", Google, Some("élodie")),
            ("E\u{301}lodie", Meta, Some("élodie")),
            ("Jean-Pierre", Google, Some("jeanpierre")),
            ("Jean  Pierre", Google, Some("jean pierre")),
            ("Jean  Pierre", Meta, Some("jeanpierre")),
            ("O'Neil", Meta, Some("oneil")),
            (" -- ", Google, None),
            ("", Meta, None),
        ] {
            assert_eq!(name_value(s, p).as_deref(), want, "{s:?} {p:?}");
        }
        assert_eq!(
            hex(&email_value("Jean.Dupont@gmail.com", Meta).unwrap()),
            JEAN_DOT_DUPONT_GMAIL
        );
        assert_eq!(
            hex(&phone_value("0612345678", Id::FR, Google).unwrap()),
            PLUS33
        );
        assert_eq!(
            hex(&phone_value("0612345678", Id::FR, Meta).unwrap()),
            DIGITS33
        );
    }

    #[test]
    fn platforms() {
        let a = |p| [Val::Text("x"), Val::Text(p)];
        assert_eq!(platform(&a(" META "), 1).unwrap(), Platform::Meta);
        assert_eq!(platform(&a("facebook"), 1).unwrap(), Platform::Meta);
        assert_eq!(platform(&a("Google"), 1).unwrap(), Platform::Google);
        assert_eq!(platform(&[Val::Text("x")], 1).unwrap(), Platform::Google);
        assert!(platform(&a("tiktok"), 1).is_err());
    }
}

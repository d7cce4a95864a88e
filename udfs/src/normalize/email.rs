//! `normalize_email(email [, options])`, `email_domain(email)`,
//! `is_valid_email(email)`.
//!
//! **What counts as an e-mail address** (a practical subset of RFC 5322's
//! `addr-spec`, after trimming surrounding white space):
//!
//! - exactly one `@`, at most 254 bytes in all;
//! - local part: a *dot-atom* of 1–64 bytes: atoms of ASCII letters, digits
//!   and ``! # $ % & ' * + / = ? ^ _ ` { | } ~ -``, separated by single dots,
//!   no dot first or last; no quoted strings, comments or non-ASCII (SMTPUTF8)
//!   local parts;
//! - domain: at least two dot-separated labels, at most 253 bytes; a label
//!   is 1–63 ASCII letters, digits or `-`, neither first nor last `-`; the
//!   last label (TLD) is at least 2 letters, or an IDNA `xn--` label; no
//!   IP literals (`[1.2.3.4]`), no Unicode domains (write them in punycode),
//!   no final dot;
//! - so no spaces anywhere.
//!
//! `normalize_email` trims, lower-cases (ASCII: nothing else is accepted)
//! and returns NULL for anything that is not such an address. `options` is
//! a comma-separated, case-insensitive list:
//!
//! - `gmail`: for `gmail.com` and `googlemail.com`, dots are removed from
//!   the local part and the domain becomes `gmail.com` (Gmail ignores dots
//!   and treats the two domains as one);
//! - `tags`: a `+tag` suffix is removed from the local part (`jo+news@x.fr`
//!   → `jo@x.fr`), for every domain; a local part that *starts* with `+`
//!   is kept;
//!
//! `''` means none; an unknown option is an error.

use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::ScalarUDF;

use super::{ArgKind, Kernel, Val, doc, udf};

/// The functions of this family.
pub fn functions() -> Vec<ScalarUDF> {
    vec![
        udf(
            "normalize_email",
            &[ArgKind::Text, ArgKind::Text],
            1,
            Kernel::Text(normalize_kernel),
            doc(
                "Trims and lower-cases an e-mail address; NULL when it is not one \
                 (see is_valid_email). Options, comma-separated: 'gmail' removes \
                 dots from gmail.com/googlemail.com local parts and maps \
                 googlemail.com to gmail.com; 'tags' strips a '+tag' suffix.",
                "normalize_email(email [, options])",
            )
            .with_argument("email", "The address, text.")
            .with_argument("options", "'', 'gmail', 'tags' or 'gmail,tags'.")
            .with_sql_example(
                "SELECT normalize_email(' Jean.Dupont+promo@GoogleMail.com ', 'gmail,tags');\n\
                 -- jeandupont@gmail.com",
            )
            .with_related_udf("is_valid_email")
            .build(),
        ),
        udf(
            "email_domain",
            &[ArgKind::Text],
            1,
            Kernel::Text(domain_kernel),
            doc(
                "The lower-cased domain of an e-mail address; NULL when it is not one.",
                "email_domain(email)",
            )
            .with_argument("email", "The address, text.")
            .with_sql_example("SELECT email_domain('Jean@Orange.FR'); -- orange.fr")
            .build(),
        ),
        udf(
            "is_valid_email",
            &[ArgKind::Text],
            1,
            Kernel::Bool(valid_kernel),
            doc(
                "Whether the trimmed text is an e-mail address: one '@', a dot-atom \
                 local part of at most 64 ASCII characters, a domain of at least two \
                 labels whose last is a TLD of at least 2 letters, no spaces.",
                "is_valid_email(email)",
            )
            .with_argument("email", "The address, text.")
            .with_sql_example("SELECT is_valid_email('jean@orange'); -- false")
            .build(),
        ),
    ]
}

/// Options of `normalize_email`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Options {
    pub(crate) gmail: bool,
    pub(crate) tags: bool,
}

fn parse_options(s: &str) -> Result<Options> {
    let mut o = Options::default();
    for part in s.split(',') {
        let p = part.trim();
        if p.eq_ignore_ascii_case("gmail") {
            o.gmail = true;
        } else if p.eq_ignore_ascii_case("tags") {
            o.tags = true;
        } else if !p.is_empty() {
            return exec_err!(
                "unrecognized normalize_email option \"{p}\" (expected \"gmail\" or \"tags\")"
            );
        }
    }
    Ok(o)
}

fn atext(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~-".contains(&b)
}

/// Splits a valid address (already trimmed) into local part and domain.
pub(crate) fn split(s: &str) -> Option<(&str, &str)> {
    if s.len() > 254 {
        return None;
    }
    let (local, domain) = s.split_once('@')?;
    if local.is_empty() || local.len() > 64 || domain.len() > 253 || domain.contains('@') {
        return None;
    }
    if !local
        .split('.')
        .all(|a| !a.is_empty() && a.bytes().all(atext))
    {
        return None;
    }
    let mut labels = 0;
    let mut last = "";
    for l in domain.split('.') {
        let b = l.as_bytes();
        if b.is_empty()
            || b.len() > 63
            || b[0] == b'-'
            || b[b.len() - 1] == b'-'
            || !b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        {
            return None;
        }
        labels += 1;
        last = l;
    }
    let tld_ok = (last.len() >= 2 && last.bytes().all(|c| c.is_ascii_alphabetic()))
        || (last.len() > 4 && last[..4].eq_ignore_ascii_case("xn--"));
    (labels >= 2 && tld_ok).then_some((local, domain))
}

/// Whether `s` (trimmed) is an address.
pub(crate) fn is_valid(s: &str) -> bool {
    split(s.trim()).is_some()
}

/// The normalised address into `out`; `false` when `s` is not one.
pub(crate) fn normalize_into(s: &str, o: Options, out: &mut String) -> bool {
    let Some((local, domain)) = split(s.trim()) else {
        return false;
    };
    let local = if o.tags {
        match local.find('+') {
            Some(i) if i > 0 => &local[..i],
            _ => local,
        }
    } else {
        local
    };
    let gmail = o.gmail
        && (domain.eq_ignore_ascii_case("gmail.com")
            || domain.eq_ignore_ascii_case("googlemail.com"));
    for c in local.chars() {
        if !(gmail && c == '.') {
            out.push(c.to_ascii_lowercase());
        }
    }
    out.push('@');
    if gmail {
        out.push_str("gmail.com");
    } else {
        out.extend(domain.chars().map(|c| c.to_ascii_lowercase()));
    }
    true
}

fn normalize_kernel(args: &[Val<'_>], out: &mut String) -> Result<bool> {
    let o = match args.get(1) {
        Some(v) => parse_options(v.text())?,
        None => Options::default(),
    };
    Ok(normalize_into(args[0].text(), o, out))
}

fn domain_kernel(args: &[Val<'_>], out: &mut String) -> Result<bool> {
    Ok(match split(args[0].text().trim()) {
        Some((_, d)) => {
            out.extend(d.chars().map(|c| c.to_ascii_lowercase()));
            true
        }
        None => false,
    })
}

fn valid_kernel(args: &[Val<'_>]) -> Result<Option<bool>> {
    Ok(Some(is_valid(args[0].text())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str, opts: &str) -> Option<String> {
        let mut out = String::new();
        normalize_into(s, parse_options(opts).unwrap(), &mut out).then_some(out)
    }

    #[test]
    fn validity() {
        for (s, ok) in [
            ("jean.dupont@orange.fr", true),
            ("  Jean.Dupont@Orange.FR  ", true),
            ("a@b.co", true),
            ("o'neil+tag@example.co.uk", true),
            ("x@xn--bcher-kva.xn--p1ai", true),
            ("user@sub-domain.example.com", true),
            ("", false),
            ("@", false),
            ("jean", false),
            ("jean@", false),
            ("@orange.fr", false),
            ("jean@orange", false),
            ("jean@orange.f", false),
            ("jean@orange.f1", false),
            ("jean@@orange.fr", false),
            ("je@an@orange.fr", false),
            ("jean dupont@orange.fr", false),
            (".jean@orange.fr", false),
            ("jean.@orange.fr", false),
            ("je..an@orange.fr", false),
            ("jean@-orange.fr", false),
            ("jean@orange-.fr", false),
            ("jean@orange..fr", false),
            ("jean@orange.fr.", false),
            ("jean@[127.0.0.1]", false),
            ("\"jean\"@orange.fr", false),
            ("élodie@orange.fr", false),
            ("jean@orangé.fr", false),
            (&format!("{}@x.fr", "a".repeat(65)), false),
            (&format!("{}@x.fr", "a".repeat(64)), true),
        ] {
            assert_eq!(is_valid(s), ok, "{s:?}");
        }
    }

    #[test]
    fn normalisation() {
        for (s, opts, want) in [
            (" Jean.Dupont@Orange.FR ", "", Some("jean.dupont@orange.fr")),
            ("Jean.Dupont@GMAIL.com", "", Some("jean.dupont@gmail.com")),
            (
                "Jean.Dupont@GMAIL.com",
                "gmail",
                Some("jeandupont@gmail.com"),
            ),
            ("j.d@googlemail.com", "gmail", Some("jd@gmail.com")),
            ("j.d+x@googlemail.com", "gmail", Some("jd+x@gmail.com")),
            ("j.d+x@googlemail.com", "gmail,tags", Some("jd@gmail.com")),
            (
                "j.d+x@googlemail.com",
                " Tags , GMAIL ",
                Some("jd@gmail.com"),
            ),
            ("j.d+x+y@orange.fr", "tags", Some("j.d@orange.fr")),
            ("j.d@orange.fr", "gmail", Some("j.d@orange.fr")),
            ("+x@orange.fr", "tags", Some("+x@orange.fr")),
            ("not an email", "", None),
            ("", "gmail", None),
        ] {
            assert_eq!(norm(s, opts).as_deref(), want, "{s:?} {opts:?}");
        }
        assert!(parse_options("dots").is_err());
        assert_eq!(parse_options("").unwrap(), Options::default());
    }
}

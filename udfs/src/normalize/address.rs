//! `normalize_address(text)`: a French street line as a **comparison key**,
//! and `is_valid_postal_code(code, country)`.
//!
//! `normalize_address` is meant for matching (`12 bd Saint-Michel` and
//! `12, Boulevard St Michel` give the same `12 boulevard saint michel`),
//! not for display, hence:
//!
//! 1. accents removed and lower case throughout (`Allée` and `Allee` match);
//! 2. every run of characters other than letters and digits (punctuation,
//!    hyphens, apostrophes, spaces) becomes one space, trimmed;
//! 3. a number followed by `b`/`bis`, `t`/`ter` or `q`/`quater`, glued or
//!    not (`12b`, `12 B`, `12bis`), becomes `12 bis` / `12 ter` /
//!    `12 quater` — only when more words follow, so that a trailing
//!    `Bâtiment 3 B` is left alone;
//! 4. whole-word abbreviations are expanded ([`ABBREVIATIONS`]): street
//!    types (`bd`, `bld`, `blvd`, `boul` → `boulevard`; `av`, `ave` →
//!    `avenue`; `r` → `rue`; `pl` → `place`; `imp` → `impasse`; `ch`, `chem`
//!    → `chemin`; `rte` → `route`; `fg`, `fbg` → `faubourg`; `all` →
//!    `allee`; `sq` → `square`; `qu`, `qua` → `quai`; `crs` → `cours`, …),
//!    saints (`st`, `ste`, `sts`, `stes`) and titles (`gal`, `gen` →
//!    `general`, `mal` → `marechal`, `pdt` → `president`, `dr` → `docteur`, …).
//!
//! Empty (or punctuation-only) input is NULL.
//!
//! `is_valid_postal_code(code, country)` checks a trimmed postal code's
//! format for `country` (an alpha-2/alpha-3 code or a name, as
//! [`normalize_country`](super::country) reads it). NULL when the country
//! is unknown or not one of these:
//!
//! | country | rule |
//! |---|---|
//! | FR | 5 digits; department prefix `01`–`95` (Corsica is `20xxx`: postal codes do not use 2A/2B), or overseas `971`–`978`, `984`, `986`–`988` |
//! | MC | `980` + 2 digits |
//! | BE, CH, LI, AT | 4 digits, first not `0` |
//! | LU | 4 digits, optional `L-` |
//! | DE | 5 digits, not `00…` |
//! | ES | 5 digits, province `01`–`52` |
//! | IT | 5 digits |
//! | PT | `NNNN-NNN` |
//! | NL | 4 digits (first not `0`), optional space, 2 letters other than `SA`, `SD`, `SS` |
//! | GB | Royal Mail outward + inward code (`SW1A 1AA`, `M1 1AE`, `GIR 0AA`), case-insensitive, optional space |
//! | US | ZIP `NNNNN` or ZIP+4 `NNNNN-NNNN` |

use std::sync::LazyLock;

use datafusion::common::Result;
use datafusion::logical_expr::ScalarUDF;
use regex::Regex;

use super::{ArgKind, Kernel, Val, country, doc, key_into, udf};

/// Abbreviation → expansion (both as keys: lower case, no accents).
pub const ABBREVIATIONS: &[(&str, &str)] = &[
    // Street types.
    ("bd", "boulevard"),
    ("bld", "boulevard"),
    ("blvd", "boulevard"),
    ("bvd", "boulevard"),
    ("boul", "boulevard"),
    ("boulv", "boulevard"),
    ("av", "avenue"),
    ("ave", "avenue"),
    ("avn", "avenue"),
    ("r", "rue"),
    ("pl", "place"),
    ("imp", "impasse"),
    ("ch", "chemin"),
    ("chem", "chemin"),
    ("rte", "route"),
    ("fg", "faubourg"),
    ("fbg", "faubourg"),
    ("faub", "faubourg"),
    ("all", "allee"),
    ("sq", "square"),
    ("qu", "quai"),
    ("qua", "quai"),
    ("crs", "cours"),
    ("pass", "passage"),
    ("psg", "passage"),
    ("prom", "promenade"),
    ("sent", "sentier"),
    ("rpt", "rond point"),
    ("rdpt", "rond point"),
    ("res", "residence"),
    ("resid", "residence"),
    ("ham", "hameau"),
    ("esp", "esplanade"),
    ("vla", "villa"),
    ("quart", "quartier"),
    ("mte", "montee"),
    ("trav", "traverse"),
    ("za", "zone artisanale"),
    ("zi", "zone industrielle"),
    ("ld", "lieu dit"),
    // Saints.
    ("st", "saint"),
    ("ste", "sainte"),
    ("sts", "saints"),
    ("stes", "saintes"),
    // Titles in street names.
    ("gal", "general"),
    ("gen", "general"),
    ("mal", "marechal"),
    ("pdt", "president"),
    ("pres", "president"),
    ("dr", "docteur"),
    ("pr", "professeur"),
    ("prof", "professeur"),
    ("cdt", "commandant"),
    ("lt", "lieutenant"),
    ("cne", "capitaine"),
    ("mgr", "monseigneur"),
    // Building parts.
    ("bat", "batiment"),
    ("bt", "batiment"),
    ("appt", "appartement"),
    ("apt", "appartement"),
    ("esc", "escalier"),
];

fn suffix(s: &str) -> Option<&'static str> {
    match s {
        "b" | "bis" => Some("bis"),
        "t" | "ter" => Some("ter"),
        "q" | "quater" => Some("quater"),
        _ => None,
    }
}

fn expand(word: &str) -> &str {
    ABBREVIATIONS
        .iter()
        .find(|(a, _)| *a == word)
        .map_or(word, |(_, e)| e)
}

/// The address key into `out`; `false` when nothing is left.
pub(crate) fn normalize_into(s: &str, out: &mut String) -> bool {
    let mut k = String::with_capacity(s.len());
    key_into(s, &mut k);
    let words: Vec<&str> = k.split(' ').filter(|w| !w.is_empty()).collect();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        if !out.is_empty() {
            out.push(' ');
        }
        let digits = w.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && digits < w.len() {
            // `12b`, `12bis`
            if let Some(sfx) = suffix(&w[digits..]).filter(|_| i + 1 < words.len()) {
                out.push_str(&w[..digits]);
                out.push(' ');
                out.push_str(sfx);
                i += 1;
                continue;
            }
        } else if digits == w.len() && i + 2 < words.len() {
            // `12 b rue …`
            if let Some(sfx) = suffix(words[i + 1]) {
                out.push_str(w);
                out.push(' ');
                out.push_str(sfx);
                i += 2;
                continue;
            }
        }
        out.push_str(expand(w));
        i += 1;
    }
    !out.is_empty()
}

fn re(p: &str) -> Regex {
    Regex::new(p).expect("valid postal code pattern")
}

static PATTERNS: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    let four = r"^[1-9][0-9]{3}$";
    vec![
        (
            "FR",
            re(r"^(?:(?:0[1-9]|[1-8][0-9]|9[0-5])[0-9]{3}|97[1-8][0-9]{2}|98[46-8][0-9]{2})$"),
        ),
        ("MC", re(r"^980[0-9]{2}$")),
        ("BE", re(four)),
        ("CH", re(four)),
        ("LI", re(four)),
        ("AT", re(four)),
        ("LU", re(r"^(?i:L-)?[0-9]{4}$")),
        ("DE", re(r"^(?:0[1-9]|[1-9][0-9])[0-9]{3}$")),
        ("ES", re(r"^(?:0[1-9]|[1-4][0-9]|5[0-2])[0-9]{3}$")),
        ("IT", re(r"^[0-9]{5}$")),
        ("PT", re(r"^[0-9]{4}-[0-9]{3}$")),
        ("NL", re(r"^[1-9][0-9]{3} ?[A-Za-z]{2}$")),
        (
            "GB",
            re(concat!(
                r"^(?i:GIR ?0AA|(?:[A-PR-UWYZ][0-9]{1,2}|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}",
                r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])",
                r" ?[0-9][ABD-HJLNP-UW-Z]{2})$"
            )),
        ),
        ("US", re(r"^[0-9]{5}(?:-[0-9]{4})?$")),
    ]
});

/// Whether `code` is a postal code of `country`; `None` for a country
/// without a rule.
pub(crate) fn postal_code_valid(code: &str, country: &str) -> Option<bool> {
    let c = country::alpha2(country)?;
    let (_, re) = PATTERNS.iter().find(|(k, _)| *k == c)?;
    let code = code.trim();
    let ok = re.is_match(code)
        && !(c == "NL"
            && ["SA", "SD", "SS"]
                .iter()
                .any(|x| code[code.len() - 2..].eq_ignore_ascii_case(x)));
    Some(ok)
}

/// The functions of this family.
pub fn functions() -> Vec<ScalarUDF> {
    vec![
        udf(
            "normalize_address",
            &[ArgKind::Text],
            1,
            Kernel::Text(address_kernel),
            doc(
                "A French street line as a comparison key: lower case, no accents, \
                 punctuation and spaces collapsed, number suffixes as 'bis'/'ter'/\
                 'quater', abbreviations expanded (bd → boulevard, av → avenue, r → rue, \
                 st → saint, …). NULL when empty.",
                "normalize_address(text)",
            )
            .with_argument("text", "A street line, text.")
            .with_sql_example(
                "SELECT normalize_address('12B, bd St-Michel'); -- 12 bis boulevard saint michel",
            )
            .build(),
        ),
        udf(
            "is_valid_postal_code",
            &[ArgKind::Text, ArgKind::Text],
            2,
            Kernel::Bool(postal_kernel),
            doc(
                "Whether a postal code has the format of the country's codes (FR, MC, BE, \
                 CH, LI, AT, LU, DE, ES, IT, PT, NL, GB, US); NULL for other or unknown \
                 countries.",
                "is_valid_postal_code(code, country)",
            )
            .with_argument("code", "The postal code, text.")
            .with_argument("country", "An ISO 3166-1 code or country name, text.")
            .with_sql_example("SELECT is_valid_postal_code('20000', 'FR'); -- true")
            .build(),
        ),
    ]
}

fn address_kernel(args: &[Val<'_>], out: &mut String) -> Result<bool> {
    Ok(normalize_into(args[0].text(), out))
}

fn postal_kernel(args: &[Val<'_>]) -> Result<Option<bool>> {
    Ok(postal_code_valid(args[0].text(), args[1].text()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> Option<String> {
        let mut out = String::new();
        normalize_into(s, &mut out).then_some(out)
    }

    #[test]
    fn addresses() {
        for (s, want) in [
            ("12 bd Saint-Michel", Some("12 boulevard saint michel")),
            ("12 boulevard St Michel", Some("12 boulevard saint michel")),
            ("12, Bd. St-Michel", Some("12 boulevard saint michel")),
            ("12b bd Saint-Michel", Some("12 bis boulevard saint michel")),
            (
                "12 B bd Saint-Michel",
                Some("12 bis boulevard saint michel"),
            ),
            (
                "12bis, bd Saint-Michel",
                Some("12 bis boulevard saint michel"),
            ),
            (
                "12 BIS bd Saint-Michel",
                Some("12 bis boulevard saint michel"),
            ),
            ("3 ter r. de la Paix", Some("3 ter rue de la paix")),
            ("3T r de la Paix", Some("3 ter rue de la paix")),
            ("7q av. Foch", Some("7 quater avenue foch")),
            ("5 all. des Tilleuls", Some("5 allee des tilleuls")),
            ("5 Allée des Tilleuls", Some("5 allee des tilleuls")),
            ("1 pl. de l'Église", Some("1 place de l eglise")),
            ("8 imp. du Moulin", Some("8 impasse du moulin")),
            ("2 chem. des Vignes", Some("2 chemin des vignes")),
            ("40 rte de Lyon", Some("40 route de lyon")),
            ("10 fbg St-Honoré", Some("10 faubourg saint honore")),
            ("4 sq. Ste-Anne", Some("4 square sainte anne")),
            ("9 qu. des Orfèvres", Some("9 quai des orfevres")),
            ("15 crs Mirabeau", Some("15 cours mirabeau")),
            (
                "1 av du Gal de Gaulle",
                Some("1 avenue du general de gaulle"),
            ),
            ("Bâtiment 3 B", Some("batiment 3 b")),
            ("  ", None),
            ("", None),
            (",,", None),
        ] {
            assert_eq!(norm(s).as_deref(), want, "{s:?}");
        }
    }

    #[test]
    fn postal_codes() {
        for (code, country, want) in [
            ("75001", "FR", Some(true)),
            (" 75001 ", "France", Some(true)),
            ("20000", "FR", Some(true)),
            ("20200", "FR", Some(true)),
            ("2A000", "FR", Some(false)),
            ("97400", "FR", Some(true)),
            ("98800", "FR", Some(true)),
            ("00100", "FR", Some(false)),
            ("96000", "FR", Some(false)),
            ("97900", "FR", Some(false)),
            ("7500", "FR", Some(false)),
            ("750011", "FR", Some(false)),
            ("75 001", "FR", Some(false)),
            ("98000", "MC", Some(true)),
            ("1000", "BE", Some(true)),
            ("0999", "BE", Some(false)),
            ("1201", "CH", Some(true)),
            ("L-1234", "LU", Some(true)),
            ("1234", "Luxembourg", Some(true)),
            ("10115", "DE", Some(true)),
            ("00999", "DE", Some(false)),
            ("28013", "ES", Some(true)),
            ("53000", "ES", Some(false)),
            ("00184", "IT", Some(true)),
            ("1000-001", "PT", Some(true)),
            ("1012 AB", "NL", Some(true)),
            ("1012ab", "NL", Some(true)),
            ("1012 SS", "NL", Some(false)),
            ("0123 AB", "NL", Some(false)),
            ("SW1A 1AA", "GB", Some(true)),
            ("sw1a1aa", "UK", Some(true)),
            ("M1 1AE", "GB", Some(true)),
            ("EC1A 1BB", "GB", Some(true)),
            ("GIR 0AA", "GB", Some(true)),
            ("Q1 1AA", "GB", Some(false)),
            ("12345", "GB", Some(false)),
            ("90210", "US", Some(true)),
            ("90210-1234", "USA", Some(true)),
            ("9021", "US", Some(false)),
            ("", "FR", Some(false)),
            ("12345", "JP", None),
            ("12345", "Atlantide", None),
        ] {
            assert_eq!(
                postal_code_valid(code, country),
                want,
                "{code:?} {country:?}"
            );
        }
    }
}

//! `normalize_country(text)` → ISO 3166-1 alpha-2 code, or NULL.
//!
//! Accepted, case-insensitively:
//!
//! - alpha-2 and alpha-3 codes (`fr`, `FRA`), plus `UK` for `GB`;
//! - English and French short names of all 249 ISO 3166-1 countries, their
//!   common and official names, with or without accents, hyphens,
//!   apostrophes and a leading article (`la France`, `les Pays-Bas`,
//!   `l'Allemagne`, `The Netherlands`, `Etats-Unis`, `Côte d'Ivoire`,
//!   `Cote-d'Ivoire`) — the table is generated from Debian's iso-codes
//!   ([`super::countries`]);
//! - a short list of usual other spellings, kept by hand in [`ALIASES`]
//!   (`USA`, `Grande-Bretagne`, `Angleterre`, `Hollande`, `Ivory Coast`,
//!   `RDC`, `Turquie`, `Russie`, …).
//!
//! Matching compares keys: accents folded, lower case, every run of other
//! characters one space, a leading `la`/`le`/`les`/`l`/`the` dropped.
//! Anything else is NULL.

use std::collections::HashMap;
use std::sync::LazyLock;

use datafusion::common::Result;
use datafusion::logical_expr::ScalarUDF;

use super::countries::COUNTRIES;
use super::{ArgKind, Kernel, Val, doc, key, udf};

/// Other spellings, by alpha-2 code (matched by key, like the names).
pub const ALIASES: &[(&str, &[&str])] = &[
    (
        "GB",
        &[
            "UK",
            "U.K.",
            "Great Britain",
            "Grande-Bretagne",
            "Britain",
            "Angleterre",
            "England",
            "Écosse",
            "Scotland",
            "Pays de Galles",
            "Wales",
            "Irlande du Nord",
            "Northern Ireland",
        ],
    ),
    (
        "US",
        &["U.S.A.", "U.S.", "Etats-Unis d'Amérique", "America"],
    ),
    ("NL", &["Holland", "Hollande", "Nederland"]),
    ("DE", &["Deutschland", "RFA"]),
    ("CH", &["Schweiz", "Svizzera", "Confédération suisse"]),
    ("BE", &["België", "Belgien"]),
    ("ES", &["España"]),
    ("IT", &["Italia"]),
    ("CI", &["Ivory Coast"]),
    ("CZ", &["Czech Republic", "République tchèque"]),
    ("TR", &["Turkey", "Turquie"]),
    ("RU", &["Russia", "Russie"]),
    ("KR", &["Corée"]),
    ("MK", &["Macedonia", "Macédoine"]),
    ("SZ", &["Swaziland"]),
    ("MM", &["Burma"]),
    ("CV", &["Cape Verde"]),
    ("CD", &["RDC", "RD Congo", "Congo-Kinshasa", "Zaïre"]),
    ("CG", &["Congo-Brazzaville"]),
    ("VA", &["Vatican", "Vatican City", "Cité du Vatican"]),
    ("PS", &["Palestine"]),
    ("SY", &["Syrie"]),
    ("FM", &["Micronesia", "Micronésie"]),
    ("MO", &["Macau"]),
    ("AE", &["UAE", "Émirats"]),
    ("BA", &["Bosnie"]),
    ("TL", &["East Timor", "Timor-Oriental"]),
    ("FK", &["Falkland", "Malouines"]),
    ("RE", &["Île de la Réunion"]),
];

const ARTICLES: &[&str] = &["la ", "le ", "les ", "l ", "the "];

/// A name's key with its leading article dropped.
fn name_key(s: &str) -> String {
    let k = key(s);
    for a in ARTICLES {
        if let Some(rest) = k.strip_prefix(a) {
            return rest.to_string();
        }
    }
    k
}

/// Key → alpha-2, for names and aliases.
static NAMES: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
    let mut m = HashMap::new();
    for (a2, _, en, fr, others) in COUNTRIES {
        for n in [en, fr].into_iter().chain(others.iter()) {
            m.entry(name_key(n)).or_insert(*a2);
        }
    }
    for (a2, names) in ALIASES {
        for n in *names {
            m.entry(name_key(n)).or_insert(*a2);
        }
    }
    m
});

/// Upper-case code → alpha-2.
static CODES: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    let mut m = HashMap::new();
    for (a2, a3, ..) in COUNTRIES {
        m.insert(*a2, *a2);
        m.insert(*a3, *a2);
    }
    m
});

/// The alpha-2 code of a country name or code.
pub(crate) fn alpha2(s: &str) -> Option<&'static str> {
    let t = s.trim();
    if (2..=3).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_alphabetic()) {
        let up = t.to_ascii_uppercase();
        if let Some(c) = CODES.get(up.as_str()) {
            return Some(c);
        }
    }
    if t.len() > 100 {
        return None;
    }
    NAMES.get(&name_key(t)).copied()
}

/// The functions of this family.
pub fn functions() -> Vec<ScalarUDF> {
    vec![udf(
        "normalize_country",
        &[ArgKind::Text],
        1,
        Kernel::Text(kernel),
        doc(
            "The ISO 3166-1 alpha-2 code of a country given by alpha-2 or alpha-3 \
             code or by its English or French name (accents, hyphens and a leading \
             article optional: 'la France', 'Etats-Unis', 'Royaume-Uni', 'UK'); NULL \
             when unknown.",
            "normalize_country(text)",
        )
        .with_argument("text", "A country name or code, text.")
        .with_sql_example("SELECT normalize_country('Côte d''Ivoire'); -- CI")
        .build(),
    )]
}

fn kernel(args: &[Val<'_>], out: &mut String) -> Result<bool> {
    Ok(match alpha2(args[0].text()) {
        Some(c) => {
            out.push_str(c);
            true
        }
        None => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_complete_and_unambiguous() {
        assert_eq!(COUNTRIES.len(), 249);
        let mut seen: HashMap<String, &str> = HashMap::new();
        for (a2, a3, en, fr, others) in COUNTRIES {
            assert_eq!(CODES.get(a2), Some(a2));
            assert_eq!(CODES.get(a3), Some(a2));
            for n in [en, fr].into_iter().chain(others.iter()) {
                let k = name_key(n);
                if let Some(prev) = seen.insert(k.clone(), a2) {
                    assert_eq!(prev, *a2, "{n:?} ({k}) names {prev} and {a2}");
                }
                assert_eq!(alpha2(n), Some(*a2), "{n:?}");
            }
        }
        for (a2, names) in ALIASES {
            assert!(CODES.contains_key(a2));
            for n in *names {
                let k = name_key(n);
                if let Some(prev) = seen.get(&k) {
                    assert_eq!(prev, a2, "alias {n:?} names {prev}");
                }
                assert_eq!(alpha2(n), Some(*a2), "{n:?}");
            }
        }
    }

    #[test]
    fn spellings() {
        for (s, want) in [
            ("France", Some("FR")),
            ("la France", Some("FR")),
            ("  FRANCE ", Some("FR")),
            ("fr", Some("FR")),
            ("FRA", Some("FR")),
            ("Allemagne", Some("DE")),
            ("l'Allemagne", Some("DE")),
            ("Germany", Some("DE")),
            ("Royaume-Uni", Some("GB")),
            ("royaume uni", Some("GB")),
            ("UK", Some("GB")),
            ("GBR", Some("GB")),
            ("Etats-Unis", Some("US")),
            ("États-Unis", Some("US")),
            ("les États-Unis", Some("US")),
            ("USA", Some("US")),
            ("United States of America", Some("US")),
            ("Belgique", Some("BE")),
            ("Suisse", Some("CH")),
            ("Côte d'Ivoire", Some("CI")),
            ("Cote d’Ivoire", Some("CI")),
            ("COTE-D'IVOIRE", Some("CI")),
            ("Pays-Bas", Some("NL")),
            ("The Netherlands", Some("NL")),
            ("Espagne", Some("ES")),
            ("Italie", Some("IT")),
            ("Luxembourg", Some("LU")),
            ("Maroc", Some("MA")),
            ("Algérie", Some("DZ")),
            ("Tunisie", Some("TN")),
            ("Sénégal", Some("SN")),
            ("Réunion", Some("RE")),
            ("La Réunion", Some("RE")),
            ("Guadeloupe", Some("GP")),
            ("Corée du Sud", Some("KR")),
            ("South Korea", Some("KR")),
            ("Viet Nam", Some("VN")),
            ("Vietnam", Some("VN")),
            ("Iran", Some("IR")),
            ("Niger", Some("NE")),
            ("Nigeria", Some("NG")),
            ("", None),
            ("Atlantide", None),
            ("XX", None),
            ("Europe", None),
        ] {
            assert_eq!(alpha2(s), want, "{s:?}");
        }
    }
}

//! `normalize_gender(text)` → `'F'`, `'M'` or NULL.
//!
//! The input is reduced to a key (accents removed, lower case, punctuation
//! and spaces dropped: `'M.'` → `m`, `' Mme. '` → `mme`, `'Féminin'` →
//! `feminin`) and looked up:
//!
//! - `F`: `f`, `mme`, `madame`, `mlle`, `melle`, `mademoiselle`, `femme`,
//!   `feminin`, `fille`, `female`, `woman`, `w`, `mrs`, `ms`, `miss`;
//! - `M`: `m`, `mr`, `monsieur`, `homme`, `masculin`, `garcon`, `male`,
//!   `man`, `h`, `mister`;
//!
//! anything else (`'X'`, `'Madame, Monsieur'`, `''`) is NULL.

use datafusion::common::Result;
use datafusion::logical_expr::ScalarUDF;

use super::{ArgKind, Kernel, Val, doc, fold_accents_into, udf};

const FEMALE: &[&str] = &[
    "f",
    "mme",
    "madame",
    "mlle",
    "melle",
    "mademoiselle",
    "femme",
    "feminin",
    "fille",
    "female",
    "woman",
    "w",
    "mrs",
    "ms",
    "miss",
];
const MALE: &[&str] = &[
    "m", "mr", "monsieur", "homme", "masculin", "garcon", "male", "man", "h", "mister",
];

/// The functions of this family.
pub fn functions() -> Vec<ScalarUDF> {
    vec![udf(
        "normalize_gender",
        &[ArgKind::Text],
        1,
        Kernel::Text(kernel),
        doc(
            "'F' or 'M' from a title or gender in French or English (Mme, Madame, \
             Mlle, F, femme, female, woman, w, Mrs, Ms → F; M, M., Mr, Monsieur, \
             homme, male, man, h → M), ignoring case, accents, spaces and \
             punctuation; NULL otherwise.",
            "normalize_gender(text)",
        )
        .with_argument("text", "A title or gender, text.")
        .with_sql_example("SELECT normalize_gender('Mme.'); -- F")
        .build(),
    )]
}

/// `'F'`, `'M'` or `None`.
pub(crate) fn gender(s: &str) -> Option<&'static str> {
    if s.len() > 32 {
        return None;
    }
    let mut folded = String::with_capacity(s.len());
    fold_accents_into(s, &mut folded);
    let key: String = folded
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    if FEMALE.contains(&key.as_str()) {
        Some("F")
    } else if MALE.contains(&key.as_str()) {
        Some("M")
    } else {
        None
    }
}

fn kernel(args: &[Val<'_>], out: &mut String) -> Result<bool> {
    Ok(match gender(args[0].text()) {
        Some(g) => {
            out.push_str(g);
            true
        }
        None => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn genders() {
        for (s, want) in [
            ("Mme", Some("F")),
            ("mme.", Some("F")),
            ("Madame", Some("F")),
            ("MLLE", Some("F")),
            ("Mademoiselle", Some("F")),
            ("F", Some("F")),
            ("f", Some("F")),
            ("femme", Some("F")),
            ("Féminin", Some("F")),
            ("female", Some("F")),
            ("Woman", Some("F")),
            ("w", Some("F")),
            ("Mrs.", Some("F")),
            ("M", Some("M")),
            ("M.", Some("M")),
            (" m. ", Some("M")),
            ("Mr", Some("M")),
            ("MONSIEUR", Some("M")),
            ("homme", Some("M")),
            ("Male", Some("M")),
            ("man", Some("M")),
            ("H", Some("M")),
            ("Garçon", Some("M")),
            ("", None),
            ("X", None),
            ("Madame, Monsieur", None),
            ("Mx", None),
            ("inconnu", None),
        ] {
            assert_eq!(gender(s), want, "{s:?}");
        }
    }
}

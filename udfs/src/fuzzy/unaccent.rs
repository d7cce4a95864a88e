//! `unaccent(text)` and `unaccent('unaccent', text)` with PostgreSQL 15's
//! default rules (`udfs/data/unaccent.rules`, PostgreSQL's own file, see
//! `udfs/data/README.md`).
//!
//! Each rule maps one character to a replacement (`é` → `e`, `Œ` → `OE`,
//! `¼` → `1/4`); a rule without replacement deletes the character (the
//! combining accents). Characters without a rule are kept, so ASCII text
//! comes back unchanged. The rules are parsed once, on first use. The only
//! dictionary known to the two-argument form is `unaccent`.

use std::collections::HashMap;
use std::sync::LazyLock;

use datafusion::arrow::array::{ArrayRef, StringBuilder};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarUDF};

use super::{Arg, Strs, doc, udf};

const RULES: &str = include_str!("../../data/unaccent.rules");

/// Characters below this have a slot in a direct table.
const DENSE: usize = 0x3000;

struct Rules {
    dense: Vec<Option<&'static str>>,
    sparse: HashMap<char, &'static str>,
}

static TABLE: LazyLock<Rules> = LazyLock::new(|| {
    let mut dense = vec![None; DENSE];
    let mut sparse = HashMap::new();
    for line in RULES.lines() {
        let mut fields = line.split_whitespace();
        let Some(src) = fields.next() else { continue };
        let target = fields.next().unwrap_or("");
        let mut chars = src.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else {
            // PostgreSQL's file has single-character sources only.
            continue;
        };
        if (c as usize) < DENSE {
            dense[c as usize] = Some(target);
        } else {
            sparse.insert(c, target);
        }
    }
    Rules { dense, sparse }
});

fn rule(c: char) -> Option<&'static str> {
    let t = &*TABLE;
    if (c as usize) < DENSE {
        t.dense[c as usize]
    } else {
        t.sparse.get(&c).copied()
    }
}

/// `s` without accents, appended to `out`.
fn unaccent(s: &str, out: &mut String) {
    if s.is_ascii() {
        out.push_str(s);
        return;
    }
    for c in s.chars() {
        match rule(c) {
            Some(r) => out.push_str(r),
            None => out.push(c),
        }
    }
}

pub(super) fn functions() -> Vec<ScalarUDF> {
    vec![udf(
        "unaccent",
        &[&[Arg::Str], &[Arg::Str, Arg::Str]],
        DataType::Utf8,
        kernel,
        doc(
            "Text with accents and ligatures replaced by their unaccented letters, by PostgreSQL's default unaccent rules.",
            "unaccent([dictionary,] text)",
            "SELECT unaccent('Hôtel à Noël'); -- Hotel a Noel",
            &[
                (
                    "dictionary",
                    "Optional; only 'unaccent' (the default rules).",
                ),
                ("text", "Text to unaccent."),
            ],
        ),
    )]
}

fn kernel(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let (dict, text) = match args {
        [t] => (None, Strs::new(t)?),
        [d, t] => (Some(Strs::new(d)?), Strs::new(t)?),
        _ => return exec_err!("unaccent takes one or two arguments"),
    };
    let mut out = StringBuilder::with_capacity(n, n * 8);
    let mut buf = String::new();
    for i in 0..n {
        let d = match &dict {
            Some(d) => match d.get(i) {
                Some(name) => Some(name),
                None => {
                    out.append_null();
                    continue;
                }
            },
            None => None,
        };
        if let Some(name) = d
            && !matches!(name, "unaccent" | "public.unaccent")
        {
            return exec_err!("text search dictionary \"{name}\" does not exist");
        }
        match text.get(i) {
            Some(s) => {
                buf.clear();
                unaccent(s, &mut buf);
                out.append_value(&buf);
            }
            None => out.append_null(),
        }
    }
    Ok(std::sync::Arc::new(out.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn un(s: &str) -> String {
        let mut out = String::new();
        unaccent(s, &mut out);
        out
    }

    #[test]
    fn matches_postgresql() {
        // Expected values: PostgreSQL 15 unaccent.
        for (s, want) in [
            ("Zoé", "Zoe"),
            ("Élodie", "Elodie"),
            ("Straße", "Strasse"),
            ("Œuvre", "OEuvre"),
            ("¼", "1/4"),
            ("ʺ", "\""),
            ("", ""),
            ("Hôtel à Noël", "Hotel a Noel"),
            ("e\u{301}", "e"),
        ] {
            assert_eq!(un(s), want, "{s}");
        }
    }

    #[test]
    fn every_rule_has_one_character_and_none_is_ascii() {
        for line in RULES.lines() {
            let src = line.split_whitespace().next().expect("a source");
            assert_eq!(src.chars().count(), 1, "{line}");
            assert!(!src.is_ascii(), "{line}");
        }
    }
}

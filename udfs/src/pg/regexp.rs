//! `regexp_matches` (its rows, as a list: `regexp_matches_list`) and
//! `regexp_split_to_array` (also behind `regexp_split_to_table`) as in
//! PostgreSQL 15.
//!
//! - `regexp_matches(s, re [, flags])`: one `text[]` per match (the
//!   capture groups, an unmatched group NULL; the whole match when the
//!   pattern has no group); the first match only, all of them with `g`;
//! - `regexp_split_to_array(s, re [, flags])`: the pieces between matches,
//!   ignoring zero-length matches at the start or end of the string or
//!   right after the previous match (so `''` splits into characters and
//!   `''` splits into `{""}`); `g` is an error.
//!
//! Patterns are PostgreSQL's advanced regular expressions translated to the
//! `regex` crate's syntax: `\m`, `\M`, `\y` are word boundaries (`\b`),
//! `\Y` is `\B`, `.` matches newlines (unless flag `n`). Flags: `i`, `c`,
//! `n`, `s`, `x`, `g`; any other is an error.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListBuilder, StringBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::{Result, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};
use regex::Regex;

/// The `regex` syntax of an ARE pattern.
fn translate(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('m' | 'M' | 'y') => out.push_str("\\b"),
            Some('Y') => out.push_str("\\B"),
            Some(n) => {
                out.push('\\');
                out.push(n);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// A compiled pattern and whether flag `g` was given.
fn compile(pattern: &str, flags: &str) -> Result<(Regex, bool)> {
    let mut global = false;
    let mut case_insensitive = false;
    let mut newline = false;
    let mut expanded = false;
    for f in flags.chars() {
        match f {
            'g' => global = true,
            'i' => case_insensitive = true,
            'c' => case_insensitive = false,
            'n' | 'w' => newline = true,
            's' => newline = false,
            'x' => expanded = true,
            'q' | 'p' | 't' | 'e' | 'b' => {}
            other => return exec_err!("invalid regular expression option: \"{other}\""),
        }
    }
    let mut prefix = String::from("(?");
    if case_insensitive {
        prefix.push('i');
    }
    if newline {
        prefix.push('m');
    } else {
        prefix.push('s');
    }
    if expanded {
        prefix.push('x');
    }
    prefix.push(')');
    match Regex::new(&format!("{prefix}{}", translate(pattern))) {
        Ok(re) => Ok((re, global)),
        Err(e) => exec_err!("invalid regular expression: {e}"),
    }
}

/// The matches of `re` in `s`: groups (or the whole match) per match.
fn matches(re: &Regex, s: &str, global: bool) -> Vec<Vec<Option<String>>> {
    let mut out = vec![];
    for caps in re.captures_iter(s) {
        let row = if caps.len() == 1 {
            vec![caps.get(0).map(|m| m.as_str().to_string())]
        } else {
            (1..caps.len())
                .map(|g| caps.get(g).map(|m| m.as_str().to_string()))
                .collect()
        };
        out.push(row);
        if !global {
            break;
        }
    }
    out
}

/// PostgreSQL's split: degenerate (zero-length) matches at the ends or
/// right after the previous match are not separators.
fn split<'a>(re: &Regex, s: &'a str) -> Vec<&'a str> {
    let mut pieces = vec![];
    let mut start = 0;
    for m in re.find_iter(s) {
        if m.start() < s.len() && m.end() > start {
            if m.start() == m.end() && m.start() == start {
                continue;
            }
            pieces.push(&s[start..m.start()]);
            start = m.end();
        }
    }
    pieces.push(&s[start..]);
    pieces
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct RegexpFn {
    name: &'static str,
    split: bool,
    signature: Signature,
}

/// `regexp_matches_list`, `regexp_split_to_array` and
/// `pg_regexp_replacement`.
pub fn functions() -> Vec<ScalarUDF> {
    let mut all: Vec<ScalarUDF> = [
        ("regexp_matches_list", false),
        ("regexp_split_to_array", true),
    ]
    .into_iter()
    .map(|(name, split)| {
        ScalarUDF::new_from_impl(RegexpFn {
            name,
            split,
            signature: Signature::user_defined(Volatility::Immutable),
        })
    })
    .collect();
    all.push(datafusion::logical_expr::create_udf(
        REPLACEMENT,
        vec![DataType::Utf8],
        DataType::Utf8,
        Volatility::Immutable,
        Arc::new(|args: &[ColumnarValue]| {
            let scalar = matches!(args[0], ColumnarValue::Scalar(_));
            let a = args[0].to_array(1)?;
            let out: datafusion::arrow::array::StringArray = a
                .as_string::<i32>()
                .iter()
                .map(|v| v.map(replacement))
                .collect();
            super::result(Arc::new(out), scalar)
        }),
    ));
    all
}

/// The function the SQL front end wraps `regexp_replace`'s replacement in.
pub const REPLACEMENT: &str = "pg_regexp_replacement";

/// A PostgreSQL `regexp_replace` replacement (`\&` the whole match, `\1` …
/// `\9` groups, `\\` a backslash, `$` a dollar) in the syntax of
/// DataFusion's `regexp_replace`, the `regex` crate's (`${n}`, `$$`).
pub fn replacement(pg: &str) -> String {
    let mut out = String::with_capacity(pg.len() + 4);
    let mut chars = pg.chars();
    while let Some(c) = chars.next() {
        match c {
            '$' => out.push_str("$$"),
            '\\' => match chars.next() {
                Some('&') => out.push_str("${0}"),
                Some(d @ '1'..='9') => {
                    out.push_str("${");
                    out.push(d);
                    out.push('}');
                }
                Some('\\') | None => out.push('\\'),
                // PostgreSQL keeps the backslash before any other character.
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
            },
            c => out.push(c),
        }
    }
    out
}

fn text_list() -> DataType {
    DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, true)))
}

impl ScalarUDFImpl for RegexpFn {
    fn name(&self) -> &str {
        self.name
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let text = |t: &DataType| {
            matches!(
                t,
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null
            )
        };
        if !(2..=3).contains(&arg_types.len()) || !arg_types.iter().all(text) {
            let sql = if self.split {
                "regexp_split_to_array"
            } else {
                "regexp_matches"
            };
            return plan_err!("function {sql}({arg_types:?}) does not exist");
        }
        Ok(vec![DataType::Utf8; arg_types.len()])
    }
    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(if self.split {
            text_list()
        } else {
            DataType::List(Arc::new(Field::new_list_field(text_list(), true)))
        })
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = super::all_scalar(&args.args);
        let n = if scalar { 1 } else { args.number_rows };
        let arrays: Vec<ArrayRef> = args
            .args
            .iter()
            .map(|a| Ok(cast(&a.to_array(n)?, &DataType::Utf8)?))
            .collect::<Result<_>>()?;
        let s = arrays[0].as_string::<i32>();
        let p = arrays[1].as_string::<i32>();
        let f = arrays.get(2).map(|a| a.as_string::<i32>());
        let mut cached: Option<(String, String, Regex, bool)> = None;
        let mut splits = ListBuilder::new(StringBuilder::new());
        let mut all = ListBuilder::new(ListBuilder::new(StringBuilder::new()));
        for i in 0..n {
            let flags = match f {
                Some(f) if f.is_null(i) => None,
                Some(f) => Some(f.value(i)),
                None => Some(""),
            };
            let (Some(flags), true, true) = (flags, s.is_valid(i), p.is_valid(i)) else {
                if self.split {
                    splits.append_null();
                } else {
                    all.append(true);
                }
                continue;
            };
            let pattern = p.value(i);
            if cached
                .as_ref()
                .is_none_or(|(cp, cf, _, _)| cp != pattern || cf != flags)
            {
                let (re, g) = compile(pattern, flags)?;
                cached = Some((pattern.to_string(), flags.to_string(), re, g));
            }
            let (_, _, re, global) = cached.as_ref().expect("compiled above");
            if self.split {
                if *global {
                    return exec_err!(
                        "regexp_split_to_array() does not support the \"global\" option"
                    );
                }
                for piece in split(re, s.value(i)) {
                    splits.values().append_value(piece);
                }
                splits.append(true);
            } else {
                for row in matches(re, s.value(i), *global) {
                    for g in row {
                        all.values().values().append_option(g);
                    }
                    all.values().append(true);
                }
                all.append(true);
            }
        }
        let out: ArrayRef = if self.split {
            Arc::new(splits.finish())
        } else {
            Arc::new(all.finish())
        };
        super::result(out, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replacements_as_postgres_reads_them() {
        assert_eq!(replacement(r"\3/\2/\1"), "${3}/${2}/${1}");
        assert_eq!(replacement(r"\&\&"), "${0}${0}");
        assert_eq!(replacement("$5 off"), "$$5 off");
        assert_eq!(replacement(r"a\\b\x"), r"a\b\x");
    }

    fn sp(s: &str, p: &str, f: &str) -> Vec<String> {
        let (re, _) = compile(p, f).unwrap();
        split(&re, s).into_iter().map(str::to_string).collect()
    }

    #[test]
    fn split_as_postgres_15() {
        // SELECT regexp_split_to_array(s, p [, f])
        assert_eq!(sp("a, b,c ,d", r"\s*,\s*", ""), ["a", "b", "c", "d"]);
        assert_eq!(
            sp("hello world  again", r"\s+", ""),
            ["hello", "world", "again"]
        );
        assert_eq!(sp("abc", "", ""), ["a", "b", "c"]);
        assert_eq!(sp("", ",", ""), [""]);
        assert_eq!(sp("aXbxc", "x", "i"), ["a", "b", "c"]);
        assert_eq!(sp(",a,", ",", ""), ["", "a", ""]);
        assert_eq!(sp("abc", "x*", ""), ["a", "b", "c"]);
        assert_eq!(sp("red,green,,blue", ",", ""), ["red", "green", "", "blue"]);
    }

    #[test]
    fn matches_as_postgres_15() {
        let m = |s: &str, p: &str, f: &str| {
            let (re, g) = compile(p, f).unwrap();
            matches(&re, s, g)
        };
        let some = |v: &[&str]| v.iter().map(|s| Some(s.to_string())).collect::<Vec<_>>();
        assert_eq!(
            m("a1b22c333", "[0-9]+", "g"),
            [some(&["1"]), some(&["22"]), some(&["333"])]
        );
        assert_eq!(
            m("foo.bar@x", r"([a-z]+)\.([a-z]+)@", "i"),
            [some(&["foo", "bar"])]
        );
        assert_eq!(m("abc", "(x)?b", ""), [vec![None]]);
        assert!(m("abc", "z", "").is_empty());
        assert_eq!(m("the cat sat on the mat", r"\mthe\M", "g").len(), 2);
        assert_eq!(m("aaa", "", "g").len(), 4);
        assert_eq!(m("é,ß", r"\w", "g"), [some(&["é"]), some(&["ß"])]);
        assert!(compile("a", "z").is_err());
    }
}

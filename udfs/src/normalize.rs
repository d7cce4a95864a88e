//! Customer-data normalisation: e-mail addresses, phone numbers, person
//! names, genders, countries, French street lines and postal codes, and the
//! SHA-256 match keys that Google Customer Match and Meta custom audiences
//! expect. French customer data first.
//!
//! None of these functions exists in PostgreSQL, so their semantics are
//! Tessera's own and are documented function by function (module docs and
//! [`Documentation`], which `information_schema.routines` lists).
//!
//! Rules shared by every function here:
//!
//! - **Strict**: any NULL argument gives NULL.
//! - **Bad data gives NULL, never an error nor a panic**: an input that is
//!   not an e-mail address, a phone number, a country… is NULL (the
//!   `is_valid_*` functions return `false` instead). A bad *option*
//!   (`normalize_email(e, 'nope')`, an unknown phone region, an unknown
//!   ad platform) is an error: it is a mistake in the query, not in the data.
//! - **Text in, text out**: arguments may be `Utf8`, `LargeUtf8` or
//!   `Utf8View` (read without copying); text results are `Utf8` (PostgreSQL
//!   `text`), predicates `Boolean`.
//! - Results are deterministic (`Volatility::Immutable`).
//!
//! Families: [`email`], [`phone`], [`name`], [`gender`], [`country`],
//! [`address`], [`ad_hash`].
//!
//! The adapter ([`NormalizeFunc`]) walks the rows once, hands each row's
//! arguments as borrowed [`Val`]s to a pure kernel that writes into one
//! reused `String`, and appends to a builder sized up front.

pub mod ad_hash;
pub mod address;
mod countries;
pub mod country;
pub mod email;
pub mod gender;
pub mod name;
pub mod phone;

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, BooleanBuilder, StringBuilder,
};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::types::{logical_boolean, logical_string};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::{
    Coercion, ColumnarValue, DocSection, Documentation, ScalarFunctionArgs, ScalarUDF,
    ScalarUDFImpl, Signature, TypeSignature, TypeSignatureClass, Volatility,
};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The functions of this module.
pub fn functions() -> Vec<ScalarUDF> {
    let mut all = Vec::new();
    all.extend(email::functions());
    all.extend(phone::functions());
    all.extend(name::functions());
    all.extend(gender::functions());
    all.extend(country::functions());
    all.extend(address::functions());
    all.extend(ad_hash::functions());
    all
}

/// Documentation section of every function here.
pub(crate) const DOC_SECTION: DocSection = DocSection {
    include: true,
    label: "Customer data normalisation",
    description: Some("Normalise e-mails, phones, names, genders, countries and addresses"),
};

/// One argument of one row.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Val<'a> {
    Text(&'a str),
    Bool(bool),
}

impl<'a> Val<'a> {
    /// The text (empty for a boolean, which the signature rules out).
    pub(crate) fn text(self) -> &'a str {
        match self {
            Val::Text(s) => s,
            Val::Bool(_) => "",
        }
    }
    /// The boolean (`false` for a text, which the signature rules out).
    pub(crate) fn bool(self) -> bool {
        matches!(self, Val::Bool(true))
    }
}

/// The SQL type of an argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum ArgKind {
    Text,
    Bool,
}

/// A row kernel. `Text` writes its result into the buffer (cleared before
/// the call) and returns `Ok(false)` for NULL; `Bool` returns the predicate
/// (`None` for NULL). `Err` is for bad options only.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Kernel {
    Text(fn(&[Val<'_>], &mut String) -> Result<bool>),
    Bool(fn(&[Val<'_>]) -> Result<Option<bool>>),
}

/// A scalar function over text arguments, strict, evaluated row by row by a
/// [`Kernel`].
#[derive(Debug)]
pub(crate) struct NormalizeFunc {
    name: &'static str,
    signature: Signature,
    kernel: Kernel,
    doc: Documentation,
}

// By name and signature: the kernel is a function of the name.
impl PartialEq for NormalizeFunc {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.signature == other.signature
    }
}
impl Eq for NormalizeFunc {}
impl Hash for NormalizeFunc {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.name.hash(state);
        self.signature.hash(state);
    }
}

/// A function `name(args…)` whose first `required` arguments are
/// mandatory and the rest optional.
pub(crate) fn udf(
    name: &'static str,
    args: &[ArgKind],
    required: usize,
    kernel: Kernel,
    doc: Documentation,
) -> ScalarUDF {
    let coercion = |k: &ArgKind| match k {
        ArgKind::Text => Coercion::new_exact(TypeSignatureClass::Native(logical_string())),
        ArgKind::Bool => Coercion::new_exact(TypeSignatureClass::Native(logical_boolean())),
    };
    let variants = (required..=args.len())
        .map(|n| TypeSignature::Coercible(args[..n].iter().map(coercion).collect()))
        .collect::<Vec<_>>();
    let signature = if variants.len() == 1 {
        Signature::new(
            variants.into_iter().next().expect("one variant"),
            Volatility::Immutable,
        )
    } else {
        Signature::one_of(variants, Volatility::Immutable)
    };
    ScalarUDF::new_from_impl(NormalizeFunc {
        name,
        signature,
        kernel,
        doc,
    })
}

/// Documentation with this module's section.
pub(crate) fn doc(
    description: &str,
    syntax: &str,
) -> datafusion::logical_expr::DocumentationBuilder {
    Documentation::builder(DOC_SECTION, description, syntax)
}

/// An argument column, read without copying.
enum Col<'a> {
    Null,
    Text(&'a str),
    Bool(bool),
    Utf8(&'a datafusion::arrow::array::StringArray),
    Large(&'a datafusion::arrow::array::LargeStringArray),
    View(&'a datafusion::arrow::array::StringViewArray),
    Bools(&'a BooleanArray),
}

impl<'a> Col<'a> {
    fn new(arg: &'a ColumnarValue) -> Result<Self> {
        Ok(match arg {
            ColumnarValue::Scalar(s) => match s {
                ScalarValue::Utf8(Some(v))
                | ScalarValue::LargeUtf8(Some(v))
                | ScalarValue::Utf8View(Some(v)) => Col::Text(v),
                ScalarValue::Boolean(Some(b)) => Col::Bool(*b),
                s if s.is_null() => Col::Null,
                s => return exec_err!("unexpected argument {s}"),
            },
            ColumnarValue::Array(a) => match a.data_type() {
                DataType::Utf8 => Col::Utf8(a.as_string::<i32>()),
                DataType::LargeUtf8 => Col::Large(a.as_string::<i64>()),
                DataType::Utf8View => Col::View(a.as_string_view()),
                DataType::Boolean => Col::Bools(a.as_boolean()),
                DataType::Null => Col::Null,
                t => return exec_err!("unexpected argument type {t}"),
            },
        })
    }
    fn get(&self, i: usize) -> Option<Val<'a>> {
        match self {
            Col::Null => None,
            Col::Text(s) => Some(Val::Text(s)),
            Col::Bool(b) => Some(Val::Bool(*b)),
            Col::Utf8(a) => a.is_valid(i).then(|| Val::Text(a.value(i))),
            Col::Large(a) => a.is_valid(i).then(|| Val::Text(a.value(i))),
            Col::View(a) => a.is_valid(i).then(|| Val::Text(a.value(i))),
            Col::Bools(a) => a.is_valid(i).then(|| Val::Bool(a.value(i))),
        }
    }
    /// Bytes of text in the column (to size the output).
    fn text_bytes(&self) -> usize {
        match self {
            Col::Utf8(a) => a.value_data().len(),
            Col::Large(a) => a.value_data().len(),
            Col::View(a) => a.total_buffer_bytes_used() + a.len() * 12,
            Col::Text(s) => s.len(),
            _ => 0,
        }
    }
}

impl ScalarUDFImpl for NormalizeFunc {
    fn name(&self) -> &str {
        self.name
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(match self.kernel {
            Kernel::Text(_) => DataType::Utf8,
            Kernel::Bool(_) => DataType::Boolean,
        })
    }
    fn documentation(&self) -> Option<&Documentation> {
        Some(&self.doc)
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = args
            .args
            .iter()
            .all(|a| matches!(a, ColumnarValue::Scalar(_)));
        let rows = if scalar { 1 } else { args.number_rows };
        let cols = args.args.iter().map(Col::new).collect::<Result<Vec<_>>>()?;
        let mut vals: Vec<Val<'_>> = Vec::with_capacity(cols.len());
        let array: ArrayRef = match self.kernel {
            Kernel::Text(f) => {
                let bytes = cols.first().map_or(0, |c| c.text_bytes());
                let bytes = if matches!(cols.first(), Some(Col::Text(_))) {
                    bytes * rows
                } else {
                    bytes
                };
                let mut out = StringBuilder::with_capacity(rows, bytes);
                let mut buf = String::new();
                for i in 0..rows {
                    if !row(&cols, i, &mut vals) {
                        out.append_null();
                        continue;
                    }
                    buf.clear();
                    if f(&vals, &mut buf)? {
                        out.append_value(&buf);
                    } else {
                        out.append_null();
                    }
                }
                Arc::new(out.finish())
            }
            Kernel::Bool(f) => {
                let mut out = BooleanBuilder::with_capacity(rows);
                for i in 0..rows {
                    if row(&cols, i, &mut vals) {
                        out.append_option(f(&vals)?);
                    } else {
                        out.append_null();
                    }
                }
                Arc::new(out.finish())
            }
        };
        Ok(if scalar {
            ColumnarValue::Scalar(ScalarValue::try_from_array(&array, 0)?)
        } else {
            ColumnarValue::Array(array)
        })
    }
}

/// Row `i`'s arguments into `vals`; `false` when one is NULL.
fn row<'a>(cols: &[Col<'a>], i: usize, vals: &mut Vec<Val<'a>>) -> bool {
    vals.clear();
    for c in cols {
        match c.get(i) {
            Some(v) => vals.push(v),
            None => return false,
        }
    }
    true
}

/// Appends `s` without diacritics to `out`: canonical decomposition (NFD),
/// combining marks dropped, and the Latin letters that do not decompose
/// spelled out (`œ` → `oe`, `æ` → `ae`, `ß` → `ss`, `ø` → `o`, `ł` → `l`,
/// `đ` → `d`, `þ` → `th`, `ı` → `i`, with their capitals). Case is kept.
/// Not PostgreSQL's `unaccent` (whose rules file differs in places): a
/// private helper for the normalisers here.
pub(crate) fn fold_accents_into(s: &str, out: &mut String) {
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'œ' => out.push_str("oe"),
            'Œ' => out.push_str("OE"),
            'æ' => out.push_str("ae"),
            'Æ' => out.push_str("AE"),
            'ß' => out.push_str("ss"),
            'ẞ' => out.push_str("SS"),
            'ø' => out.push('o'),
            'Ø' => out.push('O'),
            'ł' => out.push('l'),
            'Ł' => out.push('L'),
            'đ' => out.push('d'),
            'Đ' => out.push('D'),
            'þ' => out.push_str("th"),
            'Þ' => out.push_str("TH"),
            'ı' => out.push('i'),
            c => out.push(c),
        }
    }
}

/// A matching key: accents folded, lower case, every run of characters
/// that are not letters or digits turned into one space, trimmed.
/// `"  Côte-d'Ivoire "` → `"cote d ivoire"`.
pub(crate) fn key_into(s: &str, out: &mut String) {
    let mut folded = String::with_capacity(s.len());
    fold_accents_into(s, &mut folded);
    let mut gap = false;
    for c in folded.chars() {
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.extend(c.to_lowercase());
        } else {
            gap = true;
        }
    }
}

/// [`key_into`] as a new string.
pub(crate) fn key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    key_into(s, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_and_keys() {
        let fold = |s: &str| {
            let mut o = String::new();
            fold_accents_into(s, &mut o);
            o
        };
        for (input, want) in [
            ("Élodie", "Elodie"),
            ("Lætitia", "Laetitia"),
            ("Œuvre", "OEuvre"),
            ("Straße", "Strasse"),
            ("Bjørn Łukasz", "Bjorn Lukasz"),
            ("E\u{301}lodie", "Elodie"),
            ("çà", "ca"),
            ("", ""),
        ] {
            assert_eq!(fold(input), want, "{input}");
        }
        for (input, want) in [
            ("  Côte-d'Ivoire ", "cote d ivoire"),
            ("M.", "m"),
            ("--", ""),
            ("ÉTATS-UNIS", "etats unis"),
        ] {
            assert_eq!(key(input), want, "{input}");
        }
    }

    fn call(name: &str, args: Vec<ColumnarValue>, rows: usize) -> ColumnarValue {
        use datafusion::arrow::datatypes::Field;
        let f = functions()
            .into_iter()
            .find(|f| f.name() == name)
            .expect("known function");
        let arg_fields = args
            .iter()
            .map(|a| Arc::new(Field::new("a", a.data_type(), true)))
            .collect();
        let ret = f.return_type(&[]).expect("return type");
        f.invoke_with_args(ScalarFunctionArgs {
            args,
            arg_fields,
            number_rows: rows,
            return_field: Arc::new(Field::new("r", ret, true)),
            config_options: Default::default(),
        })
        .expect("invoke")
    }

    /// Every string layout, scalars and arrays, NULLs: one answer.
    #[test]
    fn adapter_reads_every_string_layout() {
        use datafusion::arrow::array::{LargeStringArray, StringArray, StringViewArray};
        let values = [
            Some(" A.B+x@GMAIL.com "),
            None,
            Some("nope"),
            Some("c@d.fr"),
        ];
        let arrays: Vec<ArrayRef> = vec![
            Arc::new(StringArray::from(values.to_vec())),
            Arc::new(LargeStringArray::from(values.to_vec())),
            Arc::new(StringViewArray::from(values.to_vec())),
        ];
        for a in arrays {
            let opt = ColumnarValue::Scalar(ScalarValue::Utf8View(Some("gmail,tags".into())));
            let out = call(
                "normalize_email",
                vec![ColumnarValue::Array(a.clone()), opt],
                4,
            );
            let ColumnarValue::Array(out) = out else {
                panic!("array in, array out")
            };
            let got: Vec<_> = out.as_string::<i32>().iter().collect();
            assert_eq!(got, [Some("ab@gmail.com"), None, None, Some("c@d.fr")]);
            let out = call("is_valid_email", vec![ColumnarValue::Array(a)], 4);
            let ColumnarValue::Array(out) = out else {
                panic!("array in, array out")
            };
            let got: Vec<_> = out.as_boolean().iter().collect();
            assert_eq!(got, [Some(true), None, Some(false), Some(true)]);
        }
        let s = |v: Option<&str>| ColumnarValue::Scalar(ScalarValue::LargeUtf8(v.map(Into::into)));
        let ColumnarValue::Scalar(r) = call("normalize_gender", vec![s(Some("Mme"))], 1) else {
            panic!("scalar in, scalar out")
        };
        assert_eq!(r, ScalarValue::Utf8(Some("F".into())));
        let ColumnarValue::Scalar(r) = call("normalize_gender", vec![s(None)], 1) else {
            panic!("scalar in, scalar out")
        };
        assert_eq!(r, ScalarValue::Utf8(None));
        let null = ColumnarValue::Scalar(ScalarValue::Null);
        let ColumnarValue::Scalar(r) = call("normalize_name", vec![s(Some("x")), null], 1) else {
            panic!("scalar in, scalar out")
        };
        assert_eq!(r, ScalarValue::Utf8(None));
    }

    #[test]
    fn every_function_is_documented_once() {
        let fs = functions();
        let mut names = std::collections::HashSet::new();
        for f in &fs {
            assert!(names.insert(f.name().to_string()), "{} twice", f.name());
            let d = f.documentation().expect("documented");
            assert!(!d.description.is_empty() && !d.syntax_example.is_empty());
        }
    }
}

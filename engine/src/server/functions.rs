//! Functions clients call that depend on the server or the connection:
//! `version()`, `current_setting()`, `set_config()`, and
//! the definition lookups Tessera does not model (sequences, triggers,
//! rules, functions), which answer NULL like PostgreSQL for an object
//! without one. Lookups of catalog objects (comments, index and constraint
//! definitions) are in `pg_catalog::definitions`.

use std::hash::{Hash, Hasher};
use std::sync::{Arc, Weak};

use datafusion::arrow::array::{Array, ArrayRef, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::execution::FunctionRegistry;
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};
use datafusion::prelude::SessionContext;

use super::connection::Connection;
use super::settings::SERVER_VERSION;

type RowFn = dyn Fn(&[ArrayRef], usize) -> Option<String> + Send + Sync;

/// A function computed row by row into text.
struct TextFn {
    name: &'static str,
    signature: Signature,
    f: Arc<RowFn>,
}

impl std::fmt::Debug for TextFn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TextFn({})", self.name)
    }
}

impl PartialEq for TextFn {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && Arc::ptr_eq(&self.f, &other.f)
    }
}

impl Eq for TextFn {}

impl Hash for TextFn {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}

impl ScalarUDFImpl for TextFn {
    fn name(&self) -> &str {
        self.name
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let out: StringArray = (0..rows).map(|i| (self.f)(&arrays, i)).collect();
        Ok(ColumnarValue::Array(Arc::new(out)))
    }
}

pub(crate) fn text_fn(
    name: &'static str,
    volatility: Volatility,
    f: impl Fn(&[ArrayRef], usize) -> Option<String> + Send + Sync + 'static,
) -> ScalarUDF {
    let signature = Signature::variadic_any(volatility);
    let signature = Signature {
        type_signature: datafusion::logical_expr::TypeSignature::OneOf(vec![
            datafusion::logical_expr::TypeSignature::Nullary,
            signature.type_signature,
        ]),
        ..signature
    };
    ScalarUDF::new_from_impl(TextFn {
        name,
        signature,
        f: Arc::new(f),
    })
}

/// The text of argument `a` at row `i`.
pub(crate) fn arg(arrays: &[ArrayRef], a: usize, i: usize) -> Option<String> {
    let array = arrays.get(a)?;
    // `cast` rather than `is_null` first: a NULL literal arrives as a
    // NullArray, which has no validity buffer to ask.
    let s = cast(array, &DataType::Utf8).ok()?;
    let s = s.as_any().downcast_ref::<StringArray>()?;
    (!s.is_null(i)).then(|| s.value(i).to_string())
}

/// `version()`'s text.
pub(crate) fn version_string() -> String {
    format!(
        "PostgreSQL {SERVER_VERSION} (Tessera {}) on {}-pc-linux-gnu, compiled by rustc, 64-bit",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::ARCH
    )
}

/// Functions shared by every connection (registered on the template session).
pub(crate) fn register_shared(ctx: &SessionContext) {
    let version = version_string();
    ctx.register_udf(text_fn("version", Volatility::Stable, move |_, _| {
        Some(version.clone())
    }));
    for name in [
        "shobj_description",
        "pg_get_serial_sequence",
        "pg_get_triggerdef",
        "pg_get_ruledef",
        "pg_get_function_identity_arguments",
        "pg_get_function_result",
        "pg_get_function_arguments",
        "pg_advisory_unlock_all",
    ] {
        if ctx.state().udf(name).is_err() {
            ctx.register_udf(text_fn(name, Volatility::Stable, |_, _| None));
        }
    }
    register_text_functions(ctx);
    ctx.register_udf(to_regtype());
    for name in ["pg_type_is_visible", "pg_function_is_visible"] {
        if ctx.state().udf(name).is_err() {
            ctx.register_udf(ScalarUDF::new_from_impl(AlwaysTrue {
                name,
                signature: Signature::variadic_any(Volatility::Stable),
            }));
        }
    }
}

/// PostgreSQL's text functions Tessera writes itself (`format`,
/// `quote_ident`, `quote_literal`, `quote_nullable`, `like_escape`), for
/// every session (the server registers them again over
/// datafusion-pg-catalog's `quote_ident`).
pub(crate) fn register_text_functions(ctx: &SessionContext) {
    ctx.register_udf(text_fn("format", Volatility::Stable, format));
    ctx.register_udf(text_fn("quote_literal", Volatility::Immutable, |a, i| {
        arg(a, 0, i).map(|v| quote_literal(&v))
    }));
    ctx.register_udf(text_fn("quote_ident", Volatility::Immutable, |a, i| {
        arg(a, 0, i).map(|v| quote_ident(&v))
    }));
    ctx.register_udf(text_fn("quote_nullable", Volatility::Immutable, |a, i| {
        Some(arg(a, 0, i).map_or_else(|| "NULL".to_string(), |v| quote_literal(&v)))
    }));
    ctx.register_udf(text_fn("like_escape", Volatility::Immutable, |a, i| {
        let escape = arg(a, 1, i)?.chars().next()?;
        Some(like_escape(&arg(a, 0, i)?, escape))
    }));
}

/// A LIKE pattern written with `escape` as its escape character, rewritten
/// with backslashes (the only escape DataFusion's LIKE knows).
pub(crate) fn like_escape(pattern: &str, escape: char) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    while let Some(ch) = chars.next() {
        if ch == escape {
            match chars.next() {
                Some(next @ ('%' | '_' | '\\')) => {
                    out.push('\\');
                    out.push(next);
                }
                Some(next) => out.push(next),
                None => {}
            }
        } else if ch == '\\' {
            out.push_str("\\\\");
        } else {
            out.push(ch);
        }
    }
    out
}

/// An identifier as PostgreSQL's `quote_ident` writes it (`quote_identifier`
/// in `ruleutils.c`): bare when it is ASCII lower-case letters, digits and
/// `_`, not starting with a digit, and not a keyword PostgreSQL reserves
/// in some position; quoted otherwise (`"Users"`, `"zoé"`, `"int"`).
pub(crate) fn quote_ident(ident: &str) -> String {
    let plain = ident
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && ident
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && NON_UNRESERVED_KEYWORDS.binary_search(&ident).is_err();
    if plain {
        ident.to_string()
    } else {
        format!("\"{}\"", ident.replace('"', "\"\""))
    }
}

/// PostgreSQL 15's keywords that are not unreserved (reserved, column-name
/// and type/function-name ones), sorted: `SELECT word FROM
/// pg_get_keywords() WHERE catcode <> 'U' ORDER BY word`.
const NON_UNRESERVED_KEYWORDS: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "bigint",
    "binary",
    "bit",
    "boolean",
    "both",
    "case",
    "cast",
    "char",
    "character",
    "check",
    "coalesce",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "dec",
    "decimal",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "exists",
    "extract",
    "false",
    "fetch",
    "float",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "greatest",
    "group",
    "grouping",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "inout",
    "int",
    "integer",
    "intersect",
    "interval",
    "into",
    "is",
    "isnull",
    "join",
    "lateral",
    "leading",
    "least",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "national",
    "natural",
    "nchar",
    "none",
    "normalize",
    "not",
    "notnull",
    "null",
    "nullif",
    "numeric",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "out",
    "outer",
    "overlaps",
    "overlay",
    "placing",
    "position",
    "precision",
    "primary",
    "real",
    "references",
    "returning",
    "right",
    "row",
    "select",
    "session_user",
    "setof",
    "similar",
    "smallint",
    "some",
    "substring",
    "symmetric",
    "table",
    "tablesample",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "treat",
    "trim",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "values",
    "varchar",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
    "xmlattributes",
    "xmlconcat",
    "xmlelement",
    "xmlexists",
    "xmlforest",
    "xmlnamespaces",
    "xmlparse",
    "xmlpi",
    "xmlroot",
    "xmlserialize",
    "xmltable",
];

/// A value as PostgreSQL's `quote_literal` writes it: in single quotes,
/// quotes doubled; with a backslash, an `E'…'` string with backslashes
/// doubled too.
fn quote_literal(v: &str) -> String {
    let body = v.replace('\'', "''");
    if v.contains('\\') {
        format!("E'{}'", body.replace('\\', "\\\\"))
    } else {
        format!("'{body}'")
    }
}

/// PostgreSQL's `format(fmt, args…)`: `%s` (text, NULL as empty), `%I`
/// (identifier, quoted when needed), `%L` (literal, NULL unquoted), `%%`.
/// PostgreSQL's `format(fmt, args…)`: `%[n$][-][width]type` with types
/// `s`, `I`, `L` and `%%`; the width may be `*` (the next argument) or
/// `*n$`. `None` (NULL) for a format PostgreSQL would reject.
fn format(arrays: &[ArrayRef], i: usize) -> Option<String> {
    let fmt: Vec<char> = arg(arrays, 0, i)?.chars().collect();
    let mut out = String::with_capacity(fmt.len());
    let mut next = 1;
    let mut k = 0;
    // A run of digits at `k`, and the position after it.
    let digits = |k: usize| -> (Option<usize>, usize) {
        let end = (k..fmt.len())
            .find(|&j| !fmt[j].is_ascii_digit())
            .unwrap_or(fmt.len());
        let n: String = fmt[k..end].iter().collect();
        (n.parse().ok(), end)
    };
    while k < fmt.len() {
        let c = fmt[k];
        k += 1;
        if c != '%' {
            out.push(c);
            continue;
        }
        if *fmt.get(k)? == '%' {
            out.push('%');
            k += 1;
            continue;
        }
        // `n$`: the argument's position.
        let (n, after) = digits(k);
        if let Some(n) = n
            && fmt.get(after) == Some(&'$')
        {
            next = n;
            k = after + 1;
        }
        let mut left = false;
        if fmt.get(k) == Some(&'-') {
            left = true;
            k += 1;
        }
        let mut width = None;
        if fmt.get(k) == Some(&'*') {
            k += 1;
            let (n, after) = digits(k);
            let position = if let Some(n) = n
                && fmt.get(after) == Some(&'$')
            {
                k = after + 1;
                n
            } else {
                next += 1;
                next - 1
            };
            let w: i64 = arg(arrays, position, i)
                .and_then(|w| w.parse().ok())
                .unwrap_or(0);
            // A negative width left-aligns.
            left |= w < 0;
            width = Some(w.unsigned_abs() as usize);
        } else {
            let (n, after) = digits(k);
            if n.is_some() {
                width = n;
                k = after;
            }
        }
        if next >= arrays.len() {
            return None;
        }
        let value = arg(arrays, next, i);
        next += 1;
        let text = match *fmt.get(k)? {
            's' => value.unwrap_or_default(),
            'I' => quote_ident(&value?),
            'L' => value.map_or_else(|| "NULL".to_string(), |v| quote_literal(&v)),
            _ => return None,
        };
        k += 1;
        let pad = width.unwrap_or(0).saturating_sub(text.chars().count());
        if left {
            out.push_str(&text);
            out.extend(std::iter::repeat_n(' ', pad));
        } else {
            out.extend(std::iter::repeat_n(' ', pad));
            out.push_str(&text);
        }
    }
    Some(out)
}

/// Visibility checks: every object Tessera lists is visible.
#[derive(Debug, PartialEq, Eq, Hash)]
struct AlwaysTrue {
    name: &'static str,
    signature: Signature,
}

impl ScalarUDFImpl for AlwaysTrue {
    fn name(&self) -> &str {
        self.name
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Boolean)
    }
    fn invoke_with_args(&self, _args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        Ok(ColumnarValue::Scalar(
            datafusion::common::ScalarValue::Boolean(Some(true)),
        ))
    }
}

/// `to_regtype(name)`: the type's OID, NULL when there is none.
fn to_regtype() -> ScalarUDF {
    use datafusion::arrow::array::Int32Array;
    use datafusion_postgres::pgwire::api::Type;
    use std::collections::HashMap;
    use std::sync::LazyLock;
    static BY_NAME: LazyLock<HashMap<String, i32>> = LazyLock::new(|| {
        let mut m = HashMap::new();
        for oid in 0..6000u32 {
            if let Some(t) = Type::from_oid(oid) {
                m.insert(t.name().to_string(), oid as i32);
            }
        }
        for (alias, name) in [
            ("integer", "int4"),
            ("int", "int4"),
            ("smallint", "int2"),
            ("bigint", "int8"),
            ("real", "float4"),
            ("double precision", "float8"),
            ("boolean", "bool"),
            ("character varying", "varchar"),
            ("character", "bpchar"),
            ("timestamp without time zone", "timestamp"),
            ("timestamp with time zone", "timestamptz"),
            ("decimal", "numeric"),
        ] {
            if let Some(oid) = m.get(name).copied() {
                m.insert(alias.to_string(), oid);
            }
        }
        m
    });
    datafusion::logical_expr::create_udf(
        "to_regtype",
        vec![DataType::Utf8],
        DataType::Int32,
        Volatility::Stable,
        Arc::new(|args: &[ColumnarValue]| {
            let arrays = ColumnarValue::values_to_arrays(args)?;
            let names = cast(&arrays[0], &DataType::Utf8)?;
            let names = names
                .as_any()
                .downcast_ref::<StringArray>()
                .expect("cast to Utf8");
            let out: Int32Array = names
                .iter()
                .map(|n| {
                    let n = n?.trim().trim_start_matches("pg_catalog.").to_lowercase();
                    BY_NAME.get(n.trim_matches('"')).copied()
                })
                .collect();
            Ok(ColumnarValue::Array(Arc::new(out)))
        }),
    )
}

/// Functions reading or writing one connection's settings.
pub(crate) fn register_connection(ctx: &SessionContext, conn: Weak<Connection>) {
    let c = conn.clone();
    ctx.register_udf(text_fn(
        "current_setting",
        Volatility::Stable,
        move |a, i| {
            let conn = c.upgrade()?;
            let name = arg(a, 0, i)?;
            conn.settings().get_opt(&name)
        },
    ));
    // The connected user (the library's answer is a constant "postgres").
    for name in ["session_user", "current_user", "current_role"] {
        let c = conn.clone();
        ctx.register_udf(text_fn(name, Volatility::Stable, move |_, _| {
            c.upgrade()?.settings().get_opt("session_authorization")
        }));
    }
    ctx.register_udf(text_fn("set_config", Volatility::Volatile, move |a, i| {
        let conn = conn.upgrade()?;
        let (name, value) = (arg(a, 0, i)?, arg(a, 1, i).unwrap_or_default());
        conn.set_setting(&name, Some(&value)).ok()?;
        conn.settings().get_opt(&name)
    }));
}

#[cfg(test)]
mod tests {
    use super::{NON_UNRESERVED_KEYWORDS, like_escape, quote_ident};

    #[test]
    fn identifiers_are_quoted_as_postgres_quotes_them() {
        assert!(NON_UNRESERVED_KEYWORDS.windows(2).all(|w| w[0] < w[1]));
        // PostgreSQL 15.18's answers.
        for (ident, quoted) in [
            ("users", "users"),
            ("_a1", "_a1"),
            ("abort", "abort"),
            ("Users", "\"Users\""),
            ("zoé", "\"zoé\""),
            ("int", "\"int\""),
            ("select", "\"select\""),
            ("1a", "\"1a\""),
            ("", "\"\""),
            ("a\"b", "\"a\"\"b\""),
        ] {
            assert_eq!(quote_ident(ident), quoted, "{ident}");
        }
    }

    #[test]
    fn like_patterns_move_to_backslash_escapes() {
        assert_eq!(like_escape("pg/_%", '/'), "pg\\_%");
        assert_eq!(like_escape("a\\b//c", '/'), "a\\\\b/c");
        assert_eq!(like_escape("100#%", '#'), "100\\%");
    }
}

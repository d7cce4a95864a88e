//! `char(n)` (`bpchar`) as PostgreSQL compares and converts it: trailing
//! spaces are not significant.
//!
//! Tessera keeps `char(n)` values padded to `n` (Arrow text tagged
//! `bpchar`, `tessera_udfs::pg::chars`), as PostgreSQL stores them.
//! PostgreSQL's `bpchar` operators then ignore the padding:
//!
//! - comparisons of two `char` values, or of one with an untyped literal
//!   (`country = 'FR '`), compare them without trailing spaces; compared
//!   with a `text` value, the `char` side loses its padding and the text
//!   keeps its own (`'x'::char(3) = 'x '::text` is false);
//! - a `char` value converted to text loses its padding: `::text`,
//!   `::varchar`, `||`, and the text functions (`upper`, `length`,
//!   `replace`, `lpad`…);
//! - `concat`/`format` (which print values), `octet_length`, `LIKE` and
//!   `coalesce`/`greatest` (which keep the type) see the padded value.

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{DFSchema, ScalarValue};
use datafusion::logical_expr::{BinaryExpr, Cast, Expr, ExprSchemable, Operator, ScalarUDF};

/// Functions of text arguments: a `char` argument is converted to text
/// (trailing spaces removed) before the call, as in PostgreSQL.
const TEXT_FUNCTIONS: &[&str] = &[
    "ascii",
    "btrim",
    "char_length",
    "character_length",
    "initcap",
    "left",
    "length",
    "lower",
    "lpad",
    "ltrim",
    "md5",
    "regexp_count",
    "regexp_like",
    "regexp_match",
    "regexp_replace",
    "repeat",
    "replace",
    "reverse",
    "right",
    "rpad",
    "rtrim",
    "split_part",
    "starts_with",
    "strpos",
    "substr",
    "substring",
    "translate",
    "upper",
    "varchar",
];

/// Whether `e` is a `char(n)` value.
fn is_bpchar(e: &Expr, schema: &DFSchema) -> bool {
    e.to_field(schema).is_ok_and(|(_, f)| {
        f.metadata()
            .get(tessera_udfs::pg::chars::PG_TYPE_KEY)
            .is_some_and(|t| t == "bpchar")
    })
}

fn rtrim(e: Expr) -> Expr {
    let rtrim: std::sync::Arc<ScalarUDF> = datafusion::functions::string::rtrim();
    rtrim.call(vec![e])
}

fn is_text_literal(e: &Expr) -> bool {
    matches!(
        e,
        Expr::Literal(
            ScalarValue::Utf8(Some(_))
                | ScalarValue::Utf8View(Some(_))
                | ScalarValue::LargeUtf8(Some(_)),
            _
        )
    )
}

/// `e` with PostgreSQL's `bpchar` rules applied at its top node, if any
/// applies.
pub(super) fn rewrite(e: &Expr, schema: &DFSchema) -> Option<Expr> {
    match e {
        Expr::BinaryExpr(b) => {
            let comparison = super::comparison(b.op);
            if !comparison && b.op != Operator::StringConcat {
                return None;
            }
            let (l, r) = (is_bpchar(&b.left, schema), is_bpchar(&b.right, schema));
            if !l && !r {
                return None;
            }
            // An untyped literal compared with a `char` is a `char` too.
            let side = |e: &Expr, bpchar: bool| {
                if bpchar || (comparison && is_text_literal(e)) {
                    rtrim(e.clone())
                } else {
                    e.clone()
                }
            };
            Some(Expr::BinaryExpr(BinaryExpr::new(
                Box::new(side(&b.left, l)),
                b.op,
                Box::new(side(&b.right, r)),
            )))
        }
        Expr::Cast(Cast { expr, field })
            if matches!(
                field.data_type(),
                DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8
            ) && is_bpchar(expr, schema) =>
        {
            Some(Expr::Cast(Cast {
                expr: Box::new(rtrim((**expr).clone())),
                field: field.clone(),
            }))
        }
        Expr::ScalarFunction(f)
            if TEXT_FUNCTIONS.contains(&f.name())
                && f.args.iter().any(|a| is_bpchar(a, schema)) =>
        {
            let mut f = f.clone();
            for a in f.args.iter_mut() {
                if is_bpchar(a, schema) {
                    *a = rtrim(a.clone());
                }
            }
            Some(Expr::ScalarFunction(f))
        }
        _ => None,
    }
}

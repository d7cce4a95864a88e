//! A cast to `text` of a value that is text in Arrow but another type in
//! PostgreSQL (`json`, `jsonb`, `regtype`, `varchar`, `char(n)`) gives a
//! `text` value, described as `text` (OID 25).
//!
//! DataFusion drops a cast between equal Arrow types, and with it the cast's
//! meaning: `payload::text` stayed tagged `json` (psycopg then parsed it
//! into a dict where PostgreSQL sends a string), `pg_typeof(x)::text` stayed
//! `regtype`. [`TextCasts`] runs before type coercion (so that only the casts
//! written in the query are seen, not those coercion adds to pass a `json`
//! value to a function) and makes such a cast
//! `tessera_pg_tag(x, 'text')` (the tag replaces the value's own), or, for
//! `char(n)`, `rtrim(x)`: PostgreSQL's `bpchar`-to-`text` cast drops the
//! padding. It also types `COALESCE(j, '[]')` and its kin as `json`/`jsonb`
//! ([`json_choice`]).

use std::sync::{Arc, LazyLock};

use datafusion::arrow::datatypes::DataType;
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::Transformed;
use datafusion::common::{DFSchema, Result};
use datafusion::logical_expr::{Cast, Expr, ExprSchemable, LogicalPlan, ScalarUDF, lit};
use datafusion::optimizer::AnalyzerRule;

/// See the module documentation.
#[derive(Debug, Default)]
pub struct TextCasts;

static TAG: LazyLock<Arc<ScalarUDF>> =
    LazyLock::new(|| Arc::new(tessera_udfs::pg::chars::pg_tag()));
static JSONB: LazyLock<Arc<ScalarUDF>> = LazyLock::new(|| json_function("jsonb"));
static JSON: LazyLock<Arc<ScalarUDF>> = LazyLock::new(|| json_function("json"));

fn json_function(name: &str) -> Arc<ScalarUDF> {
    let all = tessera_udfs::pg::json::functions();
    Arc::new(
        all.into_iter()
            .find(|f| f.name() == name)
            .expect("json and jsonb are among them"),
    )
}

/// `COALESCE(j, '[]')`, `CASE … THEN j ELSE '{}' END`, `NULLIF(j, '{}')`:
/// beside a `json`/`jsonb` value an untyped literal is one too (PostgreSQL's
/// `unknown`), so the result is `json`/`jsonb` (psycopg gives a list, not a
/// string). The choice is wrapped in `json(…)`/`jsonb(…)`.
fn json_choice(e: Expr, schema: &DFSchema) -> Result<Transformed<Expr>> {
    let operands: Vec<&Expr> = match &e {
        Expr::ScalarFunction(f) if matches!(f.func.name(), "coalesce" | "nullif") => {
            f.args.iter().collect()
        }
        Expr::Case(c) => (c.when_then_expr.iter().map(|(_, t)| t.as_ref()))
            .chain(c.else_expr.as_deref())
            .collect(),
        _ => return Ok(Transformed::no(e)),
    };
    let mut kind: Option<String> = None;
    for o in operands {
        match o {
            Expr::Literal(v, _) if v.is_null() || matches!(v.data_type(), DataType::Utf8) => {}
            o => {
                let Ok((_, field)) = o.to_field(schema) else {
                    return Ok(Transformed::no(e));
                };
                match (tessera_udfs::pg::json::kind_of(&field), &kind) {
                    (Some(k), None) => kind = Some(k.to_string()),
                    (Some(k), Some(seen)) if k == seen => {}
                    _ => return Ok(Transformed::no(e)),
                }
            }
        }
    }
    Ok(match kind.as_deref() {
        Some("jsonb") => Transformed::yes(JSONB.call(vec![e])),
        Some(_) => Transformed::yes(JSON.call(vec![e])),
        None => Transformed::no(e),
    })
}

fn text_casts_and_json_choices(e: Expr, schema: &DFSchema) -> Result<Transformed<Expr>> {
    text_cast(e, schema)?.transform_data(|e| json_choice(e, schema))
}

fn is_text(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8)
}

fn text_cast(e: Expr, schema: &DFSchema) -> Result<Transformed<Expr>> {
    let Expr::Cast(Cast {
        expr,
        field: target,
    }) = &e
    else {
        return Ok(Transformed::no(e));
    };
    let data_type = target.data_type();
    if !is_text(data_type) {
        return Ok(Transformed::no(e));
    }
    let Ok((_, field)) = expr.to_field(schema) else {
        return Ok(Transformed::no(e));
    };
    // Stored columns are read as `Utf8View`: the cast then changes the
    // Arrow type and is kept, inside the tag.
    if !is_text(field.data_type()) {
        return Ok(Transformed::no(e));
    }
    let json = tessera_udfs::pg::json::kind_of(&field);
    let tag = field
        .metadata()
        .get(tessera_udfs::pg::chars::PG_TYPE_KEY)
        .map(String::as_str);
    let inner = e.clone();
    Ok(match tag {
        Some("bpchar") => {
            Transformed::yes(datafusion::functions::string::rtrim().call(vec![inner]))
        }
        Some("varchar" | "regtype") => Transformed::yes(TAG.call(vec![inner, lit("text")])),
        // A stored `jsonb` keeps the text it was written with; its text
        // is PostgreSQL's normal form (`jsonb(x)` gives it).
        _ if json == Some("jsonb") => {
            let normal = JSONB.call(vec![inner]);
            Transformed::yes(TAG.call(vec![normal, lit("text")]))
        }
        _ if json.is_some() => Transformed::yes(TAG.call(vec![inner, lit("text")])),
        _ => Transformed::no(e),
    })
}

impl AnalyzerRule for TextCasts {
    fn analyze(&self, plan: LogicalPlan, _config: &ConfigOptions) -> Result<LogicalPlan> {
        crate::coercion::rewrite_plan(plan, text_casts_and_json_choices, true)
    }

    fn name(&self) -> &str {
        "tessera_text_casts"
    }
}

//! PostgreSQL 15's SQL/JSON path functions over `jsonb` values, evaluated
//! by the `sql-json-path` crate (RisingWave's implementation of
//! PostgreSQL's path language: `lax`/`strict`, `$.a[*] ? (@.b > 1)`,
//! `like_regex`, `starts with`, `exists`, item methods, `$var`):
//!
//! - `jsonb_path_exists(target, path [, vars [, silent]])`: does the path
//!   return any item (`target @? path`, silent).
//! - `jsonb_path_match(target, path [, vars [, silent]])`: the single
//!   boolean a predicate path returns, NULL when unknown (`target @@ path`,
//!   silent).
//! - `jsonb_path_query_first(…)`: the first item, as `jsonb`.
//! - `jsonb_path_query_array(…)`: every item, as one `jsonb` array.
//! - `jsonb_path_query(…)`, set-returning: one row per item. Its list
//!   form `jsonb_path_query_list` gives the items as a list, which the SQL
//!   front end unnests (the engine's `rewrite::srf`).
//!
//! A path that does not parse is an error (22023 in PostgreSQL, as any
//! query error here); an evaluation error (strict mode's missing key,
//! `jsonb_path_match` of a non-boolean) is an error unless `silent` is true,
//! which gives NULL instead. The `_tz` variants take the same arguments.
//! Items are written by `serde_json` in `jsonb`'s normal form; numbers are
//! read as `serde_json` reads them (binary floating point), so an item
//! like `1.10` is written `1.1` where PostgreSQL keeps `1.10`.

use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanBuilder, ListBuilder, StringBuilder,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature,
    Volatility,
};
use serde_json::Value;
use sql_json_path::JsonPath;

use super::json::{normalize, tagged};

/// What a path function returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Exists,
    Match,
    First,
    Array,
    /// Every item, as a list (the rows of `jsonb_path_query`).
    Rows,
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct PathFunction {
    name: &'static str,
    kind: Kind,
    signature: Signature,
}

/// The path functions, under PostgreSQL's names (and the `_tz` ones).
pub fn functions() -> Vec<ScalarUDF> {
    let mut out = Vec::new();
    for (name, kind) in [
        ("jsonb_path_exists", Kind::Exists),
        ("jsonb_path_match", Kind::Match),
        ("jsonb_path_query_first", Kind::First),
        ("jsonb_path_query_array", Kind::Array),
        ("jsonb_path_exists_tz", Kind::Exists),
        ("jsonb_path_match_tz", Kind::Match),
        ("jsonb_path_query_first_tz", Kind::First),
        ("jsonb_path_query_array_tz", Kind::Array),
        ("jsonb_path_query_list", Kind::Rows),
        ("jsonb_path_query_tz_list", Kind::Rows),
    ] {
        out.push(ScalarUDF::new_from_impl(PathFunction {
            name,
            kind,
            signature: Signature::user_defined(Volatility::Immutable),
        }));
    }
    out
}

/// One row's result before it is written out.
enum Outcome {
    Bool(bool),
    Json(String),
    Rows(Vec<String>),
    Null,
}

/// Evaluates `path` over `target` (and `vars`) for `kind`.
fn evaluate(
    kind: Kind,
    path: &JsonPath,
    target: &Value,
    vars: Option<&Value>,
) -> std::result::Result<Outcome, String> {
    let items = match vars {
        Some(vars) => path.query_with_vars(target, vars),
        None => path.query(target),
    }
    .map_err(|e| e.to_string())?;
    Ok(match kind {
        Kind::Exists => Outcome::Bool(!items.is_empty()),
        Kind::Match => match items.as_slice() {
            [item] => match item.as_ref() {
                Value::Bool(b) => Outcome::Bool(*b),
                Value::Null => Outcome::Null,
                _ => return Err("single boolean result is expected".into()),
            },
            _ => return Err("single boolean result is expected".into()),
        },
        Kind::First => match items.first() {
            Some(item) => Outcome::Json(jsonb_text(item.as_ref())),
            None => Outcome::Null,
        },
        Kind::Array => {
            let all = Value::Array(items.into_iter().map(|i| i.into_owned()).collect());
            Outcome::Json(jsonb_text(&all))
        }
        Kind::Rows => Outcome::Rows(items.iter().map(|i| jsonb_text(i.as_ref())).collect()),
    })
}

/// `value` in `jsonb`'s normal form (`{"a": 1, "b": [1, 2]}`).
fn jsonb_text(value: &Value) -> String {
    let compact = value.to_string();
    normalize(&compact).unwrap_or(compact)
}

/// The text values of an argument (json, jsonb, jsonpath and text all
/// arrive as text).
fn texts(arg: &ColumnarValue, rows: usize) -> Result<ArrayRef> {
    cast(&arg.to_array(rows)?, &DataType::Utf8).map_err(Into::into)
}

impl ScalarUDFImpl for PathFunction {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, args: &[DataType]) -> Result<Vec<DataType>> {
        match args.len() {
            2 => Ok(vec![DataType::Utf8, DataType::Utf8]),
            3 => Ok(vec![DataType::Utf8, DataType::Utf8, DataType::Utf8]),
            4 => Ok(vec![
                DataType::Utf8,
                DataType::Utf8,
                DataType::Utf8,
                DataType::Boolean,
            ]),
            n => plan_err!(
                "function {}(jsonb, jsonpath [, vars jsonb [, silent boolean]]) takes 2 to 4 arguments, not {n}",
                self.name
            ),
        }
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(match self.kind {
            Kind::Exists | Kind::Match => DataType::Boolean,
            Kind::First | Kind::Array => DataType::Utf8,
            Kind::Rows => DataType::new_list(DataType::Utf8, true),
        })
    }

    fn return_field_from_args(&self, _args: ReturnFieldArgs) -> Result<FieldRef> {
        Ok(match self.kind {
            Kind::Exists | Kind::Match => Arc::new(Field::new(self.name, DataType::Boolean, true)),
            Kind::First | Kind::Array => tagged(self.name, "jsonb"),
            Kind::Rows => Arc::new(Field::new(
                self.name,
                DataType::new_list(DataType::Utf8, true),
                true,
            )),
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let scalar = super::all_scalar(&args.args);
        let targets = texts(&args.args[0], rows)?;
        let paths = texts(&args.args[1], rows)?;
        let vars = args.args.get(2).map(|v| texts(v, rows)).transpose()?;
        let silent = match args.args.get(3) {
            Some(v) => Some(v.to_array(rows)?),
            None => None,
        };
        let (targets, paths) = (targets.as_string::<i32>(), paths.as_string::<i32>());
        let vars = vars.as_ref().map(|v| v.as_string::<i32>());
        let silent = silent.as_ref().map(|s| s.as_boolean());
        // A constant path is parsed once.
        let mut parsed: Option<(String, JsonPath)> = None;
        let mut bools = BooleanBuilder::with_capacity(rows);
        let mut jsons = StringBuilder::new();
        let mut lists = ListBuilder::new(StringBuilder::new());
        for row in 0..rows {
            let null = targets.is_null(row)
                || paths.is_null(row)
                || vars.is_some_and(|v| v.is_null(row))
                || silent.is_some_and(|s| s.is_null(row));
            let outcome = if null {
                Outcome::Null
            } else {
                let text = paths.value(row);
                if parsed.as_ref().is_none_or(|(t, _)| t != text) {
                    let path = JsonPath::new(text).map_err(|e| {
                        datafusion::error::DataFusionError::Execution(format!(
                            "syntax error in jsonpath \"{text}\": {e}"
                        ))
                    })?;
                    parsed = Some((text.to_string(), path));
                }
                let path = &parsed.as_ref().expect("parsed above").1;
                let target: Value = match serde_json::from_str(targets.value(row)) {
                    Ok(v) => v,
                    Err(e) => return exec_err!("invalid input syntax for type json: {e}"),
                };
                let vars = match vars {
                    Some(v) => match serde_json::from_str::<Value>(v.value(row)) {
                        Ok(v) => Some(v),
                        Err(e) => return exec_err!("invalid input syntax for type json: {e}"),
                    },
                    None => None,
                };
                match evaluate(self.kind, path, &target, vars.as_ref()) {
                    Ok(outcome) => outcome,
                    Err(_) if silent.is_some_and(|s| s.value(row)) => Outcome::Null,
                    Err(e) => return exec_err!("{e}"),
                }
            };
            match (self.kind, outcome) {
                (Kind::Exists | Kind::Match, Outcome::Bool(b)) => bools.append_value(b),
                (Kind::Exists | Kind::Match, _) => bools.append_null(),
                // No rows for NULL arguments or a silenced error.
                (Kind::Rows, Outcome::Rows(items)) => {
                    for item in items {
                        lists.values().append_value(item);
                    }
                    lists.append(true);
                }
                (Kind::Rows, _) => lists.append(true),
                (_, Outcome::Json(s)) => jsons.append_value(s),
                (_, _) => jsons.append_null(),
            }
        }
        let array: ArrayRef = match self.kind {
            Kind::Exists | Kind::Match => Arc::new(bools.finish()),
            Kind::First | Kind::Array => Arc::new(jsons.finish()),
            Kind::Rows => Arc::new(lists.finish()),
        };
        super::result(array, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(kind: Kind, target: &str, path: &str) -> std::result::Result<String, String> {
        let path = JsonPath::new(path).map_err(|e| e.to_string())?;
        let target: Value = serde_json::from_str(target).unwrap();
        Ok(match evaluate(kind, &path, &target, None)? {
            Outcome::Bool(b) => b.to_string(),
            Outcome::Json(s) => s,
            Outcome::Rows(items) => items.join(" | "),
            Outcome::Null => "NULL".into(),
        })
    }

    #[test]
    fn answers_as_postgres_15() {
        // psql against PostgreSQL 15.
        let doc = r#"{"utm": {"source": "google"}, "items": [{"sku": "A", "qty": 2}, {"sku": "B", "qty": 5}]}"#;
        let cases = [
            (Kind::Exists, "$.utm.source", "true"),
            (Kind::Exists, "$.utm.medium", "false"),
            (Kind::Exists, "$.items[*] ? (@.qty > 4)", "true"),
            (Kind::Match, "$.items[*].qty > 4", "true"),
            (Kind::Match, "$.missing == 1", "false"),
            (Kind::Match, "strict $.missing == 1", "NULL"),
            (Kind::First, "$.items[*] ? (@.qty > 4).sku", "\"B\""),
            (Kind::First, "$.nothing", "NULL"),
            (Kind::Array, "$.items[*].qty", "[2, 5]"),
            (Kind::Rows, "$.items[*].qty", "2 | 5"),
            (
                Kind::Rows,
                "$.items[*] ? (@.qty > 4)",
                "{\"qty\": 5, \"sku\": \"B\"}",
            ),
            (Kind::Rows, "$.nothing", ""),
            (
                Kind::Array,
                "$.items[*] ? (@.sku starts with \"A\")",
                "[{\"qty\": 2, \"sku\": \"A\"}]",
            ),
        ];
        for (kind, path, want) in cases {
            assert_eq!(run(kind, doc, path).unwrap(), want, "{path}");
        }
        // strict mode reports a missing key; jsonb_path_match wants a boolean.
        assert!(run(Kind::Exists, doc, "strict $.utm.medium").is_err());
        assert!(run(Kind::Match, doc, "$.items[*].qty").is_err());
    }
}

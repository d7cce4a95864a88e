//! The rows of PostgreSQL 15's JSON set-returning functions, as lists
//! (the SQL front end turns `json_array_elements(x)` into
//! `json(unnest(json_array_elements_list(x)))`, and likewise for the
//! others; see the engine's `rewrite::srf`):
//!
//! - `json[b]_array_elements_list`: the elements (json source text, or
//!   normalised jsonb); `…_text_list`: strings unescaped, `null` as NULL;
//! - `json[b]_each_list` / `…_each_text_list`: `{key, value}` structs, in
//!   document order for json (duplicates kept), jsonb order for jsonb;
//! - `json[b]_each[_text]_values_list`: the values of `each`, in the
//!   order of `json[b]_object_keys_list` (the keys; json keeps duplicates),
//!   so FROM `each` is two lists unnested side by side.
//!
//! A NULL document gives no rows (an empty list, as NULL would too);
//! elements of a non-array and members of a non-object are errors, with
//! PostgreSQL's messages.

use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, ListBuilder, StringBuilder, StructBuilder,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Fields};
use datafusion::common::{Result, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

use super::json::{Node, jsonb_text, kind_of, normalize, parse, unescape};

/// What a function lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Rows {
    Elements {
        text: bool,
    },
    Each {
        text: bool,
    },
    /// The values of `each` (beside the keys of `object_keys`).
    Values {
        text: bool,
    },
    Keys,
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct SrfFn {
    name: &'static str,
    /// The SQL function's name, for messages.
    sql: &'static str,
    rows: Rows,
    signature: Signature,
}

fn udf(name: &'static str, sql: &'static str, rows: Rows) -> ScalarUDF {
    ScalarUDF::new_from_impl(SrfFn {
        name,
        sql,
        rows,
        signature: Signature::user_defined(Volatility::Immutable),
    })
}

/// The list functions behind the JSON set-returning functions.
pub fn functions() -> Vec<ScalarUDF> {
    let e = |text| Rows::Elements { text };
    let each = |text| Rows::Each { text };
    vec![
        udf("json_array_elements_list", "json_array_elements", e(false)),
        udf(
            "jsonb_array_elements_list",
            "jsonb_array_elements",
            e(false),
        ),
        udf(
            "json_array_elements_text_list",
            "json_array_elements_text",
            e(true),
        ),
        udf(
            "jsonb_array_elements_text_list",
            "jsonb_array_elements_text",
            e(true),
        ),
        udf("json_each_list", "json_each", each(false)),
        udf("jsonb_each_list", "jsonb_each", each(false)),
        udf("json_each_text_list", "json_each_text", each(true)),
        udf("jsonb_each_text_list", "jsonb_each_text", each(true)),
        udf(
            "json_each_values_list",
            "json_each",
            Rows::Values { text: false },
        ),
        udf(
            "jsonb_each_values_list",
            "jsonb_each",
            Rows::Values { text: false },
        ),
        udf(
            "json_each_text_values_list",
            "json_each_text",
            Rows::Values { text: true },
        ),
        udf(
            "jsonb_each_text_values_list",
            "jsonb_each_text",
            Rows::Values { text: true },
        ),
        udf("json_object_keys_list", "json_object_keys", Rows::Keys),
        udf("jsonb_object_keys_list", "jsonb_object_keys", Rows::Keys),
    ]
}

fn each_fields() -> Fields {
    Fields::from(vec![
        Field::new("key", DataType::Utf8, true),
        Field::new("value", DataType::Utf8, true),
    ])
}

/// A value as the text functions give it: strings unescaped, null NULL.
fn as_text(node: &Node<'_>, raw: &str, jsonb: bool) -> Option<String> {
    match node {
        Node::Null => None,
        Node::Str(t) => unescape(t),
        _ if jsonb => Some(jsonb_text(node)),
        _ => Some(raw.trim().to_string()),
    }
}

/// A value as json: its source text, or jsonb's.
fn as_json(node: &Node<'_>, raw: &str, jsonb: bool) -> String {
    if jsonb {
        jsonb_text(node)
    } else {
        raw.trim().to_string()
    }
}

fn kind_name(node: &Node<'_>) -> &'static str {
    match node {
        Node::Object(_) => "an object",
        Node::Array(_) => "an array",
        _ => "a scalar",
    }
}

impl ScalarUDFImpl for SrfFn {
    fn name(&self) -> &str {
        self.name
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        match arg_types {
            [DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null] => {
                Ok(vec![DataType::Utf8])
            }
            _ => plan_err!("function {}({arg_types:?}) does not exist", self.sql),
        }
    }
    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        let item = match self.rows {
            Rows::Each { .. } => DataType::Struct(each_fields()),
            _ => DataType::Utf8,
        };
        Ok(DataType::List(Arc::new(Field::new_list_field(item, true))))
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = matches!(args.args[0], ColumnarValue::Scalar(_));
        let jsonb = self.sql.starts_with("jsonb") || kind_of(&args.arg_fields[0]) == Some("jsonb");
        let docs = args.args[0].to_array(if scalar { 1 } else { args.number_rows })?;
        let docs = cast(&docs, &DataType::Utf8)?;
        let docs = docs.as_string::<i32>();
        let out: ArrayRef = match self.rows {
            Rows::Each { text } => {
                let mut b = ListBuilder::new(StructBuilder::from_fields(each_fields(), 0));
                for i in 0..docs.len() {
                    if docs.is_valid(i) {
                        let doc = document(docs.value(i), jsonb)?;
                        let Some((node, _)) = parse(&doc) else {
                            return exec_err!("invalid input syntax for type json");
                        };
                        let Node::Object(members) = &node else {
                            return exec_err!(
                                "cannot call {} on a non-object",
                                if jsonb { "jsonb_each" } else { "json_each" }
                            );
                        };
                        let s = b.values();
                        for (k, v, raw) in members {
                            s.field_builder::<StringBuilder>(0)
                                .expect("key field")
                                .append_value(k);
                            let value = if text {
                                as_text(v, raw, jsonb)
                            } else {
                                Some(as_json(v, raw, jsonb))
                            };
                            s.field_builder::<StringBuilder>(1)
                                .expect("value field")
                                .append_option(value);
                            s.append(true);
                        }
                    }
                    b.append(true);
                }
                Arc::new(b.finish())
            }
            Rows::Elements { text } => {
                let mut b = ListBuilder::new(StringBuilder::new());
                for i in 0..docs.len() {
                    if docs.is_valid(i) {
                        let doc = document(docs.value(i), jsonb)?;
                        let Some((node, _)) = parse(&doc) else {
                            return exec_err!("invalid input syntax for type json");
                        };
                        let Node::Array(items) = &node else {
                            return exec_err!("cannot extract elements from {}", kind_name(&node));
                        };
                        for (v, raw) in items {
                            if text {
                                b.values().append_option(as_text(v, raw, jsonb));
                            } else {
                                b.values().append_value(as_json(v, raw, jsonb));
                            }
                        }
                    }
                    b.append(true);
                }
                Arc::new(b.finish())
            }
            Rows::Values { text } => {
                let mut b = ListBuilder::new(StringBuilder::new());
                for i in 0..docs.len() {
                    if docs.is_valid(i) {
                        let doc = document(docs.value(i), jsonb)?;
                        let Some((node, _)) = parse(&doc) else {
                            return exec_err!("invalid input syntax for type json");
                        };
                        let Node::Object(members) = &node else {
                            return exec_err!(
                                "cannot call {} on a non-object",
                                if jsonb { "jsonb_each" } else { "json_each" }
                            );
                        };
                        for (_, v, raw) in members {
                            if text {
                                b.values().append_option(as_text(v, raw, jsonb));
                            } else {
                                b.values().append_value(as_json(v, raw, jsonb));
                            }
                        }
                    }
                    b.append(true);
                }
                Arc::new(b.finish())
            }
            Rows::Keys => {
                let mut b = ListBuilder::new(StringBuilder::new());
                for i in 0..docs.len() {
                    if docs.is_valid(i) {
                        let doc = document(docs.value(i), jsonb)?;
                        let Some((node, _)) = parse(&doc) else {
                            return exec_err!("invalid input syntax for type json");
                        };
                        let Node::Object(members) = &node else {
                            return exec_err!("cannot call {} on {}", self.sql, kind_name(&node));
                        };
                        for (k, _, _) in members {
                            b.values().append_value(k);
                        }
                    }
                    b.append(true);
                }
                Arc::new(b.finish())
            }
        };
        super::result(out, scalar)
    }
}

/// The document to walk: jsonb normalised first (key order, duplicates).
fn document(s: &str, jsonb: bool) -> Result<String> {
    if jsonb {
        match normalize(s) {
            Some(n) => Ok(n),
            None => exec_err!("invalid input syntax for type json: \"{s}\""),
        }
    } else {
        Ok(s.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_json_values_as_postgres_15() {
        // SELECT * FROM json_each_text('{"a":"x","b":null,"c":[1, 2]}')
        let (node, _) = parse(r#"{"a":"x\u00e9","b":null,"c":[1,  2]}"#).unwrap();
        let Node::Object(m) = node else { panic!() };
        let text: Vec<_> = m.iter().map(|(_, v, r)| as_text(v, r, false)).collect();
        assert_eq!(
            text,
            [Some("xé".to_string()), None, Some("[1,  2]".to_string())]
        );
        let json: Vec<_> = m.iter().map(|(_, v, r)| as_json(v, r, false)).collect();
        assert_eq!(json, [r#""x\u00e9""#, "null", "[1,  2]"]);
        let json: Vec<_> = m.iter().map(|(_, v, r)| as_json(v, r, true)).collect();
        assert_eq!(json, [r#""xé""#, "null", "[1, 2]"]);
        assert_eq!(
            document(r#"{"b": 1, "a": 2, "a": 3}"#, true).unwrap(),
            r#"{"a": 3, "b": 1}"#
        );
    }
}

//! jsonb containment and key operators and the `strip_nulls`/`pretty`
//! functions, as in PostgreSQL 15:
//!
//! - `a @> b` (`json_contains(a, b)`), `b <@ a`: every member of object `b`
//!   is in `a` with a containing value; every element of array `b` is
//!   contained in some element of `a` (scalars equal to a scalar element);
//!   an array contains a bare scalar (`'[1,2]' @> '1'`); numbers compare as
//!   numerics (`1.0` = `1`);
//! - `a ?| keys` (any) and `a ?& keys` (all): keys of an object, string
//!   elements of an array, or the string itself (NULL keys are skipped);
//! - `jsonb_strip_nulls` / `json_strip_nulls`: object members whose value
//!   is null removed at every depth (array elements stay); `json` output
//!   is written compactly (`{"b":1}`), as PostgreSQL does;
//! - `jsonb_pretty`: four-space indentation, `"key": value`.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanArray, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature,
    Volatility,
};

use super::json::{Node, jsonb_text, kind_of, normalize, numeric_text, parse, tagged, unescape};

/// Numbers as comparable text (`1.0` → `1`, `-0` → `0`).
fn number_key(n: &str) -> String {
    let t = numeric_text(n);
    let t = if t.contains('.') {
        t.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        t
    };
    if t == "-0" { "0".to_string() } else { t }
}

fn scalar_eq(a: &Node<'_>, b: &Node<'_>) -> bool {
    match (a, b) {
        (Node::Null, Node::Null) => true,
        (Node::Bool(x), Node::Bool(y)) => x == y,
        (Node::Number(x), Node::Number(y)) => number_key(x) == number_key(y),
        (Node::Str(x), Node::Str(y)) => x == y || unescape(x) == unescape(y),
        _ => false,
    }
}

/// PostgreSQL's `JsonbDeepContains` (below the top level).
fn contains(a: &Node<'_>, b: &Node<'_>) -> bool {
    match (a, b) {
        (Node::Object(am), Node::Object(bm)) => bm.iter().all(|(k, bv, _)| {
            am.iter()
                .rev()
                .find(|(ak, _, _)| ak == k)
                .is_some_and(|(_, av, _)| match bv {
                    Node::Object(_) | Node::Array(_) => contains(av, bv),
                    _ => scalar_eq(av, bv),
                })
        }),
        (Node::Array(ai), Node::Array(bi)) => bi.iter().all(|(bv, _)| match bv {
            Node::Object(_) | Node::Array(_) => ai.iter().any(|(av, _)| contains(av, bv)),
            _ => ai.iter().any(|(av, _)| scalar_eq(av, bv)),
        }),
        (Node::Object(_) | Node::Array(_), _) | (_, Node::Object(_) | Node::Array(_)) => false,
        _ => scalar_eq(a, b),
    }
}

/// `a @> b` at the top level: an array also contains a bare scalar.
fn contains_top(a: &Node<'_>, b: &Node<'_>) -> bool {
    match (a, b) {
        (Node::Array(ai), Node::Null | Node::Bool(_) | Node::Number(_) | Node::Str(_)) => {
            ai.iter().any(|(av, _)| scalar_eq(av, b))
        }
        _ => contains(a, b),
    }
}

fn has_key(node: &Node<'_>, key: &str) -> bool {
    match node {
        Node::Object(m) => m.iter().any(|(k, _, _)| k == key),
        Node::Array(items) => items
            .iter()
            .any(|(v, _)| matches!(v, Node::Str(t) if unescape(t).as_deref() == Some(key))),
        Node::Str(t) => unescape(t).as_deref() == Some(key),
        _ => false,
    }
}

/// Writes `node` without null object members; `jsonb` spacing or compact.
fn strip_nulls(node: &Node<'_>, raw: &str, jsonb: bool, out: &mut String) {
    let (comma, colon) = if jsonb { (", ", ": ") } else { (",", ":") };
    match node {
        Node::Array(items) => {
            out.push('[');
            for (i, (v, r)) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(comma);
                }
                strip_nulls(v, r, jsonb, out);
            }
            out.push(']');
        }
        Node::Object(members) => {
            out.push('{');
            let mut first = true;
            for (k, v, r) in members {
                if matches!(v, Node::Null) {
                    continue;
                }
                if !first {
                    out.push_str(comma);
                }
                first = false;
                out.push_str(&serde_json::to_string(k).unwrap_or_default());
                out.push_str(colon);
                strip_nulls(v, r, jsonb, out);
            }
            out.push('}');
        }
        _ if jsonb => out.push_str(&jsonb_text(node)),
        _ => out.push_str(raw.trim()),
    }
}

/// `jsonb_pretty`'s layout of a (normalised) value.
fn pretty(node: &Node<'_>, level: usize, out: &mut String) {
    let indent = |out: &mut String, l: usize| out.push_str(&"    ".repeat(l));
    match node {
        Node::Array(items) => {
            out.push_str("[\n");
            for (i, (v, _)) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                indent(out, level + 1);
                pretty(v, level + 1, out);
            }
            if !items.is_empty() {
                out.push('\n');
            }
            indent(out, level);
            out.push(']');
        }
        Node::Object(members) => {
            out.push_str("{\n");
            for (i, (k, v, _)) in members.iter().enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                indent(out, level + 1);
                out.push_str(&serde_json::to_string(k).unwrap_or_default());
                out.push_str(": ");
                pretty(v, level + 1, out);
            }
            if !members.is_empty() {
                out.push('\n');
            }
            indent(out, level);
            out.push('}');
        }
        _ => out.push_str(&jsonb_text(node)),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Op {
    Contains,
    Any,
    All,
    StripNulls,
    Pretty,
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct OpFn {
    name: &'static str,
    op: Op,
    signature: Signature,
}

fn udf(name: &'static str, op: Op) -> ScalarUDF {
    ScalarUDF::new_from_impl(OpFn {
        name,
        op,
        signature: Signature::user_defined(Volatility::Immutable),
    })
}

/// The operator functions (`@>`, `?|`, `?&`) and the strip/pretty functions.
pub fn functions() -> Vec<ScalarUDF> {
    vec![
        udf("json_contains", Op::Contains),
        udf("json_exists_any", Op::Any),
        udf("json_exists_all", Op::All),
        udf("jsonb_strip_nulls", Op::StripNulls),
        udf("json_strip_nulls", Op::StripNulls),
        udf("jsonb_pretty", Op::Pretty),
    ]
}

fn is_text(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null
    )
}

impl ScalarUDFImpl for OpFn {
    fn name(&self) -> &str {
        self.name
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let utf8_list = DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, true)));
        match (self.op, arg_types) {
            (Op::Contains, [a, b]) if is_text(a) && is_text(b) => {
                Ok(vec![DataType::Utf8, DataType::Utf8])
            }
            (Op::Any | Op::All, [a, DataType::List(_) | DataType::Null]) if is_text(a) => {
                Ok(vec![DataType::Utf8, utf8_list])
            }
            (Op::StripNulls | Op::Pretty, [a]) if is_text(a) => Ok(vec![DataType::Utf8]),
            _ => plan_err!("function {} does not accept {arg_types:?}", self.name),
        }
    }
    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(match self.op {
            Op::Contains | Op::Any | Op::All => DataType::Boolean,
            _ => DataType::Utf8,
        })
    }
    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        Ok(match self.op {
            Op::Contains | Op::Any | Op::All => {
                Arc::new(Field::new(self.name, DataType::Boolean, true))
            }
            Op::Pretty => Arc::new(Field::new(self.name, DataType::Utf8, true)),
            Op::StripNulls => tagged(
                self.name,
                kind_of(&args.arg_fields[0]).unwrap_or(if self.name.starts_with("jsonb") {
                    "jsonb"
                } else {
                    "json"
                }),
            ),
        })
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = super::all_scalar(&args.args);
        let jsonb = self.name.starts_with("jsonb") || kind_of(&args.arg_fields[0]) == Some("jsonb");
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let docs = cast(&arrays[0], &DataType::Utf8)?;
        let docs = docs.as_string::<i32>();
        let n = docs.len();
        let doc = |i: usize| -> Result<Option<(Node<'_>, &str)>> {
            if docs.is_null(i) {
                return Ok(None);
            }
            match parse(docs.value(i)) {
                Some(d) => Ok(Some(d)),
                None => exec_err!("invalid input syntax for type json: \"{}\"", docs.value(i)),
            }
        };
        let out: ArrayRef = match self.op {
            Op::Contains => {
                let other = cast(&arrays[1], &DataType::Utf8)?;
                let other = other.as_string::<i32>();
                let mut v = Vec::with_capacity(n);
                for i in 0..n {
                    let Some((a, _)) = doc(i)? else {
                        v.push(None);
                        continue;
                    };
                    if other.is_null(i) {
                        v.push(None);
                        continue;
                    }
                    let Some((b, _)) = parse(other.value(i)) else {
                        return exec_err!(
                            "invalid input syntax for type json: \"{}\"",
                            other.value(i)
                        );
                    };
                    v.push(Some(contains_top(&a, &b)));
                }
                Arc::new(BooleanArray::from(v))
            }
            Op::Any | Op::All => {
                let keys = arrays[1].as_list_opt::<i32>();
                let mut v = Vec::with_capacity(n);
                for i in 0..n {
                    let (Some((a, _)), Some(keys)) = (doc(i)?, keys.filter(|k| k.is_valid(i)))
                    else {
                        v.push(None);
                        continue;
                    };
                    let keys = keys.value(i);
                    let keys = keys.as_string::<i32>();
                    let mut present = keys.iter().flatten().map(|k| has_key(&a, k));
                    v.push(Some(if self.op == Op::Any {
                        present.any(|p| p)
                    } else {
                        present.all(|p| p)
                    }));
                }
                Arc::new(BooleanArray::from(v))
            }
            Op::StripNulls | Op::Pretty => {
                let mut v = Vec::with_capacity(n);
                for i in 0..n {
                    if doc(i)?.is_none() {
                        v.push(None);
                        continue;
                    }
                    // jsonb keys in jsonb order, the last duplicate kept.
                    let text = if jsonb || self.op == Op::Pretty {
                        normalize(docs.value(i)).unwrap_or_default()
                    } else {
                        docs.value(i).to_string()
                    };
                    let Some((node, raw)) = parse(&text) else {
                        return exec_err!("invalid input syntax for type json: \"{text}\"");
                    };
                    let mut s = String::new();
                    if self.op == Op::Pretty {
                        pretty(&node, 0, &mut s);
                    } else {
                        strip_nulls(&node, raw, jsonb, &mut s);
                    }
                    v.push(Some(s));
                }
                Arc::new(StringArray::from(v))
            }
        };
        super::result(out, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(a: &str, b: &str) -> bool {
        contains_top(&parse(a).unwrap().0, &parse(b).unwrap().0)
    }

    #[test]
    fn containment_as_postgres_15() {
        // SELECT a::jsonb @> b for each (a, b, result)
        for (a, b, want) in [
            ("[1,2,3]", "[3,1]", true),
            ("[1,2,3]", "1", true),
            (r#"{"a":[1,2]}"#, r#"{"a":[2]}"#, true),
            (r#"{"a":1,"b":{"c":2}}"#, r#"{"b":{}}"#, true),
            ("[[1,2]]", "[1]", false),
            (r#""a""#, r#""a""#, true),
            ("1", "[1]", false),
            ("[1]", "[]", true),
            ("{}", "{}", true),
            ("1.0", "1", true),
            (r#"{"a":null}"#, r#"{"a":null}"#, true),
            (r#"[{"a":1,"b":2}]"#, r#"[{"a":1}]"#, true),
        ] {
            assert_eq!(c(a, b), want, "{a} @> {b}");
        }
    }

    #[test]
    fn strip_and_pretty_as_postgres_15() {
        let strip = |s: &str, jsonb: bool| {
            let (n, raw) = parse(s).unwrap();
            let mut out = String::new();
            strip_nulls(&n, raw, jsonb, &mut out);
            out
        };
        assert_eq!(
            strip(
                &super::super::json::normalize(
                    r#"{"a":null,"b":[null,{"c":null,"d":1}],"e":{"f":null}}"#
                )
                .unwrap(),
                true
            ),
            r#"{"b": [null, {"d": 1}], "e": {}}"#
        );
        assert_eq!(
            strip(
                "{\"b\" : 1, \"c\" : [1,  null, {\"x\" : null}], \"d\": 1.50, \"e\":\"é\\n\"}",
                false
            ),
            "{\"b\":1,\"c\":[1,null,{}],\"d\":1.50,\"e\":\"é\\n\"}"
        );
        let p = |s: &str| {
            let mut out = String::new();
            pretty(&parse(s).unwrap().0, 0, &mut out);
            out
        };
        assert_eq!(
            p(r#"{"a": [1, {"b": null}], "c": {}, "d": []}"#),
            "{\n    \"a\": [\n        1,\n        {\n            \"b\": null\n        }\n    ],\n    \"c\": {\n    },\n    \"d\": [\n    ]\n}"
        );
        assert_eq!(p(r#""x""#), r#""x""#);
        assert_eq!(p("[]"), "[\n]");
    }
}

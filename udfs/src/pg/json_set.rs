//! Changing `jsonb` values, as in PostgreSQL 15:
//!
//! - `jsonb_set(target, path text[], new_value jsonb [, create_missing
//!   boolean])`: `target` with the value at `path` replaced by
//!   `new_value`; object keys and array positions (negative from the end)
//!   name the steps. A missing last step is added when `create_missing`
//!   (the default): a new key, or an element before the first or after
//!   the last. A path through a scalar, or a missing step before the last,
//!   leaves `target` as it is. A NULL argument gives NULL.
//! - `jsonb - text` (a key of an object, or the equal strings of an array),
//!   `jsonb - integer` (an array element) and `jsonb || jsonb` (objects
//!   merged, the right side's keys winning; arrays concatenated; any other
//!   operand taken as a one-element array), planned for those operators on
//!   `jsonb` values by `super::json::JsonPlanner`.
//!
//! Results are written in `jsonb`'s normal form.

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, BooleanArray, StringBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature,
    Volatility,
};

use super::json::{Node, normalize, parse, tagged};
use super::json_build::write_string;

/// `jsonb_set`.
pub fn udf() -> ScalarUDF {
    ScalarUDF::new_from_impl(JsonbSet {
        signature: Signature::user_defined(Volatility::Immutable),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct JsonbSet {
    signature: Signature,
}

/// Writes `node` (source `raw`) with the value at `path` set to `new`;
/// `depth`: how many steps of the whole path came before.
fn set(
    node: &Node<'_>,
    raw: &str,
    (path, depth): (&[&str], usize),
    new: &str,
    create: bool,
    out: &mut String,
) -> Result<()> {
    let Some((step, rest)) = path.split_first() else {
        out.push_str(new);
        return Ok(());
    };
    match node {
        Node::Object(members) => {
            out.push('{');
            let mut found = false;
            for (i, (k, v, vraw)) in members.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_string(k, out);
                out.push_str(": ");
                if k == step {
                    found = true;
                    set(v, vraw, (rest, depth + 1), new, create, out)?;
                } else {
                    out.push_str(vraw);
                }
            }
            if !found && create && rest.is_empty() {
                if !members.is_empty() {
                    out.push_str(", ");
                }
                write_string(step, out);
                out.push_str(": ");
                out.push_str(new);
            }
            out.push('}');
        }
        Node::Array(items) => {
            let Ok(index) = step.trim().parse::<i64>() else {
                return exec_err!(
                    "path element at position {} is not an integer: \"{step}\"",
                    depth + 1
                );
            };
            let n = items.len() as i64;
            let at = if index < 0 { n + index } else { index };
            let (before, after) = (at < 0, at >= n);
            out.push('[');
            let mut first = true;
            let mut sep = |out: &mut String| {
                if !first {
                    out.push_str(", ");
                }
                first = false;
            };
            if before && create && rest.is_empty() {
                sep(out);
                out.push_str(new);
            }
            for (i, (v, vraw)) in items.iter().enumerate() {
                sep(out);
                if i as i64 == at {
                    set(v, vraw, (rest, depth + 1), new, create, out)?;
                } else {
                    out.push_str(vraw);
                }
            }
            if after && create && rest.is_empty() {
                sep(out);
                out.push_str(new);
            }
            out.push(']');
        }
        _ => out.push_str(raw),
    }
    Ok(())
}

impl ScalarUDFImpl for JsonbSet {
    fn name(&self) -> &str {
        "jsonb_set"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, args: &[DataType]) -> Result<Vec<DataType>> {
        // A path written as text (`'{b,0}'`) is read as a text[] literal.
        let path = match args.get(1) {
            Some(DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View) => DataType::Utf8,
            _ => DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, true))),
        };
        match args.len() {
            3 => Ok(vec![DataType::Utf8, path, DataType::Utf8]),
            4 => Ok(vec![
                DataType::Utf8,
                path,
                DataType::Utf8,
                DataType::Boolean,
            ]),
            _ => plan_err!("function jsonb_set takes 3 or 4 arguments"),
        }
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn return_field_from_args(&self, _args: ReturnFieldArgs) -> Result<FieldRef> {
        Ok(tagged("jsonb_set", "jsonb"))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = super::all_scalar(&args.args);
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let targets = cast(&arrays[0], &DataType::Utf8)?;
        let targets = targets.as_string::<i32>();
        let text_paths = (arrays[1].data_type() == &DataType::Utf8)
            .then(|| arrays[1].as_string::<i32>().clone());
        let list_paths = (text_paths.is_none()).then(|| arrays[1].as_list::<i32>().clone());
        let news = cast(&arrays[2], &DataType::Utf8)?;
        let news = news.as_string::<i32>();
        let creates = arrays.get(3).map(|a| a.as_boolean().clone());
        let creates: Option<&BooleanArray> = creates.as_ref();
        let mut builder = StringBuilder::with_capacity(targets.len(), targets.value_data().len());
        let mut text = String::new();
        for i in 0..targets.len() {
            if targets.is_null(i)
                || arrays[1].is_null(i)
                || news.is_null(i)
                || creates.is_some_and(|c| c.is_null(i))
            {
                builder.append_null();
                continue;
            }
            let target = targets.value(i);
            let Some((node, _)) = parse(target) else {
                return exec_err!("invalid input syntax for type json");
            };
            let steps: Vec<String> = match (&text_paths, &list_paths) {
                (Some(t), _) => super::json::path_keys(t.value(i)),
                (_, Some(l)) => {
                    let path = cast(&l.value(i), &DataType::Utf8)?;
                    let path = path.as_string::<i32>();
                    if let Some(j) = (0..path.len()).find(|j| path.is_null(*j)) {
                        return exec_err!("path element at position {} is null", j + 1);
                    }
                    path.iter()
                        .map(|s| s.unwrap_or_default().to_string())
                        .collect()
                }
                _ => unreachable!("one of the two"),
            };
            let steps: Vec<&str> = steps.iter().map(String::as_str).collect();
            if matches!(
                node,
                Node::Null | Node::Bool(_) | Node::Number(_) | Node::Str(_)
            ) && !steps.is_empty()
            {
                return exec_err!("cannot set path in scalar");
            }
            let create = creates.is_none_or(|c| c.value(i));
            text.clear();
            set(&node, target, (&steps, 0), news.value(i), create, &mut text)?;
            match normalize(&text) {
                Some(t) => builder.append_value(t),
                None => return exec_err!("invalid input syntax for type json"),
            }
        }
        super::result(Arc::new(builder.finish()), scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set_text(target: &str, path: &[&str], new: &str, create: bool) -> String {
        let (node, _) = parse(target).unwrap();
        let mut out = String::new();
        set(&node, target, (path, 0), new, create, &mut out).unwrap();
        normalize(&out).unwrap()
    }

    #[test]
    fn values_are_set_as_postgres_sets_them() {
        // PostgreSQL 15's answers.
        assert_eq!(
            set_text(r#"{"a": 1, "b": [1, 2]}"#, &["a"], "5", true),
            r#"{"a": 5, "b": [1, 2]}"#
        );
        assert_eq!(
            set_text(r#"{"a": 1}"#, &["c"], r#""x""#, true),
            r#"{"a": 1, "c": "x"}"#
        );
        assert_eq!(set_text(r#"{"a": 1}"#, &["c"], "2", false), r#"{"a": 1}"#);
        assert_eq!(
            set_text(r#"{"b": [1, 2]}"#, &["b", "-1"], "9", true),
            r#"{"b": [1, 9]}"#
        );
        assert_eq!(
            set_text(r#"{"b": [1, 2]}"#, &["b", "5"], "9", true),
            r#"{"b": [1, 2, 9]}"#
        );
        assert_eq!(
            set_text(r#"{"b": [1, 2]}"#, &["b", "-5"], "9", true),
            r#"{"b": [9, 1, 2]}"#
        );
        assert_eq!(
            set_text(r#"{"a": {"x": 1}}"#, &["a", "y", "z"], "1", true),
            r#"{"a": {"x": 1}}"#
        );
    }
}

/// `jsonb - text`, `jsonb - integer` (`jsonb_delete`) and `jsonb || jsonb`
/// (`jsonb_concat`), as PostgreSQL 15's operators: the planner
/// (`tessera_engine::pg_plan`) calls them for those operators on `jsonb`.
pub fn operators() -> Vec<ScalarUDF> {
    vec![
        ScalarUDF::new_from_impl(JsonbOp {
            name: "jsonb_delete",
            signature: Signature::user_defined(Volatility::Immutable),
        }),
        ScalarUDF::new_from_impl(JsonbOp {
            name: "jsonb_concat",
            signature: Signature::user_defined(Volatility::Immutable),
        }),
    ]
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct JsonbOp {
    name: &'static str,
    signature: Signature,
}

/// `a` without key `key` (an object), or without the string elements equal
/// to it (an array); a scalar is refused.
fn delete_key(a: &Node<'_>, raw: &str, key: &str, out: &mut String) -> Result<()> {
    match a {
        Node::Object(members) => {
            let kept: Vec<String> = (members.iter())
                .filter(|(k, _, _)| k != key)
                .map(|(k, _, v)| {
                    let mut m = String::new();
                    write_string(k, &mut m);
                    format!("{m}: {v}")
                })
                .collect();
            out.push_str(&format!("{{{}}}", kept.join(", ")));
        }
        Node::Array(items) => {
            let kept: Vec<&str> = (items.iter())
                .filter(|(v, _)| {
                    !matches!(v, Node::Str(s) if super::json::unescape(s).as_deref() == Some(key))
                })
                .map(|(_, v)| *v)
                .collect();
            out.push_str(&format!("[{}]", kept.join(", ")));
        }
        _ => {
            let _ = raw;
            return exec_err!("cannot delete from scalar");
        }
    }
    Ok(())
}

/// `a` without element `index` (negative from the end) of an array.
fn delete_index(a: &Node<'_>, index: i64, out: &mut String) -> Result<()> {
    match a {
        Node::Array(items) => {
            let n = items.len() as i64;
            let at = if index < 0 { n + index } else { index };
            let kept: Vec<&str> = (items.iter().enumerate())
                .filter(|(i, _)| *i as i64 != at)
                .map(|(_, (_, v))| *v)
                .collect();
            out.push_str(&format!("[{}]", kept.join(", ")));
            Ok(())
        }
        Node::Object(_) => exec_err!("cannot delete from object using integer index"),
        _ => exec_err!("cannot delete from scalar"),
    }
}

/// `a || b`: objects merged (`b`'s keys win), arrays concatenated, a
/// non-array operand taken as a one-element array.
fn concat(a: &Node<'_>, a_raw: &str, b: &Node<'_>, b_raw: &str, out: &mut String) {
    let inner = |node: &Node<'_>, raw: &str| -> String {
        match node {
            Node::Array(items) => items.iter().map(|(_, v)| *v).collect::<Vec<_>>().join(", "),
            _ => raw.trim().to_string(),
        }
    };
    if let (Node::Object(x), Node::Object(y)) = (a, b) {
        let members: Vec<String> = (x.iter().chain(y.iter()))
            .map(|(k, _, v)| {
                let mut m = String::new();
                write_string(k, &mut m);
                format!("{m}: {v}")
            })
            .collect();
        out.push_str(&format!("{{{}}}", members.join(", ")));
        return;
    }
    let parts: Vec<String> = [inner(a, a_raw), inner(b, b_raw)]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect();
    out.push_str(&format!("[{}]", parts.join(", ")));
}

impl ScalarUDFImpl for JsonbOp {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, args: &[DataType]) -> Result<Vec<DataType>> {
        match (self.name, args) {
            ("jsonb_delete", [_, t]) if t.is_integer() => Ok(vec![DataType::Utf8, DataType::Int64]),
            (_, [_, _]) => Ok(vec![DataType::Utf8, DataType::Utf8]),
            _ => plan_err!("{} takes two arguments", self.name),
        }
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn return_field_from_args(&self, _args: ReturnFieldArgs) -> Result<FieldRef> {
        Ok(tagged(self.name, "jsonb"))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = super::all_scalar(&args.args);
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let lefts = cast(&arrays[0], &DataType::Utf8)?;
        let lefts = lefts.as_string::<i32>();
        let index = arrays[1].data_type().is_integer();
        let rights = cast(
            &arrays[1],
            if index {
                &DataType::Int64
            } else {
                &DataType::Utf8
            },
        )?;
        let mut builder = StringBuilder::with_capacity(lefts.len(), lefts.value_data().len());
        let mut text = String::new();
        for i in 0..lefts.len() {
            if lefts.is_null(i) || rights.is_null(i) {
                builder.append_null();
                continue;
            }
            let Some((a, _)) = parse(lefts.value(i)) else {
                return exec_err!("invalid input syntax for type json");
            };
            text.clear();
            if index {
                let n = rights
                    .as_primitive::<datafusion::arrow::datatypes::Int64Type>()
                    .value(i);
                delete_index(&a, n, &mut text)?;
            } else {
                let right = rights.as_string::<i32>().value(i);
                if self.name == "jsonb_delete" {
                    delete_key(&a, lefts.value(i), right, &mut text)?;
                } else {
                    let Some((b, _)) = parse(right) else {
                        return exec_err!("invalid input syntax for type json");
                    };
                    concat(&a, lefts.value(i), &b, right, &mut text);
                }
            }
            match normalize(&text) {
                Some(t) => builder.append_value(t),
                None => return exec_err!("invalid input syntax for type json"),
            }
        }
        super::result(Arc::new(builder.finish()), scalar)
    }
}

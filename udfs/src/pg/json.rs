//! `json` and `jsonb` as PostgreSQL 15 has them: values are text (Arrow
//! `Utf8`) whose field carries [`KIND_KEY`] = `json` | `jsonb`, so the wire
//! layer reports OIDs 114 / 3802 and prints `jsonb` normalised
//! ([`normalize`]: keys ordered by length then bytes, the last duplicate
//! key kept, `": "` and `", "` spacing, numbers as `numeric` prints them).
//!
//! Operators (planned by [`JsonPlanner`]): `->` and `->>` with a key or an
//! index (negative from the end), `#>` and `#>>` with a path (`'{a,b,0}'`),
//! `?` key existence, `?|`, `?&`, `@>` and `<@` ([`super::json_ops`]). `->` on `json` returns the member's source text,
//! as PostgreSQL does. Casts `'…'::json` / `::jsonb` become the functions
//! `json(text)` / `jsonb(text)` (rewritten by the SQL front end), which
//! validate and tag their input.

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanArray, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{DFSchema, Result, ScalarValue, exec_err, plan_err};
use datafusion::logical_expr::planner::{ExprPlanner, PlannerResult, RawBinaryExpr};
use datafusion::logical_expr::sqlparser::ast::BinaryOperator;
use datafusion::logical_expr::{
    ColumnarValue, Expr, ExprSchemable, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF,
    ScalarUDFImpl, Signature, Volatility,
};

/// Field metadata key of json values (value: `json` or `jsonb`).
pub const KIND_KEY: &str = "tessera.pg.json";

/// Names of the operator functions: PostgreSQL names their output column
/// `?column?`.
pub const OPERATOR_FUNCTIONS: &[&str] = &[
    "json_arrow",
    "json_arrow_text",
    "json_path",
    "json_path_text",
    "json_exists",
    "json_exists_any",
    "json_exists_all",
    "json_contains",
];

/// A parsed JSON value; `raw` is its source text.
#[derive(Debug)]
pub(crate) enum Node<'a> {
    Null,
    Bool(bool),
    /// Number text as written.
    Number(&'a str),
    /// String source (with quotes, still escaped).
    Str(&'a str),
    Array(Vec<(Node<'a>, &'a str)>),
    Object(Vec<(String, Node<'a>, &'a str)>),
}

struct Parser<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> Parser<'a> {
    fn ws(&mut self) {
        while self.i < self.s.len()
            && matches!(self.s.as_bytes()[self.i], b' ' | b'\t' | b'\n' | b'\r')
        {
            self.i += 1;
        }
    }
    fn peek(&self) -> Option<u8> {
        self.s.as_bytes().get(self.i).copied()
    }
    /// A value and its source slice.
    fn value(&mut self) -> Option<(Node<'a>, &'a str)> {
        self.ws();
        let start = self.i;
        let node = match self.peek()? {
            b'n' => self.word("null", Node::Null)?,
            b't' => self.word("true", Node::Bool(true))?,
            b'f' => self.word("false", Node::Bool(false))?,
            b'"' => Node::Str(self.string()?),
            b'[' => {
                self.i += 1;
                let mut items = vec![];
                self.ws();
                if self.peek() == Some(b']') {
                    self.i += 1;
                } else {
                    loop {
                        items.push(self.value()?);
                        self.ws();
                        match self.peek()? {
                            b',' => self.i += 1,
                            b']' => {
                                self.i += 1;
                                break;
                            }
                            _ => return None,
                        }
                    }
                }
                Node::Array(items)
            }
            b'{' => {
                self.i += 1;
                let mut members = vec![];
                self.ws();
                if self.peek() == Some(b'}') {
                    self.i += 1;
                } else {
                    loop {
                        self.ws();
                        let key = unescape(self.string()?)?;
                        self.ws();
                        if self.peek()? != b':' {
                            return None;
                        }
                        self.i += 1;
                        let (v, raw) = self.value()?;
                        members.push((key, v, raw));
                        self.ws();
                        match self.peek()? {
                            b',' => self.i += 1,
                            b'}' => {
                                self.i += 1;
                                break;
                            }
                            _ => return None,
                        }
                    }
                }
                Node::Object(members)
            }
            b'-' | b'0'..=b'9' => {
                let b = self.s.as_bytes();
                while self.i < b.len()
                    && matches!(b[self.i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    self.i += 1;
                }
                let n = &self.s[start..self.i];
                n.parse::<f64>().ok()?;
                Node::Number(n)
            }
            _ => return None,
        };
        Some((node, &self.s[start..self.i]))
    }
    fn word(&mut self, w: &str, n: Node<'a>) -> Option<Node<'a>> {
        self.s[self.i..].starts_with(w).then(|| {
            self.i += w.len();
            n
        })
    }
    /// A string token with its quotes.
    fn string(&mut self) -> Option<&'a str> {
        let b = self.s.as_bytes();
        if b.get(self.i) != Some(&b'"') {
            return None;
        }
        let start = self.i;
        self.i += 1;
        while self.i < b.len() {
            match b[self.i] {
                b'\\' => self.i += 2,
                b'"' => {
                    self.i += 1;
                    return Some(&self.s[start..self.i]);
                }
                _ => self.i += 1,
            }
        }
        None
    }
}

/// The text of a JSON string token (with its quotes).
pub(crate) fn unescape(token: &str) -> Option<String> {
    serde_json::from_str::<String>(token).ok()
}

pub(crate) fn parse(s: &str) -> Option<(Node<'_>, &str)> {
    let mut p = Parser { s, i: 0 };
    let v = p.value()?;
    p.ws();
    (p.i == s.len()).then_some(v)
}

/// `numeric` text of a JSON number (`1e3` → `1000`, `1.50` stays).
pub(crate) fn numeric_text(n: &str) -> String {
    let Some((mantissa, exp)) = n.split_once(['e', 'E']) else {
        return n.to_string();
    };
    let Ok(exp) = exp.parse::<i32>() else {
        return n.to_string();
    };
    let (neg, m) = match mantissa.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mantissa),
    };
    let (int, frac) = m.split_once('.').unwrap_or((m, ""));
    let digits = format!("{int}{frac}");
    let point = int.len() as i32 + exp;
    let scale = (frac.len() as i32 - exp).max(0) as usize;
    let body = super::numeric::place_point(&digits, point);
    let body = body.trim_start_matches('0');
    let body = if body.is_empty() || body.starts_with('.') {
        format!("0{body}")
    } else {
        body.to_string()
    };
    // Keep `scale` fractional digits, as numeric does.
    let body = match body.split_once('.') {
        Some((i, _)) if scale == 0 => i.to_string(),
        Some((i, f)) => format!("{i}.{:0<scale$}", &f[..f.len().min(scale)]),
        None if scale > 0 => format!("{body}.{}", "0".repeat(scale)),
        None => body,
    };
    if neg { format!("-{body}") } else { body }
}

fn write_jsonb(n: &Node<'_>, out: &mut String) {
    match n {
        Node::Null => out.push_str("null"),
        Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Node::Number(t) => out.push_str(&numeric_text(t)),
        Node::Str(t) => match unescape(t) {
            Some(s) => out.push_str(&serde_json::to_string(&s).unwrap_or_default()),
            None => out.push_str(t),
        },
        Node::Array(items) => {
            out.push('[');
            for (i, (v, _)) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_jsonb(v, out);
            }
            out.push(']');
        }
        Node::Object(members) => {
            // Last duplicate wins; keys by length, then bytes.
            let mut last: HashMap<&str, usize> = HashMap::new();
            for (i, (k, _, _)) in members.iter().enumerate() {
                last.insert(k.as_str(), i);
            }
            let mut keep: Vec<&(String, Node<'_>, &str)> = members
                .iter()
                .enumerate()
                .filter(|(i, (k, _, _))| last[k.as_str()] == *i)
                .map(|(_, m)| m)
                .collect();
            keep.sort_by(|a, b| a.0.len().cmp(&b.0.len()).then_with(|| a.0.cmp(&b.0)));
            out.push('{');
            for (i, (k, v, _)) in keep.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&serde_json::to_string(k).unwrap_or_default());
                out.push_str(": ");
                write_jsonb(v, out);
            }
            out.push('}');
        }
    }
}

pub(crate) fn jsonb_text(node: &Node<'_>) -> String {
    let mut out = String::new();
    write_jsonb(node, &mut out);
    out
}

/// The `jsonb` text of JSON `s` (`None` if it is not JSON).
pub fn normalize(s: &str) -> Option<String> {
    let (node, _) = parse(s)?;
    let mut out = String::with_capacity(s.len());
    write_jsonb(&node, &mut out);
    Some(out)
}

/// The kind (`json`/`jsonb`) a field carries, if any.
pub fn kind_of(field: &Field) -> Option<&str> {
    field.metadata().get(KIND_KEY).map(String::as_str)
}

pub(crate) fn tagged(name: &str, kind: &str) -> FieldRef {
    Arc::new(
        Field::new(name, DataType::Utf8, true)
            .with_metadata(HashMap::from([(KIND_KEY.to_string(), kind.to_string())])),
    )
}

/// What an operator function does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Op {
    /// `json(text)` / `jsonb(text)`: validate and tag.
    Cast(&'static str),
    /// `->` (`text`: `->>`).
    Get { text: bool },
    /// `#>` (`text`: `#>>`).
    Path { text: bool },
    /// `?`.
    Exists,
    /// `json_extract_path[_text](json, VARIADIC keys)`.
    PathArgs { text: bool },
    /// `json_array_length`.
    Length,
    /// `json_typeof`.
    TypeOf,
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct JsonFn {
    name: &'static str,
    op: Op,
    signature: Signature,
}

fn udf(name: &'static str, op: Op) -> ScalarUDF {
    ScalarUDF::new_from_impl(JsonFn {
        name,
        op,
        signature: Signature::user_defined(Volatility::Immutable),
    })
}

/// The json functions and operator functions.
pub fn functions() -> Vec<ScalarUDF> {
    vec![
        udf("json", Op::Cast("json")),
        udf("jsonb", Op::Cast("jsonb")),
        udf("json_arrow", Op::Get { text: false }),
        udf("json_arrow_text", Op::Get { text: true }),
        udf("json_path", Op::Path { text: false }),
        udf("json_path_text", Op::Path { text: true }),
        udf("json_exists", Op::Exists),
        udf("json_extract_path", Op::PathArgs { text: false }),
        udf("jsonb_extract_path", Op::PathArgs { text: false }),
        udf("json_extract_path_text", Op::PathArgs { text: true }),
        udf("jsonb_extract_path_text", Op::PathArgs { text: true }),
        udf("json_array_length", Op::Length),
        udf("jsonb_array_length", Op::Length),
        udf("json_typeof", Op::TypeOf),
        udf("jsonb_typeof", Op::TypeOf),
    ]
}

/// One step of a path: a key, or an index when it reads as an integer.
fn step<'a>(node: &'a Node<'a>, key: &str) -> Option<(&'a Node<'a>, &'a str)> {
    match node {
        Node::Object(members) => members
            .iter()
            .rev()
            .find(|(k, _, _)| k == key)
            .map(|(_, v, raw)| (v, *raw)),
        Node::Array(items) => {
            let i: i64 = key.trim().parse().ok()?;
            let i = if i < 0 { items.len() as i64 + i } else { i };
            items
                .get(usize::try_from(i).ok()?)
                .map(|(v, raw)| (v, *raw))
        }
        _ => None,
    }
}

/// `{a,b,0}` → `["a", "b", "0"]` (simple array literals).
pub(crate) fn path_keys(p: &str) -> Vec<String> {
    let inner = p.trim().trim_start_matches('{').trim_end_matches('}');
    if inner.is_empty() {
        return vec![];
    }
    inner
        .split(',')
        .map(|k| k.trim().trim_matches('"').to_string())
        .collect()
}

/// The result of `->`/`#>` (`json` text) or `->>`/`#>>` (text).
fn render(node: &Node<'_>, raw: &str, text: bool, jsonb: bool) -> Option<String> {
    if text {
        return match node {
            Node::Null => None,
            Node::Str(t) => unescape(t),
            _ if jsonb => Some(jsonb_text(node)),
            _ => Some(raw.to_string()),
        };
    }
    Some(if jsonb {
        jsonb_text(node)
    } else {
        raw.trim().to_string()
    })
}

impl ScalarUDFImpl for JsonFn {
    fn name(&self) -> &str {
        self.name
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let n = match self.op {
            Op::Cast(_) | Op::Length | Op::TypeOf => 1,
            Op::PathArgs { .. } => arg_types.len().max(1),
            _ => 2,
        };
        if arg_types.len() != n {
            return plan_err!("{} takes {n} arguments", self.name);
        }
        Ok(arg_types
            .iter()
            .enumerate()
            .map(|(i, t)| match (self.op, i, t) {
                (Op::Get { .. }, 1, t) if t.is_integer() => DataType::Int64,
                // `#>> ARRAY['a', 'b']` (Metabase's JSON columns): a path
                // given as a text[] rather than its `'{a,b}'` text.
                (Op::Path { .. }, 1, DataType::List(_) | DataType::LargeList(_)) => {
                    DataType::new_list(DataType::Utf8, true)
                }
                _ => DataType::Utf8,
            })
            .collect())
    }
    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(match self.op {
            Op::Exists => DataType::Boolean,
            Op::Length => DataType::Int32,
            _ => DataType::Utf8,
        })
    }
    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let input = kind_of(&args.arg_fields[0]).unwrap_or(if self.name.starts_with("jsonb") {
            "jsonb"
        } else {
            "json"
        });
        Ok(match self.op {
            Op::Cast(kind) => tagged(self.name, kind),
            Op::PathArgs { text: false } => tagged(self.name, input),
            Op::Length => Arc::new(Field::new(self.name, DataType::Int32, true)),
            Op::Get { text: false } | Op::Path { text: false } => tagged(self.name, input),
            Op::Exists => Arc::new(Field::new(self.name, DataType::Boolean, true)),
            _ => Arc::new(Field::new(self.name, DataType::Utf8, true)),
        })
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = super::all_scalar(&args.args);
        let jsonb = kind_of(&args.arg_fields[0]) == Some("jsonb");
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let docs = cast(&arrays[0], &DataType::Utf8)?;
        let docs = docs.as_string::<i32>();
        // A text[] path: its elements, row by row.
        let path_lists: Option<Vec<Option<Vec<String>>>> = match arrays.get(1) {
            Some(k) if matches!(k.data_type(), DataType::List(_)) => {
                let list = k.as_list::<i32>();
                let mut rows = Vec::with_capacity(list.len());
                for i in 0..list.len() {
                    rows.push(if list.is_null(i) {
                        None
                    } else {
                        let items = cast(&list.value(i), &DataType::Utf8)?;
                        let items = items.as_string::<i32>();
                        // A NULL path element makes the result NULL.
                        items
                            .iter()
                            .map(|v| v.map(str::to_string))
                            .collect::<Option<Vec<_>>>()
                    });
                }
                Some(rows)
            }
            _ => None,
        };
        let keys = match arrays.get(1) {
            Some(k) if path_lists.is_none() => Some(cast(k, &DataType::Utf8)?),
            _ => None,
        };
        let keys = keys.as_ref().map(|k| k.as_string::<i32>());
        let rest: Vec<ArrayRef> = arrays
            .iter()
            .skip(1)
            .map(|a| cast(a, &DataType::Utf8))
            .collect::<std::result::Result<_, _>>()?;
        let out: ArrayRef = match self.op {
            Op::PathArgs { text } => Arc::new(
                (0..docs.len())
                    .map(|i| {
                        if docs.is_null(i) {
                            return None;
                        }
                        let (root, raw) = parse(docs.value(i))?;
                        let mut cur: (&Node<'_>, &str) = (&root, raw);
                        for k in &rest {
                            let k = k.as_string::<i32>();
                            if k.is_null(i) {
                                return None;
                            }
                            cur = step(cur.0, k.value(i))?;
                        }
                        render(cur.0, cur.1, text, jsonb)
                    })
                    .collect::<StringArray>(),
            ),
            Op::Length => Arc::new(
                (0..docs.len())
                    .map(
                        |i| match parse(docs.value(i)).filter(|_| docs.is_valid(i)) {
                            Some((Node::Array(items), _)) => Ok(Some(items.len() as i32)),
                            None => Ok(None),
                            Some(_) => exec_err!("cannot get array length of a non-array"),
                        },
                    )
                    .collect::<Result<datafusion::arrow::array::Int32Array>>()?,
            ),
            Op::TypeOf => Arc::new(
                (0..docs.len())
                    .map(|i| {
                        if docs.is_null(i) {
                            return None;
                        }
                        Some(match parse(docs.value(i))?.0 {
                            Node::Null => "null",
                            Node::Bool(_) => "boolean",
                            Node::Number(_) => "number",
                            Node::Str(_) => "string",
                            Node::Array(_) => "array",
                            Node::Object(_) => "object",
                        })
                    })
                    .collect::<StringArray>(),
            ),
            Op::Cast(kind) => {
                let mut v = Vec::with_capacity(docs.len());
                for d in docs.iter() {
                    v.push(match d {
                        None => None,
                        Some(d) if parse(d).is_none() => {
                            return exec_err!("invalid input syntax for type {kind}: \"{d}\"");
                        }
                        Some(d) if kind == "jsonb" => normalize(d),
                        Some(d) => Some(d.to_string()),
                    });
                }
                Arc::new(StringArray::from(v))
            }
            Op::Exists => {
                let keys = keys.expect("two arguments");
                Arc::new(
                    (0..docs.len())
                        .map(|i| {
                            if docs.is_null(i) || keys.is_null(i) {
                                return None;
                            }
                            let (node, _) = parse(docs.value(i))?;
                            let key = keys.value(i);
                            Some(match &node {
                                Node::Object(m) => m.iter().any(|(k, _, _)| k == key),
                                Node::Array(items) => items.iter().any(|(v, _)| {
                                    matches!(v, Node::Str(t) if unescape(t).as_deref() == Some(key))
                                }),
                                Node::Str(t) => unescape(t).as_deref() == Some(key),
                                _ => false,
                            })
                        })
                        .collect::<BooleanArray>(),
                )
            }
            Op::Get { text } | Op::Path { text } => {
                let path = matches!(self.op, Op::Path { .. });
                Arc::new(
                    (0..docs.len())
                        .map(|i| {
                            if docs.is_null(i) {
                                return None;
                            }
                            let steps = match (&path_lists, keys) {
                                (Some(lists), _) => lists[i].clone()?,
                                (None, Some(k)) if k.is_valid(i) && path => path_keys(k.value(i)),
                                (None, Some(k)) if k.is_valid(i) => vec![k.value(i).to_string()],
                                _ => return None,
                            };
                            let (root, raw) = parse(docs.value(i))?;
                            let mut cur: (&Node<'_>, &str) = (&root, raw);
                            for s in &steps {
                                cur = step(cur.0, s)?;
                            }
                            render(cur.0, cur.1, text, jsonb)
                        })
                        .collect::<StringArray>(),
                )
            }
        };
        super::result(out, scalar)
    }
}

/// Plans `->`, `->>`, `#>`, `#>>`, `?`, `@?` and `@@` on text and json values.
#[derive(Debug, Default)]
pub struct JsonPlanner;

impl ExprPlanner for JsonPlanner {
    fn plan_binary_op(
        &self,
        expr: RawBinaryExpr,
        schema: &DFSchema,
    ) -> Result<PlannerResult<RawBinaryExpr>> {
        // `jsonb - key`, `jsonb - index`, `jsonb || jsonb`
        // (`super::json_set`).
        let jsonb = |e: &Expr| {
            e.to_field(schema)
                .is_ok_and(|(_, f)| kind_of(&f) == Some("jsonb"))
        };
        // An untyped literal beside a jsonb is a jsonb (PostgreSQL's
        // `unknown`): `payload || '{"seen": true}'` merges objects.
        let untyped = |e: &Expr| {
            matches!(
                e,
                Expr::Literal(
                    ScalarValue::Utf8(Some(_)) | ScalarValue::Utf8View(Some(_)),
                    _
                )
            )
        };
        let mut expr = expr;
        if expr.op == BinaryOperator::StringConcat {
            let as_jsonb = |e: Expr| {
                let f = functions()
                    .into_iter()
                    .find(|f| f.name() == "jsonb")
                    .expect("defined");
                Expr::ScalarFunction(datafusion::logical_expr::expr::ScalarFunction::new_udf(
                    Arc::new(f),
                    vec![e],
                ))
            };
            if jsonb(&expr.left) && untyped(&expr.right) {
                expr.right = as_jsonb(expr.right);
            } else if untyped(&expr.left) && jsonb(&expr.right) {
                expr.left = as_jsonb(expr.left);
            }
        }
        let jsonb_op = match expr.op {
            BinaryOperator::Minus if jsonb(&expr.left) => Some("jsonb_delete"),
            BinaryOperator::StringConcat if jsonb(&expr.left) && jsonb(&expr.right) => {
                Some("jsonb_concat")
            }
            _ => None,
        };
        if let Some(name) = jsonb_op {
            let f = (super::json_set::operators().into_iter())
                .find(|f| f.name() == name)
                .expect("defined");
            return Ok(PlannerResult::Planned(Expr::ScalarFunction(
                datafusion::logical_expr::expr::ScalarFunction::new_udf(
                    Arc::new(f),
                    vec![expr.left, expr.right],
                ),
            )));
        }
        // `jsonb @? jsonpath` and `jsonb @@ jsonpath`: the path functions
        // with errors suppressed (`super::json_path`).
        let path_op = match expr.op {
            BinaryOperator::AtQuestion => Some("jsonb_path_exists"),
            BinaryOperator::AtAt => Some("jsonb_path_match"),
            _ => None,
        };
        if let Some(name) = path_op {
            let f = (super::json_path::functions().into_iter())
                .find(|f| f.name() == name)
                .expect("defined");
            let args = vec![
                expr.left,
                expr.right,
                datafusion::logical_expr::lit("{}"),
                datafusion::logical_expr::lit(true),
            ];
            return Ok(PlannerResult::Planned(Expr::ScalarFunction(
                datafusion::logical_expr::expr::ScalarFunction::new_udf(Arc::new(f), args),
            )));
        }
        let name = match expr.op {
            BinaryOperator::Arrow => "json_arrow",
            BinaryOperator::LongArrow => "json_arrow_text",
            BinaryOperator::HashArrow => "json_path",
            BinaryOperator::HashLongArrow => "json_path_text",
            BinaryOperator::Question => "json_exists",
            BinaryOperator::QuestionPipe => "json_exists_any",
            BinaryOperator::QuestionAnd => "json_exists_all",
            BinaryOperator::AtArrow | BinaryOperator::ArrowAt => "json_contains",
            _ => return Ok(PlannerResult::Original(expr)),
        };
        // Only on text-like left sides (arrays and maps keep DataFusion's
        // meanings, if any; `@>` and `<@` are array containment there).
        let is_text = |e: &Expr| {
            matches!(
                e.get_type(schema),
                Ok(DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8 | DataType::Null)
            )
        };
        let text = match expr.op {
            BinaryOperator::AtArrow | BinaryOperator::ArrowAt => {
                is_text(&expr.left) && is_text(&expr.right)
            }
            _ => is_text(&expr.left),
        };
        if !text {
            return Ok(PlannerResult::Original(expr));
        }
        let f = functions()
            .into_iter()
            .chain(super::json_ops::functions())
            .find(|f| f.name() == name)
            .expect("defined above");
        let args = if expr.op == BinaryOperator::ArrowAt {
            vec![expr.right, expr.left]
        } else {
            vec![expr.left, expr.right]
        };
        Ok(PlannerResult::Planned(Expr::ScalarFunction(
            datafusion::logical_expr::expr::ScalarFunction::new_udf(Arc::new(f), args),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonb_text_as_postgres_15() {
        assert_eq!(
            normalize(r#"{"z":1,"aa":2,"b":3}"#).unwrap(),
            r#"{"b": 3, "z": 1, "aa": 2}"#
        );
        assert_eq!(normalize(r#"{"a":1,"a":2}"#).unwrap(), r#"{"a": 2}"#);
        assert_eq!(normalize(r#"{"n": 1.50}"#).unwrap(), r#"{"n": 1.50}"#);
        assert_eq!(normalize(r#"{"n": 1e3}"#).unwrap(), r#"{"n": 1000}"#);
        assert_eq!(
            normalize(r#"[1, 2.50, "x", null, true]"#).unwrap(),
            r#"[1, 2.50, "x", null, true]"#
        );
        assert!(normalize("{").is_none());
    }
}

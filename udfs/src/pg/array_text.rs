//! Text to arrays as PostgreSQL's `array_in` reads it: quoted elements
//! with backslash escapes, unquoted `NULL`, white space around elements,
//! nested braces for more dimensions (`'{"a b",c,NULL}'`, `'{{1,2},{3,4}}'`).
//!
//! Used for literals by the engine's statement rewrites and at run time by
//! `tessera_array_in` ([`udf`]): a text value cast to an array
//! (`INSERT INTO t (tags) VALUES ('{a,b}')`, `text_col::text[]`, a text
//! parameter bound to an array column). Arrow's cast would make the whole
//! text one element (`{"{a,b}"}`).

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, ListBuilder, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

use crate::error::{DataErrorKind, data_error};

/// An element or sub-array of an array literal.
#[derive(Debug, PartialEq)]
pub enum Node {
    /// An element (`None`: NULL).
    Element(Option<String>),
    /// A sub-array.
    Array(Vec<Node>),
}

/// Parses an array literal as `array_in` does; `None` if it is malformed
/// or has explicit bounds.
pub fn parse(text: &str) -> Option<Node> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let skip = |i: &mut usize| {
        while *i < chars.len() && chars[*i].is_whitespace() {
            *i += 1;
        }
    };
    skip(&mut i);
    let node = parse_array(&chars, &mut i)?;
    skip(&mut i);
    (i == chars.len()).then_some(node)
}

/// The elements of a one-dimensional array literal (`'{a,"b c",NULL}'`),
/// `None` if it is malformed, nested or has explicit bounds.
pub fn elements(text: &str) -> Option<Vec<Option<String>>> {
    match parse(text)? {
        Node::Array(items) => items
            .into_iter()
            .map(|n| match n {
                Node::Element(e) => Some(e),
                Node::Array(_) => None,
            })
            .collect(),
        Node::Element(_) => None,
    }
}

fn parse_array(chars: &[char], i: &mut usize) -> Option<Node> {
    let skip = |i: &mut usize| {
        while *i < chars.len() && chars[*i].is_whitespace() {
            *i += 1;
        }
    };
    if chars.get(*i) != Some(&'{') {
        return None;
    }
    *i += 1;
    let mut items = Vec::new();
    skip(i);
    if chars.get(*i) == Some(&'}') {
        *i += 1;
        return Some(Node::Array(items));
    }
    loop {
        skip(i);
        let item = match chars.get(*i)? {
            '{' => parse_array(chars, i)?,
            '"' => {
                *i += 1;
                let mut s = String::new();
                loop {
                    match chars.get(*i)? {
                        '"' => break,
                        '\\' => {
                            *i += 1;
                            s.push(*chars.get(*i)?);
                        }
                        c => s.push(*c),
                    }
                    *i += 1;
                }
                *i += 1;
                Node::Element(Some(s))
            }
            _ => {
                let mut s = String::new();
                let mut escaped = false;
                // Trailing white space is not part of an unquoted element,
                // unless escaped.
                let mut keep = 0;
                while let Some(&c) = chars.get(*i) {
                    match c {
                        ',' | '}' => break,
                        '{' | '"' => return None,
                        '\\' => {
                            *i += 1;
                            s.push(*chars.get(*i)?);
                            escaped = true;
                            keep = s.len();
                        }
                        c => {
                            s.push(c);
                            if !c.is_whitespace() {
                                keep = s.len();
                            }
                        }
                    }
                    *i += 1;
                }
                s.truncate(keep);
                if s.is_empty() {
                    return None;
                }
                if !escaped && s.eq_ignore_ascii_case("null") {
                    Node::Element(None)
                } else {
                    Node::Element(Some(s))
                }
            }
        };
        items.push(item);
        skip(i);
        match chars.get(*i)? {
            ',' => *i += 1,
            '}' => {
                *i += 1;
                return Some(Node::Array(items));
            }
            _ => return None,
        }
    }
}

/// The number of dimensions of `node`.
pub fn depth(node: &Node) -> usize {
    match node {
        Node::Element(_) => 0,
        Node::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
    }
}

/// `tessera_array_in(text)`: the one-dimensional array the text spells,
/// as `text[]` (the engine casts it to the target's element type);
/// `malformed array literal` (22P02) otherwise.
pub fn udf() -> ScalarUDF {
    ScalarUDF::new_from_impl(ArrayIn {
        signature: Signature::exact(vec![DataType::Utf8], Volatility::Immutable),
    })
}

/// The function's name.
pub const NAME: &str = "tessera_array_in";

#[derive(Debug, PartialEq, Eq, Hash)]
struct ArrayIn {
    signature: Signature,
}

impl ScalarUDFImpl for ArrayIn {
    fn name(&self) -> &str {
        NAME
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::List(Arc::new(Field::new_list_field(
            DataType::Utf8,
            true,
        ))))
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = super::all_scalar(&args.args);
        let texts = args.args[0].to_array(args.number_rows)?;
        let Some(texts) = texts.as_string_opt::<i32>() else {
            return exec_err!("{NAME} takes text");
        };
        let mut out = ListBuilder::new(StringBuilder::new());
        for row in 0..texts.len() {
            if texts.is_null(row) {
                out.append_null();
                continue;
            }
            let text = texts.value(row);
            let Some(items) = elements(text) else {
                return Err(data_error(
                    DataErrorKind::InvalidTextRepresentation,
                    format!("malformed array literal: \"{text}\""),
                ));
            };
            for item in items {
                out.values().append_option(item);
            }
            out.append(true);
        }
        super::result(Arc::new(out.finish()), scalar)
    }
}

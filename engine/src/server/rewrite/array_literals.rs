//! Array literals: `'{"a b",c,NULL}'::text[]`, `CAST('{{1,2},{3,4}}' AS
//! int[])`, read as PostgreSQL's `array_in` reads them (quoted elements
//! with backslash escapes, unquoted `NULL`, white space around elements,
//! nested braces for more dimensions).
//!
//! DataFusion cannot cast text to a list, and datafusion-pg-catalog's
//! parser turns `'{…}'::type[]` into an `ARRAY[…]` by splitting the text
//! on commas (`"a b"` keeps its quotes, `NULL` becomes the string `NULL`,
//! a quoted comma splits an element). So:
//!
//! - [`spell_as_cast`], on the statement text before that parser sees it,
//!   respells `'…'::type[]` as `CAST('…' AS type[])`, which it leaves
//!   alone;
//! - [`array_literals`], on the parsed statement, turns a cast of a string
//!   literal to an array type into a cast of `ARRAY[…]` of the elements'
//!   texts, which DataFusion casts element by element.
//!
//! Literals with explicit bounds (`'[0:2]={7,8,9}'`) are left as written:
//! Arrow lists always start at 1.

use std::ops::ControlFlow;

use super::text_edits::{Edit, edit_text, quoted_end};

use datafusion::sql::sqlparser::ast::{
    Array, ArrayElemTypeDef, CastKind, DataType, Expr, Statement, Value, visit_expressions_mut,
};

/// `text` with every `'…'::type[]` written `CAST('…' AS type[])`, or `None`
/// when it has none.
pub(crate) fn spell_as_cast(text: &str) -> Option<String> {
    if !text.contains("::") || !text.contains('[') {
        return None;
    }
    edit_text(text, |b, start| {
        if b[start] != b'\'' {
            return (start + 1, None);
        }
        let end = quoted_end(b, start, b'\'');
        // A plain string: not E'…', U&'…', B'…' or X'…'.
        let prefixed = start > 0 && (b[start - 1].is_ascii_alphanumeric() || b[start - 1] == b'&');
        match array_cast_type(text, end) {
            Some((type_start, type_end)) if !prefixed => {
                let with = format!(
                    "CAST({} AS {})",
                    &text[start..end],
                    &text[type_start..type_end]
                );
                (
                    type_end,
                    Some(Edit {
                        from: start,
                        to: type_end,
                        with,
                    }),
                )
            }
            _ => (end, None),
        }
    })
}

/// After a string literal ending at `from`: `::` and an array type
/// (`int[]`, `character varying(10)[]`, `timestamp with time zone[][]`)?
/// Its byte range.
fn array_cast_type(text: &str, from: usize) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let skip_ws = |mut i: usize| {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    let mut i = skip_ws(from);
    if !text[i..].starts_with("::") {
        return None;
    }
    i = skip_ws(i + 2);
    let start = i;
    let mut words = 0;
    loop {
        let word_start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.') {
            i += 1;
        }
        if i == word_start {
            break;
        }
        let word = text[word_start..i].to_ascii_lowercase();
        // Only PostgreSQL's multi-word type names continue a type.
        let continues = matches!(
            word.as_str(),
            "precision" | "varying" | "with" | "without" | "time" | "zone"
        );
        if words > 0 && !continues {
            i = word_start;
            break;
        }
        words += 1;
        let after = skip_ws(i);
        if b.get(after) == Some(&b'(') {
            i = text[after..].find(')').map(|n| after + n + 1)?;
        }
        let next = skip_ws(i);
        if next < b.len() && b[next].is_ascii_alphabetic() {
            i = next;
        } else {
            break;
        }
    }
    if words == 0 {
        return None;
    }
    let mut end = None;
    let mut j = skip_ws(i);
    while b.get(j) == Some(&b'[') {
        let close = text[j..].find(']').map(|n| j + n)?;
        if !text[j + 1..close]
            .trim()
            .chars()
            .all(|c| c.is_ascii_digit())
        {
            return None;
        }
        end = Some(close + 1);
        j = skip_ws(close + 1);
    }
    end.map(|e| (start, e))
}

pub(crate) use tessera_udfs::pg::array_text::elements;
use tessera_udfs::pg::array_text::{Node, depth, parse};

fn to_expr(node: Node) -> Expr {
    match node {
        Node::Element(Some(s)) => Expr::value(Value::SingleQuotedString(s)),
        Node::Element(None) => Expr::value(Value::Null),
        Node::Array(items) => Expr::Array(Array {
            elem: items.into_iter().map(to_expr).collect(),
            named: true,
        }),
    }
}

/// The element type under every `[]` of `t`.
fn base_type(t: &DataType) -> Option<&DataType> {
    match t {
        DataType::Array(
            ArrayElemTypeDef::SquareBracket(inner, _)
            | ArrayElemTypeDef::AngleBracket(inner)
            | ArrayElemTypeDef::Parenthesis(inner),
        ) => Some(base_type(inner).unwrap_or(inner)),
        _ => None,
    }
}

/// Casts of a string literal to an array type become casts of the
/// elements' texts as `ARRAY[…]`, with as many `[]` as the literal nests
/// (PostgreSQL ignores the declared number of dimensions).
pub(crate) fn array_literals(statement: &mut Statement) {
    let _ = visit_expressions_mut(statement, |e| {
        if let Expr::Cast {
            expr, data_type, ..
        } = e
            && let Expr::Value(v) = expr.as_ref()
            && let Value::SingleQuotedString(text) = &v.value
            && let Some(base) = base_type(data_type)
            && let Some(node) = parse(text)
        {
            let mut target = base.clone();
            for _ in 0..depth(&node).max(1) {
                target = DataType::Array(ArrayElemTypeDef::SquareBracket(Box::new(target), None));
            }
            *e = Expr::Cast {
                kind: CastKind::Cast,
                expr: Box::new(to_expr(node)),
                data_type: target,
                array: false,
                format: None,
            };
        }
        ControlFlow::<()>::Continue(())
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn elements(text: &str) -> Vec<Option<String>> {
        match parse(text).expect(text) {
            Node::Array(items) => items
                .into_iter()
                .map(|n| match n {
                    Node::Element(e) => e,
                    Node::Array(_) => panic!("nested"),
                })
                .collect(),
            Node::Element(_) => panic!("not an array"),
        }
    }

    #[test]
    fn literals_read_as_array_in_reads_them() {
        let s = |v: &str| Some(v.to_string());
        assert_eq!(elements(r#"{"a b",c,NULL}"#), vec![s("a b"), s("c"), None]);
        assert_eq!(
            elements(r#"{"x,y", " z ",  w  }"#),
            vec![s("x,y"), s(" z "), s("w")]
        );
        assert_eq!(
            elements(r#"{"NULL",null,a\,b,"q\"x"}"#),
            vec![s("NULL"), None, s("a,b"), s("q\"x")]
        );
        assert_eq!(elements("{}"), vec![]);
        assert_eq!(elements(" { 1 , 2 } "), vec![s("1"), s("2")]);
        assert_eq!(depth(&parse("{{1,2},{3,4}}").unwrap()), 2);
        for bad in ["{1,2", "1,2", "{a,,b}", "[0:2]={7,8,9}", "{a\"b}", "{1}x"] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn array_casts_are_spelled_as_cast() {
        assert_eq!(
            spell_as_cast("SELECT '{a,b}'::text[] AS t, 'x'::text, '{1}' :: int [ ] [ ]")
                .as_deref(),
            Some("SELECT CAST('{a,b}' AS text[]) AS t, 'x'::text, CAST('{1}' AS int [ ] [ ])")
        );
        assert_eq!(
            spell_as_cast("SELECT 'it''s'::character varying(5)[], E'{a}'::text[]").as_deref(),
            Some("SELECT CAST('it''s' AS character varying(5)[]), E'{a}'::text[]")
        );
        assert_eq!(
            spell_as_cast("SELECT '{x}'::timestamp with time zone[]").as_deref(),
            Some("SELECT CAST('{x}' AS timestamp with time zone[])")
        );
        // Not a cast to an array; strings, identifiers and comments skipped.
        for unchanged in [
            "SELECT 'x'::text IS NULL OR y[1] = 1",
            "SELECT a[1], 'b'::text",
            "SELECT \"'{a}'::text[]\" FROM t -- '{a}'::text[]",
            "SELECT $$'{a}'::text[]$$, $1::int[]",
        ] {
            assert_eq!(spell_as_cast(unchanged), None, "{unchanged}");
        }
    }
}

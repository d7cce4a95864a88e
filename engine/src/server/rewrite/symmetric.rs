//! `x [NOT] BETWEEN SYMMETRIC a AND b`: PostgreSQL's BETWEEN that accepts
//! its bounds in either order. sqlparser reads `SYMMETRIC` as a column
//! name, so the statement text first marks the lower bound
//! (`BETWEEN tessera_symmetric(a) AND b`: in PostgreSQL's grammar the bound
//! before `AND` cannot itself contain a bare `AND`), then the parsed
//! statement gets PostgreSQL's own expansion, `(x BETWEEN a AND b OR x
//! BETWEEN b AND a)`, which also gives its NULL semantics.
//! `BETWEEN ASYMMETRIC` is plain BETWEEN: the keyword is dropped.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    BinaryOperator, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Statement,
    UnaryOperator, visit_expressions_mut,
};

use super::text_edits::{Edit, edit_text, quoted_end};

/// The function name marking a symmetric BETWEEN's first bound.
const MARK: &str = "tessera_symmetric";

fn word_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

fn word_end(b: &[u8], i: usize) -> usize {
    let mut end = i;
    while end < b.len() && word_char(b[end]) {
        end += 1;
    }
    end
}

fn skip_spaces(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// Where the first bound of a BETWEEN ends: the `AND` at the same nesting
/// depth, outside strings and quoted names.
fn bound_end(b: &[u8], mut i: usize) -> Option<usize> {
    let mut depth = 0i32;
    while i < b.len() {
        match b[i] {
            b'\'' | b'"' => {
                i = quoted_end(b, i, b[i]);
                continue;
            }
            b'(' | b'[' => depth += 1,
            b')' | b']' => {
                depth -= 1;
                if depth < 0 {
                    return None;
                }
            }
            c if word_char(c) && (i == 0 || !word_char(b[i - 1])) => {
                let end = word_end(b, i);
                if depth == 0 && b[i..end].eq_ignore_ascii_case(b"and") {
                    return Some(i);
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// `text` with each `BETWEEN SYMMETRIC a AND` spelled `BETWEEN
/// tessera_symmetric(a) AND` (and `BETWEEN ASYMMETRIC` as `BETWEEN`), or
/// `None` when there is none.
pub(crate) fn mark_symmetric(text: &str) -> Option<String> {
    if !text.to_ascii_lowercase().contains("symmetric") {
        return None;
    }
    edit_text(text, |b, i| {
        if b[i] == b'\'' {
            return (quoted_end(b, i, b'\''), None);
        }
        if !word_char(b[i]) || (i > 0 && word_char(b[i - 1])) {
            return (i + 1, None);
        }
        let end = word_end(b, i);
        if !b[i..end].eq_ignore_ascii_case(b"between") {
            return (end, None);
        }
        let kw = skip_spaces(b, end);
        let kw_end = word_end(b, kw);
        let symmetric = b[kw..kw_end].eq_ignore_ascii_case(b"symmetric");
        if kw == end || !(symmetric || b[kw..kw_end].eq_ignore_ascii_case(b"asymmetric")) {
            return (end, None);
        }
        if !symmetric {
            let edit = Edit {
                from: kw,
                to: kw_end,
                with: String::new(),
            };
            return (kw_end, Some(edit));
        }
        let Some(and) = bound_end(b, kw_end) else {
            return (end, None);
        };
        let low = String::from_utf8_lossy(&b[kw_end..and]);
        let edit = Edit {
            from: kw,
            to: and,
            with: format!("{MARK}({}) ", low.trim()),
        };
        (and, Some(edit))
    })
}

/// The marked BETWEENs of `statement` expanded as PostgreSQL does.
pub(crate) fn expand_symmetric(statement: &mut Statement) {
    let _ = visit_expressions_mut(statement, |e| {
        if let Expr::Between {
            expr,
            negated,
            low,
            high,
        } = e
            && let Some(a) = marked(low)
        {
            let between = |low: Expr, high: Expr| Expr::Between {
                expr: expr.clone(),
                negated: false,
                low: Box::new(low),
                high: Box::new(high),
            };
            let either = Expr::Nested(Box::new(Expr::BinaryOp {
                left: Box::new(between(a.clone(), (**high).clone())),
                op: BinaryOperator::Or,
                right: Box::new(between((**high).clone(), a)),
            }));
            *e = if *negated {
                Expr::UnaryOp {
                    op: UnaryOperator::Not,
                    expr: Box::new(either),
                }
            } else {
                either
            };
        }
        ControlFlow::<()>::Continue(())
    });
}

/// The bound inside `tessera_symmetric(…)`.
fn marked(e: &Expr) -> Option<Expr> {
    let Expr::Function(f) = e else { return None };
    if !f.name.to_string().eq_ignore_ascii_case(MARK) {
        return None;
    }
    let FunctionArguments::List(list) = &f.args else {
        return None;
    };
    match list.args.as_slice() {
        [FunctionArg::Unnamed(FunctionArgExpr::Expr(a))] => Some(a.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_the_first_bound() {
        assert_eq!(
            mark_symmetric(
                "SELECT 5 BETWEEN SYMMETRIC 10 AND 1, x between symmetric f(a, b) and 2"
            )
            .as_deref(),
            Some(
                "SELECT 5 BETWEEN tessera_symmetric(10) AND 1, x between tessera_symmetric(f(a, b)) and 2"
            )
        );
        assert_eq!(
            mark_symmetric("SELECT 5 NOT BETWEEN ASYMMETRIC 1 AND 10").as_deref(),
            Some("SELECT 5 NOT BETWEEN  1 AND 10")
        );
        assert_eq!(mark_symmetric("SELECT 'between symmetric' AS s"), None);
        assert_eq!(mark_symmetric("SELECT symmetric FROM t"), None);
    }
}

//! PostgreSQL function and operator spellings that DataFusion reads with
//! another meaning, rewritten into what means the same there:
//!
//! - `substring(s FROM 'pattern')` (a string, not a position) is a regular
//!   expression match: the first parenthesised group, or the whole match
//!   (`regexp_match(s, pattern)[1]`, NULL without a match);
//! - `array_remove` / `array_replace` act on every matching element
//!   (DataFusion's act on the first: its `…_all` functions are
//!   PostgreSQL's; `array_remove(a, NULL)` removes the NULLs, through
//!   `tessera_udfs::pg::array_remove`);
//! - `regexp_replace`'s replacement is PostgreSQL's syntax (`\&`, `\1`,
//!   a literal `$`): `tessera_udfs::pg::regexp::replacement` turns it into
//!   DataFusion's;
//! - `array_agg(DISTINCT x)`, `string_agg(DISTINCT x, …)`: PostgreSQL sorts
//!   the distinct values (it deduplicates by sorting), DataFusion keeps
//!   hash order: an `ORDER BY x` makes the order PostgreSQL's;
//! - array slices without a bound (`a[2:]`, `a[:2]`) run to the array's
//!   end or from its start;
//! - `-interval '1 day 2 hours'`: DataFusion folds the sign into the
//!   literal's first field only (`1 day 02:00:00`), so the interval is
//!   negated as a whole;
//! - the prefix operators `|/` (square root), `||/` (cube root) and `@`
//!   (absolute value) are calls of `sqrt`, `cbrt` and `abs`, and `~x`
//!   (bitwise not) is `x # -1`;
//! - `age(x)` is `age(current_date, x)`; `x LIKE ANY (ARRAY[p, q])` (and
//!   `ILIKE`, `NOT LIKE`) is an OR over the patterns;
//! - row comparisons `(a, b) < (c, d)` (keyset pagination) and row lists
//!   `(a, b) IN ((1, 2), (3, 4))` compare member by member, as
//!   PostgreSQL's row-wise comparison does: `=` is every pair equal,
//!   `<>` any unequal, `<`, `<=`, `>`, `>=` decided by the first unequal
//!   pair (`a < c OR (a = c AND b < d)`), NULL where a NULL pair decides.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    AccessExpr, BinaryOperator, DuplicateTreatment, Expr, FunctionArg, FunctionArgExpr,
    FunctionArgumentClause, FunctionArguments, Ident, ObjectName, OrderByExpr, OrderByOptions,
    Statement, Subscript, UnaryOperator, Value, visit_expressions_mut,
};

use super::call;

/// Applies the module's rewrites to every expression of `statement`.
pub(crate) fn postgres_functions(statement: &mut Statement) {
    let _ = visit_expressions_mut(statement, |e| {
        // `x [I]LIKE ANY (ARRAY[…])`.
        let insensitive = matches!(e, Expr::ILike { .. });
        if let Expr::Like {
            negated,
            any: true,
            expr,
            pattern,
            escape_char,
        }
        | Expr::ILike {
            negated,
            any: true,
            expr,
            pattern,
            escape_char,
        } = e
        {
            if let Some(any) = like_any(*negated, expr, pattern, escape_char, insensitive) {
                *e = any;
            }
            return ControlFlow::<()>::Continue(());
        }
        match e {
            Expr::Substring {
                expr,
                substring_from: Some(from),
                substring_for: None,
                ..
            } if is_string(from) => {
                let matched = call(
                    "regexp_match",
                    vec![expr.as_ref().clone(), from.as_ref().clone()],
                    vec![],
                );
                *e = call("array_element", vec![matched, number(1)], vec![]);
            }
            // `substring(s FROM pattern FOR escape)`: the part of `s`
            // matching the SQL regular expression between the escape's
            // `"` separators (the whole match without them).
            Expr::Substring {
                expr,
                substring_from: Some(from),
                substring_for: Some(escape),
                ..
            } if is_string(from) && is_string(escape) => {
                let (Expr::Value(p), Expr::Value(esc)) = (from.as_ref(), escape.as_ref()) else {
                    return ControlFlow::<()>::Continue(());
                };
                let (Value::SingleQuotedString(p), Value::SingleQuotedString(esc)) =
                    (&p.value, &esc.value)
                else {
                    return ControlFlow::<()>::Continue(());
                };
                let regex = super::compat::similar_to_regex(p, esc.chars().next());
                let matched = call(
                    "regexp_match",
                    vec![
                        expr.as_ref().clone(),
                        Expr::value(Value::SingleQuotedString(regex)),
                    ],
                    vec![],
                );
                *e = call("array_element", vec![matched, number(1)], vec![]);
            }
            // `(s1, e1) OVERLAPS (s2, e2)` (`tessera_udfs::pg::overlaps`).
            Expr::BinaryOp {
                left,
                op: datafusion::sql::sqlparser::ast::BinaryOperator::Overlaps,
                right,
            } => {
                if let (Expr::Tuple(a), Expr::Tuple(b)) = (left.as_ref(), right.as_ref())
                    && a.len() == 2
                    && b.len() == 2
                {
                    let args = a.iter().chain(b.iter()).cloned().collect();
                    *e = call("pg_overlaps", args, vec![]);
                }
            }
            Expr::UnaryOp {
                op: UnaryOperator::Minus,
                expr,
            } if matches!(expr.as_ref(), Expr::Interval(_)) => {
                **expr = Expr::Nested(expr.clone());
            }
            Expr::UnaryOp {
                op:
                    op
                    @ (UnaryOperator::PGSquareRoot | UnaryOperator::PGCubeRoot | UnaryOperator::PGAbs),
                expr,
            } => {
                let arg = expr.as_ref().clone();
                // `|/` is defined for double precision only (`sqrt` also
                // has a numeric version).
                let (name, arg) = match op {
                    UnaryOperator::PGSquareRoot => (
                        "sqrt",
                        Expr::Cast {
                            kind: datafusion::sql::sqlparser::ast::CastKind::DoubleColon,
                            expr: Box::new(arg),
                            data_type: datafusion::sql::sqlparser::ast::DataType::DoublePrecision,
                            array: false,
                            format: None,
                        },
                    ),
                    UnaryOperator::PGCubeRoot => ("cbrt", arg),
                    _ => ("abs", arg),
                };
                *e = call(name, vec![arg], vec![]);
            }
            // `~x`: every bit flipped, `x # -1` (DataFusion has `#` only).
            Expr::UnaryOp {
                op: UnaryOperator::BitwiseNot,
                expr,
            } => {
                let minus_one = Expr::UnaryOp {
                    op: UnaryOperator::Minus,
                    expr: Box::new(number(1)),
                };
                *e = Expr::Nested(Box::new(binary(
                    Expr::Nested(expr.clone()),
                    BinaryOperator::PGBitwiseXor,
                    minus_one,
                )));
            }
            // `x [I]LIKE ANY (ARRAY[p1, p2])`: does `x` match one of the
            // patterns (an OR of the matches; with NOT, of the non-matches).
            Expr::BinaryOp { left, op, right } => {
                if let (Expr::Tuple(a), Expr::Tuple(b)) = (unnested(left), unnested(right))
                    && a.len() == b.len()
                    && !a.is_empty()
                    && let Some(expanded) = row_comparison(a, op, b)
                {
                    *e = Expr::Nested(Box::new(expanded));
                }
            }
            Expr::InList {
                expr,
                list,
                negated,
            } => {
                if let Expr::Tuple(a) = unnested(expr)
                    && !list.is_empty()
                {
                    let rows: Option<Vec<Expr>> = list
                        .iter()
                        .map(|r| match unnested(r) {
                            Expr::Tuple(b) if b.len() == a.len() => {
                                row_comparison(a, &BinaryOperator::Eq, b)
                            }
                            _ => None,
                        })
                        .collect();
                    if let Some(rows) = rows {
                        let any = rows
                            .into_iter()
                            .map(|r| Expr::Nested(Box::new(r)))
                            .reduce(|x, y| binary(x, BinaryOperator::Or, y))
                            .expect("a non-empty list");
                        *e = Expr::Nested(Box::new(if *negated {
                            Expr::UnaryOp {
                                op: UnaryOperator::Not,
                                expr: Box::new(Expr::Nested(Box::new(any))),
                            }
                        } else {
                            any
                        }));
                    }
                }
            }
            Expr::CompoundFieldAccess { root, access_chain } => {
                // An index computed by an unsigned function (`a[array_length(a,
                // 1)]`, DataFusion's `array_length` is unsigned) does not
                // coerce to `array_element`'s bigint: made one.
                for access in access_chain.iter_mut() {
                    if let AccessExpr::Subscript(Subscript::Index { index }) = access
                        && matches!(index, Expr::Function(_))
                    {
                        *index = Expr::Cast {
                            kind: datafusion::sql::sqlparser::ast::CastKind::Cast,
                            expr: Box::new(index.clone()),
                            data_type: datafusion::sql::sqlparser::ast::DataType::BigInt(None),
                            array: false,
                            format: None,
                        };
                    }
                }
                if let Some(AccessExpr::Subscript(Subscript::Slice {
                    lower_bound,
                    upper_bound,
                    stride: None,
                })) = access_chain.first_mut()
                {
                    if lower_bound.is_none() {
                        *lower_bound = Some(number(1));
                    }
                    if upper_bound.is_none() {
                        let cardinality = call("cardinality", vec![root.as_ref().clone()], vec![]);
                        *upper_bound = Some(Expr::Cast {
                            kind: datafusion::sql::sqlparser::ast::CastKind::Cast,
                            expr: Box::new(cardinality),
                            data_type: datafusion::sql::sqlparser::ast::DataType::BigInt(None),
                            array: false,
                            format: None,
                        });
                    }
                }
            }
            Expr::Function(f) => {
                let Some(name) = single_name(&f.name) else {
                    return ControlFlow::<()>::Continue(());
                };
                let FunctionArguments::List(list) = &mut f.args else {
                    return ControlFlow::<()>::Continue(());
                };
                match name.as_str() {
                    // `age(x)` is the age at today's midnight (PostgreSQL's
                    // `age(current_date::timestamp, x)`): `age(birth_date)`.
                    "age" if list.args.len() == 1 => {
                        let today = FunctionArg::Unnamed(FunctionArgExpr::Expr(call(
                            "current_date",
                            vec![],
                            vec![],
                        )));
                        list.args.insert(0, today);
                    }
                    // A statement is its own transaction: both are `now()`.
                    "statement_timestamp" | "transaction_timestamp" if list.args.is_empty() => {
                        f.name = ObjectName::from(vec![Ident::new("now")]);
                    }
                    "array_remove" => {
                        f.name = ObjectName::from(vec![Ident::new(
                            tessera_udfs::pg::array_remove::NAME,
                        )]);
                    }
                    "array_replace" => {
                        f.name = ObjectName::from(vec![Ident::new("array_replace_all")]);
                    }
                    "regexp_replace" => {
                        use tessera_udfs::pg::regexp::REPLACEMENT;
                        if let Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(r))) =
                            list.args.get_mut(2)
                            && !matches!(r, Expr::Function(g) if single_name(&g.name).as_deref() == Some(REPLACEMENT))
                        {
                            *r = call(REPLACEMENT, vec![r.clone()], vec![]);
                        }
                    }
                    "array_agg" | "string_agg" | "json_agg" | "jsonb_agg"
                        if list.duplicate_treatment == Some(DuplicateTreatment::Distinct)
                            && !list
                                .clauses
                                .iter()
                                .any(|c| matches!(c, FunctionArgumentClause::OrderBy(_)))
                            && f.within_group.is_empty() =>
                    {
                        if let Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(x))) =
                            list.args.first()
                        {
                            let order = OrderByExpr {
                                expr: x.clone(),
                                options: OrderByOptions {
                                    asc: None,
                                    nulls_first: None,
                                },
                                with_fill: None,
                            };
                            list.clauses
                                .push(FunctionArgumentClause::OrderBy(vec![order]));
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
        ControlFlow::<()>::Continue(())
    });
}

/// `x [NOT] [I]LIKE ANY (ARRAY[p, …])` as an OR of one match per pattern;
/// `None` when the patterns are not an array constructor.
fn like_any(
    negated: bool,
    expr: &Expr,
    pattern: &Expr,
    escape_char: &Option<datafusion::sql::sqlparser::ast::ValueWithSpan>,
    insensitive: bool,
) -> Option<Expr> {
    let Expr::Array(array) = unnested(pattern) else {
        return None;
    };
    let one = |p: &Expr| {
        let (expr, pattern, escape_char) = (
            Box::new(expr.clone()),
            Box::new(p.clone()),
            escape_char.clone(),
        );
        if insensitive {
            Expr::ILike {
                negated,
                any: false,
                expr,
                pattern,
                escape_char,
            }
        } else {
            Expr::Like {
                negated,
                any: false,
                expr,
                pattern,
                escape_char,
            }
        }
    };
    let any = array
        .elem
        .iter()
        .map(one)
        .reduce(|a, b| binary(a, BinaryOperator::Or, b))?;
    Some(Expr::Nested(Box::new(any)))
}

/// `e` without enclosing parentheses.
fn unnested(e: &Expr) -> &Expr {
    match e {
        Expr::Nested(inner) => unnested(inner),
        e => e,
    }
}

fn binary(left: Expr, op: BinaryOperator, right: Expr) -> Expr {
    Expr::BinaryOp {
        left: Box::new(left),
        op,
        right: Box::new(right),
    }
}

/// `(a₁, a₂, …) op (b₁, b₂, …)` member by member (PostgreSQL's
/// `make_row_comparison_op`); `None` for an operator that is not a
/// comparison.
fn row_comparison(a: &[Expr], op: &BinaryOperator, b: &[Expr]) -> Option<Expr> {
    use BinaryOperator as B;
    let pair = |i: usize, op: B| binary(a[i].clone(), op, b[i].clone());
    match op {
        B::Eq | B::NotEq => {
            let join = if *op == B::Eq { B::And } else { B::Or };
            (0..a.len())
                .map(|i| pair(i, op.clone()))
                .reduce(|x, y| binary(x, join.clone(), y))
        }
        B::Lt | B::LtEq | B::Gt | B::GtEq => {
            // The last pair decides with `op` itself, the others strictly:
            // a₁ < b₁ OR (a₁ = b₁ AND (a₂ < b₂ OR (a₂ = b₂ AND a₃ <= b₃))).
            let strict = match op {
                B::Lt | B::LtEq => B::Lt,
                _ => B::Gt,
            };
            let last = a.len() - 1;
            let mut out = pair(last, op.clone());
            for i in (0..last).rev() {
                let tie = binary(pair(i, B::Eq), B::And, Expr::Nested(Box::new(out)));
                out = binary(pair(i, strict.clone()), B::Or, tie);
            }
            Some(out)
        }
        _ => None,
    }
}

fn single_name(name: &ObjectName) -> Option<String> {
    match name.0.as_slice() {
        [part] => part.as_ident().map(|i| i.value.to_ascii_lowercase()),
        _ => None,
    }
}

fn is_string(e: &Expr) -> bool {
    matches!(e, Expr::Value(v) if matches!(v.value, Value::SingleQuotedString(_)))
}

fn number(n: i64) -> Expr {
    Expr::value(Value::Number(n.to_string(), false))
}

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
//!   negated as a whole.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    AccessExpr, DuplicateTreatment, Expr, FunctionArg, FunctionArgExpr, FunctionArgumentClause,
    FunctionArguments, Ident, ObjectName, OrderByExpr, OrderByOptions, Statement, Subscript,
    UnaryOperator, Value, visit_expressions_mut,
};

use super::call;

/// Applies the module's rewrites to every expression of `statement`.
pub(crate) fn postgres_functions(statement: &mut Statement) {
    let _ = visit_expressions_mut(statement, |e| {
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
            Expr::CompoundFieldAccess { root, access_chain } => {
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

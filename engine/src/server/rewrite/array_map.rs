//! `ARRAY(SELECT f(x) FROM unnest(arr) x [WHERE p(x)])`, PostgreSQL's way
//! of mapping and filtering an array (psql's `\d+` writes
//! `array(select 'toast.' || x from pg_catalog.unnest(tc.reloptions) x)`;
//! analysts `array(select upper(t) from unnest(tags) t)`), as
//! `coalesce(array_transform(array_filter(arr, x -> p(x)), x -> f(x)),
//! make_array())`.
//!
//! The subquery is correlated through `arr`, a column of the outer row,
//! which DataFusion cannot decorrelate; DataFusion's higher-order array
//! functions compute the same per row (`coalesce(…, make_array())`: a NULL
//! `arr` gives `{}`, as `unnest(NULL)` has no rows).

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, FunctionArguments, GroupByExpr, Ident, LambdaFunction,
    LambdaFunctionParameter, LambdaSyntax, OneOrManyWithParens, Query, SelectItem, SetExpr,
    Statement, TableFactor, visit_expressions_mut,
};

use super::call;

/// The element variable a lambda binds: a name no query uses.
const ELEMENT: &str = "__tessera_element";

/// Rewrites every `ARRAY(…)` subquery of `statement` that maps or filters
/// an `unnest` (from `postgres_spellings`, and first in the server's
/// `array_subqueries`).
pub(crate) fn array_maps(statement: &mut Statement) {
    let _ = visit_expressions_mut(statement, |e| {
        if let Some(mapped) = array_subquery(e).and_then(as_array_functions) {
            *e = mapped;
        }
        ControlFlow::<()>::Continue(())
    });
}

/// The subquery of `ARRAY(subquery)`.
pub(super) fn array_subquery(e: &Expr) -> Option<&Query> {
    let Expr::Function(f) = e else {
        return None;
    };
    let named_array = f.name.0.len() == 1
        && f.name.0[0]
            .as_ident()
            .is_some_and(|i| i.value.eq_ignore_ascii_case("array"));
    match &f.args {
        FunctionArguments::Subquery(q) if named_array => Some(q),
        _ => None,
    }
}

/// The array function call equal to the `ARRAY(…)` subquery `q`, if it
/// maps or filters the elements of one `unnest` (see the module
/// documentation).
pub(super) fn as_array_functions(q: &Query) -> Option<Expr> {
    let SetExpr::Select(select) = q.body.as_ref() else {
        return None;
    };
    if q.order_by.is_some()
        || q.limit_clause.is_some()
        || q.with.is_some()
        || select.distinct.is_some()
        || select.having.is_some()
        || !matches!(&select.group_by, GroupByExpr::Expressions(g, _) if g.is_empty())
        || select.projection.len() != 1
        || select.from.len() != 1
        || !select.from[0].joins.is_empty()
    {
        return None;
    }
    let (array, alias) = match &select.from[0].relation {
        TableFactor::Table {
            name,
            args: Some(args),
            alias: Some(alias),
            with_ordinality: false,
            ..
        } if name
            .0
            .last()
            .and_then(|p| p.as_ident())
            .is_some_and(|i| i.value.eq_ignore_ascii_case("unnest"))
            && args.args.len() == 1 =>
        {
            let FunctionArg::Unnamed(FunctionArgExpr::Expr(a)) = &args.args[0] else {
                return None;
            };
            (a.clone(), alias)
        }
        TableFactor::UNNEST {
            alias: Some(alias),
            array_exprs,
            with_offset: false,
            with_ordinality: false,
            ..
        } if array_exprs.len() == 1 => (array_exprs[0].clone(), alias),
        _ => return None,
    };
    let table = alias.name.clone();
    let column = match alias.columns.as_slice() {
        [] => alias.name.clone(),
        [c] => c.name.clone(),
        _ => return None,
    };
    let body = match &select.projection[0] {
        SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => e.clone(),
        _ => return None,
    };
    let mut result = array;
    if let Some(condition) = &select.selection {
        result = call(
            "array_filter",
            vec![
                result,
                lambda(element_refs(condition.clone(), &table, &column)?),
            ],
            vec![],
        );
    }
    let body = element_refs(body, &table, &column)?;
    if !matches!(&body, Expr::Identifier(i) if i.value == ELEMENT) {
        result = call("array_transform", vec![result, lambda(body)], vec![]);
    }
    // unnest(NULL) has no rows: the array is empty.
    Some(call(
        "coalesce",
        vec![result, call("make_array", vec![], vec![])],
        vec![],
    ))
}

fn lambda(body: Expr) -> Expr {
    Expr::Lambda(LambdaFunction {
        params: OneOrManyWithParens::One(LambdaFunctionParameter {
            name: Ident::new(ELEMENT),
            data_type: None,
        }),
        body: Box::new(body),
        syntax: LambdaSyntax::Arrow,
    })
}

/// `e` with the element (`column`, `table.column`) named [`ELEMENT`];
/// `None` if `e` holds a subquery (its names would need resolving).
fn element_refs(mut e: Expr, table: &Ident, column: &Ident) -> Option<Expr> {
    let same = |a: &Ident, b: &Ident| {
        if a.quote_style.is_some() || b.quote_style.is_some() {
            a.value == b.value
        } else {
            a.value.eq_ignore_ascii_case(&b.value)
        }
    };
    let element = Expr::Identifier(Ident::new(ELEMENT));
    let flow = visit_expressions_mut(&mut e, |x| {
        match x {
            Expr::Subquery(_) | Expr::Exists { .. } | Expr::InSubquery { .. } => {
                return ControlFlow::Break(());
            }
            Expr::Identifier(i) if same(i, column) => *x = element.clone(),
            Expr::CompoundIdentifier(parts)
                if parts.len() == 2 && same(&parts[0], table) && same(&parts[1], column) =>
            {
                *x = element.clone()
            }
            _ => {}
        }
        ControlFlow::Continue(())
    });
    flow.is_continue().then_some(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(sql: &str) -> Option<String> {
        let datafusion::sql::sqlparser::ast::Statement::Query(q) = super::super::parse_one(sql)
        else {
            panic!("a query")
        };
        let SetExpr::Select(s) = q.body.as_ref() else {
            panic!("a select")
        };
        let SelectItem::UnnamedExpr(Expr::Function(f)) = &s.projection[0] else {
            panic!("a call")
        };
        let datafusion::sql::sqlparser::ast::FunctionArguments::Subquery(sub) = &f.args else {
            panic!("a subquery")
        };
        as_array_functions(sub).map(|e| e.to_string())
    }

    #[test]
    fn maps_and_filters() {
        assert_eq!(
            rewritten("SELECT array(select 'toast.' || x from pg_catalog.unnest(tc.reloptions) x)")
                .as_deref(),
            Some(
                "coalesce(array_transform(tc.reloptions, __tessera_element -> 'toast.' || \
                 __tessera_element), make_array())"
            )
        );
        assert_eq!(
            rewritten(
                "SELECT ARRAY(SELECT upper(t.tag) FROM unnest(tags) AS t(tag) WHERE t.tag <> '')"
            )
            .as_deref(),
            Some(
                "coalesce(array_transform(array_filter(tags, __tessera_element -> \
                 __tessera_element <> ''), __tessera_element -> upper(__tessera_element)), \
                 make_array())"
            )
        );
        assert_eq!(
            rewritten("SELECT array(select upper(t) from unnest(tags) t)").as_deref(),
            Some(
                "coalesce(array_transform(tags, __tessera_element -> upper(__tessera_element)), \
                 make_array())"
            )
        );
        assert_eq!(
            rewritten("SELECT ARRAY(SELECT x FROM unnest(a) x ORDER BY x)"),
            None
        );
    }
}

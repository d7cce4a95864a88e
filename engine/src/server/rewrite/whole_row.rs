//! Whole-row references in the JSON functions: `row_to_json(t)`,
//! `to_json(t)`, `json_agg(t.*)`, `jsonb_build_object('order', o)`, where
//! `t` names a relation of a `FROM` clause. DataFusion reads `t` as a
//! column and fails; here it becomes the marker `tessera_whole_row('t')`,
//! which `pg_plan::whole_row` expands into the record of `t`'s columns once
//! the plan knows them. `ROW(a, b)` there becomes the record PostgreSQL
//! makes of it, with fields `f1`, `f2`, ….
//!
//! Only arguments of the JSON functions are read so: elsewhere a bare name
//! stays a column (PostgreSQL prefers the column too when both exist).

use std::collections::HashSet;
use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Ident, ObjectName, Statement,
    TableFactor, Value, Visit, Visitor, visit_expressions_mut,
};

use super::call;

/// Functions whose arguments may be whole rows.
const JSON_FUNCTIONS: &[&str] = &[
    "row_to_json",
    "to_json",
    "to_jsonb",
    "json_agg",
    "jsonb_agg",
    "json_build_object",
    "jsonb_build_object",
    "json_build_array",
    "jsonb_build_array",
];

/// An identifier as the planner names it: unquoted ones in lower case.
fn normal(id: &Ident) -> String {
    match id.quote_style {
        Some(_) => id.value.clone(),
        None => id.value.to_lowercase(),
    }
}

/// The names relations are known by in the statement's `FROM` clauses.
#[derive(Default)]
struct Relations(HashSet<String>);

impl Visitor for Relations {
    type Break = ();

    fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<()> {
        match factor {
            TableFactor::Table { name, alias, .. } => {
                let id = match alias {
                    Some(a) => Some(&a.name),
                    None => name.0.last().and_then(|p| p.as_ident()),
                };
                self.0.extend(id.map(normal));
            }
            TableFactor::Derived { alias: Some(a), .. } => {
                self.0.insert(normal(&a.name));
            }
            _ => {}
        }
        ControlFlow::Continue(())
    }
}

fn last_name(name: &ObjectName) -> Option<String> {
    name.0.last().and_then(|p| p.as_ident()).map(normal)
}

fn marker(relation: String) -> Expr {
    call(
        crate::pg_plan::whole_row::MARKER,
        vec![Expr::value(Value::SingleQuotedString(relation))],
        vec![],
    )
}

/// `ROW(a, b)` as the record `tessera_record('f1', a, 'f2', b)`.
fn row_record(e: &Expr) -> Option<Expr> {
    let Expr::Function(f) = e else {
        return None;
    };
    if last_name(&f.name).is_none_or(|n| n != "row") {
        return None;
    }
    let FunctionArguments::List(list) = &f.args else {
        return None;
    };
    let mut args = Vec::new();
    for (i, a) in list.args.iter().enumerate() {
        let FunctionArg::Unnamed(FunctionArgExpr::Expr(v)) = a else {
            return None;
        };
        args.push(Expr::value(Value::SingleQuotedString(format!(
            "f{}",
            i + 1
        ))));
        args.push(v.clone());
    }
    Some(call(tessera_udfs::pg::record::NAME, args, vec![]))
}

/// Applies the rewrite to `statement`.
pub(crate) fn whole_rows(statement: &mut Statement) {
    let mut relations = Relations::default();
    let _ = statement.visit(&mut relations);
    let relations = relations.0;
    let _ = visit_expressions_mut(statement, |e| {
        if let Expr::Function(f) = e
            && last_name(&f.name).is_some_and(|n| JSON_FUNCTIONS.contains(&n.as_str()))
            && let FunctionArguments::List(list) = &mut f.args
        {
            for arg in &mut list.args {
                let FunctionArg::Unnamed(a) = arg else {
                    continue;
                };
                let replacement = match a {
                    FunctionArgExpr::Expr(Expr::Identifier(id))
                        if relations.contains(&normal(id)) =>
                    {
                        marker(normal(id))
                    }
                    FunctionArgExpr::QualifiedWildcard(name) => match last_name(name) {
                        Some(n) if relations.contains(&n) => marker(n),
                        _ => continue,
                    },
                    FunctionArgExpr::Expr(v) => match row_record(v) {
                        Some(r) => r,
                        None => continue,
                    },
                    _ => continue,
                };
                *a = FunctionArgExpr::Expr(replacement);
            }
        }
        ControlFlow::<()>::Continue(())
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::rewrite::parse_one;

    fn rewritten(sql: &str) -> String {
        let mut s = parse_one(sql);
        whole_rows(&mut s);
        s.to_string()
    }

    #[test]
    fn relation_names_in_json_functions_become_whole_rows() {
        assert_eq!(
            rewritten("SELECT row_to_json(o), json_agg(O.*) FROM (SELECT 1 AS id) o"),
            "SELECT row_to_json(tessera_whole_row('o')), json_agg(tessera_whole_row('o')) \
             FROM (SELECT 1 AS id) o"
        );
        assert_eq!(
            rewritten("SELECT to_json(c) FROM public.customers"),
            "SELECT to_json(c) FROM public.customers"
        );
        assert_eq!(
            rewritten("SELECT to_jsonb(customers), lower(customers) FROM public.customers"),
            "SELECT to_jsonb(tessera_whole_row('customers')), lower(customers) \
             FROM public.customers"
        );
        assert_eq!(
            rewritten("SELECT row_to_json(ROW(1, 'a'))"),
            "SELECT row_to_json(tessera_record('f1', 1, 'f2', 'a'))"
        );
    }
}

//! SQL rewrites for catalog queries clients send that DataFusion cannot plan
//! as written (applied after datafusion-pg-catalog's own rewrites).
//!
//! - [`subqueries`]: scalar, `ARRAY(…)` and nested `IN` subqueries;
//! - [`array_map`]: `ARRAY(SELECT f(x) FROM unnest(arr) x)` as array functions;
//! - [`compat`]: `LIKE … ESCAPE`, `::regclass`, functions in FROM, `user`;
//! - [`names`]: PostgreSQL's output names, unique for DataFusion;
//! - [`cast_names`]: calls differing only by casts, distinct for DataFusion;
//! - [`srf`]: set-returning functions as `unnest`;
//! - [`array_literals`]: `'{…}'::type[]` read as PostgreSQL reads it;
//! - [`datetime`]: `make_interval(days => …)`, `::timestamp(p)`;
//! - [`functions`]: function spellings DataFusion reads otherwise;
//! - [`exists`]: `EXISTS` outside WHERE conjuncts as a count;
//! - [`operators`]: `->>-1` split as PostgreSQL's lexer splits it;
//! - [`lateral`]: correlated top-n `LATERAL` subqueries as joins;
//! - [`lateral_values`]: `LATERAL (SELECT expr AS x)` inlined;
//! - [`grouping`]: output positions inside `ROLLUP`/`CUBE`/`GROUPING SETS`;
//! - [`delete_using`]: `DELETE` with a table alias or `USING`;
//! - [`update_from`]: `UPDATE … FROM` as a `MERGE`.

mod array_literals;
mod array_map;
mod cast_names;
mod compat;
mod datetime;
mod delete_using;
mod exists;
mod functions;
mod grouping;
mod lateral;
mod lateral_values;
mod names;
mod numbers;
mod operators;
mod srf;
mod subqueries;
mod symmetric;
mod text_edits;
mod trim_from;
mod type_calls;
mod update_from;
mod using_star;
mod whole_row;

use datafusion::sql::sqlparser::ast::{
    BinaryOperator, Expr, Function, FunctionArg, FunctionArgExpr, FunctionArgumentClause,
    FunctionArgumentList, FunctionArguments, Ident, ObjectName,
};

pub(crate) use array_literals::elements as array_elements;
pub(crate) use array_literals::spell_as_cast as spell_array_casts;
pub(crate) use compat::{
    extract_numeric, fetch_first, functions_in_from, like_escapes, recursive_int4_literals,
    regclass_search_path, runtime_regclass, similar_to,
};
pub(crate) use datetime::sql_standard_intervals;
use datetime::{make_interval_defaults, temporal_literals, time_precision_casts};
pub(crate) use names::output_names;
use numbers::exponent_literals;
/// Token-level respellings sqlparser needs before it can parse
/// PostgreSQL's text: `->>-1` ([`operators`]), `trim(both FROM s)`
/// ([`trim_from`]) and `BETWEEN SYMMETRIC` ([`symmetric`], expanded by
/// [`postgres_spellings`]). Used by both protocols and the CLI.
pub(crate) fn respell_tokens(text: &str) -> Option<String> {
    let split = operators::split_trailing_signs(text);
    let t = split.as_deref().unwrap_or(text);
    let trimmed = trim_from::trim_from(t).or(split);
    let t = trimmed.as_deref().unwrap_or(text);
    symmetric::mark_symmetric(t).or(trimmed)
}
pub(crate) use subqueries::{
    aggregate_scalar_subqueries, array_subqueries, nested_in_subqueries,
    shield_projection_subqueries,
};
pub(crate) use update_from::MARKER as UPDATE_FROM_MARKER;

/// PostgreSQL spellings whose meaning DataFusion would get wrong or reject
/// (`EXTRACT`, `AT TIME ZONE`, `::json[b]`, interval and timestamp
/// literals, exponent literals, `FETCH FIRST`, `SIMILAR TO`, set-returning
/// functions), for every statement the engine runs, from
/// the server or the CLI. Each rewrite is idempotent.
pub(crate) fn postgres_spellings(statement: &mut datafusion::sql::sqlparser::ast::Statement) {
    delete_using::delete_spellings(statement);
    update_from::update_from_as_merge(statement);
    array_map::array_maps(statement);
    symmetric::expand_symmetric(statement);
    type_calls::type_calls(statement);
    whole_row::whole_rows(statement);
    using_star::using_columns_first(statement);
    lateral_values::lateral_values(statement);
    lateral::top_n_laterals(statement);
    grouping::grouping_set_positions(statement);
    exists::exists_as_counts(statement);
    array_literals::array_literals(statement);
    extract_numeric(statement);
    temporal_literals(statement);
    time_precision_casts(statement);
    exponent_literals(statement);
    fetch_first(statement);
    recursive_int4_literals(statement);
    similar_to(statement);
    make_interval_defaults(statement);
    functions::postgres_functions(statement);
    srf::set_returning_functions(statement);
    cast_names::distinct_cast_calls(statement);
    functions_in_from(statement);
}

/// The call `name(args…)` (with `clauses` such as ORDER BY) as AST.
pub(crate) fn call(name: &str, args: Vec<Expr>, clauses: Vec<FunctionArgumentClause>) -> Expr {
    Expr::Function(Function {
        name: ObjectName::from(vec![Ident::new(name)]),
        uses_odbc_syntax: false,
        parameters: FunctionArguments::None,
        args: FunctionArguments::List(FunctionArgumentList {
            duplicate_treatment: None,
            args: args
                .into_iter()
                .map(|a| FunctionArg::Unnamed(FunctionArgExpr::Expr(a)))
                .collect(),
            clauses,
        }),
        filter: None,
        null_treatment: None,
        over: None,
        within_group: vec![],
    })
}

/// The conjuncts of `e` (`a AND (b AND c)` gives `a`, `b`, `c`), without
/// their parentheses.
pub(crate) fn conjuncts(e: &Expr) -> Vec<&Expr> {
    fn split<'a>(e: &'a Expr, out: &mut Vec<&'a Expr>) {
        match e {
            Expr::BinaryOp {
                left,
                op: BinaryOperator::And,
                right,
            } => {
                split(left, out);
                split(right, out);
            }
            Expr::Nested(inner) => split(inner, out),
            _ => out.push(e),
        }
    }
    let mut out = Vec::new();
    split(e, &mut out);
    out
}

/// `a AND b`.
pub(crate) fn and(a: Expr, b: Expr) -> Expr {
    Expr::BinaryOp {
        left: Box::new(a),
        op: BinaryOperator::And,
        right: Box::new(b),
    }
}

/// One statement parsed with the PostgreSQL dialect, for the rewrites'
/// tests.
#[cfg(test)]
pub(crate) fn parse_one(sql: &str) -> datafusion::sql::sqlparser::ast::Statement {
    use datafusion::sql::sqlparser::dialect::PostgreSqlDialect;
    use datafusion::sql::sqlparser::parser::Parser;
    Parser::parse_sql(&PostgreSqlDialect {}, sql)
        .expect("parses")
        .pop()
        .expect("one statement")
}

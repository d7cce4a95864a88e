//! PostgreSQL spellings DataFusion lacks: `LIKE … ESCAPE`, `::regclass` of
//! computed names and of `pg_catalog` relations, functions in FROM and the
//! bare `user` keyword.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    BinaryOperator, Expr, FunctionArguments, SetExpr, Statement, Value, VisitMut, VisitorMut,
    visit_expressions_mut,
};

use super::call;

/// DataFusion supports only the default `\` escape in `LIKE`; SQLAlchemy
/// writes `nspname NOT LIKE $1::VARCHAR || '%' ESCAPE '/'`. The pattern
/// becomes `like_escape(pattern, '/')`, which rewrites it to backslash
/// escapes at run time (see `functions::like_escape`), and the ESCAPE
/// clause goes.
pub(crate) fn like_escapes(statement: &mut Statement) {
    let _ = visit_expressions_mut(statement, |e| {
        if let Expr::Like {
            pattern,
            escape_char,
            ..
        }
        | Expr::ILike {
            pattern,
            escape_char,
            ..
        } = e
            && let Some(esc) = escape_char
            && let Value::SingleQuotedString(c) = &esc.value
            && c.chars().count() == 1
            && c != "\\"
        {
            let f = call(
                "like_escape",
                vec![
                    pattern.as_ref().clone(),
                    Expr::value(Value::SingleQuotedString(c.clone())),
                ],
                vec![],
            );
            **pattern = f;
            *escape_char = None;
        }
        ControlFlow::<()>::Continue(())
    });
}

/// The condition datafusion-pg-catalog's `'name'::regclass` rewrite puts on
/// unqualified names: only `current_schema()`.
const REGCLASS_SCHEMA: &str = "n.nspname = current_schema() AND c.relname = parts[1]";
/// PostgreSQL also looks in `pg_catalog` (`'pg_class'::regclass` is 1259,
/// which pgjdbc's getTables joins on).
const REGCLASS_SEARCH: &str =
    "n.nspname IN ('pg_catalog', current_schema()) AND c.relname = parts[1]";

/// Widens the library's `::regclass` lookup of unqualified names to
/// `pg_catalog` (see [`REGCLASS_SEARCH`]); statements without one are
/// returned untouched.
pub(crate) fn regclass_search_path(statement: Statement) -> Statement {
    let text = statement.to_string();
    if !text.contains(REGCLASS_SCHEMA) {
        return statement;
    }
    let widened = text.replace(REGCLASS_SCHEMA, REGCLASS_SEARCH);
    match datafusion::sql::sqlparser::parser::Parser::parse_sql(
        &datafusion::sql::sqlparser::dialect::PostgreSqlDialect {},
        &widened,
    ) {
        Ok(mut v) if v.len() == 1 => v.remove(0),
        _ => statement,
    }
}

/// `CAST(format('%I.%I', s, t) AS regclass)` (Metabase): a name computed
/// at run time. The library resolves only literal names; text expressions
/// become `to_regclass(…)` (an `oid` or an integer cast to regclass is left
/// alone: that is a lookup the other way).
pub(crate) fn runtime_regclass(statement: &mut Statement) {
    let _ = visit_expressions_mut(statement, |e| {
        if let Expr::Cast {
            expr, data_type, ..
        } = e
            && is_regclass(data_type)
            && textual(expr)
        {
            *e = call("to_regclass", vec![expr.as_ref().clone()], vec![]);
        }
        ControlFlow::<()>::Continue(())
    });
}

fn is_regclass(t: &datafusion::sql::sqlparser::ast::DataType) -> bool {
    use datafusion::sql::sqlparser::ast::DataType as T;
    match t {
        T::Regclass => true,
        T::Custom(name, _) => name
            .0
            .last()
            .and_then(|p| p.as_ident())
            .is_some_and(|i| i.value.eq_ignore_ascii_case("regclass")),
        _ => false,
    }
}

fn textual(e: &Expr) -> bool {
    use datafusion::sql::sqlparser::ast::DataType as T;
    match e {
        Expr::Function(f) => f.name.0.last().and_then(|p| p.as_ident()).is_some_and(|i| {
            ["format", "concat", "quote_ident", "concat_ws"]
                .contains(&i.value.to_lowercase().as_str())
        }),
        Expr::BinaryOp {
            op: BinaryOperator::StringConcat,
            ..
        } => true,
        Expr::Cast { data_type, .. } => matches!(
            data_type,
            T::Text | T::Varchar(_) | T::CharacterVarying(_) | T::String(_)
        ),
        Expr::Nested(inner) => textual(inner),
        _ => false,
    }
}

/// Table functions DataFusion provides (their output column is `value`).
const TABLE_FUNCTIONS: &[&str] = &["generate_series", "range", "unnest"];

/// Functions in FROM as PostgreSQL reads them (Grafana's search-path
/// query: `FROM generate_series(…) AS i, string_to_array(…) s`):
/// - a table function with a bare alias names its single column after the
///   alias (`i`), so the alias gets that column list;
/// - any other function is a one-row relation of its value:
///   `(SELECT f(…) AS s) AS s`.
///
/// Also the bare keyword `user`, which is `current_user` in PostgreSQL.
pub(crate) fn functions_in_from(statement: &mut Statement) {
    struct FromFunctions;
    impl VisitorMut for FromFunctions {
        type Break = ();
        fn pre_visit_table_factor(
            &mut self,
            factor: &mut datafusion::sql::sqlparser::ast::TableFactor,
        ) -> ControlFlow<()> {
            use datafusion::sql::sqlparser::ast::{TableAliasColumnDef, TableFactor};
            let TableFactor::Table {
                name,
                alias: Some(alias),
                args: Some(args),
                ..
            } = factor
            else {
                return ControlFlow::Continue(());
            };
            if !alias.columns.is_empty() {
                return ControlFlow::Continue(());
            }
            let function = name
                .0
                .last()
                .and_then(|p| p.as_ident())
                .map(|i| i.value.to_lowercase())
                .unwrap_or_default();
            if TABLE_FUNCTIONS.contains(&function.as_str()) {
                alias.columns = vec![TableAliasColumnDef::from_name(alias.name.value.clone())];
                return ControlFlow::Continue(());
            }
            let call = format!(
                "{name}({})",
                args.args
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let sql = format!("SELECT * FROM (SELECT {call} AS {0}) AS {0}", alias.name);
            if let Ok(mut parsed) = datafusion::sql::sqlparser::parser::Parser::parse_sql(
                &datafusion::sql::sqlparser::dialect::PostgreSqlDialect {},
                &sql,
            ) && let Some(Statement::Query(q)) = parsed.pop()
                && let SetExpr::Select(select) = *q.body
                && let Some(from) = select.from.into_iter().next()
            {
                *factor = from.relation;
            }
            ControlFlow::Continue(())
        }

        fn post_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
            // The compatibility parser turns the keyword into a call
            // without parentheses, which DataFusion reads as a column.
            let bare_user = match e {
                Expr::Identifier(i) => {
                    i.quote_style.is_none() && i.value.eq_ignore_ascii_case("user")
                }
                Expr::Function(f) => {
                    matches!(f.args, FunctionArguments::None)
                        && f.name.0.len() == 1
                        && f.name.0[0].as_ident().is_some_and(|i| {
                            i.quote_style.is_none() && i.value.eq_ignore_ascii_case("user")
                        })
                }
                _ => false,
            };
            if bare_user {
                *e = call("session_user", vec![], vec![]);
            }
            ControlFlow::Continue(())
        }
    }
    let _ = statement.visit(&mut FromFunctions);
}

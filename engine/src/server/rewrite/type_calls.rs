//! PostgreSQL spellings of casts and strings that DataFusion does not read:
//!
//! - a type name called as a function, `date(ordered_at)` (Looker's date
//!   dimensions), `text(x)`, `int4(x)`, `float8(x)`, `bool(x)`,
//!   `timestamptz(x)`…: PostgreSQL's function-style cast, planned as
//!   `CAST(x AS type)` (the column keeps the function's name, as in
//!   PostgreSQL: `super::names` names columns before this runs);
//! - a Unicode-escaped string, `U&'caf\00E9'`: sqlparser has decoded it, it
//!   is an ordinary string;
//! - `pg_typeof('a')`: a quoted literal has no type yet in PostgreSQL
//!   (`unknown`), as `pg_typeof(NULL)` has here.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    CastKind, DataType, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Statement,
    TimezoneInfo, Value, visit_expressions_mut,
};

/// The type a function name casts to.
fn cast_type(name: &str) -> Option<DataType> {
    Some(match name {
        "date" => DataType::Date,
        "text" => DataType::Text,
        "int2" => DataType::Int2(None),
        "int4" => DataType::Int4(None),
        "int8" => DataType::Int8(None),
        "float4" => DataType::Float4,
        "float8" => DataType::Float8,
        "bool" => DataType::Bool,
        "timestamptz" => DataType::Timestamp(None, TimezoneInfo::Tz),
        _ => return None,
    })
}

/// Applies the rewrites to every expression of `statement`.
pub(crate) fn type_calls(statement: &mut Statement) {
    let _ = visit_expressions_mut(statement, |e| {
        match e {
            Expr::Function(f)
                if f.name.0.len() == 1
                    && f.name.0[0]
                        .as_ident()
                        .is_some_and(|id| id.value.eq_ignore_ascii_case("pg_typeof"))
                    && matches!(&f.args, FunctionArguments::List(l)
                        if matches!(l.args.as_slice(),
                            [FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(v)))]
                                if matches!(v.value, Value::SingleQuotedString(_)))) =>
            {
                if let FunctionArguments::List(l) = &mut f.args {
                    l.args = vec![FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::value(
                        Value::Null,
                    )))];
                }
            }
            Expr::Function(f)
                if f.over.is_none()
                    && f.filter.is_none()
                    && f.within_group.is_empty()
                    && f.name.0.len() == 1 =>
            {
                let Some(data_type) = f.name.0[0]
                    .as_ident()
                    .filter(|id| id.quote_style.is_none())
                    .and_then(|id| cast_type(&id.value.to_lowercase()))
                else {
                    return ControlFlow::<()>::Continue(());
                };
                let FunctionArguments::List(list) = &f.args else {
                    return ControlFlow::Continue(());
                };
                if list.duplicate_treatment.is_some() || !list.clauses.is_empty() {
                    return ControlFlow::Continue(());
                }
                if let [FunctionArg::Unnamed(FunctionArgExpr::Expr(arg))] = list.args.as_slice() {
                    *e = Expr::Cast {
                        kind: CastKind::Cast,
                        expr: Box::new(arg.clone()),
                        data_type,
                        array: false,
                        format: None,
                    };
                }
            }
            Expr::Value(v) => {
                if let Value::UnicodeStringLiteral(s) = &v.value {
                    v.value = Value::SingleQuotedString(s.clone());
                }
            }
            _ => {}
        }
        ControlFlow::Continue(())
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::rewrite::parse_one;

    fn rewritten(sql: &str) -> String {
        let mut s = parse_one(sql);
        type_calls(&mut s);
        s.to_string()
    }

    #[test]
    fn type_names_called_as_functions_are_casts() {
        assert_eq!(
            rewritten("SELECT DATE(o.at), text(1), int4(x), count(x)"),
            "SELECT CAST(o.at AS DATE), CAST(1 AS TEXT), CAST(x AS INT4), count(x)"
        );
        assert_eq!(rewritten("SELECT U&'caf\\00E9'"), "SELECT 'café'");
        assert_eq!(
            rewritten("SELECT pg_typeof('a'), pg_typeof('a'::text)"),
            "SELECT pg_typeof(NULL), pg_typeof('a'::TEXT)"
        );
    }
}

//! Date and time spellings DataFusion lacks: `make_interval` with named
//! arguments and casts to types with a precision (`timestamp(0)`).

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    DataType, Expr, FunctionArguments, Statement, Value, visit_expressions_mut,
};

use super::call;

/// `make_interval(days => 10)`: PostgreSQL's parameters all default to 0,
/// and any of them may be named; DataFusion takes named arguments only when
/// they fill a leading run of the parameters. The call becomes positional,
/// with 0 for every parameter not given.
pub(crate) fn make_interval_defaults(statement: &mut Statement) {
    use datafusion::sql::sqlparser::ast::{FunctionArg, FunctionArgExpr};
    use tessera_udfs::pg::make_datetime::MAKE_INTERVAL_PARAMETERS;
    let _ = visit_expressions_mut(statement, |e| {
        if let Expr::Function(f) = e
            && f.name.0.len() == 1
            && f.name.0[0]
                .as_ident()
                .is_some_and(|i| i.value.eq_ignore_ascii_case("make_interval"))
            && let FunctionArguments::List(list) = &f.args
            && list
                .args
                .iter()
                .any(|a| matches!(a, FunctionArg::Named { .. } | FunctionArg::ExprNamed { .. }))
        {
            let mut values: Vec<Option<Expr>> = vec![None; MAKE_INTERVAL_PARAMETERS.len()];
            let mut next = 0;
            for a in &list.args {
                // sqlparser reads `days => 10` as a name or, in some
                // dialects, as an expression naming the argument.
                let named = match a {
                    FunctionArg::Named { name, arg, .. } => Some((name, arg)),
                    FunctionArg::ExprNamed {
                        name: Expr::Identifier(name),
                        arg,
                        ..
                    } => Some((name, arg)),
                    _ => None,
                };
                let (slot, arg) = match (named, a) {
                    (Some((name, arg)), _) => {
                        let Some(i) = MAKE_INTERVAL_PARAMETERS
                            .iter()
                            .position(|p| p.eq_ignore_ascii_case(&name.value))
                        else {
                            // An unknown name: leave it for the planner's error.
                            return ControlFlow::<()>::Continue(());
                        };
                        (i, arg)
                    }
                    (None, FunctionArg::Unnamed(arg)) => {
                        next += 1;
                        (next - 1, arg)
                    }
                    (None, _) => return ControlFlow::<()>::Continue(()),
                };
                let FunctionArgExpr::Expr(x) = arg else {
                    return ControlFlow::<()>::Continue(());
                };
                if slot >= values.len() {
                    return ControlFlow::<()>::Continue(());
                }
                values[slot] = Some(x.clone());
            }
            let args = values
                .into_iter()
                .map(|v| v.unwrap_or_else(|| Expr::value(Value::Number("0".into(), false))))
                .collect();
            *e = call("make_interval", args, vec![]);
        }
        ControlFlow::<()>::Continue(())
    });
}

/// `x::timestamp(p)`, `x::timestamptz(p)`, `x::time(p)`: DataFusion's types
/// have no precision ("Unsupported SQL type TIMESTAMP(2)"); the cast
/// becomes `pg_time_precision(x::timestamp, p)`, which rounds as
/// PostgreSQL does (`tessera_udfs::pg::time_precision`). A precision of 6
/// or more is the type's own.
pub(crate) fn time_precision_casts(statement: &mut Statement) {
    let _ = visit_expressions_mut(statement, |e| {
        if let Expr::Cast { data_type, .. } = e
            && let DataType::Timestamp(precision, _) | DataType::Time(precision, _) = data_type
            && let Some(p) = precision.take()
            && p < 6
        {
            *e = call(
                tessera_udfs::pg::time_precision::NAME,
                vec![e.clone(), Expr::value(Value::Number(p.to_string(), false))],
                vec![],
            );
        }
        ControlFlow::<()>::Continue(())
    });
}

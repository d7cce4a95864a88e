//! Date and time spellings DataFusion lacks: interval and timestamp
//! literals in PostgreSQL's forms, `make_interval` with named arguments and
//! casts to types with a precision (`timestamp(0)`).

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

/// Interval literals read as PostgreSQL reads them under `IntervalStyle =
/// sql_standard` (a leading `-` applying to every field), before
/// [`temporal_literals`] puts them in DataFusion's form. Run only in
/// sessions with that style.
pub(crate) fn sql_standard_intervals(statement: &mut Statement) {
    use tessera_udfs::pg::interval::sql_standard_signs;
    let fix = |v: &mut Value| {
        if let Value::SingleQuotedString(s) = v
            && let Some(t) = sql_standard_signs(s)
        {
            *s = t;
        }
    };
    let _ = visit_expressions_mut(statement, |e| {
        match e {
            Expr::Interval(iv) => {
                if let Expr::Value(v) = iv.value.as_mut() {
                    fix(&mut v.value);
                }
            }
            Expr::Cast {
                data_type: DataType::Interval { .. },
                expr,
                ..
            } => {
                if let Expr::Value(v) = expr.as_mut() {
                    fix(&mut v.value);
                }
            }
            Expr::TypedString(ts) if matches!(ts.data_type, DataType::Interval { .. }) => {
                fix(&mut ts.value.value);
            }
            _ => {}
        }
        ControlFlow::<()>::Continue(())
    });
}

/// PostgreSQL's spellings of interval and timestamp literals that
/// DataFusion's parsers reject: interval text (`'1 day 02:00:00'`,
/// `'-1 day +2 hours'`, `'P1D'`, `interval '5' day`; see
/// `tessera_udfs::pg::interval`) is rewritten into the canonical
/// `<n> <unit>` form, timestamps without seconds (`'2024-02-01 12:00'`)
/// get them, `'epoch'` is 1970-01-01 00:00:00 UTC and the time
/// `'allballs'` is 00:00:00.
pub(crate) fn temporal_literals(statement: &mut Statement) {
    use tessera_udfs::pg::interval;
    fn string(e: &mut Expr) -> Option<&mut String> {
        match e {
            Expr::Value(v) => match &mut v.value {
                Value::SingleQuotedString(s) => Some(s),
                _ => None,
            },
            _ => None,
        }
    }
    fn fix_interval(s: &mut String, default_unit: Option<&str>) -> bool {
        match interval::parse(s, default_unit) {
            Some(i) => {
                *s = interval::canonical(i);
                true
            }
            None => false,
        }
    }
    fn fix_timestamp(s: &mut String) {
        // PostgreSQL's special input value (Superset writes
        // `timestamp 'epoch' + ts * interval '1 second'`).
        if s.trim().eq_ignore_ascii_case("epoch") {
            *s = "1970-01-01 00:00:00+00".to_string();
            return;
        }
        // `YYYY-MM-DD HH:MM`, alone or before a zone (`+01`, `-05:30`,
        // `Z`, ` Europe/Paris`): seconds go after the minutes.
        let t = s.trim();
        let b = t.as_bytes();
        let date_time = b.len() >= 16
            && b[4] == b'-'
            && b[7] == b'-'
            && matches!(b[10], b' ' | b'T')
            && b[13] == b':'
            && b[11..13].iter().chain(&b[14..16]).all(u8::is_ascii_digit)
            && b.get(16)
                .is_none_or(|c| matches!(c, b'+' | b'-' | b'Z' | b'z' | b' '));
        if date_time {
            *s = format!("{}:00{}", &t[..16], &t[16..]);
        }
    }
    fn fix_time(s: &mut String) {
        // PostgreSQL's special time input: midnight in UTC ("all balls").
        if s.trim().eq_ignore_ascii_case("allballs") {
            *s = "00:00:00".to_string();
        }
    }
    let _ = visit_expressions_mut(statement, |e| {
        match e {
            Expr::Interval(iv) => {
                let unit = match (&iv.leading_field, &iv.last_field) {
                    (Some(f), None) => Some(f.to_string().to_lowercase()),
                    _ => None,
                };
                if let Some(s) = string(&mut iv.value)
                    && fix_interval(s, unit.as_deref())
                {
                    iv.leading_field = None;
                    iv.last_field = None;
                }
            }
            Expr::Cast {
                data_type, expr, ..
            } => match data_type {
                DataType::Interval { .. } => {
                    if let Some(s) = string(expr) {
                        fix_interval(s, None);
                    }
                }
                DataType::Timestamp(..) => {
                    if let Some(s) = string(expr) {
                        fix_timestamp(s);
                    }
                }
                DataType::Time(..) => {
                    if let Some(s) = string(expr) {
                        fix_time(s);
                    }
                }
                _ => {}
            },
            Expr::TypedString(ts) => {
                if let Value::SingleQuotedString(s) = &mut ts.value.value {
                    match ts.data_type {
                        DataType::Interval { .. } => {
                            fix_interval(s, None);
                        }
                        DataType::Timestamp(..) => fix_timestamp(s),
                        DataType::Time(..) => fix_time(s),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        ControlFlow::<()>::Continue(())
    });
}

//! PostgreSQL spellings DataFusion lacks: `LIKE … ESCAPE`, `::regclass` of
//! computed names and of `pg_catalog` relations, functions in FROM and the
//! bare `user` keyword.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    BinaryOperator, CastKind, DataType, ExactNumberInfo, Expr, FunctionArguments, Query,
    SelectItem, SetExpr, Statement, TimezoneInfo, UnaryOperator, Value, VisitMut, VisitorMut,
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

/// The function and length of a cast to `varchar(n)` or `char(n)`
/// (`char` alone is `char(1)`, `bpchar` alone has none; `varchar` alone
/// is left to DataFusion).
fn char_cast(t: &DataType) -> Option<(&'static str, Option<u64>)> {
    use datafusion::sql::sqlparser::ast::CharacterLength;
    let len = |l: &Option<CharacterLength>| match l {
        Some(CharacterLength::IntegerLength { length, .. }) => Some(*length),
        _ => None,
    };
    match t {
        // A bare `::varchar` stays DataFusion's cast to text: catalog queries
        // clients send (`ix.indkey::varchar`) rely on its coercions.
        DataType::Varchar(l) | DataType::CharacterVarying(l) | DataType::CharVarying(l) => {
            len(l).map(|n| ("varchar", Some(n)))
        }
        DataType::Char(l) | DataType::Character(l) => Some(("bpchar", len(l).or(Some(1)))),
        DataType::Custom(name, args) if name.to_string().eq_ignore_ascii_case("bpchar") => {
            Some(("bpchar", args.first().and_then(|a| a.parse().ok())))
        }
        _ => None,
    }
}

/// The PostgreSQL type and the text type DataFusion casts to for a cast
/// that keeps DataFusion's text cast: bare `varchar`, one-dimensional
/// `varchar[]` and `char(n)[]`.
fn tagged_text_cast(t: &DataType) -> Option<(&'static str, DataType)> {
    use datafusion::sql::sqlparser::ast::ArrayElemTypeDef;
    match t {
        DataType::Varchar(None) => Some(("varchar", DataType::Text)),
        DataType::Array(
            ArrayElemTypeDef::SquareBracket(inner, _)
            | ArrayElemTypeDef::AngleBracket(inner)
            | ArrayElemTypeDef::Parenthesis(inner),
        ) => {
            let tag = match inner.as_ref() {
                DataType::Varchar(_) | DataType::CharacterVarying(_) | DataType::CharVarying(_) => {
                    "varchar[]"
                }
                DataType::Char(_) | DataType::Character(_) => "bpchar[]",
                _ => return None,
            };
            let text = Box::new(DataType::Text);
            Some((
                tag,
                DataType::Array(ArrayElemTypeDef::SquareBracket(text, None)),
            ))
        }
        _ => None,
    }
}

/// `' -12.50 '` as the number literal `-12.50` (digits, one optional point,
/// an optional sign); `None` for anything else (`'NaN'`, `'1e3'`).
fn decimal_literal(text: &str) -> Option<Expr> {
    let t = text.trim();
    let (negative, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let ok = !(int.is_empty() && frac.is_empty())
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit());
    if !ok {
        return None;
    }
    let number = Expr::value(Value::Number(
        format!("{}.{}", if int.is_empty() { "0" } else { int }, frac)
            .trim_end_matches('.')
            .to_string(),
        false,
    ));
    Some(if negative {
        Expr::UnaryOp {
            op: datafusion::sql::sqlparser::ast::UnaryOperator::Minus,
            expr: Box::new(Expr::Nested(Box::new(number))),
        }
    } else {
        number
    })
}

/// `EXTRACT(field FROM x)` is `numeric` in PostgreSQL (`date_part` is
/// double precision): it becomes `extract('field', x)`, Tessera's function
/// (`tessera_udfs::pg::extract`), where DataFusion would call `date_part`.
/// Likewise `x AT TIME ZONE z` becomes `timezone(z, x)`
/// (`tessera_udfs::pg::timezone`), PostgreSQL's semantics, and casts to
/// `json[b]`, `varchar(n)` and `char(n)` become tagging functions.
pub(crate) fn extract_numeric(statement: &mut Statement) {
    let _ = visit_expressions_mut(statement, |e| {
        // `x AT TIME ZONE z` is PostgreSQL's `timezone(z, x)`.
        if let Expr::AtTimeZone {
            timestamp,
            time_zone,
        } = e
        {
            *e = call(
                "timezone",
                vec![time_zone.as_ref().clone(), timestamp.as_ref().clone()],
                vec![],
            );
            return ControlFlow::<()>::Continue(());
        }
        // `x::json` / `x::jsonb`: the validating, tagging functions.
        if let Expr::Cast {
            data_type: data_type @ (DataType::JSON | DataType::JSONB),
            expr,
            ..
        } = e
        {
            let f = if matches!(data_type, DataType::JSONB) {
                "jsonb"
            } else {
                "json"
            };
            *e = call(f, vec![expr.as_ref().clone()], vec![]);
            return ControlFlow::<()>::Continue(());
        }
        // `character varying` without a length is `varchar`, which
        // DataFusion knows (it rejects the long spelling).
        if let Expr::Cast { data_type, .. } = e
            && matches!(
                data_type,
                DataType::CharacterVarying(None) | DataType::CharVarying(None)
            )
        {
            *data_type = DataType::Varchar(None);
        }
        // `x::numeric` without precision keeps the value's scale
        // (`tessera_udfs::pg::numeric_cast`); a quoted number becomes that
        // number, whose text gives its scale (`'2.50'::numeric` is 2.50).
        if let Expr::Cast {
            data_type:
                DataType::Numeric(ExactNumberInfo::None)
                | DataType::Decimal(ExactNumberInfo::None)
                | DataType::Dec(ExactNumberInfo::None),
            expr,
            ..
        } = e
        {
            if let Expr::Value(v) = expr.as_ref()
                && let Value::SingleQuotedString(text) = &v.value
            {
                // Text `numeric_in` reads otherwise (`'1.5e3'`, `' 12.50 '`)
                // goes to the function as text.
                let arg = decimal_literal(text).unwrap_or_else(|| expr.as_ref().clone());
                *e = call("numeric", vec![arg], vec![]);
                return ControlFlow::<()>::Continue(());
            }
            *e = call("numeric", vec![expr.as_ref().clone()], vec![]);
            return ControlFlow::<()>::Continue(());
        }
        // `x::varchar(n)` / `x::char(n)`: the truncating, padding, tagging
        // functions (`tessera_udfs::pg::chars`).
        if let Expr::Cast {
            data_type, expr, ..
        } = e
            && let Some((f, len)) = char_cast(data_type)
        {
            let mut args = vec![expr.as_ref().clone()];
            args.extend(len.map(|n| Expr::value(Value::Number(n.to_string(), false))));
            *e = call(f, args, vec![]);
            return ControlFlow::<()>::Continue(());
        }
        // A bare `x::varchar`, and `x::varchar[]` / `x::char(n)[]`: DataFusion's
        // cast to text (catalog queries clients send, `ix.indkey::varchar`,
        // rely on its coercions), tagged with PostgreSQL's type. Element
        // lengths of array casts are not applied.
        if let Expr::Cast {
            data_type, expr, ..
        } = e
            && let Some((tag, text)) = tagged_text_cast(data_type)
        {
            let cast = Expr::Cast {
                kind: CastKind::Cast,
                expr: expr.clone(),
                data_type: text,
                array: false,
                format: None,
            };
            *e = call(
                "tessera_pg_tag",
                vec![cast, Expr::value(Value::SingleQuotedString(tag.into()))],
                vec![],
            );
            return ControlFlow::<()>::Continue(());
        }
        // `a && b` on arrays: do they share a non-NULL element.
        if let Expr::BinaryOp {
            left,
            op: BinaryOperator::PGOverlap,
            right,
        } = e
        {
            *e = call(
                "pg_array_overlap",
                vec![left.as_ref().clone(), right.as_ref().clone()],
                vec![],
            );
            return ControlFlow::<()>::Continue(());
        }
        // datafusion-pg-catalog's parser spells `x = ANY(a)` (and `x <>
        // ALL(a)` as its negation) `array_contains(a, x)`, DataFusion's
        // two-valued `array_has`; PostgreSQL's is NULL when no element
        // matches and one is NULL (`tessera_udfs::pg::array_ops`).
        if let Expr::Function(f) = e
            && f.name.0.len() == 1
            && f.name
                .0
                .last()
                .and_then(|p| p.as_ident())
                .is_some_and(|i| i.value == "array_contains")
            && let FunctionArguments::List(list) = &f.args
            && list.args.len() == 2
        {
            f.name = datafusion::sql::sqlparser::ast::ObjectName::from(vec![
                datafusion::sql::sqlparser::ast::Ident::new("pg_array_any_eq"),
            ]);
        }
        // `localtimestamp` / `localtime`: the session's wall-clock time,
        // which DataFusion does not know (it reads a column name).
        let local = match e {
            Expr::Identifier(i) if i.quote_style.is_none() => Some(i.value.to_ascii_lowercase()),
            Expr::Function(f) if matches!(f.args, FunctionArguments::None) => f
                .name
                .0
                .last()
                .and_then(|p| p.as_ident())
                .filter(|i| i.quote_style.is_none() && f.name.0.len() == 1)
                .map(|i| i.value.to_ascii_lowercase()),
            _ => None,
        };
        if let Some(name @ ("localtimestamp" | "localtime")) = local.as_deref() {
            let cast = |expr, data_type| Expr::Cast {
                kind: CastKind::Cast,
                expr: Box::new(expr),
                data_type,
                array: false,
                format: None,
            };
            let timestamp = cast(
                call("now", vec![], vec![]),
                DataType::Timestamp(None, TimezoneInfo::None),
            );
            *e = if name == "localtime" {
                cast(timestamp, DataType::Time(None, TimezoneInfo::None))
            } else {
                timestamp
            };
            return ControlFlow::<()>::Continue(());
        }
        if let Expr::Extract { field, expr, .. } = e {
            let name = field.to_string().to_lowercase();
            *e = call(
                "extract",
                vec![
                    Expr::value(Value::SingleQuotedString(name)),
                    expr.as_ref().clone(),
                ],
                vec![],
            );
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
            use datafusion::sql::sqlparser::ast::{
                FunctionArg, FunctionArgExpr, TableAliasColumnDef, TableFactor,
            };
            // `pg_catalog.unnest(a) x` (psql's `\d+`; the catalog library
            // strips the schema) is the parser's `UNNEST`, which only the
            // bare keyword gives.
            if let TableFactor::Table {
                name,
                alias,
                args: Some(args),
                ..
            } = factor
                && name.0.len() <= 2
                && (name.0.len() == 1
                    || name.0[0]
                        .as_ident()
                        .is_some_and(|i| i.value.eq_ignore_ascii_case("pg_catalog")))
                && name.0.last().and_then(|p| p.as_ident()).is_some_and(|i| {
                    i.quote_style.is_none() && i.value.eq_ignore_ascii_case("unnest")
                })
            {
                let array_exprs: Option<Vec<Expr>> = args
                    .args
                    .iter()
                    .map(|a| match a {
                        FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e.clone()),
                        _ => None,
                    })
                    .collect();
                if let Some(array_exprs) = array_exprs {
                    *factor = TableFactor::UNNEST {
                        alias: alias.take(),
                        array_exprs,
                        with_offset: false,
                        with_offset_alias: None,
                        with_ordinality: false,
                    };
                }
            }
            // `unnest(a) AS u`: one array, its column named `u`.
            if let TableFactor::UNNEST {
                alias: Some(alias),
                array_exprs,
                ..
            } = factor
                && alias.columns.is_empty()
                && array_exprs.len() == 1
            {
                alias.columns = vec![TableAliasColumnDef::from_name(alias.name.value.clone())];
                return ControlFlow::Continue(());
            }
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

/// Integer literals are `integer` in PostgreSQL; `pg_plan` types them so
/// after planning, but not inside a recursive CTE, whose work table keeps
/// the types it was planned with. In a `WITH RECURSIVE` statement, integer
/// literals that fit `integer` and stand alone as a SELECT item or a
/// VALUES entry (`SELECT 1 UNION ALL SELECT n + 1 …`, `1 AS depth`,
/// `VALUES (1, 'CEO', NULL::int)`) are cast to `integer` before planning;
/// DataFusion then casts the recursive term to the anchor's types, as
/// PostgreSQL does.
pub(crate) fn recursive_int4_literals(statement: &mut Statement) {
    struct Literals;
    impl VisitorMut for Literals {
        type Break = ();
        fn pre_visit_query(&mut self, q: &mut Query) -> ControlFlow<()> {
            int4_items(&mut q.body);
            ControlFlow::Continue(())
        }
    }
    fn int4_items(body: &mut SetExpr) {
        match body {
            SetExpr::Select(select) => {
                for item in &mut select.projection {
                    if let SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } =
                        item
                    {
                        int4(e);
                    }
                }
            }
            SetExpr::Values(values) => {
                for row in &mut values.rows {
                    row.content.iter_mut().for_each(int4);
                }
            }
            SetExpr::SetOperation { left, right, .. } => {
                int4_items(left);
                int4_items(right);
            }
            _ => {}
        }
    }
    fn int4(e: &mut Expr) {
        let number = match &*e {
            Expr::Value(v) => Some(&v.value),
            Expr::UnaryOp {
                op: UnaryOperator::Minus,
                expr,
            } => match expr.as_ref() {
                Expr::Value(v) => Some(&v.value),
                _ => None,
            },
            _ => None,
        };
        let fits = matches!(number, Some(Value::Number(n, _)) if n.parse::<i32>().is_ok());
        if fits {
            *e = Expr::Cast {
                kind: CastKind::Cast,
                expr: Box::new(e.clone()),
                data_type: DataType::Integer(None),
                array: false,
                format: None,
            };
        }
    }
    if let Statement::Query(q) = statement
        && q.with.as_ref().is_some_and(|w| w.recursive)
    {
        let _ = q.visit(&mut Literals);
    }
}

/// `FETCH FIRST n ROWS ONLY` (SQL standard, and what pgjdbc-based tools and
/// Power BI write) is `LIMIT n`; DataFusion's planner rejects `FETCH`.
/// `FETCH FIRST ROW ONLY` is one row. `WITH TIES` after an `ORDER BY`
/// becomes a marker sort key, `tessera_with_ties(n)`, that the planner
/// turns into a rank filter (`crate::pg_plan::with_ties`); `PERCENT` has
/// no equivalent and is left for the planner to reject.
pub(crate) fn fetch_first(statement: &mut Statement) {
    use datafusion::sql::sqlparser::ast::{LimitClause, OrderByExpr, OrderByKind, Query};
    struct Fetch;
    impl VisitorMut for Fetch {
        type Break = ();
        fn pre_visit_query(&mut self, q: &mut Query) -> ControlFlow<()> {
            let ties = q.fetch.as_ref().is_some_and(|f| f.with_ties && !f.percent);
            if ties
                && q.limit_clause.is_none()
                && let Some(OrderByKind::Expressions(keys)) =
                    q.order_by.as_mut().map(|o| &mut o.kind)
                && let Some(fetch) = q.fetch.take()
            {
                let count = fetch
                    .quantity
                    .unwrap_or_else(|| Expr::value(Value::Number("1".into(), false)));
                keys.push(OrderByExpr {
                    expr: call(crate::pg_plan::with_ties::MARKER, vec![count], vec![]),
                    options: Default::default(),
                    with_fill: None,
                });
                // A LIMIT that limits nothing: DataFusion drops the ORDER BY
                // of a subquery without one, and the marker with it.
                q.limit_clause = Some(LimitClause::LimitOffset {
                    limit: Some(Expr::value(Value::Number(i64::MAX.to_string(), false))),
                    offset: None,
                    limit_by: vec![],
                });
                return ControlFlow::Continue(());
            }
            let Some(fetch) = q.fetch.take_if(|f| !f.with_ties && !f.percent) else {
                return ControlFlow::Continue(());
            };
            let quantity = fetch
                .quantity
                .unwrap_or_else(|| Expr::value(Value::Number("1".into(), false)));
            match &mut q.limit_clause {
                Some(LimitClause::LimitOffset { limit, .. }) if limit.is_none() => {
                    *limit = Some(quantity);
                }
                None => {
                    q.limit_clause = Some(LimitClause::LimitOffset {
                        limit: Some(quantity),
                        offset: None,
                        limit_by: vec![],
                    });
                }
                // LIMIT and FETCH together: PostgreSQL rejects it too.
                _ => q.fetch = Some(fetch_back(quantity)),
            }
            ControlFlow::Continue(())
        }
    }
    fn fetch_back(quantity: Expr) -> datafusion::sql::sqlparser::ast::Fetch {
        datafusion::sql::sqlparser::ast::Fetch {
            with_ties: false,
            percent: false,
            quantity: Some(quantity),
        }
    }
    let _ = statement.visit(&mut Fetch);
}

/// `x [NOT] SIMILAR TO 'pattern'` as PostgreSQL evaluates it: the SQL
/// regular expression matches the whole string, `%` is any text, `_` any
/// character, `.` `^` `$` are literal, the rest (`|`, `*`, `+`, `?`, `{}`,
/// `()`, `[]`) is regular-expression syntax. A literal pattern becomes
/// `x ~ '^(?:…)$'` (DataFusion's own SIMILAR TO matches anywhere, with
/// `.` as a wildcard); a computed pattern is left as it is.
pub(crate) fn similar_to(statement: &mut Statement) {
    let _ = visit_expressions_mut(statement, |e| {
        if let Expr::SimilarTo {
            negated,
            expr,
            pattern,
            escape_char,
        } = e
            && let Expr::Value(v) = pattern.as_ref()
            && let Value::SingleQuotedString(p) = &v.value
        {
            let escape = match escape_char.as_ref().map(|c| &c.value) {
                None => Some('\\'),
                Some(Value::SingleQuotedString(c)) => c.chars().next(),
                Some(_) => return ControlFlow::<()>::Continue(()),
            };
            let regex = similar_to_regex(p, escape);
            *e = Expr::BinaryOp {
                left: expr.clone(),
                op: if *negated {
                    BinaryOperator::PGRegexNotMatch
                } else {
                    BinaryOperator::PGRegexMatch
                },
                right: Box::new(Expr::value(Value::SingleQuotedString(regex))),
            };
        }
        ControlFlow::<()>::Continue(())
    });
}

/// PostgreSQL's `similar_to_escape`: a SQL regular expression as an
/// anchored POSIX one. Escape-double-quote separators (`%#"o_a#"_` with
/// escape `#`) split it into three parts, the middle one captured (what
/// `substring(s FROM pattern FOR escape)` returns), as
/// `^(?:part1){1,1}?(part2){1,1}(?:part3)$`; the first part matches as
/// little as it can (its `%` are lazy here: Rust's regex takes greediness
/// from each quantifier, PostgreSQL's from the group).
pub(super) fn similar_to_regex(pattern: &str, escape: Option<char>) -> String {
    let mut out = String::from("^(?:");
    let mut in_bracket = false;
    let separated = escape.is_some_and(|e| pattern.contains(&format!("{e}\"")));
    let mut quotes = 0;
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if Some(c) == escape {
            if let Some(next) = chars.next() {
                if next == '"' && !in_bracket {
                    match quotes {
                        0 => out.push_str("){1,1}?("),
                        1 => out.push_str("){1,1}(?:"),
                        _ => out.push_str("\\\""),
                    }
                    quotes += 1;
                } else if next.is_ascii_alphanumeric() {
                    out.push(next);
                } else {
                    out.push('\\');
                    out.push(next);
                }
            }
            continue;
        }
        if in_bracket {
            if c == ']' {
                in_bracket = false;
            }
            out.push(c);
            continue;
        }
        match c {
            '[' => {
                in_bracket = true;
                out.push(c);
            }
            '%' if separated && quotes == 0 => out.push_str(".*?"),
            '%' => out.push_str(".*"),
            '_' => out.push('.'),
            '.' | '^' | '$' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out.push_str(")$");
    out
}

//! DDL that DataFusion does not own: schemas, Delta tables, views, comments.
//!
//! Each statement is validated completely (names, types, defaults, the
//! query of a view or `CREATE TABLE AS`) before anything is written, and
//! changes the warehouse through one catalog commit, so a failing statement
//! changes nothing. `CREATE TABLE AS` writes its rows in one Delta commit
//! and drops the new table again if that write fails.

use std::sync::Arc;

use datafusion::common::DFSchema;
use datafusion::dataframe::DataFrameWriteOptions;
use datafusion::sql::sqlparser::ast::{
    AlterTable, AlterTableOperation, ColumnDef, ColumnOption, CommentObject, CreateTable,
    CreateView, Ident, ObjectName, ObjectType, RenameTableNameKind, SchemaName, Statement,
    TableConstraint, Visit, Visitor,
};
use tessera_catalog::{ColumnMeta, NewTable, PgType};

use crate::error::{Error, Result};
use crate::session::{CATALOG_NAME, QueryOutput, Session};
use crate::types::pg_type;

/// Runs `stmt` if it is DDL handled here; `None` lets DataFusion plan it.
pub async fn execute(session: &Session, stmt: &Statement) -> Result<Option<QueryOutput>> {
    let out = match stmt {
        Statement::CreateSchema {
            schema_name,
            if_not_exists,
            ..
        } => {
            let name = match schema_name {
                SchemaName::Simple(n) | SchemaName::NamedAuthorization(n, _) => {
                    resolve_schema_name(n)?
                }
                SchemaName::UnnamedAuthorization(i) => ident(i),
            };
            session
                .warehouse()
                .create_schema(&name, *if_not_exists)
                .await?;
            QueryOutput::command("CREATE SCHEMA")
        }
        Statement::CreateTable(ct) => create_table(session, ct).await?,
        Statement::CreateView(cv) => create_view(session, cv).await?,
        Statement::Drop {
            object_type,
            if_exists,
            names,
            cascade,
            ..
        } => drop(session, *object_type, *if_exists, names, *cascade).await?,
        Statement::AlterTable(at) => alter_table(session, at).await?,
        Statement::Comment {
            object_type,
            object_name,
            comment,
            ..
        } => {
            comment_on(session, *object_type, object_name, comment.clone()).await?;
            QueryOutput::command("COMMENT")
        }
        _ => return Ok(None),
    };
    Ok(Some(out))
}

/// PostgreSQL folds unquoted identifiers to lower case.
pub(crate) fn ident(i: &Ident) -> String {
    if i.quote_style.is_some() {
        i.value.clone()
    } else {
        i.value.to_lowercase()
    }
}

fn parts(name: &ObjectName) -> Result<Vec<String>> {
    name.0
        .iter()
        .map(|p| {
            p.as_ident()
                .map(ident)
                .ok_or_else(|| Error::unsupported(format!("name \"{name}\"")))
        })
        .collect()
}

fn check_catalog(catalog: &str) -> Result<()> {
    if catalog != CATALOG_NAME {
        return Err(Error::unsupported(format!(
            "cross-database references (\"{catalog}\"; this database is \"{CATALOG_NAME}\")"
        )));
    }
    Ok(())
}

fn resolve_schema_name(name: &ObjectName) -> Result<String> {
    let mut p = parts(name)?;
    match p.len() {
        1 => Ok(p.remove(0)),
        2 => {
            check_catalog(&p[0])?;
            Ok(p.remove(1))
        }
        _ => Err(Error::Syntax {
            message: format!("improper qualified name (too many dotted names): {name}"),
            position: None,
        }),
    }
}

/// Resolves a relation name to (schema, name): unqualified names go to the
/// session's current schema.
pub(crate) fn resolve(session: &Session, name: &ObjectName) -> Result<(String, String)> {
    let mut p = parts(name)?;
    match p.len() {
        1 => Ok((session.current_schema(), p.remove(0))),
        2 => {
            let n = p.remove(1);
            Ok((p.remove(0), n))
        }
        3 => {
            check_catalog(&p[0])?;
            let n = p.remove(2);
            Ok((p.remove(1), n))
        }
        _ => Err(Error::Syntax {
            message: format!("improper relation name (too many dotted names): {name}"),
            position: None,
        }),
    }
}

fn column_meta(session: &Session, c: &ColumnDef, pk: bool) -> Result<ColumnMeta> {
    let name = ident(&c.name);
    let pg = pg_type(&c.data_type)?;
    let mut nullable = !pk;
    let mut default = None;
    let mut comment = None;
    for o in &c.options {
        match &o.option {
            ColumnOption::NotNull => nullable = false,
            ColumnOption::Null => {}
            ColumnOption::Default(e) => default = Some(e.to_string()),
            ColumnOption::PrimaryKey(_) => nullable = false,
            ColumnOption::Comment(s) => comment = Some(s.clone()),
            // Recorded nowhere and not enforced, like PRIMARY KEY: accepted so that
            // schemas written for PostgreSQL load unchanged.
            ColumnOption::Unique(_) | ColumnOption::ForeignKey(_) => {}
            other => {
                return Err(Error::unsupported(format!(
                    "column option {other} on column \"{name}\""
                )));
            }
        }
    }
    if let Some(sql) = &default {
        check_default(session, &name, sql)?;
    }
    Ok(ColumnMeta {
        name,
        pg_type: pg,
        nullable,
        default,
        comment,
    })
}

/// A default must parse and only use functions and constants (no columns).
fn check_default(session: &Session, column: &str, sql: &str) -> Result<()> {
    let empty = DFSchema::empty();
    session
        .context()
        .state()
        .create_logical_expr(sql, &empty)
        .map_err(|e| {
            Error::InvalidDefinition(format!(
                "invalid default for column \"{column}\": {}",
                Error::from(e).message()
            ))
        })?;
    Ok(())
}

fn primary_key(ct: &CreateTable) -> Result<Vec<String>> {
    let mut pk: Vec<String> = ct
        .columns
        .iter()
        .filter(|c| {
            c.options
                .iter()
                .any(|o| matches!(o.option, ColumnOption::PrimaryKey(_)))
        })
        .map(|c| ident(&c.name))
        .collect();
    for tc in &ct.constraints {
        if let TableConstraint::PrimaryKey(p) = tc {
            if !pk.is_empty() {
                return Err(Error::InvalidDefinition(
                    "multiple primary keys for a table are not allowed".into(),
                ));
            }
            for c in &p.columns {
                let name = c.column.expr.to_string();
                pk.push(name.trim_matches('"').to_string());
            }
        }
    }
    Ok(pk)
}

async fn create_table(session: &Session, ct: &CreateTable) -> Result<QueryOutput> {
    if ct.temporary {
        return Err(Error::unsupported("CREATE TEMPORARY TABLE"));
    }
    if ct.or_replace || ct.external || ct.like.is_some() || ct.clone.is_some() {
        return Err(Error::unsupported(format!(
            "this form of CREATE TABLE ({})",
            ct.name
        )));
    }
    let (schema, name) = resolve(session, &ct.name)?;
    let pk = primary_key(ct)?;
    let comment = ct.comment.as_ref().map(|c| match c {
        datafusion::sql::sqlparser::ast::CommentDef::WithEq(s)
        | datafusion::sql::sqlparser::ast::CommentDef::WithoutEq(s) => s.clone(),
    });
    let Some(query) = &ct.query else {
        let columns = ct
            .columns
            .iter()
            .map(|c| column_meta(session, c, pk.contains(&ident(&c.name))))
            .collect::<Result<Vec<_>>>()?;
        let def = NewTable {
            columns,
            primary_key: pk,
            comment,
        };
        session
            .warehouse()
            .create_table(&schema, &name, def, ct.if_not_exists)
            .await?;
        return Ok(QueryOutput::command("CREATE TABLE"));
    };

    // CREATE TABLE … AS SELECT: plan first, so a bad query creates nothing.
    let state = session.context().state();
    let plan = state
        .statement_to_plan(datafusion::sql::parser::Statement::Statement(Box::new(
            Statement::Query(query.clone()),
        )))
        .await?;
    let plan = session.typed_plan(plan)?;
    let df = session.context().execute_logical_plan(plan).await?;
    let fields = df.schema().as_arrow().fields().clone();
    if !ct.columns.is_empty() && ct.columns.len() != fields.len() {
        return Err(Error::InvalidDefinition(
            "CREATE TABLE AS specifies a different number of column names than the query returns"
                .into(),
        ));
    }
    let mut columns = Vec::with_capacity(fields.len());
    for (i, f) in fields.iter().enumerate() {
        let name = match ct.columns.get(i) {
            Some(c) => ident(&c.name),
            None => f.name().clone(),
        };
        columns.push(ColumnMeta {
            nullable: !pk.contains(&name),
            name,
            pg_type: PgType::from_arrow(f.data_type())?,
            default: None,
            comment: None,
        });
    }
    let def = NewTable {
        columns,
        primary_key: pk,
        comment,
    };
    let wh = session.warehouse();
    if !wh
        .create_table(&schema, &name, def, ct.if_not_exists)
        .await?
    {
        return Ok(QueryOutput::command("CREATE TABLE AS"));
    }
    let target = format!("{CATALOG_NAME}.\"{schema}\".\"{name}\"");
    let written = async {
        let batches = df
            .write_table(&target, DataFrameWriteOptions::new())
            .await?;
        let n = crate::session::dml_count(&batches);
        Ok::<_, Error>(n)
    }
    .await;
    match written {
        Ok(n) => Ok(QueryOutput::command(format!("SELECT {n}"))),
        Err(e) => {
            if let Err(cleanup) = wh.drop_table(&schema, &name, true).await {
                tracing::warn!(error = %cleanup, "could not drop table after failed CREATE TABLE AS");
            }
            Err(e)
        }
    }
}

/// Finds relations a query reads, to refuse a view that reads itself.
struct Relations(Vec<ObjectName>);

impl Visitor for Relations {
    type Break = ();
    fn pre_visit_relation(&mut self, relation: &ObjectName) -> std::ops::ControlFlow<()> {
        self.0.push(relation.clone());
        std::ops::ControlFlow::Continue(())
    }
}

async fn create_view(session: &Session, cv: &CreateView) -> Result<QueryOutput> {
    if cv.materialized {
        return Err(Error::unsupported("CREATE MATERIALIZED VIEW"));
    }
    let (schema, name) = resolve(session, &cv.name)?;
    let mut rels = Relations(vec![]);
    let _ = cv.query.visit(&mut rels);
    for r in &rels.0 {
        if let Ok((s, n)) = resolve(session, r)
            && s == schema
            && n == name
        {
            return Err(Error::InvalidDefinition(format!(
                "view \"{name}\" cannot read from itself"
            )));
        }
    }
    let state = session.context().state();
    let plan = state
        .statement_to_plan(datafusion::sql::parser::Statement::Statement(Box::new(
            Statement::Query(cv.query.clone()),
        )))
        .await?;
    let mut arrow = plan.schema().as_arrow().clone();
    if !cv.columns.is_empty() {
        if cv.columns.len() > arrow.fields().len() {
            return Err(Error::InvalidDefinition(
                "CREATE VIEW specifies more column names than columns".into(),
            ));
        }
        let fields: Vec<_> = arrow
            .fields()
            .iter()
            .enumerate()
            .map(|(i, f)| match cv.columns.get(i) {
                Some(c) => Arc::new(f.as_ref().clone().with_name(ident(&c.name))),
                None => f.clone(),
            })
            .collect();
        arrow = datafusion::arrow::datatypes::Schema::new(fields);
    }
    for (i, f) in arrow.fields().iter().enumerate() {
        if arrow.fields()[..i].iter().any(|o| o.name() == f.name()) {
            return Err(Error::InvalidDefinition(format!(
                "column \"{}\" specified more than once",
                f.name()
            )));
        }
    }
    // Column names given to the view are applied through the stored schema.
    let sql = cv.query.to_string();
    let current = session.current_schema();
    session
        .warehouse()
        .create_view(
            &schema,
            &name,
            &sql,
            &current,
            &Arc::new(arrow),
            cv.or_replace,
        )
        .await?;
    Ok(QueryOutput::command("CREATE VIEW"))
}

async fn drop(
    session: &Session,
    object_type: ObjectType,
    if_exists: bool,
    names: &[ObjectName],
    cascade: bool,
) -> Result<QueryOutput> {
    let wh = session.warehouse();
    let tag = match object_type {
        ObjectType::Table => {
            // Check all names first: DROP TABLE a, b drops neither if b is missing.
            let resolved = names
                .iter()
                .map(|n| resolve(session, n))
                .collect::<Result<Vec<_>>>()?;
            if !if_exists {
                let state = wh.state();
                for (s, n) in &resolved {
                    state.table(s, n)?;
                }
            }
            for (s, n) in resolved {
                wh.drop_table(&s, &n, if_exists).await?;
            }
            "DROP TABLE"
        }
        ObjectType::View => {
            let resolved = names
                .iter()
                .map(|n| resolve(session, n))
                .collect::<Result<Vec<_>>>()?;
            for (s, n) in resolved {
                wh.drop_view(&s, &n, if_exists).await?;
            }
            "DROP VIEW"
        }
        ObjectType::Schema => {
            for n in names {
                let s = resolve_schema_name(n)?;
                wh.drop_schema(&s, if_exists, cascade).await?;
            }
            "DROP SCHEMA"
        }
        other => return Err(Error::unsupported(format!("DROP {other}"))),
    };
    Ok(QueryOutput::command(tag))
}

async fn alter_table(session: &Session, at: &AlterTable) -> Result<QueryOutput> {
    let (schema, name) = resolve(session, &at.name)?;
    let wh = session.warehouse();
    if at.if_exists && wh.state().table(&schema, &name).is_err() {
        return Ok(QueryOutput::command("ALTER TABLE"));
    }
    for op in &at.operations {
        match op {
            AlterTableOperation::RenameTable { table_name } => {
                let (RenameTableNameKind::To(n) | RenameTableNameKind::As(n)) = table_name;
                let new_name = parts(n)?.pop().expect("a name has at least one part");
                wh.rename_table(&schema, &name, &new_name).await?;
            }
            AlterTableOperation::RenameColumn {
                old_column_name,
                new_column_name,
            } => {
                wh.rename_column(
                    &schema,
                    &name,
                    &ident(old_column_name),
                    &ident(new_column_name),
                )
                .await?;
            }
            AlterTableOperation::AddColumn {
                column_def,
                if_not_exists,
                ..
            } => {
                let col = column_meta(session, column_def, false)?;
                let exists = wh
                    .state()
                    .table(&schema, &name)?
                    .column_index(&col.name)
                    .is_some();
                if exists && *if_not_exists {
                    continue;
                }
                let default = col.default.clone();
                let column = col.name.clone();
                wh.add_column(&schema, &name, col).await?;
                if let Some(d) = default {
                    // PostgreSQL fills existing rows with the default.
                    let sql = format!(
                        "UPDATE {CATALOG_NAME}.\"{schema}\".\"{name}\" SET \"{column}\" = {d}"
                    );
                    for stmt in crate::session::parse(&sql)? {
                        crate::session::collect(Box::pin(session.execute_statement(stmt)).await?)
                            .await?;
                    }
                }
            }
            other => return Err(Error::unsupported(format!("ALTER TABLE … {other}"))),
        }
    }
    Ok(QueryOutput::command("ALTER TABLE"))
}

async fn comment_on(
    session: &Session,
    object_type: CommentObject,
    object_name: &ObjectName,
    comment: Option<String>,
) -> Result<()> {
    let wh = session.warehouse();
    match object_type {
        CommentObject::Table | CommentObject::View => {
            let (s, n) = resolve(session, object_name)?;
            wh.mutate(|st| st.set_relation_comment(&s, &n, comment.clone()))
                .await?;
        }
        CommentObject::Column => {
            let mut p = parts(object_name)?;
            let column = p
                .pop()
                .ok_or_else(|| Error::unsupported("COMMENT ON COLUMN without a column"))?;
            if p.is_empty() {
                return Err(Error::Syntax {
                    message: "column name must be qualified".into(),
                    position: None,
                });
            }
            // Parts are already case-folded: quote them so they resolve as they are.
            let table = ObjectName::from(
                p.into_iter()
                    .map(|part| Ident::with_quote('"', part))
                    .collect::<Vec<_>>(),
            );
            let (s, n) = resolve(session, &table)?;
            wh.mutate(|st| st.set_column_comment(&s, &n, &column, comment.clone()))
                .await?;
        }
        CommentObject::Schema => {
            let s = resolve_schema_name(object_name)?;
            wh.mutate(|st| st.set_schema_comment(&s, comment.clone()))
                .await?;
        }
        other => return Err(Error::unsupported(format!("COMMENT ON {other}"))),
    }
    Ok(())
}

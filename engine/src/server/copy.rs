//! `COPY … TO STDOUT` and `COPY … FROM STDIN` in text, CSV and binary.
//!
//! Out: rows are encoded exactly as the wire protocol would send them (the
//! same arrow-pg encoders as a `SELECT`), then framed as COPY text (escaped,
//! tab-separated), CSV (quoted where needed) or binary tuples — a binary
//! `DataRow` already is a COPY binary tuple without its field count.
//!
//! In: the client's bytes are buffered (`COPY FROM STDIN` is one statement,
//! one Delta commit), split into text fields, and inserted through the same
//! planner path as `INSERT … SELECT`, casting each text field to the column
//! type; columns left out get their DEFAULT. Binary input is decoded per
//! column type.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, RecordBatch, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::catalog::TableProvider;
use datafusion::common::{ScalarValue, TableReference};
use datafusion::datasource::{MemTable, provider_as_source};
use datafusion::logical_expr::dml::InsertOp;
use datafusion::logical_expr::{Expr, LogicalPlanBuilder, cast, col, lit};
use datafusion::sql::sqlparser::ast::{
    CopyLegacyCsvOption, CopyLegacyOption, CopyOption, CopySource, ObjectName,
};
use datafusion_postgres::pgwire::messages::data::DataRow;

use crate::error::{Error, Result};
use crate::session::{QueryOutput, Session};
use crate::sqlstate::BAD_COPY_FILE_FORMAT;

/// COPY data formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CopyFormat {
    /// Tab-separated, backslash escapes, `\N` for NULL.
    Text,
    /// RFC 4180-style CSV.
    Csv,
    /// PostgreSQL's binary COPY format.
    Binary,
}

impl CopyFormat {
    /// The format code in CopyIn/CopyOutResponse.
    pub(crate) fn code(self) -> i8 {
        if self == CopyFormat::Binary { 1 } else { 0 }
    }
}

/// The options of one COPY statement.
#[derive(Debug, Clone)]
pub(crate) struct CopyOptions {
    pub(crate) format: CopyFormat,
    pub(crate) delimiter: char,
    pub(crate) null: String,
    pub(crate) header: bool,
    pub(crate) quote: char,
    pub(crate) escape: char,
}

impl CopyOptions {
    /// Reads both the `WITH (…)` and the pre-9.0 option syntax.
    pub(crate) fn from_ast(options: &[CopyOption], legacy: &[CopyLegacyOption]) -> Result<Self> {
        let mut format = CopyFormat::Text;
        for o in options {
            if let CopyOption::Format(f) = o {
                format = match f.value.to_lowercase().as_str() {
                    "text" => CopyFormat::Text,
                    "csv" => CopyFormat::Csv,
                    "binary" => CopyFormat::Binary,
                    other => {
                        return Err(Error::InvalidParameter(format!(
                            "COPY format \"{other}\" not recognized"
                        )));
                    }
                }
            }
        }
        for o in legacy {
            match o {
                CopyLegacyOption::Binary => format = CopyFormat::Binary,
                CopyLegacyOption::Csv(_) => format = CopyFormat::Csv,
                _ => {}
            }
        }
        let csv = format == CopyFormat::Csv;
        let mut out = CopyOptions {
            format,
            delimiter: if csv { ',' } else { '\t' },
            null: if csv { String::new() } else { "\\N".into() },
            header: false,
            quote: '"',
            escape: '"',
        };
        for o in options {
            match o {
                CopyOption::Delimiter(c) => out.delimiter = *c,
                CopyOption::Null(s) => out.null = s.clone(),
                CopyOption::Header(h) => out.header = *h,
                CopyOption::Quote(c) => out.quote = *c,
                CopyOption::Escape(c) => out.escape = *c,
                _ => {}
            }
        }
        for o in legacy {
            match o {
                CopyLegacyOption::Delimiter(c) => out.delimiter = *c,
                CopyLegacyOption::Null(s) => out.null = s.clone(),
                CopyLegacyOption::Header => out.header = true,
                CopyLegacyOption::Csv(csv_opts) => {
                    for c in csv_opts {
                        match c {
                            CopyLegacyCsvOption::Header => out.header = true,
                            CopyLegacyCsvOption::Quote(q) => out.quote = *q,
                            CopyLegacyCsvOption::Escape(e) => out.escape = *e,
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(out)
    }
}

/// The `COPY … TO STDOUT` source as SQL.
pub(crate) fn source_sql(source: &CopySource) -> String {
    match source {
        CopySource::Query(q) => q.to_string(),
        CopySource::Table {
            table_name,
            columns,
        } => {
            let cols = if columns.is_empty() {
                "*".to_string()
            } else {
                columns
                    .iter()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            format!("SELECT {cols} FROM {table_name}")
        }
    }
}

/// The binary COPY header (signature, flags, header extension length).
pub(crate) fn binary_header() -> Vec<u8> {
    let mut h = b"PGCOPY\n\xff\r\n\0".to_vec();
    h.extend_from_slice(&0i32.to_be_bytes());
    h.extend_from_slice(&0i32.to_be_bytes());
    h
}

/// The fields of an encoded `DataRow` (`None` = NULL).
fn row_fields(row: &DataRow) -> Vec<Option<&[u8]>> {
    let mut out = Vec::with_capacity(row.field_count.max(0) as usize);
    let data = &row.data[..];
    let mut pos = 0;
    for _ in 0..row.field_count {
        let len = i32::from_be_bytes(data[pos..pos + 4].try_into().expect("4 bytes"));
        pos += 4;
        if len < 0 {
            out.push(None);
        } else {
            out.push(Some(&data[pos..pos + len as usize]));
            pos += len as usize;
        }
    }
    out
}

/// One row, already text-encoded by the wire encoder, as a COPY line.
pub(crate) fn format_row(row: &DataRow, opts: &CopyOptions) -> Vec<u8> {
    match opts.format {
        CopyFormat::Binary => {
            let mut out = Vec::with_capacity(row.data.len() + 2);
            out.extend_from_slice(&row.field_count.to_be_bytes());
            out.extend_from_slice(&row.data);
            out
        }
        CopyFormat::Text | CopyFormat::Csv => {
            let fields: Vec<String> = row_fields(row)
                .into_iter()
                .map(|f| match f {
                    None => opts.null.clone(),
                    Some(bytes) => {
                        let s = String::from_utf8_lossy(bytes);
                        if opts.format == CopyFormat::Text {
                            text_escape(&s, opts.delimiter)
                        } else {
                            csv_quote(&s, opts)
                        }
                    }
                })
                .collect();
            let mut line = fields.join(&opts.delimiter.to_string()).into_bytes();
            line.push(b'\n');
            line
        }
    }
}

/// The header line for CSV with `HEADER`.
pub(crate) fn header_line(names: &[String], opts: &CopyOptions) -> Vec<u8> {
    let mut line = names
        .iter()
        .map(|n| csv_quote(n, opts))
        .collect::<Vec<_>>()
        .join(&opts.delimiter.to_string())
        .into_bytes();
    line.push(b'\n');
    line
}

fn text_escape(s: &str, delimiter: char) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' if delimiter == '\t' => out.push_str("\\t"),
            c if c == delimiter => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

fn csv_quote(s: &str, opts: &CopyOptions) -> String {
    let needs = s.is_empty() && opts.null.is_empty()
        || s == opts.null
        || s.contains([opts.delimiter, opts.quote, '\n', '\r'])
        || s.starts_with(char::is_whitespace)
        || s.ends_with(char::is_whitespace);
    if !needs {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push(opts.quote);
    for c in s.chars() {
        if c == opts.quote || c == opts.escape {
            out.push(opts.escape);
        }
        out.push(c);
    }
    out.push(opts.quote);
    out
}

/// A `COPY … FROM STDIN` in progress.
#[derive(Debug)]
pub(crate) struct CopyIn {
    pub(crate) table: ObjectName,
    pub(crate) columns: Vec<String>,
    pub(crate) options: CopyOptions,
    pub(crate) data: Vec<u8>,
}

impl CopyIn {
    /// Parses the buffered data and inserts it; returns the row count.
    pub(crate) async fn finish(self, session: &Session) -> Result<u64> {
        let reference = crate::ddl::resolve(session, &self.table)?;
        let table_ref = TableReference::full(
            crate::session::CATALOG_NAME,
            reference.0.clone(),
            reference.1.clone(),
        );
        let provider = session
            .context()
            .table_provider(table_ref.clone())
            .await
            .map_err(|_| {
                Error::coded(
                    crate::sqlstate::UNDEFINED_TABLE,
                    format!("relation \"{}\" does not exist", self.table),
                )
            })?;
        let target = provider.schema();
        let columns: Vec<String> = if self.columns.is_empty() {
            target.fields().iter().map(|f| f.name().clone()).collect()
        } else {
            self.columns.clone()
        };
        for c in &columns {
            if target.field_with_name(c).is_err() {
                return Err(Error::coded(
                    crate::sqlstate::UNDEFINED_COLUMN,
                    format!(
                        "column \"{c}\" of relation \"{}\" does not exist",
                        reference.1
                    ),
                ));
            }
        }
        let rows = match self.options.format {
            CopyFormat::Text => parse_text(&self.data, &self.options, columns.len())?,
            CopyFormat::Csv => parse_csv(&self.data, &self.options, columns.len())?,
            CopyFormat::Binary => {
                return self
                    .insert_binary(session, &provider, table_ref, &columns)
                    .await;
            }
        };
        let n = rows.len() as u64;
        let mut arrays: Vec<ArrayRef> = Vec::with_capacity(columns.len());
        for i in 0..columns.len() {
            let col: StringArray = rows.iter().map(|r| r[i].as_deref()).collect();
            arrays.push(Arc::new(col));
        }
        let names: Vec<String> = (0..columns.len()).map(|i| format!("c{i}")).collect();
        let schema = Arc::new(Schema::new(
            names
                .iter()
                .map(|n| Field::new(n, DataType::Utf8, true))
                .collect::<Vec<_>>(),
        ));
        let batch = RecordBatch::try_new(schema.clone(), arrays)?;
        let exprs: Vec<Expr> = columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let t = target
                    .field_with_name(c)
                    .expect("checked")
                    .data_type()
                    .clone();
                cast(col(format!("c{i}")), t).alias(c)
            })
            .collect();
        if n == 0 {
            return Ok(0);
        }
        insert(
            session,
            &provider,
            table_ref,
            schema,
            vec![batch],
            exprs,
            &columns,
        )
        .await?;
        Ok(n)
    }

    async fn insert_binary(
        self,
        session: &Session,
        provider: &Arc<dyn TableProvider>,
        table_ref: TableReference,
        columns: &[String],
    ) -> Result<u64> {
        let target = provider.schema();
        let types: Vec<DataType> = columns
            .iter()
            .map(|c| {
                target
                    .field_with_name(c)
                    .expect("checked")
                    .data_type()
                    .clone()
            })
            .collect();
        let rows = super::binary::parse(&self.data, &types)?;
        let n = rows.first().map(|c| c.len()).unwrap_or(0) as u64;
        if n == 0 {
            return Ok(0);
        }
        let names: Vec<String> = (0..columns.len()).map(|i| format!("c{i}")).collect();
        let schema = Arc::new(Schema::new(
            names
                .iter()
                .zip(&types)
                .map(|(n, t)| Field::new(n, t.clone(), true))
                .collect::<Vec<_>>(),
        ));
        let batch = RecordBatch::try_new(schema.clone(), rows)?;
        let exprs = columns
            .iter()
            .enumerate()
            .map(|(i, c)| col(format!("c{i}")).alias(c))
            .collect();
        insert(
            session,
            provider,
            table_ref,
            schema,
            vec![batch],
            exprs,
            columns,
        )
        .await?;
        Ok(n)
    }
}

/// Inserts `batches` through DataFusion's planner: the given column
/// expressions, DEFAULT (or NULL) for the columns not named.
async fn insert(
    session: &Session,
    provider: &Arc<dyn TableProvider>,
    table_ref: TableReference,
    schema: Arc<Schema>,
    batches: Vec<RecordBatch>,
    exprs: Vec<Expr>,
    columns: &[String],
) -> Result<QueryOutput> {
    let target = provider.schema();
    let mem = MemTable::try_new(schema, vec![batches])?;
    let mut by_name: std::collections::HashMap<String, Expr> =
        columns.iter().cloned().zip(exprs).collect();
    let projection: Vec<Expr> = target
        .fields()
        .iter()
        .map(|f| {
            by_name.remove(f.name()).unwrap_or_else(|| {
                provider
                    .get_column_default(f.name())
                    .cloned()
                    .map(|d| cast(d, f.data_type().clone()))
                    .unwrap_or_else(|| cast(lit(ScalarValue::Null), f.data_type().clone()))
                    .alias(f.name())
            })
        })
        .collect();
    let plan = LogicalPlanBuilder::scan("copy_source", provider_as_source(Arc::new(mem)), None)?
        .project(projection)?
        .build()?;
    let plan = LogicalPlanBuilder::insert_into(
        plan,
        table_ref,
        provider_as_source(provider.clone()),
        InsertOp::Append,
    )?
    .build()?;
    session.execute_plan(plan).await
}

fn bad(line: usize, msg: impl Into<String>) -> Error {
    Error::coded(BAD_COPY_FILE_FORMAT, format!("{}, line {line}", msg.into()))
}

/// Parses COPY text format.
pub(crate) fn parse_text(
    data: &[u8],
    opts: &CopyOptions,
    ncols: usize,
) -> Result<Vec<Vec<Option<String>>>> {
    let text = std::str::from_utf8(data).map_err(|_| bad(0, "invalid UTF-8 in COPY data"))?;
    let mut rows = Vec::new();
    for (n, line) in text.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line == "\\." {
            break;
        }
        if line.is_empty() && n + 1 == text.split('\n').count() {
            break;
        }
        if n == 0 && opts.header {
            continue;
        }
        let mut fields = Vec::new();
        let mut cur = String::new();
        let mut raw = String::new();
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if c == opts.delimiter {
                fields.push(finish_text_field(&cur, &raw, opts));
                cur.clear();
                raw.clear();
                continue;
            }
            if c == '\\' {
                raw.push(c);
                let Some(e) = chars.next() else { break };
                raw.push(e);
                match e {
                    'n' => cur.push('\n'),
                    'r' => cur.push('\r'),
                    't' => cur.push('\t'),
                    'b' => cur.push('\u{8}'),
                    'f' => cur.push('\u{c}'),
                    'v' => cur.push('\u{b}'),
                    'x' => cur.push(escaped_char(&mut chars, 16, 0)),
                    '0'..='7' => {
                        cur.push(escaped_char(&mut chars, 8, e.to_digit(8).expect("octal")))
                    }
                    other => cur.push(other),
                }
                continue;
            }
            raw.push(c);
            cur.push(c);
        }
        fields.push(finish_text_field(&cur, &raw, opts));
        if fields.len() != ncols {
            return Err(field_count_error(n + 1, fields.len(), ncols));
        }
        rows.push(fields);
    }
    Ok(rows)
}

/// The character of a `\xHH` or `\OOO` escape: up to two more digits of
/// `radix` after the `start` value already read.
fn escaped_char(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    radix: u32,
    start: u32,
) -> char {
    let mut v = start;
    for _ in 0..2 {
        match chars.peek().and_then(|c| c.to_digit(radix)) {
            Some(d) => {
                v = v * radix + d;
                chars.next();
            }
            None => break,
        }
    }
    char::from_u32(v).unwrap_or('\u{fffd}')
}

/// 22P04 for a row with the wrong number of fields.
fn field_count_error(line: usize, got: usize, want: usize) -> Error {
    bad(
        line,
        if got < want {
            "missing data for column"
        } else {
            "extra data after last expected column"
        },
    )
}

fn finish_text_field(cur: &str, raw: &str, opts: &CopyOptions) -> Option<String> {
    (raw != opts.null).then(|| cur.to_string())
}

/// Parses COPY CSV format (quoted fields may span lines).
pub(crate) fn parse_csv(
    data: &[u8],
    opts: &CopyOptions,
    ncols: usize,
) -> Result<Vec<Vec<Option<String>>>> {
    let text = std::str::from_utf8(data).map_err(|_| bad(0, "invalid UTF-8 in COPY data"))?;
    let mut rows = Vec::new();
    let mut fields: Vec<Option<String>> = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut in_quotes = false;
    let mut line = 1usize;
    let mut chars = text.chars().peekable();
    let mut at_line_start = true;
    let mut first_row = true;
    loop {
        let c = chars.next();
        if at_line_start && !in_quotes {
            at_line_start = false;
            if c == Some('\\') && chars.peek() == Some(&'.') {
                break;
            }
        }
        match c {
            None => {
                if in_quotes {
                    return Err(bad(line, "unterminated CSV quoted field"));
                }
                if !cur.is_empty() || quoted || !fields.is_empty() {
                    fields.push(csv_field(&cur, quoted, opts));
                    push_row(&mut rows, &mut fields, ncols, line, &mut first_row, opts)?;
                }
                break;
            }
            Some(c) if in_quotes => {
                if c == opts.escape
                    && chars.peek() == Some(&opts.quote)
                    && opts.escape != opts.quote
                {
                    cur.push(chars.next().expect("peeked"));
                } else if c == opts.quote {
                    if opts.escape == opts.quote && chars.peek() == Some(&opts.quote) {
                        cur.push(chars.next().expect("peeked"));
                    } else {
                        in_quotes = false;
                    }
                } else {
                    if c == '\n' {
                        line += 1;
                    }
                    cur.push(c);
                }
            }
            Some(c) if c == opts.quote => {
                in_quotes = true;
                quoted = true;
            }
            Some(c) if c == opts.delimiter => {
                fields.push(csv_field(&cur, quoted, opts));
                cur.clear();
                quoted = false;
            }
            Some('\r') if chars.peek() == Some(&'\n') => {}
            Some('\n') => {
                fields.push(csv_field(&cur, quoted, opts));
                cur.clear();
                quoted = false;
                push_row(&mut rows, &mut fields, ncols, line, &mut first_row, opts)?;
                line += 1;
                at_line_start = true;
            }
            Some(c) => cur.push(c),
        }
    }
    Ok(rows)
}

fn csv_field(cur: &str, quoted: bool, opts: &CopyOptions) -> Option<String> {
    (quoted || cur != opts.null).then(|| cur.to_string())
}

fn push_row(
    rows: &mut Vec<Vec<Option<String>>>,
    fields: &mut Vec<Option<String>>,
    ncols: usize,
    line: usize,
    first_row: &mut bool,
    opts: &CopyOptions,
) -> Result<()> {
    let row = std::mem::take(fields);
    if std::mem::take(first_row) && opts.header {
        return Ok(());
    }
    if row.len() != ncols {
        return Err(field_count_error(line, row.len(), ncols));
    }
    rows.push(row);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(format: CopyFormat) -> CopyOptions {
        CopyOptions::from_ast(
            &[CopyOption::Format(
                match format {
                    CopyFormat::Csv => "csv",
                    CopyFormat::Text => "text",
                    CopyFormat::Binary => "binary",
                }
                .into(),
            )],
            &[],
        )
        .unwrap()
    }

    #[test]
    fn text_round_trip() {
        let o = opts(CopyFormat::Text);
        let rows = parse_text(b"1\ta\\tb\n2\t\\N\n\\.\n", &o, 2).unwrap();
        assert_eq!(rows[0], vec![Some("1".into()), Some("a\tb".into())]);
        assert_eq!(rows[1], vec![Some("2".into()), None]);
        assert!(parse_text(b"1\n", &o, 2).is_err());
        assert_eq!(text_escape("a\\b\nc\td", '\t'), "a\\\\b\\nc\\td");
    }

    #[test]
    fn csv_parsing() {
        let o = opts(CopyFormat::Csv);
        let rows = parse_csv(b"1,\"x, \"\"y\"\"\",\n2,\"multi\nline\",\"\"\n", &o, 3).unwrap();
        assert_eq!(
            rows[0],
            vec![Some("1".into()), Some("x, \"y\"".into()), None]
        );
        assert_eq!(
            rows[1],
            vec![
                Some("2".into()),
                Some("multi\nline".into()),
                Some(String::new())
            ]
        );
        assert_eq!(csv_quote("a,b", &o), "\"a,b\"");
        assert_eq!(csv_quote("", &o), "\"\"");
    }
}

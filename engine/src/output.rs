//! Printing query results: psql-style aligned tables, CSV and JSON.
//!
//! Values are printed as the server sends them to psql (its text encoder);
//! the few types it has no PostgreSQL type for, through Arrow's formatter.

use std::io::Write;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, RecordBatch};
use datafusion::arrow::datatypes::{DataType, Field, SchemaRef};
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};

use crate::error::{Error, Result};

/// Output formats of `tessera sql`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Format {
    /// Aligned columns, as psql prints them.
    #[default]
    Table,
    /// RFC 4180 CSV with a header line.
    Csv,
    /// A JSON array of objects.
    Json,
}

const FORMAT: FormatOptions<'static> = FormatOptions::new()
    .with_null("")
    .with_date_format(Some("%Y-%m-%d"))
    .with_datetime_format(Some("%Y-%m-%d %H:%M:%S%.f"))
    .with_timestamp_format(Some("%Y-%m-%d %H:%M:%S%.f"))
    .with_timestamp_tz_format(Some("%Y-%m-%d %H:%M:%S%.f%:z"));

/// A column's text as the server sends it to psql (the wire's text
/// encoder: arrays `{1,2}`, `timestamptz` with the zone's offset as `+01`,
/// numerics at their scale), or `None` when the encoder has no PostgreSQL
/// type for it. Timestamps with a zone print in the zone they carry (the
/// session's `TimeZone`, which the planner has applied).
fn server_text(a: &ArrayRef, field: &Field) -> Option<Vec<Option<String>>> {
    let zone = match a.data_type() {
        DataType::Timestamp(_, Some(zone)) => Some(zone.to_string()),
        _ => None,
    };
    let text = crate::pg_text::encode(a.clone(), field.clone(), zone)?.ok()?;
    let text = text.as_string::<i32>();
    Some(
        (0..text.len())
            .map(|i| text.is_valid(i).then(|| text.value(i).to_string()))
            .collect(),
    )
}

/// The text of every cell of a batch, `None` for NULL.
pub fn batch_text(batch: &RecordBatch) -> Result<Vec<Vec<Option<String>>>> {
    let mut cols = Vec::with_capacity(batch.num_columns());
    for (a, field) in batch.columns().iter().zip(batch.schema().fields()) {
        if let Some(col) = server_text(a, field) {
            cols.push(col);
            continue;
        }
        // Types the server has no PostgreSQL type for: Arrow's text.
        let f = ArrayFormatter::try_new(a.as_ref(), &FORMAT)
            .map_err(datafusion::error::DataFusionError::from)?;
        let col = (0..a.len())
            .map(|i| (!a.is_null(i)).then(|| f.value(i).to_string()))
            .collect();
        cols.push(col);
    }
    let rows = batch.num_rows();
    Ok((0..rows)
        .map(|r| cols.iter().map(|c| c[r].clone()).collect())
        .collect())
}

/// Numbers are right-aligned, as psql aligns them: numeric types, and
/// `numeric` values printed at their own scale (text tagged `numeric`).
fn right_aligned(f: &datafusion::arrow::datatypes::Field) -> bool {
    f.data_type().is_numeric()
        || f.metadata()
            .get(tessera_udfs::pg::chars::PG_TYPE_KEY)
            .is_some_and(|t| t == "numeric")
}

fn io(e: std::io::Error) -> Error {
    Error::Io {
        path: "<stdout>".into(),
        source: e,
    }
}

/// Writes a result in `format`.
pub fn write_rows(
    out: &mut dyn Write,
    format: Format,
    schema: &SchemaRef,
    batches: &[RecordBatch],
) -> Result<()> {
    let mut rows = Vec::new();
    for b in batches {
        rows.extend(batch_text(b)?);
    }
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    match format {
        Format::Table => {
            let right: Vec<bool> = schema.fields().iter().map(|f| right_aligned(f)).collect();
            write_table(out, &names, &right, &rows).map_err(io)
        }
        Format::Csv => write_csv(out, &names, &rows).map_err(io),
        Format::Json => write_json(out, schema, batches).map_err(io),
    }
}

/// Writes rows of text as psql's aligned format does; `right` marks
/// right-aligned (numeric) columns.
pub fn write_table(
    out: &mut dyn Write,
    names: &[&str],
    right: &[bool],
    rows: &[Vec<Option<String>>],
) -> std::io::Result<()> {
    let width = |s: &str| s.chars().count();
    let mut widths: Vec<usize> = names.iter().map(|n| width(n)).collect();
    for r in rows {
        for (i, v) in r.iter().enumerate() {
            widths[i] = widths[i].max(v.as_deref().map_or(0, width));
        }
    }
    let header: Vec<String> = names
        .iter()
        .zip(&widths)
        .map(|(n, w)| {
            let pad = w - width(n);
            format!(
                " {}{}{} ",
                " ".repeat(pad / 2),
                n,
                " ".repeat(pad - pad / 2)
            )
        })
        .collect();
    writeln!(out, "{}", header.join("|").trim_end())?;
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(w + 2)).collect();
    writeln!(out, "{}", rule.join("+"))?;
    for r in rows {
        let cells: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let v = v.as_deref().unwrap_or("");
                let pad = " ".repeat(widths[i] - width(v));
                if right[i] {
                    format!(" {pad}{v} ")
                } else {
                    format!(" {v}{pad} ")
                }
            })
            .collect();
        writeln!(out, "{}", cells.join("|").trim_end())?;
    }
    let n = rows.len();
    writeln!(out, "({n} row{})", if n == 1 { "" } else { "s" })?;
    writeln!(out)
}

fn csv_field(v: &str) -> String {
    if v.contains([',', '"', '\n', '\r']) || v.starts_with(' ') || v.ends_with(' ') {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_string()
    }
}

fn write_csv(
    out: &mut dyn Write,
    names: &[&str],
    rows: &[Vec<Option<String>>],
) -> std::io::Result<()> {
    let header: Vec<String> = names.iter().map(|n| csv_field(n)).collect();
    writeln!(out, "{}", header.join(","))?;
    for r in rows {
        let cells: Vec<String> = r
            .iter()
            .map(|v| v.as_deref().map(csv_field).unwrap_or_default())
            .collect();
        writeln!(out, "{}", cells.join(","))?;
    }
    Ok(())
}

fn write_json(
    out: &mut dyn Write,
    schema: &SchemaRef,
    batches: &[RecordBatch],
) -> std::io::Result<()> {
    let mut rows = Vec::new();
    for b in batches {
        let text = batch_text(b).map_err(std::io::Error::other)?;
        for (r, cells) in text.into_iter().enumerate() {
            let mut obj = serde_json::Map::new();
            for (i, v) in cells.into_iter().enumerate() {
                let f = schema.field(i);
                let value = match v {
                    None => serde_json::Value::Null,
                    Some(s) => json_value(b.column(i).as_ref(), r, s),
                };
                obj.insert(f.name().clone(), value);
            }
            rows.push(serde_json::Value::Object(obj));
        }
    }
    serde_json::to_writer_pretty(&mut *out, &rows)?;
    writeln!(out)
}

fn json_value(a: &dyn Array, row: usize, text: String) -> serde_json::Value {
    match a.data_type() {
        DataType::Boolean => serde_json::Value::Bool(a.as_boolean().value(row)),
        t if t.is_integer() => text
            .parse::<i64>()
            .map(Into::into)
            .unwrap_or(serde_json::Value::String(text)),
        t if t.is_floating() => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::String(text)),
        _ => serde_json::Value::String(text),
    }
}

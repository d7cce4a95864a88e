//! Printing query results: psql-style aligned tables, CSV and JSON.
//!
//! Values are printed as the server sends them to psql (its text encoder),
//! and otherwise as PostgreSQL's text format prints them where it matters
//! to a reader (`t`/`f`, `2024-01-31 10:00:00`), through Arrow's
//! formatters.

use std::io::Write;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, RecordBatch};
use datafusion::arrow::datatypes::{
    DataType, Decimal128Type, Field, Float32Type, Float64Type, SchemaRef,
};
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};

use crate::error::{Error, Result};
use crate::server::datarow::interval_style::IntervalStyle;

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

/// `infinity` / `-infinity` for a date or microsecond timestamp holding
/// one, as the server prints it (`server::datarow::infinity`).
fn infinity(a: &dyn Array, i: usize) -> Option<&'static str> {
    use crate::server::datarow::{DATE_INFINITIES, TIMESTAMP_INFINITIES, infinity};
    use datafusion::arrow::datatypes::{Date32Type, TimeUnit, TimestampMicrosecondType};
    let word = match a.data_type() {
        DataType::Date32 => infinity(
            i64::from(a.as_primitive::<Date32Type>().value(i)),
            DATE_INFINITIES,
        ),
        DataType::Timestamp(TimeUnit::Microsecond, _) => infinity(
            a.as_primitive::<TimestampMicrosecondType>().value(i),
            TIMESTAMP_INFINITIES,
        ),
        _ => None,
    }?;
    std::str::from_utf8(word).ok()
}

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
    use crate::server::datarow::text;
    let mut cols = Vec::with_capacity(batch.num_columns());
    for (a, field) in batch.columns().iter().zip(batch.schema().fields()) {
        if let Some(col) = server_text(a, field) {
            cols.push(col);
            continue;
        }
        let f = ArrayFormatter::try_new(a.as_ref(), &FORMAT)
            .map_err(datafusion::error::DataFusionError::from)?;
        // As the server prints them: floats in PostgreSQL's shortest form
        // (`2`, not `2.0`), quotients at PostgreSQL's scale,
        // intervals and times in PostgreSQL's style, jsonb normalised.
        let quotient = field
            .metadata()
            .get(tessera_udfs::pg::numeric::DISPLAY_KEY)
            .is_some();
        let jsonb = tessera_udfs::pg::json::kind_of(field) == Some("jsonb");
        let temporal = matches!(
            a.data_type(),
            DataType::Interval(_)
                | DataType::Duration(_)
                | DataType::Time32(_)
                | DataType::Time64(_)
        );
        let mut col = Vec::with_capacity(a.len());
        for i in 0..a.len() {
            col.push(if a.is_null(i) {
                None
            } else if a.data_type() == &DataType::Boolean {
                Some(if a.as_boolean().value(i) { "t" } else { "f" }.to_string())
            } else if quotient && a.data_type() == &tessera_udfs::pg::numeric::QUOTIENT_TYPE {
                let mut buf = bytes::BytesMut::new();
                text::quotient(&mut buf, a.as_primitive::<Decimal128Type>().value(i));
                Some(String::from_utf8_lossy(&buf).into_owned())
            } else if a.data_type() == &DataType::Float64 {
                let mut buf = bytes::BytesMut::new();
                text::float8(&mut buf, a.as_primitive::<Float64Type>().value(i), 1);
                Some(String::from_utf8_lossy(&buf).into_owned())
            } else if a.data_type() == &DataType::Float32 {
                let mut buf = bytes::BytesMut::new();
                text::float4(&mut buf, a.as_primitive::<Float32Type>().value(i), 1);
                Some(String::from_utf8_lossy(&buf).into_owned())
            } else if temporal {
                let mut buf = bytes::BytesMut::new();
                text::temporal(&mut buf, a, i, IntervalStyle::Postgres);
                Some(String::from_utf8_lossy(&buf).into_owned())
            } else if jsonb {
                let v = f.value(i).to_string();
                Some(tessera_udfs::pg::json::normalize(&v).unwrap_or(v))
            } else if let Some(word) = infinity(a.as_ref(), i) {
                Some(word.to_string())
            } else {
                Some(f.value(i).to_string())
            });
        }
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

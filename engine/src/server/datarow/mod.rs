//! Result rows as `DataRow` messages, one Arrow batch at a time.
//!
//! Streaming a large result is the server's hottest loop: every value of
//! every row passes through here. arrow-pg's generic encoder pays, per value,
//! a type dispatch on the Arrow array, a downcast, a conversion to a Rust
//! value and a `ToSql`/`ToSqlText` call, and allocates one buffer per row.
//! Here the type of each column is resolved once per query ([`Plan`]), the
//! arrays are downcast once per batch ([`Column`]), values are written
//! straight from the Arrow buffers, and all rows of a batch share one
//! allocation (each `DataRow` is a `split` of it, a reference count).
//!
//! Text output follows PostgreSQL 15 byte for byte (see [`text`]); binary
//! output is PostgreSQL's `send` format. Arrays in text are `{…}` of their
//! elements' text, quoted as `array_out` quotes them. Types without a fast
//! path here (binary arrays, structs, numeric in binary,
//! non-ISO `DateStyle`, …) go through arrow-pg's encoder, one value at a
//! time, unchanged.

mod fields;
pub(crate) mod interval_style;
pub(crate) mod text;

pub(crate) use fields::pg_fields;

use std::str::FromStr;
use std::sync::Arc;

use bytes::{BufMut, BytesMut};
use chrono::{DateTime, Offset, TimeZone};
use datafusion::arrow::array::timezone::Tz;
use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BinaryArray, BinaryViewArray, BooleanArray, LargeBinaryArray,
    LargeStringArray, PrimitiveArray, RecordBatch, StringArray, StringViewArray,
};
use datafusion::arrow::buffer::NullBuffer;
use datafusion::arrow::datatypes::{
    ArrowPrimitiveType, DataType, Date32Type, Decimal128Type, Field, Float32Type, Float64Type,
    Int16Type, Int32Type, Int64Type, SchemaRef, TimeUnit, TimestampMicrosecondType,
    TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType,
};
use datafusion_postgres::arrow_pg::encoder::encode_value;
use datafusion_postgres::pgwire::api::Type;
use datafusion_postgres::pgwire::api::results::{DataRowEncoder, FieldFormat, FieldInfo};
use datafusion_postgres::pgwire::error::PgWireResult;
use datafusion_postgres::pgwire::messages::data::DataRow;
use interval_style::IntervalStyle;
use tessera_udfs::pg::numeric::Display;

use text::{PG_EPOCH_DAYS, PG_EPOCH_MICROS};

/// Bytes per shared row buffer (see [`RowEncoder::encode`]); also the
/// capacity `BytesMut` gives the chunks it starts when one is full.
const CHUNK: usize = 64 * 1024;

/// How one column is written, decided once per query from its Arrow type,
/// its PostgreSQL type and its format code.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Plan {
    Int16,
    Int32,
    Int64,
    Float32,
    Float64,
    Bool,
    /// Any Arrow string array as text/varchar (the bytes are the value in
    /// both formats).
    Str,
    /// Any Arrow binary array as bytea (`\x…` hex in text).
    Bytea,
    Date,
    /// Any Arrow time unit; `tz`: a `timestamptz` (UTC instants).
    Timestamp {
        unit: TimeUnit,
        tz: bool,
    },
    /// `numeric` in text from `Decimal128(_, scale)`; `quotient`: a
    /// PostgreSQL division result or statistic, shown at PostgreSQL's
    /// per-value scale.
    Decimal {
        scale: u32,
        quotient: Option<Display>,
    },
    /// `jsonb` text, normalised as PostgreSQL prints it.
    Jsonb,
    /// `numeric` held as its text, in binary (`numeric_send`).
    NumericText,
    /// `time` and `interval` in text (PostgreSQL's `IntervalStyle`
    /// postgres), from any Arrow time, duration or interval array.
    Temporal,
    /// An array in text; its elements' plan, and its number of dimensions
    /// (arrays of arrays), are kept beside (`RowEncoder::elements`).
    List,
    /// arrow-pg's per-value encoder.
    Fallback,
}

/// The plan of an array's innermost elements and its number of dimensions.
type Elements = (Plan, usize);

/// A column's plan, and its elements' when it is `Plan::List`.
fn plan(arrow: &Field, field: &FieldInfo, hex_bytea: bool) -> (Plan, Option<Elements>) {
    let binary = field.format() == FieldFormat::Binary;
    match element_plan(arrow, field.datatype(), hex_bytea) {
        Some(element) if !binary => (Plan::List, Some(element)),
        _ => (type_plan(arrow, field.datatype(), binary, hex_bytea), None),
    }
}

/// The plan of a value of PostgreSQL type `pg` held in `arrow`.
fn type_plan(arrow: &Field, pg: &Type, binary: bool, hex_bytea: bool) -> Plan {
    let quotient = Display::of(arrow);
    let arrow = arrow.data_type();
    match arrow {
        DataType::Int16 if *pg == Type::INT2 => Plan::Int16,
        DataType::Int32 if *pg == Type::INT4 => Plan::Int32,
        DataType::Int64 if *pg == Type::INT8 => Plan::Int64,
        DataType::Float32 if *pg == Type::FLOAT4 => Plan::Float32,
        DataType::Float64 if *pg == Type::FLOAT8 => Plan::Float64,
        DataType::Boolean if *pg == Type::BOOL => Plan::Bool,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View if *pg == Type::JSONB => {
            Plan::Jsonb
        }
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
            if matches!(
                *pg,
                Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::REGTYPE
            ) || (!binary && matches!(*pg, Type::JSON | Type::NUMERIC)) =>
        {
            Plan::Str
        }
        // `numeric` as text (`tessera_udfs::pg::numeric_text`), in binary.
        DataType::Utf8 if *pg == Type::NUMERIC => Plan::NumericText,
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView
            if *pg == Type::BYTEA && (binary || hex_bytea) =>
        {
            Plan::Bytea
        }
        DataType::Date32 if *pg == Type::DATE => Plan::Date,
        DataType::Timestamp(unit, tz)
            if *pg
                == if tz.is_some() {
                    Type::TIMESTAMPTZ
                } else {
                    Type::TIMESTAMP
                } =>
        {
            Plan::Timestamp {
                unit: *unit,
                tz: tz.is_some(),
            }
        }
        DataType::Decimal128(_, scale) if *pg == Type::NUMERIC && !binary && *scale >= 0 => {
            Plan::Decimal {
                scale: *scale as u32,
                quotient,
            }
        }
        DataType::Time32(_)
        | DataType::Time64(_)
        | DataType::Duration(_)
        | DataType::Interval(_)
            if !binary && matches!(*pg, Type::TIME | Type::INTERVAL) =>
        {
            Plan::Temporal
        }
        _ => Plan::Fallback,
    }
}

/// The plan of the innermost elements of an array in text, and its number
/// of dimensions (lists of lists), when they have one (structs, … go to
/// arrow-pg).
fn element_plan(arrow: &Field, pg: &Type, hex_bytea: bool) -> Option<Elements> {
    let (DataType::List(child) | DataType::LargeList(child)) = arrow.data_type() else {
        return None;
    };
    let (mut child, mut dimensions) = (child, 1);
    while let DataType::List(inner) | DataType::LargeList(inner) = child.data_type() {
        (child, dimensions) = (inner, dimensions + 1);
    }
    let element = match *pg {
        Type::BOOL_ARRAY => Type::BOOL,
        Type::INT2_ARRAY => Type::INT2,
        Type::INT4_ARRAY => Type::INT4,
        Type::INT8_ARRAY => Type::INT8,
        Type::FLOAT4_ARRAY => Type::FLOAT4,
        Type::FLOAT8_ARRAY => Type::FLOAT8,
        Type::NUMERIC_ARRAY => Type::NUMERIC,
        Type::TEXT_ARRAY => Type::TEXT,
        Type::VARCHAR_ARRAY => Type::VARCHAR,
        Type::BPCHAR_ARRAY => Type::BPCHAR,
        Type::NAME_ARRAY => Type::NAME,
        Type::JSON_ARRAY => Type::JSON,
        Type::JSONB_ARRAY => Type::JSONB,
        Type::BYTEA_ARRAY => Type::BYTEA,
        Type::DATE_ARRAY => Type::DATE,
        Type::TIME_ARRAY => Type::TIME,
        Type::TIMESTAMP_ARRAY => Type::TIMESTAMP,
        Type::TIMESTAMPTZ_ARRAY => Type::TIMESTAMPTZ,
        Type::INTERVAL_ARRAY => Type::INTERVAL,
        _ => return None,
    };
    match type_plan(child, &element, false, hex_bytea) {
        Plan::Fallback => None,
        p => Some((p, dimensions)),
    }
}

/// `infinity` and `-infinity` of dates and timestamps
/// (`tessera_udfs::pg::datetime_in::DATE_INFINITY`, …): the extreme values.
pub(crate) const DATE_INFINITIES: (i64, i64) = (
    tessera_udfs::pg::datetime_in::DATE_INFINITY as i64,
    tessera_udfs::pg::datetime_in::DATE_NEG_INFINITY as i64,
);
pub(crate) const TIMESTAMP_INFINITIES: (i64, i64) = (
    tessera_udfs::pg::datetime_in::TIMESTAMP_INFINITY,
    tessera_udfs::pg::datetime_in::TIMESTAMP_NEG_INFINITY,
);

/// The text of `v` when it is one of the `(infinity, -infinity)` values.
pub(crate) fn infinity(v: i64, (up, down): (i64, i64)) -> Option<&'static [u8]> {
    if v == up {
        Some(b"infinity")
    } else if v == down {
        Some(b"-infinity")
    } else {
        None
    }
}

/// Encodes the batches of one result set.
pub(crate) struct RowEncoder {
    schema: SchemaRef,
    fields: Arc<Vec<FieldInfo>>,
    plans: Vec<Plan>,
    /// The elements' plan and dimensions of each `Plan::List` column.
    elements: Vec<Option<Elements>>,
    /// One single-field arrow-pg encoder per fallback column (made on first use).
    fallback: Vec<Option<DataRowEncoder>>,
    date_style: text::DateStyle,
    hex_bytea: bool,
    extra_float_digits: i32,
    interval_style: IntervalStyle,
    /// The session `TimeZone` for `timestamptz` text; `None` when it is not
    /// one Arrow knows (then such columns take the fallback).
    time_zone: Option<Tz>,
    /// The same zone from the tz database, for its abbreviations (`CET`).
    zone_names: Option<chrono_tz::Tz>,
    /// Bytes per row of the previous batch, to size the next buffer.
    row_bytes: usize,
}

impl RowEncoder {
    pub(crate) fn new(schema: SchemaRef, fields: Arc<Vec<FieldInfo>>) -> RowEncoder {
        let options = fields.first().map(|f| f.format_options().clone());
        let interval_style = options.as_ref().map_or(IntervalStyle::Postgres, |o| {
            IntervalStyle::parse(&o.interval_style)
        });
        let zone_names = options.as_ref().and_then(|o| o.time_zone.parse().ok());
        let (date_style, hex_bytea, extra_float_digits, time_zone) = match &options {
            Some(o) => (
                text::DateStyle::parse(&o.date_style),
                o.bytea_output.eq_ignore_ascii_case("hex"),
                i32::from(o.extra_float_digits),
                Tz::from_str(&o.time_zone).ok(),
            ),
            None => (text::DateStyle::Iso, true, 1, None),
        };
        let mut encoder = RowEncoder {
            schema: schema.clone(),
            fields,
            plans: Vec::new(),
            elements: Vec::new(),
            fallback: Vec::new(),
            date_style,
            hex_bytea,
            extra_float_digits,
            interval_style,
            time_zone,
            zone_names,
            row_bytes: 64,
        };
        encoder.plan_for(schema);
        encoder
    }

    /// Plans every column of batches with `schema`. Called again when a
    /// batch's arrays differ from the declared schema (some providers
    /// produce such batches): its real types decide, as in arrow-pg.
    fn plan_for(&mut self, schema: SchemaRef) {
        let zoned = |p: Option<Plan>| matches!(p, Some(Plan::Timestamp { tz: true, .. }));
        let leaf = |e: Option<Elements>| e.map(|(p, _)| p);
        (self.plans, self.elements) = schema
            .fields()
            .iter()
            .zip(self.fields.iter())
            .map(|(a, f)| {
                let (p, element) = plan(a, f, self.hex_bytea);
                let text_tz =
                    f.format() == FieldFormat::Text && (zoned(Some(p)) || zoned(leaf(element)));
                if text_tz && self.time_zone.is_none() {
                    (Plan::Fallback, None)
                } else {
                    (p, element)
                }
            })
            .unzip();
        self.fallback = self.plans.iter().map(|_| None).collect();
        self.schema = schema;
    }

    /// All rows of `batch` as `DataRow`s sharing one buffer.
    pub(crate) fn encode(&mut self, batch: &RecordBatch) -> PgWireResult<Vec<DataRow>> {
        let same_types = batch.schema_ref().fields().len() == self.schema.fields().len()
            && (batch.schema_ref().fields().iter())
                .zip(self.schema.fields().iter())
                .all(|(a, b)| a.data_type() == b.data_type());
        if !same_types {
            self.plan_for(batch.schema());
        }
        let n = batch.num_rows();
        let columns: Vec<Column<'_>> = batch
            .columns()
            .iter()
            .zip(self.plans.iter().zip(&self.elements))
            .map(|(a, (p, e))| Column::new(a, *p, *e))
            .collect();
        let formats: Vec<bool> = self
            .fields
            .iter()
            .map(|f| f.format() == FieldFormat::Binary)
            .collect();
        let field_count = columns.len() as i16;
        // Rows share chunks of at most CHUNK bytes (`put_*` starts a new one
        // when a row does not fit): large per-batch buffers would come fresh
        // from the OS each time (page faults and zeroing cost more than the
        // encoding), medium ones are recycled by the allocator.
        let mut buf = BytesMut::with_capacity(self.row_bytes.saturating_mul(n).clamp(1024, CHUNK));
        let mut rows = Vec::with_capacity(n);
        for row in 0..n {
            for (c, column) in columns.iter().enumerate() {
                if column.nulls.is_some_and(|nulls| nulls.is_null(row)) {
                    buf.put_i32(-1);
                    continue;
                }
                if let Values::Fallback(array) = column.values {
                    let info = &self.fields[c];
                    let encoder = self.fallback[c]
                        .get_or_insert_with(|| DataRowEncoder::new(Arc::new(vec![info.clone()])));
                    let field = self.schema.field(c);
                    encode_value(encoder, array, row, field, &self.fields[c])?;
                    buf.put_slice(&encoder.take_row().data);
                } else if formats[c] {
                    self.binary(&mut buf, column, row);
                } else {
                    self.text(&mut buf, column, row);
                }
            }
            rows.push(DataRow::new(buf.split(), field_count));
        }
        let used: usize = rows.iter().map(|r| r.data.len()).sum();
        if let Some(per_row) = used.checked_div(n) {
            self.row_bytes = per_row + 1;
        }
        Ok(rows)
    }

    fn text(&self, buf: &mut BytesMut, column: &Column<'_>, row: usize) {
        let at = buf.len();
        buf.put_i32(0);
        self.text_value(buf, column, row);
        let len = (buf.len() - at - 4) as i32;
        buf[at..at + 4].copy_from_slice(&len.to_be_bytes());
    }

    /// The text of a non-NULL value, without its length.
    fn text_value(&self, buf: &mut BytesMut, column: &Column<'_>, row: usize) {
        match column.values {
            Values::I16(v) => text::int(buf, v[row]),
            Values::I32(v) => text::int(buf, v[row]),
            Values::I64(v) => text::int(buf, v[row]),
            Values::F32(v) => text::float4(buf, v[row], self.extra_float_digits),
            Values::F64(v) => text::float8(buf, v[row], self.extra_float_digits),
            Values::Bool(a) => buf.put_u8(if a.value(row) { b't' } else { b'f' }),
            Values::Str(a) => buf.put_slice(a.value(row).as_bytes()),
            Values::LargeStr(a) => buf.put_slice(a.value(row).as_bytes()),
            Values::StrView(a) => buf.put_slice(a.value(row).as_bytes()),
            Values::NumericText(a) => buf.put_slice(a.value(row).as_bytes()),
            Values::Bin(a) => text::bytea_hex(buf, a.value(row)),
            Values::LargeBin(a) => text::bytea_hex(buf, a.value(row)),
            Values::BinView(a) => text::bytea_hex(buf, a.value(row)),
            Values::Date(v) => match infinity(i64::from(v[row]), DATE_INFINITIES) {
                Some(word) => buf.put_slice(word),
                None => text::date_styled(buf, v[row], self.date_style),
            },
            Values::Timestamp { values, unit, tz } => {
                let micros = to_micros(values[row], unit);
                if let Some(word) = infinity(micros, TIMESTAMP_INFINITIES) {
                    buf.put_slice(word);
                    return;
                }
                match (tz, self.date_style) {
                    (false, style) => text::timestamp_styled(buf, micros, None, style),
                    (true, text::DateStyle::Iso) => {
                        text::timestamp(buf, micros, Some(self.offset_secs(micros)));
                    }
                    (true, style) => {
                        let abbreviation = self.abbreviation(micros);
                        let zone = Some((self.offset_secs(micros), abbreviation.as_deref()));
                        text::timestamp_styled(buf, micros, zone, style);
                    }
                }
            }
            Values::Decimal {
                values,
                scale,
                quotient: None,
            } => text::decimal(buf, values[row], scale),
            Values::Decimal {
                values,
                quotient: Some(display),
                ..
            } => text::quotient(buf, values[row], display),
            Values::Temporal(a) => text::temporal(buf, a, row, self.interval_style),
            Values::Jsonb(a) => buf.put_slice(jsonb_text(a, row).as_bytes()),
            Values::List {
                ref offsets,
                ref elements,
            } => {
                let (start, end) = offsets.range(row);
                buf.put_u8(b'{');
                for i in start..end {
                    if i > start {
                        buf.put_u8(b',');
                    }
                    if elements.nulls.is_some_and(|nulls| nulls.is_null(i)) {
                        buf.put_slice(b"NULL");
                        continue;
                    }
                    let at = buf.len();
                    self.text_value(buf, elements, i);
                    // A sub-array of an array of arrays is written as is.
                    if !matches!(elements.values, Values::List { .. }) {
                        text::quote_array_element(buf, at);
                    }
                }
                buf.put_u8(b'}');
            }
            // Written by the caller (see `encode`).
            Values::Fallback(_) => unreachable!("fallback columns are encoded by arrow-pg"),
        }
    }

    fn binary(&self, buf: &mut BytesMut, column: &Column<'_>, row: usize) {
        fn var(buf: &mut BytesMut, bytes: &[u8]) {
            buf.put_i32(bytes.len() as i32);
            buf.put_slice(bytes);
        }
        match column.values {
            Values::I16(v) => {
                buf.put_i32(2);
                buf.put_i16(v[row]);
            }
            Values::I32(v) => {
                buf.put_i32(4);
                buf.put_i32(v[row]);
            }
            Values::I64(v) => {
                buf.put_i32(8);
                buf.put_i64(v[row]);
            }
            Values::F32(v) => {
                buf.put_i32(4);
                buf.put_f32(v[row]);
            }
            Values::F64(v) => {
                buf.put_i32(8);
                buf.put_f64(v[row]);
            }
            Values::Bool(a) => {
                buf.put_i32(1);
                buf.put_u8(u8::from(a.value(row)));
            }
            Values::Str(a) => var(buf, a.value(row).as_bytes()),
            // jsonb's binary format: a version byte (1), then the text.
            Values::Jsonb(a) => {
                let text = jsonb_text(a, row);
                buf.put_i32(text.len() as i32 + 1);
                buf.put_u8(1);
                buf.put_slice(text.as_bytes());
            }
            Values::LargeStr(a) => var(buf, a.value(row).as_bytes()),
            Values::StrView(a) => var(buf, a.value(row).as_bytes()),
            Values::NumericText(a) => {
                let at = buf.len();
                buf.put_i32(0);
                crate::server::binary::numeric_send(buf, a.value(row));
                let len = (buf.len() - at - 4) as i32;
                buf[at..at + 4].copy_from_slice(&len.to_be_bytes());
            }
            Values::Bin(a) => var(buf, a.value(row)),
            Values::LargeBin(a) => var(buf, a.value(row)),
            Values::BinView(a) => var(buf, a.value(row)),
            // The infinities are the same extreme values in PostgreSQL's
            // binary format (not shifted to its 2000-01-01 epoch).
            Values::Date(v) => {
                buf.put_i32(4);
                let days = v[row];
                buf.put_i32(match infinity(i64::from(days), DATE_INFINITIES) {
                    Some(_) => days,
                    None => days.wrapping_sub(PG_EPOCH_DAYS),
                });
            }
            Values::Timestamp { values, unit, .. } => {
                buf.put_i32(8);
                let micros = to_micros(values[row], unit);
                buf.put_i64(match infinity(micros, TIMESTAMP_INFINITIES) {
                    Some(_) => micros,
                    None => micros.wrapping_sub(PG_EPOCH_MICROS),
                });
            }
            // Decimals are planned for text only; fallbacks are written by
            // the caller (see `plan` and `encode`).
            Values::Decimal { .. }
            | Values::Temporal(_)
            | Values::List { .. }
            | Values::Fallback(_) => {
                unreachable!("no binary fast path for this column")
            }
        }
    }

    /// The session time zone's abbreviation at an instant (`CET`, `UTC`),
    /// which the non-ISO `DateStyle`s print; `None` for a bare offset.
    fn abbreviation(&self, micros: i64) -> Option<String> {
        use chrono_tz::OffsetName;
        let zone = self.zone_names.as_ref()?;
        let utc = DateTime::from_timestamp_micros(micros)?;
        let name = zone
            .offset_from_utc_datetime(&utc.naive_utc())
            .abbreviation()?
            .to_string();
        Some(name)
    }

    /// The session time zone's UTC offset at an instant.
    fn offset_secs(&self, micros: i64) -> i32 {
        let (Some(tz), Some(utc)) = (&self.time_zone, DateTime::from_timestamp_micros(micros))
        else {
            return 0;
        };
        tz.offset_from_utc_datetime(&utc.naive_utc())
            .fix()
            .local_minus_utc()
    }
}

/// Microseconds since 1970 from a timestamp in `unit` (nanoseconds rounded,
/// as PostgreSQL rounds input to its microsecond precision).
#[inline]
fn to_micros(v: i64, unit: TimeUnit) -> i64 {
    match unit {
        TimeUnit::Second => v.saturating_mul(1_000_000),
        TimeUnit::Millisecond => v.saturating_mul(1_000),
        TimeUnit::Microsecond => v,
        TimeUnit::Nanosecond => v.saturating_add(500).div_euclid(1_000),
    }
}

/// One column of a batch, downcast once.
struct Column<'a> {
    nulls: Option<&'a NullBuffer>,
    values: Values<'a>,
}

enum Values<'a> {
    I16(&'a [i16]),
    I32(&'a [i32]),
    I64(&'a [i64]),
    F32(&'a [f32]),
    F64(&'a [f64]),
    Bool(&'a BooleanArray),
    Str(&'a StringArray),
    LargeStr(&'a LargeStringArray),
    StrView(&'a StringViewArray),
    Bin(&'a BinaryArray),
    LargeBin(&'a LargeBinaryArray),
    BinView(&'a BinaryViewArray),
    Date(&'a [i32]),
    Timestamp {
        values: &'a [i64],
        unit: TimeUnit,
        tz: bool,
    },
    Decimal {
        values: &'a [i128],
        scale: u32,
        quotient: Option<Display>,
    },
    Temporal(&'a ArrayRef),
    Jsonb(&'a ArrayRef),
    NumericText(&'a StringArray),
    List {
        offsets: Offsets<'a>,
        elements: Box<Column<'a>>,
    },
    Fallback(&'a ArrayRef),
}

/// A list array's offsets (`List` or `LargeList`).
enum Offsets<'a> {
    Small(&'a [i32]),
    Large(&'a [i64]),
}

impl Offsets<'_> {
    /// The element range of row `row`.
    fn range(&self, row: usize) -> (usize, usize) {
        match self {
            Offsets::Small(o) => (o[row] as usize, o[row + 1] as usize),
            Offsets::Large(o) => (o[row] as usize, o[row + 1] as usize),
        }
    }
}

fn prim<T: ArrowPrimitiveType>(a: &ArrayRef) -> &[T::Native] {
    let array: &PrimitiveArray<T> = a.as_primitive();
    array.values()
}

impl<'a> Column<'a> {
    fn new(a: &'a ArrayRef, plan: Plan, element: Option<Elements>) -> Column<'a> {
        let values = match plan {
            Plan::Int16 => Values::I16(prim::<Int16Type>(a)),
            Plan::Int32 => Values::I32(prim::<Int32Type>(a)),
            Plan::Int64 => Values::I64(prim::<Int64Type>(a)),
            Plan::Float32 => Values::F32(prim::<Float32Type>(a)),
            Plan::Float64 => Values::F64(prim::<Float64Type>(a)),
            Plan::Bool => Values::Bool(a.as_boolean()),
            Plan::Str => match a.data_type() {
                DataType::Utf8 => Values::Str(a.as_string()),
                DataType::LargeUtf8 => Values::LargeStr(a.as_string()),
                _ => Values::StrView(a.as_string_view()),
            },
            Plan::Bytea => match a.data_type() {
                DataType::Binary => Values::Bin(a.as_binary()),
                DataType::LargeBinary => Values::LargeBin(a.as_binary()),
                _ => Values::BinView(a.as_binary_view()),
            },
            Plan::Date => Values::Date(prim::<Date32Type>(a)),
            Plan::Timestamp { unit, tz } => Values::Timestamp {
                values: match unit {
                    TimeUnit::Second => prim::<TimestampSecondType>(a),
                    TimeUnit::Millisecond => prim::<TimestampMillisecondType>(a),
                    TimeUnit::Microsecond => prim::<TimestampMicrosecondType>(a),
                    TimeUnit::Nanosecond => prim::<TimestampNanosecondType>(a),
                },
                unit,
                tz,
            },
            Plan::Decimal { scale, quotient } => Values::Decimal {
                values: prim::<Decimal128Type>(a),
                scale,
                quotient,
            },
            Plan::Temporal => Values::Temporal(a),
            Plan::Jsonb => Values::Jsonb(a),
            Plan::NumericText => Values::NumericText(a.as_string()),
            Plan::List => {
                let (leaf, dimensions) = element.expect("a list column has an element plan");
                // The elements of an array of arrays are arrays.
                let inner = |values| match dimensions {
                    1 => Box::new(Column::new(values, leaf, None)),
                    _ => Box::new(Column::new(
                        values,
                        Plan::List,
                        Some((leaf, dimensions - 1)),
                    )),
                };
                match a.data_type() {
                    DataType::LargeList(_) => {
                        let list = a.as_list::<i64>();
                        Values::List {
                            offsets: Offsets::Large(list.offsets()),
                            elements: inner(list.values()),
                        }
                    }
                    _ => {
                        let list = a.as_list::<i32>();
                        Values::List {
                            offsets: Offsets::Small(list.offsets()),
                            elements: inner(list.values()),
                        }
                    }
                }
            }
            Plan::Fallback => Values::Fallback(a),
        };
        // Fallback columns handle NULL themselves (arrow-pg writes -1).
        let nulls = if plan == Plan::Fallback {
            None
        } else {
            a.nulls()
        };
        Column { nulls, values }
    }
}

/// The normalised `jsonb` text of row `row` of a string array.
fn jsonb_text(a: &ArrayRef, row: usize) -> String {
    let v = match a.data_type() {
        DataType::Utf8View => a.as_string_view().value(row),
        DataType::LargeUtf8 => a.as_string::<i64>().value(row),
        _ => a.as_string::<i32>().value(row),
    };
    tessera_udfs::pg::json::normalize(v).unwrap_or_else(|| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{Int32Array, Int64Array};
    use datafusion::arrow::datatypes::{Field, Schema};
    use datafusion_postgres::arrow_pg::datatypes::arrow_schema_to_pg_fields;
    use datafusion_postgres::pgwire::api::portal::Format;

    fn values(row: &DataRow) -> Vec<Option<String>> {
        let (mut out, mut pos, data) = (Vec::new(), 0, &row.data[..]);
        for _ in 0..row.field_count {
            let len = i32::from_be_bytes(data[pos..pos + 4].try_into().unwrap());
            pos += 4;
            if len < 0 {
                out.push(None);
            } else {
                let v = &data[pos..pos + len as usize];
                out.push(Some(String::from_utf8(v.to_vec()).unwrap()));
                pos += len as usize;
            }
        }
        out
    }

    #[test]
    fn batches_whose_types_differ_from_the_schema_are_encoded_by_their_own_types() {
        let declared = Arc::new(Schema::new(vec![Field::new("n", DataType::Int64, true)]));
        let fields = arrow_schema_to_pg_fields(&declared, &Format::UnifiedText, None).unwrap();
        let mut encoder = RowEncoder::new(declared.clone(), Arc::new(fields));
        let ok = RecordBatch::try_new(
            declared,
            vec![Arc::new(Int64Array::from(vec![Some(7), None]))],
        )
        .unwrap();
        let rows = encoder.encode(&ok).unwrap();
        assert_eq!(values(&rows[0]), vec![Some("7".to_string())]);
        assert_eq!(values(&rows[1]), vec![None]);
        let actual = Arc::new(Schema::new(vec![Field::new("n", DataType::Int32, true)]));
        let odd = RecordBatch::try_new(actual, vec![Arc::new(Int32Array::from(vec![-3]))]).unwrap();
        let rows = encoder.encode(&odd).unwrap();
        assert_eq!(values(&rows[0]), vec![Some("-3".to_string())]);
    }
}

//! PostgreSQL column types and how they are stored in Delta tables.
//!
//! Delta Lake knows fewer types than PostgreSQL (no `varchar(n)`, `json`,
//! `uuid`). The catalog records the declared PostgreSQL type of every column
//! so clients see what they declared, while the data is stored in the closest
//! Delta type: `varchar(n)`, `char(n)`, `json`, `jsonb` and `uuid` as Delta
//! `string`, `timestamp` as `timestamp_ntz`, `timestamptz` as UTC `timestamp`.

use std::fmt;
use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType as ArrowType, Field, TimeUnit};
use deltalake::kernel::{ArrayType, DataType as DeltaType};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Precision and scale used for `numeric` declared without them.
///
/// PostgreSQL's unconstrained `numeric` has no fixed scale; Delta decimals
/// need one. 38 digits with 10 after the point is what we store.
pub const DEFAULT_NUMERIC: (u8, i8) = (38, 10);

/// A PostgreSQL column type as declared in `CREATE TABLE`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum PgType {
    /// `text`
    Text,
    /// `varchar(n)` / `character varying(n)`; `None` when unbounded.
    Varchar {
        /// Maximum length in characters.
        max_len: Option<u32>,
    },
    /// `char(n)` / `character(n)`.
    Char {
        /// Fixed length in characters.
        len: Option<u32>,
    },
    /// `smallint` / `int2`
    SmallInt,
    /// `integer` / `int` / `int4`
    Integer,
    /// `bigint` / `int8`
    BigInt,
    /// `numeric(p,s)` / `decimal(p,s)`; `None` when declared without precision.
    Numeric {
        /// Precision and scale.
        precision_scale: Option<(u8, i8)>,
    },
    /// `real` / `float4`
    Real,
    /// `double precision` / `float8`
    Double,
    /// `boolean`
    Boolean,
    /// `date`
    Date,
    /// `timestamp [without time zone]`
    Timestamp,
    /// `timestamp with time zone` / `timestamptz`
    Timestamptz,
    /// `json`
    Json,
    /// `jsonb`
    Jsonb,
    /// `uuid`
    Uuid,
    /// `bytea`
    Bytea,
    /// `elem[]`
    Array {
        /// Element type.
        element: Box<PgType>,
    },
}

impl PgType {
    /// The Arrow type the column has when read back from its Delta table.
    pub fn arrow_type(&self) -> ArrowType {
        match self {
            PgType::Text
            | PgType::Varchar { .. }
            | PgType::Char { .. }
            | PgType::Json
            | PgType::Jsonb
            | PgType::Uuid => ArrowType::Utf8,
            PgType::SmallInt => ArrowType::Int16,
            PgType::Integer => ArrowType::Int32,
            PgType::BigInt => ArrowType::Int64,
            PgType::Numeric { precision_scale } => {
                let (p, s) = precision_scale.unwrap_or(DEFAULT_NUMERIC);
                ArrowType::Decimal128(p, s)
            }
            PgType::Real => ArrowType::Float32,
            PgType::Double => ArrowType::Float64,
            PgType::Boolean => ArrowType::Boolean,
            PgType::Date => ArrowType::Date32,
            PgType::Timestamp => ArrowType::Timestamp(TimeUnit::Microsecond, None),
            PgType::Timestamptz => ArrowType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
            PgType::Bytea => ArrowType::Binary,
            PgType::Array { element } => {
                ArrowType::List(Arc::new(Field::new("element", element.arrow_type(), true)))
            }
        }
    }

    /// The Delta Lake type the column is stored as.
    pub fn delta_type(&self) -> Result<DeltaType> {
        Ok(match self {
            PgType::Text
            | PgType::Varchar { .. }
            | PgType::Char { .. }
            | PgType::Json
            | PgType::Jsonb
            | PgType::Uuid => DeltaType::STRING,
            PgType::SmallInt => DeltaType::SHORT,
            PgType::Integer => DeltaType::INTEGER,
            PgType::BigInt => DeltaType::LONG,
            PgType::Numeric { precision_scale } => {
                let (p, s) = precision_scale.unwrap_or(DEFAULT_NUMERIC);
                let scale = u8::try_from(s)
                    .map_err(|_| Error::UnsupportedType(format!("numeric({p},{s})")))?;
                DeltaType::decimal(p, scale)
                    .map_err(|_| Error::UnsupportedType(format!("numeric({p},{s})")))?
            }
            PgType::Real => DeltaType::FLOAT,
            PgType::Double => DeltaType::DOUBLE,
            PgType::Boolean => DeltaType::BOOLEAN,
            PgType::Date => DeltaType::DATE,
            PgType::Timestamp => DeltaType::TIMESTAMP_NTZ,
            PgType::Timestamptz => DeltaType::TIMESTAMP,
            PgType::Bytea => DeltaType::BINARY,
            PgType::Array { element } => {
                DeltaType::Array(Box::new(ArrayType::new(element.delta_type()?, true)))
            }
        })
    }

    /// The closest PostgreSQL type for an Arrow type, used for `CREATE TABLE AS`
    /// and imports where no type was declared.
    pub fn from_arrow(t: &ArrowType) -> Result<PgType> {
        Ok(match t {
            ArrowType::Utf8 | ArrowType::LargeUtf8 | ArrowType::Utf8View => PgType::Text,
            ArrowType::Int8 | ArrowType::Int16 | ArrowType::UInt8 => PgType::SmallInt,
            ArrowType::Int32 | ArrowType::UInt16 => PgType::Integer,
            ArrowType::Int64 | ArrowType::UInt32 => PgType::BigInt,
            ArrowType::UInt64 => PgType::Numeric {
                precision_scale: Some((20, 0)),
            },
            ArrowType::Float16 | ArrowType::Float32 => PgType::Real,
            ArrowType::Float64 => PgType::Double,
            ArrowType::Decimal32(p, s)
            | ArrowType::Decimal64(p, s)
            | ArrowType::Decimal128(p, s) => PgType::Numeric {
                precision_scale: Some((*p, *s)),
            },
            ArrowType::Boolean => PgType::Boolean,
            ArrowType::Date32 | ArrowType::Date64 => PgType::Date,
            ArrowType::Timestamp(_, None) => PgType::Timestamp,
            ArrowType::Timestamp(_, Some(_)) => PgType::Timestamptz,
            ArrowType::Binary | ArrowType::LargeBinary | ArrowType::BinaryView => PgType::Bytea,
            ArrowType::FixedSizeBinary(_) => PgType::Bytea,
            ArrowType::Null => PgType::Text,
            ArrowType::Dictionary(_, value) => PgType::from_arrow(value)?,
            ArrowType::List(f)
            | ArrowType::LargeList(f)
            | ArrowType::ListView(f)
            | ArrowType::FixedSizeList(f, _) => PgType::Array {
                element: Box::new(PgType::from_arrow(f.data_type())?),
            },
            other => return Err(Error::UnsupportedType(other.to_string())),
        })
    }
}

impl fmt::Display for PgType {
    /// Prints the type as PostgreSQL's `format_type` does.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PgType::Text => f.write_str("text"),
            PgType::Varchar { max_len: Some(n) } => write!(f, "character varying({n})"),
            PgType::Varchar { max_len: None } => f.write_str("character varying"),
            PgType::Char { len: Some(n) } => write!(f, "character({n})"),
            PgType::Char { len: None } => f.write_str("character(1)"),
            PgType::SmallInt => f.write_str("smallint"),
            PgType::Integer => f.write_str("integer"),
            PgType::BigInt => f.write_str("bigint"),
            PgType::Numeric {
                precision_scale: Some((p, s)),
            } => write!(f, "numeric({p},{s})"),
            PgType::Numeric {
                precision_scale: None,
            } => f.write_str("numeric"),
            PgType::Real => f.write_str("real"),
            PgType::Double => f.write_str("double precision"),
            PgType::Boolean => f.write_str("boolean"),
            PgType::Date => f.write_str("date"),
            PgType::Timestamp => f.write_str("timestamp without time zone"),
            PgType::Timestamptz => f.write_str("timestamp with time zone"),
            PgType::Json => f.write_str("json"),
            PgType::Jsonb => f.write_str("jsonb"),
            PgType::Uuid => f.write_str("uuid"),
            PgType::Bytea => f.write_str("bytea"),
            PgType::Array { element } => write!(f, "{element}[]"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_matches_format_type() {
        let cases = [
            (
                PgType::Varchar { max_len: Some(20) },
                "character varying(20)",
            ),
            (
                PgType::Numeric {
                    precision_scale: Some((12, 2)),
                },
                "numeric(12,2)",
            ),
            (PgType::Timestamptz, "timestamp with time zone"),
            (
                PgType::Array {
                    element: Box::new(PgType::Text),
                },
                "text[]",
            ),
        ];
        for (t, want) in cases {
            assert_eq!(t.to_string(), want);
        }
    }

    #[test]
    fn arrow_round_trip_keeps_storage_type() {
        for t in [
            PgType::SmallInt,
            PgType::Integer,
            PgType::BigInt,
            PgType::Real,
            PgType::Double,
            PgType::Boolean,
            PgType::Date,
            PgType::Timestamp,
            PgType::Timestamptz,
            PgType::Bytea,
        ] {
            assert_eq!(PgType::from_arrow(&t.arrow_type()).unwrap(), t);
        }
    }
}

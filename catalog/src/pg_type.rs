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

    /// PostgreSQL's type OID (`pg_type.oid`) for the declared type.
    pub fn type_oid(&self) -> u32 {
        match self {
            PgType::Text => 25,
            PgType::Varchar { .. } => 1043,
            PgType::Char { .. } => 1042,
            PgType::SmallInt => 21,
            PgType::Integer => 23,
            PgType::BigInt => 20,
            PgType::Numeric { .. } => 1700,
            PgType::Real => 700,
            PgType::Double => 701,
            PgType::Boolean => 16,
            PgType::Date => 1082,
            PgType::Timestamp => 1114,
            PgType::Timestamptz => 1184,
            PgType::Json => 114,
            PgType::Jsonb => 3802,
            PgType::Uuid => 2950,
            PgType::Bytea => 17,
            // PostgreSQL arrays of arrays share the element's array type.
            PgType::Array { element } => match element.as_ref() {
                PgType::Array { .. } => element.type_oid(),
                PgType::Text => 1009,
                PgType::Varchar { .. } => 1015,
                PgType::Char { .. } => 1014,
                PgType::SmallInt => 1005,
                PgType::Integer => 1007,
                PgType::BigInt => 1016,
                PgType::Numeric { .. } => 1231,
                PgType::Real => 1021,
                PgType::Double => 1022,
                PgType::Boolean => 1000,
                PgType::Date => 1182,
                PgType::Timestamp => 1115,
                PgType::Timestamptz => 1185,
                PgType::Json => 199,
                PgType::Jsonb => 3807,
                PgType::Uuid => 2951,
                PgType::Bytea => 1001,
            },
        }
    }

    /// The type modifier PostgreSQL records in `pg_attribute.atttypmod`:
    /// length + 4 for `varchar(n)`/`char(n)`, `((p << 16) | s) + 4` for
    /// `numeric(p,s)`, -1 when unconstrained.
    pub fn typmod(&self) -> i32 {
        match self {
            PgType::Varchar { max_len: Some(n) } | PgType::Char { len: Some(n) } => *n as i32 + 4,
            PgType::Char { len: None } => 5,
            PgType::Numeric {
                precision_scale: Some((p, s)),
            } => ((i32::from(*p) << 16) | i32::from(*s as u8)) + 4,
            PgType::Array { element } => element.typmod(),
            _ => -1,
        }
    }

    /// `pg_type.typlen`: the fixed size in bytes, or -1 for variable length.
    pub fn typlen(&self) -> i16 {
        match self {
            PgType::Boolean => 1,
            PgType::SmallInt => 2,
            PgType::Integer | PgType::Real | PgType::Date => 4,
            PgType::BigInt | PgType::Double | PgType::Timestamp | PgType::Timestamptz => 8,
            PgType::Uuid => 16,
            _ => -1,
        }
    }

    /// `information_schema.columns.data_type`: the SQL-standard name without
    /// modifiers, `ARRAY` for arrays.
    pub fn sql_name(&self) -> &'static str {
        match self {
            PgType::Text => "text",
            PgType::Varchar { .. } => "character varying",
            PgType::Char { .. } => "character",
            PgType::SmallInt => "smallint",
            PgType::Integer => "integer",
            PgType::BigInt => "bigint",
            PgType::Numeric { .. } => "numeric",
            PgType::Real => "real",
            PgType::Double => "double precision",
            PgType::Boolean => "boolean",
            PgType::Date => "date",
            PgType::Timestamp => "timestamp without time zone",
            PgType::Timestamptz => "timestamp with time zone",
            PgType::Json => "json",
            PgType::Jsonb => "jsonb",
            PgType::Uuid => "uuid",
            PgType::Bytea => "bytea",
            PgType::Array { .. } => "ARRAY",
        }
    }

    /// `pg_type.typname` (`udt_name`): `int8`, `varchar`, `_text`, …
    pub fn udt_name(&self) -> String {
        match self {
            PgType::Text => "text".into(),
            PgType::Varchar { .. } => "varchar".into(),
            PgType::Char { .. } => "bpchar".into(),
            PgType::SmallInt => "int2".into(),
            PgType::Integer => "int4".into(),
            PgType::BigInt => "int8".into(),
            PgType::Numeric { .. } => "numeric".into(),
            PgType::Real => "float4".into(),
            PgType::Double => "float8".into(),
            PgType::Boolean => "bool".into(),
            PgType::Date => "date".into(),
            PgType::Timestamp => "timestamp".into(),
            PgType::Timestamptz => "timestamptz".into(),
            PgType::Json => "json".into(),
            PgType::Jsonb => "jsonb".into(),
            PgType::Uuid => "uuid".into(),
            PgType::Bytea => "bytea".into(),
            PgType::Array { element } => match element.as_ref() {
                PgType::Array { .. } => element.udt_name(),
                e => format!("_{}", e.udt_name()),
            },
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
    fn oids_and_typmods_match_postgres() {
        let varchar = PgType::Varchar { max_len: Some(40) };
        assert_eq!((varchar.type_oid(), varchar.typmod()), (1043, 44));
        let numeric = PgType::Numeric {
            precision_scale: Some((10, 2)),
        };
        // PostgreSQL: SELECT atttypmod FROM pg_attribute … numeric(10,2) → 655366
        assert_eq!((numeric.type_oid(), numeric.typmod()), (1700, 655366));
        let ints = PgType::Array {
            element: Box::new(PgType::Integer),
        };
        assert_eq!((ints.type_oid(), ints.typmod()), (1007, -1));
        assert_eq!(PgType::Text.typmod(), -1);
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

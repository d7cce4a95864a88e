//! SQL type names (as parsed) to [`PgType`], with PostgreSQL's spellings.

use datafusion::sql::sqlparser::ast::{
    ArrayElemTypeDef, CharacterLength, DataType, ExactNumberInfo, TimezoneInfo,
};
use tessera_catalog::PgType;

use crate::error::{Error, Result};

/// Maps a declared column type to the type Tessera stores.
pub fn pg_type(t: &DataType) -> Result<PgType> {
    let len = |l: &Option<CharacterLength>| match l {
        Some(CharacterLength::IntegerLength { length, .. }) => u32::try_from(*length).ok(),
        _ => None,
    };
    Ok(match t {
        DataType::Text | DataType::String(None) => PgType::Text,
        DataType::Varchar(l) | DataType::CharacterVarying(l) | DataType::CharVarying(l) => {
            PgType::Varchar { max_len: len(l) }
        }
        DataType::Char(l) | DataType::Character(l) => PgType::Char {
            len: len(l).or(Some(1)),
        },
        DataType::SmallInt(_) | DataType::Int2(_) => PgType::SmallInt,
        DataType::Int(_) | DataType::Integer(_) | DataType::Int4(_) => PgType::Integer,
        DataType::BigInt(_) | DataType::Int8(_) => PgType::BigInt,
        DataType::Numeric(info) | DataType::Decimal(info) | DataType::Dec(info) => {
            let precision_scale = match info {
                ExactNumberInfo::None => None,
                ExactNumberInfo::Precision(p) => Some((precision(*p)?, 0)),
                ExactNumberInfo::PrecisionAndScale(p, s) => {
                    let p = precision(*p)?;
                    let s = i8::try_from(*s)
                        .ok()
                        .filter(|s| *s >= 0 && (*s as u8) <= p)
                        .ok_or_else(|| {
                            Error::invalid_type(format!(
                                "NUMERIC scale {s} must be between 0 and precision {p}"
                            ))
                        })?;
                    Some((p, s))
                }
            };
            PgType::Numeric { precision_scale }
        }
        DataType::Real | DataType::Float4 => PgType::Real,
        DataType::Float(ExactNumberInfo::Precision(p)) if *p <= 24 => PgType::Real,
        DataType::Float(_) | DataType::Float8 | DataType::DoublePrecision | DataType::Double(_) => {
            PgType::Double
        }
        DataType::Bool | DataType::Boolean => PgType::Boolean,
        DataType::Date => PgType::Date,
        DataType::Timestamp(_, TimezoneInfo::WithTimeZone | TimezoneInfo::Tz) => {
            PgType::Timestamptz
        }
        DataType::Timestamp(_, _) => PgType::Timestamp,
        DataType::JSON => PgType::Json,
        DataType::JSONB => PgType::Jsonb,
        DataType::Uuid => PgType::Uuid,
        DataType::Bytea => PgType::Bytea,
        DataType::Array(ArrayElemTypeDef::SquareBracket(inner, _))
        | DataType::Array(ArrayElemTypeDef::AngleBracket(inner)) => PgType::Array {
            element: Box::new(pg_type(inner)?),
        },
        DataType::Custom(name, args) => {
            let n = name.to_string().to_lowercase();
            match (n.as_str(), args.as_slice()) {
                ("timestamptz", _) => PgType::Timestamptz,
                ("int2", _) => PgType::SmallInt,
                ("int4", _) => PgType::Integer,
                ("bool", _) => PgType::Boolean,
                ("serial" | "bigserial" | "smallserial", _) => {
                    return Err(Error::unsupported(format!(
                        "type {n} (sequences); use an integer column and generate ids in the query"
                    )));
                }
                _ => return Err(Error::UndefinedType(n)),
            }
        }
        other => return Err(Error::UndefinedType(other.to_string().to_lowercase())),
    })
}

fn precision(p: u64) -> Result<u8> {
    u8::try_from(p)
        .ok()
        .filter(|p| (1..=38).contains(p))
        .ok_or_else(|| {
            Error::invalid_type(format!("NUMERIC precision {p} must be between 1 and 38"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::sql::sqlparser::dialect::PostgreSqlDialect;
    use datafusion::sql::sqlparser::parser::Parser;

    fn parse(t: &str) -> Result<PgType> {
        let sql = format!("CREATE TABLE x (c {t})");
        let stmt = Parser::parse_sql(&PostgreSqlDialect {}, &sql)
            .unwrap()
            .remove(0);
        let datafusion::sql::sqlparser::ast::Statement::CreateTable(ct) = stmt else {
            panic!("not a create table")
        };
        pg_type(&ct.columns[0].data_type)
    }

    #[test]
    fn postgres_spellings_map_to_one_type() {
        let cases = [
            ("varchar(20)", "character varying(20)"),
            ("character varying", "character varying"),
            ("int", "integer"),
            ("int8", "bigint"),
            ("numeric(12,2)", "numeric(12,2)"),
            ("decimal", "numeric"),
            ("float8", "double precision"),
            ("timestamptz", "timestamp with time zone"),
            ("timestamp with time zone", "timestamp with time zone"),
            ("timestamp", "timestamp without time zone"),
            ("jsonb", "jsonb"),
            ("text[]", "text[]"),
            ("bool", "boolean"),
        ];
        for (sql, want) in cases {
            assert_eq!(parse(sql).unwrap().to_string(), want, "{sql}");
        }
        assert!(parse("numeric(50,2)").is_err());
        assert!(parse("geometry").is_err());
    }
}

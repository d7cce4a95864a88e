//! `pg_typeof(x)`: the PostgreSQL name of an expression's type, as
//! PostgreSQL 15 prints a `regtype` (`integer`, `numeric`, `text`,
//! `timestamp without time zone`, `character varying`, `jsonb`, `text[]`).
//! Computed from the argument's Arrow type and the field metadata Tessera
//! uses for `json`/`jsonb` and `char`/`varchar`; the result is text,
//! tagged `regtype` ([`super::chars::PG_TYPE_KEY`]) so that the wire
//! describes it as PostgreSQL does (OID 2206; the text is the same).

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field, FieldRef, IntervalUnit};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::{
    ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature,
    Volatility,
};

/// The `pg_typeof(any)` function.
pub fn udf() -> ScalarUDF {
    ScalarUDF::new_from_impl(PgTypeof {
        signature: Signature::any(1, Volatility::Immutable),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct PgTypeof {
    signature: Signature,
}

/// PostgreSQL's name of the type of values of `field`.
pub fn type_name(field: &Field) -> String {
    let tagged = field
        .metadata()
        .get(super::json::KIND_KEY)
        .or_else(|| field.metadata().get(super::chars::PG_TYPE_KEY))
        .map(String::as_str);
    match tagged {
        Some("json") => return "json".into(),
        Some("jsonb") => return "jsonb".into(),
        Some("varchar") => return "character varying".into(),
        Some("bpchar") => return "character".into(),
        Some("varchar[]") => return "character varying[]".into(),
        Some("bpchar[]") => return "character[]".into(),
        _ => {}
    }
    arrow_type_name(field.data_type())
}

fn arrow_type_name(t: &DataType) -> String {
    match t {
        DataType::Null => "unknown",
        DataType::Boolean => "boolean",
        DataType::Int8 | DataType::Int16 | DataType::UInt8 => "smallint",
        DataType::Int32 | DataType::UInt16 => "integer",
        DataType::Int64 | DataType::UInt32 | DataType::UInt64 => "bigint",
        DataType::Float16 | DataType::Float32 => "real",
        DataType::Float64 => "double precision",
        DataType::Decimal32(..)
        | DataType::Decimal64(..)
        | DataType::Decimal128(..)
        | DataType::Decimal256(..) => "numeric",
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => "text",
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView => "bytea",
        DataType::FixedSizeBinary(16) => "uuid",
        DataType::Date32 | DataType::Date64 => "date",
        DataType::Time32(_) | DataType::Time64(_) => "time without time zone",
        DataType::Timestamp(_, None) => "timestamp without time zone",
        DataType::Timestamp(_, Some(_)) => "timestamp with time zone",
        DataType::Interval(IntervalUnit::MonthDayNano) | DataType::Interval(_) => "interval",
        DataType::Duration(_) => "interval",
        DataType::List(f) | DataType::LargeList(f) | DataType::FixedSizeList(f, _) => {
            return format!("{}[]", type_name(f));
        }
        DataType::Struct(_) => "record",
        DataType::Dictionary(_, v) => return arrow_type_name(v),
        _ => "unknown",
    }
    .to_string()
}

impl ScalarUDFImpl for PgTypeof {
    fn name(&self) -> &str {
        "pg_typeof"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn return_field_from_args(&self, _args: ReturnFieldArgs) -> Result<FieldRef> {
        let field = Field::new(self.name(), DataType::Utf8, false);
        Ok(Arc::new(field.with_metadata(
            [(super::chars::PG_TYPE_KEY.to_string(), "regtype".to_string())].into(),
        )))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let name = type_name(&args.arg_fields[0]);
        Ok(ColumnarValue::Scalar(ScalarValue::Utf8(Some(name))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_as_postgres_prints_regtype() {
        let list = DataType::List(Arc::new(Field::new("item", DataType::Utf8, true)));
        let cases = [
            (DataType::Int32, "integer"),
            (DataType::Decimal128(38, 10), "numeric"),
            (
                DataType::Timestamp(datafusion::arrow::datatypes::TimeUnit::Microsecond, None),
                "timestamp without time zone",
            ),
            (list, "text[]"),
        ];
        for (t, want) in cases {
            assert_eq!(type_name(&Field::new("x", t, true)), want);
        }
        let json = Field::new("x", DataType::Utf8, true)
            .with_metadata([(super::super::json::KIND_KEY.to_string(), "jsonb".into())].into());
        assert_eq!(type_name(&json), "jsonb");
    }
}

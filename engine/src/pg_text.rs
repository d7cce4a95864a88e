//! `pg_text(x)`: casts to text that write what PostgreSQL's output
//! functions write.
//!
//! DataFusion's cast to text has Arrow's formats: `1000000.0`, `[a, b]`,
//! `2024-02-29T09:00:00Z`, `1 days`, bytes read as UTF-8. PostgreSQL's
//! `x::text` is the value's output text: `1000000`, `{a,b}`,
//! `2024-02-29 09:00:00+00`, `1 day`, `\x0102`. [`crate::pg_plan`] turns
//! explicit casts to text of such types into `pg_text(x)`, which encodes
//! the values with the wire's text encoder (`server::datarow`), so the two
//! never disagree. The session's `TimeZone` comes from DataFusion's
//! `execution.time_zone`; the other settings (`DateStyle`,
//! `IntervalStyle`, `extra_float_digits`) take PostgreSQL's defaults.
//! Types the encoder cannot describe keep DataFusion's cast.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{ArrayRef, RecordBatch, StringBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Schema};
use datafusion::common::{DataFusionError, Result};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};
use datafusion_postgres::pgwire::api::portal::Format;
use datafusion_postgres::pgwire::types::format::FormatOptions;

use crate::server::datarow::{RowEncoder, pg_fields};

/// Whether a cast of `t` to text must go through [`udf`].
pub(crate) fn differs_from_arrow(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Float32
            | DataType::Float64
            | DataType::List(_)
            | DataType::LargeList(_)
            | DataType::Timestamp(..)
            | DataType::Date32
            | DataType::Interval(_)
            | DataType::Duration(_)
            | DataType::Time32(_)
            | DataType::Time64(_)
            | DataType::Binary
            | DataType::LargeBinary
            | DataType::BinaryView
    )
}

/// The `pg_text` function (one instance, shared).
pub(crate) fn udf() -> Arc<ScalarUDF> {
    static UDF: LazyLock<Arc<ScalarUDF>> = LazyLock::new(|| {
        Arc::new(ScalarUDF::new_from_impl(PgText {
            signature: Signature::any(1, Volatility::Stable),
        }))
    });
    UDF.clone()
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct PgText {
    signature: Signature,
}

impl ScalarUDFImpl for PgText {
    fn name(&self) -> &str {
        "pg_text"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = matches!(args.args[0], ColumnarValue::Scalar(_));
        let values = args.args[0].to_array(args.number_rows)?;
        let field = args.arg_fields[0].as_ref().clone().with_name("v");
        let time_zone = args.config_options.execution.time_zone.clone();
        let out = match encode(values.clone(), field, time_zone) {
            Some(text) => text?,
            None => cast(&values, &DataType::Utf8)?,
        };
        Ok(if scalar {
            ColumnarValue::Scalar(datafusion::common::ScalarValue::try_from_array(&out, 0)?)
        } else {
            ColumnarValue::Array(out)
        })
    }
}

/// The values' text through the wire encoder; `None` when it has no
/// PostgreSQL type for them.
pub(crate) fn encode(
    values: ArrayRef,
    field: datafusion::arrow::datatypes::Field,
    time_zone: Option<String>,
) -> Option<Result<ArrayRef>> {
    let schema = Arc::new(Schema::new(vec![field]));
    let mut options = FormatOptions::default();
    if let Some(tz) = time_zone {
        options.time_zone = tz;
    }
    let fields = pg_fields(&schema, &Format::UnifiedText, Some(Arc::new(options))).ok()?;
    let batch = RecordBatch::try_new(schema.clone(), vec![values]).ok()?;
    let rows = match RowEncoder::new(schema, Arc::new(fields)).encode(&batch) {
        Ok(rows) => rows,
        Err(e) => return Some(Err(DataFusionError::External(Box::new(e)))),
    };
    let mut out = StringBuilder::with_capacity(rows.len(), rows.len() * 16);
    for row in rows {
        // One field: its length (-1 for NULL), then its text.
        let data = &row.data;
        let len = i32::from_be_bytes([data[0], data[1], data[2], data[3]]);
        if len < 0 {
            out.append_null();
        } else {
            match std::str::from_utf8(&data[4..]) {
                Ok(s) => out.append_value(s),
                Err(e) => return Some(Err(DataFusionError::External(Box::new(e)))),
            }
        }
    }
    Some(Ok(Arc::new(out.finish())))
}

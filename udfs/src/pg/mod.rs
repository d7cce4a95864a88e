//! PostgreSQL-compatible functions whose DataFusion namesakes differ from
//! PostgreSQL 15 in arguments or results (registered over them).

pub mod avg;
pub mod date_trunc;
pub mod extract;
pub mod interval;
pub mod json;
pub mod json_agg;
pub mod json_build;
pub mod json_ops;
pub mod json_srf;
pub mod numeric;
pub mod regexp;
pub mod timezone;
pub mod to_char;
pub mod to_timestamp;

use datafusion::logical_expr::{AggregateUDF, ScalarUDF};

/// A function's result: a scalar when every argument was one.
pub(crate) fn result(
    array: datafusion::arrow::array::ArrayRef,
    scalar: bool,
) -> datafusion::common::Result<datafusion::logical_expr::ColumnarValue> {
    use datafusion::logical_expr::ColumnarValue;
    Ok(if scalar {
        ColumnarValue::Scalar(datafusion::common::ScalarValue::try_from_array(&array, 0)?)
    } else {
        ColumnarValue::Array(array)
    })
}

/// The functions of this module.
pub fn functions() -> Vec<ScalarUDF> {
    let mut all = vec![
        to_char::udf(),
        numeric::numeric_div(),
        extract::udf(),
        date_trunc::udf(),
        timezone::udf(),
        to_timestamp::to_timestamp(),
        to_timestamp::to_date(),
    ];
    all.extend(json::functions());
    all.extend(json_build::functions());
    all.extend(json_ops::functions());
    all.extend(json_srf::functions());
    all.extend(regexp::functions());
    all
}

/// The aggregate functions of this module.
pub fn aggregates() -> Vec<AggregateUDF> {
    let mut all = vec![avg::udaf()];
    all.extend(json_agg::aggregates());
    all
}

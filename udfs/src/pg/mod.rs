//! PostgreSQL-compatible functions whose DataFusion namesakes differ from
//! PostgreSQL 15 in arguments or results (registered over them).

pub mod age;
pub mod array_ops;
pub mod array_remove;
pub mod array_text;
pub mod avg;
pub mod cbrt;
pub mod chars;
pub mod checked_int;
pub mod clock;
pub mod convert;
pub mod count;
pub mod date_trunc;
pub mod datetime_in;
pub mod double_double;
pub mod encode;
pub mod every;
pub mod extract;
pub mod generate_series;
pub mod integers;
pub mod interval;
mod interval_avg;
pub mod interval_ops;
pub mod isfinite;
pub mod json;
pub mod json_agg;
pub mod json_build;
pub mod json_ops;
pub mod json_path;
pub mod json_set;
pub mod json_srf;
pub mod justify;
pub mod make_datetime;
pub mod math_domain;
pub mod mod_div;
pub mod numeric;
pub mod numeric_cast;
pub mod numeric_math;
pub mod numeric_text;
pub mod ordered_set;
pub mod outer_rows;
pub mod overlaps;
pub mod percentile_cont;
pub mod pg_typeof;
pub mod record;
pub mod regexp;
pub mod regression;
pub mod rounding;
pub mod scale;
pub mod series_lists;
pub mod settings;
pub mod sign;
pub mod string_agg;
pub mod time_precision;
pub mod timezone;
pub mod to_char;
pub mod to_hex;
pub mod to_number;
pub mod to_timestamp;
pub mod upper;
pub mod variance;
mod wall_clock;
pub mod width_bucket;
pub mod zoned_interval;

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

/// Whether every argument is a scalar (the result is then a scalar too,
/// see [`result`]).
pub(crate) fn all_scalar(args: &[datafusion::logical_expr::ColumnarValue]) -> bool {
    args.iter()
        .all(|a| matches!(a, datafusion::logical_expr::ColumnarValue::Scalar(_)))
}

/// The functions of this module.
pub fn functions() -> Vec<ScalarUDF> {
    let mut all = vec![
        to_char::udf(),
        numeric::numeric_div(),
        numeric_text::udf(),
        numeric_text::cast_udf(),
        array_text::udf(),
        numeric_text::scale_udf(),
        record::udf(),
        numeric_cast::udf(),
        extract::udf(),
        date_trunc::udf(),
        timezone::udf(),
        timezone::local_timestamp(),
        timezone::zoned_timestamp(),
        zoned_interval::plus_udf(),
        outer_rows::udf(),
        zoned_interval::minus_udf(),
        overlaps::udf(),
        isfinite::udf(),
        datetime_in::udf(datetime_in::Kind::Date),
        datetime_in::udf(datetime_in::Kind::Timestamp),
        datetime_in::udf(datetime_in::Kind::Timestamptz),
        age::udf(),
        chars::varchar(),
        chars::bpchar(),
        chars::pg_tag(),
        pg_typeof::udf(),
        interval_ops::interval_mul(),
        interval_ops::interval_div(),
        interval_ops::interval_cmp_key(),
        to_timestamp::to_timestamp(),
        to_timestamp::to_date(),
        rounding::round(),
        rounding::trunc(),
        rounding::ceil(),
        rounding::ceiling(),
        rounding::floor(),
        mod_div::modulo(),
        mod_div::div(),
        sign::udf(),
        scale::udf(),
        width_bucket::udf(),
        to_number::udf(),
        to_hex::udf(),
        upper::udf(),
        upper::lower(),
        time_precision::udf(),
    ];
    all.extend(checked_int::functions());
    all.extend(integers::functions());
    all.push(clock::udf());
    all.extend(math_domain::functions());
    all.extend(convert::udfs());
    all.extend(encode::udfs());
    all.extend(json::functions());
    all.extend(json_build::functions());
    all.extend(json_ops::functions());
    all.push(json_set::udf());
    all.extend(json_set::operators());
    all.extend(json_path::functions());
    all.extend(json_srf::functions());
    all.extend(series_lists::functions());
    all.extend(array_ops::functions());
    all.push(array_remove::function());
    all.extend(regexp::functions());
    all.extend(justify::functions());
    all.extend(make_datetime::functions());
    all
}

/// The table functions of this module, with their names.
pub fn table_functions() -> Vec<(
    &'static str,
    std::sync::Arc<dyn datafusion::catalog::TableFunctionImpl>,
)> {
    vec![(
        generate_series::NAME,
        std::sync::Arc::new(generate_series::GenerateSeries),
    )]
}

/// The aggregate functions of this module.
pub fn aggregates() -> Vec<AggregateUDF> {
    let mut all = vec![
        avg::udaf(),
        count::udaf(),
        every::udaf(),
        ordered_set::percentile_disc(),
        percentile_cont::udaf(),
        ordered_set::mode(),
        string_agg::udaf(),
    ];
    all.extend(variance::udafs());
    all.extend(regression::udafs());
    all.extend(json_agg::aggregates());
    all
}

//! PostgreSQL-compatible functions whose DataFusion namesakes differ from
//! PostgreSQL 15 in arguments or results (registered over them).

pub mod to_char;

use datafusion::logical_expr::ScalarUDF;

/// The functions of this module.
pub fn functions() -> Vec<ScalarUDF> {
    vec![to_char::udf()]
}

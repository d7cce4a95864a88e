//! Integer `+`, `-` and `*` that fail on overflow, as PostgreSQL's
//! `int4pl`/`int8mul`/… do (`integer out of range`, SQLSTATE 22003).
//!
//! Arrow's default kernels wrap around: `2147483647 + 1` was -2147483648
//! and `qty * 1000000000` silently negative. The engine rewrites integer
//! arithmetic to these functions after type coercion
//! (`tessera_engine::checked_ints`); they compute with Arrow's checked
//! kernels, so the cost is the same as the wrapping ones.

use datafusion::arrow::array::Datum;
use datafusion::arrow::compute::kernels::numeric;
use datafusion::arrow::datatypes::DataType;
use datafusion::arrow::error::ArrowError;
use datafusion::common::{Result, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

use crate::error::{DataErrorKind, data_error};

/// The operator of a [`CheckedInt`] function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// `+`
    Plus,
    /// `-`
    Minus,
    /// `*`
    Multiply,
}

impl Op {
    /// The function's name.
    pub fn name(self) -> &'static str {
        match self {
            Op::Plus => "pg_int_plus",
            Op::Minus => "pg_int_minus",
            Op::Multiply => "pg_int_mul",
        }
    }
}

/// The checked function for `op`.
pub fn udf(op: Op) -> ScalarUDF {
    ScalarUDF::new_from_impl(CheckedInt {
        op,
        signature: Signature::user_defined(Volatility::Immutable),
    })
}

/// The three of them.
pub fn functions() -> Vec<ScalarUDF> {
    [Op::Plus, Op::Minus, Op::Multiply]
        .into_iter()
        .map(udf)
        .collect()
}

/// Whether integer arithmetic on `t` is checked by these functions.
pub fn is_checked_type(t: &DataType) -> bool {
    matches!(t, DataType::Int16 | DataType::Int32 | DataType::Int64)
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct CheckedInt {
    op: Op,
    signature: Signature,
}

/// An argument as an Arrow [`Datum`] (a scalar stays one: no array of the
/// batch's length is built for a literal operand).
fn datum(v: &ColumnarValue) -> Result<Box<dyn Datum>> {
    Ok(match v {
        ColumnarValue::Array(a) => Box::new(a.clone()),
        ColumnarValue::Scalar(s) => Box::new(s.to_scalar()?),
    })
}

/// PostgreSQL's name for the overflowing type.
fn type_name(t: &DataType) -> &'static str {
    match t {
        DataType::Int16 => "smallint",
        DataType::Int32 => "integer",
        _ => "bigint",
    }
}

impl ScalarUDFImpl for CheckedInt {
    fn name(&self) -> &str {
        self.op.name()
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        match arg_types {
            [a, b] if a == b && is_checked_type(a) => Ok(arg_types.to_vec()),
            _ => plan_err!("{} takes two integers of one type", self.op.name()),
        }
    }
    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        Ok(arg_types[0].clone())
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let [a, b] = args.args.as_slice() else {
            return plan_err!("{} takes two arguments", self.op.name());
        };
        let (l, r) = (datum(a)?, datum(b)?);
        let out = match self.op {
            Op::Plus => numeric::add(l.as_ref(), r.as_ref()),
            Op::Minus => numeric::sub(l.as_ref(), r.as_ref()),
            Op::Multiply => numeric::mul(l.as_ref(), r.as_ref()),
        };
        let array = out.map_err(|e| match e {
            ArrowError::ArithmeticOverflow(_) => data_error(
                DataErrorKind::NumericValueOutOfRange,
                format!("{} out of range", type_name(args.return_field.data_type())),
            ),
            other => other.into(),
        })?;
        super::result(array, super::all_scalar(&args.args))
    }
}

//! `ln`, `log`, `log10`, `sqrt`, `exp` and `power` fail outside their
//! domain as PostgreSQL's do, where DataFusion's answer NaN or an infinity:
//! `ln(0)` is `cannot take logarithm of zero` (2201E), `sqrt(-1)` `cannot
//! take square root of a negative number` (2201F), `power(-8, 1.0/3)` `a
//! negative number raised to a non-integer power yields a complex result`
//! (2201F), `exp(1000)` `value out of range: overflow` (22003).
//!
//! Each wraps DataFusion's function of the same name: the arguments are
//! checked (as doubles) before it runs and the result after. With a
//! `numeric` argument and no float, the `numeric` version runs instead
//! (`super::numeric_math`), as PostgreSQL picks it.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Float64Array};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Float64Type};
use datafusion::common::{Result, plan_err};
use datafusion::error::DataFusionError;
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

use super::numeric_math::{self, MathFn};

use crate::error::{DataErrorKind, data_error};

/// Which domain rule a wrapped function follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Rule {
    /// `ln`, `log10`, `log(x)`, `log(b, x)`: arguments positive.
    Logarithm,
    /// `sqrt`: not negative.
    SquareRoot,
    /// `exp`: a finite argument gives a finite, non-zero result.
    Exponential,
    /// `power(x, y)`.
    Power,
    /// `cbrt`: no domain error; computed as glibc does (`super::cbrt`).
    CubeRoot,
}

/// The wrapped functions.
pub fn functions() -> Vec<ScalarUDF> {
    use datafusion::functions::math;
    [
        (math::ln(), Rule::Logarithm),
        (math::log10(), Rule::Logarithm),
        (math::log(), Rule::Logarithm),
        (math::sqrt(), Rule::SquareRoot),
        (math::exp(), Rule::Exponential),
        (math::power(), Rule::Power),
        (math::cbrt(), Rule::CubeRoot),
    ]
    .into_iter()
    .map(|(inner, rule)| {
        ScalarUDF::new_from_impl(Domain {
            inner,
            rule,
            signature: Signature::user_defined(Volatility::Immutable),
        })
    })
    .collect()
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Domain {
    inner: Arc<ScalarUDF>,
    rule: Rule,
    signature: Signature,
}

impl Domain {
    /// The `numeric` version of the function for `arg_types`, when
    /// PostgreSQL would pick it (`numeric_math`).
    fn numeric(&self, arg_types: &[DataType]) -> Option<MathFn> {
        let f = MathFn::of(self.inner.name(), arg_types.len())?;
        numeric_math::numeric_arguments(f, arg_types)?;
        Some(f)
    }
}

fn logarithm_error(negative: bool) -> DataFusionError {
    let what = if negative {
        "a negative number"
    } else {
        "zero"
    };
    data_error(
        DataErrorKind::InvalidArgumentForLogarithm,
        format!("cannot take logarithm of {what}"),
    )
}

fn power_error(message: &str) -> DataFusionError {
    data_error(DataErrorKind::InvalidArgumentForPower, message)
}

fn range_error(overflow: bool) -> DataFusionError {
    let what = if overflow { "overflow" } else { "underflow" };
    data_error(
        DataErrorKind::NumericValueOutOfRange,
        format!("value out of range: {what}"),
    )
}

/// `v` as doubles (a decimal or integer is cast), `None` when it is not a
/// number.
fn doubles(v: &ColumnarValue, rows: usize) -> Result<Option<ArrayRef>> {
    let a = v.to_array(rows)?;
    if !a.data_type().is_numeric() {
        return Ok(None);
    }
    Ok(Some(cast(&a, &DataType::Float64)?))
}

impl Domain {
    /// The error the arguments `args` (as doubles, row by row) raise.
    fn check_arguments(&self, args: &[ArrayRef]) -> Result<()> {
        let cols: Vec<_> = args
            .iter()
            .map(|a| a.as_primitive::<Float64Type>())
            .collect();
        let rows = cols.first().map_or(0, |c| c.len());
        for i in 0..rows {
            if cols.iter().any(|c| c.is_null(i)) {
                continue;
            }
            let v: Vec<f64> = cols.iter().map(|c| c.value(i)).collect();
            match self.rule {
                Rule::Logarithm => {
                    if let Some(x) = v.iter().find(|x| **x <= 0.0) {
                        return Err(logarithm_error(*x < 0.0));
                    }
                    if v.len() == 2 && v[0] == 1.0 {
                        return Err(data_error(
                            DataErrorKind::DivisionByZero,
                            "division by zero",
                        ));
                    }
                }
                Rule::SquareRoot if v[0] < 0.0 => {
                    return Err(power_error("cannot take square root of a negative number"));
                }
                Rule::Power if v.len() == 2 => {
                    let (x, y) = (v[0], v[1]);
                    if x == 0.0 && y < 0.0 {
                        return Err(power_error("zero raised to a negative power is undefined"));
                    }
                    if x < 0.0 && y.is_finite() && y.fract() != 0.0 {
                        return Err(power_error(
                            "a negative number raised to a non-integer power yields a complex result",
                        ));
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The overflow or underflow of a finite computation (`exp`, `power`).
    fn check_result(&self, args: &[ArrayRef], out: &ArrayRef) -> Result<()> {
        if !matches!(self.rule, Rule::Exponential | Rule::Power) {
            return Ok(());
        }
        let Ok(out) = cast(out, &DataType::Float64) else {
            return Ok(());
        };
        let out = out.as_primitive::<Float64Type>();
        let cols: Vec<_> = args
            .iter()
            .map(|a| a.as_primitive::<Float64Type>())
            .collect();
        for i in 0..out.len() {
            if out.is_null(i) || cols.iter().any(|c| c.is_null(i) || !c.value(i).is_finite()) {
                continue;
            }
            let r = out.value(i);
            if r.is_infinite() {
                return Err(range_error(true));
            }
            // exp(x) is never 0, nor x^y for x ≠ 0.
            let zero_allowed = self.rule == Rule::Power && cols[0].value(i) == 0.0;
            if r == 0.0 && !zero_allowed {
                return Err(range_error(false));
            }
        }
        Ok(())
    }
}

impl ScalarUDFImpl for Domain {
    fn name(&self) -> &str {
        self.inner.name()
    }
    fn aliases(&self) -> &[String] {
        self.inner.aliases()
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        if let Some(f) = self.numeric(arg_types) {
            return Ok(numeric_math::numeric_arguments(f, arg_types).unwrap_or_default());
        }
        // The double precision version: numbers, NULL and quoted literals
        // (PostgreSQL's `unknown` resolves to its preferred `float8`).
        arg_types
            .iter()
            .map(|t| match t {
                t if t.is_numeric()
                    || t.is_null()
                    || matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View) =>
                {
                    Ok(DataType::Float64)
                }
                t => plan_err!("function {}({t}) does not exist", self.name()),
            })
            .collect()
    }
    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        match self.numeric(arg_types) {
            Some(f) => Ok(numeric_math::numeric_result(f, arg_types)),
            None => self.inner.return_type(arg_types),
        }
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let types: Vec<DataType> = args.args.iter().map(|a| a.data_type()).collect();
        if let Some(f) = self.numeric(&types)
            && let DataType::Decimal128(_, scale) = args.return_field.data_type()
        {
            let arrays = (args.args.iter())
                .map(|a| a.to_array(rows))
                .collect::<Result<Vec<_>>>()?;
            return Ok(ColumnarValue::Array(numeric_math::invoke(
                f, &arrays, *scale,
            )?));
        }
        let numbers: Option<Vec<ArrayRef>> = args
            .args
            .iter()
            .map(|a| doubles(a, rows))
            .collect::<Result<_>>()?;
        if let Some(numbers) = &numbers {
            self.check_arguments(numbers)?;
            if self.rule == Rule::CubeRoot {
                let out: Float64Array = numbers[0]
                    .as_primitive::<Float64Type>()
                    .unary(super::cbrt::glibc_cbrt);
                return Ok(ColumnarValue::Array(Arc::new(out)));
            }
        }
        let out = self.inner.invoke_with_args(args)?;
        if let Some(numbers) = &numbers {
            self.check_result(numbers, &out.to_array(rows)?)?;
        }
        Ok(out)
    }
}

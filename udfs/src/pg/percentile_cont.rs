//! `percentile_cont(fractions) WITHIN GROUP (ORDER BY x)` with an array of
//! fractions (`ARRAY[0.25, 0.5, 0.75]`: quartiles in one pass), as in
//! PostgreSQL 15: a `double precision[]` of the interpolated values, a NULL
//! element for a NULL fraction. One fraction is DataFusion's
//! `percentile_cont` (with its grouped accumulator); this wrapper only takes
//! the array form, computed by [`super::ordered_set`]'s accumulator.

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::Result;
use datafusion::functions_aggregate::percentile_cont::percentile_cont_udaf;
use datafusion::logical_expr::function::{
    AccumulatorArgs, AggregateFunctionSimplification, StateFieldsArgs,
};
use datafusion::logical_expr::type_coercion::functions::fields_with_udf;
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, Expr, GroupsAccumulator, Signature, Volatility,
};

use super::ordered_set::{self, is_list};

/// `percentile_cont`, registered over DataFusion's.
pub fn udaf() -> AggregateUDF {
    AggregateUDF::new_from_impl(PercentileCont {
        inner: percentile_cont_udaf(),
        signature: Signature::user_defined(Volatility::Immutable),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct PercentileCont {
    inner: Arc<AggregateUDF>,
    signature: Signature,
}

/// Whether the call has an array of fractions (its second argument).
fn many(types: &[DataType]) -> bool {
    types.get(1).is_some_and(is_list)
}

impl AggregateUDFImpl for PercentileCont {
    fn name(&self) -> &str {
        "percentile_cont"
    }
    fn aliases(&self) -> &[String] {
        self.inner.aliases()
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        if many(arg_types) {
            return Ok(vec![
                DataType::Float64,
                DataType::new_list(DataType::Float64, true),
            ]);
        }
        let fields: Vec<FieldRef> = arg_types
            .iter()
            .map(|t| Arc::new(Field::new("arg", t.clone(), true)))
            .collect();
        Ok(fields_with_udf(&fields, self.inner.as_ref())?
            .iter()
            .map(|f| f.data_type().clone())
            .collect())
    }
    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        if many(arg_types) {
            return Ok(DataType::new_list(DataType::Float64, true));
        }
        self.inner.return_type(arg_types)
    }
    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        let types: Vec<DataType> = args
            .input_fields
            .iter()
            .map(|f| f.data_type().clone())
            .collect();
        if many(&types) {
            return Ok(ordered_set::state_fields(args.name, DataType::Float64));
        }
        self.inner.state_fields(args)
    }
    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        if args.exprs.len() > 1 && is_list(&args.exprs[1].data_type(args.schema)?) {
            return ordered_set::continuous(&args);
        }
        self.inner.accumulator(args)
    }
    fn groups_accumulator_supported(&self, args: AccumulatorArgs) -> bool {
        let list = args.exprs.len() > 1
            && args.exprs[1]
                .data_type(args.schema)
                .is_ok_and(|t| is_list(&t));
        !list && self.inner.groups_accumulator_supported(args)
    }
    fn create_groups_accumulator(
        &self,
        args: AccumulatorArgs,
    ) -> Result<Box<dyn GroupsAccumulator>> {
        self.inner.create_groups_accumulator(args)
    }
    fn simplify(&self) -> Option<AggregateFunctionSimplification> {
        let inner = self.inner.simplify()?;
        Some(Box::new(move |f, info| {
            let list = f
                .params
                .args
                .get(1)
                .is_some_and(|a| matches!(a, Expr::Literal(v, _) if is_list(&v.data_type())));
            if list {
                Ok(Expr::AggregateFunction(f))
            } else {
                inner(f, info)
            }
        }))
    }
    fn supports_within_group_clause(&self) -> bool {
        true
    }
}

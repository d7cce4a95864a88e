//! `string_agg(text, delimiter [ORDER BY …])` whose ORDER BY may differ
//! from the other aggregates' in the same query, as PostgreSQL allows:
//! `string_agg(name, ', ' ORDER BY name), string_agg(city, '; ' ORDER BY id)`.
//!
//! DataFusion's `string_agg` already sorts its values itself when it has an
//! ORDER BY (it delegates to `array_agg`'s order-sensitive accumulator, which
//! sorts at the end unless told its input is pre-sorted), but it declares a
//! *hard* ordering requirement, so the planner refuses two different
//! orderings ("Conflicting ordering requirements in aggregate functions").
//! This wrapper declares the requirement *soft*: the planner sorts the input
//! when it can serve every aggregate, and otherwise leaves the ordering to
//! the accumulator. The work itself is DataFusion's.

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, FieldRef};
use datafusion::common::Result;
use datafusion::functions_aggregate::string_agg::string_agg_udaf;
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::AggregateOrderSensitivity;
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, Documentation, GroupsAccumulator, ReversedUDAF,
    Signature,
};

/// The `string_agg` aggregate.
pub fn udaf() -> AggregateUDF {
    AggregateUDF::new_from_impl(StringAgg {
        inner: string_agg_udaf(),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct StringAgg {
    inner: Arc<AggregateUDF>,
}

impl AggregateUDFImpl for StringAgg {
    fn name(&self) -> &str {
        "string_agg"
    }
    fn signature(&self) -> &Signature {
        self.inner.signature()
    }
    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        self.inner.return_type(arg_types)
    }
    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        self.inner.accumulator(args)
    }
    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        self.inner.state_fields(args)
    }
    fn groups_accumulator_supported(&self, args: AccumulatorArgs) -> bool {
        self.inner.groups_accumulator_supported(args)
    }
    fn create_groups_accumulator(
        &self,
        args: AccumulatorArgs,
    ) -> Result<Box<dyn GroupsAccumulator>> {
        self.inner.create_groups_accumulator(args)
    }
    fn order_sensitivity(&self) -> AggregateOrderSensitivity {
        AggregateOrderSensitivity::SoftRequirement
    }
    /// The accumulator sorts its values whatever the input order, so a
    /// pre-sorted input changes nothing.
    fn with_beneficial_ordering(
        self: Arc<Self>,
        _beneficial_ordering: bool,
    ) -> Result<Option<Arc<dyn AggregateUDFImpl>>> {
        Ok(Some(self))
    }
    fn reverse_expr(&self) -> ReversedUDAF {
        ReversedUDAF::Reversed(Arc::new(udaf()))
    }
    fn documentation(&self) -> Option<&Documentation> {
        self.inner.documentation()
    }
}

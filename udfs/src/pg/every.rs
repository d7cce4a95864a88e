//! `every(boolean)`: PostgreSQL's SQL-standard name for `bool_and` (true
//! when every non-NULL input is true, NULL when there is none); DataFusion's
//! `bool_and` does the work under PostgreSQL's name.

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, FieldRef};
use datafusion::common::Result;
use datafusion::functions_aggregate::bool_and_or::bool_and_udaf;
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, GroupsAccumulator, Signature,
};

/// The `every` aggregate.
pub fn udaf() -> AggregateUDF {
    AggregateUDF::new_from_impl(Every {
        inner: bool_and_udaf(),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Every {
    inner: Arc<AggregateUDF>,
}

impl AggregateUDFImpl for Every {
    fn name(&self) -> &str {
        "every"
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
}

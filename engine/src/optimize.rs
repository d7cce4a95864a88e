//! Tessera's logical optimizer rules, added after DataFusion's own.
//!
//! Each rule rewrites a plan shape that customer-analytics SQL uses often
//! and that DataFusion runs slowly, into an equivalent plan it runs well.
//! They are ordinary [`OptimizerRule`]s on the session state, so a
//! distributed executor (Ballista) that gets the state gets them too.
//!
//! - [`first_row::FirstRowPerGroup`]: `row_number() … WHERE rn = 1` as a
//!   hash aggregate instead of a full sort;
//! - [`mark_join::DistinctSideAsMark`]: a LEFT JOIN to `SELECT DISTINCT k`
//!   as a mark join, without deduplicating;
//! - [`join_filter_inputs::PrecomputeJoinFilterInputs`]: the one-sided
//!   expressions of a join filter computed once per input row, not once
//!   per candidate pair;
//! - [`sorted_window::SortedWindows`] (a physical rule, after DataFusion's):
//!   `row_number()`/`lag()` over sorted input in one pass, without
//!   per-partition state;
//! - [`dense_group::DenseKeyAggregate`] (a physical rule): `GROUP BY` one
//!   integer column of a known, narrow range (customer ids) with groups
//!   found by indexing an array instead of a hash table;
//! - [`dense_sort::DenseKeySort`] (a physical rule): a sort whose first
//!   key is such a column (each customer's orders in date order, under
//!   per-customer windows) by counting;
//! - [`shared_subplan::ShareSubplans`] (a physical rule, last): a subplan
//!   the query computes twice (a `WITH` query read twice) computed once.

use std::sync::Arc;

use datafusion::execution::session_state::SessionStateBuilder;
use datafusion::optimizer::OptimizerRule;
use datafusion::prelude::SessionContext;

pub mod dense_group;
pub mod dense_sort;
pub mod first_row;
pub mod join_filter_inputs;
mod key_range;
pub mod mark_join;
pub mod shared_subplan;
pub mod sorted_window;

/// Tessera's rules, in the order they run (after DataFusion's).
pub fn rules() -> Vec<Arc<dyn OptimizerRule + Send + Sync>> {
    vec![
        Arc::new(first_row::FirstRowPerGroup),
        Arc::new(join_filter_inputs::PrecomputeJoinFilterInputs),
        Arc::new(mark_join::DistinctSideAsMark),
    ]
}

/// Appends [`rules`] to the optimizer of `ctx`.
pub fn install(ctx: &SessionContext) {
    let state = ctx.state_ref();
    let current = state.read().clone();
    let mut all = current.optimizers().to_vec();
    all.extend(rules());
    let mut physical = current.physical_optimizers().to_vec();
    physical.push(Arc::new(sorted_window::SortedWindows));
    physical.push(Arc::new(dense_group::DenseKeyAggregate));
    physical.push(Arc::new(dense_sort::DenseKeySort));
    physical.push(Arc::new(shared_subplan::ShareSubplans));
    let new_state = SessionStateBuilder::new_from_existing(current)
        .with_optimizer_rules(all)
        .with_physical_optimizer_rules(physical)
        .build();
    *state.write() = new_state;
}

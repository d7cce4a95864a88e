//! # tessera-udfs: Tessera's SQL functions
//!
//! Scalar, aggregate and table functions for customer data: normalisation,
//! fuzzy matching, customer analytics. The crate depends on DataFusion only,
//! so the same functions can be registered on remote (Ballista) executors.
//!
//! Every session registers them with [`register_all`].
//!
//! ```
//! let ctx = datafusion::prelude::SessionContext::new();
//! tessera_udfs::register_all(&ctx);
//! ```

pub mod error;
pub mod first_row;
pub mod fuzzy;
pub mod normalize;
pub mod pg;

use datafusion::execution::FunctionRegistry;
use datafusion::logical_expr::ScalarUDF;
use datafusion::prelude::SessionContext;

/// Every scalar function this crate provides.
pub fn scalar_functions() -> Vec<ScalarUDF> {
    let mut all = pg::functions();
    all.extend(fuzzy::functions());
    all.extend(normalize::functions());
    all
}

/// Registers all of Tessera's functions in `ctx`.
pub fn register_all(ctx: &SessionContext) {
    for f in scalar_functions() {
        // A DataFusion function we replace keeps its aliases otherwise
        // (`date_format` → DataFusion's `to_char`), and any later rebuild of
        // the session state re-registers them, in hash order, possibly over
        // ours: drop them with it.
        if let Ok(old) = ctx.state().udf(f.name()) {
            for alias in old.aliases() {
                ctx.deregister_udf(alias);
            }
        }
        ctx.register_udf(f);
    }
    for f in pg::aggregates() {
        if let Ok(old) = ctx.state().udaf(f.name()) {
            for alias in old.aliases() {
                ctx.deregister_udaf(alias);
            }
        }
        ctx.register_udaf(f);
    }
    for (name, f) in pg::table_functions() {
        ctx.register_udtf(name, f);
    }
    drop_replaced(ctx);
}

/// Removes every registry entry that still holds a DataFusion function one
/// of ours replaces under one of its other names (DataFusion's `var` is also
/// `var_samp`): a later rebuild of the session state re-registers each
/// entry with all its aliases, in hash order, and could put it back over
/// ours.
fn drop_replaced(ctx: &SessionContext) {
    let state = ctx.state();
    let ours_udf: std::collections::HashMap<String, ScalarUDF> = scalar_functions()
        .into_iter()
        .map(|f| (f.name().to_string(), f))
        .collect();
    let ours_udaf: std::collections::HashMap<String, datafusion::logical_expr::AggregateUDF> =
        pg::aggregates()
            .into_iter()
            .map(|f| (f.name().to_string(), f))
            .collect();
    for (key, f) in state.scalar_functions() {
        let names = std::iter::once(f.name()).chain(f.aliases().iter().map(String::as_str));
        let replaced = names
            .into_iter()
            .any(|n| ours_udf.get(n).is_some_and(|o| o != f.as_ref()));
        if replaced {
            ctx.deregister_udf(key);
        }
    }
    for (key, f) in state.aggregate_functions() {
        let names = std::iter::once(f.name()).chain(f.aliases().iter().map(String::as_str));
        let replaced = names
            .into_iter()
            .any(|n| ours_udaf.get(n).is_some_and(|o| o != f.as_ref()));
        if replaced {
            ctx.deregister_udaf(key);
        }
    }
    // Deregistering an entry also drops the names of its aliases, which
    // may be ours by now: register ours once more.
    for f in ours_udf.into_values() {
        ctx.register_udf(f);
    }
    for f in ours_udaf.into_values() {
        ctx.register_udaf(f);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    #[test]
    fn names_are_unique() {
        let fs = super::scalar_functions();
        let names: HashSet<_> = fs.iter().map(|f| f.name().to_string()).collect();
        assert_eq!(names.len(), fs.len());
    }
}

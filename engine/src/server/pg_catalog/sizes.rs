//! Relation sizes, for psql's `\dt+` and `\d+` and for users' own size
//! queries: `pg_size_pretty(bigint|numeric)` as PostgreSQL 15 writes it
//! (`bytes`, `kB`, `MB`, `GB`, `TB`, `PB`, halves rounded away from zero),
//! and `pg_table_size`, `pg_relation_size`, `pg_total_relation_size` and
//! `pg_indexes_size` of a relation (its OID, or a name as `regclass` reads
//! it). A Tessera table's size is the bytes of its Delta table's current
//! data files, read from its log (an asynchronous function: the log may be
//! on object storage); views and primary-key indexes have no storage (0);
//! an OID Tessera does not know (PostgreSQL's own catalogs) is NULL.

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, Int64Array, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Int64Type};
use datafusion::common::{Result, exec_err, plan_err};
use datafusion::logical_expr::async_udf::{AsyncScalarUDF, AsyncScalarUDFImpl};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, TypeSignature,
    Volatility,
};
use datafusion::prelude::SessionContext;
use tessera_catalog::Warehouse;

/// Registers the functions on `ctx`.
pub(crate) fn register(
    ctx: &SessionContext,
    warehouse: &Arc<Warehouse>,
    system: HashMap<String, u32>,
) {
    ctx.register_udf(ScalarUDF::new_from_impl(SizePretty {
        signature: Signature::user_defined(Volatility::Immutable),
    }));
    let system = Arc::new(system);
    for (name, indexes, database) in [
        ("pg_table_size", false, false),
        ("pg_relation_size", false, false),
        ("pg_total_relation_size", false, false),
        ("pg_indexes_size", true, false),
        ("pg_database_size", false, true),
    ] {
        let f = RelationSize {
            name,
            indexes,
            database,
            warehouse: warehouse.clone(),
            system: system.clone(),
            // DataFusion's async wrapper does not pass `coerce_types` on:
            // any argument, read in `invoke_async_with_args`.
            signature: Signature::one_of(
                vec![TypeSignature::Any(1), TypeSignature::Any(2)],
                Volatility::Volatile,
            ),
        };
        ctx.register_udf(AsyncScalarUDF::new(Arc::new(f)).into_scalar_udf());
    }
}

/// `pg_size_pretty`'s units (PostgreSQL 15's `size_pretty_units`): name,
/// the magnitude below which it is used, whether it is half-rounded, and
/// its power of two.
const UNITS: [(&str, i64, bool, u32); 6] = [
    ("bytes", 10 * 1024, false, 0),
    ("kB", 20 * 1024 - 1, true, 10),
    ("MB", 20 * 1024 - 1, true, 20),
    ("GB", 20 * 1024 - 1, true, 30),
    ("TB", 20 * 1024 - 1, true, 40),
    ("PB", 20 * 1024 - 1, true, 50),
];

/// `pg_size_pretty(bigint)`.
fn size_pretty(bytes: i64) -> String {
    let half_rounded = |x: i64| (x + if x < 0 { -1 } else { 1 }) / 2;
    let mut size = bytes;
    for (i, &(name, limit, round, bits)) in UNITS.iter().enumerate() {
        let last = i + 1 == UNITS.len();
        if last || size.abs() < limit {
            if round {
                size = half_rounded(size);
            }
            return format!("{size} {name}");
        }
        let (_, _, next_round, next_bits) = UNITS[i + 1];
        let shift = next_bits - bits - u32::from(next_round) + u32::from(round);
        size /= 1i64 << shift;
    }
    unreachable!("the last unit returns")
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct SizePretty {
    signature: Signature,
}

impl ScalarUDFImpl for SizePretty {
    fn name(&self) -> &str {
        "pg_size_pretty"
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        match arg_types {
            [t] if t.is_numeric() || t.is_null() => Ok(vec![DataType::Int64]),
            _ => plan_err!("function pg_size_pretty takes a number of bytes"),
        }
    }
    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = matches!(args.args[0], ColumnarValue::Scalar(_));
        let a = args.args[0].to_array(args.number_rows)?;
        let a = a.as_primitive::<Int64Type>();
        let out: StringArray = a.iter().map(|v| v.map(size_pretty)).collect();
        let out: datafusion::arrow::array::ArrayRef = Arc::new(out);
        Ok(if scalar {
            ColumnarValue::Scalar(datafusion::common::ScalarValue::try_from_array(&out, 0)?)
        } else {
            ColumnarValue::Array(out)
        })
    }
}

/// One of the size functions.
#[derive(Debug)]
struct RelationSize {
    name: &'static str,
    /// `pg_indexes_size`: Tessera's indexes have no storage.
    indexes: bool,
    /// `pg_database_size(name | oid)`: the data files of every table of
    /// the warehouse (psql's `\l+`).
    database: bool,
    warehouse: Arc<Warehouse>,
    system: Arc<HashMap<String, u32>>,
    signature: Signature,
}

impl PartialEq for RelationSize {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}
impl Eq for RelationSize {}
impl std::hash::Hash for RelationSize {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}

impl ScalarUDFImpl for RelationSize {
    fn name(&self) -> &str {
        self.name
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Int64)
    }
    fn invoke_with_args(&self, _args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        exec_err!("{} runs asynchronously", self.name)
    }
}

#[async_trait::async_trait]
impl AsyncScalarUDFImpl for RelationSize {
    async fn invoke_async_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        if self.database {
            let which = args.args[0].to_array(rows)?;
            let mut total = 0;
            for schema in self.warehouse.state().schemas.values() {
                for t in schema.tables.values() {
                    total += data_size(&self.warehouse, &t.location).await?;
                }
            }
            let out: Int64Array = (0..rows)
                .map(|i| (!which.is_null(i)).then_some(total))
                .collect();
            return Ok(ColumnarValue::Array(Arc::new(out)));
        }
        // A relation is an OID or a name (`regclass`'s text).
        let relations = args.args[0].to_array(rows)?;
        let relations = match relations.data_type() {
            DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8 => {
                cast(&relations, &DataType::Utf8)?
            }
            t if t.is_integer() || t.is_null() => cast(&relations, &DataType::Int64)?,
            t => return plan_err!("function {}({t}) does not exist", self.name),
        };
        let forks = match args.args.get(1) {
            Some(f) => Some(cast(&f.to_array(rows)?, &DataType::Utf8)?),
            None => None,
        };
        let state = self.warehouse.state();
        let mut sizes: HashMap<u32, Option<i64>> = HashMap::new();
        let mut out = Vec::with_capacity(rows);
        for i in 0..relations.len() {
            if relations.is_null(i) {
                out.push(None);
                continue;
            }
            let oid = match relations.data_type() {
                DataType::Utf8 => {
                    let name = relations.as_string::<i32>().value(i);
                    match super::definitions::to_regclass(&state, &self.system, name) {
                        Some(oid) => oid,
                        None => {
                            return exec_err!("relation \"{name}\" does not exist");
                        }
                    }
                }
                _ => match u32::try_from(relations.as_primitive::<Int64Type>().value(i)) {
                    Ok(oid) => oid,
                    Err(_) => {
                        out.push(None);
                        continue;
                    }
                },
            };
            // Only the main fork has data (`fsm`, `vm`, `init` are empty).
            let main = forks
                .as_ref()
                .map(|f| f.is_null(i) || f.as_string::<i32>().value(i) == "main")
                .unwrap_or(true);
            if let Some(size) = sizes.get(&oid) {
                out.push(size.map(|s| if main && !self.indexes { s } else { 0 }));
                continue;
            }
            let size = match super::definitions::table_location(&state, oid) {
                Some(Some(location)) => Some(data_size(&self.warehouse, &location).await?),
                // A view or an index: no storage.
                Some(None) => Some(0),
                None => None,
            };
            sizes.insert(oid, size);
            out.push(size.map(|s| if main && !self.indexes { s } else { 0 }));
        }
        Ok(ColumnarValue::Array(Arc::new(Int64Array::from(out))))
    }
}

/// The bytes of a Delta table's data files, summed from its log.
async fn data_size(warehouse: &Warehouse, location: &str) -> Result<i64> {
    let external = |e: Box<dyn std::error::Error + Send + Sync>| {
        datafusion::error::DataFusionError::External(e)
    };
    let table = warehouse
        .load_delta(location)
        .await
        .map_err(|e| external(Box::new(e)))?;
    let snapshot = table.snapshot().map_err(|e| external(Box::new(e)))?;
    Ok(snapshot.log_data().iter().map(|f| f.size()).sum::<i64>())
}

#[cfg(test)]
mod tests {
    use super::size_pretty;

    #[test]
    fn like_postgres_15() {
        // SELECT pg_size_pretty(x) in PostgreSQL 15.
        for (bytes, text) in [
            (0, "0 bytes"),
            (10239, "10239 bytes"),
            (10240, "10 kB"),
            (10752, "11 kB"),
            (20971008, "20 MB"),
            (20971520, "20 MB"),
            (1_000_000_000, "954 MB"),
            (1_099_511_627_776, "1024 GB"),
            (-10240, "-10 kB"),
            (i64::MAX, "8192 PB"),
        ] {
            assert_eq!(size_pretty(bytes), text, "{bytes}");
        }
    }
}

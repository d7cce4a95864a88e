//! `pg_catalog` built from Tessera's catalog.
//!
//! `datafusion-pg-catalog` emulates PostgreSQL's system catalog well for
//! static content (`pg_type`, `pg_proc`, `pg_am`, …), but derives
//! `pg_class`/`pg_attribute`/`pg_namespace` from DataFusion's providers with
//! OIDs from a private counter, knows no nullability, type modifiers,
//! primary keys or comments, and keeps `conkey`/`indkey` as text. Clients
//! read exactly those (psql's `\d`, pgjdbc's `getColumns`/`getPrimaryKeys`,
//! SQLAlchemy's reflection), so this module wraps the library's schema and
//! answers seven tables itself (and serves `pg_type` with its `regproc`
//! columns as `pg_proc` OIDs, see [`regproc_oids`]):
//!
//! | table | Tessera rows | PostgreSQL's own rows |
//! |---|---|---|
//! | `pg_namespace` | warehouse schemas | `pg_catalog`, `information_schema`, `pg_toast` |
//! | `pg_class` | tables, views, primary key indexes | system relations (`postgres15/`) |
//! | `pg_attribute` | their columns (type OID, typmod, NOT NULL) | system columns |
//! | `pg_attrdef` | column DEFAULTs | — |
//! | `pg_constraint` | primary keys | system constraints |
//! | `pg_index` | primary key indexes | system indexes |
//! | `pg_description` | table, view, column and schema comments | built-in objects |
//!
//! `information_schema` is replaced the same way (see [`information_schema`]).
//!
//! PostgreSQL's rows carry PostgreSQL's OIDs (`pg_class` is 1259, …) so
//! joins like pgjdbc's `dc.relname = 'pg_class'` work. Tessera's rows are
//! built from the warehouse's catalog snapshot each time a statement plans
//! the table, so DDL from any connection or process shows at once. Array
//! columns (`conkey`, `confkey`, `indkey`) are `int2[]` lists so that
//! `unnest`, `ANY` and subscripts work on them.

mod definitions;
mod information_schema;
mod relations;
mod rows;
pub(crate) mod set_returning;
mod sizes;

use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;
use datafusion::arrow::array::{Array, BooleanArray, StringArray};
use datafusion::arrow::compute::filter_record_batch;
use datafusion::arrow::datatypes::{DataType, Field, SchemaRef};
use datafusion::arrow::ipc::reader::FileReader;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::catalog::information_schema::InformationSchemaProvider;
use datafusion::catalog::{MemTable, SchemaProvider};
use datafusion::common::{DataFusionError, Result};
use datafusion::datasource::TableProvider;
use datafusion::prelude::SessionContext;
use datafusion_postgres::datafusion_pg_catalog::pg_catalog::PgCatalogStaticTables;
use datafusion_postgres::datafusion_pg_catalog::pg_catalog::context::{
    PgCatalogContextProvider, Role,
};
use tessera_catalog::{CatalogState, Warehouse};

use rows::{Rows, conform, relaxed, shorts_type};

type Build = fn(&CatalogState, &mut Rows) -> Result<()>;

/// One table answered here: its schema, PostgreSQL's rows (already in that
/// schema) and the function adding Tessera's rows.
#[derive(Debug)]
struct Overlay {
    schema: SchemaRef,
    system: Vec<RecordBatch>,
    build: Build,
}

/// The `pg_catalog` schema: the library's, with [`Overlay`] tables in front.
#[derive(Debug)]
struct PgCatalog {
    inner: Arc<dyn SchemaProvider>,
    warehouse: Arc<Warehouse>,
    overlays: HashMap<&'static str, Overlay>,
}

/// The roles `pg_roles`/`pg_user` list: `tessera` and the password users,
/// all superusers (Tessera has no privileges to model yet).
#[derive(Debug, Clone)]
pub(crate) struct Roles(Arc<Vec<String>>);

impl Roles {
    pub(crate) fn new(users: Option<&crate::server::auth::Users>) -> Roles {
        let mut names = vec!["tessera".to_string()];
        names.extend(users.map(|u| u.names()).unwrap_or_default());
        names.sort();
        names.dedup();
        Roles(Arc::new(names))
    }
}

#[async_trait]
impl PgCatalogContextProvider for Roles {
    async fn roles(&self) -> Vec<String> {
        self.0.as_ref().clone()
    }

    async fn role(&self, name: &str) -> Option<Role> {
        self.0.iter().any(|n| n == name).then(|| Role {
            name: name.to_string(),
            is_superuser: true,
            can_login: true,
            can_create_db: true,
            can_create_role: true,
            can_create_user: true,
            can_replication: false,
            grants: vec![],
            inherited_roles: vec![],
        })
    }
}

/// Replaces the `pg_catalog` schema that `setup_pg_catalog` registered in
/// `catalog` with one whose relation tables come from `warehouse`, and the
/// library's object-description functions with ones that read it too.
pub(crate) async fn install(
    ctx: &SessionContext,
    catalog: &str,
    warehouse: Arc<Warehouse>,
) -> Result<()> {
    let catalog = ctx
        .catalog(catalog)
        .ok_or_else(|| DataFusionError::Plan(format!("catalog {catalog} not found")))?;
    let inner = catalog
        .schema("pg_catalog")
        .ok_or_else(|| DataFusionError::Plan("pg_catalog is not set up".into()))?;
    let statics = PgCatalogStaticTables::try_new()?;
    let postgres_rows = |bytes: &[u8]| -> Result<Vec<RecordBatch>> {
        Ok(
            FileReader::try_new(std::io::Cursor::new(bytes.to_vec()), None)?
                .collect::<std::result::Result<Vec<_>, _>>()?,
        )
    };
    let sources: [(&'static str, Vec<RecordBatch>, Build); 8] = [
        (
            "pg_type",
            regproc_oids(statics.pg_type.data(), statics.pg_proc.data())?,
            |_, _| Ok(()),
        ),
        (
            "pg_namespace",
            // `public` is a warehouse schema like any other.
            without(
                postgres_rows(include_bytes!("postgres15/pg_namespace.feather"))?,
                "nspname",
                "public",
            )?,
            relations::pg_namespace,
        ),
        (
            "pg_class",
            postgres_rows(include_bytes!("postgres15/pg_class.feather"))?,
            relations::pg_class,
        ),
        (
            "pg_attribute",
            postgres_rows(include_bytes!("postgres15/pg_attribute.feather"))?,
            relations::pg_attribute,
        ),
        (
            "pg_attrdef",
            statics.pg_attrdef.data().to_vec(),
            relations::pg_attrdef,
        ),
        (
            "pg_constraint",
            statics.pg_constraint.data().to_vec(),
            relations::pg_constraint,
        ),
        (
            "pg_index",
            statics.pg_index.data().to_vec(),
            relations::pg_index,
        ),
        (
            "pg_description",
            statics.pg_description.data().to_vec(),
            relations::pg_description,
        ),
    ];
    let mut overlays = HashMap::new();
    for (name, system, build) in sources {
        let library = inner
            .table(name)
            .await?
            .ok_or_else(|| DataFusionError::Plan(format!("pg_catalog.{name} missing")))?;
        let text_array = DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, true)));
        // Array columns as lists; `pg_class` gains the two columns the
        // library's lacks (`reloptions`, `relacl`).
        let columns: &[(&str, DataType)] = match name {
            "pg_constraint" => &[("conkey", shorts_type()), ("confkey", shorts_type())],
            "pg_index" => &[
                ("indkey", shorts_type()),
                ("indcollation", shorts_type()),
                ("indclass", shorts_type()),
                ("indoption", shorts_type()),
            ],
            "pg_class" => &[("reloptions", text_array.clone()), ("relacl", text_array)],
            "pg_namespace" => &[("nspacl", text_array)],
            "pg_type" => &[
                ("typinput", DataType::Int32),
                ("typoutput", DataType::Int32),
                ("typreceive", DataType::Int32),
                ("typsend", DataType::Int32),
                ("typmodin", DataType::Int32),
                ("typmodout", DataType::Int32),
                ("typanalyze", DataType::Int32),
                ("typsubscript", DataType::Int32),
            ],
            _ => &[],
        };
        let schema = relaxed(&library.schema(), columns);
        let system = system
            .iter()
            .map(|b| conform(b, &schema))
            .collect::<Result<Vec<_>>>()?;
        overlays.insert(
            name,
            Overlay {
                schema,
                system,
                build,
            },
        );
    }
    // DataFusion's own `information_schema` (Arrow type names, no
    // constraints) gives way to ours, which wraps it for the rest.
    let info = Arc::new(information_schema::InformationSchema {
        inner: Arc::new(InformationSchemaProvider::new(
            ctx.state().catalog_list().clone(),
        )),
        warehouse: warehouse.clone(),
        system_tables: vec![("pg_catalog".to_string(), inner.table_names())],
    });
    ctx.state_ref()
        .write()
        .config_mut()
        .options_mut()
        .catalog
        .information_schema = false;
    catalog.register_schema("information_schema", info)?;
    let system = system_relations(&overlays["pg_class"].system)?;
    sizes::register(ctx, &warehouse, system.clone());
    definitions::register(ctx, &warehouse, system);
    ctx.register_udf(set_returning::udf());
    catalog.register_schema(
        "pg_catalog",
        Arc::new(PgCatalog {
            inner,
            warehouse,
            overlays,
        }),
    )?;
    Ok(())
}

/// `pg_type` with its `regproc` columns (`typinput`, `typreceive`, …) as
/// `pg_proc` OIDs instead of the function names the export holds, so that
/// `JOIN pg_proc ON pg_proc.oid = t.typreceive` (Npgsql's type loading)
/// works; `-` (no function) is 0 as in PostgreSQL.
fn regproc_oids(types: &[RecordBatch], procs: &[RecordBatch]) -> Result<Vec<RecordBatch>> {
    use datafusion::arrow::array::{ArrayRef, Int32Array};
    use datafusion::arrow::compute::cast;
    let mut oid_of: HashMap<String, i32> = HashMap::new();
    for b in procs {
        let names = cast(
            b.column_by_name("proname").expect("proname"),
            &DataType::Utf8,
        )?;
        let names = names.as_any().downcast_ref::<StringArray>().expect("utf8");
        let oids = cast(b.column_by_name("oid").expect("oid"), &DataType::Int32)?;
        let oids = oids.as_any().downcast_ref::<Int32Array>().expect("int32");
        for i in 0..b.num_rows() {
            let e = oid_of
                .entry(names.value(i).to_string())
                .or_insert(oids.value(i));
            *e = (*e).min(oids.value(i));
        }
    }
    const REGPROC: [&str; 8] = [
        "typinput",
        "typoutput",
        "typreceive",
        "typsend",
        "typmodin",
        "typmodout",
        "typanalyze",
        "typsubscript",
    ];
    types
        .iter()
        .map(|b| {
            let schema = b.schema();
            let mut fields = Vec::new();
            let mut columns: Vec<ArrayRef> = Vec::new();
            for (f, col) in schema.fields().iter().zip(b.columns()) {
                if REGPROC.contains(&f.name().as_str()) && f.data_type() == &DataType::Utf8 {
                    let names = col.as_any().downcast_ref::<StringArray>().expect("utf8");
                    let oids: Int32Array = names
                        .iter()
                        .map(|n| Some(n.and_then(|n| oid_of.get(n).copied()).unwrap_or(0)))
                        .collect();
                    fields.push(f.as_ref().clone().with_data_type(DataType::Int32));
                    columns.push(Arc::new(oids));
                } else {
                    fields.push(f.as_ref().clone());
                    columns.push(col.clone());
                }
            }
            Ok(RecordBatch::try_new(
                Arc::new(datafusion::arrow::datatypes::Schema::new(fields)),
                columns,
            )?)
        })
        .collect()
}

/// `relname → oid` of PostgreSQL's own `pg_catalog` relations.
fn system_relations(pg_class: &[RecordBatch]) -> Result<HashMap<String, u32>> {
    use datafusion::arrow::array::Int32Array;
    use datafusion::arrow::compute::cast;
    let mut map = HashMap::new();
    for b in pg_class {
        let col = |n: &str, t: &DataType| cast(b.column_by_name(n).expect("pg_class column"), t);
        let (names, oids, ns) = (
            col("relname", &DataType::Utf8)?,
            col("oid", &DataType::Int32)?,
            col("relnamespace", &DataType::Int32)?,
        );
        let names = names.as_any().downcast_ref::<StringArray>().expect("utf8");
        let oids = oids.as_any().downcast_ref::<Int32Array>().expect("int32");
        let ns = ns.as_any().downcast_ref::<Int32Array>().expect("int32");
        for i in 0..b.num_rows() {
            if ns.value(i) == 11 {
                map.insert(names.value(i).to_string(), oids.value(i) as u32);
            }
        }
    }
    Ok(map)
}

/// `batches` without the rows whose `column` equals `value`.
fn without(batches: Vec<RecordBatch>, column: &str, value: &str) -> Result<Vec<RecordBatch>> {
    batches
        .iter()
        .map(|b| {
            let col = b
                .column_by_name(column)
                .and_then(|c| c.as_any().downcast_ref::<StringArray>())
                .ok_or_else(|| DataFusionError::Plan(format!("no text column {column}")))?;
            let keep: BooleanArray = (0..col.len())
                .map(|i| Some(col.is_null(i) || col.value(i) != value))
                .collect();
            Ok(filter_record_batch(b, &keep)?)
        })
        .collect()
}

#[async_trait]
impl SchemaProvider for PgCatalog {
    fn table_names(&self) -> Vec<String> {
        self.inner.table_names()
    }

    async fn table(&self, name: &str) -> Result<Option<Arc<dyn TableProvider>>> {
        let Some(overlay) = self.overlays.get(name.to_ascii_lowercase().as_str()) else {
            return self.inner.table(name).await;
        };
        let mut rows = Rows::new(&overlay.schema);
        (overlay.build)(&self.warehouse.state(), &mut rows)?;
        let mut batches = overlay.system.clone();
        batches.push(rows.finish()?);
        Ok(Some(Arc::new(MemTable::try_new(
            overlay.schema.clone(),
            vec![batches],
        )?)))
    }

    fn table_exist(&self, name: &str) -> bool {
        self.inner.table_exist(name)
    }
}

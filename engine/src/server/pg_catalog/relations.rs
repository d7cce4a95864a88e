//! Tessera's own objects as `pg_catalog` rows: one function per catalog
//! table, each reading the warehouse's [`CatalogState`].
//!
//! OIDs are the catalog's: `TableMeta::oid`/`ViewMeta::oid` for relations,
//! [`CatalogState::schema_oid`] for schemas, and the derived primary key
//! index/constraint OIDs of [`TableMeta`], so that every table here joins
//! with the others as PostgreSQL's do.

use datafusion::common::Result;
use tessera_catalog::{CatalogState, PgType, TableMeta};

use super::rows::{Rows, V};

/// `pg_class.oid` of `pg_class` itself: `pg_description.classoid` of
/// relation and column comments.
pub(crate) const PG_CLASS_OID: u32 = 1259;
/// `pg_class.oid` of `pg_namespace`: `classoid` of schema comments.
const PG_NAMESPACE_OID: u32 = 2615;
/// The bootstrap superuser's OID, owner of everything here.
const OWNER: u32 = 10;
/// `pg_am.oid` of the heap and btree access methods.
const HEAP_AM: u32 = 2;
const BTREE_AM: u32 = 403;
/// `pg_collation.oid` of "default", for collatable (text) columns.
const DEFAULT_COLLATION: u32 = 100;

/// A relation's columns: name, declared type, NOT NULL, has DEFAULT.
struct Column<'a> {
    name: &'a str,
    ty: PgType,
    not_null: bool,
    default: Option<&'a str>,
    comment: Option<&'a str>,
}

fn table_columns(t: &TableMeta) -> Vec<Column<'_>> {
    t.columns
        .iter()
        .map(|c| Column {
            name: &c.name,
            ty: c.pg_type.clone(),
            not_null: !c.nullable,
            default: c.default.as_deref(),
            comment: c.comment.as_deref(),
        })
        .collect()
}

/// A view with its columns (types from the result schema recorded at
/// CREATE VIEW).
pub(crate) struct View<'a> {
    pub(crate) schema: &'a str,
    pub(crate) name: &'a str,
    pub(crate) meta: &'a tessera_catalog::ViewMeta,
    pub(crate) columns: Vec<(String, PgType)>,
}

/// Every view whose recorded schema decodes.
pub(crate) fn views(state: &CatalogState) -> Vec<View<'_>> {
    let mut out = Vec::new();
    for (schema, s) in &state.schemas {
        for (name, meta) in &s.views {
            let Ok(arrow) = tessera_catalog::view::decode_schema(&meta.arrow_schema) else {
                continue;
            };
            let columns = arrow
                .fields()
                .iter()
                .map(|f| {
                    let ty = PgType::from_arrow(f.data_type()).unwrap_or(PgType::Text);
                    (f.name().clone(), ty)
                })
                .collect();
            out.push(View {
                schema,
                name,
                meta,
                columns,
            });
        }
    }
    out
}

fn tables(state: &CatalogState) -> impl Iterator<Item = (&str, &str, &TableMeta)> {
    state.schemas.iter().flat_map(|(schema, s)| {
        s.tables
            .iter()
            .map(move |(name, t)| (schema.as_str(), name.as_str(), t))
    })
}

/// Attribute numbers (1-based) of a table's primary key columns.
fn pkey_attnums(t: &TableMeta) -> Vec<i16> {
    t.primary_key
        .iter()
        .filter_map(|k| t.column_index(k))
        .map(|i| i as i16 + 1)
        .collect()
}

/// Name PostgreSQL gives a table's primary key constraint and index.
pub(crate) fn pkey_name(table: &str) -> String {
    format!("{table}_pkey")
}

pub(crate) fn pg_namespace(state: &CatalogState, rows: &mut Rows) -> Result<()> {
    for name in state.schemas.keys() {
        rows.push(&[
            ("oid", state.schema_oid(name).into()),
            ("nspname", name.as_str().into()),
            ("nspowner", OWNER.into()),
        ])?;
    }
    Ok(())
}

pub(crate) fn pg_class(state: &CatalogState, rows: &mut Rows) -> Result<()> {
    let relation = |oid: u32, name: &str, ns: u32, kind: &str, natts: usize, am: u32| {
        vec![
            ("oid", V::from(oid)),
            ("relname", name.into()),
            ("relnamespace", ns.into()),
            ("relowner", OWNER.into()),
            ("relam", am.into()),
            ("relfilenode", oid.into()),
            ("reltuples", V::F(-1.0)),
            ("relpersistence", "p".into()),
            ("relkind", kind.into()),
            ("relnatts", natts.into()),
            ("relispopulated", true.into()),
            ("relreplident", if kind == "r" { "d" } else { "n" }.into()),
            ("relfrozenxid", V::I(0)),
            ("relminmxid", V::I(0)),
        ]
    };
    for (schema, name, t) in tables(state) {
        let ns = state.schema_oid(schema);
        let mut row = relation(t.oid, name, ns, "r", t.columns.len(), HEAP_AM);
        row.push(("relhasindex", t.pkey_index_oid().is_some().into()));
        rows.push(&row)?;
        if let Some(index) = t.pkey_index_oid() {
            rows.push(&relation(
                index,
                &pkey_name(name),
                ns,
                "i",
                t.primary_key.len(),
                BTREE_AM,
            ))?;
        }
    }
    for v in views(state) {
        let ns = state.schema_oid(v.schema);
        rows.push(&relation(v.meta.oid, v.name, ns, "v", v.columns.len(), 0))?;
    }
    Ok(())
}

fn attribute(
    relid: u32,
    num: usize,
    name: &str,
    ty: &PgType,
    not_null: bool,
) -> Vec<(&'static str, V)> {
    let len = ty.typlen();
    let collatable = matches!(
        ty,
        PgType::Text | PgType::Varchar { .. } | PgType::Char { .. }
    );
    vec![
        ("attrelid", relid.into()),
        ("attname", name.into()),
        ("atttypid", ty.type_oid().into()),
        ("attlen", len.into()),
        ("attnum", num.into()),
        ("attcacheoff", V::I(-1)),
        ("atttypmod", ty.typmod().into()),
        (
            "attndims",
            V::I(i64::from(matches!(ty, PgType::Array { .. }))),
        ),
        ("attbyval", (len > 0 && len <= 8).into()),
        ("attalign", if len == 8 { "d" } else { "i" }.into()),
        ("attstorage", if len > 0 { "p" } else { "x" }.into()),
        ("attcompression", "".into()),
        ("attnotnull", not_null.into()),
        ("attidentity", "".into()),
        ("attgenerated", "".into()),
        ("attislocal", true.into()),
        (
            "attcollation",
            V::from(if collatable { DEFAULT_COLLATION } else { 0 }),
        ),
        ("attstattarget", V::I(-1)),
    ]
}

pub(crate) fn pg_attribute(state: &CatalogState, rows: &mut Rows) -> Result<()> {
    for (_, _, t) in tables(state) {
        for (i, c) in table_columns(t).iter().enumerate() {
            let mut row = attribute(t.oid, i + 1, c.name, &c.ty, c.not_null);
            row.push(("atthasdef", c.default.is_some().into()));
            rows.push(&row)?;
        }
        if let Some(index) = t.pkey_index_oid() {
            for (i, k) in t.primary_key.iter().enumerate() {
                if let Some(c) = t.columns.iter().find(|c| &c.name == k) {
                    rows.push(&attribute(index, i + 1, k, &c.pg_type, true))?;
                }
            }
        }
    }
    for v in views(state) {
        for (i, (name, ty)) in v.columns.iter().enumerate() {
            rows.push(&attribute(v.meta.oid, i + 1, name, ty, false))?;
        }
    }
    Ok(())
}

pub(crate) fn pg_attrdef(state: &CatalogState, rows: &mut Rows) -> Result<()> {
    for (_, _, t) in tables(state) {
        for (i, c) in table_columns(t).iter().enumerate() {
            if let Some(default) = c.default {
                // No catalog object of its own: a stable OID derived from
                // the table's and the column's numbers.
                let oid = 0x5000_0000u32.wrapping_add(t.oid.wrapping_mul(1601)) & 0x7fff_ffff;
                rows.push(&[
                    ("oid", (oid + i as u32 + 1).into()),
                    ("adrelid", t.oid.into()),
                    ("adnum", (i + 1).into()),
                    ("adbin", default.into()),
                ])?;
            }
        }
    }
    Ok(())
}

pub(crate) fn pg_constraint(state: &CatalogState, rows: &mut Rows) -> Result<()> {
    for (schema, name, t) in tables(state) {
        let (Some(oid), Some(index)) = (t.pkey_constraint_oid(), t.pkey_index_oid()) else {
            continue;
        };
        rows.push(&[
            ("oid", oid.into()),
            ("conname", pkey_name(name).into()),
            ("connamespace", state.schema_oid(schema).into()),
            ("contype", "p".into()),
            ("convalidated", true.into()),
            ("conrelid", t.oid.into()),
            ("conindid", index.into()),
            ("confupdtype", " ".into()),
            ("confdeltype", " ".into()),
            ("confmatchtype", " ".into()),
            ("conislocal", true.into()),
            ("connoinherit", true.into()),
            ("conkey", V::Shorts(pkey_attnums(t))),
        ])?;
    }
    Ok(())
}

pub(crate) fn pg_index(state: &CatalogState, rows: &mut Rows) -> Result<()> {
    for (_, _, t) in tables(state) {
        let Some(index) = t.pkey_index_oid() else {
            continue;
        };
        let keys = pkey_attnums(t);
        let zeros = V::Shorts(vec![0; keys.len()]);
        rows.push(&[
            ("indexrelid", index.into()),
            ("indrelid", t.oid.into()),
            ("indnatts", keys.len().into()),
            ("indnkeyatts", keys.len().into()),
            ("indisunique", true.into()),
            ("indisprimary", true.into()),
            ("indimmediate", true.into()),
            ("indisvalid", true.into()),
            ("indisready", true.into()),
            ("indislive", true.into()),
            ("indkey", V::Shorts(keys)),
            ("indcollation", zeros.clone()),
            // int8_ops: Tessera's keys are ordered like btree's default.
            ("indclass", V::Shorts(vec![1980; pkey_attnums(t).len()])),
            ("indoption", zeros),
        ])?;
    }
    Ok(())
}

pub(crate) fn pg_description(state: &CatalogState, rows: &mut Rows) -> Result<()> {
    let mut describe = |objoid: u32, classoid: u32, subid: usize, text: &str| {
        rows.push(&[
            ("objoid", objoid.into()),
            ("classoid", classoid.into()),
            ("objsubid", subid.into()),
            ("description", text.into()),
        ])
    };
    for (name, s) in &state.schemas {
        if let Some(c) = &s.comment {
            describe(state.schema_oid(name), PG_NAMESPACE_OID, 0, c)?;
        }
    }
    for (_, _, t) in tables(state) {
        if let Some(c) = &t.comment {
            describe(t.oid, PG_CLASS_OID, 0, c)?;
        }
        for (i, c) in table_columns(t).iter().enumerate() {
            if let Some(text) = c.comment {
                describe(t.oid, PG_CLASS_OID, i + 1, text)?;
            }
        }
    }
    for v in views(state) {
        if let Some(c) = &v.meta.comment {
            describe(v.meta.oid, PG_CLASS_OID, 0, c)?;
        }
    }
    Ok(())
}

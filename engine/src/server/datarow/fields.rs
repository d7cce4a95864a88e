//! RowDescription fields: the PostgreSQL type of each result column.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion_postgres::pgwire::api::Type;
use datafusion_postgres::pgwire::api::results::{FieldFormat, FieldInfo};

/// A list of lists (of lists…) as a list of its innermost elements; other
/// types as they are.
fn innermost_list(t: &DataType) -> DataType {
    match t {
        DataType::List(child) | DataType::LargeList(child)
            if matches!(
                child.data_type(),
                DataType::List(_) | DataType::LargeList(_)
            ) =>
        {
            innermost_list(child.data_type())
        }
        t => t.clone(),
    }
}

/// RowDescription fields of `schema`: arrow-pg's mapping (arrays of arrays
/// typed as their elements' array), `json` / `jsonb` for text fields tagged
/// with their kind (`tessera_udfs::pg::json::KIND_KEY`), `text` for untyped
/// NULLs, and `bpchar` / `varchar` (and their arrays), `numeric` and
/// `regtype` for values tagged so (`tessera_catalog::table::PG_TYPE_KEY`).
pub(crate) fn pg_fields(
    schema: &datafusion::arrow::datatypes::Schema,
    format: &datafusion_postgres::pgwire::api::portal::Format,
    options: Option<Arc<datafusion_postgres::pgwire::types::format::FormatOptions>>,
) -> datafusion_postgres::pgwire::error::PgWireResult<Vec<FieldInfo>> {
    // An array of arrays has its elements' array type in PostgreSQL
    // (`ARRAY[[1, 2]]` is `integer[]`); arrow-pg knows one-dimensional lists.
    let flat = datafusion::arrow::datatypes::Schema::new_with_metadata(
        schema
            .fields()
            .iter()
            .map(|f| {
                Arc::new(
                    f.as_ref()
                        .clone()
                        .with_data_type(innermost_list(f.data_type())),
                )
            })
            .collect::<Vec<_>>(),
        schema.metadata().clone(),
    );
    let fields = datafusion_postgres::arrow_pg::datatypes::arrow_schema_to_pg_fields(
        &flat, format, options,
    )?;
    Ok(fields
        .into_iter()
        .zip(schema.fields())
        .map(|(info, f)| {
            let pg_type = match tessera_udfs::pg::json::kind_of(f) {
                Some("jsonb") => Type::JSONB,
                Some(_) => Type::JSON,
                // PostgreSQL resolves an output column of unknown type
                // (`SELECT NULL AS n`) to text.
                None if f.data_type() == &DataType::Null => Type::TEXT,
                None => match f
                    .metadata()
                    .get(tessera_catalog::table::PG_TYPE_KEY)
                    .map(String::as_str)
                {
                    Some("bpchar") => Type::BPCHAR,
                    Some("varchar") => Type::VARCHAR,
                    Some("bpchar[]") => Type::BPCHAR_ARRAY,
                    Some("varchar[]") => Type::VARCHAR_ARRAY,
                    // A value printed at its own scale
                    // (`tessera_udfs::pg::numeric_text`).
                    Some("numeric") => Type::NUMERIC,
                    // `pg_typeof`: a type's name, `regtype`'s text; in
                    // binary a regtype is an OID, so it stays text there.
                    Some("regtype") if info.format() == FieldFormat::Text => Type::REGTYPE,
                    _ => return info,
                },
            };
            FieldInfo::new(
                info.name().to_string(),
                info.table_id(),
                info.column_id(),
                pg_type,
                info.format(),
            )
        })
        .collect())
}

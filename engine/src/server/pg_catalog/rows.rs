//! Building catalog batches by column name.
//!
//! The emulated catalog tables have many columns of which Tessera knows a
//! handful per row. [`Rows`] takes rows as `(column, value)` pairs and fills
//! every other column with PostgreSQL's "nothing" (0 for oids and counts,
//! false, NULL for text), so a row builder states only what it knows and
//! stays correct when the target schema gains columns. [`conform`] brings a
//! batch of another shape (PostgreSQL's own rows exported to Arrow) to the
//! same schema.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, ListBuilder, PrimitiveBuilder, new_null_array};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Int16Type, Schema, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::{Result, ScalarValue};

/// A value of a catalog cell.
#[derive(Debug, Clone)]
pub(crate) enum V {
    /// Any integer column (oid, int2, int4, …).
    I(i64),
    /// Text, `name` and `"char"` columns.
    S(String),
    /// Booleans.
    B(bool),
    /// Floats (`reltuples`).
    F(f64),
    /// `int2[]` / `int2vector` (attribute numbers).
    Shorts(Vec<i16>),
    /// NULL.
    Null,
}

impl From<&str> for V {
    fn from(s: &str) -> V {
        V::S(s.to_string())
    }
}

impl From<String> for V {
    fn from(s: String) -> V {
        V::S(s)
    }
}

impl From<bool> for V {
    fn from(b: bool) -> V {
        V::B(b)
    }
}

impl From<u32> for V {
    fn from(i: u32) -> V {
        V::I(i64::from(i))
    }
}

impl From<i32> for V {
    fn from(i: i32) -> V {
        V::I(i64::from(i))
    }
}

impl From<i16> for V {
    fn from(i: i16) -> V {
        V::I(i64::from(i))
    }
}

impl From<usize> for V {
    fn from(i: usize) -> V {
        V::I(i64::try_from(i).unwrap_or(i64::MAX))
    }
}

impl<T: Into<V>> From<Option<T>> for V {
    fn from(v: Option<T>) -> V {
        v.map_or(V::Null, Into::into)
    }
}

/// Rows of one catalog table under construction.
pub(crate) struct Rows {
    schema: SchemaRef,
    columns: Vec<Vec<ScalarValue>>,
}

impl Rows {
    pub(crate) fn new(schema: &SchemaRef) -> Rows {
        Rows {
            schema: schema.clone(),
            columns: vec![Vec::new(); schema.fields().len()],
        }
    }

    /// Appends a row; columns not named get their default.
    pub(crate) fn push(&mut self, values: &[(&str, V)]) -> Result<()> {
        for (i, field) in self.schema.fields().iter().enumerate() {
            let value = values
                .iter()
                .find(|(name, _)| *name == field.name())
                .map(|(_, v)| v);
            self.columns[i].push(scalar(value, field.data_type())?);
        }
        Ok(())
    }

    pub(crate) fn finish(self) -> Result<RecordBatch> {
        let mut arrays = Vec::with_capacity(self.columns.len());
        for (values, field) in self.columns.into_iter().zip(self.schema.fields()) {
            arrays.push(if values.is_empty() {
                new_null_array(field.data_type(), 0)
            } else {
                ScalarValue::iter_to_array(values)?
            });
        }
        Ok(RecordBatch::try_new(self.schema, arrays)?)
    }
}

fn scalar(value: Option<&V>, ty: &DataType) -> Result<ScalarValue> {
    let natural = match value {
        None => default(ty),
        Some(V::I(i)) => ScalarValue::Int64(Some(*i)),
        Some(V::S(s)) => ScalarValue::Utf8(Some(s.clone())),
        Some(V::B(b)) => ScalarValue::Boolean(Some(*b)),
        Some(V::F(f)) => ScalarValue::Float64(Some(*f)),
        Some(V::Shorts(v)) => shorts(v),
        Some(V::Null) => ScalarValue::Null,
    };
    if natural.is_null() {
        return ScalarValue::try_from(ty);
    }
    natural.cast_to(ty)
}

/// PostgreSQL's empty value for a column nobody set: 0 for numbers (oids
/// included), false, NULL otherwise.
fn default(ty: &DataType) -> ScalarValue {
    match ty {
        DataType::Boolean => ScalarValue::Boolean(Some(false)),
        t if t.is_integer() => ScalarValue::Int64(Some(0)),
        t if t.is_floating() => ScalarValue::Float64(Some(0.0)),
        _ => ScalarValue::Null,
    }
}

fn shorts(v: &[i16]) -> ScalarValue {
    let mut b = ListBuilder::new(PrimitiveBuilder::<Int16Type>::new());
    b.append_value(v.iter().map(|x| Some(*x)));
    ScalarValue::List(Arc::new(b.finish()))
}

/// `int2[]` as Arrow, the type of `conkey`, `indkey` and friends here.
pub(crate) fn shorts_type() -> DataType {
    DataType::List(Arc::new(Field::new_list_field(DataType::Int16, true)))
}

/// `schema` with every column nullable (system rows and Tessera rows fill
/// different subsets), the named columns retyped and those of `retype`
/// it lacks appended.
pub(crate) fn relaxed(schema: &Schema, retype: &[(&str, DataType)]) -> SchemaRef {
    let mut fields: Vec<Field> = schema
        .fields()
        .iter()
        .map(|f| {
            let ty = retype
                .iter()
                .find(|(n, _)| n == f.name())
                .map_or_else(|| f.data_type().clone(), |(_, t)| t.clone());
            f.as_ref().clone().with_data_type(ty).with_nullable(true)
        })
        .collect();
    for (name, ty) in retype {
        if schema.field_with_name(name).is_err() {
            fields.push(Field::new(*name, ty.clone(), true));
        }
    }
    Arc::new(Schema::new(fields))
}

/// Brings `batch` to `schema`: columns matched by name and cast, arrays in
/// PostgreSQL's text forms (`{1,2}`, `[1, 2]`, `1 2`) parsed to lists,
/// missing columns filled with defaults.
pub(crate) fn conform(batch: &RecordBatch, schema: &SchemaRef) -> Result<RecordBatch> {
    let rows = batch.num_rows();
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(schema.fields().len());
    for field in schema.fields() {
        let source = batch.column_by_name(field.name());
        arrays.push(match source {
            Some(col) if col.data_type() == field.data_type() => col.clone(),
            // Arrays exported as text (all NULL, or `{1,2}` / `[1, 2]` / `1 2`).
            Some(col) if col.null_count() == rows => new_null_array(field.data_type(), rows),
            Some(col)
                if matches!(field.data_type(), DataType::List(_))
                    && col.data_type() == &DataType::Utf8 =>
            {
                cast(&parse_shorts(col.as_ref()), field.data_type())?
            }
            Some(col) => cast(col, field.data_type())?,
            None => scalar(None, field.data_type())?.to_array_of_size(rows)?,
        });
    }
    Ok(RecordBatch::try_new(schema.clone(), arrays)?)
}

fn parse_shorts(col: &dyn Array) -> ArrayRef {
    let strings = col
        .as_any()
        .downcast_ref::<datafusion::arrow::array::StringArray>()
        .expect("checked Utf8");
    let mut b = ListBuilder::new(PrimitiveBuilder::<Int16Type>::new());
    for s in strings {
        match s {
            None => b.append_null(),
            Some(s) => b.append_value(
                s.split(|c: char| !(c.is_ascii_digit() || c == '-'))
                    .filter(|p| !p.is_empty())
                    .map(|p| p.parse::<i16>().ok()),
            ),
        }
    }
    Arc::new(b.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{Int32Array, ListArray, StringArray};

    #[test]
    fn unnamed_columns_get_postgres_defaults() {
        let schema = Arc::new(Schema::new(vec![
            Field::new("oid", DataType::Int32, true),
            Field::new("relname", DataType::Utf8, true),
            Field::new("relhasindex", DataType::Boolean, true),
            Field::new("relacl", DataType::Utf8, true),
            Field::new("conkey", shorts_type(), true),
        ]));
        let mut rows = Rows::new(&schema);
        rows.push(&[
            ("relname", "orders".into()),
            ("conkey", V::Shorts(vec![1, 3])),
        ])
        .unwrap();
        let batch = rows.finish().unwrap();
        let oid = batch
            .column(0)
            .as_any()
            .downcast_ref::<Int32Array>()
            .unwrap();
        assert_eq!(oid.value(0), 0);
        assert!(batch.column(3).is_null(0));
        let keys = batch
            .column(4)
            .as_any()
            .downcast_ref::<ListArray>()
            .unwrap();
        assert_eq!(keys.value(0).len(), 2);
    }

    #[test]
    fn text_arrays_become_lists() {
        let schema = Arc::new(Schema::new(vec![Field::new("indkey", shorts_type(), true)]));
        let source = RecordBatch::try_from_iter(vec![(
            "indkey",
            Arc::new(StringArray::from(vec![Some("1 2"), Some("[3, 20]"), None])) as ArrayRef,
        )])
        .unwrap();
        let out = conform(&source, &schema).unwrap();
        let lists = out.column(0).as_any().downcast_ref::<ListArray>().unwrap();
        assert_eq!(lists.value(1).len(), 2);
        assert!(lists.is_null(2));
    }
}

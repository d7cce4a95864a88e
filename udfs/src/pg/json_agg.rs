//! `json_agg`, `jsonb_agg`, `json_object_agg`, `jsonb_object_agg` as in
//! PostgreSQL 15: every input row becomes one element (NULL values too, as
//! `null`); no rows give NULL; `ORDER BY` inside the call orders the
//! elements. `json_agg` writes `[1, 2]`, `json_object_agg`
//! `{ "a" : 1, "b" : 2 }` (duplicate keys kept); the jsonb forms are
//! normalised (the last duplicate key wins). A NULL key is an error
//! (`field name must not be null`).
//!
//! Elements are written with [`super::json_build::write_value`] as they
//! arrive; the `ORDER BY` values travel with them (in the state too, for
//! partial aggregation) and the elements are sorted once, at the end.

use std::cmp::Ordering;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::compute::SortOptions;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::AggregateOrderSensitivity;
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, Signature, TypeSignature, Volatility,
};

use super::json::{normalize, tagged};
use super::json_build::{Style, write_string, write_value};

#[derive(Debug, PartialEq, Eq, Hash)]
struct JsonAgg {
    name: &'static str,
    object: bool,
    jsonb: bool,
    signature: Signature,
}

fn udaf(name: &'static str, object: bool, jsonb: bool) -> AggregateUDF {
    AggregateUDF::new_from_impl(JsonAgg {
        name,
        object,
        jsonb,
        signature: Signature::new(
            TypeSignature::Any(if object { 2 } else { 1 }),
            Volatility::Immutable,
        ),
    })
}

/// The json aggregates.
pub fn aggregates() -> Vec<AggregateUDF> {
    vec![
        udaf("json_agg", false, false),
        udaf("jsonb_agg", false, true),
        udaf("json_object_agg", true, false),
        udaf("jsonb_object_agg", true, true),
    ]
}

fn list_field(name: String, t: DataType) -> FieldRef {
    Arc::new(Field::new_list(name, Field::new_list_field(t, true), true))
}

impl AggregateUDFImpl for JsonAgg {
    fn name(&self) -> &str {
        self.name
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }
    fn return_field(&self, _arg_fields: &[FieldRef]) -> Result<FieldRef> {
        Ok(tagged(self.name, if self.jsonb { "jsonb" } else { "json" }))
    }
    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        let mut fields = vec![
            list_field(format!("{}[values]", args.name), DataType::Utf8),
            list_field(format!("{}[keys]", args.name), DataType::Utf8),
        ];
        for (i, f) in args.ordering_fields.iter().enumerate() {
            fields.push(list_field(
                format!("{}[order{i}]", args.name),
                f.data_type().clone(),
            ));
        }
        Ok(fields)
    }
    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let order_types = args
            .order_bys
            .iter()
            .map(|o| o.expr.data_type(args.schema))
            .collect::<Result<Vec<_>>>()?;
        Ok(Box::new(JsonAggAcc {
            object: self.object,
            jsonb: self.jsonb,
            distinct: args.is_distinct,
            fields: args.expr_fields.to_vec(),
            options: args.order_bys.iter().map(|o| o.options).collect(),
            order_types,
            rows: vec![],
            style: Style::default(),
        }))
    }
    fn order_sensitivity(&self) -> AggregateOrderSensitivity {
        AggregateOrderSensitivity::SoftRequirement
    }
    /// The elements are sorted at the end whatever the input order.
    fn with_beneficial_ordering(
        self: Arc<Self>,
        _beneficial_ordering: bool,
    ) -> Result<Option<Arc<dyn AggregateUDFImpl>>> {
        Ok(Some(self))
    }
}

/// One element: its key (object aggregates), JSON text and ORDER BY values.
type Row = (Option<String>, String, Vec<ScalarValue>);

#[derive(Debug)]
struct JsonAggAcc {
    object: bool,
    jsonb: bool,
    /// `json[b]_agg(DISTINCT x …)`: equal elements once, sorted by value
    /// when there is no ORDER BY (PostgreSQL sorts to deduplicate).
    distinct: bool,
    fields: Vec<FieldRef>,
    options: Vec<SortOptions>,
    order_types: Vec<DataType>,
    rows: Vec<Row>,
    style: Style,
}

/// `a` before `b` under the ORDER BY options.
fn compare(a: &[ScalarValue], b: &[ScalarValue], options: &[SortOptions]) -> Ordering {
    for ((x, y), o) in a.iter().zip(b).zip(options) {
        let ord = match (x.is_null(), y.is_null()) {
            (true, true) => Ordering::Equal,
            (true, false) if o.nulls_first => Ordering::Less,
            (true, false) => Ordering::Greater,
            (false, true) if o.nulls_first => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => {
                let c = x.partial_cmp(y).unwrap_or(Ordering::Equal);
                if o.descending { c.reverse() } else { c }
            }
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}

/// Elements in value order, from their JSON text: numbers numerically,
/// other values by their text, `null` last.
fn by_value(a: &str, b: &str) -> Ordering {
    match (a == "null", b == "null") {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        _ => {}
    }
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
        _ => a.cmp(b),
    }
}

/// The aggregate's text from its elements, in order. `structured`: the
/// elements are rows or SQL arrays, which `json_agg` puts on lines of
/// their own (`[{"a":1}, \n {"a":2}]`), as PostgreSQL does.
fn finish(rows: &[&Row], object: bool, jsonb: bool, structured: bool) -> Option<String> {
    if rows.is_empty() {
        return None;
    }
    let mut out = String::new();
    if object {
        out.push_str("{ ");
        for (i, (k, v, _)) in rows.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            write_string(k.as_deref().unwrap_or_default(), &mut out);
            out.push_str(" : ");
            out.push_str(v);
        }
        out.push_str(" }");
    } else {
        out.push('[');
        for (i, (_, v, _)) in rows.iter().enumerate() {
            if i > 0 {
                out.push_str(if structured { ", \n " } else { ", " });
            }
            out.push_str(v);
        }
        out.push(']');
    }
    if jsonb { normalize(&out) } else { Some(out) }
}

/// The text of a key (any type): strings as they are, others as JSON.
fn key_text(array: &dyn Array, field: &Field, i: usize, style: &Style) -> Result<String> {
    if array.is_null(i) {
        return exec_err!("field name must not be null");
    }
    let mut s = String::new();
    match array.data_type() {
        DataType::Utf8 => s.push_str(array.as_string::<i32>().value(i)),
        DataType::LargeUtf8 => s.push_str(array.as_string::<i64>().value(i)),
        DataType::Utf8View => s.push_str(array.as_string_view().value(i)),
        _ => {
            write_value(array, field, i, style, &mut s)?;
            s = s.trim_matches('"').to_string();
        }
    }
    Ok(s)
}

impl Accumulator for JsonAggAcc {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let n_args = if self.object { 2 } else { 1 };
        let (args, orders) = values.split_at(n_args.min(values.len()));
        let value_index = n_args - 1;
        for i in 0..args[0].len() {
            let key = if self.object {
                Some(key_text(args[0].as_ref(), &self.fields[0], i, &self.style)?)
            } else {
                None
            };
            let mut v = String::new();
            write_value(
                args[value_index].as_ref(),
                &self.fields[value_index],
                i,
                &self.style,
                &mut v,
            )?;
            let order = orders
                .iter()
                .map(|o| ScalarValue::try_from_array(o, i))
                .collect::<Result<Vec<_>>>()?;
            self.rows.push((key, v, order));
        }
        Ok(())
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let mut rows: Vec<&Row> = self.rows.iter().collect();
        if !self.options.is_empty() {
            rows.sort_by(|a, b| compare(&a.2, &b.2, &self.options));
        } else if self.distinct {
            rows.sort_by(|a, b| by_value(&a.1, &b.1));
        }
        if self.distinct {
            rows.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
        }
        let structured = self.fields.first().is_some_and(|f| {
            matches!(
                f.data_type(),
                DataType::Struct(_) | DataType::List(_) | DataType::LargeList(_)
            ) && super::json::kind_of(f).is_none()
        });
        Ok(ScalarValue::Utf8(finish(
            &rows,
            self.object,
            self.jsonb,
            structured,
        )))
    }

    fn size(&self) -> usize {
        size_of_val(self)
            + self
                .rows
                .iter()
                .map(|(k, v, o)| {
                    size_of::<Row>()
                        + k.as_ref().map_or(0, String::capacity)
                        + v.capacity()
                        + o.iter().map(ScalarValue::size).sum::<usize>()
                })
                .sum::<usize>()
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let values: Vec<ScalarValue> = self
            .rows
            .iter()
            .map(|(_, v, _)| ScalarValue::Utf8(Some(v.clone())))
            .collect();
        let keys: Vec<ScalarValue> = self
            .rows
            .iter()
            .map(|(k, _, _)| ScalarValue::Utf8(k.clone()))
            .collect();
        let mut state = vec![
            ScalarValue::List(ScalarValue::new_list_nullable(&values, &DataType::Utf8)),
            ScalarValue::List(ScalarValue::new_list_nullable(&keys, &DataType::Utf8)),
        ];
        for (j, t) in self.order_types.iter().enumerate() {
            let col: Vec<ScalarValue> = self.rows.iter().map(|r| r.2[j].clone()).collect();
            state.push(ScalarValue::List(ScalarValue::new_list_nullable(&col, t)));
        }
        Ok(state)
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let values = states[0].as_list::<i32>();
        let keys = states[1].as_list::<i32>();
        let orders: Vec<_> = states[2..].iter().map(|s| s.as_list::<i32>()).collect();
        for i in 0..values.len() {
            if values.is_null(i) {
                continue;
            }
            let v = values.value(i);
            let v = v.as_string::<i32>();
            let k = keys.value(i);
            let k = k.as_string::<i32>();
            let o: Vec<ArrayRef> = orders.iter().map(|o| o.value(i)).collect();
            for j in 0..v.len() {
                let order = o
                    .iter()
                    .map(|a| ScalarValue::try_from_array(a, j))
                    .collect::<Result<Vec<_>>>()?;
                self.rows.push((
                    k.is_valid(j).then(|| k.value(j).to_string()),
                    v.value(j).to_string(),
                    order,
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(k: Option<&str>, v: &str, o: i32) -> Row {
        (
            k.map(str::to_string),
            v.to_string(),
            vec![ScalarValue::Int32(Some(o))],
        )
    }

    #[test]
    fn aggregates_as_postgres_15_writes_them() {
        let rows = [row(None, "1", 1), row(None, "null", 2), row(None, "3", 3)];
        let refs: Vec<&Row> = rows.iter().collect();
        // SELECT json_agg(x) FROM (VALUES (1),(NULL),(3)) v(x)
        assert_eq!(finish(&refs, false, false, false).unwrap(), "[1, null, 3]");
        assert_eq!(finish(&[], false, false, false), None);
        let rows = [
            row(Some("a"), "2", 1),
            row(Some("a"), "3", 2),
            row(Some("b"), "1", 3),
        ];
        let refs: Vec<&Row> = rows.iter().collect();
        // SELECT json_object_agg(k, v ORDER BY k) / jsonb_object_agg(k, v)
        assert_eq!(
            finish(&refs, true, false, false).unwrap(),
            r#"{ "a" : 2, "a" : 3, "b" : 1 }"#
        );
        assert_eq!(
            finish(&refs, true, true, false).unwrap(),
            r#"{"a": 3, "b": 1}"#
        );
        let refs = [&rows[2], &rows[0]];
        assert_eq!(finish(&refs, false, true, false).unwrap(), "[1, 2]");
    }

    #[test]
    fn order_by_descending_puts_nulls_first() {
        let desc = [SortOptions {
            descending: true,
            nulls_first: true,
        }];
        let mut v = vec![
            vec![ScalarValue::Int32(Some(1))],
            vec![ScalarValue::Int32(None)],
            vec![ScalarValue::Int32(Some(3))],
        ];
        v.sort_by(|a, b| compare(a, b, &desc));
        assert_eq!(
            v,
            vec![
                vec![ScalarValue::Int32(None)],
                vec![ScalarValue::Int32(Some(3))],
                vec![ScalarValue::Int32(Some(1))],
            ]
        );
    }
}

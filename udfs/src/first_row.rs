//! `first_row`: the aggregate behind Tessera's "first row per group" plan
//! (engine `optimize::first_row`), which answers
//! `row_number() OVER (PARTITION BY k ORDER BY o) … WHERE rn = 1` with a
//! hash aggregate instead of sorting every row.
//!
//! `first_row(o1, …, on, v1, …, vm)` keeps, per group, the values `v` of the
//! row whose keys `o` sort first under the instance's [`SortOptions`] (one
//! per key: ascending or descending, NULLs first or last), and returns them
//! as a struct `{c0: v1, …}`. Among rows that tie on the keys the first one
//! seen is kept, and all its values come from that one row.
//!
//! Keys and values are kept in Arrow's row format (`RowConverter`): keys
//! compare as bytes, a group's best row is two byte strings, and the
//! partial state is those bytes as two binary columns. DataFusion's own
//! `first_value(x ORDER BY o)` keeps its ordering values as `ScalarValue`s
//! per group and, with one call per column, was slower than sorting.
//!
//! The function is built per plan (its sort options are not SQL arguments)
//! and is not in the function registry.

use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BinaryBuilder, BooleanArray, StructArray, UInt32Array,
};
use datafusion::arrow::compute::{SortOptions, take};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Fields};
use datafusion::arrow::row::{RowConverter, SortField};
use datafusion::common::{Result, internal_err, not_impl_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, EmitTo, GroupsAccumulator, Signature, Volatility,
};

/// `first_row` ordering by keys with these options (descending, nulls first).
pub fn udaf(order: Vec<SortOptions>) -> AggregateUDF {
    AggregateUDF::new_from_impl(FirstRow {
        signature: Signature::variadic_any(Volatility::Immutable),
        order: order
            .into_iter()
            .map(|o| (o.descending, o.nulls_first))
            .collect(),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct FirstRow {
    signature: Signature,
    /// (descending, nulls_first) per key.
    order: Vec<(bool, bool)>,
}

impl FirstRow {
    fn sort_options(&self) -> impl Iterator<Item = SortOptions> + '_ {
        self.order
            .iter()
            .map(|&(descending, nulls_first)| SortOptions {
                descending,
                nulls_first,
            })
    }

    fn value_fields(&self, arg_types: &[DataType]) -> Result<Fields> {
        if arg_types.len() <= self.order.len() {
            return internal_err!("first_row needs its keys and at least one value");
        }
        Ok(arg_types[self.order.len()..]
            .iter()
            .enumerate()
            .map(|(i, t)| Field::new(format!("c{i}"), t.clone(), true))
            .collect())
    }
}

impl AggregateUDFImpl for FirstRow {
    fn name(&self) -> &str {
        "first_row"
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Struct(self.value_fields(arg_types)?))
    }
    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![
            Arc::new(Field::new(
                format!("{}[keys]", args.name),
                DataType::Binary,
                true,
            )),
            Arc::new(Field::new(
                format!("{}[values]", args.name),
                DataType::Binary,
                true,
            )),
        ])
    }
    fn accumulator(&self, _args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        not_impl_err!("first_row runs only as a grouped aggregate")
    }
    fn groups_accumulator_supported(&self, _args: AccumulatorArgs) -> bool {
        true
    }
    fn create_groups_accumulator(
        &self,
        args: AccumulatorArgs,
    ) -> Result<Box<dyn GroupsAccumulator>> {
        let types: Vec<DataType> = args
            .expr_fields
            .iter()
            .map(|f| f.data_type().clone())
            .collect();
        let n = self.order.len();
        let keys = RowConverter::new(
            types[..n]
                .iter()
                .zip(self.sort_options())
                .map(|(t, o)| SortField::new_with_options(t.clone(), o))
                .collect(),
        )?;
        let values = RowConverter::new(
            types[n..]
                .iter()
                .map(|t| SortField::new(t.clone()))
                .collect(),
        )?;
        Ok(Box::new(FirstRowGroups {
            n_keys: n,
            fields: self.value_fields(&types)?,
            key_conv: keys,
            value_conv: values,
            keys: Vec::new(),
            values: Vec::new(),
            set: Vec::new(),
        }))
    }
}

/// Per group: the best row's keys and values in row format.
struct FirstRowGroups {
    n_keys: usize,
    fields: Fields,
    key_conv: RowConverter,
    value_conv: RowConverter,
    keys: Vec<Vec<u8>>,
    values: Vec<Vec<u8>>,
    set: Vec<bool>,
}

impl FirstRowGroups {
    fn resize(&mut self, n: usize) {
        self.keys.resize_with(n, Vec::new);
        self.values.resize_with(n, Vec::new);
        self.set.resize(n, false);
    }

    /// Whether `key` beats group `g`'s best (strictly: ties keep the first).
    fn better(&self, g: usize, key: &[u8]) -> bool {
        !self.set[g] || key < self.keys[g].as_slice()
    }

    fn take_groups(&mut self, emit_to: EmitTo) -> (Vec<Vec<u8>>, Vec<Vec<u8>>, Vec<bool>) {
        (
            emit_to.take_needed(&mut self.keys),
            emit_to.take_needed(&mut self.values),
            emit_to.take_needed(&mut self.set),
        )
    }
}

fn binary(items: &[Vec<u8>], set: &[bool]) -> ArrayRef {
    let mut b = BinaryBuilder::with_capacity(items.len(), items.iter().map(Vec::len).sum());
    for (bytes, &s) in items.iter().zip(set) {
        if s {
            b.append_value(bytes);
        } else {
            b.append_null();
        }
    }
    Arc::new(b.finish())
}

impl GroupsAccumulator for FirstRowGroups {
    fn update_batch(
        &mut self,
        values: &[ArrayRef],
        group_indices: &[usize],
        opt_filter: Option<&BooleanArray>,
        total_num_groups: usize,
    ) -> Result<()> {
        self.resize(total_num_groups);
        let keys = self.key_conv.convert_columns(&values[..self.n_keys])?;
        // Winner row of this batch per group whose best it improved.
        let mut winner: Vec<(usize, u32)> = Vec::new();
        let mut slot: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
        for (i, &g) in group_indices.iter().enumerate() {
            if opt_filter.is_some_and(|f| !(f.is_valid(i) && f.value(i))) {
                continue;
            }
            let key = keys.row(i);
            if self.better(g, key.as_ref()) {
                let k = &mut self.keys[g];
                k.clear();
                k.extend_from_slice(key.as_ref());
                self.set[g] = true;
                match slot.get(&g) {
                    Some(&at) => winner[at].1 = i as u32,
                    None => {
                        slot.insert(g, winner.len());
                        winner.push((g, i as u32));
                    }
                }
            }
        }
        if winner.is_empty() {
            return Ok(());
        }
        let rows = UInt32Array::from_iter_values(winner.iter().map(|&(_, i)| i));
        let taken = values[self.n_keys..]
            .iter()
            .map(|v| take(v.as_ref(), &rows, None))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let converted = self.value_conv.convert_columns(&taken)?;
        for (j, &(g, _)) in winner.iter().enumerate() {
            let v = &mut self.values[g];
            v.clear();
            v.extend_from_slice(converted.row(j).as_ref());
        }
        Ok(())
    }

    fn evaluate(&mut self, emit_to: EmitTo) -> Result<ArrayRef> {
        let (_, values, set) = self.take_groups(emit_to);
        if set.iter().any(|s| !s) {
            return internal_err!("first_row: a group without rows");
        }
        let parser = self.value_conv.parser();
        let rows = values.iter().map(|v| parser.parse(v));
        let columns = self.value_conv.convert_rows(rows)?;
        Ok(Arc::new(StructArray::try_new(
            self.fields.clone(),
            columns,
            None,
        )?))
    }

    fn state(&mut self, emit_to: EmitTo) -> Result<Vec<ArrayRef>> {
        let (keys, values, set) = self.take_groups(emit_to);
        Ok(vec![binary(&keys, &set), binary(&values, &set)])
    }

    fn merge_batch(
        &mut self,
        values: &[ArrayRef],
        group_indices: &[usize],
        total_num_groups: usize,
    ) -> Result<()> {
        self.resize(total_num_groups);
        let keys = values[0].as_binary::<i32>();
        let vals = values[1].as_binary::<i32>();
        for (i, &g) in group_indices.iter().enumerate() {
            if keys.is_null(i) {
                continue;
            }
            let key = keys.value(i);
            if self.better(g, key) {
                self.keys[g].clear();
                self.keys[g].extend_from_slice(key);
                self.values[g].clear();
                self.values[g].extend_from_slice(vals.value(i));
                self.set[g] = true;
            }
        }
        Ok(())
    }

    fn convert_to_state(
        &self,
        values: &[ArrayRef],
        opt_filter: Option<&BooleanArray>,
    ) -> Result<Vec<ArrayRef>> {
        let keys = self.key_conv.convert_columns(&values[..self.n_keys])?;
        let vals = self.value_conv.convert_columns(&values[self.n_keys..])?;
        let mut kb = BinaryBuilder::new();
        let mut vb = BinaryBuilder::new();
        for i in 0..keys.num_rows() {
            if opt_filter.is_some_and(|f| !(f.is_valid(i) && f.value(i))) {
                kb.append_null();
                vb.append_null();
            } else {
                kb.append_value(keys.row(i).as_ref());
                vb.append_value(vals.row(i).as_ref());
            }
        }
        Ok(vec![Arc::new(kb.finish()), Arc::new(vb.finish())])
    }

    fn size(&self) -> usize {
        let bytes: usize = self
            .keys
            .iter()
            .chain(&self.values)
            .map(Vec::capacity)
            .sum();
        bytes
            + (self.keys.capacity() + self.values.capacity()) * std::mem::size_of::<Vec<u8>>()
            + self.set.capacity()
            + self.key_conv.size()
            + self.value_conv.size()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{Int64Array, StringArray};
    use datafusion::arrow::datatypes::Schema;
    use datafusion::physical_expr::expressions::col;

    fn groups(order: Vec<SortOptions>, types: &[DataType]) -> Box<dyn GroupsAccumulator> {
        let f = udaf(order);
        let fields: Vec<FieldRef> = types
            .iter()
            .enumerate()
            .map(|(i, t)| Arc::new(Field::new(format!("a{i}"), t.clone(), true)))
            .collect();
        let schema = Schema::new(fields.clone());
        let exprs: Vec<_> = (0..types.len())
            .map(|i| col(&format!("a{i}"), &schema).expect("column"))
            .collect();
        let ret = Arc::new(Field::new(
            "r",
            f.return_type(types).expect("return type"),
            true,
        ));
        let args = AccumulatorArgs {
            return_field: ret,
            schema: &schema,
            expr_fields: &fields,
            ignore_nulls: false,
            order_bys: &[],
            is_reversed: false,
            name: "first_row",
            is_distinct: false,
            exprs: &exprs,
        };
        f.inner()
            .create_groups_accumulator(args)
            .expect("accumulator")
    }

    fn result(acc: &mut dyn GroupsAccumulator) -> Vec<(i64, String)> {
        let out = acc.evaluate(EmitTo::All).expect("evaluate");
        let s = out.as_struct();
        let a = s
            .column(0)
            .as_primitive::<datafusion::arrow::datatypes::Int64Type>();
        let b = s.column(1).as_string::<i32>();
        (0..s.len())
            .map(|i| (a.value(i), b.value(i).to_string()))
            .collect()
    }

    #[test]
    fn keeps_the_row_that_sorts_first_and_the_first_of_ties() {
        let asc = SortOptions {
            descending: false,
            nulls_first: false,
        };
        let types = [DataType::Int64, DataType::Int64, DataType::Utf8];
        let mut acc = groups(vec![asc], &types);
        let key: ArrayRef = Arc::new(Int64Array::from(vec![
            Some(5),
            Some(3),
            None,
            Some(3),
            Some(1),
        ]));
        let id: ArrayRef = Arc::new(Int64Array::from(vec![1, 2, 3, 4, 5]));
        let v: ArrayRef = Arc::new(StringArray::from(vec!["a", "b", "c", "d", "e"]));
        acc.update_batch(&[key, id, v], &[0, 0, 1, 0, 1], None, 2)
            .expect("update");
        // Group 0: keys 5, 3, 3 -> the first 3 (row 2, "b"); group 1: NULL
        // sorts last, so 1 wins.
        assert_eq!(result(acc.as_mut()), vec![(2, "b".into()), (5, "e".into())]);
    }

    #[test]
    fn partial_states_merge_and_descending_nulls_first() {
        let desc = SortOptions {
            descending: true,
            nulls_first: true,
        };
        let types = [DataType::Int64, DataType::Int64, DataType::Utf8];
        let mut fin = groups(vec![desc], &types);
        for (keys, ids) in [
            (vec![Some(1), Some(9)], vec![1, 2]),
            (vec![None, Some(4)], vec![3, 4]),
        ] {
            let mut part = groups(vec![desc], &types);
            let key: ArrayRef = Arc::new(Int64Array::from(keys));
            let id: ArrayRef = Arc::new(Int64Array::from(ids.clone()));
            let v: ArrayRef = Arc::new(StringArray::from(
                ids.iter().map(|i| format!("v{i}")).collect::<Vec<_>>(),
            ));
            part.update_batch(&[key, id, v], &[0, 1], None, 2)
                .expect("update");
            let state = part.state(EmitTo::All).expect("state");
            fin.merge_batch(&state, &[0, 1], 2).expect("merge");
        }
        // Group 0 saw 1 then NULL: NULL first wins; group 1 saw 9 then 4: 9.
        assert_eq!(
            result(fin.as_mut()),
            vec![(3, "v3".into()), (2, "v2".into())]
        );
    }
}

//! Casts to `varchar(n)` and `char(n)` (`bpchar`) as PostgreSQL 15 does
//! them: values stay text (Arrow `Utf8`), tagged with their PostgreSQL type
//! in the field metadata ([`PG_TYPE_KEY`]) so the wire layer reports
//! `varchar` (1043) or `bpchar` (1042); the SQL front end rewrites
//! `x::varchar(n)` to `varchar(x, n)` and `x::char(n)` to `bpchar(x, n)`.
//!
//! - An explicit cast to `varchar(n)` keeps the first `n` characters
//!   (not bytes), silently, as PostgreSQL does; `varchar` alone keeps all.
//! - `char(n)` keeps the first `n` characters and pads with spaces to `n`;
//!   `char` alone is `char(1)`, `bpchar` alone neither truncates nor pads.
//!   (Comparisons ignoring trailing spaces, PostgreSQL's `bpchar`
//!   semantics, are not implemented: a padded value compares as text.)
//! - A bare `x::varchar` and casts to `varchar[]`/`char(n)[]` keep
//!   DataFusion's cast (and its coercions) and only tag the result:
//!   `tessera_pg_tag(CAST(x AS TEXT), 'varchar')` ([`pg_tag`]).

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, StringBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature,
    Volatility,
};

/// Field metadata key naming the PostgreSQL type of a text value that is
/// not `text`; the catalog tags `char(n)`/`varchar(n)` table columns with
/// the same key (`tessera_catalog::table::PG_TYPE_KEY`).
pub const PG_TYPE_KEY: &str = "tessera.pg.type";

/// `varchar(x [, n])`: the cast `x::varchar(n)`.
pub fn varchar() -> ScalarUDF {
    ScalarUDF::new_from_impl(CharCast::new("varchar", false))
}

/// `bpchar(x [, n])`: the cast `x::char(n)` (blank-padded).
pub fn bpchar() -> ScalarUDF {
    ScalarUDF::new_from_impl(CharCast::new("bpchar", true))
}

/// `tessera_pg_tag(x, 'type')`: `x` unchanged, its field tagged with the
/// PostgreSQL type name (a constant) under [`PG_TYPE_KEY`]. The SQL front
/// end writes it for casts whose values DataFusion's cast already gives but
/// whose type it does not describe (`::varchar`, `::varchar[]`).
pub fn pg_tag() -> ScalarUDF {
    ScalarUDF::new_from_impl(PgTag {
        signature: Signature::user_defined(Volatility::Immutable),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct PgTag {
    signature: Signature,
}

impl ScalarUDFImpl for PgTag {
    fn name(&self) -> &str {
        "tessera_pg_tag"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, args: &[DataType]) -> Result<Vec<DataType>> {
        match args {
            [value, _] => Ok(vec![value.clone(), DataType::Utf8]),
            _ => plan_err!("tessera_pg_tag() takes a value and a type name"),
        }
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        Ok(args[0].clone())
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let Some(Some(
            ScalarValue::Utf8(Some(name))
            | ScalarValue::Utf8View(Some(name))
            | ScalarValue::LargeUtf8(Some(name)),
        )) = args.scalar_arguments.get(1)
        else {
            return plan_err!("tessera_pg_tag() needs a constant type name");
        };
        let value = &args.arg_fields[0];
        let field = Field::new(self.name(), value.data_type().clone(), true);
        Ok(Arc::new(field.with_metadata(
            [(PG_TYPE_KEY.to_string(), name.clone())].into(),
        )))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        Ok(args.args[0].clone())
    }
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct CharCast {
    name: &'static str,
    pad: bool,
    signature: Signature,
}

impl CharCast {
    fn new(name: &'static str, pad: bool) -> Self {
        Self {
            name,
            pad,
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

/// The first `n` characters of `s`, padded with spaces to `n` when `pad`.
fn fit(s: &str, n: Option<usize>, pad: bool, out: &mut String) {
    out.clear();
    let Some(n) = n else {
        out.push_str(s);
        return;
    };
    let end = s.char_indices().nth(n).map_or(s.len(), |(i, _)| i);
    out.push_str(&s[..end]);
    if pad {
        let chars = s[..end].chars().count();
        out.extend(std::iter::repeat_n(' ', n - chars));
    }
}

impl ScalarUDFImpl for CharCast {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, args: &[DataType]) -> Result<Vec<DataType>> {
        match args.len() {
            1 => Ok(vec![DataType::Utf8]),
            2 => Ok(vec![DataType::Utf8, DataType::Int64]),
            n => plan_err!("function {}() takes 1 or 2 arguments, not {n}", self.name),
        }
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn return_field_from_args(&self, _args: ReturnFieldArgs) -> Result<FieldRef> {
        let field = Field::new(self.name, DataType::Utf8, true);
        Ok(Arc::new(field.with_metadata(
            [(PG_TYPE_KEY.to_string(), self.name.to_string())].into(),
        )))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let n = match args.args.get(1) {
            None => None,
            Some(ColumnarValue::Scalar(ScalarValue::Int64(Some(n)))) if *n >= 1 => {
                Some(*n as usize)
            }
            Some(ColumnarValue::Scalar(ScalarValue::Int64(Some(n)))) => {
                return exec_err!("length for type {} must be at least 1, not {n}", self.name);
            }
            Some(_) => return exec_err!("the length of a {} cast is a constant", self.name),
        };
        let scalar = matches!(args.args[0], ColumnarValue::Scalar(_));
        let values = args.args[0].to_array(1)?;
        let values = cast(&values, &DataType::Utf8)?;
        let values = values.as_string::<i32>();
        let mut builder = StringBuilder::with_capacity(values.len(), values.value_data().len());
        let mut buf = String::new();
        for v in values.iter() {
            match v {
                Some(s) => {
                    fit(s, n, self.pad, &mut buf);
                    builder.append_value(&buf);
                }
                None => builder.append_null(),
            }
        }
        super::result(Arc::new(builder.finish()) as Arc<dyn Array>, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::fit;

    #[test]
    fn truncates_and_pads_by_characters() {
        // PostgreSQL 15: 'abcdef'::varchar(3) = 'abc', 'élodie'::varchar(2)
        // = 'él', 'ab'::char(4) = 'ab  ', 'abc'::char = 'a'.
        let cases = [
            ("abcdef", Some(3), false, "abc"),
            ("élodie", Some(2), false, "él"),
            ("ab", Some(4), true, "ab  "),
            ("abc", Some(1), true, "a"),
            ("zoé", None, true, "zoé"),
            ("", Some(2), true, "  "),
        ];
        let mut out = String::new();
        for (s, n, pad, want) in cases {
            fit(s, n, pad, &mut out);
            assert_eq!(out, want, "{s} {n:?}");
        }
    }
}

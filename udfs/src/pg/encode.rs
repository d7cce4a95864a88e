//! `encode(bytea, format)` and `decode(text, format)` with PostgreSQL's
//! formats, over DataFusion's functions:
//!
//! - `escape` (DataFusion has none): a zero byte and bytes with the high
//!   bit set are written as `\nnn` octal, a backslash as `\\`, every other
//!   byte as itself;
//! - `base64` is written with `=` padding and in lines of 76 characters,
//!   as PostgreSQL writes it (DataFusion's `base64` has neither), and
//!   white space in its input is skipped when decoding;
//! - `hex` is DataFusion's.

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, BinaryBuilder, StringArray, StringBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, ScalarValue};
use datafusion::functions::encoding::{decode, encode};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature,
};

use crate::error::{DataErrorKind, data_error};

/// `encode` and `decode` with the `escape` format.
pub fn udfs() -> Vec<ScalarUDF> {
    vec![
        ScalarUDF::new_from_impl(EscapeOr { inner: encode() }),
        ScalarUDF::new_from_impl(EscapeOr { inner: decode() }),
    ]
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct EscapeOr {
    inner: Arc<ScalarUDF>,
}

impl EscapeOr {
    fn encodes(&self) -> bool {
        self.inner.name() == "encode"
    }
}

/// `bytes` in the escape format.
fn escape(bytes: &[u8], out: &mut String) {
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            0 | 0x80.. => out.push_str(&format!("\\{b:03o}")),
            _ => out.push(char::from(b)),
        }
    }
}

/// The bytes the escape-format `text` stands for.
fn unescape(text: &str, out: &mut Vec<u8>) -> Result<()> {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            out.push(b[i]);
            i += 1;
        } else if b.get(i + 1) == Some(&b'\\') {
            out.push(b'\\');
            i += 2;
        } else if let [d0 @ b'0'..=b'3', d1 @ b'0'..=b'7', d2 @ b'0'..=b'7', ..] = &b[i + 1..] {
            out.push((d0 - b'0') * 64 + (d1 - b'0') * 8 + (d2 - b'0'));
            i += 4;
        } else {
            return Err(data_error(
                DataErrorKind::InvalidTextRepresentation,
                "invalid input syntax for type bytea",
            ));
        }
    }
    Ok(())
}

impl ScalarUDFImpl for EscapeOr {
    fn name(&self) -> &str {
        self.inner.name()
    }
    fn signature(&self) -> &Signature {
        self.inner.signature()
    }
    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        self.inner.return_type(arg_types)
    }
    fn documentation(&self) -> Option<&Documentation> {
        self.inner.documentation()
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let format = match &args.args[1] {
            ColumnarValue::Scalar(
                ScalarValue::Utf8(Some(f))
                | ScalarValue::Utf8View(Some(f))
                | ScalarValue::LargeUtf8(Some(f)),
            ) => f.to_ascii_lowercase(),
            _ => String::new(),
        };
        match format.as_str() {
            "escape" => self.escape_format(args),
            "base64" => self.base64(args),
            _ => self.inner.invoke_with_args(args),
        }
    }
}

impl EscapeOr {
    /// PostgreSQL's `base64`: DataFusion's padded form cut into lines of
    /// 76 characters; decoding skips white space.
    fn base64(&self, mut args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = matches!(args.args[0], ColumnarValue::Scalar(_));
        if self.encodes() {
            args.args[1] = ColumnarValue::Scalar(ScalarValue::Utf8(Some("base64pad".into())));
            let encoded = self.inner.invoke_with_args(args)?;
            let text = cast(&encoded.to_array(1)?, &DataType::Utf8)?;
            let text = text.as_string::<i32>();
            if text.iter().all(|v| v.is_none_or(|v| v.len() <= 76)) {
                return Ok(encoded);
            }
            let mut out =
                StringBuilder::with_capacity(text.len(), text.value_data().len() * 77 / 76);
            for v in text {
                match v {
                    Some(v) => {
                        let lines: Vec<&str> = v
                            .as_bytes()
                            .chunks(76)
                            .map(|c| std::str::from_utf8(c).expect("base64 is ASCII"))
                            .collect();
                        out.append_value(lines.join("\n"));
                    }
                    None => out.append_null(),
                }
            }
            return super::result(Arc::new(out.finish()), scalar);
        }
        let input = cast(&args.args[0].to_array(args.number_rows)?, &DataType::Utf8)?;
        let texts = input.as_string::<i32>();
        if texts
            .iter()
            .any(|v| v.is_some_and(|v| v.bytes().any(|b| b.is_ascii_whitespace())))
        {
            let stripped: StringArray = texts
                .iter()
                .map(|v| v.map(|v| v.split_ascii_whitespace().collect::<String>()))
                .collect();
            // Back to the type the signature gave the argument (bytes).
            let stripped = cast(&stripped, &args.args[0].data_type())?;
            args.args[0] = if scalar {
                ColumnarValue::Scalar(ScalarValue::try_from_array(&stripped, 0)?)
            } else {
                ColumnarValue::Array(stripped)
            };
        }
        self.inner.invoke_with_args(args)
    }

    fn escape_format(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = matches!(args.args[0], ColumnarValue::Scalar(_));
        let input = args.args[0].to_array(args.number_rows)?;
        let wide = matches!(
            input.data_type(),
            DataType::LargeBinary | DataType::LargeUtf8
        );
        let out: Arc<dyn Array> = if self.encodes() {
            let bytes = cast(&input, &DataType::Binary)?;
            let bytes = bytes.as_binary::<i32>();
            let mut out = StringBuilder::with_capacity(bytes.len(), bytes.value_data().len());
            let mut buf = String::new();
            for v in bytes {
                match v {
                    Some(v) => {
                        buf.clear();
                        escape(v, &mut buf);
                        out.append_value(&buf);
                    }
                    None => out.append_null(),
                }
            }
            Arc::new(out.finish())
        } else {
            let texts = cast(&input, &DataType::Utf8)?;
            let texts = texts.as_string::<i32>();
            let mut out = BinaryBuilder::with_capacity(texts.len(), texts.value_data().len());
            let mut buf = Vec::new();
            for v in texts {
                match v {
                    Some(v) => {
                        buf.clear();
                        unescape(v, &mut buf)?;
                        out.append_value(&buf);
                    }
                    None => out.append_null(),
                }
            }
            Arc::new(out.finish())
        };
        // The declared type: large in, large out (as DataFusion's).
        let out = match (wide, self.encodes()) {
            (true, true) => cast(&out, &DataType::LargeUtf8)?,
            (true, false) => cast(&out, &DataType::LargeBinary)?,
            _ => out,
        };
        super::result(out, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::{escape, unescape};

    #[test]
    fn escape_format_as_postgres() {
        // PostgreSQL 15: encode('\x00ff5c41e9'::bytea, 'escape').
        let mut s = String::new();
        escape(b"\x00\xff\\A\xe9", &mut s);
        assert_eq!(s, "\\000\\377\\\\A\\351");
        // decode('a\\b\001\377c', 'escape') = \x615c6201ff63
        let mut b = vec![];
        unescape("a\\\\b\\001\\377c", &mut b).unwrap();
        assert_eq!(b, b"a\\b\x01\xffc");
        assert!(unescape("a\\9", &mut vec![]).is_err());
    }
}

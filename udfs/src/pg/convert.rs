//! `convert_to(text, encoding)` → `bytea` and `convert_from(bytea,
//! encoding)` → `text`, as PostgreSQL 15 has them: the text's bytes in
//! another encoding and back, e.g. `sha256(convert_to(email, 'UTF8'))`
//! for hashed audiences, or `convert_from(decode(b64, 'base64'), 'UTF8')`.
//!
//! Encoding names are PostgreSQL's, compared as PostgreSQL does (case and
//! punctuation ignored: `utf-8` is `UTF8`): `UTF8`, `SQL_ASCII` (bytes
//! as they are), `LATIN1` (ISO 8859-1 exactly: every byte is the code
//! point of the same number), and through `encoding_rs` `WIN1250`–`WIN1258`,
//! `WIN866`, `WIN874`, `LATIN2`–`LATIN10` and `ISO_8859_5`–`8`, `KOI8R`,
//! `KOI8U`, `SJIS`, `EUC_JP`, `EUC_KR`, `GBK`, `GB18030`, `BIG5`. As in
//! PostgreSQL a character the target cannot hold is an error (22P05), and
//! so are bytes that are not valid in the source encoding (22021).

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, BinaryBuilder, StringBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};
use encoding_rs::Encoding;

use crate::error::{DataErrorKind, data_error};

/// The `convert_to` and `convert_from` functions.
pub fn udfs() -> Vec<ScalarUDF> {
    [true, false]
        .into_iter()
        .map(|to| {
            ScalarUDF::new_from_impl(Convert {
                to,
                signature: Signature::user_defined(Volatility::Immutable),
            })
        })
        .collect()
}

/// An encoding PostgreSQL names.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Charset {
    Utf8,
    /// `SQL_ASCII`: no conversion at all.
    Bytes,
    Latin1,
    Other(&'static Encoding),
}

/// PostgreSQL's name of an encoding (`clean_encoding_name`: letters and
/// digits, lower case) to the charset, with the name to show in messages.
fn charset(name: &str) -> Option<(Charset, &'static str)> {
    let clean: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let e = |label: &str| Encoding::for_label(label.as_bytes()).map(Charset::Other);
    Some(match clean.as_str() {
        "utf8" | "unicode" => (Charset::Utf8, "UTF8"),
        "sqlascii" => (Charset::Bytes, "SQL_ASCII"),
        "latin1" | "iso88591" => (Charset::Latin1, "LATIN1"),
        "latin2" | "iso88592" => (e("iso-8859-2")?, "LATIN2"),
        "latin3" | "iso88593" => (e("iso-8859-3")?, "LATIN3"),
        "latin4" | "iso88594" => (e("iso-8859-4")?, "LATIN4"),
        "latin5" | "iso88599" => (e("iso-8859-9")?, "LATIN5"),
        "latin6" | "iso885910" => (e("iso-8859-10")?, "LATIN6"),
        "latin7" | "iso885913" => (e("iso-8859-13")?, "LATIN7"),
        "latin8" | "iso885914" => (e("iso-8859-14")?, "LATIN8"),
        "latin9" | "iso885915" => (e("iso-8859-15")?, "LATIN9"),
        "latin10" | "iso885916" => (e("iso-8859-16")?, "LATIN10"),
        "iso88595" => (e("iso-8859-5")?, "ISO_8859_5"),
        "iso88596" => (e("iso-8859-6")?, "ISO_8859_6"),
        "iso88597" => (e("iso-8859-7")?, "ISO_8859_7"),
        "iso88598" => (e("iso-8859-8")?, "ISO_8859_8"),
        "win1250" | "windows1250" => (e("windows-1250")?, "WIN1250"),
        "win1251" | "windows1251" => (e("windows-1251")?, "WIN1251"),
        "win1252" | "windows1252" => (e("windows-1252")?, "WIN1252"),
        "win1253" | "windows1253" => (e("windows-1253")?, "WIN1253"),
        "win1254" | "windows1254" => (e("windows-1254")?, "WIN1254"),
        "win1255" | "windows1255" => (e("windows-1255")?, "WIN1255"),
        "win1256" | "windows1256" => (e("windows-1256")?, "WIN1256"),
        "win1257" | "windows1257" => (e("windows-1257")?, "WIN1257"),
        "win1258" | "windows1258" => (e("windows-1258")?, "WIN1258"),
        "win866" | "windows866" | "alt" => (e("ibm866")?, "WIN866"),
        "win874" | "windows874" => (e("windows-874")?, "WIN874"),
        "koi8r" | "koi8" => (e("koi8-r")?, "KOI8R"),
        "koi8u" => (e("koi8-u")?, "KOI8U"),
        "sjis" | "shiftjis" | "mskanji" => (e("shift_jis")?, "SJIS"),
        "eucjp" => (e("euc-jp")?, "EUC_JP"),
        "euckr" => (e("euc-kr")?, "EUC_KR"),
        "gbk" | "cp936" => (e("gbk")?, "GBK"),
        "gb18030" => (e("gb18030")?, "GB18030"),
        "big5" => (e("big5")?, "BIG5"),
        _ => return None,
    })
}

/// Whether `c` has no place in `enc` for PostgreSQL although
/// `encoding_rs` maps it: the WHATWG Windows code pages give their
/// undefined bytes (0x81, 0x8D, … in WIN1252) the C1 control characters,
/// which PostgreSQL's WIN tables do not have.
fn c1_gap(enc: &'static Encoding, c: char) -> bool {
    ('\u{80}'..='\u{9f}').contains(&c) && enc.name().starts_with("windows-")
}

/// `bytes` as PostgreSQL writes them in messages: `0xe2 0x82 0xac`.
fn hex_bytes(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("0x{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` in `charset`, appended to `out`.
fn encode(text: &str, (charset, name): (Charset, &str), out: &mut Vec<u8>) -> Result<()> {
    let untranslatable = |c: char| {
        let mut utf8 = [0; 4];
        data_error(
            DataErrorKind::UntranslatableCharacter,
            format!(
                "character with byte sequence {} in encoding \"UTF8\" has no equivalent in encoding \"{name}\"",
                hex_bytes(c.encode_utf8(&mut utf8).as_bytes())
            ),
        )
    };
    match charset {
        Charset::Utf8 | Charset::Bytes => out.extend_from_slice(text.as_bytes()),
        Charset::Latin1 => {
            for c in text.chars() {
                out.push(u8::try_from(u32::from(c)).map_err(|_| untranslatable(c))?);
            }
        }
        Charset::Other(enc) => {
            // One character at a time, to name the first that does not fit.
            let mut encoder = enc.new_encoder();
            let mut buf = [0u8; 16];
            let mut utf8 = [0u8; 4];
            for c in text.chars() {
                if c1_gap(enc, c) {
                    return Err(untranslatable(c));
                }
                let (result, _, written) = encoder.encode_from_utf8_without_replacement(
                    c.encode_utf8(&mut utf8),
                    &mut buf,
                    false,
                );
                match result {
                    encoding_rs::EncoderResult::InputEmpty => {
                        out.extend_from_slice(&buf[..written]);
                    }
                    _ => return Err(untranslatable(c)),
                }
            }
            let (_, _, written) = encoder.encode_from_utf8_without_replacement("", &mut buf, true);
            out.extend_from_slice(&buf[..written]);
        }
    }
    Ok(())
}

/// `bytes` in `charset` as text.
fn decode(bytes: &[u8], (charset, name): (Charset, &str)) -> Result<String> {
    let invalid = |at: &[u8]| {
        data_error(
            DataErrorKind::CharacterNotInRepertoire,
            format!(
                "invalid byte sequence for encoding \"{name}\": {}",
                hex_bytes(&at[..at.len().min(2)])
            ),
        )
    };
    match charset {
        Charset::Utf8 | Charset::Bytes => match std::str::from_utf8(bytes) {
            Ok(s) if !s.contains('\0') => Ok(s.to_string()),
            Ok(s) => Err(invalid(&s.as_bytes()[s.find('\0').unwrap_or(0)..])),
            Err(e) => Err(invalid(&bytes[e.valid_up_to()..])),
        },
        Charset::Latin1 => Ok(bytes.iter().map(|&b| char::from(b)).collect()),
        Charset::Other(enc) => match enc.decode_without_bom_handling_and_without_replacement(bytes)
        {
            Some(s) if !s.chars().any(|c| c1_gap(enc, c)) => Ok(s.into_owned()),
            _ => {
                // Find the first byte that does not decode, for the message.
                let mut decoder = enc.new_decoder_without_bom_handling();
                let mut out = String::with_capacity(bytes.len() * 3);
                let (_, mut read) =
                    decoder.decode_to_string_without_replacement(bytes, &mut out, true);
                if let Some(i) = out.chars().position(|c| c1_gap(enc, c)) {
                    // Single-byte code pages: the character's index is its byte's.
                    read = i + 1;
                }
                Err(data_error(
                    DataErrorKind::UntranslatableCharacter,
                    format!(
                        "character with byte sequence {} in encoding \"{name}\" has no equivalent in encoding \"UTF8\"",
                        hex_bytes(&bytes[read.saturating_sub(1)..read.max(1).min(bytes.len())])
                    ),
                ))
            }
        },
    }
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Convert {
    /// `convert_to` (text → bytea), else `convert_from`.
    to: bool,
    signature: Signature,
}

impl ScalarUDFImpl for Convert {
    fn name(&self) -> &str {
        if self.to {
            "convert_to"
        } else {
            "convert_from"
        }
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        if arg_types.len() != 2 {
            return plan_err!("function {} takes two arguments", self.name());
        }
        let first = if self.to {
            DataType::Utf8
        } else {
            match &arg_types[0] {
                DataType::Binary
                | DataType::LargeBinary
                | DataType::BinaryView
                | DataType::Null => DataType::Binary,
                t => return plan_err!("function convert_from({t}, text) does not exist"),
            }
        };
        Ok(vec![first, DataType::Utf8])
    }
    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(if self.to {
            DataType::Binary
        } else {
            DataType::Utf8
        })
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = super::all_scalar(&args.args);
        let n = args.number_rows;
        let input = args.args[0].to_array(n)?;
        let names = cast(&args.args[1].to_array(n)?, &DataType::Utf8)?;
        let names = names.as_string::<i32>();
        let mut cached: Option<(String, (Charset, &'static str))> = None;
        let mut lookup = |name: &str| -> Result<(Charset, &'static str)> {
            if let Some((n, c)) = &cached
                && n == name
            {
                return Ok(*c);
            }
            let c = charset(name).ok_or_else(|| {
                data_error(
                    DataErrorKind::InvalidParameterValue,
                    format!(
                        "invalid {} encoding name \"{name}\"",
                        if self.to { "destination" } else { "source" }
                    ),
                )
            })?;
            cached = Some((name.to_string(), c));
            Ok(c)
        };
        let out: Arc<dyn Array> = if self.to {
            let texts = cast(&input, &DataType::Utf8)?;
            let texts = texts.as_string::<i32>();
            let mut out = BinaryBuilder::with_capacity(n, texts.value_data().len());
            let mut buf = Vec::new();
            for i in 0..n {
                if texts.is_null(i) || names.is_null(i) {
                    out.append_null();
                    continue;
                }
                let c = lookup(names.value(i))?;
                buf.clear();
                encode(texts.value(i), c, &mut buf)?;
                out.append_value(&buf);
            }
            Arc::new(out.finish())
        } else {
            let bytes = input.as_binary::<i32>();
            let mut out = StringBuilder::with_capacity(n, bytes.value_data().len());
            for i in 0..n {
                if bytes.is_null(i) || names.is_null(i) {
                    out.append_null();
                    continue;
                }
                let c = lookup(names.value(i))?;
                out.append_value(decode(bytes.value(i), c)?);
            }
            Arc::new(out.finish())
        };
        super::result(out, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::{charset, decode, encode};

    fn to(text: &str, enc: &str) -> Result<Vec<u8>, String> {
        let mut out = vec![];
        encode(text, charset(enc).expect("known"), &mut out).map_err(|e| e.to_string())?;
        Ok(out)
    }

    #[test]
    fn encodes_as_postgres() {
        // Expected bytes from PostgreSQL 15 (`SELECT convert_to(…)`).
        assert_eq!(to("é€", "UTF8").unwrap(), b"\xc3\xa9\xe2\x82\xac");
        assert_eq!(to("é", "LATIN1").unwrap(), b"\xe9");
        assert_eq!(to("é€", "WIN1252").unwrap(), b"\xe9\x80");
        assert_eq!(to("abc", "utf-8").unwrap(), b"abc");
        let e = to("€", "LATIN1").unwrap_err();
        assert!(
            e.contains("character with byte sequence 0xe2 0x82 0xac in encoding \"UTF8\" has no equivalent in encoding \"LATIN1\""),
            "{e}"
        );
        assert!(charset("nope").is_none());
    }

    #[test]
    fn decodes_as_postgres() {
        let c = |n| charset(n).expect("known");
        assert_eq!(decode(b"\xe9", c("LATIN1")).unwrap(), "é");
        assert_eq!(decode(b"\x80", c("WIN1252")).unwrap(), "€");
        assert_eq!(decode(b"\xc3\xa9", c("UTF8")).unwrap(), "é");
        let e = decode(b"\xff", c("UTF8")).unwrap_err().to_string();
        assert!(
            e.contains("invalid byte sequence for encoding \"UTF8\": 0xff"),
            "{e}"
        );
        let e = decode(b"\x81", c("WIN1252")).unwrap_err().to_string();
        assert!(
            e.contains("character with byte sequence 0x81 in encoding \"WIN1252\" has no equivalent in encoding \"UTF8\""),
            "{e}"
        );
    }
}

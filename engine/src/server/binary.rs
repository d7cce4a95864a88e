//! Decoding PostgreSQL's binary COPY format into Arrow arrays, one decoder per
//! column type (the binary send/recv representations of PostgreSQL 15).

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::{DataType, TimeUnit};
use datafusion::common::ScalarValue;

use crate::error::{Error, Result};
use crate::sqlstate::BAD_COPY_FILE_FORMAT;

/// Days from 1970-01-01 to PostgreSQL's epoch 2000-01-01.
const PG_EPOCH_DAYS: i32 = 10_957;
/// Microseconds from 1970-01-01 to 2000-01-01.
const PG_EPOCH_MICROS: i64 = 946_684_800_000_000;

fn bad(msg: impl Into<String>) -> Error {
    Error::coded(BAD_COPY_FILE_FORMAT, msg.into())
}

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|e| *e <= self.data.len());
        let end = end.ok_or_else(|| bad("unexpected end of binary COPY data"))?;
        let s = &self.data[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn i16(&mut self) -> Result<i16> {
        Ok(i16::from_be_bytes(self.take(2)?.try_into().expect("2")))
    }
    fn i32(&mut self) -> Result<i32> {
        Ok(i32::from_be_bytes(self.take(4)?.try_into().expect("4")))
    }
}

/// Parses binary COPY data into one array per column of `types`.
pub(crate) fn parse(data: &[u8], types: &[DataType]) -> Result<Vec<ArrayRef>> {
    let mut r = Reader { data, pos: 0 };
    if r.take(11)? != b"PGCOPY\n\xff\r\n\0" {
        return Err(bad("COPY file signature not recognized"));
    }
    let _flags = r.i32()?;
    let ext = r.i32()?;
    r.take(ext.max(0) as usize)?;
    let mut cols: Vec<Vec<ScalarValue>> = vec![Vec::new(); types.len()];
    loop {
        if r.pos == data.len() {
            break;
        }
        let n = r.i16()?;
        if n == -1 {
            break;
        }
        if n as usize != types.len() {
            return Err(bad(format!(
                "row field count is {n}, expected {}",
                types.len()
            )));
        }
        for (i, t) in types.iter().enumerate() {
            let len = r.i32()?;
            let v = if len < 0 {
                ScalarValue::try_from(t)?
            } else {
                decode(r.take(len as usize)?, t)?
            };
            cols[i].push(v);
        }
    }
    cols.into_iter()
        .zip(types)
        .map(|(c, t)| {
            if c.is_empty() {
                Ok(datafusion::arrow::array::new_empty_array(t))
            } else {
                Ok(ScalarValue::iter_to_array(c)?)
            }
        })
        .collect()
}

fn decode(b: &[u8], t: &DataType) -> Result<ScalarValue> {
    let wrong = || bad(format!("incorrect binary data format for type {t}"));
    Ok(match t {
        DataType::Boolean => ScalarValue::Boolean(Some(*b.first().ok_or_else(wrong)? != 0)),
        DataType::Int16 => {
            ScalarValue::Int16(Some(i16::from_be_bytes(b.try_into().map_err(|_| wrong())?)))
        }
        DataType::Int32 => ScalarValue::Int32(Some(int(b).ok_or_else(wrong)? as i32)),
        DataType::Int64 => ScalarValue::Int64(Some(int(b).ok_or_else(wrong)?)),
        DataType::Float32 => ScalarValue::Float32(Some(match b.len() {
            4 => f32::from_be_bytes(b.try_into().expect("4")),
            8 => f64::from_be_bytes(b.try_into().expect("8")) as f32,
            _ => return Err(wrong()),
        })),
        DataType::Float64 => ScalarValue::Float64(Some(match b.len() {
            4 => f32::from_be_bytes(b.try_into().expect("4")) as f64,
            8 => f64::from_be_bytes(b.try_into().expect("8")),
            _ => return Err(wrong()),
        })),
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
            let s = std::str::from_utf8(b).map_err(|_| wrong())?.to_string();
            match t {
                DataType::Utf8 => ScalarValue::Utf8(Some(s)),
                DataType::LargeUtf8 => ScalarValue::LargeUtf8(Some(s)),
                _ => ScalarValue::Utf8View(Some(s)),
            }
        }
        DataType::Binary => ScalarValue::Binary(Some(b.to_vec())),
        DataType::LargeBinary => ScalarValue::LargeBinary(Some(b.to_vec())),
        DataType::Date32 => ScalarValue::Date32(Some(
            i32::from_be_bytes(b.try_into().map_err(|_| wrong())?) + PG_EPOCH_DAYS,
        )),
        DataType::Timestamp(TimeUnit::Microsecond, tz) => ScalarValue::TimestampMicrosecond(
            Some(i64::from_be_bytes(b.try_into().map_err(|_| wrong())?) + PG_EPOCH_MICROS),
            tz.clone(),
        ),
        DataType::Decimal128(p, s) => {
            ScalarValue::Decimal128(Some(numeric(b, *s).ok_or_else(wrong)?), *p, *s)
        }
        other => {
            return Err(Error::unsupported(format!(
                "binary COPY into a column of type {other}"
            )));
        }
    })
}

/// An integer of 2, 4 or 8 bytes (clients may send int4 for int8 columns).
fn int(b: &[u8]) -> Option<i64> {
    Some(match b.len() {
        2 => i16::from_be_bytes(b.try_into().ok()?) as i64,
        4 => i32::from_be_bytes(b.try_into().ok()?) as i64,
        8 => i64::from_be_bytes(b.try_into().ok()?),
        _ => return None,
    })
}

/// PostgreSQL binary numeric (base-10000 digits) as an integer at `scale`.
fn numeric(b: &[u8], scale: i8) -> Option<i128> {
    if b.len() < 8 {
        return None;
    }
    let ndigits = i16::from_be_bytes([b[0], b[1]]) as usize;
    let weight = i16::from_be_bytes([b[2], b[3]]) as i32;
    let sign = u16::from_be_bytes([b[4], b[5]]);
    if sign == 0xC000 || b.len() < 8 + 2 * ndigits {
        return None; // NaN
    }
    let mut value: i128 = 0;
    let mut exp10: i32 = 0; // power of ten of the last digit group consumed
    for i in 0..ndigits {
        let d = u16::from_be_bytes([b[8 + 2 * i], b[9 + 2 * i]]) as i128;
        value = value.checked_mul(10_000)?.checked_add(d)?;
        exp10 = (weight - i as i32) * 4;
    }
    // value * 10^exp10 is the number; rescale to 10^-scale.
    let shift = exp10 + scale as i32;
    if ndigits == 0 {
        value = 0;
    } else if shift >= 0 {
        value = value.checked_mul(10i128.checked_pow(shift as u32)?)?;
    } else {
        value /= 10i128.checked_pow((-shift) as u32)?;
    }
    Some(if sign == 0x4000 { -value } else { value })
}

/// `numeric_send` of a numeric's text (`-12.50`): base-10000 digit
/// groups aligned on the decimal point, leading and trailing zero groups
/// left out, the display scale kept (the text's digits after the point).
pub(crate) fn numeric_send(buf: &mut bytes::BytesMut, text: &str) {
    use bytes::BufMut;
    let (negative, text) = match text.strip_prefix('-') {
        Some(t) => (true, t),
        None => (false, text),
    };
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    let int = int.trim_start_matches('0');
    // Digits padded to whole groups: the integer part on the left, the
    // fraction on the right.
    let lead = (4 - int.len() % 4) % 4;
    let trail = (4 - frac.len() % 4) % 4;
    let digits: Vec<u8> = std::iter::repeat_n(b'0', lead)
        .chain(int.bytes())
        .chain(frac.bytes())
        .chain(std::iter::repeat_n(b'0', trail))
        .map(|c| c.wrapping_sub(b'0'))
        .collect();
    let mut groups: Vec<i16> = digits
        .chunks(4)
        .map(|g| g.iter().fold(0i16, |n, d| n * 10 + i16::from(*d)))
        .collect();
    let mut weight = ((lead + int.len()) / 4) as i16 - 1;
    let leading = groups.iter().take_while(|g| **g == 0).count();
    groups.drain(..leading);
    weight -= leading as i16;
    while groups.last() == Some(&0) {
        groups.pop();
    }
    if groups.is_empty() {
        weight = 0;
    }
    buf.put_i16(groups.len() as i16);
    buf.put_i16(weight);
    buf.put_u16(if negative && !groups.is_empty() {
        0x4000
    } else {
        0
    });
    buf.put_i16(frac.len() as i16);
    for g in groups {
        buf.put_i16(g);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(text: &str) -> Vec<u8> {
        let mut buf = bytes::BytesMut::new();
        numeric_send(&mut buf, text);
        buf.to_vec()
    }

    #[test]
    fn numeric_text_round_trips_through_binary() {
        // numeric_send's layout: ndigits, weight, sign, dscale, digits.
        assert_eq!(sent("0"), [0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(sent("0.00"), [0, 0, 0, 0, 0, 0, 0, 2]);
        // 1234.5: [1234, 5000], weight 0, dscale 1.
        assert_eq!(sent("1234.5"), [0, 2, 0, 0, 0, 0, 0, 1, 4, 210, 19, 136]);
        // -0.05: [500] at weight -1, dscale 2.
        assert_eq!(sent("-0.05"), [0, 1, 255, 255, 64, 0, 0, 2, 1, 244]);
        // 50000: [5] at weight 1.
        assert_eq!(sent("50000"), [0, 1, 0, 1, 0, 0, 0, 0, 0, 5]);
        for (text, scale, value) in [("12.50", 2, 1250), ("-7.125", 3, -7125), ("100", 0, 100)] {
            assert_eq!(numeric(&sent(text), scale), Some(value), "{text}");
        }
    }

    #[test]
    fn numeric_decoding() {
        // 1234.5 = digits [1234, 5000], weight 0, dscale 1
        let mut b = vec![];
        for v in [2i16, 0, 0, 1] {
            b.extend_from_slice(&v.to_be_bytes());
        }
        b.extend_from_slice(&1234u16.to_be_bytes());
        b.extend_from_slice(&5000u16.to_be_bytes());
        assert_eq!(numeric(&b, 2), Some(123450));
    }
}

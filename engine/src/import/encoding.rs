//! Getting input files into UTF-8 NDJSON/CSV that DataFusion reads.
//!
//! - Non-UTF-8 encodings are transcoded with `encoding_rs` (WHATWG labels:
//!   `latin1` and `iso-8859-1` mean Windows-1252, which is what French
//!   exports labelled Latin-1 usually are);
//! - a UTF-8 byte-order mark (Excel's "CSV UTF-8") is removed;
//! - a JSON array of objects is rewritten as one object per line.
//!
//! Files that need none of this are read in place.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use encoding_rs::{Encoding, UTF_8};
use encoding_rs_io::DecodeReaderBytesBuilder;

use crate::error::{Error, Result};

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Returns files DataFusion can read, transcoding into `scratch` when needed.
pub fn prepare(files: &[PathBuf], label: &str, json: bool, scratch: &Path) -> Result<Vec<PathBuf>> {
    let encoding = Encoding::for_label(label.trim().as_bytes())
        .ok_or_else(|| Error::InvalidParameter(format!("unknown encoding \"{label}\"")))?;
    let mut out = Vec::with_capacity(files.len());
    for (i, f) in files.iter().enumerate() {
        let head = first_bytes(f, 4096)?;
        let has_bom = head.starts_with(&[0xEF, 0xBB, 0xBF]);
        let is_array = json && head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[');
        if encoding == UTF_8 && !has_bom && !is_array {
            out.push(f.clone());
            continue;
        }
        let target = scratch.join(format!("{i}.{}", if json { "json" } else { "csv" }));
        let input = File::open(f).map_err(io_err(f))?;
        let decoded = DecodeReaderBytesBuilder::new()
            .encoding(Some(encoding))
            .bom_override(true)
            .build(BufReader::with_capacity(1 << 20, input));
        let mut writer =
            BufWriter::with_capacity(1 << 20, File::create(&target).map_err(io_err(&target))?);
        if is_array {
            array_to_ndjson(f, decoded, &mut writer)?;
        } else {
            let mut decoded = decoded;
            std::io::copy(&mut decoded, &mut writer).map_err(io_err(f))?;
        }
        writer.flush().map_err(io_err(&target))?;
        out.push(target);
    }
    Ok(out)
}

fn first_bytes(path: &Path, n: usize) -> Result<Vec<u8>> {
    let mut buf = vec![0; n];
    let mut f = File::open(path).map_err(io_err(path))?;
    let mut len = 0;
    while len < n {
        let read = f.read(&mut buf[len..]).map_err(io_err(path))?;
        if read == 0 {
            break;
        }
        len += read;
    }
    buf.truncate(len);
    Ok(buf)
}

fn array_to_ndjson(path: &Path, input: impl Read, out: &mut impl Write) -> Result<()> {
    let values: Vec<serde_json::Value> =
        serde_json::from_reader(BufReader::new(input)).map_err(|e| Error::BadFile {
            path: path.display().to_string(),
            line: Some(e.line() as u64),
            message: e.to_string(),
        })?;
    for v in values {
        if !v.is_object() {
            return Err(Error::BadFile {
                path: path.display().to_string(),
                line: None,
                message: "a JSON array must hold objects, one per row".into(),
            });
        }
        serde_json::to_writer(&mut *out, &v).map_err(|e| Error::BadFile {
            path: path.display().to_string(),
            line: None,
            message: e.to_string(),
        })?;
        out.write_all(b"\n").map_err(io_err(path))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_becomes_utf8_and_bom_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let latin = dir.path().join("a.csv");
        std::fs::write(&latin, b"nom\nZo\xe9\n").unwrap();
        let bom = dir.path().join("b.csv");
        std::fs::write(&bom, "\u{feff}nom\nZoé\n").unwrap();
        let scratch = tempfile::tempdir().unwrap();
        let out = prepare(&[latin], "latin1", false, scratch.path()).unwrap();
        assert_eq!(std::fs::read_to_string(&out[0]).unwrap(), "nom\nZoé\n");
        let out = prepare(&[bom], "utf-8", false, scratch.path()).unwrap();
        assert_eq!(std::fs::read_to_string(&out[0]).unwrap(), "nom\nZoé\n");
    }

    #[test]
    fn json_arrays_become_ndjson() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.json");
        std::fs::write(&f, r#" [{"a":1},{"a":2}] "#).unwrap();
        let out = prepare(&[f], "utf-8", true, dir.path()).unwrap();
        assert_eq!(
            std::fs::read_to_string(&out[0]).unwrap(),
            "{\"a\":1}\n{\"a\":2}\n"
        );
    }
}

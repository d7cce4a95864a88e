//! Where the warehouse lives: parsing `--warehouse` and building its object store.
//!
//! Accepted forms:
//! - a path (`./tessera-data`, `/srv/tessera`) or `file:///abs/path`: a local folder;
//! - `s3://bucket/prefix`: S3 or an S3-compatible store. Credentials and region come
//!   from the standard `AWS_*` variables; `AWS_ENDPOINT_URL` points at a
//!   custom endpoint (MinIO, Garage, …), `AWS_ALLOW_HTTP=true` allows plain HTTP;
//! - `memory://`: a process-local store, for tests.
//!
//! One root object store is built for the whole warehouse and handed to every
//! Delta table, so the catalog and the tables always see the same bytes
//! (for `memory://` this is what makes tables visible at all).

use std::collections::HashMap;
use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;

use object_store::ObjectStore;
use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
use object_store::local::LocalFileSystem;
use object_store::memory::InMemory;
use object_store::path::Path;
use url::Url;

use crate::error::{Error, Result};

/// Default warehouse when none is given.
pub const DEFAULT_WAREHOUSE: &str = "./tessera-data";

/// A resolved warehouse location.
#[derive(Debug, Clone)]
pub struct WarehouseLocation {
    /// Root URL, always ending without a slash (`file:///abs/dir`, `s3://bucket/prefix`).
    pub url: Url,
    /// Path of the root inside `store`.
    pub root: Path,
    /// The object store, rooted at the store's own root (`/` or the bucket).
    pub store: Arc<dyn ObjectStore>,
    /// Options Delta needs for this store (S3 endpoint, locking mode, …).
    pub delta_options: HashMap<String, String>,
}

impl WarehouseLocation {
    /// Parses a `--warehouse` value and builds the object store.
    ///
    /// `s3_options` are extra S3 settings (keys as in `object_store`'s
    /// `AmazonS3ConfigKey`, e.g. `aws_endpoint`); unknown keys are an error.
    pub fn parse(spec: &str, s3_options: &HashMap<String, String>) -> Result<Self> {
        let invalid = |reason: String| Error::InvalidWarehouse {
            url: spec.to_string(),
            reason,
        };
        if spec.trim().is_empty() {
            return Err(invalid("empty location".into()));
        }
        let parsed = Url::parse(spec);
        match parsed {
            Ok(url) if url.scheme() == "memory" => Ok(WarehouseLocation {
                url: Url::parse("memory:///").expect("static URL"),
                root: Path::from(""),
                store: Arc::new(InMemory::new()),
                delta_options: HashMap::new(),
            }),
            Ok(url) if url.scheme() == "file" => {
                let path = url
                    .to_file_path()
                    .map_err(|_| invalid("not a local path".into()))?;
                Self::local(&path).map_err(invalid)
            }
            Ok(url) if url.scheme() == "s3" || url.scheme() == "s3a" => {
                Self::s3(&url, s3_options).map_err(invalid)
            }
            // A Windows drive letter parses as a scheme: treat one-letter schemes as paths.
            Ok(url) if url.scheme().len() > 1 => Err(invalid(format!(
                "unsupported scheme \"{}\" (use a path, file://, s3:// or memory://)",
                url.scheme()
            ))),
            _ => Self::local(FsPath::new(spec)).map_err(invalid),
        }
    }

    fn local(path: &FsPath) -> std::result::Result<Self, String> {
        std::fs::create_dir_all(path).map_err(|e| format!("cannot create folder: {e}"))?;
        let abs: PathBuf = std::fs::canonicalize(path).map_err(|e| e.to_string())?;
        let url = Url::from_directory_path(&abs).map_err(|_| "not an absolute path".to_string())?;
        let root = Path::from_absolute_path(&abs).map_err(|e| e.to_string())?;
        Ok(WarehouseLocation {
            url: trim_slash(url),
            root,
            store: Arc::new(LocalFileSystem::new()),
            delta_options: HashMap::new(),
        })
    }

    fn s3(url: &Url, extra: &HashMap<String, String>) -> std::result::Result<Self, String> {
        let bucket = url.host_str().ok_or("missing bucket name")?.to_string();
        let mut builder = AmazonS3Builder::from_env().with_bucket_name(&bucket);
        let mut delta_options = HashMap::new();
        for (k, v) in extra {
            let key: AmazonS3ConfigKey = k
                .parse()
                .map_err(|_| format!("unknown S3 option \"{k}\""))?;
            builder = builder.with_config(key, v);
            delta_options.insert(k.clone(), v.clone());
        }
        // Delta needs an atomic "create if absent" for its log. S3 has one
        // (conditional writes); stores without it can opt into the unsafe
        // rename mode through AWS_S3_ALLOW_UNSAFE_RENAME.
        for (k, v) in std::env::vars() {
            if k.starts_with("AWS_") {
                delta_options.entry(k).or_insert(v);
            }
        }
        let store = builder.build().map_err(|e| e.to_string())?;
        let prefix = url.path().trim_matches('/');
        Ok(WarehouseLocation {
            url: Url::parse(&format!("s3://{bucket}/{prefix}"))
                .map(trim_slash)
                .map_err(|e| e.to_string())?,
            root: Path::from(prefix),
            store: Arc::new(store),
            delta_options,
        })
    }

    /// URL of a path relative to the root (`schema/table`).
    pub fn url_of(&self, relative: &str) -> Url {
        let base = self.url.as_str().trim_end_matches('/');
        Url::parse(&format!("{base}/{relative}/")).expect("warehouse URLs join cleanly")
    }

    /// Object store path of a path relative to the root.
    pub fn path_of(&self, relative: &str) -> Path {
        relative
            .split('/')
            .filter(|p| !p.is_empty())
            .fold(self.root.clone(), |p, part| p.join(part))
    }
}

fn trim_slash(url: Url) -> Url {
    let s = url.as_str().trim_end_matches('/').to_string();
    Url::parse(&s).unwrap_or(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_paths_and_file_urls_resolve_to_the_same_folder() {
        let dir = tempfile::tempdir().unwrap();
        let a = WarehouseLocation::parse(dir.path().to_str().unwrap(), &HashMap::new()).unwrap();
        let file_url = Url::from_directory_path(dir.path()).unwrap();
        let b = WarehouseLocation::parse(file_url.as_str(), &HashMap::new()).unwrap();
        assert_eq!(a.url, b.url);
        assert!(
            a.url_of("public/orders")
                .as_str()
                .ends_with("/public/orders/")
        );
    }

    #[test]
    fn bad_locations_are_refused() {
        assert!(WarehouseLocation::parse("ftp://x/y", &HashMap::new()).is_err());
        assert!(WarehouseLocation::parse("", &HashMap::new()).is_err());
        let mut opts = HashMap::new();
        opts.insert("no_such_option".to_string(), "1".to_string());
        assert!(WarehouseLocation::parse("s3://bucket/p", &opts).is_err());
    }
}

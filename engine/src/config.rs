//! Configuration: defaults < config file < `TESSERA_*` environment < flags.
//!
//! The file is TOML; unknown keys are errors. See `tessera.example.toml`.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};

/// Settings read from `--config FILE`.
#[derive(Debug, Default, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Warehouse location (path, `file://`, `s3://`, `memory://`).
    pub warehouse: Option<String>,
    /// Extra S3 settings, keys as in object_store's `AmazonS3ConfigKey`
    /// (`aws_endpoint`, `aws_region`, `aws_allow_http`, …).
    #[serde(default)]
    pub s3: HashMap<String, String>,
    /// Server settings.
    #[serde(default)]
    pub server: ServerConfig,
}

/// `[server]` section.
#[derive(Debug, Default, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    /// Address to listen on, e.g. `127.0.0.1:5432`.
    pub listen: Option<String>,
    /// `trust` (loopback only) or `scram-sha-256`.
    pub auth: Option<String>,
    /// PEM certificate chain for TLS.
    pub tls_cert: Option<String>,
    /// PEM private key for TLS.
    pub tls_key: Option<String>,
    /// Users and passwords for `scram-sha-256`.
    #[serde(default)]
    pub users: HashMap<String, String>,
}

impl Config {
    /// Reads and validates a config file.
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        toml::from_str(&text).map_err(|e| Error::BadFile {
            path: path.display().to_string(),
            line: None,
            message: e.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_config_parses() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tessera.example.toml");
        let c = Config::load(&path).unwrap();
        assert_eq!(c.server.listen.as_deref(), Some("127.0.0.1:5432"));
        assert!(toml::from_str::<Config>("nonsense = 1").is_err());
    }
}

//! Per-connection run-time settings (GUCs): `SET`, `SHOW`, `RESET`,
//! `set_config()`, `current_setting()` and the start-up `ParameterStatus` list.
//!
//! Values are kept as text the way PostgreSQL reports them. Most settings are
//! accepted and reported without changing behaviour (clients send them
//! routinely: `extra_float_digits`, `client_min_messages`, …); the ones with
//! an effect are `search_path` (name resolution), `statement_timeout`,
//! `DateStyle`/`IntervalStyle`/`bytea_output`/`extra_float_digits` (text
//! output) and `TimeZone` (reported).

use std::collections::BTreeMap;
use std::sync::RwLock;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::sqlstate;

/// The PostgreSQL version Tessera reports (clients parse `server_version`).
pub(crate) const SERVER_VERSION: &str = "15.8";
/// `server_version_num` for [`SERVER_VERSION`].
pub(crate) const SERVER_VERSION_NUM: &str = "150008";

/// Settings PostgreSQL 15 reports with `ParameterStatus` when they change.
const REPORTED: &[&str] = &[
    "application_name",
    "client_encoding",
    "DateStyle",
    "default_transaction_read_only",
    "in_hot_standby",
    "integer_datetimes",
    "IntervalStyle",
    "is_superuser",
    "server_encoding",
    "server_version",
    "session_authorization",
    "standard_conforming_strings",
    "TimeZone",
];

/// Defaults: (name as PostgreSQL spells it, value, read-only).
const DEFAULTS: &[(&str, &str, bool)] = &[
    ("application_name", "", false),
    ("bytea_output", "hex", false),
    ("client_encoding", "UTF8", false),
    ("client_min_messages", "notice", false),
    ("DateStyle", "ISO, MDY", false),
    ("default_transaction_isolation", "read committed", false),
    ("default_transaction_read_only", "off", false),
    ("extra_float_digits", "1", false),
    ("in_hot_standby", "off", true),
    ("integer_datetimes", "on", true),
    ("IntervalStyle", "postgres", false),
    ("is_superuser", "on", true),
    ("lc_collate", "C.UTF-8", true),
    ("lc_ctype", "C.UTF-8", true),
    ("lc_messages", "C.UTF-8", false),
    ("lc_monetary", "C.UTF-8", false),
    ("lc_numeric", "C.UTF-8", false),
    ("lc_time", "C.UTF-8", false),
    ("max_identifier_length", "63", true),
    ("max_index_keys", "32", true),
    ("search_path", "\"$user\", public", false),
    ("server_encoding", "UTF8", true),
    ("server_version", SERVER_VERSION, true),
    ("server_version_num", SERVER_VERSION_NUM, true),
    ("session_authorization", "tessera", false),
    ("standard_conforming_strings", "on", false),
    ("statement_timeout", "0", false),
    ("idle_in_transaction_session_timeout", "0", false),
    ("lock_timeout", "0", false),
    ("TimeZone", "UTC", false),
    ("transaction_isolation", "read committed", false),
    ("transaction_read_only", "off", false),
    ("jit", "off", false),
    ("max_connections", "100", true),
    ("block_size", "8192", true),
    ("ssl", "off", true),
];

/// One connection's settings.
#[derive(Debug)]
pub(crate) struct Settings {
    values: RwLock<BTreeMap<String, (String, String)>>,
}

/// What a `SET` changed, for `ParameterStatus`.
pub(crate) type Reported = Option<(String, String)>;

impl Settings {
    /// Defaults, with `session_authorization` set to the connecting user.
    pub(crate) fn new(user: &str, ssl: bool) -> Settings {
        let mut values = BTreeMap::new();
        for (name, value, _) in DEFAULTS {
            values.insert(name.to_lowercase(), (name.to_string(), value.to_string()));
        }
        values.insert(
            "session_authorization".into(),
            ("session_authorization".into(), user.to_string()),
        );
        if ssl {
            values.insert("ssl".into(), ("ssl".into(), "on".into()));
        }
        Settings {
            values: RwLock::new(values),
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, BTreeMap<String, (String, String)>> {
        self.values.read().expect("settings lock poisoned")
    }

    /// Sets a value the client cannot `SET` (start-up identity, TLS).
    pub(crate) fn force(&self, name: &str, value: &str) {
        self.values
            .write()
            .expect("settings lock poisoned")
            .insert(name.to_lowercase(), (name.to_string(), value.to_string()));
    }

    /// The value of `name` (case-insensitive), or 42704 when unknown.
    pub(crate) fn get(&self, name: &str) -> Result<String> {
        let key = name.to_lowercase();
        self.read()
            .get(&key)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| unknown(name))
    }

    /// The value of `name`, `None` when unknown (`current_setting(x, true)`).
    pub(crate) fn get_opt(&self, name: &str) -> Option<String> {
        self.read()
            .get(&name.to_lowercase())
            .map(|(_, v)| v.clone())
    }

    /// Sets `name`; unknown names are accepted when they look like
    /// `extension.name` (PostgreSQL's custom settings) and refused otherwise.
    pub(crate) fn set(&self, name: &str, value: &str) -> Result<Reported> {
        let key = name.to_lowercase();
        if DEFAULTS
            .iter()
            .any(|(n, _, ro)| *ro && n.eq_ignore_ascii_case(name))
        {
            return Err(Error::coded(
                sqlstate::CANT_CHANGE_RUNTIME_PARAM,
                format!("parameter \"{name}\" cannot be changed"),
            ));
        }
        let value = normalise(&key, value)?;
        let mut values = self.values.write().expect("settings lock poisoned");
        let display = match values.get(&key) {
            Some((display, _)) => display.clone(),
            None if key.contains('.') => key.clone(),
            None => return Err(unknown(name)),
        };
        values.insert(key, (display.clone(), value.clone()));
        Ok(REPORTED
            .iter()
            .any(|r| r.eq_ignore_ascii_case(&display))
            .then_some((display, value)))
    }

    /// Back to the default (`RESET name`).
    pub(crate) fn reset(&self, name: &str) -> Result<Reported> {
        let default = DEFAULTS
            .iter()
            .find(|(n, _, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v, _)| v.to_string());
        match default {
            Some(v) => self.set(name, &v),
            None => {
                self.values
                    .write()
                    .expect("settings lock poisoned")
                    .remove(&name.to_lowercase());
                Ok(None)
            }
        }
    }

    /// `RESET ALL`: every writable setting back to its default.
    pub(crate) fn reset_all(&self) -> Vec<(String, String)> {
        let mut changed = Vec::new();
        for (name, _, ro) in DEFAULTS {
            if !ro
                && name != &"session_authorization"
                && let Ok(Some(r)) = self.reset(name)
            {
                changed.push(r);
            }
        }
        changed
    }

    /// Every setting, for `SHOW ALL` and `pg_settings`-like listings.
    pub(crate) fn all(&self) -> Vec<(String, String)> {
        self.read().values().cloned().collect()
    }

    /// The reported settings, for `ParameterStatus` at start-up.
    pub(crate) fn reported(&self) -> Vec<(String, String)> {
        let values = self.read();
        REPORTED
            .iter()
            .filter_map(|r| values.get(&r.to_lowercase()).cloned())
            .collect()
    }

    /// `statement_timeout` as a duration; `None` when 0 (off).
    pub(crate) fn statement_timeout(&self) -> Option<Duration> {
        let ms: u64 = self.get("statement_timeout").ok()?.parse().ok()?;
        (ms > 0).then(|| Duration::from_millis(ms))
    }
}

fn unknown(name: &str) -> Error {
    Error::coded(
        sqlstate::UNDEFINED_OBJECT,
        format!("unrecognized configuration parameter \"{name}\""),
    )
}

/// Canonical text for values PostgreSQL normalises (time units, booleans).
fn normalise(key: &str, value: &str) -> Result<String> {
    let v = value.trim();
    Ok(match key {
        "statement_timeout" | "lock_timeout" | "idle_in_transaction_session_timeout" => {
            parse_millis(v)
                .ok_or_else(|| {
                    Error::InvalidParameter(format!(
                        "invalid value for parameter \"{key}\": \"{v}\""
                    ))
                })?
                .to_string()
        }
        "client_encoding" => {
            let up = v.to_uppercase().replace(['-', '_'], "");
            if up != "UTF8" && up != "UNICODE" {
                return Err(Error::unsupported(format!(
                    "client encoding \"{v}\" (only UTF8)"
                )));
            }
            "UTF8".to_string()
        }
        "standard_conforming_strings" => match v.to_lowercase().as_str() {
            "on" | "true" | "1" | "yes" => "on".into(),
            _ => {
                return Err(Error::unsupported(
                    "standard_conforming_strings = off".to_string(),
                ));
            }
        },
        "datestyle" => {
            let parts: Vec<String> = v.split(',').map(|p| p.trim().to_uppercase()).collect();
            let style = parts
                .iter()
                .find(|p| ["ISO", "SQL", "POSTGRES", "GERMAN"].contains(&p.as_str()))
                .cloned()
                .unwrap_or_else(|| "ISO".into());
            let order = parts
                .iter()
                .find(|p| ["MDY", "DMY", "YMD", "US", "EUROPEAN", "EURO"].contains(&p.as_str()))
                .map(|o| match o.as_str() {
                    "US" => "MDY".to_string(),
                    "EUROPEAN" | "EURO" => "DMY".to_string(),
                    o => o.to_string(),
                })
                // `German` alone also sets day-month-year, as in PostgreSQL.
                .unwrap_or_else(|| if style == "GERMAN" { "DMY" } else { "MDY" }.into());
            let style = match style.as_str() {
                "POSTGRES" => "Postgres",
                "GERMAN" => "German",
                s => s,
            };
            format!("{style}, {order}")
        }
        _ => v.to_string(),
    })
}

/// Milliseconds from `5000`, `'5s'`, `'1min'`, `'250ms'`.
fn parse_millis(v: &str) -> Option<u64> {
    let v = v.trim().trim_matches('\'').trim();
    let split = v
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(v.len());
    let (num, unit) = v.split_at(split);
    let n: f64 = num.parse().ok()?;
    let factor = match unit.trim().to_lowercase().as_str() {
        "" | "ms" => 1.0,
        "s" => 1000.0,
        "min" => 60_000.0,
        "h" => 3_600_000.0,
        "d" => 86_400_000.0,
        "us" => 0.001,
        _ => return None,
    };
    Some((n * factor).round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_show_reset() {
        let s = Settings::new("alice", false);
        assert_eq!(s.get("server_version").unwrap(), SERVER_VERSION);
        assert_eq!(
            s.set("datestyle", "iso, dmy").unwrap(),
            Some(("DateStyle".into(), "ISO, DMY".into()))
        );
        assert_eq!(s.set("statement_timeout", "'2s'").unwrap(), None);
        assert_eq!(s.statement_timeout(), Some(Duration::from_secs(2)));
        assert!(s.set("nonsense", "1").is_err());
        assert!(s.set("server_version", "1").is_err());
        s.set("myapp.flag", "x").unwrap();
        assert_eq!(s.get("MYAPP.FLAG").unwrap(), "x");
        s.reset_all();
        assert_eq!(s.get("DateStyle").unwrap(), "ISO, MDY");
        assert_eq!(s.statement_timeout(), None);
    }
}

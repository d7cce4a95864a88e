//! Tessera's cross-crate integration tests, in one binary (links once).
//!
//! - `slt`: the sqllogictest corpus under `tests/slt/`, each file on a fresh
//!   warehouse folder;
//! - `persistence`: a restarted engine, and a second engine, see everything;
//! - `import`: CSV (UTF-8 and Latin-1), Parquet and JSON imports, bad files;
//! - `s3`: the same warehouse on a real S3-compatible server on localhost;
//! - `wire`: `tessera serve` over TCP with psql and the Python drivers;
//! - `wire_rust`: the same with tokio-postgres (binary everywhere);
//! - `wire_replay`: Metabase/Npgsql/Superset/Grafana metadata SQL replayed;
//! - `wire_text`: text-format values byte for byte as PostgreSQL 15;
//! - `differential`: the `tests/differential/` corpus against a real
//!   PostgreSQL 15 (`postgres`: a throw-away cluster) and Tessera;
//! - `fuzzy_differential`: the fuzzy-matching functions over generated names,
//!   e-mails and addresses (`fuzzy_inputs`) against PostgreSQL 15's
//!   fuzzystrmatch, pg_trgm and unaccent, and against Python rapidfuzz.

mod describe;
mod differential;
mod fuzzy_differential;
mod fuzzy_inputs;
mod import;
mod persistence;
mod planner_statistics;
mod postgres;
mod s3;
mod slt;
mod support;
mod wire;
mod wire_replay;
mod wire_rust;
mod wire_text;

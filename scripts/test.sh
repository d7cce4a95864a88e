#!/usr/bin/env bash
# Runs Tessera's whole test suite on a fresh machine.
#
# Installs what the tests need first, idempotently (a C toolchain for crates
# that build C code), then checks formatting and runs every test of the
# workspace after the lints: unit tests, the sqllogictest corpus, CLI process tests,
# persistence, imports, the S3 tests (an in-process S3 server on loopback)
# and the wire-protocol tests with real clients: psql (Debian's
# postgresql-client), pgjdbc (Debian's libpostgresql-jdbc-java, run by
# Java's single-file launcher), tokio-postgres, replayed Metabase/Npgsql/
# Superset/Grafana metadata SQL, and psycopg 3, psycopg2, asyncpg and
# SQLAlchemy from a Python venv kept under ~/.cache/tessera/clients-venv
# (which also holds rapidfuzz, for the fuzzy differential test);
# and the differential corpus against a real PostgreSQL 15 (Debian's
# postgresql-15, a throw-away cluster the test starts), whose per-area
# table is printed at the end.
#
# The Cargo target directory lives outside the clone so that repeated runs,
# and CI runs from fresh clones, reuse compiled dependencies. Override it
# with CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tessera/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
export RUST_BACKTRACE="${RUST_BACKTRACE:-0}"
mkdir -p "$CARGO_TARGET_DIR"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# System packages the build and tests need.
missing=()
command -v cc >/dev/null 2>&1 || missing+=(build-essential)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
command -v psql >/dev/null 2>&1 || missing+=(postgresql-client)
[ -x /usr/lib/postgresql/15/bin/postgres ] || missing+=(postgresql-15)
python3 -c "import venv, ensurepip" >/dev/null 2>&1 || missing+=(python3-venv)
command -v javac >/dev/null 2>&1 || missing+=(default-jdk-headless)
[ -f /usr/share/java/postgresql.jar ] || missing+=(libpostgresql-jdbc-java)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "cargo is not installed: install Rust with rustup (https://rustup.rs), then run this again" >&2
  exit 1
fi

# Python drivers for the wire-protocol client tests (pinned; reinstalled only
# when this list changes).
venv="$HOME/.cache/tessera/clients-venv"
clients="psycopg[binary]==3.2.13 psycopg2-binary==2.9.13 asyncpg==0.32.0 SQLAlchemy==2.0.58 rapidfuzz==3.14.6"
if [ "$(cat "$venv/.tessera-clients" 2>/dev/null)" != "$clients" ]; then
  echo "== installing Python clients into $venv"
  python3 -m venv "$venv"
  # shellcheck disable=SC2086
  "$venv/bin/pip" install -q --disable-pip-version-check $clients
  echo "$clients" > "$venv/.tessera-clients"
fi
export TESSERA_CLIENTS_PYTHON="$venv/bin/python"
export TESSERA_REQUIRE_CLIENTS=1

echo "== cargo fmt --check"
if cargo fmt --version >/dev/null 2>&1; then
  cargo fmt --all -- --check
else
  echo "rustfmt not installed; skipping the format check"
fi

echo "== cargo clippy -D warnings"
if cargo clippy --version >/dev/null 2>&1; then
  cargo clippy --workspace --all-targets --locked -- -D warnings
else
  echo "clippy not installed; skipping lints"
fi

echo "== cargo test (target dir: $CARGO_TARGET_DIR)"
start=$(date +%s)
report="$CARGO_TARGET_DIR/differential-report.md"
rm -f "$report"
cargo test --workspace --locked
echo "== all tests passed in $(( $(date +%s) - start )) s"
if [ -f "$report" ]; then
  echo "== Tessera vs PostgreSQL 15 (tests/differential/)"
  sed -n '3,/^## Differences/p' "$report" | sed '$d'
fi

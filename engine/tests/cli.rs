//! The `tessera` binary as users run it: separate processes on one warehouse.

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn tessera(warehouse: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tessera"))
        .arg("--warehouse")
        .arg(warehouse)
        .args(args)
        .output()
        .expect("tessera runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn ok(o: Output) -> String {
    assert!(o.status.success(), "failed: {}\n{}", stderr(&o), stdout(&o));
    stdout(&o)
}

#[test]
fn a_second_process_reads_what_the_first_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let wh = dir.path().join("wh");
    let out = ok(tessera(
        &wh,
        &[
            "sql",
            "-c",
            "create table t(id bigint, name text); insert into t values (1,'Zoé'); update t set name='Zoé Dupont' where id=1; delete from t where id=2",
        ],
    ));
    assert_eq!(out, "CREATE TABLE\nINSERT 0 1\nUPDATE 1\nDELETE 0\n");
    let csv = ok(tessera(
        &wh,
        &["sql", "--format", "csv", "-c", "select * from t"],
    ));
    assert_eq!(csv, "id,name\n1,Zoé Dupont\n");
    // Data lives under <warehouse>/<schema>/<table>/ as Delta + Parquet.
    assert!(wh.join("public/t/_delta_log").is_dir());
}

#[test]
fn output_formats_and_script_files() {
    let dir = tempfile::tempdir().unwrap();
    let wh = dir.path().join("wh");
    let script = dir.path().join("setup.sql");
    std::fs::write(
        &script,
        "create table c (id int, email text, vip boolean);\n\
         insert into c values (1, 'a@b.fr', true), (2, NULL, false);\n",
    )
    .unwrap();
    ok(tessera(&wh, &["sql", "-f", script.to_str().unwrap()]));
    let table = ok(tessera(&wh, &["sql", "-c", "select * from c order by id"]));
    assert_eq!(
        table,
        " id | email  | vip\n----+--------+-----\n  1 | a@b.fr | t\n  2 |        | f\n(2 rows)\n\n"
    );
    let json = ok(tessera(
        &wh,
        &[
            "sql",
            "--format",
            "json",
            "-c",
            "select * from c order by id",
        ],
    ));
    let v: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(v[0]["id"], 1);
    assert_eq!(v[0]["vip"], true);
    assert_eq!(v[1]["email"], serde_json::Value::Null);
}

#[test]
fn sql_from_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let wh = dir.path().join("wh");
    let mut child = Command::new(env!("CARGO_BIN_EXE_tessera"))
        .arg("--warehouse")
        .arg(&wh)
        .args(["sql", "--format", "csv"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(
            b"create table x (a int);\ninsert into x values (41);\nselect a + 1 as b from x;\n",
        )
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(stdout(&out), "b\n42\n");
}

#[test]
fn errors_are_reported_with_position_and_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let wh = dir.path().join("wh");
    let o = tessera(&wh, &["sql", "-c", "select * fron t"]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(e.starts_with("ERROR:  syntax error"), "{e}");
    assert!(e.contains("LINE 1: select * fron t"), "{e}");
    let o = tessera(&wh, &["sql", "-c", "select * from missing"]);
    assert!(
        stderr(&o).contains("relation \"missing\" does not exist"),
        "{}",
        stderr(&o)
    );
    let o = tessera(Path::new("ftp://nowhere/x"), &["sql", "-c", "select 1"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("invalid warehouse"), "{}", stderr(&o));
}

#[test]
fn import_latin1_csv_and_report_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let wh = dir.path().join("wh");
    let csv = dir.path().join("clients.csv");
    std::fs::write(
        &csv,
        b"id;nom;ville\n1;Zo\xe9;Orl\xe9ans\n2;Fran\xe7ois;N\xeemes\n",
    )
    .unwrap();
    let o = tessera(
        &wh,
        &[
            "import",
            csv.to_str().unwrap(),
            "--table",
            "crm.clients",
            "--delimiter",
            ";",
            "--encoding",
            "latin1",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("imported 2 rows into crm.clients"),
        "{}",
        stderr(&o)
    );
    let out = ok(tessera(
        &wh,
        &[
            "sql",
            "--format",
            "csv",
            "-c",
            "select nom, ville from crm.clients order by id",
        ],
    ));
    assert_eq!(out, "nom,ville\nZoé,Orléans\nFrançois,Nîmes\n");
}

#[test]
fn demo_creates_a_french_customer_base() {
    let dir = tempfile::tempdir().unwrap();
    let wh = dir.path().join("wh");
    let o = tessera(&wh, &["demo", "--scale", "0.05"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let counts = ok(tessera(
        &wh,
        &[
            "sql",
            "--format",
            "csv",
            "-c",
            "select (select count(*) from products) p, (select count(*) from contacts) c, \
             (select count(*) from orders) o, (select count(*) from order_items) i, (select count(*) from events) e",
        ],
    ));
    assert_eq!(
        counts.lines().nth(1),
        Some("20,2000,6000,13306,10000"),
        "{counts}"
    );
    // The data has the flaws of real CRM exports: duplicates written differently,
    // missing values, French phone formats and accents.
    let facts = ok(tessera(
        &wh,
        &[
            "sql",
            "--format",
            "csv",
            "-c",
            "select count(*) - count(distinct lower(trim(email))) > 0 as dup_emails, \
                    count(*) filter (where email is null) > 0 as missing_emails, \
                    count(*) filter (where phone like '+33%') > 0 as e164, \
                    count(*) filter (where phone like '0_ __ __ __ __') > 0 as spaced, \
                    count(*) filter (where first_name like '%é%' or last_name like '%è%') > 0 as accents \
             from contacts",
        ],
    ));
    assert_eq!(facts.lines().nth(1), Some("t,t,t,t,t"), "{facts}");
    // The same seed gives the same data.
    let dir2 = tempfile::tempdir().unwrap();
    let wh2 = dir2.path().join("wh");
    assert!(tessera(&wh2, &["demo", "--scale", "0.05"]).status.success());
    let q = "select sum(total_amount), max(order_date) from orders";
    assert_eq!(
        ok(tessera(&wh, &["sql", "-c", q])),
        ok(tessera(&wh2, &["sql", "-c", q]))
    );
    // Running it again refuses to overwrite unless asked.
    assert!(!tessera(&wh, &["demo", "--scale", "0.05"]).status.success());
    assert!(
        tessera(&wh, &["demo", "--scale", "0.05", "--replace"])
            .status
            .success()
    );
}

#[test]
fn config_file_sets_the_warehouse() {
    let dir = tempfile::tempdir().unwrap();
    let wh = dir.path().join("from-config");
    let cfg = dir.path().join("tessera.toml");
    std::fs::write(&cfg, format!("warehouse = \"{}\"\n", wh.display())).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_tessera"))
        .args([
            "--config",
            cfg.to_str().unwrap(),
            "sql",
            "-c",
            "create schema from_config",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(wh.join("_tessera/catalog").is_dir());
    std::fs::write(&cfg, "warehouse = 1\nunknown = true\n").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_tessera"))
        .args(["--config", cfg.to_str().unwrap(), "sql", "-c", "select 1"])
        .output()
        .unwrap();
    assert!(!o.status.success());
}

/// The CSV output of `tessera sql -c …` for each statement, on a new warehouse.
fn csv_of(statements: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["sql", "--format", "csv"];
    for s in statements {
        args.extend(["-c", s]);
    }
    ok(tessera(&dir.path().join("wh"), &args))
}

#[test]
fn the_shell_has_the_servers_catalogs() {
    // information_schema with PostgreSQL's type names and pg_catalog, as
    // clients of the server see them.
    let csv = csv_of(&[
        "create table c (id bigint, email varchar(80), amount numeric(12,2), at timestamptz)",
        "select column_name, data_type from information_schema.columns where table_name = 'c' order by ordinal_position",
        "select relname from pg_catalog.pg_class where relname = 'c'",
    ]);
    assert!(
        csv.contains(
            "column_name,data_type\nid,bigint\nemail,character varying\namount,numeric\nat,timestamp with time zone\n"
        ),
        "{csv}"
    );
    assert!(csv.contains("relname\nc\n"), "{csv}");
}

#[test]
fn the_shell_prints_values_as_psql_shows_the_server() {
    // psql against PostgreSQL 15 prints the same cells.
    let csv = csv_of(&[
        "SET TimeZone = 'Europe/Paris'",
        "SELECT timestamptz '2024-01-01 10:00:00+00' AS a, ARRAY[1,2] AS f, ARRAY[[1,2],[3,4]] AS g, ARRAY['a b', NULL] AS s",
    ]);
    assert!(
        csv.ends_with(
            "a,f,g,s\n2024-01-01 11:00:00+01,\"{1,2}\",\"{{1,2},{3,4}}\",\"{\"\"a b\"\",NULL}\"\n"
        ),
        "{csv}"
    );
}

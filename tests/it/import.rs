//! `tessera import` on real files: CSV in UTF-8 and Latin-1, Parquet, JSON,
//! appends and replaces, and files that are wrong.

use std::path::{Path, PathBuf};

use tessera_engine::import::{FileFormat, ImportMode, ImportOptions, import};

use crate::support::{TempWarehouse, rows, run};

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("fixture written");
    p
}

fn text(rows: Vec<Vec<String>>) -> Vec<String> {
    rows.into_iter().map(|r| r.join("|")).collect()
}

#[tokio::test]
async fn csv_creates_a_typed_table() {
    let wh = TempWarehouse::new();
    let s = wh.engine().await.session();
    let files = tempfile::tempdir().unwrap();
    let csv = write(
        files.path(),
        "contacts.csv",
        "id,name,amount,note\n1,Zoé,12.5,\"Dupont, Zoé\"\n2,Hélène,,\"multi\nline\"\n3,François,7,\n".as_bytes(),
    );
    let summary = import(&s, &ImportOptions::new(vec![csv], "contacts"))
        .await
        .expect("import");
    assert_eq!(summary.rows, 3);
    assert_eq!(summary.table, "public.contacts");
    let state = s.warehouse().state();
    let t = state.table("public", "contacts").unwrap();
    let types: Vec<String> = t.columns.iter().map(|c| c.pg_type.to_string()).collect();
    assert_eq!(types, ["bigint", "text", "double precision", "text"]);
    assert_eq!(
        text(
            rows(
                &s,
                "select id, name, amount, note from contacts order by id"
            )
            .await
        ),
        [
            "1|Zoé|12.5|Dupont, Zoé",
            "2|Hélène|NULL|multi\nline",
            "3|François|7|NULL"
        ]
    );
}

#[tokio::test]
async fn latin1_csv_keeps_its_accents() {
    let wh = TempWarehouse::new();
    let s = wh.engine().await.session();
    let files = tempfile::tempdir().unwrap();
    // "nom;ville\nZoé;Orléans\nFrançois;Besançon\nÉloïse;Nîmes\n" in Windows-1252.
    let bytes = b"nom;ville\nZo\xe9;Orl\xe9ans\nFran\xe7ois;Besan\xe7on\n\xc9lo\xefse;N\xeemes\n";
    let csv = write(files.path(), "export_crm.csv", bytes);
    let mut opts = ImportOptions::new(vec![csv], "crm_export");
    opts.encoding = "latin1".into();
    opts.delimiter = b';';
    import(&s, &opts).await.expect("import");
    assert_eq!(
        text(rows(&s, "select nom, ville from crm_export order by nom").await),
        ["François|Besançon", "Zoé|Orléans", "Éloïse|Nîmes"]
    );
}

#[tokio::test]
async fn utf8_bom_is_not_part_of_the_first_column_name() {
    let wh = TempWarehouse::new();
    let s = wh.engine().await.session();
    let files = tempfile::tempdir().unwrap();
    let csv = write(
        files.path(),
        "excel.csv",
        "\u{feff}email,n\na@b.fr,1\n".as_bytes(),
    );
    import(&s, &ImportOptions::new(vec![csv], "excel"))
        .await
        .expect("import");
    assert_eq!(text(rows(&s, "select email from excel").await), ["a@b.fr"]);
}

#[tokio::test]
async fn parquet_and_json_files_import() {
    let wh = TempWarehouse::new();
    let s = wh.engine().await.session();
    let files = tempfile::tempdir().unwrap();
    let parquet = files.path().join("orders.parquet");
    let ctx = datafusion::prelude::SessionContext::new();
    ctx.sql("select column1 as order_id, column2 as total from (values (1, 10.5), (2, 20.0))")
        .await
        .unwrap()
        .write_parquet(parquet.to_str().unwrap(), Default::default(), None)
        .await
        .unwrap();
    import(&s, &ImportOptions::new(vec![parquet], "orders"))
        .await
        .expect("parquet");
    assert_eq!(
        text(rows(&s, "select order_id, total from orders order by 1").await),
        ["1|10.5", "2|20"]
    );

    let ndjson = write(
        files.path(),
        "events.ndjson",
        b"{\"id\": 1, \"kind\": \"view\"}\n{\"id\": 2, \"kind\": \"achat\"}\n",
    );
    import(&s, &ImportOptions::new(vec![ndjson], "events"))
        .await
        .expect("ndjson");
    let array = write(files.path(), "more.json", br#"[{"id": 3, "kind": "clic"}]"#);
    import(&s, &ImportOptions::new(vec![array], "events"))
        .await
        .expect("json array appends");
    assert_eq!(
        text(rows(&s, "select id, kind from events order by id").await),
        ["1|view", "2|achat", "3|clic"]
    );
}

#[tokio::test]
async fn append_maps_columns_by_name_and_replace_replaces() {
    let wh = TempWarehouse::new();
    let s = wh.engine().await.session();
    run(
        &s,
        "create table people (id bigint not null, email text, city text default 'Paris')",
    )
    .await;
    let files = tempfile::tempdir().unwrap();
    let csv = write(files.path(), "p.csv", b"email,id\na@x.fr,1\nb@x.fr,2\n");
    let mut opts = ImportOptions::new(vec![csv.clone()], "people");
    opts.mode = ImportMode::Append;
    import(&s, &opts).await.expect("append");
    import(&s, &opts).await.expect("append again");
    assert_eq!(text(rows(&s, "select count(*) from people").await), ["4"]);
    opts.mode = ImportMode::Replace;
    import(&s, &opts).await.expect("replace");
    assert_eq!(
        text(rows(&s, "select id, email from people order by id").await),
        ["1|a@x.fr", "2|b@x.fr"]
    );
    opts.mode = ImportMode::Create;
    assert!(
        import(&s, &opts).await.is_err(),
        "create mode refuses an existing table"
    );
    let extra = write(files.path(), "extra.csv", b"id,unknown\n1,2\n");
    let mut bad = ImportOptions::new(vec![extra], "people");
    bad.mode = ImportMode::Append;
    let e = import(&s, &bad).await.unwrap_err();
    assert!(e.message().contains("unknown"), "{}", e.message());
}

#[tokio::test]
async fn a_bad_line_is_reported_and_nothing_is_written() {
    let wh = TempWarehouse::new();
    let s = wh.engine().await.session();
    let files = tempfile::tempdir().unwrap();
    let csv = write(
        files.path(),
        "orders.csv",
        b"id,amount\n1,10\n2,20\n3,30\n4,oops\n5,50\n",
    );
    let mut opts = ImportOptions::new(vec![csv], "orders");
    opts.infer_rows = 2;
    opts.format = Some(FileFormat::Csv);
    let e = import(&s, &opts).await.unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("orders.csv"), "names the file: {msg}");
    assert!(msg.contains("line 5"), "names the line: {msg}");
    // The table the import would have created does not exist.
    assert!(s.warehouse().state().table("public", "orders").is_err());

    run(
        &s,
        "create table kept (id bigint, amount bigint); insert into kept values (0, 0)",
    )
    .await;
    let mut append = opts.clone();
    append.table = "kept".into();
    append.mode = ImportMode::Append;
    assert!(import(&s, &append).await.is_err());
    assert_eq!(
        text(rows(&s, "select count(*) from kept").await),
        ["1"],
        "no partial insert"
    );
}

#[tokio::test]
async fn unreadable_files_are_named() {
    let wh = TempWarehouse::new();
    let s = wh.engine().await.session();
    let files = tempfile::tempdir().unwrap();
    let corrupt = write(files.path(), "broken.parquet", b"PAR1 this is not parquet");
    let e = import(&s, &ImportOptions::new(vec![corrupt], "t"))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("broken.parquet"), "{e}");
    let missing = files.path().join("nope.csv");
    let e = import(&s, &ImportOptions::new(vec![missing], "t"))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("nope.csv"), "{e}");
    let e = import(
        &s,
        &ImportOptions::new(vec![files.path().join("x.xlsx")], "t"),
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("x.xlsx"), "{e}");
}

//! The shell's `\d` descriptions, read from the catalog.

use tessera_engine::describe;

use crate::support::{TempWarehouse, run};

#[tokio::test]
async fn describe_shows_types_defaults_keys_and_comments() {
    let wh = TempWarehouse::new();
    let s = wh.engine().await.session();
    run(
        &s,
        "create schema crm;
         create table crm.contacts (id bigint primary key, email varchar(80) not null, country text default 'FR');
         comment on column crm.contacts.email is 'Adresse e-mail';
         create view crm.v as select id, email from crm.contacts",
    )
    .await;
    let mut out = Vec::new();
    describe::relation(&s, "crm.contacts", &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    for expected in [
        "Table \"crm.contacts\"",
        "character varying(80)",
        "not null",
        "'FR'",
        "Adresse e-mail",
        "Primary key (not enforced): (id)",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    let mut out = Vec::new();
    describe::relations(&s, None, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains(" crm    | contacts | table") && text.contains(" crm    | v        | view"),
        "{text}"
    );
    let mut out = Vec::new();
    assert_eq!(
        describe::relation(&s, "nope", &mut out)
            .unwrap_err()
            .sqlstate(),
        "42P01"
    );
}

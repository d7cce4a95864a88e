//! The warehouse outlives processes: a fresh engine, or a second engine open
//! at the same time, sees what another committed.

use tessera_engine::Collected;

use crate::support::{TempWarehouse, error_state, rows, run};

#[tokio::test]
async fn restarted_engine_sees_tables_rows_views_and_comments() {
    let wh = TempWarehouse::new();
    {
        let s = wh.engine().await.session();
        run(
            &s,
            "create schema crm;
             create table crm.contacts (id bigint primary key, email varchar(80) not null, city text default 'Paris');
             insert into crm.contacts (id, email) values (1, 'zoé@example.fr');
             create view crm.parisians as select id from crm.contacts where city = 'Paris';
             comment on table crm.contacts is 'Contacts du CRM';
             comment on column crm.contacts.email is 'Adresse e-mail';
             comment on schema crm is 'CRM data'",
        )
        .await;
    }
    let engine = wh.engine().await;
    let state = engine.warehouse().state();
    let t = state.table("crm", "contacts").expect("table survives");
    assert_eq!(t.comment.as_deref(), Some("Contacts du CRM"));
    assert_eq!(t.primary_key, vec!["id".to_string()]);
    assert_eq!(t.columns[1].comment.as_deref(), Some("Adresse e-mail"));
    assert_eq!(t.columns[1].pg_type.to_string(), "character varying(80)");
    assert!(!t.columns[1].nullable);
    assert_eq!(t.columns[2].default.as_deref(), Some("'Paris'"));
    assert_eq!(state.schemas["crm"].comment.as_deref(), Some("CRM data"));
    let s = engine.session();
    assert_eq!(
        rows(&s, "select * from crm.parisians").await,
        vec![vec!["1".to_string()]]
    );
}

#[tokio::test]
async fn a_second_engine_sees_changes_without_restart() {
    let wh = TempWarehouse::new();
    let a = wh.engine().await.session();
    let b = wh.engine().await.session();
    run(
        &a,
        "create table t (id bigint, name text); insert into t values (1, 'Zoé')",
    )
    .await;
    assert_eq!(
        rows(&b, "select name from t").await,
        vec![vec!["Zoé".to_string()]]
    );
    run(&b, "update t set name = 'Zoé Dupont' where id = 1").await;
    assert_eq!(
        rows(&a, "select name from t").await,
        vec![vec!["Zoé Dupont".to_string()]]
    );
    run(&a, "drop table t").await;
    assert_eq!(error_state(&b, "select * from t").await, "42P01");
}

#[tokio::test]
async fn concurrent_catalog_changes_are_all_kept() {
    let wh = TempWarehouse::new();
    let a = wh.engine().await.session();
    let b = wh.engine().await.session();
    let create = |s: tessera_engine::Session, prefix: &'static str| async move {
        for i in 0..5 {
            s.execute_collect(&format!("create table {prefix}_{i} (x int)"))
                .await
                .expect("create succeeds despite the other writer");
        }
    };
    tokio::join!(create(a, "a"), create(b, "b"));
    let fresh = wh.engine().await;
    let state = fresh.warehouse().state();
    assert_eq!(state.schemas["public"].tables.len(), 10);
}

#[tokio::test]
async fn concurrent_inserts_into_one_table_are_all_kept() {
    let wh = TempWarehouse::new();
    let setup = wh.engine().await.session();
    run(&setup, "create table events (n bigint)").await;
    let insert = |s: tessera_engine::Session, base: i64| async move {
        for i in 0..5 {
            s.execute_collect(&format!("insert into events values ({})", base + i))
                .await
                .expect("insert succeeds despite the other writer");
        }
    };
    let a = wh.engine().await.session();
    let b = wh.engine().await.session();
    tokio::join!(insert(a, 0), insert(b, 100));
    let out = rows(&setup, "select count(*) from events").await;
    assert_eq!(out, vec![vec!["10".to_string()]]);
}

#[tokio::test]
async fn memory_warehouse_works_for_tests() {
    let engine = tessera_engine::Engine::open("memory://", &Default::default())
        .await
        .expect("memory warehouse");
    let s = engine.session();
    let out = run(
        &s,
        "create table t (a int); insert into t values (1), (2); select sum(a) from t",
    )
    .await;
    let Some(Collected::Rows(_, batches)) = out.last() else {
        panic!("no rows")
    };
    assert_eq!(batches.iter().map(|b| b.num_rows()).sum::<usize>(), 1);
}

//! The warehouse on a real S3-compatible server (s3s-fs, in process, on a
//! loopback port), through the same object_store S3 client production uses.

use std::collections::HashMap;
use std::path::Path;

use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder as ConnBuilder;
use s3s::auth::SimpleAuth;
use s3s::service::S3ServiceBuilder;
use tessera_engine::Engine;

use crate::support::{rows, run};

const KEY: &str = "tessera-test-key";
const SECRET: &str = "tessera-test-secret";

/// Starts an S3 server over `root` with bucket `bucket`; returns its endpoint.
async fn start_s3(root: &Path, bucket: &str) -> String {
    std::fs::create_dir_all(root.join(bucket)).expect("bucket folder");
    let fs = s3s_fs::FileSystem::new(root).expect("s3s-fs root");
    let mut builder = S3ServiceBuilder::new(fs);
    builder.set_auth(SimpleAuth::from_single(KEY, SECRET));
    let service = builder.build();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move {
        let http = ConnBuilder::new(TokioExecutor::new());
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                break;
            };
            let conn = http
                .serve_connection(TokioIo::new(socket), service.clone())
                .into_owned();
            tokio::spawn(async move {
                let _ = conn.await;
            });
        }
    });
    format!("http://{addr}")
}

fn options(endpoint: &str) -> HashMap<String, String> {
    [
        ("aws_endpoint", endpoint),
        ("aws_allow_http", "true"),
        ("aws_access_key_id", KEY),
        ("aws_secret_access_key", SECRET),
        ("aws_region", "us-east-1"),
        ("aws_virtual_hosted_style_request", "false"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warehouse_on_s3_compatible_storage() {
    let root = tempfile::tempdir().unwrap();
    let endpoint = start_s3(root.path(), "lake").await;
    let opts = options(&endpoint);
    {
        let engine = Engine::open("s3://lake/tessera", &opts)
            .await
            .expect("open on S3");
        let s = engine.session();
        run(
            &s,
            "create schema crm;
             create table crm.contacts (id bigint primary key, email text not null, city text);
             insert into crm.contacts values (1, 'zoé@example.fr', 'Paris'), (2, 'hugo@example.fr', 'Lyon');
             update crm.contacts set city = 'Marseille' where id = 1;
             delete from crm.contacts where id = 2;
             create view crm.v as select id, city from crm.contacts;
             alter table crm.contacts rename to people",
        )
        .await;
    }
    // A new process on the same bucket sees it all.
    let engine = Engine::open("s3://lake/tessera", &opts)
        .await
        .expect("reopen");
    let s = engine.session();
    assert_eq!(
        rows(&s, "select id, email, city from crm.people").await,
        vec![vec![
            "1".to_string(),
            "zoé@example.fr".into(),
            "Marseille".into()
        ]]
    );
    run(
        &s,
        "merge into crm.people p using (select 3 as id, 'lea@example.fr' as email, 'Nantes' as city) s
         on p.id = s.id when not matched then insert values (s.id, s.email, s.city)",
    )
    .await;
    assert_eq!(
        rows(&s, "select count(*) from crm.people").await,
        vec![vec!["2".to_string()]]
    );
    // The data really is Parquet plus a Delta log in the bucket, under schema/table.
    let table_dir = root.path().join("lake/tessera/crm/people");
    let files: Vec<String> = std::fs::read_dir(&table_dir)
        .expect("table folder in the bucket")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(files.iter().any(|f| f.ends_with(".parquet")), "{files:?}");
    assert!(files.iter().any(|f| f == "_delta_log"), "{files:?}");
    // The old location holds no objects any more (s3s-fs may leave empty folders).
    assert_eq!(
        count_files(&root.path().join("lake/tessera/crm/contacts")),
        0,
        "renamed data moved"
    );
    assert!(root.path().join("lake/tessera/_tessera/catalog").is_dir());
}

fn count_files(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .map(|e| e.expect("entry").path())
        .map(|p| if p.is_dir() { count_files(&p) } else { 1 })
        .sum()
}

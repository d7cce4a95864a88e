//! The planner sees whole-table column statistics from the Delta log
//! (`catalog/src/column_stats.rs`), so its join estimates keep a small
//! dimension table on the hash join's build side.

use crate::support::{TempWarehouse, rows, run};

/// The physical plan of `sql` as EXPLAIN prints it, with statistics.
async fn physical_plan(session: &tessera_engine::Session, sql: &str) -> String {
    run(session, "SET datafusion.explain.show_statistics = true").await;
    rows(session, &format!("EXPLAIN {sql}"))
        .await
        .into_iter()
        .filter(|r| r[0] == "physical_plan")
        .map(|r| r[1].clone())
        .collect()
}

#[tokio::test]
async fn join_keys_have_statistics_and_the_dimension_is_built() {
    let wh = TempWarehouse::new();
    let session = wh.engine().await.session();
    for sql in [
        "CREATE TABLE products (product_id bigint, category text)",
        "INSERT INTO products SELECT g, 'cat' || (g % 3) FROM generate_series(1, 10) g",
        "CREATE TABLE contacts (contact_id bigint, source text)",
        "INSERT INTO contacts SELECT g, 'src' || (g % 4) FROM generate_series(1, 1000) g",
        "CREATE TABLE items (contact_id bigint, product_id bigint, quantity int)",
        // Two commits: two files, whose statistics the table's combine.
        "INSERT INTO items SELECT 1 + g % 1000, 1 + g % 10, 1 FROM generate_series(0, 9999) g",
        "INSERT INTO items SELECT 1 + g % 1000, 1 + g % 10, 2 FROM generate_series(10000, 19999) g",
    ] {
        run(&session, sql).await;
    }
    let plan = physical_plan(
        &session,
        "SELECT p.category, c.source, sum(i.quantity) \
         FROM items i JOIN products p ON p.product_id = i.product_id \
         JOIN contacts c ON c.contact_id = i.contact_id GROUP BY 1, 2",
    )
    .await;
    // The items scan knows its keys' bounds over both files.
    let items_scan = plan
        .lines()
        .find(|l| l.contains("DataSourceExec") && l.contains("/items/"))
        .expect("items scan");
    assert!(
        items_scan.contains("Min=Inexact(Int64(1)) Max=Inexact(Int64(1000))"),
        "{items_scan}"
    );
    // Without them, items ⋈ products was estimated at 10 rows (the smaller
    // input) and became the build side of the join with contacts' 1 000
    // rows; now the first (build) input of that join is the contacts scan.
    let lines: Vec<&str> = plan.lines().collect();
    let join = lines
        .iter()
        .position(|l| l.contains("HashJoinExec") && l.contains("contact_id"))
        .expect("join on contact_id");
    let build_scan = lines[join..]
        .iter()
        .find(|l| l.contains("DataSourceExec"))
        .expect("a scan under the join");
    assert!(build_scan.contains("/contacts/"), "{plan}");

    // The warehouse keeps the statistics per table version: a write is seen.
    run(&session, "INSERT INTO items VALUES (5000, 1, 1)").await;
    let plan = physical_plan(
        &session,
        "SELECT count(DISTINCT contact_id) FROM items WHERE quantity > 0",
    )
    .await;
    let items_scan = plan
        .lines()
        .find(|l| l.contains("DataSourceExec") && l.contains("/items/"))
        .expect("items scan");
    assert!(
        items_scan.contains("Max=Inexact(Int64(5000))"),
        "{items_scan}"
    );
}

/// `LEFT JOIN (SELECT DISTINCT k …)` runs as a mark join, with no
/// aggregate (engine/src/optimize/mark_join.rs); its answers are checked
/// against PostgreSQL in tests/slt/plans/analytics_rewrites.slt.
#[tokio::test]
async fn a_left_join_to_distinct_keys_is_a_mark_join() {
    let wh = TempWarehouse::new();
    let session = wh.engine().await.session();
    for sql in [
        "CREATE TABLE c (id bigint, src text)",
        "INSERT INTO c SELECT g, 'src' || (g % 4) FROM generate_series(1, 100) g",
        "CREATE TABLE o (cid bigint, st text)",
        "INSERT INTO o SELECT g % 150, 'paid' FROM generate_series(1, 1000) g",
    ] {
        run(&session, sql).await;
    }
    let plan = physical_plan(
        &session,
        "SELECT c.src, count(*) FILTER (WHERE b.cid IS NOT NULL) FROM c \
         LEFT JOIN (SELECT DISTINCT cid FROM o WHERE st <> 'x') b ON b.cid = c.id GROUP BY 1",
    )
    .await;
    assert!(plan.contains("Mark"), "{plan}");
    let aggregates = plan.lines().filter(|l| l.contains("AggregateExec")).count();
    // Only the GROUP BY src (partial and final): no DISTINCT aggregate.
    assert_eq!(aggregates, 2, "{plan}");
}

-- note: Metabase PostgreSQL driver: add-database test + metadata sync (sync-tables, sync-timezone, sync-fields, sync-fks), pgjdbc 42.7.x, PostgreSQL 15 server.
-- note: Metabase source: metabase/metabase src/metabase/driver/postgres.clj and src/metabase/driver/sql_jdbc/** (stored version with driver-api namespace, describe-fields-pre-process-xf).
-- note: HoneySQL queries rendered with HoneySQL 2.x (:dialect :ansi); pgjdbc sends them as extended-protocol prepared statements with $n parameters, substituted with literals here.
-- note: Each do-with-connection-with-options checkout is wrapped as: SET ... READ UNCOMMITTED, BEGIN READ ONLY, <queries>, ROLLBACK, SET ... READ COMMITTED.
-- note: Not included: index sync (disabled in Metabase: #_:index-info), fingerprint/field-values data queries, optional SET ROLE (impersonation) and SET SESSION TIMEZONE TO '<report tz>'; (only with a report timezone).
-- note: Replay file format. Statements are separated by a line containing only `-- next`.
-- note: Each statement starts with header lines beginning with `-- source:`, `-- purpose:` or `-- note:`;
-- note: everything after those header lines, up to (not including) the newline before `-- next`
-- note: (or end of file), is the statement text exactly as the client sends it (leading blank lines,
-- note: trailing spaces and embedded `--` comments included). Send it as one Query message.
-- note: Concrete values: database tessera, user tessera, schema public, table customers
-- note: (id bigint primary key, email text, city text).
-- source: pgjdbc/pgjdbc@REL42.7.13/pgjdbc/src/main/java/org/postgresql/core/v3/ConnectionFactoryImpl.java (runInitialQueries) <- metabase/metabase/src/metabase/db/spec.clj (spec :postgres, :ApplicationName)
-- purpose: first statement on every new physical connection: pgjdbc sends ApplicationName as SET because assumeMinServerVersion is unset (no extra_float_digits SET for servers >= 12)
-- note: value is config/mb-version-and-process-identifier: `Metabase <version> [<process uuid>]`; version/uuid vary per install
SET application_name = 'Metabase v0.56.0 [3f1c9a52-7d4e-4b8a-9c61-2e5f0b7a8d14]'
-- next
-- source: metabase/metabase/src/metabase/driver/sql_jdbc/connection.clj (can-connect-with-spec?, can-connect?)
-- purpose: "test connection" when the database is added/saved (plain clojure.java.jdbc query, autocommit)
SELECT 1
-- next
-- source: pgjdbc/pgjdbc@REL42.7.13/pgjdbc/src/main/java/org/postgresql/jdbc/PgConnection.java (getTransactionIsolation) <- c3p0 pool acquiring a new connection
-- purpose: c3p0 records the connection's default isolation level when it adds a connection to Metabase's per-database pool
SHOW TRANSACTION ISOLATION LEVEL
-- next
-- source: pgjdbc/pgjdbc@REL42.7.13/pgjdbc/src/main/java/org/postgresql/jdbc/PgConnection.java (getCatalog) <- c3p0 pool acquiring a new connection
-- purpose: c3p0 records the connection's default catalog (pgjdbc 42.7 queries it lazily)
select current_catalog
-- next
-- source: pgjdbc/pgjdbc@REL42.7.13/pgjdbc/src/main/java/org/postgresql/jdbc/PgConnection.java (setTransactionIsolation) <- metabase/metabase/src/metabase/driver/sql_jdbc/execute.clj (set-best-transaction-level!, do-with-connection-with-options)
-- purpose: Metabase sets the least-locking isolation level on every pooled-connection checkout (sync-tables / describe-database)
SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ UNCOMMITTED
-- next
-- source: pgjdbc/pgjdbc@REL42.7.13/pgjdbc/src/main/java/org/postgresql/core/v3/QueryExecutorImpl.java (beginReadOnlyTransactionQuery) <- metabase/metabase/src/metabase/driver/sql_jdbc/execute.clj (do-with-connection-with-options: .setReadOnly true, .setAutoCommit false)
-- purpose: implicit transaction start sent with the first query of the checkout (sync-tables / describe-database); readOnlyMode=transaction is the pgjdbc default
BEGIN READ ONLY
-- next
-- source: pgjdbc/pgjdbc@REL42.7.13/pgjdbc/src/main/java/org/postgresql/jdbc/PgDatabaseMetaData.java (getSchemas) <- metabase/metabase/src/metabase/driver/sql_jdbc/sync/describe_database.clj (all-schemas, filtered-syncable-schemas)
-- purpose: list schemas; Metabase drops information_schema/pg_catalog (excluded-schemas :postgres) and applies schema filters -> syncable schemas = [public]
-- note: pgjdbc-generated SQL (DatabaseMetaData.getSchemas()), sent as a prepared statement; included because it is the first metadata query of every sync
SELECT nspname AS "TABLE_SCHEM", current_database() AS "TABLE_CATALOG" FROM pg_catalog.pg_namespace  WHERE nspname <> 'pg_toast' AND (nspname !~ '^pg_temp_'  OR nspname = (pg_catalog.current_schemas(true))[1]) AND (nspname !~ '^pg_toast_temp_'  OR nspname = replace((pg_catalog.current_schemas(true))[1], 'pg_temp_', 'pg_toast_temp_'))  ORDER BY "TABLE_SCHEM"
-- next
-- source: metabase/metabase/src/metabase/driver/postgres.clj (sql-jdbc.sync/current-user-table-privileges :postgres) <- metabase/metabase/src/metabase/driver/sql_jdbc/sync/describe_database.clj (build-privilege-map, have-privilege-fn)
-- purpose: table-privileges check that replaces the per-table have-select-privilege? probe: which tables the user may select/insert/update/delete
with table_privileges as (
 select
   NULL as role,
   t.schemaname as schema,
   t.objectname as table,
   pg_catalog.has_any_column_privilege(current_user, '"' || replace(t.schemaname, '"', '""') || '"' || '.' || '"' || replace(t.objectname, '"', '""') || '"',  'update') as update,
   pg_catalog.has_any_column_privilege(current_user, '"' || replace(t.schemaname, '"', '""') || '"' || '.' || '"' || replace(t.objectname, '"', '""') || '"',  'select') as select,
   pg_catalog.has_any_column_privilege(current_user, '"' || replace(t.schemaname, '"', '""') || '"' || '.' || '"' || replace(t.objectname, '"', '""') || '"',  'insert') as insert,
   pg_catalog.has_table_privilege(     current_user, '"' || replace(t.schemaname, '"', '""') || '"' || '.' || '"' || replace(t.objectname, '"', '""') || '"',  'delete') as delete
 from (
   select schemaname, tablename as objectname from pg_catalog.pg_tables
   union
   select schemaname, viewname as objectname from pg_catalog.pg_views
   union
   select schemaname, matviewname as objectname from pg_catalog.pg_matviews
 ) t
 where t.schemaname !~ '^pg_'
   and t.schemaname <> 'information_schema'
   and pg_catalog.has_schema_privilege(current_user, t.schemaname, 'usage')
)
select t.*
from table_privileges t
-- next
-- source: metabase/metabase/src/metabase/driver/postgres.clj (get-tables-sql, get-tables, describe-syncable-tables, driver/describe-database* :postgres)
-- purpose: list syncable tables/views/matviews of the syncable schemas with comments and pg_stat row estimates
-- note: HoneySQL output; pgjdbc sends it as a prepared statement with $1..$4 = 0, '^pg_', 'information_schema', 'public' (substituted here)
SELECT "n"."nspname" AS "schema", "c"."relname" AS "name", CASE "c"."relkind" WHEN 'r' THEN 'TABLE' WHEN 'p' THEN 'PARTITIONED TABLE' WHEN 'v' THEN 'VIEW' WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE NULL END AS "type", "d"."description" AS "description", "stat"."n_live_tup" AS "estimated_row_count" FROM "pg_catalog"."pg_class" AS "c" INNER JOIN "pg_catalog"."pg_namespace" AS "n" ON "c"."relnamespace" = "n"."oid" LEFT JOIN "pg_catalog"."pg_description" AS "d" ON ("c"."oid" = "d"."objoid") AND ("d"."objsubid" = 0) AND ("d"."classoid" = 'pg_class'::regclass) LEFT JOIN "pg_stat_user_tables" AS "stat" ON ("n"."nspname" = "stat"."schemaname") AND ("c"."relname" = "stat"."relname") WHERE ("c"."relnamespace" = "n"."oid") AND ("n"."nspname" !~ '^pg_') AND ("n"."nspname" <> 'information_schema') AND c.relkind in ('r', 'p', 'v', 'f', 'm') AND ("n"."nspname" IN ('public')) ORDER BY "type" ASC, "schema" ASC, "name" ASC
-- next
-- source: pgjdbc/pgjdbc@REL42.7.13/pgjdbc/src/main/java/org/postgresql/jdbc/PgConnection.java (rollback) <- c3p0 check-in of the Metabase pooled connection (autoCommitOnClose=false default)
-- purpose: uncommitted read-only transaction is rolled back when the connection is returned to the pool (sync-tables)
ROLLBACK
-- next
-- source: pgjdbc/pgjdbc@REL42.7.13/pgjdbc/src/main/java/org/postgresql/jdbc/PgConnection.java (setTransactionIsolation) <- c3p0 connection reset on check-in
-- purpose: c3p0 restores the connection's original isolation level on check-in (sync-tables)
SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED
-- next
-- source: pgjdbc/pgjdbc@REL42.7.13/pgjdbc/src/main/java/org/postgresql/jdbc/PgConnection.java (setTransactionIsolation) <- metabase/metabase/src/metabase/driver/sql_jdbc/execute.clj (set-best-transaction-level!, do-with-connection-with-options)
-- purpose: Metabase sets the least-locking isolation level on every pooled-connection checkout (sync-timezone)
SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ UNCOMMITTED
-- next
-- source: pgjdbc/pgjdbc@REL42.7.13/pgjdbc/src/main/java/org/postgresql/core/v3/QueryExecutorImpl.java (beginReadOnlyTransactionQuery) <- metabase/metabase/src/metabase/driver/sql_jdbc/execute.clj (do-with-connection-with-options: .setReadOnly true, .setAutoCommit false)
-- purpose: implicit transaction start sent with the first query of the checkout (sync-timezone); readOnlyMode=transaction is the pgjdbc default
BEGIN READ ONLY
-- next
-- source: metabase/metabase/src/metabase/driver/postgres.clj (driver/db-default-timezone :postgres) <- sync-timezone step
-- purpose: read the database default time zone (SHOW TIME ZONE)
show timezone;
-- next
-- source: pgjdbc/pgjdbc@REL42.7.13/pgjdbc/src/main/java/org/postgresql/jdbc/PgConnection.java (rollback) <- c3p0 check-in of the Metabase pooled connection (autoCommitOnClose=false default)
-- purpose: uncommitted read-only transaction is rolled back when the connection is returned to the pool (sync-timezone)
ROLLBACK
-- next
-- source: pgjdbc/pgjdbc@REL42.7.13/pgjdbc/src/main/java/org/postgresql/jdbc/PgConnection.java (setTransactionIsolation) <- c3p0 connection reset on check-in
-- purpose: c3p0 restores the connection's original isolation level on check-in (sync-timezone)
SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED
-- next
-- source: metabase/metabase/src/metabase/driver/postgres.clj (enum-types) <- sql-jdbc.sync/describe-fields-pre-process-xf :postgres, driver/dynamic-database-types-lookup :postgres
-- purpose: find user-defined enum types so enum columns get base type :type/PostgresEnum (plain clojure.java.jdbc query on the pooled spec, autocommit)
SELECT nspname, typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.oid IN (SELECT DISTINCT enumtypid FROM pg_enum e)
-- next
-- source: pgjdbc/pgjdbc@REL42.7.13/pgjdbc/src/main/java/org/postgresql/jdbc/PgConnection.java (setTransactionIsolation) <- metabase/metabase/src/metabase/driver/sql_jdbc/execute.clj (set-best-transaction-level!, do-with-connection-with-options)
-- purpose: Metabase sets the least-locking isolation level on every pooled-connection checkout (sync-fields)
SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ UNCOMMITTED
-- next
-- source: pgjdbc/pgjdbc@REL42.7.13/pgjdbc/src/main/java/org/postgresql/core/v3/QueryExecutorImpl.java (beginReadOnlyTransactionQuery) <- metabase/metabase/src/metabase/driver/sql_jdbc/execute.clj (do-with-connection-with-options: .setReadOnly true, .setAutoCommit false)
-- purpose: implicit transaction start sent with the first query of the checkout (sync-fields); readOnlyMode=transaction is the pgjdbc default
BEGIN READ ONLY
-- next
-- source: metabase/metabase/src/metabase/driver/postgres.clj (sql-jdbc.sync/describe-fields-sql :postgres) <- metabase/metabase/src/metabase/driver/sql_jdbc/sync/describe_table.clj (describe-fields) <- sync-fields (:schema-names [public])
-- purpose: column list with database type, position, PK flag, comment, required/auto-increment flags for all tables (information_schema) and materialized views (pg_attribute)
-- note: HoneySQL output; pgjdbc sends it as a prepared statement with $1, $2 = 'public', 'public' (substituted here)
SELECT "c"."column_name" AS "name", CASE WHEN "c"."udt_schema" IN ('public', 'pg_catalog') THEN FORMAT('%s', "c"."udt_name") ELSE FORMAT('"%s"."%s"', "c"."udt_schema", "c"."udt_name") END AS "database-type", "c"."ordinal_position" - 1 AS "database-position", "c"."table_schema" AS "table-schema", "c"."table_name" AS "table-name", "pk"."column_name" IS NOT NULL AS "pk?", COL_DESCRIPTION(CAST(CAST(FORMAT('%I.%I', CAST("c"."table_schema" AS TEXT), CAST("c"."table_name" AS TEXT)) AS REGCLASS) AS OID), "c"."ordinal_position") AS "field-comment", (("column_default" IS NULL) OR (LOWER("column_default") = 'null')) AND ("is_nullable" = 'NO') AND NOT ((("column_default" IS NOT NULL) AND ("column_default" LIKE '%nextval(%')) OR ("is_identity" <> 'NO')) AS "database-required", (("column_default" IS NOT NULL) AND ("column_default" LIKE '%nextval(%')) OR ("is_identity" <> 'NO') AS "database-is-auto-increment" FROM "information_schema"."columns" AS "c" LEFT JOIN (SELECT "tc"."table_schema", "tc"."table_name", "kc"."column_name" FROM "information_schema"."table_constraints" AS "tc" INNER JOIN "information_schema"."key_column_usage" AS "kc" ON ("tc"."constraint_name" = "kc"."constraint_name") AND ("tc"."table_schema" = "kc"."table_schema") AND ("tc"."table_name" = "kc"."table_name") WHERE "tc"."constraint_type" = 'PRIMARY KEY') AS "pk" ON ("c"."table_schema" = "pk"."table_schema") AND ("c"."table_name" = "pk"."table_name") AND ("c"."column_name" = "pk"."column_name") WHERE c.table_schema !~ '^information_schema|catalog_history|pg_' AND ("c"."table_schema" IN ('public')) UNION ALL SELECT "pa"."attname" AS "name", CASE WHEN "ptn"."nspname" IN ('public', 'pg_catalog') THEN FORMAT('%s', "pt"."typname") ELSE FORMAT('"%s"."%s"', "ptn"."nspname", "pt"."typname") END AS "database-type", "pa"."attnum" - 1 AS "database-position", "pn"."nspname" AS "table-schema", "pc"."relname" AS "table-name", FALSE AS "pk?", NULL AS "field-comment", FALSE AS "database-required", FALSE AS "database-is-auto-increment" FROM "pg_catalog"."pg_class" AS "pc" INNER JOIN "pg_catalog"."pg_namespace" AS "pn" ON "pn"."oid" = "pc"."relnamespace" INNER JOIN "pg_catalog"."pg_attribute" AS "pa" ON "pa"."attrelid" = "pc"."oid" INNER JOIN "pg_catalog"."pg_type" AS "pt" ON "pt"."oid" = "pa"."atttypid" INNER JOIN "pg_catalog"."pg_namespace" AS "ptn" ON "ptn"."oid" = "pt"."typnamespace" WHERE ("pc"."relkind" = 'm') AND ("pa"."attnum" >= 1) AND ("pn"."nspname" IN ('public')) ORDER BY "table-schema" ASC, "table-name" ASC, "database-position" ASC
-- next
-- source: pgjdbc/pgjdbc@REL42.7.13/pgjdbc/src/main/java/org/postgresql/jdbc/PgConnection.java (rollback) <- c3p0 check-in of the Metabase pooled connection (autoCommitOnClose=false default)
-- purpose: uncommitted read-only transaction is rolled back when the connection is returned to the pool (sync-fields)
ROLLBACK
-- next
-- source: pgjdbc/pgjdbc@REL42.7.13/pgjdbc/src/main/java/org/postgresql/jdbc/PgConnection.java (setTransactionIsolation) <- c3p0 connection reset on check-in
-- purpose: c3p0 restores the connection's original isolation level on check-in (sync-fields)
SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED
-- next
-- source: pgjdbc/pgjdbc@REL42.7.13/pgjdbc/src/main/java/org/postgresql/jdbc/PgConnection.java (setTransactionIsolation) <- metabase/metabase/src/metabase/driver/sql_jdbc/execute.clj (set-best-transaction-level!, do-with-connection-with-options)
-- purpose: Metabase sets the least-locking isolation level on every pooled-connection checkout (sync-fks)
SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ UNCOMMITTED
-- next
-- source: pgjdbc/pgjdbc@REL42.7.13/pgjdbc/src/main/java/org/postgresql/core/v3/QueryExecutorImpl.java (beginReadOnlyTransactionQuery) <- metabase/metabase/src/metabase/driver/sql_jdbc/execute.clj (do-with-connection-with-options: .setReadOnly true, .setAutoCommit false)
-- purpose: implicit transaction start sent with the first query of the checkout (sync-fks); readOnlyMode=transaction is the pgjdbc default
BEGIN READ ONLY
-- next
-- source: metabase/metabase/src/metabase/driver/postgres.clj (sql-jdbc.sync/describe-fks-sql :postgres) <- metabase/metabase/src/metabase/driver/sql_jdbc/sync/describe_table.clj (describe-fks) <- sync-fks
-- purpose: foreign keys of all tables in the syncable schemas
-- note: HoneySQL output; pgjdbc sends it as a prepared statement with $1 = 'public' (substituted here)
SELECT "fk_ns"."nspname" AS "fk-table-schema", "fk_table"."relname" AS "fk-table-name", "fk_column"."attname" AS "fk-column-name", "pk_ns"."nspname" AS "pk-table-schema", "pk_table"."relname" AS "pk-table-name", "pk_column"."attname" AS "pk-column-name" FROM "pg_constraint" AS "c" INNER JOIN "pg_class" AS "fk_table" ON "c"."conrelid" = "fk_table"."oid" INNER JOIN "pg_namespace" AS "fk_ns" ON "c"."connamespace" = "fk_ns"."oid" INNER JOIN "pg_attribute" AS "fk_column" ON "c"."conrelid" = "fk_column"."attrelid" INNER JOIN "pg_class" AS "pk_table" ON "c"."confrelid" = "pk_table"."oid" INNER JOIN "pg_namespace" AS "pk_ns" ON "pk_table"."relnamespace" = "pk_ns"."oid" INNER JOIN "pg_attribute" AS "pk_column" ON "c"."confrelid" = "pk_column"."attrelid" WHERE fk_ns.nspname !~ '^information_schema|catalog_history|pg_' AND ("c"."contype" = 'f'::char) AND ("fk_column"."attnum" = ANY(c.conkey)) AND ("pk_column"."attnum" = ANY(c.confkey)) AND ("fk_ns"."nspname" IN ('public')) ORDER BY "fk-table-schema" ASC, "fk-table-name" ASC
-- next
-- source: pgjdbc/pgjdbc@REL42.7.13/pgjdbc/src/main/java/org/postgresql/jdbc/PgConnection.java (rollback) <- c3p0 check-in of the Metabase pooled connection (autoCommitOnClose=false default)
-- purpose: uncommitted read-only transaction is rolled back when the connection is returned to the pool (sync-fks)
ROLLBACK
-- next
-- source: pgjdbc/pgjdbc@REL42.7.13/pgjdbc/src/main/java/org/postgresql/jdbc/PgConnection.java (setTransactionIsolation) <- c3p0 connection reset on check-in
-- purpose: c3p0 restores the connection's original isolation level on check-in (sync-fks)
SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED
-- next
-- source: metabase/metabase/src/metabase/driver/sql_jdbc/sync/describe_database.clj (simple-select-probe-query, have-select-privilege?) <- have-privilege-fn
-- purpose: SELECT-privilege probe; with the :table-privileges feature Postgres only sends it for FOREIGN TABLEs (or when the privileges query is unavailable), once per such table
-- note: conditional: not sent for an ordinary table like public.customers; rendered for it here as Metabase's own tests expect
SELECT TRUE AS "_" FROM "public"."customers" WHERE 1 <> 1 LIMIT 0

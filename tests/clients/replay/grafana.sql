-- note: Grafana core PostgreSQL data source (grafana-postgresql-datasource): health check, feature auto-detection and query-builder metadata.
-- note: Frontend meta-queries are posted as rawSql to /api/ds/query; the backend (pgx) runs them verbatim with PgConn.Exec (simple protocol) after macro interpolation (none apply here).
-- note: pgx/lib/pq send no SQL of their own on connect.
-- note: Replay file format. Statements are separated by a line containing only `-- next`.
-- note: Each statement starts with header lines beginning with `-- source:`, `-- purpose:` or `-- note:`;
-- note: everything after those header lines, up to (not including) the newline before `-- next`
-- note: (or end of file), is the statement text exactly as the client sends it (leading blank lines,
-- note: trailing spaces and embedded `--` comments included). Send it as one Query message.
-- note: Concrete values: database tessera, user tessera, schema public, table customers
-- note: (id bigint primary key, email text, city text).
-- source: jackc/pgx v5 pgconn/pgconn.go (PgConn.Ping) <- pgxpool.Pool.Ping <- grafana/grafana/pkg/tsdb/grafana-postgresql-datasource/sqleng/sql_engine.go (DataSourceHandler.Ping, CheckHealth)
-- purpose: "Save & test" health check, Grafana >= 12.4 (pgx is the only driver; simple Query containing only a comment -> EmptyQueryResponse)
-- note: the whole statement is the comment line `-- ping`
-- ping
-- next
-- source: lib/pq conn_go18.go (conn.Ping) <- database/sql DB.Ping <- grafana/grafana/pkg/tsdb/grafana-postgresql-datasource/sqleng/handler_checkhealth.go (CheckHealth -> e.Ping)
-- purpose: "Save & test" health check in Grafana <= 12.3 (lib/pq driver, the default before the postgresDSUsePGX toggle was removed)
;
-- next
-- source: grafana/grafana/public/app/plugins/datasource/grafana-postgresql-datasource/postgresMetaQuery.ts (getVersion) <- grafana/grafana/public/app/plugins/datasource/grafana-postgresql-datasource/datasource.ts (PostgresDatasource.getVersion) <- configuration/useAutoDetectFeatures.ts
-- purpose: version auto-detection when a new data source is configured
SELECT current_setting('server_version_num')::int/100 as version
-- next
-- source: grafana/grafana/public/app/plugins/datasource/grafana-postgresql-datasource/postgresMetaQuery.ts (getTimescaleDBVersion) <- grafana/grafana/public/app/plugins/datasource/grafana-postgresql-datasource/datasource.ts (getTimescaleDBVersion) <- configuration/useAutoDetectFeatures.ts
-- purpose: TimescaleDB detection (sent when version >= 906 and timescaledb is not yet enabled)
SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'
-- next
-- source: grafana/grafana/public/app/plugins/datasource/grafana-postgresql-datasource/postgresMetaQuery.ts (showTables, buildSchemaConstraint) <- grafana/grafana/public/app/plugins/datasource/grafana-postgresql-datasource/datasource.ts (fetchTables; getDB().tables / lookup)
-- purpose: table list for the query builder and SQL autocompletion (tables on the search_path unqualified, others schema-qualified)
SELECT
    CASE WHEN 
          quote_ident(table_schema) IN (
          SELECT
            CASE WHEN trim(s[i]) = '"$user"' THEN user ELSE trim(s[i]) END
          FROM
            generate_series(
              array_lower(string_to_array(current_setting('search_path'),','),1),
              array_upper(string_to_array(current_setting('search_path'),','),1)
            ) as i,
            string_to_array(current_setting('search_path'),',') s
          )
      THEN quote_ident(table_name)
      ELSE quote_ident(table_schema) || '.' || quote_ident(table_name)
    END AS "table"
    FROM information_schema.tables
    WHERE quote_ident(table_schema) NOT IN ('information_schema',
                             'pg_catalog',
                             '_timescaledb_cache',
                             '_timescaledb_catalog',
                             '_timescaledb_internal',
                             '_timescaledb_config',
                             'timescaledb_information',
                             'timescaledb_experimental')
    ORDER BY CASE WHEN 
          quote_ident(table_schema) IN (
          SELECT
            CASE WHEN trim(s[i]) = '"$user"' THEN user ELSE trim(s[i]) END
          FROM
            generate_series(
              array_lower(string_to_array(current_setting('search_path'),','),1),
              array_upper(string_to_array(current_setting('search_path'),','),1)
            ) as i,
            string_to_array(current_setting('search_path'),',') s
          ) THEN 0 ELSE 1 END, 1
-- next
-- source: grafana/grafana/public/app/plugins/datasource/grafana-postgresql-datasource/postgresMetaQuery.ts (getSchema, buildSchemaConstraint) <- grafana/grafana/public/app/plugins/datasource/grafana-postgresql-datasource/datasource.ts (fetchFields; getDB().fields) with table 'customers'
-- purpose: column names and data types of the selected table
SELECT quote_ident(column_name) AS "column", data_type AS "type"
    FROM information_schema.columns
    WHERE
      CASE WHEN array_length(parse_ident('customers'),1) = 2
        THEN quote_ident(table_schema) = (parse_ident('customers'))[1]
          AND quote_ident(table_name) = (parse_ident('customers'))[2]
        ELSE quote_ident(table_name) = 'customers'
          AND 
          quote_ident(table_schema) IN (
          SELECT
            CASE WHEN trim(s[i]) = '"$user"' THEN user ELSE trim(s[i]) END
          FROM
            generate_series(
              array_lower(string_to_array(current_setting('search_path'),','),1),
              array_upper(string_to_array(current_setting('search_path'),','),1)
            ) as i,
            string_to_array(current_setting('search_path'),',') s
          )
      END
-- next
-- source: grafana/grafana/public/app/plugins/datasource/grafana-postgresql-datasource/postgresMetaQuery.ts (showSchemas)
-- purpose: schema list (defined and tested in postgresMetaQuery.ts of current Grafana; used by the schema-aware table picker)
-- note: its caller was not found in the stored datasource.ts version, which still used showTables() without a schema
SELECT schema_name AS "name"
    FROM information_schema.schemata
    WHERE schema_name NOT IN ('information_schema',
                              'pg_catalog',
                              'pg_toast',
                              '_timescaledb_cache',
                              '_timescaledb_catalog',
                              '_timescaledb_internal',
                              '_timescaledb_config',
                              'timescaledb_information',
                              'timescaledb_experimental')
    ORDER BY schema_name
-- next
-- source: grafana/grafana/public/app/plugins/datasource/grafana-postgresql-datasource/postgresMetaQuery.ts (showTables with schema 'public')
-- purpose: table list of one schema (schema-aware table picker)
-- note: same caveat as showSchemas
SELECT quote_ident(table_name) AS "table"
      FROM information_schema.tables
      WHERE quote_ident(table_schema) = 'public'
      ORDER BY 1

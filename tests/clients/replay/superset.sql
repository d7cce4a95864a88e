-- note: Apache Superset 6.x PostgreSQL engine spec: database test + schema/table/column browsing (SQL Lab, dataset creation).
-- note: Superset pins sqlalchemy>=1.4,<2 and psycopg2-binary==2.9.9, so this is SQLAlchemy 1.4.54's PostgreSQL dialect (see sqlalchemy2.sql for SQLAlchemy 2.0).
-- note: Captured from the wire (PostgreSQL 15.18 csvlog, log_statement=all) while running the same SQLAlchemy/Superset calls; psycopg2 interpolates parameters client-side, so the text is exact.
-- note: Superset creates its engine with NullPool, so every inspector call opens a new connection that repeats the init sequence (first 9 statements) before its BEGIN ... ROLLBACK block; the repeats are omitted here.
-- note: Replay file format. Statements are separated by a line containing only `-- next`.
-- note: Each statement starts with header lines beginning with `-- source:`, `-- purpose:` or `-- note:`;
-- note: everything after those header lines, up to (not including) the newline before `-- next`
-- note: (or end of file), is the statement text exactly as the client sends it (leading blank lines,
-- note: trailing spaces and embedded `--` comments included). Send it as one Query message.
-- note: Concrete values: database tessera, user tessera, schema public, table customers
-- note: (id bigint primary key, email text, city text).
-- source: psycopg2/psycopg2@2.9.9/psycopg/connection_int.c (implicit BEGIN: autocommit off) <- psycopg2/psycopg2@2.9.9/lib/extras.py (HstoreAdapter.get_oids)
-- purpose: psycopg2 opens a transaction before the hstore OID lookup
BEGIN
-- next
-- source: psycopg2/psycopg2@2.9.9/lib/extras.py (HstoreAdapter.get_oids) <- sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/dialects/postgresql/psycopg2.py (PGDialect_psycopg2.on_connect, _hstore_oids; use_native_hstore=True default)
-- purpose: look up the hstore type OIDs on every new DBAPI connection
SELECT t.oid, typarray
FROM pg_type t JOIN pg_namespace ns
    ON typnamespace = ns.oid
WHERE typname = 'hstore';

-- next
-- source: psycopg2/psycopg2@2.9.9/lib/extras.py (HstoreAdapter.get_oids: conn.rollback())
-- purpose: get_oids restores the connection state
ROLLBACK
-- next
-- source: psycopg2/psycopg2@2.9.9 (implicit BEGIN) <- sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/engine/default.py (DefaultDialect.initialize, first connect)
-- purpose: transaction opened for dialect initialisation
BEGIN
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect._get_server_version_info)
-- purpose: server version check during dialect initialisation
select pg_catalog.version()
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect._get_default_schema_name)
-- purpose: default schema (inspector.default_schema_name)
select current_schema()
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect.get_isolation_level) <- sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/engine/default.py (DefaultDialect.initialize -> default_isolation_level)
-- purpose: default isolation level
show transaction isolation level
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect.initialize)
-- purpose: detect backslash-escape behaviour of string literals
show standard_conforming_strings
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/pool/base.py (reset on return)
-- purpose: pool resets the connection after initialisation
ROLLBACK
-- next
-- source: psycopg2/psycopg2@2.9.9 (implicit BEGIN)
-- purpose: transaction opened for the ping
BEGIN
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/engine/default.py (DefaultDialect.do_ping) <- apache/superset superset/commands/database/utils.py (ping) <- superset/commands/database/test_connection.py
-- purpose: connection test ("Test connection" in Superset)
SELECT 1
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/pool/base.py (reset on return)
-- purpose: connection returned to the pool
ROLLBACK
-- next
-- source: psycopg2/psycopg2@2.9.9 (implicit BEGIN, autocommit off)
-- purpose: transaction opened for get_catalog_names
BEGIN
-- next
-- source: apache/superset superset/db_engine_specs/postgres.py (PostgresEngineSpec.get_catalog_names)
-- purpose: list catalogs (= databases) for the catalog picker (raw string executed via inspector.bind.execute)

SELECT datname FROM pg_database
WHERE datistemplate = false;
            
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/pool/base.py (reset on return)
-- purpose: connection returned to the pool after get_catalog_names
ROLLBACK
-- next
-- source: psycopg2/psycopg2@2.9.9 (implicit BEGIN, autocommit off)
-- purpose: transaction opened for get_schema_names
BEGIN
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect.get_schema_names <- apache/superset superset/db_engine_specs/base.py (BaseEngineSpec.get_schema_names))
-- purpose: schema list
SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg_%' ORDER BY nspname
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/pool/base.py (reset on return)
-- purpose: connection returned to the pool after get_schema_names
ROLLBACK
-- next
-- source: psycopg2/psycopg2@2.9.9 (implicit BEGIN, autocommit off)
-- purpose: transaction opened for get_table_names
BEGIN
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect.get_table_names <- apache/superset superset/db_engine_specs/postgres.py (PostgresEngineSpec.get_table_names))
-- purpose: table list of schema public
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind in ('r', 'p')
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/pool/base.py (reset on return)
-- purpose: connection returned to the pool after get_table_names
ROLLBACK
-- next
-- source: psycopg2/psycopg2@2.9.9 (implicit BEGIN, autocommit off)
-- purpose: transaction opened for get_foreign_table_names
BEGIN
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect._get_foreign_table_names (PGInspector.get_foreign_table_names) <- apache/superset superset/db_engine_specs/postgres.py (PostgresEngineSpec.get_table_names))
-- purpose: foreign tables are merged into Superset's table list
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'f'
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/pool/base.py (reset on return)
-- purpose: connection returned to the pool after get_foreign_table_names
ROLLBACK
-- next
-- source: psycopg2/psycopg2@2.9.9 (implicit BEGIN, autocommit off)
-- purpose: transaction opened for get_view_names
BEGIN
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect.get_view_names (include plain+materialized) <- apache/superset superset/db_engine_specs/base.py (BaseEngineSpec.get_view_names))
-- purpose: view list of schema public
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('v', 'm')
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/pool/base.py (reset on return)
-- purpose: connection returned to the pool after get_view_names
ROLLBACK
-- next
-- source: psycopg2/psycopg2@2.9.9 (implicit BEGIN, autocommit off)
-- purpose: transaction opened for get_columns
BEGIN
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect.get_table_oid)
-- purpose: resolve public.customers to its OID (cached per inspector)

            SELECT c.oid
            FROM pg_catalog.pg_class c
            LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE (n.nspname = 'public')
            AND c.relname = 'customers' AND c.relkind in
            ('r', 'v', 'm', 'f', 'p')
        
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect.get_columns)
-- purpose: column names, types, defaults, nullability, comments, identity options
-- note: 16385 is the pg_class OID of public.customers returned by the preceding table-OID query; SQLAlchemy interpolates it literally (use the OID your server returned)

            SELECT a.attname,
              pg_catalog.format_type(a.atttypid, a.atttypmod),
              (
                SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid)
                FROM pg_catalog.pg_attrdef d
                WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum
                AND a.atthasdef
              ) AS DEFAULT,
              a.attnotnull,
              a.attrelid as table_oid,
              pgd.description as comment,
              a.attgenerated as generated,
                              (SELECT json_build_object(
                    'always', a.attidentity = 'a',
                    'start', s.seqstart,
                    'increment', s.seqincrement,
                    'minvalue', s.seqmin,
                    'maxvalue', s.seqmax,
                    'cache', s.seqcache,
                    'cycle', s.seqcycle)
                FROM pg_catalog.pg_sequence s
                JOIN pg_catalog.pg_class c on s.seqrelid = c."oid"
                WHERE c.relkind = 'S'
                AND a.attidentity != ''
                AND s.seqrelid = pg_catalog.pg_get_serial_sequence(
                    a.attrelid::regclass::text, a.attname
                )::regclass::oid
                ) as identity_options                
            FROM pg_catalog.pg_attribute a
            LEFT JOIN pg_catalog.pg_description pgd ON (
                pgd.objoid = a.attrelid AND pgd.objsubid = a.attnum)
            WHERE a.attrelid = 16385
            AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum
        
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect._load_domains <- get_columns)
-- purpose: domain types used to resolve column types

            SELECT t.typname as "name",
               pg_catalog.format_type(t.typbasetype, t.typtypmod) as "attype",
               not t.typnotnull as "nullable",
               t.typdefault as "default",
               pg_catalog.pg_type_is_visible(t.oid) as "visible",
               n.nspname as "schema"
            FROM pg_catalog.pg_type t
               LEFT JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
            WHERE t.typtype = 'd'
        
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect._load_enums <- get_columns)
-- purpose: enum types used to resolve column types

            SELECT t.typname as "name",
               -- no enum defaults in 8.4 at least
               -- t.typdefault as "default",
               pg_catalog.pg_type_is_visible(t.oid) as "visible",
               n.nspname as "schema",
               e.enumlabel as "label"
            FROM pg_catalog.pg_type t
                 LEFT JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
                 LEFT JOIN pg_catalog.pg_enum e ON t.oid = e.enumtypid
            WHERE t.typtype = 'e'
        ORDER BY "schema", "name", e.oid
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/pool/base.py (reset on return)
-- purpose: connection returned to the pool after get_columns
ROLLBACK
-- next
-- source: psycopg2/psycopg2@2.9.9 (implicit BEGIN, autocommit off)
-- purpose: transaction opened for get_pk_constraint
BEGIN
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect.get_table_oid)
-- purpose: resolve table OID (new connection, new inspector)

            SELECT c.oid
            FROM pg_catalog.pg_class c
            LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE (n.nspname = 'public')
            AND c.relname = 'customers' AND c.relkind in
            ('r', 'v', 'm', 'f', 'p')
        
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect.get_pk_constraint)
-- purpose: primary-key columns in key order <- apache/superset superset/models/core.py (Database.get_pk_constraint)
-- note: 16385 is the pg_class OID of public.customers returned by the preceding table-OID query; SQLAlchemy interpolates it literally (use the OID your server returned)

                SELECT a.attname
                FROM pg_attribute a JOIN (
                    SELECT unnest(ix.indkey) attnum,
                           generate_subscripts(ix.indkey, 1) ord
                    FROM pg_index ix
                    WHERE ix.indrelid = 16385 AND ix.indisprimary
                    ) k ON a.attnum=k.attnum
                WHERE a.attrelid = 16385
                ORDER BY k.ord
            
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect.get_pk_constraint)
-- purpose: primary-key constraint name
-- note: 16385 is the pg_class OID of public.customers returned by the preceding table-OID query; SQLAlchemy interpolates it literally (use the OID your server returned)

        SELECT conname
           FROM  pg_catalog.pg_constraint r
           WHERE r.conrelid = 16385 AND r.contype = 'p'
           ORDER BY 1
        
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/pool/base.py (reset on return)
-- purpose: connection returned to the pool after get_pk_constraint
ROLLBACK
-- next
-- source: psycopg2/psycopg2@2.9.9 (implicit BEGIN, autocommit off)
-- purpose: transaction opened for get_foreign_keys
BEGIN
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect.get_table_oid)
-- purpose: resolve table OID

            SELECT c.oid
            FROM pg_catalog.pg_class c
            LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE (n.nspname = 'public')
            AND c.relname = 'customers' AND c.relkind in
            ('r', 'v', 'm', 'f', 'p')
        
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect.get_foreign_keys)
-- purpose: foreign keys <- apache/superset superset/models/core.py (Database.get_foreign_keys), superset/databases/utils.py (get_foreign_keys_metadata)
-- note: 16385 is the pg_class OID of public.customers returned by the preceding table-OID query; SQLAlchemy interpolates it literally (use the OID your server returned)

          SELECT r.conname,
                pg_catalog.pg_get_constraintdef(r.oid, true) as condef,
                n.nspname as conschema
          FROM  pg_catalog.pg_constraint r,
                pg_namespace n,
                pg_class c

          WHERE r.conrelid = 16385 AND
                r.contype = 'f' AND
                c.oid = confrelid AND
                n.oid = c.relnamespace
          ORDER BY 1
        
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/pool/base.py (reset on return)
-- purpose: connection returned to the pool after get_foreign_keys
ROLLBACK
-- next
-- source: psycopg2/psycopg2@2.9.9 (implicit BEGIN, autocommit off)
-- purpose: transaction opened for get_indexes
BEGIN
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect.get_table_oid)
-- purpose: resolve table OID

            SELECT c.oid
            FROM pg_catalog.pg_class c
            LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE (n.nspname = 'public')
            AND c.relname = 'customers' AND c.relkind in
            ('r', 'v', 'm', 'f', 'p')
        
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect.get_indexes)
-- purpose: non-PK indexes <- apache/superset superset/db_engine_specs/base.py (BaseEngineSpec.get_indexes)
-- note: 16385 is the pg_class OID of public.customers returned by the preceding table-OID query; SQLAlchemy interpolates it literally (use the OID your server returned)

              SELECT
                  i.relname as relname,
                  ix.indisunique, ix.indexprs,
                  a.attname, a.attnum, c.conrelid, ix.indkey::varchar,
                  ix.indoption::varchar, i.reloptions, am.amname,
                  pg_get_expr(ix.indpred, ix.indrelid),
                  ix.indnkeyatts as indnkeyatts
              FROM
                  pg_class t
                        join pg_index ix on t.oid = ix.indrelid
                        join pg_class i on i.oid = ix.indexrelid
                        left outer join
                            pg_attribute a
                            on t.oid = a.attrelid and a.attnum = ANY(ix.indkey)
                        left outer join
                            pg_constraint c
                            on (ix.indrelid = c.conrelid and
                                ix.indexrelid = c.conindid and
                                c.contype in ('p', 'u', 'x'))
                        left outer join
                            pg_am am
                            on i.relam = am.oid
              WHERE
                  t.relkind IN ('r', 'v', 'f', 'm', 'p')
                  and t.oid = 16385
                  and ix.indisprimary = 'f'
              ORDER BY
                  t.relname,
                  i.relname
            
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/pool/base.py (reset on return)
-- purpose: connection returned to the pool after get_indexes
ROLLBACK
-- next
-- source: psycopg2/psycopg2@2.9.9 (implicit BEGIN, autocommit off)
-- purpose: transaction opened for get_unique_constraints
BEGIN
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect.get_table_oid)
-- purpose: resolve table OID

            SELECT c.oid
            FROM pg_catalog.pg_class c
            LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE (n.nspname = 'public')
            AND c.relname = 'customers' AND c.relkind in
            ('r', 'v', 'm', 'f', 'p')
        
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect.get_unique_constraints)
-- purpose: unique constraints <- apache/superset superset/utils/core.py (insp.get_unique_constraints)
-- note: 16385 is the pg_class OID of public.customers returned by the preceding table-OID query; SQLAlchemy interpolates it literally (use the OID your server returned)

            SELECT
                cons.conname as name,
                cons.conkey as key,
                a.attnum as col_num,
                a.attname as col_name
            FROM
                pg_catalog.pg_constraint cons
                join pg_attribute a
                  on cons.conrelid = a.attrelid AND
                    a.attnum = ANY(cons.conkey)
            WHERE
                cons.conrelid = 16385 AND
                cons.contype = 'u'
        
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/pool/base.py (reset on return)
-- purpose: connection returned to the pool after get_unique_constraints
ROLLBACK
-- next
-- source: psycopg2/psycopg2@2.9.9 (implicit BEGIN, autocommit off)
-- purpose: transaction opened for get_table_comment
BEGIN
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect.get_table_oid)
-- purpose: resolve table OID

            SELECT c.oid
            FROM pg_catalog.pg_class c
            LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE (n.nspname = 'public')
            AND c.relname = 'customers' AND c.relkind in
            ('r', 'v', 'm', 'f', 'p')
        
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect.get_table_comment)
-- purpose: table comment <- apache/superset superset/db_engine_specs/base.py (BaseEngineSpec.get_table_comment)
-- note: 16385 is the pg_class OID of public.customers returned by the preceding table-OID query; SQLAlchemy interpolates it literally (use the OID your server returned)

            SELECT
                pgd.description as table_comment
            FROM
                pg_catalog.pg_description pgd
            WHERE
                pgd.objsubid = 0 AND
                pgd.objoid = 16385
        
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/pool/base.py (reset on return)
-- purpose: connection returned to the pool after get_table_comment
ROLLBACK
-- next
-- source: psycopg2/psycopg2@2.9.9 (implicit BEGIN, autocommit off)
-- purpose: transaction opened for has_table
BEGIN
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect.has_table)
-- purpose: table existence check <- apache/superset superset/models/core.py (Database.has_table)
select relname from pg_class c join pg_namespace n on n.oid=c.relnamespace where n.nspname='public' and relname='customers'
-- next
-- source: sqlalchemy/sqlalchemy@1.4.54/lib/sqlalchemy/pool/base.py (reset on return)
-- purpose: connection returned to the pool after has_table
ROLLBACK
-- next
-- source: apache/superset superset/db_engine_specs/postgres.py (PostgresEngineSpec.get_prequeries)
-- purpose: SQL Lab: run before a user query when schema public is selected in the schema dropdown
set search_path = "public"
-- next
-- source: apache/superset superset/db_engine_specs/postgres.py (PostgresEngineSpec.get_cancel_query_id)
-- purpose: SQL Lab: backend PID recorded so a running query can be cancelled
SELECT pg_backend_pid()

-- note: SQLAlchemy 2.0.58 PostgreSQL dialect (psycopg2 2.9.9 driver) reflection, as used by SQLAlchemy-2-based tools (pandas, newer BI tools).
-- note: Captured from the wire (PostgreSQL 15.18 csvlog, log_statement=all); psycopg2 interpolates parameters client-side, so the text is exact.
-- note: One fresh connection per Inspector call (NullPool, as Superset does); the per-connection init sequence is shown once.
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
-- source: psycopg2/psycopg2@2.9.9/lib/extras.py (HstoreAdapter.get_oids) <- sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/dialects/postgresql/psycopg2.py (PGDialect_psycopg2.on_connect, _hstore_oids; use_native_hstore=True default)
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
-- source: psycopg2/psycopg2@2.9.9 (implicit BEGIN) <- sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/engine/default.py (DefaultDialect.initialize, first connect)
-- purpose: transaction opened for dialect initialisation
BEGIN
-- next
-- source: sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect._get_server_version_info)
-- purpose: server version check during dialect initialisation
select pg_catalog.version()
-- next
-- source: sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect._get_default_schema_name)
-- purpose: default schema (inspector.default_schema_name)
select current_schema()
-- next
-- source: sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect.get_isolation_level) <- sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/engine/default.py (DefaultDialect.initialize -> default_isolation_level)
-- purpose: default isolation level
show transaction isolation level
-- next
-- source: sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect.initialize)
-- purpose: detect backslash-escape behaviour of string literals
show standard_conforming_strings
-- next
-- source: sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/pool/base.py (reset on return)
-- purpose: pool resets the connection after initialisation
ROLLBACK
-- next
-- source: psycopg2/psycopg2@2.9.9 (implicit BEGIN)
-- purpose: transaction opened for the ping
BEGIN
-- next
-- source: sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/engine/default.py (DefaultDialect.do_ping)
-- purpose: connection test ("Test connection" in Superset)
SELECT 1
-- next
-- source: sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/pool/base.py (reset on return)
-- purpose: connection returned to the pool
ROLLBACK
-- next
-- source: psycopg2/psycopg2@2.9.9 (implicit BEGIN, autocommit off)
-- purpose: transaction opened for get_schema_names
BEGIN
-- next
-- source: sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect.get_schema_names)
-- purpose: schema list (Inspector.get_schema_names)
SELECT pg_catalog.pg_namespace.nspname 
FROM pg_catalog.pg_namespace 
WHERE (pg_catalog.pg_namespace.nspname NOT LIKE 'pg/_' || '%' ESCAPE '/') ORDER BY pg_catalog.pg_namespace.nspname
-- next
-- source: sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/pool/base.py (reset on return)
-- purpose: connection returned to the pool after get_schema_names
ROLLBACK
-- next
-- source: psycopg2/psycopg2@2.9.9 (implicit BEGIN, autocommit off)
-- purpose: transaction opened for get_table_names
BEGIN
-- next
-- source: sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect.get_table_names)
-- purpose: table list of schema public (excludes temp tables)
SELECT pg_catalog.pg_class.relname 
FROM pg_catalog.pg_class JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_class.relnamespace 
WHERE pg_catalog.pg_class.relkind = ANY (ARRAY['r', 'p']) AND pg_catalog.pg_class.relpersistence != 't' AND pg_catalog.pg_namespace.nspname = 'public'
-- next
-- source: sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/pool/base.py (reset on return)
-- purpose: connection returned to the pool after get_table_names
ROLLBACK
-- next
-- source: psycopg2/psycopg2@2.9.9 (implicit BEGIN, autocommit off)
-- purpose: transaction opened for get_foreign_table_names
BEGIN
-- next
-- source: sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect.get_foreign_table_names)
-- purpose: foreign tables of schema public
SELECT pg_catalog.pg_class.relname 
FROM pg_catalog.pg_class JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_class.relnamespace 
WHERE pg_catalog.pg_class.relkind = ANY (ARRAY['f']) AND pg_catalog.pg_namespace.nspname = 'public'
-- next
-- source: sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/pool/base.py (reset on return)
-- purpose: connection returned to the pool after get_foreign_table_names
ROLLBACK
-- next
-- source: psycopg2/psycopg2@2.9.9 (implicit BEGIN, autocommit off)
-- purpose: transaction opened for get_view_names
BEGIN
-- next
-- source: sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect.get_view_names)
-- purpose: plain views of schema public (materialized views are a separate call in 2.0)
SELECT pg_catalog.pg_class.relname 
FROM pg_catalog.pg_class JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_class.relnamespace 
WHERE pg_catalog.pg_class.relkind = ANY (ARRAY['v']) AND pg_catalog.pg_class.relpersistence != 't' AND pg_catalog.pg_namespace.nspname = 'public'
-- next
-- source: sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/pool/base.py (reset on return)
-- purpose: connection returned to the pool after get_view_names
ROLLBACK
-- next
-- source: psycopg2/psycopg2@2.9.9 (implicit BEGIN, autocommit off)
-- purpose: transaction opened for get_columns
BEGIN
-- next
-- source: sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect._columns_query <- get_multi_columns <- get_columns)
-- purpose: column names, types, defaults, nullability, comments, identity, collation
SELECT pg_catalog.pg_attribute.attname AS name, pg_catalog.format_type(pg_catalog.pg_attribute.atttypid, pg_catalog.pg_attribute.atttypmod) AS format_type, (SELECT pg_catalog.pg_get_expr(pg_catalog.pg_attrdef.adbin, pg_catalog.pg_attrdef.adrelid) AS pg_get_expr_1 
FROM pg_catalog.pg_attrdef 
WHERE pg_catalog.pg_attrdef.adrelid = pg_catalog.pg_attribute.attrelid AND pg_catalog.pg_attrdef.adnum = pg_catalog.pg_attribute.attnum AND pg_catalog.pg_attribute.atthasdef) AS "default", pg_catalog.pg_attribute.attnotnull AS not_null, pg_catalog.pg_class.relname AS table_name, pg_catalog.pg_description.description AS comment, pg_catalog.pg_attribute.attgenerated AS generated, (SELECT json_build_object('always', pg_catalog.pg_attribute.attidentity = 'a', 'start', pg_catalog.pg_sequence.seqstart, 'increment', pg_catalog.pg_sequence.seqincrement, 'minvalue', pg_catalog.pg_sequence.seqmin, 'maxvalue', pg_catalog.pg_sequence.seqmax, 'cache', pg_catalog.pg_sequence.seqcache, 'cycle', pg_catalog.pg_sequence.seqcycle) AS json_build_object_1 
FROM pg_catalog.pg_sequence 
WHERE pg_catalog.pg_attribute.attidentity != '' AND pg_catalog.pg_sequence.seqrelid = CAST(CAST(pg_catalog.pg_get_serial_sequence(CAST(CAST(pg_catalog.pg_attribute.attrelid AS REGCLASS) AS TEXT), pg_catalog.pg_attribute.attname) AS REGCLASS) AS OID)) AS identity_options, CASE WHEN (pg_catalog.pg_attribute.attcollation != 0 AND (SELECT pg_catalog.pg_type.typcollation 
FROM pg_catalog.pg_type 
WHERE pg_catalog.pg_type.oid = pg_catalog.pg_attribute.atttypid) != pg_catalog.pg_attribute.attcollation) THEN (SELECT pg_catalog.pg_collation.collname 
FROM pg_catalog.pg_collation 
WHERE pg_catalog.pg_collation.oid = pg_catalog.pg_attribute.attcollation) ELSE NULL END AS collation 
FROM pg_catalog.pg_class LEFT OUTER JOIN pg_catalog.pg_attribute ON pg_catalog.pg_class.oid = pg_catalog.pg_attribute.attrelid AND pg_catalog.pg_attribute.attnum > 0 AND NOT pg_catalog.pg_attribute.attisdropped LEFT OUTER JOIN pg_catalog.pg_description ON pg_catalog.pg_description.objoid = pg_catalog.pg_attribute.attrelid AND pg_catalog.pg_description.objsubid = pg_catalog.pg_attribute.attnum JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_class.relnamespace 
WHERE pg_catalog.pg_class.relkind = ANY (ARRAY['r', 'p', 'f', 'v', 'm']) AND pg_catalog.pg_namespace.nspname = 'public' AND pg_catalog.pg_class.relname IN ('customers') ORDER BY pg_catalog.pg_class.relname, pg_catalog.pg_attribute.attnum
-- next
-- source: sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect._domain_query <- _load_domains)
-- purpose: domain types used to resolve column types
SELECT pg_catalog.pg_type.typname AS name, pg_catalog.format_type(pg_catalog.pg_type.typbasetype, pg_catalog.pg_type.typtypmod) AS attype, NOT pg_catalog.pg_type.typnotnull AS nullable, pg_catalog.pg_type.typdefault AS "default", pg_catalog.pg_type_is_visible(pg_catalog.pg_type.oid) AS visible, pg_catalog.pg_namespace.nspname AS schema, domain_constraints.condefs, domain_constraints.connames, pg_catalog.pg_collation.collname 
FROM pg_catalog.pg_type JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_type.typnamespace LEFT OUTER JOIN pg_catalog.pg_collation ON pg_catalog.pg_type.typcollation = pg_catalog.pg_collation.oid LEFT OUTER JOIN (SELECT pg_catalog.pg_constraint.contypid AS contypid, array_agg(pg_catalog.pg_get_constraintdef(pg_catalog.pg_constraint.oid, true)) AS condefs, array_agg(CAST(pg_catalog.pg_constraint.conname AS TEXT)) AS connames 
FROM pg_catalog.pg_constraint 
WHERE pg_catalog.pg_constraint.contypid != 0 GROUP BY pg_catalog.pg_constraint.contypid) AS domain_constraints ON pg_catalog.pg_type.oid = domain_constraints.contypid 
WHERE pg_catalog.pg_type.typtype = 'd' ORDER BY pg_catalog.pg_namespace.nspname, pg_catalog.pg_type.typname
-- next
-- source: sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect._enum_query <- _load_enums)
-- purpose: enum types used to resolve column types
SELECT pg_catalog.pg_type.typname AS name, pg_catalog.pg_type_is_visible(pg_catalog.pg_type.oid) AS visible, pg_catalog.pg_namespace.nspname AS schema, lbl_agg.labels AS labels 
FROM pg_catalog.pg_type JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_type.typnamespace LEFT OUTER JOIN (SELECT pg_catalog.pg_enum.enumtypid AS enumtypid, array_agg(CAST(pg_catalog.pg_enum.enumlabel AS TEXT) ORDER BY pg_catalog.pg_enum.enumsortorder) AS labels 
FROM pg_catalog.pg_enum GROUP BY pg_catalog.pg_enum.enumtypid) AS lbl_agg ON pg_catalog.pg_type.oid = lbl_agg.enumtypid 
WHERE pg_catalog.pg_type.typtype = 'e' ORDER BY pg_catalog.pg_namespace.nspname, pg_catalog.pg_type.typname
-- next
-- source: sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/pool/base.py (reset on return)
-- purpose: connection returned to the pool after get_columns
ROLLBACK
-- next
-- source: psycopg2/psycopg2@2.9.9 (implicit BEGIN, autocommit off)
-- purpose: transaction opened for get_pk_constraint
BEGIN
-- next
-- source: sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect._table_oids_query <- _get_table_oids)
-- purpose: resolve public.customers to its OID
SELECT pg_catalog.pg_class.oid, pg_catalog.pg_class.relname 
FROM pg_catalog.pg_class JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_class.relnamespace 
WHERE pg_catalog.pg_class.relkind = ANY (ARRAY['r', 'p', 'f', 'v', 'm']) AND pg_catalog.pg_namespace.nspname = 'public' AND pg_catalog.pg_class.relname IN ('customers')
-- next
-- source: sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect._constraint_query <- get_multi_pk_constraint)
-- purpose: primary key columns/name/comment
-- note: 16385 is the pg_class OID of public.customers returned by the preceding table-OID query; SQLAlchemy interpolates it literally (use the OID your server returned)
SELECT attr.conrelid, array_agg(CAST(attr.attname AS TEXT) ORDER BY attr.ord) AS cols, attr.conname, min(attr.description) AS description, min(attr.indnkeyatts) AS indnkeyatts, bool_and(attr.indnullsnotdistinct) AS indnullsnotdistinct 
FROM (SELECT con.conrelid AS conrelid, con.conname AS conname, con.description AS description, con.ord AS ord, con.indnkeyatts AS indnkeyatts, con.indnullsnotdistinct AS indnullsnotdistinct, pg_catalog.pg_attribute.attname AS attname 
FROM pg_catalog.pg_attribute JOIN (SELECT pg_catalog.pg_constraint.conrelid AS conrelid, pg_catalog.pg_constraint.conname AS conname, unnest(pg_catalog.pg_index.indkey) AS attnum, generate_subscripts(pg_catalog.pg_index.indkey, 1) AS ord, pg_catalog.pg_index.indnkeyatts AS indnkeyatts, pg_catalog.pg_index.indnullsnotdistinct AS indnullsnotdistinct, pg_catalog.pg_description.description AS description 
FROM pg_catalog.pg_constraint JOIN pg_catalog.pg_index ON pg_catalog.pg_constraint.conindid = pg_catalog.pg_index.indexrelid LEFT OUTER JOIN pg_catalog.pg_description ON pg_catalog.pg_description.objoid = pg_catalog.pg_constraint.oid AND pg_catalog.pg_description.classoid = CAST('pg_catalog.pg_constraint' AS REGCLASS) 
WHERE pg_catalog.pg_constraint.contype = 'p' AND pg_catalog.pg_constraint.conrelid IN (16385)) AS con ON pg_catalog.pg_attribute.attnum = con.attnum AND pg_catalog.pg_attribute.attrelid = con.conrelid 
WHERE con.conrelid IN (16385)) AS attr GROUP BY attr.conrelid, attr.conname ORDER BY attr.conrelid, attr.conname
-- next
-- source: sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/pool/base.py (reset on return)
-- purpose: connection returned to the pool after get_pk_constraint
ROLLBACK
-- next
-- source: psycopg2/psycopg2@2.9.9 (implicit BEGIN, autocommit off)
-- purpose: transaction opened for get_foreign_keys
BEGIN
-- next
-- source: sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect._foreing_key_query <- get_multi_foreign_keys)
-- purpose: foreign keys
SELECT pg_catalog.pg_class.relname, pg_catalog.pg_constraint.conname, CASE WHEN (pg_catalog.pg_constraint.oid IS NOT NULL) THEN pg_catalog.pg_get_constraintdef(pg_catalog.pg_constraint.oid, true) END AS anon_1, nsp_ref.nspname, pg_catalog.pg_description.description 
FROM pg_catalog.pg_class LEFT OUTER JOIN pg_catalog.pg_constraint ON pg_catalog.pg_class.oid = pg_catalog.pg_constraint.conrelid AND pg_catalog.pg_constraint.contype = 'f' LEFT OUTER JOIN pg_catalog.pg_class AS cls_ref ON cls_ref.oid = pg_catalog.pg_constraint.confrelid LEFT OUTER JOIN pg_catalog.pg_namespace AS nsp_ref ON cls_ref.relnamespace = nsp_ref.oid LEFT OUTER JOIN pg_catalog.pg_description ON pg_catalog.pg_description.objoid = pg_catalog.pg_constraint.oid AND pg_catalog.pg_description.classoid = CAST('pg_catalog.pg_constraint' AS REGCLASS) JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_class.relnamespace 
WHERE pg_catalog.pg_class.relkind = ANY (ARRAY['r', 'p', 'f', 'v', 'm']) AND pg_catalog.pg_namespace.nspname = 'public' AND pg_catalog.pg_class.relname IN ('customers') ORDER BY pg_catalog.pg_class.relname, pg_catalog.pg_constraint.conname
-- next
-- source: sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/pool/base.py (reset on return)
-- purpose: connection returned to the pool after get_foreign_keys
ROLLBACK
-- next
-- source: psycopg2/psycopg2@2.9.9 (implicit BEGIN, autocommit off)
-- purpose: transaction opened for get_indexes
BEGIN
-- next
-- source: sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect._table_oids_query <- _get_table_oids)
-- purpose: resolve table OID
SELECT pg_catalog.pg_class.oid, pg_catalog.pg_class.relname 
FROM pg_catalog.pg_class JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_class.relnamespace 
WHERE pg_catalog.pg_class.relkind = ANY (ARRAY['r', 'p', 'f', 'v', 'm']) AND pg_catalog.pg_namespace.nspname = 'public' AND pg_catalog.pg_class.relname IN ('customers')
-- next
-- source: sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect._index_query <- get_multi_indexes)
-- purpose: non-PK indexes with columns/expressions/opclasses
-- note: 16385 is the pg_class OID of public.customers returned by the preceding table-OID query; SQLAlchemy interpolates it literally (use the OID your server returned)
SELECT pg_catalog.pg_index.indrelid, pg_catalog.pg_class.relname, pg_catalog.pg_index.indisunique, pg_catalog.pg_constraint.conrelid IS NOT NULL AS has_constraint, pg_catalog.pg_index.indoption, pg_catalog.pg_class.reloptions, pg_catalog.pg_am.amname, CASE WHEN (pg_catalog.pg_index.indpred IS NOT NULL) THEN pg_catalog.pg_get_expr(pg_catalog.pg_index.indpred, pg_catalog.pg_index.indrelid) END AS filter_definition, pg_catalog.pg_index.indnkeyatts, pg_catalog.pg_index.indnullsnotdistinct, idx_cols.elements, idx_cols.elements_is_expr, idx_cols.elements_opclass, idx_cols.elements_opdefault 
FROM pg_catalog.pg_index JOIN pg_catalog.pg_class ON pg_catalog.pg_index.indexrelid = pg_catalog.pg_class.oid JOIN pg_catalog.pg_am ON pg_catalog.pg_class.relam = pg_catalog.pg_am.oid LEFT OUTER JOIN (SELECT idx_attr.indexrelid AS indexrelid, min(idx_attr.indrelid) AS min_1, array_agg(idx_attr.element ORDER BY idx_attr.ord) AS elements, array_agg(idx_attr.is_expr ORDER BY idx_attr.ord) AS elements_is_expr, array_agg(idx_attr.opcname ORDER BY idx_attr.ord) AS elements_opclass, array_agg(idx_attr.opcdefault ORDER BY idx_attr.ord) AS elements_opdefault 
FROM (SELECT idx.indexrelid AS indexrelid, idx.indrelid AS indrelid, idx.ord AS ord, CASE WHEN (idx.attnum = 0) THEN pg_catalog.pg_get_indexdef(idx.indexrelid, idx.ord + 1, true) ELSE CAST(pg_catalog.pg_attribute.attname AS TEXT) END AS element, idx.attnum = 0 AS is_expr, pg_catalog.pg_opclass.opcname AS opcname, pg_catalog.pg_opclass.opcdefault AS opcdefault 
FROM (SELECT pg_catalog.pg_index.indexrelid AS indexrelid, pg_catalog.pg_index.indrelid AS indrelid, unnest(pg_catalog.pg_index.indkey) AS attnum, unnest(pg_catalog.pg_index.indclass) AS att_opclass, generate_subscripts(pg_catalog.pg_index.indkey, 1) AS ord 
FROM pg_catalog.pg_index 
WHERE NOT pg_catalog.pg_index.indisprimary AND pg_catalog.pg_index.indrelid IN (16385)) AS idx LEFT OUTER JOIN pg_catalog.pg_attribute ON pg_catalog.pg_attribute.attnum = idx.attnum AND pg_catalog.pg_attribute.attrelid = idx.indrelid LEFT OUTER JOIN pg_catalog.pg_opclass ON pg_catalog.pg_opclass.oid = idx.att_opclass 
WHERE idx.indrelid IN (16385)) AS idx_attr GROUP BY idx_attr.indexrelid) AS idx_cols ON pg_catalog.pg_index.indexrelid = idx_cols.indexrelid LEFT OUTER JOIN pg_catalog.pg_constraint ON pg_catalog.pg_index.indrelid = pg_catalog.pg_constraint.conrelid AND pg_catalog.pg_index.indexrelid = pg_catalog.pg_constraint.conindid AND pg_catalog.pg_constraint.contype = ANY (ARRAY['p', 'u', 'x']) 
WHERE pg_catalog.pg_index.indrelid IN (16385) AND NOT pg_catalog.pg_index.indisprimary ORDER BY pg_catalog.pg_index.indrelid, pg_catalog.pg_class.relname
-- next
-- source: sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/pool/base.py (reset on return)
-- purpose: connection returned to the pool after get_indexes
ROLLBACK
-- next
-- source: psycopg2/psycopg2@2.9.9 (implicit BEGIN, autocommit off)
-- purpose: transaction opened for get_unique_constraints
BEGIN
-- next
-- source: sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect._table_oids_query <- _get_table_oids)
-- purpose: resolve table OID
SELECT pg_catalog.pg_class.oid, pg_catalog.pg_class.relname 
FROM pg_catalog.pg_class JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_class.relnamespace 
WHERE pg_catalog.pg_class.relkind = ANY (ARRAY['r', 'p', 'f', 'v', 'm']) AND pg_catalog.pg_namespace.nspname = 'public' AND pg_catalog.pg_class.relname IN ('customers')
-- next
-- source: sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect._constraint_query <- get_multi_unique_constraints)
-- purpose: unique constraints
-- note: 16385 is the pg_class OID of public.customers returned by the preceding table-OID query; SQLAlchemy interpolates it literally (use the OID your server returned)
SELECT attr.conrelid, array_agg(CAST(attr.attname AS TEXT) ORDER BY attr.ord) AS cols, attr.conname, min(attr.description) AS description, min(attr.indnkeyatts) AS indnkeyatts, bool_and(attr.indnullsnotdistinct) AS indnullsnotdistinct 
FROM (SELECT con.conrelid AS conrelid, con.conname AS conname, con.description AS description, con.ord AS ord, con.indnkeyatts AS indnkeyatts, con.indnullsnotdistinct AS indnullsnotdistinct, pg_catalog.pg_attribute.attname AS attname 
FROM pg_catalog.pg_attribute JOIN (SELECT pg_catalog.pg_constraint.conrelid AS conrelid, pg_catalog.pg_constraint.conname AS conname, unnest(pg_catalog.pg_index.indkey) AS attnum, generate_subscripts(pg_catalog.pg_index.indkey, 1) AS ord, pg_catalog.pg_index.indnkeyatts AS indnkeyatts, pg_catalog.pg_index.indnullsnotdistinct AS indnullsnotdistinct, pg_catalog.pg_description.description AS description 
FROM pg_catalog.pg_constraint JOIN pg_catalog.pg_index ON pg_catalog.pg_constraint.conindid = pg_catalog.pg_index.indexrelid LEFT OUTER JOIN pg_catalog.pg_description ON pg_catalog.pg_description.objoid = pg_catalog.pg_constraint.oid AND pg_catalog.pg_description.classoid = CAST('pg_catalog.pg_constraint' AS REGCLASS) 
WHERE pg_catalog.pg_constraint.contype = 'u' AND pg_catalog.pg_constraint.conrelid IN (16385)) AS con ON pg_catalog.pg_attribute.attnum = con.attnum AND pg_catalog.pg_attribute.attrelid = con.conrelid 
WHERE con.conrelid IN (16385)) AS attr GROUP BY attr.conrelid, attr.conname ORDER BY attr.conrelid, attr.conname
-- next
-- source: sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/pool/base.py (reset on return)
-- purpose: connection returned to the pool after get_unique_constraints
ROLLBACK
-- next
-- source: psycopg2/psycopg2@2.9.9 (implicit BEGIN, autocommit off)
-- purpose: transaction opened for get_table_comment
BEGIN
-- next
-- source: sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect._comment_query <- get_multi_table_comment)
-- purpose: table comment
SELECT pg_catalog.pg_class.relname, pg_catalog.pg_description.description 
FROM pg_catalog.pg_class LEFT OUTER JOIN pg_catalog.pg_description ON pg_catalog.pg_class.oid = pg_catalog.pg_description.objoid AND pg_catalog.pg_description.objsubid = 0 AND pg_catalog.pg_description.classoid = CAST('pg_catalog.pg_class' AS REGCLASS) JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_class.relnamespace 
WHERE pg_catalog.pg_class.relkind = ANY (ARRAY['r', 'p', 'f', 'v', 'm']) AND pg_catalog.pg_namespace.nspname = 'public' AND pg_catalog.pg_class.relname IN ('customers')
-- next
-- source: sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/pool/base.py (reset on return)
-- purpose: connection returned to the pool after get_table_comment
ROLLBACK
-- next
-- source: psycopg2/psycopg2@2.9.9 (implicit BEGIN, autocommit off)
-- purpose: transaction opened for has_table
BEGIN
-- next
-- source: sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/dialects/postgresql/base.py (PGDialect._has_table_query <- has_table)
-- purpose: table existence check
SELECT pg_catalog.pg_class.relname 
FROM pg_catalog.pg_class JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_class.relnamespace 
WHERE pg_catalog.pg_class.relname = 'customers' AND pg_catalog.pg_class.relkind = ANY (ARRAY['r', 'p', 'f', 'v', 'm']) AND pg_catalog.pg_namespace.nspname = 'public'
-- next
-- source: sqlalchemy/sqlalchemy@2.0.58/lib/sqlalchemy/pool/base.py (reset on return)
-- purpose: connection returned to the pool after has_table
ROLLBACK

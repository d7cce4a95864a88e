-- note: Npgsql (used by Power BI): startup SQL for a PostgreSQL 15 server. Npgsql sends nothing else on open; the startup message only carries parameters.
-- note: Power BI's own navigation queries (information_schema tables/columns/key-constraint queries issued by the closed-source Power BI PostgreSQL connector) are not in any public source and are not included.
-- note: Replay file format. Statements are separated by a line containing only `-- next`.
-- note: Each statement starts with header lines beginning with `-- source:`, `-- purpose:` or `-- note:`;
-- note: everything after those header lines, up to (not including) the newline before `-- next`
-- note: (or end of file), is the statement text exactly as the client sends it (leading blank lines,
-- note: trailing spaces and embedded `--` comments included). Send it as one Query message.
-- note: Concrete values: database tessera, user tessera, schema public, table customers
-- note: (id bigint primary key, email text, city text).
-- source: npgsql/npgsql@v10.0.3/src/Npgsql/PostgresDatabaseInfo.cs (LoadBackendTypes: versionQuery + GenerateLoadTypesQuery + GenerateLoadCompositeTypesQuery + GenerateLoadEnumFieldsQuery)
-- purpose: type loading on the first physical connection of a data source: ONE simple-protocol Query message with 4 statements (version, types, composite fields, enum labels)
-- note: rendered for server_version 15 with defaults: withRange=true, withMultirange=true (>=14), LoadTableComposites=false, TypeLoadingSchemas unset, HasTypeCategory=true, HasEnumSortOrder=true
-- note: line ends: AppendLine uses Environment.NewLine (\r\n on Windows) and the verbatim strings carry the source file's line ends; shown here with \n
-- note: the query text changed in Npgsql 8.x/9.x (same batching); this is the 10.x text
SELECT version();

SELECT ns.nspname, t.oid, t.typname, t.typtype, t.typnotnull, t.elemtypoid
FROM (
    -- Arrays have typtype=b - this subquery identifies them by their typreceive and converts their typtype to a
    -- We first do this for the type (innerest-most subquery), and then for its element type
    -- This also returns the array element, range subtype and domain base type as elemtypoid
    SELECT
        typ.oid, typ.typnamespace, typ.typname, typ.typtype, typ.typrelid, typ.typnotnull, typ.relkind,
        elemtyp.oid AS elemtypoid, elemtyp.typname AS elemtypname, elemcls.relkind AS elemrelkind,
        CASE WHEN elemproc.proname='array_recv' THEN 'a' ELSE elemtyp.typtype END AS elemtyptype
        , typ.typcategory
    FROM (
        SELECT typ.oid, typnamespace, typname, typrelid, typnotnull, relkind, typelem AS elemoid,
            CASE WHEN proc.proname='array_recv' THEN 'a' ELSE typ.typtype END AS typtype,
            CASE
                WHEN proc.proname='array_recv' THEN typ.typelem
                WHEN typ.typtype='r' THEN rngsubtype
                WHEN typ.typtype='m' THEN (SELECT rngtypid FROM pg_range WHERE rngmultitypid = typ.oid)
                WHEN typ.typtype='d' THEN typ.typbasetype
            END AS elemtypoid
            , typ.typcategory
        FROM pg_type AS typ
        LEFT JOIN pg_class AS cls ON (cls.oid = typ.typrelid)
        LEFT JOIN pg_proc AS proc ON proc.oid = typ.typreceive
        LEFT JOIN pg_range ON (pg_range.rngtypid = typ.oid)
    ) AS typ
    LEFT JOIN pg_type AS elemtyp ON elemtyp.oid = elemtypoid
    LEFT JOIN pg_class AS elemcls ON (elemcls.oid = elemtyp.typrelid)
    LEFT JOIN pg_proc AS elemproc ON elemproc.oid = elemtyp.typreceive
) AS t
JOIN pg_namespace AS ns ON (ns.oid = typnamespace)
WHERE
    
    (typtype IN ('b', 'r', 'm', 'e', 'd') OR -- Base, range, multirange, enum, domain
    (typtype = 'c' AND relkind='c') OR -- User-defined free-standing composites (not table composites) by default
    (typtype = 'p' AND typname IN ('record', 'void', 'unknown')) OR -- Some special supported pseudo-types
    (typtype = 'a' AND (  -- Array of...
        elemtyptype IN ('b', 'r', 'm', 'e', 'd') OR -- Array of base, range, multirange, enum, domain
        (elemtyptype = 'p' AND elemtypname IN ('record', 'void')) OR -- Arrays of special supported pseudo-types
        (elemtyptype = 'c' AND elemrelkind='c') -- Array of user-defined free-standing composites (not table composites) by default
    )))
ORDER BY CASE
       WHEN typtype IN ('b', 'e', 'p') THEN 0           -- First base types, enums, pseudo-types
       WHEN typtype = 'c' THEN 1                        -- Composites after (fields loaded later in 2nd pass)
       WHEN typtype = 'r' THEN 2                        -- Ranges after
       WHEN typtype = 'm' THEN 3                        -- Multiranges after
       WHEN typtype = 'd' AND elemtyptype <> 'a' THEN 4 -- Domains over non-arrays after
       WHEN typtype = 'a' THEN 5                        -- Arrays after
       WHEN typtype = 'd' AND elemtyptype = 'a' THEN 6  -- Domains over arrays last
END;

-- Load field definitions for (free-standing) composite types
SELECT typ.oid, att.attname, att.atttypid
FROM pg_type AS typ
JOIN pg_namespace AS ns ON (ns.oid = typ.typnamespace)
JOIN pg_class AS cls ON (cls.oid = typ.typrelid)
JOIN pg_attribute AS att ON (att.attrelid = typ.typrelid)
WHERE
  (typ.typtype = 'c' AND cls.relkind='c') AND
  
  attnum > 0 AND     -- Don't load system attributes
  NOT attisdropped
ORDER BY typ.oid, att.attnum;

-- Load enum fields
SELECT typ.oid, enumlabel
FROM pg_enum
JOIN pg_type AS typ ON typ.oid = enumtypid
JOIN pg_namespace AS ns ON ns.oid = typ.typnamespace

ORDER BY oid, enumsortorder;

-- next
-- source: npgsql/npgsql@v10.0.3/src/Npgsql/Internal/NpgsqlConnector.cs (Reset: PregeneratedMessages.DiscardAll)
-- purpose: pool reset: prepended to the first command when a pooled connection is reopened (NoResetOnClose=false default)
DISCARD ALL
-- next
-- source: npgsql/npgsql@v4.0.17/src/Npgsql/PostgresDatabaseInfo.cs (GenerateTypesQuery, LoadBackendTypes) split by npgsql/npgsql@v4.0.17/src/Npgsql/SqlQueryParser.cs
-- purpose: Npgsql 4.0.x (bundled with Power BI Desktop's PostgreSQL connector) type loading, statement 1/3: all supported types
-- note: Npgsql 4 runs the generated SQL through NpgsqlCommand, whose parser splits it at ';' into 3 extended-protocol statements (Parse/Bind/Execute, unnamed) in one round trip; comments are kept, the ';' is not
-- note: statement 1 starts with the newline that opens the C# verbatim string

/*** Load all supported types ***/
SELECT ns.nspname, a.typname, a.oid, a.typrelid, a.typbasetype,
CASE WHEN pg_proc.proname='array_recv' THEN 'a' ELSE a.typtype END AS type,
CASE
  WHEN pg_proc.proname='array_recv' THEN a.typelem
  WHEN a.typtype='r' THEN rngsubtype
  ELSE 0
END AS elemoid,
CASE
  WHEN pg_proc.proname IN ('array_recv','oidvectorrecv') THEN 3    /* Arrays last */
  WHEN a.typtype='r' THEN 2                                        /* Ranges before */
  WHEN a.typtype='d' THEN 1                                        /* Domains before */
  ELSE 0                                                           /* Base types first */
END AS ord
FROM pg_type AS a
JOIN pg_namespace AS ns ON (ns.oid = a.typnamespace)
JOIN pg_proc ON pg_proc.oid = a.typreceive
LEFT OUTER JOIN pg_class AS cls ON (cls.oid = a.typrelid)
LEFT OUTER JOIN pg_type AS b ON (b.oid = a.typelem)
LEFT OUTER JOIN pg_class AS elemcls ON (elemcls.oid = b.typrelid)
LEFT OUTER JOIN pg_range ON (pg_range.rngtypid = a.oid) 
WHERE
  a.typtype IN ('b', 'r', 'e', 'd') OR         /* Base, range, enum, domain */
  (a.typtype = 'c' AND cls.relkind='c') OR /* User-defined free-standing composites (not table composites) by default */
  (pg_proc.proname='array_recv' AND (
    b.typtype IN ('b', 'r', 'e', 'd') OR       /* Array of base, range, enum, domain */
    (b.typtype = 'p' AND b.typname IN ('record', 'void')) OR /* Arrays of special supported pseudo-types */
    (b.typtype = 'c' AND elemcls.relkind='c')  /* Array of user-defined free-standing composites (not table composites) */
  )) OR
  (a.typtype = 'p' AND a.typname IN ('record', 'void'))  /* Some special supported pseudo-types */
ORDER BY ord
-- next
-- source: npgsql/npgsql@v4.0.17/src/Npgsql/PostgresDatabaseInfo.cs (GenerateTypesQuery, LoadBackendTypes) split by npgsql/npgsql@v4.0.17/src/Npgsql/SqlQueryParser.cs
-- purpose: Npgsql 4.0.x type loading, statement 2/3: fields of free-standing composite types
-- note: Npgsql 4 runs the generated SQL through NpgsqlCommand, whose parser splits it at ';' into 3 extended-protocol statements (Parse/Bind/Execute, unnamed) in one round trip; comments are kept, the ';' is not
/*** Load field definitions for (free-standing) composite types ***/
SELECT typ.oid, att.attname, att.atttypid
FROM pg_type AS typ
JOIN pg_namespace AS ns ON (ns.oid = typ.typnamespace)
JOIN pg_class AS cls ON (cls.oid = typ.typrelid)
JOIN pg_attribute AS att ON (att.attrelid = typ.typrelid)
WHERE
  (typ.typtype = 'c' AND cls.relkind='c') AND
  attnum > 0 AND     /* Don't load system attributes */
  NOT attisdropped
ORDER BY typ.oid, att.attnum
-- next
-- source: npgsql/npgsql@v4.0.17/src/Npgsql/PostgresDatabaseInfo.cs (GenerateTypesQuery, LoadBackendTypes) split by npgsql/npgsql@v4.0.17/src/Npgsql/SqlQueryParser.cs
-- purpose: Npgsql 4.0.x type loading, statement 3/3: enum labels
-- note: Npgsql 4 runs the generated SQL through NpgsqlCommand, whose parser splits it at ';' into 3 extended-protocol statements (Parse/Bind/Execute, unnamed) in one round trip; comments are kept, the ';' is not
/*** Load enum fields ***/
SELECT pg_type.oid, enumlabel
FROM pg_enum
JOIN pg_type ON pg_type.oid=enumtypid
ORDER BY oid, enumsortorder
-- next
-- source: npgsql/npgsql@v4.0.17/src/Npgsql/FrontendMessages/PregeneratedMessage.cs (DiscardAll) <- NpgsqlConnector.Reset
-- purpose: Npgsql 4 pool reset when Power BI reuses a pooled connection
DISCARD ALL

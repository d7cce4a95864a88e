// The PostgreSQL JDBC driver (pgjdbc) against a running `tessera serve`.
//
// Usage: java -cp /usr/share/java/postgresql.jar tests/clients/JdbcClient.java HOST PORT
// (Java 17 single-file source launch). Each check throws on failure; the program
// prints the failing step and the server's error, and exits non-zero.
// The expected metadata values are what pgjdbc 42.5.x reports against PostgreSQL 15.

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.postgresql.util.PSQLException;

public class JdbcClient {
    static String step = "1 connect and product version";

    static void check(boolean cond, String message) {
        if (!cond) {
            throw new AssertionError(message);
        }
    }

    static void checkEq(Object expected, Object actual, String what) {
        if (!Objects.equals(expected, actual)) {
            throw new AssertionError(what + ": expected <" + expected + "> but got <" + actual + ">");
        }
    }

    static void begin(String name) {
        step = name;
        System.out.println("jdbc: " + name);
    }

    record Customer(long id, String email, String city, BigDecimal amount, Date signedUp,
                    Timestamp seenAt, Boolean active) {}

    static final List<Customer> CUSTOMERS = List.of(
        new Customer(1, "ada@example.com", "Paris", new BigDecimal("12.50"),
            Date.valueOf("2024-01-02"), Timestamp.valueOf("2024-01-02 10:15:30"), true),
        new Customer(2, "bob@example.com", "Lyon", new BigDecimal("7.25"),
            Date.valueOf("2024-02-03"), Timestamp.valueOf("2024-02-03 08:00:00.123456"), false),
        new Customer(3, "chloé@example.com", "Paris", new BigDecimal("99.99"),
            Date.valueOf("1999-12-31"), Timestamp.valueOf("1999-12-31 23:59:59"), true),
        new Customer(4, "dan@example.com", null, null, null, null, null),
        // scale 0 on the way in: numeric(10,2) must give it back as 5.00
        new Customer(5, "eve@example.com", "Paris", new BigDecimal("5"),
            Date.valueOf("2024-03-04"), Timestamp.valueOf("2024-03-04 00:00:00"), false));

    static void bind(PreparedStatement ps, Customer c) throws SQLException {
        ps.setLong(1, c.id());
        ps.setString(2, c.email());
        if (c.city() == null) ps.setNull(3, Types.VARCHAR); else ps.setString(3, c.city());
        if (c.amount() == null) ps.setNull(4, Types.NUMERIC); else ps.setBigDecimal(4, c.amount());
        if (c.signedUp() == null) ps.setNull(5, Types.DATE); else ps.setDate(5, c.signedUp());
        if (c.seenAt() == null) ps.setNull(6, Types.TIMESTAMP); else ps.setTimestamp(6, c.seenAt());
        if (c.active() == null) ps.setNull(7, Types.BOOLEAN); else ps.setBoolean(7, c.active());
    }

    /** Reads the current row (columns id, email, city, amount, signed_up, seen_at, active) and
     *  compares it with the expected customer, using the typed getters. */
    static void checkRow(ResultSet rs, Customer c, String ctx) throws SQLException {
        String p = ctx + " id=" + c.id() + " ";
        checkEq(c.id(), rs.getLong("id"), p + "id");
        checkEq(c.email(), rs.getString("email"), p + "email");
        checkEq(c.city(), rs.getString("city"), p + "city");
        BigDecimal amount = rs.getBigDecimal("amount");
        if (c.amount() == null) {
            check(amount == null && rs.wasNull(), p + "amount: expected SQL NULL, got " + amount);
        } else {
            check(amount != null, p + "amount: unexpected NULL");
            checkEq(c.amount().setScale(2), amount, p + "amount");
            checkEq(2, amount.scale(), p + "amount scale (" + amount + ")");
        }
        checkEq(c.signedUp(), rs.getDate("signed_up"), p + "signed_up");
        checkEq(c.seenAt(), rs.getTimestamp("seen_at"), p + "seen_at");
        boolean active = rs.getBoolean("active");
        if (c.active() == null) {
            check(rs.wasNull(), p + "active: expected SQL NULL, got " + active);
            checkEq(null, rs.getObject("active"), p + "active getObject");
        } else {
            check(!rs.wasNull(), p + "active: unexpected NULL");
            checkEq(c.active(), active, p + "active");
            checkEq(c.active(), rs.getObject("active"), p + "active getObject");
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: JdbcClient HOST PORT");
            System.exit(2);
        }
        String url = "jdbc:postgresql://" + args[0] + ":" + args[1] + "/tessera?user=tessera";
        // Extra connection properties, e.g. TESSERA_JDBC_OPTIONS=prepareThreshold=1. To see the protocol
        // messages, run java with -Djava.util.logging.config.file=F where F sets org.postgresql.level=FINEST.
        String extra = System.getenv("TESSERA_JDBC_OPTIONS");
        if (extra != null && !extra.isEmpty()) {
            url += "&" + extra;
        }
        // TESSERA_JDBC_KEEP_GOING=1 runs every step and reports all failures (for debugging);
        // by default the first failure ends the program.
        boolean keepGoing = "1".equals(System.getenv("TESSERA_JDBC_KEEP_GOING"));
        List<String> failed = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url)) {
            conn = c;
            for (Step s : STEPS) {
                begin(s.name());
                try {
                    s.body().run();
                } catch (Throwable e) {
                    report(e);
                    if (!keepGoing) {
                        System.exit(1);
                    }
                    failed.add(s.name());
                    if (conn.isClosed()) {
                        break;
                    }
                    if (!conn.getAutoCommit()) {
                        conn.rollback();
                        conn.setAutoCommit(true);
                    }
                }
            }
        } catch (Throwable e) {
            report(e);
            System.exit(1);
        }
        if (!failed.isEmpty()) {
            System.err.println("jdbc client: FAILED steps: " + failed);
            System.exit(1);
        }
        System.out.println("jdbc client: ok");
    }

    static void report(Throwable e) {
        System.err.println("jdbc client: FAILED in step '" + step + "': " + e);
        if (e instanceof PSQLException pe && pe.getServerErrorMessage() != null) {
            System.err.println("  server error: " + pe.getServerErrorMessage()
                + " (SQLSTATE " + pe.getSQLState() + ")");
        } else if (e instanceof SQLException se) {
            System.err.println("  SQLSTATE " + se.getSQLState());
        }
        e.printStackTrace();
    }

    interface Body {
        void run() throws Exception;
    }

    record Step(String name, Body body) {}

    static Connection conn;

    static final List<Step> STEPS = List.of(
        new Step("1 connect and product version", JdbcClient::connect),
        new Step("2 DDL", JdbcClient::ddl),
        new Step("3a prepared insert + batch", JdbcClient::insert),
        new Step("3b prepared select WHERE id = ? (more than prepareThreshold times)", JdbcClient::selectById),
        new Step("3c prepared select WHERE city = ? AND amount > ?", JdbcClient::selectByCityAmount),
        new Step("3d fetchSize cursor (autocommit off, portal row limit)", JdbcClient::fetchSize),
        new Step("4a DatabaseMetaData.getSchemas", JdbcClient::schemas),
        new Step("4b DatabaseMetaData.getTables", JdbcClient::tables),
        new Step("4c DatabaseMetaData.getColumns", JdbcClient::columns),
        new Step("4d DatabaseMetaData.getPrimaryKeys", JdbcClient::primaryKeys),
        new Step("5 error: undefined table keeps the connection usable", JdbcClient::undefinedTable));

    static void connect() throws Exception {
        check(conn.getAutoCommit(), "a new connection should be in autocommit mode");
        DatabaseMetaData md = conn.getMetaData();
        checkEq("PostgreSQL", md.getDatabaseProductName(), "getDatabaseProductName");
        String version = md.getDatabaseProductVersion();
        check(version != null && version.startsWith("15"),
            "getDatabaseProductVersion should start with 15, got " + version);
        check(md.getDatabaseMajorVersion() == 15,
            "getDatabaseMajorVersion: " + md.getDatabaseMajorVersion());
    }

    static void ddl() throws Exception {
        try (Statement st = conn.createStatement()) {
            checkEq(0, st.executeUpdate("DROP TABLE IF EXISTS jdbc_customers"), "DROP TABLE update count");
            checkEq(0, st.executeUpdate("CREATE TABLE jdbc_customers (id bigint PRIMARY KEY, "
                + "email text NOT NULL, city varchar(40), amount numeric(10,2), signed_up date, "
                + "seen_at timestamp, active boolean)"), "CREATE TABLE update count");
            st.executeUpdate("COMMENT ON TABLE jdbc_customers IS 'customers from jdbc'");
            st.executeUpdate("COMMENT ON COLUMN jdbc_customers.email IS 'contact e-mail'");
        }
    }

    static void insert() throws Exception {
        String insert = "INSERT INTO jdbc_customers (id, email, city, amount, signed_up, seen_at, active) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement ps = conn.prepareStatement(insert)) {
            bind(ps, CUSTOMERS.get(0));
            checkEq(1, ps.executeUpdate(), "single INSERT update count");
            for (Customer c : CUSTOMERS.subList(1, CUSTOMERS.size())) {
                bind(ps, c);
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            checkEq(CUSTOMERS.size() - 1, counts.length, "executeBatch result length");
            for (int i = 0; i < counts.length; i++) {
                check(counts[i] == 1 || counts[i] == Statement.SUCCESS_NO_INFO,
                    "executeBatch count[" + i + "] = " + counts[i] + ", expected 1 (or SUCCESS_NO_INFO)");
            }
        }
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM jdbc_customers")) {
            check(rs.next(), "count(*) returned no row");
            checkEq((long) CUSTOMERS.size(), rs.getLong(1), "row count after inserts");
        }
    }

    static final String COLS = "SELECT id, email, city, amount, signed_up, seen_at, active FROM jdbc_customers";

    static void selectById() throws Exception {
        try (PreparedStatement ps = conn.prepareStatement(COLS + " WHERE id = ?")) {
            // pgjdbc switches to a named server-side statement (and binary results) after
            // prepareThreshold (5) executions; run it 12 times so both paths are covered.
            for (int round = 0; round < 12; round++) {
                Customer c = CUSTOMERS.get(round % CUSTOMERS.size());
                ps.setLong(1, c.id());
                try (ResultSet rs = ps.executeQuery()) {
                    check(rs.next(), "WHERE id = " + c.id() + " returned no row (round " + round + ")");
                    checkRow(rs, c, "round " + round);
                    check(!rs.next(), "WHERE id = " + c.id() + " returned more than one row");
                }
            }
            ps.setLong(1, 404);
            try (ResultSet rs = ps.executeQuery()) {
                check(!rs.next(), "WHERE id = 404 should return no row");
            }
        }
    }

    static void selectByCityAmount() throws Exception {
        try (PreparedStatement ps = conn.prepareStatement(COLS + " WHERE city = ? AND amount > ? ORDER BY id")) {
            for (int round = 0; round < 7; round++) {
                ps.setString(1, "Paris");
                ps.setBigDecimal(2, new BigDecimal("6.00"));
                List<Long> ids = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong("id");
                        ids.add(id);
                        checkRow(rs, CUSTOMERS.get((int) id - 1), "city/amount round " + round);
                    }
                }
                checkEq(List.of(1L, 3L), ids, "ids for city = 'Paris' AND amount > 6.00 (round " + round + ")");
            }
            ps.setString(1, "Lyon");
            ps.setBigDecimal(2, new BigDecimal("7.25"));
            try (ResultSet rs = ps.executeQuery()) {
                check(!rs.next(), "amount > 7.25 must exclude 7.25");
            }
        }
    }

    static void fetchSize() throws Exception {
        conn.setAutoCommit(false);
        try (PreparedStatement ps = conn.prepareStatement("SELECT * FROM generate_series(1, 10000) AS g(x)")) {
            ps.setFetchSize(100);
            long sum = 0;
            int rows = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sum += rs.getLong(1);
                    rows++;
                }
            }
            checkEq(10000, rows, "generate_series row count");
            checkEq(50005000L, sum, "generate_series sum");
        }
        try (Statement st = conn.createStatement()) {
            st.setFetchSize(3);
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT id FROM jdbc_customers ORDER BY id")) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            checkEq(List.of(1L, 2L, 3L, 4L, 5L), ids, "ids read 3 at a time");
        }
        conn.commit();
        conn.setAutoCommit(true);
    }

    static void schemas() throws Exception {
        DatabaseMetaData md = conn.getMetaData();
        List<String> schemas = new ArrayList<>();
        try (ResultSet rs = md.getSchemas()) {
            while (rs.next()) {
                schemas.add(rs.getString("TABLE_SCHEM"));
            }
        }
        check(schemas.contains("public"), "getSchemas() should contain public: " + schemas);
    }

    static void tables() throws Exception {
        DatabaseMetaData md = conn.getMetaData();
        try (ResultSet rs = md.getTables(null, "public", "jdbc%", new String[] {"TABLE"})) {
            List<String> names = new ArrayList<>();
            String remarks = null;
            String type = null;
            String schem = null;
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME"));
                if ("jdbc_customers".equals(rs.getString("TABLE_NAME"))) {
                    remarks = rs.getString("REMARKS");
                    type = rs.getString("TABLE_TYPE");
                    schem = rs.getString("TABLE_SCHEM");
                }
            }
            check(names.contains("jdbc_customers"), "getTables should list jdbc_customers: " + names);
            checkEq("TABLE", type, "getTables TABLE_TYPE");
            checkEq("public", schem, "getTables TABLE_SCHEM");
            checkEq("customers from jdbc", remarks, "getTables REMARKS");
        }
    }

    static void columns() throws Exception {
        DatabaseMetaData md = conn.getMetaData();
        // name, java.sql.Types, TYPE_NAME, COLUMN_SIZE (null: not checked), DECIMAL_DIGITS, NOT NULL, REMARKS
        Object[][] expected = {
            {"id", Types.BIGINT, "int8", 19, 0, true, null},
            {"email", Types.VARCHAR, "text", null, null, true, "contact e-mail"},
            {"city", Types.VARCHAR, "varchar", 40, 0, false, null},
            {"amount", Types.NUMERIC, "numeric", 10, 2, false, null},
            {"signed_up", Types.DATE, "date", null, null, false, null},
            {"seen_at", Types.TIMESTAMP, "timestamp", null, null, false, null},
            // pgjdbc maps bool to Types.BIT (TypeInfoCache)
            {"active", Types.BIT, "bool", null, null, false, null},
        };
        // Every mismatch is collected, so one run shows all of them.
        List<String> problems = new ArrayList<>();
        try (ResultSet rs = md.getColumns(null, "public", "jdbc_customers", null)) {
            int i = 0;
            while (rs.next()) {
                if (i >= expected.length) {
                    problems.add("extra column " + rs.getString("COLUMN_NAME"));
                    i++;
                    continue;
                }
                Object[] e = expected[i];
                String col = (String) e[0];
                softEq(problems, "public", rs.getString("TABLE_SCHEM"), col + " TABLE_SCHEM");
                softEq(problems, "jdbc_customers", rs.getString("TABLE_NAME"), col + " TABLE_NAME");
                softEq(problems, col, rs.getString("COLUMN_NAME"), "row " + (i + 1) + " COLUMN_NAME");
                softEq(problems, i + 1, rs.getInt("ORDINAL_POSITION"), col + " ORDINAL_POSITION");
                softEq(problems, e[1], rs.getInt("DATA_TYPE"), col + " DATA_TYPE");
                softEq(problems, e[2], rs.getString("TYPE_NAME"), col + " TYPE_NAME");
                if (e[3] != null) {
                    softEq(problems, e[3], rs.getInt("COLUMN_SIZE"), col + " COLUMN_SIZE");
                }
                if (e[4] != null) {
                    softEq(problems, e[4], rs.getObject("DECIMAL_DIGITS") == null ? null : rs.getInt("DECIMAL_DIGITS"),
                        col + " DECIMAL_DIGITS");
                }
                boolean notNull = (Boolean) e[5];
                softEq(problems, notNull ? DatabaseMetaData.columnNoNulls : DatabaseMetaData.columnNullable,
                    rs.getInt("NULLABLE"), col + " NULLABLE");
                softEq(problems, notNull ? "NO" : "YES", rs.getString("IS_NULLABLE"), col + " IS_NULLABLE");
                softEq(problems, e[6], rs.getString("REMARKS"), col + " REMARKS");
                softEq(problems, null, rs.getString("COLUMN_DEF"), col + " COLUMN_DEF");
                softEq(problems, "NO", rs.getString("IS_AUTOINCREMENT"), col + " IS_AUTOINCREMENT");
                i++;
            }
            softEq(problems, expected.length, i, "getColumns row count");
        }
        check(problems.isEmpty(), "getColumns mismatches:\n  " + String.join("\n  ", problems));
    }

    static void softEq(List<String> problems, Object expected, Object actual, String what) {
        if (!Objects.equals(expected, actual)) {
            problems.add(what + ": expected <" + expected + "> but got <" + actual + ">");
        }
    }

    static void primaryKeys() throws Exception {
        DatabaseMetaData md = conn.getMetaData();
        try (ResultSet rs = md.getPrimaryKeys(null, "public", "jdbc_customers")) {
            check(rs.next(), "getPrimaryKeys returned no row");
            checkEq("public", rs.getString("TABLE_SCHEM"), "getPrimaryKeys TABLE_SCHEM");
            checkEq("jdbc_customers", rs.getString("TABLE_NAME"), "getPrimaryKeys TABLE_NAME");
            checkEq("id", rs.getString("COLUMN_NAME"), "getPrimaryKeys COLUMN_NAME");
            checkEq(1, rs.getInt("KEY_SEQ"), "getPrimaryKeys KEY_SEQ");
            checkEq("jdbc_customers_pkey", rs.getString("PK_NAME"), "getPrimaryKeys PK_NAME");
            check(!rs.next(), "getPrimaryKeys returned more than one row");
        }
    }

    static void undefinedTable() throws Exception {
        try (Statement st = conn.createStatement()) {
            try {
                st.executeQuery("SELECT * FROM no_such_table").close();
                throw new AssertionError("SELECT * FROM no_such_table should fail");
            } catch (PSQLException e) {
                checkEq("42P01", e.getSQLState(), "SQLSTATE of undefined table (" + e.getMessage() + ")");
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM jdbc_customers")) {
                check(rs.next(), "count(*) after the error returned no row");
                checkEq((long) CUSTOMERS.size(), rs.getLong(1), "count(*) after the error");
            }
        }
        try (PreparedStatement ps = conn.prepareStatement("SELECT email FROM jdbc_customers WHERE id = ?")) {
            ps.setLong(1, 2);
            try (ResultSet rs = ps.executeQuery()) {
                check(rs.next(), "prepared select after the error returned no row");
                checkEq("bob@example.com", rs.getString(1), "prepared select after the error");
            }
        }
        check(conn.isValid(5), "connection should still be valid");
    }
}

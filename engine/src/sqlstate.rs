//! SQLSTATE codes: the one place where errors get their PostgreSQL code.
//!
//! Clients branch on these (psycopg maps each to an exception class,
//! Metabase checks 42P01 and 57014), so each error kind has exactly the code
//! PostgreSQL would send.

/// `00000`
pub const SUCCESSFUL_COMPLETION: &str = "00000";
/// `0A000`
pub const FEATURE_NOT_SUPPORTED: &str = "0A000";
/// `22001`
pub const STRING_DATA_RIGHT_TRUNCATION: &str = "22001";
/// `22P02`
pub const INVALID_TEXT_REPRESENTATION: &str = "22P02";
/// `22012`
pub const DIVISION_BY_ZERO: &str = "22012";
/// `22023`
pub const INVALID_PARAMETER_VALUE: &str = "22023";
/// `22000`
pub const DATA_EXCEPTION: &str = "22000";
/// `23502`
pub const NOT_NULL_VIOLATION: &str = "23502";
/// `2BP01`
pub const DEPENDENT_OBJECTS_STILL_EXIST: &str = "2BP01";
/// `3F000`
pub const INVALID_SCHEMA_NAME: &str = "3F000";
/// `3D000`
pub const INVALID_CATALOG_NAME: &str = "3D000";
/// `40001`
pub const SERIALIZATION_FAILURE: &str = "40001";
/// `42601`
pub const SYNTAX_ERROR: &str = "42601";
/// `42P01`
pub const UNDEFINED_TABLE: &str = "42P01";
/// `42P06`
pub const DUPLICATE_SCHEMA: &str = "42P06";
/// `42P07`
pub const DUPLICATE_TABLE: &str = "42P07";
/// `42701`
pub const DUPLICATE_COLUMN: &str = "42701";
/// `42703`
pub const UNDEFINED_COLUMN: &str = "42703";
/// `42704`
pub const UNDEFINED_OBJECT: &str = "42704";
/// `42809`
pub const WRONG_OBJECT_TYPE: &str = "42809";
/// `42883`
pub const UNDEFINED_FUNCTION: &str = "42883";
/// `42804`
pub const DATATYPE_MISMATCH: &str = "42804";
/// `42P16`
pub const INVALID_TABLE_DEFINITION: &str = "42P16";
/// `42611`
pub const INVALID_COLUMN_DEFINITION: &str = "42611";
/// `42P17`
pub const INVALID_OBJECT_DEFINITION: &str = "42P17";
/// `42000`
pub const SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION: &str = "42000";
/// `53200`
pub const OUT_OF_MEMORY: &str = "53200";
/// `57014`
pub const QUERY_CANCELED: &str = "57014";
/// statement_too_complex (PostgreSQL reports "stack depth limit exceeded"
/// under this class too).
pub const STATEMENT_TOO_COMPLEX: &str = "54001";
/// `25P02`
pub const IN_FAILED_SQL_TRANSACTION: &str = "25P02";
/// `08P01`
pub const PROTOCOL_VIOLATION: &str = "08P01";
/// `22P04`
pub const BAD_COPY_FILE_FORMAT: &str = "22P04";
/// `42P05`
pub const DUPLICATE_PREPARED_STATEMENT: &str = "42P05";
/// `26000`
pub const INVALID_SQL_STATEMENT_NAME: &str = "26000";
/// `58030`
pub const IO_ERROR: &str = "58030";
/// `XX000`
pub const INTERNAL_ERROR: &str = "XX000";

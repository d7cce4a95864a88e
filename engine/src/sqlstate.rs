//! SQLSTATE codes: the one place where errors get their PostgreSQL code.
//!
//! Clients branch on these (psycopg maps each to an exception class,
//! Metabase checks 42P01 and 57014), so each error kind has exactly the code
//! PostgreSQL would send.

/// Declares each code as a constant and lists them all in [`ALL`], so
/// that a code carried as text (a pgwire `ErrorInfo`) maps back to its
/// constant.
macro_rules! codes {
    ($($(#[$doc:meta])* $name:ident = $code:literal;)*) => {
        $($(#[$doc])* pub const $name: &str = $code;)*
        /// Every code this module declares.
        pub const ALL: &[&str] = &[$($code),*];
    };
}

codes! {
    /// `00000`
    SUCCESSFUL_COMPLETION = "00000";
    /// `0A000`
    FEATURE_NOT_SUPPORTED = "0A000";
    /// `22001`
    STRING_DATA_RIGHT_TRUNCATION = "22001";
    /// `22P02`
    INVALID_TEXT_REPRESENTATION = "22P02";
    /// `22007`
    INVALID_DATETIME_FORMAT = "22007";
    /// `22008`
    DATETIME_FIELD_OVERFLOW = "22008";
    /// `22012`
    DIVISION_BY_ZERO = "22012";
    /// `22023`
    INVALID_PARAMETER_VALUE = "22023";
    /// `22000`
    DATA_EXCEPTION = "22000";
    /// `22P05`
    UNTRANSLATABLE_CHARACTER = "22P05";
    /// `22021`
    CHARACTER_NOT_IN_REPERTOIRE = "22021";
    /// `23502`
    NOT_NULL_VIOLATION = "23502";
    /// `2BP01`
    DEPENDENT_OBJECTS_STILL_EXIST = "2BP01";
    /// `3F000`
    INVALID_SCHEMA_NAME = "3F000";
    /// `3D000`
    INVALID_CATALOG_NAME = "3D000";
    /// `40001`
    SERIALIZATION_FAILURE = "40001";
    /// `42601`
    SYNTAX_ERROR = "42601";
    /// `42P01`
    UNDEFINED_TABLE = "42P01";
    /// `42P06`
    DUPLICATE_SCHEMA = "42P06";
    /// `42P07`
    DUPLICATE_TABLE = "42P07";
    /// `42701`
    DUPLICATE_COLUMN = "42701";
    /// `42703`
    UNDEFINED_COLUMN = "42703";
    /// `42704`
    UNDEFINED_OBJECT = "42704";
    /// `42809`
    WRONG_OBJECT_TYPE = "42809";
    /// `42883`
    UNDEFINED_FUNCTION = "42883";
    /// `42804`
    DATATYPE_MISMATCH = "42804";
    /// `42P16`
    INVALID_TABLE_DEFINITION = "42P16";
    /// `42611`
    INVALID_COLUMN_DEFINITION = "42611";
    /// `42P17`
    INVALID_OBJECT_DEFINITION = "42P17";
    /// `42000`
    SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION = "42000";
    /// `53200`
    OUT_OF_MEMORY = "53200";
    /// `57014`
    QUERY_CANCELED = "57014";
    /// statement_too_complex (PostgreSQL reports "stack depth limit exceeded"
    /// under this class too).
    STATEMENT_TOO_COMPLEX = "54001";
    /// `25P02`
    IN_FAILED_SQL_TRANSACTION = "25P02";
    /// `08P01`
    PROTOCOL_VIOLATION = "08P01";
    /// `22P04`
    BAD_COPY_FILE_FORMAT = "22P04";
    /// `42P05`
    DUPLICATE_PREPARED_STATEMENT = "42P05";
    /// `26000`
    INVALID_SQL_STATEMENT_NAME = "26000";
    /// `58030`
    IO_ERROR = "58030";
    /// `XX000`
    INTERNAL_ERROR = "XX000";
    /// `42702`
    AMBIGUOUS_COLUMN = "42702";
    /// `22003`
    NUMERIC_VALUE_OUT_OF_RANGE = "22003";
    /// `21000`
    CARDINALITY_VIOLATION = "21000";
    /// `2201E`
    INVALID_ARGUMENT_FOR_LOGARITHM = "2201E";
    /// `2201F`
    INVALID_ARGUMENT_FOR_POWER_FUNCTION = "2201F";
    /// `42501`
    INSUFFICIENT_PRIVILEGE = "42501";
    /// `28000`
    INVALID_AUTHORIZATION_SPECIFICATION = "28000";
    /// `28P01`
    INVALID_PASSWORD = "28P01";
    /// `55P02`
    CANT_CHANGE_RUNTIME_PARAM = "55P02";
}

/// The declared constant for `code`, if this module declares it.
pub fn known(code: &str) -> Option<&'static str> {
    ALL.iter().copied().find(|c| *c == code)
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_are_sqlstates_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for c in super::ALL {
            assert_eq!(c.len(), 5, "{c}");
            assert!(
                c.bytes()
                    .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()),
                "{c}"
            );
            assert!(seen.insert(c), "{c} twice");
        }
        assert_eq!(super::known("22000"), Some(super::DATA_EXCEPTION));
        assert_eq!(super::known("99999"), None);
    }
}

//! Errors of bad data that PostgreSQL reports with a SQLSTATE more precise
//! than `22000` (data exception). The functions raise them as
//! `DataFusionError::External(DataError)`; the engine, the one place that
//! knows SQLSTATE codes, maps each [`DataErrorKind`] to its code.

use std::fmt;

use datafusion::common::DataFusionError;

/// The PostgreSQL error condition of a [`DataError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataErrorKind {
    /// `invalid_parameter_value` (22023): an argument outside the
    /// function's domain, such as an unknown encoding name.
    InvalidParameterValue,
    /// `invalid_text_representation` (22P02): text that does not read as
    /// a value of the type.
    InvalidTextRepresentation,
    /// `untranslatable_character` (22P05): a character the target
    /// encoding cannot represent.
    UntranslatableCharacter,
    /// `character_not_in_repertoire` (22021): bytes that are not valid in
    /// their encoding.
    CharacterNotInRepertoire,
    /// `numeric_value_out_of_range` (22003): a result outside its type,
    /// such as integer overflow.
    NumericValueOutOfRange,
    /// `division_by_zero` (22012).
    DivisionByZero,
    /// `invalid_argument_for_logarithm` (2201E): the logarithm of zero or
    /// of a negative number.
    InvalidArgumentForLogarithm,
    /// `invalid_argument_for_power_function` (2201F): the square root of
    /// a negative number, zero to a negative power, …
    InvalidArgumentForPower,
}

/// A data error with PostgreSQL's condition and message.
#[derive(Debug)]
pub struct DataError {
    /// The condition, mapped to a SQLSTATE by the engine.
    pub kind: DataErrorKind,
    /// The message, in PostgreSQL's words.
    pub message: String,
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DataError {}

/// `DataError { kind, message }` as a DataFusion error.
pub fn data_error(kind: DataErrorKind, message: impl Into<String>) -> DataFusionError {
    DataFusionError::External(Box::new(DataError {
        kind,
        message: message.into(),
    }))
}

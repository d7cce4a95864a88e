//! The engine's error type and its mapping to PostgreSQL SQLSTATEs.
//!
//! [`Error::sqlstate`] is the one place that decides the code a client sees;
//! [`Error::message`] rewrites DataFusion's wording into PostgreSQL's where
//! clients or users depend on it (`relation "x" does not exist`).

use datafusion::arrow::error::ArrowError;
use datafusion::common::{DataFusionError, SchemaError};
use tessera_catalog::checks::ConstraintViolation;

use crate::sqlstate::*;

/// Result alias for the engine.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Errors from running statements, importing files and serving clients.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// SQL that does not parse; `position` is the 1-based character offset.
    #[error("{message}")]
    Syntax {
        /// What the parser said.
        message: String,
        /// 1-based character position in the statement text, when known.
        position: Option<usize>,
    },
    /// A type name that does not exist.
    #[error("type \"{0}\" does not exist")]
    UndefinedType(String),
    /// A statement Tessera does not support (yet).
    #[error("{0} is not supported")]
    Unsupported(String),
    /// A definition that is invalid (bad type modifiers, self-referencing view, …).
    #[error("{0}")]
    InvalidDefinition(String),
    /// A bad value for a setting or option.
    #[error("{0}")]
    InvalidParameter(String),
    /// An error with an explicit SQLSTATE (server-level conditions such as
    /// `57014` cancelled or `25P02` aborted transaction).
    #[error("{message}")]
    Coded {
        /// The SQLSTATE.
        state: &'static str,
        /// The message.
        message: String,
    },
    /// From the warehouse.
    #[error(transparent)]
    Catalog(#[from] tessera_catalog::Error),
    /// From DataFusion (planning and execution).
    #[error(transparent)]
    DataFusion(#[from] DataFusionError),
    /// Reading or writing a file.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// What went wrong.
        source: std::io::Error,
    },
    /// A file that cannot be imported, with where the problem is.
    #[error("{path}{}: {message}", line.map(|l| format!(", line {l}")).unwrap_or_default())]
    BadFile {
        /// The file.
        path: String,
        /// 1-based line number, when known.
        line: Option<u64>,
        /// What is wrong.
        message: String,
    },
}

impl Error {
    pub(crate) fn unsupported(what: impl Into<String>) -> Self {
        Error::Unsupported(what.into())
    }

    pub(crate) fn coded(state: &'static str, message: impl Into<String>) -> Self {
        Error::Coded {
            state,
            message: message.into(),
        }
    }

    pub(crate) fn invalid_type(msg: impl Into<String>) -> Self {
        Error::InvalidDefinition(msg.into())
    }

    /// The PostgreSQL SQLSTATE for this error.
    pub fn sqlstate(&self) -> &'static str {
        if let Some((state, _)) = self.stringified_violation() {
            return state;
        }
        match self {
            Error::Syntax { .. } => SYNTAX_ERROR,
            Error::UndefinedType(_) => UNDEFINED_OBJECT,
            Error::Unsupported(_) => FEATURE_NOT_SUPPORTED,
            Error::InvalidDefinition(_) => INVALID_OBJECT_DEFINITION,
            Error::InvalidParameter(_) => INVALID_PARAMETER_VALUE,
            Error::Coded { state, .. } => state,
            Error::Catalog(e) => catalog_state(e),
            Error::DataFusion(e) => datafusion_state(e),
            Error::Io { .. } => IO_ERROR,
            Error::BadFile { .. } => DATA_EXCEPTION,
        }
    }

    /// delta-rs turns errors raised while it consumes an INSERT's input into
    /// strings (`Generic DeltaTable error: …`), losing their type; constraint
    /// violations are recognised by their (fixed, PostgreSQL) wording.
    fn stringified_violation(&self) -> Option<(&'static str, String)> {
        let text = self.to_string();
        for (marker, state) in [
            ("null value in column ", NOT_NULL_VIOLATION),
            ("value too long for type ", STRING_DATA_RIGHT_TRUNCATION),
        ] {
            if let Some(i) = text.find(marker) {
                return Some((state, text[i..].to_string()));
            }
        }
        None
    }

    /// The message in PostgreSQL's style (lower case, names quoted).
    pub fn message(&self) -> String {
        if let Some((_, m)) = self.stringified_violation() {
            return m;
        }
        match self {
            Error::DataFusion(e) => datafusion_message(e),
            other => other.to_string(),
        }
    }

    /// 1-based character position of a syntax error.
    pub fn position(&self) -> Option<usize> {
        match self {
            Error::Syntax { position, .. } => *position,
            _ => None,
        }
    }
}

fn catalog_state(e: &tessera_catalog::Error) -> &'static str {
    use tessera_catalog::Error as C;
    match e {
        C::InvalidWarehouse { .. } => INVALID_PARAMETER_VALUE,
        C::SchemaNotFound(_) => INVALID_SCHEMA_NAME,
        C::SchemaExists(_) => DUPLICATE_SCHEMA,
        C::SchemaNotEmpty(_) => DEPENDENT_OBJECTS_STILL_EXIST,
        C::RelationNotFound { .. } => UNDEFINED_TABLE,
        C::RelationExists { .. } => DUPLICATE_TABLE,
        C::WrongObjectType { .. } => WRONG_OBJECT_TYPE,
        C::ColumnNotFound { .. } => UNDEFINED_COLUMN,
        C::ColumnExists { .. } => DUPLICATE_COLUMN,
        C::InvalidDefinition(_) => INVALID_TABLE_DEFINITION,
        C::UnsupportedType(_) => FEATURE_NOT_SUPPORTED,
        C::Unsupported(_) => FEATURE_NOT_SUPPORTED,
        C::CommitConflict { .. } => SERIALIZATION_FAILURE,
        C::CorruptCatalog { .. } => INTERNAL_ERROR,
        C::Delta(_) | C::ObjectStore(_) => IO_ERROR,
        C::DataFusion(e) => datafusion_state(e),
    }
}

fn datafusion_state(e: &DataFusionError) -> &'static str {
    match e.find_root() {
        DataFusionError::SQL(_, _) => SYNTAX_ERROR,
        DataFusionError::SchemaError(e, _) => match e.as_ref() {
            SchemaError::FieldNotFound { .. } => UNDEFINED_COLUMN,
            SchemaError::AmbiguousReference { .. } => AMBIGUOUS_COLUMN,
            SchemaError::DuplicateQualifiedField { .. }
            | SchemaError::DuplicateUnqualifiedField { .. } => DUPLICATE_COLUMN,
        },
        DataFusionError::NotImplemented(_) => FEATURE_NOT_SUPPORTED,
        DataFusionError::ResourcesExhausted(_) => OUT_OF_MEMORY,
        DataFusionError::ArrowError(a, _) => arrow_state(a),
        DataFusionError::External(inner) => external_state(inner.as_ref()),
        DataFusionError::Plan(m) if table_not_found(m).is_some() => UNDEFINED_TABLE,
        DataFusionError::Plan(m) if m.contains("Invalid function") => UNDEFINED_FUNCTION,
        DataFusionError::Plan(m) if m.contains("No function matches") => UNDEFINED_FUNCTION,
        DataFusionError::Plan(m) if m.contains("does not exist") => UNDEFINED_COLUMN,
        DataFusionError::Plan(m) if m.contains("Cannot") && m.contains("cast") => DATATYPE_MISMATCH,
        DataFusionError::Plan(_) => SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION,
        DataFusionError::Execution(m) if m.contains("Divide by zero") => DIVISION_BY_ZERO,
        DataFusionError::Execution(m)
            if m.starts_with("numeric field overflow")
                || m.starts_with("interval out of range") =>
        {
            NUMERIC_VALUE_OUT_OF_RANGE
        }
        DataFusionError::Execution(m) if m.contains("Cannot cast") => INVALID_TEXT_REPRESENTATION,
        DataFusionError::Execution(m) if m.starts_with("date/time field value out of range") => {
            DATETIME_FIELD_OVERFLOW
        }
        DataFusionError::Execution(m)
            if m.starts_with("invalid input syntax for type date")
                || m.starts_with("invalid input syntax for type timestamp") =>
        {
            INVALID_DATETIME_FORMAT
        }
        DataFusionError::Execution(m) if m.starts_with("invalid input syntax for type") => {
            INVALID_TEXT_REPRESENTATION
        }
        DataFusionError::Execution(m) if m.starts_with("time zone \"") => INVALID_PARAMETER_VALUE,
        // DataFusion's split_part, in PostgreSQL's words already.
        DataFusionError::Execution(m) if m == "field position must not be zero" => {
            INVALID_PARAMETER_VALUE
        }
        DataFusionError::Execution(_) => DATA_EXCEPTION,
        DataFusionError::IoError(_) | DataFusionError::ObjectStore(_) => IO_ERROR,
        _ => INTERNAL_ERROR,
    }
}

fn arrow_state(e: &ArrowError) -> &'static str {
    match e {
        ArrowError::CastError(m) if let Some((state, _)) = cast_failure(m) => state,
        ArrowError::DivideByZero => DIVISION_BY_ZERO,
        ArrowError::CastError(_) | ArrowError::ParseError(_) => INVALID_TEXT_REPRESENTATION,
        ArrowError::ArithmeticOverflow(_) => NUMERIC_VALUE_OUT_OF_RANGE,
        ArrowError::ExternalError(inner) => external_state(inner.as_ref()),
        _ => DATA_EXCEPTION,
    }
}

/// A constraint violation anywhere in an error's source chain (delta-rs and
/// DataFusion wrap the errors our execution nodes raise).
fn find_violation<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a ConstraintViolation> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(v) = err.downcast_ref::<ConstraintViolation>() {
            return Some(v);
        }
        if let Some(DataFusionError::External(inner)) = err.downcast_ref::<DataFusionError>()
            && let Some(v) = inner.downcast_ref::<ConstraintViolation>()
        {
            return Some(v);
        }
        cur = err.source();
    }
    None
}

fn external_state(e: &(dyn std::error::Error + Send + Sync + 'static)) -> &'static str {
    if let Some(v) = find_violation(e) {
        return match v {
            ConstraintViolation::NotNull { .. } => NOT_NULL_VIOLATION,
            ConstraintViolation::TooLong { .. } => STRING_DATA_RIGHT_TRUNCATION,
            ConstraintViolation::Unstorable { .. } => DATETIME_FIELD_OVERFLOW,
        };
    }
    if let Some(c) = e.downcast_ref::<tessera_catalog::Error>() {
        return catalog_state(c);
    }
    if let Some(d) = e.downcast_ref::<tessera_udfs::error::DataError>() {
        use tessera_udfs::error::DataErrorKind as K;
        return match d.kind {
            K::InvalidParameterValue => INVALID_PARAMETER_VALUE,
            K::InvalidTextRepresentation => INVALID_TEXT_REPRESENTATION,
            K::UntranslatableCharacter => UNTRANSLATABLE_CHARACTER,
            K::CharacterNotInRepertoire => CHARACTER_NOT_IN_REPERTOIRE,
            K::NumericValueOutOfRange => NUMERIC_VALUE_OUT_OF_RANGE,
            K::DivisionByZero => DIVISION_BY_ZERO,
            K::InvalidArgumentForLogarithm => INVALID_ARGUMENT_FOR_LOGARITHM,
            K::InvalidArgumentForPower => INVALID_ARGUMENT_FOR_POWER_FUNCTION,
        };
    }
    if let Some(d) = e.downcast_ref::<DataFusionError>() {
        return datafusion_state(d);
    }
    if let Some(d) = e.downcast_ref::<deltalake::DeltaTableError>() {
        return delta_state(d);
    }
    INTERNAL_ERROR
}

fn delta_state(e: &deltalake::DeltaTableError) -> &'static str {
    use deltalake::DeltaTableError as D;
    match e {
        D::Arrow { source } => arrow_state(source),
        D::GenericError { source } => external_state(source.as_ref()),
        D::Transaction { .. } => SERIALIZATION_FAILURE,
        _ => DATA_EXCEPTION,
    }
}

/// The relation name in DataFusion's "table 'a.b.c' not found".
fn table_not_found(msg: &str) -> Option<&str> {
    let rest = msg.strip_prefix("table '")?;
    let name = rest.strip_suffix("' not found")?;
    Some(name)
}

fn datafusion_message(e: &DataFusionError) -> String {
    let root = e.find_root();
    match root {
        DataFusionError::Plan(m) => match table_not_found(m) {
            Some(name) => {
                // Show the name as the user wrote it, without our catalog prefix.
                let short = name.strip_prefix("tessera.").unwrap_or(name);
                let short = short.strip_prefix("public.").unwrap_or(short);
                format!("relation \"{short}\" does not exist")
            }
            None => m.clone(),
        },
        DataFusionError::SchemaError(s, _) => match s.as_ref() {
            SchemaError::FieldNotFound { field, .. } => {
                format!("column \"{}\" does not exist", field.name)
            }
            SchemaError::AmbiguousReference { field } => {
                format!("column reference \"{}\" is ambiguous", field.name)
            }
            other => other.to_string(),
        },
        DataFusionError::External(inner) => external_message(inner.as_ref()),
        DataFusionError::ArrowError(a, _) if matches!(a.as_ref(), ArrowError::ExternalError(_)) => {
            match a.as_ref() {
                ArrowError::ExternalError(inner) => external_message(inner.as_ref()),
                other => other.to_string(),
            }
        }
        DataFusionError::ArrowError(a, _) => match a.as_ref() {
            ArrowError::CastError(m) if let Some((_, message)) = cast_failure(m) => message,
            ArrowError::DivideByZero => "division by zero".to_string(),
            other => other.to_string(),
        },
        DataFusionError::Execution(m) if m.contains("Divide by zero") => {
            "division by zero".to_string()
        }
        DataFusionError::Execution(m) | DataFusionError::NotImplemented(m) => m.clone(),
        other => other.to_string(),
    }
}

/// Arrow's failure to read text as a number or boolean ("Cannot cast
/// string 'abc' to value of Int32 type") in PostgreSQL's words and code:
/// `invalid input syntax for type integer: "abc"` (22P02), or for digits
/// that do not fit, `value "9999999999" is out of range for type integer`
/// (22003).
fn cast_failure(m: &str) -> Option<(&'static str, String)> {
    let rest = m
        .strip_prefix("Cannot cast string '")
        .or_else(|| m.strip_prefix("Cannot cast value '"))?;
    let (text, arrow_type) = rest.rsplit_once("' to value of ")?;
    let arrow_type = arrow_type.strip_suffix(" type")?;
    let (pg, integer) = match arrow_type {
        "Int8" | "Int16" => ("smallint", true),
        "Int32" => ("integer", true),
        "Int64" => ("bigint", true),
        "Float32" => ("real", false),
        "Float64" => ("double precision", false),
        "Boolean" => ("boolean", false),
        t if t.starts_with("Decimal") => ("numeric", false),
        _ => return None,
    };
    let digits = text.trim();
    let digits = digits.strip_prefix(['-', '+']).unwrap_or(digits);
    if integer && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return Some((
            NUMERIC_VALUE_OUT_OF_RANGE,
            format!("value \"{text}\" is out of range for type {pg}"),
        ));
    }
    Some((
        INVALID_TEXT_REPRESENTATION,
        format!("invalid input syntax for type {pg}: \"{text}\""),
    ))
}

fn external_message(e: &(dyn std::error::Error + Send + Sync + 'static)) -> String {
    if let Some(v) = find_violation(e) {
        return v.to_string();
    }
    if let Some(d) = e.downcast_ref::<DataFusionError>() {
        return datafusion_message(d);
    }
    if let Some(deltalake::DeltaTableError::GenericError { source }) =
        e.downcast_ref::<deltalake::DeltaTableError>()
    {
        return external_message(source.as_ref());
    }
    e.to_string()
}

impl From<ArrowError> for Error {
    fn from(e: ArrowError) -> Self {
        Error::DataFusion(e.into())
    }
}

impl From<tessera_catalog::checks::ConstraintViolation> for Error {
    fn from(v: tessera_catalog::checks::ConstraintViolation) -> Self {
        Error::DataFusion(DataFusionError::External(Box::new(v)))
    }
}

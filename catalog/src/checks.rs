//! Write-time checks that Delta does not do for us: `NOT NULL` and
//! `varchar(n)`/`char(n)` lengths, with PostgreSQL's messages, and the
//! values PostgreSQL stores for those types: `char(n)` padded with spaces
//! to `n`, and excess trailing spaces of either cut (`'FR  '` fits
//! `char(2)`; any other excess character is an error).
//!
//! [`ConstraintCheckExec`] wraps the input of an `INSERT` (and the rows of a
//! `CREATE TABLE AS`) and fails the statement on the first offending batch,
//! before anything is committed: Delta commits only after all data is written.

use std::fmt;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, RecordBatch, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{DataFusionError, Result};
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::{DisplayAs, DisplayFormatType, ExecutionPlan, PlanProperties};
use futures::StreamExt;

use crate::metadata::TableMeta;
use crate::pg_type::PgType;

/// A violated constraint, reported with PostgreSQL's wording.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ConstraintViolation {
    /// SQLSTATE 23502.
    #[error(
        "null value in column \"{column}\" of relation \"{table}\" violates not-null constraint"
    )]
    NotNull {
        /// Table name.
        table: String,
        /// Column name.
        column: String,
    },
    /// SQLSTATE 22001.
    #[error("value too long for type {pg_type}")]
    TooLong {
        /// The declared type, e.g. `character varying(10)`.
        pg_type: String,
    },
    /// SQLSTATE 22008: a date or timestamp Delta's statistics cannot hold
    /// (`'infinity'`, years past 262142; delta-rs 1.1 would panic on them).
    #[error(
        "date/time value out of range for storage in column \"{column}\": \
         'infinity' and years beyond 262142 cannot be stored in tables yet"
    )]
    Unstorable {
        /// Column name.
        column: String,
    },
}

#[derive(Debug, Clone)]
struct ColumnCheck {
    index: usize,
    name: String,
    not_null: bool,
    max_chars: Option<(u32, String)>,
    /// `char(n)`: shorter values are padded to `n`.
    pad: bool,
    /// A date or timestamp column: values are checked against what Delta's
    /// statistics can hold.
    datetime: bool,
}

/// Checks `NOT NULL` and length limits on the rows flowing through it.
#[derive(Debug)]
pub struct ConstraintCheckExec {
    input: Arc<dyn ExecutionPlan>,
    table: String,
    checks: Arc<Vec<ColumnCheck>>,
}

impl ConstraintCheckExec {
    /// Wraps `input` (whose columns are the table's, in order) when the table
    /// has anything to check; returns `input` unchanged otherwise.
    pub fn wrap(
        input: Arc<dyn ExecutionPlan>,
        table: &str,
        meta: &TableMeta,
    ) -> Arc<dyn ExecutionPlan> {
        let checks: Vec<ColumnCheck> = meta
            .columns
            .iter()
            .enumerate()
            .filter_map(|(index, c)| {
                let max_chars = match &c.pg_type {
                    PgType::Varchar { max_len: Some(n) } | PgType::Char { len: Some(n) } => {
                        Some((*n, c.pg_type.to_string()))
                    }
                    _ => None,
                };
                let datetime = matches!(
                    c.pg_type,
                    PgType::Date | PgType::Timestamp | PgType::Timestamptz
                );
                (!c.nullable || max_chars.is_some() || datetime).then(|| ColumnCheck {
                    index,
                    name: c.name.clone(),
                    not_null: !c.nullable,
                    max_chars,
                    pad: matches!(c.pg_type, PgType::Char { len: Some(_) }),
                    datetime,
                })
            })
            .collect();
        if checks.is_empty() {
            return input;
        }
        Arc::new(ConstraintCheckExec {
            input,
            table: table.to_string(),
            checks: Arc::new(checks),
        })
    }
}

fn check_batch(batch: RecordBatch, table: &str, checks: &[ColumnCheck]) -> Result<RecordBatch> {
    let mut columns = batch.columns().to_vec();
    let mut changed = false;
    for c in checks {
        let Some(array) = batch.columns().get(c.index) else {
            continue;
        };
        if c.not_null && array.null_count() > 0 {
            return Err(violation(ConstraintViolation::NotNull {
                table: table.to_string(),
                column: c.name.clone(),
            }));
        }
        if c.datetime && !storable(array) {
            return Err(violation(ConstraintViolation::Unstorable {
                column: c.name.clone(),
            }));
        }
        if let Some((max, pg_type)) = &c.max_chars
            && let Some(stored) = fit(array, *max as usize, c.pad, pg_type)?
        {
            columns[c.index] = stored;
            changed = true;
        }
    }
    if !changed {
        return Ok(batch);
    }
    Ok(RecordBatch::try_new(batch.schema(), columns)?)
}

/// The values of a `varchar(max)`/`char(max)` column as PostgreSQL stores
/// them (`None` when they already are): excess trailing spaces cut, `char`
/// values padded; an error for any other excess.
fn fit(array: &ArrayRef, max: usize, pad: bool, pg_type: &str) -> Result<Option<ArrayRef>> {
    let strings: Vec<Option<&str>> = match array.data_type() {
        DataType::Utf8 => array.as_string::<i32>().iter().collect(),
        DataType::LargeUtf8 => array.as_string::<i64>().iter().collect(),
        DataType::Utf8View => array.as_string_view().iter().collect(),
        _ => return Ok(None),
    };
    // Characters, counted only when the byte length could differ from `max`.
    let chars = |s: &str| {
        if s.len() <= max && !pad {
            s.len()
        } else {
            s.chars().count()
        }
    };
    let mut needs = false;
    for s in strings.iter().flatten() {
        let n = chars(s);
        if n > max {
            let excess = s.char_indices().nth(max).map_or("", |(at, _)| &s[at..]);
            if !excess.bytes().all(|b| b == b' ') {
                return Err(violation(ConstraintViolation::TooLong {
                    pg_type: pg_type.to_string(),
                }));
            }
            needs = true;
        } else if pad && n < max {
            needs = true;
        }
    }
    if !needs {
        return Ok(None);
    }
    let stored: StringArray = strings
        .iter()
        .map(|s| {
            s.map(|s| {
                let n = chars(s);
                if n > max {
                    s.chars().take(max).collect::<String>()
                } else if pad && n < max {
                    format!("{s}{}", " ".repeat(max - n))
                } else {
                    s.to_string()
                }
            })
        })
        .collect();
    Ok(Some(cast(&stored, array.data_type())?))
}

/// Whether every date/timestamp of `array` is within chrono's range, which
/// delta-rs' file statistics convert them to (years -262143 to 262142).
fn storable(array: &ArrayRef) -> bool {
    use datafusion::arrow::datatypes::{Date32Type, TimeUnit, TimestampMicrosecondType};
    // 262142-12-31 and -262143-01-01, in days and microseconds from 1970.
    const MAX_DAYS: i64 = 95_026_236;
    const MIN_DAYS: i64 = -96_465_292;
    const MICROS_PER_DAY: i64 = 86_400_000_000;
    let in_days = |d: i64| (MIN_DAYS..=MAX_DAYS).contains(&d);
    match array.data_type() {
        DataType::Date32 => (array.as_primitive::<Date32Type>().iter())
            .flatten()
            .all(|d| in_days(i64::from(d))),
        DataType::Timestamp(TimeUnit::Microsecond, _) => {
            (array.as_primitive::<TimestampMicrosecondType>().iter())
                .flatten()
                .all(|t| in_days(t.div_euclid(MICROS_PER_DAY)))
        }
        _ => true,
    }
}

fn violation(v: ConstraintViolation) -> DataFusionError {
    DataFusionError::External(Box::new(v))
}

impl DisplayAs for ConstraintCheckExec {
    fn fmt_as(&self, _t: DisplayFormatType, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ConstraintCheckExec: table={}", self.table)
    }
}

impl ExecutionPlan for ConstraintCheckExec {
    fn name(&self) -> &str {
        "ConstraintCheckExec"
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        self.input.properties()
    }

    fn apply_expressions(
        &self,
        _f: &mut dyn FnMut(
            &Arc<dyn datafusion::physical_expr::PhysicalExpr>,
        ) -> Result<datafusion::common::tree_node::TreeNodeRecursion>,
    ) -> Result<datafusion::common::tree_node::TreeNodeRecursion> {
        Ok(datafusion::common::tree_node::TreeNodeRecursion::Continue)
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        vec![&self.input]
    }

    fn with_new_children(
        self: Arc<Self>,
        mut children: Vec<Arc<dyn ExecutionPlan>>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        Ok(Arc::new(ConstraintCheckExec {
            input: children.swap_remove(0),
            table: self.table.clone(),
            checks: self.checks.clone(),
        }))
    }

    fn execute(
        &self,
        partition: usize,
        context: Arc<TaskContext>,
    ) -> Result<SendableRecordBatchStream> {
        let input = self.input.execute(partition, context)?;
        let schema = input.schema();
        let table = self.table.clone();
        let checks = self.checks.clone();
        let stream = input.map(move |batch| check_batch(batch?, &table, &checks));
        Ok(Box::pin(RecordBatchStreamAdapter::new(schema, stream)))
    }
}

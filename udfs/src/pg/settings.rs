//! PostgreSQL session settings that change how functions read their input,
//! carried in DataFusion's configuration (an extension, so they travel with
//! the session's config to wherever a plan runs) rather than in process
//! state. `TimeZone` is DataFusion's own `execution.time_zone`.

use datafusion::common::extensions_options;
use datafusion::config::{ConfigExtension, ConfigOptions};

extensions_options! {
    /// The settings (`tessera_pg.*` in DataFusion's configuration).
    pub struct PgSettings {
        /// The field order of ambiguous dates (`01/02/2024`): `MDY`, `DMY`
        /// or `YMD`, the second part of `DateStyle` (PostgreSQL's
        /// `DateOrder`).
        pub date_order: String, default = "MDY".to_string()
        /// `IntervalStyle`: under `sql_standard` a leading `-` in interval
        /// text applies to every field (`-1 2:00:00`).
        pub interval_style: String, default = "postgres".to_string()
    }
}

impl ConfigExtension for PgSettings {
    const PREFIX: &'static str = "tessera_pg";
}

/// How the fields of a date such as `01/02/2024` are ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateOrder {
    /// Month, day, year (PostgreSQL's default, `DateStyle = 'ISO, MDY'`).
    Mdy,
    /// Day, month, year (`DateStyle = 'ISO, DMY'`, French data).
    Dmy,
    /// Year, month, day.
    Ymd,
}

impl DateOrder {
    /// The order named in a `DateStyle` value (`ISO, DMY`, `European`,
    /// `German`…); `None` when it names none.
    pub fn from_date_style(style: &str) -> Option<DateOrder> {
        let mut order = None;
        for part in style.split([',', ' ']).map(str::trim) {
            match part.to_ascii_uppercase().as_str() {
                "MDY" | "US" | "NONEURO" | "NONEUROPEAN" => order = Some(DateOrder::Mdy),
                "DMY" | "EURO" | "EUROPEAN" => order = Some(DateOrder::Dmy),
                "YMD" => order = Some(DateOrder::Ymd),
                _ => {}
            }
        }
        order
    }

    /// The session's order (`MDY` when unset).
    pub fn of_session(config: &ConfigOptions) -> DateOrder {
        config
            .extensions
            .get::<PgSettings>()
            .and_then(|s| DateOrder::from_date_style(&s.date_order))
            .unwrap_or(DateOrder::Mdy)
    }

    /// The name stored in [`PgSettings::date_order`].
    pub fn name(self) -> &'static str {
        match self {
            DateOrder::Mdy => "MDY",
            DateOrder::Dmy => "DMY",
            DateOrder::Ymd => "YMD",
        }
    }
}

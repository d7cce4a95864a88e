//! `tessera demo`: create the sample customer base.

use std::process::ExitCode;
use std::time::Instant;

use clap::Args;

use crate::demo::Profile;
use crate::error::Result;
use crate::session::Engine;

/// Arguments of `tessera demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Schema to create the tables in.
    #[arg(long, default_value = "public")]
    pub schema: String,
    /// Size multiplier (1 = about 620 000 rows in all with the demo profile,
    /// 8.7 million with the bench profile).
    #[arg(long, default_value_t = 1.0)]
    pub scale: f64,
    /// Shape of the data: the demo base, or the benchmark's (more orders and
    /// events per customer).
    #[arg(long, value_enum, default_value_t = Profile::Demo)]
    pub profile: Profile,
    /// Drop existing demo tables first.
    #[arg(long)]
    pub replace: bool,
}

/// Runs `tessera demo`.
pub async fn run(engine: &Engine, args: &DemoArgs) -> Result<ExitCode> {
    if !(args.scale > 0.0 && args.scale <= 1000.0) {
        return Err(crate::error::Error::InvalidParameter(
            "--scale must be greater than 0 and at most 1000".into(),
        ));
    }
    let session = engine.session();
    if args.replace {
        for t in crate::demo::TABLES {
            engine.warehouse().drop_table(&args.schema, t, true).await?;
        }
    }
    let started = Instant::now();
    let counts = crate::demo::create(&session, &args.schema, args.profile, args.scale).await?;
    for (t, n) in &counts {
        eprintln!("{}.{t}: {n} rows", args.schema);
    }
    eprintln!(
        "demo data created in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// Creates the demo tables unless `schema` already has them.
pub async fn ensure(engine: &Engine, schema: &str) -> Result<bool> {
    let state = engine.warehouse().state();
    let present = state.schemas.get(schema).is_some_and(|s| {
        crate::demo::TABLES
            .iter()
            .all(|t| s.tables.contains_key(*t))
    });
    if present {
        return Ok(false);
    }
    let session = engine.session();
    crate::demo::create(&session, schema, Profile::Demo, 1.0).await?;
    Ok(true)
}

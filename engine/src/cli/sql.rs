//! `tessera sql`: run SQL from -c, -f, standard input or an interactive shell.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::error::{Error, Result};
use crate::output::{self, Format};
use crate::session::{Engine, QueryOutput, Session, parse};

/// Arguments of `tessera sql`.
#[derive(Debug, Args)]
pub struct SqlArgs {
    /// SQL to run (several `;`-separated statements allowed); repeatable.
    #[arg(short = 'c', long = "command")]
    pub commands: Vec<String>,
    /// File of SQL statements to run; repeatable.
    #[arg(short = 'f', long = "file")]
    pub files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table, env = "TESSERA_FORMAT")]
    pub format: Format,
}

/// Runs `tessera sql`.
pub async fn run(engine: &Engine, args: &SqlArgs) -> Result<ExitCode> {
    let session = crate::server::catalog_session(engine, None).await?;
    let mut scripts = Vec::new();
    for c in &args.commands {
        scripts.push(c.clone());
    }
    for f in &args.files {
        let text = std::fs::read_to_string(f).map_err(|source| Error::Io {
            path: f.display().to_string(),
            source,
        })?;
        scripts.push(text);
    }
    if scripts.is_empty() {
        if std::io::stdin().is_terminal() {
            return crate::shell::run(&session, args.format).await;
        }
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|source| Error::Io {
                path: "<stdin>".into(),
                source,
            })?;
        scripts.push(text);
    }
    let mut stdout = std::io::stdout().lock();
    for script in &scripts {
        if let Err(e) = run_script(&session, script, args.format, &mut stdout).await {
            print_error(&e, script);
            return Ok(ExitCode::FAILURE);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs every statement of `script`, printing results; stops at the first error.
pub async fn run_script(
    session: &Session,
    script: &str,
    format: Format,
    out: &mut dyn Write,
) -> Result<()> {
    for stmt in parse(script)? {
        match session.execute_statement(stmt).await? {
            QueryOutput::Rows { schema, stream } => {
                use futures::TryStreamExt;
                let batches: Vec<_> = stream.try_collect().await?;
                output::write_rows(out, format, &schema, &batches)?;
            }
            QueryOutput::Command { tag } => {
                if format == Format::Table {
                    writeln!(out, "{tag}").map_err(|source| Error::Io {
                        path: "<stdout>".into(),
                        source,
                    })?;
                }
            }
        }
    }
    Ok(())
}

/// Prints an error as psql does, with the line and a caret for syntax errors.
pub fn print_error(e: &Error, script: &str) {
    eprintln!("ERROR:  {}", e.message());
    if let Some(pos) = e.position() {
        let mut seen = 0;
        for (n, line) in script.split('\n').enumerate() {
            let len = line.chars().count() + 1;
            if pos <= seen + len {
                let prefix = format!("LINE {}: ", n + 1);
                eprintln!("{prefix}{line}");
                eprintln!(
                    "{}^",
                    " ".repeat(prefix.len() + pos.saturating_sub(seen + 1))
                );
                break;
            }
            seen += len;
        }
    }
}

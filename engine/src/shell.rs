//! The interactive SQL shell of `tessera sql`: line editing and history
//! (rustyline), statements ended by `;`, and psql-like backslash commands
//! (`\d`, `\dt`, `\dv`, `\dn`, `\d NAME`, `\timing`, `\q`).

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use rustyline::DefaultEditor;
use rustyline::error::ReadlineError;

use crate::cli::sql::{print_error, run_script};
use crate::describe;
use crate::error::Result;
use crate::output::Format;
use crate::session::Session;

const HELP: &str = "\
  \\d [NAME]   list relations, or describe table/view NAME
  \\dt         list tables
  \\dv         list views
  \\dn         list schemas
  \\timing     toggle timing of statements
  \\q          quit
Statements end with a semicolon.";

/// Runs the shell until `\q` or end of input.
pub async fn run(session: &Session, format: Format) -> Result<ExitCode> {
    let mut editor = match DefaultEditor::new() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("tessera: cannot start line editor: {e}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let history =
        std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".tessera_history"));
    if let Some(h) = &history {
        let _ = editor.load_history(h);
    }
    println!(
        "tessera {} — type \\? for help, \\q to quit.",
        env!("CARGO_PKG_VERSION")
    );
    let mut buffer = String::new();
    let mut timing = false;
    loop {
        let prompt = if buffer.is_empty() {
            "tessera=> "
        } else {
            "tessera-> "
        };
        let line = match editor.readline(prompt) {
            Ok(l) => l,
            Err(ReadlineError::Interrupted) => {
                buffer.clear();
                continue;
            }
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                eprintln!("tessera: {e}");
                break;
            }
        };
        let trimmed = line.trim();
        if buffer.is_empty() && trimmed.starts_with('\\') {
            let _ = editor.add_history_entry(trimmed);
            let mut words = trimmed.split_whitespace();
            let cmd = words.next().unwrap_or_default();
            let arg = words.next();
            let mut out = std::io::stdout().lock();
            let r = match cmd {
                "\\q" => break,
                "\\?" => {
                    println!("{HELP}");
                    Ok(())
                }
                "\\timing" => {
                    timing = !timing;
                    println!("Timing is {}.", if timing { "on" } else { "off" });
                    Ok(())
                }
                "\\d" => match arg {
                    Some(name) => describe::relation(session, name, &mut out),
                    None => describe::relations(session, None, &mut out),
                },
                "\\dt" => describe::relations(
                    session,
                    Some(tessera_catalog::RelationKind::Table),
                    &mut out,
                ),
                "\\dv" => describe::relations(
                    session,
                    Some(tessera_catalog::RelationKind::View),
                    &mut out,
                ),
                "\\dn" => describe::schemas(session, &mut out),
                other => {
                    eprintln!("invalid command {other}; try \\?");
                    Ok(())
                }
            };
            if let Err(e) = r {
                print_error(&e, "");
            }
            continue;
        }
        if !buffer.is_empty() {
            buffer.push('\n');
        }
        buffer.push_str(&line);
        if !trimmed.ends_with(';') {
            continue;
        }
        let _ = editor.add_history_entry(buffer.as_str());
        let started = Instant::now();
        let mut out = std::io::stdout().lock();
        if let Err(e) = run_script(session, &buffer, format, &mut out).await {
            print_error(&e, &buffer);
        }
        if timing {
            let _ = writeln!(
                out,
                "Time: {:.3} ms",
                started.elapsed().as_secs_f64() * 1000.0
            );
        }
        buffer.clear();
    }
    if let Some(h) = &history {
        let _ = editor.save_history(h);
    }
    Ok(ExitCode::SUCCESS)
}

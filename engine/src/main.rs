//! The `tessera` binary: parses arguments, starts logging, runs the library.

use std::process::ExitCode;

use clap::Parser;
use tessera_engine::cli::{Cli, run};

/// mimalloc instead of glibc's malloc: streaming results allocates and
/// frees many short-lived row buffers, and glibc kept returning pages to
/// the kernel and faulting them back (a quarter of the server's CPU time in
/// `clear_page`/`malloc`/`free` in a `perf` profile of a 10M-row fetch).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    tessera_engine::allocator::tune();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    // Deeply nested client queries need deep planner recursion: big worker stacks.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(16 * 1024 * 1024)
        .build();
    let runtime = match runtime {
        Ok(r) => r,
        Err(e) => {
            eprintln!("tessera: cannot start runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("ERROR:  {}", e.message());
            ExitCode::FAILURE
        }
    }
}

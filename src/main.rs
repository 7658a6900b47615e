//! The `vault` binary: parse the command line, run it, map the outcome to an exit code.

use clap::Parser;
use partner_vault::cli::Cli;
use partner_vault::error::{is_broken_pipe, Rendered, EXIT_OK, EXIT_TOOL};
use partner_vault::text::clean;
use std::process::ExitCode;

/// Notes make many small strings; mimalloc allocates and frees them faster than the system
/// allocator, and keeps less memory fragmented across the parsing threads.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match partner_vault::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(error) if is_broken_pipe(&error) => ExitCode::from(EXIT_OK),
        Err(error) => {
            // Messages quote names and values from the notes: escaped, never sent raw.
            match error.downcast_ref::<Rendered>() {
                Some(rendered) => eprintln!("{}", clean(&rendered.to_string())),
                None => eprintln!("vault: error: {}", clean(&format!("{error:#}"))),
            }
            ExitCode::from(EXIT_TOOL)
        }
    }
}

//! `vault completions SHELL`: a completion script for the shell, printed for the user to save
//! where the shell looks for one. Needs no vault.

use crate::cli::{Cli, CompletionsArgs};
use crate::error::EXIT_OK;
use clap::CommandFactory;
use std::io::Write;

/// The name the scripts complete: the binary's.
const BIN: &str = "vault";

pub fn run(args: &CompletionsArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let mut command = Cli::command();
    clap_complete::generate(args.shell, &mut command, BIN, out);
    Ok(EXIT_OK)
}

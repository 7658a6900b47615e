//! `vault docs`: the project's documentation, built into the binary, so that a hint can point
//! at it wherever the vault is.

use crate::cli::{DocsArgs, DocsTopic};
use crate::error::EXIT_OK;
use std::io::Write;

const FORMAT: &str = include_str!("../../docs/format.md");
const TEMPLATES: &str = include_str!("../../docs/templates.md");

pub fn run(args: &DocsArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let text = match args.topic {
        DocsTopic::Format => FORMAT,
        DocsTopic::Templates => TEMPLATES,
    };
    out.write_all(text.as_bytes())?;
    Ok(EXIT_OK)
}

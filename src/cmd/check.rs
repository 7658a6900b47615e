//! `vault check`: every problem in the vault, compiler-style or as JSON.

use super::Context;
use crate::cli::{CheckArgs, CheckFormat};
use crate::diagnostic;
use crate::error::{EXIT_DATA, EXIT_OK};
use std::io::Write;

pub fn run(ctx: &Context, args: &CheckArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let vault = ctx.load();
    let (errors, warnings) = diagnostic::counts(&vault.diagnostics);
    match args.format {
        CheckFormat::Json => out.write_all(diagnostic::to_json(&vault.diagnostics).as_bytes())?,
        CheckFormat::Human => {
            out.write_all(
                diagnostic::render_human(&vault.diagnostics, &vault.root, ctx.color).as_bytes(),
            )?;
            let notes = vault.partners.len() + vault.others.len();
            let summary = match (errors, warnings) {
                (0, 0) => "no problems".to_string(),
                _ => format!("{errors} error(s), {warnings} warning(s)"),
            };
            writeln!(
                out,
                "checked {notes} notes ({} partners): {summary}",
                vault.partners.len()
            )?;
        }
    }
    let failed = errors > 0 || (args.strict && warnings > 0);
    Ok(if failed { EXIT_DATA } else { EXIT_OK })
}

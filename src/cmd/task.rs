//! `vault task NAME [--due DATE] TEXT`: an open task in the partner's note, after its last
//! task (in a new `## Tasks` section when it has none).

use super::{edit, Context};
use crate::cadence::Cadence;
use crate::cli::TaskArgs;
use crate::edit::add_task;
use anyhow::{anyhow, bail};
use std::io::Write;

pub fn run(ctx: &Context, args: &TaskArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let text = args.text.trim();
    if text.is_empty() || text.contains(['\n', '\r']) {
        bail!("the task's text must be one line, not empty");
    }
    let task = match &args.due {
        Some(due) => {
            let day =
                Cadence::day_or_span(due, ctx.today).map_err(|e| anyhow!("--due {due}: {e}"))?;
            format!("{day} {text}")
        }
        None => text.to_string(),
    };
    let vault = ctx.load();
    let note = edit::open(ctx, vault, &args.name)?;
    let new = add_task(&note.text, &note.layout, &task);
    let written = format!("[ ] {task}");
    let edited = edit::Edited {
        action: "task",
        new_text: &new,
        summary: format!("{}: added `- {written}`", note.rel),
        is_main: &|line: &str| line.ends_with(&written),
    };
    note.finish(ctx, edited, &args.edit, out)
}

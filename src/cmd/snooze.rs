//! `vault snooze NAME SPAN|DATE`: set `next:`, the day the next touch is planned for.

use super::{edit, Context};
use crate::cadence::Cadence;
use crate::cli::SnoozeArgs;
use crate::edit::{key_value, set_key};
use anyhow::anyhow;
use std::io::Write;

pub fn run(ctx: &Context, args: &SnoozeArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let next =
        Cadence::day_or_span(&args.when, ctx.today).map_err(|e| anyhow!("{}: {e}", args.when))?;
    let vault = ctx.load();
    let note = edit::open(ctx, vault, &args.name)?;
    let was = key_value(&note.text, &note.layout, "next")
        .map_or(String::new(), |v| format!(" (was {v})"));
    let new = set_key(&note.text, &note.layout, "next", &next.to_string())?;
    let edited = edit::Edited {
        action: "snooze",
        new_text: &new,
        summary: format!("{}: next {next}{was}", note.rel),
        is_main: &edit::key_line("next"),
    };
    note.finish(ctx, edited, &args.edit, out)
}

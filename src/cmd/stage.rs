//! `vault stage NAME STAGE`: set `stage:` and record the move in the Log
//! (`- 2026-11-26 stage: nurturing -> partner`), so the pipeline keeps its history.

use super::{edit, Context};
use crate::cli::StageArgs;
use crate::edit::{add_log_entry, key_value, set_key};
use crate::partner::STAGE;
use crate::suggest;
use anyhow::bail;
use std::io::Write;

pub fn run(ctx: &Context, args: &StageArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let stages = &ctx.config.stages;
    let Some(stage) = stages
        .iter()
        .find(|s| s.eq_ignore_ascii_case(args.stage.trim()))
    else {
        bail!(
            "unknown stage `{}`; {}",
            args.stage,
            suggest::hint_for(&args.stage, stages, "the stages")
        );
    };
    let vault = ctx.load();
    let note = edit::open(ctx, vault, &args.name)?;
    let old = key_value(&note.text, &note.layout, "stage")
        .unwrap_or("(none)")
        .to_string();
    if old.eq_ignore_ascii_case(stage) {
        let summary = format!("{}: already in stage {stage}; nothing to change", note.rel);
        return note.unchanged("stage", &summary, &args.edit, out);
    }
    // The Log entry first: it lies below the front matter, so the note's layout still places
    // `stage:` for the second edit.
    let entry = format!("{STAGE}: {old} -> {stage}");
    let with_entry = add_log_entry(
        &note.text,
        &note.layout,
        &ctx.config.log_heading,
        ctx.today,
        &entry,
    );
    let new = set_key(&with_entry, &note.layout, "stage", stage)?;
    let edited = edit::Edited {
        action: "stage",
        new_text: &new,
        summary: format!("{}: stage {old} -> {stage} (logged)", note.rel),
        is_main: &edit::key_line("stage"),
    };
    note.finish(ctx, edited, &args.edit, out)
}

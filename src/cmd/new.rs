//! `vault new NAME`: a new partner note from the partner template, written only if nothing is there.

use super::outcome::{changed_lines, unified_diff, Outcome};
use super::Context;
use crate::cli::{EditFormat, NewArgs};
use crate::error::EXIT_OK;
use crate::new_partner::{Draft, Request};
use crate::render::{Templates, PARTNER};
use crate::text;
use crate::write;
use std::io::Write;

pub fn run(ctx: &Context, args: &NewArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let request = Request {
        name: &args.name,
        kind: args.kind.as_deref(),
        tier: args.tier.as_deref(),
        stage: args.stage.as_deref(),
        org: args.org.as_deref(),
        tags: &args.tags,
        aliases: &args.aliases,
        dir: args.dir.as_deref(),
    };
    // The arguments first, so a typo is reported before the vault is read.
    let draft = Draft::new(&ctx.config, &request)?;
    let templates = Templates::load(&ctx.root, &ctx.config.templates_dir)?;
    let plan = draft.plan(ctx.load())?;
    let note = templates.render(PARTNER, &plan.view(ctx.today))?;
    for warning in &plan.warnings {
        eprintln!("note: {}", text::clean(warning));
    }
    let path = &plan.draft.path;
    if !args.dry_run {
        write::write_new(&ctx.root.join(path), note.as_bytes())?;
    }
    let summary = format!("created {path}");
    match (args.format, args.dry_run) {
        (EditFormat::Json, dry_run) => Outcome {
            action: "new",
            path,
            partner: &plan.draft.name,
            line: None,
            changed: None,
            lines: changed_lines("", &note),
            summary: &summary,
            dry_run,
            diff: dry_run.then(|| unified_diff(None, &note, path)),
        }
        .write_json(out)?,
        (EditFormat::Text, true) => {
            out.write_all(note.as_bytes())?;
            eprintln!(
                "would create {}; nothing was written (--dry-run)",
                text::line(path)
            );
        }
        (EditFormat::Text, false) => writeln!(out, "{}", text::line(&summary))?,
    }
    Ok(EXIT_OK)
}

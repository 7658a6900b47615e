//! `vault new NAME`: a new partner note from the partner template, written only if nothing is there.

use super::Context;
use crate::cli::NewArgs;
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
    if args.dry_run {
        out.write_all(note.as_bytes())?;
        eprintln!(
            "would create {}; nothing was written (--dry-run)",
            text::line(path)
        );
    } else {
        write::write_new(&ctx.root.join(path), note.as_bytes())?;
        writeln!(out, "created {}", text::line(path))?;
    }
    Ok(EXIT_OK)
}

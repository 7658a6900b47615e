//! `vault review`: render the weekly review page and write it (only when its bytes change).

use super::{note_errors, Context};
use crate::cli::ReviewArgs;
use crate::error::EXIT_OK;
use crate::render::{Templates, REVIEW};
use crate::review::{self, Week};
use crate::write::write_if_changed;
use anyhow::anyhow;
use std::io::Write;

pub fn run(ctx: &Context, args: &ReviewArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let starts = ctx.config.week_starts;
    let week = match &args.week {
        Some(name) => Week::parse(name, starts).map_err(|e| anyhow!("--week: {e}"))?,
        None => Week::containing(ctx.today, starts),
    };
    let templates = Templates::load(&ctx.root, &ctx.config.templates_dir)?;
    let vault = ctx.load_for(week.review_day(ctx.today));
    let page = templates.render(REVIEW, &review::build(&vault, week))?;
    if args.stdout {
        out.write_all(page.as_bytes())?;
    } else {
        let rel = format!("{}/{}.md", ctx.config.reviews_dir, week.name());
        let outcome = write_if_changed(&ctx.root.join(&rel), page.as_bytes())?.describe();
        writeln!(out, "{outcome} {rel}")?;
    }
    note_errors(&vault);
    Ok(EXIT_OK)
}

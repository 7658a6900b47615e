//! `vault review`: render the weekly review page and write it between its markers, keeping the
//! user's text around them (only when its bytes change).

use super::{note_errors, Context};
use crate::cli::{ReviewArgs, ReviewFormat};
use crate::error::EXIT_OK;
use crate::page;
use crate::pages;
use crate::render::Templates;
use crate::review::{self, Week};
use crate::text;
use anyhow::anyhow;
use std::io::Write;

pub fn run(ctx: &Context, args: &ReviewArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let starts = ctx.config.week_starts;
    let week = match &args.week {
        Some(name) => Week::parse(name, starts).map_err(|e| anyhow!("--week: {e}"))?,
        None => Week::containing(ctx.today, starts),
    };
    let limit = match args.limit {
        Some(0) => None,
        Some(n) => Some(n),
        None => ctx.config.review_limit,
    };
    if args.format == ReviewFormat::Json {
        let vault = ctx.load_for(week.review_day(ctx.today));
        let view = review::build_capped(vault, week, limit);
        serde_json::to_writer_pretty(&mut *out, &view)?;
        writeln!(out)?;
        note_errors(vault);
        return Ok(EXIT_OK);
    }
    let templates = Templates::load(&ctx.root, &ctx.config.templates_dir)?;
    let vault = ctx.load_for(week.review_day(ctx.today));
    let view = review::build_capped(vault, week, limit);
    let rendered = pages::render_review_view(&templates, view)?;
    if args.stdout {
        // To a terminal or a pipe as human output: control characters from the notes escaped.
        out.write_all(text::clean(&page::generate(&rendered)).as_bytes())?;
    } else {
        let (outcome, rel) = pages::write_review(
            &ctx.root,
            &ctx.config.reviews_dir,
            week,
            &rendered,
            args.force,
        )?;
        writeln!(out, "{} {rel}", outcome.describe())?;
    }
    note_errors(vault);
    Ok(EXIT_OK)
}

//! `vault review`: render the weekly review page and write it between its markers, keeping the
//! user's text around them (only when its bytes change).

use super::{note_errors, Context};
use crate::cli::ReviewArgs;
use crate::error::{Rendered, EXIT_OK};
use crate::page;
use crate::render::{Templates, REVIEW};
use crate::review::{self, Week};
use crate::text;
use crate::write::{read_in, write_in};
use anyhow::{anyhow, Context as _};
use std::io::Write;
use std::path::Path;

pub fn run(ctx: &Context, args: &ReviewArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let starts = ctx.config.week_starts;
    let week = match &args.week {
        Some(name) => Week::parse(name, starts).map_err(|e| anyhow!("--week: {e}"))?,
        None => Week::containing(ctx.today, starts),
    };
    let templates = Templates::load(&ctx.root, &ctx.config.templates_dir)?;
    let vault = ctx.load_for(week.review_day(ctx.today));
    // Kept until the process ends, as the index is: freeing thousands of partner values one
    // by one just before exiting would cost more than the rest of writing the page.
    let context: &tera::Context = Box::leak(Box::new(review::build(vault, week).context()));
    let rendered = templates.render_context(REVIEW, context)?;
    if args.stdout {
        // To a terminal or a pipe as human output: control characters from the notes escaped.
        out.write_all(text::clean(&page::generate(&rendered)).as_bytes())?;
    } else {
        let rel = format!("{}/{}.md", ctx.config.reviews_dir, week.name());
        let existing = read_existing(&ctx.root, &rel)?;
        let page = page::splice(existing.as_deref(), &rendered, args.force)
            .map_err(|refusal| refused(&rel, refusal))?;
        let outcome = write_in(&ctx.root, &rel, page.as_bytes())?.describe();
        writeln!(out, "{outcome} {rel}")?;
    }
    note_errors(vault);
    Ok(EXIT_OK)
}

/// The page's current text, or `None` when there is no page yet. A page that is a symbolic
/// link (or sits in a linked folder) is refused here, before anything is rendered into it.
fn read_existing(root: &Path, rel: &str) -> anyhow::Result<Option<String>> {
    let Some(bytes) = read_in(root, rel)? else {
        return Ok(None);
    };
    String::from_utf8(bytes)
        .map(Some)
        .with_context(|| format!("reading `{rel}`: not UTF-8 text; nothing was written"))
}

fn refused(rel: &str, refusal: page::PageRefusal) -> anyhow::Error {
    let hint = match refusal {
        page::PageRefusal::Edited => {
            "move your text out of it (below the `vault:end` line, or between the front matter \
             and the `vault:begin` line) and run again, or run again with `--force` to replace \
             the generated part; your text outside it is kept"
        }
        page::PageRefusal::Markers(_) => {
            "run again with `--force` to write a new generated part at the top; the file's \
             whole old content is kept below it"
        }
    };
    anyhow::Error::new(Rendered(format!(
        "vault: error: refusing to overwrite `{rel}`: {refusal}; nothing was written\n\
         hint: {hint}"
    )))
}

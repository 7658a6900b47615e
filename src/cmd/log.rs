//! `vault log NAME TEXT`: one Log entry where the Log's order puts it, and `last_contact`
//! moved forward where the note keeps one.

use super::{edit, Context};
use crate::cli::LogArgs;
use crate::edit::log_touch;
use crate::partner::{GAVE, GOT, STAGE};
use anyhow::bail;
use std::io::Write;

/// The kind of an entry logged without `--gave`, `--got` or `--kind`.
const DEFAULT_KIND: &str = "note";

pub fn run(ctx: &Context, args: &LogArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let kind = match (&args.kind, args.gave, args.got) {
        (_, true, _) => GAVE.to_string(),
        (_, _, true) => GOT.to_string(),
        (Some(word), _, _) => kind_word(word)?,
        (None, false, false) => DEFAULT_KIND.to_string(),
    };
    let date = args.date.unwrap_or(ctx.today);
    if date > ctx.today {
        bail!(
            "--date {date} is after today ({}): the Log records what happened\n\
             hint: plan it with `vault task NAME --due {date} TEXT` or `vault snooze NAME {date}`",
            ctx.today
        );
    }
    let text = args.text.trim();
    if text.is_empty() || text.contains(['\n', '\r']) {
        bail!("the entry's text must be one line, not empty");
    }
    let vault = ctx.load();
    let note = edit::open(ctx, vault, &args.name)?;
    let entry = format!("{kind}: {text}");
    let (new, moved) = log_touch(
        &note.text,
        &note.layout,
        &ctx.config.log_heading,
        date,
        &entry,
    )?;
    let also = moved.map_or(String::new(), |d| format!(", last_contact {d}"));
    let written = format!("{date} {entry}");
    let edited = edit::Edited {
        action: "log",
        new_text: &new,
        summary: format!("{}: logged `- {written}`{also}", note.rel),
        is_main: &|line: &str| line.ends_with(&written),
    };
    note.finish(ctx, edited, &args.edit, out)
}

/// A kind word as given to `--kind`: one word; `stage` is kept for `vault stage`.
fn kind_word(word: &str) -> anyhow::Result<String> {
    let word = word.trim().to_lowercase();
    let is_word = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    if !is_word {
        bail!("--kind `{word}`: a kind is one word, such as met or talked");
    }
    if word == STAGE {
        bail!("--kind stage records pipeline moves; use `vault stage NAME STAGE`");
    }
    Ok(word)
}

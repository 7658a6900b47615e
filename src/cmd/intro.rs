//! `vault intro A B WHY`: records an introduction in both partners' Logs
//! (`- DATE intro: [[A]] to [[B]] for WHY`, and `last_contact`, as `vault log` writes them),
//! and with `--note` a meeting-style note listing both. Both notes are checked before either
//! is written; each is written atomically, refused if it changed since it was read.

use super::{edit, find_partner, Context};
use crate::cli::IntroArgs;
use crate::edit::log_touch;
use crate::error::EXIT_OK;
use crate::intros;
use crate::slug::slug;
use crate::text;
use crate::write;
use anyhow::bail;
use std::collections::HashSet;
use std::io::Write;

pub fn run(ctx: &Context, args: &IntroArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let date = args.date.unwrap_or(ctx.today);
    if date > ctx.today {
        bail!(
            "--date {date} is after today ({}): the Log records what happened",
            ctx.today
        );
    }
    if args.why.contains(['\n', '\r']) {
        bail!("WHY must be one line");
    }
    let vault = ctx.load();
    let (a, b) = (find_partner(vault, &args.a)?, find_partner(vault, &args.b)?);
    if a == b {
        bail!(
            "`{}` and `{}` are the same partner ({})",
            args.a,
            args.b,
            vault.partners[a].path
        );
    }
    let entry = intros::entry(&vault.partners[a].name, &vault.partners[b].name, &args.why);
    let notes = [
        edit::open_partner(ctx, vault, a)?,
        edit::open_partner(ctx, vault, b)?,
    ];
    let mut edited = Vec::new();
    for note in &notes {
        let (new, _) = log_touch(
            &note.text,
            &note.layout,
            &ctx.config.log_heading,
            date,
            &entry,
        )?;
        edited.push(new);
    }
    let meeting = if args.note {
        let base = format!(
            "{date}-intro-{}-{}",
            slug(&vault.partners[a].name),
            slug(&vault.partners[b].name)
        );
        let rel = super::free_path(ctx, "notes", &base, &mut HashSet::new())?;
        Some((
            rel,
            meeting_note(
                date,
                &vault.partners[a].name,
                &vault.partners[b].name,
                &args.why,
            ),
        ))
    } else {
        None
    };
    if args.dry_run {
        for (note, new) in notes.iter().zip(&edited) {
            write!(out, "{}", text::clean(&note.diff(new)))?;
        }
        if let Some((rel, text)) = &meeting {
            write!(
                out,
                "{}",
                text::clean(&super::outcome::unified_diff(None, text, rel))
            )?;
        }
        writeln!(out, "(dry run: nothing was written)")?;
        return Ok(EXIT_OK);
    }
    for (note, new) in notes.iter().zip(&edited) {
        note.write(ctx, new)?;
        writeln!(
            out,
            "{}: logged `- {date} {}`",
            note.rel,
            text::line(&entry)
        )?;
    }
    if let Some((rel, text)) = &meeting {
        write::write_new(&ctx.root.join(rel), text.as_bytes())?;
        writeln!(out, "created {rel}")?;
    }
    Ok(EXIT_OK)
}

/// A note of the introduction, dated and listing both, so that it counts as a touch for each.
fn meeting_note(date: chrono::NaiveDate, a: &str, b: &str, why: &str) -> String {
    let quote = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    let mut note = format!(
        "---\ndate: {date}\ntype: intro\nattendees: [{}, {}]\n---\n# Intro: {a} to {b}\n",
        quote(&format!("[[{a}]]")),
        quote(&format!("[[{b}]]")),
    );
    if !why.trim().is_empty() {
        note.push_str(&format!("\n{}\n", why.trim()));
    }
    note
}

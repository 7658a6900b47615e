//! `vault remind`: touches and tasks due within the horizon, as text, JSON or iCalendar.

use super::{note_errors, Context};
use crate::cadence::Cadence;
use crate::cli::{RemindArgs, RemindFormat};
use crate::error::EXIT_OK;
use crate::pages;
use crate::reminders::{self, Reminder};
use crate::render::{Templates, REMIND};
use crate::text;
use crate::vault::Vault;
use crate::views::ReminderView;
use crate::write::{write_if_changed, write_in};
use anyhow::{anyhow, bail};
use rayon::prelude::*;
use std::io::Write;
use std::path::Path;

pub fn run(ctx: &Context, args: &RemindArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let horizon = match &args.within {
        Some(text) => Cadence::parse_span(text)
            .map_err(|e| anyhow!("--within: {} ({})", e.message, e.hint))?,
        None => ctx.config.reminder_horizon,
    };
    // The file to write: the configured calendar, inside the vault (named relative to it), or
    // --out, anywhere but over a note or the settings (named as typed).
    let (format, target) = if args.ics {
        (
            RemindFormat::Ics,
            Some(Target::InVault(&ctx.config.reminders_ics)),
        )
    } else {
        if let Some(out) = &args.out {
            ctx.check_out_file(out)?;
        }
        (args.format, args.out.as_deref().map(Target::Out))
    };
    if args.todo && format != RemindFormat::Ics {
        bail!("--todo applies to iCalendar output only; add --ics or --format ics");
    }
    let templates = match format {
        RemindFormat::Text => Some(Templates::load(&ctx.root, &ctx.config.templates_dir)?),
        RemindFormat::Json | RemindFormat::Ics => None,
    };
    let limit = match args.limit {
        Some(0) => None,
        Some(n) => Some(n),
        None => ctx.config.reminders_limit,
    };
    let vault = ctx.load();
    let until = horizon.add_to(vault.today);
    let (reminders, total) = match (format, limit, &target) {
        // Text for a person: the most important few; a file or a program gets all.
        (RemindFormat::Text, Some(limit), None) => {
            reminders::most_important_due_by(vault, until, limit)
        }
        _ => {
            let all = reminders::due_by(vault, until);
            let total = all.len();
            (all, total)
        }
    };
    let body = match (format, &templates) {
        (RemindFormat::Text, Some(templates)) => {
            let mut body = text(vault, &reminders, templates)?;
            if total > reminders.len() {
                let within = args
                    .within
                    .as_ref()
                    .map(|w| format!(" --within {w}"))
                    .unwrap_or_default();
                body.push_str(&format!(
                    "... and {} more: `vault remind{within} --limit 0`\n",
                    text::thousands(total - reminders.len())
                ));
            }
            body
        }
        (RemindFormat::Json, _) => {
            let views: Vec<ReminderView> = reminders
                .iter()
                .map(|r| ReminderView::new(vault, r))
                .collect();
            let mut json = Vec::new();
            crate::json::write_pretty_list(&mut json, &views)?;
            String::from_utf8(json)?
        }
        _ => pages::calendar(vault, &reminders, args.todo),
    };
    let written = match target {
        Some(Target::InVault(rel)) => {
            Some((write_in(&ctx.root, rel, body.as_bytes())?, rel.to_string()))
        }
        Some(Target::Out(path)) => Some((
            write_if_changed(path, body.as_bytes())?,
            path.display().to_string(),
        )),
        None => None,
    };
    match written {
        Some((outcome, shown)) => {
            let count = reminders.len();
            writeln!(out, "{} {shown} ({count} reminders)", outcome.describe())?;
        }
        None => out.write_all(body.as_bytes())?,
    }
    note_errors(vault);
    Ok(EXIT_OK)
}

/// Where the reminders go when not to stdout.
enum Target<'a> {
    /// `reminders.ics` from vault.yaml, relative to the vault.
    InVault(&'a str),
    /// `--out FILE`, as typed.
    Out(&'a Path),
}

/// One rendering of `remind.txt.tera` per reminder, each on its own line.
fn text(vault: &Vault, reminders: &[Reminder], templates: &Templates) -> anyhow::Result<String> {
    // Its variables: `reminder` and `today`, with keys that need no copy.
    let today = tera::Value::from(vault.today.to_string());
    let contexts: Vec<tera::Context> = reminders
        .par_iter()
        .map(|r| {
            let mut context = tera::Context::new();
            let view = tera::Value::from_serializable(&ReminderView::new(vault, r));
            context.insert_value("reminder", view);
            context.insert_value("today", today.clone());
            context
        })
        .collect();
    let mut body = String::with_capacity(reminders.len() * 96);
    templates.render_each(REMIND, &contexts, |line| {
        body.push_str(&text::line(line.trim_end_matches('\n')));
        body.push('\n');
    })?;
    Ok(body)
}

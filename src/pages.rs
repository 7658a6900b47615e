//! The generated files: the week's review page, spliced into the page the user keeps
//! (written only when its bytes change), and the reminders calendar.

use crate::error::Rendered;
use crate::ics;
use crate::page;
use crate::reminders::{self, Reminder};
use crate::render::{Templates, REVIEW};
use crate::review::{self, ReviewView, Week};
use crate::vault::Vault;
use crate::views::ReminderView;
use crate::write::{read_in, replace_unchanged_in, write_in, Written};
use anyhow::Context as _;
use std::path::Path;

/// The review of `week` rendered from the `review.md.tera` template, with `vault` loaded for
/// the week's review day, each list cut to `review.limit`.
pub fn render_review(templates: &Templates, vault: &Vault, week: Week) -> anyhow::Result<String> {
    render_review_view(templates, review::build(vault, week))
}

/// A built review rendered from the `review.md.tera` template.
pub fn render_review_view(templates: &Templates, view: ReviewView) -> anyhow::Result<String> {
    let context = view.context();
    let rendered = templates.render_context(REVIEW, &context);
    // Freeing thousands of partner values one by one takes longer than rendering them: done on
    // another thread, off the way of writing the page (and of the process's exit).
    std::thread::spawn(move || drop(context));
    rendered
}

/// Writes the review of `week`, `rendered` from its template, between the markers of the
/// week's page in `reviews_dir`, keeping the user's text around them; refuses (naming the page)
/// when the user changed the generated part, unless `force`, and when the page changed on disk
/// while this ran. Returns what the write did and the page, relative to the vault.
pub fn write_review(
    root: &Path,
    reviews_dir: &str,
    week: Week,
    rendered: &str,
    force: bool,
) -> anyhow::Result<(Written, String)> {
    let rel = format!("{reviews_dir}/{}.md", week.name());
    let existing = read_existing(root, &rel)?;
    let page = page::splice(existing.as_deref(), rendered, force)
        .map_err(|refusal| refused(&rel, refusal))?;
    // The user writes on this page: a save of theirs between reading it and writing it back
    // is refused, never overwritten.
    let written = match &existing {
        Some(read) => replace_unchanged_in(root, &rel, read.as_bytes(), page.as_bytes())?,
        None => write_in(root, &rel, page.as_bytes())?,
    };
    Ok((written, rel))
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

/// Overdue reminders are placed on today, so they show up in the calendar's current view.
pub fn calendar(vault: &Vault, reminders: &[Reminder], todo: bool) -> String {
    let entries: Vec<ics::Entry> = reminders
        .iter()
        .map(|r| {
            let view = ReminderView::new(vault, r);
            let summary = match r.kind {
                reminders::Kind::Touch => format!("Touch base with {}", view.partner),
                reminders::Kind::Task => format!("{}: {}", view.partner, view.text),
            };
            let overdue = if view.overdue_days > 0 {
                format!(
                    " ({} day{} overdue)",
                    view.overdue_days,
                    if view.overdue_days == 1 { "" } else { "s" }
                )
            } else {
                String::new()
            };
            ics::Entry {
                uid: format!("{}@partner-vault", r.uid),
                date: r.date.max(vault.today),
                summary,
                description: format!(
                    "{}\nDue {}{overdue}\nNote: {}",
                    view.text, view.date, view.path
                ),
            }
        })
        .collect();
    let component = if todo {
        ics::Component::Todo
    } else {
        ics::Component::Event
    };
    ics::calendar(&entries, component, vault.today)
}

//! `vault show NAME`: one partner, its fields, derived values, interactions, tasks and mentions.

use super::{note_errors, paint, Context};
use crate::cli::ShowArgs;
use crate::error::EXIT_OK;
use crate::note::KNOWN_KEYS;
use crate::vault::{Lookup, Vault};
use crate::views::{date_text, due_phrase, PartnerView};
use anyhow::bail;
use chrono::NaiveDate;
use std::fmt::Write as _;
use std::io::Write;

/// How many interactions to show, newest first.
const RECENT: usize = 8;

pub fn run(ctx: &Context, args: &ShowArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let vault = ctx.load();
    let index = match vault.lookup(&args.name) {
        Lookup::Found(index) => index,
        Lookup::Ambiguous(candidates) => {
            let list: Vec<String> = candidates
                .iter()
                .map(|&i| format!("  {} ({})", vault.partners[i].name, vault.partners[i].path))
                .collect();
            bail!(
                "`{}` matches more than one partner:\n{}\nname one by its path, e.g. `vault show partners/x.md`",
                args.name,
                list.join("\n")
            );
        }
        Lookup::NotFound(suggestions) => match suggestions.as_slice() {
            [] => bail!(
                "no partner named `{}`; `vault list` shows them all",
                args.name
            ),
            names => bail!(
                "no partner named `{}`; did you mean {}?",
                args.name,
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
        },
    };
    out.write_all(render(&vault, index, ctx.color).as_bytes())?;
    note_errors(&vault);
    Ok(EXIT_OK)
}

fn render(vault: &Vault, index: usize, color: bool) -> String {
    let p = &vault.partners[index];
    let d = &vault.derived[index];
    let view = PartnerView::new(vault, index);
    let mut s = String::new();
    let _ = writeln!(s, "{}  {}", paint(color, "1", &p.name), p.path);
    let mut field = |label: &str, value: String| {
        if !value.is_empty() {
            let _ = writeln!(s, "  {label:<12}{value}");
        }
    };
    field("aliases", p.aliases.join(", "));
    field("org", p.org.clone().unwrap_or_default());
    field("kind", p.kind.clone().unwrap_or_default());
    field("stage", p.stage.clone().unwrap_or_default());
    let cadence_from = if p.cadence.is_some() {
        "own cadence"
    } else {
        "tier default"
    };
    field(
        "tier",
        format!("{} (cadence {}, {cadence_from})", p.tier, d.cadence),
    );
    field("since", date_text(p.since).unwrap_or_default());
    field("met at", p.met_at.clone().unwrap_or_default());
    field(
        "channels",
        p.channels
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join(", "),
    );
    field("tags", p.tags.join(", "));
    for (key, value) in p
        .fields
        .iter()
        .filter(|(k, _)| !KNOWN_KEYS.contains(&k.as_str()))
    {
        field(
            key,
            value
                .as_text()
                .unwrap_or_else(|| serde_json::to_string(value).unwrap_or_default()),
        );
    }
    let _ = writeln!(s);
    let ago = |date: Option<NaiveDate>| match date {
        Some(date) => format!("{date} ({})", days_ago(vault.today, date)),
        None => "never".into(),
    };
    let _ = writeln!(s, "  {:<12}{}", "last touch", ago(d.last_touch));
    let due = match d.due {
        Some(due) => format!(
            "{due} ({}){}",
            due_phrase(view.due_in_days),
            if p.next.is_some() {
                ", set by next:"
            } else {
                ""
            }
        ),
        None => "never (dormant)".into(),
    };
    let _ = writeln!(s, "  {:<12}{due}", "due");
    let window = vault.config.reciprocity_window;
    let _ = writeln!(
        s,
        "  {:<12}gave {}, got {} within {window} (balance {:+}); last gave {}",
        "reciprocity",
        d.gave,
        d.got,
        d.balance(),
        d.last_gave.map_or("never".into(), |g| g.to_string())
    );

    let mut history: Vec<(NaiveDate, String)> = p
        .log
        .iter()
        .map(|i| {
            (
                i.date,
                format!(
                    "{:<7}{}",
                    i.kind.clone().unwrap_or_else(|| "-".into()),
                    i.text
                ),
            )
        })
        .chain(
            vault.mentions[index]
                .iter()
                .filter_map(|m| m.touch.map(|t| (t, format!("{:<7}{}", "note", m.path)))),
        )
        .collect();
    history.sort_by_key(|entry| std::cmp::Reverse(entry.0));
    if !history.is_empty() {
        let _ = writeln!(s, "\n{}", paint(color, "1", "Recent interactions"));
        for (date, text) in history.iter().take(RECENT) {
            let _ = writeln!(s, "  {date}  {text}");
        }
        if history.len() > RECENT {
            let _ = writeln!(s, "  ... and {} older", history.len() - RECENT);
        }
    }
    let open: Vec<String> = p
        .tasks
        .iter()
        .filter(|t| !t.done)
        .map(|t| (t, p.path.as_str()))
        .chain(
            vault.linked_tasks[index]
                .iter()
                .filter(|(_, t)| !t.done)
                .map(|(path, t)| (t, path.as_str())),
        )
        .map(|(t, path)| {
            let due = t.due.map_or("          ".into(), |d| d.to_string());
            format!("  {due}  {}  ({path}:{})", t.text, t.line)
        })
        .collect();
    if !open.is_empty() {
        let _ = writeln!(s, "\n{}", paint(color, "1", "Open tasks"));
        for line in open {
            let _ = writeln!(s, "{line}");
        }
    }
    if !vault.mentions[index].is_empty() {
        let _ = writeln!(s, "\n{}", paint(color, "1", "Mentioned in"));
        for m in &vault.mentions[index] {
            let when = m
                .touch
                .map_or(String::new(), |t| format!("  (touch on {t})"));
            let _ = writeln!(s, "  {}:{}{when}", m.path, m.line);
        }
    }
    s
}

fn days_ago(today: NaiveDate, date: NaiveDate) -> String {
    match (today - date).num_days() {
        0 => "today".into(),
        1 => "yesterday".into(),
        n => format!("{n} days ago"),
    }
}

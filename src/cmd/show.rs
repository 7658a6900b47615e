//! `vault show NAME`: one partner, its fields, derived values, interactions, tasks and mentions.

use super::{find_partner, note_errors, paint, Context};
use crate::cadence::days_between;
use crate::cli::ShowArgs;
use crate::error::EXIT_OK;
use crate::text;
use crate::vault::{Mention, Owner, Vault};
use crate::views::{date_text, due_phrase, PartnerView};
use chrono::NaiveDate;
use std::fmt::Write as _;
use std::io::Write;

/// How many interactions to show, newest first.
const RECENT: usize = 8;

pub fn run(ctx: &Context, args: &ShowArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let vault = ctx.load();
    let index = find_partner(vault, &args.name)?;
    out.write_all(render(vault, index, ctx.color).as_bytes())?;
    note_errors(vault);
    Ok(EXIT_OK)
}

fn render(vault: &Vault, index: usize, color: bool) -> String {
    let p = &vault.partners[index];
    let d = &vault.derived[index];
    let view = PartnerView::new(vault, index);
    let mut s = String::new();
    // Every value from the notes goes through `text::line`: escaped, never sent raw.
    let _ = writeln!(
        s,
        "{}  {}",
        paint(color, "1", &text::line(&p.name)),
        text::line(&p.path)
    );
    let mut field = |label: &str, value: String| {
        if !value.is_empty() {
            let _ = writeln!(s, "  {:<12}{}", text::line(label), text::line(&value));
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
            .get()
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join(", "),
    );
    field("tags", p.tags.join(", "));
    for (key, value) in p.extra.iter() {
        field(
            key,
            value
                .as_text()
                .unwrap_or_else(|| crate::value::json_text(value)),
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
            if d.due_from_next {
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
    history(&mut s, vault, index, color);
    open_tasks(&mut s, vault, index, color);
    mentions(&mut s, vault, index, color);
    s
}

/// Log entries and touches from dated notes, newest first; entries after today apart.
fn history(s: &mut String, vault: &Vault, index: usize, color: bool) {
    let p = &vault.partners[index];
    let mut entries: Vec<(NaiveDate, String)> = p
        .log
        .iter()
        .map(|i| {
            let kind = i.kind.unwrap_or("-");
            (i.date, format!("{kind:<7}{}", i.text))
        })
        .chain(vault.mentions[index].iter().filter_map(|m| {
            m.touch
                .map(|t| (t, format!("{:<7}{}", "note", vault.path_of(m.note))))
        }))
        .collect();
    entries.sort_by_key(|entry| std::cmp::Reverse(entry.0));
    let (upcoming, past): (Vec<_>, Vec<_>) = entries
        .into_iter()
        .partition(|(date, _)| *date > vault.today);
    if !upcoming.is_empty() {
        let _ = writeln!(s, "\n{}", paint(color, "1", "Upcoming (dated after today)"));
        for (date, text) in upcoming.iter().rev() {
            let days = days_between(vault.today, *date);
            let unit = if days == 1 { "day" } else { "days" };
            let text = text::line(text);
            let _ = writeln!(s, "  {date}  {text}  (in {days} {unit})");
        }
    }
    if !past.is_empty() {
        let _ = writeln!(s, "\n{}", paint(color, "1", "Recent interactions"));
        for (date, text) in past.iter().take(RECENT) {
            let _ = writeln!(s, "  {date}  {}", text::line(text));
        }
        if past.len() > RECENT {
            let _ = writeln!(s, "  ... and {} older", past.len() - RECENT);
        }
    }
}

/// Open tasks that belong to the partner, soonest first, undated last.
fn open_tasks(s: &mut String, vault: &Vault, index: usize, color: bool) {
    let mut open: Vec<(Option<NaiveDate>, &str, u32, String)> = vault
        .tasks
        .iter()
        .filter(|owned| owned.owner.partners().contains(&index))
        .filter_map(|owned| {
            let task = vault.task(owned);
            if task.done {
                return None;
            }
            let path = vault.path_of(owned.note);
            let with = match &owned.owner {
                Owner::Note(partners) => format!(
                    "; {}, with {}",
                    vault.owner_label(owned),
                    vault.names(partners)
                ),
                Owner::Partners(_) => String::new(),
            };
            let text = format!("{}  ({path}:{}{with})", task.text, task.line);
            Some((task.due, path, task.line, text))
        })
        .collect();
    open.sort_by(|a, b| (a.0.is_none(), a.0, a.1, a.2).cmp(&(b.0.is_none(), b.0, b.1, b.2)));
    if open.is_empty() {
        return;
    }
    let _ = writeln!(s, "\n{}", paint(color, "1", "Open tasks"));
    for (due, _, _, text) in open {
        let due = due.map_or("          ".into(), |d| d.to_string());
        let _ = writeln!(s, "  {due}  {}", text::line(&text));
    }
}

/// Other notes that name the partner: in a touch list, or by a link (a mention).
fn mentions(s: &mut String, vault: &Vault, index: usize, color: bool) {
    let (listed, linked): (Vec<&Mention>, Vec<&Mention>) =
        vault.mentions[index].iter().partition(|m| m.listed);
    if !listed.is_empty() {
        let _ = writeln!(s, "\n{}", paint(color, "1", "Listed in (touches)"));
        for m in listed {
            let when = match m.touch {
                Some(t) => format!("touch on {t}"),
                None => "no touch: the note has no valid date".into(),
            };
            let _ = writeln!(
                s,
                "  {}:{}  ({when})",
                text::line(vault.path_of(m.note)),
                m.line
            );
        }
    }
    if !linked.is_empty() {
        let _ = writeln!(s, "\n{}", paint(color, "1", "Mentioned in (not touches)"));
        for m in linked {
            let _ = writeln!(s, "  {}:{}", text::line(vault.path_of(m.note)), m.line);
        }
    }
}

fn days_ago(today: NaiveDate, date: NaiveDate) -> String {
    match days_between(date, today) {
        0 => "today".into(),
        1 => "yesterday".into(),
        n => format!("{n} days ago"),
    }
}

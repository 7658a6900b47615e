//! `vault show NAME`: one partner, its fields, derived values, interactions, tasks and mentions.

use super::{find_partner, note_errors, paint, Context};
use crate::cadence::days_between;
use crate::cli::{ShowArgs, ShowFormat};
use crate::error::EXIT_OK;
use crate::priority;
use crate::text;
use crate::vault::{Mention, Owner, Vault};
use crate::views::{date_text, due_phrase, PartnerView};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;

/// How many interactions to show, newest first.
const RECENT: usize = 8;

pub fn run(ctx: &Context, args: &ShowArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let vault = ctx.load();
    let index = find_partner(vault, &args.name)?;
    match args.format {
        ShowFormat::Text => out.write_all(render(vault, index, ctx.color).as_bytes())?,
        ShowFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &ShowView::new(vault, index))?;
            writeln!(out)?;
        }
    }
    note_errors(vault);
    Ok(EXIT_OK)
}

/// `vault show --format json`: the partner as `list --format json` has it, with its place in
/// the priority order and everything the text shows.
#[derive(Serialize)]
struct ShowView<'a> {
    #[serde(flatten)]
    partner: PartnerView<'a>,
    id: Option<&'a str>,
    met_at: Option<&'a str>,
    channels: BTreeMap<&'a str, &'a str>,
    /// 1 for the partner that needs attention most; of `partners`.
    rank: usize,
    partners: usize,
    /// Log entries and touches from dated notes, newest first; those after today apart.
    interactions: Vec<HistoryEntry>,
    upcoming: Vec<HistoryEntry>,
    open_tasks: Vec<TaskEntry>,
    touches: Vec<NoteEntry<'a>>,
    mentions: Vec<NoteEntry<'a>>,
}

#[derive(Serialize)]
struct HistoryEntry {
    date: String,
    /// The Log kind word (`gave`, `met`, ...), `note` for a dated note, null when none.
    kind: Option<String>,
    /// The entry's text, or the path of the dated note.
    text: String,
}

#[derive(Serialize)]
struct TaskEntry {
    due: Option<String>,
    text: String,
    path: String,
    line: u32,
    /// The note's title and partners when the task belongs to a note naming several.
    with: Option<String>,
}

#[derive(Serialize)]
struct NoteEntry<'a> {
    path: &'a str,
    line: u32,
    /// The touch's day, for a note whose touch list names the partner and that has a valid date.
    touch: Option<String>,
}

impl<'a> ShowView<'a> {
    fn new(vault: &'a Vault, index: usize) -> ShowView<'a> {
        let p = &vault.partners[index];
        let (upcoming, past) = history_of(vault, index);
        let entry = |(date, kind, text): (NaiveDate, Option<String>, String)| HistoryEntry {
            date: date.to_string(),
            kind,
            text,
        };
        let (listed, linked): (Vec<&Mention>, Vec<&Mention>) =
            vault.mentions[index].iter().partition(|m| m.listed);
        let note = |m: &&Mention| NoteEntry {
            path: vault.path_of(m.note),
            line: m.line,
            touch: date_text(m.touch),
        };
        let (rank, partners) = rank_of(vault, index);
        ShowView {
            partner: PartnerView::new(vault, index),
            id: p.id.as_deref(),
            met_at: p.met_at.as_deref(),
            channels: p
                .channels
                .get()
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect(),
            rank,
            partners,
            interactions: past.into_iter().map(entry).collect(),
            upcoming: upcoming.into_iter().map(entry).collect(),
            open_tasks: tasks_of(vault, index)
                .into_iter()
                .map(|t| TaskEntry {
                    due: date_text(t.due),
                    text: t.text,
                    path: t.path.to_string(),
                    line: t.line,
                    with: t.with,
                })
                .collect(),
            touches: listed.iter().map(note).collect(),
            mentions: linked.iter().map(note).collect(),
        }
    }
}

/// Where partner `index` stands in the priority order of the whole vault: (its place, 1 for the
/// first, and how many partners there are).
fn rank_of(vault: &Vault, index: usize) -> (usize, usize) {
    let mut all: Vec<usize> = (0..vault.partners.len()).collect();
    priority::order(vault, &priority::scores(vault), &mut all, None);
    let place = all.iter().position(|&i| i == index).unwrap_or(0) + 1;
    (place, all.len())
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
    field("offers", p.offers.join(", "));
    field("seeks", p.seeks.join(", "));
    field("knows", p.knows.join(", "));
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
    let (rank, partners) = rank_of(vault, index);
    let _ = writeln!(
        s,
        "  {:<12}{} (#{rank} of {partners}); why: {}",
        "priority",
        view.priority,
        text::line(&view.priority_why)
    );
    let signals = crate::strength::Signals::of(p, d, vault.today);
    let _ = writeln!(
        s,
        "  {:<12}{}/100 (recency {:.2}, frequency {:.2}, reciprocity {:.2}, age {:.2})",
        "strength",
        d.strength,
        signals.recency,
        signals.frequency,
        signals.reciprocity,
        signals.age
    );
    history(&mut s, vault, index, color);
    open_tasks(&mut s, vault, index, color);
    mentions(&mut s, vault, index, color);
    s
}

/// One interaction: its day, kind word (`note` for a dated note) and text (or the note's path).
type Entry = (NaiveDate, Option<String>, String);

/// Log entries and touches from dated notes, newest first: (those after today, the others).
fn history_of(vault: &Vault, index: usize) -> (Vec<Entry>, Vec<Entry>) {
    let p = &vault.partners[index];
    let mut entries: Vec<Entry> = p
        .log
        .iter()
        .map(|i| (i.date, i.kind.map(str::to_string), i.text.to_string()))
        .chain(vault.mentions[index].iter().filter_map(|m| {
            m.touch
                .map(|t| (t, Some("note".into()), vault.path_of(m.note).to_string()))
        }))
        .collect();
    entries.sort_by_key(|entry| std::cmp::Reverse(entry.0));
    entries
        .into_iter()
        .partition(|(date, _, _)| *date > vault.today)
}

/// Log entries and touches from dated notes, newest first; entries after today apart.
fn history(s: &mut String, vault: &Vault, index: usize, color: bool) {
    let (upcoming, past) = history_of(vault, index);
    let line = |kind: &Option<String>, text: &str| {
        text::line(&format!("{:<7}{text}", kind.as_deref().unwrap_or("-"))).into_owned()
    };
    if !upcoming.is_empty() {
        let _ = writeln!(s, "\n{}", paint(color, "1", "Upcoming (dated after today)"));
        for (date, kind, text) in upcoming.iter().rev() {
            let days = days_between(vault.today, *date);
            let unit = if days == 1 { "day" } else { "days" };
            let _ = writeln!(s, "  {date}  {}  (in {days} {unit})", line(kind, text));
        }
    }
    if !past.is_empty() {
        let _ = writeln!(s, "\n{}", paint(color, "1", "Recent interactions"));
        for (date, kind, text) in past.iter().take(RECENT) {
            let _ = writeln!(s, "  {date}  {}", line(kind, text));
        }
        if past.len() > RECENT {
            let _ = writeln!(s, "  ... and {} older", past.len() - RECENT);
        }
    }
}

/// An open task of the partner's, wherever it is written.
struct OpenTask<'a> {
    due: Option<NaiveDate>,
    text: String,
    path: &'a str,
    line: u32,
    /// `AMA prep, with Jess Morales, Hannah Okafor` for a task of a note naming several.
    with: Option<String>,
}

/// Open tasks that belong to the partner, soonest first, undated last.
fn tasks_of(vault: &Vault, index: usize) -> Vec<OpenTask<'_>> {
    let mut open: Vec<OpenTask> = vault
        .tasks
        .iter()
        .filter(|owned| owned.owner.partners().contains(&index))
        .filter_map(|owned| {
            let task = vault.task(owned);
            if task.done {
                return None;
            }
            let with = match &owned.owner {
                Owner::Note(partners) => Some(format!(
                    "{}, with {}",
                    vault.owner_label(owned),
                    vault.names(partners)
                )),
                Owner::Partners(_) => None,
            };
            Some(OpenTask {
                due: task.due,
                text: task.text.to_string(),
                path: vault.path_of(owned.note),
                line: task.line,
                with,
            })
        })
        .collect();
    open.sort_by(|a, b| {
        (a.due.is_none(), a.due, a.path, a.line).cmp(&(b.due.is_none(), b.due, b.path, b.line))
    });
    open
}

fn open_tasks(s: &mut String, vault: &Vault, index: usize, color: bool) {
    let open = tasks_of(vault, index);
    if open.is_empty() {
        return;
    }
    let _ = writeln!(s, "\n{}", paint(color, "1", "Open tasks"));
    for task in open {
        let due = task.due.map_or("          ".into(), |d| d.to_string());
        let with = task.with.map(|w| format!("; {w}")).unwrap_or_default();
        let text = format!("{}  ({}:{}{with})", task.text, task.path, task.line);
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

//! `vault import calendar FILE.ics`: a meeting note per event occurrence with partners among
//! its guests, so that it counts as a touch by the usual rule (a dated note listing
//! `attendees:`). Idempotent: a note remembers its event by `event_uid` (and, for a recurring
//! event, `event_occurrence`); importing again creates nothing, and a moved event changes
//! only its note's `date:` line.

use super::outcome::unified_diff;
use super::Context;
use crate::cli::CalendarImportArgs;
use crate::dates::parse_date;
use crate::edit::{key_value, set_key};
use crate::error::{EXIT_DATA, EXIT_OK};
use crate::import::calendar::{self, Meeting, Window};
use crate::import::input;
use crate::import::matching::{name_key, Matcher};
use crate::layout::Layout;
use crate::slug::slug;
use crate::text;
use crate::write;
use anyhow::{bail, Context as _};
use chrono::{Days, NaiveDate};
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::str::FromStr;

/// A meeting note already in the vault: its file and its date.
struct Known {
    rel: String,
    date: Option<String>,
}

#[derive(Default)]
struct Tally {
    created: usize,
    moved: usize,
    unchanged: usize,
    without_partner: usize,
    problems: Vec<(usize, String)>,
}

pub fn run(ctx: &Context, args: &CalendarImportArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let shown = args.file.display().to_string();
    let day = |flag: &str, value: &Option<String>, default: NaiveDate| match value {
        Some(text) => parse_date(text).map_err(|e| anyhow::anyhow!("--{flag}: {e}")),
        None => Ok(default),
    };
    let window = Window {
        from: day("from", &args.from, ctx.today - Days::new(365))?,
        until: day("until", &args.until, ctx.today)?,
    };
    if window.from > window.until {
        bail!("--from {} is after --until {}", window.from, window.until);
    }
    let zone = match &args.tz {
        Some(name) => Some(chrono_tz::Tz::from_str(name).map_err(|_| {
            anyhow::anyhow!(
                "--tz: `{name}` is not a time zone\nhint: an IANA name such as Europe/Berlin, \
                 America/New_York or UTC"
            )
        })?),
        None => None,
    };
    let dir = args.dir.trim_matches('/');
    if dir.is_empty() || dir.split('/').any(|part| part == "..") {
        bail!("--dir: `{}` is not a folder inside the vault", args.dir);
    }
    let bytes = std::fs::read(&args.file).with_context(|| format!("cannot read `{shown}`"))?;
    let (text, encoding) = input::decode(&bytes);
    let calendar = calendar::read(&text, window, zone).with_context(|| format!("`{shown}`"))?;
    for note in encoding.iter().chain(&calendar.notes) {
        eprintln!("note: {shown}: {}", text::line(note));
    }

    let vault = ctx.load();
    let matcher = Matcher::new(vault);
    let mut names: HashMap<String, usize> = HashMap::new();
    for partner in &vault.partners {
        *names.entry(name_key(&partner.name)).or_default() += 1;
    }
    let known = known_meetings(ctx, dir, &ctx.config.log_heading)?;
    let mut taken: HashSet<String> = HashSet::new();
    let mut tally = Tally::default();
    tally.problems.extend(
        calendar
            .problems
            .iter()
            .map(|p| (p.line, p.message.clone())),
    );
    for meeting in &calendar.meetings {
        let mut partners: Vec<usize> = Vec::new();
        for guest in &meeting.guests {
            let name = args.match_names.then_some(guest.name.as_str());
            if let Some(partner) = matcher.partner(&guest.email, name) {
                if !partners.contains(&partner) {
                    partners.push(partner);
                }
            }
        }
        if partners.is_empty() {
            tally.without_partner += 1;
            continue;
        }
        let identity = (
            meeting.uid.clone(),
            meeting.occurrence.map(|d| d.to_string()),
        );
        let date = meeting.date.to_string();
        match known.get(&identity) {
            Some(note) if note.date.as_deref() == Some(date.as_str()) => tally.unchanged += 1,
            Some(note) => match move_note(ctx, note, &date, args.dry_run, out) {
                Ok(()) => tally.moved += 1,
                Err(error) => tally.problems.push((
                    meeting.line,
                    format!(
                        "{}: not moved: {}",
                        note.rel,
                        text::short(&error.to_string())
                    ),
                )),
            },
            None => {
                let links: Vec<String> = partners
                    .iter()
                    .map(|&i| {
                        let partner = &vault.partners[i];
                        if names.get(&name_key(&partner.name)) == Some(&1) {
                            format!("[[{}]]", partner.name)
                        } else {
                            format!("[[{}]]", partner.path.trim_end_matches(".md"))
                        }
                    })
                    .collect();
                let note = meeting_note(meeting, &links);
                let rel = free_path(ctx, dir, meeting, &mut taken)?;
                if args.dry_run {
                    write!(out, "{}", text::clean(&unified_diff(None, &note, &rel)))?;
                } else {
                    write::write_new(&ctx.root.join(&rel), note.as_bytes())?;
                    writeln!(out, "created {}", text::line(&rel))?;
                }
                tally.created += 1;
            }
        }
    }
    for (line, message) in &tally.problems {
        eprintln!("{shown}:{line}: {}", text::line(message));
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    writeln!(
        out,
        "{shown}: {} created, {} moved, {} unchanged; {} without a partner, {} cancelled, {}{}",
        tally.created,
        tally.moved,
        tally.unchanged,
        tally.without_partner,
        calendar.cancelled.len(),
        plural(tally.problems.len(), "problem"),
        if args.dry_run {
            " (dry run: nothing was written)"
        } else {
            ""
        }
    )?;
    Ok(if tally.problems.is_empty() {
        EXIT_OK
    } else {
        EXIT_DATA
    })
}

/// The meeting notes under `dir` that name an event, by `(event_uid, event_occurrence)`.
fn known_meetings(
    ctx: &Context,
    dir: &str,
    log_heading: &str,
) -> anyhow::Result<HashMap<(String, Option<String>), Known>> {
    let vault = ctx.load();
    let prefix = format!("{dir}/");
    let mut known = HashMap::new();
    for other in vault.others.iter().filter(|o| o.path.starts_with(&prefix)) {
        let Some(bytes) = write::read_in(&ctx.root, &other.path)? else {
            continue;
        };
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        let layout = Layout::of(&text, false, log_heading);
        let Some(uid) = key_value(&text, &layout, "event_uid") else {
            continue;
        };
        let occurrence = key_value(&text, &layout, "event_occurrence").map(str::to_string);
        known.insert(
            (uid.to_string(), occurrence),
            Known {
                rel: other.path.clone(),
                date: key_value(&text, &layout, "date").map(str::to_string),
            },
        );
    }
    Ok(known)
}

/// The meeting note: its date, title, attendees and the event's identity, then the title as
/// a heading and the description quoted.
fn meeting_note(meeting: &Meeting, links: &[String]) -> String {
    let quote = |text: &str| serde_json::to_string(text).expect("a string serialises");
    let title = if meeting.title.trim().is_empty() {
        "Meeting"
    } else {
        meeting.title.trim()
    };
    let attendees: Vec<String> = links.iter().map(|l| quote(l)).collect();
    let mut note = format!(
        "---\ndate: {}\ntitle: {}\ntype: meeting\nattendees: [{}]\nevent_uid: {}\n",
        meeting.date,
        quote(title),
        attendees.join(", "),
        quote(&meeting.uid)
    );
    if let Some(occurrence) = meeting.occurrence {
        note.push_str(&format!("event_occurrence: {occurrence}\n"));
    }
    note.push_str("source: calendar\n---\n");
    note.push_str(&format!("# {}\n", title.replace('\n', " ")));
    let description = meeting.description.trim();
    if !description.is_empty() {
        note.push('\n');
        for line in description.lines() {
            let line = line.trim_end();
            note.push_str(if line.is_empty() { ">" } else { "> " });
            note.push_str(line);
            note.push('\n');
        }
    }
    note
}

/// `dir/DATE-TITLE.md`, or with `-2`, `-3`, ... when that file (or one made earlier in this
/// import) exists.
fn free_path(
    ctx: &Context,
    dir: &str,
    meeting: &Meeting,
    taken: &mut HashSet<String>,
) -> anyhow::Result<String> {
    let title = slug(&meeting.title);
    let base = if title.is_empty() {
        format!("{}-meeting", meeting.date)
    } else {
        format!("{}-{title}", meeting.date)
    };
    super::free_path(ctx, dir, &base, taken)
}

/// Sets the `date:` of a meeting note whose event moved, through the safe writer.
fn move_note(
    ctx: &Context,
    note: &Known,
    date: &str,
    dry_run: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let bytes =
        write::read_in(&ctx.root, &note.rel)?.with_context(|| format!("`{}` is gone", note.rel))?;
    let text = String::from_utf8(bytes.clone()).context("the note is not UTF-8")?;
    if text
        .lines()
        .any(|l| l.starts_with("<<<<<<<") || l.starts_with(">>>>>>>"))
    {
        bail!("it holds git conflict markers; fix them first");
    }
    let layout = Layout::of(&text, false, &ctx.config.log_heading);
    let new_text = set_key(&text, &layout, "date", date).map_err(|e| anyhow::anyhow!("{e}"))?;
    if dry_run {
        write!(
            out,
            "{}",
            text::clean(&unified_diff(Some(&text), &new_text, &note.rel))
        )?;
    } else {
        write::replace_unchanged_in(&ctx.root, &note.rel, &bytes, new_text.as_bytes())?;
        writeln!(out, "moved {} to {date}", text::line(&note.rel))?;
    }
    Ok(())
}

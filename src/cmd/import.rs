//! `vault import linkedin|vcard|csv FILE` (and `calendar`, in `import_calendar`): people from an export matched to the vault's
//! partners (never overwritten; with `--update`, their empty keys filled) and the others
//! created from the partner template, each through the safe writer.

use super::edit::open_partner;
use super::outcome::unified_diff;
use super::Context;
use crate::cli::{ImportArgs, ImportSource};
use crate::edit::{child_value, key_value, set_child_key, set_key};
use crate::error::{EXIT_DATA, EXIT_OK};
use crate::import::matching::{email_key, Known, Matcher};
use crate::import::{input, tables, vcard, Person, Problem, Read};
use crate::layout::Layout;
use crate::new_partner::{free_id, Draft, Plan, Request};
use crate::render::{Templates, PARTNER};
use crate::resolve;
use crate::text;
use crate::write;
use anyhow::Context as _;
use std::collections::HashSet;
use std::io::Write;

pub fn run(ctx: &Context, args: &ImportArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let (people, source, map) = match &args.source {
        ImportSource::Linkedin(people) => (people, "linkedin", None),
        ImportSource::Vcard(people) => (people, "vcard", None),
        ImportSource::Csv(csv) => (&csv.people, "csv", Some(csv.map.as_deref())),
        ImportSource::Calendar(calendar) => return super::import_calendar::run(ctx, calendar, out),
    };
    let shown = people.file.display().to_string();
    let bytes = std::fs::read(&people.file).with_context(|| format!("cannot read `{shown}`"))?;
    let (text, encoding) = input::decode(&bytes);
    let parsed = match map {
        Some(map) => tables::csv(&text, map),
        None if source == "linkedin" => tables::linkedin(&text),
        None => vcard::read(&text),
    };
    let mut read = parsed.with_context(|| format!("`{shown}`"))?;
    read.notes.extend(encoding);
    let options = Options {
        input: &shown,
        source,
        stage: people.stage.as_deref(),
        tier: people.tier.as_deref(),
        kind: people.kind.as_deref(),
        tags: &people.tags,
        dir: people.dir.as_deref(),
        update: people.update,
        dry_run: people.dry_run,
    };
    import_people(ctx, read, &options, out)
}

/// How the people of one input are imported.
pub struct Options<'a> {
    /// The input as the user named it, for `FILE:LINE` in messages.
    pub input: &'a str,
    /// What `source:` new notes get (`linkedin`, `vcard`, `csv`).
    pub source: &'a str,
    pub stage: Option<&'a str>,
    pub tier: Option<&'a str>,
    pub kind: Option<&'a str>,
    pub tags: &'a [String],
    pub dir: Option<&'a str>,
    pub update: bool,
    pub dry_run: bool,
}

#[derive(Default)]
struct Tally {
    created: usize,
    matched: usize,
    updated: usize,
    skipped: usize,
    problems: Vec<Problem>,
}

/// Imports `read`; prints a line per note created or updated, problems on stderr as
/// `FILE:LINE: ...`, and a summary line last.
pub fn import_people(
    ctx: &Context,
    read: Read,
    options: &Options,
    out: &mut dyn Write,
) -> anyhow::Result<u8> {
    let vault = ctx.load();
    let templates = Templates::load(&ctx.root, &ctx.config.templates_dir)?;
    for note in &read.notes {
        eprintln!("note: {}: {}", options.input, text::line(note));
    }
    let mut tally = Tally {
        problems: read.problems,
        ..Tally::default()
    };
    let mut matcher = Matcher::new(vault);
    let mut paths: HashSet<String> = HashSet::new();
    let mut ids: HashSet<String> = HashSet::new();
    for person in &read.people {
        match matcher.find(person) {
            Some((Known::Earlier(line), by)) => {
                tally.skipped += 1;
                eprintln!(
                    "{}:{}: the same person as line {line} (by {}); skipped",
                    options.input,
                    person.line,
                    by.describe()
                );
            }
            Some((Known::Partner(partner), _)) => {
                tally.matched += 1;
                if options.update {
                    update(ctx, partner, person, options, &mut tally, out)?;
                }
            }
            None => {
                let created = create(ctx, &templates, person, options, &mut paths, &mut ids, out);
                match created {
                    Ok(()) => {
                        tally.created += 1;
                        matcher.add(person, Known::Earlier(person.line));
                    }
                    Err(error) => tally.problems.push(Problem::at(
                        person.line,
                        format!("{}; skipped", first_line(&error.to_string())),
                    )),
                }
            }
        }
    }
    for problem in &tally.problems {
        eprintln!(
            "{}:{}: {}",
            options.input,
            problem.line,
            text::line(&problem.message)
        );
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let updated = if options.update {
        format!(" ({} updated)", tally.updated)
    } else {
        String::new()
    };
    writeln!(
        out,
        "{}: {} created, {} matched{updated}, {} skipped, {}{}",
        options.input,
        tally.created,
        tally.matched,
        tally.skipped,
        plural(tally.problems.len(), "problem"),
        if options.dry_run {
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

fn first_line(message: &str) -> &str {
    let line = message.lines().next().unwrap_or(message);
    line.trim_end_matches("; nothing was written")
}

/// A new partner note for `person`: the partner template, then its values set in it.
fn create(
    ctx: &Context,
    templates: &Templates,
    person: &Person,
    options: &Options,
    paths: &mut HashSet<String>,
    ids: &mut HashSet<String>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let vault = ctx.load();
    let mut tags: Vec<String> = options.tags.to_vec();
    tags.extend(person.tags.iter().cloned());
    let request = Request {
        name: &person.name,
        kind: person.get("kind").or(options.kind),
        tier: person.get("tier").or(options.tier),
        stage: person.get("stage").or(options.stage),
        org: person.get("org"),
        tags: &tags,
        aliases: &person.aliases,
        dir: options.dir,
    };
    let mut draft = Draft::new(&ctx.config, &request)?;
    // The file: the name's slug, or `slug-2`, ... when a file (or one made earlier in this
    // import) has it.
    let base = draft.slug.clone();
    let folder = draft.path.rsplit_once('/').map(|(f, _)| f.to_string());
    for n in 1.. {
        let stem = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        let path = match &folder {
            Some(folder) => format!("{folder}/{stem}.md"),
            None => format!("{stem}.md"),
        };
        if !paths.contains(&resolve::key(&path)) && write::read_in(&ctx.root, &path)?.is_none() {
            draft.slug = stem;
            draft.path = path;
            break;
        }
    }
    let id = free_id(vault, &draft.slug, ids);
    ids.insert(resolve::key(&id));
    paths.insert(resolve::key(&draft.path));
    let plan = Plan {
        draft,
        id,
        warnings: Vec::new(),
    };
    let mut view = plan.view(ctx.today);
    view.source = Some(person.get("source").unwrap_or(options.source).to_string());
    view.about = (!person.about.is_empty()).then(|| quoted(&person.about));
    let mut note = templates.render(PARTNER, &view)?;
    let mut values: Vec<(String, String)> = person
        .values
        .iter()
        .filter(|(k, _)| !["org", "kind", "stage", "tier"].contains(&k.as_str()))
        .cloned()
        .collect();
    if person.get("source").is_none() {
        values.push(("source".into(), options.source.into()));
    }
    let (filled, _, failed) = fill(&note, &ctx.config.log_heading, &values, false, &[]);
    note = filled;
    let path = &plan.draft.path;
    for failure in failed {
        eprintln!("{}:{}: {path}: {failure}", options.input, person.line);
    }
    if options.dry_run {
        write!(out, "{}", text::clean(&unified_diff(None, &note, path)))?;
    } else {
        write::write_new(&ctx.root.join(path), note.as_bytes())?;
        writeln!(out, "created {}", text::line(path))?;
    }
    Ok(())
}

/// `text` as a Markdown block quote, a `> ` before every line (`>` alone on an empty one).
fn quoted(text: &str) -> String {
    text.lines()
        .map(|line| {
            let line = line.trim_end();
            if line.is_empty() {
                ">".to_string()
            } else {
                format!("> {line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Fills the partner's empty keys from `person`; says what it added.
fn update(
    ctx: &Context,
    partner: usize,
    person: &Person,
    options: &Options,
    tally: &mut Tally,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let vault = ctx.load();
    let note = match open_partner(ctx, vault, partner) {
        Ok(note) => note,
        Err(error) => {
            tally.problems.push(Problem::at(
                person.line,
                format!("not updated: {}", first_line(&error.to_string())),
            ));
            return Ok(());
        }
    };
    let have: Vec<String> = vault.partners[partner]
        .channels
        .get()
        .iter()
        .map(|(_, v)| email_key(v))
        .collect();
    let values: Vec<(String, String)> = person
        .values
        .iter()
        .filter(|(k, _)| !["kind", "stage", "tier"].contains(&k.as_str()))
        .cloned()
        .collect();
    let (new_text, added, failed) = fill(&note.text, &ctx.config.log_heading, &values, true, &have);
    for failure in failed {
        tally
            .problems
            .push(Problem::at(person.line, format!("{}: {failure}", note.rel)));
    }
    if added.is_empty() {
        return Ok(());
    }
    tally.updated += 1;
    if options.dry_run {
        write!(out, "{}", text::clean(&note.diff(&new_text)))?;
    } else if let Err(error) = note.write(ctx, &new_text) {
        tally.problems.push(Problem::at(
            person.line,
            format!("not updated: {}", first_line(&error.to_string())),
        ));
        return Ok(());
    }
    writeln!(
        out,
        "{} {}: added {}",
        if options.dry_run {
            "would update"
        } else {
            "updated"
        },
        text::line(&note.rel),
        added.join(", ")
    )?;
    Ok(())
}

/// `text` with `values` set: every one, or with `only_empty` only those the note has no value
/// for. A channel value the note already has (`have`, compared as emails are) is not added
/// again; a new one goes under the first free name of its channel (`email`, `email_2`, ...).
/// Returns the text, the keys set, and the values that could not be set, with why.
fn fill(
    text: &str,
    log_heading: &str,
    values: &[(String, String)],
    only_empty: bool,
    have: &[String],
) -> (String, Vec<String>, Vec<String>) {
    let mut text = text.to_string();
    let mut added = Vec::new();
    let mut failed = Vec::new();
    let mut have: Vec<String> = have.to_vec();
    for (key, value) in values {
        let layout = Layout::of(&text, false, log_heading);
        let result = match key.strip_prefix("channels.") {
            Some(channel) => {
                if have.contains(&email_key(value)) {
                    continue;
                }
                let base = channel
                    .rsplit_once('_')
                    .filter(|(_, n)| n.bytes().all(|b| b.is_ascii_digit()))
                    .map_or(channel, |(b, _)| b);
                let free = std::iter::once(base.to_string())
                    .chain((2..).map(|n| format!("{base}_{n}")))
                    .find(|c| child_value(&text, &layout, "channels", c).is_none())
                    .expect("some number is free");
                have.push(email_key(value));
                set_child_key(&text, &layout, "channels", &free, value)
                    .map(|t| (t, format!("channels.{free}")))
            }
            None => {
                if only_empty && (key == "name" || key_value(&text, &layout, key).is_some()) {
                    continue;
                }
                set_key(&text, &layout, key, value).map(|t| (t, key.clone()))
            }
        };
        match result {
            Ok((new_text, key)) => {
                text = new_text;
                added.push(key);
            }
            Err(error) => failed.push(format!("`{key}` not written: {error}")),
        }
    }
    (text, added, failed)
}

//! Checks that need the whole vault: duplicate names, links to nothing or to several notes,
//! dates after today.

use crate::diagnostic::Diagnostic;
use crate::markdown::{LinkForm, LinkRef};
use crate::partner::{ListedName, Partner};
use crate::suggest;
use crate::text;
use chrono::NaiveDate;
use rustc_hash::FxHashMap;
use std::cell::LazyCell;

/// `partner` claims a name or alias that `first` already has.
pub fn duplicate_name(partner: &Partner, key: &str, spelling: &str, first: &Partner) -> Diagnostic {
    let line = partner.fields.get().line(key).unwrap_or(1);
    let what = if key == "name" { "name" } else { "alias" };
    Diagnostic::error(
        "duplicate-name",
        format!(
            "{what} `{spelling}` is also used by {} ({})",
            first.path, first.name
        ),
    )
    .at(&partner.path, line, 1, key.len())
    .hint("names and aliases must be unique across partners; rename one or remove the alias")
}

/// Something that names no partner and no note.
pub enum Broken {
    /// A link in the body or front matter.
    Link { path: String, link: LinkRef },
    /// A name in a touch list (`attendees: [Jon]`).
    Listed { path: String, name: ListedName },
}

/// One warning per note and target that names nothing, at its first occurrence, with the
/// number of occurrences and the closest known name (looked up once per distinct target, in
/// the index of `names`, made only when something is broken).
pub fn broken_links<'a>(
    broken: &[Broken],
    names: impl FnOnce() -> suggest::Index<'a>,
) -> Vec<Diagnostic> {
    // Links and listed names are counted apart: they are fixed in different places.
    fn key(b: &Broken) -> (&str, bool, &str) {
        match b {
            Broken::Link { path, link } => (path, false, &link.target),
            Broken::Listed { path, name } => (path, true, &name.target),
        }
    }
    let mut counts: FxHashMap<(&str, bool, &str), usize> = FxHashMap::default();
    for b in broken {
        *counts.entry(key(b)).or_default() += 1;
    }
    let names = LazyCell::new(names);
    let mut closest: FxHashMap<&str, Option<&str>> = FxHashMap::default();
    let mut out = Vec::new();
    for b in broken {
        let Some(count) = counts.remove(&key(b)) else {
            continue; // reported at its first occurrence
        };
        let (path, _, target) = key(b);
        let best = *closest
            .entry(target)
            .or_insert_with(|| names.closest(target));
        let times = if count > 1 {
            format!(" ({count} times in this note)")
        } else {
            String::new()
        };
        let d = match b {
            Broken::Link { link, .. } if target.is_empty() => Diagnostic::warning(
                "broken-link",
                format!("empty link{times}: it names no note"),
            )
            .at(
                path,
                link.line as usize,
                link.column as usize,
                link.length as usize,
            )
            .hint("write the note's name inside the brackets: [[Name]]"),
            Broken::Link { link, .. } => {
                let shown = match link.form {
                    LinkForm::Wiki => format!("[[{}]]", text::short(target)),
                    LinkForm::Markdown => format!("({})", text::short(target)),
                };
                let d = Diagnostic::warning(
                    "broken-link",
                    format!("`{shown}` links to no partner or note{times}"),
                )
                .at(
                    path,
                    link.line as usize,
                    link.column as usize,
                    link.length as usize,
                );
                match best {
                    Some(best) => d.hint(format!("did you mean `[[{best}]]`?")),
                    None => d.hint("create the note, or fix the spelling"),
                }
            }
            Broken::Listed { name, .. } => {
                let d = Diagnostic::warning(
                    "broken-link",
                    format!(
                        "`{}:` names `{}`, who is no partner{times}",
                        name.key,
                        text::short(target)
                    ),
                )
                .at(
                    path,
                    name.line as usize,
                    name.column as usize,
                    name.length as usize,
                );
                match best {
                    Some(best) => d.hint(format!("did you mean `{best}`?")),
                    None => d.hint("create the partner note, or fix the spelling"),
                }
            }
        };
        out.push(d);
    }
    out
}

/// A link target that more than one note matches; the first is the one used.
pub fn ambiguous_link(path: &str, target: &str, line: usize, candidates: &[String]) -> Diagnostic {
    Diagnostic::warning(
        "ambiguous-link",
        format!(
            "`{}` matches {} notes: {}; using `{}`",
            text::short(target),
            candidates.len(),
            candidates.join(", "),
            candidates[0]
        ),
    )
    .at(path, line.max(1), 1, 1)
    .hint("write more of the path to choose one, e.g. [[folder/name]]")
}

/// Warnings for a `last_contact` or Log entry after today: they count once the day comes.
pub fn future_dates(partner: &Partner, today: NaiveDate) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    if let Some(date) = partner.last_contact.filter(|d| *d > today) {
        let line = partner.fields.get().line("last_contact").unwrap_or(1);
        found.push(
            Diagnostic::warning(
                "future-contact",
                format!("`last_contact` {date} is after today ({today})"),
            )
            .at(&partner.path, line, 1, "last_contact".len())
            .hint("it is ignored until that day; use `next:` to plan a touch"),
        );
    }
    for entry in partner.log.iter().filter(|i| i.date > today) {
        found.push(
            Diagnostic::warning(
                "future-log-entry",
                format!("Log entry dated {} is after today ({today})", entry.date),
            )
            .at(&partner.path, entry.line as usize, 1, 1)
            .hint("it counts once the day comes; plan future touches with `next:` or a task"),
        );
    }
    found
}

//! Checks that need the whole vault: duplicate names, links to nothing, dates after today.

use crate::diagnostic::Diagnostic;
use crate::markdown::LinkRef;
use crate::partner::Partner;
use chrono::NaiveDate;
use rayon::prelude::*;

/// `partner` claims a name or alias that `first` already has.
pub fn duplicate_name(partner: &Partner, key: &str, spelling: &str, first: &Partner) -> Diagnostic {
    let line = partner.key_lines.get(key).copied().unwrap_or(1);
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

/// One warning per `[[link]]` that names no partner and no note, with a suggestion.
pub fn broken_links<F>(unresolved: &[(String, LinkRef)], suggest: F) -> Vec<Diagnostic>
where
    F: Fn(&str) -> Vec<String> + Sync,
{
    unresolved
        .par_iter()
        .map(|(path, link)| {
            let d = Diagnostic::warning(
                "broken-link",
                format!("`[[{}]]` links to no partner or note", link.target),
            )
            .at(path, link.line, link.column, link.length);
            match suggest(&link.target).first() {
                Some(best) => d.hint(format!("did you mean `[[{best}]]`?")),
                None => d.hint("create the note, or fix the spelling"),
            }
        })
        .collect()
}

/// A name in a note's `partners:` list that matches no partner.
pub fn unknown_listed_partner(
    path: &str,
    target: &str,
    line: usize,
    suggestions: &[String],
) -> Diagnostic {
    let d = Diagnostic::warning(
        "broken-link",
        format!("`partners:` names `{target}`, who is no partner"),
    )
    .at(path, line.max(1), 1, "partners".len());
    match suggestions.first() {
        Some(best) => d.hint(format!("did you mean `{best}`?")),
        None => d.hint("create the partner note, or fix the spelling"),
    }
}

/// Warnings for a `last_contact` or Log entry after today: they count once the day comes.
pub fn future_dates(partner: &Partner, today: NaiveDate) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    if let Some(date) = partner.last_contact.filter(|d| *d > today) {
        let line = partner.key_lines.get("last_contact").copied().unwrap_or(1);
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
            .at(&partner.path, entry.line, 1, 1)
            .hint("it counts once the day comes; plan future touches with `next:` or a task"),
        );
    }
    found
}

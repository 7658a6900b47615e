//! Log entries and tasks: `- 2026-11-20 gave: text` under the Log heading, `- [ ] 2026-12-05
//! text` anywhere.

use super::fields::FieldReader;
use crate::dates::{looks_like_date, parse_date};
use crate::diagnostic::Diagnostic;
use crate::markdown::{self, to_u32, Located};
use crate::partner::{Interaction, Task};
use chrono::NaiveDate;

/// A Log entry as read, before it joins the partner's [`Log`](crate::partner::Log).
pub(super) struct ReadEntry<'t> {
    pub(super) date: NaiveDate,
    pub(super) line: u32,
    /// Lowercased, so its own string.
    pub(super) kind: Option<String>,
    pub(super) text: &'t str,
}

impl ReadEntry<'_> {
    pub(super) fn as_interaction(&self) -> Interaction<'_> {
        Interaction {
            date: self.date,
            line: self.line,
            kind: self.kind.as_deref(),
            text: self.text,
        }
    }
}

impl FieldReader<'_> {
    /// `2026-11-20 gave: text` -> an interaction; a bad date is an error, no date a warning.
    pub(super) fn interaction<'t>(&mut self, item: &'t Located) -> Option<ReadEntry<'t>> {
        let (token, rest) = split_first_word(&item.text);
        let token = token.trim_end_matches([':', ',']);
        let date = match parse_date(token) {
            Ok(date) if token.len() == 10 => date,
            result => {
                let diagnostic = if looks_like_date(token) || result.is_ok() {
                    let message = result
                        .err()
                        .unwrap_or_else(|| format!("`{token}` is not a date"));
                    Diagnostic::error("bad-log-date", format!("Log entry date {message}"))
                        .hint("write the date as YYYY-MM-DD, e.g. `- 2026-11-20 gave: ...`")
                } else {
                    Diagnostic::warning(
                        "undated-log-entry",
                        "Log entry has no date, so it counts as no touch",
                    )
                    .hint("start the entry with its date: `- 2026-11-20 met: ...`")
                };
                self.diagnostics.push(diagnostic.at(
                    self.path,
                    item.line,
                    item.column,
                    token.chars().count(),
                ));
                return None;
            }
        };
        let (kind, text) = split_kind(rest);
        Some(ReadEntry {
            date,
            // A note is at most `MAX_NOTE_BYTES`, so its line numbers fit.
            line: item.line as u32,
            kind,
            text,
        })
    }

    pub(super) fn task(&mut self, done: bool, at: &Located) -> Task {
        let (token, rest) = split_first_word(&at.text);
        let (due, text) = match parse_date(token) {
            Ok(date) if token.len() == 10 => (Some(date), rest),
            Err(message) if looks_like_date(token) && !done => {
                let d = Diagnostic::warning("bad-task-date", format!("task due date {message}"))
                    .hint("write the due date as YYYY-MM-DD right after the checkbox")
                    .at(self.path, at.line, at.column, token.chars().count());
                self.diagnostics.push(d);
                (None, at.text.as_str())
            }
            _ => (None, at.text.as_str()),
        };
        let links = markdown::links_in(text);
        Task {
            done,
            due,
            text: text.into(),
            line: to_u32(at.line),
            links: links.into_iter().collect(),
        }
    }
}

/// Whether a Log item's first word is a date, or something meant as one.
pub(super) fn starts_like_a_date(text: &str) -> bool {
    let (token, _) = split_first_word(text);
    let token = token.trim_end_matches([':', ',']);
    looks_like_date(token) || parse_date(token).is_ok()
}

pub(super) fn split_first_word(text: &str) -> (&str, &str) {
    let text = text.trim_start();
    match text.find(char::is_whitespace) {
        Some(i) => (&text[..i], text[i..].trim_start()),
        None => (text, ""),
    }
}

/// `gave: text` -> (Some("gave"), "text"); `text` -> (None, "text").
pub(super) fn split_kind(rest: &str) -> (Option<String>, &str) {
    if let Some((word, text)) = rest.split_once(':') {
        let is_word = !word.is_empty()
            && word
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
            && (text.is_empty() || text.starts_with(char::is_whitespace));
        if is_word {
            return (Some(word.to_lowercase()), text.trim());
        }
    }
    (None, rest.trim())
}

//! The domain: partners, their interactions and tasks, and the other notes of a vault.

use crate::cadence::Cadence;
use crate::lazy::Lazy;
use crate::markdown::LinkRef;
use crate::strs::Strs;
use crate::value::Fields;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The reciprocity kinds of a Log entry.
pub const GAVE: &str = "gave";
pub const GOT: &str = "got";
/// The Log kind that records a move in the pipeline (`stage: nurturing -> partner`); no touch.
pub const STAGE: &str = "stage";

/// One partner note, as written (derived values live in the vault index).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Partner {
    /// Path relative to the vault root, `/`-separated.
    pub path: String,
    pub name: String,
    pub aliases: Strs,
    /// A stable identity (`id:`), for reminders that survive renames.
    pub id: Option<String>,
    pub org: Option<String>,
    pub kind: Option<String>,
    pub stage: Option<String>,
    /// The tier as written, or the default tier.
    pub tier: String,
    /// The note's own cadence, when it sets one.
    pub cadence: Option<Cadence>,
    #[serde(with = "crate::dates::day_number::option")]
    pub last_contact: Option<NaiveDate>,
    #[serde(with = "crate::dates::day_number::option")]
    pub next: Option<NaiveDate>,
    #[serde(with = "crate::dates::day_number::option")]
    pub since: Option<NaiveDate>,
    pub met_at: Option<String>,
    /// Channel name and address, in name order (a list: a map's nodes cost more); only `show`
    /// reads them, so from the cache they are decoded only then.
    pub channels: Lazy<Vec<(String, String)>>,
    pub tags: Strs,
    /// What the partner can give others (`offers: [speaking, audience:marketers]`) and looks
    /// for (`seeks: [speakers]`): free words or tags, matched for introductions.
    pub offers: Strs,
    pub seeks: Strs,
    /// The partners this one already knows, as written (link targets or plain names).
    pub knows: Strs,
    /// Every front-matter key as written, known or not (for `--where` on a known key and the
    /// lines of keys), with its file line; from the cache, decoded only when asked for.
    pub fields: Lazy<Fields>,
    /// The keys outside [`crate::note::KNOWN_KEYS`], with their values and lines (what `show`,
    /// `list --format json` and templates show besides the known fields).
    pub extra: Fields,
    /// Log entries in the order written.
    pub log: Log,
    pub tasks: Vec<Task>,
}

/// A dated entry under the Log heading: `- 2026-11-20 gave: text`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interaction<'a> {
    pub date: NaiveDate,
    pub line: u32,
    /// The kind word before the colon, lowercased (`gave`, `got`, `met`, ...).
    pub kind: Option<&'a str>,
    pub text: &'a str,
}

impl Interaction<'_> {
    pub fn is(&self, kind: &str) -> bool {
        self.kind == Some(kind)
    }
}

/// A partner's Log: the kinds and texts of all its entries in one string, each entry a date, a
/// line and where its words end in that string (one allocation per note, not two per entry:
/// the Log is most of what the index holds).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Log {
    words: Box<str>,
    entries: Box<[LogEntry]>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct LogEntry {
    #[serde(with = "crate::dates::day_number")]
    date: NaiveDate,
    line: u32,
    /// Where the kind ends in `words` (it starts where the previous entry ends), if it has one.
    kind_end: Option<u32>,
    /// Where the entry's text ends.
    end: u32,
}

impl Log {
    /// The Log of `entries`, in the order given.
    pub fn new<'a>(entries: impl IntoIterator<Item = Interaction<'a>>) -> Log {
        let mut words = String::new();
        let entries = entries
            .into_iter()
            .map(|entry| {
                let kind_end = entry.kind.map(|kind| {
                    words.push_str(kind);
                    crate::markdown::to_u32(words.len())
                });
                words.push_str(entry.text);
                LogEntry {
                    date: entry.date,
                    line: entry.line,
                    kind_end,
                    end: crate::markdown::to_u32(words.len()),
                }
            })
            .collect();
        Log {
            words: words.into_boxed_str(),
            entries,
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = Interaction<'_>> {
        let mut start = 0;
        self.entries.iter().map(move |entry| {
            let (kind, text_start) = match entry.kind_end {
                Some(end) => (Some(&self.words[start..end as usize]), end as usize),
                None => (None, start),
            };
            let text = &self.words[text_start..entry.end as usize];
            start = entry.end as usize;
            Interaction {
                date: entry.date,
                line: entry.line,
                kind,
                text,
            }
        })
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A Markdown task item; an open task whose text starts with a date is due that day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub done: bool,
    #[serde(with = "crate::dates::day_number::option")]
    pub due: Option<NaiveDate>,
    /// The text after the checkbox, without the due date.
    pub text: Box<str>,
    pub line: u32,
    /// Partners or notes this task links to.
    pub links: Strs,
}

/// A note outside the partners folder. When it has a `date:`, it counts as a touch on that day
/// for the partners its touch lists (`partners:`, `attendees:`, `with:`) name.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OtherNote {
    pub path: String,
    /// `title:`, else its first `# heading`, else the file name.
    pub title: String,
    /// A stable identity (`id:`), for reminders that survive renames.
    pub id: Option<String>,
    #[serde(with = "crate::dates::day_number::option")]
    pub date: Option<NaiveDate>,
    /// The names in its touch lists, in the order written.
    pub listed: Vec<ListedName>,
    pub tasks: Vec<Task>,
}

/// One name in a front-matter touch list, placed at its key's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedName {
    /// What names the partner: a link target or a plain name.
    pub target: Box<str>,
    /// The key that lists it (`attendees`).
    pub key: Box<str>,
    pub line: u32,
    pub column: u32,
    pub length: u32,
}

/// What one file of the vault holds, after parsing.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum NoteContent {
    Partner(Box<Partner>),
    Other(Box<OtherNote>),
}

/// One parsed Markdown file: its content and its links (front matter and body, in file order).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Note {
    pub content: NoteContent,
    pub links: Vec<LinkRef>,
}

impl Partner {
    /// Its name, then its aliases: the spellings that name it.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(&self.aliases)
    }

    /// The file name without `.md`.
    pub fn stem(&self) -> &str {
        file_stem(&self.path)
    }

    /// The front-matter value of `key` as written: a key `vault` gives no meaning from
    /// [`Partner::extra`], a known one from the full list (decoded from the cache then).
    pub fn field(&self, key: &str) -> Option<&crate::value::Value> {
        if crate::note::KNOWN_KEYS.contains(&key) {
            self.fields.get().get(key)
        } else {
            self.extra.get(key)
        }
    }
}

impl OtherNote {
    /// The file name without `.md`.
    pub fn stem(&self) -> &str {
        file_stem(&self.path)
    }
}

/// The file name of a vault-relative path, without `.md`.
pub fn file_stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".md").unwrap_or(name)
}

impl Note {
    pub fn path(&self) -> &str {
        match &self.content {
            NoteContent::Partner(p) => &p.path,
            NoteContent::Other(o) => &o.path,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::size_of;

    #[test]
    fn the_kept_parts_of_notes_stay_small() {
        // Held in the index for every link, task and listed name of the vault: boxed text
        // without spare room, and four-byte positions; a task's links in one string.
        assert_eq!(size_of::<LinkRef>(), 32);
        assert_eq!(size_of::<Task>(), 64);
        assert_eq!(size_of::<ListedName>(), 48);
        assert_eq!(size_of::<LogEntry>(), 20);
    }

    #[test]
    fn a_log_gives_back_each_entry_as_given() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let entries = [
            Interaction {
                date: day(20),
                line: 7,
                kind: Some("gave"),
                text: "Shared it",
            },
            Interaction {
                date: day(2),
                line: 8,
                kind: None,
                text: "Coffee: great",
            },
            Interaction {
                date: day(1),
                line: 9,
                kind: Some("got"),
                text: "",
            },
            Interaction {
                date: day(1),
                line: 10,
                kind: None,
                text: "",
            },
        ];
        let log = Log::new(entries);
        assert_eq!(log.iter().collect::<Vec<_>>(), entries);
        assert_eq!(log.len(), 4);
        assert!(Log::new([]).is_empty());
    }
}

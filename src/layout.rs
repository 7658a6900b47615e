//! Where things are in a note's bytes, for editing it without touching anything else: the BOM
//! and line ending, the front-matter block and each top-level key's line and value, the Log
//! heading with its entries and the end of its list, and each task with its checkbox.
//! Offsets are byte offsets into the text after the BOM.

use crate::dates::parse_date;
use crate::front_matter;
use chrono::NaiveDate;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// A note's layout.
#[derive(Debug, Clone)]
pub struct Layout {
    pub bom: bool,
    /// The line ending the note uses (its first one), `\n` when it has none.
    pub eol: &'static str,
    /// The front matter's YAML text, and where the closing `---` line starts.
    pub front: Option<Front>,
    pub keys: Vec<Key>,
    pub log: Option<LogSection>,
    pub tasks: Vec<TaskSpan>,
}

#[derive(Debug, Clone)]
pub struct Front {
    pub yaml: Range<usize>,
    /// The start of the closing `---` line: where a new key goes.
    pub close: usize,
}

/// A top-level front-matter key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub name: String,
    /// The whole line, without its line ending.
    pub line: Range<usize>,
    /// The value as written (quotes included), before any comment; empty when there is none.
    pub value: Range<usize>,
    pub style: ValueStyle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueStyle {
    /// Nothing after the colon, and nothing indented below.
    Empty,
    Plain,
    DoubleQuoted,
    SingleQuoted,
    /// A `[...]` or `{...}` on the line, or a block of indented lines below.
    Collection,
}

/// The Log section: its heading and its top-level entries.
#[derive(Debug, Clone)]
pub struct LogSection {
    /// The end of the heading's line (before its line ending).
    pub heading_end: usize,
    pub entries: Vec<Entry>,
}

/// One top-level list item under the Log heading.
#[derive(Debug, Clone)]
pub struct Entry {
    /// From the start of its first line to the end of its last non-blank line.
    pub span: Range<usize>,
    /// What comes before the text on its first line: indentation and marker (`- `).
    pub prefix: String,
    pub date: Option<NaiveDate>,
}

/// A task item.
#[derive(Debug, Clone)]
pub struct TaskSpan {
    pub span: Range<usize>,
    pub prefix: String,
    /// The byte inside `[ ]` or `[x]`.
    pub checkbox: usize,
    pub done: bool,
    /// The text after the checkbox, on its first line.
    pub text: String,
    /// 1-based line of the file (BOM excluded, which takes no line).
    pub line: usize,
}

impl Layout {
    /// The layout of `text` (a note's text after its BOM), with `log_heading` naming the Log.
    pub fn of(text: &str, bom: bool, log_heading: &str) -> Layout {
        let eol = match text.find('\n') {
            Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
            _ => "\n",
        };
        let split = front_matter::split(text);
        let offset_of = |part: &str| part.as_ptr() as usize - text.as_ptr() as usize;
        let front = split.yaml.filter(|_| split.problem.is_none()).map(|yaml| {
            let start = offset_of(yaml);
            Front {
                yaml: start..start + yaml.len(),
                close: start + yaml.len(),
            }
        });
        let keys = front
            .as_ref()
            .map(|f| top_level_keys(text, f.yaml.clone()))
            .unwrap_or_default();
        let body_start = offset_of(split.body);
        let (log, tasks) = scan_body(text, body_start, log_heading);
        Layout {
            bom,
            eol,
            front,
            keys,
            log,
            tasks,
        }
    }

    pub fn key(&self, name: &str) -> Option<&Key> {
        self.keys.iter().find(|k| k.name == name)
    }
}

/// The top-level keys of the YAML block at `yaml` in `text`.
fn top_level_keys(text: &str, yaml: Range<usize>) -> Vec<Key> {
    let mut keys: Vec<Key> = Vec::new();
    let mut at = yaml.start;
    for raw in text[yaml.clone()].split_inclusive('\n') {
        let line_start = at;
        at += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        if line.starts_with([' ', '\t']) {
            // An indented line: the value of the key above is a block.
            if let Some(last) = keys.last_mut() {
                let content = !line.trim().is_empty() && !line.trim_start().starts_with('#');
                if content && last.style == ValueStyle::Empty {
                    last.style = ValueStyle::Collection;
                }
            }
            continue;
        }
        if line.is_empty() || line.starts_with(['#', '-']) {
            continue;
        }
        if let Some(key) = key_line(line, line_start) {
            keys.push(key);
        }
    }
    keys
}

/// `key: value # comment` at `start` -> its key, value span and style. The one reader of a
/// front-matter key line: `yaml` places diagnostics with it too.
pub(crate) fn key_line(line: &str, start: usize) -> Option<Key> {
    let (name, after_colon) =
        if let Some(quote) = line.chars().next().filter(|c| *c == '"' || *c == '\'') {
            let end = line[1..].find(quote)? + 1;
            let rest = &line[end + 1..];
            let colon = end + 1 + rest.len() - rest.trim_start().len();
            if !line[colon..].starts_with(':') {
                return None;
            }
            (line[1..end].to_string(), colon + 1)
        } else {
            let (colon, _) = line.match_indices(':').find(|(i, _)| {
                matches!(line[i + 1..].chars().next(), None | Some(' ' | '\t' | '\r'))
            })?;
            (line[..colon].trim_end().to_string(), colon + 1)
        };
    let rest = &line[after_colon..];
    let value_start = after_colon + (rest.len() - rest.trim_start().len());
    let value_text = &line[value_start..];
    let (length, style) = match value_text.chars().next() {
        None | Some('#') => (0, ValueStyle::Empty),
        Some('"') => (quoted_length(value_text, '"'), ValueStyle::DoubleQuoted),
        Some('\'') => (quoted_length(value_text, '\''), ValueStyle::SingleQuoted),
        Some(c) => {
            let end = value_text.find(" #").unwrap_or(value_text.len());
            let style = if matches!(c, '[' | '{') {
                ValueStyle::Collection
            } else {
                ValueStyle::Plain
            };
            (value_text[..end].trim_end().len(), style)
        }
    };
    Some(Key {
        name,
        line: start..start + line.len(),
        value: start + value_start..start + value_start + length,
        style,
    })
}

/// The length of a quoted scalar that starts `text`, quotes included.
fn quoted_length(text: &str, quote: char) -> usize {
    let bytes = text.as_bytes();
    let q = quote as u8;
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if q == b'"' => i += 2,
            // In single quotes, '' is a quote inside the value.
            b'\'' if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == q => return i + 1,
            _ => i += 1,
        }
    }
    text.len()
}

/// The Log section and the tasks of the body, which starts at `body_start` in `text`.
fn scan_body(
    text: &str,
    body_start: usize,
    log_heading: &str,
) -> (Option<LogSection>, Vec<TaskSpan>) {
    let body = &text[body_start..];
    let options = Options::ENABLE_TASKLISTS
        | Options::ENABLE_TABLES
        | Options::ENABLE_MATH
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut log: Option<LogSection> = None;
    let mut in_log: Option<HeadingLevel> = None;
    let mut heading: Option<(HeadingLevel, Range<usize>, String)> = None;
    let mut depth = 0usize;
    let mut open_items: Vec<Range<usize>> = Vec::new();
    let mut tasks = Vec::new();
    let mut log_closed = false;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        let range = range.start + body_start..range.end + body_start;
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((level, range, String::new()))
            }
            Event::Text(t) | Event::Code(t) if heading.is_some() => {
                if let Some((_, _, h)) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                let Some((level, range, title)) = heading.take() else {
                    continue;
                };
                if in_log.is_some_and(|log| level <= log) {
                    in_log = None;
                    log_closed = true;
                }
                if log.is_none() && title.trim().eq_ignore_ascii_case(log_heading) {
                    in_log = Some(level);
                    log = Some(LogSection {
                        heading_end: line_end(text, range.start),
                        entries: Vec::new(),
                    });
                }
            }
            Event::Start(Tag::List(_)) => depth += 1,
            Event::End(TagEnd::List(_)) => depth = depth.saturating_sub(1),
            Event::Start(Tag::Item) => open_items.push(range),
            Event::End(TagEnd::Item) => {
                let Some(item) = open_items.pop() else {
                    continue;
                };
                if depth == 1 && in_log.is_some() && !log_closed {
                    if let Some(section) = log.as_mut() {
                        section.entries.push(entry(text, item));
                    }
                }
            }
            Event::TaskListMarker(done) => {
                if let Some(item) = open_items.last() {
                    tasks.push(task(text, item.clone(), range, done));
                }
            }
            _ => {}
        }
    }
    // A task item under the Log is a task, not an entry.
    if let Some(section) = log.as_mut() {
        section.entries.retain(|e| {
            !tasks
                .iter()
                .any(|t: &TaskSpan| t.span.start == e.span.start)
        });
    }
    (log, tasks)
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

fn line_end(text: &str, at: usize) -> usize {
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    if end > at && text.as_bytes()[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}

/// From the start of the item's first line to the end of its last non-blank line.
fn item_span(text: &str, item: &Range<usize>) -> Range<usize> {
    let start = line_start(text, item.start);
    let content = text[item.start..item.end].trim_end();
    let end = line_end(text, item.start + content.len().max(1) - 1);
    start..end.max(start)
}

/// The indentation and list marker before an item's text.
fn prefix(text: &str, span_start: usize, item_start: usize) -> String {
    let first_line = &text[span_start..line_end(text, item_start)];
    let indent = first_line.len() - first_line.trim_start().len();
    let rest = &first_line[indent..];
    let marker_len = if rest.starts_with(['-', '*', '+']) {
        1
    } else {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        digits + usize::from(rest[digits..].starts_with(['.', ')']))
    };
    let spaces = rest[marker_len..].len() - rest[marker_len..].trim_start().len();
    first_line[..indent + marker_len + spaces.max(1).min(rest.len() - marker_len)].to_string()
}

fn entry(text: &str, item: Range<usize>) -> Entry {
    let span = item_span(text, &item);
    let prefix = prefix(text, span.start, item.start);
    let first_line = &text[span.start..line_end(text, span.start)];
    let rest = first_line.get(prefix.len()..).unwrap_or("").trim_start();
    let token = rest.split_whitespace().next().unwrap_or("");
    let token = token.trim_end_matches([':', ',']);
    let date = parse_date(token).ok().filter(|_| token.len() == 10);
    Entry { span, prefix, date }
}

fn task(text: &str, item: Range<usize>, marker: Range<usize>, done: bool) -> TaskSpan {
    let span = item_span(text, &item);
    let prefix = prefix(text, span.start, item.start);
    let checkbox = marker.start + 1;
    let end = line_end(text, marker.end);
    TaskSpan {
        line: text[..span.start].matches('\n').count() + 1,
        prefix,
        checkbox,
        done,
        text: text[marker.end.min(end)..end].trim().to_string(),
        span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTE: &str = "---\nname: \"Ana\" # who\nnext: 2026-12-01\nempty:\ntags: [a, b]\nchannels:\n  email: x\n'odd': 'it''s'\n---\nIntro.\n\n## Log\n- 2026-11-20 gave: x\n  - detail\n* 2026-11-02 got: y\n\n## Ideas\n- [ ] 2026-12-05 Propose\n- [x] Done thing\n";

    #[test]
    fn finds_keys_with_their_values() {
        let layout = Layout::of(NOTE, false, "Log");
        let value = |k: &str| {
            let key = layout.key(k).unwrap();
            (&NOTE[key.value.clone()], key.style)
        };
        assert_eq!(value("name"), ("\"Ana\"", ValueStyle::DoubleQuoted));
        assert_eq!(value("next"), ("2026-12-01", ValueStyle::Plain));
        assert_eq!(value("empty"), ("", ValueStyle::Empty));
        assert_eq!(value("tags").1, ValueStyle::Collection);
        assert_eq!(value("channels").1, ValueStyle::Collection);
        assert_eq!(value("odd"), ("'it''s'", ValueStyle::SingleQuoted));
        assert_eq!(&NOTE[layout.front.unwrap().close..][..4], "---\n");
    }

    #[test]
    fn finds_log_entries_and_tasks() {
        let layout = Layout::of(NOTE, false, "Log");
        let log = layout.log.unwrap();
        let entries: Vec<(&str, &str)> = log
            .entries
            .iter()
            .map(|e| (&NOTE[e.span.clone()], e.prefix.as_str()))
            .collect();
        assert_eq!(
            entries,
            [
                ("- 2026-11-20 gave: x\n  - detail", "- "),
                ("* 2026-11-02 got: y", "* ")
            ]
        );
        assert_eq!(&NOTE[..log.heading_end].lines().last(), &Some("## Log"));
        let tasks: Vec<(&str, bool, usize)> = layout
            .tasks
            .iter()
            .map(|t| (t.text.as_str(), t.done, t.line))
            .collect();
        assert_eq!(
            tasks,
            [("2026-12-05 Propose", false, 18), ("Done thing", true, 19)]
        );
        assert_eq!(&NOTE[layout.tasks[0].checkbox..][..1], " ");
    }

    #[test]
    fn knows_line_endings() {
        assert_eq!(
            Layout::of("---\r\na: 1\r\n---\r\n", false, "Log").eol,
            "\r\n"
        );
        assert_eq!(Layout::of("no newline", false, "Log").eol, "\n");
    }
}

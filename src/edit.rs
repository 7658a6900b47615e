//! Byte-exact edits of one note, computed from its [`Layout`]: set a front-matter value, add a
//! Log entry where the Log's order puts it, add a task, tick a task. Each edit changes only the
//! bytes it means to: the rest of the file (comments, quoting, key order, line endings, a
//! missing final newline) stays as it was. Front matter is edited as text, never re-serialised.
//!
//! Edits of the body (Log entries, tasks) never move the front matter, so a note's layout
//! still serves a front-matter edit made after a body edit: make two edits in that order.

use crate::dates::parse_date;
use crate::layout::{Key, Layout, ValueStyle};
use chrono::NaiveDate;
use std::fmt;

/// Problems that make a note unsafe to edit: the tool could not tell what it would change.
pub const UNSAFE_TO_EDIT: [&str; 8] = [
    "conflict-marker",
    "invalid-utf8",
    "nul-byte",
    "yaml-syntax",
    "unclosed-front-matter",
    "missing-front-matter",
    "toml-front-matter",
    "front-matter-not-mapping",
];

/// Why an edit cannot be made by the tool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditError(pub String);

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EditError {}

/// `text` with `key` set to `value`: the value replaced in place (its quoting kept, a comment
/// after it kept), or a new `key: value` line added just before the closing `---`.
pub fn set_key(text: &str, layout: &Layout, key: &str, value: &str) -> Result<String, EditError> {
    let Some(front) = &layout.front else {
        return Err(EditError("the note has no front matter to edit".into()));
    };
    let Some(found) = layout.key(key) else {
        let line = format!("{key}: {}{}", plain(value), layout.eol);
        return Ok(splice(text, front.close..front.close, &line));
    };
    set_value(text, found, value)
}

/// `text` with the value of the key line `found` replaced by `value`, written in the style the
/// line already uses.
fn set_value(text: &str, found: &Key, value: &str) -> Result<String, EditError> {
    let written = match found.style {
        ValueStyle::Collection => {
            return Err(EditError(format!(
                "`{}` holds a list or mapping, not a single value; edit it by hand",
                found.name
            )))
        }
        ValueStyle::DoubleQuoted => {
            format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
        }
        ValueStyle::SingleQuoted => format!("'{}'", value.replace('\'', "''")),
        ValueStyle::Plain => plain(value),
        ValueStyle::Empty => {
            let before = text[..found.value.start].chars().last();
            let space = if matches!(before, Some(' ' | '\t')) {
                ""
            } else {
                " "
            };
            let comment = if text[found.value.start..].starts_with('#') {
                " "
            } else {
                ""
            };
            format!("{space}{}{comment}", plain(value))
        }
    };
    Ok(splice(text, found.value.clone(), &written))
}

/// The current value of a scalar key, unquoted; `None` when absent or empty.
pub fn key_value<'a>(text: &'a str, layout: &Layout, key: &str) -> Option<&'a str> {
    let found = layout.key(key)?;
    unquoted(&text[found.value.clone()])
}

/// The block of indented lines under a top-level key (`channels:` then `  email: ...`): each
/// child's key found with [`crate::layout::key_line`], and where a new child line goes.
struct Children {
    keys: Vec<Key>,
    /// The indentation of the first child, or two spaces.
    indent: String,
    /// Where a new child line starts: after the last line of the block.
    insert_at: usize,
}

fn children(text: &str, parent: &Key) -> Children {
    let mut at = parent.line.end;
    // Past the parent line's ending.
    at += text[at..].find('\n').map_or(text.len() - at, |i| i + 1);
    let mut insert_at = at;
    let mut keys = Vec::new();
    let mut indent = None;
    for raw in text[at..].split_inclusive('\n') {
        let line_start = at;
        at += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        if !line.starts_with([' ', '\t']) {
            break;
        }
        insert_at = at;
        let width = line.len() - line.trim_start().len();
        let own_indent = indent.get_or_insert_with(|| line[..width].to_string());
        if width == own_indent.len() {
            if let Some(key) = crate::layout::key_line(&line[width..], line_start + width) {
                keys.push(key);
            }
        }
    }
    Children {
        keys,
        indent: indent.unwrap_or_else(|| "  ".to_string()),
        insert_at,
    }
}

/// The current value of `parent.child` (`channels.email`), unquoted; `None` when absent or
/// empty.
pub fn child_value<'a>(
    text: &'a str,
    layout: &Layout,
    parent: &str,
    child: &str,
) -> Option<&'a str> {
    let parent = layout.key(parent)?;
    if parent.style != ValueStyle::Collection || !parent.value.is_empty() {
        return None;
    }
    let found = children(text, parent)
        .keys
        .into_iter()
        .find(|k| k.name == child)?;
    unquoted(&text[found.value.clone()])
}

/// `text` with `parent.child` set to `value` in the parent's block of indented keys: the
/// child's value replaced in place, or a new child line added at the block's end; a parent
/// that is empty (`channels:`) or absent gets the block. A parent written on one line
/// (`channels: {email: a@b}`) or holding a list is refused: edit it by hand.
pub fn set_child_key(
    text: &str,
    layout: &Layout,
    parent: &str,
    child: &str,
    value: &str,
) -> Result<String, EditError> {
    let Some(front) = &layout.front else {
        return Err(EditError("the note has no front matter to edit".into()));
    };
    let eol = layout.eol;
    let Some(found) = layout.key(parent) else {
        let lines = format!("{parent}:{eol}  {child}: {}{eol}", plain(value));
        return Ok(splice(text, front.close..front.close, &lines));
    };
    let refuse = || {
        EditError(format!(
            "`{parent}` is not a block of `key: value` lines; add `{child}` by hand"
        ))
    };
    match found.style {
        ValueStyle::Empty => {
            let at = found.line.end;
            let after = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
            let ending = if after == text.len() && !text.ends_with('\n') {
                eol
            } else {
                ""
            };
            let line = format!("{ending}  {child}: {}{eol}", plain(value));
            Ok(splice(text, after..after, &line))
        }
        ValueStyle::Collection if found.value.is_empty() => {
            let block = children(text, found);
            if block.keys.is_empty() {
                return Err(refuse());
            }
            match block.keys.iter().find(|k| k.name == child) {
                Some(key) => set_value(text, key, value),
                None => {
                    let line = format!("{}{child}: {}{eol}", block.indent, plain(value));
                    let at = block.insert_at;
                    let ending = if at == text.len() && !text.ends_with('\n') {
                        eol
                    } else {
                        ""
                    };
                    Ok(splice(text, at..at, &format!("{ending}{line}")))
                }
            }
        }
        _ => Err(refuse()),
    }
}

fn unquoted(raw: &str) -> Option<&str> {
    let inner = raw
        .strip_prefix(['"', '\''])
        .and_then(|r| r.strip_suffix(['"', '\'']))
        .unwrap_or(raw);
    (!inner.trim().is_empty()).then_some(inner.trim())
}

/// A value as a plain YAML scalar, quoted only when plain text would be read otherwise.
fn plain(value: &str) -> String {
    let needs_quotes = value.is_empty()
        || value.contains(": ")
        || value.contains(" #")
        || value.starts_with([
            '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', '-', '?',
            ':', ',',
        ])
        || value != value.trim();
    if needs_quotes {
        format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        value.to_string()
    }
}

/// `text` with one Log entry `- DATE KIND: TEXT` added where the section's order puts it
/// (newest first or oldest first, as the section already runs; newest first when it cannot
/// tell); a `## Log` section is added at the end when there is none.
pub fn add_log_entry(
    text: &str,
    layout: &Layout,
    log_heading: &str,
    date: NaiveDate,
    entry: &str,
) -> String {
    let Some(log) = &layout.log else {
        return append_section(text, layout.eol, log_heading, &format!("- {date} {entry}"));
    };
    let Some(first) = log.entries.first() else {
        let line = format!("- {date} {entry}");
        return insert_after(text, log.heading_end, &line, layout.eol);
    };
    let line = format!("{}{date} {entry}", first.prefix);
    let dates: Vec<NaiveDate> = log.entries.iter().filter_map(|e| e.date).collect();
    let rising = dates.windows(2).filter(|w| w[0] < w[1]).count();
    let falling = dates.windows(2).filter(|w| w[0] > w[1]).count();
    let newest_first = falling >= rising;
    let before = log.entries.iter().find(|e| {
        e.date
            .is_some_and(|d| if newest_first { d <= date } else { d > date })
    });
    match before {
        Some(entry) => insert_before(text, entry.span.start, &line, layout.eol),
        None => {
            let last = log.entries.last().map_or(log.heading_end, |e| e.span.end);
            insert_after(text, last, &line, layout.eol)
        }
    }
}

/// What `vault log` writes: the Log entry `- DATE ENTRY`, and `last_contact` moved to `date`
/// when the note has that key and it is earlier (returned too, when it moved).
pub fn log_touch(
    text: &str,
    layout: &Layout,
    log_heading: &str,
    date: NaiveDate,
    entry: &str,
) -> Result<(String, Option<NaiveDate>), EditError> {
    let new = add_log_entry(text, layout, log_heading, date, entry);
    if layout.key("last_contact").is_none() {
        return Ok((new, None));
    }
    let current = key_value(text, layout, "last_contact").and_then(|v| parse_date(v).ok());
    if current.is_some_and(|c| c >= date) {
        return Ok((new, None));
    }
    Ok((
        set_key(&new, layout, "last_contact", &date.to_string())?,
        Some(date),
    ))
}

/// `text` with an open task added after the note's last task (a `## Tasks` section is added
/// at the end when it has none).
pub fn add_task(text: &str, layout: &Layout, task: &str) -> String {
    match layout.tasks.last() {
        Some(last) => {
            let line = format!("{}[ ] {task}", last.prefix);
            insert_after(text, last.span.end, &line, layout.eol)
        }
        None => append_section(text, layout.eol, "Tasks", &format!("- [ ] {task}")),
    }
}

/// `text` with the checkbox of task `index` ticked (`[ ]` -> `[x]`).
pub fn tick(text: &str, layout: &Layout, index: usize) -> String {
    let at = layout.tasks[index].checkbox;
    splice(text, at..at + 1, "x")
}

fn splice(text: &str, range: std::ops::Range<usize>, with: &str) -> String {
    let mut out = String::with_capacity(text.len() + with.len());
    out.push_str(&text[..range.start]);
    out.push_str(with);
    out.push_str(&text[range.end..]);
    out
}

/// `line` and a line ending inserted at `line_start`, the start of an existing line.
fn insert_before(text: &str, line_start: usize, line: &str, eol: &str) -> String {
    splice(text, line_start..line_start, &format!("{line}{eol}"))
}

/// `line` inserted as a new line after the line that ends at `line_end` (before its line
/// ending). The line ending that followed stays at the end, so a note without a final newline
/// still has none.
fn insert_after(text: &str, line_end: usize, line: &str, eol: &str) -> String {
    splice(text, line_end..line_end, &format!("{eol}{line}"))
}

/// `## heading` and `line` as a new section at the end, after a blank line.
fn append_section(text: &str, eol: &str, heading: &str, line: &str) -> String {
    let section = format!("## {heading}{eol}{line}");
    if text.is_empty() {
        return format!("{section}{eol}");
    }
    if !text.ends_with('\n') {
        return format!("{text}{eol}{eol}{section}");
    }
    let blank = if text.ends_with(&format!("{eol}{eol}")) || text.trim().is_empty() {
        ""
    } else {
        eol
    };
    format!("{text}{blank}{section}{eol}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(text: &str) -> Layout {
        Layout::of(text, false, "Log")
    }

    fn d(s: &str) -> NaiveDate {
        crate::dates::parse_date(s).unwrap()
    }

    #[test]
    fn sets_a_child_key_in_its_block_keeping_everything_else() {
        let text =
            "---\nname: Ana\nchannels:\n    email: # work\n    twitter: \"@ana\"\ntags: []\n---\n";
        let l = layout(text);
        assert_eq!(child_value(text, &l, "channels", "twitter"), Some("@ana"));
        assert_eq!(child_value(text, &l, "channels", "email"), None);
        assert_eq!(
            set_child_key(text, &l, "channels", "email", "ana@example.com").unwrap(),
            text.replace("email: # work", "email: ana@example.com # work")
        );
        assert_eq!(
            set_child_key(text, &l, "channels", "linkedin", "https://x/in/ana").unwrap(),
            text.replace("\"@ana\"\n", "\"@ana\"\n    linkedin: https://x/in/ana\n")
        );
    }

    #[test]
    fn gives_an_empty_or_absent_parent_its_block_and_refuses_one_line_maps() {
        let empty = "---\r\nname: Ana\r\nchannels:\r\ntags: []\r\n---\r\n";
        assert_eq!(
            set_child_key(empty, &layout(empty), "channels", "email", "a@b.c").unwrap(),
            empty.replace("channels:\r\n", "channels:\r\n  email: a@b.c\r\n")
        );
        let absent = "---\nname: Ana\n---\nbody";
        assert_eq!(
            set_child_key(absent, &layout(absent), "channels", "email", "a@b.c").unwrap(),
            "---\nname: Ana\nchannels:\n  email: a@b.c\n---\nbody"
        );
        let flow = "---\nchannels: {email: a@b.c}\n---\n";
        assert!(set_child_key(flow, &layout(flow), "channels", "x", "y").is_err());
        let list = "---\nchannels:\n  - a\n---\n";
        assert!(set_child_key(list, &layout(list), "channels", "x", "y").is_err());
    }

    #[test]
    fn sets_values_in_place_keeping_quotes_and_comments() {
        let text = "---\nname: Ana\nnext: \"2026-12-01\" # planned\nstage: partner\nlast_contact:\nsince: # unknown\n---\nbody";
        let l = layout(text);
        let set = |k: &str, v: &str| set_key(text, &l, k, v).unwrap();
        assert_eq!(
            set("next", "2026-12-15"),
            text.replace("\"2026-12-01\"", "\"2026-12-15\"")
        );
        assert_eq!(set("stage", "dormant"), text.replace("partner", "dormant"));
        assert_eq!(
            set("last_contact", "2026-11-26"),
            text.replace("last_contact:\n", "last_contact: 2026-11-26\n")
        );
        assert_eq!(
            set("since", "2020-01-01"),
            text.replace("since: # unknown", "since: 2020-01-01 # unknown")
        );
        assert_eq!(
            set("tier", "A"),
            text.replace("since: # unknown\n", "since: # unknown\ntier: A\n")
        );
        assert!(set_key(
            "---\ntags: [a]\n---\n",
            &layout("---\ntags: [a]\n---\n"),
            "tags",
            "b"
        )
        .is_err());
    }

    #[test]
    fn adds_log_entries_in_the_order_the_log_runs() {
        let newest = "## Log\n- 2026-11-20 met: b\n- 2026-11-02 met: a\n\n## Ideas\n";
        let out = add_log_entry(newest, &layout(newest), "Log", d("2026-11-10"), "gave: x");
        assert_eq!(
            out,
            "## Log\n- 2026-11-20 met: b\n- 2026-11-10 gave: x\n- 2026-11-02 met: a\n\n## Ideas\n"
        );
        let oldest = "## Log\n* 2026-11-02 met: a\n* 2026-11-20 met: b\n  - detail";
        let out = add_log_entry(oldest, &layout(oldest), "Log", d("2026-11-26"), "got: y");
        assert_eq!(
            out,
            "## Log\n* 2026-11-02 met: a\n* 2026-11-20 met: b\n  - detail\n* 2026-11-26 got: y"
        );
    }

    #[test]
    fn adds_a_log_section_when_there_is_none() {
        let crlf = "---\r\nname: A\r\n---\r\nIntro.\r\n";
        assert_eq!(
            add_log_entry(crlf, &layout(crlf), "Log", d("2026-11-26"), "met: x"),
            "---\r\nname: A\r\n---\r\nIntro.\r\n\r\n## Log\r\n- 2026-11-26 met: x\r\n"
        );
        let bare = "Intro.";
        assert_eq!(
            add_log_entry(bare, &layout(bare), "Log", d("2026-11-26"), "met: x"),
            "Intro.\n\n## Log\n- 2026-11-26 met: x"
        );
    }

    #[test]
    fn adds_and_ticks_tasks() {
        let text = "## Ideas\n- [ ] one\n- [x] two\n\nMore.\n";
        let l = layout(text);
        assert_eq!(
            add_task(text, &l, "2026-12-01 three"),
            "## Ideas\n- [ ] one\n- [x] two\n- [ ] 2026-12-01 three\n\nMore.\n"
        );
        assert_eq!(tick(text, &l, 0), text.replacen("[ ]", "[x]", 1));
        let none = "Intro.\n";
        assert_eq!(
            add_task(none, &layout(none), "first"),
            "Intro.\n\n## Tasks\n- [ ] first\n"
        );
    }
}

//! Scanning a note's Markdown body: Log items, tasks and links, each with its line. Every pass
//! is linear in the size of the body, however long its lines are.

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// What the body scan finds. Lines and columns are 1-based positions in the file.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct BodyScan {
    /// Top-level list items under the Log heading, as written after the list marker.
    pub log_items: Vec<Located>,
    /// Deeper list items under the Log heading (details of an entry, or entries of their own
    /// when they start with a date).
    pub nested_log_items: Vec<Located>,
    /// Task items (`- [ ]`, `- [x]`) anywhere, with the text after the checkbox.
    pub tasks: Vec<TaskItem>,
    pub links: Vec<LinkRef>,
    /// The text of the first level-1 heading (`# Title`), a note's title when it sets none.
    pub title: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub line: usize,
    pub column: usize,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskItem {
    pub done: bool,
    pub at: Located,
}

/// How a link names its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LinkForm {
    /// `[[target#heading|label]]` or `![[target]]`: a file name, a path, or a partner's name.
    Wiki,
    /// `[label](../partners/x.md)`: a path relative to the linking note's folder.
    Markdown,
}

/// A link to another note; `target` is the part before `#` and `|` (empty for `[[]]`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LinkRef {
    pub target: Box<str>,
    pub form: LinkForm,
    pub line: u32,
    pub column: u32,
    /// Length of the whole link as written, in characters.
    pub length: u32,
}

/// A file line, column or length as the index keeps it: four bytes, as a note of more than four
/// billion lines or characters cannot be read anyway (saturates rather than wraps).
pub fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Byte offsets of line starts, to turn offsets into file lines and columns. Columns are
/// counted from the previous position when it is on the same line, so asking for the positions
/// of many links on one long line, in order, costs one pass over that line.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
    first_line: usize,
    /// The last position computed: (byte offset, its 1-based column).
    cursor: (usize, usize),
    /// Characters stepped over to compute columns (to pin linearity in tests).
    steps: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str, first_line: usize) -> Self {
        let starts = std::iter::once(0)
            .chain(line_starts_after_newlines(text))
            .collect();
        Lines {
            text,
            starts,
            first_line,
            cursor: (0, 1),
            steps: 0,
        }
    }

    fn index_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset) - 1
    }

    /// (file line, 1-based char column) of a byte offset.
    fn position(&mut self, offset: usize) -> (usize, usize) {
        let index = self.index_of(offset);
        let line_start = self.starts[index];
        let (from, column) = if self.cursor.0 >= line_start && self.cursor.0 <= offset {
            self.cursor
        } else {
            (line_start, 1)
        };
        let stepped = self.text[from..offset].chars().count();
        self.steps += stepped;
        self.cursor = (offset, column + stepped);
        (index + self.first_line, column + stepped)
    }

    /// The rest of the line from `offset`, without the line ending.
    fn rest_of_line(&self, offset: usize) -> &'a str {
        let index = self.index_of(offset);
        let end = self
            .starts
            .get(index + 1)
            .map_or(self.text.len(), |&next| next - 1);
        self.text[offset..end.max(offset)].trim_end_matches('\r')
    }
}

fn line_starts_after_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.match_indices('\n').map(|(i, _)| i + 1)
}

/// Scans `body`, which starts on file line `first_line`, with `log_heading` naming the Log.
pub fn scan(body: &str, first_line: usize, log_heading: &str) -> BodyScan {
    scan_counting(body, first_line, log_heading).0
}

/// [`scan`], and how many characters were stepped over to compute columns.
fn scan_counting(body: &str, first_line: usize, log_heading: &str) -> (BodyScan, usize) {
    let mut lines = Lines::new(body, first_line);
    let mut scan = BodyScan::default();
    let mut not_prose: Vec<Range<usize>> = Vec::new();
    let mut markdown_links: Vec<(Range<usize>, LinkRef)> = Vec::new();
    let mut heading: Option<(u8, String)> = None;
    let mut log_level: Option<u8> = None;
    let mut list_depth = 0usize;

    // Heading attributes (`## Log {#log}`) are not part of the heading's text.
    let options = Options::ENABLE_TASKLISTS
        | Options::ENABLE_TABLES
        | Options::ENABLE_MATH
        | Options::ENABLE_HEADING_ATTRIBUTES;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((level as u8, String::new()))
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, text)) = heading.take() {
                    if level == 1 && scan.title.is_none() && !text.trim().is_empty() {
                        scan.title = Some(text.trim().to_string());
                    }
                    if text.trim().eq_ignore_ascii_case(log_heading) {
                        log_level = Some(level);
                    } else if log_level.is_some_and(|log| level <= log) {
                        log_level = None;
                    }
                }
            }
            Event::Text(text) if heading.is_some() => {
                if let Some((_, heading_text)) = heading.as_mut() {
                    heading_text.push_str(&text);
                }
            }
            Event::Code(text) if heading.is_some() => {
                if let Some((_, heading_text)) = heading.as_mut() {
                    heading_text.push_str(&text);
                }
                not_prose.push(range);
            }
            Event::Start(Tag::List(_)) => list_depth += 1,
            Event::End(TagEnd::List(_)) => list_depth = list_depth.saturating_sub(1),
            Event::Start(Tag::Item) if list_depth >= 1 && log_level.is_some() => {
                let rest = lines.rest_of_line(range.start);
                let text = strip_list_marker(rest);
                let (line, column) = lines.position(range.start + (rest.len() - text.len()));
                let item = Located {
                    line,
                    column,
                    text: text.trim_end().to_string(),
                };
                if list_depth == 1 {
                    scan.log_items.push(item);
                } else {
                    scan.nested_log_items.push(item);
                }
            }
            Event::TaskListMarker(done) => {
                let rest = lines.rest_of_line(range.end);
                let text = rest.trim_start();
                let (line, column) = lines.position(range.end + (rest.len() - text.len()));
                let text = text.trim_end().to_string();
                scan.tasks.push(TaskItem {
                    done,
                    at: Located { line, column, text },
                });
            }
            Event::Start(Tag::Link {
                link_type: LinkType::Inline | LinkType::Reference | LinkType::Shortcut,
                dest_url,
                ..
            }) => {
                if let Some(target) = note_path(&dest_url) {
                    let length = to_u32(body[range.clone()].chars().count());
                    markdown_links.push((
                        range.clone(),
                        LinkRef {
                            target: target.into(),
                            form: LinkForm::Markdown,
                            line: 0,
                            column: 0,
                            length,
                        },
                    ));
                }
            }
            Event::Start(Tag::CodeBlock(_))
            | Event::Start(Tag::HtmlBlock)
            | Event::Code(_)
            | Event::InlineHtml(_)
            | Event::Html(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_) => not_prose.push(range),
            _ => {}
        }
    }
    // Task items under the Log are tasks, not interactions (both lists are in file order).
    let task_lines: std::collections::HashSet<usize> =
        scan.tasks.iter().map(|t| t.at.line).collect();
    scan.log_items
        .retain(|item| !task_lines.contains(&item.line));
    scan.nested_log_items
        .retain(|item| !task_lines.contains(&item.line));
    not_prose.sort_by_key(|r| r.start);
    let wiki = find_wiki_links(body, &not_prose);
    scan.links = merge_in_order(wiki, markdown_links, &mut lines);
    (scan, lines.steps)
}

/// Both kinds of links in file order, with their positions filled in.
fn merge_in_order(
    wiki: Vec<(Range<usize>, LinkRef)>,
    markdown: Vec<(Range<usize>, LinkRef)>,
    lines: &mut Lines,
) -> Vec<LinkRef> {
    let mut all: Vec<(Range<usize>, LinkRef)> = wiki.into_iter().chain(markdown).collect();
    all.sort_by_key(|(span, _)| span.start);
    all.into_iter()
        .map(|(span, mut link)| {
            let (line, column) = lines.position(span.start);
            (link.line, link.column) = (to_u32(line), to_u32(column));
            link
        })
        .collect()
}

/// `- text`, `* text`, `+ text`, `1. text`, `1) text` -> `text` (trailing space kept).
fn strip_list_marker(line: &str) -> &str {
    let trimmed = line.trim_start();
    let rest = if let Some(rest) = trimmed.strip_prefix(['-', '*', '+']) {
        rest
    } else {
        let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
        trimmed[digits..]
            .strip_prefix(['.', ')'])
            .unwrap_or(trimmed)
    };
    rest.trim_start()
}

/// `[[...]]` links outside code, HTML and math (`not_prose`, sorted by start), with their byte
/// offsets. One pass: a `[[` with no `]]` before the end of its line skips to that line's end.
fn find_wiki_links(body: &str, not_prose: &[Range<usize>]) -> Vec<(Range<usize>, LinkRef)> {
    let bytes = body.as_bytes();
    let mut links = Vec::new();
    let mut excluded = not_prose.iter().peekable();
    let mut at = 0;
    while let Some(found) = find_pair(bytes, at, b'[') {
        let mut start = found;
        // Look for `]]` before the line ends, restarting at any later `[[` on the way.
        let mut i = start + 2;
        let close = loop {
            match bytes.get(i) {
                None | Some(b'\n') => break None,
                Some(b']') if bytes.get(i + 1) == Some(&b']') => break Some(i),
                Some(b'[') if bytes.get(i + 1) == Some(&b'[') => {
                    start = i;
                    i += 2;
                }
                _ => i += 1,
            }
        };
        let Some(close) = close else {
            at = i;
            continue;
        };
        at = close + 2;
        while excluded.next_if(|r| r.end <= start).is_some() {}
        if excluded.peek().is_some_and(|r| r.start <= start) {
            continue;
        }
        let inner = &body[start + 2..close];
        if let Some(target) = wiki_target(inner) {
            links.push((
                start..close + 2,
                LinkRef {
                    target: target.into(),
                    form: LinkForm::Wiki,
                    line: 0,
                    column: 0,
                    length: to_u32(body[start..close + 2].chars().count()),
                },
            ));
        }
    }
    links
}

/// The offset of the next `cc` at or after `from`.
fn find_pair(bytes: &[u8], from: usize, c: u8) -> Option<usize> {
    let mut i = from;
    while i + 1 < bytes.len() {
        // The standard library's byte search is vectorised; most of a body has no `[`.
        i += bytes[i..].iter().position(|&b| b == c)?;
        if bytes.get(i + 1) == Some(&c) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The note a `[[...]]` link points at: `Name` of `Name#heading|label`, `""` for an empty
/// target (`[[]]`, `[[|label]]`), `None` for a link within the note (`[[#heading]]`).
pub fn wiki_target(inner: &str) -> Option<String> {
    let target = inner.split('|').next().unwrap_or("");
    let target = target.trim_end_matches('\\');
    let before_hash = target.split('#').next().unwrap_or("").trim();
    if before_hash.is_empty() && target.trim().starts_with('#') {
        return None;
    }
    Some(before_hash.to_string())
}

/// The note path of a Markdown link's destination: a relative or vault-absolute path ending in
/// `.md` (after removing `#heading` and decoding `%20`); `None` for web addresses and the like.
fn note_path(dest: &str) -> Option<String> {
    let path = dest.split(['#', '?']).next().unwrap_or("");
    if path.is_empty() || path.contains("://") || path.starts_with("mailto:") {
        return None;
    }
    let decoded = percent_decode(path);
    decoded.to_lowercase().ends_with(".md").then_some(decoded)
}

/// `%20` and other `%XX` escapes decoded as UTF-8; malformed escapes are kept as written.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// The targets of `[[...]]` links in a single string, such as a front-matter value or a task.
pub fn links_in(text: &str) -> Vec<Box<str>> {
    find_wiki_links(text, &[])
        .into_iter()
        .map(|(_, link)| link.target)
        .collect()
}

/// `text` as a reader sees it: `[[Name|label]]` becomes `label`, `[[Name#Part]]` becomes
/// `Name > Part`, `[[Name]]` becomes `Name`.
pub fn plain_text(text: &str) -> String {
    let links = find_wiki_links(text, &[]);
    if links.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (span, _) in links {
        let (start, end) = (span.start, span.end);
        let inner = &text[start + 2..end - 2];
        let shown = match inner.split_once('|') {
            Some((_, label)) => label.to_string(),
            None => inner.trim_end_matches('\\').replace('#', " > "),
        };
        let embed = start > 0 && text.as_bytes()[start - 1] == b'!';
        out.push_str(&text[at..if embed { start - 1 } else { start }]);
        out.push_str(shown.trim());
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTE: &str = "Intro with [[Steve Rayson|Steve]] and `[[not a link]]`.\n\
\n\
## Log\n\
- 2026-11-20 gave: Shared [[Study#Results]]\n\
\x20\x20- nested detail\n\
- 2026-11-02 got: Early access\n\
- [ ] 2026-12-01 a task in the log\n\
\n\
### Sub heading stays in the log\n\
* 2026-10-15 met: Coffee\n\
\n\
## Ideas\n\
- [ ] 2026-12-05 Propose a webinar\n\
- [x] Congratulate\n\
\n\
```\n\
[[menus.main]]\n\
```\n";

    #[test]
    fn finds_log_items_with_file_lines() {
        let scan = scan(NOTE, 10, "Log");
        let items: Vec<_> = scan
            .log_items
            .iter()
            .map(|i| (i.line, i.text.as_str()))
            .collect();
        assert_eq!(
            items,
            vec![
                (13, "2026-11-20 gave: Shared [[Study#Results]]"),
                (15, "2026-11-02 got: Early access"),
                (19, "2026-10-15 met: Coffee"),
            ]
        );
    }

    #[test]
    fn finds_tasks_anywhere() {
        let scan = scan(NOTE, 1, "log");
        let tasks: Vec<_> = scan
            .tasks
            .iter()
            .map(|t| (t.done, t.at.text.as_str()))
            .collect();
        assert_eq!(
            tasks,
            vec![
                (false, "2026-12-01 a task in the log"),
                (false, "2026-12-05 Propose a webinar"),
                (true, "Congratulate"),
            ]
        );
    }

    fn targets(body: &str) -> Vec<(Box<str>, LinkForm, u32, u32)> {
        scan(body, 1, "Log")
            .links
            .into_iter()
            .map(|l| (l.target, l.form, l.line, l.column))
            .collect()
    }

    #[test]
    fn finds_links_outside_code() {
        let found = targets(NOTE);
        let found: Vec<_> = found.iter().map(|(t, _, l, c)| (&**t, *l, *c)).collect();
        assert_eq!(found, vec![("Steve Rayson", 1, 12), ("Study", 4, 27)]);
    }

    #[test]
    fn every_link_form_and_none_in_code_html_or_math() {
        let body = "![[Embed]] [[A#^block]] [[B\\|b]] [[]] [[|label]] [[#Here]]\n\
`[[code]]` <!-- [[comment]] --> $[[math]]$ $$[[display]]$$\n\
\n\
<!-- a block\n[[in block comment]]\n-->\n\
\n\
[see](../partners/Ana%20Lopez.md#Log) [web](https://example.com/x.md) [img](pic.png) [n](<x y.md>)\n\
[[a [[b]] c]]\n";
        let found: Vec<_> = targets(body)
            .into_iter()
            .map(|(t, form, line, _)| (t, form, line))
            .collect();
        use LinkForm::{Markdown as M, Wiki as W};
        assert_eq!(
            found,
            vec![
                ("Embed".into(), W, 1),
                ("A".into(), W, 1),
                ("B".into(), W, 1),
                ("".into(), W, 1),
                ("".into(), W, 1),
                ("../partners/Ana Lopez.md".into(), M, 8),
                ("x y.md".into(), M, 8),
                ("b".into(), W, 9),
            ]
        );
    }

    #[test]
    fn many_links_on_one_long_line_cost_one_pass() {
        let body = "é [[Some Name]] ".repeat(20_000) + "\n";
        let (scan, steps) = scan_counting(&body, 1, "Log");
        assert_eq!(scan.links.len(), 20_000);
        assert_eq!(scan.links[19_999].column, 19_999 * 16 + 3);
        assert!(
            steps <= body.chars().count(),
            "{steps} steps for {} chars",
            body.chars().count()
        );
    }

    #[test]
    fn a_log_heading_with_attributes_and_nested_items() {
        let scan = scan(
            "## Log {#log .history}\n- 2026-11-20 met: x\n  - 2026-11-21 followed up\n  - detail\n",
            1,
            "Log",
        );
        let top: Vec<&str> = scan.log_items.iter().map(|i| i.text.as_str()).collect();
        let nested: Vec<&str> = scan
            .nested_log_items
            .iter()
            .map(|i| i.text.as_str())
            .collect();
        assert_eq!(top, ["2026-11-20 met: x"]);
        assert_eq!(nested, ["2026-11-21 followed up", "detail"]);
    }

    #[test]
    fn no_log_heading_means_no_interactions() {
        let scan = scan("- 2026-11-20 gave: x\n", 1, "Log");
        assert!(scan.log_items.is_empty());
    }

    #[test]
    fn crlf_lines_are_clean() {
        let scan = scan("## Log\r\n- 2026-11-20 met: x\r\n", 1, "Log");
        assert_eq!(scan.log_items[0].text, "2026-11-20 met: x");
    }

    #[test]
    fn link_targets() {
        assert_eq!(wiki_target("Name|label").as_deref(), Some("Name"));
        assert_eq!(wiki_target("Name#Heading").as_deref(), Some("Name"));
        assert_eq!(wiki_target("Name\\|label").as_deref(), Some("Name"));
        assert_eq!(wiki_target("#Heading"), None);
        assert_eq!(wiki_target("|label").as_deref(), Some(""));
        assert_eq!(
            links_in("[[A]], [[B|b]]"),
            vec!["A".into(), "B".into()] as Vec<Box<str>>
        );
    }

    #[test]
    fn plain_text_shows_labels() {
        assert_eq!(
            plain_text("Ask [[Ana Lopez|Ana]] about ![[Deck]] and [[Plan#Q1]]"),
            "Ask Ana about Deck and Plan > Q1"
        );
        assert_eq!(plain_text("no links"), "no links");
    }
}

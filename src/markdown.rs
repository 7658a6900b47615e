//! Scanning a note's Markdown body: Log items, tasks and `[[links]]`, each with its line.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// What the body scan finds. Lines and columns are 1-based positions in the file.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct BodyScan {
    /// Top-level list items under the Log heading, as written after the list marker.
    pub log_items: Vec<Located>,
    /// Task items (`- [ ]`, `- [x]`) anywhere, with the text after the checkbox.
    pub tasks: Vec<TaskItem>,
    pub links: Vec<LinkRef>,
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

/// A `[[target#heading|label]]` link; `target` is the part before `#` and `|`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    pub target: String,
    pub line: usize,
    pub column: usize,
    /// Length of the whole `[[...]]` in characters.
    pub length: usize,
}

/// Byte offsets of line starts, to turn offsets into file lines and columns.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
    first_line: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str, first_line: usize) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines {
            text,
            starts,
            first_line,
        }
    }

    fn index_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset) - 1
    }

    /// (file line, 1-based char column) of a byte offset.
    fn position(&self, offset: usize) -> (usize, usize) {
        let index = self.index_of(offset);
        let column = self.text[self.starts[index]..offset].chars().count() + 1;
        (index + self.first_line, column)
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

/// Scans `body`, which starts on file line `first_line`, with `log_heading` naming the Log.
pub fn scan(body: &str, first_line: usize, log_heading: &str) -> BodyScan {
    let lines = Lines::new(body, first_line);
    let mut scan = BodyScan::default();
    let mut not_prose: Vec<Range<usize>> = Vec::new();
    let mut heading: Option<(u8, String)> = None;
    let mut log_level: Option<u8> = None;
    let mut list_depth = 0usize;

    let parser = Parser::new_ext(body, Options::ENABLE_TASKLISTS | Options::ENABLE_TABLES);
    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((level as u8, String::new()))
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, text)) = heading.take() {
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
            Event::Start(Tag::Item) if list_depth == 1 && log_level.is_some() => {
                let rest = lines.rest_of_line(range.start);
                let text = strip_list_marker(rest);
                let (line, column) = lines.position(range.start + (rest.len() - text.len()));
                let text = text.trim_end().to_string();
                scan.log_items.push(Located { line, column, text });
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
            Event::Start(Tag::CodeBlock(_)) | Event::Start(Tag::HtmlBlock) => not_prose.push(range),
            Event::Code(_) | Event::InlineHtml(_) | Event::Html(_) => not_prose.push(range),
            _ => {}
        }
    }
    // Task items under the Log are tasks, not interactions.
    scan.log_items
        .retain(|item| !scan.tasks.iter().any(|task| task.at.line == item.line));
    scan.links = find_links(body, &lines, &not_prose);
    scan
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

fn find_links(body: &str, lines: &Lines, not_prose: &[Range<usize>]) -> Vec<LinkRef> {
    let mut links = Vec::new();
    let mut from = 0;
    while let Some(found) = body[from..].find("[[") {
        let start = from + found;
        let line_end = body[start..].find('\n').map_or(body.len(), |i| start + i);
        let Some(close) = body[start + 2..line_end].find("]]") else {
            from = start + 2;
            continue;
        };
        let end = start + 2 + close + 2;
        from = end;
        if not_prose.iter().any(|r| r.contains(&start)) {
            continue;
        }
        let inner = &body[start + 2..end - 2];
        if let Some(target) = link_target(inner) {
            let (line, column) = lines.position(start);
            let length = body[start..end].chars().count();
            links.push(LinkRef {
                target,
                line,
                column,
                length,
            });
        }
    }
    links
}

/// The note a link points at: `Name` of `Name#heading|label`; `None` for `[[#heading]]`.
pub fn link_target(inner: &str) -> Option<String> {
    let target = inner.split('|').next().unwrap_or("");
    let target = target.trim_end_matches('\\');
    let target = target.split('#').next().unwrap_or("").trim();
    (!target.is_empty()).then(|| target.to_string())
}

/// The targets of `[[...]]` links in a single string, such as a front-matter value.
pub fn links_in(text: &str) -> Vec<String> {
    let mut targets = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("[[") {
        let Some(len) = rest[start + 2..].find("]]") else {
            break;
        };
        targets.extend(link_target(&rest[start + 2..start + 2 + len]));
        rest = &rest[start + 2 + len + 2..];
    }
    targets
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

    #[test]
    fn finds_links_outside_code() {
        let scan = scan(NOTE, 1, "Log");
        let links: Vec<_> = scan
            .links
            .iter()
            .map(|l| (l.target.as_str(), l.line, l.column))
            .collect();
        assert_eq!(links, vec![("Steve Rayson", 1, 12), ("Study", 4, 27)]);
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
        assert_eq!(link_target("Name|label").as_deref(), Some("Name"));
        assert_eq!(link_target("Name#Heading").as_deref(), Some("Name"));
        assert_eq!(link_target("Name\\|label").as_deref(), Some("Name"));
        assert_eq!(link_target("#Heading"), None);
        assert_eq!(
            links_in("[[A]], [[B|b]]"),
            vec!["A".to_string(), "B".to_string()]
        );
    }
}

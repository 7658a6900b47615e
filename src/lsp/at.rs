//! What is at a place in a note's text: a `[[link]]`, a name in a front-matter touch list
//! (`attendees: [Priya Raman]`), the partner's own `name:` line, a task, or a Log item's date.
//! Offsets are bytes into the text; everything is found on the line of the offset.

use std::ops::Range;

/// A `[[target#heading|label]]` link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WikiLink {
    /// The part before `#` and `|`, trimmed.
    pub target: String,
    /// Where that part is in the text.
    pub target_range: Range<usize>,
    /// The whole link, brackets included.
    pub whole: Range<usize>,
}

/// The line holding `offset`: its byte range, without the line ending.
pub fn line_around(text: &str, offset: usize) -> Range<usize> {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let end = if text[..end].ends_with('\r') {
        end - 1
    } else {
        end
    };
    start..end.max(start)
}

/// Every `[[...]]` link on the line `line` of `text` (a byte range).
pub fn wiki_links(text: &str, line: Range<usize>) -> Vec<WikiLink> {
    let mut links = Vec::new();
    let mut from = line.start;
    while let Some(open) = text[from..line.end].find("[[").map(|i| from + i) {
        let Some(close) = text[open + 2..line.end].find("]]").map(|i| open + 2 + i) else {
            break;
        };
        let inner = &text[open + 2..close];
        let target_len = inner.find(['|', '#']).unwrap_or(inner.len());
        let raw = &inner[..target_len];
        let lead = raw.len() - raw.trim_start().len();
        let target = raw.trim();
        let start = open + 2 + lead;
        links.push(WikiLink {
            target: target.to_string(),
            target_range: start..start + target.len(),
            whole: open..close + 2,
        });
        from = close + 2;
    }
    links
}

/// The link that `offset` is in (its brackets included).
pub fn wiki_link_at(text: &str, offset: usize) -> Option<WikiLink> {
    wiki_links(text, line_around(text, offset))
        .into_iter()
        .find(|link| link.whole.start <= offset && offset <= link.whole.end)
}

/// The unclosed `[[` before `offset` on its line: where what is typed after it starts.
pub fn open_link_before(text: &str, offset: usize) -> Option<usize> {
    let line = line_around(text, offset);
    let before = &text[line.start..offset];
    let open = before.rfind("[[")?;
    let typed = &before[open + 2..];
    (!typed.contains("]]") && !typed.contains(['|', '#'])).then_some(line.start + open + 2)
}

/// The front matter's YAML as a byte range of `text` (after a BOM), when it has a closed block.
pub fn front_matter(text: &str) -> Option<Range<usize>> {
    let split = crate::front_matter::split(text);
    let yaml = split.yaml.filter(|_| split.problem.is_none())?;
    let start = yaml.as_ptr() as usize - text.as_ptr() as usize;
    Some(start..start + yaml.len())
}

/// The top-level key a front-matter line belongs to: its own (`stage: x`), or the key above an
/// indented line or block list item. `None` outside the front matter.
pub fn front_key_at(text: &str, offset: usize) -> Option<String> {
    let yaml = front_matter(text)?;
    if !(yaml.start <= offset && offset <= yaml.end) {
        return None;
    }
    let mut line = line_around(text, offset);
    loop {
        let here = &text[line.clone()];
        if !here.starts_with([' ', '\t', '-']) && !here.trim().is_empty() {
            return here.split_once(':').map(|(key, _)| key.trim().to_string());
        }
        if line.start <= yaml.start {
            return None;
        }
        line = line_around(text, line.start - 1);
    }
}

/// A plain or quoted item of a front-matter list (`[Ana, "Bob Ortiz"]`, or `- Ana` below the
/// key) at `offset`, with its range: how touch lists name partners without a link.
pub fn list_item_at(text: &str, offset: usize) -> Option<(String, Range<usize>)> {
    let line = line_around(text, offset);
    let here = &text[line.clone()];
    let value_start = if here.trim_start().starts_with('-') {
        here.find('-')? + 1
    } else {
        here.find(':')? + 1
    };
    let mut start = line.start + value_start;
    for part in text[start..line.end].split(',') {
        let end = start + part.len();
        if start <= offset && offset <= end {
            if part.contains("[[") {
                // A link: links are found as links.
                return None;
            }
            let trimmed = part.trim_matches(|c: char| c.is_whitespace() || "[]\"'".contains(c));
            if trimmed.is_empty() {
                return None;
            }
            let lead = part.find(trimmed)?;
            return Some((
                trimmed.to_string(),
                start + lead..start + lead + trimmed.len(),
            ));
        }
        start = end + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_names_and_keys_are_found_at_an_offset() {
        let text = "---\nname: Ana\nattendees: [Priya Raman, \"[[Bob|B]]\"]\nwith:\n  - Zoë\n---\nSee [[ Ana López#Work|her]] and [[Finn]].\n";
        let at = |s: &str| text.find(s).unwrap();
        let link = wiki_link_at(text, at("López")).unwrap();
        assert_eq!(link.target, "Ana López");
        assert_eq!(&text[link.target_range.clone()], "Ana López");
        assert_eq!(wiki_link_at(text, at("Finn")).unwrap().target, "Finn");
        assert!(wiki_link_at(text, at("and")).is_none());
        assert_eq!(
            front_key_at(text, at("Raman")).as_deref(),
            Some("attendees")
        );
        assert_eq!(front_key_at(text, at("Zoë")).as_deref(), Some("with"));
        assert_eq!(front_key_at(text, at("See")), None);
        assert_eq!(list_item_at(text, at("Raman")).unwrap().0, "Priya Raman");
        assert_eq!(list_item_at(text, at("Zoë")).unwrap().0, "Zoë");
        assert!(list_item_at(text, at("Bob")).is_none());
        assert_eq!(open_link_before("x [[Ana L", 9), Some(4));
        assert_eq!(open_link_before("x [[Ana]] L", 11), None);
    }
}

//! Positions as the Language Server Protocol counts them (a line and a UTF-16 code unit in it)
//! and as the tool does (byte offsets, 1-based lines and character columns), and the smallest
//! text edit that turns one text into another.

use lsp_types::{Position, Range, TextEdit};

/// Where each line of a text starts, to turn offsets into positions and back.
pub struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Lines<'a> {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines { text, starts }
    }

    /// The text of 0-based line `line`, without its line ending (empty past the end).
    pub fn line(&self, line: usize) -> &'a str {
        let Some(&start) = self.starts.get(line) else {
            return "";
        };
        let end = self
            .starts
            .get(line + 1)
            .map_or(self.text.len(), |&e| e - 1);
        self.text[start..end.max(start)].trim_end_matches('\r')
    }

    /// The byte offset where 0-based line `line` starts (the text's end past the last line).
    pub fn start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.text.len())
    }

    /// The byte offset of a protocol position, clamped to its line (a position past the end of
    /// a line is its end; one inside a character is that character's start).
    pub fn offset(&self, position: Position) -> usize {
        let line = position.line as usize;
        if line >= self.starts.len() {
            return self.text.len();
        }
        let start = self.starts[line];
        start + utf16_to_byte(self.line(line), position.character as usize)
    }

    /// The protocol position of byte offset `offset` (clamped to the text).
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let before = &self.text[self.starts[line]..floor_char(self.text, offset)];
        Position::new(line as u32, utf16_len(before) as u32)
    }

    pub fn range(&self, bytes: std::ops::Range<usize>) -> Range {
        Range::new(self.position(bytes.start), self.position(bytes.end))
    }

    /// The range of a tool position: 1-based `line` and character `column` (0 or past the end
    /// meaning the line's start or end), `length` characters long (0: to the line's end).
    pub fn char_range(&self, line: usize, column: usize, length: usize) -> Range {
        let index = line.saturating_sub(1);
        let text = self.line(index);
        let start: usize = text
            .chars()
            .take(column.saturating_sub(1))
            .map(char::len_utf16)
            .sum();
        let end = if length == 0 || column == 0 {
            utf16_len(text)
        } else {
            start
                + text
                    .chars()
                    .skip(column - 1)
                    .take(length)
                    .map(char::len_utf16)
                    .sum::<usize>()
        };
        Range::new(
            Position::new(index as u32, start as u32),
            Position::new(index as u32, end as u32),
        )
    }
}

pub fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

/// The byte offset in `line` of UTF-16 column `column` (clamped to the line).
fn utf16_to_byte(line: &str, column: usize) -> usize {
    let mut units = 0;
    for (i, c) in line.char_indices() {
        if units >= column {
            return i;
        }
        units += c.len_utf16();
        if units > column {
            // Inside a surrogate pair: the character's start.
            return i;
        }
    }
    line.len()
}

fn floor_char(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The one edit that turns `old` into `new`: the bytes between their common beginning and end
/// replaced, so that an editor applying it changes exactly what the command would.
pub fn minimal_edit(old: &str, new: &str) -> Option<TextEdit> {
    if old == new {
        return None;
    }
    let mut prefix = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let room = old.len().min(new.len()) - prefix;
    let mut suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    let lines = Lines::new(old);
    Some(TextEdit::new(
        lines.range(prefix..old.len() - suffix),
        new[prefix..new.len() - suffix].to_string(),
    ))
}

/// `text` with `edit` applied (positions in UTF-16, as the protocol sends them).
pub fn apply(text: &str, range: Range, new_text: &str) -> String {
    let lines = Lines::new(text);
    let start = lines.offset(range.start);
    let end = lines.offset(range.end).max(start);
    let mut out = String::with_capacity(text.len() + new_text.len());
    out.push_str(&text[..start]);
    out.push_str(new_text);
    out.push_str(&text[end..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units() {
        let text = "a: 1\nname: Zoë 🎙 Ånd\r\nend";
        let lines = Lines::new(text);
        assert_eq!(lines.line(1), "name: Zoë 🎙 Ånd");
        let emoji = text.find('🎙').unwrap();
        assert_eq!(lines.position(emoji), Position::new(1, 10));
        assert_eq!(lines.position(emoji + 4), Position::new(1, 12));
        assert_eq!(lines.offset(Position::new(1, 12)), emoji + 4);
        // Inside the surrogate pair: the emoji's start; past the line: its end.
        assert_eq!(lines.offset(Position::new(1, 11)), emoji);
        assert_eq!(
            lines.offset(Position::new(1, 99)),
            text.find("\r\n").unwrap()
        );
        assert_eq!(lines.offset(Position::new(9, 0)), text.len());
        assert_eq!(
            lines.char_range(2, 11, 1),
            Range::new(Position::new(1, 10), Position::new(1, 12))
        );
    }

    #[test]
    fn the_minimal_edit_replaces_only_what_differs() {
        let old = "---\nnext: 2026-01-01\n---\nZoë\n";
        let new = "---\nnext: 2026-02-01\n---\nZoë\n";
        let edit = minimal_edit(old, new).unwrap();
        assert_eq!(edit.new_text, "2");
        assert_eq!(edit.range.start, Position::new(1, 12));
        assert_eq!(apply(old, edit.range, &edit.new_text), new);
        assert!(minimal_edit(old, old).is_none());
        let grown = "é\né\n";
        let edit = minimal_edit("é\n", grown).unwrap();
        assert_eq!(apply("é\n", edit.range, &edit.new_text), grown);
    }
}

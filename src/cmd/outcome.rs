//! What a command that writes a note (`log`, `task`, `done`, `snooze`, `stage`, `new`) did, as
//! `--format json` reports it: one JSON object on one line, naming the file, the partner, the
//! line the command is about and every line it added or changed, with their new text.

use serde::Serialize;
use similar::{capture_diff_slices, Algorithm, DiffOp};
use std::io::Write;

/// One command's result. Its fields are documented in the README (the editing commands).
#[derive(Debug, Serialize)]
pub struct Outcome<'a> {
    /// The command: `log`, `task`, `done`, `snooze`, `stage` or `new`.
    pub action: &'static str,
    /// The note, relative to the vault, `/`-separated.
    pub path: &'a str,
    /// The partner's name.
    pub partner: &'a str,
    /// The file line the command is about (the Log entry, the task, the key); `None` when
    /// nothing changed, and for a new note, which is all new.
    pub line: Option<usize>,
    /// That line's new text.
    pub changed: Option<String>,
    /// Every line added or changed, in file order.
    pub lines: Vec<Line>,
    /// What the text output says.
    pub summary: &'a str,
    pub dry_run: bool,
    /// Under `--dry-run`, the unified diff of the change; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
}

/// A line of the note as written after the change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// 1-based.
    pub line: usize,
    /// Without its line ending.
    pub text: String,
}

impl Outcome<'_> {
    /// Prints the object and a line break.
    pub fn write_json(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        serde_json::to_writer(&mut *out, self)?;
        out.write_all(b"\n")?;
        Ok(())
    }
}

/// The lines of `new` that `old` does not have at that place (added or changed), line
/// endings left out, so a line that only gained a final line break is not one.
pub fn changed_lines(old: &str, new: &str) -> Vec<Line> {
    let old_lines: Vec<&str> = old.lines().collect();
    let new_lines: Vec<&str> = new.lines().collect();
    capture_diff_slices(Algorithm::Myers, &old_lines, &new_lines)
        .iter()
        .flat_map(|op| match *op {
            DiffOp::Insert {
                new_index, new_len, ..
            }
            | DiffOp::Replace {
                new_index, new_len, ..
            } => new_index..new_index + new_len,
            DiffOp::Equal { .. } | DiffOp::Delete { .. } => 0..0,
        })
        .map(|index| Line {
            line: index + 1,
            text: new_lines[index].to_string(),
        })
        .collect()
}

/// The changed line that `is_main` picks, else the first one.
pub fn main_line(lines: &[Line], is_main: &dyn Fn(&str) -> bool) -> Option<Line> {
    lines
        .iter()
        .find(|l| is_main(&l.text))
        .or(lines.first())
        .cloned()
}

/// The unified diff from `old` to `new`, as `git diff` names the sides: `a/PATH` and `b/PATH`,
/// or `/dev/null` for a file that did not exist (`old` is `None`).
pub fn unified_diff(old: Option<&str>, new: &str, path: &str) -> String {
    let from = match old {
        Some(_) => format!("a/{path}"),
        None => "/dev/null".to_string(),
    };
    similar::TextDiff::from_lines(old.unwrap_or(""), new)
        .unified_diff()
        .header(&from, &format!("b/{path}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(lines: &[Line]) -> Vec<(usize, &str)> {
        lines.iter().map(|l| (l.line, l.text.as_str())).collect()
    }

    #[test]
    fn finds_the_lines_added_or_changed() {
        let old = "---\nnext: 2026-12-01\n---\n## Log\n- 2026-11-01 met: x";
        let new = "---\nnext: 2026-12-15\n---\n## Log\n- 2026-11-01 met: x\n- 2026-11-02 got: y";
        assert_eq!(
            at(&changed_lines(old, new)),
            [(2, "next: 2026-12-15"), (6, "- 2026-11-02 got: y")]
        );
        let crlf = changed_lines("a\r\nb\r\n", "a\r\nc\r\nb\r\n");
        assert_eq!(at(&crlf), [(2, "c")]);
        assert!(changed_lines("a\n", "a\n").is_empty());
        assert_eq!(at(&changed_lines("", "x\ny\n")), [(1, "x"), (2, "y")]);
    }

    #[test]
    fn picks_the_main_line_or_the_first() {
        let lines = changed_lines("a\n", "b\na\nc\n");
        assert_eq!(main_line(&lines, &|l| l == "c").unwrap().line, 3);
        assert_eq!(main_line(&lines, &|_| false).unwrap().line, 1);
        assert_eq!(main_line(&[], &|_| true), None);
    }

    #[test]
    fn a_new_file_diffs_from_dev_null() {
        let diff = unified_diff(None, "x\n", "partners/a.md");
        assert!(diff.starts_with("--- /dev/null\n+++ b/partners/a.md\n@@ -0,0 +1 @@\n+x\n"));
        let diff = unified_diff(Some("x\n"), "y\n", "partners/a.md");
        assert!(diff.starts_with("--- a/partners/a.md\n+++ b/partners/a.md\n"));
    }
}

//! Data problems found in the vault, and how they are shown: compiler-style text or JSON.

use crate::text;
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// What kind of problem a diagnostic is (`broken-link`), as a constant string. (An alias, so that
/// serde does not take the `'static` for a borrow from the input.)
pub type Code = &'static str;

/// One problem in one file. `line` and `column` are 1-based; `line` 0 means the whole file.
/// The source line is not stored: it is read back only when a diagnostic is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub length: usize,
    pub severity: Severity,
    #[serde(deserialize_with = "interned")]
    pub code: Code,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Error, code, message.into())
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Warning, code, message.into())
    }

    fn new(severity: Severity, code: &'static str, message: String) -> Diagnostic {
        Diagnostic {
            path: String::new(),
            line: 0,
            column: 0,
            length: 0,
            severity,
            code,
            message,
            hint: None,
        }
    }

    /// Places the problem at `line:column`, underlining `length` characters.
    pub fn at(mut self, path: &str, line: usize, column: usize, length: usize) -> Diagnostic {
        self.path = path.to_string();
        self.line = line;
        self.column = column.max(1);
        self.length = length.max(1);
        self
    }

    pub fn in_file(mut self, path: &str) -> Diagnostic {
        self.path = path.to_string();
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:column`, or just the path for a problem with the whole file.
    pub fn location(&self) -> String {
        match self.line {
            0 => self.path.clone(),
            line => format!("{}:{line}:{}", self.path, self.column),
        }
    }
}

/// Sorts diagnostics into a stable order: by file, line, column, then code.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line, a.column, a.code, &a.message)
            .cmp(&(&b.path, b.line, b.column, b.code, &b.message))
    });
}

/// Counts of errors and warnings.
pub fn counts(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    (errors, diagnostics.len() - errors)
}

/// What changed between two sets of problems: those of `new` not in `old`, and those of `old`
/// no longer in `new`, each in its own set's order. Problems are compared by file, severity,
/// code and message, as many times as each occurs, so one that only moved to another line (a
/// line added above it) is neither new nor fixed.
pub fn changes<'a>(
    old: &'a [Diagnostic],
    new: &'a [Diagnostic],
) -> (Vec<&'a Diagnostic>, Vec<&'a Diagnostic>) {
    type Key<'k> = (&'k str, Severity, Code, &'k str);
    let key = |d: &'a Diagnostic| -> Key<'a> { (&d.path, d.severity, d.code, &d.message) };
    let mut unmatched: HashMap<Key, std::collections::VecDeque<usize>> = HashMap::new();
    for (i, d) in old.iter().enumerate() {
        unmatched.entry(key(d)).or_default().push_back(i);
    }
    let mut kept = vec![false; old.len()];
    let mut appeared = Vec::new();
    for d in new {
        match unmatched.get_mut(&key(d)).and_then(|same| same.pop_front()) {
            Some(i) => kept[i] = true,
            None => appeared.push(d),
        }
    }
    let fixed = old
        .iter()
        .zip(kept)
        .filter(|(_, kept)| !kept)
        .map(|(d, _)| d)
        .collect();
    (appeared, fixed)
}

/// A code read back from the index cache, as the `&'static str` every code is: each distinct
/// code is kept once for the rest of the run (there are a few dozen).
fn interned<'de, D: Deserializer<'de>>(deserializer: D) -> Result<&'static str, D::Error> {
    use std::collections::HashSet;
    use std::sync::{Mutex, OnceLock};
    static CODES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let code = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
    let mut codes = CODES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(&known) = codes.get(code.as_ref()) {
        return Ok(known);
    }
    let kept: &'static str = Box::leak(code.into_owned().into_boxed_str());
    codes.insert(kept);
    Ok(kept)
}

/// The JSON report: `{"diagnostics":[...],"errors":N,"warnings":N}`.
pub fn to_json(diagnostics: &[Diagnostic]) -> String {
    #[derive(Serialize)]
    struct Report<'a> {
        diagnostics: Vec<Shown<'a>>,
        errors: usize,
        warnings: usize,
    }
    #[derive(Serialize)]
    struct Shown<'a> {
        path: &'a str,
        line: usize,
        column: usize,
        severity: Severity,
        code: &'a str,
        message: &'a str,
        hint: Option<&'a str>,
    }
    let (errors, warnings) = counts(diagnostics);
    let report = Report {
        diagnostics: diagnostics
            .iter()
            .map(|d| Shown {
                path: &d.path,
                line: d.line,
                column: d.column,
                severity: d.severity,
                code: d.code,
                message: &d.message,
                hint: d.hint.as_deref(),
            })
            .collect(),
        errors,
        warnings,
    };
    serde_json::to_string_pretty(&report).expect("diagnostics serialize") + "\n"
}

/// Renders diagnostics like a compiler: `path:line:col: severity[code]: message`, the source
/// line with a caret under the problem, and the hint. Source lines are read from `root`.
pub fn render_human(diagnostics: &[Diagnostic], root: &Path, color: bool) -> String {
    let mut sources = SourceLines::new(root);
    let mut out = String::new();
    for diagnostic in diagnostics {
        render_one(&mut out, diagnostic, &mut sources, color);
    }
    out
}

fn render_one(out: &mut String, d: &Diagnostic, sources: &mut SourceLines, color: bool) {
    let paint = |style: &str, shown: &str| text::paint(color, style, shown);
    let (label, tint) = match d.severity {
        Severity::Error => ("error", "1;31"),
        Severity::Warning => ("warning", "1;33"),
    };
    let location = d.location();
    let _ = writeln!(
        out,
        "{}: {}: {}",
        paint("1", &text::line(&location)),
        paint(tint, &format!("{label}[{}]", d.code)),
        paint("1", &text::line(&d.message))
    );
    let source = (d.line > 0)
        .then(|| sources.line(&d.path, d.line))
        .flatten();
    let gutter = " ".repeat(d.line.to_string().len());
    if let Some(text) = source {
        let (shown, column) = visible_window(&text, d.column);
        let width = shown.chars().count();
        let start = column.saturating_sub(1).min(width);
        let length = d.length.min(width.saturating_sub(start)).max(1);
        let marker = format!("{}{}", " ".repeat(start), "^".repeat(length));
        let _ = writeln!(out, " {} | {}", d.line, shown.trim_end());
        let _ = writeln!(out, " {gutter} | {}", paint(tint, &marker));
    }
    if let Some(hint) = &d.hint {
        let _ = writeln!(
            out,
            " {gutter} = {} {}",
            paint("1;36", "hint:"),
            text::line(hint)
        );
    }
}

/// How many characters of a source line are shown at most.
const MAX_SHOWN: usize = 120;

/// The part of a source line to show, and the problem's column within it: tabs and control
/// characters become spaces and replacement characters so the caret lines up and no raw bytes
/// reach the terminal; a long line is cut to a window around the column, marked with `…`.
fn visible_window(text: &str, column: usize) -> (String, usize) {
    let chars: Vec<char> = text
        .chars()
        .map(|c| match c {
            '\t' => ' ',
            c if c.is_control() => char::REPLACEMENT_CHARACTER,
            c => c,
        })
        .collect();
    if chars.len() <= MAX_SHOWN {
        return (chars.into_iter().collect(), column);
    }
    let start = column
        .saturating_sub(MAX_SHOWN / 2)
        .min(chars.len() - MAX_SHOWN);
    let end = start + MAX_SHOWN;
    let mut shown = String::from(if start > 0 { "…" } else { "" });
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push('…');
    }
    (shown, column + usize::from(start > 0) - start)
}

/// Reads the lines of files on demand, once per file, for showing diagnostics.
struct SourceLines<'a> {
    root: &'a Path,
    files: HashMap<String, Option<Vec<String>>>,
}

impl<'a> SourceLines<'a> {
    fn new(root: &'a Path) -> Self {
        SourceLines {
            root,
            files: HashMap::new(),
        }
    }

    fn line(&mut self, path: &str, line: usize) -> Option<String> {
        let root = self.root;
        let lines = self.files.entry(path.to_string()).or_insert_with(|| {
            let bytes = std::fs::read(root.join(path)).ok()?;
            let text = String::from_utf8_lossy(&bytes);
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            Some(
                text.split('\n')
                    .map(|l| l.trim_end_matches('\r').to_string())
                    .collect(),
            )
        });
        lines.as_ref()?.get(line - 1).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_new_and_fixed_problems_not_moved_ones() {
        let d = |path: &str, line: usize, code: &'static str| {
            Diagnostic::error(code, format!("{code} problem")).at(path, line, 1, 1)
        };
        let old = [
            d("a.md", 4, "unknown-stage"),
            d("a.md", 9, "bad-date"),
            d("b.md", 2, "bad-date"),
        ];
        // a.md:4 moved to line 5, b.md's problem is fixed, a.md has a second bad date.
        let new = [
            d("a.md", 5, "unknown-stage"),
            d("a.md", 9, "bad-date"),
            d("a.md", 12, "bad-date"),
        ];
        let (appeared, fixed) = changes(&old, &new);
        assert_eq!(appeared, [&new[2]]);
        assert_eq!(fixed, [&old[2]]);
        assert_eq!(changes(&new, &new), (vec![], vec![]));
    }
}

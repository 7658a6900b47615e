//! What is wrong with a note's front matter as a whole: no block, an unclosed one, YAML that
//! does not parse (with a hint for the usual mistakes).

use super::{problem, Role};
use crate::diagnostic::Diagnostic;
use crate::front_matter::SplitProblem;

pub(super) fn report_split_problem(
    path: &str,
    problem: Option<SplitProblem>,
    role: Role,
    out: &mut Vec<Diagnostic>,
) {
    let Some(problem) = problem else { return };
    let diagnostic = match (problem, role) {
        (SplitProblem::Unclosed { dots_line: None }, _) => problem_for(
            role,
            "unclosed-front-matter",
            "front matter opened with `---` is never closed",
        )
        .at(path, 1, 1, 3)
        .hint("add a `---` line after the last front-matter key"),
        (
            SplitProblem::Unclosed {
                dots_line: Some(line),
            },
            _,
        ) => problem_for(
            role,
            "unclosed-front-matter",
            "front matter is closed with `...`, which Obsidian and vault do not read as its end",
        )
        .at(path, line, 1, 3)
        .hint("write `---` instead of `...` to close the front matter"),
        (SplitProblem::Missing, Role::Partner) => Diagnostic::error(
            "missing-front-matter",
            "partner note has no front matter",
        )
        .at(path, 1, 1, 1)
        .hint("start the note with a `---` line, the partner's fields, and another `---` line"),
        (SplitProblem::Toml, Role::Partner) => Diagnostic::error(
            "toml-front-matter",
            "partner notes need YAML front matter, not TOML (`+++`)",
        )
        .at(path, 1, 1, 3)
        .hint("use `---` lines and `key: value` YAML"),
        (SplitProblem::NotAtTop { blank_lines }, Role::Partner) => Diagnostic::warning(
            "front-matter-not-at-top",
            format!(
                "{blank_lines} blank line(s) before the front matter; other tools will not see it"
            ),
        )
        .at(path, 1, 1, 1)
        .hint("delete the blank lines so `---` is the first line"),
        (SplitProblem::Toml, Role::Other) => Diagnostic::warning(
            "toml-front-matter",
            "TOML front matter (`+++`) is not read; its date and lists count for nothing",
        )
        .at(path, 1, 1, 3)
        .hint("use `---` lines and `key: value` YAML, as Obsidian does"),
        (SplitProblem::Missing | SplitProblem::NotAtTop { .. }, Role::Other) => return,
    };
    out.push(diagnostic);
}

pub(super) fn problem_for(role: Role, code: &'static str, message: &str) -> Diagnostic {
    problem(role == Role::Partner, code, message.to_string())
}

/// A hint for the common YAML mistakes people make in front matter.
pub(super) fn yaml_hint(yaml_text: &str, line: usize, message: &str) -> Option<String> {
    if message.contains("recursion limit") || message.contains("nesting deeper") {
        return Some("front matter nests lists or mappings too deeply; flatten it".into());
    }
    if message.contains("repetition limit") {
        return Some(
            "too many `*alias` expansions; write the values out instead of repeating anchors"
                .into(),
        );
    }
    if message.contains("duplicate entry") {
        return Some("each key may appear once; remove or merge the repeated key".into());
    }
    let text = yaml_text.lines().nth(line.saturating_sub(1))?;
    let value = text
        .split_once(':')
        .map(|(_, v)| v.trim())
        .unwrap_or(text.trim());
    let value = value.trim_start_matches("- ");
    if value.starts_with('@') || value.starts_with('`') {
        return Some("values starting with `@` or a backtick must be quoted: \"@handle\"".into());
    }
    if value.starts_with('[') && !value.contains(']') {
        return Some("a `[` list must be closed with `]` on the same line".into());
    }
    if value.starts_with("{{") {
        return Some("template placeholders like {{date}} must be quoted".into());
    }
    if value.matches(": ").count() > 0 {
        return Some("a value holding `: ` must be quoted".into());
    }
    Some("check quoting and indentation on this line and the one before".into())
}

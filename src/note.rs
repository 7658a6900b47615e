//! Parsing one file into a note, independently of every other file, with its diagnostics.

use crate::cadence::Cadence;
use crate::config::Config;
use crate::dates::{looks_like_date, parse_date};
use crate::diagnostic::Diagnostic;
use crate::front_matter::{self, SplitProblem};
use crate::keys;
use crate::markdown::{self, to_u32, LinkForm, LinkRef, Located};
use crate::partner::{Interaction, ListedName, Note, NoteContent, OtherNote, Partner, Task};
use crate::suggest;
use crate::value::{Fields, Map, Value};
use crate::yaml::{self, KeyPosition};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Whether a file is a partner note (under `partners_dir`) or any other note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Role {
    Partner,
    Other,
}

/// The front-matter keys a partner note understands.
pub const KNOWN_KEYS: [&str; 14] = [
    "name",
    "aliases",
    "id",
    "org",
    "kind",
    "stage",
    "tier",
    "cadence",
    "last_contact",
    "next",
    "since",
    "met_at",
    "channels",
    "tags",
];

/// The result of parsing one file: the note (none when the file cannot be read as text) and
/// every problem found in it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Parsed {
    pub note: Option<Note>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses the bytes of the file at `path` (relative to the vault, `/`-separated).
pub fn parse(path: &str, bytes: &[u8], role: Role, config: &Config) -> Parsed {
    let mut diagnostics = Vec::new();
    let Some(text) = decode(path, bytes, &mut diagnostics) else {
        return Parsed {
            note: None,
            diagnostics,
        };
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    find_conflict_markers(path, text, &mut diagnostics);

    let split = front_matter::split(text);
    let mut fields = Map::default();
    let mut positions = BTreeMap::new();
    report_split_problem(path, split.problem, role, &mut diagnostics);
    if let Some(yaml_text) = split.yaml {
        let severity_error = role == Role::Partner;
        match yaml::parse_value(yaml_text) {
            Ok(Value::Map(map)) => {
                fields = map;
                positions = yaml::top_level_key_positions(yaml_text);
            }
            Ok(Value::Null) => {}
            Ok(other) => diagnostics.push(
                problem(
                    severity_error,
                    "front-matter-not-mapping",
                    format!(
                        "front matter is {}, not a set of `key: value` lines",
                        other.type_name()
                    ),
                )
                .at(path, split.yaml_line, 1, 1)
                .hint("write one `key: value` per line between the `---` lines"),
            ),
            Err(e) => {
                // The crate places a repeated key at its mapping; the repeat is what to fix.
                let (line, column) = yaml::duplicate_key_line(yaml_text, &e.message)
                    .map_or((e.line, e.column), |line| (line, 1));
                let line = split.yaml_line + line.saturating_sub(1);
                let mut d = problem(
                    severity_error,
                    "yaml-syntax",
                    format!("invalid YAML: {}", e.message),
                )
                .at(path, line, column, 1);
                if let Some(hint) = yaml_hint(yaml_text, e.line, &e.message) {
                    d = d.hint(hint);
                }
                diagnostics.push(d);
            }
        }
    }

    let body = markdown::scan(split.body, split.body_line, &config.log_heading);
    let stem = file_stem(path);
    let touch_keys: &[String] = match role {
        Role::Partner => &[],
        Role::Other => &config.touch_keys,
    };
    let mut links = front_matter_links(&fields, &positions, split.yaml_line, touch_keys);
    links.extend(body.links);
    let mut reader = FieldReader {
        path,
        fields: &fields,
        positions: &positions,
        yaml_line: split.yaml_line,
        diagnostics: &mut diagnostics,
    };
    let tasks = body
        .tasks
        .iter()
        .map(|t| reader.task(t.done, &t.at))
        .collect();
    let content = match role {
        Role::Partner => {
            let mut log: Vec<Interaction> = body
                .log_items
                .iter()
                .filter_map(|item| reader.interaction(item))
                .collect();
            // A nested item is an entry of its own when it starts with a date (a bad date is
            // reported); otherwise it is a detail of the entry above it.
            log.extend(
                body.nested_log_items
                    .iter()
                    .filter(|item| starts_like_a_date(&item.text))
                    .filter_map(|item| reader.interaction(item)),
            );
            log.sort_by_key(|i| i.line);
            log.shrink_to_fit();
            let mut partner = reader.partner(stem, config, log, tasks);
            let yaml_line = split.yaml_line;
            partner.fields = Fields::new(fields, |key| {
                positions.get(key).map(|p| yaml_line + p.line - 1)
            });
            NoteContent::Partner(Box::new(partner))
        }
        Role::Other => {
            NoteContent::Other(reader.other_note(stem, body.title, tasks, touch_keys, &links))
        }
    };
    Parsed {
        note: Some(Note { content, links }),
        diagnostics,
    }
}

/// `[[links]]` written in front-matter values (at any depth), except under `skip` keys, each
/// placed at its key's value.
fn front_matter_links(
    fields: &Map,
    positions: &BTreeMap<String, KeyPosition>,
    yaml_line: usize,
    skip: &[String],
) -> Vec<LinkRef> {
    fn strings<'v>(value: &'v Value, out: &mut Vec<&'v str>) {
        match value {
            Value::String(s) => out.push(s),
            Value::List(items) => items.iter().for_each(|v| strings(v, out)),
            Value::Map(map) => map.values().for_each(|v| strings(v, out)),
            _ => {}
        }
    }
    let mut links = Vec::new();
    for (key, value) in fields.iter().filter(|(k, _)| !skip.iter().any(|s| s == k)) {
        let mut texts = Vec::new();
        strings(value, &mut texts);
        let at = positions.get(key);
        for target in texts.into_iter().flat_map(markdown::links_in) {
            links.push(LinkRef {
                target,
                form: LinkForm::Wiki,
                line: to_u32(at.map_or(yaml_line, |p| yaml_line + p.line - 1)),
                column: to_u32(at.map_or(1, |p| p.column)),
                length: to_u32(at.map_or(1, |p| p.length)),
            });
        }
    }
    links.sort_by_key(|l| l.line);
    links
}

fn problem(error: bool, code: &'static str, message: String) -> Diagnostic {
    if error {
        Diagnostic::error(code, message)
    } else {
        Diagnostic::warning(code, message)
    }
}

/// The file name without `.md`.
pub fn file_stem(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".md").unwrap_or(name).to_string()
}

/// The text of a file, or an error diagnostic when it holds NUL bytes or is not UTF-8.
fn decode<'a>(path: &str, bytes: &'a [u8], diagnostics: &mut Vec<Diagnostic>) -> Option<&'a str> {
    let position = |offset: usize| {
        let before = &bytes[..offset];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        (line, column)
    };
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        let (line, column) = position(offset);
        diagnostics.push(
            Diagnostic::error(
                "nul-byte",
                "the file holds a NUL byte, so it is not a text note; skipped",
            )
            .at(path, line, column, 1)
            .hint("remove the NUL bytes, or move binary files out of the vault"),
        );
        return None;
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Some(text),
        Err(e) => {
            let (line, column) = position(e.valid_up_to());
            diagnostics.push(
                Diagnostic::error("invalid-utf8", "the file is not valid UTF-8; skipped")
                    .at(path, line, column, 1)
                    .hint("save the file as UTF-8 in your editor"),
            );
            None
        }
    }
}

/// Reports each unresolved git conflict (`<<<<<<<` ... `>>>>>>>`) once, at its first line.
fn find_conflict_markers(path: &str, text: &str, diagnostics: &mut Vec<Diagnostic>) {
    let is_marker = |line: &str, marker: &str| {
        line.strip_prefix(marker)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\r']))
    };
    let mut open = false;
    for (index, line) in text.split('\n').enumerate() {
        if is_marker(line, "<<<<<<<") {
            open = true;
            diagnostics.push(
                Diagnostic::error("conflict-marker", "unresolved git conflict in this note")
                    .at(path, index + 1, 1, 7)
                    .hint("keep the side you want, then delete the <<<<<<<, ======= and >>>>>>> lines"),
            );
        } else if is_marker(line, ">>>>>>>") {
            if !open {
                diagnostics.push(
                    Diagnostic::error(
                        "conflict-marker",
                        "git conflict marker `>>>>>>>` left in this note",
                    )
                    .at(path, index + 1, 1, 7)
                    .hint("delete the marker line once the conflict is resolved"),
                );
            }
            open = false;
        }
    }
}

fn report_split_problem(
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

fn problem_for(role: Role, code: &'static str, message: &str) -> Diagnostic {
    problem(role == Role::Partner, code, message.to_string())
}

/// A hint for the common YAML mistakes people make in front matter.
fn yaml_hint(yaml_text: &str, line: usize, message: &str) -> Option<String> {
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

/// Reads typed fields out of the front matter, reporting each bad value at its line.
struct FieldReader<'a> {
    path: &'a str,
    fields: &'a Map,
    positions: &'a BTreeMap<String, KeyPosition>,
    yaml_line: usize,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl FieldReader<'_> {
    fn report(&mut self, key: &str, diagnostic: Diagnostic) {
        let located = match self.positions.get(key) {
            Some(p) => diagnostic.at(self.path, self.yaml_line + p.line - 1, p.column, p.length),
            None => diagnostic.at(self.path, self.yaml_line.saturating_sub(1).max(1), 1, 3),
        };
        self.diagnostics.push(located);
    }

    fn wrong_type(&mut self, key: &str, expected: &str, found: &Value) {
        let d = Diagnostic::error(
            "wrong-type",
            format!("`{key}` should be {expected}, found {}", found.type_name()),
        );
        let hint = match expected {
            "a list" => format!("write `{key}: [first, second]`"),
            "a mapping" => format!("write `{key}:` and then indented `name: value` lines"),
            _ => format!("write `{key}: some text`"),
        };
        self.report(key, d.hint(hint));
    }

    /// A scalar field as text; `None` when absent or empty.
    fn text(&mut self, key: &str) -> Option<String> {
        let value = self.fields.get(key)?;
        match value {
            Value::Null => None,
            Value::List(_) | Value::Map(_) => {
                self.wrong_type(key, "text", value);
                None
            }
            scalar => scalar
                .as_text()
                .filter(|t| !t.trim().is_empty())
                .map(|t| t.trim().to_string()),
        }
    }

    fn date(&mut self, key: &str) -> Option<NaiveDate> {
        let text = self.text(key)?;
        match parse_date(&text) {
            Ok(date) => Some(date),
            Err(message) => {
                let d = Diagnostic::error("invalid-date", format!("`{key}`: {message}"))
                    .hint("dates are written YYYY-MM-DD, e.g. 2026-11-02");
                self.report(key, d);
                None
            }
        }
    }

    /// A list of scalars; a single scalar counts as a list of one, nulls are skipped.
    fn list(&mut self, key: &str) -> Vec<String> {
        let Some(value) = self.fields.get(key) else {
            return Vec::new();
        };
        let items: Vec<&Value> = match value {
            Value::Null => return Vec::new(),
            Value::List(items) => items.iter().collect(),
            Value::String(_) => vec![value],
            other => {
                self.wrong_type(key, "a list", other);
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for item in items {
            match item {
                Value::Null => {}
                Value::List(_) | Value::Map(_) => {
                    self.wrong_type(key, "a list of plain values", item)
                }
                scalar => out.extend(
                    scalar
                        .as_text()
                        .map(|t| t.trim().to_string())
                        .filter(|t| !t.is_empty()),
                ),
            }
        }
        out
    }

    /// A mapping of scalars, in key order.
    fn map(&mut self, key: &str) -> Vec<(String, String)> {
        match self.fields.get(key) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Map(map)) => map
                .iter()
                .filter_map(|(k, v)| Some((k.to_string(), v.as_text()?)))
                .collect(),
            Some(other) => {
                self.wrong_type(key, "a mapping", other);
                Vec::new()
            }
        }
    }

    /// A field whose value must be one of `allowed`, ignoring case (as the `vault list`
    /// filters do); a match is spelt as in `allowed`.
    fn one_of(&mut self, key: &str, allowed: &[String], code: &'static str) -> Option<String> {
        let value = self.text(key)?;
        match allowed
            .iter()
            .find(|a| a.to_lowercase() == value.to_lowercase())
        {
            Some(known) => Some(known.clone()),
            None => {
                let hint = suggest::hint_for(&value, allowed, &format!("the {key}s"));
                let d = Diagnostic::error(code, format!("unknown {key} `{value}`")).hint(hint);
                self.report(key, d);
                Some(value)
            }
        }
    }

    fn cadence(&mut self, key: &str) -> Option<Cadence> {
        let value = self.fields.get(key)?;
        if let Value::Int(_) | Value::Float(_) = value {
            let text = value.as_text().unwrap_or_default();
            let d = Diagnostic::error("bad-cadence", format!("cadence `{text}` has no unit")).hint(
                format!("write `{text}d`, `{text}w`, `{text}m` or `{text}y`"),
            );
            self.report(key, d);
            return None;
        }
        let text = self.text(key)?;
        match Cadence::parse(&text) {
            Ok(cadence) => Some(cadence),
            Err(e) => {
                self.report(
                    key,
                    Diagnostic::error("bad-cadence", format!("bad cadence: {}", e.message))
                        .hint(e.hint),
                );
                None
            }
        }
    }

    fn warn_about_keys(&mut self) {
        let found = keys::problems(
            self.path,
            self.fields.keys(),
            self.positions,
            self.yaml_line,
        );
        self.diagnostics.extend(found);
    }

    fn partner(
        &mut self,
        stem: String,
        config: &Config,
        log: Vec<Interaction>,
        tasks: Vec<Task>,
    ) -> Partner {
        self.warn_about_keys();
        let empty_name = self.fields.get("name").is_some_and(|v| {
            matches!(v, Value::Null) || matches!(v, Value::String(s) if s.trim().is_empty())
        });
        if empty_name {
            let d = Diagnostic::warning("empty-name", "`name` is empty; the file name is used")
                .hint("write the partner's name, or delete the `name:` line");
            self.report("name", d);
        }
        let tiers: Vec<String> = config.tiers.keys().cloned().collect();
        Partner {
            path: self.path.to_string(),
            name: self.text("name").unwrap_or_else(|| stem.clone()),
            stem,
            aliases: self.list("aliases"),
            id: self.text("id"),
            org: self.text("org"),
            kind: self.one_of("kind", &config.kinds, "unknown-kind"),
            stage: self.one_of("stage", &config.stages, "unknown-stage"),
            tier: self
                .one_of("tier", &tiers, "unknown-tier")
                .unwrap_or_else(|| config.default_tier.clone()),
            cadence: self.cadence("cadence"),
            last_contact: self.date("last_contact"),
            next: self.date("next"),
            since: self.date("since"),
            met_at: self.text("met_at"),
            channels: self.map("channels"),
            tags: self.list("tags"),
            // Moved in by `parse` once reading is done, rather than cloned here.
            fields: Fields::default(),
            log,
            tasks,
        }
    }

    /// `heading` is the body's first `# heading`, the title when `title:` sets none.
    fn other_note(
        &mut self,
        stem: String,
        heading: Option<String>,
        tasks: Vec<Task>,
        touch_keys: &[String],
        links: &[LinkRef],
    ) -> OtherNote {
        let listed: Vec<ListedName> = touch_keys
            .iter()
            .flat_map(|key| self.listed_names(key))
            .collect();
        // A date matters when the note names partners; otherwise any `date:` format is fine.
        let date = match self.fields.get("date").and_then(Value::as_text) {
            Some(text) if !listed.is_empty() || !links.is_empty() => match parse_date(&text) {
                Ok(date) => Some(date),
                Err(message) => {
                    let d = Diagnostic::warning(
                        "invalid-date",
                        format!("`date`: {message}; this note counts as no touch"),
                    )
                    .hint("dates are written YYYY-MM-DD, e.g. 2026-11-02");
                    self.report("date", d);
                    None
                }
            },
            _ => None,
        };
        OtherNote {
            path: self.path.to_string(),
            title: self
                .text("title")
                .or(heading)
                .unwrap_or_else(|| stem.clone()),
            id: self.text("id"),
            stem,
            date,
            listed,
            tasks,
        }
    }

    /// The names in a touch list (`attendees: ["[[Ana]]", Ben]`): each `[[link]]` of an item,
    /// or the item itself when it holds none. `- [[Ana]]` unquoted, which YAML reads as a list
    /// inside the list, is taken as the link it was meant to be.
    fn listed_names(&mut self, key: &str) -> Vec<ListedName> {
        let Some(value) = self.fields.get(key) else {
            return Vec::new();
        };
        let items: Vec<&Value> = match value {
            Value::List(items) => items.iter().collect(),
            Value::Null => Vec::new(),
            other => vec![other],
        };
        let mut names = Vec::new();
        for item in items {
            let text = match item {
                Value::List(_) => match unquoted_link(item) {
                    Some(name) => format!("[[{name}]]"),
                    None => {
                        self.wrong_type(key, "a list of names", item);
                        continue;
                    }
                },
                Value::Map(_) => {
                    self.wrong_type(key, "a list of names", item);
                    continue;
                }
                scalar => scalar.as_text().unwrap_or_default(),
            };
            let targets = markdown::links_in(&text);
            let targets = if targets.is_empty() {
                vec![text.trim().into()]
            } else {
                targets
            };
            let at = self.positions.get(key).copied();
            names.extend(
                targets
                    .into_iter()
                    .filter(|t| !t.is_empty())
                    .map(|target| ListedName {
                        target,
                        key: key.into(),
                        line: to_u32(at.map_or(self.yaml_line, |p| self.yaml_line + p.line - 1)),
                        column: to_u32(at.map_or(1, |p| p.column)),
                        length: to_u32(at.map_or(1, |p| p.length)),
                    }),
            );
        }
        names
    }

    /// `2026-11-20 gave: text` -> an interaction; a bad date is an error, no date a warning.
    fn interaction(&mut self, item: &Located) -> Option<Interaction> {
        let (token, rest) = split_first_word(&item.text);
        let token = token.trim_end_matches([':', ',']);
        let date = match parse_date(token) {
            Ok(date) if token.len() == 10 => date,
            result => {
                let diagnostic = if looks_like_date(token) || result.is_ok() {
                    let message = result
                        .err()
                        .unwrap_or_else(|| format!("`{token}` is not a date"));
                    Diagnostic::error("bad-log-date", format!("Log entry date {message}"))
                        .hint("write the date as YYYY-MM-DD, e.g. `- 2026-11-20 gave: ...`")
                } else {
                    Diagnostic::warning(
                        "undated-log-entry",
                        "Log entry has no date, so it counts as no touch",
                    )
                    .hint("start the entry with its date: `- 2026-11-20 met: ...`")
                };
                self.diagnostics.push(diagnostic.at(
                    self.path,
                    item.line,
                    item.column,
                    token.chars().count(),
                ));
                return None;
            }
        };
        let (kind, text) = split_kind(rest);
        Some(Interaction {
            date,
            // A note is at most `MAX_NOTE_BYTES`, so its line numbers fit.
            line: item.line as u32,
            kind: kind.map(String::into_boxed_str),
            text: text.into(),
        })
    }

    fn task(&mut self, done: bool, at: &Located) -> Task {
        let (token, rest) = split_first_word(&at.text);
        let (due, text) = match parse_date(token) {
            Ok(date) if token.len() == 10 => (Some(date), rest),
            Err(message) if looks_like_date(token) && !done => {
                let d = Diagnostic::warning("bad-task-date", format!("task due date {message}"))
                    .hint("write the due date as YYYY-MM-DD right after the checkbox")
                    .at(self.path, at.line, at.column, token.chars().count());
                self.diagnostics.push(d);
                (None, at.text.as_str())
            }
            _ => (None, at.text.as_str()),
        };
        let links = markdown::links_in(text);
        Task {
            done,
            due,
            text: text.into(),
            line: to_u32(at.line),
            links: links.into(),
        }
    }
}

/// `[[Ana]]` written without quotes, which YAML reads as a list holding a list holding `Ana`.
fn unquoted_link(value: &Value) -> Option<&str> {
    match value {
        Value::List(items) => match &**items {
            [Value::String(name)] => Some(name),
            [inner @ Value::List(_)] => unquoted_link(inner),
            _ => None,
        },
        _ => None,
    }
}

/// Whether a Log item's first word is a date, or something meant as one.
fn starts_like_a_date(text: &str) -> bool {
    let (token, _) = split_first_word(text);
    let token = token.trim_end_matches([':', ',']);
    looks_like_date(token) || parse_date(token).is_ok()
}

fn split_first_word(text: &str) -> (&str, &str) {
    let text = text.trim_start();
    match text.find(char::is_whitespace) {
        Some(i) => (&text[..i], text[i..].trim_start()),
        None => (text, ""),
    }
}

/// `gave: text` -> (Some("gave"), "text"); `text` -> (None, "text").
fn split_kind(rest: &str) -> (Option<String>, &str) {
    if let Some((word, text)) = rest.split_once(':') {
        let is_word = !word.is_empty()
            && word
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
            && (text.is_empty() || text.starts_with(char::is_whitespace));
        if is_word {
            return (Some(word.to_lowercase()), text.trim());
        }
    }
    (None, rest.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_partner(text: &str) -> (Partner, Vec<Diagnostic>) {
        let parsed = parse(
            "partners/ana.md",
            text.as_bytes(),
            Role::Partner,
            &Config::default(),
        );
        let Some(Note {
            content: NoteContent::Partner(p),
            ..
        }) = parsed.note
        else {
            panic!("no partner")
        };
        (*p, parsed.diagnostics)
    }

    fn codes(diagnostics: &[Diagnostic]) -> Vec<(&str, usize)> {
        diagnostics.iter().map(|d| (d.code, d.line)).collect()
    }

    #[test]
    fn reads_the_log() {
        let (p, diags) = parse_partner(
            "---\nname: Ana\n---\n## Log\n- 2026-11-20 gave: Shared it\n- 2026-11-02: got: x\n- 2026-10-15 Coffee at CMW: great\n- 2026-02-30 met: bad\n- 2026-1-05 met: bad\n- no date here\n",
        );
        let kinds: Vec<_> = p
            .log
            .iter()
            .map(|i| (i.date.to_string(), i.kind.clone(), &*i.text))
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("2026-11-20".into(), Some("gave".into()), "Shared it"),
                ("2026-11-02".into(), Some("got".into()), "x"),
                ("2026-10-15".into(), None, "Coffee at CMW: great"),
            ]
        );
        assert_eq!(
            codes(&diags),
            vec![
                ("bad-log-date", 8),
                ("bad-log-date", 9),
                ("undated-log-entry", 10)
            ]
        );
        assert_eq!(diags[0].column, 3);
        let (_, diags) =
            parse_partner("---\n---\n## Log\n1. 2026-13-01 met: x\n- [ ] 2026-11-31 task\n");
        let at: Vec<_> = diags.iter().map(|d| (d.code, d.line, d.column)).collect();
        assert_eq!(at, vec![("bad-task-date", 5, 7), ("bad-log-date", 4, 4)]);
    }

    #[test]
    fn name_defaults_to_the_file_name_and_tier_to_the_default() {
        let (p, diags) = parse_partner("---\norg: X\n---\n");
        assert_eq!((p.name.as_str(), p.tier.as_str()), ("ana", "B"));
        assert!(diags.is_empty());
    }

    #[test]
    fn reports_values_at_their_lines_with_hints() {
        let (_, diags) = parse_partner(
            "---\nstage: partnr\nkind: blogger\ntier: D\ncadence: 3 weeks\nsince: 2026-13-45\ntags: 5\nlast_contcat: 2026-01-01\n---\n",
        );
        assert_eq!(
            codes(&diags),
            vec![
                ("unknown-key", 8),
                ("unknown-kind", 3),
                ("unknown-stage", 2),
                ("unknown-tier", 4),
                ("bad-cadence", 5),
                ("invalid-date", 6),
                ("wrong-type", 7)
            ]
        );
        assert_eq!(diags[2].hint.as_deref(), Some("did you mean `partner`?"));
        assert_eq!(diags[2].column, 8);
        assert_eq!(
            diags[0].hint.as_deref(),
            Some("did you mean `last_contact`?")
        );
    }

    #[test]
    fn yaml_errors_point_at_file_lines() {
        let (p, diags) = parse_partner("---\nname: Ana\ntwitter: @ana\n---\nbody\n");
        assert_eq!(codes(&diags), vec![("yaml-syntax", 3)]);
        assert!(diags[0].hint.as_deref().unwrap().contains("quoted"));
        assert_eq!(p.name, "ana");
    }

    #[test]
    fn tolerates_bom_crlf_comments_quoted_dates_and_null_list_items() {
        let (p, diags) = parse_partner(
            "\u{feff}---\r\nname: Ana # comment\r\nsince: \"2020-01-02\"\r\ntags:\r\n- \r\n- seo\r\n---\r\nbody",
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(p.name, "Ana");
        assert_eq!(p.tags, vec!["seo"]);
        assert_eq!(p.since.unwrap().to_string(), "2020-01-02");
    }

    #[test]
    fn rejects_binary_and_reports_conflicts() {
        let parsed = parse(
            "partners/x.md",
            b"---\nname: \xff\n---\n",
            Role::Partner,
            &Config::default(),
        );
        assert!(parsed.note.is_none());
        assert_eq!(codes(&parsed.diagnostics), vec![("invalid-utf8", 2)]);
        let parsed = parse(
            "partners/x.md",
            b"a\nb\0",
            Role::Partner,
            &Config::default(),
        );
        assert_eq!(codes(&parsed.diagnostics), vec![("nul-byte", 2)]);
        let (_, diags) =
            parse_partner("---\nname: A\n---\n<<<<<<< HEAD\na\n=======\nb\n>>>>>>> main\n");
        assert_eq!(codes(&diags), vec![("conflict-marker", 4)]);
    }

    #[test]
    fn tasks_have_due_dates() {
        let (p, _) = parse_partner("---\n---\n- [ ] 2026-12-05 Propose [[Bo]]\n- [x] Done\n");
        assert_eq!(p.tasks[0].due.unwrap().to_string(), "2026-12-05");
        assert_eq!(&*p.tasks[0].text, "Propose [[Bo]]");
        assert_eq!(&*p.tasks[0].links, ["Bo".into()]);
        assert!(p.tasks[1].done);
    }
}

#[cfg(test)]
mod never_panics {
    use super::*;
    use proptest::prelude::*;

    const VALID: &str = "---\nname: Ana Émile\naliases: [Ana]\nstage: partner\ncadence: 2w\nsince: 2020-01-02\n---\n## Log\n- 2026-11-20 gave: x [[Bo|b]]\n- [ ] 2026-12-05 task\n";

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn on_arbitrary_text(text in "\\PC{0,300}") {
            let _ = parse("partners/x.md", text.as_bytes(), Role::Partner, &Config::default());
            let _ = parse("notes/x.md", text.as_bytes(), Role::Other, &Config::default());
        }

        #[test]
        fn on_edits_of_a_valid_note(at in 0usize..200, insert in "[-:\\[\\]#|\\n \"'0-9a-zé語]{0,6}", cut in 0usize..4) {
            let mut chars: Vec<char> = VALID.chars().collect();
            let at = at.min(chars.len());
            let end = (at + cut).min(chars.len());
            chars.splice(at..end, insert.chars());
            let text: String = chars.into_iter().collect();
            let _ = parse("partners/x.md", text.as_bytes(), Role::Partner, &Config::default());
        }

        #[test]
        fn on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = parse("partners/x.md", &bytes, Role::Partner, &Config::default());
        }
    }
}

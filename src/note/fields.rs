//! Reading typed values out of a note's front matter (text, dates, lists, maps, one of a
//! list, cadences, touch lists), each bad value reported at its line with a hint.

use crate::cadence::Cadence;
use crate::config::Config;
use crate::dates::parse_date;
use crate::diagnostic::Diagnostic;
use crate::keys;
use crate::lazy::Lazy;
use crate::markdown::{self, to_u32, LinkRef};
use crate::partner::{ListedName, Log, OtherNote, Partner, Task};
use crate::suggest;
use crate::value::{Fields, Map, Value};
use crate::yaml::KeyPosition;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Reads typed fields out of the front matter, reporting each bad value at its line.
pub(super) struct FieldReader<'a> {
    pub(super) path: &'a str,
    pub(super) fields: &'a Map,
    pub(super) positions: &'a BTreeMap<String, KeyPosition>,
    pub(super) yaml_line: usize,
    /// The keys written as a list or a mapping (reported already), as the mapping holds them.
    pub(super) collection_keys: &'a [String],
    pub(super) diagnostics: &'a mut Vec<Diagnostic>,
}

impl FieldReader<'_> {
    pub(super) fn report(&mut self, key: &str, diagnostic: Diagnostic) {
        let located = match self.positions.get(key) {
            Some(p) => diagnostic.at(self.path, self.yaml_line + p.line - 1, p.column, p.length),
            None => diagnostic.at(self.path, self.yaml_line.saturating_sub(1).max(1), 1, 3),
        };
        self.diagnostics.push(located);
    }

    pub(super) fn wrong_type(&mut self, key: &str, expected: &str, found: &Value) {
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
    pub(super) fn text(&mut self, key: &str) -> Option<String> {
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

    pub(super) fn date(&mut self, key: &str) -> Option<NaiveDate> {
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
    pub(super) fn list(&mut self, key: &str) -> Vec<String> {
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
    pub(super) fn map(&mut self, key: &str) -> Vec<(String, String)> {
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
    pub(super) fn one_of(
        &mut self,
        key: &str,
        allowed: &[String],
        code: &'static str,
    ) -> Option<String> {
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

    pub(super) fn cadence(&mut self, key: &str) -> Option<Cadence> {
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

    pub(super) fn warn_about_keys(&mut self) {
        let written_as_words = self
            .fields
            .keys()
            .filter(|key| !self.collection_keys.iter().any(|c| c == key));
        let found = keys::problems(self.path, written_as_words, self.positions, self.yaml_line);
        self.diagnostics.extend(found);
    }

    pub(super) fn partner(
        &mut self,
        stem: &str,
        config: &Config,
        log: Log,
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
            name: self.text("name").unwrap_or_else(|| stem.to_string()),
            aliases: self.list("aliases").into_iter().collect(),
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
            channels: Lazy::encoded(self.map("channels")),
            tags: self.list("tags").into_iter().collect(),
            offers: self.list("offers").into_iter().collect(),
            seeks: self.list("seeks").into_iter().collect(),
            knows: self
                .list("knows")
                .into_iter()
                .map(|item| match crate::markdown::links_in(&item).first() {
                    Some(target) => target.to_string(),
                    None => item,
                })
                .collect(),
            // Moved in by `parse` once reading is done, rather than cloned here.
            fields: Default::default(),
            extra: Fields::default(),
            log,
            tasks,
        }
    }

    /// `heading` is the body's first `# heading`, the title when `title:` sets none.
    pub(super) fn other_note(
        &mut self,
        stem: &str,
        heading: Option<String>,
        tasks: Vec<Task>,
        touch_keys: &[String],
        links: &[LinkRef],
    ) -> OtherNote {
        let listed: Vec<ListedName> = touch_keys
            .iter()
            .flat_map(|key| self.listed_names(key))
            .collect();
        let date = self.note_date(!listed.is_empty() || !links.is_empty());
        OtherNote {
            path: self.path.to_string(),
            title: self
                .text("title")
                .or(heading)
                .unwrap_or_else(|| stem.to_string()),
            id: self.text("id"),
            date,
            listed,
            tasks,
        }
    }

    /// The `date:` of another note; one that is not a valid date is a warning, whether or not
    /// the note names a partner yet (attendees are often added later).
    fn note_date(&mut self, names_partners: bool) -> Option<NaiveDate> {
        let text = self.fields.get("date").and_then(Value::as_text)?;
        let message = match parse_date(&text) {
            Ok(date) => return Some(date),
            Err(message) => message,
        };
        let consequence = if names_partners {
            "this note counts as no touch"
        } else {
            "partners listed in this note would get no touch from it"
        };
        let d = Diagnostic::warning("invalid-date", format!("`date`: {message}; {consequence}"))
            .hint("dates are written YYYY-MM-DD, e.g. 2026-11-02");
        self.report("date", d);
        None
    }

    /// The names in a touch list (`attendees: ["[[Ana]]", Ben]`): each `[[link]]` of an item,
    /// or the item itself when it holds none. `- [[Ana]]` unquoted, which YAML reads as a list
    /// inside the list, is taken as the link it was meant to be.
    pub(super) fn listed_names(&mut self, key: &str) -> Vec<ListedName> {
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
}

/// `[[Ana]]` written without quotes, which YAML reads as a list holding a list holding `Ana`.
pub(super) fn unquoted_link(value: &Value) -> Option<&str> {
    match value {
        Value::List(items) => match &**items {
            [Value::String(name)] => Some(name),
            [inner @ Value::List(_)] => unquoted_link(inner),
            _ => None,
        },
        _ => None,
    }
}

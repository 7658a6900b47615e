//! `vault import`: partners from other tools' exports (LinkedIn, vCard, spreadsheets) and
//! meetings from a calendar. Each reader turns its input into [`Person`]s (or events) with
//! the input line each came from; `vault import` (in `cmd`) matches them to the vault and
//! writes the notes.

pub mod calendar;
pub mod input;
pub mod matching;
pub mod tables;
pub mod vcard;

/// One person read from an export, before it is matched to the vault.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Person {
    /// The input's line where the person's record starts (1-based).
    pub line: usize,
    pub name: String,
    /// Front-matter values by key, in the order read: `org`, `role`, `since`, `kind`, ...,
    /// and channels as `channels.email`, `channels.linkedin`; a second email is
    /// `channels.email_2`.
    pub values: Vec<(String, String)>,
    pub tags: Vec<String>,
    pub aliases: Vec<String>,
    /// Free text about the person (a vCard's NOTE, a sheet's Notes column): the new note's
    /// opening paragraph.
    pub about: String,
}

impl Person {
    /// Adds `value` (trimmed) under `key`, unless empty or already there. A second, different
    /// value for a channel goes under `key_2`, `key_3`, ...; for any other key the first
    /// value stays.
    pub fn set(&mut self, key: &str, value: &str) {
        let value = value.trim();
        if value.is_empty()
            || self
                .values
                .iter()
                .any(|(k, v)| same_key(k, key) && v == value)
        {
            return;
        }
        if !key.starts_with("channels.") {
            if self.get(key).is_none() {
                self.values.push((key.to_string(), value.to_string()));
            }
            return;
        }
        let free = std::iter::once(key.to_string())
            .chain((2..).map(|n| format!("{key}_{n}")))
            .find(|k| self.get(k).is_none())
            .expect("some number is free");
        self.values.push((free, value.to_string()));
    }

    /// Adds a paragraph to [`Person::about`].
    pub fn add_about(&mut self, text: &str) {
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        if !self.about.is_empty() {
            self.about.push_str("\n\n");
        }
        self.about.push_str(text);
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every email address: `channels.email`, `channels.email_2`, ...
    pub fn emails(&self) -> impl Iterator<Item = &str> {
        self.channels("email")
    }

    /// The values of a channel and its numbered seconds (`phone`, `phone_2`, ...).
    pub fn channels<'a>(&'a self, channel: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.values
            .iter()
            .filter(move |(k, _)| {
                k.strip_prefix("channels.")
                    .is_some_and(|c| same_key(c, channel))
            })
            .map(|(_, v)| v.as_str())
    }

    pub fn add_tag(&mut self, tag: &str) {
        let tag = tag.trim();
        if !tag.is_empty() && !self.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
            self.tags.push(tag.to_string());
        }
    }

    pub fn add_alias(&mut self, alias: &str) {
        let alias = alias.trim();
        if !alias.is_empty() && alias != self.name && !self.aliases.iter().any(|a| a == alias) {
            self.aliases.push(alias.to_string());
        }
    }
}

/// Whether `key` is `base` or one of its numbered seconds (`email_2` for `email`).
fn same_key(key: &str, base: &str) -> bool {
    key == base
        || key
            .strip_prefix(base)
            .and_then(|rest| rest.strip_prefix('_'))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Something wrong with one record or value of the input, at its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub message: String,
}

impl Problem {
    pub fn at(line: usize, message: impl Into<String>) -> Problem {
        Problem {
            line,
            message: message.into(),
        }
    }
}

/// What a reader made of an input: the people in it, in order, and the problems met (a record
/// with a problem that loses the whole record is not among the people).
#[derive(Debug, Default)]
pub struct Read {
    pub people: Vec<Person>,
    pub problems: Vec<Problem>,
    /// A note about the input as a whole (its encoding, say), printed once.
    pub notes: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_channel_value_is_numbered_and_other_keys_keep_the_first() {
        let mut p = Person::default();
        p.set("channels.email", " a@x.org ");
        p.set("channels.email", "a@x.org");
        p.set("channels.email", "b@x.org");
        p.set("org", "Acme");
        p.set("org", "Other");
        p.set("role", "");
        assert_eq!(p.emails().collect::<Vec<_>>(), ["a@x.org", "b@x.org"]);
        assert_eq!(p.get("channels.email_2"), Some("b@x.org"));
        assert_eq!(p.get("org"), Some("Acme"));
        assert_eq!(p.get("role"), None);
    }
}

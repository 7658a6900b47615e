//! Front-matter keys that are probably mistakes: in a partner note, typos and synonyms of known
//! keys, two keys that differ only by case, invisible characters, and keys that are numbers or
//! true/false; in any note, keys written as a list or a mapping.

use crate::diagnostic::Diagnostic;
use crate::note::{Role, KNOWN_KEYS};
use crate::suggest;
use crate::text;
use crate::yaml::{CollectionKey, KeyPosition};
use std::collections::BTreeMap;

/// Words people write for a known key.
const SYNONYMS: [(&str, &str); 5] = [
    ("alias", "aliases"),
    ("tag", "tags"),
    ("channel", "channels"),
    ("last_contacted", "last_contact"),
    ("cadance", "cadence"),
];

/// Characters that do not show in an editor but make a key another key.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00a0}' | '\u{00ad}' | '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{feff}'
    ) || c.is_control()
}

/// Where each problem is reported: the key's line, or the whole file.
struct Place<'a> {
    path: &'a str,
    positions: &'a BTreeMap<String, KeyPosition>,
    yaml_line: usize,
}

impl Place<'_> {
    fn at(&self, key: &str, diagnostic: Diagnostic) -> Diagnostic {
        match self.positions.get(key) {
            Some(p) => diagnostic.at(
                self.path,
                self.yaml_line + p.line - 1,
                1,
                key.chars().count(),
            ),
            None => diagnostic.in_file(self.path),
        }
    }
}

/// Warnings about the keys of one partner note's front matter.
/// `keys` in key order.
pub fn problems<'k>(
    path: &str,
    keys: impl IntoIterator<Item = &'k str>,
    positions: &BTreeMap<String, KeyPosition>,
    yaml_line: usize,
) -> Vec<Diagnostic> {
    let place = Place {
        path,
        positions,
        yaml_line,
    };
    let mut found = Vec::new();
    let mut by_lowercase: BTreeMap<String, &str> = BTreeMap::new();
    for key in keys {
        let shown = || text::short(key);
        if let Some(twin) = by_lowercase.insert(key.to_lowercase(), key) {
            found.push(
                place.at(
                    key,
                    Diagnostic::warning(
                        "key-case",
                        format!(
                            "keys `{}` and `{}` differ only by case; they are two keys",
                            text::short(twin),
                            shown()
                        ),
                    )
                    .hint("keep one spelling; front-matter keys are case-sensitive"),
                ),
            );
        }
        if key.chars().any(is_invisible) {
            let visible: String = key.chars().filter(|c| !is_invisible(*c)).collect();
            found.push(
                place.at(
                    key,
                    Diagnostic::warning(
                        "invisible-key-character",
                        format!(
                            "key `{}` holds an invisible character, so it is not `{visible}`",
                            text::short(&key.escape_unicode().to_string()).replace("\\u", "U+")
                        ),
                    )
                    .hint("delete the key and type it again"),
                ),
            );
            continue;
        }
        if !looks_like_text(key) {
            found.push(
                place.at(
                    key,
                    Diagnostic::warning(
                        "key-not-text",
                        format!(
                            "key `{}` is a number, a true/false or empty, not a word",
                            shown()
                        ),
                    )
                    .hint("front-matter keys are words, such as `location`"),
                ),
            );
            continue;
        }
        if KNOWN_KEYS.contains(&key) {
            continue;
        }
        if let Some(best) = known_key_like(key) {
            found.push(
                place.at(
                    key,
                    Diagnostic::warning(
                        "unknown-key",
                        format!("unknown key `{}` looks like a typo", shown()),
                    )
                    .hint(format!("did you mean `{best}`?")),
                ),
            );
        }
    }
    found
}

/// Keys written as a list or a mapping (`[a, b]: x`, `{k: v}: y`, `? [a]`), which no key can
/// be: an error in a partner note, a warning in any other, at the key (the front matter's
/// opening line when it could not be placed).
pub fn collection_key_problems(
    path: &str,
    keys: &[CollectionKey],
    yaml_line: usize,
    role: Role,
) -> Vec<Diagnostic> {
    keys.iter()
        .map(|key| {
            let message = format!(
                "key `{}` is {}, not a word",
                text::short(&key.key),
                key.shape
            );
            let diagnostic = match role {
                Role::Partner => Diagnostic::error("list-or-map-key", message),
                Role::Other => Diagnostic::warning("list-or-map-key", message),
            }
            .hint(
                "front-matter keys are words, such as `location`; quote a key that holds \
                 brackets or braces: `\"[a, b]\": x`",
            );
            match key.at {
                Some(at) => diagnostic.at(path, yaml_line + at.line - 1, at.column, at.length),
                None => diagnostic.at(path, yaml_line.saturating_sub(1).max(1), 1, 3),
            }
        })
        .collect()
}

/// The known key an unknown one is probably meant to be: a synonym or a close spelling. The
/// same custom keys (`location`, `website`) come back in note after note, so answers are kept
/// for the run.
fn known_key_like(key: &str) -> Option<&'static str> {
    thread_local! {
        static SEEN: std::cell::RefCell<std::collections::HashMap<String, Option<&'static str>>> =
            Default::default();
    }
    if let Some(answer) = SEEN.with(|seen| seen.borrow().get(key).copied()) {
        return answer;
    }
    let lower = key.to_lowercase();
    let answer = SYNONYMS
        .iter()
        .find(|(word, _)| *word == lower)
        .map(|(_, known)| *known)
        .or_else(|| suggest::closest(key, KNOWN_KEYS));
    SEEN.with(|seen| {
        let mut seen = seen.borrow_mut();
        if seen.len() < 10_000 {
            seen.insert(key.to_string(), answer);
        }
    });
    answer
}

/// False for keys YAML reads as something other than text: numbers, booleans, null.
fn looks_like_text(key: &str) -> bool {
    if key.starts_with(|c: char| c.is_alphabetic() || c == '_') && !matches!(key.len(), 4 | 5) {
        return true; // a word, and not `true`, `false` or `null`
    }
    let lower = key.trim().to_lowercase();
    !(lower.is_empty()
        || matches!(lower.as_str(), "null" | "~" | "true" | "false")
        || lower.parse::<f64>().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(keys: &[&str]) -> Vec<(&'static str, String)> {
        let keys: std::collections::BTreeSet<&str> = keys.iter().copied().collect();
        problems("partners/a.md", keys, &BTreeMap::new(), 2)
            .into_iter()
            .map(|d| (d.code, d.hint.unwrap_or_default()))
            .collect()
    }

    #[test]
    fn finds_each_kind_of_suspicious_key() {
        assert_eq!(
            codes(&["alias"]),
            [("unknown-key", "did you mean `aliases`?".to_string())]
        );
        assert!(codes(&["Tags", "tags"])
            .iter()
            .any(|(c, _)| *c == "key-case"));
        assert_eq!(codes(&["tags\u{200b}"])[0].0, "invisible-key-character");
        assert_eq!(codes(&["1"])[0].0, "key-not-text");
        assert_eq!(codes(&["true"])[0].0, "key-not-text");
        assert!(codes(&["location", "name", "tags"]).is_empty());
    }
}

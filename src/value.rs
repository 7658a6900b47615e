//! Front-matter values as the rest of the tool sees them, independent of the YAML crate.

use serde::{Deserialize, Serialize, Serializer};
use std::collections::BTreeMap;

/// A front-matter value: what YAML can hold, with keys as strings and numbers kept as written.
/// Its own serde form is tagged (for the index cache); [`Plain`] shows it as JSON writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(Box<str>),
    List(Box<[Value]>),
    Map(Map),
}

impl Value {
    /// What kind of value this is, for error messages ("expected a list, found a number").
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "nothing",
            Value::Bool(_) => "true/false",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::String(_) => "text",
            Value::List(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// The value as text when it is a scalar (numbers and booleans as YAML writes them).
    pub fn as_text(&self) -> Option<String> {
        match self {
            Value::Bool(b) => Some(b.to_string()),
            Value::Int(n) => Some(n.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::String(s) => Some(String::from(&**s)),
            Value::Null | Value::List(_) | Value::Map(_) => None,
        }
    }

    /// True when `wanted` equals this value (case-insensitively), or any item of a list.
    pub fn matches_text(&self, wanted: &str) -> bool {
        match self {
            Value::List(items) => items.iter().any(|item| item.matches_text(wanted)),
            Value::Null => wanted.is_empty() || wanted.eq_ignore_ascii_case("null"),
            other => other
                .as_text()
                .is_some_and(|text| text.trim().eq_ignore_ascii_case(wanted.trim())),
        }
    }
}

/// A value as JSON and templates see it: `null`, `true`, `3`, `"text"`, `[...]`, `{...}`.
pub struct Plain<'a>(pub &'a Value);

impl Serialize for Plain<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Int(n) => serializer.serialize_i64(*n),
            Value::Float(f) => serializer.serialize_f64(*f),
            Value::String(s) => serializer.serialize_str(s),
            Value::List(items) => serializer.collect_seq(items.iter().map(Plain)),
            Value::Map(map) => serializer.collect_map(map.iter().map(|(k, v)| (k, Plain(v)))),
        }
    }
}

/// A mapping's entries sorted by key, each key once: a list rather than a tree, as a mapping
/// in front matter has a few keys (`channels:`), found by binary search.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Map(Box<[(Box<str>, Value)]>);

impl From<BTreeMap<String, Value>> for Map {
    fn from(map: BTreeMap<String, Value>) -> Map {
        Map(map
            .into_iter()
            .map(|(key, value)| (key.into_boxed_str(), value))
            .collect())
    }
}

impl Map {
    pub fn get(&self, key: &str) -> Option<&Value> {
        let index = self.0.binary_search_by(|(k, _)| (**k).cmp(key)).ok()?;
        Some(&self.0[index].1)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(key, _)| &**key)
    }

    pub fn values(&self) -> impl Iterator<Item = &Value> {
        self.0.iter().map(|(_, value)| value)
    }

    /// Keys and values, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(key, value)| (&**key, value))
    }
}

/// The JSON text of a value.
pub fn json_text(value: &Value) -> String {
    serde_json::to_string(&Plain(value)).unwrap_or_default()
}
/// The top-level front-matter keys of a note as written, in key order, each with its value and
/// the file line it is written on. A sorted list rather than maps: a note has a few keys, found
/// by binary search, without a map node's worth of memory per note.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Fields(Vec<Field>);

/// One top-level front-matter key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    pub key: Box<str>,
    pub value: Value,
    /// The file line of the key, when the key scan found it.
    pub line: Option<u32>,
}

impl Fields {
    /// The keys of `map`, each placed at the file line `line_of` gives for it.
    pub fn new(map: Map, line_of: impl Fn(&str) -> Option<usize>) -> Fields {
        Fields(
            map.0
                .into_vec()
                .into_iter()
                .map(|(key, value)| Field {
                    line: line_of(&key).and_then(|line| u32::try_from(line).ok()),
                    key,
                    value,
                })
                .collect(),
        )
    }

    fn find(&self, key: &str) -> Option<&Field> {
        let index = self.0.binary_search_by(|f| (*f.key).cmp(key)).ok()?;
        Some(&self.0[index])
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.find(key).map(|f| &f.value)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_some()
    }

    /// The file line of `key`, when it is written and was found.
    pub fn line(&self, key: &str) -> Option<usize> {
        self.find(key)?.line.map(|line| line as usize)
    }

    /// The fields whose keys `keep` accepts.
    pub fn only(&self, keep: impl Fn(&str) -> bool) -> Fields {
        Fields(self.0.iter().filter(|f| keep(&f.key)).cloned().collect())
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|f| &*f.key)
    }

    /// Keys and values, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|f| (&*f.key, &f.value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_stay_small() {
        // Every front-matter value of every note is held in the index: keep it three words.
        assert_eq!(std::mem::size_of::<Value>(), 24);
    }
}

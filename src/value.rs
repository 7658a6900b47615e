//! Front-matter values as the rest of the tool sees them, independent of the YAML crate.

use serde::Serialize;
use std::collections::BTreeMap;

/// A front-matter value: what YAML can hold, with keys as strings and numbers kept as written.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    List(Vec<Value>),
    Map(BTreeMap<String, Value>),
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
            Value::String(s) => Some(s.clone()),
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

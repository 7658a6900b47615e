//! The one place that knows the YAML crate: front matter and `vault.yaml` are parsed here.

use crate::value::Value;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;

/// A YAML problem, positioned within the YAML text (1-based line and column).
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

/// Parses a YAML document into a [`Value`]; an empty or comment-only document is `Null`.
/// Alias expansion and nesting depth are bounded by the parser, so hostile input fails
/// with an error instead of exhausting memory or stack.
pub fn parse_value(text: &str) -> Result<Value, YamlError> {
    // Most front matter is plain `key: value` lines; they need not go through the crate.
    if let Some(value) = crate::yaml_fast::parse(text) {
        return Ok(value);
    }
    parse_with_crate(text)
}

/// [`parse_value`] through the YAML crate alone.
pub fn parse_with_crate(text: &str) -> Result<Value, YamlError> {
    check_flow_depth(text)?;
    let mut text = std::borrow::Cow::Borrowed(text);
    // An integer too large for 128 bits (a phone number, say) fails the whole document in the
    // crate; it is kept as the text it was written as, and parsing goes on.
    for _ in 0..MAX_BIG_INTEGERS {
        match serde_yaml::from_str::<serde_yaml::Value>(&text) {
            Ok(parsed) => return Ok(convert(parsed)),
            Err(error) => match quote_big_integer(&text, &error) {
                Some(quoted) => text = std::borrow::Cow::Owned(quoted),
                None => return Err(convert_error(error)),
            },
        }
    }
    serde_yaml::from_str(&text)
        .map(convert)
        .map_err(convert_error)
}

/// How many too-large integers one document may hold before parsing gives up.
const MAX_BIG_INTEGERS: usize = 32;

/// `text` with the too-large integer the crate stopped at put in quotes, if that is the error.
fn quote_big_integer(text: &str, error: &serde_yaml::Error) -> Option<String> {
    let message = error.to_string();
    if !message.contains("as u128") && !message.contains("as i128") {
        return None;
    }
    let location = error.location()?;
    let start = location.index();
    let digits = text.get(start..)?;
    let length = digits
        .char_indices()
        .take_while(|(i, c)| c.is_ascii_digit() || (*i == 0 && matches!(c, '-' | '+')))
        .count();
    if length == 0 {
        return None;
    }
    Some(format!(
        "{}\"{}\"{}",
        &text[..start],
        &digits[..length],
        &digits[length..]
    ))
}

/// Deeper `[`/`{` nesting than any real front matter needs.
const MAX_FLOW_DEPTH: usize = 64;

/// Refuses absurdly deep `[[[...` nesting before the parser sees it: the YAML scanner's time
/// grows with the square of the depth, so a small hostile note could stall a whole run.
fn check_flow_depth(text: &str) -> Result<(), YamlError> {
    let mut depth = 0usize;
    for (index, line) in text.lines().enumerate() {
        for (column, c) in line.chars().enumerate() {
            match c {
                '[' | '{' => depth += 1,
                ']' | '}' => depth = depth.saturating_sub(1),
                '#' | '"' | '\'' => break,
                _ => {}
            }
            if depth > MAX_FLOW_DEPTH {
                return Err(YamlError {
                    message: format!("nesting deeper than {MAX_FLOW_DEPTH} levels of `[` or `{{`"),
                    line: index + 1,
                    column: column + 1,
                });
            }
        }
    }
    Ok(())
}

/// Deserializes a YAML document into `T` (used for `vault.yaml`, a closed schema).
pub fn parse_typed<T: DeserializeOwned + Default>(text: &str) -> Result<T, YamlError> {
    if text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Ok(T::default());
    }
    serde_yaml::from_str(text).map_err(convert_error)
}

/// Turns the crate's error into a message and a position. The crate writes positions into
/// its message ("... at line 3 column 6, while parsing a flow sequence at line 2 column 7");
/// they are taken out, and when the error is inside a `[...]` or `{...}` the position of its
/// opening line is used, since that is where the mistake usually is.
fn convert_error(error: serde_yaml::Error) -> YamlError {
    let (mut line, mut column) = error
        .location()
        .map_or((1, 1), |loc| (loc.line(), loc.column()));
    let mut message = error.to_string();
    let mut marks = Vec::new();
    while let Some(start) = message.find(" at line ") {
        let rest = &message[start + " at line ".len()..];
        let mut numbers = rest
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty());
        let mark_line: usize = numbers.next().and_then(|n| n.parse().ok()).unwrap_or(line);
        let mark_column: usize = numbers
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(column);
        let end = rest.find(" column ").map_or(rest.len(), |i| {
            let after = &rest[i + " column ".len()..];
            i + " column ".len()
                + after
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(after.len())
        });
        marks.push((mark_line, mark_column));
        message = format!("{}{}", &message[..start], &rest[end..]);
    }
    if let [_, (context_line, context_column)] = marks[..] {
        if message.contains("while parsing a flow") {
            (line, column) = (context_line, context_column);
            message = message.replace(
                "while parsing a flow sequence",
                "in the `[` list opened here",
            );
            message = message.replace(
                "while parsing a flow mapping",
                "in the `{` mapping opened here",
            );
        }
    }
    YamlError {
        message,
        line,
        column,
    }
}

fn convert(value: serde_yaml::Value) -> Value {
    use serde_yaml::Value as Y;
    match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Y::String(s) => Value::String(s.into()),
        Y::Sequence(items) => Value::List(items.into_iter().map(convert).collect()),
        Y::Mapping(map) => Value::Map(
            map.into_iter()
                .map(|(k, v)| (key_text(k), convert(v)))
                .collect::<BTreeMap<_, _>>()
                .into(),
        ),
        Y::Tagged(tagged) => convert(tagged.value),
    }
}

fn key_text(key: serde_yaml::Value) -> String {
    match convert(key) {
        Value::Null => "null".into(),
        other => other
            .as_text()
            .unwrap_or_else(|| crate::value::json_text(&other)),
    }
}

/// Where a top-level key's value is written: 1-based line and column of the value (of the key
/// when the value is on later lines), and the length of the value as written on that line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyPosition {
    pub line: usize,
    pub column: usize,
    pub length: usize,
}

/// For the crate's "duplicate entry with key" error, the 1-based line of the key's second
/// top-level occurrence (the crate itself points at the start of the mapping).
pub fn duplicate_key_line(text: &str, message: &str) -> Option<usize> {
    let quoted = message.strip_prefix("duplicate entry with key ")?;
    let key: String = serde_json::from_str(quoted).ok()?;
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.starts_with([' ', '\t', '#', '-']))
        .filter(|(_, line)| split_key(line).is_some_and(|(k, _, _)| k == key))
        .nth(1)
        .map(|(index, _)| index + 1)
}

/// Where each top-level key of a YAML mapping is written. A cheap line scan, so diagnostics
/// can point at the offending field without a position-aware parser.
pub fn top_level_key_positions(text: &str) -> BTreeMap<String, KeyPosition> {
    let mut positions = BTreeMap::new();
    for (index, line) in text.lines().enumerate() {
        if line.starts_with([' ', '\t', '#', '-']) || line.trim().is_empty() {
            continue;
        }
        let Some((key, column, length)) = split_key(line) else {
            continue;
        };
        let position = KeyPosition {
            line: index + 1,
            column,
            length,
        };
        positions.entry(key).or_insert(position);
    }
    positions
}

/// Where `parent.child` is written when `parent` is a top-level block mapping (`reminders:`,
/// then an indented `ics: ...` line); `None` for other layouts (a flow mapping `{ ics: x }`).
pub fn nested_key_position(text: &str, parent: &str, child: &str) -> Option<KeyPosition> {
    let mut inside = false;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if !line.starts_with([' ', '\t']) {
            inside = split_key(line).is_some_and(|(key, _, _)| key == parent);
            continue;
        }
        if !inside {
            continue;
        }
        let indent = line.chars().count() - trimmed.chars().count();
        if let Some((key, column, length)) = split_key(trimmed) {
            if key == child {
                return Some(KeyPosition {
                    line: index + 1,
                    column: column + indent,
                    length,
                });
            }
        }
    }
    None
}

/// `key: value` -> (key, 1-based char column of the value and its length in chars; the key's
/// column and length when the value is on later lines).
fn split_key(line: &str) -> Option<(String, usize, usize)> {
    let key = crate::layout::key_line(line, 0)?;
    if key.value.is_empty() {
        let length = key.name.chars().count();
        return Some((key.name, 1, length));
    }
    let column = line[..key.value.start].chars().count() + 1;
    Some((key.name, column, line[key.value].chars().count()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_positions_inside_the_yaml_text() {
        let err = parse_value("name: a\ntags: [a, b\nstage: x\n").unwrap_err();
        assert_eq!((err.line, err.column), (2, 7), "{err:?}");
        assert!(!err.message.contains(" at line "), "{err:?}");
    }

    #[test]
    fn bounds_alias_bombs_and_deep_nesting() {
        let mut bomb = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
            .windows(2)
            .map(|w| (w[0], w[1]))
        {
            bomb.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        }
        assert!(parse_value(&bomb).is_err());
        let deep = format!("a: {}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse_value(&deep).is_err());
    }

    #[test]
    fn converts_scalars_and_keys() {
        let v = parse_value("n: 0x1DA9430\nt: yes\nd: 2026-11-02\n1: one\n").unwrap();
        let Value::Map(map) = v else { panic!() };
        assert_eq!(map.get("n").unwrap().clone(), Value::Int(31_102_000));
        assert_eq!(
            map.get("d").unwrap().clone(),
            Value::String("2026-11-02".into())
        );
        assert_eq!(map.get("1").unwrap().clone(), Value::String("one".into()));
    }

    #[test]
    fn integers_too_large_for_numbers_are_kept_as_text() {
        let v = parse_value("name: A\nphone: 123456789012345678901234567890\nids: [12345678901234567890123, 1]\ntier: A\n").unwrap();
        let Value::Map(map) = v else { panic!() };
        assert_eq!(
            map.get("phone").unwrap().clone(),
            Value::String("123456789012345678901234567890".into())
        );
        assert_eq!(
            map.get("ids").unwrap().clone(),
            Value::List(Box::new([
                Value::String("12345678901234567890123".into()),
                Value::Int(1)
            ]))
        );
        assert_eq!(map.get("tier").unwrap().clone(), Value::String("A".into()));
    }

    #[test]
    fn a_repeated_key_is_found_at_its_repeat() {
        let text = "name: a\nb: 1\nname: c\n";
        let error = parse_value(text).unwrap_err();
        assert_eq!(duplicate_key_line(text, &error.message), Some(3));
    }

    #[test]
    fn finds_top_level_keys() {
        let pos = top_level_key_positions(
            "name: Ana\nchannels:\n  email: x\n\"odd key\": 3 # c\nstage:   partner\n",
        );
        let at = |key: &str| (pos[key].line, pos[key].column, pos[key].length);
        assert_eq!(at("name"), (1, 7, 3));
        assert_eq!(at("channels"), (2, 1, 8));
        assert_eq!(at("odd key"), (4, 12, 1));
        assert_eq!(at("stage"), (5, 10, 7));
        assert!(!pos.contains_key("email"));
    }

    #[test]
    fn finds_a_key_inside_a_block_mapping() {
        let text =
            "ics: top\nreminders:\n  horizon: 7d\n  # ics: no\n  ics:  cal.ics\nother:\n  ics: x\n";
        let at = nested_key_position(text, "reminders", "ics").unwrap();
        assert_eq!((at.line, at.column, at.length), (5, 9, 7));
        assert!(nested_key_position("reminders: { ics: x }\n", "reminders", "ics").is_none());
    }
}

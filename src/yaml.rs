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

/// A note's front matter as read: its value, and the top-level keys written as a list or a
/// mapping, which no front-matter key can be.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontMatter {
    pub value: Value,
    pub collection_keys: Vec<CollectionKey>,
}

/// A top-level key written as a list or a mapping (`[a, b]: x`, `{k: v}: y`, `? [a]`). Its
/// entry is kept in the mapping under the key's JSON text (`["a","b"]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectionKey {
    /// The key as the mapping holds it: its JSON text.
    pub key: String,
    /// `a list` or `a mapping`.
    pub shape: &'static str,
    /// Where the key starts in the YAML text (1-based line and column, in characters) and how
    /// many characters a `[...]` or `{...}` on that line spans (1 otherwise); `None` when it
    /// could not be placed.
    pub at: Option<KeyPosition>,
}

/// Parses front matter as [`parse_value`] does, also naming the keys that are lists or
/// mappings. The fast path reads only plain word keys, so such keys always come from the crate.
pub fn parse_front_matter(text: &str) -> Result<FrontMatter, YamlError> {
    if let Some(value) = crate::yaml_fast::parse(text) {
        return Ok(FrontMatter {
            value,
            collection_keys: Vec::new(),
        });
    }
    let (parsed, read) = parse_crate_value(text)?;
    let collection_keys = collection_keys(&parsed, &read);
    Ok(FrontMatter {
        value: convert(parsed),
        collection_keys,
    })
}

/// [`parse_value`] through the YAML crate alone.
pub fn parse_with_crate(text: &str) -> Result<Value, YamlError> {
    parse_crate_value(text).map(|(parsed, _)| convert(parsed))
}

/// The crate's value of a document, and the text it was read from (`text`, with any integer
/// too large for a number in quotes).
fn parse_crate_value(
    text: &str,
) -> Result<(serde_yaml::Value, std::borrow::Cow<'_, str>), YamlError> {
    check_flow_depth(text)?;
    let mut text = std::borrow::Cow::Borrowed(text);
    // An integer too large for 128 bits (a phone number, say) fails the whole document in the
    // crate; it is kept as the text it was written as, and parsing goes on.
    for _ in 0..MAX_BIG_INTEGERS {
        match serde_yaml::from_str::<serde_yaml::Value>(&text) {
            Ok(parsed) => return Ok((parsed, text)),
            Err(error) => match quote_big_integer(&text, &error) {
                Some(quoted) => text = std::borrow::Cow::Owned(quoted),
                None => return Err(convert_error(error)),
            },
        }
    }
    let parsed = serde_yaml::from_str(&text).map_err(convert_error)?;
    Ok((parsed, text))
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

/// How many keys that are lists or mappings one document may have placed: each takes a parse
/// of its own, so a hostile note cannot make it quadratic. Later ones are placed nowhere.
const MAX_PLACED_KEYS: usize = 16;

/// The top-level keys of `parsed` that are lists or mappings, in the order written, each
/// placed in `text` (which it was read from).
fn collection_keys(parsed: &serde_yaml::Value, text: &str) -> Vec<CollectionKey> {
    let serde_yaml::Value::Mapping(map) = parsed else {
        return Vec::new();
    };
    map.keys()
        .filter_map(|key| {
            let shape = match key {
                serde_yaml::Value::Tagged(tagged) => collection_shape(&tagged.value),
                other => collection_shape(other),
            }?;
            Some((key, shape))
        })
        .enumerate()
        .map(|(nth, (key, shape))| CollectionKey {
            key: key_text(key.clone()),
            shape,
            at: (nth < MAX_PLACED_KEYS)
                .then(|| key_probe::place(text, nth))
                .flatten(),
        })
        .collect()
}

fn collection_shape(value: &serde_yaml::Value) -> Option<&'static str> {
    match value {
        serde_yaml::Value::Sequence(_) => Some("a list"),
        serde_yaml::Value::Mapping(_) => Some("a mapping"),
        _ => None,
    }
}

/// Where a top-level key that is a list or mapping starts. The crate's values carry no
/// positions, but its errors do: the document is read again by a visitor that stops with an
/// error at the `nth` such key, and the error's position is the key's.
mod key_probe {
    use super::KeyPosition;
    use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess};
    use std::fmt;

    /// The message of the error the probe stops with, told apart from the crate's own.
    const FOUND: &str = "vault: found the key";

    pub(super) fn place(text: &str, nth: usize) -> Option<KeyPosition> {
        let error = serde_yaml::Deserializer::from_str(text)
            .deserialize_any(TopLevel { nth })
            .err()?;
        if !error.to_string().starts_with(FOUND) {
            return None;
        }
        let location = error.location()?;
        let line_text = text.lines().nth(location.line().checked_sub(1)?)?;
        Some(KeyPosition {
            line: location.line(),
            column: location.column(),
            length: flow_length(line_text, location.column()),
        })
    }

    /// How many characters the `[...]` or `{...}` starting at `column` spans on its line;
    /// 1 when it does not start there or does not close on that line.
    fn flow_length(line: &str, column: usize) -> usize {
        let mut depth = 0usize;
        let mut quote = None;
        for (i, c) in line.chars().skip(column.saturating_sub(1)).enumerate() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') if i > 0 => quote = Some(c),
                (None, '[' | '{') => depth += 1,
                (None, ']' | '}') if depth > 1 => depth -= 1,
                (None, ']' | '}') if depth == 1 => return i + 1,
                _ if i == 0 => return 1,
                _ => {}
            }
        }
        1
    }

    /// The document: a mapping whose keys are probed one by one.
    struct TopLevel {
        nth: usize,
    }

    impl<'de> de::Visitor<'de> for TopLevel {
        type Value = ();

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a mapping")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut before = self.nth;
            while map.next_key_seed(Key(&mut before))?.is_some() {
                map.next_value::<IgnoredAny>()?;
            }
            Ok(())
        }
    }

    /// One key; the count of lists and mappings still to pass before the one to stop at.
    struct Key<'a>(&'a mut usize);

    impl<'de> DeserializeSeed<'de> for Key<'_> {
        type Value = ();

        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
            deserializer.deserialize_any(self)
        }
    }

    impl Key<'_> {
        /// Stops at the wanted key; passes an earlier one.
        fn collection<E: de::Error>(self) -> Result<(), E> {
            if *self.0 == 0 {
                return Err(E::custom(FOUND));
            }
            *self.0 -= 1;
            Ok(())
        }
    }

    impl<'de> de::Visitor<'de> for Key<'_> {
        type Value = ();

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a key")
        }

        fn visit_bool<E>(self, _: bool) -> Result<(), E> {
            Ok(())
        }

        fn visit_i64<E>(self, _: i64) -> Result<(), E> {
            Ok(())
        }

        fn visit_u64<E>(self, _: u64) -> Result<(), E> {
            Ok(())
        }

        fn visit_i128<E>(self, _: i128) -> Result<(), E> {
            Ok(())
        }

        fn visit_u128<E>(self, _: u128) -> Result<(), E> {
            Ok(())
        }

        fn visit_f64<E>(self, _: f64) -> Result<(), E> {
            Ok(())
        }

        fn visit_str<E>(self, _: &str) -> Result<(), E> {
            Ok(())
        }

        fn visit_unit<E>(self) -> Result<(), E> {
            Ok(())
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            self.collection()?;
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(())
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            self.collection()?;
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(())
        }
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
    fn keys_that_are_lists_or_mappings_are_named_and_placed() {
        let text = "name: A\n[a, b]: x\n? {k: v}: y\n{k: v}: z\n? - c\n  - d\n: w\n\"[q]\": ok\n";
        // The fast path reads word keys only: every such key comes from the crate.
        assert_eq!(crate::yaml_fast::parse(text), None);
        let read = parse_front_matter(text).unwrap();
        let found: Vec<_> = read
            .collection_keys
            .iter()
            .map(|k| {
                let at = k.at.unwrap();
                (k.key.as_str(), k.shape, at.line, at.column, at.length)
            })
            .collect();
        assert_eq!(
            found,
            [
                ("[\"a\",\"b\"]", "a list", 2, 1, 6),
                ("{\"{\\\"k\\\":\\\"v\\\"}\":\"y\"}", "a mapping", 3, 3, 6),
                ("{\"k\":\"v\"}", "a mapping", 4, 1, 6),
                ("[\"c\",\"d\"]", "a list", 5, 3, 1),
            ]
        );
        let Value::Map(map) = read.value else {
            panic!()
        };
        assert_eq!(map.get("[\"a\",\"b\"]"), Some(&Value::String("x".into())));
        assert_eq!(map.get("[q]"), Some(&Value::String("ok".into())));
        let plain = parse_front_matter("name: A\ntags: [a, b]\nx: {k: v}\n").unwrap();
        assert!(plain.collection_keys.is_empty());
    }

    #[test]
    fn only_so_many_such_keys_are_placed() {
        let text: String = (0..20).map(|i| format!("[k{i}]: v\n")).collect();
        let read = parse_front_matter(&text).unwrap();
        assert_eq!(read.collection_keys.len(), 20);
        assert_eq!(read.collection_keys[15].at.map(|at| at.line), Some(16));
        assert!(read.collection_keys[16..].iter().all(|k| k.at.is_none()));
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

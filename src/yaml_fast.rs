//! A fast path for the plain front matter most notes have, used only by [`crate::yaml`]:
//! `key: value` lines with plain or quoted scalars, one-line `[a, "b"]` lists, `- item` block
//! lists and one level of nested `key: value`, with comments. Anything else (anchors, tags,
//! multi-line scalars, escapes, numbers other than plain integers, ...) returns `None`, and the
//! YAML crate reads the document. Where it answers, it answers as the crate would: a property
//! test holds the two side by side.

use crate::value::Value;
use std::collections::BTreeMap;

/// The front matter as a value, or `None` when the document is outside the simple subset.
pub fn parse(text: &str) -> Option<Value> {
    // Characters YAML forbids or treats specially anywhere (tabs, controls, a BOM, `---`).
    let unusual = |c: char| {
        (c.is_control() && c != '\n' && c != '\r')
            || matches!(c, '\u{feff}' | '\u{fffe}' | '\u{ffff}')
    };
    if text.chars().any(unusual) || text.contains("\n---") || text.contains("\n...") {
        return None;
    }
    // A carriage return is a line break of its own in YAML unless a line feed follows it.
    if text
        .match_indices('\r')
        .any(|(i, _)| !text[i + 1..].starts_with('\n'))
    {
        return None;
    }
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut map = BTreeMap::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        if is_blank_or_comment(line) {
            continue;
        }
        if line.starts_with([' ', '\t']) || line.contains('\t') {
            return None;
        }
        let (key, rest) = split_key(line)?;
        let value = match scalar_or_flow(rest)? {
            Some(value) => value,
            None => {
                // Nothing after the colon: a block below, or null.
                let (value, next) = block(&lines, i)?;
                i = next;
                value
            }
        };
        if map.insert(key.to_string(), value).is_some() {
            return None; // a repeated key: the crate's error says where
        }
    }
    if map.is_empty() {
        return Some(Value::Null);
    }
    Some(Value::Map(map.into()))
}

fn is_blank_or_comment(line: &str) -> bool {
    let trimmed = line.trim_start_matches(' ');
    trimmed.is_empty() || trimmed.starts_with('#')
}

/// `key: rest` with a plain key of word characters.
fn split_key(line: &str) -> Option<(&str, &str)> {
    let colon = line.find(':')?;
    let key = &line[..colon];
    let rest = &line[colon + 1..];
    let plain_key = !key.is_empty()
        && key
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-'));
    if !plain_key || !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    // `True:` or `NULL:` are keys YAML reads as a boolean or null, not as text.
    if !matches!(plain_scalar(key, false), Some(Value::String(_))) {
        return None;
    }
    Some((key, rest))
}

/// The value after `key:`: `Some(Some(v))` for a scalar or flow list, `Some(None)` for
/// nothing (a block may follow), `None` outside the subset.
fn scalar_or_flow(rest: &str) -> Option<Option<Value>> {
    let rest = rest.trim_start_matches(' ');
    if rest.is_empty() || rest.starts_with('#') {
        return Some(None);
    }
    if let Some(list) = rest.strip_prefix('[') {
        return flow_list(list).map(Some);
    }
    let (value, after) = scalar(rest, false)?;
    only_comment(after).then_some(Some(value))
}

/// Spaces and an optional ` # comment` are all that may follow a value.
fn only_comment(after: &str) -> bool {
    let trimmed = after.trim_start_matches(' ');
    trimmed.is_empty() || (trimmed.starts_with('#') && (after.len() > trimmed.len()))
}

/// One scalar at the start of `text`; returns it and what follows. In a flow list (`in_flow`)
/// a plain scalar ends at `,` or `]`.
fn scalar(text: &str, in_flow: bool) -> Option<(Value, &str)> {
    if let Some(inner) = text.strip_prefix('"') {
        let end = inner.find('"')?;
        let content = &inner[..end];
        if content.contains('\\') {
            return None; // escapes: the crate knows them all
        }
        return Some((Value::String(content.into()), &inner[end + 1..]));
    }
    if let Some(inner) = text.strip_prefix('\'') {
        let mut content = String::new();
        let mut rest = inner;
        loop {
            let end = rest.find('\'')?;
            content.push_str(&rest[..end]);
            if rest[end + 1..].starts_with('\'') {
                content.push('\'');
                rest = &rest[end + 2..];
            } else {
                return Some((Value::String(content.into()), &rest[end + 1..]));
            }
        }
    }
    let stop = |c: char| in_flow && matches!(c, ',' | ']');
    let end = text
        .char_indices()
        .find(|&(i, c)| stop(c) || (c == '#' && text[..i].ends_with(' ')))
        .map_or(text.len(), |(i, _)| i);
    let plain = text[..end].trim_end_matches(' ');
    Some((plain_scalar(plain, in_flow)?, &text[plain.len()..]))
}

/// A plain scalar typed as the crate types it, or `None` where the subset does not decide.
fn plain_scalar(text: &str, in_flow: bool) -> Option<Value> {
    let first = text.chars().next()?;
    let special = "-?:,[]{}#&*!|>'\"%@`.+";
    if special.contains(first) || text.contains(": ") || text.ends_with(':') {
        return None;
    }
    if in_flow && text.contains([':', '{', '}', '[']) {
        return None;
    }
    match text {
        "null" | "Null" | "NULL" | "~" => return Some(Value::Null),
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        _ => {}
    }
    if first.is_ascii_digit() {
        let bytes = text.as_bytes();
        // `2026-11-02`, or with a time after it: no number looks like that, so it is text.
        let is_date = bytes.len() >= 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes[..10]
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if is_date {
            return Some(Value::String(text.into()));
        }
        // A letter no number can hold (`2w`, `10d`): text.
        let number_char =
            |c: char| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-' | '_' | ':');
        if !text.starts_with("0x") && !text.starts_with("0o") && !text.chars().all(number_char) {
            return Some(Value::String(text.into()));
        }
        let is_int = (text == "0" || (first != '0' && text.len() <= 18))
            && text.bytes().all(|b| b.is_ascii_digit());
        if !is_int {
            return None;
        }
        return text.parse().ok().map(Value::Int);
    }
    Some(Value::String(text.into()))
}

/// `a, "b", c]` (after the `[`) and nothing but a comment after the `]`.
fn flow_list(text: &str) -> Option<Value> {
    let mut items = Vec::new();
    let mut rest = text.trim_start_matches(' ');
    if let Some(after) = rest.strip_prefix(']') {
        return only_comment(after).then_some(Value::List(items.into()));
    }
    loop {
        let (item, after) = scalar(rest, true)?;
        items.push(item);
        let after = after.trim_start_matches(' ');
        if let Some(next) = after.strip_prefix(',') {
            rest = next.trim_start_matches(' ');
            if rest.starts_with(']') {
                return None; // a trailing comma: leave it to the crate
            }
        } else if let Some(end) = after.strip_prefix(']') {
            return only_comment(end).then_some(Value::List(items.into()));
        } else {
            return None;
        }
    }
}

/// The block under a key that has no value on its line, from line `i`: `- item` lines (at any
/// one indentation, also none) or indented `key: value` lines; null when neither follows.
/// Returns the value and the first line after the block.
fn block(lines: &[&str], i: usize) -> Option<(Value, usize)> {
    let Some((first, indent, content)) = significant(lines, i) else {
        return Some((Value::Null, lines.len()));
    };
    if is_item(content) {
        return list_block(lines, first, indent);
    }
    if indent == 0 {
        return Some((Value::Null, first));
    }
    map_block(lines, first, indent)
}

/// The next line from `i` that is neither blank nor a comment: its index, its indentation and
/// the text after the indentation.
fn significant<'a>(lines: &[&'a str], i: usize) -> Option<(usize, usize, &'a str)> {
    let j = (i..lines.len()).find(|&j| !is_blank_or_comment(lines[j]))?;
    let content = lines[j].trim_start_matches(' ');
    Some((j, lines[j].len() - content.len(), content))
}

fn is_item(content: &str) -> bool {
    content.starts_with("- ") || content == "-"
}

/// `- item` lines at `indent`, from line `i`.
fn list_block(lines: &[&str], mut i: usize, indent: usize) -> Option<(Value, usize)> {
    let mut items = Vec::new();
    while let Some((j, this_indent, content)) = significant(lines, i) {
        i = j;
        if this_indent != indent || !is_item(content) {
            if this_indent > indent {
                return None; // a continuation or a nested block
            }
            return Some((Value::List(items.into()), i));
        }
        let item = content[1..].trim_start_matches(' ');
        if item.is_empty() || item.starts_with('#') {
            items.push(Value::Null);
        } else if item.starts_with('[') {
            return None;
        } else {
            let (value, after) = scalar(item, false)?;
            if !only_comment(after) {
                return None;
            }
            items.push(value);
        }
        i += 1;
    }
    Some((Value::List(items.into()), lines.len()))
}

/// One level of `key: value` lines at `indent`, from line `i`.
fn map_block(lines: &[&str], mut i: usize, indent: usize) -> Option<(Value, usize)> {
    let mut map = BTreeMap::new();
    while let Some((j, this_indent, content)) = significant(lines, i) {
        i = j;
        if this_indent < indent {
            return Some((Value::Map(map.into()), i));
        }
        if this_indent > indent {
            return None;
        }
        let (key, rest) = split_key(content)?;
        // An empty value is null; a deeper block under it is left to the crate.
        let value = scalar_or_flow(rest)?.unwrap_or(Value::Null);
        if map.insert(key.to_string(), value).is_some() {
            return None;
        }
        i += 1;
    }
    Some((Value::Map(map.into()), lines.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What the YAML crate reads, through the same conversion as the slow path.
    fn slow(text: &str) -> Option<Value> {
        crate::yaml::parse_with_crate(text).ok()
    }

    #[test]
    fn reads_a_typical_partner_note() {
        let text = "# who\nname: \"Ana López\"   # full\naliases: [Ana, 'A. L.']\nstage: partner\ntier: A\nsince: 2019-09-04\nn: 12\nflag: true\nempty:\nchannels:\n  twitter: \"@ana\"\n  email: ana@example.com\ntags:\n  - seo\n  - video\n";
        let fast = parse(text).expect("in the subset");
        assert_eq!(Some(fast), slow(text));
    }

    #[test]
    fn leaves_the_rest_to_the_crate() {
        for text in [
            "a: &x 1\nb: *x\n",
            "a: \"esc\\n\"\n",
            "a: 1.5\n",
            "a: 0x1f\n",
            "a: |\n  text\n",
            "a: [1, [2]]\n",
            "a: b: c\n",
            "a: x\n  continued\n",
            "a: 1\na: 2\n",
            "- top level list\n",
            "a:\n  - b: c\n",
        ] {
            assert_eq!(parse(text), None, "{text:?}");
        }
    }

    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z_]{1,6}: [a-zA-Z0-9 @.,:#'\"\\-\\[\\]~]{0,16}",
            "(True|NULL|Null|false|FALSE|null|tRue|nul|[A-Z][a-z]{0,4}): [a-z]{1,4}",
            "[a-z_]{1,6}: \\[[a-zA-Z0-9 ,'\"]{0,14}\\]( #.*)?",
            "[a-z_]{1,6}:\n(  - [a-zA-Z0-9 \"']{0,8}\n){0,3}",
            "[a-z_]{1,6}:\n(  [a-z]{1,4}: [a-zA-Z0-9 \"']{0,8}\n){0,3}",
            "[a-z_]{1,6}:\n(  [a-z]{1,4}:( [a-z]{1,3})?\n(    - x\n)?){0,3}",
            "(true|False|NULL|~|007|12|-3|2026-11-02|2026-13-45|yes|2026-11-02 10:00|2026-11-02T10:00:00Z|2026-11-02x|2026-11-0|2w|10d|1e3|1_0|0x1f|0o7|12:30|1.5|3m)"
                .prop_map(|v| format!("k: {v}")),
            "#[ -~]{0,10}",
            Just(String::new()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        /// Wherever the fast path answers, the crate gives the same value.
        #[test]
        fn agrees_with_the_crate(pieces in proptest::collection::vec(piece(), 0..8), crlf in any::<bool>()) {
            let mut text = pieces.join("\n") + "\n";
            if crlf {
                text = text.replace('\n', "\r\n");
            }
            if let Some(fast) = parse(&text) {
                prop_assert_eq!(Some(fast), slow(&text), "{:?}", text);
            }
        }
    }
}

//! Data shown to people in a terminal: control characters escaped (as git and ls do) so that a
//! note cannot retitle, clear or recolour the terminal, and long values shortened in messages.

use std::borrow::Cow;

/// True for characters that must not reach a terminal as they are: C0 controls other than tab,
/// DEL, C1 controls, and the bidirectional controls that reorder what is shown (U+202E).
fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Whether `text` holds an [`is_unsafe`] character: printable ASCII, tabs and line breaks (most
/// of a page) are skipped byte by byte, and only the other characters are decoded and tested.
fn has_unsafe(text: &str) -> bool {
    let bytes = text.as_bytes();
    let plain = |b: &u8| (b' '..=b'~').contains(b) || *b == b'\t' || *b == b'\n';
    let mut at = 0;
    while let Some(skip) = bytes[at..].iter().position(|b| !plain(b)) {
        at += skip;
        let c = text[at..].chars().next().unwrap_or_default();
        if is_unsafe(c) {
            return true;
        }
        at += c.len_utf8();
    }
    false
}

/// `text` with every unsafe character written as an escape: `\x1b` for ESC, `\u{202e}` for a
/// right-to-left override. Line breaks are kept; callers that print one line use [`line`].
pub fn clean(text: &str) -> Cow<'_, str> {
    if !has_unsafe(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !is_unsafe(c) {
            out.push(c);
        } else if (c as u32) < 0x100 {
            out.push_str(&format!("\\x{:02x}", c as u32));
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    Cow::Owned(out)
}

/// [`clean`], with line breaks escaped too: for a value shown inside one line.
pub fn line(text: &str) -> Cow<'_, str> {
    if !text.contains(['\n', '\r']) {
        return clean(text);
    }
    Cow::Owned(clean(&text.replace('\r', "\\r").replace('\n', "\\n")).into_owned())
}

/// `text` in an ANSI style (`1` bold, `31` red, ...) when color is on; the only place the
/// tool itself sends escape codes. Data in `text` must be cleaned first.
pub fn paint(color: bool, style: &str, text: &str) -> String {
    if color {
        format!("\x1b[{style}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// How many characters of a value a message shows.
const MAX_SHOWN: usize = 80;

/// A value cut to a readable length for a message, and cleaned: `aaaa…` past 80 characters.
pub fn short(text: &str) -> String {
    let cleaned = line(text);
    if cleaned.chars().count() <= MAX_SHOWN {
        cleaned.into_owned()
    } else {
        cleaned.chars().take(MAX_SHOWN).collect::<String>() + "…"
    }
}

/// Orders two names alphabetically ignoring case (`Zoë` after `ana`), without making lowercase
/// copies.
pub fn cmp_ignoring_case(a: &str, b: &str) -> std::cmp::Ordering {
    if a.is_ascii() && b.is_ascii() {
        // The same order, an order of magnitude faster: most names are ASCII.
        return a
            .bytes()
            .map(|c| c.to_ascii_lowercase())
            .cmp(b.bytes().map(|c| c.to_ascii_lowercase()));
    }
    a.chars()
        .flat_map(char::to_lowercase)
        .cmp(b.chars().flat_map(char::to_lowercase))
}

/// `7985` as `7,985`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_order_alike_ignoring_case_ascii_or_not() {
        use std::cmp::Ordering::*;
        for (a, b, want) in [
            ("ana", "Ben", Less),
            ("Zoë", "zoe", Greater),
            ("ZOË", "zoë", Equal),
            ("Émile", "emile", Greater),
            ("Ana", "ana", Equal),
            ("abc", "ab", Greater),
        ] {
            assert_eq!(cmp_ignoring_case(a, b), want, "{a} {b}");
            let lower = |s: &str| s.to_lowercase();
            assert_eq!(lower(a).cmp(&lower(b)), want, "{a} {b}");
        }
    }

    #[test]
    fn escapes_what_would_drive_the_terminal() {
        assert_eq!(
            clean("Ana\u{1b}]0;pwned\u{7}\u{1b}[2J"),
            "Ana\\x1b]0;pwned\\x07\\x1b[2J"
        );
        assert_eq!(clean("a\u{9b}b\u{202e}c\u{7f}"), "a\\x9bb\\u{202e}c\\x7f");
        assert!(matches!(clean("Zoë\tÅngström\n"), Cow::Borrowed(_)));
        assert_eq!(line("two\r\nlines"), "two\\r\\nlines");
    }

    #[test]
    fn the_byte_scan_finds_what_the_character_test_finds() {
        let samples = [
            "",
            "Ana",
            "Zoë\tÅngström\n",
            "a\u{1b}",
            "\u{7f}",
            "é\u{85}",
            "\u{9f}x",
            "x\u{200e}",
            "\u{200f}",
            "\u{061c}",
            "\u{202a}",
            "\u{202e}",
            "\u{2066}",
            "\u{2069}",
            "\u{2065}\u{2070}\u{202f}",
            "日本\r",
            "🙂 ok",
            "\u{a0}\u{ff}",
        ];
        for sample in samples {
            assert_eq!(
                has_unsafe(sample),
                sample.chars().any(is_unsafe),
                "{sample:?}"
            );
        }
        for code in 0..0x3000 {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let text = format!("é{c}a");
            assert_eq!(has_unsafe(&text), is_unsafe(c), "{code:x}");
        }
    }

    #[test]
    fn shortens_long_values() {
        let long = "x".repeat(5_086);
        let shown = short(&long);
        assert_eq!(shown.chars().count(), 81);
        assert!(shown.ends_with('…'));
        assert_eq!(short("Ana"), "Ana");
    }
}

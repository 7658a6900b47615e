//! File-name slugs for new notes: `Zoë Ångström` -> `zoe-angstrom`. Accents are folded to
//! ASCII (NFD, then the combining marks dropped; a few letters that do not decompose, such as
//! `ø` and `ß`, mapped by hand); letters without an ASCII form (Cyrillic, CJK) are kept.
//!
//! This is not [`crate::reminders::slug`], which keeps accents: calendar UIDs made from it must
//! not change.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The longest slug, in characters; longer ones are cut (at a `-` when there is one), so the
/// file name stays well under the 255 bytes file systems allow.
pub const MAX_CHARS: usize = 80;

/// Lowercase letters and digits with accents folded to ASCII; every other run of characters
/// becomes one `-`, none at either end. Empty when `text` has no letter or digit.
pub fn slug(text: &str) -> String {
    let lower: String = text.chars().flat_map(char::to_lowercase).collect();
    let mut out = String::new();
    for c in lower.nfd().filter(|&c| !is_combining_mark(c)) {
        match fold(c) {
            Some(ascii) => out.push_str(ascii),
            None if c.is_alphanumeric() => out.push(c),
            None => {
                if !out.is_empty() && !out.ends_with('-') {
                    out.push('-');
                }
            }
        }
    }
    cut(out.trim_end_matches('-'))
}

/// Lowercase letters that NFD leaves whole, as ASCII.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'ø' => "o",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ł' => "l",
        'đ' | 'ð' => "d",
        'þ' => "th",
        'ħ' => "h",
        'ŧ' => "t",
        'ı' => "i",
        'ŀ' => "l",
        'ĸ' => "k",
        'ŋ' => "n",
        _ => return None,
    })
}

/// `slug` cut to [`MAX_CHARS`] characters, at the last `-` within them when there is one.
fn cut(slug: &str) -> String {
    if slug.chars().count() <= MAX_CHARS {
        return slug.to_string();
    }
    let head: String = slug.chars().take(MAX_CHARS).collect();
    match head.rfind('-') {
        Some(dash) if dash > 0 => head[..dash].to_string(),
        _ => head,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_fold_to_ascii() {
        assert_eq!(slug("Zoë Ångström"), "zoe-angstrom");
        assert_eq!(slug("Tomás Ferreira (Pod)"), "tomas-ferreira-pod");
        assert_eq!(slug("  Ana   López  "), "ana-lopez");
        assert_eq!(slug("François Müller-Çelik"), "francois-muller-celik");
        assert_eq!(slug("Đorđe Łukasz"), "dorde-lukasz");
        // Already decomposed (as macOS writes file names) gives the same.
        assert_eq!(slug("Zoe\u{308} A\u{30a}ngstro\u{308}m"), "zoe-angstrom");
        // A capital that lowercases to a letter and a mark.
        assert_eq!(slug("İpek"), "ipek");
    }

    #[test]
    fn letters_that_do_not_decompose_are_mapped() {
        assert_eq!(slug("Søren Ørsted"), "soren-orsted");
        assert_eq!(slug("Straße"), "strasse");
        assert_eq!(slug("Æsir Œuvre"), "aesir-oeuvre");
        assert_eq!(slug("Þór Ðað"), "thor-dad");
    }

    #[test]
    fn other_characters_become_single_dashes() {
        assert_eq!(slug("A/B"), "a-b");
        assert_eq!(slug("Ana & Ben's Pod!!"), "ana-ben-s-pod");
        assert_eq!(slug("--Ana--"), "ana");
        assert_eq!(slug("R2-D2 Podcast 2026"), "r2-d2-podcast-2026");
        assert_eq!(slug("Ana 🎙 Pod"), "ana-pod");
    }

    #[test]
    fn letters_without_an_ascii_form_are_kept() {
        assert_eq!(slug("Иван Петров"), "иван-петров");
        assert_eq!(slug("中村 Yuki"), "中村-yuki");
    }

    #[test]
    fn no_letter_or_digit_is_empty() {
        assert_eq!(slug(""), "");
        assert_eq!(slug("  "), "");
        assert_eq!(slug("🎙🎙"), "");
        assert_eq!(slug("---"), "");
        assert_eq!(slug("\u{301}"), "");
    }

    #[test]
    fn long_names_are_cut_at_a_dash() {
        let long = "word ".repeat(40);
        let cut = slug(&long);
        assert!(cut.chars().count() <= MAX_CHARS, "{cut}");
        assert!(
            cut.starts_with("word-word") && cut.ends_with("word"),
            "{cut}"
        );
        let one = "a".repeat(200);
        assert_eq!(slug(&one), "a".repeat(MAX_CHARS));
    }
}

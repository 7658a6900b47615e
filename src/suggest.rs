//! "Did you mean ...?": the closest known word to a misspelt one, for a handful of choices
//! ([`closest`]) or for every name of a large vault ([`Index`]).

use rustc_hash::{FxHashMap, FxHashSet};
use std::borrow::Cow;

/// The largest number of edits still taken for a typo of a word of this many characters.
fn edit_limit(chars: usize) -> usize {
    match chars {
        0..=2 => 0,
        3..=5 => 1,
        _ => 2,
    }
}

/// The candidate closest to `word` (case-insensitive, counting transpositions), if it is close
/// enough to be a likely typo: one edit for short words, two for longer ones.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.trim().to_lowercase();
    let length = word.chars().count();
    let limit = edit_limit(length);
    candidates
        .into_iter()
        // More edits than the limit are needed when the lengths differ by more.
        .filter(|candidate| candidate.chars().count().abs_diff(length) <= limit)
        .map(|candidate| {
            let distance = strsim::osa_distance(&word, &candidate.to_lowercase());
            (distance, candidate)
        })
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, candidate)| (*distance, *candidate))
        .map(|(_, candidate)| candidate)
}

/// "did you mean `x`?" when a close candidate exists, else the list of valid choices.
pub fn hint_for(word: &str, candidates: &[String], what: &str) -> String {
    match closest(word, candidates.iter().map(String::as_str)) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("{what} are: {}", candidates.join(", ")),
    }
}

/// Many spellings, indexed so that a lookup compares only the few that could be close: those of
/// a near length whose letters nearly match. A vault with thousands of partners and hundreds of
/// broken links pays for a few comparisons per link, not for every name.
pub struct Index<'a> {
    spellings: Vec<Spelling<'a>>,
    /// Character count -> the spellings of that length.
    by_length: FxHashMap<usize, Vec<usize>>,
}

struct Spelling<'a> {
    shown: &'a str,
    lower: Cow<'a, str>,
    letters: LetterCounts,
}

/// How often each character occurs, folded into 32 buckets. One edit changes the counts by at
/// most 2 in total, so counts further apart than twice the edit limit rule a candidate out.
#[derive(Clone, Copy)]
struct LetterCounts([u8; 32]);

impl LetterCounts {
    fn of(text: &str) -> LetterCounts {
        let mut counts = [0u8; 32];
        for c in text.chars() {
            let bucket = &mut counts[(c as usize) % 32];
            *bucket = bucket.saturating_add(1);
        }
        LetterCounts(counts)
    }

    fn distance(&self, other: &LetterCounts) -> usize {
        self.0
            .iter()
            .zip(&other.0)
            .map(|(a, b)| a.abs_diff(*b) as usize)
            .sum()
    }
}

impl<'a> Index<'a> {
    pub fn new(spellings: impl IntoIterator<Item = &'a str>) -> Index<'a> {
        let spellings = spellings.into_iter();
        let mut seen =
            FxHashSet::with_capacity_and_hasher(spellings.size_hint().0, Default::default());
        let mut index = Index {
            spellings: Vec::with_capacity(spellings.size_hint().0),
            by_length: FxHashMap::default(),
        };
        for shown in spellings.filter(|&shown| seen.insert(shown)) {
            let lower = if shown
                .bytes()
                .any(|b| !b.is_ascii() || b.is_ascii_uppercase())
            {
                Cow::Owned(shown.to_lowercase())
            } else {
                Cow::Borrowed(shown)
            };
            index
                .by_length
                .entry(lower.chars().count())
                .or_default()
                .push(index.spellings.len());
            index.spellings.push(Spelling {
                shown,
                letters: LetterCounts::of(&lower),
                lower,
            });
        }
        index
    }

    /// The spelling closest to `word` within the typo limit, if any (ties: alphabetical).
    pub fn closest(&self, word: &str) -> Option<&'a str> {
        let word = word.trim().to_lowercase();
        let limit = edit_limit(word.chars().count());
        self.plausible(&word, limit)
            .map(|s| (strsim::osa_distance(&word, &s.lower), s))
            .filter(|(distance, _)| *distance <= limit)
            .min_by(|(da, a), (db, b)| (da, a.shown).cmp(&(db, b.shown)))
            .map(|(_, s)| s.shown)
    }

    /// The spellings that could be within `limit` edits of `word` (lowercase): a near length
    /// and nearly the same letters. Only these are compared edit by edit.
    fn plausible(&self, word: &str, limit: usize) -> impl Iterator<Item = &Spelling<'a>> {
        let length = word.chars().count();
        let letters = LetterCounts::of(word);
        // A word too short for a typo (limit 0) has nothing to suggest.
        let lengths = (limit > 0).then(|| length.saturating_sub(limit)..=length + limit);
        lengths
            .into_iter()
            .flatten()
            .filter_map(|len| self.by_length.get(&len))
            .flatten()
            .map(|&i| &self.spellings[i])
            .filter(move |s| s.letters.distance(&letters) <= 2 * limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_words_only() {
        let stages = [
            "prospect",
            "acquaintance",
            "nurturing",
            "partner",
            "dormant",
        ];
        assert_eq!(closest("partnr", stages), Some("partner"));
        assert_eq!(closest("nurtring", stages), Some("nurturing"));
        assert_eq!(closest("Partner", stages), Some("partner"));
        assert_eq!(closest("lead", stages), None);
        assert_eq!(closest("tgas", ["tags", "stage"]), Some("tags"));
        assert_eq!(closest("date", ["name", "next"]), None);
    }

    #[test]
    fn the_index_agrees_with_a_full_comparison() {
        let names = [
            "Steve Rayson",
            "Steven Rayson",
            "Priya Raman",
            "Ana",
            "Zoë Ångström",
            "Jon Park",
            "Joan Park",
        ];
        let index = Index::new(names);
        for word in [
            "Steve Raysn",
            "Stevn Rayson",
            "Priya Rmana",
            "Anna",
            "zoe Ångström",
            "Jon Prak",
            "Nobody",
            "Jo",
            "",
        ] {
            assert_eq!(index.closest(word), closest(word, names), "{word}");
        }
    }

    #[test]
    fn a_lookup_compares_only_a_few_of_many_names() {
        // 8,192 two-word names, as in a large vault.
        let first = [
            "Ana", "Ben", "Chloë", "Dev", "Eve", "Finn", "Gus", "Hana", "Ivo", "Jon", "Kai",
            "Lena", "Mia", "Noor", "Omar", "Priya",
        ];
        let syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo"];
        let mut names = Vec::new();
        for f in first {
            for a in syllables {
                for b in syllables {
                    for c in syllables {
                        names.push(format!("{f} {}{}{b}{c}", a[..1].to_uppercase(), &a[1..]));
                    }
                }
            }
        }
        let index = Index::new(names.iter().map(String::as_str));
        let compared = index.plausible("jon vonesa", 2).count();
        assert!(
            compared * 20 < names.len(),
            "{compared} of {} names compared",
            names.len()
        );
        assert_eq!(index.closest("Jon Vonesaa"), Some("Jon Vonesa"));
    }
}

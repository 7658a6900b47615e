//! Give to get, partner to partner: introductions logged (`- 2026-11-20 intro: [[Kwame Asante]]
//! to [[Rachel Brandt]] for her speaker slot`), counted as a *gave* for every partner they
//! involve, and introductions suggested where one partner seeks what another offers.

use crate::config::DORMANT;
use crate::markdown::{self, LinkForm};
use crate::partner::Partner;
use crate::resolve::{self, LinkSource, Resolver, Target};
use crate::vault::Vault;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// The Log kind of an introduction.
pub const INTRO: &str = "intro";

/// One introduction: its day and every partner in it (the note's own and those it links).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Introduction {
    pub date: NaiveDate,
    pub partners: Vec<usize>,
}

/// Every introduction logged in the vault, each once however many notes record it (the same
/// day and partners is the same introduction: `vault intro` writes it in both notes).
pub fn logged(partners: &[Box<Partner>], resolver: &Resolver) -> Vec<Introduction> {
    let mut found = BTreeSet::new();
    for (index, partner) in partners.iter().enumerate() {
        let source = LinkSource::new(&partner.path);
        for entry in partner.log.iter().filter(|e| e.is(INTRO)) {
            let mut involved: Vec<usize> = markdown::links_in(entry.text)
                .iter()
                .filter_map(|target| {
                    match resolver.resolve(target, LinkForm::Wiki, &source).target {
                        Target::Partner(p) => Some(p),
                        _ => None,
                    }
                })
                .chain(std::iter::once(index))
                .collect();
            involved.sort_unstable();
            involved.dedup();
            found.insert(Introduction {
                date: entry.date,
                partners: involved,
            });
        }
    }
    found.into_iter().collect()
}

/// What the introductions add to each partner's reciprocity: gaves within the window since
/// `window_start`, and the newest introduction up to today.
pub fn credits(
    introductions: &[Introduction],
    partners: usize,
    window_start: NaiveDate,
    today: NaiveDate,
) -> Vec<(usize, Option<NaiveDate>)> {
    let mut credits = vec![(0, None); partners];
    for intro in introductions.iter().filter(|i| i.date <= today) {
        for &p in &intro.partners {
            let (count, last) = &mut credits[p];
            if intro.date >= window_start {
                *count += 1;
            }
            *last = (*last).max(Some(intro.date));
        }
    }
    credits
}

/// How a seek met an offer, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Match {
    /// The same words.
    Exact,
    /// The same words once endings are taken off (`speakers`, `speaking`), or one's words
    /// among the other's (`speakers` in `speaking at events`).
    Stemmed,
    /// What one seeks is a tag of the other.
    Tag,
}

impl Match {
    fn weight(self) -> u32 {
        match self {
            Match::Exact => 30,
            Match::Stemmed => 20,
            Match::Tag => 10,
        }
    }
}

/// One partner's need met by another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Need {
    pub seeker: usize,
    pub seeks: String,
    pub giver: usize,
    /// The offer (or tag) that meets it.
    pub offers: String,
    pub how: Match,
}

/// A suggested introduction of two partners.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// The two partners, in index order.
    pub pair: (usize, usize),
    pub score: u32,
    /// What each seeks that the other offers (one or both ways).
    pub needs: Vec<Need>,
    pub shared_tags: Vec<String>,
    /// In words: "Rachel Brandt seeks speakers; Kwame Asante offers speaking; both tagged ..."
    pub why: String,
}

const STOP_WORDS: [&str; 10] = ["a", "an", "and", "at", "for", "in", "of", "on", "the", "to"];

/// The words of an offer, seek or tag, lowercased, without stop words, endings taken off.
pub fn stems(text: &str) -> Vec<String> {
    let mut words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| !w.is_empty() && !STOP_WORDS.contains(&w.as_str()))
        .map(|w| stem(&w))
        .collect();
    words.sort();
    words.dedup();
    words
}

/// A small stemmer: the common English endings of nouns and verbs, keeping at least three
/// letters (`speakers`, `speaking`, `speaker` -> `speak`; `sponsorship` -> `sponsor`).
pub fn stem(word: &str) -> String {
    const ENDINGS: [&str; 9] = [
        "ships", "ship", "ings", "ing", "ers", "er", "ies", "es", "s",
    ];
    for ending in ENDINGS {
        if let Some(rest) = word.strip_suffix(ending) {
            if rest.chars().count() >= 3 {
                return if ending == "ies" {
                    format!("{rest}y")
                } else {
                    rest.to_string()
                };
            }
        }
    }
    word.to_string()
}

/// How `seek` is met by `offer`, if it is.
fn meets(seek: &str, offer: &str) -> Option<Match> {
    if resolve::key(seek) == resolve::key(offer) {
        return Some(Match::Exact);
    }
    let (s, o) = (stems(seek), stems(offer));
    if s.is_empty() || o.is_empty() {
        return None;
    }
    let within = |a: &[String], b: &[String]| a.iter().all(|w| b.contains(w));
    (within(&s, &o) || within(&o, &s)).then_some(Match::Stemmed)
}

/// The pairs that should not be suggested: those that know each other (`knows:` either way)
/// and those already introduced (at any time).
fn excluded(
    vault: &Vault,
    resolver: &Resolver,
    introductions: &[Introduction],
) -> HashSet<(usize, usize)> {
    let mut pairs = HashSet::new();
    let ordered = |a: usize, b: usize| (a.min(b), a.max(b));
    for (index, partner) in vault.partners.iter().enumerate() {
        let source = LinkSource::new(&partner.path);
        for known in &partner.knows {
            if let Target::Partner(other) = resolver.resolve(known, LinkForm::Wiki, &source).target
            {
                pairs.insert(ordered(index, other));
            }
        }
    }
    for intro in introductions {
        for (i, &a) in intro.partners.iter().enumerate() {
            for &b in &intro.partners[i + 1..] {
                pairs.insert(ordered(a, b));
            }
        }
    }
    pairs
}

/// Suggested introductions, best first: pairs where one partner seeks what the other offers
/// (or is tagged), neither dormant, not knowing each other already and never introduced;
/// scored by how well the need is met, shared tags, and the strength of both relationships.
pub fn suggest(vault: &Vault) -> Vec<Suggestion> {
    if vault.partners.iter().all(|p| p.seeks.is_empty()) {
        return Vec::new();
    }
    let resolver = vault.resolver(&[]);
    let introductions = logged(&vault.partners, &resolver);
    let excluded = excluded(vault, &resolver, &introductions);
    let active = |i: usize| vault.partners[i].stage.as_deref() != Some(DORMANT);
    // Who offers (or is tagged) what, by each stemmed word: the candidates for a seek.
    let mut by_word: HashMap<String, BTreeSet<usize>> = HashMap::new();
    for (i, p) in vault
        .partners
        .iter()
        .enumerate()
        .filter(|(i, _)| active(*i))
    {
        for item in p.offers.iter().chain(p.tags.iter()) {
            for word in stems(item) {
                by_word.entry(word).or_default().insert(i);
            }
        }
    }
    let mut needs: BTreeMap<(usize, usize), Vec<Need>> = BTreeMap::new();
    for (seeker, p) in vault
        .partners
        .iter()
        .enumerate()
        .filter(|(i, _)| active(*i))
    {
        for seek in &p.seeks {
            let candidates: BTreeSet<usize> = stems(seek)
                .iter()
                .filter_map(|w| by_word.get(w))
                .flatten()
                .copied()
                .collect();
            for giver in candidates {
                let pair = (seeker.min(giver), seeker.max(giver));
                if giver == seeker || excluded.contains(&pair) {
                    continue;
                }
                if let Some(need) = best_need(vault, seeker, seek, giver) {
                    needs.entry(pair).or_default().push(need);
                }
            }
        }
    }
    let mut suggestions: Vec<Suggestion> = needs
        .into_iter()
        .map(|(pair, mut needs)| {
            needs.sort_by(|a, b| (a.how, a.seeker, &a.seeks).cmp(&(b.how, b.seeker, &b.seeks)));
            needs.dedup_by(|a, b| a.seeker == b.seeker && a.seeks == b.seeks);
            suggestion(vault, pair, needs)
        })
        .collect();
    suggestions.sort_by(|a, b| {
        let names = |s: &Suggestion| {
            (
                resolve::key(&vault.partners[s.pair.0].name),
                resolve::key(&vault.partners[s.pair.1].name),
            )
        };
        b.score.cmp(&a.score).then_with(|| names(a).cmp(&names(b)))
    });
    suggestions
}

/// The best way `giver` meets `seeker`'s `seek`: an offer, else a tag.
fn best_need(vault: &Vault, seeker: usize, seek: &str, giver: usize) -> Option<Need> {
    let g = &vault.partners[giver];
    let offered = g
        .offers
        .iter()
        .filter_map(|offer| meets(seek, offer).map(|how| (how, offer)))
        .min();
    let (how, offers) = offered.or_else(|| {
        g.tags
            .iter()
            .find(|tag| meets(seek, tag).is_some())
            .map(|tag| (Match::Tag, tag))
    })?;
    Some(Need {
        seeker,
        seeks: seek.to_string(),
        giver,
        offers: offers.to_string(),
        how,
    })
}

fn suggestion(vault: &Vault, pair: (usize, usize), needs: Vec<Need>) -> Suggestion {
    let (a, b) = (&vault.partners[pair.0], &vault.partners[pair.1]);
    let shared_tags: Vec<String> = a
        .tags
        .iter()
        .filter(|t| b.tags.iter().any(|u| resolve::key(u) == resolve::key(t)))
        .map(str::to_string)
        .collect();
    let strengths = (
        vault.derived[pair.0].strength,
        vault.derived[pair.1].strength,
    );
    let best = needs.iter().map(|n| n.how.weight()).max().unwrap_or(0);
    let both_ways =
        needs.iter().any(|n| n.seeker == pair.0) && needs.iter().any(|n| n.seeker == pair.1);
    let score = best
        + if both_ways { 10 } else { 0 }
        + 5 * shared_tags.len() as u32
        + (strengths.0 + strengths.1) / 10;
    let mut parts: Vec<String> = Vec::new();
    let mut seen = HashSet::new();
    for need in &needs {
        if !seen.insert(need.seeker) {
            continue;
        }
        let seeker = &vault.partners[need.seeker].name;
        let giver = &vault.partners[need.giver].name;
        parts.push(format!("{seeker} seeks {}", need.seeks));
        parts.push(match need.how {
            Match::Tag => format!("{giver} is tagged {}", need.offers),
            _ => format!("{giver} offers {}", need.offers),
        });
    }
    if !shared_tags.is_empty() {
        parts.push(format!("both tagged {}", shared_tags.join(", ")));
    }
    // The strengths in the order the names came: the first need's seeker, then its giver.
    let first = &needs[0];
    parts.push(format!(
        "strength {} {}, {} {}",
        vault.partners[first.seeker].name,
        vault.derived[first.seeker].strength,
        vault.partners[first.giver].name,
        vault.derived[first.giver].strength
    ));
    Suggestion {
        pair,
        score,
        needs,
        shared_tags,
        why: parts.join("; "),
    }
}

/// The entry `vault intro A B WHY` writes in both notes: `intro: [[A]] to [[B]] for WHY`.
pub fn entry(a: &str, b: &str, why: &str) -> String {
    let why = why.trim();
    let why = if why.is_empty() || why.starts_with("for ") {
        why.to_string()
    } else {
        format!("for {why}")
    };
    format!("{INTRO}: [[{a}]] to [[{b}]] {why}")
        .trim_end()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_meet_exactly_stemmed_or_not_at_all() {
        assert_eq!(stem("speakers"), "speak");
        assert_eq!(stem("speaking"), "speak");
        assert_eq!(stem("sponsorship"), "sponsor");
        assert_eq!(stem("stories"), "story");
        assert_eq!(stem("bus"), "bus");
        assert_eq!(meets("Speakers", "speakers"), Some(Match::Exact));
        assert_eq!(meets("speakers", "speaking"), Some(Match::Stemmed));
        assert_eq!(
            meets("speakers", "speaking at events"),
            Some(Match::Stemmed)
        );
        assert_eq!(
            meets("newsletter sponsors", "sponsorship"),
            Some(Match::Stemmed)
        );
        assert_eq!(meets("podcast guests", "video editing"), None);
        assert_eq!(
            entry("Kwame Asante", "Rachel Brandt", "her speaker slot"),
            "intro: [[Kwame Asante]] to [[Rachel Brandt]] for her speaker slot"
        );
    }
}

//! "Did you mean ...?": the closest known word to a misspelt one.

/// The candidate closest to `word` (case-insensitive, counting transpositions), if it is close
/// enough to be a likely typo: one edit for short words, two for longer ones.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.trim().to_lowercase();
    let limit = match word.chars().count() {
        0..=2 => 0,
        3..=5 => 1,
        _ => 2,
    };
    candidates
        .into_iter()
        .map(|candidate| {
            let distance = strsim::damerau_levenshtein(&word, &candidate.to_lowercase());
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
}

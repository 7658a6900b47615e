//! `vault.yaml`: the settings of a vault, their defaults, and their validation.

use crate::cadence::Cadence;
use crate::diagnostic::Diagnostic;
use crate::yaml;
use chrono::Weekday;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The file whose presence marks a vault's root.
pub const CONFIG_FILE: &str = "vault.yaml";

/// `vault.yaml` as written: every key optional, unknown keys refused.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawConfig {
    partners_dir: String,
    reviews_dir: String,
    templates_dir: String,
    log_heading: String,
    touch_keys: Vec<String>,
    week_starts: String,
    kinds: Vec<String>,
    stages: Vec<String>,
    tiers: BTreeMap<String, String>,
    default_tier: String,
    reciprocity_window: String,
    reminders: RawReminders,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawReminders {
    horizon: String,
    ics: String,
}

impl Default for RawConfig {
    fn default() -> Self {
        let words = |list: &[&str]| list.iter().map(|s| s.to_string()).collect();
        RawConfig {
            partners_dir: "partners".into(),
            reviews_dir: "reviews".into(),
            templates_dir: "templates".into(),
            log_heading: "Log".into(),
            touch_keys: words(&["partners", "attendees", "with"]),
            week_starts: "monday".into(),
            kinds: words(&[
                "influencer",
                "co-creator",
                "publisher",
                "podcast",
                "event",
                "community",
                "media",
                "company",
                "other",
            ]),
            stages: words(&[
                "prospect",
                "acquaintance",
                "nurturing",
                "partner",
                "dormant",
            ]),
            tiers: [("A", "2w"), ("B", "1m"), ("C", "3m")]
                .into_iter()
                .map(|(t, c)| (t.to_string(), c.to_string()))
                .collect(),
            default_tier: "B".into(),
            reciprocity_window: "180d".into(),
            reminders: RawReminders::default(),
        }
    }
}

impl Default for RawReminders {
    fn default() -> Self {
        RawReminders {
            horizon: "7d".into(),
            ics: "reminders.ics".into(),
        }
    }
}

/// The validated settings the rest of the tool uses.
#[derive(Debug, Clone)]
pub struct Config {
    pub partners_dir: String,
    pub reviews_dir: String,
    pub templates_dir: String,
    pub log_heading: String,
    /// Front-matter lists that name the partners a dated note is a touch for.
    pub touch_keys: Vec<String>,
    pub week_starts: Weekday,
    pub kinds: Vec<String>,
    pub stages: Vec<String>,
    /// Tier name -> default cadence, in the order written (sorted by name).
    pub tiers: BTreeMap<String, Cadence>,
    pub default_tier: String,
    pub reciprocity_window: Cadence,
    pub reminder_horizon: Cadence,
    pub reminders_ics: String,
}

impl Default for Config {
    fn default() -> Self {
        validate(RawConfig::default()).expect("the defaults are valid")
    }
}

/// The top-level keys of `vault.yaml`.
const KEYS: [&str; 12] = [
    "partners_dir",
    "reviews_dir",
    "templates_dir",
    "log_heading",
    "touch_keys",
    "week_starts",
    "kinds",
    "stages",
    "tiers",
    "default_tier",
    "reciprocity_window",
    "reminders",
];

/// The stage that means "never due".
pub const DORMANT: &str = "dormant";

impl Config {
    /// Parses `vault.yaml` text; problems come back as diagnostics located in `path`.
    pub fn parse(text: &str, path: &str) -> Result<Config, Vec<Diagnostic>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let raw: RawConfig = yaml::parse_typed(text).map_err(|e| {
            let mut d =
                Diagnostic::error("config", format!("invalid {CONFIG_FILE}: {}", e.message))
                    .at(path, e.line, e.column, 1);
            if let Some(unknown) = e
                .message
                .strip_prefix("unknown field `")
                .and_then(|m| m.split('`').next())
            {
                d = d.hint(match crate::suggest::closest(unknown, KEYS) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("the keys are: {}", KEYS.join(", ")),
                });
            }
            vec![d]
        })?;
        validate(raw).map_err(|problems| {
            let positions = yaml::top_level_key_positions(text);
            problems
                .into_iter()
                .map(|(key, message)| {
                    let diagnostic = Diagnostic::error("config", message).in_file(path);
                    match positions.get(key) {
                        Some(p) => diagnostic.at(path, p.line, p.column, p.length),
                        None => diagnostic,
                    }
                })
                .collect()
        })
    }

    /// The cadence of a tier, if the tier exists.
    pub fn tier_cadence(&self, tier: &str) -> Option<Cadence> {
        self.tiers.get(tier).copied()
    }
}

/// Checks the values that the schema alone cannot; each problem is (top-level key, message).
fn validate(raw: RawConfig) -> Result<Config, Vec<(&'static str, String)>> {
    let mut problems = Vec::new();
    let mut cadence = |key: &'static str, text: &str| match Cadence::parse(text) {
        Ok(c) => c,
        Err(e) => {
            problems.push((key, format!("{key}: {} ({})", e.message, e.hint)));
            Cadence::Days(1)
        }
    };
    let reciprocity_window = cadence("reciprocity_window", &raw.reciprocity_window);
    let reminder_horizon = cadence("reminders", &raw.reminders.horizon);
    let tiers: BTreeMap<String, Cadence> = raw
        .tiers
        .iter()
        .map(|(tier, text)| (tier.clone(), cadence("tiers", text)))
        .collect();
    let week_starts = raw.week_starts.parse::<Weekday>().unwrap_or_else(|_| {
        problems.push((
            "week_starts",
            format!(
                "week_starts: `{}` is not a day of the week",
                raw.week_starts
            ),
        ));
        Weekday::Mon
    });
    if !tiers.contains_key(&raw.default_tier) {
        problems.push((
            "default_tier",
            format!(
                "default_tier: `{}` is not one of the tiers",
                raw.default_tier
            ),
        ));
    }
    if !raw.stages.iter().any(|s| s == DORMANT) {
        problems.push((
            "stages",
            format!("stages: `{DORMANT}` must stay in the list"),
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Config {
        partners_dir: raw.partners_dir.trim_matches('/').to_string(),
        reviews_dir: raw.reviews_dir.trim_matches('/').to_string(),
        templates_dir: raw.templates_dir.trim_matches('/').to_string(),
        log_heading: raw.log_heading,
        touch_keys: raw.touch_keys,
        week_starts,
        kinds: raw.kinds,
        stages: raw.stages,
        tiers,
        default_tier: raw.default_tier,
        reciprocity_window,
        reminder_horizon,
        reminders_ics: raw.reminders.ics,
    })
}

/// The `vault.yaml` that `vault init` writes: every default, written out and explained.
pub const DEFAULT_CONFIG_YAML: &str = r#"# vault.yaml: the settings of this partner vault. Every key is optional;
# the values below are the defaults.

# Where partner notes live (one Markdown note per partner, any depth of subfolders).
partners_dir: partners
# Where `vault review` writes the weekly pages. They never count as touches.
reviews_dir: reviews
# Your own versions of the built-in templates, by file name (`vault init --templates`).
templates_dir: templates
# The heading (any level) whose list items are interactions: `- 2026-11-20 gave: ...`.
log_heading: Log
# Front-matter lists that make a dated note (a meeting, a call) a touch for the partners they
# name: `attendees: ["[[Steve Rayson]]"]`. Links elsewhere in a note are mentions, not touches.
touch_keys: [partners, attendees, with]
# The first day of the week for `vault review`.
week_starts: monday
# The allowed values of `kind:` in partner notes.
kinds: [influencer, co-creator, publisher, podcast, event, community, media, company, other]
# The allowed values of `stage:`; partners in `dormant` are never due.
stages: [prospect, acquaintance, nurturing, partner, dormant]
# Tiers and their default cadence: Nd, Nw, Nm, Ny or weekly, biweekly, monthly, quarterly, yearly.
tiers: { A: 2w, B: 1m, C: 3m }
# The tier of a partner note without `tier:`.
default_tier: B
# How far back gave/got entries count for reciprocity.
reciprocity_window: 180d
reminders:
  # What `vault remind` looks ahead.
  horizon: 7d
  # Where `vault remind --ics` writes, relative to the vault.
  ics: reminders.ics
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_written_defaults_are_the_defaults() {
        let parsed = Config::parse(DEFAULT_CONFIG_YAML, "vault.yaml").unwrap();
        let defaults = Config::default();
        assert_eq!(format!("{parsed:?}"), format!("{defaults:?}"));
    }

    #[test]
    fn empty_config_is_default() {
        let parsed = Config::parse("# nothing\n", "vault.yaml").unwrap();
        assert_eq!(parsed.default_tier, "B");
        assert_eq!(parsed.tier_cadence("A"), Some(Cadence::Weeks(2)));
    }

    #[test]
    fn unknown_keys_and_bad_values_are_errors_with_lines() {
        let problems =
            Config::parse("partners_dir: p\npartner_dir: x\n", "vault.yaml").unwrap_err();
        assert_eq!(problems[0].line, 2);
        assert!(problems[0].message.contains("partner_dir"), "{problems:?}");
        let problems =
            Config::parse("tiers: { A: 2x }\nweek_starts: someday\n", "vault.yaml").unwrap_err();
        assert_eq!(problems.len(), 3, "{problems:?}");
    }
}

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
    review: RawReview,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawReview {
    limit: usize,
    focus: usize,
}

/// How many items each section of the built-in review page lists, and how many partners its
/// focus section names: a page one reads in a minute, at any vault size.
const DEFAULT_REVIEW_LIMIT: usize = 10;
const DEFAULT_REVIEW_FOCUS: usize = 5;
/// How many reminders `vault remind` prints as text: a screenful.
const DEFAULT_REMINDERS_LIMIT: usize = 20;

impl Default for RawReview {
    fn default() -> Self {
        RawReview {
            limit: DEFAULT_REVIEW_LIMIT,
            focus: DEFAULT_REVIEW_FOCUS,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawReminders {
    horizon: String,
    limit: usize,
    /// None when not written: [`DEFAULT_ICS`], and `vault watch` keeps no calendar.
    ics: Option<String>,
}

/// Where `vault remind --ics` writes when `reminders.ics` is not set.
const DEFAULT_ICS: &str = "reminders.ics";

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
            review: RawReview::default(),
        }
    }
}

impl Default for RawReminders {
    fn default() -> Self {
        RawReminders {
            horizon: "7d".into(),
            limit: DEFAULT_REMINDERS_LIMIT,
            ics: None,
        }
    }
}

/// The validated settings the rest of the tool uses.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// Whether `vault.yaml` sets `reminders.ics`: then `vault watch` keeps that file current.
    pub reminders_ics_set: bool,
    /// The most reminders text output lists (`reminders.limit`); `None` for no cap (`0`).
    pub reminders_limit: Option<usize>,
    /// The most items a review section lists (`review.limit`); `None` for no cap (`0`).
    pub review_limit: Option<usize>,
    /// The most partners the review's focus section names (`review.focus`); `None` for no cap.
    pub review_focus: Option<usize>,
}

impl Default for Config {
    fn default() -> Self {
        validate(RawConfig::default()).expect("the defaults are valid")
    }
}

/// The top-level keys of `vault.yaml`.
const KEYS: [&str; 13] = [
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
    "review",
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
                .map(|problem| {
                    let mut diagnostic = Diagnostic::error("config", problem.message).in_file(path);
                    if let Some(hint) = problem.hint {
                        diagnostic = diagnostic.hint(hint);
                    }
                    // `reminders.ics` at its own line when written as a block, else at
                    // `reminders`.
                    let (top, nested) = match problem.key.split_once('.') {
                        Some((top, child)) => (top, yaml::nested_key_position(text, top, child)),
                        None => (problem.key, None),
                    };
                    match nested.as_ref().or(positions.get(top)) {
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

/// One problem with a setting: its key (`reminders.ics` for a nested one), what is wrong, and
/// what to do about it.
#[derive(Debug)]
struct Problem {
    key: &'static str,
    message: String,
    hint: Option<String>,
}

impl Problem {
    fn new(key: &'static str, message: String) -> Problem {
        Problem {
            key,
            message,
            hint: None,
        }
    }
}

/// Checks the values that the schema alone cannot.
fn validate(raw: RawConfig) -> Result<Config, Vec<Problem>> {
    let mut problems = Vec::new();
    let paths = check_paths(&raw, &mut problems);
    let mut cadence = |key: &'static str, text: &str| match Cadence::parse(text) {
        Ok(c) => c,
        Err(e) => {
            problems.push(Problem::new(
                key,
                format!("{key}: {} ({})", e.message, e.hint),
            ));
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
        problems.push(Problem::new(
            "week_starts",
            format!(
                "week_starts: `{}` is not a day of the week",
                raw.week_starts
            ),
        ));
        Weekday::Mon
    });
    if !tiers.contains_key(&raw.default_tier) {
        problems.push(Problem::new(
            "default_tier",
            format!(
                "default_tier: `{}` is not one of the tiers",
                raw.default_tier
            ),
        ));
    }
    if !raw.stages.iter().any(|s| s == DORMANT) {
        problems.push(Problem::new(
            "stages",
            format!("stages: `{DORMANT}` must stay in the list"),
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let [partners_dir, reviews_dir, templates_dir, reminders_ics] = paths;
    Ok(Config {
        partners_dir,
        reviews_dir,
        templates_dir,
        log_heading: raw.log_heading,
        touch_keys: raw.touch_keys,
        week_starts,
        kinds: raw.kinds,
        stages: raw.stages,
        tiers,
        default_tier: raw.default_tier,
        reciprocity_window,
        reminder_horizon,
        reminders_ics,
        reminders_ics_set: raw.reminders.ics.is_some(),
        reminders_limit: (raw.reminders.limit > 0).then_some(raw.reminders.limit),
        review_limit: (raw.review.limit > 0).then_some(raw.review.limit),
        review_focus: (raw.review.focus > 0).then_some(raw.review.focus),
    })
}

/// `reminders.ics` as written, or its default.
fn ics_text(raw: &RawConfig) -> &str {
    raw.reminders.ics.as_deref().unwrap_or(DEFAULT_ICS)
}

/// The folder of the tool's own files; outputs may go below it (`.vault/reviews`), though no
/// other hidden folder.
pub const TOOL_DIR: &str = ".vault";

/// Checks the four settings that name places in the vault, and returns them normalised
/// (relative, `/`-separated, no `.` parts, no trailing `/`): `partners_dir`, `reviews_dir`,
/// `templates_dir`, `reminders.ics`. Each must stay inside the vault; the three folders must be
/// separate folders (none the vault itself or inside another); the outputs (`reviews_dir`,
/// `reminders.ics`) may not replace a note, the settings, or anything in a hidden folder but
/// `.vault/`.
fn check_paths(raw: &RawConfig, problems: &mut Vec<Problem>) -> [String; 4] {
    let settings = [
        ("partners_dir", raw.partners_dir.as_str(), "partners"),
        ("reviews_dir", raw.reviews_dir.as_str(), "reviews"),
        ("templates_dir", raw.templates_dir.as_str(), "templates"),
        ("reminders.ics", ics_text(raw), "reminders.ics"),
    ];
    let mut paths: [Option<String>; 4] = Default::default();
    for (slot, (key, text, example)) in paths.iter_mut().zip(settings) {
        let hint = format!("write a path relative to the vault's folder, such as `{example}`");
        match inside_vault(text) {
            Ok(path) if path.is_empty() => problems.push(Problem {
                key,
                message: match text.trim() {
                    "" => format!("{key}: is empty, which names the vault's own folder"),
                    _ => format!("{key}: `{text}` is the vault's own folder"),
                },
                hint: Some(match key {
                    "reminders.ics" => format!("name a file, such as `{example}`"),
                    _ => format!("name a folder of its own, such as `{example}`"),
                }),
            }),
            Ok(path) => *slot = Some(path),
            Err(why) => problems.push(Problem {
                key,
                message: format!("{key}: `{text}` {why}; it must stay inside the vault"),
                hint: Some(hint),
            }),
        }
    }
    let [partners, reviews, templates, ics] = &paths;
    let mut refuse = |key: &'static str, text: &str, why: String, hint: &str| {
        problems.push(Problem {
            key,
            message: format!("{key}: `{text}` {why}"),
            hint: Some(hint.to_string()),
        })
    };
    const SEPARATE: &str = "keep partner notes, review pages and templates in separate folders, \
                            such as `partners`, `reviews` and `templates`";
    if let Some(partners) = partners {
        if let Some(hidden) = hidden(partners) {
            let why = format!("{hidden}, and hidden folders are never read");
            refuse(
                "partners_dir",
                &raw.partners_dir,
                why,
                "name a visible folder",
            );
        }
    }
    // Each pair of folders, reported at the one changed from its default: that is the one to fix.
    let defaults = RawConfig::default();
    let folders = [
        (
            "partners_dir",
            partners,
            &raw.partners_dir,
            &defaults.partners_dir,
        ),
        (
            "reviews_dir",
            reviews,
            &raw.reviews_dir,
            &defaults.reviews_dir,
        ),
        (
            "templates_dir",
            templates,
            &raw.templates_dir,
            &defaults.templates_dir,
        ),
    ];
    for (first, second) in [(1, 0), (2, 0), (2, 1)] {
        let (mut this, mut other) = (folders[first], folders[second]);
        if this.2 == this.3 && other.2 != other.3 {
            std::mem::swap(&mut this, &mut other);
        }
        let (Some(path), Some(other_path)) = (this.1, other.1) else {
            continue;
        };
        if let Some(why) = overlap(path, other_path, other.0) {
            refuse(this.0, this.2, why, SEPARATE);
        }
    }
    if let Some(reviews) = reviews {
        if let Some(why) = not_for_output(reviews) {
            refuse("reviews_dir", &raw.reviews_dir, why, HINT_OUTPUT);
        }
    }
    if let Some(ics) = ics {
        let why = if ics.to_ascii_lowercase().ends_with(".md") {
            Some("is a Markdown note's name, and would replace the note".to_string())
        } else if let Some(dir) = partners.as_ref().filter(|dir| within(ics, dir)) {
            Some(format!("is inside partners_dir (`{dir}`)"))
        } else if let Some(dir) = templates.as_ref().filter(|dir| within(ics, dir)) {
            Some(format!("is inside templates_dir (`{dir}`)"))
        } else if reviews.as_ref() == Some(ics) {
            Some("is the folder of the review pages (reviews_dir)".to_string())
        } else {
            not_for_output(ics)
        };
        if let Some(why) = why {
            refuse("reminders.ics", ics_text(raw), why, HINT_OUTPUT);
        }
    }
    paths.map(Option::unwrap_or_default)
}

const HINT_OUTPUT: &str = "the tool writes here: choose a place of its own for it, such as \
                           `reminders.ics` or `reviews` (or a place under `.vault/`)";

/// `text` as a path relative to the vault, normalised: `./a//b/` is `a/b`, `a/../b` is `b`, and
/// the vault itself is the empty string. Refuses an absolute path, `~`, and `..` that climbs
/// out of the vault.
fn inside_vault(text: &str) -> Result<String, &'static str> {
    if text.starts_with('/') {
        return Err("is an absolute path");
    }
    if text == "~" || text.starts_with("~/") {
        return Err("starts with `~`, which is not the home folder here");
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in text.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err("leads out of the vault");
                }
            }
            part => parts.push(part),
        }
    }
    Ok(parts.join("/"))
}

/// What is hidden about a normalised path, if anything: `is a hidden name` (its last part),
/// or ``is inside the hidden folder `.git` ``.
fn hidden(path: &str) -> Option<String> {
    let mut parts = path.split('/').peekable();
    while let Some(part) = parts.next() {
        if part.starts_with('.') {
            return Some(match parts.peek() {
                None => "is a hidden name".to_string(),
                Some(_) => format!("is inside the hidden folder `{part}`"),
            });
        }
    }
    None
}

/// Why the tool may not write at `path` (normalised): the settings file, or anything hidden but
/// what lies below `.vault/`.
fn not_for_output(path: &str) -> Option<String> {
    if path.eq_ignore_ascii_case(CONFIG_FILE) {
        return Some("is the settings file".to_string());
    }
    if path == TOOL_DIR {
        return Some(format!(
            "is the tool's own folder (a place under it, such as `{TOOL_DIR}/reviews`, is fine)"
        ));
    }
    let below_tool_dir = path
        .strip_prefix(TOOL_DIR)
        .and_then(|rest| rest.strip_prefix('/'));
    hidden(below_tool_dir.unwrap_or(path)).map(|hidden| {
        format!("{hidden}; hidden files and folders belong to other tools (`.git`) or to you")
    })
}

/// Why two normalised folders are not separate, naming the other one's setting.
fn overlap(path: &str, other: &str, other_key: &str) -> Option<String> {
    if path == other {
        Some(format!("is the same folder as {other_key}"))
    } else if within(path, other) {
        Some(format!("is inside {other_key} (`{other}`)"))
    } else if within(other, path) {
        Some(format!("holds {other_key} (`{other}`)"))
    } else {
        None
    }
}

/// True when the normalised `path` is `dir` or inside it.
fn within(path: &str, dir: &str) -> bool {
    path == dir
        || path
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The `vault.yaml` that `vault init` writes: every default, written out and explained.
pub const DEFAULT_CONFIG_YAML: &str = r#"# vault.yaml: the settings of this partner vault. Every key is optional;
# the values below are the defaults. Paths are relative to this folder and stay inside it.

# Where partner notes live (one Markdown note per partner, any depth of subfolders).
partners_dir: partners
# Where `vault review` writes the weekly pages. They never count as touches. A folder of its
# own: not partners_dir, nor inside it.
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
  # The most reminders `vault remind` prints as text, the most important chosen; a last line
  # says how many more there are. 0 prints all. JSON and the calendar always hold all.
  limit: 20
  # Where `vault remind --ics` writes, relative to the vault: not a note (`*.md`), not in
  # partners_dir. Set here, `vault watch` keeps this file current too.
  ics: reminders.ics
review:
  # The most items each section of the review page lists, most important first; a line says
  # how many more there are and which command lists them all. 0 lists everything.
  limit: 10
  # How many partners "Focus this week" names, by priority, each with one next action.
  focus: 5
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_written_defaults_are_the_defaults() {
        let parsed = Config::parse(DEFAULT_CONFIG_YAML, "vault.yaml").unwrap();
        // Written out, the calendar's place is set: `vault watch` keeps that file current.
        let defaults = Config {
            reminders_ics_set: true,
            ..Config::default()
        };
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

    /// The problem with one setting, as (line, message, hint); panics when it is accepted.
    fn refusal(yaml: &str) -> (usize, String, String) {
        let problems = Config::parse(yaml, "vault.yaml").unwrap_err();
        assert_eq!(problems.len(), 1, "{yaml}: {problems:?}");
        let p = &problems[0];
        (
            p.line,
            p.message.clone(),
            p.hint.clone().unwrap_or_default(),
        )
    }

    #[test]
    fn paths_are_normalised() {
        let config = Config::parse(
            "partners_dir: ./people/\nreviews_dir: pages//weekly/\ntemplates_dir: t/x/..\n\
             reminders:\n  ics: ./cal/../cal/partners.ics\n",
            "vault.yaml",
        )
        .unwrap();
        assert_eq!(config.partners_dir, "people");
        assert_eq!(config.reviews_dir, "pages/weekly");
        assert_eq!(config.templates_dir, "t");
        assert_eq!(config.reminders_ics, "cal/partners.ics");
        let config = Config::parse(
            "reviews_dir: .vault/reviews\nreminders: { ics: .vault/cal.ics }\n",
            "vault.yaml",
        )
        .unwrap();
        assert_eq!(config.reviews_dir, ".vault/reviews");
        assert_eq!(config.reminders_ics, ".vault/cal.ics");
    }

    #[test]
    fn paths_must_stay_inside_the_vault() {
        for (yaml, key, why) in [
            ("reviews_dir: ../escape\n", "reviews_dir", "leads out"),
            ("reviews_dir: a/../../b\n", "reviews_dir", "leads out"),
            ("partners_dir: /home/me/p\n", "partners_dir", "absolute"),
            ("templates_dir: ..\n", "templates_dir", "leads out"),
            (
                "reminders:\n  ics: ../victim.txt\n",
                "reminders.ics",
                "leads out",
            ),
            (
                "reminders:\n  ics: /tmp/x.ics\n",
                "reminders.ics",
                "absolute",
            ),
            ("reminders:\n  ics: ~/cal.ics\n", "reminders.ics", "`~`"),
        ] {
            let (_, message, hint) = refusal(yaml);
            assert!(message.starts_with(&format!("{key}: ")), "{message}");
            assert!(message.contains(why), "{yaml}: {message}");
            assert!(hint.contains("relative to the vault"), "{hint}");
        }
    }

    #[test]
    fn outputs_may_not_replace_notes_settings_or_hidden_files() {
        for (yaml, line, why) in [
            (
                "reminders:\n  horizon: 7d\n  ics: partners/ana.md\n",
                3,
                "Markdown",
            ),
            ("reminders:\n  ics: notes/Plan.MD\n", 2, "Markdown"),
            ("reminders:\n  ics: vault.yaml\n", 2, "settings file"),
            (
                "reminders:\n  ics: partners/ana.ics\n",
                2,
                "inside partners_dir",
            ),
            (
                "reminders:\n  ics: templates/x.ics\n",
                2,
                "inside templates_dir",
            ),
            ("reminders:\n  ics: reviews\n", 2, "review pages"),
            ("reminders:\n  ics: .\n", 2, "own folder"),
            (
                "reminders:\n  ics: .git/config\n",
                2,
                "hidden folder `.git`",
            ),
            ("reminders:\n  ics: .gitignore\n", 2, "hidden name"),
            ("reminders:\n  ics: .vault\n", 2, "tool's own folder"),
            ("reminders: { ics: a.md }\n", 1, "Markdown"),
            (
                "# x\nreviews_dir: .obsidian/r\n",
                2,
                "hidden folder `.obsidian`",
            ),
            ("reviews_dir: vault.yaml\n", 1, "settings file"),
            ("partners_dir: .people\n", 1, "never read"),
        ] {
            let (at, message, _) = refusal(yaml);
            assert_eq!(at, line, "{yaml}: {message}");
            assert!(message.contains(why), "{yaml}: {message}");
        }
    }

    #[test]
    fn the_folders_are_separate() {
        for (yaml, key, why) in [
            (
                "reviews_dir: partners\n",
                "reviews_dir",
                "same folder as partners_dir",
            ),
            (
                "reviews_dir: partners/reviews\n",
                "reviews_dir",
                "inside partners_dir",
            ),
            // At the setting that was changed, the one to fix.
            (
                "partners_dir: reviews/p\n",
                "partners_dir",
                "inside reviews_dir",
            ),
            (
                "partners_dir: p\nreviews_dir: p/r\n",
                "reviews_dir",
                "inside partners_dir",
            ),
            (
                "partners_dir: p/q\nreviews_dir: p\n",
                "reviews_dir",
                "holds partners_dir",
            ),
            ("reviews_dir: .\n", "reviews_dir", "own folder"),
            ("reviews_dir: ''\n", "reviews_dir", "empty"),
            ("partners_dir: ./\n", "partners_dir", "own folder"),
            ("templates_dir: partners\n", "templates_dir", "partners_dir"),
            (
                "templates_dir: reviews/t\n",
                "templates_dir",
                "inside reviews_dir",
            ),
        ] {
            let (_, message, _) = refusal(yaml);
            assert!(
                message.starts_with(&format!("{key}: ")),
                "{yaml}: {message}"
            );
            assert!(message.contains(why), "{yaml}: {message}");
        }
        // Names that only start alike are separate folders.
        Config::parse(
            "partners_dir: p\nreviews_dir: p2\ntemplates_dir: p-t\n",
            "x",
        )
        .unwrap();
    }
}

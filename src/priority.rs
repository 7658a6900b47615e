//! How much a partner needs attention now: one score from tier, lateness against the cadence,
//! stage and reciprocity, with the reasons in words, and the order it gives (`docs/format.md`).

use crate::cadence::days_between;
use crate::config::{Config, DORMANT};
use crate::text;
use crate::vault::{Derived, Vault};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::cmp::Ordering;

/// Lateness counts up to this many cadences: beyond it a relationship is lapsed, and one
/// long-forgotten prospect should not outrank every partner due today.
const MAX_CADENCES_LATE: i64 = 4;

/// A partner's priority: the score (higher first; 0 when never due) and what made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Priority {
    pub score: u32,
    /// 1 for the tier with the longest cadence, up to the number of tiers for the shortest.
    pub tier_weight: u32,
    /// Days past the due day, negative while it is ahead; `None` when never due.
    pub days_late: Option<i64>,
    /// Days in the partner's cadence (at least 1).
    pub cadence_days: i64,
    pub gave: usize,
    pub got: usize,
}

/// Why a partner is one to give to before asking, as the review and `list --give-first` say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GiveReason {
    /// Got more than gave within the reciprocity window.
    GotMore,
    /// Due by the day asked about and not given to within the window.
    NotGiven,
}

/// Weights, in percent, of the stages the default settings name; another stage counts as
/// [`OTHER_STAGE`]. Partners and the nurtured come before acquaintances, and they before
/// prospects.
const STAGE_WEIGHTS: [(&str, u32); 4] = [
    ("partner", 100),
    ("nurturing", 100),
    ("acquaintance", 75),
    ("prospect", 50),
];
const OTHER_STAGE: u32 = 75;

impl Priority {
    /// The priority of partner `index` on the vault's day.
    pub fn of(vault: &Vault, index: usize) -> Priority {
        let p = &vault.partners[index];
        let d = &vault.derived[index];
        Priority::from_parts(&vault.config, &p.tier, p.stage.as_deref(), d, vault.today)
    }

    fn from_parts(
        config: &Config,
        tier: &str,
        stage: Option<&str>,
        d: &Derived,
        today: NaiveDate,
    ) -> Priority {
        let cadence_days = d.cadence.approx_days().max(1);
        let days_late = d.due.map(|due| days_between(due, today));
        let tier_weight = tier_weight(config, tier);
        let score = match days_late {
            None => 0,
            Some(late) => {
                // Percent of a cadence past due (0 on the due day), floored, capped.
                let late_pct = (100 * late)
                    .div_euclid(cadence_days)
                    .min(100 * MAX_CADENCES_LATE);
                let urgency = (100 + late_pct).max(0) as u32;
                let owed = if d.got > d.gave {
                    50 * (d.got - d.gave).min(2) as u32
                } else if d.gave == 0 {
                    25
                } else {
                    0
                };
                let weighted = u64::from(tier_weight)
                    * u64::from(stage_weight(stage))
                    * u64::from(urgency + owed);
                ((weighted + 500) / 1000) as u32
            }
        };
        Priority {
            score,
            tier_weight,
            days_late,
            cadence_days,
            gave: d.gave,
            got: d.got,
        }
    }

    /// Cadences past due (negative while ahead), to one decimal.
    pub fn cadences_late(&self) -> Option<f64> {
        self.days_late
            .map(|late| (late as f64 / self.cadence_days as f64 * 10.0).round() / 10.0)
    }
}

/// The weight of a tier: tiers ranked by their cadence, the shortest (most often, so most
/// important) highest; a tier `vault.yaml` does not have weighs least.
fn tier_weight(config: &Config, tier: &str) -> u32 {
    let Some(own) = config.tier_cadence(tier) else {
        return 1;
    };
    let own = own.approx_days();
    let longer = config
        .tiers
        .values()
        .filter(|c| c.approx_days() > own)
        .count();
    1 + longer as u32
}

fn stage_weight(stage: Option<&str>) -> u32 {
    let Some(stage) = stage else {
        return OTHER_STAGE;
    };
    if stage.eq_ignore_ascii_case(DORMANT) {
        return 0;
    }
    STAGE_WEIGHTS
        .iter()
        .find(|(name, _)| stage.eq_ignore_ascii_case(name))
        .map_or(OTHER_STAGE, |(_, w)| *w)
}

/// The reasons for a partner's priority in words: `tier A, partner, 1.4 cadences late, got 2
/// gave 0`.
pub fn explain(vault: &Vault, index: usize, priority: &Priority) -> String {
    let p = &vault.partners[index];
    let mut parts = vec![format!("tier {}", p.tier)];
    parts.push(match p.stage.as_deref() {
        Some(stage) => stage.to_string(),
        None => "no stage".into(),
    });
    let Some(late) = priority.days_late else {
        parts.push("never due".into());
        return parts.join(", ");
    };
    parts.push(match late {
        0 => "due today".into(),
        _ if late < 0 => format!("due in {} {}", -late, plural(-late, "day", "days")),
        _ => {
            let cadences = priority.cadences_late().unwrap_or_default();
            let unit = if cadences == 1.0 {
                "cadence"
            } else {
                "cadences"
            };
            let mut text = format!(
                "{cadences:.1} {unit} late ({late} {})",
                plural(late, "day", "days")
            );
            if late / priority.cadence_days >= MAX_CADENCES_LATE {
                text.push_str(&format!(", counted as {MAX_CADENCES_LATE}"));
            }
            text
        }
    });
    parts.push(if priority.got > priority.gave || priority.gave == 0 {
        format!("got {} gave {}", priority.got, priority.gave)
    } else {
        format!("gave {} got {}", priority.gave, priority.got)
    });
    parts.join(", ")
}

fn plural<'a>(n: i64, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// Whether partner `index` is one to give to before asking, as of a week ending `until`:
/// got more than gave within the window, or due by `until` and not given to within it. Never
/// for a partner that is never due.
pub fn give_reason(d: &Derived, until: NaiveDate) -> Option<GiveReason> {
    let due = d.due?;
    if d.got > d.gave {
        Some(GiveReason::GotMore)
    } else if due <= until && d.gave == 0 {
        Some(GiveReason::NotGiven)
    } else {
        None
    }
}

/// The order of priority: highest score first, then the earlier due day (never due last), the
/// heavier tier, the name (ignoring case) and the path, so that the order is total.
fn compare(vault: &Vault, a: (u32, u32, usize), b: (u32, u32, usize)) -> Ordering {
    let ((score_a, tier_a, i), (score_b, tier_b, j)) = (a, b);
    let due = |k: usize| {
        let due = vault.derived[k].due;
        (due.is_none(), due)
    };
    let (p, q) = (&vault.partners[i], &vault.partners[j]);
    score_b
        .cmp(&score_a)
        .then_with(|| due(i).cmp(&due(j)))
        .then_with(|| tier_b.cmp(&tier_a))
        .then_with(|| text::cmp_ignoring_case(&p.name, &q.name))
        .then_with(|| p.path.cmp(&q.path))
}

/// Every partner's priority, by index, worked out on every core.
pub fn scores(vault: &Vault) -> Vec<Priority> {
    (0..vault.partners.len())
        .into_par_iter()
        .map(|i| Priority::of(vault, i))
        .collect()
}

/// `indices` in priority order (`scores` from [`scores`]); with `keep`, only the first `keep`
/// of them are kept and ordered (a selection: sorting costs only what is kept).
pub fn order(vault: &Vault, scores: &[Priority], indices: &mut Vec<usize>, keep: Option<usize>) {
    let mut scored: Vec<(u32, u32, usize)> = indices
        .iter()
        .map(|&i| (scores[i].score, scores[i].tier_weight, i))
        .collect();
    let compare = |a: &(u32, u32, usize), b: &(u32, u32, usize)| compare(vault, *a, *b);
    if let Some(keep) = keep.filter(|&k| k < scored.len()) {
        if keep == 0 {
            scored.clear();
        } else {
            scored.select_nth_unstable_by(keep - 1, compare);
            scored.truncate(keep);
        }
    }
    scored.sort_by(compare);
    *indices = scored.into_iter().map(|(_, _, i)| i).collect();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cadence::Cadence;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn derived(due: Option<&str>, cadence: Cadence, gave: usize, got: usize) -> Derived {
        Derived {
            cadence,
            last_touch: None,
            due: due.map(d),
            due_from_next: false,
            gave,
            got,
            last_gave: None,
            touch_days: 0,
            first_touch: None,
            strength: 0,
        }
    }

    fn score(tier: &str, stage: &str, derived: &Derived) -> u32 {
        Priority::from_parts(
            &Config::default(),
            tier,
            Some(stage),
            derived,
            d("2026-11-23"),
        )
        .score
    }

    #[test]
    fn tiers_weigh_by_cadence_shortest_highest() {
        let config = Config::default();
        assert_eq!(
            ["A", "B", "C", "Z"].map(|t| tier_weight(&config, t)),
            [3, 2, 1, 1]
        );
    }

    #[test]
    fn lateness_counts_against_the_cadence() {
        // 10 days late on a 2-week cadence matters more than on a quarterly one.
        let fortnightly = derived(Some("2026-11-13"), Cadence::Weeks(2), 1, 0);
        let quarterly = derived(Some("2026-11-13"), Cadence::Months(3), 1, 0);
        assert!(score("B", "partner", &fortnightly) > score("B", "partner", &quarterly));
    }

    #[test]
    fn lateness_is_capped() {
        let late = |due| score("B", "partner", &derived(Some(due), Cadence::Weeks(1), 1, 0));
        assert_eq!(late("2026-10-01"), late("2020-01-01"));
        assert!(late("2026-11-02") > late("2026-11-16"));
    }

    #[test]
    fn stage_tier_and_reciprocity_each_raise_it() {
        let due = derived(Some("2026-11-20"), Cadence::Months(1), 1, 1);
        assert!(score("B", "partner", &due) > score("B", "prospect", &due));
        assert_eq!(score("B", "partner", &due), score("B", "nurturing", &due));
        assert!(score("A", "partner", &due) > score("B", "partner", &due));
        let owed = derived(Some("2026-11-20"), Cadence::Months(1), 0, 2);
        assert!(score("B", "partner", &owed) > score("B", "partner", &due));
        assert_eq!(score("B", "dormant", &due), 0);
        assert_eq!(
            score("A", "partner", &derived(None, Cadence::Weeks(2), 0, 3)),
            0
        );
    }
}

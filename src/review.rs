//! The weekly review: which partners are overdue and due, whom to give to, open tasks, the
//! pipeline, last week's wins and data problems, as a view for `review.md.tera`.

use crate::cadence::{days_between, week_start};
use crate::config::Config;
use crate::diagnostic::{self, Diagnostic, Severity};
use crate::partner::{GAVE, GOT};
use crate::reminders::open_tasks_due_by;
use crate::vault::{NoteRef, OwnedTask, Owner, Vault};
use crate::views::PartnerView;
use chrono::{Datelike, Days, NaiveDate, Weekday};
use rayon::prelude::*;
use serde::Serialize;

/// How many data problems the page lists.
const PROBLEMS_SHOWN: usize = 5;
/// Prospects without a touch for this many days are called out.
const STALE_PROSPECT_DAYS: i64 = 30;
/// The stage whose stale members are called out.
const PROSPECT: &str = "prospect";

/// A review week: its first day and its ISO name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Week {
    pub start: NaiveDate,
}

impl Week {
    /// The week holding `day`, for weeks starting on `starts`.
    pub fn containing(day: NaiveDate, starts: Weekday) -> Week {
        Week {
            start: week_start(day, starts),
        }
    }

    /// The week named `YYYY-Www` (ISO), for weeks starting on `starts`.
    pub fn parse(name: &str, starts: Weekday) -> Result<Week, String> {
        let bad = || format!("`{name}` is not a week; write it like 2026-W48");
        let (year, week) = name
            .split_once("-W")
            .or_else(|| name.split_once("-w"))
            .ok_or_else(bad)?;
        let year: i32 = year.parse().map_err(|_| bad())?;
        let week: u32 = week.parse().map_err(|_| bad())?;
        let thursday = NaiveDate::from_isoywd_opt(year, week, Weekday::Thu)
            .ok_or_else(|| format!("{year} has no ISO week {week}"))?;
        Ok(Week::containing(thursday, starts))
    }

    pub fn end(self) -> NaiveDate {
        self.start + Days::new(6)
    }

    /// Named by the ISO week holding most of its days (the week's middle day).
    pub fn name(self) -> String {
        let iso = (self.start + Days::new(3)).iso_week();
        format!("{}-W{:02}", iso.year(), iso.week())
    }

    pub fn contains(self, day: NaiveDate) -> bool {
        day >= self.start && day <= self.end()
    }

    /// The day a review of this week is computed for: `today` when it falls in the week,
    /// else the week's first day (a preview of a later week, or a look back).
    pub fn review_day(self, today: NaiveDate) -> NaiveDate {
        if self.contains(today) {
            today
        } else {
            self.start
        }
    }
}

/// Everything `review.md.tera` sees. See `docs/templates.md`. The partners on its lists are
/// template values already (see [`PartnerValues`]); [`ReviewView::context`] hands it all over.
#[derive(Debug)]
pub struct ReviewView {
    pub week: String,
    pub week_start: String,
    pub week_end: String,
    pub generated_from_day: String,
    pub reciprocity_window: String,
    pub overdue: Vec<tera::Value>,
    pub due_this_week: Vec<tera::Value>,
    pub give_first: Vec<GiveView>,
    pub tasks: Vec<TaskView>,
    pub pipeline: Vec<StageView>,
    pub stale_prospects: Vec<tera::Value>,
    pub stale_prospect_days: i64,
    pub wins: Vec<WinView>,
    pub problems: ProblemsView,
}

#[derive(Debug)]
pub struct GiveView {
    /// The partner, as [`PartnerValues`] makes it.
    pub partner: tera::Value,
    /// Why: `got more than gave`, or `not given to within 180d`.
    pub reason: String,
}

#[derive(Debug, Serialize)]
pub struct TaskView {
    /// Whom it belongs to: a partner's name, several names, or the title of a note naming them.
    pub partner: String,
    /// The same as Markdown links: `[[Ana]]`, or `[[notes/x|Title]] (with [[Ana]], [[Ben]])`.
    pub owner_links: String,
    pub due: String,
    pub days_overdue: i64,
    pub text: String,
    pub path: String,
    pub line: usize,
}

#[derive(Debug, Serialize)]
pub struct StageView {
    pub stage: String,
    pub count: usize,
    pub names: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct WinView {
    pub date: String,
    pub partner: String,
    /// `gave` or `got`.
    pub kind: String,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct ProblemsView {
    pub errors: usize,
    pub warnings: usize,
    /// The first few: errors first, each group in `vault check` order.
    pub first: Vec<ProblemView>,
    /// How many more there are.
    pub more: usize,
}

#[derive(Debug, Serialize)]
pub struct ProblemView {
    /// `path:line:column` (or just the path).
    pub location: String,
    pub severity: String,
    pub code: String,
    pub message: String,
}

impl ReviewView {
    /// The template variables: one per field, as `tera::Context::from_serialize` would make
    /// them, without converting the partners again.
    pub fn context(self) -> tera::Context {
        // Taken apart whole, so that a field added to the view cannot be left out here.
        let ReviewView {
            week,
            week_start,
            week_end,
            generated_from_day,
            reciprocity_window,
            overdue,
            due_this_week,
            give_first,
            tasks,
            pipeline,
            stale_prospects,
            stale_prospect_days,
            wins,
            problems,
        } = self;
        let mut context = tera::Context::new();
        context.insert("week", &week);
        context.insert("week_start", &week_start);
        context.insert("week_end", &week_end);
        context.insert("generated_from_day", &generated_from_day);
        context.insert("reciprocity_window", &reciprocity_window);
        context.insert_value("overdue", overdue.into());
        context.insert_value("due_this_week", due_this_week.into());
        let give_first: Vec<tera::Value> = give_first
            .into_iter()
            .map(|give| {
                let mut map = tera::Map::with_capacity(2);
                map.insert("partner".into(), give.partner);
                map.insert("reason".into(), give.reason.into());
                map.into()
            })
            .collect();
        context.insert_value("give_first", give_first.into());
        context.insert("tasks", &tasks);
        context.insert("pipeline", &pipeline);
        context.insert_value("stale_prospects", stale_prospects.into());
        context.insert("stale_prospect_days", &stale_prospect_days);
        context.insert("wins", &wins);
        context.insert("problems", &problems);
        context
    }
}

/// The partners of one review as template values (a [`PartnerView`] each, as serde makes it),
/// each converted once however many lists it is on (a value shares its fields when cloned),
/// and all of them at once, in parallel.
struct PartnerValues {
    made: Vec<Option<tera::Value>>,
}

impl PartnerValues {
    /// The values of the partners on any of `lists`, and of no other partner.
    fn of(vault: &Vault, lists: &[&[usize]]) -> Self {
        let mut wanted = vec![false; vault.partners.len()];
        for &i in lists.iter().flat_map(|list| list.iter()) {
            wanted[i] = true;
        }
        let made = wanted
            .into_par_iter()
            .enumerate()
            .map(|(i, wanted)| wanted.then(|| partner_value(vault, i)))
            .collect();
        PartnerValues { made }
    }

    fn get(&self, vault: &Vault, index: usize) -> tera::Value {
        match &self.made[index] {
            Some(value) => value.clone(),
            None => partner_value(vault, index),
        }
    }
}

fn partner_value(vault: &Vault, index: usize) -> tera::Value {
    tera::Value::from_serializable(&PartnerView::new(vault, index))
}

/// Builds the review of `week` from a vault loaded for the week's review day.
pub fn build(vault: &Vault, week: Week) -> ReviewView {
    let today = vault.today;
    let name_key = |i: usize| vault.partners[i].name.to_lowercase();

    let overdue = due_where(vault, |due| due < today);
    let due_this_week = due_where(vault, |due| due >= today && due <= week.end());

    let window = vault.config.reciprocity_window;
    let mut give_first: Vec<(usize, String)> = Vec::new();
    for (i, d) in vault.derived.iter().enumerate() {
        if d.due.is_none() {
            continue;
        }
        let due_now = d.due.is_some_and(|due| due <= week.end());
        if d.got > d.gave {
            give_first.push((i, "got more than gave".into()));
        } else if due_now && d.gave == 0 {
            give_first.push((i, format!("not given to within {window}")));
        }
    }
    give_first.sort_by_cached_key(|(i, _)| (vault.derived[*i].balance(), name_key(*i)));

    let tasks = open_tasks_due_by(vault, week.end())
        .into_iter()
        .map(|t| TaskView {
            owner_links: owner_links(vault, t.owned),
            partner: t.owner,
            due: t.due.to_string(),
            days_overdue: days_between(t.due, today).max(0),
            text: String::from(&*t.task.text),
            path: t.path.to_string(),
            line: t.task.line as usize,
        })
        .collect();

    let mut stale: Vec<usize> = (0..vault.partners.len())
        .filter(|&i| vault.partners[i].stage.as_deref() == Some(PROSPECT))
        .filter(|&i| {
            vault.derived[i]
                .last_touch
                .is_none_or(|t| days_between(t, today) >= STALE_PROSPECT_DAYS)
        })
        .collect();
    stale.sort_by_cached_key(|&i| (vault.derived[i].last_touch, name_key(i)));

    // Values only for the partners on the page, not for the whole vault.
    let on_page: Vec<usize> = give_first.iter().map(|(i, _)| *i).collect();
    let values = PartnerValues::of(vault, &[&overdue, &due_this_week, &stale, &on_page]);
    let pick = |indices: &[usize]| {
        indices
            .iter()
            .map(|&i| values.get(vault, i))
            .collect::<Vec<_>>()
    };
    let overdue = pick(&overdue);
    let due_this_week = pick(&due_this_week);
    let stale_prospects = pick(&stale);
    let give_first = give_first
        .into_iter()
        .map(|(i, reason)| GiveView {
            partner: values.get(vault, i),
            reason,
        })
        .collect();
    ReviewView {
        week: week.name(),
        week_start: week.start.to_string(),
        week_end: week.end().to_string(),
        generated_from_day: today.to_string(),
        reciprocity_window: window.to_string(),
        overdue,
        due_this_week,
        give_first,
        tasks,
        pipeline: pipeline(vault, &vault.config),
        stale_prospects,
        stale_prospect_days: STALE_PROSPECT_DAYS,
        wins: wins(vault),
        problems: problems(vault),
    }
}

/// Whom a task belongs to, as links for the page.
fn owner_links(vault: &Vault, owned: &OwnedTask) -> String {
    let links = |partners: &[usize]| {
        partners
            .iter()
            .map(|&p| format!("[[{}]]", vault.partners[p].name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (&owned.owner, owned.note) {
        (Owner::Note(partners), NoteRef::Other(i)) => {
            let note = &vault.others[i];
            let target = note.path.strip_suffix(".md").unwrap_or(&note.path);
            format!("[[{target}|{}]] (with {})", note.title, links(partners))
        }
        (owner, _) => links(owner.partners()),
    }
}

fn due_where(vault: &Vault, keep: impl Fn(NaiveDate) -> bool) -> Vec<usize> {
    let mut found: Vec<usize> = (0..vault.partners.len())
        .filter(|&i| vault.derived[i].due.is_some_and(&keep))
        .collect();
    // Soonest (most overdue) first; the tier breaks ties, then the name.
    found.sort_by_cached_key(|&i| {
        let p = &vault.partners[i];
        (vault.derived[i].due, p.tier.clone(), p.name.to_lowercase())
    });
    found
}

/// Partners per stage, in the configured order; notes without a (known) stage come last.
fn pipeline(vault: &Vault, config: &Config) -> Vec<StageView> {
    let mut stages: Vec<StageView> = config
        .stages
        .iter()
        .map(|stage| StageView {
            stage: stage.clone(),
            count: 0,
            names: Vec::new(),
        })
        .collect();
    let mut other = StageView {
        stage: "(no stage)".into(),
        count: 0,
        names: Vec::new(),
    };
    for partner in &vault.partners {
        let slot = stages
            .iter_mut()
            .find(|s| Some(s.stage.as_str()) == partner.stage.as_deref())
            .unwrap_or(&mut other);
        slot.count += 1;
        slot.names.push(partner.name.clone());
    }
    stages.extend((other.count > 0).then_some(other));
    for stage in &mut stages {
        stage.names.sort_by_cached_key(|n| n.to_lowercase());
    }
    stages
}

/// `gave`/`got` entries of the 7 days ending today, newest first.
fn wins(vault: &Vault) -> Vec<WinView> {
    let since = vault.today - Days::new(6);
    let mut wins: Vec<WinView> = vault
        .partners
        .iter()
        .flat_map(|p| p.log.iter().map(move |i| (p, i)))
        .filter(|(_, i)| (i.is(GAVE) || i.is(GOT)) && i.date >= since && i.date <= vault.today)
        .map(|(p, i)| WinView {
            date: i.date.to_string(),
            partner: p.name.clone(),
            kind: i.kind.unwrap_or_default().to_string(),
            text: i.text.to_string(),
        })
        .collect();
    wins.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then_with(|| a.partner.to_lowercase().cmp(&b.partner.to_lowercase()))
    });
    wins
}

fn problems(vault: &Vault) -> ProblemsView {
    let (errors, warnings) = diagnostic::counts(&vault.diagnostics);
    // Errors first, so that warnings never hide them; each group in `vault check` order.
    let mut by_severity: Vec<&Diagnostic> = vault.diagnostics.iter().collect();
    by_severity.sort_by_key(|d| d.severity);
    let first = by_severity
        .into_iter()
        .take(PROBLEMS_SHOWN)
        .map(|d| ProblemView {
            location: d.location(),
            severity: match d.severity {
                Severity::Error => "error".into(),
                Severity::Warning => "warning".into(),
            },
            code: d.code.to_string(),
            message: d.message.clone(),
        })
        .collect();
    ProblemsView {
        errors,
        warnings,
        first,
        more: vault.diagnostics.len().saturating_sub(PROBLEMS_SHOWN),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn weeks_are_named_by_iso_week() {
        let week = Week::containing(d("2026-11-25"), Weekday::Mon);
        assert_eq!(
            (week.name(), week.start, week.end()),
            ("2026-W48".into(), d("2026-11-23"), d("2026-11-29"))
        );
        let sunday_weeks = Week::containing(d("2026-11-25"), Weekday::Sun);
        assert_eq!(
            (sunday_weeks.name(), sunday_weeks.start),
            ("2026-W48".into(), d("2026-11-22"))
        );
        assert_eq!(
            Week::containing(d("2027-01-01"), Weekday::Mon).name(),
            "2026-W53"
        );
    }

    #[test]
    fn parses_week_names_for_any_start_day() {
        for start in [Weekday::Mon, Weekday::Tue, Weekday::Sat, Weekday::Sun] {
            let week = Week::parse("2026-W48", start).unwrap();
            assert_eq!(week.name(), "2026-W48", "{start:?}");
            assert_eq!(week.start.weekday(), start);
        }
        assert!(Week::parse("2026-W54", Weekday::Mon).is_err());
        assert!(Week::parse("2026-48", Weekday::Mon).is_err());
    }

    #[test]
    fn review_day_is_today_or_the_weeks_start() {
        let week = Week::parse("2026-W49", Weekday::Mon).unwrap();
        assert_eq!(week.review_day(d("2026-11-25")), d("2026-11-30"));
        assert_eq!(week.review_day(d("2026-12-02")), d("2026-12-02"));
    }
}

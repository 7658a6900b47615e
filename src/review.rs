//! The weekly review: which partners are overdue and due, whom to give to, open tasks, the
//! pipeline, last week's wins and data problems, as a view for `review.md.tera`.

use crate::cadence::{days_between, week_start};
use crate::config::Config;
use crate::diagnostic::{self, Diagnostic, Severity};
use crate::partner::{GAVE, GOT};
use crate::priority::{self, GiveReason};
use crate::reminders;
use crate::text;
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
/// Each list holds at most `review.limit` items, most important first; `counts` has the full
/// numbers and `more` a line for each list that was cut.
#[derive(Debug, Serialize)]
pub struct ReviewView {
    pub week: String,
    pub week_start: String,
    pub week_end: String,
    pub generated_from_day: String,
    pub reciprocity_window: String,
    /// The cap on each list (`review.limit`), 0 for none.
    pub limit: usize,
    pub focus: Vec<FocusView>,
    pub overdue: Vec<tera::Value>,
    pub due_this_week: Vec<tera::Value>,
    pub give_first: Vec<GiveView>,
    /// Suggested introductions, best first (at most [`INTROS_SHOWN`]).
    pub intros: Vec<crate::views::IntroView>,
    pub tasks: Vec<TaskView>,
    pub pipeline: Vec<StageView>,
    pub stale_prospects: Vec<tera::Value>,
    pub stale_prospect_days: i64,
    pub wins: Vec<WinView>,
    pub problems: ProblemsView,
    pub counts: Counts,
    pub more: MoreLines,
}

/// One partner to act on this week, with the one next action.
#[derive(Debug, Serialize)]
pub struct FocusView {
    pub partner: tera::Value,
    /// `task`, `give` or `touch`.
    pub kind: &'static str,
    /// What to do, in words: `give first: got 2, gave 0`, `task due 2026-11-25: ...`.
    pub action: String,
}

#[derive(Debug, Serialize)]
pub struct GiveView {
    /// The partner, as [`PartnerValues`] makes it.
    pub partner: tera::Value,
    /// Why: `got more than gave`, or `not given to within 180d`.
    pub reason: String,
}

/// How many there are in each list, before the cap.
#[derive(Debug, Default, Serialize)]
pub struct Counts {
    pub focus: usize,
    pub overdue: usize,
    pub due_this_week: usize,
    pub give_first: usize,
    pub tasks: usize,
    pub stale_prospects: usize,
    pub wins: usize,
}

/// For each list that was cut, how many were left out and the command that lists them all:
/// `and 7,985 more: `vault list --overdue --sort priority``; empty when nothing was left out.
#[derive(Debug, Default, Serialize)]
pub struct MoreLines {
    pub focus: String,
    pub overdue: String,
    pub due_this_week: String,
    pub give_first: String,
    pub tasks: String,
    pub stale_prospects: String,
    pub wins: String,
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
    /// The first names, alphabetically, up to the cap.
    pub names: Vec<String>,
    /// How many names were left out.
    pub more: usize,
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
            limit,
            focus,
            overdue,
            due_this_week,
            give_first,
            intros,
            tasks,
            pipeline,
            stale_prospects,
            stale_prospect_days,
            wins,
            problems,
            counts,
            more,
        } = self;
        let mut context = tera::Context::new();
        context.insert("week", &week);
        context.insert("week_start", &week_start);
        context.insert("week_end", &week_end);
        context.insert("generated_from_day", &generated_from_day);
        context.insert("reciprocity_window", &reciprocity_window);
        context.insert("limit", &limit);
        let focus: Vec<tera::Value> = focus
            .into_iter()
            .map(|f| {
                let mut map = tera::Map::with_capacity(3);
                map.insert("partner".into(), f.partner);
                map.insert("kind".into(), f.kind.into());
                map.insert("action".into(), f.action.into());
                map.into()
            })
            .collect();
        context.insert_value("focus", focus.into());
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
        context.insert("intros", &intros);
        context.insert("tasks", &tasks);
        context.insert("pipeline", &pipeline);
        context.insert_value("stale_prospects", stale_prospects.into());
        context.insert("stale_prospect_days", &stale_prospect_days);
        context.insert("wins", &wins);
        context.insert("problems", &problems);
        context.insert("counts", &counts);
        context.insert("more", &more);
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

    fn pick(&self, vault: &Vault, indices: &[usize]) -> Vec<tera::Value> {
        indices.iter().map(|&i| self.get(vault, i)).collect()
    }
}

fn partner_value(vault: &Vault, index: usize) -> tera::Value {
    tera::Value::from_serializable(&PartnerView::new(vault, index))
}

/// Builds the review of `week` from a vault loaded for the week's review day, each list cut
/// to `vault.yaml`'s `review.limit`.
pub fn build(vault: &Vault, week: Week) -> ReviewView {
    build_capped(vault, week, vault.config.review_limit)
}

/// [`build`] with each list cut to `limit` (`None`: everything).
pub fn build_capped(vault: &Vault, week: Week, limit: Option<usize>) -> ReviewView {
    let today = vault.today;
    let week_end = week.end();
    let mut counts = Counts::default();
    let commands = Commands::new(vault, week);

    let due_where = |keep: &dyn Fn(NaiveDate) -> bool| -> Vec<usize> {
        (0..vault.partners.len())
            .filter(|&i| vault.derived[i].due.is_some_and(keep))
            .collect()
    };
    let mut overdue = due_where(&|due| due < today);
    let mut due_this_week = due_where(&|due| due >= today && due <= week_end);
    let give_reasons: Vec<Option<GiveReason>> = vault
        .derived
        .iter()
        .map(|d| priority::give_reason(d, week_end))
        .collect();
    let mut give_first: Vec<usize> = (0..vault.partners.len())
        .filter(|&i| give_reasons[i].is_some())
        .collect();

    // Tasks due by the week's end; each partner's soonest is its next action.
    let due_tasks = reminders::due_tasks(vault, week_end);
    let mut first_task: Vec<Option<(NaiveDate, usize)>> = vec![None; vault.partners.len()];
    for &(due, t) in &due_tasks {
        for &p in vault.tasks[t].owner.partners() {
            let first = &mut first_task[p];
            if first.is_none_or(|earlier| (due, t) < earlier) {
                *first = Some((due, t));
            }
        }
    }

    // Focus: whoever has something to do this week, by priority.
    let scores = priority::scores(vault);
    let mut focus: Vec<usize> = (0..vault.partners.len())
        .filter(|&i| {
            vault.derived[i].due.is_some_and(|due| due <= week_end)
                || give_reasons[i].is_some()
                || first_task[i].is_some()
        })
        .collect();
    counts.focus = focus.len();
    priority::order(vault, &scores, &mut focus, vault.config.review_focus);

    let mut more = MoreLines::default();
    let cut = |list: &mut Vec<usize>, count: &mut usize, line: &mut String, command: &str| {
        *count = list.len();
        priority::order(vault, &scores, list, limit);
        *line = more_line(*count, list.len(), command);
    };
    cut(
        &mut overdue,
        &mut counts.overdue,
        &mut more.overdue,
        &commands.overdue,
    );
    cut(
        &mut due_this_week,
        &mut counts.due_this_week,
        &mut more.due_this_week,
        &commands.due_this_week,
    );
    cut(
        &mut give_first,
        &mut counts.give_first,
        &mut more.give_first,
        &commands.give_first,
    );
    // No one command lists the focus's candidates; the lists below hold them.
    more.focus = match counts.focus - focus.len() {
        0 => String::new(),
        left => format!(
            "and {} more with something to do this week, below.",
            text::thousands(left)
        ),
    };

    counts.tasks = due_tasks.len();
    let dated = reminders::first_tasks(vault, &due_tasks, limit);
    more.due_this_week
        .push_str(if more.due_this_week.is_empty() {
            ""
        } else {
            " (the overdue too)"
        });
    more.tasks = more_line(counts.tasks, dated.len(), &commands.tasks);
    let tasks = dated
        .iter()
        .map(|t| TaskView {
            owner_links: owner_links(vault, t.owned),
            partner: t.owner.clone(),
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
    counts.stale_prospects = stale.len();
    // Oldest touch first (never touched before all), then the name; only the shown ones sorted.
    let stale_order = |a: &usize, b: &usize| {
        let touch = |i: usize| vault.derived[i].last_touch;
        touch(*a)
            .cmp(&touch(*b))
            .then_with(|| {
                text::cmp_ignoring_case(&vault.partners[*a].name, &vault.partners[*b].name)
            })
            .then_with(|| a.cmp(b))
    };
    let shown = capped(stale.len(), limit);
    if shown < stale.len() && shown > 0 {
        stale.select_nth_unstable_by(shown - 1, stale_order);
    }
    stale.truncate(shown);
    stale.sort_by(stale_order);
    more.stale_prospects = more_line(counts.stale_prospects, shown, &commands.stale_prospects);

    let mut wins = wins(vault);
    counts.wins = wins.len();
    wins.truncate(capped(wins.len(), limit));
    more.wins = more_line(counts.wins, wins.len(), "");

    // Values only for the partners on the page, not for the whole vault.
    let values = PartnerValues::of(
        vault,
        &[&focus, &overdue, &due_this_week, &stale, &give_first],
    );
    let focus = focus
        .iter()
        .map(|&i| {
            let (kind, action) = next_action(vault, i, give_reasons[i], first_task[i]);
            FocusView {
                partner: values.get(vault, i),
                kind,
                action,
            }
        })
        .collect();
    let give_first = give_first
        .iter()
        .map(|&i| GiveView {
            partner: values.get(vault, i),
            reason: give_reasons[i].map_or(String::new(), |r| give_reason_text(vault, r)),
        })
        .collect();
    ReviewView {
        week: week.name(),
        week_start: week.start.to_string(),
        week_end: week_end.to_string(),
        generated_from_day: today.to_string(),
        reciprocity_window: vault.config.reciprocity_window.to_string(),
        limit: limit.unwrap_or(0),
        focus,
        overdue: values.pick(vault, &overdue),
        due_this_week: values.pick(vault, &due_this_week),
        give_first,
        intros: crate::intros::suggest(vault)
            .iter()
            .take(INTROS_SHOWN)
            .map(|s| crate::views::IntroView::new(vault, s))
            .collect(),
        tasks,
        pipeline: pipeline(vault, &vault.config, limit),
        stale_prospects: values.pick(vault, &stale),
        stale_prospect_days: STALE_PROSPECT_DAYS,
        wins,
        problems: problems(vault),
        counts,
        more,
    }
}

/// How many suggested introductions the page shows (`vault intros` lists them all).
pub const INTROS_SHOWN: usize = 3;

/// How many of `len` a list shows under `limit`.
fn capped(len: usize, limit: Option<usize>) -> usize {
    limit.map_or(len, |limit| len.min(limit))
}

/// `and 7,985 more: `vault list --overdue --sort priority``, or nothing when none was left out.
fn more_line(count: usize, shown: usize, command: &str) -> String {
    let left = count - shown;
    match (left, command) {
        (0, _) => String::new(),
        (_, "") => format!("and {} more.", text::thousands(left)),
        _ => format!("and {} more: `{command}`", text::thousands(left)),
    }
}

/// The commands that list a whole section, for the day the review was computed for.
struct Commands {
    overdue: String,
    due_this_week: String,
    give_first: String,
    tasks: String,
    stale_prospects: String,
}

impl Commands {
    fn new(vault: &Vault, week: Week) -> Commands {
        let to_week_end = days_between(vault.today, week.end()).max(0);
        Commands {
            overdue: "vault list --overdue --sort priority".into(),
            due_this_week: format!("vault list --due-within {to_week_end}d --sort priority"),
            give_first: "vault list --give-first --sort priority".into(),
            tasks: format!("vault remind --within {to_week_end}d"),
            stale_prospects: format!("vault list --stage {PROSPECT} --sort last"),
        }
    }
}

/// The one next action for partner `i`: its first task due by the week's end, else giving
/// before asking, else the touch that is due.
fn next_action(
    vault: &Vault,
    i: usize,
    give: Option<GiveReason>,
    first_task: Option<(NaiveDate, usize)>,
) -> (&'static str, String) {
    if let Some((due, t)) = first_task {
        let task = vault.task(&vault.tasks[t]);
        let when = if due < vault.today {
            format!("overdue since {due}")
        } else {
            format!("due {due}")
        };
        return ("task", format!("task {when}: {}", task.text));
    }
    if let Some(reason) = give {
        return (
            "give",
            format!("give first: {}", give_reason_text(vault, reason)),
        );
    }
    let days = vault.derived[i]
        .due
        .map_or(0, |due| days_between(due, vault.today));
    let action = match days {
        d if d > 0 => format!(
            "get in touch: {d} {} overdue",
            if d == 1 { "day" } else { "days" }
        ),
        0 => "get in touch: due today".into(),
        _ => format!(
            "get in touch by {}",
            vault.derived[i]
                .due
                .map_or(String::new(), |d| d.to_string())
        ),
    };
    ("touch", action)
}

fn give_reason_text(vault: &Vault, reason: GiveReason) -> String {
    match reason {
        GiveReason::GotMore => "got more than gave".into(),
        GiveReason::NotGiven => format!("not given to within {}", vault.config.reciprocity_window),
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

/// Partners per stage, in the configured order; notes without a (known) stage come last. Each
/// stage names its first partners alphabetically, up to `limit`.
fn pipeline(vault: &Vault, config: &Config, limit: Option<usize>) -> Vec<StageView> {
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); config.stages.len() + 1];
    for (i, partner) in vault.partners.iter().enumerate() {
        let slot = config
            .stages
            .iter()
            .position(|s| Some(s.as_str()) == partner.stage.as_deref())
            .unwrap_or(config.stages.len());
        members[slot].push(i);
    }
    let order = |a: &usize, b: &usize| {
        text::cmp_ignoring_case(&vault.partners[*a].name, &vault.partners[*b].name)
            .then_with(|| a.cmp(b))
    };
    let stage_names = config.stages.iter().map(String::as_str);
    stage_names
        .chain(["(no stage)"])
        .zip(members)
        .enumerate()
        .filter(|(slot, (_, list))| *slot < config.stages.len() || !list.is_empty())
        .map(|(_, (stage, mut list))| {
            let count = list.len();
            let shown = capped(count, limit);
            if shown < count && shown > 0 {
                list.select_nth_unstable_by(shown - 1, order);
            }
            list.truncate(shown);
            list.sort_by(order);
            StageView {
                stage: stage.to_string(),
                count,
                names: list
                    .iter()
                    .map(|&i| vault.partners[i].name.clone())
                    .collect(),
                more: count - shown,
            }
        })
        .collect()
}

/// `gave`/`got` entries of the 7 days ending today, newest first.
fn wins(vault: &Vault) -> Vec<WinView> {
    let since = vault.today - Days::new(6);
    let mut wins: Vec<WinView> = vault
        .partners
        .par_iter()
        .flat_map_iter(|p| p.log.iter().map(move |i| (p, i)))
        .filter(|(_, i)| i.date >= since && i.date <= vault.today && (i.is(GAVE) || i.is(GOT)))
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
            .then_with(|| text::cmp_ignoring_case(&a.partner, &b.partner))
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

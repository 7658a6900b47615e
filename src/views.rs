//! Plain `Serialize` views of the index, for JSON output and templates (never the model itself).

use crate::cadence::days_between;
use crate::priority::{self, Priority};
use crate::strs::Strs;
use crate::value::{Plain, Value};
use crate::vault::Vault;
use chrono::NaiveDate;
use serde::{Serialize, Serializer};

/// One partner with its derived values. Dates are `YYYY-MM-DD` or null. Its text is borrowed
/// from the vault: a review makes thousands of these.
#[derive(Debug, Clone, Serialize)]
pub struct PartnerView<'a> {
    pub name: &'a str,
    /// Relative to the vault, `/`-separated.
    pub path: &'a str,
    pub kind: Option<&'a str>,
    pub stage: Option<&'a str>,
    pub tier: &'a str,
    pub cadence: String,
    pub last_touch: Option<String>,
    pub due: Option<String>,
    /// Days from today to the due day: negative when overdue, null when never due.
    pub due_in_days: Option<i64>,
    /// Days past the due day (0 when not overdue).
    pub days_overdue: i64,
    /// Days since the last touch, null when never touched.
    pub days_since_touch: Option<i64>,
    /// `gave`/`got` entries within the reciprocity window, and `gave - got`.
    pub gave: usize,
    pub got: usize,
    pub balance: i64,
    /// How much the partner needs attention now (higher first; 0 when never due), and why in
    /// words: `tier A, partner, 1.4 cadences late (20 days), got 2 gave 0`.
    pub priority: u32,
    pub priority_why: String,
    /// How strong the relationship is, 0-100 (recency, frequency, reciprocity, age).
    pub strength: u32,
    pub last_gave: Option<String>,
    /// The text of the newest `gave` entry, at any time.
    pub last_gave_text: Option<&'a str>,
    pub org: Option<&'a str>,
    pub tags: &'a Strs,
    pub aliases: &'a Strs,
    pub offers: &'a Strs,
    pub seeks: &'a Strs,
    pub knows: &'a Strs,
    pub next: Option<String>,
    pub since: Option<String>,
    /// The note's own front-matter keys, those `vault` gives no meaning (`location: Lisbon`),
    /// in key order (as the note's fields are kept); shown as a map.
    #[serde(serialize_with = "plain_map")]
    pub extra: Vec<(&'a str, &'a Value)>,
}

/// Key-value pairs as a map of front-matter values, as JSON and templates see them (see
/// [`Plain`]).
fn plain_map<S: Serializer>(pairs: &[(&str, &Value)], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_map(pairs.iter().map(|(key, value)| (key, Plain(value))))
}

pub fn date_text(date: Option<NaiveDate>) -> Option<String> {
    // `NaiveDate`'s own display is `YYYY-MM-DD` for the years notes can hold (up to 9999).
    date.map(|d| d.to_string())
}

impl<'a> PartnerView<'a> {
    pub fn new(vault: &'a Vault, index: usize) -> PartnerView<'a> {
        let p = &vault.partners[index];
        let d = &vault.derived[index];
        let priority = Priority::of(vault, index);
        PartnerView {
            name: &p.name,
            path: &p.path,
            kind: p.kind.as_deref(),
            stage: p.stage.as_deref(),
            tier: &p.tier,
            cadence: d.cadence.to_string(),
            last_touch: date_text(d.last_touch),
            due: date_text(d.due),
            due_in_days: d.due.map(|due| days_between(vault.today, due)),
            days_overdue: d.due.map_or(0, |due| days_between(due, vault.today).max(0)),
            days_since_touch: d.last_touch.map(|t| days_between(t, vault.today)),
            gave: d.gave,
            got: d.got,
            balance: d.balance(),
            priority: priority.score,
            priority_why: priority::explain(vault, index, &priority),
            strength: d.strength,
            last_gave: date_text(d.last_gave),
            last_gave_text: p
                .log
                .iter()
                .find(|i| {
                    (i.is(crate::partner::GAVE) || i.is(crate::intros::INTRO))
                        && Some(i.date) == d.last_gave
                })
                .map(|i| i.text),
            org: p.org.as_deref(),
            tags: &p.tags,
            aliases: &p.aliases,
            offers: &p.offers,
            seeks: &p.seeks,
            knows: &p.knows,
            next: date_text(p.next),
            since: date_text(p.since),
            extra: p.extra.iter().collect(),
        }
    }
}

/// "in 3d", "today", "5d overdue", or "-" when never due.
pub fn due_phrase(days: Option<i64>) -> String {
    match days {
        None => "-".into(),
        Some(0) => "today".into(),
        Some(n) if n > 0 => format!("in {n}d"),
        Some(n) => format!("{}d overdue", -n),
    }
}

/// One reminder, for `remind.txt.tera` (as `reminder`) and `vault remind --format json`.
/// Borrows its text from the [`Reminder`](crate::reminders::Reminder).
#[derive(Debug, Clone, Serialize)]
pub struct ReminderView<'a> {
    /// `touch` or `task`.
    pub kind: &'static str,
    /// Whom it concerns: a partner's name, several names, or the title of a note naming them.
    pub partner: &'a str,
    /// The due day, `YYYY-MM-DD`.
    pub date: String,
    pub text: &'a str,
    /// The note to open, relative to the vault.
    pub path: &'a str,
    /// Days past the due day (0 when not overdue).
    pub overdue_days: i64,
}

impl<'a> ReminderView<'a> {
    pub fn new(vault: &Vault, reminder: &'a crate::reminders::Reminder) -> ReminderView<'a> {
        ReminderView {
            kind: reminder.kind.as_str(),
            partner: &reminder.owner,
            date: reminder.date.to_string(),
            text: &reminder.text,
            path: &reminder.path,
            overdue_days: days_between(reminder.date, vault.today).max(0),
        }
    }
}

/// What `partner.md.tera` sees: a new partner note's starting values.
#[derive(Debug, Clone, Serialize)]
pub struct NewPartnerView {
    pub name: String,
    /// A stable identity for calendar entries: the file name's slug, or the slug plus `-2`,
    /// `-3`, ... when another note already uses it.
    pub id: String,
    pub aliases: Vec<String>,
    pub org: Option<String>,
    pub kind: String,
    pub stage: String,
    pub tier: String,
    pub tags: Vec<String>,
    /// The day the note is created, `YYYY-MM-DD`.
    pub today: String,
    /// Where an imported partner came from (`linkedin`, `vcard`, `csv`); `None` for `vault
    /// new`. The built-in template logs no touch for an import: being in an export is no
    /// interaction.
    pub source: Option<String>,
    /// Text the export had about the person, each line quoted (`> `) so that it cannot be
    /// read as a heading, a Log entry or a task.
    pub about: Option<String>,
}

/// A suggested introduction, for `vault intros` and the review page: who to introduce to
/// whom (the one who offers to the one who seeks), why, and the command that records it.
#[derive(Debug, Clone, Serialize)]
pub struct IntroView {
    pub introduce: String,
    pub to: String,
    pub score: u32,
    pub why: String,
    pub needs: Vec<NeedView>,
    pub shared_tags: Vec<String>,
    pub command: String,
}

/// What one partner seeks and the other offers (or is tagged).
#[derive(Debug, Clone, Serialize)]
pub struct NeedView {
    pub seeker: String,
    pub seeks: String,
    pub giver: String,
    pub offers: String,
    pub how: crate::intros::Match,
}

impl IntroView {
    pub fn new(vault: &Vault, s: &crate::intros::Suggestion) -> IntroView {
        let name = |i: usize| vault.partners[i].name.clone();
        let first = &s.needs[0];
        let (introduce, to) = (name(first.giver), name(first.seeker));
        let command = format!(
            "vault intro {} {} {}",
            shell_word(&introduce),
            shell_word(&to),
            shell_word(&format!("for {}", first.seeks))
        );
        IntroView {
            introduce,
            to,
            score: s.score,
            why: s.why.clone(),
            needs: s
                .needs
                .iter()
                .map(|n| NeedView {
                    seeker: name(n.seeker),
                    seeks: n.seeks.clone(),
                    giver: name(n.giver),
                    offers: n.offers.clone(),
                    how: n.how,
                })
                .collect(),
            shared_tags: s.shared_tags.clone(),
            command,
        }
    }
}

/// A word the shell passes as it is: quoted when it holds anything but letters, digits and
/// `-_.`.
fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_alphanumeric() || "-_.".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

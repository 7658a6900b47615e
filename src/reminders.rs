//! What needs doing by a day: touches that fall due and open tasks with due dates.

use crate::markdown::plain_text;
use crate::partner::Task;
use crate::priority::Priority;
use crate::vault::{NoteRef, OwnedTask, Vault};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::cmp::Reverse;

/// An open dated task and whom it belongs to.
pub struct DatedTask<'a> {
    pub owned: &'a OwnedTask,
    pub task: &'a Task,
    pub due: NaiveDate,
    /// The note holding the task.
    pub path: &'a str,
    /// Whom it belongs to, for people: partner names, or the note's title.
    pub owner: String,
}

/// The open tasks due on or before `until`: (due day, place in `vault.tasks`), in no order.
/// Cheap: no text is made.
pub fn due_tasks(vault: &Vault, until: NaiveDate) -> Vec<(NaiveDate, usize)> {
    vault
        .tasks
        .iter()
        .enumerate()
        .filter_map(|(t, owned)| Some((open_due_by(vault, owned, until)?, t)))
        .collect()
}

/// The first `keep` (all with `None`) of `due` (from [`due_tasks`]), sorted by due date, then
/// owner, then place; only those kept, and the others due the same day as the last kept,
/// are named.
pub fn first_tasks<'a>(
    vault: &'a Vault,
    due: &[(NaiveDate, usize)],
    keep: Option<usize>,
) -> Vec<DatedTask<'a>> {
    let mut chosen: Vec<(NaiveDate, usize)> = due.to_vec();
    if let Some(keep) = keep.filter(|&k| k < chosen.len()) {
        if keep == 0 {
            return Vec::new();
        }
        let (_, last, _) = chosen.select_nth_unstable(keep - 1);
        let last_day = last.0;
        chosen.retain(|(day, _)| *day <= last_day);
    }
    let mut found: Vec<DatedTask> = chosen
        .into_iter()
        .map(|(due, t)| {
            let owned = &vault.tasks[t];
            DatedTask {
                owned,
                task: vault.task(owned),
                due,
                path: vault.path_of(owned.note),
                owner: vault.owner_label(owned),
            }
        })
        .collect();
    found.sort_by_cached_key(|t| {
        (
            t.due,
            t.owner.to_lowercase(),
            t.path.to_string(),
            t.task.line,
        )
    });
    found.truncate(keep.unwrap_or(usize::MAX));
    found
}

/// What a reminder is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Touch,
    Task,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Touch => "touch",
            Kind::Task => "task",
        }
    }
}

/// One thing to do by a day.
pub struct Reminder {
    pub kind: Kind,
    pub date: NaiveDate,
    /// Whom it concerns, for people: a partner's name, several names, or a note's title.
    pub owner: String,
    /// The text as a reader sees it (`[[Name|label]]` shown as `label`).
    pub text: String,
    pub path: String,
    /// A calendar identity that survives edits of the text, renames of the note and changes of
    /// whom a task belongs to: `touch.<partner>`, or `task-<due>-<n>.<note>` for the nth open
    /// task of that note due that day.
    pub uid: String,
}

/// Touches (never for dormant partners) and open dated tasks due on or before `until`,
/// overdue ones included; sorted by date, kind, owner (tasks alike in those by note and line).
/// Made and sorted on every core: a large vault has thousands.
pub fn due_by(vault: &Vault, until: NaiveDate) -> Vec<Reminder> {
    let touches = vault
        .derived
        .par_iter()
        .enumerate()
        .filter_map(|(index, derived)| {
            derived.due.filter(|d| *d <= until)?;
            Some(touch(vault, index))
        });
    let tasks = vault
        .tasks
        .par_iter()
        .filter(|owned| open_due_by(vault, owned, until).is_some())
        .map(|owned| task(vault, owned));
    let mut reminders: Vec<(Reminder, u32)> = touches.chain(tasks).collect();
    sort(&mut reminders);
    reminders
        .into_iter()
        .map(|(reminder, _)| reminder)
        .collect()
}

/// The `keep` most important of [`due_by`]'s reminders, in its order, and how many there are
/// in all. A touch weighs its partner's priority, a task its owners' highest; among equals the
/// earlier comes first. Only the kept reminders are made.
pub fn most_important_due_by(
    vault: &Vault,
    until: NaiveDate,
    keep: usize,
) -> (Vec<Reminder>, usize) {
    // (score, date, kind, which): a touch by partner index, a task by its place in vault.tasks.
    let touches = vault
        .derived
        .iter()
        .enumerate()
        .filter_map(|(index, derived)| {
            let due = derived.due.filter(|d| *d <= until)?;
            Some((Priority::of(vault, index).score, due, Kind::Touch, index))
        });
    let tasks = vault.tasks.iter().enumerate().filter_map(|(t, owned)| {
        let due = open_due_by(vault, owned, until)?;
        let score = owned
            .owner
            .partners()
            .iter()
            .map(|&p| Priority::of(vault, p).score)
            .max()
            .unwrap_or(0);
        Some((score, due, Kind::Task, t))
    });
    let mut candidates: Vec<(u32, NaiveDate, Kind, usize)> = touches.chain(tasks).collect();
    let total = candidates.len();
    let key = |c: &(u32, NaiveDate, Kind, usize)| (Reverse(c.0), c.1, c.2, c.3);
    if keep < total {
        if keep == 0 {
            candidates.clear();
        } else {
            candidates.select_nth_unstable_by_key(keep - 1, key);
            candidates.truncate(keep);
        }
    }
    let mut kept: Vec<(Reminder, u32)> = candidates
        .into_iter()
        .map(|(_, _, kind, which)| match kind {
            Kind::Touch => touch(vault, which),
            Kind::Task => task(vault, &vault.tasks[which]),
        })
        .collect();
    sort(&mut kept);
    (kept.into_iter().map(|(r, _)| r).collect(), total)
}

/// The due day of an open task due on or before `until`.
fn open_due_by(vault: &Vault, owned: &OwnedTask, until: NaiveDate) -> Option<NaiveDate> {
    let task = vault.task(owned);
    task.due.filter(|d| !task.done && *d <= until)
}

/// The touch reminder of partner `index` (which is due), with line 0.
fn touch(vault: &Vault, index: usize) -> (Reminder, u32) {
    let derived = &vault.derived[index];
    let partner = &vault.partners[index];
    let last = derived
        .last_touch
        .map_or("never".to_string(), |d| d.to_string());
    let reminder = Reminder {
        kind: Kind::Touch,
        date: derived.due.unwrap_or(vault.today),
        owner: partner.name.clone(),
        text: format!("Touch base (every {}; last touch {last})", derived.cadence),
        path: partner.path.clone(),
        uid: format!("touch.{}", partner_id(vault, index)),
    };
    (reminder, 0)
}

/// The reminder of an open dated task, with its line.
fn task(vault: &Vault, owned: &OwnedTask) -> (Reminder, u32) {
    let task = vault.task(owned);
    let due = task.due.unwrap_or(vault.today);
    let reminder = Reminder {
        kind: Kind::Task,
        date: due,
        owner: vault.owner_label(owned),
        text: plain_text(&task.text),
        path: vault.path_of(owned.note).to_string(),
        uid: format!(
            "task-{due}-{}.{}",
            same_day_position(vault, owned),
            note_id(vault, owned.note)
        ),
    };
    (reminder, task.line)
}

/// Reminders in their order: date, kind, owner, identity, then a task's note and line. Touches
/// alike in the first four keep the partners' order (the sort is stable).
fn sort(reminders: &mut [(Reminder, u32)]) {
    reminders.par_sort_by_cached_key(|(r, line)| {
        let place = match r.kind {
            Kind::Touch => None,
            Kind::Task => Some((r.path.clone(), *line)),
        };
        (r.date, r.kind, r.owner.to_lowercase(), r.uid.clone(), place)
    });
}

/// 1 for the first open task of its note due that day, 2 for the second, ...
fn same_day_position(vault: &Vault, owned: &OwnedTask) -> usize {
    let tasks = match owned.note {
        NoteRef::Partner(i) => &vault.partners[i].tasks,
        NoteRef::Other(i) => &vault.others[i].tasks,
    };
    let due = tasks[owned.index].due;
    tasks[..=owned.index]
        .iter()
        .filter(|t| !t.done && t.due == due)
        .count()
}

/// A note's stable id: a partner's [`partner_id`]; another note's `id:`, else its path's slug.
pub fn note_id(vault: &Vault, note: NoteRef) -> String {
    match note {
        NoteRef::Partner(i) => partner_id(vault, i),
        NoteRef::Other(i) => {
            let other = &vault.others[i];
            other
                .id
                .clone()
                .unwrap_or_else(|| slug(other.path.strip_suffix(".md").unwrap_or(&other.path)))
        }
    }
}

/// A partner's stable id: the `id` front-matter key, else a slug of the name.
pub fn partner_id(vault: &Vault, index: usize) -> String {
    let partner = &vault.partners[index];
    partner.id.clone().unwrap_or_else(|| {
        let slug = slug(&partner.name);
        if slug.is_empty() {
            // A name without letters or digits (an emoji, say): its bytes, so it stays unique.
            partner.name.bytes().map(|b| format!("{b:02x}")).collect()
        } else {
            slug
        }
    })
}

/// Lowercase letters and digits, other runs of characters as one `-`.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut push = |c: char| {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    };
    for c in text.chars() {
        // ASCII (most names) lowercases to one character, without `to_lowercase`'s iterator.
        if c.is_ascii() {
            push(c.to_ascii_lowercase());
        } else {
            c.to_lowercase().for_each(&mut push);
        }
    }
    out.truncate(out.trim_end_matches('-').len());
    out
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slugs_keep_letters_and_digits() {
        assert_eq!(slug("Steve Rayson"), "steve-rayson");
        assert_eq!(slug("  Tomás  Ferreira (Pod) "), "tomás-ferreira-pod");
        assert_eq!(slug("A/B"), "a-b");
    }
}

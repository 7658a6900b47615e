//! What needs doing by a day: touches that fall due and open tasks with due dates.

use crate::partner::Task;
use crate::vault::Vault;
use chrono::NaiveDate;
use std::collections::BTreeSet;

/// An open dated task and the partner it belongs to.
pub struct PartnerTask<'a> {
    pub partner: usize,
    /// The note holding the task (the partner's own, or another note that links it).
    pub path: &'a str,
    pub task: &'a Task,
    pub due: NaiveDate,
}

/// Every open task with a due date: the partners' own, and those in other notes that link a
/// partner (each such task once, for the first partner it links by name order). Sorted by
/// due date, then partner name, then place.
pub fn open_dated_tasks(vault: &Vault) -> Vec<PartnerTask<'_>> {
    let mut found = Vec::new();
    for (index, partner) in vault.partners.iter().enumerate() {
        for task in partner.tasks.iter().filter(|t| !t.done) {
            if let Some(due) = task.due {
                found.push(PartnerTask {
                    partner: index,
                    path: &partner.path,
                    task,
                    due,
                });
            }
        }
    }
    let mut by_name: Vec<usize> = (0..vault.partners.len()).collect();
    by_name.sort_by_key(|&i| (vault.partners[i].name.to_lowercase(), i));
    let mut seen = BTreeSet::new();
    for index in by_name {
        for (path, task) in vault.linked_tasks[index].iter().filter(|(_, t)| !t.done) {
            if let Some(due) = task.due {
                if seen.insert((path.as_str(), task.line)) {
                    found.push(PartnerTask {
                        partner: index,
                        path,
                        task,
                        due,
                    });
                }
            }
        }
    }
    found.sort_by(|a, b| {
        let key = |t: &PartnerTask| {
            (
                t.due,
                vault.partners[t.partner].name.to_lowercase(),
                t.path.to_string(),
                t.task.line,
            )
        };
        key(a).cmp(&key(b))
    });
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
    pub partner: usize,
    pub date: NaiveDate,
    pub text: String,
    pub path: String,
    /// What is reminded, stable across edits of the text and renames of the file: `touch`, or
    /// `task-YYYY-MM-DD-N` (the Nth open task of this partner due that day).
    pub subject: String,
}

/// Touches (never for dormant partners) and open dated tasks due on or before `until`,
/// overdue ones included; sorted by date, kind, partner name.
pub fn due_by(vault: &Vault, until: NaiveDate) -> Vec<Reminder> {
    let mut reminders = Vec::new();
    for (index, derived) in vault.derived.iter().enumerate() {
        let Some(due) = derived.due.filter(|d| *d <= until) else {
            continue;
        };
        let partner = &vault.partners[index];
        let last = derived
            .last_touch
            .map_or("never".to_string(), |d| d.to_string());
        reminders.push(Reminder {
            kind: Kind::Touch,
            partner: index,
            date: due,
            text: format!("Touch base (every {}; last touch {last})", derived.cadence),
            path: partner.path.clone(),
            subject: "touch".into(),
        });
    }
    let mut per_day: std::collections::HashMap<(usize, NaiveDate), usize> = Default::default();
    for task in open_dated_tasks(vault)
        .into_iter()
        .filter(|t| t.due <= until)
    {
        let n = per_day.entry((task.partner, task.due)).or_default();
        *n += 1;
        reminders.push(Reminder {
            kind: Kind::Task,
            partner: task.partner,
            date: task.due,
            text: task.task.text.clone(),
            path: task.path.to_string(),
            subject: format!("task-{}-{n}", task.due),
        });
    }
    reminders.sort_by(|a, b| {
        let key = |r: &Reminder| {
            (
                r.date,
                r.kind,
                vault.partners[r.partner].name.to_lowercase(),
                r.subject.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
    reminders
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
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
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

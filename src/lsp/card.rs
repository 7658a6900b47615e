//! A partner at a glance, as hover and completion show it: last touch, due (or overdue by N
//! days), cadence, reciprocity and open tasks.

use crate::cadence::days_between;
use crate::vault::Vault;
use crate::views::due_phrase;
use std::fmt::Write as _;

/// One line: `Lopez Video · partner · due 2026-12-04 (in 11d)`.
pub fn detail(vault: &Vault, index: usize) -> String {
    let p = &vault.partners[index];
    let d = &vault.derived[index];
    let mut parts: Vec<String> = Vec::new();
    parts.extend(p.org.clone());
    parts.extend(p.stage.clone());
    match d.due {
        Some(due) => parts.push(format!(
            "due {due} ({})",
            due_phrase(Some(days_between(vault.today, due)))
        )),
        None => parts.push("never due".into()),
    }
    parts.join(" · ")
}

/// The hover: a Markdown card.
pub fn markdown(vault: &Vault, index: usize) -> String {
    let p = &vault.partners[index];
    let d = &vault.derived[index];
    let mut card = format!("**{}**", p.name);
    if let Some(org) = &p.org {
        let _ = write!(card, " — {org}");
    }
    let what: Vec<&str> = [p.stage.as_deref(), p.kind.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    let _ = write!(card, "\n\n{} · tier {}\n", what.join(" · "), p.tier);
    let touch = match d.last_touch {
        Some(day) => {
            let ago = days_between(day, vault.today);
            format!("{day} ({})", ago_phrase(ago))
        }
        None => "never".into(),
    };
    let _ = write!(card, "\n- last touch: {touch}");
    let due = match d.due {
        Some(due) => {
            let days = days_between(vault.today, due);
            let phrase = if days < 0 {
                format!("overdue by {} day{}", -days, plural(-days))
            } else {
                due_phrase(Some(days))
            };
            let snoozed = if d.due_from_next {
                ", set by next:"
            } else {
                ""
            };
            format!("{due} ({phrase}{snoozed})")
        }
        None => "never (dormant)".into(),
    };
    let _ = write!(card, "\n- due: {due}");
    let _ = write!(card, "\n- cadence: {}", d.cadence);
    let _ = write!(
        card,
        "\n- balance: gave {}, got {} ({:+}) in the last {}",
        d.gave,
        d.got,
        d.balance(),
        vault.config.reciprocity_window
    );
    let open: Vec<String> = vault
        .tasks
        .iter()
        .filter(|owned| owned.owner.partners().contains(&index))
        .map(|owned| vault.task(owned))
        .filter(|task| !task.done)
        .map(|task| match task.due {
            Some(due) => format!("  - [ ] {due} {}", task.text),
            None => format!("  - [ ] {}", task.text),
        })
        .collect();
    if open.is_empty() {
        card.push_str("\n- open tasks: none");
    } else {
        let _ = write!(card, "\n- open tasks:\n{}", open.join("\n"));
    }
    let _ = write!(card, "\n\n`{}`", p.path);
    card
}

fn ago_phrase(days: i64) -> String {
    match days {
        0 => "today".into(),
        n if n < 0 => format!("in {} day{}", -n, plural(-n)),
        n => format!("{n} day{} ago", plural(n)),
    }
}

fn plural(n: i64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

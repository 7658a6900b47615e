//! The touch rules of the format, through the real binary: `next` until a newer touch, touch
//! lists versus mentions, `stage:` entries, dates in meeting notes, and whom a task belongs to.

mod common;

use common::{diagnostics, partner, partners, run_vault_on, TempVault};
use serde_json::Value;

/// A vault with the default settings and these notes.
fn vault_with(notes: &[(&str, &str)]) -> TempVault {
    let vault = TempVault::empty();
    vault.write("vault.yaml", "# defaults\n");
    for (path, text) in notes {
        vault.write(path, text);
    }
    vault
}

const JON: (&str, &str) = (
    "partners/jon-park.md",
    "---\nname: Jon Park\ntier: A\nlast_contact: 2026-11-01\n---\n## Log\n- 2026-11-01 met: Coffee\n",
);
const MAYA: (&str, &str) = (
    "partners/maya-lindqvist.md",
    "---\nname: Maya Lindqvist\ntier: A\nlast_contact: 2026-11-01\n---\n",
);

fn list_on(vault: &TempVault, today: &str) -> Vec<Value> {
    let run = run_vault_on(vault.path(), today, &["list", "--format", "json"]);
    run.assert_code(0);
    partners(&run)
}

#[test]
fn a_planned_next_counts_until_a_newer_touch_supersedes_it() {
    let vault = vault_with(&[(
        "partners/ana.md",
        "---\nname: Ana\ntier: A\nnext: 2026-12-01\n---\n## Log\n- 2026-11-20 met: Lunch\n",
    )]);
    // Before any later touch, `next` is the due day.
    let ana = partner(&list_on(&vault, "2026-11-25"), "Ana").clone();
    assert_eq!(ana["due"], "2026-12-01");
    // A Log entry on 12-02 is newer than `next`: due again two weeks after it, not overdue.
    vault.write(
        "partners/ana.md",
        "---\nname: Ana\ntier: A\nnext: 2026-12-01\n---\n## Log\n- 2026-12-02 gave: Intro\n- 2026-11-20 met: Lunch\n",
    );
    let ana = partner(&list_on(&vault, "2026-12-07"), "Ana").clone();
    assert_eq!(ana["last_touch"], "2026-12-02");
    assert_eq!(ana["due"], "2026-12-16");
    assert_eq!(ana["due_in_days"], 9);
    // A touch on the planned day itself also supersedes it.
    vault.write(
        "partners/ana.md",
        "---\nname: Ana\ntier: A\nnext: 2026-12-01\nlast_contact: 2026-12-01\n---\n",
    );
    assert_eq!(
        partner(&list_on(&vault, "2026-12-07"), "Ana")["due"],
        "2026-12-15"
    );
}

#[test]
fn a_passing_mention_is_no_touch_and_show_lists_it() {
    let vault = vault_with(&[
        JON,
        (
            "notes/meetings/2026-11-25-podcast.md",
            "---\ndate: 2026-11-25\n---\nWe mentioned [[Jon Park]] as a possible guest.\n",
        ),
    ]);
    let jon = partner(&list_on(&vault, "2026-11-26"), "Jon Park").clone();
    assert_eq!(jon["last_touch"], "2026-11-01");
    assert_eq!(jon["due_in_days"], -11, "still 11 days overdue");
    let show = run_vault_on(vault.path(), "2026-11-26", &["show", "Jon Park"]);
    show.assert_code(0);
    assert!(
        show.stdout
            .contains("Mentioned in (not touches)\n  notes/meetings/2026-11-25-podcast.md:4\n"),
        "{}",
        show.stdout
    );
    let review = run_vault_on(vault.path(), "2026-11-26", &["review", "--stdout"]);
    assert!(
        review.stdout.contains("[[Jon Park]]: **11 days overdue**"),
        "{}",
        review.stdout
    );
}

#[test]
fn each_touch_key_makes_a_dated_note_a_touch() {
    for (key, list) in [
        ("attendees", "[\"[[Jon Park]]\"]"),
        ("partners", "[\"[[jon-park]]\"]"),
        ("with", "[Jon Park]"),
        ("attendees", "\"[[Jon Park|Jon]]\""),
        // Unquoted, YAML reads a list inside the list; it is read as the link it was meant to be.
        ("attendees", "\n  - [[Jon Park]]"),
    ] {
        let vault = vault_with(&[
            JON,
            (
                "notes/call.md",
                &format!("---\ndate: 2026-11-25\n{key}: {list}\n---\nA call.\n"),
            ),
        ]);
        let jon = partner(&list_on(&vault, "2026-11-26"), "Jon Park").clone();
        assert_eq!(jon["last_touch"], "2026-11-25", "{key}: {list}");
        let show = run_vault_on(vault.path(), "2026-11-26", &["show", "Jon"]);
        assert!(
            show.stdout
                .contains("Listed in (touches)\n  notes/call.md:3  (touch on 2026-11-25)"),
            "{}",
            show.stdout
        );
    }
}

#[test]
fn touch_keys_come_from_vault_yaml() {
    let vault = vault_with(&[
        JON,
        MAYA,
        (
            "notes/call.md",
            "---\ndate: 2026-11-25\nguests: [\"[[Jon Park]]\"]\nattendees: [\"[[Maya Lindqvist]]\"]\n---\n",
        ),
    ]);
    vault.write("vault.yaml", "touch_keys: [guests]\n");
    let list = list_on(&vault, "2026-11-26");
    assert_eq!(partner(&list, "Jon Park")["last_touch"], "2026-11-25");
    assert_eq!(partner(&list, "Maya Lindqvist")["last_touch"], "2026-11-01");
}

#[test]
fn a_stage_entry_records_the_pipeline_and_is_no_touch() {
    let vault = vault_with(&[(
        "partners/ana.md",
        "---\nname: Ana\ntier: A\nstage: partner\n---\n## Log\n- 2026-11-25 stage: nurturing -> partner\n- 2026-11-01 met: Lunch\n",
    )]);
    let ana = partner(&list_on(&vault, "2026-11-26"), "Ana").clone();
    assert_eq!(ana["last_touch"], "2026-11-01");
}

#[test]
fn an_invalid_meeting_date_is_reported_where_it_is_written() {
    for date in ["2026-13-45", "2023-02-30"] {
        let vault = vault_with(&[
            JON,
            (
                "notes/call.md",
                &format!("---\ntitle: Call\ndate: {date}\nattendees: [\"[[Jon Park]]\"]\n---\n"),
            ),
        ]);
        let run = vault.run(&["check", "--format", "json"]);
        let found = diagnostics(&run);
        let bad: Vec<&Value> = found
            .iter()
            .filter(|d| d["code"] == "invalid-date")
            .collect();
        assert_eq!(bad.len(), 1, "{date}: {found:#?}");
        assert_eq!(bad[0]["path"], "notes/call.md");
        assert_eq!(bad[0]["line"], 3);
        assert!(bad[0]["message"]
            .as_str()
            .unwrap()
            .contains("counts as no touch"));
    }
}

/// A meeting note naming four partners, with a task that links nobody, one that links Maya,
/// and one in a note with a single attendee.
fn meeting_vault(attendees: &str) -> TempVault {
    let names = ["Ana", "Ben", "Cy"];
    let mut notes: Vec<(String, String)> = names
        .iter()
        .map(|n| {
            (
                format!("partners/{}.md", n.to_lowercase()),
                format!("---\nname: {n}\nlast_contact: 2026-11-20\n---\n"),
            )
        })
        .collect();
    notes.push((JON.0.into(), JON.1.into()));
    notes.push((MAYA.0.into(), MAYA.1.into()));
    notes.push((
        "notes/meetings/2026-11-20-planning.md".into(),
        format!(
            "---\ntitle: Planning call\ndate: 2026-11-20\nattendees: {attendees}\n---\n## Next steps\n- [ ] 2026-11-27 Send everyone the summary\n- [ ] 2026-11-27 Book a studio with [[Maya Lindqvist]]\n"
        ),
    ));
    notes.push((
        "notes/meetings/2026-11-21-ben.md".into(),
        "---\ndate: 2026-11-21\nwith: [Ben]\n---\n- [ ] 2026-11-28 Send Ben the deck\n".into(),
    ));
    let vault = vault_with(&[]);
    for (path, text) in &notes {
        vault.write(path, text);
    }
    vault
}

fn task_reminders(vault: &TempVault) -> Vec<Value> {
    let run = vault.run(&["remind", "--within", "2w", "--format", "json"]);
    run.assert_code(0);
    run.json()
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "task")
        .cloned()
        .collect()
}

#[test]
fn a_task_belongs_to_its_links_else_the_single_partner_else_the_note() {
    let vault = meeting_vault("[\"[[Jon Park]]\", \"[[Maya Lindqvist]]\", Ana, Cy]");
    let tasks = task_reminders(&vault);
    let owners: Vec<(&str, &str)> = tasks
        .iter()
        .map(|t| (t["partner"].as_str().unwrap(), t["text"].as_str().unwrap()))
        .collect();
    assert_eq!(
        owners,
        [
            ("Maya Lindqvist", "Book a studio with Maya Lindqvist"),
            ("Planning call", "Send everyone the summary"),
            ("Ben", "Send Ben the deck"),
        ],
        "one reminder per task"
    );
    // `show` lists a note's own task for each partner it names, with the note.
    let show = vault.run(&["show", "Jon Park"]);
    assert!(
        show.stdout.contains(
            "2026-11-27  Send everyone the summary  (notes/meetings/2026-11-20-planning.md:7; Planning call, with Jon Park, Maya Lindqvist, Ana, Cy)"
        ),
        "{}",
        show.stdout
    );
    let review = vault.run(&["review", "--stdout"]);
    assert!(
        review.stdout.contains("- 2026-11-27, [[notes/meetings/2026-11-20-planning|Planning call]] (with [[Jon Park]], [[Maya Lindqvist]], [[Ana]], [[Cy]]): Send everyone the summary"),
        "{}",
        review.stdout
    );
}

fn uids(vault: &TempVault) -> Vec<String> {
    let run = vault.run(&["remind", "--within", "2w", "--format", "ics"]);
    run.assert_code(0);
    let mut uids: Vec<String> = run
        .stdout
        .lines()
        .filter_map(|l| l.strip_prefix("UID:"))
        .filter(|uid| uid.starts_with("task"))
        .map(str::to_string)
        .collect();
    uids.sort();
    uids
}

#[test]
fn a_task_uid_does_not_depend_on_whom_it_belongs_to() {
    let many = meeting_vault("[\"[[Jon Park]]\", \"[[Maya Lindqvist]]\", Ana, Cy]");
    let one = meeting_vault("[\"[[Jon Park]]\"]");
    assert_eq!(
        task_reminders(&one)
            .iter()
            .find(|t| t["text"] == "Send everyone the summary")
            .map(|t| t["partner"].clone()),
        Some(Value::from("Jon Park"))
    );
    assert_eq!(uids(&many), uids(&one));
    assert_eq!(
        uids(&many),
        [
            "task-2026-11-27-1.notes-meetings-2026-11-20-planning@partner-vault",
            "task-2026-11-27-2.notes-meetings-2026-11-20-planning@partner-vault",
            "task-2026-11-28-1.notes-meetings-2026-11-21-ben@partner-vault",
        ]
    );
}

//! The priority of a partner through the real binary: one test per signal (tier, lateness
//! against the cadence, stage, reciprocity), each on a pair of partners that differ only in
//! it, with the reasons in words on `list --format json`, `list --sort priority` and `show`.
//! Every run pins `--today` to Monday 2026-11-23.

mod common;

use common::{partner, partners, TempVault};
use serde_json::Value;

/// A partner note: `tier`, `stage`, the last touch, and Log lines under it.
fn note(name: &str, tier: &str, stage: &str, last_contact: &str, log: &str) -> String {
    format!(
        "---\nname: {name}\ntier: {tier}\nstage: {stage}\nlast_contact: {last_contact}\n---\n## Log\n{log}"
    )
}

/// A vault holding just these notes, in `partners/`.
fn vault_of(notes: &[(&str, String)]) -> TempVault {
    let v = TempVault::empty();
    v.write("vault.yaml", "");
    for (file, text) in notes {
        v.write(&format!("partners/{file}.md"), text);
    }
    v
}

/// `list --sort priority --format json`: the partners, highest priority first.
fn by_priority(v: &TempVault) -> Vec<Value> {
    let run = v.run(&["list", "--sort", "priority", "--format", "json"]);
    run.assert_code(0);
    partners(&run)
}

fn names(list: &[Value]) -> Vec<&str> {
    list.iter().map(|p| p["name"].as_str().unwrap()).collect()
}

fn why<'a>(list: &'a [Value], name: &str) -> &'a str {
    partner(list, name)["priority_why"].as_str().unwrap()
}

fn score(list: &[Value], name: &str) -> u64 {
    partner(list, name)["priority"].as_u64().unwrap()
}

/// Given to within the window, before every last touch below.
const GAVE: &str = "- 2026-06-01 gave: Shared their post\n";

#[test]
fn a_shorter_tier_comes_first() {
    // Both 10 days late on their own cadence (A 2w, B 1m), both given to.
    let v = vault_of(&[
        ("b", note("Bea", "B", "partner", "2026-10-13", GAVE)),
        ("a", note("Abe", "A", "partner", "2026-10-30", GAVE)),
    ]);
    let list = by_priority(&v);
    // Abe: 10 days late on 14 days is more than Bea's 10 on 30, and tier A weighs more.
    assert_eq!(names(&list), ["Abe", "Bea"]);
    assert!(why(&list, "Abe").starts_with("tier A, partner, 0.7 cadences late (10 days)"));
    assert!(why(&list, "Bea").starts_with("tier B, partner, 0.3 cadences late (10 days)"));
}

#[test]
fn lateness_counts_against_the_cadence() {
    // Same tier, same 10 days late: on a 2-week cadence it matters more than on a quarterly one.
    let with_cadence = |name: &str, cadence: &str, last: &str| {
        format!("---\nname: {name}\ntier: B\nstage: partner\ncadence: {cadence}\nlast_contact: {last}\n---\n## Log\n{GAVE}")
    };
    let v = vault_of(&[
        ("q", with_cadence("Quarterly Quinn", "3m", "2026-08-13")),
        ("f", with_cadence("Fortnightly Fay", "2w", "2026-10-30")),
    ]);
    let list = by_priority(&v);
    assert_eq!(names(&list), ["Fortnightly Fay", "Quarterly Quinn"]);
    assert!(score(&list, "Fortnightly Fay") > score(&list, "Quarterly Quinn"));
    assert!(why(&list, "Quarterly Quinn").contains("0.1 cadences late (10 days)"));
    assert!(why(&list, "Fortnightly Fay").contains("0.7 cadences late (10 days)"));
}

#[test]
fn partners_and_the_nurtured_come_before_prospects() {
    let v = vault_of(&[
        (
            "p",
            note("Pat Prospect", "B", "prospect", "2026-10-13", GAVE),
        ),
        (
            "n",
            note("Nia Nurturing", "B", "nurturing", "2026-10-13", GAVE),
        ),
        (
            "a",
            note("Al Acquaintance", "B", "acquaintance", "2026-10-13", GAVE),
        ),
        ("d", note("Dot Dormant", "A", "dormant", "2020-01-01", GAVE)),
    ]);
    let list = by_priority(&v);
    assert_eq!(
        names(&list),
        [
            "Nia Nurturing",
            "Al Acquaintance",
            "Pat Prospect",
            "Dot Dormant"
        ]
    );
    assert!(why(&list, "Pat Prospect").starts_with("tier B, prospect, "));
    // Dormant partners are never due: priority 0, last.
    assert_eq!(score(&list, "Dot Dormant"), 0);
    assert_eq!(why(&list, "Dot Dormant"), "tier A, dormant, never due");
}

#[test]
fn receiving_more_than_giving_raises_it() {
    let v = vault_of(&[
        (
            "e",
            note(
                "Even Eve",
                "B",
                "partner",
                "2026-10-23",
                "- 2026-10-23 gave: A shout-out\n- 2026-10-20 got: An intro\n",
            ),
        ),
        (
            "o",
            note(
                "Owed Otto",
                "B",
                "partner",
                "2026-10-23",
                "- 2026-10-23 got: An intro\n- 2026-10-20 got: A guest slot\n",
            ),
        ),
    ]);
    let list = by_priority(&v);
    assert_eq!(names(&list), ["Owed Otto", "Even Eve"]);
    assert_eq!(
        why(&list, "Owed Otto"),
        "tier B, partner, due today, got 2 gave 0"
    );
    assert_eq!(
        why(&list, "Even Eve"),
        "tier B, partner, due today, gave 1 got 1"
    );
}

#[test]
fn never_giving_raises_it_and_lateness_is_capped() {
    let v = vault_of(&[
        ("g", note("Given Gil", "C", "partner", "2026-08-23", GAVE)),
        ("n", note("Never Ned", "C", "partner", "2026-08-23", "")),
        // Years late counts as 4 cadences: the same as 4 cadences late.
        ("l", note("Lapsed Lou", "C", "partner", "2020-01-01", "")),
        ("f", note("Four Fred", "C", "partner", "2025-08-10", "")),
    ]);
    let list = by_priority(&v);
    assert!(score(&list, "Never Ned") > score(&list, "Given Gil"));
    assert_eq!(score(&list, "Lapsed Lou"), score(&list, "Four Fred"));
    assert!(
        why(&list, "Lapsed Lou").contains(", counted as 4, "),
        "{}",
        why(&list, "Lapsed Lou")
    );
}

#[test]
fn show_says_why_and_where_the_partner_stands() {
    let v = vault_of(&[
        ("a", note("Abe", "A", "partner", "2026-10-30", GAVE)),
        ("b", note("Bea", "B", "partner", "2026-10-13", GAVE)),
    ]);
    let run = v.run(&["show", "Bea"]);
    run.assert_code(0);
    let line = run
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("priority"))
        .expect("a priority line");
    let list = by_priority(&v);
    assert_eq!(
        line.trim(),
        format!(
            "priority    {} (#2 of 2); why: {}",
            score(&list, "Bea"),
            why(&list, "Bea")
        )
    );

    let run = v.run(&["show", "Abe", "--format", "json"]);
    run.assert_code(0);
    let json = run.json();
    assert_eq!(json["name"], "Abe");
    assert_eq!(json["rank"], 1);
    assert_eq!(json["partners"], 2);
    assert_eq!(json["priority"], score(&list, "Abe"));
    assert_eq!(json["interactions"][0]["kind"], "gave");
    assert_eq!(json["interactions"][0]["text"], "Shared their post");
}

#[test]
fn list_filters_the_overdue_and_those_to_give_to() {
    let v = vault_of(&[
        ("a", note("Late Abe", "A", "partner", "2026-10-30", GAVE)),
        ("b", note("Fresh Bea", "B", "partner", "2026-11-20", GAVE)),
        (
            "c",
            note(
                "Owed Cy",
                "B",
                "partner",
                "2026-11-20",
                "- 2026-11-20 got: A guest slot\n",
            ),
        ),
    ]);
    let run = v.run(&["list", "--overdue", "--format", "json"]);
    run.assert_code(0);
    assert_eq!(names(&partners(&run)), ["Late Abe"]);
    let run = v.run(&["list", "--give-first", "--format", "json"]);
    run.assert_code(0);
    assert_eq!(names(&partners(&run)), ["Owed Cy"]);
    // The table has the score.
    let run = v.run(&["list", "--sort", "priority"]);
    run.assert_code(0);
    assert!(run.stdout.lines().next().unwrap().contains("PRIORITY"));
    assert!(run.stdout.lines().nth(1).unwrap().starts_with("Late Abe"));
}

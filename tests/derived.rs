//! Derived values (format section 4 and 5): last touch, due and reciprocity, computed from
//! `tests/fixtures/derived` on a pinned day, 2026-11-23. The 180-day reciprocity window then
//! starts on 2026-05-27.

mod common;

use common::{partner, partners, TempVault};
use serde_json::{json, Value};

fn derived_list() -> Vec<Value> {
    let vault = TempVault::copy("derived");
    // The fixture is clean: every value below comes from valid notes.
    vault.run(&["check", "--strict"]).assert_code(0);
    let run = vault.run(&["list", "--format", "json", "--sort", "name"]);
    run.assert_code(0);
    partners(&run)
}

/// (name, last_touch, due, cadence); `None` is JSON null.
const EXPECTED: &[(&str, Option<&str>, Option<&str>, &str)] = &[
    // Month arithmetic clamps to the month's end: 2026-01-31 + 1m = 2026-02-28.
    ("Clem Clamp", Some("2026-01-31"), Some("2026-02-28"), "1m"),
    // `last_contact` alone; tier A's default cadence of 2w.
    ("Contact Only", Some("2026-11-01"), Some("2026-11-15"), "2w"),
    // Dormant partners are never due, but their last touch is still known.
    ("Dora Dormant", Some("2026-01-01"), None, "1m"),
    // Only a dated meeting note's `partners: ["[[Fern Listed]]"]` names her.
    ("Fern Listed", Some("2026-11-18"), Some("2026-12-18"), "1m"),
    // The newest Log entry beats an older `last_contact`; the meeting note dated after today
    // that links her does not count yet.
    ("Log Newest", Some("2026-11-10"), Some("2026-12-10"), "1m"),
    // A dated meeting note linking her in its body (`[[Mia Meet|Mia]]`) beats last_contact.
    ("Mia Meet", Some("2026-11-20"), Some("2026-12-20"), "1m"),
    // `next:` overrides last touch + cadence (which would be 2026-11-15).
    ("Nell Next", Some("2026-11-01"), Some("2027-01-15"), "2w"),
    // Never touched and no `since`: due today.
    ("Neve Never", None, Some("2026-11-23"), "1m"),
    // Review pages link him (and list him in `partners:`), but never count as touches.
    ("Rex Review", Some("2026-10-01"), Some("2026-11-01"), "1m"),
    ("Rita Recip", Some("2026-11-01"), Some("2027-02-01"), "3m"),
    // Never touched: due `since` + cadence.
    ("Sid Since", None, Some("2026-10-15"), "2w"),
];

#[test]
fn last_touch_due_and_cadence() {
    let list = derived_list();
    let got: Vec<&str> = list.iter().map(|p| p["name"].as_str().unwrap()).collect();
    let want: Vec<&str> = EXPECTED.iter().map(|e| e.0).collect();
    assert_eq!(got, want);
    for &(name, last_touch, due, cadence) in EXPECTED {
        let p = partner(&list, name);
        assert_eq!(p["last_touch"], json!(last_touch), "{name}: last_touch");
        assert_eq!(p["due"], json!(due), "{name}: due");
        assert_eq!(p["cadence"], cadence, "{name}: cadence");
    }
}

#[test]
fn due_in_days_counts_from_today() {
    let list = derived_list();
    assert_eq!(partner(&list, "Neve Never")["due_in_days"], 0);
    assert_eq!(partner(&list, "Contact Only")["due_in_days"], -8);
    assert_eq!(partner(&list, "Mia Meet")["due_in_days"], 27);
    assert_eq!(partner(&list, "Dora Dormant")["due_in_days"], json!(null));
}

#[test]
fn reciprocity_counts_gave_and_got_within_the_window_only() {
    let list = derived_list();
    let rita = partner(&list, "Rita Recip");
    // gave: 2026-11-01 and 2026-05-27 (the window's first day); not 2026-05-26.
    assert_eq!(rita["gave"], 2);
    // got: 2026-08-01 (written `Got:`) and 2026-06-01; not 2025-12-01.
    assert_eq!(rita["got"], 2);
    assert_eq!(rita["balance"], 0);
    assert_eq!(rita["last_gave"], "2026-11-01");
    // Nobody else has gave/got entries.
    for p in &list {
        if p["name"] != "Rita Recip" {
            assert_eq!((&p["gave"], &p["got"]), (&json!(0), &json!(0)), "{p:#}");
        }
    }
}

#[test]
fn the_window_moves_with_today() {
    // On 2026-11-24 the window starts on 2026-05-28: the 2026-05-27 gave drops out.
    let vault = TempVault::copy("derived");
    let mut cmd = common::command();
    cmd.arg("--vault").arg(vault.path()).args([
        "--today",
        "2026-11-24",
        "list",
        "--format",
        "json",
    ]);
    let list = partners(&common::run(cmd));
    assert_eq!(partner(&list, "Rita Recip")["gave"], 1);
}

#[test]
fn a_future_meeting_counts_once_its_day_comes() {
    let vault = TempVault::copy("derived");
    let mut cmd = common::command();
    cmd.arg("--vault").arg(vault.path()).args([
        "--today",
        "2026-12-02",
        "list",
        "--format",
        "json",
    ]);
    let list = partners(&common::run(cmd));
    assert_eq!(partner(&list, "Log Newest")["last_touch"], "2026-12-01");
}

#[test]
fn show_lists_meeting_notes_as_interactions_and_mentions() {
    let vault = TempVault::copy("derived");
    let run = vault.run(&["show", "Mia Meet"]);
    run.assert_code(0);
    assert!(
        run.stdout
            .contains("2026-11-20  note   notes/meetings/2026-11-20-sync.md"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("notes/meetings/2026-11-20-sync.md:3  (touch on 2026-11-20)"),
        "{}",
        run.stdout
    );
    let run = vault.run(&["show", "Fern Listed"]);
    assert!(
        run.stdout
            .contains("notes/meetings/2026-11-18-call.md:3  (touch on 2026-11-18)"),
        "the `partners:` line is the mention: {}",
        run.stdout
    );
    // An undated note mentions, but is no touch; review pages are not even mentions.
    let run = vault.run(&["show", "Rex Review"]);
    assert!(
        run.stdout.contains("notes/ideas/undated.md:3\n"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("reviews/"), "{}", run.stdout);
    assert!(
        run.stdout.contains("last touch  2026-10-01"),
        "{}",
        run.stdout
    );
}

#[test]
fn editing_a_note_changes_the_derived_values() {
    let vault = TempVault::copy("derived");
    // A new dated meeting note listing Neve by her file name is her first touch.
    vault.write(
        "notes/2026-11-21-coffee.md",
        "---\ndate: 2026-11-21\nwith: [\"[[neve-never]]\"]\n---\nCoffee with [[neve-never]].\n",
    );
    // A review page dated today must still not count for Rex.
    vault.write(
        "reviews/2026-W48.md",
        "---\ndate: 2026-11-23\npartners: [\"[[Rex Review]]\"]\n---\n[[Rex Review]]\n",
    );
    let list = partners(&vault.run(&["list", "--format", "json"]));
    let neve = partner(&list, "Neve Never");
    assert_eq!(neve["last_touch"], "2026-11-21");
    assert_eq!(neve["due"], "2026-12-21");
    assert_eq!(partner(&list, "Rex Review")["last_touch"], "2026-10-01");
}

#[test]
fn month_cadences_clamp_at_every_month_end() {
    let vault = TempVault::empty();
    let cases = [
        ("jan31", "1m", "2026-01-31", "2026-02-28"),
        ("leap", "1m", "2024-01-31", "2024-02-29"),
        ("mar31", "1m", "2026-03-31", "2026-04-30"),
        ("nov30q", "quarterly", "2026-11-30", "2027-02-28"),
        ("leapday", "1y", "2024-02-29", "2025-02-28"),
        ("weeks", "2w", "2026-12-25", "2027-01-08"),
    ];
    for (stem, cadence, last, _) in cases {
        vault.write(
            &format!("partners/{stem}.md"),
            format!("---\ncadence: {cadence}\nlast_contact: {last}\n---\n"),
        );
    }
    let mut cmd = common::command();
    // A late `today`, so every last_contact is in the past.
    cmd.arg("--vault").arg(vault.path()).args([
        "--today",
        "2027-06-01",
        "list",
        "--format",
        "json",
    ]);
    let run = common::run(cmd);
    run.assert_code(0);
    let list = partners(&run);
    for (stem, _, _, due) in cases {
        assert_eq!(partner(&list, stem)["due"], due, "{stem}");
    }
}

//! The bundled example vault, as a new user first meets it: it checks clean, and this week's
//! review page in it is exactly what `vault review` writes, with the user's plan kept below.

mod common;

use common::{copy_dir, run_vault_on, TempVault};
use std::path::Path;

/// The day the README pins for the example.
const EXAMPLE_DAY: &str = "2026-11-23";
const PAGE: &str = "reviews/2026-W48.md";

fn example() -> TempVault {
    let vault = TempVault::empty();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("example-vault"),
        vault.path(),
    );
    vault
}

#[test]
fn the_example_vault_checks_clean() {
    let vault = example();
    let run = run_vault_on(vault.path(), EXAMPLE_DAY, &["check"]);
    run.assert_code(0);
    assert!(run.stdout.ends_with("no problems\n"), "{}", run.stdout);
}

#[test]
fn the_example_review_page_is_current_and_keeps_the_plan() {
    let vault = example();
    let committed = vault.read(PAGE);
    assert!(committed.contains("\n## My plan\n"), "{committed}");
    // The committed page is what the tool writes for that day: nothing to update.
    let run = run_vault_on(vault.path(), EXAMPLE_DAY, &["review"]);
    run.assert_code(0);
    assert_eq!(run.stdout, format!("unchanged {PAGE}\n"));
    // A day later the generated part changes and the plan below it stays, byte for byte.
    let run = run_vault_on(vault.path(), "2026-11-24", &["review"]);
    run.assert_code(0);
    assert_eq!(run.stdout, format!("updated {PAGE}\n"));
    let after = vault.read(PAGE);
    let plan = |page: &str| page[page.find("<!-- vault:end -->").unwrap()..].to_string();
    assert_eq!(plan(&after), plan(&committed));
    assert_ne!(after, committed);
}

/// The lines of `after` that are not in `before`, and the lines of `before` gone from `after`,
/// in file order.
fn changed_lines(before: &str, after: &str) -> (Vec<String>, Vec<String>) {
    let old: Vec<&str> = before.lines().collect();
    let new: Vec<&str> = after.lines().collect();
    let added = new
        .iter()
        .filter(|l| !old.contains(l))
        .map(|l| l.to_string())
        .collect();
    let removed = old
        .iter()
        .filter(|l| !new.contains(l))
        .map(|l| l.to_string())
        .collect();
    (added, removed)
}

#[test]
fn the_readme_tour_changes_exactly_the_intended_lines() {
    let vault = example();
    let priya = "partners/priya-raman.md";
    for (args, note, added, removed) in [
        (
            vec![
                "log",
                "priya",
                "Sent her the open and click numbers",
                "--gave",
            ],
            priya,
            vec![
                "last_contact: 2026-11-26",
                "- 2026-11-26 gave: Sent her the open and click numbers",
            ],
            vec!["last_contact: 2026-10-20"],
        ),
        (
            vec!["task", "priya", "--due", "1w", "Ask about the 2027 study"],
            priya,
            vec!["- [ ] 2026-12-03 Ask about the 2027 study"],
            vec![],
        ),
        (
            vec!["done", "priya", "open and click"],
            priya,
            vec!["- [x] 2026-11-13 Send her the open and click numbers for the study issue"],
            vec!["- [ ] 2026-11-13 Send her the open and click numbers for the study issue"],
        ),
        (
            vec!["snooze", "jess", "2w"],
            "partners/jess-morales.md",
            vec!["next: 2026-12-10"],
            vec![],
        ),
        (
            vec!["stage", "aiko", "acquaintance"],
            "partners/prospects/aiko-tanaka.md",
            vec![
                "stage: acquaintance",
                "- 2026-11-26 stage: prospect -> acquaintance",
            ],
            vec!["stage: prospect"],
        ),
    ] {
        let before = common::tree(vault.path());
        let note_before = vault.read(note);
        let run = run_vault_on(vault.path(), "2026-11-26", &args);
        run.assert_code(0);
        let after = common::tree(vault.path());
        let changed: Vec<&String> = after
            .iter()
            .zip(&before)
            .filter(|(a, b)| a != b)
            .map(|(a, _)| &a.0)
            .collect();
        assert_eq!(changed, [note], "{args:?}: only the note changes");
        let (got_added, got_removed) = changed_lines(&note_before, &vault.read(note));
        assert_eq!(got_added, added, "{args:?}");
        assert_eq!(got_removed, removed, "{args:?}");
    }
}

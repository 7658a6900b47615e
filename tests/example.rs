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

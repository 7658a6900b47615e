//! YAML and Markdown as people really write them: each case reads what was meant, or warns at
//! the right line with the fix.

mod common;

use common::{diagnostics, partner, partners, TempVault};
use serde_json::Value;

fn vault_with(path: &str, text: &str) -> TempVault {
    let vault = TempVault::empty();
    vault.write("vault.yaml", "");
    vault.write(path, text);
    vault
}

/// (code, line) of every diagnostic.
fn found(vault: &TempVault) -> Vec<(String, u64)> {
    diagnostics(&vault.run(&["check", "--format", "json"]))
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn list(vault: &TempVault) -> Vec<Value> {
    partners(&vault.run(&["list", "--format", "json"]))
}

#[test]
fn a_huge_integer_is_kept_as_text_and_the_rest_is_read() {
    let vault = vault_with(
        "partners/ana.md",
        "---\nname: Ana\nphone: 123456789012345678901234567890\ntier: A\n---\n",
    );
    assert!(found(&vault).is_empty(), "{:?}", found(&vault));
    let list = list(&vault);
    let ana = partner(&list, "Ana");
    assert_eq!(ana["tier"], "A");
    assert_eq!(ana["extra"]["phone"], "123456789012345678901234567890");
}

#[test]
fn a_cadence_past_what_dates_hold_is_an_error() {
    let vault = vault_with(
        "partners/ana.md",
        "---\nname: Ana\ncadence: 99999999d\nsince: 2020-01-01\n---\n",
    );
    assert_eq!(found(&vault), [("bad-cadence".to_string(), 3)]);
    let run = vault.run(&["remind", "--within", "99999999d"]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("longer than 100 years"),
        "{}",
        run.stderr
    );
    for date in ["due", "last_touch"] {
        let value = partner(&list(&vault), "Ana")[date].clone();
        assert!(!value.as_str().unwrap_or("").starts_with('+'), "{value}");
    }
}

#[test]
fn a_log_heading_with_attributes_and_nested_entries() {
    let vault = vault_with(
        "partners/ana.md",
        "---\nname: Ana\n---\n## Log {#log}\n- 2026-11-10 met: Coffee\n  - 2026-11-12 gave: Sent the deck\n  - a detail, no date\n  - 2026-02-30 met: nested, impossible\n",
    );
    assert_eq!(found(&vault), [("bad-log-date".to_string(), 8)]);
    let ana = partner(&list(&vault), "Ana").clone();
    assert_eq!(ana["last_touch"], "2026-11-12");
    assert_eq!(ana["gave"], 1);
}

#[test]
fn suspicious_keys_and_an_empty_name_are_warned_about() {
    let vault = vault_with(
        "partners/ana.md",
        "---\nname:\nalias: [Annie]\nTags: [a]\ntags: [b]\n\"loca\u{200b}tion\": Lisbon\n1: one\n---\n",
    );
    let mut codes = found(&vault);
    codes.sort();
    assert_eq!(
        codes,
        [
            ("empty-name".to_string(), 2),
            ("invisible-key-character".to_string(), 6),
            ("key-case".to_string(), 5),
            ("key-not-text".to_string(), 7),
            ("unknown-key".to_string(), 3),
            ("unknown-key".to_string(), 4),
        ]
    );
}

#[test]
fn names_that_differ_only_by_case_or_normalisation_are_duplicates() {
    let vault = vault_with("partners/a.md", "---\nname: Chlo\u{00eb} Dubois\n---\n");
    vault.write("partners/b.md", "---\nname: CHLOE\u{0308} DUBOIS\n---\n");
    assert_eq!(found(&vault), [("duplicate-name".to_string(), 2)]);
}

#[test]
fn toml_front_matter_in_another_note_is_a_warning() {
    let vault = vault_with(
        "notes/meeting.md",
        "+++\ndate = 2026-11-20\nattendees = [\"Ana\"]\n+++\nNotes.\n",
    );
    assert_eq!(found(&vault), [("toml-front-matter".to_string(), 1)]);
}

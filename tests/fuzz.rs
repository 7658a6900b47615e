//! Fuzzing the whole tool on stable Rust: proptest builds small vaults from structured pieces
//! of notes (front matter, Log entries, tasks, links of every form, code, comments, line ends,
//! a BOM) and from arbitrary bytes, then runs the real binary's `check`, `list`, `show`,
//! `review` and `remind` on each. Nothing may panic or hang, the JSON must parse, and the
//! review must come out the same twice.
//!
//! `cargo test --test fuzz` runs a quick round (CI); `FUZZ_CASES=5000 cargo test --release
//! --test fuzz -- --ignored` runs a long one.

mod common;

use common::TempVault;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

const NAMES: [&str; 5] = ["Ana López", "Ben", "Chloe\u{0308}", "team-a/bob", "x"];

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(NAMES.to_vec()).prop_map(str::to_string),
        "[a-zA-Z \\-/#|\\[\\]é\u{1b}]{0,12}",
    ]
}

fn date() -> impl Strategy<Value = String> {
    prop_oneof![
        (2020u32..2030, 1u32..13, 1u32..32).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        "[0-9/\\-]{1,12}",
    ]
}

fn link() -> impl Strategy<Value = String> {
    (name(), 0u8..7).prop_map(|(n, form)| match form {
        0 => format!("[[{n}]]"),
        1 => format!("[[{n}|label]]"),
        2 => format!("![[{n}#part]]"),
        3 => format!("[md]({}.md)", n.replace(' ', "%20")),
        4 => format!("`[[{n}]]`"),
        5 => format!("<!-- [[{n}]] -->"),
        _ => "[[]]".to_string(),
    })
}

fn front_matter_line() -> impl Strategy<Value = String> {
    prop_oneof![
        name().prop_map(|n| format!("name: \"{}\"", n.replace('"', ""))),
        date().prop_map(|d| format!("last_contact: {d}")),
        date().prop_map(|d| format!("next: {d}")),
        date().prop_map(|d| format!("date: {d}")),
        "[A-Ca-c ]{0,2}".prop_map(|t| format!("tier: {t}")),
        "(partner|Prospect|dormant|lead)".prop_map(|s| format!("stage: {s}")),
        "[0-9]{0,10}[dwmyx]?".prop_map(|c| format!("cadence: {c}")),
        link().prop_map(|l| format!("attendees: [\"{}\"]", l.replace('"', ""))),
        name().prop_map(|n| format!("with:\n  - [[{n}]]")),
        link().prop_map(|l| format!("related: \"{}\"", l.replace('"', ""))),
        Just("tags: [a, [b".to_string()),
        Just("phone: 123456789012345678901234567890".to_string()),
        Just("name: a\nname: b".to_string()),
        "[a-z_:\\- \"'\\[\\]{}#&*!|>]{0,20}",
    ]
}

fn body_line() -> impl Strategy<Value = String> {
    prop_oneof![
        (date(), "(gave|got|met|stage|)", link()).prop_map(|(d, k, l)| format!("- {d} {k}: {l}")),
        (date(), link()).prop_map(|(d, l)| format!("- [ ] {d} call {l}")),
        link().prop_map(|l| format!("  - {l} detail")),
        Just("## Log {#log}".to_string()),
        Just("## Log".to_string()),
        Just("# Title".to_string()),
        Just("```".to_string()),
        Just("$$".to_string()),
        Just("<<<<<<< HEAD".to_string()),
        link(),
        "\\PC{0,40}",
    ]
}

/// One note's text: front matter (or none, or unclosed), body lines, line ends and a BOM.
fn note() -> impl Strategy<Value = Vec<u8>> {
    (
        0u8..4,
        proptest::collection::vec(front_matter_line(), 0..6),
        proptest::collection::vec(body_line(), 0..12),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(fence, fm, body, crlf, bom)| {
            let mut text = String::new();
            match fence {
                0 => {}
                1 => text.push_str(&format!("---\n{}\n---\n", fm.join("\n"))),
                2 => text.push_str(&format!("---\n{}\n...\n", fm.join("\n"))),
                _ => text.push_str(&format!("+++\n{}\n+++\n", fm.join("\n"))),
            }
            text.push_str(&body.join("\n"));
            if crlf {
                text = text.replace('\n', "\r\n");
            }
            let mut bytes = if bom {
                "\u{feff}".as_bytes().to_vec()
            } else {
                Vec::new()
            };
            bytes.extend(text.into_bytes());
            bytes
        })
}

/// A small vault: a few partner notes, a few other notes, sometimes one of arbitrary bytes.
fn vault() -> impl Strategy<Value = Vec<(String, Vec<u8>)>> {
    (
        proptest::collection::vec(note(), 1..5),
        proptest::collection::vec(note(), 0..3),
        proptest::option::of(proptest::collection::vec(any::<u8>(), 0..200)),
    )
        .prop_map(|(partners, others, raw)| {
            let mut files: Vec<(String, Vec<u8>)> = Vec::new();
            for (i, bytes) in partners.into_iter().enumerate() {
                let folder = if i % 2 == 0 { "team-a" } else { "team-b" };
                files.push((format!("partners/{folder}/p{i}.md"), bytes));
            }
            for (i, bytes) in others.into_iter().enumerate() {
                files.push((format!("notes/n{i}.md"), bytes));
            }
            if let Some(bytes) = raw {
                files.push(("partners/raw.md".into(), bytes));
            }
            files
        })
}

fn no_crash(what: &str, run: &common::Run) -> Result<(), TestCaseError> {
    prop_assert!(
        [0, 1, 2].contains(&run.code) && !run.stderr.contains("panicked"),
        "{what}: exit {} stderr {}",
        run.code,
        run.stderr
    );
    Ok(())
}

fn whole_tool_on(files: &[(String, Vec<u8>)]) -> Result<(), TestCaseError> {
    let vault = TempVault::empty();
    vault.write("vault.yaml", "");
    for (path, bytes) in files {
        vault.write(path, bytes);
    }
    let check = vault.run(&["check", "--format", "json"]);
    no_crash("check", &check)?;
    prop_assert!(serde_json::from_str::<serde_json::Value>(&check.stdout).is_ok());
    let list = vault.run(&["list", "--format", "json"]);
    no_crash("list", &list)?;
    let names = serde_json::from_str::<serde_json::Value>(&list.stdout);
    prop_assert!(names.is_ok(), "list JSON: {}", list.stdout);
    if let Some(first) = names
        .ok()
        .and_then(|v| v[0]["name"].as_str().map(str::to_string))
    {
        no_crash("show", &vault.run(&["show", &first]))?;
    }
    let review = vault.run(&["review", "--stdout"]);
    no_crash("review", &review)?;
    prop_assert_eq!(&review.stdout, &vault.run(&["review", "--stdout"]).stdout);
    no_crash("review", &vault.run(&["review"]))?;
    no_crash(
        "remind",
        &vault.run(&["remind", "--within", "3w", "--format", "ics"]),
    )?;
    no_crash("remind", &vault.run(&["remind"]))?;
    Ok(())
}

fn fuzz(cases: u32) {
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&vault(), |files| whole_tool_on(&files))
        .unwrap_or_else(|e| panic!("{e}"));
    eprintln!("fuzz: {cases} vaults, each through check, list, show, review and remind");
}

#[test]
fn the_whole_tool_survives_generated_vaults() {
    fuzz(150);
}

#[test]
#[ignore = "long run: FUZZ_CASES=5000 cargo test --release --test fuzz -- --ignored"]
fn the_whole_tool_survives_many_generated_vaults() {
    let cases = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000);
    fuzz(cases);
}

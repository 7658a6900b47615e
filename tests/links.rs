//! Links as Obsidian reads them, through the real binary: paths, file names before aliases,
//! NFC and NFD names, Markdown links, front-matter links, empty links, what is no link, and
//! names that match several notes.

mod common;

use common::{diagnostics, partner, partners, TempVault};
use serde_json::Value;

/// A vault with two partners called `bob` in two folders, Steve (alias `Steve`) beside a plain
/// note named `steve`, and Xavier at `partners/x.md`.
fn vault() -> TempVault {
    let vault = TempVault::empty();
    vault.write("vault.yaml", "# defaults\n");
    for (path, name) in [
        ("partners/team-a/bob.md", "Bob Archer"),
        ("partners/team-b/bob.md", "Bob Baker"),
        ("partners/x.md", "Xavier"),
    ] {
        vault.write(
            path,
            format!("---\nname: {name}\nlast_contact: 2026-10-01\n---\n"),
        );
    }
    vault.write(
        "partners/steve-rayson.md",
        "---\nname: Steve Rayson\naliases: [Steve]\nlast_contact: 2026-10-01\n---\n",
    );
    vault.write(
        "notes/steve.md",
        "A note about Steve's research, not Steve.\n",
    );
    vault
}

/// A dated meeting note listing `attendees`, with `body`.
fn meeting(vault: &TempVault, attendees: &str, body: &str) {
    vault.write(
        "notes/meeting.md",
        format!("---\ndate: 2026-11-20\nattendees: {attendees}\n---\n{body}\n"),
    );
}

fn last_touch(vault: &TempVault, name: &str) -> Value {
    let run = vault.run(&["list", "--format", "json"]);
    run.assert_code(0);
    partner(&partners(&run), name)["last_touch"].clone()
}

fn codes(vault: &TempVault) -> Vec<(String, String, u64)> {
    let run = vault.run(&["check", "--format", "json"]);
    diagnostics(&run)
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_path_names_that_note_and_nothing_else() {
    let vault = vault();
    meeting(&vault, "[\"[[team-b/bob]]\"]", "");
    assert_eq!(last_touch(&vault, "Bob Baker"), "2026-11-20");
    assert_eq!(last_touch(&vault, "Bob Archer"), "2026-10-01");
    assert!(codes(&vault).is_empty(), "{:?}", codes(&vault));
}

#[test]
fn a_wrong_folder_is_a_broken_link_and_no_touch() {
    let vault = vault();
    meeting(
        &vault,
        "[\"[[wrongdir/x]]\"]",
        "Also [[wrongdir/x]] in the body.",
    );
    assert_eq!(last_touch(&vault, "Xavier"), "2026-10-01");
    let found = codes(&vault);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|(code, _, _)| code == "broken-link"));
    assert_eq!(found[0].2, 3, "the attendees line");
    assert_eq!(found[1].2, 5, "the body line");
}

#[test]
fn a_file_name_wins_over_an_alias() {
    let vault = vault();
    meeting(&vault, "[\"[[Steve]]\"]", "");
    // `[[Steve]]` is the note notes/steve.md, not the partner whose alias is Steve.
    assert_eq!(last_touch(&vault, "Steve Rayson"), "2026-10-01");
    vault.write("notes/steve.md", "");
    std::fs::remove_file(vault.join("notes/steve.md")).unwrap();
    assert_eq!(last_touch(&vault, "Steve Rayson"), "2026-11-20");
}

#[test]
fn the_same_file_name_in_two_folders_is_reported_with_both() {
    let vault = vault();
    meeting(&vault, "[]", "Ask [[bob]] about it.");
    let found = codes(&vault);
    assert_eq!(found.len(), 1, "{found:?}");
    let (code, message, line) = &found[0];
    assert_eq!((code.as_str(), *line), ("ambiguous-link", 5));
    assert!(
        message.contains("partners/team-a/bob.md") && message.contains("partners/team-b/bob.md"),
        "{message}"
    );
}

#[test]
fn nfc_links_reach_nfd_file_names_and_show_finds_them() {
    let vault = vault();
    // A file saved on a Mac: `Chloë` with a combining diaeresis (NFD).
    vault.write(
        "partners/Chloe\u{0308} Dubois.md",
        "---\nlast_contact: 2026-10-01\n---\n",
    );
    meeting(&vault, "[\"[[Chlo\u{00eb} Dubois]]\"]", "");
    assert!(codes(&vault).is_empty(), "{:?}", codes(&vault));
    let run = vault.run(&["show", "chlo\u{00eb} dubois"]);
    run.assert_code(0);
    assert!(
        run.stdout.contains("last touch  2026-11-20"),
        "{}",
        run.stdout
    );
}

#[test]
fn markdown_links_and_front_matter_links_are_mentions() {
    let vault = vault();
    vault.write(
        "notes/ideas/plan.md",
        "---\ndate: 2026-11-20\nrelated: \"[[Xavier]]\"\nsources:\n  - see: \"[[team-a/bob]]\"\n---\nAsk [Steve](../../partners/steve-rayson.md#Log) and [web](https://example.com/a.md).\n",
    );
    for (name, line) in [("Xavier", 3), ("Bob Archer", 4), ("Steve Rayson", 7)] {
        let run = vault.run(&["show", name]);
        run.assert_code(0);
        assert!(
            run.stdout.contains(&format!(
                "Mentioned in (not touches)\n  notes/ideas/plan.md:{line}\n"
            )),
            "{name}: {}",
            run.stdout
        );
        assert_eq!(last_touch(&vault, name), "2026-10-01", "{name}");
    }
    vault.write(
        "notes/ideas/broken.md",
        "[gone](../nowhere.md) and [[Xavier]]\n",
    );
    let found = codes(&vault);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].1.contains("(../nowhere.md)"), "{found:?}");
}

#[test]
fn empty_links_are_broken_and_code_comments_and_math_hold_no_links() {
    let vault = vault();
    vault.write(
        "notes/n.md",
        "[[]] and [[|label]] and [[#A heading here]]\n\n`[[nope]]` <!-- [[nope]] --> $[[nope]]$\n\n```\n[[nope]]\n```\n",
    );
    let found = codes(&vault);
    let messages: Vec<&str> = found.iter().map(|(_, m, _)| m.as_str()).collect();
    assert_eq!(
        messages,
        ["empty link (2 times in this note): it names no note",],
        "{found:?}"
    );
}

#[test]
fn one_warning_per_broken_target_per_note_with_a_suggestion() {
    let vault = vault();
    vault.write(
        "notes/n.md",
        "[[Xavir]] [[Xavir]] [[Xavir]]\n[[Steve Raysn]]\n",
    );
    let run = vault.run(&["check"]);
    let text = &run.stdout;
    assert_eq!(text.matches("broken-link").count(), 2, "{text}");
    assert!(text.contains("(3 times in this note)"), "{text}");
    assert!(text.contains("did you mean `[[Xavier]]`?"), "{text}");
    assert!(text.contains("did you mean `[[Steve Rayson]]`?"), "{text}");
}

//! `vault log`, `snooze`, `stage`, `task` and `done` on copies of fixture notes written every
//! way people write them (CRLF and a BOM, comments, quotes, tabs, flow and block lists, no final
//! newline, a Log nested under another heading, oldest-first Logs): each command changes only
//! the lines it means to, byte for byte, and refuses what is not safe.

mod common;

use common::{run_vault_on, TempVault};

const DAY: &str = "2026-11-26";

fn vault() -> TempVault {
    TempVault::copy("edits")
}

fn run(v: &TempVault, args: &[&str]) -> common::Run {
    run_vault_on(v.path(), DAY, args)
}

/// Runs an edit and returns the note's bytes before and after.
fn edit(v: &TempVault, note: &str, args: &[&str]) -> (String, String) {
    let before = v.read(note);
    let run = run(v, args);
    run.assert_code(0);
    assert_eq!(run.stdout.lines().count(), 1, "one line: {}", run.stdout);
    (before, v.read(note))
}

/// `before` with `line` inserted before its line number `at` (1-based, counting from the file
/// start), using the note's own line ending.
fn with_line_at(before: &str, at: usize, line: &str, eol: &str) -> String {
    let mut lines: Vec<&str> = before.split_inclusive('\n').collect();
    let new = format!("{line}{eol}");
    lines.insert(at - 1, &new);
    lines.concat()
}

#[test]
fn log_on_a_crlf_note_with_a_bom_adds_one_line_and_moves_last_contact() {
    let v = vault();
    let (before, after) = edit(
        &v,
        "partners/cleo-crlf.md",
        &["log", "Cleo", "Shared her guide", "--gave"],
    );
    let expected = with_line_at(&before, 10, "- 2026-11-26 gave: Shared her guide", "\r\n")
        .replace("last_contact: 2026-10-01", "last_contact: 2026-11-26");
    assert_eq!(after, expected);
    assert!(after.starts_with('\u{feff}'));
}

#[test]
fn log_into_an_oldest_first_log_without_a_final_newline() {
    let v = vault();
    let (before, after) = edit(
        &v,
        "partners/nia-comments.md",
        &[
            "log",
            "Nia Comments",
            "Studio visit",
            "--kind",
            "met",
            "--date",
            "2026-10-20",
        ],
    );
    // After the 10-15 entry and its nested detail; the note has no last_contact to update.
    assert_eq!(
        after,
        with_line_at(&before, 17, "* 2026-10-20 met: Studio visit", "\n")
    );
    assert!(!after.ends_with('\n'));
}

#[test]
fn log_under_a_nested_heading_followed_by_other_sections() {
    let v = vault();
    let (before, after) = edit(
        &v,
        "partners/circle/ola-nested.md",
        &["log", "ola", "Sent the recap"],
    );
    let expected = with_line_at(&before, 11, "- 2026-11-26 note: Sent the recap", "\n")
        .replace("last_contact:\n", "last_contact: 2026-11-26\n");
    assert_eq!(after, expected);
}

#[test]
fn log_adds_a_log_section_when_there_is_none() {
    let v = vault();
    let (before, after) = edit(&v, "partners/bo-bare.md", &["log", "Bo", "Met"]);
    assert_eq!(after, format!("{before}\n## Log\n- 2026-11-26 note: Met\n"));
}

#[test]
fn snooze_replaces_a_quoted_value_and_keeps_its_comment() {
    let v = vault();
    let (before, after) = edit(&v, "partners/nia-comments.md", &["snooze", "Nia", "2w"]);
    assert_eq!(
        after,
        before.replace(
            "next: \"2026-12-01\" # planned",
            "next: \"2026-12-10\" # planned"
        )
    );
    let (before, after) = edit(
        &v,
        "partners/cleo-crlf.md",
        &["snooze", "Cleo", "2027-01-05"],
    );
    assert_eq!(
        after,
        before.replace(
            "stage: nurturing\r\n",
            "stage: nurturing\r\nnext: 2027-01-05\r\n"
        )
    );
}

#[test]
fn stage_sets_the_value_keeps_the_tab_and_logs_the_move() {
    let v = vault();
    let (before, after) = edit(&v, "partners/nia-comments.md", &["stage", "nia", "Partner"]);
    let expected = with_line_at(
        &before,
        17,
        "* 2026-11-26 stage: acquaintance -> partner",
        "\n",
    )
    .replace("stage: acquaintance\t\n", "stage: partner\t\n");
    assert_eq!(after, expected);
    // A stage move is no touch.
    let list = common::partners(&run(&v, &["list", "--format", "json"]));
    assert_eq!(
        common::partner(&list, "Nia Comments")["last_touch"],
        "2026-10-15"
    );
}

#[test]
fn task_and_done() {
    let v = vault();
    let (before, after) = edit(
        &v,
        "partners/cleo-crlf.md",
        &[
            "task",
            "Cleo",
            "--due",
            "2026-12-03",
            "Ask about the sequel",
        ],
    );
    assert_eq!(
        after,
        format!("{before}- [ ] 2026-12-03 Ask about the sequel\r\n")
    );
    let (before, after) = edit(
        &v,
        "partners/cleo-crlf.md",
        &["done", "Cleo", "SEND THE deck"],
    );
    assert_eq!(
        after,
        before.replace(
            "- [ ] 2026-12-01 Send the deck",
            "- [x] 2026-12-01 Send the deck"
        )
    );
    let (before, after) = edit(&v, "partners/bo-bare.md", &["task", "Bo", "First idea"]);
    assert_eq!(after, format!("{before}\n## Tasks\n- [ ] First idea\n"));
}

#[test]
fn done_with_several_matches_lists_them_and_writes_nothing() {
    let v = vault();
    let before = common::tree(v.path());
    let run = run(&v, &["done", "Nia", "the"]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("2 open tasks contain `the`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("partners/nia-comments.md:19  Ask about the tour"),
        "{}",
        run.stderr
    );
    assert_eq!(common::tree(v.path()), before);
}

#[test]
fn dry_run_prints_the_diff_and_writes_nothing() {
    let v = vault();
    let before = common::tree(v.path());
    let run = run(&v, &["log", "Cleo", "Lunch", "--kind", "met", "--dry-run"]);
    run.assert_code(0);
    assert!(
        run.stdout.contains("+- 2026-11-26 met: Lunch"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("-last_contact: 2026-10-01"),
        "{}",
        run.stdout
    );
    assert_eq!(common::tree(v.path()), before);
}

#[test]
fn unsafe_edits_are_refused_and_write_nothing() {
    let v = vault();
    let before = common::tree(v.path());
    for (args, message) in [
        (
            vec!["log", "Zed", "x"],
            "refusing to edit `partners/zed-conflict.md:4:1`",
        ),
        (
            vec!["log", "Nobody Here", "x"],
            "no partner named `Nobody Here`",
        ),
        (
            vec!["log", "Cleo", "x", "--date", "2026-12-01"],
            "after today",
        ),
        (
            vec!["log", "Cleo", "x", "--kind", "stage"],
            "use `vault stage",
        ),
        (vec!["stage", "Cleo", "lead"], "unknown stage `lead`"),
        (vec!["snooze", "Cleo", "soon"], "not a day"),
        (vec!["done", "Cleo", "nothing like this"], "no open task"),
        (vec!["snooze", "Nia", "--", "-1d"], "not a day"),
    ] {
        let run = run(&v, &args);
        run.assert_code(2);
        assert!(run.stderr.contains(message), "{args:?}: {}", run.stderr);
    }
    // Two partners share an alias: ambiguous, with the candidates.
    v.write("partners/cleo-two.md", "---\nname: Cleo Two\n---\n");
    let run = run(&v, &["log", "Cleo", "x"]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("matches more than one partner"),
        "{}",
        run.stderr
    );
    std::fs::remove_file(v.join("partners/cleo-two.md")).unwrap();
    assert_eq!(common::tree(v.path()), before);
}

#[test]
fn a_note_changed_on_disk_while_editing_is_not_overwritten() {
    let v = vault();
    let note = v.join("partners/cleo-crlf.md");
    let run = common::run_with_a_save_meanwhile(v.path(), DAY, &["log", "Cleo", "Lunch"], || {
        std::fs::write(
            &note,
            "---\nname: Cleo Crlf\n---\nSaved by an editor meanwhile.\n",
        )
        .unwrap()
    });
    run.assert_code(2);
    assert!(
        run.stderr.contains("changed on disk since it was read"),
        "{}",
        run.stderr
    );
    assert_eq!(
        v.read("partners/cleo-crlf.md"),
        "---\nname: Cleo Crlf\n---\nSaved by an editor meanwhile.\n"
    );
}

//! `--format json` of the commands that write notes (`log`, `task`, `done`, `snooze`, `stage`,
//! `new`): one JSON object on one line naming the file, the partner, the line the command is
//! about and every line it added or changed, as the file holds them afterwards; the same edit
//! as the text output makes; the diff under `--dry-run`; errors on stderr with exit code 2.

mod common;

use common::{run_vault_on, TempVault};
use serde_json::{json, Value};

const DAY: &str = "2026-11-26";

/// The keys of every object, in the order printed.
const KEYS: [&str; 8] = [
    "action", "path", "partner", "line", "changed", "lines", "summary", "dry_run",
];

fn vault() -> TempVault {
    TempVault::copy("edits")
}

/// Runs `vault ARGS --format json` and returns its object, checking that it is one line with
/// the keys in their order (and `diff` last exactly under `--dry-run`).
fn json_of(v: &TempVault, args: &[&str]) -> Value {
    let mut args = args.to_vec();
    args.extend(["--format", "json"]);
    let run = run_vault_on(v.path(), DAY, &args);
    run.assert_code(0);
    assert_eq!(run.stdout.lines().count(), 1, "one line: {}", run.stdout);
    assert!(run.stdout.ends_with("}\n"), "{}", run.stdout);
    let object = run.json();
    let mut order: Vec<(usize, &str)> = KEYS
        .iter()
        .chain(&["diff"])
        .filter_map(|k| run.stdout.find(&format!("\"{k}\":")).map(|at| (at, *k)))
        .collect();
    order.sort_unstable();
    let mut expected = KEYS.to_vec();
    if args.contains(&"--dry-run") {
        expected.push("diff");
    }
    assert_eq!(order.iter().map(|(_, k)| *k).collect::<Vec<_>>(), expected);
    assert_eq!(object.as_object().unwrap().len(), expected.len());
    object
}

/// Every line the object names is that line of the file now, and `line`/`changed` is one of
/// them.
#[track_caller]
fn lines_are_in_the_file(v: &TempVault, object: &Value) {
    let text = v.read(object["path"].as_str().unwrap());
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let file: Vec<&str> = text.lines().collect();
    let lines = object["lines"].as_array().unwrap();
    for entry in lines {
        let at = entry["line"].as_u64().unwrap() as usize;
        assert_eq!(file[at - 1], entry["text"], "line {at} of {object}");
    }
    if !object["line"].is_null() {
        let main = json!({"line": object["line"], "text": object["changed"]});
        assert!(lines.contains(&main), "{object}");
    }
}

#[test]
fn log_names_the_entry_and_last_contact_on_a_crlf_note_with_a_bom() {
    let v = vault();
    let object = json_of(&v, &["log", "Cleo", "Shared her guide", "--gave"]);
    assert_eq!(
        object,
        json!({
            "action": "log",
            "path": "partners/cleo-crlf.md",
            "partner": "Cleo Crlf",
            "line": 10,
            "changed": "- 2026-11-26 gave: Shared her guide",
            "lines": [
                {"line": 4, "text": "last_contact: 2026-11-26"},
                {"line": 10, "text": "- 2026-11-26 gave: Shared her guide"},
            ],
            "summary": "partners/cleo-crlf.md: logged `- 2026-11-26 gave: Shared her guide`, last_contact 2026-11-26",
            "dry_run": false,
        })
    );
    lines_are_in_the_file(&v, &object);
    // The same bytes as the text output's edit.
    let text = vault();
    run_vault_on(
        text.path(),
        DAY,
        &["log", "Cleo", "Shared her guide", "--gave"],
    )
    .assert_code(0);
    assert_eq!(common::tree(v.path()), common::tree(text.path()));
}

#[test]
fn every_command_names_the_line_it_is_about() {
    let v = vault();
    let note = "partners/nia-comments.md";
    let cases: [(&[&str], &str, u64, &str); 5] = [
        (
            &["task", "Nia", "--due", "1w", "Book the tour"],
            "task",
            21,
            "- [ ] 2026-12-03 Book the tour",
        ),
        (
            &["done", "Nia", "book the tour"],
            "done",
            21,
            "- [x] 2026-12-03 Book the tour",
        ),
        (
            &["snooze", "Nia", "2026-12-20"],
            "snooze",
            5,
            "next: \"2026-12-20\" # planned",
        ),
        (&["stage", "Nia", "Partner"], "stage", 6, "stage: partner\t"),
        (
            &["log", "Nia", "Studio visit", "--kind", "met"],
            "log",
            18,
            "* 2026-11-26 met: Studio visit",
        ),
    ];
    for (args, action, line, changed) in cases {
        let object = json_of(&v, args);
        assert_eq!(object["action"], action, "{object}");
        assert_eq!(object["path"], note);
        assert_eq!(object["partner"], "Nia Comments");
        assert_eq!(
            (&object["line"], &object["changed"]),
            (&json!(line), &json!(changed))
        );
        assert_eq!(object["dry_run"], false);
        lines_are_in_the_file(&v, &object);
    }
}

#[test]
fn stage_names_both_lines_it_changes_and_says_when_nothing_changes() {
    let v = vault();
    let object = json_of(&v, &["stage", "Nia", "nurturing"]);
    assert_eq!(
        object["lines"],
        json!([
            {"line": 6, "text": "stage: nurturing\t"},
            {"line": 17, "text": "* 2026-11-26 stage: acquaintance -> nurturing"},
        ])
    );
    let before = common::tree(v.path());
    for dry_run in [false, true] {
        let mut args = vec!["stage", "Nia", "NURTURING"];
        if dry_run {
            args.push("--dry-run");
        }
        let object = json_of(&v, &args);
        assert_eq!(object["line"], Value::Null);
        assert_eq!(object["changed"], Value::Null);
        assert_eq!(object["lines"], json!([]));
        assert_eq!(
            object["summary"],
            "partners/nia-comments.md: already in stage nurturing; nothing to change"
        );
        assert_eq!(object["dry_run"], dry_run);
        if dry_run {
            assert_eq!(object["diff"], "");
        }
    }
    assert_eq!(common::tree(v.path()), before);
}

#[test]
fn dry_run_gives_the_diff_and_writes_nothing() {
    let v = vault();
    let before = common::tree(v.path());
    let args = ["log", "Cleo", "Lunch", "--kind", "met", "--dry-run"];
    let object = json_of(&v, &args);
    assert_eq!(common::tree(v.path()), before);
    assert_eq!(object["dry_run"], true);
    assert_eq!(object["line"], 10);
    assert_eq!(object["changed"], "- 2026-11-26 met: Lunch");
    let diff = object["diff"].as_str().unwrap();
    assert!(
        diff.starts_with("--- a/partners/cleo-crlf.md\n+++ b/partners/cleo-crlf.md\n"),
        "{diff}"
    );
    assert!(diff.contains("+- 2026-11-26 met: Lunch\r\n"), "{diff}");
    assert!(diff.contains("-last_contact: 2026-10-01\r\n"), "{diff}");
    // The text output's diff, without its closing line; the terminal sees a carriage return
    // escaped, JSON as JSON writes it.
    let text = run_vault_on(v.path(), DAY, &args);
    let shown = text
        .stdout
        .strip_suffix("(dry run: partners/cleo-crlf.md would be changed; nothing was written)\n")
        .unwrap();
    assert_eq!(shown, diff.replace('\r', "\\x0d"));
    assert!(text.stdout.contains("\\x0d"));
}

#[test]
fn new_names_the_file_and_under_dry_run_gives_it_as_a_diff() {
    let v = vault();
    let object = json_of(
        &v,
        &["new", "Zoë Ångström", "--kind", "podcast", "--dry-run"],
    );
    assert!(!v.join("partners/zoe-angstrom.md").exists());
    assert_eq!(object["action"], "new");
    assert_eq!(object["path"], "partners/zoe-angstrom.md");
    assert_eq!(object["partner"], "Zoë Ångström");
    assert_eq!(
        (&object["line"], &object["changed"]),
        (&Value::Null, &Value::Null)
    );
    assert_eq!(object["summary"], "created partners/zoe-angstrom.md");
    let diff = object["diff"].as_str().unwrap();
    assert!(
        diff.starts_with("--- /dev/null\n+++ b/partners/zoe-angstrom.md\n@@ -0,0 +1,"),
        "{diff}"
    );
    let written = json_of(&v, &["new", "Zoë Ångström", "--kind", "podcast"]);
    assert_eq!(written["dry_run"], false);
    let note = v.read("partners/zoe-angstrom.md");
    // Every line is new, and the diff added each of them.
    assert_eq!(
        written["lines"].as_array().unwrap().len(),
        note.lines().count()
    );
    assert_eq!(written["lines"], object["lines"]);
    lines_are_in_the_file(&v, &written);
    for line in note.lines() {
        assert!(diff.contains(&format!("\n+{line}\n")), "{line:?} in {diff}");
    }
}

#[test]
fn errors_stay_on_stderr_with_exit_code_2() {
    let v = vault();
    let before = common::tree(v.path());
    for args in [
        &["log", "Nobody", "x", "--format", "json"][..],
        &["done", "Nia", "the", "--format", "json"],
        &["log", "Zed", "x", "--format", "json"],
        &["new", "Bo Bare", "--format", "json"],
        &["stage", "Nia", "lead", "--format", "json"],
    ] {
        let run = run_vault_on(v.path(), DAY, args);
        run.assert_code(2);
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
        assert!(
            run.stderr.starts_with("vault: error: "),
            "{args:?}: {}",
            run.stderr
        );
    }
    assert_eq!(common::tree(v.path()), before);
    let bad = run_vault_on(v.path(), DAY, &["log", "Nia", "x", "--format", "yaml"]);
    bad.assert_code(2);
    assert!(bad.stderr.contains("yaml"), "{}", bad.stderr);
}

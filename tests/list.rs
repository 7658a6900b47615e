//! `vault list`: the table and JSON views, every filter and every sort order.
//!
//! `tests/fixtures/good` on 2026-11-23, sorted by due date:
//!
//! | name         | kind       | stage        | tier | due        | tags        | location |
//! |--------------|------------|--------------|------|------------|-------------|----------|
//! | Finn Gray    | media      | acquaintance | A    | 2026-10-15 | press       | Lisbon   |
//! | Eve Nakamura | co-creator | partner      | A    | 2026-11-25 | video       | Tokyo    |
//! | Ana López    | influencer | partner      | A    | 2026-12-04 | video, seo  | Lisbon   |
//! | Ben Ortiz    | podcast    | nurturing    | B    | 2026-12-11 | audio       | Porto    |
//! | Cara Singh   | publisher  | prospect     | C    | 2027-01-01 | books, seo  |          |
//! | Dan Weller   | event      | dormant      | C    | never      |             |          |

mod common;

use common::{names, partner, partners, TempVault};
use serde_json::json;

fn good() -> TempVault {
    TempVault::copy("good")
}

/// The names `list --format json ARGS` gives for the good vault, in order.
fn listed(vault: &TempVault, args: &[&str]) -> Vec<String> {
    let mut all = vec!["list", "--format", "json"];
    all.extend_from_slice(args);
    let run = vault.run(&all);
    run.assert_code(0);
    names(&run)
}

#[test]
fn table_of_the_good_vault() {
    let run = good().run(&["list"]);
    run.assert_code(0);
    assert_eq!(run.stderr, "");
    assert!(!run.stdout.contains('\u{1b}'));
    insta::assert_snapshot!("good_table", run.stdout);
}

/// The fields the README documents for `list --format json`; the snapshot keeps only these, so
/// that new fields do not churn it.
const DOCUMENTED: [&str; 18] = [
    "name",
    "path",
    "kind",
    "stage",
    "tier",
    "cadence",
    "last_touch",
    "due",
    "due_in_days",
    "gave",
    "got",
    "balance",
    "last_gave",
    "org",
    "tags",
    "aliases",
    "next",
    "since",
];

#[test]
fn json_of_the_good_vault() {
    let run = good().run(&["list", "--format", "json"]);
    run.assert_code(0);
    let documented: Vec<serde_json::Value> = partners(&run)
        .iter()
        .map(|p| {
            let fields = DOCUMENTED
                .iter()
                .map(|key| (key.to_string(), p[*key].clone()))
                .collect::<serde_json::Map<_, _>>();
            serde_json::Value::Object(fields)
        })
        .collect();
    insta::assert_snapshot!(
        "good_json",
        serde_json::to_string_pretty(&documented).unwrap()
    );
}

#[test]
fn json_has_the_documented_fields_and_types() {
    let list = partners(&good().run(&["list", "--format", "json"]));
    assert_eq!(list.len(), 6);
    for p in &list {
        let object = p.as_object().expect("each partner is an object");
        for key in DOCUMENTED {
            assert!(object.contains_key(key), "`{key}` missing in {p:#}");
        }
        assert!(p["name"].is_string() && p["path"].is_string());
        assert!(p["tier"].is_string() && p["cadence"].is_string());
        assert!(p["gave"].is_u64() && p["got"].is_u64());
        assert!(p["tags"].is_array());
        for key in ["kind", "stage", "org", "last_touch", "due"] {
            assert!(
                p[key].is_string() || p[key].is_null(),
                "`{key}` is text or null in {p:#}"
            );
        }
        for key in ["last_touch", "due"] {
            if let Some(date) = p[key].as_str() {
                assert!(
                    date.len() == 10 && date.as_bytes()[4] == b'-' && date.as_bytes()[7] == b'-',
                    "`{key}` is YYYY-MM-DD: {date}"
                );
            }
        }
    }
    let ana = partner(&list, "Ana López");
    assert_eq!(ana["path"], "partners/ana-lopez.md");
    assert_eq!(ana["kind"], "influencer");
    assert_eq!(ana["stage"], "partner");
    assert_eq!(ana["tier"], "A");
    assert_eq!(ana["cadence"], "2w");
    assert_eq!(ana["org"], "Lopez Video");
    assert_eq!(ana["tags"], json!(["video", "seo"]));
    let dan = partner(&list, "Dan Weller");
    assert_eq!(dan["path"], "partners/archive/dan-weller.md");
    assert_eq!(dan["due"], json!(null));
    assert_eq!(dan["org"], json!(null));
    assert_eq!(dan["tags"], json!([]));
}

#[test]
fn default_sort_is_by_due_date_with_never_due_last() {
    let vault = good();
    // Ben is only named in a task of Ana's meeting note: a mention, not a touch, so he is due
    // 3 weeks after his last Log entry.
    let expected = [
        "Finn Gray",
        "Ben Ortiz",
        "Eve Nakamura",
        "Ana López",
        "Cara Singh",
        "Dan Weller",
    ];
    assert_eq!(listed(&vault, &[]), expected);
    assert_eq!(listed(&vault, &["--sort", "due"]), expected);
}

#[test]
fn sort_by_name() {
    assert_eq!(
        listed(&good(), &["--sort", "name"]),
        [
            "Ana López",
            "Ben Ortiz",
            "Cara Singh",
            "Dan Weller",
            "Eve Nakamura",
            "Finn Gray"
        ]
    );
}

#[test]
fn sort_by_last_touch_puts_never_touched_then_oldest_first() {
    // Ben's last touch is his Log entry of 2026-10-20: the meeting note only mentions him.
    assert_eq!(
        listed(&good(), &["--sort", "last"]),
        [
            "Cara Singh",
            "Dan Weller",
            "Finn Gray",
            "Ben Ortiz",
            "Eve Nakamura",
            "Ana López"
        ]
    );
}

#[test]
fn filter_by_stage_kind_tier_and_tag() {
    let vault = good();
    assert_eq!(
        listed(&vault, &["--stage", "partner"]),
        ["Eve Nakamura", "Ana López"]
    );
    assert_eq!(listed(&vault, &["--stage", "dormant"]), ["Dan Weller"]);
    assert_eq!(listed(&vault, &["--kind", "podcast"]), ["Ben Ortiz"]);
    assert_eq!(
        listed(&vault, &["--tier", "C"]),
        ["Cara Singh", "Dan Weller"]
    );
    assert_eq!(
        listed(&vault, &["--tag", "video"]),
        ["Eve Nakamura", "Ana López"]
    );
    // Filters combine, and compare case-insensitively.
    assert_eq!(
        listed(&vault, &["--tag", "SEO", "--stage", "Prospect"]),
        ["Cara Singh"]
    );
    assert_eq!(
        listed(&vault, &["--tier", "a", "--kind", "media"]),
        ["Finn Gray"]
    );
    // A valid value that nobody has: an empty list, not an error.
    assert!(listed(&vault, &["--kind", "company"]).is_empty());
    assert!(listed(&vault, &["--tag", "nobody-has-this"]).is_empty());
}

#[test]
fn due_within_includes_overdue_and_excludes_dormant() {
    let vault = good();
    assert_eq!(
        listed(&vault, &["--due-within", "7d"]),
        ["Finn Gray", "Ben Ortiz", "Eve Nakamura"]
    );
    // Two days ahead is the last day Eve is included; one day is too short.
    assert_eq!(
        listed(&vault, &["--due-within", "2d"]),
        ["Finn Gray", "Ben Ortiz", "Eve Nakamura"]
    );
    assert_eq!(
        listed(&vault, &["--due-within", "1d"]),
        ["Finn Gray", "Ben Ortiz"]
    );
    assert_eq!(
        listed(&vault, &["--due-within", "2w"]),
        ["Finn Gray", "Ben Ortiz", "Eve Nakamura", "Ana López"]
    );
    // Dormant partners are never due, however wide the span.
    assert!(!listed(&vault, &["--due-within", "10y"]).contains(&"Dan Weller".to_string()));
}

#[test]
fn where_matches_any_front_matter_key() {
    let vault = good();
    // `location` is no key the tool knows: any front-matter key can be filtered on.
    assert_eq!(
        listed(&vault, &["--where", "location=Lisbon"]),
        ["Finn Gray", "Ana López"]
    );
    assert_eq!(
        listed(&vault, &["--where", "location=porto"]),
        ["Ben Ortiz"]
    );
    // A list matches any of its items; repeated --where clauses must all hold.
    assert_eq!(
        listed(
            &vault,
            &["--where", "tags=seo", "--where", "location=Lisbon"]
        ),
        ["Ana López"]
    );
    assert!(listed(&vault, &["--where", "no_such_key=1"]).is_empty());
}

#[test]
fn no_match_prints_the_header_and_says_so_on_stderr() {
    let run = good().run(&["list", "--where", "location=Paris"]);
    run.assert_code(0);
    assert!(run.stdout.starts_with("NAME"), "{}", run.stdout);
    assert_eq!(run.stdout.lines().count(), 1);
    assert!(run.stderr.contains("no partners match"), "{}", run.stderr);
    let json = good().run(&["list", "--format", "json", "--where", "location=Paris"]);
    json.assert_code(0);
    assert_eq!(json.json(), json!([]));
}

#[test]
fn unknown_filter_values_are_refused_with_a_suggestion() {
    let vault = good();
    let run = vault.run(&["list", "--stage", "partnr"]);
    run.assert_code(2);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("partnr"), "{}", run.stderr);
    assert!(
        run.stderr.contains("did you mean `partner`?"),
        "{}",
        run.stderr
    );
    let run = vault.run(&["list", "--kind", "podcst"]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("did you mean `podcast`?"),
        "{}",
        run.stderr
    );
    // Nothing close: the valid values are listed instead.
    let run = vault.run(&["list", "--stage", "lead"]);
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("prospect, acquaintance, nurturing, partner, dormant"),
        "{}",
        run.stderr
    );
    let run = vault.run(&["list", "--tier", "Z"]);
    run.assert_code(2);
    assert!(run.stderr.contains("A, B, C"), "{}", run.stderr);
}

#[test]
fn malformed_spans_and_where_clauses_are_refused() {
    let vault = good();
    let run = vault.run(&["list", "--due-within", "7"]);
    run.assert_code(2);
    assert!(run.stderr.contains("--due-within"), "{}", run.stderr);
    let run = vault.run(&["list", "--where", "location"]);
    run.assert_code(2);
    assert!(run.stderr.contains("KEY=VALUE"), "{}", run.stderr);
    vault.run(&["list", "--sort", "age"]).assert_code(2);
    vault.run(&["list", "--format", "yaml"]).assert_code(2);
}

#[test]
fn overdue_rows_are_red_only_with_color() {
    let vault = good();
    let plain = vault.run(&["list"]);
    assert!(!plain.stdout.contains('\u{1b}'));
    let mut cmd = common::command();
    cmd.arg("--vault").arg(vault.path()).args([
        "--today",
        common::TODAY,
        "--color",
        "always",
        "list",
    ]);
    let colored = common::run(cmd);
    colored.assert_code(0);
    assert!(
        colored.stdout.contains("\u{1b}[31m39d overdue"),
        "{:?}",
        colored.stdout
    );
}

#[test]
fn where_on_a_key_no_note_has_says_so() {
    let vault = good();
    let run = vault.run(&["list", "--where", "locaton=Lisbon"]);
    run.assert_code(0);
    assert!(
        run.stderr
            .contains("no partner note has the key `locaton`, so --where matches nobody; did you mean `location`?"),
        "{}",
        run.stderr
    );
    let run = vault.run(&["list", "--where", "location=Lisbon"]);
    assert!(
        !run.stderr.contains("no partner note has the key"),
        "{}",
        run.stderr
    );
}

#[test]
fn json_carries_the_notes_own_keys() {
    let run = good().run(&["list", "--format", "json"]);
    let list = partners(&run);
    assert_eq!(
        partner(&list, "Ben Ortiz")["extra"],
        json!({"location": "Porto"})
    );
    assert_eq!(partner(&list, "Cara Singh")["extra"], json!({}));
}

#[test]
fn stage_kind_and_tier_match_their_lists_in_any_case() {
    let vault = good();
    vault.write(
        "partners/kit.md",
        "---\nname: Kit\nstage: Partner\nkind: PODCAST\ntier: a\n---\n",
    );
    let check = vault.run(&["check"]);
    check.assert_code(0);
    let list = partners(&vault.run(&["list", "--format", "json", "--stage", "partner"]));
    let kit = partner(&list, "Kit");
    assert_eq!(
        (&kit["stage"], &kit["kind"], &kit["tier"]),
        (&json!("partner"), &json!("podcast"), &json!("A"))
    );
    assert_eq!(kit["cadence"], "2w");
}

#[test]
fn a_closed_pipe_is_not_an_error_in_any_format() {
    // Enough partners that the output overflows every buffer on the way (about 200 KB).
    let dir = common::generated(300);
    let vault = dir.path().join("v");
    for format in ["table", "json"] {
        // The reading end is closed before vault writes a byte: every write fails with EPIPE.
        let mut child = common::command()
            .arg("--vault")
            .arg(&vault)
            .args(["--today", common::TODAY, "list", "--format", format])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let done = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&done.stderr);
        assert_eq!(done.status.code(), Some(0), "{format}: {stderr}");
        assert!(!stderr.contains("vault: error"), "{format}: {stderr}");
    }
}

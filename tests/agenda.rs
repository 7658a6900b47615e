//! The review as an agenda on a vault larger than its caps, through the real binary: the focus
//! section, each section cut to `review.limit` with its "and N more" line and command, the
//! full counts in `--format json`, `review.limit: 0` and `--limit`, a user template that lists
//! everyone, and `vault remind`'s text cut to `reminders.limit`. Every run pins `--today` to
//! Monday 2026-11-23.

mod common;

use common::TempVault;

/// 30 overdue partners (tier B, last touched 2026-09-01 + n days, so Over 00 is the most
/// overdue), 4 of them owed a give (00, 08, 16, 24), and 12 prospects never touched (due
/// today); `config` is vault.yaml.
fn crowded(config: &str) -> TempVault {
    let v = TempVault::empty();
    v.write("vault.yaml", config);
    for n in 0..30 {
        let log = if n % 8 == 0 {
            "- 2026-09-01 got: An intro\n"
        } else {
            "- 2026-09-01 gave: A shout-out\n"
        };
        v.write(
            &format!("partners/over-{n:02}.md"),
            format!(
                "---\nname: Over {n:02}\ntier: B\nstage: partner\nlast_contact: 2026-09-{:02}\n---\n## Log\n{log}",
                n + 1
            ),
        );
    }
    for n in 0..12 {
        v.write(
            &format!("partners/prospect-{n:02}.md"),
            format!("---\nname: Prospect {n:02}\ntier: C\nstage: prospect\n---\n"),
        );
    }
    v
}

/// The lines of `## heading`, blank lines dropped.
fn section(page: &str, heading: &str) -> Vec<String> {
    let start = format!("## {heading}");
    let mut lines = page.lines().skip_while(|l| *l != start);
    assert_eq!(lines.next(), Some(start.as_str()), "no section `{heading}`");
    lines
        .take_while(|l| !l.starts_with("## ") && !l.starts_with("<!-- vault:end"))
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn review(v: &TempVault, args: &[&str]) -> String {
    let mut all = vec!["review", "--stdout"];
    all.extend_from_slice(args);
    let run = v.run(&all);
    run.assert_code(0);
    run.stdout
}

#[test]
fn sections_are_cut_at_the_limit_and_say_how_many_more() {
    let v = crowded("");
    let page = review(&v, &[]);
    let overdue = section(&page, "Overdue");
    assert_eq!(overdue.len(), 11, "{overdue:#?}");
    assert!(overdue[..10].iter().all(|l| l.starts_with("- [[Over ")));
    assert_eq!(
        overdue[10],
        "and 20 more: `vault list --overdue --sort priority`"
    );
    // The most important first: the four owed a give lead, the most overdue of them first.
    assert!(overdue[0].starts_with("- [[Over 00]]"), "{}", overdue[0]);
    assert!(overdue[1].starts_with("- [[Over 08]]"), "{}", overdue[1]);

    let focus = section(&page, "Focus this week");
    assert_eq!(focus.len(), 6, "{focus:#?}");
    assert!(focus[0].starts_with(
        "1. [[Over 00]]: give first: got more than gave. Why first: tier B, partner, "
    ));
    assert_eq!(
        focus[5],
        "and 37 more with something to do this week, below."
    );

    // Never touched, due since they began: 12 prospects due today, 10 shown.
    let due = section(&page, "Due this week");
    assert_eq!(due.len(), 11);
    assert_eq!(
        due[10],
        "and 2 more: `vault list --due-within 6d --sort priority` (the overdue too)"
    );

    // The pipeline counts everyone and names the first 10 of a stage alphabetically.
    let pipeline = section(&page, "Pipeline");
    let partner_row = pipeline
        .iter()
        .find(|l| l.starts_with("| partner |"))
        .unwrap();
    assert!(
        partner_row.starts_with("| partner | 30 | [[Over 00]], [[Over 01]], "),
        "{partner_row}"
    );
    assert!(
        partner_row.ends_with("[[Over 09]], and 20 more |"),
        "{partner_row}"
    );
}

#[test]
fn the_limit_comes_from_vault_yaml_or_the_command_line() {
    let v = crowded("review:\n  limit: 0\n  focus: 2\n");
    let page = review(&v, &[]);
    assert_eq!(section(&page, "Overdue").len(), 30);
    assert!(!page.contains(" more: `vault list"), "{page}");
    let focus = section(&page, "Focus this week");
    assert_eq!(focus.len(), 3);
    assert!(focus[1].starts_with("2. "));

    let page = review(&v, &["--limit", "3"]);
    let overdue = section(&page, "Overdue");
    assert_eq!(overdue.len(), 4);
    assert_eq!(
        overdue[3],
        "and 27 more: `vault list --overdue --sort priority`"
    );
}

#[test]
fn json_has_the_shown_lists_and_the_full_counts() {
    let v = crowded("");
    let run = v.run(&["review", "--format", "json"]);
    run.assert_code(0);
    let json = run.json();
    assert_eq!(json["week"], "2026-W48");
    assert_eq!(json["limit"], 10);
    assert_eq!(json["overdue"].as_array().unwrap().len(), 10);
    assert_eq!(json["counts"]["overdue"], 30);
    assert_eq!(json["counts"]["due_this_week"], 12);
    assert_eq!(json["focus"].as_array().unwrap().len(), 5);
    assert_eq!(json["focus"][0]["kind"], "give");
    assert_eq!(json["focus"][0]["partner"]["name"], "Over 00");
    assert_eq!(
        json["more"]["overdue"],
        "and 20 more: `vault list --overdue --sort priority`"
    );
    assert_eq!(json["more"]["wins"], "");
    // JSON writes no page.
    assert!(!v.join("reviews/2026-W48.md").exists());
}

#[test]
fn a_user_template_can_list_everyone() {
    let v = crowded("review:\n  limit: 0\n");
    v.write(
        "templates/review.md.tera",
        "{{ counts.overdue }} overdue: {% for p in overdue %}{{ p.name }}{% if not loop.last %}, {% endif %}{% endfor %}\n",
    );
    let page = review(&v, &[]);
    let line = page.lines().nth(1).unwrap();
    assert!(line.starts_with("30 overdue: Over 00, Over 08, "), "{line}");
    assert_eq!(line.matches("Over ").count(), 30, "{line}");
}

#[test]
fn remind_prints_the_most_important_few_and_counts_the_rest() {
    let v = crowded("");
    let run = v.run(&["remind"]);
    run.assert_code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 21, "{}", run.stdout);
    assert_eq!(lines[20], "... and 22 more: `vault remind --limit 0`");
    // The owed four are among the kept, the 12 prospects (tier C, due today) are not.
    assert!(lines.iter().any(|l| l.contains("Over 08:")));
    assert!(!lines.iter().any(|l| l.contains("Prospect")));
    // Kept in date order.
    let dates: Vec<&str> = lines[..20].iter().map(|l| &l[..10]).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);

    let run = v.run(&["remind", "--limit", "0"]);
    assert_eq!(run.stdout.lines().count(), 42);
    let run = v.run(&["remind", "--format", "json"]);
    assert_eq!(run.json().as_array().unwrap().len(), 42);
    let run = v.run(&["remind", "--within", "30d"]);
    assert!(run
        .stdout
        .ends_with("... and 22 more: `vault remind --within 30d --limit 0`\n"));
}

/// The share of a generated vault's partners that `list --overdue` names.
fn overdue_share(vault: &std::path::Path) -> f64 {
    let all = common::run_vault(vault, &["list", "--format", "json"]);
    let overdue = common::run_vault(vault, &["list", "--overdue", "--format", "json"]);
    common::partners(&overdue).len() as f64 / common::partners(&all).len() as f64
}

#[test]
fn the_generator_makes_a_kept_vault_or_a_neglected_one() {
    let kept = common::generated_with(600, &["--shape", "realistic"]);
    let kept = kept.path().join("v");
    common::run_vault(&kept, &["check"]).assert_code(0);
    let share = overdue_share(&kept);
    assert!(
        (0.05..=0.15).contains(&share),
        "realistic: {share:.3} overdue"
    );
    // Its agenda is a week's work: the focus, then short sections.
    let page = common::run_vault(&kept, &["review", "--stdout"]).stdout;
    assert_eq!(section(&page, "Focus this week").len(), 5 + 1, "{page}");

    let neglected = common::generated_with(600, &[]);
    let share = overdue_share(&neglected.path().join("v"));
    assert!(share > 0.5, "neglected: {share:.3} overdue");
}

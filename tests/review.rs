//! `vault review`: the weekly page of `tests/fixtures/review` on Wednesday 2026-11-25 (week
//! 2026-W48), every section of it, writing `reviews/YYYY-Www.md` only when its bytes change,
//! `--week`, `week_starts`, template overrides and template errors, `init --templates`, and
//! determinism. Every run pins `--today`.

mod common;

use common::{age, mtime, partner, partners, Run, TempVault};
use std::path::Path;

/// The pinned day: a Wednesday, in ISO week 2026-W48 (Monday 2026-11-23 to Sunday 2026-11-29).
const DAY: &str = "2026-11-25";
const PAGE: &str = "reviews/2026-W48.md";
const OVERRIDE: &str = "templates/review.md.tera";

/// A fresh copy of the fixture.
fn fixture() -> TempVault {
    TempVault::copy("review")
}

/// Runs on [`DAY`].
fn vault(v: &TempVault, args: &[&str]) -> Run {
    common::run_vault_on(v.path(), DAY, args)
}

/// The page as `review --stdout` prints it, with exit code 0 and nothing on stderr.
fn page(v: &TempVault) -> String {
    let run = vault(v, &["review", "--stdout"]);
    run.assert_code(0);
    assert_eq!(run.stderr, "", "a clean vault gives no notes on stderr");
    run.stdout
}

/// The page without its `vault:begin` and `vault:end` marker lines: what the template rendered
/// (plus a final line break).
fn unmarked(page: &str) -> String {
    page.split_inclusive('\n')
        .filter(|l| !l.starts_with("<!-- vault:begin ") && *l != "<!-- vault:end -->\n")
        .collect()
}

/// The lines of the section headed `## heading`, up to the next `## ` or the end marker, blank
/// lines dropped.
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

/// The `[[Name]]` each `- ` item of a section starts with, in order.
fn linked_items(page: &str, heading: &str) -> Vec<String> {
    section(page, heading)
        .iter()
        .filter_map(|l| l.strip_prefix("- [["))
        .map(|l| l.split("]]").next().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn snapshot_of_the_week() {
    let v = fixture();
    insta::assert_snapshot!("review_2026_w48", page(&v));
}

#[test]
fn sections_come_in_order_and_hold_the_right_partners() {
    let v = fixture();
    let page = page(&v);
    assert!(page.starts_with(
        "---\ntype: review\nweek: 2026-W48\ngenerated_from_day: 2026-11-25\n---\n<!-- vault:begin "
    ));
    assert!(unmarked(&page).starts_with(
        "---\ntype: review\nweek: 2026-W48\ngenerated_from_day: 2026-11-25\n---\n# Week 2026-W48"
    ));
    assert!(page.ends_with("\n<!-- vault:end -->\n"));
    assert!(page.contains("2026-11-23 to 2026-11-29, as of 2026-11-25."));
    let headings: Vec<&str> = page.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        headings,
        [
            "## Focus this week",
            "## Overdue",
            "## Due this week",
            "## Give before you ask",
            "## Open tasks",
            "## Pipeline",
            "## Last week's wins",
            "## Data problems",
        ]
    );

    // By priority: Theo (tier A, 0.7 cadences late, got more than gave), then Abby (tier B,
    // never given to) above Olga (tier B, later, but given to within the window).
    assert_eq!(
        linked_items(&page, "Overdue"),
        ["Theo Tran", "Abby Adler", "Olga Ortega"]
    );
    let overdue = section(&page, "Overdue");
    assert!(overdue[2].contains("**15 days overdue** (due 2026-11-10; tier B, every 1m)"));
    assert!(overdue[2].contains("Last touch 2026-10-10."));
    assert!(overdue[2].contains("Last gave 2026-09-01: Sent her a podcast guest"));
    assert!(overdue[0].contains("**10 days overdue** (due 2026-11-15; tier A, every 2w)"));
    // What was last given, even outside the reciprocity window.
    assert!(overdue[1].contains("Last gave 2025-01-10: Recommended her as a speaker"));

    // Eve is due today through `next`; Dev tomorrow, but tier A comes first. Pia (2026-12-01)
    // is next week's.
    assert_eq!(
        linked_items(&page, "Due this week"),
        ["Dev Dutta", "Eve Ekdahl"]
    );
    assert!(section(&page, "Due this week")[1].contains("due 2026-11-25 (today)"));

    // Got more than gave, or due and not given to within 180d; by priority.
    assert_eq!(
        linked_items(&page, "Give before you ask"),
        ["Theo Tran", "Abby Adler", "Gus Green"]
    );
    let give = section(&page, "Give before you ask").join("\n");
    assert!(give.contains("[[Gus Green]]: gave 1, got 3 (balance -2); got more than gave."));
    assert!(give.contains("[[Abby Adler]]: gave 0, got 0 (balance 0); not given to within 180d."));

    // Overdue and this week's dated tasks, the meeting note's included; never the done ones,
    // the undated one, or Dev's task of 2026-12-20.
    assert_eq!(
        section(&page, "Open tasks"),
        [
            "- 2026-11-20 (5d overdue), [[Olga Ortega]]: Send Olga the media kit (`partners/olga-ortega.md:17`)",
            "- 2026-11-26, [[Mia Moreno]]: Send [[Mia Moreno]] the recap (`notes/meetings/2026-11-24-community-sync.md:9`)",
            "- 2026-11-27, [[Dev Dutta]]: Draft the joint webinar outline (`partners/dev-dutta.md:14`)",
        ]
    );
    for absent in [
        "Book the studio",
        "Book the room",
        "Archive her old drafts",
        "spring launch",
        "Someday",
    ] {
        assert!(!page.contains(absent), "`{absent}` must not be on the page");
    }

    let pipeline = section(&page, "Pipeline");
    for row in [
        "| prospect | 2 | [[Nico Novak]], [[Pia Park]] |",
        "| acquaintance | 2 | [[Eve Ekdahl]], [[Mia Moreno]] |",
        "| nurturing | 2 | [[Abby Adler]], [[Gus Green]] |",
        "| partner | 3 | [[Dev Dutta]], [[Olga Ortega]], [[Theo Tran]] |",
        "| dormant | 1 | [[Dora Dahl]] |",
    ] {
        assert!(pipeline.iter().any(|l| l == row), "missing row {row}");
    }
    assert!(pipeline
        .iter()
        .any(|l| l == "- [[Nico Novak]]: never touched"));
    assert!(pipeline
        .iter()
        .any(|l| l == "- [[Pia Park]]: 85 days since the last touch (2026-09-01)"));

    // The 7 days ending today: 2026-11-19 is in, Gus's 2026-11-18 entry is not.
    assert_eq!(
        section(&page, "Last week's wins"),
        [
            "- 2026-11-22 got, [[Eve Ekdahl]]: She quoted me in her article",
            "- 2026-11-20 got, [[Gus Green]]: Published my guest post",
            "- 2026-11-19 gave, [[Gus Green]]: Proofread his newsletter",
        ]
    );

    assert_eq!(
        section(&page, "Data problems"),
        [
            "`vault check` finds 0 errors and 1 warning:",
            "- `partners/mia-moreno.md:8:1` warning[unknown-key]: unknown key `mett_at` looks like a typo",
        ]
    );

    // Dormant Dora is in the pipeline and nowhere else; Mia's meeting note of 2026-11-24 keeps
    // her off the overdue list.
    assert_eq!(page.matches("[[Dora Dahl]]").count(), 1);
    assert!(!linked_items(&page, "Overdue").contains(&"Mia Moreno".to_string()));
}

#[test]
fn data_problems_lists_errors_first_then_the_first_warnings_with_the_counts() {
    let v = fixture();
    for n in 1..=5 {
        v.write(
            &format!("partners/typo-{n}.md"),
            format!(
                "---\nname: Typo {n}\nstage: nurturing\nlast_contact: 2026-11-20\ntagz: [x]\n---\n"
            ),
        );
    }
    // Its path sorts after the warnings' notes; it is listed first all the same.
    v.write(
        "partners/zz-bad-log.md",
        "---\nname: Bad Log\nstage: nurturing\nlast_contact: 2026-11-20\n---\n## Log\n- 2026-13-40 met: nowhere\n",
    );
    let run = vault(&v, &["review", "--stdout"]);
    run.assert_code(0);
    assert!(run.stderr.contains("1 error(s)"), "{}", run.stderr);
    let problems = section(&run.stdout, "Data problems");
    assert_eq!(
        problems[0],
        "`vault check` finds 1 error and 6 warnings; the first 5:"
    );
    assert_eq!(problems.len(), 7, "{problems:#?}");
    assert!(
        problems[1].starts_with("- `partners/zz-bad-log.md:7:3` error[bad-log-date]"),
        "{problems:#?}"
    );
    assert!(
        problems[2..6].iter().all(|p| p.contains("warning[")),
        "{problems:#?}"
    );
    assert_eq!(problems[6], "and 2 more: `vault check`");
}

#[test]
fn reviews_never_count_as_touches() {
    let v = fixture();
    // reviews/2026-W47.md has `date: 2026-11-24` and links these partners.
    let list = |v: &TempVault| {
        let run = vault(v, &["list", "--format", "json"]);
        run.assert_code(0);
        partners(&run)
    };
    let before = list(&v);
    for (name, last) in [
        ("Olga Ortega", Some("2026-10-10")),
        ("Pia Park", Some("2026-09-01")),
        ("Abby Adler", Some("2026-10-15")),
        ("Nico Novak", None),
    ] {
        assert_eq!(
            partner(&before, name)["last_touch"].as_str(),
            last,
            "{name}"
        );
    }
    // Writing this week's page (which links most partners) changes nothing either.
    vault(&v, &["review"]).assert_code(0);
    assert!(v.join(PAGE).is_file());
    assert_eq!(list(&v), before);

    // Control: the same page outside reviews/ is a dated note. It touches the partner its
    // `partners:` list names; its body links stay mentions.
    std::fs::rename(v.join("reviews/2026-W47.md"), v.join("notes/old-review.md")).unwrap();
    let after = list(&v);
    assert_eq!(
        partner(&after, "Olga Ortega")["last_touch"].as_str(),
        Some("2026-10-10")
    );
    assert_eq!(
        partner(&after, "Pia Park")["last_touch"].as_str(),
        Some("2026-11-24")
    );
}

#[test]
fn writes_the_page_once_and_keeps_its_mtime_while_unchanged() {
    let v = fixture();
    let path = v.join(PAGE);
    let first = vault(&v, &["review"]);
    first.assert_code(0);
    assert_eq!(first.stdout, "wrote reviews/2026-W48.md\n");
    assert_eq!(
        v.read(PAGE),
        page(&v),
        "the file holds what --stdout prints"
    );

    let bytes = std::fs::read(&path).unwrap();
    let old = age(&path);
    let second = vault(&v, &["review"]);
    second.assert_code(0);
    assert!(
        second.stdout.starts_with("unchanged") && second.stdout.contains(PAGE),
        "{}",
        second.stdout
    );
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    assert_eq!(mtime(&path), old, "an unchanged page is not rewritten");
    let leftovers: Vec<_> = std::fs::read_dir(v.join("reviews"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(leftovers.len(), 2, "no temporary files: {leftovers:?}");

    // A changed note: Olga was touched yesterday, so she leaves the overdue list.
    let olga = v.read("partners/olga-ortega.md");
    v.write(
        "partners/olga-ortega.md",
        olga.replace("last_contact: 2026-10-10", "last_contact: 2026-11-24"),
    );
    let third = vault(&v, &["review"]);
    third.assert_code(0);
    assert_eq!(third.stdout, "updated reviews/2026-W48.md\n");
    let updated = v.read(PAGE);
    assert_ne!(updated.as_bytes(), bytes.as_slice());
    assert_ne!(mtime(&path), old);
    assert_eq!(
        linked_items(&updated, "Overdue"),
        ["Theo Tran", "Abby Adler"]
    );
}

#[test]
fn stdout_writes_nothing() {
    let v = fixture();
    let before = common::tree(v.path());
    page(&v);
    assert_eq!(common::tree(v.path()), before);
}

#[test]
fn week_option_writes_that_weeks_page() {
    let v = fixture();
    let run = vault(&v, &["review", "--week", "2026-W49"]);
    run.assert_code(0);
    assert_eq!(run.stdout, "wrote reviews/2026-W49.md\n");
    assert!(!v.join(PAGE).exists());
    let page = v.read("reviews/2026-W49.md");
    // A later week is computed as of its first day.
    assert!(page
        .starts_with("---\ntype: review\nweek: 2026-W49\ngenerated_from_day: 2026-11-30\n---\n"));
    assert!(page.contains("2026-11-30 to 2026-12-06, as of 2026-11-30."));

    // The week holding today, named explicitly, is the default page.
    let explicit = vault(&v, &["review", "--week", "2026-W48", "--stdout"]);
    explicit.assert_code(0);
    assert_eq!(explicit.stdout, self::page(&v));

    for bad in ["2026-W54", "2026W48", "next week"] {
        let run = vault(&v, &["review", "--week", bad]);
        run.assert_code(2);
        assert!(run.stderr.contains("--week"), "{bad}: {}", run.stderr);
    }
}

#[test]
fn week_starts_sunday_names_the_week_by_iso_week() {
    let v = fixture();
    let config = v.read("vault.yaml");
    // Sunday 2026-11-29 ends ISO week 48, but starts a Sunday week whose days are mostly in W49.
    let monday = common::run_vault_on(v.path(), "2026-11-29", &["review"]);
    monday.assert_code(0);
    assert_eq!(monday.stdout, "wrote reviews/2026-W48.md\n");
    assert!(v
        .read(PAGE)
        .contains("2026-11-23 to 2026-11-29, as of 2026-11-29."));

    v.write("vault.yaml", format!("{config}week_starts: sunday\n"));
    let sunday = common::run_vault_on(v.path(), "2026-11-29", &["review"]);
    sunday.assert_code(0);
    assert_eq!(sunday.stdout, "wrote reviews/2026-W49.md\n");
    let page = v.read("reviews/2026-W49.md");
    assert!(page.contains("\nweek: 2026-W49\n"));
    assert!(page.contains("2026-11-29 to 2026-12-05, as of 2026-11-29."));

    // On the pinned Wednesday the Sunday week is still 2026-W48, from 2026-11-22.
    let wednesday = vault(&v, &["review", "--stdout"]);
    wednesday.assert_code(0);
    assert!(wednesday.stdout.contains("\nweek: 2026-W48\n"));
    assert!(wednesday
        .stdout
        .contains("2026-11-22 to 2026-11-28, as of 2026-11-25."));
}

#[test]
fn a_vault_template_overrides_the_built_in() {
    let v = fixture();
    v.write(
        OVERRIDE,
        "custom {{ week }}: {% for p in overdue %}{{ p.name | wikilink }} {{ p.days_overdue }}{% if not loop.last %}, {% endif %}{% endfor %}\n",
    );
    let run = vault(&v, &["review", "--stdout"]);
    run.assert_code(0);
    // The tool adds the markers around whatever the template renders.
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    assert!(lines[0].starts_with("<!-- vault:begin "), "{}", run.stdout);
    assert_eq!(
        lines[1],
        "custom 2026-W48: [[Theo Tran]] 10, [[Abby Adler]] 10, [[Olga Ortega]] 15"
    );
    assert_eq!(lines[2], "<!-- vault:end -->");
    vault(&v, &["review"]).assert_code(0);
    assert_eq!(v.read(PAGE), run.stdout);
}

/// A broken override: exit 2, stderr names the file and line, and nothing written changes.
fn assert_template_error(template: &str, line: usize, also: &str) {
    let v = fixture();
    vault(&v, &["review"]).assert_code(0);
    let path = v.join(PAGE);
    let old = age(&path);
    v.write(OVERRIDE, template);
    let before = common::tree(v.path());
    for args in [
        &["review"][..],
        &["review", "--stdout"],
        &["review", "--week", "2026-W49"],
    ] {
        let run = vault(&v, args);
        run.assert_code(2);
        assert_eq!(run.stdout, "", "{args:?}: no page, not even part of one");
        let location = format!("{OVERRIDE}:{line}:");
        assert!(
            run.stderr.contains(&location),
            "{args:?}: stderr should name `{location}`:\n{}",
            run.stderr
        );
        assert!(run.stderr.contains(also), "{args:?}:\n{}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        assert_eq!(common::tree(v.path()), before, "{args:?}: nothing changes");
        assert_eq!(mtime(&path), old);
    }
}

#[test]
fn a_syntax_error_in_the_override_exits_2_and_names_the_line() {
    assert_template_error(
        "---\nweek: {{ week }}\n---\n{% for p in %}\n{% endfor %}\n",
        4,
        "",
    );
}

#[test]
fn an_unknown_variable_in_the_override_exits_2_and_names_the_line() {
    assert_template_error(
        "---\nweek: {{ week }}\n---\n\nHello {{ no_such_thing }}\n",
        5,
        "no_such_thing",
    );
}

#[test]
fn init_templates_copies_the_built_ins_once() {
    let v = fixture();
    let run = vault(&v, &["init", "--templates"]);
    run.assert_code(0);
    let builtin = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    for name in ["review.md.tera", "remind.txt.tera", "partner.md.tera"] {
        assert!(run.stdout.contains(name), "{}", run.stdout);
        assert_eq!(
            v.read(&format!("templates/{name}")),
            std::fs::read_to_string(builtin.join(name)).unwrap(),
            "{name} is copied as it is"
        );
    }
    assert_eq!(std::fs::read_dir(v.join("templates")).unwrap().count(), 3);
    // The copies render exactly what the built-ins render.
    let copied = page(&v);
    std::fs::remove_dir_all(v.join("templates")).unwrap();
    assert_eq!(copied, page(&v));

    // A second time it refuses and overwrites nothing, even when only one file is there.
    vault(&v, &["init", "--templates"]).assert_code(0);
    v.write(OVERRIDE, "my own page {{ week }}\n");
    std::fs::remove_file(v.join("templates/partner.md.tera")).unwrap();
    let before = common::tree(v.path());
    let again = vault(&v, &["init", "--templates"]);
    again.assert_code(2);
    assert!(
        again.stderr.contains("refusing to overwrite"),
        "{}",
        again.stderr
    );
    assert!(again.stderr.contains("review.md.tera"), "{}", again.stderr);
    assert_eq!(common::tree(v.path()), before, "nothing was changed");
    assert_eq!(unmarked(&page(&v)), "my own page 2026-W48\n");
}

#[test]
fn same_vault_day_and_templates_give_the_same_bytes() {
    let a = fixture();
    let b = fixture();
    let first = page(&a);
    assert_eq!(first, page(&a));
    assert_eq!(first, page(&b), "the vault's location does not matter");
    vault(&a, &["review"]).assert_code(0);
    vault(&b, &["review"]).assert_code(0);
    assert_eq!(std::fs::read(a.join(PAGE)).unwrap(), first.as_bytes());
    assert_eq!(std::fs::read(b.join(PAGE)).unwrap(), first.as_bytes());
}

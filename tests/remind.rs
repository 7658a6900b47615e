//! `vault remind`: touches and dated tasks due within the horizon (overdue included) of
//! `tests/fixtures/review` on 2026-11-25, as text, JSON and iCalendar (RFC 5545, checked with the
//! `icalendar` parser), stable UIDs, `--ics` and `--out`. Every run pins `--today`.

mod common;

use common::{age, mtime, Run, TempVault};
use icalendar::{Calendar, CalendarComponent, Component, DatePerhapsTime};
use serde_json::Value;

const DAY: &str = "2026-11-25";
/// `reminders.ics` in the fixture's vault.yaml.
const ICS_FILE: &str = "cal/partners.ics";

fn fixture() -> TempVault {
    TempVault::copy("review")
}

/// Runs on [`DAY`] (the shared helper pins another day).
fn vault(v: &TempVault, args: &[&str]) -> Run {
    common::run_vault_on(v.path(), DAY, args)
}

/// Runs, expects exit 0 and a quiet stderr, returns stdout.
fn ok(v: &TempVault, args: &[&str]) -> String {
    let run = vault(v, args);
    run.assert_code(0);
    assert_eq!(run.stderr, "", "{args:?}");
    run.stdout
}

fn json(v: &TempVault, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["remind", "--format", "json"];
    all.extend_from_slice(args);
    let run = vault(v, &all);
    run.assert_code(0);
    run.json().as_array().expect("an array").clone()
}

/// `kind partner date text` of each reminder, for comparing sets.
fn keys(reminders: &[Value]) -> Vec<String> {
    reminders
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {}",
                r["kind"].as_str().unwrap(),
                r["partner"].as_str().unwrap(),
                r["date"].as_str().unwrap(),
                r["text"].as_str().unwrap()
            )
        })
        .collect()
}

fn ics(v: &TempVault, extra: &[&str]) -> String {
    let mut args = vec!["remind", "--format", "ics"];
    args.extend_from_slice(extra);
    ok(v, &args)
}

fn parse(text: &str) -> Calendar {
    text.parse::<Calendar>()
        .unwrap_or_else(|e| panic!("not iCalendar ({e}):\n{text}"))
}

/// (UID, SUMMARY, DESCRIPTION) of every event or to-do, in order.
fn entries(calendar: &Calendar) -> Vec<(String, String, String)> {
    calendar
        .components
        .iter()
        .map(|c| {
            let (uid, summary, description) = match c {
                CalendarComponent::Event(e) => (e.get_uid(), e.get_summary(), e.get_description()),
                CalendarComponent::Todo(t) => (t.get_uid(), t.get_summary(), t.get_description()),
                other => panic!("unexpected component {other:?}"),
            };
            (
                uid.expect("UID").to_string(),
                summary.expect("SUMMARY").to_string(),
                description.expect("DESCRIPTION").to_string(),
            )
        })
        .collect()
}

fn uids(text: &str) -> Vec<String> {
    entries(&parse(text)).into_iter().map(|e| e.0).collect()
}

/// Every line ends in CRLF (no bare CR or LF) and holds at most 75 octets.
fn assert_rfc5545_lines(text: &str) {
    assert!(text.ends_with("\r\n"));
    let body = text.strip_suffix("\r\n").unwrap();
    for line in body.split("\r\n") {
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "bare line break in {line:?}"
        );
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
}

#[test]
fn text_snapshot() {
    let v = fixture();
    insta::assert_snapshot!("remind_text_7d", ok(&v, &["remind"]));
}

#[test]
fn json_snapshot() {
    let v = fixture();
    insta::assert_snapshot!("remind_json_7d", ok(&v, &["remind", "--format", "json"]));
}

#[test]
fn the_horizon_is_inclusive_and_defaults_to_vault_yaml() {
    let v = fixture();
    let default = json(&v, &[]);
    assert_eq!(default, json(&v, &["--within", "7d"]));
    assert_eq!(default.len(), 9);
    // Overdue first, with their days; the text output is the same list.
    assert_eq!(default[0]["partner"], "Olga Ortega");
    assert_eq!(default[0]["overdue_days"], 15);
    assert_eq!(ok(&v, &["remind"]).lines().count(), default.len());

    // Pia is due 2026-12-01, six days ahead.
    let pia = |list: &[Value]| list.iter().any(|r| r["partner"] == "Pia Park");
    assert!(pia(&json(&v, &["--within", "6d"])));
    assert!(!pia(&json(&v, &["--within", "5d"])));

    let month = json(&v, &["--within", "30d"]);
    let (week_keys, month_keys) = (keys(&default), keys(&month));
    for key in &week_keys {
        assert!(month_keys.contains(key), "30d lost {key}");
    }
    assert_eq!(
        month_keys
            .iter()
            .filter(|k| !week_keys.contains(k))
            .collect::<Vec<_>>(),
        [
            "task Dev Dutta 2026-12-20 Plan the spring launch together",
            "touch Mia Moreno 2026-12-24 Touch base (every 1m; last touch 2026-11-24)",
        ]
    );
    // Sorted by date.
    let dates: Vec<&str> = month.iter().map(|r| r["date"].as_str().unwrap()).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);
}

#[test]
fn dormant_partners_done_and_undated_tasks_never_appear() {
    let v = fixture();
    let all = json(&v, &["--within", "5y"]);
    assert!(all.iter().all(|r| r["partner"] != "Dora Dahl"), "{all:#?}");
    let texts: Vec<&str> = all.iter().map(|r| r["text"].as_str().unwrap()).collect();
    for absent in [
        "Book the studio",
        "Book the room",
        "Archive her old drafts",
        "Someday: a book together",
    ] {
        assert!(!texts.contains(&absent), "`{absent}` in {texts:#?}");
    }
    // Every other partner has a touch within five years.
    let touches = all.iter().filter(|r| r["kind"] == "touch").count();
    assert_eq!(touches, 9);
    let text = ok(&v, &["remind", "--within", "5y"]);
    assert!(!text.contains("Dora"));
    assert!(!text.contains("Book the"));
}

#[test]
fn json_fields() {
    let v = fixture();
    let all = json(&v, &["--within", "30d"]);
    for r in &all {
        let object = r.as_object().unwrap();
        let mut fields: Vec<&str> = object.keys().map(String::as_str).collect();
        fields.sort();
        assert_eq!(
            fields,
            ["date", "kind", "overdue_days", "partner", "path", "text"]
        );
        assert!(r["kind"] == "touch" || r["kind"] == "task");
        assert!(r["overdue_days"].as_i64().unwrap() >= 0);
        assert!(v.join(r["path"].as_str().unwrap()).is_file(), "{r}");
    }
    let recap = all
        .iter()
        .find(|r| r["text"] == "Send Mia Moreno the recap")
        .expect("the meeting note's task");
    assert_eq!(recap["kind"], "task");
    assert_eq!(recap["partner"], "Mia Moreno");
    assert_eq!(recap["path"], "notes/meetings/2026-11-24-community-sync.md");
    assert_eq!(recap["overdue_days"], 0);
}

#[test]
fn ics_is_rfc5545_with_one_event_per_reminder() {
    let v = fixture();
    for within in ["7d", "30d"] {
        let reminders = json(&v, &["--within", within]);
        let text = ics(&v, &["--within", within]);
        assert_rfc5545_lines(&text);
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(text.contains("\r\nVERSION:2.0\r\n"));
        assert!(text.contains("\r\nPRODID:"));
        assert_eq!(
            text.matches("\r\nDTSTAMP:20261125T000000Z\r\n").count(),
            reminders.len(),
            "DTSTAMP comes from --today"
        );
        let calendar = parse(&text);
        assert_eq!(calendar.property_value("VERSION"), Some("2.0"));
        assert!(calendar.property_value("PRODID").is_some());
        assert_eq!(calendar.components.len(), reminders.len());
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        for (component, reminder) in calendar.components.iter().zip(&reminders) {
            let CalendarComponent::Event(event) = component else {
                panic!("not a VEVENT: {component:?}");
            };
            // All-day, on the due day; overdue ones on today.
            let due =
                chrono::NaiveDate::parse_from_str(reminder["date"].as_str().unwrap(), "%Y-%m-%d")
                    .unwrap();
            assert_eq!(
                event.get_start(),
                Some(DatePerhapsTime::Date(due.max(today)))
            );
            let partner = reminder["partner"].as_str().unwrap();
            assert!(event.get_summary().unwrap().contains(partner));
            let description = event.get_description().unwrap();
            assert!(description.starts_with(reminder["text"].as_str().unwrap()));
            assert!(description.contains(reminder["path"].as_str().unwrap()));
            assert!(event.get_timestamp().is_some());
        }
        let mut unique = uids(&text);
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), reminders.len(), "UIDs are unique");
    }
}

#[test]
fn todo_gives_vtodo() {
    let v = fixture();
    let reminders = json(&v, &[]);
    let text = ics(&v, &["--todo"]);
    assert_rfc5545_lines(&text);
    assert!(!text.contains("VEVENT"));
    assert_eq!(text.matches("BEGIN:VTODO\r\n").count(), reminders.len());
    let calendar = parse(&text);
    assert_eq!(calendar.components.len(), reminders.len());
    assert!(calendar.components.iter().all(|c| matches!(
        c,
        CalendarComponent::Todo(t) if matches!(t.get_due(), Some(DatePerhapsTime::Date(_)))
    )));
    // Same UIDs as the events: the same reminders.
    assert_eq!(uids(&text), uids(&ics(&v, &[])));
}

#[test]
fn uids_survive_runs_renames_and_text_edits() {
    let v = fixture();
    let first = ics(&v, &["--within", "30d"]);
    assert_eq!(first, ics(&v, &["--within", "30d"]), "same bytes twice");
    let before = entries(&parse(&first));
    assert!(before
        .iter()
        .any(|(uid, _, _)| uid.contains("olga-ortega") && uid.starts_with("task-")));

    // Rename Olga's note (and move it into a subfolder).
    std::fs::create_dir_all(v.join("partners/archive")).unwrap();
    std::fs::rename(
        v.join("partners/olga-ortega.md"),
        v.join("partners/archive/ortega.md"),
    )
    .unwrap();
    let renamed = entries(&parse(&ics(&v, &["--within", "30d"])));
    assert_eq!(
        renamed.iter().map(|e| &e.0).collect::<Vec<_>>(),
        before.iter().map(|e| &e.0).collect::<Vec<_>>()
    );
    assert!(renamed
        .iter()
        .any(|(_, _, d)| d.contains("partners/archive/ortega.md")));

    // Edit the text of Olga's task and of Dev's task.
    let olga = v.read("partners/archive/ortega.md");
    v.write(
        "partners/archive/ortega.md",
        olga.replace(
            "Send Olga the media kit",
            "Send Olga the new media kit and rates",
        ),
    );
    let dev = v.read("partners/dev-dutta.md");
    v.write(
        "partners/dev-dutta.md",
        dev.replace("Draft the joint webinar outline", "Outline the webinar"),
    );
    let edited = entries(&parse(&ics(&v, &["--within", "30d"])));
    assert_eq!(
        edited.iter().map(|e| &e.0).collect::<Vec<_>>(),
        before.iter().map(|e| &e.0).collect::<Vec<_>>()
    );
    let summary = |list: &[(String, String, String)], uid: &str| {
        list.iter()
            .find(|e| e.0 == uid)
            .map(|e| e.1.clone())
            .unwrap()
    };
    let olga_task = before
        .iter()
        .find(|e| e.1 == "Olga Ortega: Send Olga the media kit")
        .unwrap()
        .0
        .clone();
    assert_eq!(
        summary(&edited, &olga_task),
        "Olga Ortega: Send Olga the new media kit and rates"
    );
}

#[test]
fn an_id_keeps_uids_when_the_partner_is_renamed() {
    let v = fixture();
    let olga = v.read("partners/olga-ortega.md");
    v.write(
        "partners/olga-ortega.md",
        olga.replace("name: Olga Ortega\n", "name: Olga Ortega\nid: olga-42\n"),
    );
    let before = uids(&ics(&v, &[]));
    assert!(before.iter().any(|u| u.contains("olga-42")), "{before:?}");
    v.write(
        "partners/olga-ortega.md",
        v.read("partners/olga-ortega.md")
            .replace("name: Olga Ortega\n", "name: Olga Ortega-Lind\n"),
    );
    let after = ics(&v, &[]);
    assert!(after.contains("Olga Ortega-Lind"));
    assert_eq!(uids(&after), before);
}

/// Commas, semicolons, backslashes, quotes, emoji, Arabic and Hebrew round-trip through the
/// escaping and folding of SUMMARY, DESCRIPTION and UID.
#[test]
fn unusual_text_round_trips_through_the_parser() {
    let v = fixture();
    let name = r#"Zoë "Z"; Ng, PhD \ 🎙️ مرحبا שלום"#;
    let task = r"Call, plan; review C:\drafts\ 🤝 مرحبا بالعالم שלום עולם, then \n done; 🇵🇹 👩🏽‍💻 ok";
    v.write(
        "partners/zoe.md",
        format!(
            "---\nname: '{name}'\ntier: A\nlast_contact: 2026-11-01\n---\n## Ideas\n- [ ] 2026-11-26 {task}\n"
        ),
    );
    let reminders = json(&v, &[]);
    let for_zoe: Vec<&Value> = reminders.iter().filter(|r| r["partner"] == name).collect();
    assert_eq!(for_zoe.len(), 2, "{reminders:#?}");
    assert_eq!(for_zoe[1]["text"], task);

    for extra in [&[][..], &["--todo"]] {
        let text = ics(&v, extra);
        assert_rfc5545_lines(&text);
        let found = entries(&parse(&text));
        assert_eq!(found.len(), reminders.len());
        let touch = found
            .iter()
            .find(|e| e.1 == format!("Touch base with {name}"))
            .unwrap_or_else(|| panic!("no touch for Zoë in {found:#?}"));
        assert!(touch.0.starts_with("touch."));
        let todo = found
            .iter()
            .find(|e| e.1 == format!("{name}: {task}"))
            .unwrap_or_else(|| panic!("no task for Zoë in {found:#?}"));
        assert!(
            todo.2
                .starts_with(&format!("{task}\nDue 2026-11-26\nNote: partners/zoe.md")),
            "{:?}",
            todo.2
        );
        assert!(todo.0.contains("مرحبا"), "{}", todo.0);
    }
}

#[test]
fn ics_flag_writes_the_file_from_vault_yaml_and_keeps_its_mtime() {
    let v = fixture();
    let run = vault(&v, &["remind", "--ics"]);
    run.assert_code(0);
    assert!(
        run.stdout.starts_with("wrote")
            && run.stdout.contains("(9 reminders)")
            && run.stdout.contains(ICS_FILE),
        "{}",
        run.stdout
    );
    let path = v.join(ICS_FILE);
    let written = std::fs::read_to_string(&path).unwrap();
    assert_eq!(written, ics(&v, &[]));
    assert!(!v.join("reminders.ics").exists());

    let old = age(&path);
    vault(&v, &["remind", "--ics"]).assert_code(0);
    assert_eq!(mtime(&path), old, "unchanged bytes are not rewritten");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), written);
    assert_eq!(
        std::fs::read_dir(v.join("cal")).unwrap().count(),
        1,
        "no temp files"
    );

    // --todo applies; a different calendar is written.
    vault(&v, &["remind", "--ics", "--todo"]).assert_code(0);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        ics(&v, &["--todo"])
    );
    assert_ne!(mtime(&path), old);

    // Without the setting, the default `reminders.ics` at the vault's root.
    let config = v.read("vault.yaml");
    v.write(
        "vault.yaml",
        config.replace("  ics: cal/partners.ics\n", ""),
    );
    vault(&v, &["remind", "--ics"]).assert_code(0);
    assert_eq!(v.read("reminders.ics"), written);

    // --ics chooses the format and the file itself.
    vault(&v, &["remind", "--ics", "--format", "json"]).assert_code(2);
}

#[test]
fn out_writes_json_to_the_file() {
    let v = fixture();
    let target = v.join("exports/reminders.json");
    let args = [
        "remind",
        "--format",
        "json",
        "--within",
        "30d",
        "--out",
        target.to_str().unwrap(),
    ];
    let run = vault(&v, &args);
    run.assert_code(0);
    assert!(run.stdout.contains("(11 reminders)"), "{}", run.stdout);
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&target).unwrap()).unwrap();
    assert_eq!(written.as_array().unwrap(), &json(&v, &["--within", "30d"]));
    let old = age(&target);
    vault(&v, &args).assert_code(0);
    assert_eq!(mtime(&target), old);
}

/// Known bug (see the report): a task's UID holds its position among the partner's open tasks
/// due that day, ordered by note path, so renaming a (non-partner) note can swap two UIDs.
#[test]
#[ignore = "known limitation (README): same-day tasks of one partner in different notes are numbered in path order"]
fn uids_of_same_day_tasks_survive_renaming_a_meeting_note() {
    let v = fixture();
    let mia = v.read("partners/mia-moreno.md");
    v.write(
        "partners/mia-moreno.md",
        format!("{mia}\n## Ideas\n- [ ] 2026-11-26 Book Mia's venue\n"),
    );
    let by_summary = |text: &str| {
        let mut list: Vec<(String, String)> = entries(&parse(text))
            .into_iter()
            .map(|e| (e.1, e.0))
            .collect();
        list.sort();
        list
    };
    let before = by_summary(&ics(&v, &[]));
    std::fs::create_dir_all(v.join("zz")).unwrap();
    std::fs::rename(
        v.join("notes/meetings/2026-11-24-community-sync.md"),
        v.join("zz/community-sync.md"),
    )
    .unwrap();
    assert_eq!(by_summary(&ics(&v, &[])), before);
}

/// Known bug (see the report): the UID is `kind.slug(name)`, so different names with the same
/// slug (or no slug at all) share a UID.
#[test]
#[ignore = "known limitation (README): names that slug alike (Ana Lopez, Ana-Lopez) need an id: to get distinct UIDs"]
fn uids_are_unique_across_partners_with_similar_names() {
    let v = TempVault::empty();
    for (file, name) in [
        ("a", "Ana Lopez"),
        ("b", "Ana-Lopez"),
        ("c", "\"🎙️\""),
        ("d", "\"🤝\""),
    ] {
        v.write(
            &format!("partners/{file}.md"),
            format!("---\nname: {name}\ntier: A\n---\n"),
        );
    }
    let mut all = uids(&ics(&v, &[]));
    assert_eq!(all.len(), 4);
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 4, "{all:?}");
}

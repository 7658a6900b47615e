//! `vault import linkedin|vcard|csv|calendar` and `vault export`, through the real binary on
//! copies of the `good` vault and the export files in `tests/fixtures/imports`: what is
//! created and matched, that importing again changes nothing, that `--dry-run` writes nothing,
//! that a broken row names its line, and that an export imports back without duplicates.

mod common;

use common::{fixture, tree, Run, TempVault};

/// The path of an input file in `tests/fixtures/imports`.
fn input(name: &str) -> String {
    fixture("imports").join(name).display().to_string()
}

/// Runs `vault import KIND FILE ARGS`.
fn import(vault: &TempVault, kind: &str, file: &str, args: &[&str]) -> Run {
    let path = input(file);
    let mut all = vec!["import", kind, path.as_str()];
    all.extend_from_slice(args);
    vault.run(&all)
}

/// The summary line (stdout's last), with the input's path shortened to its file name.
fn summary(run: &Run) -> String {
    let last = run.stdout.lines().last().unwrap_or_default();
    last.replace(&fixture("imports").display().to_string(), "imports")
}

/// Every fixture input, with the command that reads it.
const ALL: [(&str, &str); 8] = [
    ("linkedin", "linkedin-connections.csv"),
    ("linkedin", "linkedin-no-url.csv"),
    ("linkedin", "linkedin-semicolon-latin1.csv"),
    ("vcard", "iphone.vcf"),
    ("vcard", "android-2.1.vcf"),
    ("vcard", "google.vcf"),
    ("csv", "google-contacts.csv"),
    ("calendar", "calendar.ics"),
];

fn import_all(vault: &TempVault) -> Vec<String> {
    ALL.iter()
        .map(|(kind, file)| summary(&import(vault, kind, file, &[])))
        .collect()
}

#[test]
fn linkedin_creates_new_connections_matches_known_ones_and_names_bad_rows() {
    let vault = TempVault::copy("good");
    let run = import(&vault, "linkedin", "linkedin-connections.csv", &[]);
    run.assert_code(1);
    assert_eq!(
        summary(&run),
        "imports/linkedin-connections.csv: 3 created, 1 matched, 1 skipped, 2 problems"
    );
    for created in ["jonas-berg", "maya-okafor", "lin-wu"] {
        assert!(
            run.stdout
                .contains(&format!("created partners/{created}.md\n")),
            "{}",
            run.stdout
        );
    }
    let file = input("linkedin-connections.csv");
    for expected in [
        format!("{file}:8: First Name and Last Name are empty; skipped"),
        format!("{file}:9: Connected On `31 Foo 2025` is not a date like `05 Dec 2024`"),
        format!("{file}:10: the same person as line 6 (by LinkedIn profile); skipped"),
    ] {
        assert!(
            run.stderr.contains(&expected),
            "`{expected}` in:\n{}",
            run.stderr
        );
    }
    insta::assert_snapshot!("linkedin_jonas_berg", vault.read("partners/jonas-berg.md"));
    // Ana was matched by her email (another case) and left as she was.
    assert_eq!(
        vault.read("partners/ana-lopez.md"),
        std::fs::read_to_string(fixture("good").join("partners/ana-lopez.md")).unwrap()
    );
    vault.run(&["check"]).assert_code(0);
    // An imported connection is no touch: it is due from `since` (Connected On), not today.
    let show = vault.run(&["show", "Jonas Berg", "--format", "json"]);
    assert_eq!(
        show.json()["last_touch"],
        serde_json::Value::Null,
        "{}",
        show.stdout
    );
}

#[test]
fn older_and_localised_linkedin_exports_are_read() {
    let vault = TempVault::copy("good");
    let run = import(&vault, "linkedin", "linkedin-no-url.csv", &[]);
    run.assert_code(0);
    // Finn Gray is in the vault (by name); Sofía is new, with her accents.
    assert_eq!(
        summary(&run),
        "imports/linkedin-no-url.csv: 1 created, 1 matched, 0 skipped, 0 problems"
    );
    let sofia = vault.read("partners/sofia-ramirez.md");
    assert!(sofia.contains("name: \"Sofía Ramírez\"\n"), "{sofia}");
    assert!(sofia.contains("since: 2021-06-14\n"), "{sofia}");
    assert!(!sofia.contains("linkedin:"), "no URL column: {sofia}");

    let run = import(&vault, "linkedin", "linkedin-semicolon-latin1.csv", &[]);
    run.assert_code(0);
    assert!(
        run.stderr.contains("read as Windows-1252"),
        "the guess is said: {}",
        run.stderr
    );
    let zoe = vault.read("partners/zoe-angstrom.md");
    assert!(zoe.contains("name: \"Zoë Ångström\"\n"), "{zoe}");
    assert!(zoe.contains("org: \"Nordisk Förlag\"\n"), "{zoe}");
    assert!(zoe.contains("role: Förläggare\n"), "{zoe}");
    let bjorn = vault.read("partners/bjorn-saether.md");
    assert!(bjorn.contains("  email: bjorn@saether.no\n"), "{bjorn}");
    assert!(bjorn.contains("since: 2023-09-12\n"), "{bjorn}");
}

#[test]
fn vcards_from_an_iphone_an_old_android_and_google_are_read() {
    let vault = TempVault::copy("good");
    let run = import(&vault, "vcard", "iphone.vcf", &[]);
    run.assert_code(0);
    // Eve is in the vault by name; her card's email is not added without --update.
    assert_eq!(
        summary(&run),
        "imports/iphone.vcf: 1 created, 1 matched, 0 skipped, 0 problems"
    );
    assert!(run.stderr.contains("not imported: PHOTO"), "{}", run.stderr);
    insta::assert_snapshot!("vcard_maya_okafor", vault.read("partners/maya-okafor.md"));

    let run = import(&vault, "vcard", "android-2.1.vcf", &[]);
    run.assert_code(1);
    let file = input("android-2.1.vcf");
    assert!(
        run.stderr.contains(&format!(
            "{file}:10: the card has no name (no FN, N, ORG or EMAIL); skipped"
        )),
        "{}",
        run.stderr
    );
    let jurgen = vault.read("partners/jurgen-muller.md");
    assert!(jurgen.contains("name: \"Jürgen Müller\"\n"), "{jurgen}");
    assert!(
        jurgen.contains("> Veranstalter der Berliner Creator Days\n"),
        "quoted-printable soft breaks joined: {jurgen}"
    );

    import(&vault, "vcard", "google.vcf", &[]).assert_code(0);
    let priya = vault.read("partners/priya-raman.md");
    assert!(
        priya.contains("  linkedin: https://www.linkedin.com/in/priya-raman\n"),
        "{priya}"
    );
    assert!(
        priya.contains("  website: https://ramanreads.com\n"),
        "{priya}"
    );
    assert!(
        priya.contains("tags: [\"books\", \"newsletter\"]\n"),
        "{priya}"
    );
    vault.run(&["check"]).assert_code(0);
}

#[test]
fn a_spreadsheet_is_mapped_and_its_broken_row_named() {
    let vault = TempVault::copy("good");
    let run = import(
        &vault,
        "csv",
        "sheet.csv",
        &[
            "--map",
            "Who=name,Mail=email,Company=org,Where=location,Tier=tier",
        ],
    );
    run.assert_code(1);
    assert_eq!(
        summary(&run),
        "imports/sheet.csv: 2 created, 0 matched, 0 skipped, 1 problem"
    );
    let file = input("sheet.csv");
    assert!(
        run.stderr.contains(&format!(
            "{file}:4: the row has 6 values and the header 5; skipped"
        )),
        "{}",
        run.stderr
    );
    let kofi = vault.read("partners/kofi-mensah.md");
    assert!(
        kofi.contains("tier: A\n") && kofi.contains("location: Accra\n"),
        "{kofi}"
    );
    assert!(kofi.contains("source: csv\n"), "{kofi}");

    // A map naming a column the sheet lacks is refused before anything is written.
    let before = tree(vault.path());
    let run = import(&vault, "csv", "sheet.csv", &["--map", "E-mail=email"]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("no column `E-mail`") && run.stderr.contains("`Mail`"),
        "{}",
        run.stderr
    );
    assert_eq!(tree(vault.path()), before);
}

#[test]
fn google_contacts_columns_need_no_map() {
    let vault = TempVault::copy("good");
    let run = import(&vault, "csv", "google-contacts.csv", &[]);
    run.assert_code(0);
    assert_eq!(
        summary(&run),
        "imports/google-contacts.csv: 1 created, 1 matched, 0 skipped, 0 problems"
    );
    let tomas = vault.read("partners/tomas-silva.md");
    for line in [
        "org: \"Silva Pods\"\n",
        "role: Host\n",
        "  email: tomas@silvapods.br\n",
        "  phone: +55 11 5555 0101\n",
        "tags: [\"podcasts\"]\n",
        "> Runs a weekly podcast\n",
    ] {
        assert!(tomas.contains(line), "`{line}` in:\n{tomas}");
    }
}

#[test]
fn update_fills_only_empty_keys_and_says_what_it_added() {
    let vault = TempVault::copy("good");
    let run = import(
        &vault,
        "linkedin",
        "linkedin-connections.csv",
        &["--update"],
    );
    assert!(
        run.stdout
            .contains("updated partners/ana-lopez.md: added role, channels.linkedin\n"),
        "{}",
        run.stdout
    );
    let ana = vault.read("partners/ana-lopez.md");
    assert!(ana.contains("org: Lopez Video\n"), "kept: {ana}");
    assert!(ana.contains("since: 2024-03-10\n"), "kept: {ana}");
    assert!(ana.contains("  email: ana@example.com\n"), "{ana}");
    assert!(
        !ana.contains("ANA@example.com"),
        "the same email is not added: {ana}"
    );
    assert!(ana.contains("role: Founder\n"), "{ana}");
    vault.run(&["check"]).assert_code(0);
}

#[test]
fn dry_run_prints_the_notes_and_diffs_and_writes_nothing() {
    let vault = TempVault::copy("good");
    let before = tree(vault.path());
    let run = import(
        &vault,
        "linkedin",
        "linkedin-connections.csv",
        &["--dry-run", "--update"],
    );
    assert_eq!(tree(vault.path()), before, "nothing was written");
    assert!(
        run.stdout.contains("+++ b/partners/jonas-berg.md\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("+name: \"Jonas Berg\"\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("--- a/partners/ana-lopez.md\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("+role: Founder\n"), "{}", run.stdout);
    assert!(
        summary(&run).ends_with("(dry run: nothing was written)"),
        "{}",
        run.stdout
    );
}

#[test]
fn importing_everything_twice_changes_nothing_the_second_time() {
    let vault = TempVault::copy("good");
    let first = import_all(&vault);
    let after_first = tree(vault.path());
    let second = import_all(&vault);
    assert_eq!(
        tree(vault.path()),
        after_first,
        "the second import wrote nothing"
    );
    for (line, (kind, file)) in second.iter().zip(ALL) {
        assert!(line.contains(" 0 created"), "{kind} {file}: {line}");
    }
    assert_ne!(first, second);
    vault.run(&["check"]).assert_code(0);
}

#[test]
fn calendar_meetings_with_partners_become_touch_notes() {
    let vault = TempVault::copy("good");
    let run = import(&vault, "calendar", "calendar.ics", &[]);
    run.assert_code(1);
    // The weekly sync on 15 Oct, 22 Oct, 5 Nov, 13 Nov (moved from the 12th), 19 Nov (29 Oct is
    // an EXDATE; 26 Nov is after today), the Outlook event and the late call; the cancelled
    // lunch, the declined panel and the vendor demo give none; the event without UID is named.
    assert_eq!(
        summary(&run),
        "imports/calendar.ics: 7 created, 0 moved, 0 unchanged; 3 without a partner, 1 cancelled, \
         1 problem"
    );
    let file = input("calendar.ics");
    assert!(
        run.stderr
            .contains(&format!("{file}:75: the event has no UID; skipped")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("time zones not known: Pacific Standard Time"),
        "{}",
        run.stderr
    );
    let notes: Vec<String> = tree(vault.path())
        .into_iter()
        .map(|(rel, _)| rel)
        .filter(|rel| rel.starts_with("notes/2026"))
        .collect();
    assert_eq!(
        notes,
        [
            "notes/2026-10-15-ana-me-weekly-video-sync.md",
            "notes/2026-10-22-ana-me-weekly-video-sync.md",
            "notes/2026-11-02-podcast-prep.md",
            "notes/2026-11-05-ana-me-weekly-video-sync.md",
            "notes/2026-11-05-late-call.md",
            "notes/2026-11-13-ana-me-weekly-video-sync-moved.md",
            "notes/2026-11-19-ana-me-weekly-video-sync.md",
        ]
    );
    insta::assert_snapshot!(
        "calendar_weekly_sync",
        vault.read("notes/2026-10-15-ana-me-weekly-video-sync.md")
    );
    vault.run(&["check"]).assert_code(0);
    // The meetings are touches: Ana's last touch is her fixture note of 20 Nov, and the
    // imported 19 Nov sync is among her interactions.
    let show = vault.run(&["show", "Ana", "--format", "json"]);
    assert!(
        show.stdout
            .contains("notes/2026-11-19-ana-me-weekly-video-sync.md"),
        "{}",
        show.stdout
    );

    // --match-names adds the launch party, where Finn Gray is known by his name only.
    let run = import(&vault, "calendar", "calendar.ics", &["--match-names"]);
    assert!(
        summary(&run).starts_with("imports/calendar.ics: 1 created, 0 moved, 7 unchanged;"),
        "{}",
        run.stdout
    );
    let party = vault.read("notes/2026-09-20-launch-party.md");
    assert!(
        party.contains("attendees: [\"[[Finn Gray]]\"]\n"),
        "{party}"
    );
}

#[test]
fn a_moved_event_changes_only_its_notes_date_line() {
    let vault = TempVault::copy("good");
    import(&vault, "calendar", "calendar.ics", &[]);
    let before = vault.read("notes/2026-11-05-late-call.md");
    let moved = std::fs::read_to_string(input("calendar.ics"))
        .unwrap()
        .replace("DTSTART:20261105T233000Z", "DTSTART:20261106T100000Z");
    vault.write("moved.ics", moved);
    let path = vault.join("moved.ics").display().to_string();
    let run = vault.run(&["import", "calendar", &path, "--dry-run"]);
    assert!(
        run.stdout
            .contains("-date: 2026-11-05\n+date: 2026-11-06\n"),
        "{}",
        run.stdout
    );
    assert_eq!(
        vault.read("notes/2026-11-05-late-call.md"),
        before,
        "dry run"
    );
    let run = vault.run(&["import", "calendar", &path]);
    assert!(
        run.stdout
            .contains("moved notes/2026-11-05-late-call.md to 2026-11-06\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(" 0 created, 1 moved, 6 unchanged;"),
        "{}",
        run.stdout
    );
    assert_eq!(
        vault.read("notes/2026-11-05-late-call.md"),
        before.replace("date: 2026-11-05\n", "date: 2026-11-06\n")
    );
}

#[test]
fn a_calendar_window_and_zone_are_chosen() {
    let vault = TempVault::copy("good");
    let run = import(
        &vault,
        "calendar",
        "calendar.ics",
        &[
            "--from",
            "2026-11-01",
            "--until",
            "2026-11-30",
            "--tz",
            "Asia/Tokyo",
        ],
    );
    // The late call of 23:30 UTC is on 6 Nov in Tokyo; the 26 Nov sync is inside the window.
    assert!(
        run.stdout
            .contains("created notes/2026-11-06-late-call.md\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("created notes/2026-11-26-ana-me-weekly-video-sync.md\n"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("2026-10-"), "{}", run.stdout);
    let run = import(
        &vault,
        "calendar",
        "calendar.ics",
        &["--tz", "Mars/Olympus"],
    );
    run.assert_code(2);
    assert!(
        run.stderr.contains("`Mars/Olympus` is not a time zone"),
        "{}",
        run.stderr
    );
}

/// Runs `vault export FORMAT ARGS` and writes its output to `dir/file`, returning the path.
fn export_to(vault: &TempVault, dir: &tempfile::TempDir, file: &str, args: &[&str]) -> String {
    let run = vault.run(&[&["export"], args].concat());
    run.assert_code(0);
    let path = dir.path().join(file);
    std::fs::write(&path, &run.stdout).unwrap();
    path.display().to_string()
}

#[test]
fn an_exported_vcard_imports_back_without_duplicates() {
    let vault = TempVault::copy("good");
    let out = tempfile::tempdir().unwrap();
    let file = export_to(&vault, &out, "partners.vcf", &["vcard"]);
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        text.matches("BEGIN:VCARD\r\nVERSION:4.0\r\n").count(),
        6,
        "{text}"
    );
    assert!(text.contains("FN:Ana López\r\n"), "{text}");
    assert!(text.contains("EMAIL:ana@example.com\r\n"), "{text}");
    let before = tree(vault.path());
    let run = vault.run(&["import", "vcard", &file]);
    run.assert_code(0);
    assert!(
        run.stdout
            .ends_with(": 0 created, 6 matched, 0 skipped, 0 problems\n"),
        "{}",
        run.stdout
    );
    assert_eq!(tree(vault.path()), before, "the import wrote nothing");

    // Into another vault, the cards make the same partners with the same channels.
    let other = TempVault::empty();
    other.run(&["init"]).assert_code(0);
    let run = other.run(&["import", "vcard", &file]);
    assert!(
        run.stdout.contains(": 6 created, 0 matched"),
        "{}",
        run.stdout
    );
    let ana = other.read("partners/ana-lopez.md");
    for line in [
        "name: \"Ana López\"\n",
        "  email: ana@example.com\n",
        "org: \"Lopez Video\"\n",
    ] {
        assert!(ana.contains(line), "`{line}` in:\n{ana}");
    }
}

#[test]
fn an_exported_csv_has_every_key_channel_and_derived_value_and_imports_back() {
    let vault = TempVault::copy("good");
    let out = tempfile::tempdir().unwrap();
    let file = export_to(&vault, &out, "partners.csv", &["csv"]);
    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "name,aliases,org,kind,stage,tier,cadence,since,last_contact,next,met_at,tags,\
         channels.email,channels.twitter,location,\
         last_touch,due,days_overdue,gave,got,balance,priority,path"
    );
    assert_eq!(
        lines[1],
        "Ana López,Ana; AL,Lopez Video,influencer,partner,A,,2024-03-10,2026-11-02,,\
         VidCon Europe 2024,video; seo,ana@example.com,@analopez,Lisbon,\
         2026-11-20,2026-12-04,0,1,1,0,6,partners/ana-lopez.md"
    );
    assert_eq!(
        lines.len(),
        7,
        "a header and six partners, by name:\n{text}"
    );

    // The same columns import back into an empty vault; the derived ones are named as left out.
    let other = TempVault::empty();
    other.run(&["init"]).assert_code(0);
    let run = other.run(&["import", "csv", &file]);
    assert!(
        run.stdout.contains(": 6 created, 0 matched"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("columns not imported: `last_touch`"),
        "{}",
        run.stderr
    );
    let again = export_to(&other, &out, "again.csv", &["csv", "--where", "source=csv"]);
    let again = std::fs::read_to_string(again).unwrap();
    let keys = |line: &str| line.split(',').take(15).collect::<Vec<_>>().join(",");
    let ana = again.lines().find(|l| l.starts_with("Ana López,")).unwrap();
    assert_eq!(keys(ana), keys(lines[1]));

    // Importing the export into the vault it came from matches everyone.
    let run = vault.run(&["import", "csv", &file]);
    assert!(
        run.stdout.contains(": 0 created, 6 matched"),
        "{}",
        run.stdout
    );
}

#[test]
fn an_exported_json_has_channels_and_derived_values_and_honours_filters() {
    let vault = TempVault::copy("good");
    let run = vault.run(&["export", "json", "--where", "tier=A"]);
    run.assert_code(0);
    let partners = run.json();
    let names: Vec<&str> = partners
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Ana López", "Eve Nakamura", "Finn Gray"]);
    let ana = &partners[0];
    assert_eq!(ana["channels"]["email"], "ana@example.com");
    assert_eq!(ana["last_touch"], "2026-11-20");
    assert_eq!(ana["due"], "2026-12-04");
    assert_eq!(ana["balance"], 0);
    assert_eq!(ana["last_contact"], "2026-11-02");
    assert_eq!(ana["met_at"], "VidCon Europe 2024");

    let run = vault.run(&["export", "csv", "--stage", "dormant"]);
    run.assert_code(0);
    assert_eq!(run.stdout.lines().count(), 2, "{}", run.stdout);
    assert!(run.stdout.contains("\nDan Weller,"), "{}", run.stdout);
}

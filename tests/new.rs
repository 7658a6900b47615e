//! `vault new NAME`: the note it writes (path, bytes, id), that the note is a valid partner
//! afterwards, the defaults and options, a vault's own template, and refusals that write nothing.

mod common;

use common::{partner, partners, tree, Run, TempVault};

fn good() -> TempVault {
    TempVault::copy("good")
}

/// Runs `vault new ARGS` and asserts it created `rel`, printing one line.
#[track_caller]
fn create(vault: &TempVault, args: &[&str], rel: &str) -> Run {
    let mut all = vec!["new"];
    all.extend_from_slice(args);
    let run = vault.run(&all);
    run.assert_code(0);
    assert_eq!(run.stdout, format!("created {rel}\n"));
    assert!(vault.join(rel).is_file(), "{rel} is written");
    run
}

/// Runs `vault new ARGS`, asserts exit 2 with `message` on stderr and no file changed.
#[track_caller]
fn refused(vault: &TempVault, args: &[&str], message: &str) -> Run {
    let before = tree(vault.path());
    let mut all = vec!["new"];
    all.extend_from_slice(args);
    let run = vault.run(&all);
    run.assert_code(2);
    assert!(
        run.stderr.contains(message),
        "`{message}` in stderr:\n{}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert_eq!(tree(vault.path()), before, "nothing was written");
    run
}

/// The `id:` line of a note.
fn id_line(vault: &TempVault, rel: &str) -> String {
    vault
        .read(rel)
        .lines()
        .find(|l| l.starts_with("id:"))
        .unwrap_or_else(|| panic!("no id in {rel}"))
        .to_string()
}

#[test]
fn writes_a_note_for_a_non_ascii_name_that_is_a_valid_partner() {
    let vault = good();
    create(
        &vault,
        &[
            "Zoë Ångström",
            "--kind",
            "podcast",
            "--org",
            "Sound & Co",
            "--tag",
            "audio",
            "--tag",
            "Nordic",
            "--alias",
            "Zoë",
            "--alias",
            "ZA",
        ],
        "partners/zoe-angstrom.md",
    );
    let note = vault.read("partners/zoe-angstrom.md");
    insta::assert_snapshot!("zoe_angstrom", note);
    assert!(note.ends_with("before asking for anything\n"), "{note:?}");

    let check = vault.run(&["check", "--strict"]);
    check.assert_code(0);
    assert!(check.stdout.contains("no problems"), "{}", check.stdout);
    for query in [
        "Zoë Ångström",
        "zoë ångström",
        "ZOE\u{308} A\u{30a}NGSTRO\u{308}M",
        "ZA",
    ] {
        let show = vault.run(&["show", query]);
        show.assert_code(0);
        assert_eq!(
            show.stdout.lines().next().unwrap(),
            "Zoë Ångström  partners/zoe-angstrom.md",
            "show `{query}`"
        );
    }
    let list = vault.run(&["list", "--format", "json"]);
    list.assert_code(0);
    let all = partners(&list);
    let zoe = partner(&all, "Zoë Ångström");
    assert_eq!(zoe["kind"], "podcast");
    assert_eq!(zoe["stage"], "prospect");
    assert_eq!(zoe["tier"], "B");
    assert_eq!(zoe["org"], "Sound & Co");
    assert_eq!(zoe["since"], common::TODAY);
    assert_eq!(zoe["last_touch"], common::TODAY, "the Log line is a touch");
    assert_eq!(zoe["aliases"], serde_json::json!(["Zoë", "ZA"]));
    assert_eq!(zoe["tags"], serde_json::json!(["audio", "Nordic"]));
}

#[test]
fn defaults_come_from_vault_yaml() {
    let vault = good();
    create(
        &vault,
        &["Tomás Ferreira (Pod)"],
        "partners/tomas-ferreira-pod.md",
    );
    assert_eq!(
        id_line(&vault, "partners/tomas-ferreira-pod.md"),
        "id: \"tomas-ferreira-pod\""
    );
    let list = vault.run(&["list", "--format", "json"]);
    let all = partners(&list);
    let tomas = partner(&all, "Tomás Ferreira (Pod)");
    assert_eq!(tomas["kind"], "other");
    assert_eq!(tomas["stage"], "prospect");
    assert_eq!(tomas["tier"], "B", "default_tier");
    assert_eq!(tomas["aliases"], serde_json::json!([]));
    assert_eq!(tomas["org"], serde_json::Value::Null);

    // Without `other` and `prospect` in vault.yaml: no kind, the first stage.
    vault.write(
        "vault.yaml",
        "kinds: [podcast, media]\nstages: [lead, partner, dormant]\ntiers: { A: 2w, C: 3m }\n\
         default_tier: C\n",
    );
    create(&vault, &["Lena Berg"], "partners/lena-berg.md");
    let text = vault.read("partners/lena-berg.md");
    for line in ["\nkind: \n", "\nstage: lead\n", "\ntier: C\n"] {
        assert!(text.contains(line), "{line:?} in:\n{text}");
    }
    let list = vault.run(&["list", "--format", "json"]);
    let all = partners(&list);
    let lena = partner(&all, "Lena Berg");
    assert_eq!(lena["kind"], serde_json::Value::Null);
    assert_eq!(lena["stage"], "lead");
}

#[test]
fn kind_tier_and_stage_ignore_case_and_are_written_as_in_vault_yaml() {
    let vault = good();
    create(
        &vault,
        &[
            "Ola Nordmann",
            "--kind",
            "PODCAST",
            "--stage",
            "Nurturing",
            "--tier",
            "a",
        ],
        "partners/ola-nordmann.md",
    );
    let text = vault.read("partners/ola-nordmann.md");
    for line in ["\nkind: podcast\n", "\nstage: nurturing\n", "\ntier: A\n"] {
        assert!(text.contains(line), "{line:?} in:\n{text}");
    }
    vault.run(&["check", "--strict"]).assert_code(0);
}

#[test]
fn dir_puts_the_note_in_a_subfolder() {
    let vault = good();
    create(
        &vault,
        &["Søren Ørsted", "--dir", "media"],
        "partners/media/soren-orsted.md",
    );
    create(
        &vault,
        &["Maja Kowalczyk", "--dir", "./events/2026/"],
        "partners/events/2026/maja-kowalczyk.md",
    );
    vault.run(&["check", "--strict"]).assert_code(0);
    let show = vault.run(&["show", "Søren"]);
    show.assert_code(0);
    assert!(
        show.stdout
            .starts_with("Søren Ørsted  partners/media/soren-orsted.md\n"),
        "{}",
        show.stdout
    );
}

#[test]
fn a_vault_template_wins_over_the_built_in() {
    let vault = good();
    vault.write(
        "templates/partner.md.tera",
        "---\nname: {{ name | quote }}\nid: {{ id }}\nkind: {{ kind }}\nstage: {{ stage }}\n\
         tier: {{ tier }}\nsince: {{ today }}\n---\nMy own layout.\n",
    );
    create(&vault, &["Zoë Ångström"], "partners/zoe-angstrom.md");
    assert_eq!(
        vault.read("partners/zoe-angstrom.md"),
        "---\nname: \"Zoë Ångström\"\nid: zoe-angstrom\nkind: other\nstage: prospect\n\
         tier: B\nsince: 2026-11-23\n---\nMy own layout.\n"
    );
    vault.run(&["check", "--strict"]).assert_code(0);
    // A broken one stops the command, naming it, and nothing is written.
    vault.write("templates/partner.md.tera", "{{ name | nosuchfilter }}\n");
    refused(&vault, &["Lena Berg"], "templates/partner.md.tera");
}

#[test]
fn the_id_is_one_no_other_note_uses() {
    let vault = good();
    // One partner has the id, another's name slugs to it (its calendar UID).
    vault.write(
        "partners/other.md",
        "---\nname: Someone Else\nid: zoe-angstrom\n---\n",
    );
    vault.write("partners/archive/za.md", "---\nname: Zoe-Angstrom\n---\n");
    create(&vault, &["Zoë Ångström"], "partners/zoe-angstrom.md");
    assert_eq!(
        id_line(&vault, "partners/zoe-angstrom.md"),
        "id: \"zoe-angstrom-2\""
    );
    vault.write(
        "partners/third.md",
        "---\nname: Third Person\nid: Zoe-Angstrom-3\n---\n",
    );
    create(
        &vault,
        &["Zoé Angström", "--dir", "media"],
        "partners/media/zoe-angstrom.md",
    );
    assert_eq!(
        id_line(&vault, "partners/media/zoe-angstrom.md"),
        "id: \"zoe-angstrom-4\""
    );
    // The calendar tells the new ones apart from the two that already shared `zoe-angstrom`.
    let ics = vault.run(&["remind", "--format", "ics", "--within", "400d"]);
    ics.assert_code(0);
    for (uid, count) in [
        ("UID:touch.zoe-angstrom@", 2),
        ("UID:touch.zoe-angstrom-2@", 1),
        ("UID:touch.zoe-angstrom-4@", 1),
    ] {
        assert_eq!(
            ics.stdout.matches(uid).count(),
            count,
            "{uid} in:\n{}",
            ics.stdout
        );
    }
}

#[test]
fn a_file_name_shared_with_another_note_is_a_warning() {
    let vault = good();
    vault.write("notes/zoe-angstrom.md", "Ideas for a collaboration.\n");
    let run = create(&vault, &["Zoë Ångström"], "partners/zoe-angstrom.md");
    assert!(
        run.stderr
            .contains("shares its file name with `notes/zoe-angstrom.md`"),
        "{}",
        run.stderr
    );
}

#[test]
fn refuses_a_name_or_alias_a_partner_already_has() {
    let vault = good();
    for name in ["Ana López", "ANA LÓPEZ", "ana lo\u{301}pez", "  Ana López "] {
        let run = refused(
            &vault,
            &[name],
            "is already the name or an alias of the partner `Ana López`",
        );
        assert!(
            run.stderr.contains("(partners/ana-lopez.md)"),
            "{}",
            run.stderr
        );
    }
    // An alias of another partner, as the new name or as a new alias.
    refused(&vault, &["al"], "(partners/ana-lopez.md)");
    refused(
        &vault,
        &["Benjamin Ortiz", "--alias", "BEN"],
        "`BEN` is already the name or an alias of the partner `Ben Ortiz` \
         (partners/media/ben-ortiz.md)",
    );
    // A partner's file name: `[[ana-lopez]]` would still lead to the old note.
    refused(
        &vault,
        &["Ana-Lopez"],
        "is already the file name of the partner `Ana López`",
    );
}

#[test]
fn refuses_a_file_that_exists() {
    let vault = good();
    vault.write(
        "partners/zoe-angstrom.md",
        "---\nname: Zoe A.\n---\nA different person, same file name.\n",
    );
    refused(
        &vault,
        &["Zoë Ångström"],
        "`partners/zoe-angstrom.md` already exists (the partner `Zoe A.`)",
    );
    // In the subfolder too.
    vault.write("partners/media/lena-berg.md", "not even front matter\n");
    refused(
        &vault,
        &["Lena Berg", "--dir", "media"],
        "`partners/media/lena-berg.md` already exists",
    );
}

#[test]
fn refuses_unknown_choices_with_a_suggestion() {
    let vault = good();
    refused(
        &vault,
        &["Lena Berg", "--kind", "podcst"],
        "--kind: unknown kind `podcst`; nothing was written\nhint: did you mean `podcast`?",
    );
    refused(
        &vault,
        &["Lena Berg", "--stage", "partnr"],
        "did you mean `partner`?",
    );
    refused(
        &vault,
        &["Lena Berg", "--tier", "Z"],
        "the tiers are: A, B, C",
    );
}

#[test]
fn refuses_a_dir_outside_the_partners_folder() {
    let vault = good();
    refused(&vault, &["Lena Berg", "--dir", "../x"], "--dir `../x`");
    refused(&vault, &["Lena Berg", "--dir", "media/../../x"], "`..`");
    let outside = TempVault::empty();
    let absolute = outside.path().to_str().unwrap();
    refused(&vault, &["Lena Berg", "--dir", absolute], "relative path");
    assert!(tree(outside.path()).is_empty());
    refused(&vault, &["Lena Berg", "--dir", ".hidden"], "hidden folders");
}

#[test]
fn refuses_a_name_without_letters_or_digits() {
    let vault = good();
    refused(&vault, &["🎙 — 🎙"], "no letter or digit");
    refused(&vault, &["  "], "NAME is empty");
    refused(&vault, &["Ana\nBen"], "control character");
}

#[test]
fn dry_run_prints_the_note_and_writes_nothing() {
    let vault = good();
    let before = tree(vault.path());
    let run = vault.run(&["new", "Zoë Ångström", "--kind", "media", "--dry-run"]);
    run.assert_code(0);
    assert_eq!(tree(vault.path()), before, "nothing was written");
    assert!(
        run.stderr
            .contains("would create partners/zoe-angstrom.md; nothing was written"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.starts_with("---\nname: \"Zoë Ångström\"\n"),
        "{}",
        run.stdout
    );
    // The same bytes as the real run writes.
    create(
        &vault,
        &["Zoë Ångström", "--kind", "media"],
        "partners/zoe-angstrom.md",
    );
    assert_eq!(run.stdout, vault.read("partners/zoe-angstrom.md"));
    // A refusal is a refusal in a dry run too.
    refused(&vault, &["Zoë Ångström", "--dry-run"], "already");
}

#[test]
fn needs_a_vault() {
    let dir = TempVault::empty();
    let mut cmd = common::command();
    cmd.current_dir(dir.path())
        .args(["--today", common::TODAY, "new", "Lena Berg"]);
    let run = common::run(cmd);
    run.assert_code(2);
    assert!(run.stderr.contains("no vault here"), "{}", run.stderr);
    assert!(tree(dir.path()).is_empty());
}

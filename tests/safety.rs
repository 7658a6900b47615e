//! Safety of everything the tool writes: settings whose paths would lead out of the vault or over
//! its notes are refused when loaded (exit 2, nothing written anywhere); `--out` never replaces a
//! note; symbolic links are never written through; permissions are kept; interrupted writes
//! leave no temporary file.

mod common;

use common::{copy_dir, fixture, tree, Run, TempVault};
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A copy of the `good` fixture at `<temporary folder>/v`, so that whatever would land next to
/// the vault lands in a folder the test sees. Returns the outer folder and the vault.
fn nested() -> (TempVault, PathBuf) {
    let outer = TempVault::empty();
    let vault = outer.join("v");
    copy_dir(&fixture("good"), &vault);
    (outer, vault)
}

fn run(vault: &Path, args: &[&str]) -> Run {
    common::run_vault(vault, args)
}

/// Runs with `cwd` as the current folder, so relative `--out` paths are relative to it.
fn run_in(cwd: &Path, vault: &Path, args: &[&str]) -> Run {
    let mut cmd = common::command();
    cmd.current_dir(cwd)
        .arg("--vault")
        .arg(vault)
        .args(["--today", common::TODAY, "--color", "never"])
        .args(args);
    common::run(cmd)
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .unwrap()
        .permissions()
        .mode()
        & 0o777
}

fn is_link(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// The names of the writer's temporary files in `dir`.
fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".vault-tmp-"))
        .collect()
}

#[test]
fn settings_that_lead_out_of_the_vault_or_over_its_files_are_refused_and_nothing_is_written() {
    let (outer, vault) = nested();
    let outside = outer.path().display().to_string();
    let cases: Vec<(String, &str, usize)> = vec![
        ("reviews_dir: ../escape\n".into(), "reviews_dir", 1),
        (
            "reviews_dir: reviews/../../escape\n".into(),
            "reviews_dir",
            1,
        ),
        (format!("reviews_dir: {outside}/abs\n"), "reviews_dir", 1),
        ("reviews_dir: partners\n".into(), "reviews_dir", 1),
        ("reviews_dir: partners/reviews\n".into(), "reviews_dir", 1),
        ("reviews_dir: .\n".into(), "reviews_dir", 1),
        ("reviews_dir: ''\n".into(), "reviews_dir", 1),
        ("reviews_dir: .git/reviews\n".into(), "reviews_dir", 1),
        ("partners_dir: reviews\n".into(), "partners_dir", 1),
        ("partners_dir: .\n".into(), "partners_dir", 1),
        ("partners_dir: ../elsewhere\n".into(), "partners_dir", 1),
        ("templates_dir: partners\n".into(), "templates_dir", 1),
        ("templates_dir: /etc\n".into(), "templates_dir", 1),
        (
            "reminders:\n  horizon: 7d\n  ics: ../victim.txt\n".into(),
            "reminders.ics",
            3,
        ),
        (
            format!("reminders:\n  ics: {outside}/victim.ics\n"),
            "reminders.ics",
            2,
        ),
        (
            "reminders:\n  ics: partners/ana-lopez.md\n".into(),
            "reminders.ics",
            2,
        ),
        ("reminders:\n  ics: vault.yaml\n".into(), "reminders.ics", 2),
        (
            "reminders:\n  ics: .git/config\n".into(),
            "reminders.ics",
            2,
        ),
        (
            "reminders:\n  ics: partners/x.ics\n".into(),
            "reminders.ics",
            2,
        ),
    ];
    for (settings, key, line) in cases {
        std::fs::write(vault.join("vault.yaml"), &settings).unwrap();
        let before = tree(outer.path());
        for args in [
            &["review"][..],
            &["remind", "--ics"],
            &["remind", "--out", "out.txt"],
            &["check"],
        ] {
            let run = run(&vault, args);
            run.assert_code(2);
            assert_eq!(run.stdout, "", "{settings}{args:?}");
            let at = format!("vault.yaml:{line}:");
            assert!(
                run.stderr.contains(&at) && run.stderr.contains(&format!("error[config]: {key}:")),
                "`{at}` and `{key}` for {settings}{args:?}:\n{}",
                run.stderr
            );
            assert!(run.stderr.contains("hint:"), "{}", run.stderr);
            assert_eq!(
                tree(outer.path()),
                before,
                "{settings}{args:?} wrote a file"
            );
        }
    }
}

#[test]
fn paths_written_differently_name_the_same_places() {
    let (_outer, vault) = nested();
    std::fs::write(
        vault.join("vault.yaml"),
        "reviews_dir: ./pages//weekly/\nreminders:\n  ics: ./cal/x/../partners.ics\n",
    )
    .unwrap();
    let run = run(&vault, &["review"]);
    run.assert_code(0);
    assert_eq!(run.stdout, "wrote pages/weekly/2026-W48.md\n");
    let run = run_in(&vault, &vault, &["remind", "--ics"]);
    run.assert_code(0);
    assert!(
        run.stdout.starts_with("wrote cal/partners.ics"),
        "{}",
        run.stdout
    );
    assert!(vault.join("cal/partners.ics").is_file());

    // The tool's own hidden folder may hold outputs.
    std::fs::write(
        vault.join("vault.yaml"),
        "reviews_dir: .vault/reviews\nreminders: { ics: .vault/cal.ics }\n",
    )
    .unwrap();
    run_in(&vault, &vault, &["review"]).assert_code(0);
    run_in(&vault, &vault, &["remind", "--ics"]).assert_code(0);
    assert!(vault.join(".vault/reviews/2026-W48.md").is_file());
    assert!(vault.join(".vault/cal.ics").is_file());
}

#[test]
fn out_never_replaces_a_note_or_the_settings() {
    let (outer, vault) = nested();
    let absolute_note = vault.join("partners/ana-lopez.md");
    // A folder outside the vault that links into it.
    symlink(vault.join("partners"), outer.join("into-partners")).unwrap();
    let before = tree(&vault);
    let refused = [
        (vault.clone(), "partners/ana-lopez.md".to_string()),
        (vault.clone(), "./partners/../partners/ana-lopez.md".into()),
        (vault.clone(), "notes/new-note.md".into()),
        (vault.clone(), "partners/NEW.MD".into()),
        (vault.clone(), "reviews/2026-W47.md".into()),
        (vault.clone(), "not-yet/../partners/cara-singh.md".into()),
        (vault.clone(), "vault.yaml".into()),
        (vault.join("partners"), "../vault.yaml".into()),
        (outer.path().to_path_buf(), "v/partners/ana-lopez.md".into()),
        (
            outer.path().to_path_buf(),
            "into-partners/ana-lopez.md".into(),
        ),
        (outer.path().to_path_buf(), "into-partners/new.md".into()),
        (
            outer.path().to_path_buf(),
            absolute_note.display().to_string(),
        ),
    ];
    for (cwd, out) in refused {
        for format in ["text", "json", "ics"] {
            let run = run_in(&cwd, &vault, &["remind", "--format", format, "--out", &out]);
            run.assert_code(2);
            assert!(
                run.stderr.contains(&format!("refusing to write `{out}`")),
                "{out}: {}",
                run.stderr
            );
            assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
        }
    }
    assert_eq!(tree(&vault), before, "a note was touched");
    assert!(!outer.join("not-yet").exists());

    // Anywhere else is the user's choice: inside the vault, or next to it.
    for (out, file) in [
        ("reminders.txt", vault.join("reminders.txt")),
        ("exports/week.json", vault.join("exports/week.json")),
        ("../outside.ics", outer.join("outside.ics")),
    ] {
        run_in(&vault, &vault, &["remind", "--out", out]).assert_code(0);
        assert!(file.is_file(), "{out}");
    }
}

#[test]
fn a_symlinked_review_page_or_folder_is_refused_and_its_target_untouched() {
    let (outer, vault) = nested();
    let victim = outer.join("victim.md");
    write(&victim, "# Not a review page\n");
    let page = vault.join("reviews/2026-W48.md");
    symlink(&victim, &page).unwrap();
    for args in [&["review"][..], &["review", "--force"]] {
        let run = run(&vault, args);
        run.assert_code(2);
        assert!(
            run.stderr
                .contains("refusing to write `reviews/2026-W48.md`: it is a symbolic link"),
            "{}",
            run.stderr
        );
        assert_eq!(
            std::fs::read_to_string(&victim).unwrap(),
            "# Not a review page\n"
        );
        assert!(is_link(&page));
        assert_eq!(std::fs::read_link(&page).unwrap(), victim);
    }
    // A dangling link is not followed either.
    std::fs::remove_file(&page).unwrap();
    symlink(outer.join("nowhere.md"), &page).unwrap();
    run(&vault, &["review"]).assert_code(2);
    assert!(!outer.join("nowhere.md").exists());
    assert_eq!(temp_files(&vault.join("reviews")), Vec::<String>::new());

    // The reviews folder itself leading out of the vault.
    let elsewhere = outer.join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::write(vault.join("vault.yaml"), "reviews_dir: pages\n").unwrap();
    symlink(&elsewhere, vault.join("pages")).unwrap();
    let run = run(&vault, &["review"]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("its folder `pages` is a symbolic link"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
}

#[test]
fn a_symlinked_calendar_is_refused_and_its_target_untouched() {
    let (outer, vault) = nested();
    let victim = outer.join("victim.txt");
    write(&victim, "precious\n");
    let ics = vault.join("reminders.ics");
    symlink(&victim, &ics).unwrap();
    let run = run(&vault, &["remind", "--ics"]);
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("refusing to write `reminders.ics`: it is a symbolic link"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    assert!(is_link(&ics));

    // The same link named with --out.
    let out = ics.display().to_string();
    let run = run_in(outer.path(), &vault, &["remind", "--out", &out]);
    run.assert_code(2);
    assert!(run.stderr.contains("symbolic link"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    assert_eq!(temp_files(&vault), Vec::<String>::new());

    // A folder in its path that leads out of the vault.
    std::fs::write(vault.join("vault.yaml"), "reminders: { ics: cal/r.ics }\n").unwrap();
    symlink(outer.path(), vault.join("cal")).unwrap();
    run_in(&vault, &vault, &["remind", "--ics"]).assert_code(2);
    assert!(!outer.join("r.ics").exists());
}

#[test]
fn a_private_calendar_stays_private_and_a_new_one_gets_the_default_mode() {
    let vault = TempVault::copy("good");
    let ics = vault.join("reminders.ics");
    vault.write("reminders.ics", "an old calendar\n");
    std::fs::set_permissions(&ics, std::fs::Permissions::from_mode(0o600)).unwrap();
    let run = vault.run(&["remind", "--ics"]);
    run.assert_code(0);
    assert!(
        run.stdout.starts_with("updated reminders.ics"),
        "{}",
        run.stdout
    );
    assert!(vault.read("reminders.ics").starts_with("BEGIN:VCALENDAR"));
    assert_eq!(mode(&ics), 0o600);

    // A review page the user made group-readable only keeps that too.
    vault.run(&["review"]).assert_code(0);
    let page = vault.join("reviews/2026-W48.md");
    std::fs::set_permissions(&page, std::fs::Permissions::from_mode(0o640)).unwrap();
    // A day later the page's `generated_from_day` changes, so it is rewritten.
    let run = common::run_vault_on(vault.path(), "2026-11-24", &["review"]);
    run.assert_code(0);
    assert!(run.stdout.starts_with("updated"), "{}", run.stdout);
    assert_eq!(mode(&page), 0o640);

    // A new file: 666 less the umask the binary runs with (027, set here).
    let fresh = TempVault::copy("good");
    let mut cmd = std::process::Command::new("sh");
    cmd.arg("-c")
        .arg(r#"umask 027 && exec "$0" "$@""#)
        .arg(env!("CARGO_BIN_EXE_vault"))
        .arg("--vault")
        .arg(fresh.path())
        .args(["--today", common::TODAY, "remind", "--ics"])
        .env("NO_COLOR", "1")
        .env_remove("VAULT_DIR");
    common::run(cmd).assert_code(0);
    assert_eq!(mode(&fresh.join("reminders.ics")), 0o640);
}

#[test]
fn stale_temporary_files_are_removed_and_fresh_ones_kept() {
    let vault = TempVault::copy("good");
    let stale = vault.join("reviews/.vault-tmp-AbCdEf012345.tmp");
    let fresh = vault.join("reviews/.vault-tmp-ZyXwVu987654.tmp");
    vault.write("reviews/.vault-tmp-AbCdEf012345.tmp", "half a page");
    vault.write("reviews/.vault-tmp-ZyXwVu987654.tmp", "another run's page");
    common::age(&stale);
    // Leftovers are never read as notes or link targets.
    let check = vault.run(&["check", "--strict"]);
    check.assert_code(0);
    vault.run(&["review"]).assert_code(0);
    assert!(!stale.exists(), "an old leftover is removed");
    assert!(fresh.exists(), "a fresh one may be another run's");
}

/// Starts a write that pauses before its rename (debug builds only), waits for its temporary
/// file, sends `signal`, and returns the exit code.
fn interrupt(vault: &Path, args: &[&str], dir: &Path, signal: i32) -> i32 {
    let mut cmd = common::command();
    cmd.arg("--vault")
        .arg(vault)
        .args(["--today", common::TODAY])
        .args(args)
        .env("VAULT_TEST_PAUSE_BEFORE_RENAME_MS", "20000")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let mut child = cmd.spawn().expect("starting the vault binary");
    let started = Instant::now();
    while temp_files(dir).is_empty() {
        if started.elapsed() > common::RUN_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("no temporary file appeared in {}", dir.display());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let pid = i32::try_from(child.id()).unwrap();
    // Only the child this test started is signalled.
    assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
    let status = child.wait().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "the signal ended the run"
    );
    status.code().unwrap_or(-1)
}

#[test]
fn ctrl_c_or_sigterm_during_a_write_leaves_no_temporary_file() {
    if !cfg!(debug_assertions) {
        eprintln!("skipped: the pause before the rename exists in debug builds only");
        return;
    }
    let vault = TempVault::copy("good");
    let code = interrupt(
        vault.path(),
        &["remind", "--ics"],
        vault.path(),
        libc::SIGTERM,
    );
    assert_eq!(code, 143);
    assert_eq!(temp_files(vault.path()), Vec::<String>::new());
    assert!(!vault.join("reminders.ics").exists());

    let before = vault.read("reviews/2026-W47.md");
    let code = interrupt(
        vault.path(),
        &["review", "--week", "2026-W47", "--force"],
        &vault.join("reviews"),
        libc::SIGINT,
    );
    assert_eq!(code, 130);
    assert_eq!(temp_files(&vault.join("reviews")), Vec::<String>::new());
    assert_eq!(vault.read("reviews/2026-W47.md"), before);
}

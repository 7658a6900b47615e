//! Global options and their environment variables: the day, finding the vault, the settings
//! file, color; and the exit code 2 for everything that stops the tool from doing its job.

mod common;

use common::{command, run, TempVault, TODAY};
use std::path::Path;

/// `vault ARGS` with a clean environment plus `env`, in `cwd`.
fn vault_with(cwd: &Path, env: &[(&str, &str)], args: &[&str]) -> common::Run {
    let mut cmd = command();
    cmd.current_dir(cwd).args(args);
    for (key, value) in env {
        cmd.env(key, value);
    }
    run(cmd)
}

fn due_in_days(run: &common::Run, name: &str) -> i64 {
    run.assert_code(0);
    common::partner(&common::partners(run), name)["due_in_days"]
        .as_i64()
        .unwrap()
}

#[test]
fn vault_today_works_like_the_option() {
    let vault = TempVault::copy("good");
    let dir = vault.path().to_str().unwrap();
    let by_option = vault_with(
        vault.path(),
        &[],
        &["--vault", dir, "--today", TODAY, "list", "--format", "json"],
    );
    let by_env = vault_with(
        vault.path(),
        &[("VAULT_TODAY", TODAY)],
        &["--vault", dir, "list", "--format", "json"],
    );
    by_option.assert_code(0);
    by_env.assert_code(0);
    assert_eq!(by_option.stdout, by_env.stdout);
    assert_eq!(due_in_days(&by_env, "Eve Nakamura"), 2);
    // Another day moves every date computation.
    let later = vault_with(
        vault.path(),
        &[("VAULT_TODAY", "2026-11-24")],
        &["--vault", dir, "list", "--format", "json"],
    );
    assert_eq!(due_in_days(&later, "Eve Nakamura"), 1);
    // The option wins over the environment.
    let both = vault_with(
        vault.path(),
        &[("VAULT_TODAY", "2026-11-24")],
        &["--vault", dir, "--today", TODAY, "list", "--format", "json"],
    );
    assert_eq!(due_in_days(&both, "Eve Nakamura"), 2);
}

#[test]
fn bad_days_are_refused_with_exit_2() {
    let vault = TempVault::copy("good");
    for day in [
        "2026-13-01",
        "2026-02-30",
        "2026-1-5",
        "23.11.2026",
        "today",
        "",
    ] {
        let run = vault_with(
            vault.path(),
            &[],
            &[
                "--vault",
                vault.path().to_str().unwrap(),
                "--today",
                day,
                "list",
            ],
        );
        run.assert_code(2);
        assert_eq!(run.stdout, "", "--today `{day}`");
        assert!(run.stderr.contains("--today"), "{}", run.stderr);
    }
    let run = vault_with(vault.path(), &[("VAULT_TODAY", "2026-02-30")], &["check"]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("February 2026 has 28 days"),
        "{}",
        run.stderr
    );
}

#[test]
fn vault_dir_works_like_the_option() {
    let vault = TempVault::copy("good");
    let elsewhere = TempVault::empty();
    let run = vault_with(
        elsewhere.path(),
        &[("VAULT_DIR", vault.path().to_str().unwrap())],
        &["--today", TODAY, "list", "--format", "json"],
    );
    run.assert_code(0);
    assert_eq!(common::names(&run).len(), 6);
    // The option wins over the environment.
    let other = TempVault::copy("warnings");
    let run = vault_with(
        elsewhere.path(),
        &[("VAULT_DIR", vault.path().to_str().unwrap())],
        &[
            "--vault",
            other.path().to_str().unwrap(),
            "list",
            "--format",
            "json",
        ],
    );
    assert_eq!(common::names(&run), ["Ana Good", "Wanda Warn"]);
}

#[test]
fn the_vault_is_found_upward_from_a_subfolder() {
    let vault = TempVault::copy("good");
    let deep = vault.join("partners/media");
    let run = vault_with(&deep, &[], &["--today", TODAY, "list", "--format", "json"]);
    run.assert_code(0);
    assert_eq!(common::names(&run).len(), 6, "{}", run.stdout);
    // Paths stay relative to the vault root, not to the current folder.
    let run = vault_with(&deep, &[], &["--today", TODAY, "show", "Ben"]);
    run.assert_code(0);
    assert!(
        run.stdout
            .starts_with("Ben Ortiz  partners/media/ben-ortiz.md"),
        "{}",
        run.stdout
    );
    // From any other subfolder as well.
    let run = vault_with(
        &vault.join("notes/meetings"),
        &[],
        &["--today", TODAY, "check"],
    );
    run.assert_code(0);
}

#[test]
fn without_vault_yaml_no_command_reads_or_writes_anything() {
    let vault = TempVault::copy("tolerant");
    let has_config_above = vault
        .path()
        .ancestors()
        .skip(1)
        .any(|dir| dir.join("vault.yaml").is_file());
    if has_config_above {
        eprintln!("skipped: a vault.yaml above the temporary folder would be found first");
        return;
    }
    for args in [
        vec!["check"],
        vec!["list"],
        vec!["show", "Quoted Quinn"],
        vec!["review"],
        vec!["remind", "--ics"],
    ] {
        let mut full = vec!["--today", TODAY];
        full.extend(&args);
        let run = vault_with(vault.path(), &[], &full);
        run.assert_code(2);
        assert!(
            run.stderr.contains("no vault here"),
            "{args:?}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("vault init"), "{}", run.stderr);
        assert!(run.stderr.contains("--vault"), "{}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
    }
    assert!(!vault.join("reviews").exists(), "review created no folder");
    assert!(!vault.join("reminders.ics").exists());
    // Named with --vault or VAULT_DIR, the same folder is read with the default settings.
    let dir = vault.path().to_str().unwrap();
    let run = vault_with(
        vault.path(),
        &[],
        &["--vault", dir, "--today", TODAY, "list", "--format", "json"],
    );
    run.assert_code(0);
    assert_eq!(common::names(&run).len(), 6);
    let run = vault_with(
        vault.path(),
        &[("VAULT_DIR", dir)],
        &["--today", TODAY, "list", "--format", "json"],
    );
    run.assert_code(0);
    assert_eq!(common::names(&run).len(), 6);
}

#[test]
fn a_missing_vault_folder_is_exit_2() {
    let parent = TempVault::empty();
    let missing = parent.join("no-such-vault");
    for args in [
        vec!["check"],
        vec!["list"],
        vec!["show", "Ana"],
        vec!["check", "--format", "json"],
    ] {
        let mut all = vec!["--vault", missing.to_str().unwrap()];
        all.extend(args.iter());
        let run = vault_with(parent.path(), &[], &all);
        run.assert_code(2);
        assert_eq!(run.stdout, "");
        assert!(run.stderr.contains("no-such-vault"), "{}", run.stderr);
    }
    // Through the environment, and when the "folder" is a file.
    let run = vault_with(
        parent.path(),
        &[("VAULT_DIR", missing.to_str().unwrap())],
        &["check"],
    );
    run.assert_code(2);
    parent.write("a-file", "not a folder");
    let run = vault_with(
        parent.path(),
        &[],
        &["--vault", parent.join("a-file").to_str().unwrap(), "list"],
    );
    run.assert_code(2);
}

#[test]
fn an_unknown_key_in_vault_yaml_is_exit_2_with_file_and_line() {
    let vault = TempVault::copy("good");
    vault.write(
        "vault.yaml",
        "partners_dir: partners\npartner_dir: people\n",
    );
    for args in [vec!["check"], vec!["list"], vec!["show", "Ana"]] {
        let run = vault.run(&args);
        run.assert_code(2);
        assert_eq!(run.stdout, "", "{args:?}");
        assert!(
            run.stderr.contains("vault.yaml:2:1"),
            "{args:?}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("partner_dir"), "{}", run.stderr);
        assert!(
            run.stderr.contains(" 2 | partner_dir: people"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn bad_values_in_vault_yaml_are_all_reported() {
    let vault = TempVault::copy("good");
    vault.write(
        "vault.yaml",
        "tiers: { A: 2x, B: 1m }\nweek_starts: someday\nstages: [prospect, partner]\n",
    );
    let run = vault.run(&["check"]);
    run.assert_code(2);
    for wanted in [
        "vault.yaml:1:8",
        "`2x`",
        "vault.yaml:2:14",
        "someday",
        "vault.yaml:3:9",
        "dormant",
    ] {
        assert!(
            run.stderr.contains(wanted),
            "`{wanted}` in:\n{}",
            run.stderr
        );
    }
}

#[test]
fn a_settings_file_elsewhere_is_used_with_config_or_vault_config() {
    let vault = TempVault::copy("good");
    let settings = TempVault::empty();
    // A vault.yaml with a different reciprocity window: Finn's 2026-06-10 `got` drops out.
    settings.write("alt.yaml", "reciprocity_window: 90d\n");
    let alt = settings.join("alt.yaml");
    let got = |run: &common::Run| {
        run.assert_code(0);
        common::partner(&common::partners(run), "Finn Gray")["got"].clone()
    };
    assert_eq!(got(&vault.run(&["list", "--format", "json"])), 1);
    let run = vault.run(&[
        "--config",
        alt.to_str().unwrap(),
        "list",
        "--format",
        "json",
    ]);
    assert_eq!(got(&run), 0);
    let run = vault_with(
        vault.path(),
        &[("VAULT_CONFIG", alt.to_str().unwrap())],
        &["--today", TODAY, "list", "--format", "json"],
    );
    assert_eq!(got(&run), 0);
    // An explicit settings file that is missing is an error, not the defaults.
    let run = vault.run(&[
        "--config",
        settings.join("nope.yaml").to_str().unwrap(),
        "check",
    ]);
    run.assert_code(2);
    assert!(run.stderr.contains("nope.yaml"), "{}", run.stderr);
}

#[test]
fn color_is_off_unless_asked_for() {
    let vault = TempVault::copy("warnings");
    let dir = vault.path().to_str().unwrap();
    let plain = vault_with(vault.path(), &[], &["--vault", dir, "check"]);
    assert!(!plain.stdout.contains('\u{1b}'), "auto, not a terminal");
    let always = vault_with(
        vault.path(),
        &[],
        &["--vault", dir, "--color", "always", "check"],
    );
    always.assert_code(0);
    assert!(
        always.stdout.contains("\u{1b}[1;33mwarning[unknown-key]"),
        "{:?}",
        always.stdout
    );
    // Colorless output is the same text without the escapes.
    let stripped = strip_ansi(&always.stdout);
    assert_eq!(stripped, plain.stdout);
    vault_with(
        vault.path(),
        &[],
        &["--vault", dir, "--color", "sometimes", "check"],
    )
    .assert_code(2);
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn usage_errors_are_exit_2_and_help_is_exit_0() {
    let dir = TempVault::empty();
    vault_with(dir.path(), &[], &["frobnicate"]).assert_code(2);
    vault_with(dir.path(), &[], &[]).assert_code(2);
    vault_with(dir.path(), &[], &["check", "--format", "xml"]).assert_code(2);
    let help = vault_with(dir.path(), &[], &["--help"]);
    help.assert_code(0);
    assert!(help.stdout.contains("Exit codes"), "{}", help.stdout);
    vault_with(dir.path(), &[], &["--version"]).assert_code(0);
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let vault = TempVault::empty();
    for i in 0..2000 {
        vault.write(
            &format!("partners/p{i:04}.md"),
            format!(
                "---\nname: Partner Number {i:04}\norg: An organisation with a long name\n---\n"
            ),
        );
    }
    let mut cmd = command();
    cmd.arg("--vault")
        .arg(vault.path())
        .args(["--today", TODAY, "list"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    assert!(first.starts_with("NAME"), "{first}");
    drop(stdout); // like `vault list | head -1`
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
}

#[test]
fn help_puts_the_global_options_under_their_own_heading() {
    let mut cmd = command();
    cmd.args(["list", "--help"]);
    let run = run(cmd);
    run.assert_code(0);
    let (own, global) = run
        .stdout
        .split_once("Global options:")
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert!(
        own.contains("--format <FORMAT>") && own.contains("Output:"),
        "{own}"
    );
    for option in ["--vault", "--config", "--today", "--color"] {
        assert!(
            global.contains(option) && !own.contains(option),
            "{option}: {}",
            run.stdout
        );
    }
}

#[test]
fn remind_within_0d_is_today_and_overdue_and_todo_needs_icalendar() {
    let vault = TempVault::copy("review");
    let run = vault.run(&["remind", "--within", "0d", "--format", "json"]);
    run.assert_code(0);
    let dates: Vec<String> = run
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["date"].as_str().unwrap().to_string())
        .collect();
    assert!(!dates.is_empty());
    assert!(dates.iter().all(|d| d.as_str() <= TODAY), "{dates:?}");
    let run = vault.run(&["remind", "--todo"]);
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("--todo applies to iCalendar output only"),
        "{}",
        run.stderr
    );
    let run = vault.run(&["remind", "--ics", "--todo"]);
    run.assert_code(0);
    assert!(
        run.stdout.starts_with("wrote cal/partners.ics ("),
        "{}",
        run.stdout
    );
}

#[test]
fn the_docs_are_built_in_and_need_no_vault() {
    let dir = TempVault::empty();
    for (topic, heading) in [("format", "# "), ("templates", "# ")] {
        let mut cmd = command();
        cmd.current_dir(dir.path()).args(["docs", topic]);
        let run = run(cmd);
        run.assert_code(0);
        assert!(run.stdout.starts_with(heading), "{topic}: {}", run.stdout);
        assert!(run.stdout.len() > 2_000, "{topic} is the whole document");
    }
}

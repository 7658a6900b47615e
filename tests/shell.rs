//! What the binary tells the shell about itself, outside any vault: `vault --version`,
//! `vault completions SHELL` and `vault man [COMMAND]`.

mod common;

use common::{command, run, Run, TempVault};

/// The commands every script and page names.
const COMMANDS: [&str; 14] = [
    "check", "list", "show", "new", "init", "review", "remind", "watch", "docs", "log", "snooze",
    "stage", "task", "done",
];

/// `vault ARGS` in an empty folder with no vault above it (the system's temporary folder).
fn outside_a_vault(args: &[&str]) -> Run {
    let dir = TempVault::empty();
    let mut cmd = command();
    cmd.current_dir(dir.path()).args(args);
    let done = run(cmd);
    assert!(
        !dir.join("vault.yaml").exists() && !dir.join(".vault").exists(),
        "`vault {}` wrote into the folder",
        args.join(" ")
    );
    done
}

#[test]
fn version_names_the_program_and_its_version() {
    for flag in ["--version", "-V"] {
        let done = outside_a_vault(&[flag]);
        done.assert_code(0);
        assert_eq!(
            done.stdout,
            format!("vault {}\n", env!("CARGO_PKG_VERSION"))
        );
        assert_eq!(done.stdout, "vault 0.1.0\n");
    }
}

#[test]
fn completion_scripts_name_every_command() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let done = outside_a_vault(&["completions", shell]);
        done.assert_code(0);
        assert!(done.stderr.is_empty(), "{shell}: {}", done.stderr);
        assert!(done.stdout.len() > 1_000, "{shell}: {}", done.stdout);
        for name in COMMANDS.iter().chain(&["completions", "man"]) {
            assert!(done.stdout.contains(name), "{shell} lacks `{name}`");
        }
        // The same bytes every time.
        assert_eq!(outside_a_vault(&["completions", shell]).stdout, done.stdout);
    }
    let bash = outside_a_vault(&["completions", "bash"]).stdout;
    assert!(bash.contains("complete -F _vault"), "{bash}");
    assert!(bash.contains("vault,review)") && bash.contains("vault,remind)"));
    // Options of the commands and the values they take are completed too.
    assert!(bash.contains("--due-within") && bash.contains("human json"));
    assert!(outside_a_vault(&["completions", "zsh"])
        .stdout
        .starts_with("#compdef vault"));
    assert!(outside_a_vault(&["completions", "fish"])
        .stdout
        .contains("complete -c vault"));
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let done = outside_a_vault(&["completions", "tcsh"]);
    done.assert_code(2);
    assert!(done.stdout.is_empty());
    assert!(done.stderr.contains("tcsh"), "{}", done.stderr);
}

#[test]
fn the_man_page_is_roff_and_names_every_command() {
    let done = outside_a_vault(&["man"]);
    done.assert_code(0);
    let page = &done.stdout;
    assert!(page.starts_with(".TH vault 1 "), "{page}");
    assert!(page.contains("\n.SH NAME\n") && page.contains("\n.SH SYNOPSIS\n"));
    for name in COMMANDS.iter().chain(&["completions", "man"]) {
        assert!(
            page.contains(&format!("vault\\-{name}(1)")),
            "the page lacks `{name}`"
        );
    }
    // The global options with their environment variables, and the version.
    assert!(
        page.contains("VAULT_DIR") && page.contains("0.1.0"),
        "{page}"
    );
    assert_eq!(outside_a_vault(&["man"]).stdout, *page);
}

#[test]
fn each_command_has_its_own_man_page() {
    let done = outside_a_vault(&["man", "remind"]);
    done.assert_code(0);
    assert!(
        done.stdout.starts_with(".TH vault-remind 1 "),
        "{}",
        done.stdout
    );
    assert!(done.stdout.contains("\\-\\-within"), "{}", done.stdout);
    let unknown = outside_a_vault(&["man", "remindd"]);
    unknown.assert_code(2);
    assert!(unknown.stdout.is_empty());
    assert!(
        unknown.stderr.contains("no command named `remindd`") && unknown.stderr.contains("remind"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn they_need_no_vault_and_ignore_a_missing_one() {
    // `--vault` naming nothing is not read: these commands never open a vault.
    for args in [
        &["--vault", "/nonexistent/vault", "completions", "bash"][..],
        &["--vault", "/nonexistent/vault", "man"],
        &["--vault", "/nonexistent/vault", "--version"],
    ] {
        outside_a_vault(args).assert_code(0);
    }
}

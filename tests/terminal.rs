//! What reaches the terminal: control characters from the notes are shown escaped in human
//! output, JSON escapes them as JSON does, and long values in messages are shortened.

mod common;

use common::TempVault;

/// A partner whose name would retitle and clear the terminal, with a task, a bidi override in
/// its org, an unknown stage and a broken link, so that every command shows some of it.
fn hostile() -> TempVault {
    let vault = TempVault::empty();
    vault.write("vault.yaml", "");
    vault.write(
        "partners/ana.md",
        "---\nname: \"Ana\\e]0;pwned\\a\\e[2J\"\norg: \"Evil \\u202Eworc\"\nstage: \"lead\\e[31m\"\nlast_contact: 2026-11-01\n---\n- [ ] 2026-11-20 Call \\x1b back [[Nobody\u{1b}[2J]]\n",
    );
    vault
}

fn assert_clean(what: &str, text: &str) {
    for bad in ['\u{1b}', '\u{7}', '\u{202e}', '\u{9b}'] {
        assert!(
            !text.contains(bad),
            "{what} holds {:?}:\n{}",
            bad,
            text.escape_debug()
        );
    }
}

#[test]
fn human_output_of_every_command_escapes_control_characters() {
    let vault = hostile();
    for args in [
        vec!["check"],
        vec!["list"],
        vec!["show", "ana"],
        vec!["remind", "--within", "2w"],
        vec!["review", "--stdout"],
        vec!["show", "Ana\u{1b}[2J nobody"],
    ] {
        let run = vault.run(&args);
        assert_clean(&format!("{args:?} stdout"), &run.stdout);
        assert_clean(&format!("{args:?} stderr"), &run.stderr);
    }
    let show = vault.run(&["show", "ana"]);
    assert!(
        show.stdout
            .starts_with("Ana\\x1b]0;pwned\\x07\\x1b[2J  partners/ana.md"),
        "{}",
        show.stdout
    );
    assert!(
        show.stdout.contains("Evil \\u{202e}worc"),
        "{}",
        show.stdout
    );
}

#[test]
fn json_escapes_them_as_json_does() {
    let vault = hostile();
    let run = vault.run(&["list", "--format", "json"]);
    assert!(
        run.stdout.contains("Ana\\u001b]0;pwned\\u0007\\u001b[2J"),
        "{}",
        run.stdout
    );
    assert_eq!(common::names(&run), ["Ana\u{1b}]0;pwned\u{7}\u{1b}[2J"]);
}

#[test]
fn long_values_in_messages_are_shortened() {
    let vault = TempVault::empty();
    vault.write("vault.yaml", "");
    let target = "x".repeat(5_086);
    vault.write("notes/n.md", format!("[[{target}]]\n"));
    let run = vault.run(&["check"]);
    let message = run.stdout.lines().next().unwrap_or_default();
    assert!(message.contains("…"), "{message}");
    assert!(message.len() < 300, "{} bytes: {message}", message.len());
}

//! Templates from elsewhere: only regular files inside the vault are read, and a rendering
//! that runs too long or grows too large stops with exit 2 naming the template.

mod common;

use common::{tree, TempVault};

fn vault() -> TempVault {
    let vault = TempVault::copy("good");
    vault.write("vault.yaml", "");
    vault
}

#[test]
fn a_template_that_links_elsewhere_is_refused_and_check_warns() {
    let vault = vault();
    let outside = TempVault::empty();
    outside.write("secret.txt", "private words\n");
    std::fs::create_dir_all(vault.join("templates")).unwrap();
    std::os::unix::fs::symlink(
        outside.join("secret.txt"),
        vault.join("templates/review.md.tera"),
    )
    .unwrap();
    let before = tree(vault.path());
    let run = vault.run(&["review"]);
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("`templates/review.md.tera` is a symbolic link"),
        "{}",
        run.stderr
    );
    assert!(!run.stdout.contains("private words"));
    assert_eq!(tree(vault.path()), before, "nothing written");
    let check = vault.run(&["check", "--format", "json"]);
    let found = common::diagnostics(&check);
    assert!(
        found
            .iter()
            .any(|d| d["code"] == "template-symlink" && d["path"] == "templates/review.md.tera"),
        "{found:#?}"
    );
}

#[test]
fn endless_loops_and_growing_output_stop_with_exit_2() {
    for (what, template, message) in [
        (
            "nested loops",
            "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}",
            "ran for more than",
        ),
        (
            "growing output",
            "{% for i in range(end=100000) %}{% for j in range(end=100000) %}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{% endfor %}{% endfor %}",
            "grew past 32 MiB",
        ),
    ] {
        let vault = vault();
        vault.write("templates/review.md.tera", template);
        let before = tree(vault.path());
        let run = vault.run(&["review"]);
        run.assert_code(2);
        assert!(
            run.stderr.contains("templates/review.md.tera") && run.stderr.contains(message),
            "{what}: {}",
            run.stderr
        );
        assert_eq!(tree(vault.path()), before, "{what}: nothing written");
    }
}

//! `vault init [DIR]`: a new vault that passes its own check, and refusals that change nothing.

mod common;

use common::{run, run_vault, tree, TempVault};

/// `vault init ARGS` run in `cwd`.
fn init_in(cwd: &std::path::Path, args: &[&str]) -> common::Run {
    let mut cmd = common::command();
    cmd.current_dir(cwd)
        .args(["--today", common::TODAY])
        .arg("init")
        .args(args);
    run(cmd)
}

#[test]
fn init_creates_a_vault_that_passes_check() {
    let parent = TempVault::empty();
    let run = init_in(parent.path(), &["my-vault"]);
    run.assert_code(0);
    assert!(
        run.stdout.contains("Created a vault in my-vault"),
        "{}",
        run.stdout
    );
    let vault = parent.join("my-vault");
    for folder in ["partners", "notes", "reviews"] {
        assert!(vault.join(folder).is_dir(), "{folder}/ is created");
    }
    assert!(vault.join("vault.yaml").is_file());
    let gitignore = std::fs::read_to_string(vault.join(".gitignore")).unwrap();
    assert_eq!(gitignore, ".vault/\n.vault-tmp-*\n");
    let partners: Vec<_> = std::fs::read_dir(vault.join("partners"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(partners, ["ada-example.md"]);

    // The new vault is clean, and its example partner is listed.
    let check = run_vault(&vault, &["check"]);
    check.assert_code(0);
    assert!(check.stdout.contains("no problems"), "{}", check.stdout);
    run_vault(&vault, &["check", "--strict"]).assert_code(0);
    let list = run_vault(&vault, &["list", "--format", "json"]);
    list.assert_code(0);
    assert_eq!(common::names(&list), ["Ada Example"]);
    run_vault(&vault, &["show", "Ada"]).assert_code(0);
}

#[test]
fn the_written_vault_yaml_is_valid_and_holds_the_defaults() {
    let parent = TempVault::empty();
    init_in(parent.path(), &["v"]).assert_code(0);
    let text = parent.read("v/vault.yaml");
    for line in [
        "partners_dir: partners",
        "reviews_dir: reviews",
        "default_tier: B",
        "reciprocity_window: 180d",
    ] {
        assert!(text.contains(line), "`{line}` in:\n{text}");
    }
    // The example is found from inside the new vault, by discovery.
    let mut cmd = common::command();
    cmd.current_dir(parent.join("v/partners")).args([
        "--today",
        common::TODAY,
        "list",
        "--format",
        "json",
    ]);
    let list = run(cmd);
    list.assert_code(0);
    assert_eq!(common::names(&list), ["Ada Example"]);
}

#[test]
fn init_without_a_folder_uses_the_current_one() {
    let dir = TempVault::empty();
    init_in(dir.path(), &[]).assert_code(0);
    assert!(dir.join("vault.yaml").is_file());
    assert!(dir.join("partners/ada-example.md").is_file());
    run_vault(dir.path(), &["check"]).assert_code(0);
}

#[test]
fn a_second_init_refuses_and_changes_nothing() {
    let parent = TempVault::empty();
    init_in(parent.path(), &["v"]).assert_code(0);
    // The user edits the vault before running init again by mistake.
    parent.write("v/partners/ada-example.md", "---\nname: Ada Edited\n---\n");
    parent.write("v/notes/idea.md", "An idea.\n");
    let before = tree(parent.path());
    let run = init_in(parent.path(), &["v"]);
    run.assert_code(2);
    assert!(run.stderr.contains("already"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was changed"), "{}", run.stderr);
    assert_eq!(tree(parent.path()), before, "the second init changed files");
    // From inside the vault too.
    let run = init_in(&parent.join("v"), &[]);
    run.assert_code(2);
    assert_eq!(tree(parent.path()), before);
}

#[test]
fn init_refuses_to_overwrite_an_existing_example_note() {
    let dir = TempVault::empty();
    dir.write("partners/ada-example.md", "my own Ada\n");
    let before = tree(dir.path());
    let run = init_in(dir.path(), &[]);
    run.assert_code(2);
    assert!(run.stderr.contains("ada-example.md"), "{}", run.stderr);
    assert_eq!(tree(dir.path()), before);
}

#[test]
fn init_adds_to_an_existing_gitignore() {
    let dir = TempVault::empty();
    dir.write(".gitignore", "target/\n*.log");
    init_in(dir.path(), &[]).assert_code(0);
    assert_eq!(
        dir.read(".gitignore"),
        "target/\n*.log\n.vault/\n.vault-tmp-*\n"
    );

    // One that already ignores the cache gets only the temporary files' pattern.
    let dir = TempVault::empty();
    dir.write(".gitignore", "/.vault/\nnode_modules/\n");
    init_in(dir.path(), &[]).assert_code(0);
    assert_eq!(
        dir.read(".gitignore"),
        "/.vault/\nnode_modules/\n.vault-tmp-*\n"
    );

    // One that ignores both is left alone, mtime and all.
    let dir = TempVault::empty();
    dir.write(".gitignore", ".vault\n.vault-tmp-*\n");
    let old = common::age(&dir.join(".gitignore"));
    let run = init_in(dir.path(), &[]);
    run.assert_code(0);
    assert!(run.stdout.contains("already ignores"), "{}", run.stdout);
    assert_eq!(dir.read(".gitignore"), ".vault\n.vault-tmp-*\n");
    assert_eq!(common::mtime(&dir.join(".gitignore")), old);
}

#[test]
fn init_keeps_the_mode_of_an_existing_gitignore_and_refuses_a_linked_one() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempVault::empty();
    dir.write(".gitignore", "target/\n");
    let path = dir.join(".gitignore");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    init_in(dir.path(), &[]).assert_code(0);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);

    // A `.gitignore` that is a symbolic link is refused before anything is created.
    let dir = TempVault::empty();
    let elsewhere = TempVault::empty();
    elsewhere.write("shared-gitignore", "target/\n");
    std::os::unix::fs::symlink(elsewhere.join("shared-gitignore"), dir.join(".gitignore")).unwrap();
    let run = init_in(dir.path(), &[]);
    run.assert_code(2);
    assert!(run.stderr.contains(".gitignore"), "{}", run.stderr);
    assert!(run.stderr.contains("symbolic link"), "{}", run.stderr);
    assert!(!dir.join("vault.yaml").exists());
    assert!(!dir.join("partners").exists());
    assert_eq!(elsewhere.read("shared-gitignore"), "target/\n");
}

#[test]
fn init_into_an_existing_folder_keeps_its_notes() {
    let dir = TempVault::empty();
    dir.write("partners/bo.md", "---\nname: Bo\nstage: partner\n---\n");
    dir.write("notes/keep.md", "keep me\n");
    init_in(dir.path(), &[]).assert_code(0);
    assert_eq!(dir.read("notes/keep.md"), "keep me\n");
    let list = run_vault(dir.path(), &["list", "--format", "json", "--sort", "name"]);
    assert_eq!(common::names(&list), ["Ada Example", "Bo"]);
}

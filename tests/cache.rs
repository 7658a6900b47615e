//! The index cache in `.vault/`: every command gives the same bytes with and without it, across
//! edits, deletes, renames, changed settings and another day; only changed notes are read; a
//! damaged or unusable cache is ignored, never trusted.

mod common;

use common::{command, generated, run_vault_on, tree, Run, TODAY};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What each command prints (exit code, stdout) on `vault` on `day`, with or without the cache.
fn outputs(vault: &Path, day: &str, cache: bool, name: &str) -> Vec<(i32, String)> {
    let commands: [&[&str]; 8] = [
        &["check", "--format", "json"],
        &["check"],
        &["list", "--format", "json"],
        // A partner's full list of keys is decoded from the cache only when asked for.
        &["list", "--where", "language=de", "--where", "tier=B"],
        &["list", "--where", "langauge=de"],
        &["show", name],
        &["review", "--stdout"],
        &["remind", "--format", "json", "--within", "30d"],
    ];
    commands
        .iter()
        .map(|args| {
            let mut args = args.to_vec();
            if !cache {
                args.push("--no-cache");
            }
            let done = run_vault_on(vault, day, &args);
            (done.code, done.stdout)
        })
        .collect()
}

/// Notes read, taken from the cache and dropped, from an index line.
fn counts(line: &str) -> (usize, usize, usize) {
    let number = |after: &str| -> usize {
        let at = line
            .find(after)
            .unwrap_or_else(|| panic!("{after:?} in {line}"));
        line[..at].rsplit(' ').next().unwrap().parse().unwrap()
    };
    (
        number(" read"),
        number(" from the cache"),
        number(" dropped"),
    )
}

/// Runs `check --verbose` with the cache and returns its index line from stderr.
fn index_line(vault: &Path, day: &str) -> String {
    let done: Run = run_vault_on(vault, day, &["check", "--verbose"]);
    done.stderr
        .lines()
        .find(|l| l.starts_with("indexed "))
        .unwrap_or_else(|| panic!("no index line in:\n{}", done.stderr))
        .to_string()
}

#[track_caller]
fn same_with_and_without_cache(vault: &Path, day: &str, name: &str, step: &str) {
    let fresh = outputs(vault, day, false, name);
    let cached = outputs(vault, day, true, name);
    for (i, (a, b)) in fresh.iter().zip(&cached).enumerate() {
        assert_eq!(a, b, "{step}: command {i} differs with the cache");
    }
    assert!(
        fresh[0].1.contains("\"diagnostics\""),
        "{step}: {:?}",
        fresh[0]
    );
}

fn partner_files(vault: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = walk(&vault.join("partners"));
    found.sort();
    found
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
    out
}

#[test]
fn results_are_the_same_with_and_without_the_cache_across_changes() {
    let dir = generated(150);
    let vault = dir.path().join("v");
    let files = partner_files(&vault);
    let shown = files[3].file_stem().unwrap().to_string_lossy().into_owned();

    assert!(index_line(&vault, TODAY).contains("read, 0 from the cache"));
    let total = partner_files(&vault).len() + walk(&vault.join("notes")).len();
    let warm = index_line(&vault, TODAY);
    assert!(
        warm.contains(&format!("{total} notes: 0 read, {total} from the cache")),
        "{warm}"
    );
    assert!(warm.contains("cache used, links too"), "{warm}");
    same_with_and_without_cache(&vault, TODAY, &shown, "untouched");

    // An edit: a new Log entry and a broken link in one note; only that note is read. (A note
    // changed in the last two seconds is read again on every run until it settles, so later
    // steps allow one more read for each recent change.)
    let edited = &files[3];
    let mut text = std::fs::read_to_string(edited).unwrap();
    text.push_str("\n- 2026-11-22 gave: an intro to [[Nobody At All]]\n\nSee [[diagram.png]].\n");
    std::fs::write(edited, text).unwrap();
    assert_eq!(counts(&index_line(&vault, TODAY)), (1, total - 1, 0));
    same_with_and_without_cache(&vault, TODAY, &shown, "after an edit");

    // A delete: dropped, nothing else read.
    std::fs::remove_file(&files[5]).unwrap();
    let (read, _, dropped) = counts(&index_line(&vault, TODAY));
    assert!(read <= 1 && dropped == 1, "{read} {dropped}");
    same_with_and_without_cache(&vault, TODAY, &shown, "after a delete");

    // A rename into another folder: the new path is read, the old one dropped.
    let moved = vault.join("partners/moved.md");
    std::fs::rename(&files[7], &moved).unwrap();
    let (read, kept, dropped) = counts(&index_line(&vault, TODAY));
    assert!((1..=2).contains(&read) && dropped == 1, "{read} {dropped}");
    assert_eq!(read + kept, total - 1);
    same_with_and_without_cache(&vault, TODAY, &shown, "after a rename");

    // Another day, once every change has settled: nothing is read, linking comes from the
    // cache, everything is derived anew.
    std::thread::sleep(Duration::from_millis(2100));
    index_line(&vault, "2027-03-01");
    let line = index_line(&vault, "2027-03-01");
    assert!(
        line.contains(" 0 read, ") && line.contains("links too"),
        "{line}"
    );
    same_with_and_without_cache(&vault, "2027-03-01", &shown, "on another day");

    // A file that is not a note appears and mends a broken link: linking is done again.
    let before = run_vault_on(&vault, TODAY, &["check"]).stdout;
    assert!(before.contains("diagram.png"), "{before}");
    std::fs::write(vault.join("notes/diagram.png"), "png").unwrap();
    let line = index_line(&vault, TODAY);
    assert!(
        line.contains(" 0 read, ") && !line.contains("links too"),
        "{line}"
    );
    assert!(!run_vault_on(&vault, TODAY, &["check"])
        .stdout
        .contains("diagram.png"));
    same_with_and_without_cache(&vault, TODAY, &shown, "after a new attachment");

    // Changed settings: the cache is stale and every note is parsed again.
    let settings = vault.join("vault.yaml");
    let yaml = std::fs::read_to_string(&settings).unwrap();
    let narrower = yaml.replace(
        "touch_keys: [partners, attendees, with]",
        "touch_keys: [with]",
    );
    assert_ne!(narrower, yaml);
    std::fs::write(&settings, narrower).unwrap();
    let line = index_line(&vault, TODAY);
    assert!(line.contains("other settings, ignored"), "{line}");
    same_with_and_without_cache(&vault, TODAY, &shown, "after a settings change");
}

#[test]
fn a_damaged_or_unusable_cache_is_ignored_and_rebuilt() {
    let dir = generated(40);
    let vault = dir.path().join("v");
    let first = partner_files(&vault)[0].clone();
    let name = first.file_stem().unwrap().to_str().unwrap();
    index_line(&vault, TODAY);
    let cache = vault.join(".vault/index.bin");
    let good = std::fs::read(&cache).unwrap();
    let expected = outputs(&vault, TODAY, false, name);

    // Truncated, then one byte changed: ignored, rebuilt, same results.
    std::fs::write(&cache, &good[..good.len() / 2]).unwrap();
    assert!(index_line(&vault, TODAY).contains("damaged, ignored"));
    assert_eq!(outputs(&vault, TODAY, true, name), expected);
    let mut flipped = std::fs::read(&cache).unwrap();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 1;
    std::fs::write(&cache, flipped).unwrap();
    assert!(index_line(&vault, TODAY).contains("damaged, ignored"));
    assert_eq!(outputs(&vault, TODAY, true, name), expected);

    // `.vault` that is not a folder (as good as unwritable, even for root): no cache at all,
    // the same results, and the file left alone.
    std::fs::remove_dir_all(vault.join(".vault")).unwrap();
    std::fs::write(vault.join(".vault"), "not a folder").unwrap();
    let line = index_line(&vault, TODAY);
    assert!(line.contains("not saved"), "{line}");
    assert_eq!(outputs(&vault, TODAY, true, name), expected);
    assert_eq!(
        std::fs::read_to_string(vault.join(".vault")).unwrap(),
        "not a folder"
    );

    // --no-cache neither reads nor writes it.
    std::fs::remove_file(vault.join(".vault")).unwrap();
    let before = tree(&vault).len();
    run_vault_on(&vault, TODAY, &["check", "--no-cache"]);
    assert!(!vault.join(".vault").exists());
    assert_eq!(tree(&vault).len(), before);
}

#[test]
fn two_runs_at_once_leave_a_whole_cache() {
    let dir = generated(120);
    let vault = dir.path().join("v");
    let children: Vec<_> = (0..4)
        .map(|_| {
            let mut cmd = command();
            cmd.arg("--vault")
                .arg(&vault)
                .args(["--today", TODAY, "check"])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null());
            cmd.spawn().unwrap()
        })
        .collect();
    for mut child in children {
        child.wait().unwrap();
    }
    let line = index_line(&vault, TODAY);
    assert!(
        line.contains(" 0 read, ") && line.contains("cache used"),
        "{line}"
    );
    let leftovers: Vec<_> = std::fs::read_dir(vault.join(".vault"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "index.bin" && n != ".gitignore")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn per_note_problems_come_back_from_the_cache_as_found() {
    let vault = common::TempVault::empty();
    vault.write("vault.yaml", "");
    vault.write(
        "partners/ana.md",
        "---\nname: Ana\n[a, b]: x\n? {k: v}: y\n---\n",
    );
    vault.write("notes/idea.md", "---\n{k: v}: z\n---\nAn idea.\n");
    // Notes changed within the last two seconds are read again on every run: let them settle.
    std::thread::sleep(Duration::from_millis(2100));
    let fresh = outputs(vault.path(), TODAY, false, "ana");
    assert!(fresh[0].1.contains("list-or-map-key"), "{:?}", fresh[0]);
    index_line(vault.path(), TODAY);
    let line = index_line(vault.path(), TODAY);
    assert!(line.contains(" 0 read, 2 from the cache"), "{line}");
    assert_eq!(outputs(vault.path(), TODAY, true, "ana"), fresh);
}

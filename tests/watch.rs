//! `vault watch` run for real on a copy of the example vault, edited the ways editors, sync tools
//! and git edit files; every wait has a deadline, none is a fixed sleep (but the idle check).

mod common;

use common::TempVault;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const DEADLINE: Duration = Duration::from_secs(30);
const PAGE: &str = "reviews/2026-W48.md";
const HANNAH: &str = "partners/hannah-okafor.md";
/// A line the user wrote on the example's review page, below its generated part.
const HANDWRITTEN: &str = "- Monday: call Priya before anything else";

/// A running `vault watch` and everything it printed so far.
struct Watch {
    child: Child,
    output: Arc<Mutex<String>>,
}

impl Watch {
    fn start(vault: &TempVault, extra: &[&str]) -> Watch {
        let mut cmd = common::command();
        cmd.args(["--today", common::TODAY]);
        Watch::start_with(cmd, vault, extra)
    }

    /// Starts `cmd` (the binary, with any options before the subcommand) watching `vault`.
    fn start_with(mut cmd: std::process::Command, vault: &TempVault, extra: &[&str]) -> Watch {
        cmd.arg("--vault")
            .arg(vault.path())
            .args(["watch", "--debounce", "50ms"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("the binary starts");
        let output = Arc::new(Mutex::new(String::new()));
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let output = Arc::clone(&output);
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let mut all = output.lock().unwrap();
                    all.push_str(&line);
                    all.push('\n');
                }
            });
        }
        let watch = Watch { child, output };
        watch.wait_for("waiting for changes");
        watch
    }

    fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    /// Waits until the output holds `text`.
    #[track_caller]
    fn wait_for(&self, text: &str) {
        self.wait_until(&format!("`{text}` in the output"), || {
            self.output().contains(text)
        });
    }

    /// Waits until `done` holds, failing with the output at the deadline.
    #[track_caller]
    fn wait_until(&self, what: &str, mut done: impl FnMut() -> bool) {
        let start = Instant::now();
        while !done() {
            assert!(
                start.elapsed() < DEADLINE,
                "no {what} within {DEADLINE:?}; output:\n{}",
                self.output()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends `signal` and waits for the exit code.
    fn stop(mut self, signal: i32) -> (i32, String) {
        unsafe { libc::kill(self.child.id() as i32, signal) };
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // The readers finish once the pipes close.
                std::thread::sleep(Duration::from_millis(50));
                return (status.code().unwrap_or(-1), self.output());
            }
            assert!(
                start.elapsed() < DEADLINE,
                "still running:\n{}",
                self.output()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn example() -> TempVault {
    let vault = TempVault::empty();
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("example-vault"),
        vault.path(),
    );
    vault
}

/// Hannah's note with another `stage:` line.
fn hannah_with_stage(vault: &TempVault, stage: &str) -> String {
    let note = vault.read(HANNAH);
    let line = note.lines().find(|l| l.starts_with("stage:")).unwrap();
    note.replacen(line, &format!("stage: {stage}"), 1)
}

/// Writes `rel` the way many editors save: a temporary file renamed over it.
fn save_by_rename(vault: &TempVault, rel: &str, text: &str) {
    let temp = vault.join(&format!("{rel}.tmp-save"));
    std::fs::write(&temp, text).unwrap();
    std::fs::rename(&temp, vault.join(rel)).unwrap();
}

#[test]
fn a_new_problem_is_printed_with_its_line_and_its_fix_is_printed_too() {
    let vault = example();
    let watch = Watch::start(&vault, &[]);
    assert!(watch
        .output()
        .contains("24 notes, 0 error(s), 0 warning(s)"));
    // Written in place.
    std::fs::write(vault.join(HANNAH), hannah_with_stage(&vault, "bogus")).unwrap();
    watch.wait_for("partners/hannah-okafor.md:6:8: error[unknown-stage]: unknown stage `bogus`");
    watch.wait_for("24 notes: 1 error(s), 0 warning(s) (1 new, 0 fixed)");
    // Saved through a temporary file and a rename.
    save_by_rename(&vault, HANNAH, &hannah_with_stage(&vault, "partner"));
    watch.wait_for("fixed: partners/hannah-okafor.md:6 unknown stage `bogus`");
    watch.wait_for("24 notes: 0 error(s), 0 warning(s) (0 new, 1 fixed)");
}

#[test]
fn a_partner_gone_overdue_appears_on_the_page_and_the_users_text_stays() {
    let vault = example();
    assert!(vault.read(PAGE).contains(HANDWRITTEN));
    let watch = Watch::start(&vault, &[]);
    let overdue_section = |page: &str| {
        let start = page.find("## Overdue").unwrap();
        let end = page[start..].find("## Due this week").unwrap() + start;
        page[start..end].to_string()
    };
    vault.write(
        "partners/zoe-new.md",
        "---\nname: Zoe New\ntier: A\nlast_contact: 2026-09-01\n---\n",
    );
    watch.wait_until("Zoe among the overdue on the page", || {
        overdue_section(&vault.read(PAGE)).contains("Zoe New")
    });
    watch.wait_for(&format!("updated {PAGE}"));
    assert!(
        vault.read(PAGE).contains(HANDWRITTEN),
        "{}",
        vault.read(PAGE)
    );
}

#[test]
fn editors_save_patterns_deletes_and_folder_moves_are_all_followed() {
    let vault = example();
    let watch = Watch::start(&vault, &[]);
    let note = vault.join(HANNAH);
    let mut previous: Option<String> = None;
    let mut expect = |stage: &str| {
        watch.wait_for(&format!("unknown stage `{stage}`"));
        if let Some(before) = previous.replace(stage.to_string()) {
            watch.wait_for(&format!(
                "fixed: partners/hannah-okafor.md:6 unknown stage `{before}`"
            ));
        }
    };

    // vim (backupcopy=no): a `4913` probe, the note renamed to `x.md~`, a new file, the backup
    // removed.
    let text = hannah_with_stage(&vault, "vim-style");
    let probe = vault.join("partners/4913");
    std::fs::write(&probe, "").unwrap();
    std::fs::remove_file(&probe).unwrap();
    let backup = vault.join("partners/hannah-okafor.md~");
    std::fs::rename(&note, &backup).unwrap();
    std::fs::write(&note, text).unwrap();
    std::fs::remove_file(&backup).unwrap();
    expect("vim-style");

    // JetBrains: a `___jb_tmp___` file, the note moved to `___jb_old___`, the new one renamed in.
    let text = hannah_with_stage(&vault, "jetbrains-style");
    let temp = vault.join("partners/hannah-okafor.md___jb_tmp___");
    let old = vault.join("partners/hannah-okafor.md___jb_old___");
    std::fs::write(&temp, text).unwrap();
    std::fs::rename(&note, &old).unwrap();
    std::fs::rename(&temp, &note).unwrap();
    std::fs::remove_file(&old).unwrap();
    expect("jetbrains-style");

    // VS Code and others: write to a temporary name, rename over the note.
    save_by_rename(&vault, HANNAH, &hannah_with_stage(&vault, "rename-style"));
    expect("rename-style");

    // Deleted, then made anew; an Emacs lock file beside it meanwhile.
    let text = hannah_with_stage(&vault, "recreated");
    std::fs::remove_file(&note).unwrap();
    watch.wait_for("23 notes:");
    std::fs::write(vault.join("partners/.#hannah-okafor.md"), "user@host.1234").unwrap();
    std::fs::write(&note, text).unwrap();
    expect("recreated");

    // A whole folder moved: its notes' problems move with it.
    std::fs::rename(vault.join("partners"), vault.join("people")).unwrap();
    watch.wait_for("fixed: partners/hannah-okafor.md:6 unknown stage `recreated`");
    std::fs::rename(vault.join("people"), vault.join("partners")).unwrap();
    watch.wait_until("the problem back in partners/", || {
        watch
            .output()
            .matches(
                "partners/hannah-okafor.md:6:8: error[unknown-stage]: unknown stage `recreated`",
            )
            .count()
            == 2
    });
}

#[test]
fn five_hundred_notes_created_at_once_all_appear() {
    let vault = example();
    let watch = Watch::start(&vault, &[]);
    // Made outside, moved in as one folder, as a checkout or a sync would, then more written
    // straight into it.
    let outside = tempfile::tempdir().unwrap();
    let batch = outside.path().join("batch");
    std::fs::create_dir(&batch).unwrap();
    for i in 0..250 {
        std::fs::write(
            batch.join(format!("p{i:03}.md")),
            format!("---\nname: Batch Partner {i}\ntier: B\n---\n"),
        )
        .unwrap();
    }
    std::fs::rename(&batch, vault.join("partners/batch")).unwrap();
    for i in 250..500 {
        std::fs::write(
            vault.join(&format!("partners/batch/p{i:03}.md")),
            format!("---\nname: Batch Partner {i}\ntier: B\n---\n"),
        )
        .unwrap();
    }
    watch.wait_until("524 notes without problems", || {
        watch.output().lines().last().is_some_and(|_| {
            watch
                .output()
                .contains("524 notes: 0 error(s), 0 warning(s)")
        })
    });
    // The page lists the first few by priority and counts them all.
    watch.wait_until("the new partners on the page", || {
        vault.read(PAGE).contains("| (no stage) | 500 |")
    });
}

#[test]
fn an_idle_watch_writes_nothing_and_its_own_writes_start_no_loop() {
    let vault = example();
    let watch = Watch::start(&vault, &[]);
    let page = vault.join(PAGE);
    let calendar = vault.join("reminders.ics");
    let stamp = |path: &Path| {
        let meta = std::fs::metadata(path).unwrap();
        (
            meta.modified().unwrap(),
            std::os::unix::fs::MetadataExt::ino(&meta),
        )
    };
    let before = (stamp(&page), stamp(&calendar), watch.output());
    // Busy hidden folders (an editor's settings, git's objects) are none of the watch's
    // business: they are not even watched.
    for dir in [".obsidian", ".git/objects/ab"] {
        std::fs::create_dir_all(vault.join(dir)).unwrap();
    }
    for i in 0..10 {
        vault.write(".obsidian/workspace.json", format!("{{\"n\": {i}}}"));
        vault.write(
            &format!(".git/objects/ab/{i:04}.md"),
            "---\nname: Not A Note\n---\n",
        );
        std::thread::sleep(Duration::from_millis(300));
    }
    assert_eq!(before, (stamp(&page), stamp(&calendar), watch.output()));
}

#[test]
fn ctrl_c_and_sigterm_stop_it_cleanly() {
    for signal in [libc::SIGINT, libc::SIGTERM] {
        let vault = example();
        let watch = Watch::start(&vault, &[]);
        std::fs::write(vault.join(HANNAH), hannah_with_stage(&vault, "bogus")).unwrap();
        watch.wait_for("unknown stage `bogus`");
        let (code, output) = watch.stop(signal);
        assert_eq!(code, 0, "signal {signal}:\n{output}");
        assert!(output.ends_with("stopped watching\n"), "{output}");
        let leftovers: Vec<_> = walkdir::WalkDir::new(vault.path())
            .into_iter()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains("tmp"))
            .map(|e| e.path().to_path_buf())
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
}

#[test]
fn bad_settings_and_broken_templates_are_reported_and_the_last_good_ones_kept() {
    let vault = example();
    let watch = Watch::start(&vault, &[]);
    let settings = vault.read("vault.yaml");
    std::fs::write(
        vault.join("vault.yaml"),
        settings.replace("week_starts: monday", "week_starts: someday"),
    )
    .unwrap();
    watch.wait_for("keeping the last good settings");
    assert!(watch.output().contains("someday"), "{}", watch.output());
    // The last good settings still check the notes.
    std::fs::write(vault.join(HANNAH), hannah_with_stage(&vault, "bogus")).unwrap();
    watch.wait_for("unknown stage `bogus`");

    // A template that does not parse: reported, the page left as it was.
    std::fs::create_dir_all(vault.join("templates")).unwrap();
    vault.write("templates/review.md.tera", "{% if %}");
    watch.wait_for("the pages are left as they are until the template is fixed");
    let page = vault.read(PAGE);
    std::fs::write(vault.join(HANNAH), hannah_with_stage(&vault, "partner")).unwrap();
    watch.wait_for("fixed: partners/hannah-okafor.md:6 unknown stage `bogus`");
    assert_eq!(vault.read(PAGE), page);
    // Fixed template: pages again.
    vault.write("templates/review.md.tera", "Week {{ week }}\n");
    watch.wait_until("the page from the new template", || {
        vault.read(PAGE).contains("Week 2026-W48\n")
    });
    assert!(vault.read(PAGE).contains(HANDWRITTEN));
}

#[test]
fn at_midnight_it_derives_again_and_a_new_week_gets_its_page() {
    let vault = example();
    // The clock of a debug build, moved by the test: Sunday, the last day of week 48.
    let clock = vault.path().join("clock.txt");
    std::fs::write(&clock, "2026-11-29").unwrap();
    let mut cmd = common::command();
    cmd.env("VAULT_TEST_CLOCK_FILE", &clock);
    let watch = Watch::start_with(cmd, &vault, &[]);
    watch.wait_for(&format!("updated {PAGE}"));
    assert!(vault.read(PAGE).contains("as of 2026-11-29"));
    std::fs::write(&clock, "2026-11-30").unwrap();
    watch.wait_for("a new day: 2026-11-30");
    watch.wait_for("wrote reviews/2026-W49.md");
    assert!(vault
        .read("reviews/2026-W49.md")
        .contains("as of 2026-11-30"));
    // Last week's page, with the user's text, stays as it was.
    assert!(vault.read(PAGE).contains(HANDWRITTEN));
}

#[test]
fn with_no_pages_it_only_checks() {
    let vault = example();
    let page = vault.read(PAGE);
    let watch = Watch::start(&vault, &["--no-pages"]);
    std::fs::write(vault.join(HANNAH), hannah_with_stage(&vault, "bogus")).unwrap();
    watch.wait_for("unknown stage `bogus`");
    watch.wait_for("(1 new, 0 fixed)");
    assert!(!watch.output().contains("updated"), "{}", watch.output());
    assert_eq!(vault.read(PAGE), page);
    assert!(!vault.join("reminders.ics").exists());
}

#[test]
fn a_whole_session_reads_as_expected() {
    let vault = example();
    let watch = Watch::start(&vault, &[]);
    // Saved by renames: each save is one whole file, never seen half-written.
    save_by_rename(&vault, HANNAH, &hannah_with_stage(&vault, "bogus"));
    watch.wait_for("(1 new, 0 fixed)");
    save_by_rename(&vault, HANNAH, &hannah_with_stage(&vault, "partner"));
    watch.wait_for("(0 new, 1 fixed)");
    let (code, output) = watch.stop(libc::SIGINT);
    assert_eq!(code, 0);
    let shown = output.replace(&vault.path().display().to_string(), "[vault]");
    insta::assert_snapshot!("watch_session", shown);
}

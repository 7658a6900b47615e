//! Shared helpers for the integration tests: fixture vaults copied into temporary folders, and
//! the real `vault` binary run against them with a pinned day and no color.
//!
//! Every test binary includes this module but uses only part of it.
#![allow(dead_code)]

use serde_json::Value;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// The day every test pins with `--today`.
pub const TODAY: &str = "2026-11-23";

/// No single run of the binary may take longer than this; a hang (for example a symlink loop
/// that is followed forever) fails the test instead of blocking the suite.
pub const RUN_TIMEOUT: Duration = Duration::from_secs(60);

/// The environment variables the binary reads, removed so the developer's shell cannot leak in.
const VAULT_ENV: [&str; 3] = ["VAULT_DIR", "VAULT_TODAY", "VAULT_CONFIG"];

/// The folder of a committed fixture vault.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(name)
}

/// What one run of the binary gave.
#[derive(Debug)]
pub struct Run {
    /// The exit code (`-1` when the process was killed by a signal).
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Run {
    /// Stdout parsed as JSON; panics with the output when it is not JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    /// Asserts the exit code, showing both streams when it differs.
    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "unexpected exit code\n--- stdout:\n{}\n--- stderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

/// A fixture (or empty) vault copied into a temporary folder, removed when dropped.
pub struct TempVault {
    dir: TempDir,
}

impl TempVault {
    /// Copies `tests/fixtures/<name>` into a fresh temporary folder.
    pub fn copy(name: &str) -> TempVault {
        let vault = TempVault::empty();
        copy_dir(&fixture(name), vault.path());
        vault
    }

    /// An empty temporary folder.
    pub fn empty() -> TempVault {
        TempVault {
            dir: tempfile::Builder::new()
                .prefix("vault-test-")
                .tempdir()
                .expect("creating a temporary folder"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `path()/rel`.
    pub fn join(&self, rel: &str) -> PathBuf {
        self.path().join(rel)
    }

    /// Writes `bytes` to `rel`, creating parent folders.
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let path = self.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("creating parent folders");
        }
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    }

    /// Reads `rel` as text.
    pub fn read(&self, rel: &str) -> String {
        let path = self.join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
    }

    /// Runs `vault --vault <this> --today TODAY --color never ARGS`.
    pub fn run(&self, args: &[&str]) -> Run {
        run_vault(self.path(), args)
    }
}

/// Runs `vault --vault <vault> --today TODAY --color never ARGS` with a clean environment.
pub fn run_vault(vault: &Path, args: &[&str]) -> Run {
    run_vault_on(vault, TODAY, args)
}

/// Like [`run_vault`], with another day as `--today`.
pub fn run_vault_on(vault: &Path, today: &str, args: &[&str]) -> Run {
    let mut cmd = command();
    cmd.arg("--vault")
        .arg(vault)
        .args(["--today", today, "--color", "never"])
        .args(args);
    run(cmd)
}

/// Runs `vault --vault <vault> --today <today> ARGS` in a debug build that pauses just before
/// renaming what it writes, and calls `meanwhile` during the pause (an editor saving the file).
pub fn run_with_a_save_meanwhile(
    vault: &Path,
    today: &str,
    args: &[&str],
    meanwhile: impl FnOnce(),
) -> Run {
    let mut cmd = command();
    cmd.env("VAULT_TEST_PAUSE_BEFORE_RENAME_MS", "1500")
        .arg("--vault")
        .arg(vault)
        .args(["--today", today])
        .args(args);
    let child = std::thread::spawn(move || run(cmd));
    std::thread::sleep(Duration::from_millis(700));
    meanwhile();
    child.join().expect("the run's thread")
}

/// A file's modification time.
pub fn mtime(path: &Path) -> std::time::SystemTime {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .unwrap_or_else(|e| panic!("mtime of {}: {e}", path.display()))
}

/// Sets a file's mtime to an old, exact value and returns it.
pub fn age(path: &Path) -> std::time::SystemTime {
    let old = std::time::UNIX_EPOCH + Duration::from_secs(1_500_000_000);
    std::fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(old))
        .unwrap_or_else(|e| panic!("setting the mtime of {}: {e}", path.display()));
    assert_eq!(mtime(path), old);
    old
}

/// The binary with `NO_COLOR=1` and without any `VAULT_*` variable, and no arguments yet.
pub fn command() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vault"));
    cmd.env("NO_COLOR", "1");
    for name in VAULT_ENV {
        cmd.env_remove(name);
    }
    cmd
}

/// Runs a prepared command to its end (at most [`RUN_TIMEOUT`]) and collects its output.
pub fn run(mut cmd: Command) -> Run {
    let started = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting the vault binary");
    let stdout = reader(child.stdout.take().expect("piped stdout"));
    let stderr = reader(child.stderr.take().expect("piped stderr"));
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for the vault binary") {
            break status;
        }
        if started.elapsed() > RUN_TIMEOUT {
            // Only this child, which this function started, is killed.
            let _ = child.kill();
            let _ = child.wait();
            panic!("`{cmd:?}` did not finish within {RUN_TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: stdout.join().expect("reading stdout"),
        stderr: stderr.join().expect("reading stderr"),
        elapsed: started.elapsed(),
    }
}

fn reader(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// The index cache a run leaves in a vault: not the user's data, so trees compare without it.
const CACHE_DIR: &str = ".vault";

/// Copies a folder tree (files and folders only; fixtures hold no links), without the index
/// cache a run in place may have left.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("creating the copy's folder");
    let entries = std::fs::read_dir(from)
        .unwrap_or_else(|e| panic!("reading fixture folder {}: {e}", from.display()));
    for entry in entries {
        let entry = entry.expect("reading a fixture entry");
        if entry.file_name() == CACHE_DIR {
            continue;
        }
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target)
                .unwrap_or_else(|e| panic!("copying {}: {e}", entry.path().display()));
        }
    }
}

/// Every file under `root` with its bytes, sorted by relative path: a cheap "nothing changed"
/// fingerprint of a folder tree (without the index cache, which is not the user's data).
pub fn tree(root: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for entry in std::fs::read_dir(dir).expect("reading a folder") {
            let entry = entry.expect("reading an entry");
            if entry.file_name() == CACHE_DIR {
                continue;
            }
            let path = entry.path();
            let rel = path
                .strip_prefix(root)
                .expect("inside the root")
                .to_string_lossy()
                .replace('\\', "/");
            if entry.file_type().expect("file type").is_dir() {
                out.push((format!("{rel}/"), Vec::new()));
                walk(root, &path, out);
            } else {
                out.push((rel, std::fs::read(&path).expect("reading a file")));
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

/// The diagnostics of a `check --format json` run.
pub fn diagnostics(run: &Run) -> Vec<Value> {
    run.json()["diagnostics"]
        .as_array()
        .expect("`diagnostics` is an array")
        .clone()
}

/// The partners of a `list --format json` run.
pub fn partners(run: &Run) -> Vec<Value> {
    run.json()
        .as_array()
        .expect("list JSON is an array")
        .clone()
}

/// The `name` of each partner of a `list --format json` run, in output order.
pub fn names(run: &Run) -> Vec<String> {
    partners(run)
        .iter()
        .map(|p| p["name"].as_str().expect("name is text").to_string())
        .collect()
}

/// The partner named `name` in a `list --format json` run.
pub fn partner<'a>(list: &'a [Value], name: &str) -> &'a Value {
    list.iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("no partner `{name}` in {list:#?}"))
}

/// A generated vault (the project's own generator, built by `cargo test` with the examples)
/// with 5% of its partner notes broken.
pub fn generated(partners: usize) -> tempfile::TempDir {
    generated_with(partners, &["--bad", "0.05"])
}

/// A generated vault, with more generator arguments (`--shape realistic`, `--bad 0.1`).
pub fn generated_with(partners: usize, extra: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let generator = Path::new(env!("CARGO_BIN_EXE_vault"))
        .parent()
        .unwrap()
        .join("examples/gen_vault");
    assert!(
        generator.is_file(),
        "{} is missing: `cargo test` builds the examples",
        generator.display()
    );
    let mut cmd = std::process::Command::new(generator);
    cmd.arg(dir.path().join("v")).args([
        "--partners",
        &partners.to_string(),
        "--seed",
        "7",
        "--today",
        TODAY,
    ]);
    cmd.args(extra);
    run(cmd).assert_code(0);
    // Files changed within the last two seconds are never trusted from the cache (their stamp
    // could still change within one clock tick): let the new vault settle once.
    std::thread::sleep(Duration::from_millis(2100));
    dir
}

//! Writing files safely. Every file the tool writes goes through this module: review pages,
//! calendars, `vault remind --out`, the files `vault init` creates, the notes `vault new`
//! creates, and later caches and edited notes.
//!
//! - **Atomic.** The bytes go to a new temporary file in the target's folder, created
//!   exclusively (`O_CREAT | O_EXCL`, so never through a symbolic link) under an unpredictable
//!   name, flushed and synced to disk, then renamed over the target. Readers see the old bytes
//!   or the new ones, never a half-written file.
//! - **Only when changed.** A target that already holds exactly the bytes is not touched, so
//!   its mtime stays and git sees nothing ([`Written::Unchanged`]).
//! - **Refusals.** A target that is a symbolic link, a folder, a FIFO or anything else but a
//!   regular file is refused with an error naming it ([`Refused`]); it is never followed,
//!   replaced or opened for writing. [`write_in`] also refuses a symbolic link among the
//!   folders between the vault's root and the target.
//! - **Permissions.** A replaced file keeps its permission bits (a `reminders.ics` of mode 600
//!   stays 600), and its owner and group where the system allows it. A new file gets mode 666
//!   less the process's umask (644 under the usual 022), as any editor would create it.
//! - **No leftovers.** Temporary files are named `.vault-tmp-<12 random characters>.tmp`
//!   ([`TEMP_PATTERN`]): a fixed, short name, whatever the length of the target's name. The
//!   temporary file is removed on every error, and on SIGINT, SIGTERM or SIGHUP while it exists
//!   (see [`interrupts`]). Only a hard kill (SIGKILL, a crash, a power cut) can leave one behind;
//!   the next write into the same folder removes such leftovers once they are older than
//!   [`STALE_AFTER`]. A younger one may belong to another run writing right now, and is left
//!   alone. `vault init` puts the pattern into `.gitignore`, and discovery never reads hidden
//!   files, so a leftover is never indexed or committed.

use anyhow::Context as _;
use std::fmt;
use std::fs::{self, File, Permissions};
use std::io::{self, Read as _, Write as _};
use std::os::unix::fs::{MetadataExt as _, OpenOptionsExt as _, PermissionsExt as _};
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, SystemTime};

/// How every temporary file's name starts.
pub const TEMP_PREFIX: &str = ".vault-tmp-";
/// How every temporary file's name ends.
pub const TEMP_SUFFIX: &str = ".tmp";
/// The shell pattern that matches every temporary file (for `.gitignore`).
pub const TEMP_PATTERN: &str = ".vault-tmp-*";
/// Random characters in a temporary file's name (62 possible each).
const TEMP_RANDOM_CHARS: usize = 12;
/// A leftover temporary file older than this is removed by the next write into its folder.
/// A live write takes milliseconds; ten minutes leaves room for a slow disk or a process that
/// was paused, and if a paused writer did lose its temporary file, its rename fails with an
/// error and its target stays as it was.
pub const STALE_AFTER: Duration = Duration::from_secs(10 * 60);

/// Whether a write changed the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// The file did not exist and now does.
    Created,
    /// The file existed with other bytes and was replaced.
    Updated,
    /// The file already held exactly these bytes and was not touched.
    Unchanged,
}

impl Written {
    /// `wrote`, `updated` or `unchanged`, for telling the user.
    pub fn describe(self) -> &'static str {
        match self {
            Written::Created => "wrote",
            Written::Updated => "updated",
            Written::Unchanged => "unchanged",
        }
    }
}

/// A target the writer will not write: why, and the file as the user knows it.
#[derive(Debug)]
pub struct Refused {
    /// The target, as shown to the user (vault-relative, or as typed).
    pub shown: String,
    pub reason: String,
    pub hint: &'static str,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "refusing to write `{}`: {}; nothing was written\nhint: {}",
            self.shown, self.reason, self.hint
        )
    }
}

impl std::error::Error for Refused {}

/// Writes `bytes` to `path` unless it already holds exactly them; creates missing parent
/// folders. Refuses a `path` that is a symbolic link or not a regular file. Errors name `path`
/// as given.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> anyhow::Result<Written> {
    write(
        path,
        &path.display().to_string(),
        bytes,
        Mode::Replace,
        &no_hook,
    )
}

/// Writes `bytes` to `root/rel` unless it already holds exactly them, like
/// [`write_if_changed`], and also refuses when a folder between `root` and the file is a
/// symbolic link, so a vault-relative path cannot be led out of the vault. `rel` is
/// `/`-separated and relative (the settings are checked for that when they are loaded); errors
/// name the file by `rel`.
pub fn write_in(root: &Path, rel: &str, bytes: &[u8]) -> anyhow::Result<Written> {
    let path = root.join(rel);
    check_folders(root, rel)?;
    write(&path, rel, bytes, Mode::Replace, &no_hook)
}

/// Replaces the note at `root/rel` with `bytes` only while it still holds `expected` (the
/// bytes the edit was computed from): checked when the write starts and again just before the
/// rename, so an editor's save or a `git pull` in between is never overwritten. Otherwise like
/// [`write_in`].
pub fn replace_unchanged_in(
    root: &Path,
    rel: &str,
    expected: &[u8],
    bytes: &[u8],
) -> anyhow::Result<Written> {
    let path = root.join(rel);
    check_folders(root, rel)?;
    let changed = || refused(rel, CHANGED.into(), HINT_CHANGED);
    match inspect(&path, rel)? {
        Some(current) if current.bytes == expected => {}
        _ => return Err(changed()),
    }
    let still_expected = |temp: &Path| {
        no_hook(temp)?;
        match fs::read(&path) {
            Ok(now) if now == expected => Ok(()),
            _ => Err(io::Error::other(CHANGED)),
        }
    };
    write(&path, rel, bytes, Mode::Replace, &still_expected).map_err(|e| {
        if e.chain().any(|c| c.to_string() == CHANGED) {
            changed()
        } else {
            e
        }
    })
}

const CHANGED: &str = "it changed on disk since it was read";
const HINT_CHANGED: &str = "another program (an editor, a sync, `git pull`) changed the note \
                            meanwhile; run the command again";

/// Creates `path` with `bytes`, refusing if anything (even a dangling link) is already there;
/// the check and the creation are one step (`renameat2(RENAME_NOREPLACE)` or `link`), so a
/// file that appears in between is not replaced either. Creates missing parent folders.
pub fn write_new(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let shown = path.display().to_string();
    write(path, &shown, bytes, Mode::CreateNew, &no_hook).map(|_| ())
}

/// The current bytes of a file that the writer could replace, `None` when there is none.
/// Refuses (with [`Refused`]) a symbolic link or anything that is not a regular file, without
/// following or opening it; for reading a target before computing its new content.
pub fn read_target(path: &Path) -> anyhow::Result<Option<Vec<u8>>> {
    Ok(inspect(path, &path.display().to_string())?.map(|current| current.bytes))
}

/// [`read_target`] for `root/rel`, also refusing a symbolic link among the folders of `rel`
/// (like [`write_in`]); errors name the file by `rel`.
pub fn read_in(root: &Path, rel: &str) -> anyhow::Result<Option<Vec<u8>>> {
    check_folders(root, rel)?;
    Ok(inspect(&root.join(rel), rel)?.map(|current| current.bytes))
}

/// What to do with an existing target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Replace,
    CreateNew,
}

/// Called with the temporary file's path just before it is renamed; tests use it to fail there.
type Hook<'a> = &'a dyn Fn(&Path) -> io::Result<()>;

fn no_hook(_temp: &Path) -> io::Result<()> {
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var("VAULT_TEST_PAUSE_BEFORE_RENAME_MS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        // Debug builds only: lets the integration tests interrupt a write in flight.
        std::thread::sleep(Duration::from_millis(ms));
    }
    Ok(())
}

fn write(
    path: &Path,
    shown: &str,
    bytes: &[u8],
    mode: Mode,
    hook: Hook,
) -> anyhow::Result<Written> {
    let current = match mode {
        Mode::Replace => inspect(path, shown)?,
        Mode::CreateNew => {
            if fs::symlink_metadata(path).is_ok() {
                return Err(refused(shown, "it already exists".into(), HINT_EXISTS));
            }
            None
        }
    };
    if let Some(current) = &current {
        if current.bytes == bytes {
            return Ok(Written::Unchanged);
        }
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir).with_context(|| format!("creating the folder of `{shown}`"))?;
    remove_stale(dir, is_temp_name);
    replace(path, dir, bytes, current.as_ref(), mode, hook).map_err(|e| {
        if mode == Mode::CreateNew && e.kind() == io::ErrorKind::AlreadyExists {
            refused(shown, "it already exists".into(), HINT_EXISTS)
        } else {
            anyhow::Error::new(e).context(format!("writing `{shown}`; it was left as it was"))
        }
    })?;
    Ok(if current.is_some() {
        Written::Updated
    } else {
        Written::Created
    })
}

const HINT_LINK: &str = "the tool never writes through a symbolic link; replace the link with \
                         a regular file, or write somewhere else";
const HINT_SPECIAL: &str = "remove or rename it, or write somewhere else";
const HINT_EXISTS: &str = "move it away first, or write somewhere else";

fn refused(shown: &str, reason: String, hint: &'static str) -> anyhow::Error {
    anyhow::Error::new(Refused {
        shown: shown.to_string(),
        reason,
        hint,
    })
}

/// An existing regular file, as read before replacing it.
struct Current {
    bytes: Vec<u8>,
    metadata: fs::Metadata,
}

/// The target's bytes and metadata, `None` when nothing is there. Never follows a link: the
/// type is checked without following (`lstat`), and the open uses `O_NOFOLLOW | O_NONBLOCK`
/// and checks again on the opened file, so a link or FIFO swapped in meanwhile is refused too
/// (and a FIFO cannot block the open).
fn inspect(path: &Path, shown: &str) -> anyhow::Result<Option<Current>> {
    let metadata = match fs::symlink_metadata(path) {
        Ok(metadata) => metadata,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("reading `{shown}`")),
    };
    check_kind(shown, &metadata)?;
    let mut file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ELOOP) => refused(shown, "it is a symbolic link".into(), HINT_LINK),
            _ => anyhow::Error::new(e).context(format!("reading `{shown}`")),
        })?;
    let metadata = file
        .metadata()
        .with_context(|| format!("reading `{shown}`"))?;
    check_kind(shown, &metadata)?;
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.read_to_end(&mut bytes)
        .with_context(|| format!("reading `{shown}`"))?;
    Ok(Some(Current { bytes, metadata }))
}

fn check_kind(shown: &str, metadata: &fs::Metadata) -> anyhow::Result<()> {
    use std::os::unix::fs::FileTypeExt as _;
    let kind = metadata.file_type();
    let what = if kind.is_file() {
        return Ok(());
    } else if kind.is_symlink() {
        return Err(refused(shown, "it is a symbolic link".into(), HINT_LINK));
    } else if kind.is_dir() {
        "a folder"
    } else if kind.is_fifo() {
        "a named pipe (FIFO)"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "a device"
    };
    Err(refused(
        shown,
        format!("it is {what}, not a regular file"),
        HINT_SPECIAL,
    ))
}

/// Refuses a symbolic link (or a file) among the existing folders of `rel` below `root`.
fn check_folders(root: &Path, rel: &str) -> anyhow::Result<()> {
    let rel_path = Path::new(rel);
    let folders = rel_path.parent().unwrap_or(Path::new(""));
    let mut path = root.to_path_buf();
    let mut so_far = PathBuf::new();
    for component in folders.components() {
        let Component::Normal(name) = component else {
            anyhow::bail!("`{rel}` is not a plain path inside the vault");
        };
        path.push(name);
        so_far.push(name);
        let shown_folder = so_far.display();
        match fs::symlink_metadata(&path) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                return Err(refused(
                    rel,
                    format!("its folder `{shown_folder}` is a symbolic link"),
                    HINT_LINK,
                ))
            }
            Ok(metadata) if !metadata.is_dir() => {
                return Err(refused(
                    rel,
                    format!("`{shown_folder}` is not a folder"),
                    HINT_SPECIAL,
                ))
            }
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e).with_context(|| format!("reading `{shown_folder}`")),
        }
    }
    Ok(())
}

/// The temporary file's whole life: created, filled, given its mode, synced, renamed.
fn replace(
    path: &Path,
    dir: &Path,
    bytes: &[u8],
    current: Option<&Current>,
    mode: Mode,
    hook: Hook,
) -> io::Result<()> {
    let dir = std::path::absolute(dir)?;
    // A new file: 666 less the umask, applied by the kernel at creation. A replaced one: created
    // 600, then given the old file's bits once it is ours alone.
    let create_mode = if current.is_some() { 0o600 } else { 0o666 };
    let mut temp = interrupts::Temp::create(&dir, create_mode)?;
    let file = temp.file();
    file.write_all(bytes)?;
    file.flush()?;
    if let Some(current) = current {
        keep_owner_and_mode(file, &current.metadata)?;
    }
    file.sync_all()?;
    hook(temp.path())?;
    temp.persist(path, mode == Mode::CreateNew)?;
    // The rename itself reaches the disk with the folder; best effort, as editors do.
    if let Ok(folder) = File::open(&dir) {
        let _ = folder.sync_all();
    }
    Ok(())
}

/// Gives the new file the old one's permission bits, and its owner and group when they differ
/// and the system allows it (root rewriting a user's file; a group the user is in).
fn keep_owner_and_mode(file: &File, old: &fs::Metadata) -> io::Result<()> {
    let new = file.metadata()?;
    if (new.uid(), new.gid()) != (old.uid(), old.gid()) {
        use std::os::unix::fs::fchown;
        if fchown(file, Some(old.uid()), Some(old.gid())).is_err() {
            let _ = fchown(file, None, Some(old.gid()));
        }
    }
    file.set_permissions(Permissions::from_mode(old.mode() & 0o777))
}

/// Whether a file name is one of the writer's temporary files.
pub fn is_temp_name(name: &str) -> bool {
    name.len() == TEMP_PREFIX.len() + TEMP_RANDOM_CHARS + TEMP_SUFFIX.len()
        && name.starts_with(TEMP_PREFIX)
        && name.ends_with(TEMP_SUFFIX)
}

/// Removes the leftover temporary files in `dir` (those `is_temp` names) that are older than
/// [`STALE_AFTER`]: regular files only, never a younger one (another run may be writing it).
/// Best effort.
pub fn remove_stale(dir: &Path, is_temp: impl Fn(&str) -> bool) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        if !entry.file_name().to_str().is_some_and(&is_temp) {
            continue;
        }
        // `DirEntry::metadata` does not follow links.
        let Ok(metadata) = entry.metadata() else {
            continue;
        };
        let stale = metadata.is_file()
            && metadata
                .modified()
                .ok()
                .and_then(|modified| now.duration_since(modified).ok())
                .is_some_and(|age| age >= STALE_AFTER);
        if stale {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Temporary files in flight, and what happens to them on SIGINT, SIGTERM and SIGHUP.
///
/// The first write installs, once per process, a handler for those three signals: a thread
/// (from the `signal-hook` crate, which only wakes it from the real, async-signal-safe
/// handler) that removes every temporary file in the registry and exits with 128 + the signal
/// (130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP). From then on these signals end the
/// process that way, write or no write, unless the command asked to be stopped gently
/// ([`interrupts::stop_gently`]).
///
/// The registry is one mutex-guarded list. A temporary file is created and registered under
/// the lock, and renamed (or removed) and unregistered under the lock, while the handler holds
/// the lock from its cleanup to the exit. So the handler never misses a temporary file that
/// exists, never removes a file that already became the target, and no write can start or
/// finish after it. Filling and syncing the file happen outside the lock, so a signal never
/// waits for a slow disk.
pub mod interrupts {
    use std::fs;
    use std::io;
    use std::os::unix::fs::PermissionsExt as _;
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex, MutexGuard, Once, OnceLock, PoisonError};

    static IN_FLIGHT: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

    fn in_flight() -> MutexGuard<'static, Vec<PathBuf>> {
        IN_FLIGHT.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The temporary files being written right now (absolute paths).
    pub fn paths() -> Vec<PathBuf> {
        in_flight().clone()
    }

    /// A registered temporary file; dropping it removes and unregisters it.
    pub(super) struct Temp {
        file: Option<tempfile::NamedTempFile>,
        path: PathBuf,
    }

    impl Temp {
        /// A new temporary file in `dir` (absolute), created with `mode` (less the umask).
        pub(super) fn create(dir: &Path, mode: u32) -> io::Result<Temp> {
            install();
            let mut list = in_flight();
            let file = tempfile::Builder::new()
                .prefix(super::TEMP_PREFIX)
                .suffix(super::TEMP_SUFFIX)
                .rand_bytes(super::TEMP_RANDOM_CHARS)
                .permissions(fs::Permissions::from_mode(mode))
                .tempfile_in(dir)?;
            let path = file.path().to_path_buf();
            list.push(path.clone());
            Ok(Temp {
                file: Some(file),
                path,
            })
        }

        pub(super) fn path(&self) -> &Path {
            &self.path
        }

        pub(super) fn file(&mut self) -> &mut fs::File {
            self.file
                .as_mut()
                .expect("present until persisted")
                .as_file_mut()
        }

        /// Renames the file to `target`; with `no_clobber`, fails if `target` exists. On
        /// failure the temporary file is removed.
        pub(super) fn persist(mut self, target: &Path, no_clobber: bool) -> io::Result<()> {
            let file = self.file.take().expect("present until persisted");
            let mut list = in_flight();
            let result = if no_clobber {
                file.persist_noclobber(target)
            } else {
                file.persist(target)
            };
            // On failure the error holds the temporary file; dropping it removes it.
            let result = result.map(drop).map_err(|e| e.error);
            list.retain(|p| *p != self.path);
            result
        }
    }

    impl Drop for Temp {
        fn drop(&mut self) {
            if let Some(file) = self.file.take() {
                let mut list = in_flight();
                drop(file);
                list.retain(|p| *p != self.path);
            }
        }
    }

    static GENTLE: OnceLock<Arc<AtomicBool>> = OnceLock::new();

    /// From now on the first SIGINT, SIGTERM or SIGHUP only sets `stop`, for a command that
    /// runs until stopped and ends between its writes (`vault watch`); a second one ends the
    /// process as above.
    pub fn stop_gently(stop: Arc<AtomicBool>) {
        let _ = GENTLE.set(stop);
        install();
    }

    /// Installs the handler once. The thread registers the signals and only then lets the
    /// first write go on; if it cannot start, the signals keep their default action.
    fn install() {
        static ONCE: Once = Once::new();
        ONCE.call_once(|| {
            use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
            let (ready, wait) = std::sync::mpsc::sync_channel(1);
            let spawned = std::thread::Builder::new()
                .name("vault-signals".into())
                .spawn(move || {
                    let signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]);
                    let _ = ready.send(());
                    let mut signals = signals.ok();
                    let mut arrived = signals.iter_mut().flat_map(|s| s.forever());
                    // A command that stops gently is asked to, the first time.
                    let first_to_end = arrived.find(|_| {
                        GENTLE
                            .get()
                            .is_none_or(|stop| stop.swap(true, Ordering::SeqCst))
                    });
                    if let Some(signal) = first_to_end {
                        let list = in_flight();
                        for path in list.iter() {
                            let _ = fs::remove_file(path);
                        }
                        // Exits with the lock held: no write starts or finishes after this.
                        std::process::exit(128 + signal);
                    }
                });
            if spawned.is_ok() {
                let _ = wait.recv();
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn temp_files(dir: &Path) -> Vec<String> {
        names(dir)
            .into_iter()
            .filter(|n| n.starts_with(TEMP_PREFIX))
            .collect()
    }

    fn mode(path: &Path) -> u32 {
        fs::symlink_metadata(path).unwrap().mode() & 0o7777
    }

    /// The process's umask, read without changing it (Linux); `None` elsewhere.
    fn umask() -> Option<u32> {
        let status = fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find(|l| l.starts_with("Umask:"))?;
        u32::from_str_radix(line["Umask:".len()..].trim(), 8).ok()
    }

    fn refusal(error: &anyhow::Error) -> &Refused {
        error
            .downcast_ref::<Refused>()
            .unwrap_or_else(|| panic!("not a refusal: {error:#}"))
    }

    #[test]
    fn skips_identical_bytes_and_replaces_others() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/page.md");
        assert_eq!(write_if_changed(&path, b"one").unwrap(), Written::Created);
        let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_500_000_000);
        File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(old)
            .unwrap();
        assert_eq!(write_if_changed(&path, b"one").unwrap(), Written::Unchanged);
        assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), old);
        assert_eq!(write_if_changed(&path, b"two").unwrap(), Written::Updated);
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(names(&dir.path().join("sub")), ["page.md"], "no temp file");
        assert!(interrupts::paths()
            .iter()
            .all(|p| !p.starts_with(dir.path())));
    }

    #[test]
    fn a_symlink_target_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim.txt");
        fs::write(&victim, "keep me").unwrap();
        let link = dir.path().join("reminders.ics");
        symlink(&victim, &link).unwrap();
        let error = write_if_changed(&link, b"calendar").unwrap_err();
        let refused = refusal(&error);
        assert!(refused.reason.contains("symbolic link"), "{error:#}");
        assert!(error.to_string().contains("reminders.ics"), "{error:#}");
        assert_eq!(fs::read(&victim).unwrap(), b"keep me");
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_link(&link).unwrap(), victim);
        // Equal bytes are no way around it either, nor is a dangling link.
        assert!(write_if_changed(&link, b"keep me").is_err());
        let dangling = dir.path().join("dangling.ics");
        symlink(dir.path().join("nowhere"), &dangling).unwrap();
        assert!(write_if_changed(&dangling, b"x").is_err());
        assert!(!dir.path().join("nowhere").exists());
        assert!(read_target(&link).is_err());
        assert!(write_new(&dangling, b"x").is_err());
        assert_eq!(temp_files(dir.path()), Vec::<String>::new());
    }

    #[test]
    fn a_folder_or_fifo_target_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("reviews");
        fs::create_dir(&folder).unwrap();
        let error = write_if_changed(&folder, b"x").unwrap_err();
        assert!(refusal(&error).reason.contains("a folder"), "{error:#}");
        assert!(folder.is_dir());
        let fifo = dir.path().join("pipe.ics");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let error = write_if_changed(&fifo, b"x").unwrap_err();
            assert!(refusal(&error).reason.contains("FIFO"), "{error:#}");
        }
        assert_eq!(temp_files(dir.path()), Vec::<String>::new());
    }

    #[test]
    fn a_symlinked_folder_inside_the_root_is_refused() {
        let root = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        symlink(outside.path(), root.path().join("reviews")).unwrap();
        let error = write_in(root.path(), "reviews/2026-W48.md", b"page").unwrap_err();
        assert!(error.to_string().contains("`reviews`"), "{error:#}");
        assert!(names(outside.path()).is_empty());
        // A plain folder, existing or not, is fine.
        fs::create_dir(root.path().join("cal")).unwrap();
        write_in(root.path(), "cal/a.ics", b"x").unwrap();
        write_in(root.path(), "new/deeper/b.ics", b"y").unwrap();
        assert_eq!(
            fs::read(root.path().join("new/deeper/b.ics")).unwrap(),
            b"y"
        );
    }

    #[test]
    fn a_replaced_file_keeps_its_permissions() {
        let dir = tempfile::tempdir().unwrap();
        for bits in [0o600, 0o640, 0o755] {
            let path = dir.path().join(format!("file-{bits:o}.ics"));
            fs::write(&path, "old").unwrap();
            fs::set_permissions(&path, Permissions::from_mode(bits)).unwrap();
            assert_eq!(write_if_changed(&path, b"new").unwrap(), Written::Updated);
            assert_eq!(mode(&path), bits, "{}", path.display());
            assert_eq!(fs::read(&path).unwrap(), b"new");
        }
    }

    #[test]
    fn a_new_file_gets_the_default_permissions() {
        let Some(umask) = umask() else {
            eprintln!("skipped: the umask cannot be read here");
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.ics");
        write_if_changed(&path, b"x").unwrap();
        assert_eq!(mode(&path), 0o666 & !umask);
        let path = dir.path().join("new.md");
        write_new(&path, b"x").unwrap();
        assert_eq!(mode(&path), 0o666 & !umask);
    }

    #[test]
    fn a_long_target_name_works_and_temp_names_stay_short() {
        let dir = tempfile::tempdir().unwrap();
        let name = format!("{}.ics", "a".repeat(246));
        assert_eq!(name.len(), 250);
        let path = dir.path().join(&name);
        assert_eq!(write_if_changed(&path, b"one").unwrap(), Written::Created);
        let seen = std::cell::RefCell::new(String::new());
        let hook = |temp: &Path| {
            *seen.borrow_mut() = temp.file_name().unwrap().to_string_lossy().into_owned();
            Ok(())
        };
        write(&path, &name, b"two", Mode::Replace, &hook).unwrap();
        let temp_name = seen.into_inner();
        assert!(is_temp_name(&temp_name), "{temp_name}");
        assert_eq!(temp_name.len(), 27);
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(names(dir.path()), [name]);
    }

    #[test]
    fn no_temp_file_is_left_after_a_failed_rename() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.md");
        fs::write(&path, "old").unwrap();
        // A failure after the temporary file is written, as a full disk would give.
        let fail = |temp: &Path| {
            assert!(temp.exists());
            assert!(interrupts::paths().contains(&temp.to_path_buf()));
            Err(io::Error::other("disk full"))
        };
        let error = write(&path, "page.md", b"new", Mode::Replace, &fail).unwrap_err();
        assert!(format!("{error:#}").contains("disk full"), "{error:#}");
        assert_eq!(fs::read(&path).unwrap(), b"old");
        assert_eq!(names(dir.path()), ["page.md"]);
        // The target turns into a folder just before the rename: the rename fails.
        let swap = |_temp: &Path| {
            fs::remove_file(&path)?;
            fs::create_dir(&path)?;
            fs::write(path.join("inside"), "x")
        };
        assert!(write(&path, "page.md", b"new", Mode::Replace, &swap).is_err());
        assert!(path.is_dir());
        assert_eq!(names(dir.path()), ["page.md"]);
        assert!(interrupts::paths()
            .iter()
            .all(|p| !p.starts_with(dir.path())));
    }

    #[test]
    fn no_temp_file_is_left_in_a_read_only_folder() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("ro");
        fs::create_dir(&folder).unwrap();
        fs::write(folder.join("page.md"), "old").unwrap();
        fs::set_permissions(&folder, Permissions::from_mode(0o555)).unwrap();
        if File::create(folder.join("probe")).is_ok() {
            // Root (or a file system without permissions) writes anyway; the failed rename
            // above covers the error path.
            let _ = fs::remove_file(folder.join("probe"));
            fs::set_permissions(&folder, Permissions::from_mode(0o755)).unwrap();
            eprintln!("skipped: a read-only folder is writable here");
            return;
        }
        let result = write_if_changed(&folder.join("page.md"), b"new");
        let listed = names(&folder);
        fs::set_permissions(&folder, Permissions::from_mode(0o755)).unwrap();
        assert!(result.is_err());
        assert_eq!(listed, ["page.md"]);
        assert_eq!(fs::read(folder.join("page.md")).unwrap(), b"old");
    }

    #[test]
    fn write_new_refuses_an_existing_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.yaml");
        write_new(&path, b"mine").unwrap();
        let error = write_new(&path, b"theirs").unwrap_err();
        assert!(refusal(&error).reason.contains("already exists"));
        assert_eq!(fs::read(&path).unwrap(), b"mine");
        // Also when the file appears between the check and the rename.
        let late = dir.path().join("late.md");
        let appear = |_temp: &Path| fs::write(&late, "first");
        let error = write(&late, "late.md", b"second", Mode::CreateNew, &appear).unwrap_err();
        assert!(refusal(&error).reason.contains("already exists"));
        assert_eq!(fs::read(&late).unwrap(), b"first");
        assert_eq!(names(dir.path()), ["late.md", "vault.yaml"]);
    }

    #[test]
    fn only_stale_temp_files_are_cleaned_up() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(".vault-tmp-AAAAAAAAAAAA.tmp");
        let fresh = dir.path().join(".vault-tmp-BBBBBBBBBBBB.tmp");
        let other = dir.path().join(".vault-tmp-notes.txt");
        let old = SystemTime::now() - STALE_AFTER - Duration::from_secs(60);
        for path in [&stale, &fresh, &other] {
            fs::write(path, "partial").unwrap();
        }
        for path in [&stale, &other] {
            File::options()
                .write(true)
                .open(path)
                .unwrap()
                .set_modified(old)
                .unwrap();
        }
        // An unchanged write does not write, so it cleans nothing up either.
        let target = dir.path().join("reminders.ics");
        fs::write(&target, "same").unwrap();
        assert_eq!(
            write_if_changed(&target, b"same").unwrap(),
            Written::Unchanged
        );
        assert!(stale.exists());
        write_if_changed(&target, b"new").unwrap();
        assert!(!stale.exists(), "the old leftover is removed");
        assert!(fresh.exists(), "a fresh one may be another run's");
        assert!(other.exists(), "only the writer's own names");
        // Another folder's leftovers are not this write's business.
        let sub = dir.path().join("sub");
        fs::create_dir(&sub).unwrap();
        let elsewhere = sub.join(".vault-tmp-CCCCCCCCCCCC.tmp");
        fs::write(&elsewhere, "x").unwrap();
        File::options()
            .write(true)
            .open(&elsewhere)
            .unwrap()
            .set_modified(old)
            .unwrap();
        write_if_changed(&target, b"newer").unwrap();
        assert!(elsewhere.exists());
    }

    #[test]
    fn temp_names_are_recognised() {
        assert!(is_temp_name(".vault-tmp-a1B2c3D4e5F6.tmp"));
        assert!(!is_temp_name(".vault-tmp-.tmp"));
        assert!(!is_temp_name("vault-tmp-a1B2c3D4e5F6.tmp"));
        assert!(!is_temp_name(".vault-tmp-a1B2c3D4e5F6.ics"));
    }
}

//! The index's lasting copy, `.vault/index.bin`: read and written run by run, trusted only when
//! it is whole (a checksum per run and for the footer), written by this version of vault and
//! made under the same settings; written to a temporary file and renamed, so two runs at once
//! never leave a broken one.

use crate::config::Config;
use crate::discover::path_order;
use crate::store::{Entry, Store};
use crate::vault::Links;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::fs::File;
use std::io::Write as _;
use std::ops::Range;
use std::os::unix::fs::FileExt as _;
use std::path::{Path, PathBuf};
use tempfile::NamedTempFile;

/// The vault's own folder (hidden, so never indexed; it holds its own `.gitignore`, and
/// `vault init` lists it in the vault's).
pub const DIR: &str = ".vault";
const FILE: &str = "index.bin";
/// The first bytes of the file; the number changes whenever the layout of the file does.
const MAGIC: &[u8; 8] = b"VAULTIX4";
/// The last bytes of the file: the footer's length and CRC-32.
const TAIL: u64 = 12;
/// How the temporary files of a save begin (`.index-XXXXXX.tmp`, in `.vault/`).
const TEMP_PREFIX: &str = ".index-";
/// The notes are stored in this many separately encoded runs, decoded in parallel.
const CHUNKS: usize = 64;

/// What a cache must match to be used, worked out once a run: a save writes the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// The version of vault that wrote it.
    version: String,
    /// The size and modification time of the program that wrote it: a rebuilt or reinstalled
    /// `vault` (whose notes' layout in the cache may differ) starts afresh.
    build: (u64, i128),
    /// A fingerprint of the settings that shape parsing.
    settings: [u8; 32],
}

impl Header {
    pub fn current(config: &Config) -> Header {
        // Every setting, as `Debug` shows it (ordered maps, so the same settings give the same
        // text): a change to any of them parses every note again.
        let digest = Sha256::digest(format!("{config:?}").as_bytes());
        let build = std::env::current_exe()
            .and_then(std::fs::metadata)
            .map(|m| {
                let stamp = crate::store::Stamp::of(&m);
                (stamp.size, stamp.modified_ns)
            })
            .unwrap_or_default();
        Header {
            version: env!("CARGO_PKG_VERSION").to_string(),
            build,
            settings: digest.into(),
        }
    }
}

/// What became of the cache when loading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Read and trusted.
    Used,
    /// There was none.
    Missing,
    /// Written by another build of vault or under other settings: ignored.
    Stale,
    /// Truncated, corrupt or unreadable: ignored.
    Broken,
}

impl Status {
    pub fn describe(self) -> &'static str {
        match self {
            Status::Used => "cache used",
            Status::Missing => "no cache yet",
            Status::Stale => "cache from another version or other settings, ignored",
            Status::Broken => "cache unreadable or damaged, ignored",
        }
    }
}

/// The linking results the cache keeps, and the names of the other files they were worked
/// out with (a new attachment can mend a broken link).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KnownLinks {
    pub other_files: [u8; 32],
    pub links: Links,
}

/// A fingerprint (SHA-256) of the list of the vault's other files.
pub fn other_files_key(other_files: &[String]) -> [u8; 32] {
    let mut hash = Sha256::new();
    for name in other_files {
        hash.update(name.as_bytes());
        hash.update(b"\0");
    }
    hash.finalize().into()
}

/// What a run takes from the cache.
pub struct Cached {
    pub store: Store,
    pub links: Option<KnownLinks>,
    pub status: Status,
    /// The file as opened, and its runs of notes: a run whose notes are all as read is copied
    /// back from it. The open file stays the one read even if another run replaces the cache
    /// meanwhile (a save renames a new file over it; none is written in place).
    file: Option<(File, Vec<Run>)>,
}

/// A note's path and entry, as a save writes them.
type Lasting<'a> = (&'a String, &'a Entry);

/// One separately encoded run of notes in a cache file.
#[derive(Debug, Clone)]
struct Run {
    /// The path of its first note: the runs of the next save begin at the same notes.
    first: String,
    /// How many notes it holds.
    count: usize,
    /// Where its encoding is in the file, and its CRC-32.
    bytes: Range<u64>,
    crc: u32,
}

/// A run as the footer lists it: the runs follow each other from just after `MAGIC`.
#[derive(Debug, Serialize, Deserialize)]
struct RunInfo {
    len: u64,
    crc: u32,
}

/// How a save gets the bytes of one run.
#[derive(Debug)]
enum Piece<'a> {
    /// Copied from the file read (its notes are all as read from it); encoded from the notes if
    /// that file no longer gives the same bytes.
    Kept(&'a Run, &'a [Lasting<'a>]),
    /// Encoded from its notes.
    New(&'a [Lasting<'a>]),
}

impl Cached {
    /// Nothing cached.
    pub fn none(status: Status) -> Cached {
        Cached {
            store: Store::default(),
            links: None,
            status,
            file: None,
        }
    }

    /// How the notes of `store` are cut into runs for a save: each run of the file read with
    /// the notes that now fall in it, kept as it was when they are all unchanged (after one
    /// edit, all but one of [`CHUNKS`]); new notes join the run they sort into, and a run that
    /// changed is cut again to an even share, so that runs stay even for decoding.
    fn plan<'a>(&'a self, lasting: &'a [Lasting<'a>]) -> Vec<Piece<'a>> {
        let runs = self.file.as_ref().map_or(&[][..], |(_, runs)| &runs[..]);
        let target = lasting.len().div_ceil(CHUNKS).max(1);
        let mut pieces = Vec::new();
        let mut rest = lasting;
        let mut cut = |old: Option<&'a Run>, notes: &'a [Lasting<'a>]| match old {
            Some(old) if old.count == notes.len() && notes.iter().all(|(_, e)| e.from_cache) => {
                pieces.push(Piece::Kept(old, notes))
            }
            _ => pieces.extend(notes.chunks(target).map(Piece::New)),
        };
        for (i, run) in runs.iter().enumerate() {
            // This run's notes: up to the next run's first one (new notes before the first run
            // join it).
            let next = runs.get(i + 1).map(|next| next.first.as_str());
            let count = rest
                .iter()
                .take_while(|(rel, _)| next.is_none_or(|next| path_order(rel, next).is_lt()))
                .count();
            let (here, after) = rest.split_at(count);
            cut(Some(run), here);
            rest = after;
        }
        if !rest.is_empty() {
            cut(None, rest);
        }
        pieces
    }

    /// Begins saving `store` for the next run: writes its notes, run by run, to a temporary
    /// file in `.vault/` (at most one run per thread held encoded at a time); [`Saving::finish`]
    /// adds the links and puts the file in place. Fails in a read-only vault.
    pub fn start_save(&self, root: &Path, store: &Store, header: Header) -> anyhow::Result<Saving> {
        let mut temp = temp_file(root)?;
        let lasting: Vec<Lasting> = store.lasting().collect();
        let pieces = self.plan(&lasting);
        let mut runs = Vec::with_capacity(pieces.len());
        temp.write_all(MAGIC)?;
        for batch in pieces.chunks(rayon::current_num_threads().max(1)) {
            let encoded: Vec<Cow<[u8]>> = batch
                .par_iter()
                .map(|piece| self.bytes_of(piece))
                .collect::<Result<_, _>>()?;
            for bytes in encoded {
                temp.write_all(&bytes)?;
                runs.push(RunInfo {
                    len: bytes.len() as u64,
                    crc: crc32fast::hash(&bytes),
                });
            }
        }
        Ok(Saving {
            temp,
            runs,
            header,
            target: folder(root).join(FILE),
        })
    }

    fn bytes_of(&self, piece: &Piece) -> Result<Cow<'_, [u8]>, postcard::Error> {
        let notes = match *piece {
            Piece::New(notes) => notes,
            Piece::Kept(run, notes) => {
                let (file, _) = self.file.as_ref().expect("a kept run comes from a file");
                match read_at(file, run.bytes.clone()) {
                    Ok(bytes) if crc32fast::hash(&bytes) == run.crc => return Ok(bytes.into()),
                    _ => notes,
                }
            }
        };
        postcard::to_stdvec(notes).map(Cow::Owned)
    }
}

/// A save under way: the notes written, the links and the footer still to come.
pub struct Saving {
    temp: NamedTempFile,
    runs: Vec<RunInfo>,
    header: Header,
    /// Where the file goes once whole.
    target: PathBuf,
}

impl Saving {
    /// Writes the footer (the header, the runs, the `links`) and its length and CRC-32, then
    /// renames the file over the cache.
    pub fn finish(mut self, links: &KnownLinks) -> anyhow::Result<()> {
        let footer = postcard::to_stdvec(&(&self.header, &self.runs, links))?;
        self.temp.write_all(&footer)?;
        self.temp.write_all(&(footer.len() as u64).to_le_bytes())?;
        self.temp
            .write_all(&crc32fast::hash(&footer).to_le_bytes())?;
        self.temp.persist(&self.target)?;
        Ok(())
    }
}

fn folder(root: &Path) -> PathBuf {
    root.join(DIR)
}

/// True when `.vault` is a real folder (or absent): a link there is never followed.
fn folder_is_safe(root: &Path) -> bool {
    match std::fs::symlink_metadata(folder(root)) {
        Ok(metadata) => metadata.is_dir(),
        Err(_) => true,
    }
}

/// A new temporary file in `.vault/` (made, with its `.gitignore`, when missing), after removing
/// those a killed run left.
fn temp_file(root: &Path) -> anyhow::Result<NamedTempFile> {
    if !folder_is_safe(root) {
        anyhow::bail!("`{DIR}` is not a folder");
    }
    let dir = folder(root);
    match std::fs::create_dir(&dir) {
        // Ignored by git wherever the vault is, made by `vault init` or not.
        Ok(()) => std::fs::write(dir.join(".gitignore"), "# vault's index cache\n*\n")?,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e.into()),
    }
    crate::write::remove_stale(&dir, |name| {
        name.starts_with(TEMP_PREFIX) && name.ends_with(".tmp")
    });
    Ok(tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(".tmp")
        .tempfile_in(&dir)?)
}

/// The stored index, if there is one this run may trust (written under `header`); an empty
/// store otherwise.
pub fn load(root: &Path, header: &Header) -> Cached {
    if !folder_is_safe(root) {
        return Cached::none(Status::Broken);
    }
    let file = match File::open(folder(root).join(FILE)) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Cached::none(Status::Missing),
        Err(_) => return Cached::none(Status::Broken),
    };
    match read(&file, header) {
        Ok((mut cached, runs)) => {
            cached.file = Some((file, runs));
            cached
        }
        Err(status) => Cached::none(status),
    }
}

/// The file: `MAGIC`, the runs of notes (each a postcard list of path and entry), then the
/// footer (postcard: the header, each run's length and CRC-32, the links), then the footer's
/// length (8 bytes) and CRC-32 (4 bytes), little-endian. The footer is read first; then each
/// run, in parallel, is read, checked and decoded on its own, so no more than a run per thread
/// is held as bytes. Gives the cache and where each run of notes is in the file.
fn read(file: &File, wanted: &Header) -> Result<(Cached, Vec<Run>), Status> {
    let len = file.metadata().map_err(|_| Status::Broken)?.len();
    let start = MAGIC.len() as u64;
    let tail_start = len
        .checked_sub(TAIL)
        .filter(|&at| at >= start)
        .ok_or(Status::Broken)?;
    if read_at(file, 0..start)? != MAGIC {
        return Err(Status::Broken);
    }
    let tail = read_at(file, tail_start..len)?;
    let (footer_len, footer_crc) = tail.split_at(8);
    let footer_len = u64::from_le_bytes(footer_len.try_into().map_err(|_| Status::Broken)?);
    let footer_start = tail_start
        .checked_sub(footer_len)
        .filter(|&at| at >= start)
        .ok_or(Status::Broken)?;
    let footer = read_at(file, footer_start..tail_start)?;
    if crc32fast::hash(&footer).to_le_bytes() != footer_crc {
        return Err(Status::Broken);
    }
    let (header, rest) =
        postcard::take_from_bytes::<Header>(&footer).map_err(|_| Status::Broken)?;
    if header != *wanted {
        return Err(Status::Stale);
    }
    let (infos, rest) =
        postcard::take_from_bytes::<Vec<RunInfo>>(rest).map_err(|_| Status::Broken)?;
    let links: KnownLinks = postcard::from_bytes(rest).map_err(|_| Status::Broken)?;
    // The links' bytes are not held while the runs are decoded.
    drop(footer);
    let mut at = start;
    let ranges: Vec<Range<u64>> = infos
        .iter()
        .map(|info| {
            let range = at..at.saturating_add(info.len);
            at = range.end;
            range
        })
        .collect();
    if at != footer_start {
        return Err(Status::Broken);
    }
    let decoded: Vec<Vec<(String, Entry)>> = infos
        .par_iter()
        .zip(&ranges)
        .map(|(info, range)| {
            let bytes = read_at(file, range.clone())?;
            if crc32fast::hash(&bytes) != info.crc {
                return Err(Status::Broken);
            }
            postcard::from_bytes(&bytes).map_err(|_| Status::Broken)
        })
        .collect::<Result<_, _>>()?;
    let runs = decoded
        .iter()
        .zip(infos.iter().zip(ranges))
        .filter_map(|(entries, (info, bytes))| {
            Some(Run {
                first: entries.first()?.0.clone(),
                count: entries.len(),
                bytes,
                crc: info.crc,
            })
        })
        .collect();
    // Gathered into one list made at its full size (a flattening grows it by doubling).
    let mut entries = Vec::with_capacity(decoded.iter().map(Vec::len).sum());
    for run in decoded {
        entries.extend(run);
    }
    let cached = Cached {
        store: Store::from_entries(entries),
        links: Some(links),
        status: Status::Used,
        file: None,
    };
    Ok((cached, runs))
}

/// The bytes of `file` in `range`; a file shorter than that is broken.
fn read_at(file: &File, range: Range<u64>) -> Result<Vec<u8>, Status> {
    let len = usize::try_from(range.end - range.start).map_err(|_| Status::Broken)?;
    let mut bytes = vec![0; len];
    file.read_exact_at(&mut bytes, range.start)
        .map_err(|_| Status::Broken)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::NoteFile;
    use crate::note::Role;
    use crate::progress::Progress;

    fn store_of(dir: &Path) -> Store {
        let note = dir.join("a.md");
        std::fs::write(
            &note,
            "---\nname: Ana\n---\n# Ana\n\n- [ ] 2026-01-02 call [[Bo]]\n",
        )
        .unwrap();
        let files = [NoteFile {
            path: note,
            rel: "a.md".into(),
            role: Role::Partner,
        }];
        let mut store = Store::default();
        store.refresh(&files, None, &Config::default(), &Progress::hidden());
        store
    }

    /// `count` notes, [`settled`].
    fn settled_store(dir: &Path, count: usize) -> Store {
        let files: Vec<NoteFile> = (0..count)
            .map(|i| {
                let rel = format!("n{i:04}.md");
                std::fs::write(dir.join(&rel), format!("---\nname: P{i}\n---\n")).unwrap();
                NoteFile {
                    path: dir.join(&rel),
                    rel,
                    role: Role::Partner,
                }
            })
            .collect();
        let mut store = Store::default();
        store.refresh(&files, None, &Config::default(), &Progress::hidden());
        settled(store)
    }

    /// `store` as if its notes had settled (fresh files are never stored) and it had come
    /// back from the cache.
    fn settled(store: Store) -> Store {
        Store::from_entries(store.into_entries().map(|(rel, mut e)| {
            e.stamp = Some(crate::store::Stamp {
                size: 1,
                modified_ns: 2,
                changed_ns: 3,
                inode: 4,
            });
            e.from_cache = true;
            (rel, e)
        }))
    }

    /// Saves `store` as `cached` (the cache it was loaded with) would.
    fn save_all(dir: &Path, cached: &Cached, store: &Store) {
        let header = Header::current(&Config::default());
        let saving = cached.start_save(dir, store, header).unwrap();
        saving.finish(&links()).unwrap();
    }

    /// How many runs a save of `store` would copy from the file `cached` was read from, and
    /// how many runs it would write.
    fn kept_of_all(cached: &Cached, store: &Store) -> (usize, usize) {
        let lasting: Vec<Lasting> = store.lasting().collect();
        let plan = cached.plan(&lasting);
        let kept = plan.iter().filter(|p| matches!(p, Piece::Kept(..))).count();
        (kept, plan.len())
    }

    /// `store` with every entry marked as from the cache, as [`Debug`] shows it.
    fn all_cached(store: Store) -> String {
        let entries = store.into_entries().map(|(rel, mut e)| {
            e.from_cache = true;
            (rel, e)
        });
        format!("{:?}", Store::from_entries(entries))
    }

    #[test]
    fn after_one_note_changed_only_its_run_is_encoded_again() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::default();
        let store = settled_store(dir.path(), 10 * CHUNKS);
        let none = Cached::none(Status::Missing);
        assert_eq!(kept_of_all(&none, &store), (0, CHUNKS));
        save_all(dir.path(), &none, &store);
        // One note read again, with new content.
        let mut loaded = load(dir.path(), &Header::current(&config));
        let mut entries: Vec<(String, Entry)> =
            std::mem::take(&mut loaded.store).into_entries().collect();
        let changed = &mut entries[5 * CHUNKS + 5].1;
        changed.from_cache = false;
        changed
            .parsed
            .diagnostics
            .push(crate::diagnostic::Diagnostic::warning("x", "y"));
        let store = Store::from_entries(entries);
        assert_eq!(kept_of_all(&loaded, &store), (CHUNKS - 1, CHUNKS));
        save_all(dir.path(), &loaded, &store);
        let back = load(dir.path(), &Header::current(&config));
        assert_eq!(back.status, Status::Used);
        assert_eq!(all_cached(back.store), all_cached(store));
        // Notes added after the last run join it (now 50 notes), which is split again into
        // runs of an even share, the other runs kept.
        let grown = settled_store(dir.path(), 10 * CHUNKS + 40);
        let loaded = load(dir.path(), &Header::current(&config));
        let share = (10 * CHUNKS + 40).div_ceil(CHUNKS);
        let split = 50usize.div_ceil(share);
        assert!(split > 1);
        assert_eq!(
            kept_of_all(&loaded, &grown),
            (CHUNKS - 1, CHUNKS - 1 + split)
        );
    }

    #[test]
    fn a_kept_run_the_file_no_longer_holds_is_encoded_again() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::default();
        let store = settled_store(dir.path(), 40);
        save_all(dir.path(), &Cached::none(Status::Missing), &store);
        let mut loaded = load(dir.path(), &Header::current(&config));
        let store = std::mem::take(&mut loaded.store);
        let (kept, all) = kept_of_all(&loaded, &store);
        assert_eq!(kept, all);
        // Cut short in place behind the open file's back (vault never does; a user might).
        let path = dir.path().join(DIR).join(FILE);
        let len = std::fs::metadata(&path).unwrap().len();
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_len(len / 2).unwrap();
        save_all(dir.path(), &loaded, &store);
        let back = load(dir.path(), &Header::current(&config));
        assert_eq!(back.status, Status::Used);
        assert_eq!(all_cached(back.store), all_cached(store));
    }

    fn links() -> KnownLinks {
        KnownLinks {
            other_files: other_files_key(&["img/a.png".to_string()]),
            links: Links {
                mentions: vec![Vec::new()],
                tasks: Vec::new(),
                diagnostics: vec![
                    crate::diagnostic::Diagnostic::warning("broken-link", "x").at("a.md", 6, 3, 6)
                ],
            },
        }
    }

    #[test]
    fn what_is_saved_reads_back_and_any_damage_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = settled(store_of(dir.path()));
        let config = Config::default();
        save_all(dir.path(), &Cached::none(Status::Missing), &store);
        let path = dir.path().join(DIR).join(FILE);
        let bytes = std::fs::read(&path).unwrap();
        let back = load(dir.path(), &Header::current(&config));
        assert_eq!(back.status, Status::Used);
        assert_eq!(format!("{:?}", back.store), format!("{:?}", store));
        assert_eq!(format!("{:?}", back.links), format!("{:?}", Some(links())));
        // Written back as loaded, the file is the same.
        let mut loaded = load(dir.path(), &Header::current(&config));
        let store = std::mem::take(&mut loaded.store);
        let (kept, all) = kept_of_all(&loaded, &store);
        assert_eq!(kept, all);
        save_all(dir.path(), &loaded, &store);
        assert_eq!(std::fs::read(&path).unwrap(), bytes);
        let status = |bytes: &[u8]| {
            std::fs::write(&path, bytes).unwrap();
            load(dir.path(), &Header::current(&config)).status
        };
        for cut in [0, 5, 12, bytes.len() / 2, bytes.len() - 13, bytes.len() - 1] {
            assert_eq!(status(&bytes[..cut]), Status::Broken, "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.insert(bytes.len() / 2, b'x');
        assert_eq!(status(&longer), Status::Broken, "a byte added");
        // In the magic, a run, the footer, its length and its checksum.
        for flip in [
            3,
            10,
            bytes.len() / 2,
            bytes.len() - 20,
            bytes.len() - 9,
            bytes.len() - 1,
        ] {
            let mut damaged = bytes.clone();
            damaged[flip] ^= 0x40;
            assert_eq!(status(&damaged), Status::Broken, "flip at {flip}");
        }
        let other = Config {
            log_heading: "Journal".into(),
            ..Config::default()
        };
        assert_eq!(status(&bytes), Status::Used);
        assert_eq!(
            load(dir.path(), &Header::current(&other)).status,
            Status::Stale
        );
        assert!(dir.path().join(DIR).join(".gitignore").is_file());
        // A temporary file a killed run left is removed by a later save once it is old.
        let left = dir.path().join(DIR).join(".index-abc123.tmp");
        std::fs::write(&left, "half").unwrap();
        let young = dir.path().join(DIR).join(".index-def456.tmp");
        std::fs::write(&young, "half").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&left)
            .unwrap()
            .set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(3600))
            .unwrap();
        save_all(dir.path(), &Cached::none(Status::Missing), &store);
        assert!(!left.exists() && young.exists());
    }

    #[test]
    fn a_cache_folder_that_is_a_link_is_neither_read_nor_written() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), dir.path().join(DIR)).unwrap();
        let store = store_of(dir.path());
        assert!(Cached::none(Status::Missing)
            .start_save(dir.path(), &store, Header::current(&Config::default()))
            .is_err());
        assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
        let header = Header::current(&Config::default());
        assert_eq!(load(dir.path(), &header).status, Status::Broken);
    }
}

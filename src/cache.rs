//! The index's lasting copy, `.vault/index.bin`: read in one go, and trusted only when it is
//! whole (checksum), written by this version of vault and made under the same settings; written
//! to a temporary file and renamed, so two runs at once never leave a broken one.

use crate::config::Config;
use crate::discover::path_order;
use crate::store::{Entry, Store};
use crate::vault::Links;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The vault's own folder (hidden, so never indexed; it holds its own `.gitignore`, and
/// `vault init` lists it in the vault's).
pub const DIR: &str = ".vault";
const FILE: &str = "index.bin";
/// The first bytes of the file; the number changes whenever the layout of the file does.
const MAGIC: &[u8; 8] = b"VAULTIX3";
/// How the temporary files of a save begin (`.index-XXXXXX.tmp`, in `.vault/`).
const TEMP_PREFIX: &str = ".index-";
/// The notes are stored in this many separately encoded runs, decoded in parallel.
const CHUNKS: usize = 16;

/// What a cache must match to be used.
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Header {
    /// The version of vault that wrote it.
    version: String,
    /// The size and modification time of the program that wrote it: a rebuilt or reinstalled
    /// `vault` (whose notes' layout in the cache may differ) starts afresh.
    build: (u64, i128),
    /// A fingerprint of the settings that shape parsing.
    settings: [u8; 32],
}

impl Header {
    fn current(config: &Config) -> Header {
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
    /// The file as read, and its runs of notes: a run whose notes are all as read is written
    /// back as it was.
    file: Option<(Vec<u8>, Vec<Run>)>,
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
    /// Where its encoding is in the file.
    bytes: std::ops::Range<usize>,
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

    /// The notes' part of the cache file for `store`, in runs: a run of the file as read whose
    /// notes are all unchanged is written back as it was, the others are encoded anew (after
    /// one edit, one run of [`CHUNKS`]).
    pub fn take_entries(&mut self, store: &Store) -> Result<Encoded, String> {
        let lasting: Vec<Lasting> = store.lasting().collect();
        let (file, runs) = self.file.take().unwrap_or_default();
        let target = lasting.len().div_ceil(CHUNKS).max(1);
        // Each run of the file read with the notes that now fall in it.
        let mut pieces: Vec<(Option<&Run>, &[Lasting])> = Vec::new();
        let mut rest = &lasting[..];
        for (i, run) in runs.iter().enumerate() {
            // This run's notes: up to the next run's first one (new notes before the first run
            // join it).
            let next = runs.get(i + 1).map(|next| next.first.as_str());
            let count = rest
                .iter()
                .take_while(|(rel, _)| next.is_none_or(|next| path_order(rel, next).is_lt()))
                .count();
            let (here, after) = rest.split_at(count);
            pieces.push((Some(run), here));
            rest = after;
        }
        if !rest.is_empty() {
            pieces.push((None, rest));
        }
        let runs: Vec<Vec<RunBytes>> = pieces
            .par_iter()
            .map(|&(old, notes)| {
                let unchanged = old.is_some_and(|old| {
                    old.count == notes.len() && notes.iter().all(|(_, e)| e.from_cache)
                });
                match old {
                    Some(old) if unchanged => Ok(vec![RunBytes::Kept(old.bytes.clone())]),
                    // A run that grew is split again, so that runs stay even for decoding.
                    _ => notes
                        .chunks(target)
                        .map(|run| postcard::to_stdvec(run).map(RunBytes::New))
                        .collect(),
                }
            })
            .collect::<Result<_, postcard::Error>>()
            .map_err(|e| e.to_string())?;
        let runs = runs.into_iter().flatten().collect();
        Ok(Encoded { file, runs })
    }
}

/// The notes' part of a cache file, ready to write: postcard's form of a list of byte strings.
pub struct Encoded {
    /// The file as read, which kept runs are taken from.
    file: Vec<u8>,
    runs: Vec<RunBytes>,
}

enum RunBytes {
    /// A run as it is in the file read.
    Kept(std::ops::Range<usize>),
    /// A run encoded now.
    New(Vec<u8>),
}

impl Encoded {
    /// The bytes to write, in order: the number of runs, then each run's length and bytes (the
    /// runs are written from where they are, never copied into one).
    fn parts(&self) -> Vec<Cow<'_, [u8]>> {
        let varint = |n: usize| Cow::Owned(postcard::to_stdvec(&n).unwrap_or_default());
        std::iter::once(varint(self.runs.len()))
            .chain(self.runs.iter().flat_map(|run| {
                let bytes: &[u8] = match run {
                    RunBytes::Kept(range) => &self.file[range.clone()],
                    RunBytes::New(bytes) => bytes,
                };
                [varint(bytes.len()), Cow::Borrowed(bytes)]
            }))
            .collect()
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

/// The stored index, if there is one this run may trust; an empty store otherwise.
pub fn load(root: &Path, config: &Config) -> Cached {
    if !folder_is_safe(root) {
        return Cached::none(Status::Broken);
    }
    let bytes = match std::fs::read(folder(root).join(FILE)) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Cached::none(Status::Missing),
        Err(_) => return Cached::none(Status::Broken),
    };
    match decode(&bytes, &Header::current(config)) {
        Ok((mut cached, runs)) => {
            cached.file = Some((bytes, runs));
            cached
        }
        Err(status) => Cached::none(status),
    }
}

/// The file: `MAGIC`, then the header, the notes (a list of separately encoded runs), the
/// links, all postcard, then the CRC-32 of everything after `MAGIC`.
/// Gives the cache and where each run of notes is in `bytes`.
fn decode(bytes: &[u8], wanted: &Header) -> Result<(Cached, Vec<Run>), Status> {
    let rest = bytes.strip_prefix(MAGIC.as_slice()).ok_or(Status::Broken)?;
    let (body, sum) = rest.split_last_chunk::<4>().ok_or(Status::Broken)?;
    if u32::from_le_bytes(*sum) != crc32fast::hash(body) {
        return Err(Status::Broken);
    }
    let (header, after_header) =
        postcard::take_from_bytes::<Header>(body).map_err(|_| Status::Broken)?;
    if header != *wanted {
        return Err(Status::Stale);
    }
    // Where a suffix of the body starts in `bytes`.
    let at = |suffix: &[u8]| bytes.len() - 4 - suffix.len();
    let (count, mut remaining) =
        postcard::take_from_bytes::<usize>(after_header).map_err(|_| Status::Broken)?;
    let mut chunks: Vec<(&[u8], std::ops::Range<usize>)> = Vec::new();
    for _ in 0..count {
        let (chunk, after) =
            postcard::take_from_bytes::<&[u8]>(remaining).map_err(|_| Status::Broken)?;
        chunks.push((chunk, at(after) - chunk.len()..at(after)));
        remaining = after;
    }
    let links: Option<KnownLinks> = postcard::from_bytes(remaining).map_err(|_| Status::Broken)?;
    let decoded: Vec<Vec<(String, Entry)>> = chunks
        .par_iter()
        .map(|(chunk, _)| postcard::from_bytes(chunk))
        .collect::<Result<_, _>>()
        .map_err(|_| Status::Broken)?;
    let runs = decoded
        .iter()
        .zip(&chunks)
        .filter_map(|(entries, (_, range))| {
            Some(Run {
                first: entries.first()?.0.clone(),
                count: entries.len(),
                bytes: range.clone(),
            })
        })
        .collect();
    let cached = Cached {
        store: Store::from_entries(decoded.into_iter().flatten()),
        links,
        status: Status::Used,
        file: None,
    };
    Ok((cached, runs))
}

/// Stores the index for the next run: into a temporary file beside the cache, then renamed
/// over it. Fails (and the caller carries on without a cache) in a read-only vault.
pub fn save(
    root: &Path,
    config: &Config,
    entries: &Encoded,
    links: &KnownLinks,
) -> anyhow::Result<()> {
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
    // Temporary files a killed run left.
    crate::write::remove_stale(&dir, |name| {
        name.starts_with(TEMP_PREFIX) && name.ends_with(".tmp")
    });
    let header = postcard::to_stdvec(&Header::current(config))?;
    let links = postcard::to_stdvec(&Some(links))?;
    let entries = entries.parts();
    let body = std::iter::once(&header[..])
        .chain(entries.iter().map(|part| &part[..]))
        .chain([&links[..]]);
    let mut sum = crc32fast::Hasher::new();
    let mut temp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(".tmp")
        .tempfile_in(&dir)?;
    let mut file = std::io::BufWriter::new(temp.as_file_mut());
    file.write_all(MAGIC)?;
    for part in body {
        sum.update(part);
        file.write_all(part)?;
    }
    file.write_all(&sum.finalize().to_le_bytes())?;
    file.into_inner().map_err(|e| e.into_error())?;
    temp.persist(dir.join(FILE))?;
    Ok(())
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
                let rel = format!("n{i:03}.md");
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

    #[test]
    fn after_one_note_changed_only_its_run_is_encoded_again() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::default();
        let store = settled_store(dir.path(), 160);
        let first = Cached::none(Status::Missing).take_entries(&store).unwrap();
        assert_eq!(first.runs.len(), CHUNKS);
        save(dir.path(), &config, &first, &links()).unwrap();
        // One note read again, with new content.
        let mut loaded = load(dir.path(), &config);
        let mut entries: Vec<(String, Entry)> =
            std::mem::take(&mut loaded.store).into_entries().collect();
        let changed = &mut entries[75].1;
        changed.from_cache = false;
        changed
            .parsed
            .diagnostics
            .push(crate::diagnostic::Diagnostic::warning("x", "y"));
        let store = Store::from_entries(entries);
        let again = loaded.take_entries(&store).unwrap();
        let new = again
            .runs
            .iter()
            .filter(|run| matches!(run, RunBytes::New(_)))
            .count();
        assert_eq!((again.runs.len(), new), (CHUNKS, 1));
        save(dir.path(), &config, &again, &links()).unwrap();
        let back = load(dir.path(), &config);
        assert_eq!(back.status, Status::Used);
        let all_cached = |store: Store| {
            let entries = store.into_entries().map(|(rel, mut e)| {
                e.from_cache = true;
                (rel, e)
            });
            format!("{:?}", Store::from_entries(entries))
        };
        assert_eq!(all_cached(back.store), all_cached(store));
        // Notes added after the last run join it, which is split again (200 notes: runs of
        // 13), the other runs kept.
        let grown = settled_store(dir.path(), 200);
        let mut loaded = load(dir.path(), &config);
        let runs = loaded.take_entries(&grown).unwrap().runs;
        let kept = runs
            .iter()
            .filter(|r| matches!(r, RunBytes::Kept(_)))
            .count();
        assert_eq!((kept, runs.len()), (CHUNKS - 1, CHUNKS - 1 + 4));
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
        let entries = Cached::none(Status::Missing).take_entries(&store).unwrap();
        save(dir.path(), &config, &entries, &links()).unwrap();
        let bytes = std::fs::read(dir.path().join(DIR).join(FILE)).unwrap();
        let header = Header::current(&config);
        let (back, _) = decode(&bytes, &header).unwrap();
        assert_eq!(format!("{:?}", back.store), format!("{:?}", store));
        assert_eq!(format!("{:?}", back.links), format!("{:?}", Some(links())));
        // Written back as loaded, the file is the same.
        let mut loaded = load(dir.path(), &config);
        let store = std::mem::take(&mut loaded.store);
        let again = loaded.take_entries(&store).unwrap();
        assert!(again
            .runs
            .iter()
            .all(|run| matches!(run, RunBytes::Kept(_))));
        save(dir.path(), &config, &again, &links()).unwrap();
        assert_eq!(
            std::fs::read(dir.path().join(DIR).join(FILE)).unwrap(),
            bytes
        );
        let status = |bytes: &[u8]| decode(bytes, &header).err();
        for cut in [0, 5, 12, bytes.len() / 2, bytes.len() - 1] {
            assert_eq!(status(&bytes[..cut]), Some(Status::Broken), "cut at {cut}");
        }
        for flip in [3, 10, bytes.len() / 2, bytes.len() - 1] {
            let mut damaged = bytes.clone();
            damaged[flip] ^= 0x40;
            assert_eq!(status(&damaged), Some(Status::Broken), "flip at {flip}");
        }
        let other = Header {
            version: "0.0.0".into(),
            ..Header::current(&config)
        };
        assert_eq!(decode(&bytes, &other).err(), Some(Status::Stale));
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
        save(dir.path(), &config, &entries, &links()).unwrap();
        assert!(!left.exists() && young.exists());
    }

    #[test]
    fn a_cache_folder_that_is_a_link_is_neither_read_nor_written() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), dir.path().join(DIR)).unwrap();
        let entries = Cached::none(Status::Missing)
            .take_entries(&store_of(dir.path()))
            .unwrap();
        assert!(save(dir.path(), &Config::default(), &entries, &links()).is_err());
        assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
        assert_eq!(load(dir.path(), &Config::default()).status, Status::Broken);
    }
}

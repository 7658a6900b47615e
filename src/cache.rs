//! The index's lasting copy, `.vault/index.bin`: read in one go, and trusted only when it is
//! whole (checksum), written by this version of vault and made under the same settings; written
//! to a temporary file and renamed, so two runs at once never leave a broken one.

use crate::config::Config;
use crate::store::{Entry, Store};
use crate::vault::Links;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
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
    /// The file as read, and where in it the notes are: written back unchanged when only the
    /// links need saving again.
    file: Option<(Vec<u8>, std::ops::Range<usize>)>,
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

    /// The notes' part of the cache file for `store`: as loaded, when nothing changed since;
    /// encoded anew otherwise.
    pub fn take_entries(&mut self, store: &Store, changed: bool) -> Result<Encoded, String> {
        match self.file.take() {
            Some((bytes, entries)) if !changed => Ok(Encoded::Loaded(bytes, entries)),
            _ => encode_entries(store)
                .map(Encoded::Chunks)
                .map_err(|e| e.to_string()),
        }
    }
}

/// The notes' part of a cache file, ready to write: postcard's form of a list of byte strings.
pub enum Encoded {
    /// A whole file as read, and the range of it that holds the notes.
    Loaded(Vec<u8>, std::ops::Range<usize>),
    /// Runs of notes, each encoded on its own.
    Chunks(Vec<Vec<u8>>),
}

impl Encoded {
    /// The bytes to write, in order (the runs are written as they are, never copied into one).
    fn parts(&self) -> Vec<std::borrow::Cow<'_, [u8]>> {
        use std::borrow::Cow;
        let varint = |n: usize| Cow::Owned(postcard::to_stdvec(&n).unwrap_or_default());
        match self {
            Encoded::Loaded(bytes, range) => vec![Cow::Borrowed(&bytes[range.clone()])],
            Encoded::Chunks(chunks) => std::iter::once(varint(chunks.len()))
                .chain(
                    chunks
                        .iter()
                        .flat_map(|c| [varint(c.len()), Cow::Borrowed(c.as_slice())]),
                )
                .collect(),
        }
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
        Ok((mut cached, entries)) => {
            cached.file = Some((bytes, entries));
            cached
        }
        Err(status) => Cached::none(status),
    }
}

/// The file: `MAGIC`, then the header, the notes (a list of separately encoded runs), the
/// links, all postcard, then the CRC-32 of everything after `MAGIC`.
/// Gives the cache and the range of `bytes` that holds the notes.
fn decode(bytes: &[u8], wanted: &Header) -> Result<(Cached, std::ops::Range<usize>), Status> {
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
    let (chunks, after_entries) =
        postcard::take_from_bytes::<Vec<&[u8]>>(after_header).map_err(|_| Status::Broken)?;
    let entries = bytes.len() - 4 - after_header.len()..bytes.len() - 4 - after_entries.len();
    let links: Option<KnownLinks> =
        postcard::from_bytes(after_entries).map_err(|_| Status::Broken)?;
    let decoded: Vec<Vec<(String, Entry)>> = chunks
        .par_iter()
        .map(|chunk| postcard::from_bytes(chunk))
        .collect::<Result<_, _>>()
        .map_err(|_| Status::Broken)?;
    let cached = Cached {
        store: Store::from_entries(decoded.into_iter().flatten()),
        links,
        status: Status::Used,
        file: None,
    };
    Ok((cached, entries))
}

/// The lasting entries in [`CHUNKS`] runs, encoded in parallel.
fn encode_entries(store: &Store) -> Result<Vec<Vec<u8>>, postcard::Error> {
    let entries: Vec<(&String, &Entry)> = store.lasting().collect();
    let per_chunk = entries.len().div_ceil(CHUNKS).max(1);
    entries
        .par_chunks(per_chunk)
        .map(postcard::to_stdvec)
        .collect()
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
        let store = Store::from_entries(store_of(dir.path()).into_entries().map(|(rel, mut e)| {
            // Fresh files are never stored; pretend this one settled.
            e.stamp = Some(crate::store::Stamp {
                size: 1,
                modified_ns: 2,
                changed_ns: 3,
                inode: 4,
            });
            (rel, e)
        }));
        let config = Config::default();
        let entries = Encoded::Chunks(encode_entries(&store).unwrap());
        save(dir.path(), &config, &entries, &links()).unwrap();
        let bytes = std::fs::read(dir.path().join(DIR).join(FILE)).unwrap();
        let header = Header::current(&config);
        let (back, range) = decode(&bytes, &header).unwrap();
        assert_eq!(format!("{:?}", back.store), format!("{:?}", store));
        assert_eq!(format!("{:?}", back.links), format!("{:?}", Some(links())));
        let written: Vec<u8> = entries.parts().concat();
        assert_eq!(&bytes[range.clone()], &written[..]);
        // Written back as loaded, the file is the same.
        save(
            dir.path(),
            &config,
            &Encoded::Loaded(bytes.clone(), range),
            &links(),
        )
        .unwrap();
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
        let entries = Encoded::Chunks(encode_entries(&store_of(dir.path())).unwrap());
        assert!(save(dir.path(), &Config::default(), &entries, &links()).is_err());
        assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
        assert_eq!(load(dir.path(), &Config::default()).status, Status::Broken);
    }
}

//! The index's lasting copy, `.vault/index.bin`: read in one go, and trusted only when it is
//! whole (checksum), written by this version of vault and made under the same settings; written
//! to a temporary file and renamed, so two runs at once never leave a broken one.

use crate::config::Config;
use crate::store::{Entry, Store};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The vault's own folder (hidden, so never indexed; `vault init` lists it in `.gitignore`).
pub const DIR: &str = ".vault";
const FILE: &str = "index.bin";
/// The first bytes of the file; the number changes whenever the layout of the file does.
const MAGIC: &[u8; 8] = b"VAULTIX1";
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
pub enum Loaded {
    /// Read and trusted.
    Used,
    /// There was none.
    Missing,
    /// Written by another version of vault or under other settings: ignored.
    Stale,
    /// Truncated, corrupt or unreadable: ignored.
    Broken,
}

impl Loaded {
    pub fn describe(self) -> &'static str {
        match self {
            Loaded::Used => "cache used",
            Loaded::Missing => "no cache yet",
            Loaded::Stale => "cache from another version or other settings, ignored",
            Loaded::Broken => "cache unreadable or damaged, ignored",
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
pub fn load(root: &Path, config: &Config) -> (Store, Loaded) {
    if !folder_is_safe(root) {
        return (Store::default(), Loaded::Broken);
    }
    let bytes = match std::fs::read(folder(root).join(FILE)) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return (Store::default(), Loaded::Missing)
        }
        Err(_) => return (Store::default(), Loaded::Broken),
    };
    match decode(&bytes, &Header::current(config)) {
        Ok(store) => (store, Loaded::Used),
        Err(loaded) => (Store::default(), loaded),
    }
}

fn decode(bytes: &[u8], wanted: &Header) -> Result<Store, Loaded> {
    let rest = bytes.strip_prefix(MAGIC.as_slice()).ok_or(Loaded::Broken)?;
    let (sum, payload) = rest.split_first_chunk::<4>().ok_or(Loaded::Broken)?;
    if u32::from_le_bytes(*sum) != crc32fast::hash(payload) {
        return Err(Loaded::Broken);
    }
    let (header, entries) =
        postcard::take_from_bytes::<Header>(payload).map_err(|_| Loaded::Broken)?;
    if header != *wanted {
        return Err(Loaded::Stale);
    }
    let chunks: Vec<&[u8]> = postcard::from_bytes(entries).map_err(|_| Loaded::Broken)?;
    let decoded: Vec<Vec<(String, Entry)>> = chunks
        .par_iter()
        .map(|chunk| postcard::from_bytes(chunk))
        .collect::<Result<_, _>>()
        .map_err(|_| Loaded::Broken)?;
    Ok(Store::from_entries(decoded.into_iter().flatten()))
}

fn encode(store: &Store, header: &Header) -> Result<Vec<u8>, postcard::Error> {
    let entries: Vec<(&String, &Entry)> = store.lasting().collect();
    let per_chunk = entries.len().div_ceil(CHUNKS).max(1);
    let chunks: Vec<Vec<u8>> = entries
        .par_chunks(per_chunk)
        .map(postcard::to_stdvec)
        .collect::<Result<_, _>>()?;
    let mut payload = postcard::to_stdvec(header)?;
    payload.extend(postcard::to_stdvec(&chunks)?);
    let mut bytes = Vec::with_capacity(MAGIC.len() + 4 + payload.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
    bytes.extend_from_slice(&payload);
    Ok(bytes)
}

/// Stores the index for the next run: into a temporary file beside the cache, then renamed
/// over it. Fails (and the caller carries on without a cache) in a read-only vault.
pub fn save(root: &Path, config: &Config, store: &Store) -> anyhow::Result<()> {
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
    let bytes = encode(store, &Header::current(config))?;
    let mut temp = tempfile::Builder::new()
        .prefix(".index-")
        .suffix(".tmp")
        .tempfile_in(&dir)?;
    temp.write_all(&bytes)?;
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
        store.refresh(&files, &Config::default(), &Progress::hidden());
        store
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
        let header = Header::current(&Config::default());
        let bytes = encode(&store, &header).unwrap();
        let back = decode(&bytes, &header).unwrap();
        assert_eq!(format!("{:?}", back), format!("{:?}", store));
        for cut in [0, 5, 12, bytes.len() / 2, bytes.len() - 1] {
            assert_eq!(decode(&bytes[..cut], &header).unwrap_err(), Loaded::Broken);
        }
        for flip in [3, 10, bytes.len() / 2, bytes.len() - 1] {
            let mut damaged = bytes.clone();
            damaged[flip] ^= 0x40;
            assert_eq!(decode(&damaged, &header).unwrap_err(), Loaded::Broken);
        }
        let other = Header {
            version: "0.0.0".into(),
            ..Header::current(&Config::default())
        };
        assert_eq!(decode(&bytes, &other).unwrap_err(), Loaded::Stale);
    }

    #[test]
    fn a_cache_folder_that_is_a_link_is_neither_read_nor_written() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), dir.path().join(DIR)).unwrap();
        let store = store_of(dir.path());
        assert!(save(dir.path(), &Config::default(), &store).is_err());
        assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
        assert_eq!(load(dir.path(), &Config::default()).1, Loaded::Broken);
    }
}

//! The index `vault watch` keeps between edits: brought up to date note by note, or by a new
//! walk that reads only the notes whose stamps changed, and turned into a [`Vault`] for any day.

use crate::config::Config;
use crate::discover::{self, NoteFile};
use crate::indexing::{IndexReport, Indexing, Sources};
use crate::note::Parsed;
use crate::progress::Progress;
use crate::store::Refreshed;
use crate::vault::Vault;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

pub struct Live {
    root: PathBuf,
    config: Config,
    sources: Sources,
}

/// What became of one changed note path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteChange {
    /// Read and parsed again.
    Read,
    /// Gone: forgotten.
    Removed,
    /// Neither a regular file nor gone (a folder, a link, a pipe): only a walk can tell.
    NeedsWalk,
}

impl Live {
    /// Indexes the vault as every command does (from the cache when it is usable, saving it
    /// back), keeping what the index is built from.
    pub fn start(
        root: &Path,
        config: Config,
        today: NaiveDate,
        how: &Indexing,
    ) -> (Live, Vault, IndexReport) {
        let (vault, report, sources) = Vault::index_keeping(root, config.clone(), today, how, true);
        let live = Live {
            root: root.to_path_buf(),
            config,
            sources: sources.unwrap_or_default(),
        };
        (live, vault, report)
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Notes in the index.
    pub fn notes(&self) -> usize {
        self.sources.store.len()
    }

    /// Walks the vault again: new and changed notes (by their stamps) are read, gone ones
    /// dropped, and the other files and the walk's own problems replaced.
    pub fn walk(&mut self) -> Refreshed {
        let found = discover::discover(&self.root, &self.config);
        let refreshed =
            self.sources
                .store
                .refresh(&found.notes, None, &self.config, &Progress::new(false));
        self.sources.other_files = found.other_files;
        self.sources.walk_diagnostics = found.diagnostics;
        refreshed
    }

    /// Brings one note (`rel`, relative to the vault, ending in `.md`) up to date.
    pub fn note_changed(&mut self, rel: &str) -> NoteChange {
        let path = self.root.join(rel);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_file() => {
                let file = NoteFile {
                    path,
                    rel: rel.to_string(),
                    role: discover::role_of(rel, &self.config),
                };
                self.sources.store.update(&file, &self.config);
                NoteChange::Read
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                self.sources.store.remove(rel);
                NoteChange::Removed
            }
            _ => NoteChange::NeedsWalk,
        }
    }

    /// New settings: every note is read again with them.
    pub fn reconfigure(&mut self, config: Config) -> Refreshed {
        self.config = config;
        self.sources.store = Default::default();
        self.walk()
    }

    /// The files that are not notes (links may name them).
    pub fn other_files(&self) -> &[String] {
        &self.sources.other_files
    }

    /// The vault as of now with some notes' parse results in place of the stored ones (an
    /// editor's unsaved text), linked and derived for `today`.
    pub fn vault_with(&self, today: NaiveDate, overlay: &[(&str, &Parsed)]) -> Vault {
        Vault::from_parsed(
            &self.root,
            self.config.clone(),
            today,
            self.sources.store.parsed_copies_with(overlay),
            &self.sources.other_files,
            self.sources.walk_diagnostics.clone(),
            None,
        )
    }

    /// The vault as of now, linked and derived for `today`.
    pub fn vault(&self, today: NaiveDate) -> Vault {
        let parsed = self.sources.store.parsed_copies();
        Vault::from_parsed(
            &self.root,
            self.config.clone(),
            today,
            parsed,
            &self.sources.other_files,
            self.sources.walk_diagnostics.clone(),
            None,
        )
    }
}

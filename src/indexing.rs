//! Building the vault index for a run: discovering the notes, bringing their parse results up
//! to date from the cache in `.vault/` (reading only new and changed notes), linking (or taking
//! the cached links when nothing changed), deriving for the day, and saving the cache back.

use crate::cache;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::discover;
use crate::progress::Progress;
use crate::store::{self, Refreshed};
use crate::vault::Vault;
use chrono::NaiveDate;
use std::path::Path;
use std::time::{Duration, Instant};

/// How [`Vault::index`] works: whether it uses the cache, whether it may show progress.
#[derive(Debug, Clone, Copy, Default)]
pub struct Indexing {
    pub cache: bool,
    pub progress: bool,
}

/// What a vault's index is built from: every note's parse result, the other files (which links
/// may name) and what the walk itself found wrong.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub store: store::Store,
    pub other_files: Vec<String>,
    pub walk_diagnostics: Vec<Diagnostic>,
}

/// What indexing did, for `--verbose`.
#[derive(Debug, Clone)]
pub struct IndexReport {
    /// Notes indexed.
    pub notes: usize,
    pub refreshed: Refreshed,
    /// What became of the cache (none with `--no-cache`).
    pub cache: Option<cache::Status>,
    /// Whether linking was taken from the cache (nothing changed).
    pub reused_links: bool,
    /// Whether the cache was saved again (none when it was not needed), or why not.
    pub saved: Option<Result<(), String>>,
    /// How long each phase took.
    pub phases: Vec<(&'static str, Duration)>,
}

/// A stopwatch for the phases of indexing.
struct Phases {
    last: Instant,
    phases: Vec<(&'static str, Duration)>,
}

impl Default for Phases {
    fn default() -> Self {
        Phases {
            last: Instant::now(),
            phases: Vec::new(),
        }
    }
}

impl Phases {
    fn done(&mut self, phase: &'static str) {
        let now = Instant::now();
        self.phases.push((phase, now - self.last));
        self.last = now;
    }
}

impl IndexReport {
    /// Two lines: `indexed 15000 notes: 1 read, 14999 from the cache, 0 dropped (cache used, saved)`.
    pub fn summary(&self) -> String {
        let r = &self.refreshed;
        let cache = match self.cache {
            None => "cache off".to_string(),
            Some(status) if self.reused_links => format!("{}, links too", status.describe()),
            Some(status) => status.describe().to_string(),
        };
        let saved = match &self.saved {
            None => String::new(),
            Some(Ok(())) => ", saved".to_string(),
            Some(Err(why)) => format!(", not saved: {why}"),
        };
        let phases: Vec<String> = self
            .phases
            .iter()
            .map(|(phase, took)| format!("{phase} {:.1} ms", took.as_secs_f64() * 1000.0))
            .collect();
        format!(
            "indexed {} notes: {} read, {} from the cache, {} dropped ({cache}{saved})\n\
             time: {}",
            self.notes,
            r.read,
            r.kept,
            r.dropped,
            phases.join(", ")
        )
    }
}

impl Vault {
    /// Discovers, reads and parses every note (in parallel), then links and derives; no cache.
    pub fn load(root: &Path, config: Config, today: NaiveDate) -> Vault {
        Vault::index(root, config, today, &Indexing::default()).0
    }

    /// Discovers the notes and brings their parse results up to date (from the cache in
    /// `.vault/` when `how.cache`, reading only new and changed notes; saving it back when
    /// anything changed), then links and derives.
    pub fn index(
        root: &Path,
        config: Config,
        today: NaiveDate,
        how: &Indexing,
    ) -> (Vault, IndexReport) {
        let (vault, report, _) = Vault::index_keeping(root, config, today, how, false);
        (vault, report)
    }

    /// [`Vault::index`], also giving back, when `keep`, what the index was built from (for
    /// `vault watch`, which brings it up to date edit by edit).
    pub fn index_keeping(
        root: &Path,
        config: Config,
        today: NaiveDate,
        how: &Indexing,
        keep: bool,
    ) -> (Vault, IndexReport, Option<Sources>) {
        let mut clock = Phases::default();
        // Walking the folders (and taking every note's stamp) and decoding the cache do not
        // depend on each other.
        // What the cache must match, for reading it and for writing it.
        let header = how.cache.then(|| cache::Header::current(&config));
        let ((discovery, stamps), mut cached) = rayon::join(
            || {
                let discovery = discover::discover(root, &config);
                let stamps = how.cache.then(|| store::stamps(&discovery.notes));
                (discovery, stamps)
            },
            || match &header {
                Some(header) => cache::load(root, header),
                None => cache::Cached::none(cache::Status::Missing),
            },
        );
        clock.done("discover, stat and load cache");
        let mut store = std::mem::take(&mut cached.store);
        let refreshed = store.refresh(
            &discovery.notes,
            stamps.as_deref(),
            &config,
            &Progress::new(how.progress),
        );
        clock.done("read, parse");
        let status = cached.status;
        let notes_changed = refreshed.changed() || status != cache::Status::Used;
        let other_files = cache::other_files_key(&discovery.other_files);
        let known = cached
            .links
            .take()
            .filter(|known| !notes_changed && known.other_files == other_files);
        let reused_links = known.is_some();
        // The notes are written to the new cache file now, before they move into the vault;
        // the links, worked out from them, finish it.
        let saving = header.filter(|_| !reused_links).map(|header| {
            cached
                .start_save(root, &store, header)
                .map_err(|e| e.to_string())
        });
        drop(cached);
        clock.done("write notes to the cache");
        let notes = store.len();
        let kept = keep.then(|| Sources {
            store: store.clone(),
            other_files: discovery.other_files.clone(),
            walk_diagnostics: discovery.diagnostics.clone(),
        });
        let vault = Vault::from_parsed(
            root,
            config,
            today,
            store.into_parsed().collect(),
            &discovery.other_files,
            discovery.diagnostics,
            known.map(|known| known.links),
        );
        clock.done(if reused_links {
            "derive"
        } else {
            "link, derive"
        });
        let saved = saving.map(|saving| {
            saving.and_then(|saving| {
                let links = cache::KnownLinks {
                    other_files,
                    links: vault.links(),
                };
                saving.finish(&links).map_err(|e| e.to_string())
            })
        });
        clock.done("save the cache");
        let report = IndexReport {
            notes,
            refreshed,
            cache: how.cache.then_some(status),
            reused_links,
            saved,
            phases: clock.phases,
        };
        (vault, report, kept)
    }
}

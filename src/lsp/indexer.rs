//! The index behind `vault lsp`, kept on a thread of its own so that no request waits for it:
//! the live index `vault watch` keeps, the parse of every open buffer's unsaved text in place of
//! the note on disk, and a file watcher for changes made outside the editor. After each batch
//! of changes it sends the server a new [`Snapshot`], linked and derived for the day.

use crate::changes::{classify, Change};
use crate::config::Config;
use crate::discover;
use crate::indexing::Indexing;
use crate::live::{Live, NoteChange};
use crate::note::{self, Parsed};
use crate::resolve::Resolver;
use crate::vault::Vault;
use crate::watch::{self, Batch, Unwatched, Watcher};
use chrono::NaiveDate;
use notify_debouncer_full::{new_debouncer, DebounceEventResult};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender};
use std::time::Duration;

/// How long file events are gathered before the index follows them.
const DEBOUNCE: Duration = Duration::from_millis(100);

/// What the index is told.
pub enum Job {
    /// A buffer was opened or changed: its unsaved text stands for the note.
    Buffer {
        rel: String,
        version: i32,
        text: String,
    },
    /// A buffer was closed: the note on disk counts again.
    Closed { rel: String },
    /// The editor saved a note (the watcher says so too, unless it cannot watch there).
    Saved { rel: String },
    /// What the file watcher saw.
    Files(DebounceEventResult),
}

/// The vault as of one batch of changes.
pub struct Snapshot {
    pub vault: Vault,
    pub resolver: Resolver,
    /// The open buffers the snapshot was made from: their version and text, by path.
    pub buffers: HashMap<String, (i32, String)>,
    /// Counts up with each snapshot.
    pub generation: u64,
}

/// Where the vault is and how to read it.
pub struct Setup {
    /// Absolute, links resolved (as the watcher names paths).
    pub root: PathBuf,
    pub settings: PathBuf,
    pub reload_settings: Box<dyn Fn() -> anyhow::Result<Config> + Send>,
    pub config: Config,
    pub today: Box<dyn Fn() -> NaiveDate + Send>,
    pub indexing: Indexing,
}

/// Starts the index on its own thread. `jobs` is also where the file watcher's events go (the
/// server keeps the sending side); every snapshot goes to `snapshots`. The thread ends when
/// every sender of `jobs` is gone.
pub fn start<E: Send + 'static>(
    setup: Setup,
    jobs: (Sender<Job>, Receiver<Job>),
    snapshots: Sender<E>,
    wrap: fn(Box<Snapshot>) -> E,
) {
    let (to_self, jobs) = jobs;
    std::thread::Builder::new()
        .name("vault-index".into())
        .spawn(move || {
            let watcher = new_debouncer(DEBOUNCE, None, move |event| {
                let _ = to_self.send(Job::Files(event));
            });
            let mut indexer = Indexer::new(setup, watcher.ok());
            let mut generation = 0;
            loop {
                generation += 1;
                let snapshot = indexer.snapshot(generation);
                if snapshots.send(wrap(Box::new(snapshot))).is_err() {
                    return;
                }
                let Ok(first) = jobs.recv() else { return };
                // Everything already waiting is one batch: typing fast is indexed once.
                let mut batch = Batch::default();
                indexer.take(first, &mut batch);
                while let Ok(more) = jobs.try_recv() {
                    indexer.take(more, &mut batch);
                }
                indexer.apply(batch);
            }
        })
        .expect("starting the index thread");
}

struct Buffer {
    version: i32,
    text: String,
    parsed: Parsed,
}

struct Indexer {
    setup: Setup,
    live: Live,
    /// Open buffers, by path relative to the vault: their version, text and its parse.
    buffers: BTreeMap<String, Buffer>,
    watcher: Option<Watcher>,
}

impl Indexer {
    fn new(setup: Setup, mut watcher: Option<Watcher>) -> Indexer {
        if let Some(watcher) = watcher.as_mut() {
            let mut unwatched = Unwatched::default();
            watch::watch_tree(watcher, &setup.root, &mut unwatched);
            if let Some(dir) = setup
                .settings
                .parent()
                .filter(|d| !d.starts_with(&setup.root))
            {
                watch::watch_one(watcher, dir, &mut unwatched);
            }
            let _ = unwatched.warn(&mut std::io::stderr());
        }
        let (live, _, _) = Live::start(
            &setup.root,
            setup.config.clone(),
            (setup.today)(),
            &setup.indexing,
        );
        Indexer {
            setup,
            live,
            buffers: BTreeMap::new(),
            watcher,
        }
    }

    fn snapshot(&self, generation: u64) -> Snapshot {
        let overlay: Vec<(&str, &Parsed)> = self
            .buffers
            .iter()
            .map(|(rel, buffer)| (rel.as_str(), &buffer.parsed))
            .collect();
        let vault = self.live.vault_with((self.setup.today)(), &overlay);
        let resolver = vault.resolver(self.live.other_files());
        let buffers = self
            .buffers
            .iter()
            .map(|(rel, b)| (rel.clone(), (b.version, b.text.clone())))
            .collect();
        Snapshot {
            vault,
            resolver,
            buffers,
            generation,
        }
    }

    /// Adds a job to the batch (buffers are parsed at once: only the last text counts).
    fn take(&mut self, job: Job, batch: &mut Batch) {
        match job {
            Job::Buffer { rel, version, text } => {
                if self.is_note(&rel) {
                    let parsed = self.parse(&rel, &text);
                    let buffer = Buffer {
                        version,
                        text,
                        parsed,
                    };
                    self.buffers.insert(rel, buffer);
                }
            }
            Job::Closed { rel } => {
                if self.buffers.remove(&rel).is_some() {
                    batch.notes.insert(rel);
                }
            }
            Job::Saved { rel } => {
                if self.is_note(&rel) {
                    batch.notes.insert(rel);
                }
            }
            Job::Files(result) => {
                if let Some(watcher) = self.watcher.as_mut() {
                    let at = (
                        self.setup.root.as_path(),
                        self.live.config(),
                        self.setup.settings.as_path(),
                    );
                    batch.add(result, at, watcher);
                }
            }
        }
    }

    fn apply(&mut self, batch: Batch) {
        if batch.settings {
            if let Ok(config) = (self.setup.reload_settings)() {
                self.live.reconfigure(config);
                let rels: Vec<String> = self.buffers.keys().cloned().collect();
                for rel in rels {
                    let parsed = self.parse(&rel, &self.buffers[&rel].text);
                    if let Some(buffer) = self.buffers.get_mut(&rel) {
                        buffer.parsed = parsed;
                    }
                }
                return;
            }
        }
        let mut walk = batch.walk;
        for rel in &batch.notes {
            if self.live.note_changed(rel) == NoteChange::NeedsWalk {
                walk = true;
            }
        }
        if walk {
            self.live.walk();
        }
    }

    /// Whether a path relative to the vault is one of its notes (not a template, not hidden).
    fn is_note(&self, rel: &str) -> bool {
        let path = self.setup.root.join(rel);
        let change = classify(
            &path,
            &self.setup.root,
            self.live.config(),
            &self.setup.settings,
        );
        matches!(change, Change::Note(_))
    }

    fn parse(&self, rel: &str, text: &str) -> Parsed {
        let config = self.live.config();
        note::parse(rel, text.as_bytes(), discover::role_of(rel, config), config)
    }
}

/// `path` relative to `root`, `/`-separated; none when it is not inside.
pub fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

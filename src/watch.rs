//! Watching a vault: index once, then follow every change: read again only what changed,
//! print the problems that appeared and those fixed, and keep this week's review page (and the
//! reminders calendar, when `vault.yaml` sets it) current.

use crate::changes::{classify, Change};
use crate::config::Config;
use crate::diagnostic::{self, Diagnostic};
use crate::indexing::Indexing;
use crate::live::{Live, NoteChange};
use crate::pages;
use crate::reminders;
use crate::render::Templates;
use crate::review::Week;
use crate::text;
use crate::vault::Vault;
use crate::write::{write_in, Written};
use anyhow::Context as _;
use chrono::NaiveDate;
use notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

/// How often the loop looks at the stop flag and the clock while nothing happens.
const TICK: Duration = Duration::from_millis(100);
/// A batch with more changed notes than this is handled by a walk of the vault (a `git
/// checkout`, say), which compares stamps in parallel instead of reading paths one by one.
const MANY_NOTES: usize = 256;

/// What to watch and how.
pub struct Watching {
    /// The vault, absolute with links resolved (events name paths under it).
    pub root: PathBuf,
    /// The settings file, absolute.
    pub settings: PathBuf,
    /// Reads the settings file again.
    pub reload_settings: Box<dyn Fn() -> anyhow::Result<Config>>,
    pub config: Config,
    pub today: NaiveDate,
    /// Today by the clock, when the day is not pinned (`--today`).
    pub clock: Option<fn() -> NaiveDate>,
    pub indexing: Indexing,
    pub debounce: Duration,
    /// Whether to write the pages (not with `--no-pages`).
    pub pages: bool,
    pub color: bool,
    /// Say on stderr how the first index was built (`--verbose`).
    pub verbose: bool,
}

/// Watches until Ctrl-C or SIGTERM, which end it between two batches of work.
pub fn run(watching: Watching, out: &mut dyn Write) -> anyhow::Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    // Ctrl-C and SIGTERM end the loop between batches, never in the middle of a write.
    crate::write::interrupts::stop_gently(Arc::clone(&stop));
    let Watching {
        root,
        settings,
        reload_settings,
        config,
        today,
        clock,
        indexing,
        debounce,
        pages,
        color,
        verbose,
    } = watching;

    // Watching starts before indexing, so that no change made meanwhile is missed.
    let (events, received) = mpsc::channel();
    let mut debouncer =
        new_debouncer(debounce, None, events).context("starting to watch the vault")?;
    let mut unwatched = Unwatched::default();
    watch_tree(&mut debouncer, &root, &mut unwatched);
    if !settings.starts_with(&root) {
        if let Some(dir) = settings.parent() {
            watch_one(&mut debouncer, dir, &mut unwatched);
        }
    }
    unwatched.warn(out)?;

    let (live, vault, report) = Live::start(&root, config, today, &indexing);
    if verbose {
        eprintln!("{}", report.summary());
    }
    let mut session = Session {
        root,
        settings,
        reload_settings,
        templates: None,
        live,
        today,
        clock,
        problems: Vec::new(),
        pages,
        color,
        last_page_error: None,
    };
    session.templates = session.load_templates(out)?;
    session.report_start(vault, out)?;

    while !stop.load(Ordering::Relaxed) {
        match received.recv_timeout(TICK) {
            Ok(first) => {
                // Everything already waiting is one batch: a checkout's thousands of events
                // are handled once.
                let mut batch = Batch::default();
                let place = (session.root.clone(), session.settings.clone());
                let config = session.config().clone();
                let at = (place.0.as_path(), &config, place.1.as_path());
                batch.add(first, at, &mut debouncer);
                while let Ok(more) = received.try_recv() {
                    batch.add(more, at, &mut debouncer);
                }
                session.apply(batch, out)?;
            }
            Err(mpsc::RecvTimeoutError::Timeout) => session.follow_the_clock(out)?,
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                anyhow::bail!("the file watcher stopped");
            }
        }
    }
    debouncer.stop();
    writeln!(out, "stopped watching")?;
    out.flush()?;
    Ok(())
}

/// The debounced file watcher (`vault lsp` watches the same way).
pub type Watcher = Debouncer<RecommendedWatcher, RecommendedCache>;

/// Watches `dir` and every folder below it that is not hidden, each folder on its own, so that
/// `.git` (busy during a checkout), `.obsidian` and `.vault` are never watched. Links are not
/// followed.
pub fn watch_tree(debouncer: &mut Watcher, dir: &Path, unwatched: &mut Unwatched) {
    let walk = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0 || !entry.file_name().to_string_lossy().starts_with('.')
        });
    for entry in walk.flatten() {
        if entry.file_type().is_dir() {
            watch_one(debouncer, entry.path(), unwatched);
        }
    }
}

/// Watches one folder (again, when it was deleted and made anew under the same name). One that
/// is gone already is left: its parent's events say so.
pub fn watch_one(debouncer: &mut Watcher, dir: &Path, unwatched: &mut Unwatched) {
    match debouncer.watch(dir, RecursiveMode::NonRecursive) {
        Ok(()) => {}
        Err(error) if !dir.exists() => drop(error),
        Err(error) => unwatched.add(dir, &error),
    }
}

/// Folders that could not be watched (the system's limit on watches reached, say): their
/// changes are seen only when something else leads to a walk.
#[derive(Default)]
pub struct Unwatched {
    count: usize,
    first: Option<String>,
}

impl Unwatched {
    fn add(&mut self, dir: &Path, error: &notify::Error) {
        self.count += 1;
        self.first
            .get_or_insert_with(|| format!("`{}`: {error}", dir.display()));
    }

    /// Says so, once per batch that met any.
    pub fn warn(&mut self, out: &mut dyn Write) -> anyhow::Result<()> {
        if let Some(first) = self.first.take() {
            let first = text::line(&first);
            writeln!(
                out,
                "vault: warning: {} folder(s) cannot be watched, first {first}",
                self.count
            )?;
            writeln!(
                out,
                "hint: changes there are seen only at the next walk of the vault; on Linux, \
                 raise fs.inotify.max_user_watches"
            )?;
            self.count = 0;
        }
        Ok(())
    }
}

/// What one batch of events asks for.
#[derive(Default)]
pub struct Batch {
    pub notes: BTreeSet<String>,
    /// Something only a walk of the vault can sort out: a folder, another file, a lost event.
    pub walk: bool,
    pub settings: bool,
    pub templates: bool,
    pub unwatched: Unwatched,
}

impl Batch {
    /// Adds what one debounced result says changed in the vault at `root` (absolute), read
    /// with `config` from `settings`; new folders are watched at once.
    pub fn add(
        &mut self,
        result: DebounceEventResult,
        (root, config, settings): (&Path, &Config, &Path),
        debouncer: &mut Watcher,
    ) {
        let events = match result {
            Ok(events) => events,
            Err(_) => {
                // The watcher lost track (a full event queue, a folder gone): look again.
                self.walk = true;
                return;
            }
        };
        for event in events {
            let event = event.event;
            if event.need_rescan() {
                self.walk = true;
            }
            if matches!(event.kind, EventKind::Access(_)) {
                // Files opened and closed, by the watch's own reading among others.
                continue;
            }
            let arrived = matches!(event.kind, EventKind::Create(_) | EventKind::Modify(_));
            for path in &event.paths {
                let change = classify(path, root, config, settings);
                if arrived && change != Change::Ignored && path.is_dir() {
                    // A new or moved-in folder: watch it (a walk finds what it holds).
                    watch_tree(debouncer, path, &mut self.unwatched);
                }
                match change {
                    Change::Note(rel) => {
                        self.notes.insert(rel);
                    }
                    Change::Other => self.walk = true,
                    Change::Template => self.templates = true,
                    Change::Settings => self.settings = true,
                    Change::Output | Change::Ignored => {}
                }
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.notes.is_empty() && !self.walk && !self.settings && !self.templates
    }
}

/// What the watch keeps between batches.
struct Session {
    root: PathBuf,
    /// The settings file, absolute.
    settings: PathBuf,
    reload_settings: Box<dyn Fn() -> anyhow::Result<Config>>,
    /// The last good templates; none while one is broken (pages are then left alone).
    templates: Option<Templates>,
    live: Live,
    today: NaiveDate,
    /// Today by the clock; none when the day is pinned (`--today`).
    clock: Option<fn() -> NaiveDate>,
    /// The problems as last reported.
    problems: Vec<Diagnostic>,
    /// Whether to write the pages (not with `--no-pages`).
    pages: bool,
    color: bool,
    /// The last error writing a page, not repeated while it stays the same.
    last_page_error: Option<String>,
}

impl Session {
    fn config(&self) -> &Config {
        self.live.config()
    }

    /// The first report: every problem, as `vault check` shows them, and a summary.
    fn report_start(&mut self, vault: Vault, out: &mut dyn Write) -> anyhow::Result<()> {
        let shown = diagnostic::render_human(&vault.diagnostics, &self.root, self.color);
        out.write_all(shown.as_bytes())?;
        let (errors, warnings) = diagnostic::counts(&vault.diagnostics);
        writeln!(
            out,
            "watching {}: {} notes, {errors} error(s), {warnings} warning(s)",
            self.root.display(),
            self.live.notes()
        )?;
        self.write_pages(&vault, out)?;
        self.problems = vault.diagnostics;
        writeln!(out, "waiting for changes (Ctrl-C stops)")?;
        out.flush()?;
        Ok(())
    }

    /// Does what one batch of changes needs, and reports it; a batch of nothing but the tool's
    /// own outputs and ignored files does nothing at all.
    fn apply(&mut self, mut batch: Batch, out: &mut dyn Write) -> anyhow::Result<()> {
        batch.unwatched.warn(out)?;
        if batch.is_empty() {
            return Ok(());
        }
        if batch.settings && self.reload_settings(out)? {
            batch.walk = false;
            batch.notes.clear();
            batch.templates = true;
        }
        if batch.templates {
            self.templates = self.load_templates(out)?;
        }
        if !batch.walk && batch.notes.len() <= MANY_NOTES {
            for rel in &batch.notes {
                if self.live.note_changed(rel) == NoteChange::NeedsWalk {
                    batch.walk = true;
                }
            }
        } else if !batch.notes.is_empty() {
            batch.walk = true;
        }
        if batch.walk {
            self.live.walk();
        }
        self.report(out)
    }

    /// Links and derives again, prints what changed in the problems and a summary, and
    /// rewrites the pages whose bytes changed.
    fn report(&mut self, out: &mut dyn Write) -> anyhow::Result<()> {
        let vault = self.live.vault(self.today);
        let (appeared, fixed) = diagnostic::changes(&self.problems, &vault.diagnostics);
        let appeared: Vec<Diagnostic> = appeared.into_iter().cloned().collect();
        out.write_all(diagnostic::render_human(&appeared, &self.root, self.color).as_bytes())?;
        for d in &fixed {
            let place = match d.line {
                0 => d.path.clone(),
                line => format!("{}:{line}", d.path),
            };
            writeln!(
                out,
                "fixed: {}",
                text::line(&format!("{place} {}", d.message))
            )?;
        }
        let (errors, warnings) = diagnostic::counts(&vault.diagnostics);
        writeln!(
            out,
            "{} notes: {errors} error(s), {warnings} warning(s) ({} new, {} fixed)",
            self.live.notes(),
            appeared.len(),
            fixed.len()
        )?;
        self.write_pages(&vault, out)?;
        self.problems = vault.diagnostics;
        out.flush()?;
        Ok(())
    }

    /// At midnight (unless the day is pinned) derives everything for the new day; on the first
    /// day of a week that writes the new week's page.
    fn follow_the_clock(&mut self, out: &mut dyn Write) -> anyhow::Result<()> {
        let Some(clock) = self.clock else {
            return Ok(());
        };
        let now = clock();
        if now == self.today {
            return Ok(());
        }
        self.today = now;
        writeln!(out, "a new day: {now}")?;
        self.report(out)
    }

    /// Reads the settings again; true when they changed and every note was read again with
    /// them. Invalid settings are reported and the last good ones kept.
    fn reload_settings(&mut self, out: &mut dyn Write) -> anyhow::Result<bool> {
        match (self.reload_settings)() {
            Ok(config) if config == *self.config() => Ok(false),
            Ok(config) => {
                writeln!(out, "settings changed: reading every note again")?;
                self.live.reconfigure(config);
                Ok(true)
            }
            Err(error) => {
                writeln!(out, "{}", shown_error(&error))?;
                writeln!(out, "keeping the last good settings")?;
                Ok(false)
            }
        }
    }

    /// The vault's templates, or none (reported) when one is broken.
    fn load_templates(&self, out: &mut dyn Write) -> anyhow::Result<Option<Templates>> {
        if !self.pages {
            return Ok(None);
        }
        match Templates::load(&self.root, &self.config().templates_dir) {
            Ok(templates) => Ok(Some(templates)),
            Err(error) => {
                writeln!(out, "{}", shown_error(&error))?;
                writeln!(
                    out,
                    "the pages are left as they are until the template is fixed"
                )?;
                Ok(None)
            }
        }
    }

    /// Writes this week's review page and, when set, the reminders calendar, each only when
    /// its bytes change; says which were written.
    fn write_pages(&mut self, vault: &Vault, out: &mut dyn Write) -> anyhow::Result<()> {
        let Some(templates) = &self.templates else {
            return Ok(());
        };
        let config = self.live.config();
        let root = &self.root;
        let week = Week::containing(self.today, config.week_starts);
        // The page first: it is what the user is waiting for.
        let review = pages::render_review(templates, vault, week)
            .and_then(|page| pages::write_review(root, &config.reviews_dir, week, &page, false));
        let calendar = config.reminders_ics_set.then(|| {
            let due = reminders::due_by(vault, config.reminder_horizon.add_to(vault.today));
            let calendar = pages::calendar(vault, &due, false);
            let rel = config.reminders_ics.clone();
            write_in(root, &rel, calendar.as_bytes()).map(|w| (w, rel))
        });
        let written = std::iter::once(review).chain(calendar);
        let mut errors = Vec::new();
        for result in written {
            match result {
                Ok((Written::Unchanged, _)) => {}
                Ok((outcome, rel)) => writeln!(out, "{} {rel}", outcome.describe())?,
                Err(error) => errors.push(shown_error(&error)),
            }
        }
        let error = (!errors.is_empty()).then(|| errors.join("\n"));
        if error.is_some() && error != self.last_page_error {
            writeln!(out, "{}", error.as_deref().unwrap_or_default())?;
        }
        self.last_page_error = error;
        Ok(())
    }
}

/// A tool error as the other commands print it.
fn shown_error(error: &anyhow::Error) -> String {
    match error.downcast_ref::<crate::error::Rendered>() {
        Some(rendered) => text::clean(&rendered.to_string()).into_owned(),
        None => text::clean(&format!("vault: error: {error:#}")).into_owned(),
    }
}

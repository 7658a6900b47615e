//! One module per subcommand (wiring only), and what they share: finding the vault, the
//! settings, today's date and whether to color.

mod check;
mod completions;
mod docs;
mod done;
mod edit;
mod export;
mod import;
mod import_calendar;
mod init;
mod intro;
mod intros;
mod list;
mod log;
mod man;
mod new;
mod outcome;
mod remind;
mod review;
mod show;
mod snooze;
mod stage;
mod task;
mod watch;

use crate::cli::{Cli, ColorChoice, Command};
use crate::config::{Config, CONFIG_FILE};
use crate::diagnostic;
use crate::error::Rendered;
use crate::indexing::Indexing;
use crate::vault::{Lookup, Vault};
use anyhow::{bail, Context as _};
use chrono::NaiveDate;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Runs a parsed command line; returns the exit code.
pub fn run(cli: Cli) -> anyhow::Result<u8> {
    // Into a pipe or a file, buffered: the standard output alone flushes at every line break, a
    // write per line of a long JSON list. On a terminal, line by line as before, so that notes
    // on stderr still come after the output they follow.
    let stdout = std::io::stdout();
    let mut out: Box<dyn Write> = if stdout.is_terminal() {
        Box::new(stdout.lock())
    } else {
        Box::new(std::io::BufWriter::with_capacity(64 * 1024, stdout.lock()))
    };
    let code = match &cli.command {
        Command::Init(args) => init::run(args, &cli, &mut out)?,
        Command::Docs(args) => docs::run(args, &mut out)?,
        Command::Completions(args) => completions::run(args, &mut out)?,
        Command::Man(args) => man::run(args, &mut out)?,
        Command::Import(args) => import::run(&Context::open(&cli)?, args, &mut out)?,
        Command::Log(args) => log::run(&Context::open(&cli)?, args, &mut out)?,
        Command::Intros(args) => intros::run(&Context::open(&cli)?, args, &mut out)?,
        Command::Intro(args) => intro::run(&Context::open(&cli)?, args, &mut out)?,
        Command::Snooze(args) => snooze::run(&Context::open(&cli)?, args, &mut out)?,
        Command::Stage(args) => stage::run(&Context::open(&cli)?, args, &mut out)?,
        Command::Task(args) => task::run(&Context::open(&cli)?, args, &mut out)?,
        Command::Done(args) => done::run(&Context::open(&cli)?, args, &mut out)?,
        Command::Check(args) => check::run(&Context::open(&cli)?, args, &mut out)?,
        Command::List(args) => list::run(&Context::open(&cli)?, args, &mut out)?,
        Command::Export(args) => export::run(&Context::open(&cli)?, args, &mut out)?,
        Command::Show(args) => show::run(&Context::open(&cli)?, args, &mut out)?,
        Command::New(args) => new::run(&Context::open(&cli)?, args, &mut out)?,
        Command::Review(args) => review::run(&Context::open(&cli)?, args, &mut out)?,
        Command::Remind(args) => remind::run(&Context::open(&cli)?, args, &mut out)?,
        Command::Watch(args) => watch::run(&Context::open(&cli)?, args, &mut out)?,
        Command::Lsp => crate::lsp::run(crate::lsp::Options {
            vault: cli.vault.clone(),
            config_file: cli.config.clone(),
            today: cli.today,
            indexing: Indexing {
                cache: !cli.no_cache,
                progress: false,
            },
        })?,
    };
    out.flush().context("writing the output")?;
    Ok(code)
}

/// What every command that reads a vault needs.
pub struct Context {
    pub root: PathBuf,
    pub config: Config,
    /// The settings file named by `--config`, if any (`root/vault.yaml` otherwise).
    pub config_file: Option<PathBuf>,
    pub today: NaiveDate,
    /// Whether `--today` (or `VAULT_TODAY`) fixed the day, rather than the clock.
    pub today_pinned: bool,
    pub color: bool,
    /// How to build the index (cache, progress bar).
    pub indexing: Indexing,
    /// Say on stderr how the index was built.
    pub verbose: bool,
}

impl Context {
    fn open(cli: &Cli) -> anyhow::Result<Context> {
        let root = find_root(cli.vault.as_deref())?;
        let config = load_config(&root, cli.config.as_deref())?;
        let today = cli.today.unwrap_or_else(clock_today);
        let color = match cli.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stdout().is_terminal()
            }
        };
        Ok(Context {
            root,
            config,
            config_file: cli.config.clone(),
            today,
            today_pinned: cli.today.is_some(),
            color,
            indexing: Indexing {
                cache: !cli.no_cache,
                progress: !cli.machine_output(),
            },
            verbose: cli.verbose,
        })
    }

    /// Refuses a file named on the command line (`--out FILE`) that would replace a Markdown
    /// note inside the vault (any `*.md` below its root, existing or not, whatever the path's
    /// folders, `..` or links lead through) or the settings file. Anywhere else is the user's
    /// choice; the writer itself refuses a target that is a symbolic link.
    pub fn check_out_file(&self, path: &Path) -> anyhow::Result<()> {
        let shown = path.display().to_string();
        let (Ok(target), Ok(root)) = (resolve(path), self.root.canonicalize()) else {
            return Ok(());
        };
        let settings = [Some(self.root.join(CONFIG_FILE)), self.config_file.clone()];
        let is_settings = settings
            .iter()
            .flatten()
            .any(|file| resolve(file).is_ok_and(|file| file == target));
        let is_note = target.starts_with(&root)
            && target
                .extension()
                .is_some_and(|ext| ext.eq_ignore_ascii_case("md"));
        let reason = match (is_settings, is_note) {
            (true, _) => "it is the vault's settings file",
            (false, true) => "it is a Markdown file inside the vault, where every `*.md` is a note",
            (false, false) => return Ok(()),
        };
        Err(anyhow::Error::new(crate::write::Refused {
            shown,
            reason: reason.to_string(),
            hint: "name a file that is not a note, such as `reminders.txt`, or one outside the \
                   vault",
        }))
    }

    /// Reads and indexes the whole vault.
    pub fn load(&self) -> &'static Vault {
        self.load_for(self.today)
    }

    /// Reads and indexes the whole vault, with `day` as today. The index lives until the
    /// process ends: a command runs once and exits, and freeing every note's strings one by one
    /// at the end would cost about a twentieth of the run.
    pub fn load_for(&self, day: NaiveDate) -> &'static Vault {
        let (vault, report) = Vault::index(&self.root, self.config.clone(), day, &self.indexing);
        if self.verbose {
            eprintln!("{}", report.summary());
        }
        Box::leak(Box::new(vault))
    }
}

/// Today by the system's clock (local time). Debug builds let the integration tests move the
/// clock: `VAULT_TEST_CLOCK_FILE` names a file holding the day.
pub(crate) fn clock_today() -> NaiveDate {
    #[cfg(debug_assertions)]
    if let Some(file) = std::env::var_os("VAULT_TEST_CLOCK_FILE") {
        let day = std::fs::read_to_string(file).ok();
        if let Some(day) = day.and_then(|d| d.trim().parse().ok()) {
            return day;
        }
    }
    chrono::Local::now().date_naive()
}

/// `--vault`/`VAULT_DIR`, else the nearest folder upward holding `vault.yaml`. Without either,
/// the tool stops rather than index (or write into) a folder that is not a vault.
pub(crate) fn find_root(explicit: Option<&Path>) -> anyhow::Result<PathBuf> {
    if let Some(dir) = explicit {
        if !dir.is_dir() {
            bail!("no vault at `{}`: not a folder", dir.display());
        }
        return Ok(dir.to_path_buf());
    }
    let cwd = std::env::current_dir().context("finding the current folder")?;
    match cwd.ancestors().find(|dir| dir.join(CONFIG_FILE).is_file()) {
        Some(root) => Ok(root.to_path_buf()),
        None => bail!(
            "no vault here: neither `{}` nor any folder above it holds {CONFIG_FILE}\n\
             hint: run `vault init` to make this folder a vault, or pass `--vault DIR` \
             (or set VAULT_DIR) to read a folder of notes as one",
            cwd.display()
        ),
    }
}

pub(crate) fn load_config(root: &Path, explicit: Option<&Path>) -> anyhow::Result<Config> {
    let path = explicit.map_or_else(|| root.join(CONFIG_FILE), Path::to_path_buf);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && explicit.is_none() => {
            return Ok(Config::default())
        }
        Err(e) => {
            return Err(e).with_context(|| format!("reading the settings in `{}`", path.display()))
        }
    };
    let shown = if explicit.is_some() {
        path.display().to_string()
    } else {
        CONFIG_FILE.to_string()
    };
    Config::parse(&text, &shown).map_err(|problems| {
        let base = if explicit.is_some() {
            Path::new("")
        } else {
            root
        };
        anyhow::Error::new(Rendered(diagnostic::render_human(&problems, base, false)))
    })
}

/// Where `path` leads: the nearest existing folder above it with its links resolved, then the
/// rest of the path with `.` and `..` applied (folders that do not exist yet cannot be links).
fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    use std::path::Component;
    let absolute = std::path::absolute(path)?;
    for existing in absolute.ancestors() {
        let Ok(mut resolved) = existing.canonicalize() else {
            continue;
        };
        let rest = absolute.strip_prefix(existing).unwrap_or(Path::new(""));
        for component in rest.components() {
            match component {
                Component::ParentDir => {
                    resolved.pop();
                }
                Component::Normal(name) => resolved.push(name),
                _ => {}
            }
        }
        return Ok(resolved);
    }
    Ok(absolute)
}

/// `dir/BASE.md`, or with `-2`, `-3`, ... when that file (or one in `taken`, made earlier in
/// the same run) exists; the path chosen is added to `taken`.
pub(crate) fn free_path(
    ctx: &Context,
    dir: &str,
    base: &str,
    taken: &mut std::collections::HashSet<String>,
) -> anyhow::Result<String> {
    for n in 1.. {
        let stem = if n == 1 {
            base.to_string()
        } else {
            format!("{base}-{n}")
        };
        let rel = format!("{dir}/{stem}.md");
        let key = crate::resolve::key(&rel);
        if !taken.contains(&key) && crate::write::read_in(&ctx.root, &rel)?.is_none() {
            taken.insert(key);
            return Ok(rel);
        }
    }
    unreachable!("some number is free")
}

/// The partner a user named, as `vault show` finds it; unknown or ambiguous names are errors
/// listing the candidates (exit 2).
pub fn find_partner(vault: &Vault, query: &str) -> anyhow::Result<usize> {
    match vault.lookup(query) {
        Lookup::Found(index) => Ok(index),
        Lookup::Ambiguous(candidates) => {
            let list: Vec<String> = candidates
                .iter()
                .map(|&i| format!("  {} ({})", vault.partners[i].name, vault.partners[i].path))
                .collect();
            bail!(
                "`{query}` matches more than one partner:\n{}\nname one by its path, e.g. `{}`",
                list.join("\n"),
                vault.partners[candidates[0]].path
            )
        }
        Lookup::NotFound(suggestions) => match suggestions.as_slice() {
            [] => bail!("no partner named `{query}`; `vault list` shows them all"),
            names => bail!(
                "no partner named `{query}`; did you mean {}?",
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
        },
    }
}

pub use crate::text::paint;

/// A stderr note when the vault has errors, for commands other than `check`.
pub fn note_errors(vault: &Vault) {
    let errors = vault.error_count();
    if errors > 0 {
        eprintln!("note: the vault has {errors} error(s); run `vault check` to see them");
    }
}

//! `vault init [DIR]`: a new vault with its settings, folders, `.gitignore` and one example.

use crate::cli::{Cli, InitArgs};
use crate::config::{CONFIG_FILE, DEFAULT_CONFIG_YAML};
use crate::error::EXIT_OK;
use crate::render::{Templates, BUILT_IN, PARTNER};
use crate::views::NewPartnerView;
use anyhow::{bail, Context as _};
use std::io::Write;
use std::path::{Path, PathBuf};

const FOLDERS: [&str; 4] = ["partners", "notes", "reviews", "templates"];
const EXAMPLE_PATH: &str = "partners/ada-example.md";

pub fn run(args: &InitArgs, cli: &Cli, out: &mut dyn Write) -> anyhow::Result<u8> {
    if args.templates {
        return copy_templates(args, cli, out);
    }
    let dir: PathBuf = args.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    let config = dir.join(CONFIG_FILE);
    if config.exists() {
        bail!(
            "`{}` already holds a vault ({CONFIG_FILE} exists); nothing was changed",
            dir.display()
        );
    }
    if dir.join(EXAMPLE_PATH).exists() {
        bail!(
            "`{}` already exists; nothing was changed",
            dir.join(EXAMPLE_PATH).display()
        );
    }
    for folder in FOLDERS {
        std::fs::create_dir_all(dir.join(folder))
            .with_context(|| format!("creating `{}`", dir.join(folder).display()))?;
    }
    write_new(&dir.join(EXAMPLE_PATH), &example_partner(&dir, cli)?)?;
    let gitignore = ensure_gitignore(&dir)?;
    write_new(&config, DEFAULT_CONFIG_YAML)?;
    writeln!(out, "Created a vault in {}:", dir.display())?;
    writeln!(
        out,
        "  {CONFIG_FILE}      settings, every default written out"
    )?;
    writeln!(
        out,
        "  {}/  partners/, notes/, reviews/, templates/",
        dir.display()
    )?;
    writeln!(out, "  .gitignore      {gitignore}")?;
    writeln!(
        out,
        "  {EXAMPLE_PATH}  an example partner to copy or delete"
    )?;
    writeln!(
        out,
        "Next: add partner notes, run `vault check`, and start each week with `vault review`."
    )?;
    Ok(EXIT_OK)
}

/// The example partner, from the partner template, dated today so a new vault checks clean.
fn example_partner(dir: &Path, cli: &Cli) -> anyhow::Result<String> {
    let today = cli
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let view = NewPartnerView {
        name: "Ada Example".into(),
        aliases: vec!["Ada".into()],
        org: Some("Example Media".into()),
        kind: "podcast".into(),
        stage: "prospect".into(),
        tier: "B".into(),
        tags: vec!["example".into()],
        today: today.to_string(),
    };
    Templates::load(dir, "templates")?.render(PARTNER, &view)
}

/// `vault init --templates`: the built-in templates, copied into the vault's templates folder
/// for editing. Refuses (and writes nothing) if any of them is already there.
fn copy_templates(args: &InitArgs, cli: &Cli, out: &mut dyn Write) -> anyhow::Result<u8> {
    let root = match &args.dir {
        Some(dir) => dir.clone(),
        None => super::find_root(cli.vault.as_deref())?,
    };
    let config = super::load_config(&root, cli.config.as_deref())?;
    let dir = root.join(&config.templates_dir);
    let existing: Vec<String> = BUILT_IN
        .iter()
        .map(|(name, _)| dir.join(name))
        .filter(|path| path.exists())
        .map(|path| path.display().to_string())
        .collect();
    if !existing.is_empty() {
        bail!(
            "refusing to overwrite {}; nothing was changed",
            existing.join(", ")
        );
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("creating `{}`", dir.display()))?;
    for (name, text) in BUILT_IN {
        write_new(&dir.join(name), text)?;
        writeln!(out, "wrote {}", dir.join(name).display())?;
    }
    writeln!(
        out,
        "Edit them to change the review page and reminders; `vault docs templates` lists the variables."
    )?;
    Ok(EXIT_OK)
}

fn write_new(path: &Path, text: &str) -> anyhow::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("creating `{}`", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("writing `{}`", path.display()))
}

/// Makes sure `.gitignore` ignores `.vault/`, adding one line to an existing file if needed.
fn ensure_gitignore(dir: &Path) -> anyhow::Result<&'static str> {
    let path = dir.join(".gitignore");
    match std::fs::read_to_string(&path) {
        Ok(text)
            if text
                .lines()
                .any(|l| matches!(l.trim(), ".vault" | ".vault/" | "/.vault/" | "/.vault")) =>
        {
            Ok("already ignores .vault/")
        }
        Ok(text) => {
            let separator = if text.is_empty() || text.ends_with('\n') {
                ""
            } else {
                "\n"
            };
            let mut file = std::fs::OpenOptions::new()
                .append(true)
                .open(&path)
                .with_context(|| format!("opening `{}`", path.display()))?;
            file.write_all(format!("{separator}.vault/\n").as_bytes())?;
            Ok("added .vault/")
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            write_new(&path, ".vault/\n")?;
            Ok("ignores .vault/ (the tool's cache)")
        }
        Err(e) => Err(e).with_context(|| format!("reading `{}`", path.display())),
    }
}

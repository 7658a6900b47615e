//! `vault init [DIR]`: a new vault with its settings, folders, `.gitignore` and one example.

use crate::cli::{Cli, InitArgs};
use crate::config::{CONFIG_FILE, DEFAULT_CONFIG_YAML};
use crate::error::EXIT_OK;
use crate::render::{Templates, BUILT_IN, PARTNER};
use crate::views::NewPartnerView;
use crate::write;
use anyhow::{bail, Context as _};
use std::io::Write;
use std::path::{Path, PathBuf};

const FOLDERS: [&str; 4] = ["partners", "notes", "reviews", "templates"];
const EXAMPLE_PATH: &str = "partners/ada-example.md";

pub fn run(args: &InitArgs, cli: &Cli, out: &mut dyn Write) -> anyhow::Result<u8> {
    if args.templates {
        return copy_templates(args, cli, out);
    }
    // `vault --vault DIR init` means that folder too, rather than the current one.
    let dir: PathBuf = args
        .dir
        .clone()
        .or_else(|| cli.vault.clone())
        .unwrap_or_else(|| PathBuf::from("."));
    let config = dir.join(CONFIG_FILE);
    // Without following links: a dangling `vault.yaml` link counts as there too.
    if config.symlink_metadata().is_ok() {
        bail!(
            "`{}` already holds a vault ({CONFIG_FILE} exists); nothing was changed",
            dir.display()
        );
    }
    if dir.join(EXAMPLE_PATH).symlink_metadata().is_ok() {
        bail!(
            "`{}` already exists; nothing was changed",
            dir.join(EXAMPLE_PATH).display()
        );
    }
    // Read before anything is created, so a `.gitignore` the writer refuses (a symbolic link)
    // stops init with nothing changed.
    let gitignore = plan_gitignore(&dir)?;
    for folder in FOLDERS {
        std::fs::create_dir_all(dir.join(folder))
            .with_context(|| format!("creating `{}`", dir.join(folder).display()))?;
    }
    write_new(&dir.join(EXAMPLE_PATH), &example_partner(&dir, cli)?)?;
    let gitignore = gitignore.write(&dir)?;
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
        id: "ada-example".into(),
        aliases: vec!["Ada".into()],
        org: Some("Example Media".into()),
        kind: "podcast".into(),
        stage: "prospect".into(),
        tier: "B".into(),
        tags: vec!["example".into()],
        today: today.to_string(),
        source: None,
        about: None,
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

/// Creates a file that must not exist yet, through the one safe writer.
fn write_new(path: &Path, text: &str) -> anyhow::Result<()> {
    write::write_new(path, text.as_bytes())
}

/// The lines a vault's `.gitignore` needs: the tool's cache, and the temporary files of a
/// write that was killed (in any folder), each with the spellings that already do the job.
const IGNORED: [(&str, &[&str]); 2] = [
    (".vault/", &[".vault", ".vault/", "/.vault/", "/.vault"]),
    (
        write::TEMP_PATTERN,
        &[write::TEMP_PATTERN, "**/.vault-tmp-*"],
    ),
];

/// What `vault init` will do to `.gitignore`.
struct GitignorePlan {
    /// The new content, `None` when the file already ignores everything.
    content: Option<Vec<u8>>,
    existed: bool,
    added: Vec<&'static str>,
}

/// Makes sure `.gitignore` ignores `.vault/` and `.vault-tmp-*`, adding lines to an existing
/// file rather than replacing it.
fn plan_gitignore(dir: &Path) -> anyhow::Result<GitignorePlan> {
    let current = write::read_target(&dir.join(".gitignore"))?;
    let existed = current.is_some();
    let mut content = current.unwrap_or_default();
    let text = String::from_utf8_lossy(&content).into_owned();
    let added: Vec<&'static str> = IGNORED
        .iter()
        .filter(|(_, spellings)| !text.lines().any(|l| spellings.contains(&l.trim())))
        .map(|(line, _)| *line)
        .collect();
    if !content.is_empty() && !content.ends_with(b"\n") && !added.is_empty() {
        content.push(b'\n');
    }
    for line in &added {
        content.extend_from_slice(format!("{line}\n").as_bytes());
    }
    Ok(GitignorePlan {
        content: (!added.is_empty()).then_some(content),
        existed,
        added,
    })
}

impl GitignorePlan {
    /// Writes the planned `.gitignore`; says what it did.
    fn write(self, dir: &Path) -> anyhow::Result<String> {
        let Some(content) = self.content else {
            return Ok("already ignores .vault/ and .vault-tmp-*".into());
        };
        let path = dir.join(".gitignore");
        if self.existed {
            write::write_if_changed(&path, &content)?;
            Ok(format!("added {}", self.added.join(" and ")))
        } else {
            write::write_new(&path, &content)?;
            Ok("ignores .vault/ (the tool's cache) and .vault-tmp-* (interrupted writes)".into())
        }
    }
}

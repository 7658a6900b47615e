//! `vault new`: a new partner note planned from the command line and the vault. Checks the
//! values against `vault.yaml`, picks the file (`partners/[SUBFOLDER/]<slug>.md`) and a free
//! `id`, and refuses a name, alias or file that the vault already has; rendering and writing
//! are the command's.

use crate::config::Config;
use crate::partner::file_stem;
use crate::reminders;
use crate::resolve;
use crate::slug::slug;
use crate::suggest;
use crate::text;
use crate::vault::{NoteRef, Vault};
use crate::views::NewPartnerView;
use anyhow::{anyhow, bail};
use chrono::NaiveDate;
use std::collections::HashSet;
use std::path::{Component, Path};
use unicode_normalization::UnicodeNormalization;

/// The new partner as asked for on the command line.
#[derive(Debug, Default)]
pub struct Request<'a> {
    pub name: &'a str,
    pub kind: Option<&'a str>,
    pub tier: Option<&'a str>,
    pub stage: Option<&'a str>,
    pub org: Option<&'a str>,
    pub tags: &'a [String],
    pub aliases: &'a [String],
    /// A subfolder of the partners folder.
    pub dir: Option<&'a str>,
}

/// A request checked against the settings: every value known good, the file chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub name: String,
    pub aliases: Vec<String>,
    pub org: Option<String>,
    pub kind: String,
    pub stage: String,
    pub tier: String,
    pub tags: Vec<String>,
    /// The file name's slug, also the `id` unless another note already uses it.
    pub slug: String,
    /// The note's path relative to the vault, `/`-separated.
    pub path: String,
}

/// What the new note will be: where, with which id, and what to tell the user.
#[derive(Debug, Clone)]
pub struct Plan {
    pub draft: Draft,
    pub id: String,
    /// Things worth knowing that do not stop the note from being created.
    pub warnings: Vec<String>,
}

/// The stage a new partner gets without `--stage`, when `vault.yaml` has it.
pub const DEFAULT_STAGE: &str = "prospect";
/// The kind a new partner gets without `--kind`, when `vault.yaml` has it.
pub const DEFAULT_KIND: &str = "other";

impl Draft {
    /// Checks the request against the settings alone (no note is read): the name gives a file
    /// name, `--kind`/`--tier`/`--stage` are in `vault.yaml` (ignoring case, written as there),
    /// `--dir` stays inside the partners folder, and no value holds a control character.
    pub fn new(config: &Config, request: &Request) -> anyhow::Result<Draft> {
        let name = value("NAME", request.name)?;
        let slug = slug(&name);
        if slug.is_empty() {
            bail!(
                "the name `{}` has no letter or digit to make a file name from; nothing was \
                 written\nhint: give the partner's name in letters, e.g. `vault new \"Ana \
                 López\"`",
                text::short(&name)
            );
        }
        let mut aliases: Vec<String> = Vec::new();
        for alias in request.aliases {
            let alias = value("--alias", alias)?;
            let key = resolve::key(&alias);
            if key != resolve::key(&name) && !aliases.iter().any(|a| resolve::key(a) == key) {
                aliases.push(alias);
            }
        }
        let mut tags: Vec<String> = Vec::new();
        for tag in request.tags {
            let tag = value("--tag", tag)?;
            if !tags.iter().any(|t| t.to_lowercase() == tag.to_lowercase()) {
                tags.push(tag);
            }
        }
        let org = match request.org {
            Some(org) if !org.trim().is_empty() => Some(value("--org", org)?),
            _ => None,
        };
        let tiers: Vec<String> = config.tiers.keys().cloned().collect();
        let kind = match request.kind {
            Some(kind) => one_of("kind", kind, &config.kinds)?,
            None => find(&config.kinds, DEFAULT_KIND).unwrap_or_default(),
        };
        let stage = match request.stage {
            Some(stage) => one_of("stage", stage, &config.stages)?,
            None => find(&config.stages, DEFAULT_STAGE)
                .or_else(|| config.stages.first().cloned())
                .unwrap_or_default(),
        };
        let tier = match request.tier {
            Some(tier) => one_of("tier", tier, &tiers)?,
            None => config.default_tier.clone(),
        };
        let folder = match request.dir {
            Some(dir) => subfolder(dir)?,
            None => String::new(),
        };
        let path = [config.partners_dir.as_str(), &folder, &format!("{slug}.md")]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join("/");
        Ok(Draft {
            name,
            aliases,
            org,
            kind,
            stage,
            tier,
            tags,
            slug,
            path,
        })
    }

    /// Checks the draft against the vault's partners: refuses a name or alias that already
    /// names a partner (its name, an alias or its file name, compared as links are: ignoring
    /// case and Unicode normalisation) and a file that exists; picks an `id` no note uses.
    pub fn plan(self, vault: &Vault) -> anyhow::Result<Plan> {
        for wanted in std::iter::once(&self.name).chain(&self.aliases) {
            let key = resolve::key(wanted);
            for p in &vault.partners {
                let as_name = p.names().any(|n| resolve::key(n) == key);
                let what = if as_name {
                    "the name or an alias"
                } else if resolve::key(p.stem()) == key {
                    "the file name"
                } else {
                    continue;
                };
                bail!(
                    "`{}` is already {what} of the partner `{}` ({}); nothing was written\n\
                     hint: names, aliases and file names are compared ignoring case; add to \
                     that note instead, or tell the two apart in the name (with their org, say)",
                    text::short(wanted),
                    text::short(&p.name),
                    text::short(&p.path),
                );
            }
        }
        if crate::write::read_in(&vault.root, &self.path)?.is_some() {
            let whose = vault
                .partners
                .iter()
                .find(|p| p.path == self.path)
                .map(|p| format!(" (the partner `{}`)", text::short(&p.name)))
                .unwrap_or_default();
            bail!(
                "`{}` already exists{whose}; nothing was written\nhint: pass `--dir SUBFOLDER` \
                 to put the new note in another folder, or move the existing file away",
                self.path
            );
        }
        let mut warnings = Vec::new();
        let stem = resolve::key(&self.slug);
        let same_stem: Vec<&str> = vault
            .partners
            .iter()
            .map(|p| p.path.as_str())
            .chain(vault.others.iter().map(|o| o.path.as_str()))
            .filter(|path| resolve::key(file_stem(path)) == stem)
            .collect();
        if !same_stem.is_empty() {
            warnings.push(format!(
                "`{}` shares its file name with {}: a link `[[{}]]` names more than one note; \
                 link by name (`[[{}]]`) or by path",
                self.path,
                same_stem
                    .iter()
                    .map(|p| format!("`{}`", text::short(p)))
                    .collect::<Vec<_>>()
                    .join(", "),
                self.slug,
                text::short(&self.name),
            ));
        }
        let id = free_id(vault, &self.slug, &HashSet::new());
        Ok(Plan {
            draft: self,
            id,
            warnings,
        })
    }
}

impl Plan {
    /// What `partner.md.tera` sees.
    pub fn view(&self, today: NaiveDate) -> NewPartnerView {
        let d = &self.draft;
        NewPartnerView {
            name: d.name.clone(),
            id: self.id.clone(),
            aliases: d.aliases.clone(),
            org: d.org.clone(),
            kind: d.kind.clone(),
            stage: d.stage.clone(),
            tier: d.tier.clone(),
            tags: d.tags.clone(),
            today: today.format("%Y-%m-%d").to_string(),
            source: None,
            about: None,
        }
    }
}

/// `slug`, or `slug-2`, `slug-3`, ... : the first that is no note's calendar identity (a
/// partner's `id:` or name slug, another note's `id:` or path slug) and not in `also_taken`
/// (keys, as [`resolve::key`] makes them), ignoring case.
pub fn free_id(vault: &Vault, slug: &str, also_taken: &HashSet<String>) -> String {
    let mut taken: HashSet<String> = (0..vault.partners.len())
        .map(NoteRef::Partner)
        .chain((0..vault.others.len()).map(NoteRef::Other))
        .map(|note| resolve::key(&reminders::note_id(vault, note)))
        .collect();
    taken.extend(also_taken.iter().cloned());
    std::iter::once(slug.to_string())
        .chain((2..).map(|n| format!("{slug}-{n}")))
        .find(|id| !taken.contains(&resolve::key(id)))
        .expect("some number is free")
}

/// A value from the command line, trimmed and in NFC; refused when empty or holding a control
/// character (a line break would break the front matter's one-line values).
fn value(what: &str, raw: &str) -> anyhow::Result<String> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        bail!("{what} is empty; nothing was written");
    }
    if trimmed.chars().any(char::is_control) {
        bail!(
            "{what} `{}` holds a control character (a line break, a tab, ...); nothing was \
             written\nhint: give it on one line, as plain text",
            text::short(trimmed)
        );
    }
    Ok(trimmed.nfc().collect())
}

/// The entry of `allowed` that is `wanted` ignoring case, as `vault.yaml` spells it.
fn find(allowed: &[String], wanted: &str) -> Option<String> {
    let wanted = wanted.trim().to_lowercase();
    allowed.iter().find(|a| a.to_lowercase() == wanted).cloned()
}

/// `--kind`, `--stage` or `--tier` as `vault.yaml` spells it; an unknown one is refused with the
/// closest allowed value.
fn one_of(what: &str, wanted: &str, allowed: &[String]) -> anyhow::Result<String> {
    find(allowed, wanted).ok_or_else(|| {
        anyhow!(
            "--{what}: unknown {what} `{}`; nothing was written\nhint: {}",
            text::short(wanted),
            suggest::hint_for(wanted, allowed, &format!("the {what}s"))
        )
    })
}

/// `--dir` as a `/`-separated path inside the partners folder: relative, no `..`, no hidden
/// folder (hidden folders are never read), `.` parts dropped.
fn subfolder(dir: &str) -> anyhow::Result<String> {
    let refuse = |why: &str| {
        anyhow!(
            "--dir `{}`: {why}; nothing was written\nhint: name a folder inside the partners \
             folder, such as `--dir media` or `--dir events/2026`",
            text::short(dir)
        )
    };
    let mut parts = Vec::new();
    for component in Path::new(dir).components() {
        match component {
            Component::Normal(part) => {
                let part = part
                    .to_str()
                    .ok_or_else(|| refuse("the folder name is not UTF-8"))?;
                if part.starts_with('.') {
                    return Err(refuse("hidden folders are never read"));
                }
                if part.starts_with('~') {
                    return Err(refuse(
                        "`~` is not expanded here; the path must be relative",
                    ));
                }
                if part.chars().any(char::is_control) {
                    return Err(refuse("it holds a control character"));
                }
                parts.push(part);
            }
            Component::CurDir => {}
            Component::ParentDir => return Err(refuse("`..` would leave the partners folder")),
            Component::RootDir | Component::Prefix(_) => {
                return Err(refuse(
                    "it must be a relative path inside the partners folder",
                ))
            }
        }
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(request: Request) -> anyhow::Result<Draft> {
        Draft::new(&Config::default(), &request)
    }

    fn named(name: &str) -> Request<'_> {
        Request {
            name,
            ..Request::default()
        }
    }

    #[test]
    fn defaults_come_from_the_settings() {
        let d = draft(named("Zoë Ångström")).unwrap();
        assert_eq!(d.path, "partners/zoe-angstrom.md");
        assert_eq!(d.slug, "zoe-angstrom");
        assert_eq!(
            (d.kind.as_str(), d.stage.as_str(), d.tier.as_str()),
            ("other", "prospect", "B")
        );
        // Without `other` and `prospect` in vault.yaml: no kind, the first stage.
        let config = Config::parse(
            "kinds: [podcast]\nstages: [lead, dormant]\ntiers: {X: 1w}\ndefault_tier: X\n",
            "vault.yaml",
        )
        .unwrap();
        let d = Draft::new(&config, &named("Ana")).unwrap();
        assert_eq!(
            (d.kind.as_str(), d.stage.as_str(), d.tier.as_str()),
            ("", "lead", "X")
        );
    }

    #[test]
    fn choices_ignore_case_and_are_written_as_in_the_settings() {
        let d = draft(Request {
            kind: Some("PODCAST"),
            stage: Some("Nurturing"),
            tier: Some("a"),
            ..named("Ana")
        })
        .unwrap();
        assert_eq!(
            (d.kind.as_str(), d.stage.as_str(), d.tier.as_str()),
            ("podcast", "nurturing", "A")
        );
        let error = draft(Request {
            kind: Some("podcst"),
            ..named("Ana")
        })
        .unwrap_err()
        .to_string();
        assert!(error.contains("did you mean `podcast`?"), "{error}");
        let error = draft(Request {
            tier: Some("Z"),
            ..named("Ana")
        })
        .unwrap_err()
        .to_string();
        assert!(error.contains("the tiers are: A, B, C"), "{error}");
    }

    #[test]
    fn dir_stays_inside_the_partners_folder() {
        let d = |dir| {
            draft(Request {
                dir: Some(dir),
                ..named("Ana")
            })
        };
        assert_eq!(d("media").unwrap().path, "partners/media/ana.md");
        assert_eq!(
            d("./media/2026/").unwrap().path,
            "partners/media/2026/ana.md"
        );
        assert_eq!(d(".").unwrap().path, "partners/ana.md");
        for bad in [
            "../x",
            "media/../../x",
            "/tmp/x",
            ".hidden",
            "~/x",
            "a/.git",
        ] {
            assert!(d(bad).is_err(), "--dir {bad}");
        }
    }

    #[test]
    fn values_are_trimmed_normalised_and_deduplicated() {
        let aliases = [
            "Zoë".to_string(),
            " zoe\u{308} ".into(),
            "Zoë Ångström".into(),
        ];
        let tags = ["music".to_string(), "Music".into(), "audio".into()];
        let d = draft(Request {
            aliases: &aliases,
            tags: &tags,
            org: Some("  "),
            ..named("  Zoe\u{308} Ångström ")
        })
        .unwrap();
        assert_eq!(d.name, "Zoë Ångström");
        assert_eq!(d.aliases, ["Zoë"]);
        assert_eq!(d.tags, ["music", "audio"]);
        assert_eq!(d.org, None);
    }

    #[test]
    fn refuses_names_without_letters_and_control_characters() {
        let error = draft(named("🎙 — 🎙")).unwrap_err().to_string();
        assert!(error.contains("no letter or digit"), "{error}");
        assert!(draft(named("   ")).is_err());
        assert!(draft(named("Ana\nBen")).is_err());
        let aliases = ["A\u{1b}[2J".to_string()];
        assert!(draft(Request {
            aliases: &aliases,
            ..named("Ana")
        })
        .is_err());
    }
}

//! What the commands that edit a partner's note share: finding the note, refusing an edit that
//! is not safe, and showing (`--dry-run`) or writing the change, one line to say what changed.

use super::{find_partner, Context};
use crate::error::{Rendered, EXIT_OK};
use crate::layout::Layout;
use crate::note::{self, Role};
use crate::text;
use crate::vault::Vault;
use crate::write::{read_in, replace_unchanged_in};
use anyhow::Context as _;
use std::io::Write;

/// Problems that make a note unsafe to edit: the tool could not tell what it would change.
const BLOCKING: [&str; 8] = [
    "conflict-marker",
    "invalid-utf8",
    "nul-byte",
    "yaml-syntax",
    "unclosed-front-matter",
    "missing-front-matter",
    "toml-front-matter",
    "front-matter-not-mapping",
];

/// A partner's note, read for editing.
pub struct NoteEdit {
    pub partner: usize,
    pub rel: String,
    /// The bytes as read: the write is refused if the file no longer holds them.
    original: Vec<u8>,
    bom: bool,
    /// The text after the BOM.
    pub text: String,
    pub layout: Layout,
}

/// Reads the note of the partner `name` names, refusing one with conflict markers, bytes that
/// are not UTF-8 or front matter that does not parse (the error names the file and line).
pub fn open(ctx: &Context, vault: &Vault, name: &str) -> anyhow::Result<NoteEdit> {
    let partner = find_partner(vault, name)?;
    let rel = vault.partners[partner].path.clone();
    let original = read_in(&ctx.root, &rel)?
        .with_context(|| format!("`{rel}` is gone; nothing was written"))?;
    let parsed = note::parse(&rel, &original, Role::Partner, &ctx.config);
    if let Some(problem) = parsed
        .diagnostics
        .iter()
        .find(|d| BLOCKING.contains(&d.code))
    {
        return Err(anyhow::Error::new(Rendered(format!(
            "vault: error: refusing to edit `{}`: {}; nothing was written\n\
             hint: fix it first (`vault check` shows it), then run the command again",
            problem.location(),
            text::short(&problem.message),
        ))));
    }
    let text = String::from_utf8(original.clone()).context("the note is not UTF-8")?;
    let bom = text.starts_with('\u{feff}');
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
    let layout = Layout::of(&text, bom, &ctx.config.log_heading);
    Ok(NoteEdit {
        partner,
        rel,
        original,
        bom,
        text,
        layout,
    })
}

impl NoteEdit {
    /// Writes `new_text` (or prints the diff with `dry_run`), then `summary` on one line.
    pub fn finish(
        &self,
        ctx: &Context,
        new_text: &str,
        summary: &str,
        dry_run: bool,
        out: &mut dyn Write,
    ) -> anyhow::Result<u8> {
        let mut bytes = Vec::with_capacity(new_text.len() + 3);
        if self.bom {
            bytes.extend_from_slice("\u{feff}".as_bytes());
        }
        bytes.extend_from_slice(new_text.as_bytes());
        if dry_run {
            let old = String::from_utf8_lossy(&self.original);
            let new = String::from_utf8_lossy(&bytes);
            let diff = similar::TextDiff::from_lines(old.as_ref(), new.as_ref());
            let a = format!("a/{}", self.rel);
            let b = format!("b/{}", self.rel);
            write!(
                out,
                "{}",
                text::clean(&diff.unified_diff().header(&a, &b).to_string())
            )?;
            writeln!(
                out,
                "(dry run: {} would be changed; nothing was written)",
                self.rel
            )?;
            return Ok(EXIT_OK);
        }
        replace_unchanged_in(&ctx.root, &self.rel, &self.original, &bytes)?;
        writeln!(out, "{}", text::line(summary))?;
        Ok(EXIT_OK)
    }
}

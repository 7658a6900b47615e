//! What the commands that edit a partner's note share: finding the note, refusing an edit that
//! is not safe, and showing (`--dry-run`) or writing the change, one line (or, with
//! `--format json`, one JSON object) to say what changed.

use super::outcome::{changed_lines, main_line, unified_diff, Line, Outcome};
use super::{find_partner, Context};
use crate::cli::{EditFormat, EditOptions};
use crate::edit::UNSAFE_TO_EDIT;
use crate::error::{Rendered, EXIT_OK};
use crate::layout::Layout;
use crate::note::{self, Role};
use crate::text;
use crate::vault::Vault;
use crate::write::{read_in, replace_unchanged_in};
use anyhow::Context as _;
use std::io::Write;

/// A partner's note, read for editing.
pub struct NoteEdit {
    pub partner: usize,
    /// The partner's name, as `--format json` gives it.
    pub partner_name: String,
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
    open_partner(ctx, vault, find_partner(vault, name)?)
}

/// [`open`] for the partner at index `partner`.
pub fn open_partner(ctx: &Context, vault: &Vault, partner: usize) -> anyhow::Result<NoteEdit> {
    let rel = vault.partners[partner].path.clone();
    let original = read_in(&ctx.root, &rel)?
        .with_context(|| format!("`{rel}` is gone; nothing was written"))?;
    let parsed = note::parse(&rel, &original, Role::Partner, &ctx.config);
    if let Some(problem) = parsed
        .diagnostics
        .iter()
        .find(|d| UNSAFE_TO_EDIT.contains(&d.code))
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
        partner_name: vault.partners[partner].name.clone(),
        rel,
        original,
        bom,
        text,
        layout,
    })
}

/// What an edit makes of a note: the new text, the line saying so, and which changed line the
/// command is about.
pub struct Edited<'a> {
    /// The command (`log`, `task`, ...), as `--format json` names it.
    pub action: &'static str,
    pub new_text: &'a str,
    pub summary: String,
    /// Picks the changed line the command is about (the Log entry, the task, the key); the
    /// first changed line when none matches.
    pub is_main: &'a dyn Fn(&str) -> bool,
}

/// Whether a changed line is the front-matter line of `key`.
pub fn key_line(key: &str) -> impl Fn(&str) -> bool + '_ {
    move |line: &str| {
        line.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
    }
}

impl NoteEdit {
    /// The note's bytes with `new_text` in place of its text (its BOM kept).
    fn bytes_of(&self, new_text: &str) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(new_text.len() + 3);
        if self.bom {
            bytes.extend_from_slice("\u{feff}".as_bytes());
        }
        bytes.extend_from_slice(new_text.as_bytes());
        bytes
    }

    /// The unified diff from the note as read to `new_text`.
    pub fn diff(&self, new_text: &str) -> String {
        let old = String::from_utf8_lossy(&self.original);
        let new = String::from_utf8_lossy(&self.bytes_of(new_text)).into_owned();
        unified_diff(Some(&old), &new, &self.rel)
    }

    /// Replaces the note's text with `new_text`, refused if the file changed since it was read.
    pub fn write(&self, ctx: &Context, new_text: &str) -> anyhow::Result<()> {
        replace_unchanged_in(
            &ctx.root,
            &self.rel,
            &self.original,
            &self.bytes_of(new_text),
        )?;
        Ok(())
    }

    /// Writes the edited note (or, with `--dry-run`, shows the diff), then says what changed:
    /// one line, or one JSON object.
    pub fn finish(
        &self,
        ctx: &Context,
        edited: Edited,
        options: &EditOptions,
        out: &mut dyn Write,
    ) -> anyhow::Result<u8> {
        let diff = options.dry_run.then(|| self.diff(edited.new_text));
        if !options.dry_run {
            self.write(ctx, edited.new_text)?;
        }
        if options.format == EditFormat::Json {
            let lines = changed_lines(&self.text, edited.new_text);
            let main = main_line(&lines, edited.is_main);
            self.outcome(edited.action, &edited.summary, options, main, lines, diff)
                .write_json(out)?;
            return Ok(EXIT_OK);
        }
        match diff {
            Some(diff) => {
                write!(out, "{}", text::clean(&diff))?;
                writeln!(
                    out,
                    "(dry run: {} would be changed; nothing was written)",
                    self.rel
                )?;
            }
            None => writeln!(out, "{}", text::line(&edited.summary))?,
        }
        Ok(EXIT_OK)
    }

    /// Says that the command has nothing to change (`summary` says why), and writes nothing.
    pub fn unchanged(
        &self,
        action: &'static str,
        summary: &str,
        options: &EditOptions,
        out: &mut dyn Write,
    ) -> anyhow::Result<u8> {
        match options.format {
            EditFormat::Text => writeln!(out, "{}", text::line(summary))?,
            EditFormat::Json => {
                let diff = options.dry_run.then(String::new);
                self.outcome(action, summary, options, None, Vec::new(), diff)
                    .write_json(out)?;
            }
        }
        Ok(EXIT_OK)
    }

    fn outcome<'a>(
        &'a self,
        action: &'static str,
        summary: &'a str,
        options: &EditOptions,
        main: Option<Line>,
        lines: Vec<Line>,
        diff: Option<String>,
    ) -> Outcome<'a> {
        Outcome {
            action,
            path: &self.rel,
            partner: &self.partner_name,
            line: main.as_ref().map(|l| l.line),
            changed: main.map(|l| l.text),
            lines,
            summary,
            dry_run: options.dry_run,
            diff,
        }
    }
}

//! `vault man [COMMAND]`: the manual page, as roff, of vault (`vault.1`) or of one command
//! (`vault-check.1`, which the main page's list of commands refers to). Needs no vault.

use crate::cli::{Cli, ManArgs};
use crate::error::EXIT_OK;
use anyhow::bail;
use clap::CommandFactory;
use std::io::Write;

pub fn run(args: &ManArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let page = page_of(args.command.as_deref())?;
    let mut roff = Vec::new();
    clap_mangen::Man::new(page)
        .source(format!("vault {}", env!("CARGO_PKG_VERSION")))
        .render(&mut roff)?;
    out.write_all(&title_first(&roff))?;
    Ok(EXIT_OK)
}

/// The command a page is about: vault itself, or the command named.
fn page_of(name: Option<&str>) -> anyhow::Result<clap::Command> {
    // As clap_mangen's own generator does: the built-in `help` command gets no page.
    let mut command = Cli::command().disable_help_subcommand(true);
    // Built, so that each command is named `vault-COMMAND`, as its page is.
    command.build();
    let Some(name) = name else {
        return Ok(command);
    };
    match command.find_subcommand(name) {
        Some(sub) => Ok(sub.clone()),
        None => {
            let names: Vec<&str> = command.get_subcommands().map(|s| s.get_name()).collect();
            bail!(
                "no command named `{name}`; the commands are: {}",
                names.join(", ")
            )
        }
    }
}

/// The page with its `.TH` title line first, as man pages begin. The roff crate writes two
/// lines that define the apostrophe string before it; they still come before any use of it.
fn title_first(roff: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(roff);
    let Some(at) = text.find("\n.TH ") else {
        return roff.to_vec();
    };
    let title_end = text[at + 1..]
        .find('\n')
        .map_or(text.len(), |i| at + 1 + i + 1);
    let mut page = String::with_capacity(text.len() + 1);
    page.push_str(text[at + 1..title_end].trim_end_matches('\n'));
    page.push('\n');
    page.push_str(&text[..at + 1]);
    page.push_str(&text[title_end..]);
    page.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_line_comes_first_and_nothing_is_lost() {
        let roff = b".ie x\n.el y\n.TH vault 1\n.SH NAME\n";
        assert_eq!(title_first(roff), b".TH vault 1\n.ie x\n.el y\n.SH NAME\n");
        assert_eq!(title_first(b".TH a 1\n.SH B\n"), b".TH a 1\n.SH B\n");
        assert_eq!(title_first(b".ie x\n.TH a 1"), b".TH a 1\n.ie x\n");
    }
}

//! `vault watch`: wiring for [`crate::watch`].

use super::{clock_today, load_config, Context};
use crate::cli::WatchArgs;
use crate::config::CONFIG_FILE;
use crate::error::EXIT_OK;
use crate::watch::{self, Watching};
use anyhow::Context as _;
use std::io::Write;

pub fn run(ctx: &Context, args: &WatchArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let root = ctx
        .root
        .canonicalize()
        .with_context(|| format!("finding the vault `{}`", ctx.root.display()))?;
    let settings = match &ctx.config_file {
        Some(file) => std::path::absolute(file).context("finding the settings file")?,
        None => root.join(CONFIG_FILE),
    };
    let (config_root, config_file) = (root.clone(), ctx.config_file.clone());
    let watching = Watching {
        root,
        settings,
        reload_settings: Box::new(move || load_config(&config_root, config_file.as_deref())),
        config: ctx.config.clone(),
        today: ctx.today,
        clock: (!ctx.today_pinned).then_some(clock_today as fn() -> _),
        indexing: ctx.indexing,
        debounce: args.debounce,
        pages: !args.no_pages,
        color: ctx.color,
        verbose: ctx.verbose,
    };
    watch::run(watching, out)?;
    Ok(EXIT_OK)
}

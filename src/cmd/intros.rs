//! `vault intros [--limit N] [--format json]`: suggested introductions, best first, each with
//! why and the command that records it.

use super::Context;
use crate::cli::{IntrosArgs, IntrosFormat};
use crate::error::EXIT_OK;
use crate::intros;
use crate::text;
use crate::views::IntroView;
use std::io::Write;

pub fn run(ctx: &Context, args: &IntrosArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let vault = ctx.load();
    let suggestions = intros::suggest(vault);
    let shown = &suggestions[..args.limit.unwrap_or(usize::MAX).min(suggestions.len())];
    match args.format {
        IntrosFormat::Json => {
            let views: Vec<IntroView> = shown.iter().map(|s| IntroView::new(vault, s)).collect();
            serde_json::to_writer_pretty(&mut *out, &views)?;
            writeln!(out)?;
        }
        IntrosFormat::Text => {
            for (n, s) in shown.iter().enumerate() {
                let v = IntroView::new(vault, s);
                writeln!(
                    out,
                    "{}. {} -> {} (score {})",
                    n + 1,
                    text::line(&v.introduce),
                    text::line(&v.to),
                    v.score
                )?;
                writeln!(out, "   {}", text::line(&v.why))?;
                writeln!(out, "   {}", text::line(&v.command))?;
            }
            writeln!(
                out,
                "{} suggested introduction(s){}",
                suggestions.len(),
                if shown.len() < suggestions.len() {
                    format!(", {} shown (--limit)", shown.len())
                } else {
                    String::new()
                }
            )?;
        }
    }
    Ok(EXIT_OK)
}

//! `vault done NAME TEXT`: tick the one open task of the partner whose text contains TEXT;
//! when several do, list them and write nothing.

use super::{edit, Context};
use crate::cli::DoneArgs;
use crate::edit::tick;
use crate::text;
use anyhow::bail;
use std::io::Write;

pub fn run(ctx: &Context, args: &DoneArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let vault = ctx.load();
    let note = edit::open(ctx, vault, &args.name)?;
    let wanted = args.text.trim().to_lowercase();
    let matching: Vec<usize> = (0..note.layout.tasks.len())
        .filter(|&i| {
            let task = &note.layout.tasks[i];
            !task.done && task.text.to_lowercase().contains(&wanted)
        })
        .collect();
    let index = match matching.as_slice() {
        [one] => *one,
        [] => bail!(
            "no open task of {} in `{}` contains `{}`",
            vault.partners[note.partner].name,
            note.rel,
            args.text
        ),
        several => {
            let list: Vec<String> = several
                .iter()
                .map(|&i| {
                    let task = &note.layout.tasks[i];
                    format!("  {}:{}  {}", note.rel, task.line, text::line(&task.text))
                })
                .collect();
            bail!(
                "{} open tasks contain `{}`; nothing was changed:\n{}\nhint: give more of the text",
                several.len(),
                args.text,
                list.join("\n")
            )
        }
    };
    let task = &note.layout.tasks[index];
    let new = tick(&note.text, &note.layout, index);
    let edited = edit::Edited {
        action: "done",
        new_text: &new,
        summary: format!("{}:{}: done `{}`", note.rel, task.line, task.text),
        is_main: &|_: &str| true,
    };
    note.finish(ctx, edited, &args.edit, out)
}

//! Long JSON lists, pretty-printed in parallel, byte for byte as `serde_json` prints them.

use rayon::prelude::*;
use serde::Serialize;
use std::io::Write;

/// Writes `items` as `serde_json::to_writer_pretty` would, followed by a line break; the items
/// are printed on all cores (a list of 10k partners is megabytes of JSON).
pub fn write_pretty_list<T: Serialize + Sync>(
    out: &mut dyn Write,
    items: &[T],
) -> anyhow::Result<()> {
    write_pretty_each(out, items.len(), |i| &items[i])
}

/// Items printed at once: enough to keep both cores busy, few enough that a list of 100k
/// partners is never held whole, neither as items nor as text.
const BATCH: usize = 4096;

/// [`write_pretty_list`] of the `count` items `make` makes (from 0 up), made and printed a batch
/// at a time.
pub fn write_pretty_each<T: Serialize + Send + Sync>(
    out: &mut dyn Write,
    count: usize,
    make: impl Fn(usize) -> T + Sync,
) -> anyhow::Result<()> {
    if count == 0 {
        out.write_all(b"[]\n")?;
        return Ok(());
    }
    out.write_all(b"[\n")?;
    for batch in (0..count).step_by(BATCH) {
        let items: Vec<T> = (batch..count.min(batch + BATCH))
            .into_par_iter()
            .map(&make)
            .collect();
        // Each run of items printed as a list of its own is, between its brackets, exactly
        // those items as the whole list prints them: `[\n  {...},\n  {...}\n]`.
        let printed: Vec<Vec<u8>> = items
            .par_chunks(256)
            .map(serde_json::to_vec_pretty)
            .collect::<serde_json::Result<_>>()?;
        for (i, text) in printed.iter().enumerate() {
            if batch > 0 || i > 0 {
                out.write_all(b",\n")?;
            }
            let inside = text
                .strip_prefix(b"[\n")
                .and_then(|t| t.strip_suffix(b"\n]"))
                .ok_or_else(|| anyhow::anyhow!("serde_json printed a list unexpectedly"))?;
            out.write_all(inside)?;
        }
    }
    out.write_all(b"\n]\n")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn printed(items: &[serde_json::Value]) -> String {
        let mut out = Vec::new();
        write_pretty_list(&mut out, items).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn prints_as_serde_json_does() {
        let item = |i: usize| json!({"name": format!("P{i}\nwith a break"), "tags": [], "extra": {}, "n": [1, {"a": null}]});
        for count in [0, 1, 2, 255, 256, 257, 1000] {
            let items: Vec<_> = (0..count).map(item).collect();
            let expected = serde_json::to_string_pretty(&items).unwrap() + "\n";
            assert_eq!(printed(&items), expected, "{count} items");
        }
    }
}

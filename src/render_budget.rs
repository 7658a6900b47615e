//! Bounds on one template rendering, so that a template from a blog post cannot hang the tool or
//! exhaust memory: at most [`TIME`] of rendering, [`OUTPUT`] bytes of output, and [`MEMORY`] of
//! growth of the process's resident memory. Past a bound the process stops with exit code 2 and
//! names the template; nothing has been written at that point, since pages are written only
//! after rendering.

use std::io::Write;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long one rendering may take.
pub const TIME: Duration = Duration::from_secs(5);
/// How many bytes one rendering may produce.
pub const OUTPUT: usize = 32 << 20;
/// How much the resident memory may grow while one rendering runs.
pub const MEMORY: u64 = 1 << 30;
/// How often the watchdog looks at the clock and at memory.
const TICK: Duration = Duration::from_millis(20);

/// Runs `render` under the bounds; `source` names the template in the message.
pub fn run<T>(source: &str, render: impl FnOnce() -> T) -> T {
    let (done, finished) = mpsc::channel::<()>();
    let name = source.to_string();
    let watchdog = std::thread::spawn(move || watch(&name, &finished));
    let result = render();
    let _ = done.send(());
    let _ = watchdog.join();
    result
}

fn watch(source: &str, finished: &mpsc::Receiver<()>) {
    let started = Instant::now();
    let base = resident_bytes();
    loop {
        match finished.recv_timeout(TICK) {
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            _ => return,
        }
        if started.elapsed() > TIME {
            stop(
                source,
                &format!("it ran for more than {} s", TIME.as_secs()),
            );
        }
        if let (Some(base), Some(now)) = (base, resident_bytes()) {
            if now.saturating_sub(base) > MEMORY {
                stop(
                    source,
                    &format!("it used more than {} MiB of memory", MEMORY >> 20),
                );
            }
        }
    }
}

fn stop(source: &str, why: &str) -> ! {
    let _ = writeln!(std::io::stderr(), "{}", over_budget(source, why));
    std::process::exit(crate::error::EXIT_TOOL.into())
}

/// What the user is told when the rendering of `source` went past a bound, `why`.
pub fn over_budget(source: &str, why: &str) -> String {
    format!(
        "vault: error in template `{source}`: {why}; stopped, nothing was written\n\
         hint: look for loops that never end or output that keeps growing"
    )
}

/// The process's resident memory, where the system tells it (Linux).
fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// A writer that refuses more than [`OUTPUT`] bytes.
#[derive(Default)]
pub struct Bounded {
    pub bytes: Vec<u8>,
    /// Set once a write was refused (the template engine reports only an I/O error).
    pub exceeded: bool,
}

impl Write for Bounded {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > OUTPUT {
            self.exceeded = true;
            return Err(std::io::Error::other(format!(
                "the output grew past {} MiB",
                OUTPUT >> 20
            )));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_writer_refuses_past_the_bound() {
        let mut out = Bounded::default();
        assert!(out.write_all(&vec![b'x'; OUTPUT]).is_ok());
        assert!(out.write_all(b"y").is_err());
        assert!(out.exceeded);
        assert_eq!(out.bytes.len(), OUTPUT);
    }

    #[test]
    fn a_quick_rendering_passes_through() {
        assert_eq!(run("t", || 42), 42);
    }
}

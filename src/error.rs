//! Tool failures (as opposed to data problems): exit codes and pre-rendered error reports.

use std::fmt;

/// Everything went fine.
pub const EXIT_OK: u8 = 0;
/// The command ran, and the data has errors.
pub const EXIT_DATA: u8 = 1;
/// The tool could not do its job.
pub const EXIT_TOOL: u8 = 2;

/// A failure whose report is already formatted (for example, diagnostics of a bad
/// `vault.yaml`), printed as it is.
#[derive(Debug)]
pub struct Rendered(pub String);

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.trim_end())
    }
}

impl std::error::Error for Rendered {}

/// True when the failure is only a closed pipe (`vault list | head`), which is not an error.
/// (JSON written straight to the output fails with serde_json's error, which names the kind
/// of its I/O error but does not chain it.)
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .is_some_and(|json| json.io_error_kind() == Some(BrokenPipe))
    })
}

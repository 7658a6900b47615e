//! An export's bytes as text: a BOM dropped, UTF-16 (Excel's "Unicode text") decoded, and bytes
//! that are not UTF-8 read as Windows-1252 (Latin-1 and the quotes Windows adds), with a note
//! saying so. Line endings are left as they are: every reader takes `\n` and `\r\n`.

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};

/// The text of an export, and a note when it was not UTF-8.
pub fn decode(bytes: &[u8]) -> (String, Option<String>) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return decode_utf8(rest);
    }
    for (bom, encoding, name) in [
        (&b"\xFF\xFE"[..], UTF_16LE, "UTF-16LE"),
        (&b"\xFE\xFF"[..], UTF_16BE, "UTF-16BE"),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let (text, _) = encoding.decode_without_bom_handling(rest);
            return (text.into_owned(), Some(format!("read as {name}")));
        }
    }
    decode_utf8(bytes)
}

fn decode_utf8(bytes: &[u8]) -> (String, Option<String>) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), None),
        Err(error) => {
            let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
            let line = 1 + bytes[..error.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            (
                text.into_owned(),
                Some(format!(
                    "not UTF-8 (first at line {line}): read as Windows-1252 (Latin-1); if names \
                     look wrong, save the file as UTF-8 and import it again"
                )),
            )
        }
    }
}

/// The lines of `text` without their endings (`\n` or `\r\n`), numbered from 1.
pub fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .enumerate()
        .map(|(i, line)| (i + 1, line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_a_bom_and_reads_latin1_and_utf16() {
        assert_eq!(decode(b"\xEF\xBB\xBFName\r\n"), ("Name\r\n".into(), None));
        let (text, note) = decode(b"Name\nJos\xE9 L\xF3pez\n");
        assert_eq!(text, "Name\nJosé López\n");
        assert!(note.unwrap().contains("line 2"));
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Zoë".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode(&utf16).0, "Zoë");
    }

    #[test]
    fn numbers_lines_of_either_ending() {
        let got: Vec<_> = lines("a\r\nb\nc").collect();
        assert_eq!(got, [(1, "a"), (2, "b"), (3, "c")]);
    }
}

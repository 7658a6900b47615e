//! The protocol's framing on stdin and stdout (`Content-Length` headers, then JSON), read here
//! rather than by `lsp-server`'s own reader, which stops at the first malformed message: a
//! message that is not JSON, or not a request, response or notification, is reported to the
//! caller, which answers it with an error and goes on.

use lsp_server::Message;
use std::io::{BufRead, Write};

/// One thing read from the client.
#[derive(Debug)]
pub enum Incoming {
    Message(Message),
    /// A frame whose body is no protocol message: JSON-RPC's code and what was wrong, and the
    /// request's id when one could be read.
    Malformed {
        code: i32,
        message: String,
        id: Option<serde_json::Value>,
    },
}

/// Reads the next frame; `None` at the end of the input (the client is gone).
pub fn read(input: &mut impl BufRead) -> std::io::Result<Option<Incoming>> {
    let mut length: Option<usize> = None;
    let mut saw_header = false;
    loop {
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if saw_header {
                break;
            }
            continue;
        }
        saw_header = true;
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok();
            }
        }
    }
    let Some(length) = length else {
        return Ok(Some(Incoming::Malformed {
            code: lsp_server::ErrorCode::ParseError as i32,
            message: "a message without a valid Content-Length header".into(),
            id: None,
        }));
    };
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Some(parse(&body)))
}

/// A frame's body as a message, or what is wrong with it.
fn parse(body: &[u8]) -> Incoming {
    let value: serde_json::Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(error) => {
            return Incoming::Malformed {
                code: lsp_server::ErrorCode::ParseError as i32,
                message: format!("the message is not JSON: {error}"),
                id: None,
            }
        }
    };
    let id = value.get("id").cloned();
    // `lsp-server`'s messages are an untagged enum: a request with a bad `method` would be
    // taken for a response, and one with nothing at all for a notification.
    let shaped = match value.get("method") {
        Some(method) => method.is_string(),
        None => value.get("result").is_some() || value.get("error").is_some(),
    };
    if !shaped || !value.is_object() {
        return Incoming::Malformed {
            code: lsp_server::ErrorCode::InvalidRequest as i32,
            message: "not a request, response or notification: no `method` text, and no \
                      `result` or `error`"
                .into(),
            id,
        };
    }
    match serde_json::from_value::<Message>(value) {
        Ok(message) => Incoming::Message(message),
        Err(error) => Incoming::Malformed {
            code: lsp_server::ErrorCode::InvalidRequest as i32,
            message: format!("not a request, response or notification: {error}"),
            id,
        },
    }
}

/// Writes one message, framed, and flushes it.
pub fn write(output: &mut impl Write, message: &Message) -> std::io::Result<()> {
    let body = serde_json::to_vec(message)?;
    write!(output, "Content-Length: {}\r\n\r\n", body.len())?;
    output.write_all(&body)?;
    output.flush()
}

/// The answer to a malformed message: an error response with its id (JSON-RPC's `null` when it
/// had none that could be read).
pub fn error_reply(code: i32, message: String, id: Option<serde_json::Value>) -> Vec<u8> {
    let reply = serde_json::json!({
        "jsonrpc": "2.0",
        "id": id.unwrap_or(serde_json::Value::Null),
        "error": { "code": code, "message": message },
    });
    let body = reply.to_string();
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn frames_are_read_and_bad_ones_reported() {
        let input = [
            frame(r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#),
            frame("{not json"),
            frame(r#"{"jsonrpc":"2.0","id":7,"method":3}"#),
            frame(r#"{"jsonrpc":"2.0","method":"exit"}"#),
        ]
        .concat();
        let mut reader = std::io::Cursor::new(input.into_bytes());
        let mut next = || read(&mut reader).unwrap();
        assert!(
            matches!(next(), Some(Incoming::Message(Message::Request(r))) if r.method == "shutdown")
        );
        assert!(matches!(
            next(),
            Some(Incoming::Malformed { code: -32700, .. })
        ));
        assert!(
            matches!(next(), Some(Incoming::Malformed { code: -32600, id: Some(id), .. }) if id == 7)
        );
        assert!(matches!(
            next(),
            Some(Incoming::Message(Message::Notification(_)))
        ));
        assert!(next().is_none());
    }
}

//! JSON-RPC framing over a byte stream (`Content-Length` headers), bounded and tolerant: a body
//! that is not a JSON-RPC message is answered with a parse error and skipped; a broken header or
//! an oversized body ends the stream (the framing cannot be trusted any more).

use lsp_server::{ErrorCode, Message, RequestId};
use std::io::{self, BufRead, Read, Write};

/// The largest message body read (an editor sends whole documents with full sync).
pub const MAX_BODY: usize = 64 << 20;
/// The largest header line read.
const MAX_HEADER: usize = 8 << 10;

/// What reading one frame gave.
#[derive(Debug)]
pub enum Frame {
    /// A JSON-RPC message.
    Message(Message),
    /// A well-framed body that is not a JSON-RPC message: answer with this error response
    /// (its `id` is the request's when one could be read, else `null`).
    Invalid(serde_json::Value),
    /// The stream ended cleanly between messages.
    Eof,
}

/// Errors that end the stream.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error("reading the client's messages: {0}")]
    Io(#[from] io::Error),
    #[error("malformed message header: {0}")]
    Header(String),
    #[error("message body of {0} bytes exceeds the limit of {MAX_BODY} bytes")]
    TooLarge(usize),
}

/// Reads one frame from `r`.
pub fn read_frame(r: &mut impl BufRead) -> Result<Frame, TransportError> {
    let mut length = None;
    let mut first = true;
    loop {
        let mut line = Vec::new();
        let n = Read::take(&mut *r, MAX_HEADER as u64).read_until(b'\n', &mut line)?;
        if n == 0 {
            return if first {
                Ok(Frame::Eof)
            } else {
                Err(TransportError::Header(
                    "the stream ended inside a header".into(),
                ))
            };
        }
        first = false;
        let Some(line) = line.strip_suffix(b"\r\n") else {
            return Err(TransportError::Header(
                String::from_utf8_lossy(&line).into_owned(),
            ));
        };
        if line.is_empty() {
            break;
        }
        let line = String::from_utf8_lossy(line);
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| TransportError::Header(line.to_string()))?;
        if name.trim().eq_ignore_ascii_case("Content-Length") {
            let n: usize = value
                .trim()
                .parse()
                .map_err(|_| TransportError::Header(line.to_string()))?;
            length = Some(n);
        }
    }
    let length = length.ok_or_else(|| TransportError::Header("no Content-Length".into()))?;
    if length > MAX_BODY {
        return Err(TransportError::TooLarge(length));
    }
    let mut body = vec![0; length];
    r.read_exact(&mut body)?;
    Ok(parse_body(&body))
}

/// A body as a message, or the JSON-RPC error response that answers it.
fn parse_body(body: &[u8]) -> Frame {
    match serde_json::from_slice::<Message>(body) {
        Ok(m) => Frame::Message(m),
        Err(e) => {
            // A request whose params do not fit is answered with its own id.
            let value: Option<serde_json::Value> = serde_json::from_slice(body).ok();
            let id = value
                .as_ref()
                .and_then(|v| v.get("id"))
                .filter(|id| serde_json::from_value::<RequestId>((*id).clone()).is_ok())
                .cloned()
                .unwrap_or(serde_json::Value::Null);
            let (code, what) = match &value {
                Some(_) => (ErrorCode::InvalidRequest, "invalid JSON-RPC message"),
                None => (ErrorCode::ParseError, "invalid JSON"),
            };
            Frame::Invalid(serde_json::json!({
                "jsonrpc": "2.0",
                "id": id,
                "error": {"code": code as i32, "message": format!("{what}: {e}")},
            }))
        }
    }
}

/// Writes one message with its header.
pub fn write_message(w: &mut impl Write, msg: &Message) -> io::Result<()> {
    write_body(w, &serde_json::to_vec(msg).map_err(io::Error::other)?)
}

/// Writes one JSON value (a message built by hand) with its header.
pub fn write_value(w: &mut impl Write, msg: &serde_json::Value) -> io::Result<()> {
    write_body(w, &serde_json::to_vec(msg).map_err(io::Error::other)?)
}

fn write_body(w: &mut impl Write, body: &[u8]) -> io::Result<()> {
    let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    framed.extend_from_slice(body);
    w.write_all(&framed)?;
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn reads_messages_and_answers_garbage() {
        let input = [
            frame(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#),
            frame("{not json"),
            frame("[1, 2]"),
            frame(r#"{"jsonrpc":"2.0","method":"exit"}"#),
        ]
        .concat();
        let mut r = io::Cursor::new(input.into_bytes());
        assert!(matches!(
            read_frame(&mut r),
            Ok(Frame::Message(Message::Request(_)))
        ));
        let Ok(Frame::Invalid(resp)) = read_frame(&mut r) else {
            panic!("garbage must give an error response")
        };
        assert_eq!(resp["error"]["code"], ErrorCode::ParseError as i32);
        assert!(resp["id"].is_null());
        let Ok(Frame::Invalid(resp)) = read_frame(&mut r) else {
            panic!("a bad message must give an error response")
        };
        assert_eq!(resp["error"]["code"], ErrorCode::InvalidRequest as i32);
        assert!(matches!(
            read_frame(&mut r),
            Ok(Frame::Message(Message::Notification(_)))
        ));
        assert!(matches!(read_frame(&mut r), Ok(Frame::Eof)));
    }

    #[test]
    fn broken_framing_ends_the_stream() {
        for input in [
            "Content-Length: 99999999999999999999\r\n\r\n".to_string(),
            format!("Content-Length: {}\r\n\r\n", MAX_BODY + 1),
            "Content-Length: 10\n\n{}".to_string(),
            "Content-Type: x\r\n\r\n{}".to_string(),
            "Content-Length: 50\r\n\r\n{}".to_string(),
            "Content-Length: 2\r\n".to_string(),
            "x".repeat(MAX_HEADER * 2),
        ] {
            let mut r = io::Cursor::new(input.clone().into_bytes());
            assert!(read_frame(&mut r).is_err(), "{:.60}", input);
        }
    }
}

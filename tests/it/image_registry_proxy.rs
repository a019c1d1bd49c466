//! The proxy served by the registry tests in front of `docker-registry`: it forwards requests
//! and, as its `ProxyMode` says, cuts or corrupts blobs, asks for a Bearer token (and serves it),
//! redirects blob requests, answers `503` first, and logs the requests and bytes it passed on.

#![cfg(unix)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the proxy in front of the registry does.
#[derive(Default)]
pub(crate) struct ProxyMode {
    /// Cut the connection half way through this blob, this many times.
    pub(crate) cut: Option<(String, usize)>,
    /// Flip a byte in the middle of this blob, every time.
    pub(crate) flip: Option<String>,
    /// Ask for `Bearer TOKEN`, served at `/token` (with Basic (user, password) if set).
    pub(crate) bearer: Option<(String, Option<(String, String)>)>,
    /// Answer blob requests with a redirect to the second listener.
    pub(crate) redirect_blobs: bool,
    /// Answer this many manifest requests with `503` (`Retry-After: 0`) first.
    pub(crate) unavailable: usize,
    /// Bytes of every response body forwarded from the registry, with the request path.
    pub(crate) sent: Mutex<Vec<(String, usize)>>,
}

/// A proxy on 127.0.0.1 in front of the registry, serving one connection at a time; its
/// thread stops when dropped (and after two minutes in any case).
pub(crate) struct Proxy {
    port: u16,
    mode: Arc<ProxyMode>,
    /// Every request line seen (method, path) and whether it carried Authorization.
    log: Arc<Mutex<Vec<(String, bool)>>>,
    stop: Arc<AtomicBool>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

fn read_head(r: &mut BufReader<TcpStream>) -> Option<Vec<String>> {
    let mut lines = Vec::new();
    loop {
        let mut l = String::new();
        if r.read_line(&mut l).ok()? == 0 {
            return None;
        }
        let l = l.trim_end().to_string();
        if l.is_empty() {
            return Some(lines);
        }
        lines.push(l);
        if lines.len() > 200 {
            return None;
        }
    }
}

pub(crate) fn hdr<'a>(head: &'a [String], name: &str) -> Option<&'a str> {
    head.iter().skip(1).find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

fn respond(s: &mut TcpStream, status: &str, headers: &[(&str, String)], body: &[u8]) {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    let _ = s.write_all(out.as_bytes());
    let _ = s.write_all(body);
}

/// Forwards one request to the registry; returns (head lines, body).
pub(crate) fn forward(upstream: u16, head: &[String]) -> Option<(Vec<String>, Vec<u8>)> {
    let mut up = TcpStream::connect(("127.0.0.1", upstream)).ok()?;
    up.set_read_timeout(Some(Duration::from_secs(20))).ok()?;
    let mut req = format!("{}\r\n", head.first()?);
    for l in head.iter().skip(1) {
        let k = l
            .split(':')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if k != "connection" && k != "host" {
            req.push_str(&format!("{l}\r\n"));
        }
    }
    req.push_str(&format!(
        "Host: 127.0.0.1:{upstream}\r\nConnection: close\r\n\r\n"
    ));
    up.write_all(req.as_bytes()).ok()?;
    let mut r = BufReader::new(up);
    let h = read_head(&mut r)?;
    let mut body = Vec::new();
    r.take(256 << 20).read_to_end(&mut body).ok()?;
    Some((h, body))
}

impl Proxy {
    pub(crate) fn start(upstream: u16, mode: ProxyMode) -> Proxy {
        let main = TcpListener::bind("127.0.0.1:0").unwrap();
        let side = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = main.local_addr().unwrap().port();
        let side_port = side.local_addr().unwrap().port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let mode = Arc::new(mode);
        let cuts = Arc::new(AtomicUsize::new(0));
        let mut threads = Vec::new();
        for (listener, is_side) in [(main, false), (side, true)] {
            listener.set_nonblocking(true).unwrap();
            let (log, stop, mode, cuts) = (log.clone(), stop.clone(), mode.clone(), cuts.clone());
            threads.push(std::thread::spawn(move || {
                let start = Instant::now();
                while !stop.load(Ordering::Relaxed) && start.elapsed() < Duration::from_secs(120) {
                    let Ok((s, _)) = listener.accept() else {
                        std::thread::sleep(Duration::from_millis(5));
                        continue;
                    };
                    let _ = s.set_nonblocking(false);
                    let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
                    serve(s, upstream, port, side_port, is_side, &mode, &log, &cuts);
                }
            }));
        }
        Proxy {
            port,
            mode: mode.clone(),
            log,
            stop,
            threads,
        }
    }

    pub(crate) fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// `app:1` through the proxy.
    pub(crate) fn app(&self) -> String {
        format!("docker://{}/app:1", self.host())
    }

    pub(crate) fn requests(&self) -> Vec<(String, bool)> {
        self.log.lock().unwrap().clone()
    }

    /// (path, body bytes) of the responses forwarded so far; cleared.
    pub(crate) fn take_sent(&self) -> Vec<(String, usize)> {
        std::mem::take(&mut *self.mode.sent.lock().unwrap())
    }
}

#[allow(clippy::too_many_arguments)]
fn serve(
    mut s: TcpStream,
    upstream: u16,
    port: u16,
    side_port: u16,
    is_side: bool,
    mode: &ProxyMode,
    log: &Mutex<Vec<(String, bool)>>,
    cuts: &AtomicUsize,
) {
    let Ok(clone) = s.try_clone() else { return };
    let mut r = BufReader::new(clone);
    // a TLS ClientHello (dlint asks loopback registries for HTTPS first): not served here
    if r.fill_buf().map_or(true, |b| b.first() == Some(&0x16)) {
        return;
    }
    let Some(head) = read_head(&mut r) else {
        return;
    };
    let line = head.first().cloned().unwrap_or_default();
    let path = line.split(' ').nth(1).unwrap_or("").to_string();
    let auth = hdr(&head, "authorization").map(str::to_string);
    let tag = if is_side { "side " } else { "" };
    log.lock()
        .unwrap()
        .push((format!("{tag}{path}"), auth.is_some()));
    if let Some((token, basic)) = &mode.bearer
        && !is_side
    {
        if path.starts_with("/token") {
            let ok = match basic {
                None => true,
                Some((u, p)) => {
                    use base64::Engine as _;
                    let want = format!(
                        "Basic {}",
                        base64::engine::general_purpose::STANDARD.encode(format!("{u}:{p}"))
                    );
                    auth.as_deref() == Some(want.as_str())
                }
            };
            // the flow must send the service and scope it was given
            let ok = ok
                && path.contains("service=test-registry")
                && path.contains("scope=repository%3Aapp%3Apull");
            if ok {
                respond(
                    &mut s,
                    "200 OK",
                    &[("Content-Type", "application/json".into())],
                    format!("{{\"token\":\"{token}\"}}").as_bytes(),
                );
            } else {
                respond(&mut s, "401 Unauthorized", &[], b"{}");
            }
            return;
        }
        if path.starts_with("/v2/") && auth.as_deref() != Some(&format!("Bearer {token}")) {
            let challenge = format!(
                "Bearer realm=\"http://127.0.0.1:{port}/token\",service=\"test-registry\",scope=\"repository:app:pull\""
            );
            respond(
                &mut s,
                "401 Unauthorized",
                &[("WWW-Authenticate", challenge)],
                br#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"#,
            );
            return;
        }
    }
    if mode.unavailable > 0
        && path.contains("/manifests/")
        && cuts.fetch_add(1, Ordering::Relaxed) < mode.unavailable
    {
        respond(
            &mut s,
            "503 Service Unavailable",
            &[("Retry-After", "0".into())],
            br#"{"errors":[{"code":"UNAVAILABLE","message":"try later"}]}"#,
        );
        return;
    }
    if mode.redirect_blobs && !is_side && path.contains("/blobs/") {
        let loc = format!("http://localhost:{side_port}{path}");
        respond(&mut s, "307 Temporary Redirect", &[("Location", loc)], b"");
        return;
    }
    // the proxy only ever sees the registry's own API: drop our Authorization before forwarding
    let fwd: Vec<String> = head
        .iter()
        .filter(|l| !l.to_ascii_lowercase().starts_with("authorization:"))
        .cloned()
        .collect();
    let Some((rhead, mut body)) = forward(upstream, &fwd) else {
        return;
    };
    let digest = path.rsplit('/').next().unwrap_or("").to_string();
    let is_blob = path.contains("/blobs/");
    if is_blob
        && let Some(d) = &mode.flip
        && *d == digest
        && !body.is_empty()
    {
        let mid = body.len() / 2;
        body[mid] ^= 0x55;
    }
    let mut out = format!("{}\r\n", rhead.first().cloned().unwrap_or_default());
    for l in rhead.iter().skip(1) {
        if !l.to_ascii_lowercase().starts_with("connection:") {
            out.push_str(&format!("{l}\r\n"));
        }
    }
    out.push_str("Connection: close\r\n\r\n");
    let _ = s.write_all(out.as_bytes());
    if is_blob
        && let Some((d, times)) = &mode.cut
        && *d == digest
        && cuts.fetch_add(1, Ordering::Relaxed) < *times
    {
        let _ = s.write_all(&body[..body.len() / 2]);
        let _ = s.shutdown(std::net::Shutdown::Both);
        return;
    }
    if s.write_all(&body).is_ok() {
        mode.sent.lock().unwrap().push((path, body.len()));
    }
}

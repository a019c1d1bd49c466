//! DL5146: `curl` without `-L`/`--location` stops at a redirect (301, 302, 307, 308) and saves
//! the redirect page instead of the file.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::Command;

/// DL5146 `curl-without-location`.
pub struct CurlWithoutLocation;

impl Rule for CurlWithoutLocation {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5146",
            name: "curl-without-location",
            severity: Severity::Warning,
            summary: "`curl` without `-L` does not follow redirects",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::each_command(cx, |c| {
            if c.name().map(crate::shell::basename)? != "curl" || follows(c) {
                return None;
            }
            let urls: Vec<&str> = c
                .operands()
                .map(|w| w.value.as_str())
                .filter(|v| v.contains("://"))
                .collect();
            // a local or IP-addressed service (a health check, an API call) does not redirect
            if urls.is_empty() || urls.iter().all(|u| is_ip_url(u)) {
                return None;
            }
            Some((
                c.span,
                "`curl` without `-L` (`--location`) does not follow redirects: a moved URL \
                 saves the redirect page instead of the file"
                    .into(),
            ))
        });
    }
}

/// `-L`, `--location`, `--location-trusted` or `--follow`.
pub(crate) fn follows(c: &Command) -> bool {
    c.has_option(Some('L'), Some("location"))
        || c.has_option(None, Some("location-trusted"))
        || c.has_option(None, Some("follow"))
}

/// A URL whose host is an IP address or `localhost`.
fn is_ip_url(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host_port = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = host_port.rsplit('@').next().unwrap_or(host_port);
    if host_port.starts_with('[') {
        return true;
    }
    let host = host_port.split(':').next().unwrap_or("");
    host == "localhost" || host.parse::<std::net::Ipv4Addr>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_curl_without_location() {
        assert_eq!(
            lines(
                &CurlWithoutLocation,
                "FROM debian\nRUN curl -fsSo /a.tgz https://x.org/a.tgz\n"
            ),
            [2]
        );
    }

    #[test]
    fn location_or_local_urls_pass() {
        for src in [
            "FROM debian\nRUN curl -fsSL https://x.org/a.tgz | tar xz\n",
            "FROM debian\nRUN curl --location -o a https://x.org/a\n",
            "FROM debian\nHEALTHCHECK CMD curl -f http://localhost:8080/\n",
            "FROM debian\nRUN curl -f http://127.0.0.1:8080/health\n",
            "FROM debian\nRUN curl --version\n",
        ] {
            assert!(lines(&CurlWithoutLocation, src).is_empty(), "{src}");
        }
    }
}

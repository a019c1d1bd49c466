//! DL5147: `curl` without `-f`/`--fail` whose download is piped into a shell or an unpacker:
//! on an HTTP error curl exits 0 and the error page is run or unpacked.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::{Command, Op};

/// DL5147 `curl-without-fail`.
pub struct CurlWithoutFail;

impl Rule for CurlWithoutFail {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5147",
            name: "curl-without-fail",
            severity: Severity::Warning,
            summary: "`curl` without `-f` piped into a shell or unpacker runs or unpacks the error page",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        for run in &cx.analysis().runs {
            let Some(script) = &run.script else { continue };
            let mut found = Vec::new();
            for pair in script.commands.windows(2) {
                let [curl, next] = pair else { continue };
                if next.op_before != Some(Op::Pipe)
                    || curl.nested != next.nested
                    || curl.name().map(crate::shell::basename) != Some("curl")
                    || fails(curl)
                {
                    continue;
                }
                if let Some(consumer) = next.name().map(crate::shell::basename)
                    && CONSUMERS.contains(&consumer)
                {
                    found.push((curl.span, consumer.to_string()));
                }
            }
            for (span, consumer) in found {
                cx.report(
                    span,
                    format!(
                        "`curl` without `-f` (`--fail`) exits 0 on an HTTP error, and `{consumer}` \
                         then gets the error page: add `-f` (as in `curl -fsSL`)"
                    ),
                );
            }
        }
    }
}

/// Programs that run or unpack what they read on stdin.
const CONSUMERS: &[&str] = &[
    "sh", "bash", "zsh", "dash", "ash", "ksh", "python", "python3", "perl", "ruby", "node", "tar",
    "gunzip", "gzip", "bunzip2", "xz", "unxz", "zstd", "unzip", "bsdtar", "cpio", "funzip",
    "apt-key", "gpg", "dpkg",
];

/// `-f`, `--fail`, `--fail-with-body` or `--fail-early`.
fn fails(c: &Command) -> bool {
    c.has_option(Some('f'), Some("fail")) || c.has_option(None, Some("fail-with-body"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_unchecked_pipes() {
        assert_eq!(
            lines(
                &CurlWithoutFail,
                "FROM debian\nRUN curl -sL https://x.org/a.tgz | tar xz\n"
            ),
            [2]
        );
        assert_eq!(
            lines(
                &CurlWithoutFail,
                "FROM debian\nRUN curl -sSL https://x.org/i.sh | bash -s\n"
            ),
            [2]
        );
    }

    #[test]
    fn fail_or_other_consumers_pass() {
        for src in [
            "FROM debian\nRUN curl -fsSL https://x.org/a.tgz | tar xz\n",
            "FROM debian\nRUN curl --fail -L https://x.org/i.sh | sh\n",
            "FROM debian\nRUN curl -sL https://x.org/v | grep -o v1\n",
            "FROM debian\nRUN curl -sL -o a.tgz https://x.org/a.tgz\n",
        ] {
            assert!(lines(&CurlWithoutFail, src).is_empty(), "{src}");
        }
    }
}

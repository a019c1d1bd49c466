//! DL5144 (opt-in): a stage downloads with `curl` or `wget` and nothing tells them to retry, so
//! one dropped connection fails the build.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// DL5144 `download-without-retry`.
pub struct DownloadWithoutRetry;

impl Rule for DownloadWithoutRetry {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5144",
            name: "download-without-retry",
            severity: Severity::Info,
            summary: "`curl`/`wget` downloads without retries (no `--retry`, no .curlrc/wgetrc)",
            fix: None,
            default_enabled: false,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let model = cx.model();
        for s in 0..cx.dockerfile.stages.len() {
            let mut seen_curl = false;
            let mut seen_wget = false;
            for run in cx.analysis().stage_runs(s) {
                let Some(script) = &run.script else { continue };
                for c in &script.commands {
                    let Some(name) = c.name().map(crate::shell::basename) else {
                        continue;
                    };
                    let (seen, config_var, retries) = match name {
                        "curl" if !seen_curl => (&mut seen_curl, "CURL_HOME", curl_retries(c)),
                        "wget" if !seen_wget => (&mut seen_wget, "WGETRC", wget_retries(c)),
                        _ => continue,
                    };
                    *seen = true;
                    if retries || model.var(run.index, config_var).is_some() {
                        continue;
                    }
                    let advice = if name == "curl" {
                        "`--retry 5 --retry-connrefused` (or a .curlrc under `CURL_HOME`)"
                    } else {
                        "`--tries=5 --retry-connrefused` (or a wgetrc named by `WGETRC`)"
                    };
                    cx.report(
                        c.span,
                        format!(
                            "`{name}` without retries fails the build on one dropped connection \
                             or 5xx reply: add {advice}"
                        ),
                    );
                }
            }
        }
    }
}

/// `--retry` or a config file (`-K`, `--config`) on the command line.
fn curl_retries(c: &crate::shell::Command) -> bool {
    c.args().iter().any(|w| {
        let v = w.value.as_str();
        v == "--retry" || v.starts_with("--retry=") || v == "-K" || v.starts_with("--config")
    })
}

/// `--tries`/`-t`, `--retry-*` on the command line.
fn wget_retries(c: &crate::shell::Command) -> bool {
    c.args().iter().any(|w| {
        let v = w.value.as_str();
        v.starts_with("--tries") || v.starts_with("--retry")
    }) || c.has_option(Some('t'), Some("tries"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_the_first_download_of_each_tool_per_stage() {
        let src = "FROM debian:12\nRUN curl -fsSLo /a https://x/a && curl -fsSLo /b https://x/b\n\
                   RUN wget -q https://x/c\nFROM alpine\nRUN wget -q https://x/d\n";
        assert_eq!(lines(&DownloadWithoutRetry, src), [2, 3, 5]);
    }

    #[test]
    fn retries_or_config_pass() {
        for src in [
            "FROM debian:12\nRUN curl --retry 3 -fsSLO https://x/a\n",
            "FROM debian:12\nENV CURL_HOME=/etc/curl\nRUN curl -fsSLO https://x/a\n",
            "FROM debian:12\nRUN wget --tries=3 https://x/a\n",
            "FROM debian:12\nENV WGETRC=/etc/wgetrc\nRUN wget https://x/a\n",
            "FROM debian:12\nRUN apt-get install -y curl\n",
        ] {
            assert!(lines(&DownloadWithoutRetry, src).is_empty(), "{src}");
        }
    }
}

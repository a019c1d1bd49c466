//! DL5112: TLS certificate verification turned off (curl `-k`, wget
//! `--no-check-certificate`, pip `--trusted-host`, `NODE_TLS_REJECT_UNAUTHORIZED=0`, ...).

use crate::dockerfile::{InstructionKind, Span};
use crate::lint::helpers::unquote;
use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::Command;
use crate::shell::pkg::{Family, config_manager_of, invocation};

/// A download whose server is not authenticated: anyone on the path can swap the payload.
pub struct TlsVerificationDisabled;

/// True for the values that turn a switch off (`0`, `false`, `no`, `off`).
fn falsy(v: &str) -> bool {
    matches!(
        unquote(v).to_ascii_lowercase().as_str(),
        "0" | "false" | "no" | "off"
    )
}

/// What an environment variable assignment `name=value` turns off, if anything.
pub fn env_disables_tls(name: &str, value: &str) -> Option<&'static str> {
    let value = unquote(value);
    match name {
        "NODE_TLS_REJECT_UNAUTHORIZED" if falsy(value) => Some("Node.js TLS verification"),
        "GIT_SSL_NO_VERIFY" if !value.is_empty() && !falsy(value) => Some("git's TLS verification"),
        "PYTHONHTTPSVERIFY" if falsy(value) => Some("Python's HTTPS verification"),
        "NPM_CONFIG_STRICT_SSL" | "npm_config_strict_ssl" | "YARN_STRICT_SSL" if falsy(value) => {
            Some("npm's TLS verification (strict-ssl)")
        }
        "PIP_TRUSTED_HOST" if !value.is_empty() => Some("pip's TLS verification for a host"),
        _ => None,
    }
}

/// True for a `key=value` (or `key value`) setting of a key among `keys` to a false value.
fn setting_off(words: &[&str], keys: &[&str]) -> bool {
    words.iter().enumerate().any(|(i, w)| {
        let lower = w.to_ascii_lowercase();
        let lower = lower.trim_start_matches("--setopt=");
        // `key=value` in one word (also inside `echo "sslverify=0" >> yum.conf`)
        let eq = lower.lines().any(|l| {
            l.split_once('=').is_some_and(|(k, v)| {
                keys.contains(&k.trim().rsplit('.').next().unwrap_or("")) && falsy(v.trim())
            })
        });
        // `key value` in two words (`git config http.sslVerify false`)
        let pair = keys.contains(&lower.rsplit('.').next().unwrap_or(""))
            && words.get(i + 1).is_some_and(|v| falsy(v));
        eq || pair
    })
}

/// True when every URL `cmd` names is plain `http://` (no TLS, so `-k` changes nothing), as in
/// a `curl -k http://localhost:8080/health` probe.
fn only_plain_http(cmd: &Command) -> bool {
    let mut urls = cmd
        .operands()
        .map(|w| w.value.as_str())
        .filter(|v| v.contains("://"))
        .peekable();
    urls.peek().is_some()
        && urls.all(|u| {
            u.get(..7)
                .is_some_and(|s| s.eq_ignore_ascii_case("http://"))
        })
}

/// What a package-manager command turns off, read through the package model (so `python3 -u
/// -m pip`, `uv pip`, `sudo pip` and `dnf-config-manager` are seen as the managers they run).
fn manager_disables_tls(cmd: &Command, args: &[&str]) -> Option<&'static str> {
    let inv = invocation(0, cmd);
    let manager = match &inv {
        Some(inv) => inv.manager,
        None => config_manager_of(cmd)?,
    };
    match manager.family() {
        Family::Npm if setting_off(args, &["strict-ssl", "--strict-ssl", "strictssl"]) => {
            Some("npm/yarn's TLS verification (`strict-ssl false`)")
        }
        Family::Rpm if setting_off(args, &["sslverify"]) => {
            Some("yum/dnf's TLS verification (`sslverify=0`)")
        }
        Family::Pip => {
            let inv = inv?;
            let trusted = inv.has(&["--trusted-host", "--allow-insecure-host"])
                || inv
                    .sub
                    .into_iter()
                    .chain(inv.operands.iter().copied())
                    .any(|w| w.value.ends_with(".trusted-host"));
            trusted.then_some("pip's TLS verification (`--trusted-host`)")
        }
        _ => None,
    }
}

/// What `cmd` turns off, if anything.
pub fn command_disables_tls(cmd: &Command) -> Option<&'static str> {
    for a in &cmd.assignments {
        if let Some((k, v)) = a.split_once('=')
            && let Some(what) = env_disables_tls(k, v)
        {
            return Some(what);
        }
    }
    let args: Vec<&str> = cmd.args().iter().map(|w| w.value.as_str()).collect();
    if let Some(what) = manager_disables_tls(cmd, &args) {
        return Some(what);
    }
    let name = cmd.name()?;
    match name {
        "export" | "env" => args.iter().find_map(|a| {
            let (k, v) = a.split_once('=')?;
            env_disables_tls(k, v)
        }),
        "curl" if cmd.has_option(Some('k'), Some("insecure")) && !only_plain_http(cmd) => {
            Some("curl's certificate check (`-k`/`--insecure`)")
        }
        "wget" if cmd.has_option(None, Some("no-check-certificate")) && !only_plain_http(cmd) => {
            Some("wget's certificate check (`--no-check-certificate`)")
        }
        "git" if setting_off(&args, &["sslverify"]) => {
            Some("git's TLS verification (`http.sslVerify`)")
        }
        "echo" | "printf" | "sed" | "tee" if setting_off(&args, &["sslverify"]) => {
            Some("yum/dnf's TLS verification (`sslverify=0`)")
        }
        _ => None,
    }
}

/// The file a curl or wget command downloads to: `-o F`/`--output F` (curl), `-O F`,
/// `--output-document=F` (wget), or the URL's last component (`curl -O`, plain `wget`).
fn downloaded_file(cmd: &Command) -> Option<String> {
    let name = cmd.name()?;
    let args = cmd.args();
    let value_of = |short: &str, long: &str| {
        args.iter().enumerate().find_map(|(i, w)| {
            let v = w.value.as_str();
            if v == short || v == long {
                return args.get(i + 1).map(|n| n.value.clone());
            }
            v.strip_prefix(&format!("{long}="))
                .or_else(|| {
                    v.strip_prefix(short)
                        .filter(|r| !r.is_empty() && !r.starts_with('-'))
                })
                .map(str::to_string)
        })
    };
    let url_name = || {
        args.iter()
            .map(|w| w.value.as_str())
            .find(|v| v.contains("://"))
            .and_then(|u| u.split(['?', '#']).next())
            .and_then(|u| u.rsplit('/').next())
            .filter(|n| !n.is_empty())
            .map(str::to_string)
    };
    match name {
        "curl" => value_of("-o", "--output").or_else(|| {
            cmd.has_option(Some('O'), Some("remote-name"))
                .then(url_name)
                .flatten()
        }),
        "wget" => value_of("-O", "--output-document").or_else(url_name),
        _ => None,
    }
}

/// True when the file command `index` of `script` downloads is checked later in the same RUN:
/// `sha256sum -c` (or sha512/384/224) or `gpg --verify`/`gpgv` naming it, in its own words or
/// in those of the command piped into it (`echo "<sum>  f.tar.gz" | sha256sum -c -`).
fn integrity_checked(script: &crate::shell::Script, index: usize) -> bool {
    let Some(file) = script.commands.get(index).and_then(downloaded_file) else {
        return false;
    };
    let file = file.rsplit('/').next().unwrap_or(&file).to_string();
    if file.is_empty() {
        return false;
    }
    let names_file = |c: &Command| c.words.iter().any(|w| w.value.contains(file.as_str()));
    script
        .commands
        .iter()
        .enumerate()
        .skip(index + 1)
        .any(|(i, c)| {
            let checks = match c.name() {
                Some("sha256sum" | "sha512sum" | "sha384sum" | "sha224sum") => {
                    c.has_option(Some('c'), Some("check"))
                }
                Some("gpg" | "gpg2") => c.words.iter().any(|w| w.value == "--verify"),
                Some("gpgv") => true,
                _ => false,
            };
            let piped_from = i
                .checked_sub(1)
                .and_then(|p| script.commands.get(p))
                .filter(|_| c.op_before == Some(crate::shell::Op::Pipe));
            checks && (names_file(c) || piped_from.is_some_and(&names_file))
        })
}

impl Rule for TlsVerificationDisabled {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5112",
            name: "tls-verification-disabled",
            severity: Severity::Warning,
            summary: "Do not turn off TLS certificate verification",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        for ins in &df.instructions {
            if let InstructionKind::Env(kvs) = &ins.kind {
                for kv in kvs {
                    let value = kv.raw_value.as_deref().unwrap_or("");
                    if let Some(what) = env_disables_tls(&kv.key.value, value) {
                        report(cx, kv.key.span, what, true);
                    }
                }
            }
        }
        for run in &cx.analysis().runs {
            let Some(script) = &run.script else { continue };
            for (i, cmd) in script.commands.iter().enumerate() {
                if let Some(what) = command_disables_tls(cmd)
                    && !integrity_checked(script, i)
                {
                    report(cx, cmd.span, what, false);
                }
            }
        }
    }
}

/// Reports `what` turned off at `span`, by an ENV (`env`) or a command.
fn report(cx: &mut Context<'_>, span: Span, what: impl std::fmt::Display, env: bool) {
    let how = if env {
        "for every later RUN and for the running container"
    } else {
        "for this download"
    };
    cx.report(
        span,
        format!(
            "turns off {what} {how}: anyone between the build and the server can change what is \
             downloaded; install the CA certificate the server needs instead"
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn a_checksum_or_signature_check_of_the_download_is_integrity() {
        for src in [
            "FROM a\nRUN curl -fsSLk https://x.org/f.tar.gz -o f.tar.gz && \\\n  echo \"abc  f.tar.gz\" | sha256sum -c - && tar xzf f.tar.gz\n",
            "FROM a\nRUN curl -k -O https://x.org/dl/f.tar.gz && sha512sum -c f.tar.gz.sha512\n",
            "FROM a\nRUN wget --no-check-certificate https://x.org/f.tgz && gpg --batch --verify f.tgz.asc f.tgz\n",
        ] {
            assert!(lines(&TlsVerificationDisabled, src).is_empty(), "{src}");
        }
        for src in [
            // the check is of another file, or no check at all
            "FROM a\nRUN curl -k https://x.org/f.tar.gz -o f.tar.gz && sha256sum -c g.sha256\n",
            "FROM a\nRUN curl -k https://x.org/f.tar.gz -o f.tar.gz && sha256sum f.tar.gz\n",
            "FROM a\nRUN curl -k https://x.org/install.sh | sh\n",
        ] {
            assert_eq!(lines(&TlsVerificationDisabled, src), [2], "{src}");
        }
    }

    #[test]
    fn flags_each_way_of_turning_tls_off() {
        let src = "FROM debian:12
RUN curl -fsSLk https://x/a.sh -o a.sh
RUN curl --insecure -o b https://x/b
RUN wget --no-check-certificate https://x/c
RUN pip install --trusted-host pypi.org flask
RUN git config --global http.sslVerify false
RUN npm config set strict-ssl false
RUN yarn config set strict-ssl false
RUN dnf install -y --setopt=sslverify=0 git
RUN echo 'sslverify=0' >> /etc/yum.conf
RUN NODE_TLS_REJECT_UNAUTHORIZED=0 npm ci
RUN export GIT_SSL_NO_VERIFY=1 && git clone https://x/r
ENV NODE_TLS_REJECT_UNAUTHORIZED=0
ENV GIT_SSL_NO_VERIFY=true
RUN git -c http.sslVerify=false clone https://x/r
RUN python3 -m pip install --trusted-host=pypi.org x
";
        assert_eq!(
            lines(&TlsVerificationDisabled, src),
            (2..=16).collect::<Vec<_>>()
        );
    }

    #[test]
    fn pip_through_the_package_model() {
        // issue 20: `uv pip` and `python3 -u -m pip` were missed (DL3013 and DL3042 saw them)
        let src = "FROM debian:12
RUN uv pip install --trusted-host h foo
RUN python3 -u -m pip install --trusted-host h foo
RUN sudo -H pip3 install --trusted-host=h foo
RUN pip config set global.trusted-host h
RUN uv pip install --allow-insecure-host h foo
RUN pipx install --pip-args='-q' foo && pipenv install --trusted-host h
RUN dnf-config-manager --setopt=sslverify=0 --save
";
        assert_eq!(
            lines(&TlsVerificationDisabled, src),
            (2..=8).collect::<Vec<_>>()
        );
        // the option of another command, or a host that is not trusted
        let src = "FROM debian:12
RUN uv pip install --index-url https://h/simple foo
RUN python3 -m venv /v && echo --trusted-host
";
        assert!(lines(&TlsVerificationDisabled, src).is_empty());
    }

    #[test]
    fn verified_downloads_pass() {
        let src = "FROM debian:12
RUN curl -fsSL https://x/a -o a && wget -q https://x/b
RUN curl -K config.txt https://x
RUN curl -k -o /dev/null http://localhost:8080/health && wget --no-check-certificate http://x/a
RUN git config --global http.sslVerify true
RUN npm config set strict-ssl true
ENV NODE_TLS_REJECT_UNAUTHORIZED=1 GIT_SSL_NO_VERIFY=
RUN pip install --index-url https://x/simple flask
RUN echo sslverify=1 >> /etc/yum.conf
";
        assert!(lines(&TlsVerificationDisabled, src).is_empty());
    }
}

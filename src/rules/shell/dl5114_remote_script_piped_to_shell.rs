//! DL5114: `curl … | sh` runs a downloaded script without checking it.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::{Command, Op};

/// `curl -fsSL https://x/install.sh | bash`: whatever the server (or anyone on the way) sends
/// runs as root in the build, and nothing pins which version of the script that was.
pub struct RemoteScriptPipedToShell;

/// Shells and interpreters that run a script read from stdin.
const SHELLS: &[&str] = &[
    "sh", "bash", "zsh", "dash", "ash", "ksh", "mksh", "busybox", "python", "python3", "perl",
    "ruby", "node",
];

fn is_download(c: &Command) -> bool {
    matches!(c.name(), Some("curl" | "wget" | "fetch"))
}

/// A shell that reads its script from stdin: no script file or `-c` string before `-s`, `-`
/// or `--` (whatever follows those are the script's own arguments, as in `sh -s -- -y`).
fn is_shell(c: &Command) -> bool {
    if !c.name().is_some_and(|n| SHELLS.contains(&n)) {
        return false;
    }
    // `-e` runs its argument in perl, ruby and node, and is errexit in the shells
    let interpreter = matches!(
        c.name(),
        Some("python" | "python3" | "perl" | "ruby" | "node")
    );
    let mut args = c.args().iter();
    while let Some(w) = args.next() {
        let v = w.value.as_str();
        if matches!(v, "-" | "--" | "-s") {
            return true;
        }
        if let Some(flags) = v.strip_prefix('-').filter(|f| !f.starts_with('-')) {
            if flags.contains('c') || (interpreter && flags.contains('e')) {
                // `sh -c '…'`, `node -e '…'`: the script is an argument
                return false;
            }
            if flags.contains('s') {
                return true;
            }
            if !interpreter && flags.ends_with('o') {
                // `bash -o pipefail`: the option's value
                args.next();
            }
            continue;
        }
        if v.starts_with("--") {
            continue;
        }
        // `bash file.sh` runs a file, not stdin
        return false;
    }
    true
}

/// True when a word's raw text substitutes a download (`$(curl …)`, `<(wget …)`, backticks).
fn substitutes_download(raw: &str) -> bool {
    ["$(", "<(", "`"].iter().any(|open| {
        raw.match_indices(open).any(|(k, _)| {
            let rest = raw[k + open.len()..].trim_start();
            rest.starts_with("curl ") || rest.starts_with("wget ")
        })
    })
}

impl Rule for RemoteScriptPipedToShell {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5114",
            name: "remote-script-piped-to-shell",
            severity: Severity::Warning,
            summary: "Do not pipe a downloaded script into a shell",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        for run in &cx.analysis().runs {
            let Some(script) = &run.script else { continue };
            let cmds = &script.commands;
            for (i, c) in cmds.iter().enumerate() {
                // `sh -c "$(curl …)"`, `bash <(wget -O- …)`
                if c.name().is_some_and(|n| SHELLS.contains(&n))
                    && c.args()
                        .iter()
                        .any(|w| !w.is_static && substitutes_download(&w.value))
                {
                    report(cx, c.span.start, c.span.end, c.name());
                    continue;
                }
                if c.op_before != Some(Op::Pipe) || !is_shell(c) {
                    continue;
                }
                // the pipeline's earlier commands (`curl … | tee x | sh` counts too)
                let mut j = i;
                while let Some(prev) = j.checked_sub(1).and_then(|p| cmds.get(p)) {
                    j -= 1;
                    if is_download(prev) && !prev.nested {
                        report(cx, prev.span.start, c.span.end, c.name());
                        break;
                    }
                    if prev.op_before != Some(Op::Pipe) {
                        break;
                    }
                }
            }
        }
    }
}

/// Reports a downloaded script run by `shell` (`sh` when unknown), from `start` to `end`.
fn report(cx: &mut Context<'_>, start: usize, end: usize, shell: Option<&str>) {
    let shell = shell.unwrap_or("sh");
    cx.report(
        crate::dockerfile::Span::new(start, end),
        format!(
            "a downloaded script piped into `{shell}` runs unchecked: download it to a file, \
             verify its checksum (`sha256sum -c`), then run it"
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_download_piped_to_shell() {
        let src = "FROM debian:12
RUN curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
RUN wget -qO- https://x/install.sh | sudo sh -s -- --yes
RUN apt-get update && curl -sSL https://x/i.sh | tee /tmp/i.sh | bash
RUN curl -sSf https://sh.rustup.rs | sh -s -- -y
RUN curl --proto '=https' -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
RUN curl -fsSL https://x/i.sh | bash -e -o pipefail
RUN sh -c \"$(curl -fsSL https://x/install.sh)\"
RUN bash <(wget -qO- https://x/i.sh)
";
        assert_eq!(
            lines(&RemoteScriptPipedToShell, src),
            [2, 3, 4, 5, 6, 7, 8, 9]
        );
    }

    #[test]
    fn checked_or_non_script_downloads_pass() {
        let src = "FROM debian:12
RUN curl -fsSL -o i.sh https://x/i.sh && echo \"abc  i.sh\" | sha256sum -c && sh i.sh
RUN curl -fsSL https://x/a.tar.gz | tar -xz
RUN curl -fsSL https://x/key.gpg | gpg --dearmor -o /k.gpg
RUN echo hi | sh
RUN curl -fsSL https://x/a | bash /tmp/other.sh
RUN curl -fsSL https://x/a | bash -c 'cat > /x'
";
        assert!(lines(&RemoteScriptPipedToShell, src).is_empty());
    }
}

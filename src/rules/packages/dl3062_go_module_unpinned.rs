//! DL3062: pin the version of modules in `go install` / `go get` / `go run`.

use crate::dockerfile::{InstructionKind, ShellOrExec};
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// `go install example.com/tool` without `@version`: builds whatever is newest.
pub struct GoModuleUnpinned;

/// Splits shell text into commands (at `&&`, `||`, `;`, `|`, `&`, newlines) of words with
/// their byte offsets. A deliberately small tokenizer: quotes group words, nothing more.
fn commands(text: &str) -> Vec<Vec<(usize, usize)>> {
    let mut cmds = vec![Vec::new()];
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if matches!(c, b'&' | b'|' | b';' | b'\n' | b'(' | b')') {
            if cmds.last().is_some_and(|c| !c.is_empty()) {
                cmds.push(Vec::new());
            }
            i += 1;
            continue;
        }
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let mut quote = None;
        while i < b.len() {
            let c = b[i];
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if c == b'"' || c == b'\'' => quote = Some(c),
                None if c.is_ascii_whitespace()
                    || matches!(c, b'&' | b'|' | b';' | b'(' | b')') =>
                {
                    break;
                }
                None => {}
            }
            i += 1;
        }
        if let Some(cmd) = cmds.last_mut() {
            cmd.push((start, i));
        }
    }
    cmds
}

impl Rule for GoModuleUnpinned {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3062",
            name: "go-module-unpinned",
            severity: Severity::Warning,
            summary: "Pin versions in go install/get/run (module@version)",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        for ins in &df.instructions {
            // an ONBUILD RUN runs in the child image's build: checked the same way
            let kind = match &ins.kind {
                InstructionKind::Onbuild(child) => &child.kind,
                kind => kind,
            };
            let InstructionKind::Run(ShellOrExec::Shell(st)) = kind else {
                continue;
            };
            let text = st.text.as_str();
            for cmd in commands(text) {
                let words: Vec<&str> = cmd
                    .iter()
                    .map(|&(s, e)| text.get(s..e).unwrap_or(""))
                    .collect();
                let Some(go) = words.iter().position(|w| *w == "go" || w.ends_with("/go")) else {
                    continue;
                };
                let Some(sub) = words.get(go + 1) else {
                    continue;
                };
                if !matches!(*sub, "install" | "get" | "run") {
                    continue;
                }
                // `go get -tool x` (Go 1.24+) records a tool dependency in go.mod: module mode,
                // so even a path without a dot names a module, not a GOPATH directory.
                let tool = *sub == "get" && words.iter().skip(go + 2).any(|w| *w == "-tool");
                let mut skip_next = false;
                for (k, w) in words.iter().enumerate().skip(go + 2) {
                    if skip_next {
                        skip_next = false;
                        continue;
                    }
                    if w.starts_with('-') {
                        // flags taking a separate value
                        skip_next = matches!(
                            *w,
                            "-o" | "-C"
                                | "-p"
                                | "-tags"
                                | "-ldflags"
                                | "-gcflags"
                                | "-mod"
                                | "-modfile"
                                | "-exec"
                        );
                        continue;
                    }
                    if *sub == "run" && w.ends_with(".go") {
                        continue;
                    }
                    // only module paths: a domain-like first element, not local paths or patterns
                    let local = w.starts_with('.')
                        || w.starts_with('/')
                        || w.starts_with('$')
                        || w.contains("...") && !w.contains('.');
                    let first = w.split('/').next().unwrap_or("");
                    // `@latest`, `@upgrade`, `@patch` are go's moving queries, not versions.
                    let floating = w
                        .rsplit_once('@')
                        .is_some_and(|(_, v)| matches!(v, "latest" | "upgrade" | "patch"));
                    // go's package patterns (`go get -tool all` ...) name no module
                    let pattern = matches!(*w, "all" | "std" | "cmd" | "tool") || w.contains("...");
                    let module_path = first.contains('.') || (tool && !pattern);
                    if local
                        || !module_path
                        || (w.contains('@') && !floating)
                        || w.starts_with('"')
                        || w.starts_with('\'')
                    {
                        if *sub == "run" {
                            break;
                        }
                        continue;
                    }
                    if let Some(&(s, e)) = cmd.get(k) {
                        let span = st.map.span_to_source(s, e);
                        let message = match w.rsplit_once('@') {
                            Some((module, query)) => format!(
                                "`go {sub} {w}`: `@{query}` resolves to whatever is newest at \
                                 build time; use `{module}@<version>`"
                            ),
                            None => format!("`go {sub} {w}` has no version: use `{w}@<version>`"),
                        };
                        cx.report(span, message);
                    }
                    if *sub == "run" {
                        break;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_unpinned_modules() {
        let src = "FROM golang:1.23\nRUN go install golang.org/x/tools/gopls\nRUN go get -u github.com/a/b && go run example.com/cmd/x\n";
        assert_eq!(lines(&GoModuleUnpinned, src), vec![2, 3, 3]);
    }

    #[test]
    fn pinned_local_and_build_are_fine() {
        let src = "FROM golang:1.23\nRUN go install golang.org/x/tools/gopls@v0.16.0 ./cmd/...\nRUN go get\nRUN go run main.go\nRUN go build -o /x example.com/y\nRUN go install -v ./...\n";
        assert!(lines(&GoModuleUnpinned, src).is_empty());
    }

    #[test]
    fn onbuild_runs_are_checked() {
        let src = "FROM golang:1.23\nONBUILD RUN go install example.com/pkg\nONBUILD RUN go run example.com/pkg@latest\nONBUILD RUN go get example.com/pkg@v1.2.3\n";
        assert_eq!(lines(&GoModuleUnpinned, src), vec![2, 3]);
    }

    #[test]
    fn tool_dependencies() {
        let src = "FROM golang:1.24\nRUN go get -tool mytool\nRUN go get -tool mytool@latest\nRUN go get -tool mytool@v1.2.3\nRUN go get -tool golang.org/x/tools/cmd/stringer\n";
        assert_eq!(lines(&GoModuleUnpinned, src), vec![2, 3, 5]);
        // without -tool a dotless path is a GOPATH or standard-library package
        let src = "FROM golang:1.23\nRUN go install myapp/cmd/server\nRUN go get -tool ./cmd/x\nRUN go get -tool all\n";
        assert!(lines(&GoModuleUnpinned, src).is_empty());
    }
}

//! DL3062: pin the version of modules in `go install` / `go get` / `go run`.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::pkg::Manager;

/// `go install example.com/tool` without `@version`: builds whatever is newest.
pub struct GoModuleUnpinned;

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
        let a = cx.analysis();
        let mut found = Vec::new();
        // every shell-form RUN, ONBUILD RUNs included (they run in the child image's build)
        crate::shell::run::for_each_invocation(a, |_, _, inv| {
            if inv.manager != Manager::Go {
                return;
            }
            let sub = inv.sub();
            if !matches!(sub, "install" | "get" | "run") {
                return;
            }
            // `go get -tool x` (Go 1.24+) records a tool dependency in go.mod: module mode,
            // so even a path without a dot names a module, not a GOPATH directory.
            let tool = sub == "get" && inv.has(&["-tool"]);
            for w in &inv.operands {
                let v = w.value.as_str();
                if sub == "run" && v.ends_with(".go") {
                    continue;
                }
                if let Some(message) = unpinned(sub, v, tool).filter(|_| w.is_static) {
                    found.push((w.span, message));
                }
                // `go run` runs one package; the words after it are its arguments
                if sub == "run" {
                    break;
                }
            }
        });
        for (span, message) in found {
            cx.report(span, message);
        }
    }
}

/// The finding for operand `w` of `go <sub>` when it names a module without a fixed version.
fn unpinned(sub: &str, w: &str, tool: bool) -> Option<String> {
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
    let pattern = matches!(w, "all" | "std" | "cmd" | "tool") || w.contains("...");
    let module_path = first.contains('.') || (tool && !pattern);
    if local || !module_path || (w.contains('@') && !floating) {
        return None;
    }
    Some(match w.rsplit_once('@') {
        Some((module, query)) => format!(
            "`go {sub} {w}`: `@{query}` resolves to whatever is newest at build time; use \
             `{module}@<version>`"
        ),
        None => format!("`go {sub} {w}` has no version: use `{w}@<version>`"),
    })
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
    fn through_the_package_model() {
        // wrappers, a full path, quotes and go's value-taking options
        let src = "FROM golang:1.23\nRUN sudo -E go install example.com/a\nRUN /usr/local/go/bin/go install \"example.com/b\"\nRUN go install -ldflags '-s -w' example.com/c@v1.0.0\nRUN go install -o /bin/x example.com/d\n";
        assert_eq!(lines(&GoModuleUnpinned, src), vec![2, 3, 5]);
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

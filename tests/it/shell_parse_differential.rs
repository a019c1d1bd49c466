//! `dash -n` against dlint's shell parse errors over every RUN body of the shared corpus: dlint
//! reports no parse error (SC1065, SC1072, SC1088, SC1089, SC1133) on a body that Debian's
//! dash accepts (`bash -n` for stages whose shell is bash; other shells are left out).

use dlint::dockerfile::{self, InstructionKind, ShellOrExec};
use dlint::lint::SemanticModel;
use dlint::shell::builtin_checks::Dialect;
use std::path::Path;
use std::process::Command;

/// A jq template (`{{ dnf_install }} "pkg"`) that BuildKit rejects too: `{{` is a command name
/// to dash, a brace group to tree-sitter-bash, and the parse error is the useful answer.
const TEMPLATES: &[&str] = &["docker-library__mysql__Dockerfile.oracle.Dockerfile"];

const PARSE_ERRORS: &[&str] = &["SC1065", "SC1072", "SC1088", "SC1089", "SC1133"];

/// True when `shell -n` accepts `script`.
fn accepts(shell: &Path, script: &str) -> bool {
    Command::new(shell)
        .args(["-n", "-c", script])
        .output()
        .map(|o| o.status.success())
        .unwrap_or_else(|e| panic!("running {}: {e}", shell.display()))
}

#[test]
fn no_parse_error_where_dash_accepts() {
    let Some(dir) = crate::shared::dir("corpus/dockerfiles") else {
        return;
    };
    let (dash, bash) = (Path::new("/usr/bin/dash"), Path::new("/bin/bash"));
    if !dash.exists() || !bash.exists() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "dash and bash are required under CI"
        );
        eprintln!("skipping: no /usr/bin/dash or /bin/bash");
        return;
    }
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("read corpus")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "Dockerfile"))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| !TEMPLATES.contains(&n))
        })
        .collect();
    files.sort();
    let (mut bodies, mut shell_rejects, mut both_reject) = (0, 0, 0);
    let mut wrong = Vec::new();
    for f in &files {
        let src = String::from_utf8_lossy(&std::fs::read(f).expect("read")).into_owned();
        let df = dockerfile::parse(&src);
        let model = SemanticModel::new(&df);
        for run in &model.analysis().runs {
            let Some(inst) = run.inst(&df) else { continue };
            let InstructionKind::Run(ShellOrExec::Shell(text)) = &inst.kind else {
                continue;
            };
            let shell = match model.shell(run.index).dialect {
                Some(Dialect::Sh) => dash,
                Some(Dialect::Bash) => bash,
                _ => continue,
            };
            if !inst.heredocs.is_empty() {
                continue;
            }
            bodies += 1;
            let dlint_rejects = run
                .script
                .as_ref()
                .is_some_and(|s| s.sc.iter().any(|f| PARSE_ERRORS.contains(&f.code)));
            let accepted = accepts(shell, &text.text);
            if !accepted {
                shell_rejects += 1;
                both_reject += usize::from(dlint_rejects);
            }
            if accepted && dlint_rejects {
                let line = df.lines.line_col(&df.source, inst.span.start).line;
                wrong.push(format!("{}:{line}", f.display()));
            }
        }
    }
    eprintln!(
        "{bodies} RUN bodies: dash/bash -n rejects {shell_rejects}, dlint reports a parse \
         error on {both_reject} of those and on {} that the shell accepts",
        wrong.len()
    );
    assert!(
        wrong.is_empty(),
        "parse errors on shell that dash/bash -n accepts:\n{}",
        wrong.join("\n")
    );
    assert!(bodies > 2500, "only {bodies} RUN bodies checked");
}

//! Differential test against the two Rust Dockerfile parsers, used as oracles on the corpus
//! files each of them accepts: `parse-dockerfile` 0.1.9 and `dockerfile-parser` 0.9.
//!
//! Both are compared on a normalised view of each instruction (kind, flags, arguments).
//! Known, explained differences are listed in `explain_pd` / `explain_dp`; anything else
//! fails the test.

use dlint::dockerfile::{self, Instruction, InstructionKind, ShellOrExec};

/// Flag names and values.
type Flags = Vec<(String, Option<String>)>;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Norm {
    kind: String,
    flags: Vec<(String, Option<String>)>,
    args: Vec<String>,
}

/// `None` when the shared directory is absent (see [`crate::shared`]).
fn corpus() -> Option<Vec<(String, String)>> {
    let dir = crate::shared::dir("corpus/dockerfiles")?;
    let mut v: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("read corpus")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.file_name().is_some_and(|n| n != "SOURCES.txt"))
        .map(|p| {
            let name = p
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_string();
            let src = String::from_utf8_lossy(&std::fs::read(&p).expect("read")).into_owned();
            (name, src)
        })
        .collect();
    v.sort();
    Some(v)
}

fn ours(src: &str, ins: &Instruction) -> Norm {
    let flags = ins
        .flags
        .iter()
        .map(|f| (f.name.clone(), f.value.as_ref().map(|v| v.value.clone())))
        .collect();
    let soe = |v: &ShellOrExec| match v {
        ShellOrExec::Exec(w) => {
            let mut a = vec!["exec".to_string()];
            a.extend(w.iter().map(|w| w.value.clone()));
            a
        }
        ShellOrExec::Shell(t) => vec!["shell".into(), t.text.trim_end().to_string()],
    };
    let _ = src;
    let (kind, args) = match &ins.kind {
        InstructionKind::From { image, alias } => {
            let mut a = vec![image.value.clone()];
            a.extend(alias.iter().map(|w| w.value.clone()));
            ("FROM", a)
        }
        InstructionKind::Run(v) => ("RUN", soe(v)),
        InstructionKind::Cmd(v) => ("CMD", soe(v)),
        InstructionKind::Entrypoint(v) => ("ENTRYPOINT", soe(v)),
        InstructionKind::Shell(w) => ("SHELL", w.iter().map(|w| w.value.clone()).collect()),
        InstructionKind::Copy { sources, dest, .. } => {
            let mut a: Vec<String> = sources.iter().map(|w| w.value.clone()).collect();
            a.extend(dest.iter().map(|w| w.value.clone()));
            (ins.keyword.as_str(), a)
        }
        InstructionKind::Arg(kv) | InstructionKind::Env(kv) | InstructionKind::Label(kv) => (
            ins.keyword.as_str(),
            kv.iter()
                .flat_map(|kv| {
                    [
                        kv.key.value.clone(),
                        kv.value
                            .as_ref()
                            .map(|v| v.value.clone())
                            .unwrap_or_default(),
                    ]
                })
                .collect(),
        ),
        InstructionKind::Expose(w) => ("EXPOSE", w.iter().map(|w| w.value.clone()).collect()),
        InstructionKind::Volume { paths, .. } => {
            ("VOLUME", paths.iter().map(|w| w.value.clone()).collect())
        }
        InstructionKind::User(w)
        | InstructionKind::Workdir(w)
        | InstructionKind::Stopsignal(w)
        | InstructionKind::Maintainer(w) => (ins.keyword.as_str(), vec![w.value.clone()]),
        InstructionKind::Healthcheck(None) => ("HEALTHCHECK", vec!["NONE".into()]),
        InstructionKind::Healthcheck(Some(v)) => ("HEALTHCHECK", soe(v)),
        InstructionKind::Onbuild(child) => {
            let c = ours(src, child);
            let mut a = vec![c.kind];
            a.extend(c.args);
            ("ONBUILD", a)
        }
        InstructionKind::Invalid => ("INVALID", vec![]),
    };
    Norm {
        kind: kind.to_string(),
        flags,
        args,
    }
}

mod pd {
    use super::Norm;
    use parse_dockerfile::{Command, HealthcheckArguments, Instruction, JsonOrStringArray, Source};

    fn cmd(c: &Command<'_>, src: &str, esc: char) -> Vec<String> {
        match c {
            Command::Exec(v) => {
                let mut a = vec!["exec".to_string()];
                a.extend(v.value.iter().map(|s| s.value.to_string()));
                a
            }
            // Shell form is kept raw (continuations included): join it the BuildKit way.
            Command::Shell(s) => vec!["shell".into(), join(&src[s.span.clone()], esc)],
            _ => vec!["?".into()],
        }
    }

    /// Removes `\`+newline continuations and comment lines inside them.
    pub fn join(raw: &str, esc: char) -> String {
        let mut out = String::new();
        let mut lines = raw.split('\n').peekable();
        let mut first = true;
        while let Some(line) = lines.next() {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if !first && (line.trim_start().starts_with('#') || line.trim().is_empty()) {
                continue;
            }
            first = false;
            let t = line.trim_end_matches([' ', '\t']);
            match t.strip_suffix(esc) {
                Some(b) if lines.peek().is_some() && !b.ends_with(esc) => out.push_str(b),
                _ => out.push_str(line),
            }
        }
        out.trim_end().to_string()
    }

    fn flags(f: &[parse_dockerfile::Flag<'_>]) -> Vec<(String, Option<String>)> {
        f.iter()
            .map(|f| {
                (
                    f.name.value.to_string(),
                    f.value.as_ref().map(|v| v.value.to_string()),
                )
            })
            .collect()
    }

    pub fn norm(i: &Instruction<'_>, src: &str, esc: char) -> Norm {
        let (kind, fl, args): (&str, _, Vec<String>) = match i {
            Instruction::From(x) => {
                let mut a = vec![x.image.value.to_string()];
                a.extend(x.as_.iter().map(|(_, n)| n.value.to_string()));
                ("FROM", flags(&x.options), a)
            }
            Instruction::Run(x) => ("RUN", flags(&x.options), cmd(&x.arguments, src, esc)),
            Instruction::Cmd(x) => ("CMD", vec![], cmd(&x.arguments, src, esc)),
            Instruction::Entrypoint(x) => ("ENTRYPOINT", vec![], cmd(&x.arguments, src, esc)),
            Instruction::Shell(x) => (
                "SHELL",
                vec![],
                x.arguments.iter().map(|s| s.value.to_string()).collect(),
            ),
            Instruction::Copy(x) => {
                let mut a: Vec<String> = x.src.iter().map(source).collect();
                a.push(x.dest.value.to_string());
                ("COPY", flags(&x.options), a)
            }
            Instruction::Add(x) => {
                let mut a: Vec<String> = x.src.iter().map(source).collect();
                a.push(x.dest.value.to_string());
                ("ADD", flags(&x.options), a)
            }
            Instruction::Arg(x) => ("ARG", vec![], vec![x.arguments.value.to_string()]),
            Instruction::Env(x) => ("ENV", vec![], vec![x.arguments.value.to_string()]),
            Instruction::Label(x) => ("LABEL", vec![], vec![x.arguments.value.to_string()]),
            Instruction::Expose(x) => (
                "EXPOSE",
                vec![],
                x.arguments.iter().map(|s| s.value.to_string()).collect(),
            ),
            Instruction::Volume(x) => (
                "VOLUME",
                vec![],
                match &x.arguments {
                    JsonOrStringArray::Json(v) => {
                        v.value.iter().map(|s| s.value.to_string()).collect()
                    }
                    JsonOrStringArray::String(v) => v.iter().map(|s| s.value.to_string()).collect(),
                },
            ),
            Instruction::User(x) => ("USER", vec![], vec![x.arguments.value.to_string()]),
            Instruction::Workdir(x) => ("WORKDIR", vec![], vec![x.arguments.value.to_string()]),
            Instruction::Stopsignal(x) => {
                ("STOPSIGNAL", vec![], vec![x.arguments.value.to_string()])
            }
            Instruction::Maintainer(x) => ("MAINTAINER", vec![], vec![x.name.value.to_string()]),
            Instruction::Healthcheck(x) => (
                "HEALTHCHECK",
                flags(&x.options),
                match &x.arguments {
                    HealthcheckArguments::Cmd { arguments, .. } => cmd(arguments, src, esc),
                    HealthcheckArguments::None { .. } => vec!["NONE".into()],
                    _ => vec!["?".into()],
                },
            ),
            Instruction::Onbuild(x) => {
                let c = norm(&x.instruction, src, esc);
                let mut a = vec![c.kind];
                a.extend(c.args);
                ("ONBUILD", vec![], a)
            }
            _ => ("UNKNOWN", vec![], vec![]),
        };
        Norm {
            kind: kind.to_string(),
            flags: fl,
            args,
        }
    }

    fn source(s: &Source<'_>) -> String {
        match s {
            Source::Path(p) => p.value.to_string(),
            Source::HereDoc(_) => "<heredoc>".into(),
            _ => "?".into(),
        }
    }
}

mod dp {
    use super::{Flags, Norm};
    use dockerfile_parser::{Instruction, ShellOrExecExpr};

    fn soe(e: &ShellOrExecExpr) -> Vec<String> {
        match e {
            ShellOrExecExpr::Exec(a) => {
                let mut v = vec!["exec".to_string()];
                v.extend(a.elements.iter().map(|s| s.content.clone()));
                v
            }
            ShellOrExecExpr::Shell(s) => vec!["shell".into(), s.to_string().trim_end().to_string()],
        }
    }

    pub fn norm(i: &Instruction) -> Norm {
        let (kind, flags, args): (String, Flags, Vec<String>) = match i {
            Instruction::From(x) => {
                let mut a = vec![x.image.content.clone()];
                a.extend(x.alias.iter().map(|s| s.content.clone()));
                (
                    "FROM".into(),
                    x.flags
                        .iter()
                        .map(|f| (f.name.content.clone(), Some(f.value.content.clone())))
                        .collect(),
                    a,
                )
            }
            Instruction::Run(x) => ("RUN".into(), vec![], soe(&x.expr)),
            Instruction::Cmd(x) => ("CMD".into(), vec![], soe(&x.expr)),
            Instruction::Entrypoint(x) => ("ENTRYPOINT".into(), vec![], soe(&x.expr)),
            Instruction::Copy(x) => {
                let mut a: Vec<String> = x.sources.iter().map(|s| s.content.clone()).collect();
                a.push(x.destination.content.clone());
                (
                    "COPY".into(),
                    x.flags
                        .iter()
                        .map(|f| (f.name.content.clone(), Some(f.value.content.clone())))
                        .collect(),
                    a,
                )
            }
            Instruction::Env(x) => (
                "ENV".into(),
                vec![],
                x.vars
                    .iter()
                    .flat_map(|v| [v.key.content.clone(), v.value.to_string()])
                    .collect(),
            ),
            Instruction::Arg(x) => (
                "ARG".into(),
                vec![],
                vec![
                    x.name.content.clone(),
                    x.value
                        .as_ref()
                        .map(|v| v.content.clone())
                        .unwrap_or_default(),
                ],
            ),
            Instruction::Label(x) => (
                "LABEL".into(),
                vec![],
                x.labels
                    .iter()
                    .flat_map(|l| [l.name.content.clone(), l.value.content.clone()])
                    .collect(),
            ),
            Instruction::Misc(x) => (
                x.instruction.content.to_ascii_uppercase(),
                vec![],
                vec![x.arguments.to_string().trim().to_string()],
            ),
        };
        Norm { kind, flags, args }
    }
}

/// True when a line ends in a doubled escape character (`C:\\dir\\`): BuildKit does not
/// continue such a line, both oracles do (the parse-dockerfile bug noted in crates.md), so
/// they merge it with the next instruction.
fn has_escaped_escape_at_eol(src: &str, esc: char) -> bool {
    let pair: String = [esc, esc].iter().collect();
    src.lines()
        .any(|l| !l.trim_start().starts_with('#') && l.trim_end().ends_with(&pair))
}

/// Letters and digits only: for comparing values that differ only in quoting/escaping.
fn bare(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Explains a known difference between dlint (`a`, BuildKit semantics) and an oracle (`b`).
fn explain(oracle: &str, ins: &Instruction, a: &Norm, b: &Norm) -> Option<&'static str> {
    if a.kind == b.kind && a.args == b.args && a.flags != b.flags {
        // parse-dockerfile keeps quotes in flag values (`--chown="${UID}"`); BuildKit's
        // extractBuilderFlags removes them.
        let unquoted: Vec<(String, Option<String>)> = b
            .flags
            .iter()
            .map(|(n, v)| {
                (
                    n.clone(),
                    v.as_ref().map(|v| v.trim_matches('"').to_string()),
                )
            })
            .collect();
        if oracle == "pd" && unquoted == a.flags {
            return Some("pd keeps quotes in flag values");
        }
        // dockerfile-parser drops flags without a value (`--link`) and leaves RUN flags in
        // the shell text.
        let valued: Vec<_> = a.flags.iter().filter(|f| f.1.is_some()).cloned().collect();
        if oracle == "dp" && (valued == b.flags || (a.kind == "RUN" && b.flags.is_empty())) {
            return Some("dp drops valueless flags / keeps RUN flags in the text");
        }
    }
    if oracle == "dp" && a.kind == "COPY" {
        // dockerfile-parser reads a valueless flag (`--link`, or `--from build`) as a source
        // path, and never parses COPY's JSON form.
        if ins.json {
            return Some("dp does not parse COPY's JSON form");
        }
        if a.flags
            .iter()
            .any(|f| f.1.is_none() && b.args.contains(&format!("--{}", f.0)))
            || a.flags.iter().any(|f| f.1.is_none() && b.flags.is_empty())
        {
            return Some("dp reads a valueless COPY flag as a source path");
        }
    }
    if oracle == "dp" && a.kind == "RUN" && b.flags.is_empty() && !a.flags.is_empty() {
        return Some("dp drops valueless flags / keeps RUN flags in the text");
    }
    if oracle == "dp" && !ins.flags.is_empty() && b.args.len() == 1 && a.kind == b.kind {
        return Some("dp keeps flags inside the arguments of untyped instructions");
    }
    if a.kind == b.kind
        && a.flags == b.flags
        && a.args.len() == b.args.len()
        && a.args.iter().zip(&b.args).all(|(x, y)| bare(x) == bare(y))
    {
        // dockerfile-parser keeps backslash escapes and quotes in ENV/ARG/LABEL values and
        // COPY paths; dlint stores them processed, as BuildKit does.
        return Some("oracle keeps escapes/quotes that BuildKit removes");
    }
    None
}

/// Compares one instruction pair; returns a mismatch category, or None when they agree.
fn compare(label: &str, a: &Norm, b: &Norm) -> Option<String> {
    if a == b {
        return None;
    }
    if a.kind != b.kind {
        return Some(format!("{label}: kind {} vs {}", a.kind, b.kind));
    }
    if a.flags != b.flags {
        return Some(format!(
            "{label}: {} flags {:?} vs {:?}",
            a.kind, a.flags, b.flags
        ));
    }
    Some(format!(
        "{label}: {} args {:?} vs {:?}",
        a.kind, a.args, b.args
    ))
}

/// dlint's normalised view adapted to what an oracle can express.
fn adapt(oracle: &str, ins: &Instruction, mut n: Norm) -> Norm {
    let untyped_pd = ["ENV", "ARG", "LABEL"];
    let untyped_dp = [
        "SHELL",
        "EXPOSE",
        "VOLUME",
        "ADD",
        "ONBUILD",
        "HEALTHCHECK",
        "USER",
        "WORKDIR",
        "STOPSIGNAL",
        "MAINTAINER",
    ];
    if (oracle == "pd" && untyped_pd.contains(&n.kind.as_str()))
        || (oracle == "dp" && untyped_dp.contains(&n.kind.as_str()))
    {
        // The oracle keeps these arguments as one unsplit string.
        n.args = vec![ins.args.text.clone()];
        if oracle == "dp" {
            n.flags.clear();
        }
    }
    n
}

#[test]
fn differential_against_parse_dockerfile_and_dockerfile_parser() {
    let Some(files) = corpus() else { return };
    let (mut pd_files, mut dp_files, mut compared) = (0, 0, 0);
    let mut unexplained = Vec::new();
    let mut explained: std::collections::BTreeMap<String, usize> = Default::default();
    for (name, src) in &files {
        let df = dockerfile::parse(src);
        let esc = df.escape;
        let mine: Vec<Norm> = df.instructions.iter().map(|i| ours(src, i)).collect();
        let mut oracles: Vec<(&str, Vec<Norm>)> = Vec::new();
        if let Ok(t) = parse_dockerfile::parse(src) {
            pd_files += 1;
            oracles.push((
                "pd",
                t.instructions
                    .iter()
                    .map(|i| pd::norm(i, src, esc))
                    .collect(),
            ));
        }
        if let Ok(t) = dockerfile_parser::Dockerfile::parse(src) {
            dp_files += 1;
            oracles.push(("dp", t.instructions.iter().map(dp::norm).collect()));
        }
        for (oracle, theirs) in oracles {
            if theirs.len() != mine.len() {
                if has_escaped_escape_at_eol(src, esc) {
                    *explained
                        .entry(format!(
                            "{oracle}: line ending in an escaped escape continued (file skipped)"
                        ))
                        .or_default() += 1;
                } else {
                    unexplained.push(format!(
                        "{oracle} {name}: {} vs {} instructions",
                        mine.len(),
                        theirs.len()
                    ));
                }
                continue;
            }
            for ((ins, a), b) in df.instructions.iter().zip(&mine).zip(&theirs) {
                compared += 1;
                let a = adapt(oracle, ins, a.clone());
                let Some(m) = compare(&format!("{oracle} {name}"), &a, b) else {
                    continue;
                };
                match explain(oracle, ins, &a, b) {
                    Some(reason) => {
                        *explained.entry(format!("{oracle}: {reason}")).or_default() += 1
                    }
                    None => unexplained.push(m),
                }
            }
        }
    }
    eprintln!(
        "parse-dockerfile parsed {pd_files} files, dockerfile-parser {dp_files}; {compared} instruction pairs compared"
    );
    for (reason, n) in &explained {
        eprintln!("explained: {n:5} {reason}");
    }
    for r in &unexplained {
        eprintln!("UNEXPLAINED {r}");
    }
    assert!(
        pd_files > 1000 && dp_files > 1000,
        "oracles parsed too few files"
    );
    assert!(
        unexplained.is_empty(),
        "{} unexplained differences",
        unexplained.len()
    );
}

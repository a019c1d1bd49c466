//! Focused parser behaviour: flags, forms, key/values, stages, heredocs, spans, recovery.

use dlint::dockerfile::{
    self, ImageRef, InstructionKind, Keyword, ParseErrorKind, ShellOrExec, dump::buildkit_dump,
};

fn text(df: &dockerfile::Dockerfile, s: dockerfile::Span) -> &str {
    s.text(&df.source)
}

#[test]
fn flags_and_mounts() {
    let df = dockerfile::parse(
        "FROM --platform=$BUILDPLATFORM alpine\nRUN --mount=type=cache,target=/root/.cache,sharing=locked --network=none echo hi\nCOPY --from=build --chown=1:1 --link a b /dst/\n",
    );
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    let run = &df.instructions[1];
    assert_eq!(run.flags.len(), 2);
    let mount = run.flag("mount").and_then(|f| f.mount()).expect("mount");
    assert_eq!(mount.kind, "cache");
    assert_eq!(mount.target.as_deref(), Some("/root/.cache"));
    assert!(
        mount
            .options
            .contains(&("sharing".into(), Some("locked".into())))
    );
    assert_eq!(run.flag_value("network"), Some("none"));
    assert_eq!(text(&df, run.flags[1].span), "--network=none");
    assert_eq!(text(&df, run.flags[1].name_span), "network");
    let copy = &df.instructions[2];
    assert_eq!(copy.flag_value("from"), Some("build"));
    assert!(copy.flag("link").is_some_and(|f| f.value.is_none()));
    match &copy.kind {
        InstructionKind::Copy {
            sources,
            dest,
            json,
        } => {
            assert_eq!(
                sources.iter().map(|w| w.value.as_str()).collect::<Vec<_>>(),
                ["a", "b"]
            );
            assert_eq!(dest.as_ref().map(|w| w.value.as_str()), Some("/dst/"));
            assert!(!json);
        }
        k => panic!("{k:?}"),
    }
    let bind = dockerfile::parse_mount("source=.,target=/src,\"ro\"");
    assert_eq!(bind.kind, "bind");
    assert_eq!(bind.target.as_deref(), Some("/src"));
    assert!(bind.options.contains(&("ro".into(), None)));
}

#[test]
fn continuation_skips_comments_and_records_empty_lines() {
    let src = "FROM a\nRUN apt-get update \\\n  # a comment\n\n  && apt-get install -y curl\n";
    let df = dockerfile::parse(src);
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    let run = &df.instructions[1];
    assert_eq!(run.args.text, "apt-get update   && apt-get install -y curl");
    assert_eq!(run.empty_continuation_lines.len(), 1);
    assert_eq!(df.comments.len(), 1);
    assert!(df.comments[0].inside_instruction);
    assert_eq!(df.comments[0].text, " a comment");
    // `curl` in the joined text maps back to `curl` in the source.
    let at = run.args.text.find("curl").expect("curl");
    let span = run.args.map.span_to_source(at, at + 4);
    assert_eq!(text(&df, span), "curl");
    assert_eq!(text(&df, run.span), &src[7..src.len() - 1]);
}

#[test]
fn exec_and_shell_forms() {
    let df = dockerfile::parse(
        "FROM a\nCMD [\"echo\", \"hi\"]\nCMD ['echo']\nENTRYPOINT [\"a\"\nSHELL [\"/bin/bash\", \"-c\"]\nRUN [ \"x\" ]\n",
    );
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    match &df.instructions[1].kind {
        InstructionKind::Cmd(ShellOrExec::Exec(w)) => {
            assert_eq!(w[1].value, "hi");
            assert_eq!(text(&df, w[1].span), "\"hi\"");
        }
        k => panic!("{k:?}"),
    }
    assert!(
        matches!(&df.instructions[2].kind, InstructionKind::Cmd(ShellOrExec::Shell(t)) if t.text == "['echo']")
    );
    assert!(matches!(
        &df.instructions[3].kind,
        InstructionKind::Entrypoint(ShellOrExec::Shell(_))
    ));
    assert!(matches!(&df.instructions[4].kind, InstructionKind::Shell(w) if w.len() == 2));
    assert!(df.instructions[5].json);
    let bad = dockerfile::parse("FROM a\nCMD [\"a\", [\"b\"]]\n");
    assert_eq!(bad.errors.len(), 1);
    assert_eq!(bad.errors[0].kind, ParseErrorKind::Syntax);
}

#[test]
fn env_arg_label_pairs() {
    let df = dockerfile::parse(
        "ARG BASE=debian VERSION\nFROM $BASE\nENV A=1 B=\"two words\" C=x\\ y\nENV LEGACY some value here\nLABEL \"org.key\"='v 1'\n",
    );
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    let kv = |i: usize| match &df.instructions[i].kind {
        InstructionKind::Env(v) | InstructionKind::Arg(v) | InstructionKind::Label(v) => v
            .iter()
            .map(|kv| {
                (
                    kv.key.value.clone(),
                    kv.value.as_ref().map(|w| w.value.clone()),
                )
            })
            .collect::<Vec<_>>(),
        k => panic!("{k:?}"),
    };
    assert_eq!(
        kv(0),
        [
            ("BASE".into(), Some("debian".into())),
            ("VERSION".into(), None)
        ]
    );
    assert_eq!(
        kv(2),
        [
            ("A".into(), Some("1".into())),
            ("B".into(), Some("two words".into())),
            ("C".into(), Some("x y".into()))
        ]
    );
    assert_eq!(kv(3), [("LEGACY".into(), Some("some value here".into()))]);
    assert_eq!(kv(4), [("org.key".into(), Some("v 1".into()))]);
    let env_no_value = dockerfile::parse("FROM a\nENV PATH\n");
    assert!(
        env_no_value
            .errors
            .iter()
            .any(|e| e.message.contains("two arguments"))
    );
}

#[test]
fn stages_and_image_refs() {
    let df = dockerfile::parse(
        "ARG V=1\nFROM registry.example.com:5000/team/app:1.2@sha256:abc AS Build\nRUN x\nFROM scratch\nCOPY --from=build /a /b\n",
    );
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    assert_eq!(df.stages.len(), 2);
    assert_eq!(df.stages[0].name.as_deref(), Some("build"));
    assert_eq!(df.stages[0].instructions, [2]);
    assert_eq!(df.stages[1].from, 3);
    assert_eq!(df.instructions[0].stage, None);
    assert_eq!(df.instructions[4].stage, Some(1));
    let r = &df.stages[0].base;
    assert_eq!(r.registry.as_deref(), Some("registry.example.com:5000"));
    assert_eq!(r.name, "team/app");
    assert_eq!(r.tag.as_deref(), Some("1.2"));
    assert_eq!(r.digest.as_deref(), Some("sha256:abc"));
    let plain = ImageRef::parse("debian");
    assert_eq!(
        (plain.registry, plain.name.as_str(), plain.tag),
        (None, "debian", None)
    );
    let local = ImageRef::parse("localhost/x:y");
    assert_eq!(local.registry.as_deref(), Some("localhost"));
}

#[test]
fn heredocs() {
    let src = "FROM a\nRUN <<EOF bash\necho $HOME\nEOF\nCOPY <<-\"A\" <<B /dst/\n\tone\n\tA\ntwo\nB\nRUN echo done\n";
    let df = dockerfile::parse(src);
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    assert_eq!(df.instructions.len(), 4);
    let run = &df.instructions[1];
    assert_eq!(run.heredocs.len(), 1);
    assert_eq!(run.heredocs[0].delimiter, "EOF");
    assert_eq!(run.heredocs[0].body, "echo $HOME\n");
    assert!(!run.heredocs[0].quoted);
    assert!(text(&df, run.span).ends_with("\nEOF"));
    let copy = &df.instructions[2];
    assert_eq!(copy.heredocs.len(), 2);
    assert!(copy.heredocs[0].strip_tabs && copy.heredocs[0].quoted);
    assert_eq!(copy.heredocs[0].body, "one\n");
    assert_eq!(copy.heredocs[1].body, "two\n");
    assert_eq!(text(&df, copy.heredocs[1].marker_span), "<<B");
    assert_eq!(df.instructions[3].keyword, Keyword::Run);
    // JSON form never has heredocs; unterminated ones are errors.
    let df = dockerfile::parse("FROM a\nRUN [\"<<EOF\"]\nRUN cat <<EOF\nno end\n");
    assert!(df.instructions[1].heredocs.is_empty());
    assert_eq!(df.errors.len(), 1, "{:?}", df.errors);
}

#[test]
fn directives_escape_bom_crlf() {
    let src = "\u{feff}# syntax=docker/dockerfile:1\r\n# escape=`\r\nFROM a\r\nRUN echo `\r\n  hi\r\n# not a directive=x\r\n";
    let df = dockerfile::parse(src);
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    assert!(df.bom);
    assert_eq!(df.escape, '`');
    assert_eq!(df.directives.len(), 2);
    assert_eq!(df.directives[1].value, "`");
    assert_eq!(df.instructions[1].args.text, "echo   hi");
    // A directive after an instruction is just a comment.
    let df = dockerfile::parse("FROM a\n# escape=`\nRUN a `\n");
    assert_eq!(df.escape, '\\');
    assert!(df.directives.is_empty());
}

#[test]
fn recovers_after_errors() {
    let df =
        dockerfile::parse("FROM a\nFOO bar\nCOPY onlyone\nRUN echo ok\nONBUILD ONBUILD RUN x\n");
    assert_eq!(df.instructions.len(), 5);
    assert_eq!(df.errors.len(), 3, "{:?}", df.errors);
    let pos = df.lines.line_col(&df.source, df.errors[0].span.start);
    assert_eq!((pos.line, pos.column), (2, 1));
    assert_eq!(df.instructions[3].keyword, Keyword::Run);
}

#[test]
fn onbuild_and_healthcheck() {
    let df = dockerfile::parse(
        "FROM a\nONBUILD RUN echo hi\nHEALTHCHECK --interval=5s CMD [\"curl\", \"x\"]\nHEALTHCHECK NONE\n",
    );
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    assert_eq!(
        buildkit_dump(&df),
        "(from \"a\")\n(onbuild (run \"echo hi\"))\n(healthcheck [\"--interval=5s\"] \"CMD\" \"curl\" \"x\")\n(healthcheck \"NONE\")\n"
    );
    assert!(matches!(
        &df.instructions[3].kind,
        InstructionKind::Healthcheck(None)
    ));
}

#[test]
fn garbage_never_panics() {
    let inputs: Vec<String> = vec![
        String::new(),
        "\\".into(),
        "\\\n\\\n".into(),
        "RUN <<".into(),
        "RUN <<'EOF".into(),
        "COPY [\"a\", \"b\"".into(),
        "ONBUILD ".repeat(1000),
        "[".repeat(100_000),
        "RUN --=\"\\".into(),
        "\u{feff}".into(),
        String::from_utf8_lossy(&(0u8..=255).cycle().take(5000).collect::<Vec<_>>()).into_owned(),
    ];
    for s in inputs {
        let df = dockerfile::parse(&s);
        let _ = buildkit_dump(&df);
    }
}

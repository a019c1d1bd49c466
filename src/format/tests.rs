use super::{FormatError, format};

fn fmt(s: &str) -> String {
    format(s).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn keywords_upper_case_and_final_newline() {
    assert_eq!(
        fmt("from alpine\nrun  echo hi   "),
        "FROM alpine\n\nRUN echo hi\n"
    );
}

#[test]
fn long_chain_one_command_per_line() {
    let src = "FROM a\n\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/* && echo done\n";
    assert_eq!(
        fmt(src),
        "FROM a\n\nRUN apt-get update && \\\n    apt-get install -y curl && \\\n    rm -rf /var/lib/apt/lists/* && \\\n    echo done\n"
    );
}

#[test]
fn short_chain_stays_on_one_line() {
    assert_eq!(
        fmt("FROM a\n\nRUN cd /x && make\n"),
        "FROM a\n\nRUN cd /x && make\n"
    );
}

#[test]
fn packages_sorted_with_pins_and_variables_in_place() {
    let src = "FROM a\n\nRUN apk add zlib curl=8.1 $EXTRA bash abc\n";
    assert_eq!(
        fmt(src),
        "FROM a\n\nRUN apk add curl=8.1 zlib $EXTRA abc bash\n"
    );
}

#[test]
fn quoted_continuation_kept() {
    let src = "FROM a\n\nRUN echo \"a \\\n   b\" && \\\n  true\n";
    let out = fmt(src);
    assert!(out.contains("echo \"a \\\n   b\""), "{out}");
}

#[test]
fn parse_error_is_refused() {
    assert!(matches!(
        format("FROM a\nFOO bar\n"),
        Err(FormatError::Parse { .. })
    ));
}

#[test]
fn blank_lines_between_groups_of_one_keyword() {
    let src = "\n\nFROM a AS b\nRUN x\n\n\n\nRUN y\n# base\nFROM c\nCOPY a b\n\n\n";
    assert_eq!(
        fmt(src),
        "FROM a AS b\n\nRUN x\nRUN y\n\n# base\nFROM c\n\nCOPY a b\n"
    );
}

fn sem(s: &str) -> super::semantics::Semantics {
    super::semantics::of(&crate::dockerfile::parse(s))
}

#[test]
fn the_semantic_check_sees_changed_commands_and_words() {
    // layout only: equal
    assert_eq!(
        sem("FROM a\nRUN a &&   b\n"),
        sem("from a\n\nrun a && \\\n    b\n")
    );
    // an operator, a word, a quoted blank, a joined word: different
    assert_ne!(sem("FROM a\nRUN a && b\n"), sem("FROM a\nRUN a || b\n"));
    assert_ne!(sem("FROM a\nRUN echo a b\n"), sem("FROM a\nRUN echo b a\n"));
    assert_ne!(
        sem("FROM a\nRUN echo \"a  b\"\n"),
        sem("FROM a\nRUN echo \"a b\"\n")
    );
    assert_ne!(
        sem("FROM a\nRUN ab\\\ncd\n"),
        sem("FROM a\nRUN ab \\\ncd\n")
    );
    assert_ne!(sem("FROM a\nENV A b  c\n"), sem("FROM a\nENV A b c\n"));
    assert_ne!(
        sem("FROM a\nRUN <<EOF\nx  \nEOF\n"),
        sem("FROM a\nRUN <<EOF\nx\nEOF\n")
    );
    assert_ne!(sem("FROM a\n# one\n"), sem("FROM a\n# two\n"));
    // install words are a multiset; other commands keep their order
    assert_eq!(
        sem("FROM a\nRUN apk add b a\n"),
        sem("FROM a\nRUN apk add a b\n")
    );
    assert_ne!(
        sem("FROM a\nRUN apk add b a\n"),
        sem("FROM a\nRUN apk add a c\n")
    );
    assert_ne!(
        sem("FROM a\nRUN pip install b a\n"),
        sem("FROM a\nRUN pip install a b\n")
    );
}

#[test]
fn crlf_and_backtick_escape_are_kept() {
    assert_eq!(
        fmt("from a\r\nrun echo a &&  \\\r\n  echo b\r\n"),
        "FROM a\r\n\r\nRUN echo a && \\\r\n    echo b\r\n"
    );
    assert_eq!(
        fmt("# escape=`\nfrom a\nrun echo a `\n  b\n"),
        "# escape=`\n\nFROM a\n\nRUN echo a `\n    b\n"
    );
}

#[test]
fn long_install_one_package_per_line_and_stable() {
    let pkgs = "zlib1g-dev libssl-dev libffi-dev build-essential ca-certificates curl git";
    let src = format!("FROM a\n\nRUN apt-get install -y --no-install-recommends {pkgs}\n");
    let out = fmt(&src);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[2],
        "RUN apt-get install -y --no-install-recommends \\"
    );
    let mut want: Vec<&str> = pkgs.split(' ').collect();
    want.sort_unstable();
    let got: Vec<&str> = lines[3..]
        .iter()
        .map(|l| l.trim().trim_end_matches(" \\"))
        .collect();
    assert_eq!(got, want);
    assert!(
        lines[3..]
            .iter()
            .all(|l| l.starts_with("    ") && l.len() <= 80)
    );
    assert_eq!(fmt(&out), out);
}

#[test]
fn long_command_wrapped_between_words_only() {
    let src = "FROM a\n\nRUN cp -a \"/some/quoted source/with spaces\" $(ls /opt/a /opt/b) /opt/destination/directory/that/is/long\n";
    let out = fmt(src);
    assert_ne!(out, src);
    assert!(out.contains("\"/some/quoted source/with spaces\""));
    assert!(out.contains("$(ls /opt/a /opt/b)"));
    assert_eq!(fmt(&out), out);
    assert!(out.lines().all(|l| l.len() <= 80), "{out}");
}

#[test]
fn short_multi_line_install_kept_as_written() {
    let src = "FROM a\n\nRUN apk add --no-cache \\\n    curl git \\\n    jq\n";
    assert_eq!(fmt(src), src);
}

#[test]
fn long_label_one_pair_per_line_with_backtick_escape_and_crlf() {
    let src = "# escape=`\r\nFROM a\r\nLABEL org.opencontainers.image.title=myapp org.opencontainers.image.version=1.0 x=\"a  b\"\r\n";
    assert_eq!(
        fmt(src),
        "# escape=`\r\n\r\nFROM a\r\n\r\nLABEL org.opencontainers.image.title=myapp `\r\n    org.opencontainers.image.version=1.0 `\r\n    x=\"a  b\"\r\n"
    );
}

#[test]
fn short_instructions_keep_their_elements_on_one_line() {
    for src in [
        "FROM a\n\nRUN --mount=type=cache,target=/a --mount=type=tmpfs,target=/b make\n",
        "FROM a\n\nLABEL a=1 b=2\n",
        "FROM a\n\nHEALTHCHECK --interval=5s CMD curl -f http://localhost/ || exit 1\n",
    ] {
        assert_eq!(fmt(src), src);
    }
}

#[test]
fn semantics_see_flags_pair_values_and_healthcheck_options() {
    use super::semantics::of;
    use crate::dockerfile::parse;
    for (a, b) in [
        (
            "RUN --mount=type=cache,target=/a x",
            "RUN --mount=type=cache,target=/b x",
        ),
        ("LABEL a=1 b=2", "LABEL a=1 b=3"),
        ("ENV A=1 B=2", "ENV A=1 C=2"),
        (
            "HEALTHCHECK --interval=5s CMD x",
            "HEALTHCHECK --interval=6s CMD x",
        ),
        ("HEALTHCHECK CMD a && b", "HEALTHCHECK CMD a || b"),
    ] {
        let (a, b) = (format!("FROM x\n{a}\n"), format!("FROM x\n{b}\n"));
        assert_ne!(of(&parse(&a)), of(&parse(&b)), "{a} vs {b}");
    }
}

#[test]
fn legacy_env_gap_before_the_value_collapses_but_the_value_is_kept() {
    assert_eq!(
        fmt("FROM a\nENV NGINX_VERSION   1.27.4\nENV A\t b  c\n"),
        "FROM a\n\nENV NGINX_VERSION 1.27.4\nENV A b  c\n"
    );
}

#[test]
fn installs_are_read_through_the_package_model() {
    // apt's `-o X=Y` before the sub-command and a `sudo` wrapper: still an install, so its
    // packages are sorted and listed one per line, the option's value staying with it
    let pkgs = "zlib1g-dev libssl-dev libffi-dev build-essential ca-certificates curl";
    let src = format!(
        "FROM a\n\nRUN sudo apt-get -o Acquire::Retries=3 install -y -t bookworm-backports {pkgs}\n"
    );
    let out = fmt(&src);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[2], "RUN sudo apt-get -o Acquire::Retries=3 install -y -t bookworm-backports \\",
        "{out}"
    );
    let mut want: Vec<&str> = pkgs.split(' ').collect();
    want.sort_unstable();
    let got: Vec<&str> = lines[3..]
        .iter()
        .map(|l| l.trim().trim_end_matches(" \\"))
        .collect();
    assert_eq!(got, want, "{out}");
    assert_eq!(fmt(&out), out);
    // a simulation is not an install: left in its order
    let sim = "FROM a\n\nRUN apt-get install -s zlib curl\n";
    assert_eq!(fmt(sim), sim);
    // an option's value after the first package stays with its option
    let pip = "FROM a\n\nRUN pip install requests-toolbelt==1.0.0 flask-sqlalchemy==3.1.1 --index-url https://pypi.example.org/simple gunicorn\n";
    let out = fmt(pip);
    assert!(
        out.contains("    --index-url https://pypi.example.org/simple \\\n"),
        "{out}"
    );
    assert_eq!(fmt(&out), out);
}

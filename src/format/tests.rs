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

/// Debug aid: `FMT_DEBUG=path cargo test --lib format::tests::debug_file -- --ignored --nocapture`
#[test]
#[ignore]
fn debug_file() {
    let Some(path) = std::env::var_os("FMT_DEBUG") else {
        return;
    };
    let src = std::fs::read_to_string(path).expect("read");
    let df = crate::dockerfile::parse(&src);
    let out = super::format_parsed(&df, super::Mode::Full);
    let df2 = crate::dockerfile::parse(&out);
    let (a, b) = (super::semantics::of(&df), super::semantics::of(&df2));
    for (x, y) in a.instructions.iter().zip(&b.instructions) {
        if x != y {
            println!("BEFORE {x:#?}\nAFTER {y:#?}");
            break;
        }
    }
    if a.comments != b.comments {
        println!("comments differ");
    }
    println!("{out}");
}

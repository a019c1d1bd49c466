//! Heredoc cases from BuildKit's `parser_heredoc_test.go`, checked against dlint's AST.

use dlint::dockerfile::{self, Keyword};

#[test]
fn buildkit_heredoc_cases() {
    let src = "FROM alpine:3.6\n\nENV NAME=me\n\nRUN ls\n\nUSER <<INVALID\nINVALID\n\nRUN <<EMPTY\nEMPTY\n\nRUN 3<<EMPTY2\nEMPTY2\n\nRUN \"<<NOHEREDOC\"\n\nRUN <<INDENT\n\tfoo\n\tbar\nINDENT\n\nRUN <<-UNINDENT\n\tbaz\n\tquux\nUNINDENT\n\nRUN <<-UNINDENT2\n\tbaz\n\tquux\n\tUNINDENT2\n\nRUN <<-'NOEXPAND'\n\tdon't expand $NAME\nNOEXPAND\n\nRUN <<COMMENT\n# internal comment\necho hello world # trailing\nCOMMENT\n\nRUN --mount=type=cache,target=/foo <<MOUNT\necho hello\nMOUNT\n\nCOPY <<FILE1 <<FILE2 /dest\ncontent 1\nFILE1\ncontent 2\nFILE2\n\nCOPY <<X <<Y /dest\nY\nX\nX\nY\n\nRUN <<COMPLEX python3\nprint('hello world')\nCOMPLEX\n\nCOPY <<file.txt /dest\nhello world\nfile.txt\n\nRUN <<eo'f'\necho foo\neof\n\nRUN <<eo\\'f\necho foo\neo'f\n\nRUN <<'e'o\\'f\necho foo\neo'f\n\nRUN <<'one two'\necho bar\none two\n\nRUN <<$EOF\n$EOF\n\nRUN <<  EOF\nEOF\n\nRUN <<  EOF  > foo\nEOF\n\nRUN << -EOF\n-EOF\n";
    let df = dockerfile::parse(src);
    // (delimiter, body after tab stripping, expands)
    type Case = Vec<(&'static str, &'static str, bool)>;
    let expected: Vec<Case> = vec![
        vec![], // ENV
        vec![], // RUN ls
        vec![], // USER <<INVALID (not a heredoc instruction)
        vec![], // INVALID (an unknown instruction)
        vec![("EMPTY", "", true)],
        vec![("EMPTY2", "", true)],
        vec![], // RUN "<<NOHEREDOC"
        vec![("INDENT", "\tfoo\n\tbar\n", true)],
        vec![("UNINDENT", "baz\nquux\n", true)],
        vec![("UNINDENT2", "baz\nquux\n", true)],
        vec![("NOEXPAND", "don't expand $NAME\n", false)],
        vec![(
            "COMMENT",
            "# internal comment\necho hello world # trailing\n",
            true,
        )],
        vec![("MOUNT", "echo hello\n", true)],
        vec![
            ("FILE1", "content 1\n", true),
            ("FILE2", "content 2\n", true),
        ],
        vec![("X", "Y\n", true), ("Y", "X\n", true)],
        vec![("COMPLEX", "print('hello world')\n", true)],
        vec![("file.txt", "hello world\n", true)],
        vec![("eof", "echo foo\n", false)],
        vec![("eo'f", "echo foo\n", true)],
        vec![("eo'f", "echo foo\n", false)],
        vec![("one two", "echo bar\n", false)],
        vec![("$EOF", "", true)],
        vec![("EOF", "", true)],
        vec![("EOF", "", true)],
        vec![("-EOF", "", true)],
    ];
    assert_eq!(df.instructions.len(), expected.len() + 1);
    assert_eq!(df.instructions[4].keyword, Keyword::Unknown);
    for (i, (ins, want)) in df.instructions[1..].iter().zip(&expected).enumerate() {
        let got: Vec<(&str, &str, bool)> = ins
            .heredocs
            .iter()
            .map(|h| (h.delimiter.as_str(), h.body.as_str(), !h.quoted))
            .collect();
        assert_eq!(&got, want, "instruction {} ({:?})", i + 1, ins.args.text);
    }
    // Only the unknown `INVALID` instruction is an error.
    assert_eq!(df.errors.len(), 1, "{:?}", df.errors);
    // JSON form never has heredocs; unbalanced quotes are errors.
    let df = dockerfile::parse("FROM a\nRUN [\"<<EOF\"]\nRUN [\"<<'EOF'\"]\n");
    assert!(df.instructions.iter().all(|i| i.heredocs.is_empty()));
    for bad in [
        "RUN <<'EOF\nEOF\n",
        "RUN <<EOF'\nEOF\n",
        "RUN <<\"EOF\nEOF\n",
    ] {
        let df = dockerfile::parse(&format!("FROM a\n{bad}"));
        assert!(!df.errors.is_empty(), "{bad:?} accepted");
    }
}

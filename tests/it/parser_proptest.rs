//! Property test: generated Dockerfiles (continuations, comments inside them, blank lines,
//! CRLF, BOM, heredocs, flags, quotes, lower-case keywords) parse into the instructions they
//! were generated from, and the AST's spans cover the file losslessly.

use crate::parser_common;

use dlint::dockerfile;
use parser_common::check_lossless;
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Gen {
    keyword: &'static str,
    text: String,
}

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9_./:-]{1,12}",
        "\"[a-z ]{0,8}\"",
        "'[a-z$ ]{0,8}'",
        "\\$\\{?[A-Z]{1,4}\\}?",
    ]
}

fn instruction() -> impl Strategy<Value = Gen> {
    let kw = prop_oneof![
        Just("RUN"),
        Just("run"),
        Just("COPY"),
        Just("ENV"),
        Just("LABEL"),
        Just("CMD"),
        Just("WORKDIR"),
        Just("EXPOSE"),
        Just("USER"),
    ];
    (
        kw,
        prop::collection::vec(word(), 2..6),
        prop::option::of("--[a-z]{2,6}=[a-z0-9]{1,5}"),
        prop::bool::ANY,
    )
        .prop_map(|(kw, words, flag, json)| {
            let text = match kw {
                "ENV" | "LABEL" => words
                    .chunks(2)
                    .map(|c| format!("K{}={}", c[0].len(), c.get(1).map_or("v", |s| s.as_str())))
                    .collect::<Vec<_>>()
                    .join(" "),
                "CMD" if json => format!(
                    "[{}]",
                    words
                        .iter()
                        .map(|w| format!("\"{}\"", w.replace(['"', '\\'], "")))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                "WORKDIR" | "USER" => format!("x{}", words[0].replace(['"', '\'', ' '], "")),
                _ => words.join(" "),
            };
            let text = match (kw, flag) {
                ("RUN" | "run" | "COPY", Some(f)) => format!("{f} {text}"),
                _ => text,
            };
            Gen { keyword: kw, text }
        })
}

/// Layout between the words of an instruction.
#[derive(Debug, Clone)]
enum Sep {
    Space,
    Continuation {
        comment: bool,
        blank: bool,
        indent: usize,
    },
}

fn sep() -> impl Strategy<Value = Sep> {
    prop_oneof![
        3 => Just(Sep::Space),
        1 => (prop::bool::ANY, prop::bool::ANY, 0usize..4)
            .prop_map(|(comment, blank, indent)| Sep::Continuation { comment, blank, indent }),
    ]
}

#[derive(Debug, Clone)]
enum Item {
    Ins(Gen, Vec<Sep>),
    Comment(String),
    Blank(String),
    Heredoc(String),
}

fn item() -> impl Strategy<Value = Item> {
    prop_oneof![
        6 => (instruction(), prop::collection::vec(sep(), 8)).prop_map(|(g, s)| Item::Ins(g, s)),
        1 => "[ a-z]{0,10}".prop_map(Item::Comment),
        1 => "[ \t]{0,3}".prop_map(Item::Blank),
        1 => "[a-z ]{0,10}".prop_map(Item::Heredoc),
    ]
}

fn render(items: &[Item], crlf: bool, bom: bool, final_nl: bool) -> (String, Vec<String>) {
    let nl = if crlf { "\r\n" } else { "\n" };
    let mut out = String::new();
    if bom {
        out.push('\u{feff}');
    }
    out.push_str("FROM base");
    let mut keywords = vec!["FROM".to_string()];
    for it in items {
        out.push_str(nl);
        match it {
            Item::Ins(g, seps) => {
                keywords.push(g.keyword.to_ascii_uppercase());
                out.push_str(g.keyword);
                out.push(' ');
                // Only break between words outside quotes and JSON.
                let breakable = !g.text.contains(['"', '\'', '[']);
                for (i, w) in g.text.split(' ').enumerate() {
                    if i > 0 {
                        match seps.get(i % seps.len()) {
                            Some(Sep::Continuation {
                                comment,
                                blank,
                                indent,
                            }) if breakable => {
                                out.push_str(" \\");
                                out.push_str(nl);
                                if *comment {
                                    out.push_str("  # inner comment");
                                    out.push_str(nl);
                                }
                                if *blank {
                                    out.push_str(nl);
                                }
                                out.push_str(&" ".repeat(*indent));
                            }
                            _ => out.push(' '),
                        }
                    }
                    out.push_str(w);
                }
            }
            Item::Comment(c) => {
                out.push('#');
                out.push_str(c);
            }
            Item::Blank(b) => out.push_str(b),
            Item::Heredoc(body) => {
                keywords.push("RUN".into());
                out.push_str("RUN <<EOT bash");
                out.push_str(nl);
                out.push_str(body);
                out.push_str(nl);
                out.push_str("# not a comment");
                out.push_str(nl);
                out.push_str("EOT");
            }
        }
    }
    if final_nl {
        out.push_str(nl);
    }
    (out, keywords)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn generated_dockerfiles_round_trip(
        items in prop::collection::vec(item(), 0..12),
        crlf in prop::bool::ANY,
        bom in prop::bool::ANY,
        final_nl in prop::bool::ANY,
    ) {
        let (src, keywords) = render(&items, crlf, bom, final_nl);
        let df = dockerfile::parse(&src);
        let got: Vec<String> = df.instructions.iter().map(|i| i.keyword.as_str().to_string()).collect();
        prop_assert_eq!(&got, &keywords, "source: {:?}", src);
        let syntax: Vec<_> = df.errors.iter().filter(|e| e.kind == dockerfile::ParseErrorKind::Syntax).collect();
        prop_assert!(syntax.is_empty(), "errors {:?} in {:?}", syntax, src);
        prop_assert_eq!(df.bom, bom);
        if let Err(e) = check_lossless(&df) {
            prop_assert!(false, "{} in {:?}", e, src);
        }
        // Heredoc bodies are content, not comments.
        let heredocs = items.iter().filter(|i| matches!(i, Item::Heredoc(_))).count();
        prop_assert!(df.comments.iter().all(|c| c.text != " not a comment") || heredocs == 0);
        prop_assert_eq!(df.instructions.iter().map(|i| i.heredocs.len()).sum::<usize>(), heredocs);
    }
}

//! Test helpers for the shell-based rules.

use crate::dockerfile::*;
use crate::lint::{Context, Diagnostic, Rule, RuleSettings};

/// Runs one rule over a Dockerfile source.
pub fn check(rule: &dyn Rule, src: &str) -> Vec<Diagnostic> {
    let df = dockerfile(src);
    let settings = RuleSettings::default();
    let mut cx = Context::new(&df, &settings, rule.meta());
    rule.check(&mut cx);
    cx.into_diagnostics()
}

/// Line numbers (1-based) of a rule's findings.
pub fn lines(rule: &dyn Rule, src: &str) -> Vec<usize> {
    let df = dockerfile(src);
    check(rule, src)
        .iter()
        .map(|d| df.lines.line_col(&df.source, d.span.start).line)
        .collect()
}

/// Parses a Dockerfile for tests.
pub fn dockerfile(src: &str) -> Dockerfile {
    let real = crate::dockerfile::parse(src);
    if real
        .errors
        .iter()
        .any(|e| e.message.contains("not implemented"))
    {
        mini_parse(src)
    } else {
        real
    }
}

/// A small stand-in parser used until the real one is available: lines, continuations,
/// comment lines inside continuations, flags, FROM/RUN/COPY/ADD/ENV/ARG/SHELL, heredocs.
fn mini_parse(src: &str) -> Dockerfile {
    let mut df = Dockerfile {
        source: src.to_string(),
        lines: LineIndex::new(src),
        bom: false,
        directives: Vec::new(),
        escape: '\\',
        instructions: Vec::new(),
        comments: Vec::new(),
        stages: Vec::new(),
        errors: Vec::new(),
    };
    let line_spans: Vec<(usize, usize)> = {
        let mut v = Vec::new();
        let mut start = 0;
        for (i, b) in src.bytes().enumerate() {
            if b == b'\n' {
                v.push((start, i));
                start = i + 1;
            }
        }
        if start < src.len() {
            v.push((start, src.len()));
        }
        v
    };
    let mut li = 0;
    while li < line_spans.len() {
        let (ls, le) = line_spans[li];
        let line = &src[ls..le];
        let t = line.trim_start();
        if t.is_empty() {
            li += 1;
            continue;
        }
        if t.starts_with('#') {
            let off = ls + (line.len() - t.len());
            df.comments.push(Comment {
                span: Span::new(off, le),
                text: t.get(1..).unwrap_or("").to_string(),
                inside_instruction: false,
            });
            li += 1;
            continue;
        }
        let kw_start = ls + (line.len() - t.len());
        let kw_len = t.find(char::is_whitespace).unwrap_or(t.len());
        let keyword = Keyword::parse(&t[..kw_len]);
        // Collect the logical text after the keyword.
        let mut text = String::new();
        let mut map = SourceMap::default();
        let mut pos = kw_start + kw_len;
        let mut end;
        loop {
            let (_, cle) = line_spans[li];
            let seg = &src[pos..cle];
            let cont = seg.trim_end().ends_with('\\');
            let body = if cont {
                &seg[..seg.trim_end().len() - 1]
            } else {
                seg
            };
            map.push(text.len(), pos, body.len());
            text.push_str(body);
            end = cle;
            li += 1;
            if !cont {
                break;
            }
            // skip comment and empty lines inside the continuation
            while li < line_spans.len() {
                let (s2, e2) = line_spans[li];
                let l2 = src[s2..e2].trim_start();
                if l2.starts_with('#') {
                    df.comments.push(Comment {
                        span: Span::new(e2 - l2.len(), e2),
                        text: l2.get(1..).unwrap_or("").to_string(),
                        inside_instruction: true,
                    });
                    li += 1;
                } else if l2.is_empty() {
                    li += 1;
                } else {
                    break;
                }
            }
            if li >= line_spans.len() {
                break;
            }
            pos = line_spans[li].0;
        }
        // Leading whitespace and flags.
        let lead = text.len() - text.trim_start().len();
        let mut cut = lead;
        let mut flags = Vec::new();
        while text[cut..].starts_with("--") {
            let fend = text[cut..]
                .find(char::is_whitespace)
                .map(|p| cut + p)
                .unwrap_or(text.len());
            let f = &text[cut + 2..fend];
            let (name, value) = match f.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (f.to_string(), None),
            };
            let span = map.span_to_source(cut, fend);
            flags.push(Flag {
                span,
                name,
                name_span: span,
                value: value.map(|v| Word { span, value: v }),
            });
            cut = fend;
            cut += text[cut..].len() - text[cut..].trim_start().len();
        }
        let rest = text[cut..].to_string();
        let mut rest_map = SourceMap::default();
        for i in 0..rest.len() {
            rest_map.push(i, map.to_source(cut + i), 1);
        }
        let args = ShellText {
            span: Span::new(map.to_source(cut), end),
            text: rest.clone(),
            map: rest_map,
        };
        // Heredocs.
        let mut heredocs = Vec::new();
        if let Some(p) = rest.find("<<") {
            let r = rest[p + 2..].trim_start_matches('-');
            let delim: String = r
                .trim_start_matches(['"', '\''])
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !delim.is_empty() {
                let body_start = line_spans.get(li).map(|l| l.0).unwrap_or(src.len());
                let mut body_end = body_start;
                let mut close_end = body_start;
                while li < line_spans.len() {
                    let (s2, e2) = line_spans[li];
                    li += 1;
                    if src[s2..e2].trim() == delim {
                        close_end = e2;
                        break;
                    }
                    body_end = (e2 + 1).min(src.len());
                    close_end = e2;
                }
                end = close_end;
                heredocs.push(Heredoc {
                    marker_span: args.span,
                    delimiter: delim,
                    strip_tabs: false,
                    quoted: false,
                    body: src[body_start..body_end].to_string(),
                    body_span: Span::new(body_start, body_end),
                    span: Span::new(body_start, close_end),
                });
            }
        }
        let word = |s: &str| Word {
            span: args.span,
            value: s.to_string(),
        };
        let words: Vec<&str> = rest.split_whitespace().collect();
        let shell_or_exec = || {
            if rest.trim_start().starts_with('[') {
                let v: Vec<String> = serde_json::from_str(rest.trim()).unwrap_or_default();
                ShellOrExec::Exec(v.iter().map(|s| word(s)).collect())
            } else {
                ShellOrExec::Shell(args.clone())
            }
        };
        let kvs = || {
            words
                .iter()
                .map(|w| {
                    let (k, v) = w.split_once('=').unwrap_or((w, ""));
                    KeyValue {
                        span: args.span,
                        key: word(k),
                        value: Some(word(v.trim_matches('"'))),
                    }
                })
                .collect::<Vec<_>>()
        };
        let stage = df.stages.len().checked_sub(1);
        let kind = match keyword {
            Keyword::From => {
                let image = words.first().copied().unwrap_or("");
                let alias = if words.len() >= 3 && words[1].eq_ignore_ascii_case("as") {
                    Some(word(words[2]))
                } else {
                    None
                };
                df.stages.push(Stage {
                    index: df.stages.len(),
                    name: alias.as_ref().map(|a| a.value.to_ascii_lowercase()),
                    from: df.instructions.len(),
                    instructions: Vec::new(),
                    base: ImageRef {
                        raw: image.to_string(),
                        name: image.to_string(),
                        ..ImageRef::default()
                    },
                });
                InstructionKind::From {
                    image: word(image),
                    alias,
                }
            }
            Keyword::Run => InstructionKind::Run(shell_or_exec()),
            Keyword::Cmd => InstructionKind::Cmd(shell_or_exec()),
            Keyword::Copy | Keyword::Add => {
                let n = words.len();
                InstructionKind::Copy {
                    sources: words[..n.saturating_sub(1)]
                        .iter()
                        .map(|s| word(s))
                        .collect(),
                    dest: words.last().map(|s| word(s)),
                    json: false,
                }
            }
            Keyword::Env => InstructionKind::Env(kvs()),
            Keyword::Arg => InstructionKind::Arg(kvs()),
            Keyword::Shell => {
                let v: Vec<String> = serde_json::from_str(rest.trim()).unwrap_or_default();
                InstructionKind::Shell(v.iter().map(|s| word(s)).collect())
            }
            Keyword::Workdir => InstructionKind::Workdir(word(rest.trim())),
            Keyword::User => InstructionKind::User(word(rest.trim())),
            _ => InstructionKind::Invalid,
        };
        let stage = if keyword == Keyword::From {
            df.stages.len().checked_sub(1)
        } else {
            stage
        };
        if keyword != Keyword::From
            && let Some(st) = stage.and_then(|s| df.stages.get_mut(s))
        {
            st.instructions.push(df.instructions.len());
        }
        df.instructions.push(Instruction {
            span: Span::new(kw_start, end),
            keyword,
            keyword_span: Span::new(kw_start, kw_start + kw_len),
            flags,
            args,
            kind,
            heredocs,
            empty_continuation_lines: Vec::new(),
            stage,
        });
    }
    df
}

#[test]
fn mini_parser_maps_continuations() {
    let src = "FROM debian AS base\nRUN apt-get update \\\n # c\n && rm -rf /x\n";
    let df = dockerfile(src);
    assert_eq!(df.instructions.len(), 2);
    let InstructionKind::Run(ShellOrExec::Shell(t)) = &df.instructions[1].kind else {
        panic!("not a shell RUN");
    };
    assert!(t.text.contains("update ") && t.text.contains("&& rm"));
    let p = t.text.find("rm").unwrap();
    assert_eq!(t.map.to_source(p), src.find("rm").unwrap());
}

/// The Bad/Good examples of a rule page.
fn examples(page: &str) -> (String, String) {
    let block = |section: &str| {
        let start = page
            .find(&format!("## {section}\n```dockerfile\n"))
            .map(|p| p + section.len() + 18)
            .unwrap_or(0);
        let end = page[start..]
            .find("```")
            .map(|p| start + p)
            .unwrap_or(start);
        page[start..end].to_string()
    };
    (block("Bad"), block("Good"))
}

#[test]
fn rule_pages_of_shell_rules_match_their_rules() {
    let rules: Vec<Box<dyn Rule>> = [
        crate::rules::layers::rules(),
        crate::rules::cache::rules(),
        crate::rules::packages::rules(),
        crate::rules::shell_usage::rules(),
    ]
    .into_iter()
    .flatten()
    .collect();
    assert!(rules.len() >= 34);
    for rule in &rules {
        let meta = rule.meta();
        let path = format!("{}/rules/{}.md", env!("CARGO_MANIFEST_DIR"), meta.id);
        let page = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(
            page.contains(&format!("name: {}\n", meta.name)),
            "{path}: name"
        );
        assert!(
            page.contains(&format!("severity: {}\n", meta.severity.as_str())),
            "{path}: severity"
        );
        let (bad, good) = examples(&page);
        assert!(!bad.is_empty() && !good.is_empty(), "{path}: examples");
        assert!(
            !check(rule.as_ref(), &bad).is_empty(),
            "{path}: Bad does not raise {}",
            meta.id
        );
        let g = check(rule.as_ref(), &good);
        assert!(g.is_empty(), "{path}: Good raises {}: {g:?}", meta.id);
    }
}

//! Source edits on RUN scripts for fixes: add a command at the end of a RUN (respecting its
//! chaining, line continuations, indentation, heredocs and line endings), add an option after a
//! package manager's sub-command, drop a command from an `&&` / `;` chain.
//!
//! Every helper returns `None` rather than an edit it cannot place with certainty: a script that
//! did not parse, text that came out of an `sh -c` string, a RUN that ends in a comment, a
//! background `&` or an unfinished operator.

use super::pkg::Invocation;
use super::run::Run;
use super::{Op, Script};
use crate::dockerfile::Edit;
use crate::dockerfile::{Dockerfile, Instruction, InstructionKind, ShellOrExec, Span};

/// The RUN instruction itself (the trigger of an `ONBUILD RUN`).
pub fn run_instruction<'d>(df: &'d Dockerfile, run: &Run) -> Option<&'d Instruction> {
    let inst = run.inst(df)?;
    Some(match &inst.kind {
        InstructionKind::Onbuild(inner) => inner,
        _ => inst,
    })
}

/// The line ending used at `offset` (`\r\n` when the line holding it ends so, else `\n`).
pub fn line_ending_at(source: &str, offset: usize) -> &'static str {
    let rest = source.get(offset..).unwrap_or("");
    match rest.find('\n') {
        Some(p) if p > 0 && rest.as_bytes()[p - 1] == b'\r' => "\r\n",
        Some(_) => "\n",
        // last line: follow the line before
        None => {
            let before = source.get(..offset).unwrap_or("");
            if before.trim_end_matches(|c| c != '\n').ends_with("\r\n") {
                "\r\n"
            } else {
                "\n"
            }
        }
    }
}

/// An edit that runs `command` at the end of the RUN, after every command already there: in
/// the heredoc that holds `script.commands[after]` when it comes from one, else at the end of
/// the shell-form text.
///
/// The new command is joined with `&&` (so a failure before it still fails the build), or with
/// `;` / a new line when the script runs under `set -e` and is written that way. Multi-line
/// RUNs get a new continuation line in the style of the last one (`&& \` at line ends or
/// `&&` at line starts, same indentation, the file's escape character and line ending).
pub fn append_command(
    df: &Dockerfile,
    run: &Run,
    script: &Script,
    after: usize,
    command: &str,
) -> Option<Edit> {
    if script.tolerant {
        return None;
    }
    let inst = run_instruction(df, run)?;
    if !posix_shell(df, run) {
        return None;
    }
    let anchor = script.commands.get(after)?.span;
    if let Some(h) = inst
        .heredocs
        .iter()
        .find(|h| h.body_span.start <= anchor.start && anchor.end <= h.body_span.end)
    {
        return append_in_heredoc(df, h.body_span, script, command);
    }
    let InstructionKind::Run(ShellOrExec::Shell(text)) = &inst.kind else {
        return None;
    };
    if !(text.span.start <= anchor.start && anchor.end <= text.span.end) {
        return None;
    }
    // A shell comment at the end would swallow what is appended after it.
    if script
        .comments
        .iter()
        .any(|c| text.span.start <= c.span.start && c.span.start < text.span.end)
    {
        return None;
    }
    let logical = text.text.trim_end();
    let logical = logical
        .strip_suffix(';')
        .filter(|l| !l.ends_with(';'))
        .map(str::trim_end)
        .unwrap_or(logical);
    if logical.is_empty()
        || logical.ends_with(';')
        || logical.ends_with('&')
        || logical.ends_with('|')
        || logical.ends_with(df.escape)
        || logical.ends_with("<<")
    {
        return None;
    }
    let last = logical.chars().next_back()?;
    let at = text.map.to_source(logical.len() - last.len_utf8()) + last.len_utf8();
    let src = &df.source;
    if at > text.span.end || !src.is_char_boundary(at) || !src[..at].ends_with(last) {
        return None;
    }
    let sep = if script.errexit && last_top_op(script) == Some(Op::Seq) {
        ";"
    } else {
        " &&"
    };
    let replacement = match continuation_style(df, text.span.start, at) {
        Some(Style::Leading { indent, op_gap }) if sep != ";" => format!(
            " {}{}{indent}&&{op_gap}{command}",
            df.escape,
            line_ending_at(src, at)
        ),
        // `;` does not start a line well: `...; \` then the command
        Some(Style::Leading { indent, .. }) | Some(Style::Trailing { indent }) => format!(
            "{sep} {}{}{indent}{command}",
            df.escape,
            line_ending_at(src, at)
        ),
        None => format!("{sep} {command}"),
    };
    Some(Edit {
        span: Span::new(at, at),
        replacement,
    })
}

/// True unless a `SHELL` instruction earlier in the RUN's stage switched to a shell whose
/// syntax is not POSIX (PowerShell, cmd).
fn posix_shell(df: &Dockerfile, run: &Run) -> bool {
    let Some(stage) = run.stage.and_then(|s| df.stages.get(s)) else {
        return true;
    };
    let shell = stage
        .instructions
        .iter()
        .filter(|&&i| i < run.index)
        .filter_map(|&i| match &df.instructions.get(i)?.kind {
            InstructionKind::Shell(words) => words.first(),
            _ => None,
        })
        .next_back();
    shell.is_none_or(|w| super::is_posix_shell(super::basename(&w.value)))
}

/// The operator before the last top-level command.
fn last_top_op(script: &Script) -> Option<Op> {
    script
        .commands
        .iter()
        .rfind(|c| !c.nested && !c.from_sh_c)
        .and_then(|c| c.op_before)
}

/// How a multi-line RUN writes its continuation lines.
enum Style {
    /// `\` at line ends, operators at line starts: ` && cmd`.
    Leading { indent: String, op_gap: String },
    /// `&& \` at line ends.
    Trailing { indent: String },
}

/// The continuation style of the lines of `start..end` (`None` for one line).
fn continuation_style(df: &Dockerfile, start: usize, end: usize) -> Option<Style> {
    let text = df.source.get(start..end)?;
    let last_nl = text.rfind('\n')?;
    let last_line = &text[last_nl + 1..];
    let indent: String = last_line
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let body = &last_line[indent.len()..];
    for op in ["&&", ";", "||"] {
        if let Some(rest) = body.strip_prefix(op) {
            let op_gap: String = rest
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect();
            return Some(Style::Leading {
                indent,
                op_gap: if op_gap.is_empty() {
                    " ".into()
                } else {
                    op_gap
                },
            });
        }
    }
    // The line before the last: `... && \`
    let prev = text[..last_nl].trim_end_matches('\r');
    let prev = prev.strip_suffix(df.escape)?.trim_end();
    (prev.ends_with("&&") || prev.ends_with(';')).then_some(Style::Trailing { indent })
}

/// Adds `command` after the last line of a heredoc body: on a new line under `set -e`, else
/// joined to that line with `&&`.
fn append_in_heredoc(df: &Dockerfile, body: Span, script: &Script, command: &str) -> Option<Edit> {
    let src = &df.source;
    let text = body.text(src);
    // The last line with a command on it.
    let mut end = text.len();
    loop {
        let line_start = text[..end].trim_end_matches(['\n', '\r']).rfind('\n');
        let ls = line_start.map(|p| p + 1).unwrap_or(0);
        let line_end = text[..end].trim_end_matches(['\n', '\r']).len();
        let line = &text[ls..line_end];
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            if ls == 0 {
                return None;
            }
            end = ls;
            continue;
        }
        let abs_start = body.start + ls;
        let abs_end = body.start + line_end;
        // A comment on the line would swallow the new command.
        if script
            .comments
            .iter()
            .any(|c| abs_start <= c.span.start && c.span.start < abs_end)
        {
            return None;
        }
        let content = line.trim_end();
        let content = content
            .strip_suffix(';')
            .filter(|l| !l.ends_with(';'))
            .map(str::trim_end)
            .unwrap_or(content);
        if content.ends_with(';')
            || content.ends_with('&')
            || content.ends_with('|')
            || content.ends_with('\\')
        {
            return None;
        }
        let nl = line_ending_at(src, abs_start);
        if script.errexit {
            let indent: String = line
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect();
            let at = body.start + line_end;
            return Some(Edit {
                span: Span::new(at, at),
                replacement: format!("{nl}{indent}{command}"),
            });
        }
        let at = abs_start + content.len();
        return Some(Edit {
            span: Span::new(at, at),
            replacement: format!(" && {command}"),
        });
    }
}

/// An edit adding ` option` right after the invocation's sub-command (`apt-get install` ->
/// `apt-get install -y`). `None` when the sub-command's text cannot be located exactly (inside
/// an `sh -c` string, a `<<-` heredoc, a word with expansions).
pub fn insert_option(df: &Dockerfile, inv: &Invocation<'_>, option: &str) -> Option<Edit> {
    let sub = inv.sub?;
    if inv.cmd.from_sh_c || !sub.is_static {
        return None;
    }
    let raw = sub.span.text(&df.source);
    if raw != sub.value {
        return None;
    }
    Some(Edit {
        span: Span::new(sub.span.end, sub.span.end),
        replacement: format!(" {option}"),
    })
}

/// An edit adding `flags` (e.g. `--mount=type=cache,target=/var/cache/apt`) right after the
/// RUN keyword, before any flag already there.
pub fn insert_run_flags(df: &Dockerfile, run: &Run, flags: &str) -> Option<Edit> {
    let inst = run_instruction(df, run)?;
    if !matches!(inst.kind, InstructionKind::Run(_)) || flags.is_empty() {
        return None;
    }
    let at = inst.keyword_span.end;
    Some(Edit {
        span: Span::new(at, at),
        replacement: format!(" {flags}"),
    })
}

/// An edit running `command` before everything else in the RUN: `command && ` in front of the
/// shell-form text, or a first line of its own in the heredoc that holds the script. `None`
/// for exec form, a non-POSIX shell or text that starts with a comment.
pub fn prepend_command(df: &Dockerfile, run: &Run, script: &Script, command: &str) -> Option<Edit> {
    if script.tolerant {
        return None;
    }
    let inst = run_instruction(df, run)?;
    if !posix_shell(df, run) {
        return None;
    }
    let first = script
        .commands
        .iter()
        .map(|c| c.span)
        .min_by_key(|s| s.start)?;
    if let Some(h) = inst
        .heredocs
        .iter()
        .find(|h| h.body_span.start <= first.start && first.end <= h.body_span.end)
    {
        let at = h.body_span.start;
        return Some(Edit {
            span: Span::new(at, at),
            replacement: format!("{command}{}", line_ending_at(&df.source, at)),
        });
    }
    let InstructionKind::Run(ShellOrExec::Shell(text)) = &inst.kind else {
        return None;
    };
    let lead = text.text.len() - text.text.trim_start().len();
    if text.text[lead..].is_empty() || text.text[lead..].starts_with('#') {
        return None;
    }
    let at = text.map.to_source(lead);
    if at < text.span.start || at > text.span.end {
        return None;
    }
    Some(Edit {
        span: Span::new(at, at),
        replacement: format!("{command} && "),
    })
}

/// An edit deleting a whole instruction with its line ending (`None` when something else
/// shares its first or last line).
pub fn delete_instruction(df: &Dockerfile, span: Span) -> Option<Edit> {
    let src = &df.source;
    let start = src.get(..span.start)?.rfind('\n').map_or(0, |p| p + 1);
    if !src.get(start..span.start)?.trim().is_empty() {
        return None;
    }
    let rest = src.get(span.end..)?;
    let end = span.end + rest.find('\n').map_or(rest.len(), |p| p + 1);
    if !src.get(span.end..end)?.trim().is_empty() {
        return None;
    }
    Some(Edit {
        span: Span::new(start, end),
        replacement: String::new(),
    })
}

/// An edit removing `script.commands[index]` and the operator after it, so that
/// `a && b && c` becomes `a && c`. Only for a command joined by `&&` or `;` on both sides
/// (or first) and followed by another command.
pub fn remove_command(df: &Dockerfile, script: &Script, index: usize) -> Option<Edit> {
    let cmd = script.commands.get(index)?;
    let next = script.commands.get(index + 1)?;
    if script.tolerant || cmd.nested || cmd.from_sh_c || next.nested || next.from_sh_c {
        return None;
    }
    if !matches!(cmd.op_before, None | Some(Op::And) | Some(Op::Seq))
        || !matches!(next.op_before, Some(Op::And) | Some(Op::Seq))
    {
        return None;
    }
    let between = df.source.get(cmd.span.end..next.span.start)?;
    let esc = df.escape;
    let only_glue = between
        .replace("&&", "")
        .replace([';', esc], "")
        .chars()
        .all(char::is_whitespace);
    if !only_glue || cmd.span.end > next.span.start {
        return None;
    }
    Some(Edit {
        span: Span::new(cmd.span.start, next.span.start),
        replacement: String::new(),
    })
}

/// An edit removing the last top-level command `script.commands[index]` with the operator
/// before it, so that `a && b` becomes `a`. Only for a command joined by `&&` or `;` to the one
/// before, with nothing but that operator, blanks and line continuations in between.
pub fn remove_last_command(df: &Dockerfile, script: &Script, index: usize) -> Option<Edit> {
    let cmd = script.commands.get(index)?;
    let prev = script.commands.get(..index)?.iter().rfind(|c| !c.nested)?;
    if script.tolerant
        || cmd.nested
        || cmd.from_sh_c
        || prev.from_sh_c
        || script.commands.get(index + 1..)?.iter().any(|c| !c.nested)
        || !matches!(cmd.op_before, Some(Op::And) | Some(Op::Seq))
    {
        return None;
    }
    // nested commands after it belong to it (`rm $(ls)`), before it to `prev`
    if prev.span.end > cmd.span.start {
        return None;
    }
    let between = df.source.get(prev.span.end..cmd.span.start)?;
    let esc = df.escape;
    let glue = between.replace("&&", "").replace([';', esc], "");
    if !glue.chars().all(char::is_whitespace) {
        return None;
    }
    // `a; b;` keeps its final `;` after `a`
    Some(Edit {
        span: Span::new(prev.span.end, cmd.span.end),
        replacement: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile;
    use crate::shell::pkg::invocations;
    use crate::shell::run::Analysis;

    fn analyze(df: &dockerfile::Dockerfile) -> Analysis {
        Analysis::new(
            df,
            &|_| Default::default(),
            &|_, _| None,
            &crate::shell::builtin_checks::NO_CHECKS,
        )
    }

    fn apply(src: &str, e: Option<Edit>) -> String {
        let e = e.expect("an edit");
        let mut out = src.to_string();
        out.replace_range(e.span.start..e.span.end, &e.replacement);
        out
    }

    /// Appends `rm -rf /x` after the first command of the first RUN.
    fn append(src: &str) -> Option<String> {
        let df = dockerfile::parse(src);
        let a = analyze(&df);
        let run = a.runs.first()?;
        let script = run.script.as_ref()?;
        let last = script.commands.len().checked_sub(1)?;
        append_command(&df, run, script, last, "rm -rf /x").map(|e| apply(src, Some(e)))
    }

    #[test]
    fn appends_on_one_line_with_and() {
        assert_eq!(
            append("FROM a\nRUN apt-get update && apt-get install -y x\n").as_deref(),
            Some("FROM a\nRUN apt-get update && apt-get install -y x && rm -rf /x\n")
        );
        // a trailing `;` is kept after the new command
        assert_eq!(
            append("FROM a\nRUN a; b;\n").as_deref(),
            Some("FROM a\nRUN a; b && rm -rf /x;\n")
        );
    }

    #[test]
    fn set_e_semicolon_chains_stay_semicolon_chains() {
        assert_eq!(
            append("FROM a\nRUN set -eux; apt-get update; apt-get install -y x\n").as_deref(),
            Some("FROM a\nRUN set -eux; apt-get update; apt-get install -y x; rm -rf /x\n")
        );
        // without set -e a `;` would hide a failure: `&&`
        assert_eq!(
            append("FROM a\nRUN apt-get update; apt-get install -y x\n").as_deref(),
            Some("FROM a\nRUN apt-get update; apt-get install -y x && rm -rf /x\n")
        );
    }

    #[test]
    fn continuation_lines_keep_their_style_escape_and_crlf() {
        let src = "FROM a\nRUN apt-get update \\\n    && apt-get install -y x\n";
        assert_eq!(
            append(src).as_deref(),
            Some(
                "FROM a\nRUN apt-get update \\\n    && apt-get install -y x \\\n    && rm -rf /x\n"
            )
        );
        let src = "FROM a\r\nRUN apt-get update && \\\r\n\tapt-get install -y x\r\n";
        assert_eq!(
            append(src).as_deref(),
            Some(
                "FROM a\r\nRUN apt-get update && \\\r\n\tapt-get install -y x && \\\r\n\trm -rf /x\r\n"
            )
        );
        let src = "# escape=`\nFROM a\nRUN apt-get update `\n  && apt-get install -y x\n";
        assert_eq!(
            append(src).as_deref(),
            Some(
                "# escape=`\nFROM a\nRUN apt-get update `\n  && apt-get install -y x `\n  && rm -rf /x\n"
            )
        );
        let src = "FROM a\nRUN set -e; \\\n    apt-get update; \\\n    apt-get install -y x\n";
        assert_eq!(
            append(src).as_deref(),
            Some(
                "FROM a\nRUN set -e; \\\n    apt-get update; \\\n    apt-get install -y x; \\\n    rm -rf /x\n"
            )
        );
    }

    #[test]
    fn comment_lines_inside_continuations_are_kept() {
        let src = "FROM a\nRUN apt-get update \\\n# why\n && apt-get install -y x\n";
        assert_eq!(
            append(src).as_deref(),
            Some(
                "FROM a\nRUN apt-get update \\\n# why\n && apt-get install -y x \\\n && rm -rf /x\n"
            )
        );
    }

    #[test]
    fn refuses_what_it_cannot_place() {
        for src in [
            "FROM a\nRUN apt-get update # trailing comment\n",
            "FROM a\nRUN apt-get update &\n",
            "FROM a\nRUN apt-get update;;\n",
            "FROM a\nRUN [\"apt-get\", \"update\"]\n",
        ] {
            assert_eq!(append(src), None, "{src}");
        }
    }

    #[test]
    fn not_under_a_non_posix_shell() {
        let src = "FROM a\nSHELL [\"powershell\", \"-Command\"]\nRUN apt-get update\n";
        assert_eq!(append(src), None);
        let src = "FROM a\nSHELL [\"/bin/bash\", \"-c\"]\nRUN apt-get update\n";
        assert!(append(src).is_some());
    }

    #[test]
    fn heredocs_get_a_line_or_an_and() {
        let src = "FROM a\nRUN <<EOF\nset -e\napt-get update\napt-get install -y x\n\nEOF\n";
        assert_eq!(
            append(src).as_deref(),
            Some(
                "FROM a\nRUN <<EOF\nset -e\napt-get update\napt-get install -y x\nrm -rf /x\n\nEOF\n"
            )
        );
        let src = "FROM a\r\nRUN <<EOF\r\napt-get update\r\nEOF\r\n";
        assert_eq!(
            append(src).as_deref(),
            Some("FROM a\r\nRUN <<EOF\r\napt-get update && rm -rf /x\r\nEOF\r\n")
        );
    }

    #[test]
    fn options_go_after_the_sub_command() {
        let src = "FROM a\nRUN apt-get install curl\n";
        let df = dockerfile::parse(src);
        let a = analyze(&df);
        let script = a.runs[0].script.as_ref().unwrap();
        let inv = &invocations(script)[0];
        assert_eq!(
            apply(src, insert_option(&df, inv, "-y")),
            "FROM a\nRUN apt-get install -y curl\n"
        );
        let src = "FROM a\nRUN sh -c 'apt-get install curl'\n";
        let df = dockerfile::parse(src);
        let a = analyze(&df);
        let script = a.runs[0].script.as_ref().unwrap();
        let inv = &invocations(script)[0];
        assert_eq!(insert_option(&df, inv, "-y"), None);
    }

    #[test]
    fn removes_a_command_and_its_operator() {
        let src = "FROM a\nRUN apk update \\\n && apk add x\n";
        let df = dockerfile::parse(src);
        let a = analyze(&df);
        let script = a.runs[0].script.as_ref().unwrap();
        assert_eq!(
            apply(src, remove_command(&df, script, 0)),
            "FROM a\nRUN apk add x\n"
        );
        let src = "FROM a\nRUN true || apk update && apk add x\n";
        let df = dockerfile::parse(src);
        let a = analyze(&df);
        let script = a.runs[0].script.as_ref().unwrap();
        assert_eq!(remove_command(&df, script, 1), None);
    }

    #[test]
    fn removes_the_last_command_and_the_operator_before() {
        for (src, want) in [
            ("FROM a\nRUN a && rm -rf /x\n", Some("FROM a\nRUN a\n")),
            (
                "FROM a\nRUN a \\\n && b \\\n && rm -rf /x\n",
                Some("FROM a\nRUN a \\\n && b\n"),
            ),
            ("FROM a\nRUN a; rm -rf /x;\n", Some("FROM a\nRUN a;\n")),
            ("FROM a\nRUN a || rm -rf /x\n", None),
            ("FROM a\nRUN a | rm -rf /x\n", None),
        ] {
            let df = dockerfile::parse(src);
            let a = analyze(&df);
            let script = a.runs[0].script.as_ref().unwrap();
            let last = script.commands.len() - 1;
            let got = remove_last_command(&df, script, last).map(|e| apply(src, Some(e)));
            assert_eq!(got.as_deref(), want, "{src}");
        }
    }
}

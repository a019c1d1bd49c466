//! dlint findings as LSP objects: diagnostics, code actions (fixes and "ignore this rule on this
//! line") and hover text (the rule's page).

use super::position::LineMap;
use crate::dockerfile::Dockerfile;
use crate::lint::{self, Applicability, Severity};
use lsp_types::{
    CodeAction, CodeActionKind, Diagnostic, DiagnosticSeverity, NumberOrString, Range, TextEdit,
    Uri, WorkspaceEdit,
};
use std::collections::HashMap;

/// The `source` of every diagnostic dlint publishes.
pub const SOURCE: &str = "dlint";

/// One finding as an LSP diagnostic.
pub fn diagnostic(text: &str, map: &LineMap, d: &lint::Diagnostic) -> Diagnostic {
    Diagnostic {
        range: map.range(text, d.span.start, d.span.end),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
            Severity::Style => DiagnosticSeverity::HINT,
        }),
        code: Some(NumberOrString::String(d.rule.to_string())),
        source: Some(SOURCE.to_string()),
        message: format!("{} ({})", d.message, d.name),
        ..Diagnostic::default()
    }
}

/// The code actions for the findings `found` that overlap `range`: each fix (titled with its
/// applicability; safe ones preferred), then one "ignore this rule on this line" per rule.
pub fn code_actions(
    uri: &Uri,
    text: &str,
    map: &LineMap,
    df: &Dockerfile,
    found: &[lint::Diagnostic],
    range: Range,
) -> Vec<CodeAction> {
    let (start, end) = (map.offset(text, range.start), map.offset(text, range.end));
    let overlapping = found
        .iter()
        .filter(|d| d.span.start <= end && start <= d.span.end.max(d.span.start));
    let mut fixes = Vec::new();
    let mut ignores: Vec<CodeAction> = Vec::new();
    for d in overlapping {
        let diag = diagnostic(text, map, d);
        if let Some(fix) = &d.fix {
            let edits = fix
                .edits
                .iter()
                .map(|e| {
                    TextEdit::new(
                        map.range(text, e.span.start, e.span.end),
                        e.replacement.clone(),
                    )
                })
                .collect();
            let safe = fix.applicability == Applicability::Safe;
            fixes.push(CodeAction {
                title: format!(
                    "{}: {} ({} fix)",
                    d.rule,
                    fix.description,
                    fix.applicability.as_str()
                ),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diag.clone()]),
                edit: Some(workspace_edit(uri, edits)),
                is_preferred: Some(safe),
                ..CodeAction::default()
            });
        }
        let title = format!("Ignore {} on this line", d.rule);
        if ignores.iter().any(|a| a.title == title) {
            continue;
        }
        if let Some(edit) = ignore_edit(text, map, df, d) {
            ignores.push(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diag]),
                edit: Some(workspace_edit(uri, vec![edit])),
                ..CodeAction::default()
            });
        }
    }
    fixes.extend(ignores);
    fixes
}

fn workspace_edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit::new(HashMap::from([(uri.clone(), edits)]))
}

/// An inline `# hadolint ignore=ID` comment on its own line above the instruction holding `d`
/// (indented like it), which dlint and hadolint both honour. `None` for findings outside any
/// instruction (whole-file findings such as a missing `USER`).
fn ignore_edit(
    text: &str,
    map: &LineMap,
    df: &Dockerfile,
    d: &lint::Diagnostic,
) -> Option<TextEdit> {
    let ins = df
        .instructions
        .iter()
        .find(|i| i.span.start <= d.span.start && d.span.start <= i.span.end)?;
    let line_start = text.get(..ins.span.start)?.rfind('\n').map_or(0, |i| i + 1);
    let indent = text.get(line_start..ins.span.start)?;
    let indent: String = indent.chars().take_while(|c| c.is_whitespace()).collect();
    let at = map.position(text, line_start);
    Some(TextEdit::new(
        Range::new(at, at),
        format!("{indent}# hadolint ignore={}\n", d.rule),
    ))
}

/// The hover text at byte `offset`: the pages of the rules of the findings there, else the page
/// of a rule id written there (as in an ignore comment). Markdown; `None` when there is nothing.
pub fn hover_markdown(
    text: &str,
    found: &[lint::Diagnostic],
    offset: usize,
) -> Option<(String, Option<(usize, usize)>)> {
    let mut ids: Vec<&str> = Vec::new();
    let mut span = None;
    for d in found
        .iter()
        .filter(|d| d.span.start <= offset && offset <= d.span.end.max(d.span.start))
    {
        if !ids.contains(&d.rule) {
            ids.push(d.rule);
            span.get_or_insert((d.span.start, d.span.end));
        }
    }
    let word = rule_id_at(text, offset);
    if ids.is_empty()
        && let Some((s, e)) = word
    {
        ids.push(text.get(s..e)?);
        span = Some((s, e));
    }
    let pages: Vec<&str> = ids
        .iter()
        .filter_map(|id| lint::pages::page(&id.to_ascii_uppercase()))
        .collect();
    if pages.is_empty() {
        return None;
    }
    Some((pages.join("\n\n---\n\n"), span))
}

/// The span of a rule id (`DL3008`, `SC2086`, any case) that contains byte `offset`.
fn rule_id_at(text: &str, offset: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric();
    let offset = offset.min(bytes.len());
    let mut s = offset;
    while s > 0 && bytes.get(s - 1).is_some_and(|&b| is_word(b)) {
        s -= 1;
    }
    let mut e = offset;
    while bytes.get(e).is_some_and(|&b| is_word(b)) {
        e += 1;
    }
    let word = text.get(s..e)?;
    let (prefix, digits) = word.split_at_checked(2)?;
    let ok = (prefix.eq_ignore_ascii_case("DL") || prefix.eq_ignore_ascii_case("SC"))
        && digits.len() == 4
        && digits.bytes().all(|b| b.is_ascii_digit());
    ok.then_some((s, e))
}

//! DL5119 (off by default): a comment directly above `FROM … AS name` or `ARG name` should be
//! a description starting with that name (BuildKit's experimental InvalidDefinitionDescription,
//! the convention `docker buildx build --call=outline|targets` reads).

use crate::dockerfile::{InstructionKind, Keyword};
use crate::lint::{Context, Rule, RuleMeta, Severity};

/// DL5119 `invalid-definition-description`.
pub struct InvalidDefinitionDescription;

impl Rule for InvalidDefinitionDescription {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5119",
            name: "invalid-definition-description",
            severity: Severity::Style,
            summary: "A comment above FROM ... AS name or ARG name should start with that name",
            default_enabled: false,
            aliases: &["InvalidDefinitionDescription"],
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let comments: Vec<_> = df
            .comments
            .iter()
            .filter(|c| !c.inside_instruction)
            .collect();
        for ins in &df.instructions {
            let (what, names): (&str, Vec<&str>) = match (&ins.kind, ins.keyword) {
                (_, Keyword::From) => match df.stages.iter().find(|s| s.from == ins_index(df, ins))
                {
                    Some(st) => match &st.name {
                        Some(n) => ("build stage", vec![n.as_str()]),
                        None => continue,
                    },
                    None => continue,
                },
                (InstructionKind::Arg(pairs), _) => (
                    "build argument",
                    pairs.iter().map(|kv| kv.key.value.as_str()).collect(),
                ),
                _ => continue,
            };
            if names.is_empty() {
                continue;
            }
            // The comment on the line right above (no blank line in between).
            let pos = comments.partition_point(|c| c.span.end <= ins.span.start);
            let Some(c) = pos.checked_sub(1).and_then(|p| comments.get(p)) else {
                continue;
            };
            let gap = df.source.get(c.span.end..ins.span.start).unwrap_or("\n\n");
            let adjacent = gap.matches('\n').count() == 1 && gap.trim().is_empty();
            let text = c.text.trim();
            let directive = [
                "hadolint",
                "dlint",
                "check=",
                "syntax=",
                "escape=",
                "shellcheck",
            ]
            .iter()
            .any(|p| text.starts_with(p));
            if !adjacent || directive || text.is_empty() {
                continue;
            }
            let first = text.split(' ').next().unwrap_or("");
            if names
                .iter()
                .any(|n| n.eq_ignore_ascii_case(first) && (what == "build stage" || *n == first))
            {
                continue;
            }
            let example = if names.len() > 1 {
                "<arg_key>"
            } else {
                names[0]
            };
            cx.report(
                c.span,
                format!(
                    "comment for {what} should follow the format `# {example} <description>`; if it \
                     is not a description, put an empty line between it and the instruction"
                ),
            );
        }
    }
}

/// The index of `ins` in the file's instructions (instructions are in file order).
fn ins_index(df: &crate::dockerfile::Dockerfile, ins: &crate::dockerfile::Instruction) -> usize {
    df.instructions
        .binary_search_by_key(&ins.span.start, |i| i.span.start)
        .unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_comments_that_do_not_name_the_definition() {
        let src = "# base image for the build\nFROM golang:1.23 AS build\n# The version to build\nARG VERSION=1\n";
        assert_eq!(lines(&InvalidDefinitionDescription, src), [1, 3]);
    }

    #[test]
    fn accepts_descriptions_separated_comments_and_directives() {
        let src = "# build compiles the binary\nFROM golang:1.23 AS build\n# VERSION of the app\nARG VERSION=1\n\
                   # unrelated note\n\nARG OTHER\n# hadolint ignore=DL3006\nFROM debian AS run\nFROM scratch\n";
        assert!(lines(&InvalidDefinitionDescription, src).is_empty());
    }
}

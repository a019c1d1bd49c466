//! SC1065: Trying to declare parameters? Don't. Use () and refer to params as $1, $2..

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// SC1065 `function-parameters-declared` (ShellCheck's parse error, built in): parameters declared in a function header.
pub struct FunctionParametersDeclared;

impl Rule for FunctionParametersDeclared {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "SC1065",
            name: "function-parameters-declared",
            severity: Severity::Error,
            summary: "Trying to declare parameters? Don't. Use () and refer to params as $1, $2..",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report_findings(cx);
    }
}

//! Rules of the `shellcheck` family: ShellCheck's checks on RUN bodies, with ShellCheck's codes,
//! messages and severities (as hadolint reports them), built in. Each rule's file holds its
//! check ([`crate::shell::builtin_checks::ScCheck`]: the tree-sitter node kinds it visits and
//! what it does there). The shell analysis runs the checks of the enabled rules once per
//! script ([`crate::shell::builtin_checks`]), on the tree it already parsed and as the stage's
//! `SHELL` dialect (`sh` by default, bash-isms then raise the SC3xxx codes; a heredoc's shebang
//! overrides it); each rule's `check` then reports the findings of its code.

// One module per rule file in this folder, sorted; `scripts/new-rule` adds to both lists and
// `rules::tests::every_rule_file_is_declared` fails when a file is missing from them.
pub mod sc1012_literal_backslash_letter;
pub mod sc1065_function_parameters_declared;
pub mod sc1072_shell_parse_error;
pub mod sc1088_invalid_parentheses;
pub mod sc1089_unmatched_keyword;
pub mod sc1090_source_non_constant;
pub mod sc1091_source_not_followed;
pub mod sc1133_line_starts_with_operator;
pub mod sc2002_useless_cat;
pub mod sc2005_useless_echo_substitution;
pub mod sc2006_legacy_backticks;
pub mod sc2011_ls_xargs;
pub mod sc2015_and_or_not_if_then_else;
pub mod sc2016_single_quoted_expression;
pub mod sc2021_tr_brackets;
pub mod sc2028_echo_escape_sequences;
pub mod sc2034_unused_variable;
pub mod sc2035_glob_as_option;
pub mod sc2038_find_xargs_unsafe;
pub mod sc2043_loop_runs_once;
pub mod sc2046_unquoted_substitution;
pub mod sc2059_printf_format_variable;
pub mod sc2086_unquoted_expansion;
pub mod sc2102_bracket_range_duplicates;
pub mod sc2113_function_keyword;
pub mod sc2116_useless_echo_in_substitution;
pub mod sc2129_repeated_append;
pub mod sc2143_grep_output_test;
pub mod sc2155_declare_and_assign;
pub mod sc2164_cd_without_check;
pub mod sc2166_test_and_or;
pub mod sc2185_find_without_path;
pub mod sc2196_egrep_deprecated;
pub mod sc2197_fgrep_deprecated;
pub mod sc2226_ln_without_destination;
pub mod sc2251_negation_skips_errexit;
pub mod sc2283_spaces_around_assignment;
pub mod sc2288_command_name_trailing_symbol;
pub mod sc2308_expr_nonstandard;
pub mod sc3001_process_substitution;
pub mod sc3003_ansi_c_quoting;
pub mod sc3004_translated_string;
pub mod sc3006_standalone_arithmetic;
pub mod sc3009_brace_expansion;
pub mod sc3010_double_bracket_test;
pub mod sc3011_here_string;
pub mod sc3014_test_double_equals;
pub mod sc3020_redirect_both_streams;
pub mod sc3030_array_in_sh;
pub mod sc3037_echo_flags;
pub mod sc3039_let_in_sh;
pub mod sc3040_set_pipefail_in_sh;
pub mod sc3043_local_in_sh;
pub mod sc3044_declare_in_sh;
pub mod sc3046_source_in_sh;

/// Every rule of this family, in file order.
pub fn rules() -> Vec<Box<dyn crate::lint::Rule>> {
    vec![
        Box::new(sc1012_literal_backslash_letter::LiteralBackslashLetter),
        Box::new(sc1065_function_parameters_declared::FunctionParametersDeclared),
        Box::new(sc1072_shell_parse_error::ShellParseError),
        Box::new(sc1088_invalid_parentheses::InvalidParentheses),
        Box::new(sc1089_unmatched_keyword::UnmatchedKeyword),
        Box::new(sc1090_source_non_constant::SourceNonConstant),
        Box::new(sc1091_source_not_followed::SourceNotFollowed),
        Box::new(sc1133_line_starts_with_operator::LineStartsWithOperator),
        Box::new(sc2002_useless_cat::UselessCat),
        Box::new(sc2005_useless_echo_substitution::UselessEchoSubstitution),
        Box::new(sc2006_legacy_backticks::LegacyBackticks),
        Box::new(sc2011_ls_xargs::LsXargs),
        Box::new(sc2015_and_or_not_if_then_else::AndOrNotIfThenElse),
        Box::new(sc2016_single_quoted_expression::SingleQuotedExpression),
        Box::new(sc2021_tr_brackets::TrBrackets),
        Box::new(sc2028_echo_escape_sequences::EchoEscapeSequences),
        Box::new(sc2034_unused_variable::UnusedVariable),
        Box::new(sc2035_glob_as_option::GlobAsOption),
        Box::new(sc2038_find_xargs_unsafe::FindXargsUnsafe),
        Box::new(sc2043_loop_runs_once::LoopRunsOnce),
        Box::new(sc2046_unquoted_substitution::UnquotedSubstitution),
        Box::new(sc2059_printf_format_variable::PrintfFormatVariable),
        Box::new(sc2086_unquoted_expansion::UnquotedExpansion),
        Box::new(sc2102_bracket_range_duplicates::BracketRangeDuplicates),
        Box::new(sc2113_function_keyword::FunctionKeyword),
        Box::new(sc2116_useless_echo_in_substitution::UselessEchoInSubstitution),
        Box::new(sc2129_repeated_append::RepeatedAppend),
        Box::new(sc2143_grep_output_test::GrepOutputTest),
        Box::new(sc2155_declare_and_assign::DeclareAndAssign),
        Box::new(sc2164_cd_without_check::CdWithoutCheck),
        Box::new(sc2166_test_and_or::TestAndOr),
        Box::new(sc2185_find_without_path::FindWithoutPath),
        Box::new(sc2196_egrep_deprecated::EgrepDeprecated),
        Box::new(sc2197_fgrep_deprecated::FgrepDeprecated),
        Box::new(sc2226_ln_without_destination::LnWithoutDestination),
        Box::new(sc2251_negation_skips_errexit::NegationSkipsErrexit),
        Box::new(sc2283_spaces_around_assignment::SpacesAroundAssignment),
        Box::new(sc2288_command_name_trailing_symbol::CommandNameTrailingSymbol),
        Box::new(sc2308_expr_nonstandard::ExprNonstandard),
        Box::new(sc3001_process_substitution::ProcessSubstitution),
        Box::new(sc3003_ansi_c_quoting::AnsiCQuoting),
        Box::new(sc3004_translated_string::TranslatedString),
        Box::new(sc3006_standalone_arithmetic::StandaloneArithmetic),
        Box::new(sc3009_brace_expansion::BraceExpansion),
        Box::new(sc3010_double_bracket_test::DoubleBracketTest),
        Box::new(sc3011_here_string::HereString),
        Box::new(sc3014_test_double_equals::TestDoubleEquals),
        Box::new(sc3020_redirect_both_streams::RedirectBothStreams),
        Box::new(sc3030_array_in_sh::ArrayInSh),
        Box::new(sc3037_echo_flags::EchoFlags),
        Box::new(sc3039_let_in_sh::LetInSh),
        Box::new(sc3040_set_pipefail_in_sh::SetPipefailInSh),
        Box::new(sc3043_local_in_sh::LocalInSh),
        Box::new(sc3044_declare_in_sh::DeclareInSh),
        Box::new(sc3046_source_in_sh::SourceInSh),
    ]
}

use crate::lint::Context;

#[cfg(test)]
mod tests;

/// The check of every rule of this family, with its code (for tests: the engine receives the
/// enabled ones).
#[cfg(test)]
pub(crate) fn all_checks() -> Vec<(&'static str, crate::shell::builtin_checks::ScCheck)> {
    rules()
        .iter()
        .filter_map(|r| Some((r.meta().id, r.shell_check()?)))
        .collect()
}

/// Reports every finding of the running rule's code, in every RUN (ONBUILD RUNs included).
pub(crate) fn report_findings(cx: &mut Context<'_>) {
    let code = cx.rule_id();
    for f in cx.analysis().sc_findings(code) {
        cx.report(f.span, f.message.clone());
    }
}

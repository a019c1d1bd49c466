//! Rules of the `correctness` family: instructions that do not do what they seem to.

// One module per rule file in this folder, sorted; `scripts/new-rule` adds to both lists and
// `rules::tests::every_rule_file_is_declared` fails when a file is missing from them.
pub mod dl3000_workdir_not_absolute;
pub mod dl3011_expose_port_out_of_range;
pub mod dl3012_multiple_healthchecks;
pub mod dl3021_copy_dest_not_directory;
pub mod dl3022_copy_from_unknown_stage;
pub mod dl3023_copy_from_own_stage;
pub mod dl3024_duplicate_stage_name;
pub mod dl3043_onbuild_forbidden_trigger;
pub mod dl3044_env_self_reference;
pub mod dl3045_copy_relative_without_workdir;
pub mod dl3061_instruction_before_from;
pub mod dl3063_reserved_stage_name;
pub mod dl3067_copy_whole_filesystem;
pub mod dl4003_multiple_cmd;
pub mod dl4004_multiple_entrypoint;
pub mod dl5103_empty_continuation_line;
pub mod dl5105_undefined_arg_in_from;
pub mod dl5106_undefined_var;
pub mod dl5109_invalid_default_arg_in_from;
pub mod dl5111_expose_invalid_format;
pub mod dl5116_invalid_json_form;
pub mod dl5118_copy_ignored_file;
pub mod dl5120_invalid_base_image_platform;
pub mod dl5141_unreachable_stage;
pub mod dl5150_workdir_system_path;
pub mod dl5152_copy_from_empty_scratch;
pub mod dl5153_shell_run_in_scratch;
pub mod dl5154_syntax_directive_typo;
pub mod dl5156_copy_root_owned_into_user_dir;
pub mod dl5161_cgo_enabled_static_target;
pub mod dl5163_ungraceful_stop_signal;
pub mod dl5165_systemd_stop_signal;
pub mod dl5166_named_user_without_passwd;
pub mod dl5167_windows_chown_flag;
pub mod dl5168_windows_run_mount;
pub mod dl5169_windows_stop_signal;
pub mod dl5173_rails_state_dirs_root_owned;
pub mod dl5174_bootsnap_precompile_parallel;

/// Every rule of this family, in file order.
pub fn rules() -> Vec<Box<dyn crate::lint::Rule>> {
    vec![
        Box::new(dl3000_workdir_not_absolute::WorkdirNotAbsolute),
        Box::new(dl3011_expose_port_out_of_range::ExposePortOutOfRange),
        Box::new(dl3012_multiple_healthchecks::MultipleHealthchecks),
        Box::new(dl3021_copy_dest_not_directory::CopyDestNotDirectory),
        Box::new(dl3022_copy_from_unknown_stage::CopyFromUnknownStage),
        Box::new(dl3023_copy_from_own_stage::CopyFromOwnStage),
        Box::new(dl3024_duplicate_stage_name::DuplicateStageName),
        Box::new(dl3043_onbuild_forbidden_trigger::OnbuildForbiddenTrigger),
        Box::new(dl3044_env_self_reference::EnvSelfReference),
        Box::new(dl3045_copy_relative_without_workdir::CopyRelativeWithoutWorkdir),
        Box::new(dl3061_instruction_before_from::InstructionBeforeFrom),
        Box::new(dl3063_reserved_stage_name::ReservedStageName),
        Box::new(dl3067_copy_whole_filesystem::CopyWholeFilesystem),
        Box::new(dl4003_multiple_cmd::MultipleCmd),
        Box::new(dl4004_multiple_entrypoint::MultipleEntrypoint),
        Box::new(dl5103_empty_continuation_line::EmptyContinuationLine),
        Box::new(dl5105_undefined_arg_in_from::UndefinedArgInFrom),
        Box::new(dl5106_undefined_var::UndefinedVar),
        Box::new(dl5109_invalid_default_arg_in_from::InvalidDefaultArgInFrom),
        Box::new(dl5111_expose_invalid_format::ExposeInvalidFormat),
        Box::new(dl5116_invalid_json_form::InvalidJsonForm),
        Box::new(dl5118_copy_ignored_file::CopyIgnoredFile),
        Box::new(dl5120_invalid_base_image_platform::InvalidBaseImagePlatform),
        Box::new(dl5141_unreachable_stage::UnreachableStage),
        Box::new(dl5150_workdir_system_path::WorkdirSystemPath),
        Box::new(dl5152_copy_from_empty_scratch::CopyFromEmptyScratch),
        Box::new(dl5153_shell_run_in_scratch::ShellRunInScratch),
        Box::new(dl5154_syntax_directive_typo::SyntaxDirectiveTypo),
        Box::new(dl5156_copy_root_owned_into_user_dir::CopyRootOwnedIntoUserDir),
        Box::new(dl5161_cgo_enabled_static_target::CgoEnabledStaticTarget),
        Box::new(dl5173_rails_state_dirs_root_owned::RailsStateDirsRootOwned),
        Box::new(dl5174_bootsnap_precompile_parallel::BootsnapPrecompileParallel),
        Box::new(dl5163_ungraceful_stop_signal::UngracefulStopSignal),
        Box::new(dl5165_systemd_stop_signal::SystemdStopSignal),
        Box::new(dl5166_named_user_without_passwd::NamedUserWithoutPasswd),
        Box::new(dl5167_windows_chown_flag::WindowsChownFlag),
        Box::new(dl5168_windows_run_mount::WindowsRunMount),
        Box::new(dl5169_windows_stop_signal::WindowsStopSignal),
    ]
}

use crate::dockerfile::Keyword;
use crate::lint::Context;
use crate::lint::helpers::{head_span, stage_instructions};

/// Reports every `keyword` instruction of a stage except the last, which is the one in effect.
pub(crate) fn report_all_but_last(cx: &mut Context<'_>, keyword: Keyword) {
    let df = cx.dockerfile;
    for stage in 0..df.stages.len() {
        let found: Vec<_> = stage_instructions(df, stage)
            .filter(|i| i.keyword == keyword)
            .collect();
        let Some((last, earlier)) = found.split_last() else {
            continue;
        };
        let last_line = df.lines.line_col(&df.source, last.span.start).line;
        for ins in earlier {
            cx.report(
                head_span(df, ins),
                format!(
                    "this {kw} has no effect: the {kw} on line {last_line} replaces it",
                    kw = keyword.as_str()
                ),
            );
        }
    }
}

//! Rules of the `best_practice` family: FROM tags, exec form, casing, deprecated syntax.

// One module per rule file in this folder, sorted; `scripts/new-rule` adds to both lists and
// `rules::tests::every_rule_file_is_declared` fails when a file is missing from them.
pub mod dl1001_inline_ignore_pragma;
pub mod dl3006_untagged_image;
pub mod dl3007_latest_tag;
pub mod dl3010_copy_archive_then_extract;
pub mod dl3020_add_instead_of_copy;
pub mod dl3025_json_args_recommended;
pub mod dl3029_from_platform_constant;
pub mod dl3057_healthcheck_missing;
pub mod dl3065_redundant_target_platform;
pub mod dl4000_maintainer_deprecated;
pub mod dl5101_stage_name_casing;
pub mod dl5102_from_as_casing;
pub mod dl5104_consistent_instruction_casing;
pub mod dl5107_legacy_key_value_format;
pub mod dl5110_expose_proto_casing;
pub mod dl5119_invalid_definition_description;
pub mod dl5145_single_stage_build;
pub mod dl5160_toolchain_final_base;
pub mod dl5164_nginx_stop_signal;

/// Every rule of this family, in file order.
pub fn rules() -> Vec<Box<dyn crate::lint::Rule>> {
    vec![
        Box::new(dl1001_inline_ignore_pragma::InlineIgnorePragma),
        Box::new(dl3006_untagged_image::UntaggedImage),
        Box::new(dl3007_latest_tag::LatestTag),
        Box::new(dl3010_copy_archive_then_extract::CopyArchiveThenExtract),
        Box::new(dl3020_add_instead_of_copy::AddInsteadOfCopy),
        Box::new(dl3025_json_args_recommended::JsonArgsRecommended),
        Box::new(dl3029_from_platform_constant::FromPlatformConstant),
        Box::new(dl3057_healthcheck_missing::HealthcheckMissing),
        Box::new(dl3065_redundant_target_platform::RedundantTargetPlatform),
        Box::new(dl4000_maintainer_deprecated::MaintainerDeprecated),
        Box::new(dl5101_stage_name_casing::StageNameCasing),
        Box::new(dl5102_from_as_casing::FromAsCasing),
        Box::new(dl5104_consistent_instruction_casing::ConsistentInstructionCasing),
        Box::new(dl5107_legacy_key_value_format::LegacyKeyValueFormat),
        Box::new(dl5110_expose_proto_casing::ExposeProtoCasing),
        Box::new(dl5119_invalid_definition_description::InvalidDefinitionDescription),
        Box::new(dl5145_single_stage_build::SingleStageBuild),
        Box::new(dl5160_toolchain_final_base::ToolchainFinalBase),
        Box::new(dl5164_nginx_stop_signal::NginxStopSignal),
    ]
}

/// `COPY` / `copy` / `Copy`: `word` written in the case style of `like`.
pub(crate) fn same_case(word: &str, like: &str) -> String {
    if like.chars().any(|c| c.is_ascii_lowercase()) && !like.chars().any(|c| c.is_ascii_uppercase())
    {
        word.to_ascii_lowercase()
    } else {
        word.to_ascii_uppercase()
    }
}

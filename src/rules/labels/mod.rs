//! Rules of the `labels` family: label keys and the configured label schema
//! (`label-schema:` in the config, `--require-label`, `strict-labels`).

// One module per rule file in this folder, sorted; `scripts/new-rule` adds to both lists and
// `rules::tests::every_rule_file_is_declared` fails when a file is missing from them.
pub mod dl3048_invalid_label_key;
pub mod dl3049_missing_label;
pub mod dl3050_superfluous_label;
pub mod dl3051_empty_label;
pub mod dl3052_label_not_url;
pub mod dl3053_label_not_rfc3339;
pub mod dl3054_label_not_spdx;
pub mod dl3055_label_not_git_hash;
pub mod dl3056_label_not_semver;
pub mod dl3058_label_not_email;
pub mod dl5162_duplicate_label_key;

/// Every rule of this family, in file order.
pub fn rules() -> Vec<Box<dyn crate::lint::Rule>> {
    vec![
        Box::new(dl3048_invalid_label_key::InvalidLabelKey),
        Box::new(dl3049_missing_label::MissingLabel),
        Box::new(dl3050_superfluous_label::SuperfluousLabel),
        Box::new(dl3051_empty_label::EmptyLabel),
        Box::new(dl3052_label_not_url::LabelNotUrl),
        Box::new(dl3053_label_not_rfc3339::LabelNotRfc3339),
        Box::new(dl3054_label_not_spdx::LabelNotSpdx),
        Box::new(dl3055_label_not_git_hash::LabelNotGitHash),
        Box::new(dl3056_label_not_semver::LabelNotSemver),
        Box::new(dl3058_label_not_email::LabelNotEmail),
        Box::new(dl5162_duplicate_label_key::DuplicateLabelKey),
    ]
}

use crate::dockerfile::{Dockerfile, InstructionKind, KeyValue};
use crate::lint::Context;

pub mod validate;

/// Every LABEL key/value pair in the file (ONBUILD triggers excluded).
pub(crate) fn all_labels(df: &Dockerfile) -> impl Iterator<Item = &KeyValue> {
    df.instructions.iter().flat_map(|i| match &i.kind {
        InstructionKind::Label(kvs) => kvs.as_slice(),
        _ => &[],
    })
}

/// Reports every schema label of type `ty` whose (non-empty, variable-free) value fails `valid`.
pub(crate) fn check_typed(cx: &mut Context<'_>, ty: &str, what: &str, valid: fn(&str) -> bool) {
    let df = cx.dockerfile;
    let keys: Vec<String> = cx
        .settings
        .label_schema
        .iter()
        .filter(|(_, t)| t == ty)
        .map(|(k, _)| k.clone())
        .collect();
    if keys.is_empty() {
        return;
    }
    for kv in all_labels(df) {
        if !keys.contains(&kv.key.value) {
            continue;
        }
        let Some(v) = &kv.value else { continue };
        let value = v.value.trim();
        if value.is_empty() || value.contains('$') || valid(value) {
            continue;
        }
        cx.report(
            v.span,
            format!("label `{}` = `{value}` is not {what}", kv.key.value),
        );
    }
}

//! Rules of the `layers` family: how RUN and COPY instructions map onto layers and the build
//! cache.

// One module per rule file in this folder, sorted; `scripts/new-rule` adds to both lists and
// `rules::tests::every_rule_file_is_declared` fails when a file is missing from them.
pub mod dl3059_consecutive_run;
pub mod dl5001_copy_before_install;
pub mod dl5004_removed_in_later_run;
pub mod dl5121_chown_after_copy;

// DL5004's fix for a later removal of packages
mod package_move;

/// Every rule of this family, in file order.
pub fn rules() -> Vec<Box<dyn crate::lint::Rule>> {
    vec![
        Box::new(dl3059_consecutive_run::ConsecutiveRun),
        Box::new(dl5001_copy_before_install::CopyBeforeInstall),
        Box::new(dl5004_removed_in_later_run::RemovedInLaterRun),
        Box::new(dl5121_chown_after_copy::ChownAfterCopy),
    ]
}

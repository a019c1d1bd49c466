//! Rules of the `layers` family: how RUN and COPY instructions map onto layers and the build
//! cache.

mod dl3059_consecutive_run;
mod dl5001_copy_before_install;

use crate::lint::Rule;

pub use dl3059_consecutive_run::ConsecutiveRun;
pub use dl5001_copy_before_install::CopyBeforeInstall;

/// Every rule of this family.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![Box::new(ConsecutiveRun), Box::new(CopyBeforeInstall)]
}

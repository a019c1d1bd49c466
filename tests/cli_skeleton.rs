//! The binary's skeleton: unbuilt subcommands say so and exit 2.

use assert_cmd::Command;
use predicates::str::contains;

#[test]
fn unknown_subcommand_flag_is_usage_error() {
    Command::cargo_bin("dlint")
        .unwrap()
        .args(["parse", "--no-such-flag"])
        .assert()
        .code(2);
}

#[test]
fn version_prints() {
    Command::cargo_bin("dlint")
        .unwrap()
        .arg("--version")
        .assert()
        .success()
        .stdout(contains("dlint"));
}

//! DL5113: package signature checks turned off (apt `--allow-unauthenticated`, apk
//! `--allow-untrusted`, yum/dnf `--nogpgcheck`, rpm `--nosignature`, ...).

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::pkg::signature_check_off;

/// Packages installed without checking who signed them: a tampered mirror or repository goes
/// unnoticed.
pub struct PackageSignatureCheckDisabled;

impl Rule for PackageSignatureCheckDisabled {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5113",
            name: "package-signature-check-disabled",
            severity: Severity::Warning,
            summary: "Do not turn off package signature checks",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        crate::rules::shell::each_command(cx, |cmd| {
            let what = signature_check_off(cmd)?;
            Some((
                cmd.span,
                format!(
                    "{what} installs packages without checking their signatures: a tampered mirror or \
                     repository goes unnoticed; import the repository's signing key instead"
                ),
            ))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_unsigned_installs() {
        let src = "FROM debian:12
RUN apt-get update && apt-get install -y --allow-unauthenticated curl
RUN apt-get -o APT::Get::AllowUnauthenticated=true install -y curl
RUN apt-get update --allow-insecure-repositories
RUN apt-get install -y --force-yes curl
RUN apk add --allow-untrusted /tmp/pkg.apk
RUN dnf install -y --nogpgcheck https://x/pkg.rpm
RUN yum --setopt=gpgcheck=0 install -y x
RUN rpm -i --nosignature pkg.rpm
RUN zypper --no-gpg-checks install -y x
";
        assert_eq!(
            lines(&PackageSignatureCheckDisabled, src),
            (2..=10).collect::<Vec<_>>()
        );
    }

    #[test]
    fn checked_installs_pass() {
        let src = "FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends curl
RUN apk add --no-cache curl
RUN dnf install -y --setopt=gpgcheck=1 git
RUN rpm --import https://x/key.asc && rpm -i pkg.rpm
RUN echo --nogpgcheck
";
        assert!(lines(&PackageSignatureCheckDisabled, src).is_empty());
    }
}

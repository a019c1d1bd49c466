//! DL3046: `useradd` with a large UID needs `-l` to avoid a huge lastlog file.

use crate::lint::{Context, Rule, RuleMeta, Severity};

/// DL3046 `useradd-large-uid`.
pub struct UseraddLargeUid;

impl Rule for UseraddLargeUid {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3046",
            name: "useradd-large-uid",
            severity: Severity::Warning,
            summary: "`useradd` with a large UID needs `-l` to avoid a huge lastlog file",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::each_command(cx, |c| {
            if c.name()? != "useradd" || c.has_option(Some('l'), Some("no-log-init")) {
                return None;
            }
            let args = c.args();
            let uid = args.iter().enumerate().find_map(|(i, w)| {
                let v = w.value.as_str();
                if v == "-u" || v == "--uid" {
                    args.get(i + 1).map(|n| n.value.clone())
                } else if let Some(r) = v.strip_prefix("--uid=") {
                    Some(r.to_string())
                } else if v.len() > 2
                    && v.starts_with("-u")
                    && v[2..].bytes().all(|b| b.is_ascii_digit())
                {
                    Some(v[2..].to_string())
                } else {
                    None
                }
            })?;
            if uid.len() <= 5 || !uid.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            Some((
                c.span,
                format!(
                    "`useradd -u {uid}` without `-l` writes a sparse /var/log/lastlog and faillog \
                     sized by the UID into the layer"
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
    fn uid() {
        assert_eq!(
            lines(
                &UseraddLargeUid,
                "FROM debian\nRUN useradd -u 123456789 app\n"
            ),
            [2]
        );
        assert!(
            lines(
                &UseraddLargeUid,
                "FROM debian\nRUN useradd -l -u 123456789 app\n"
            )
            .is_empty()
        );
        assert!(lines(&UseraddLargeUid, "FROM debian\nRUN useradd -u 1000 app\n").is_empty());
    }
}

//! The history of an image config: `created_by` strings cleaned back into Dockerfile
//! instructions.

/// Turns a history `created_by` into the Dockerfile instruction it came from:
/// `/bin/sh -c #(nop)  CMD ["x"]` -> `CMD ["x"]`, `|2 A=1 B=2 /bin/sh -c make` -> `RUN make`,
/// BuildKit's `RUN /bin/sh -c make # buildkit` -> `RUN make`.
pub fn clean_created_by(raw: &str) -> String {
    let mut s = raw.trim();
    s = s.strip_suffix("# buildkit").unwrap_or(s).trim_end();
    let mut run = false;
    if let Some(r) = s.strip_prefix("RUN ") {
        s = r.trim_start();
        run = true;
    }
    // `|N K=V K=V ... cmd`: drop the N build-arg assignments
    if let Some(rest) = s.strip_prefix('|')
        && let Some((n, mut tail)) = rest.split_once(' ')
        && let Ok(n) = n.parse::<usize>()
    {
        for _ in 0..n {
            tail = tail.trim_start();
            tail = tail.split_once(' ').map_or("", |(_, t)| t);
        }
        s = tail.trim_start();
        run = true;
    }
    for sh in ["/bin/sh -c ", "/bin/bash -c ", "cmd /S /C "] {
        if let Some(r) = s.strip_prefix(sh) {
            let r = r.trim_start();
            if let Some(nop) = r.strip_prefix("#(nop)") {
                return nop.trim().to_string();
            }
            return format!("RUN {}", r.trim_end());
        }
    }
    if run {
        format!("RUN {s}")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::clean_created_by as c;

    #[test]
    fn created_by() {
        assert_eq!(c("/bin/sh -c #(nop)  CMD [\"bash\"]"), "CMD [\"bash\"]");
        assert_eq!(
            c("/bin/sh -c #(nop) ADD file:abc in / "),
            "ADD file:abc in /"
        );
        assert_eq!(c("/bin/sh -c apt-get update"), "RUN apt-get update");
        assert_eq!(c("|2 A=1 B=x /bin/sh -c make all"), "RUN make all");
        assert_eq!(
            c("RUN /bin/sh -c apk del curl # buildkit"),
            "RUN apk del curl"
        );
        assert_eq!(c("RUN |1 V=3 /bin/sh -c echo $V # buildkit"), "RUN echo $V");
        assert_eq!(c("COPY . /app # buildkit"), "COPY . /app");
        assert_eq!(c("WORKDIR /app"), "WORKDIR /app");
    }
}

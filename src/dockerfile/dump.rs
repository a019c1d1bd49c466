//! Renders a [`Dockerfile`] in BuildKit's `Node.Dump()` format (the `result` files of
//! BuildKit's parser tests), for conformance testing and debugging.

use super::ast::*;

/// One line per instruction, `(keyword ["--flag" ...] "arg" ...)`, each line ending in `\n`.
pub fn buildkit_dump(df: &Dockerfile) -> String {
    let mut out = String::new();
    for ins in &df.instructions {
        out.push('(');
        out.push_str(&dump_instruction(df, ins));
        out.push_str(")\n");
    }
    out
}

fn dump_instruction(df: &Dockerfile, ins: &Instruction) -> String {
    let mut s = ins.keyword_span.text(&df.source).to_lowercase();
    if !ins.flags.is_empty() {
        s.push_str(" [");
        let quoted: Vec<String> = ins.flags.iter().map(|f| go_quote(&f.text())).collect();
        s.push_str(&quoted.join(" "));
        s.push(']');
    }
    let mut args: Vec<String> = Vec::new();
    let shell_or_exec = |args: &mut Vec<String>, v: &ShellOrExec| match v {
        ShellOrExec::Exec(words) => args.extend(words.iter().map(|w| w.value.clone())),
        ShellOrExec::Shell(t) => {
            if !t.text.is_empty() {
                args.push(t.text.clone());
            }
        }
    };
    match &ins.kind {
        InstructionKind::From { .. } => {
            args.extend(ins.args.text.split_ascii_whitespace().map(str::to_string))
        }
        InstructionKind::Run(v) | InstructionKind::Cmd(v) | InstructionKind::Entrypoint(v) => {
            shell_or_exec(&mut args, v)
        }
        InstructionKind::Shell(words) => {
            if ins.json {
                args.extend(words.iter().map(|w| w.value.clone()));
            } else if !ins.args.text.is_empty() {
                args.push(ins.args.text.clone());
            }
        }
        InstructionKind::Copy { sources, dest, .. } => {
            args.extend(sources.iter().map(|w| w.value.clone()));
            args.extend(dest.iter().map(|w| w.value.clone()));
        }
        InstructionKind::Arg(kvs) => args.extend(kvs.iter().map(|kv| kv.raw.clone())),
        InstructionKind::Env(kvs) | InstructionKind::Label(kvs) => {
            for kv in kvs {
                if kv.legacy {
                    args.push(kv.key.value.clone());
                    args.push(kv.raw_value.clone().unwrap_or_default());
                    args.push(String::new());
                } else {
                    let (k, _) = kv.raw.split_once('=').unwrap_or((&kv.raw, ""));
                    args.push(k.to_string());
                    args.push(kv.raw_value.clone().unwrap_or_default());
                    args.push("=".into());
                }
            }
        }
        InstructionKind::Expose(words) => args.extend(words.iter().map(|w| w.value.clone())),
        InstructionKind::Volume { paths, .. } => args.extend(paths.iter().map(|w| w.value.clone())),
        InstructionKind::User(w)
        | InstructionKind::Workdir(w)
        | InstructionKind::Stopsignal(w)
        | InstructionKind::Maintainer(w) => {
            if !w.value.is_empty() {
                args.push(w.value.clone());
            }
        }
        InstructionKind::Healthcheck(cmd) => {
            let text = ins.args.text.as_str();
            let typ = text.split_ascii_whitespace().next().unwrap_or("");
            if !typ.is_empty() {
                args.push(typ.to_string());
            }
            if let Some(v) = cmd {
                shell_or_exec(&mut args, v);
            }
        }
        InstructionKind::Onbuild(child) => {
            return format!("{} ({})", s, dump_instruction(df, child));
        }
        InstructionKind::Invalid => {
            if ins.keyword == Keyword::Healthcheck {
                let text = ins.args.text.as_str();
                if let Some((typ, rest)) = text.split_once(|c: char| c.is_ascii_whitespace()) {
                    args.push(typ.to_string());
                    let rest = rest.trim_start();
                    if !rest.is_empty() {
                        args.push(rest.to_string());
                    }
                } else if !text.is_empty() {
                    args.push(text.to_string());
                }
            }
        }
    }
    for a in args {
        s.push(' ');
        s.push_str(&go_quote(&a));
    }
    s
}

/// Go's `strconv.Quote`.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if is_go_printable(c) => out.push(c),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Approximation of Go's `strconv.IsPrint` for the characters Dockerfiles contain.
fn is_go_printable(c: char) -> bool {
    let u = c as u32;
    !((0x80..0xa0).contains(&u)
        || u == 0xad
        || (0x2000..=0x200f).contains(&u) && u != 0x2000
        || (0x2028..=0x202e).contains(&u)
        || (0x2060..=0x206f).contains(&u)
        || u == 0xfeff
        || (0xfff9..=0xfffb).contains(&u)
        || (0xd800..0xe000).contains(&u)
        || (0xe000..0xf900).contains(&u))
}

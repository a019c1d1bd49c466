//! The modes the per-layer file lists and the final filesystem carry.

use super::*;
use crate::image::walk::RawEntry;

fn layer(list: &[(&str, Op<'_>, u32)]) -> Entries {
    let mut e = Entries::default();
    for &(path, op, mode) in list {
        e.push(RawEntry { path, op, mode });
    }
    e
}

/// (change, path, mode) of layer `i`'s recorded list.
fn listed(m: &Model, i: usize) -> Vec<(Change, String, u32)> {
    m.changes.as_ref().expect("recording")[i]
        .iter()
        .map(|f| (f.change, f.path.clone(), f.mode))
        .collect()
}

/// Added and modified paths carry their entry's mode, removed ones the mode they had (a
/// re-declared directory's new mode included).
#[test]
fn file_lists_carry_modes() {
    let mut m = Model::new(0);
    m.record_changes();
    m.apply(
        0,
        &layer(&[
            ("tmp", Op::Dir, 0o1777),
            ("usr/bin/su", Op::File(10), 0o4755),
            ("etc/shadow", Op::File(5), 0o640),
        ]),
    )
    .unwrap();
    m.apply(
        1,
        &layer(&[
            ("tmp", Op::Whiteout, 0),
            ("etc/shadow", Op::File(6), 0o600),
            ("usr/bin", Op::Dir, 0o700),
        ]),
    )
    .unwrap();
    m.apply(2, &layer(&[("usr", Op::Whiteout, 0)])).unwrap();
    assert_eq!(
        listed(&m, 0),
        vec![
            (Change::Added, "tmp".into(), 0o1777),
            (Change::Added, "usr/bin/su".into(), 0o4755),
            (Change::Added, "etc/shadow".into(), 0o640),
        ]
    );
    assert_eq!(
        listed(&m, 1),
        vec![
            (Change::Removed, "tmp".into(), 0o1777),
            (Change::Modified, "etc/shadow".into(), 0o600),
            // `usr/bin` was only implied by layer 0's file: declaring it adds it
            (Change::Added, "usr/bin".into(), 0o700),
        ]
    );
    let mut removed = listed(&m, 2);
    removed.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(
        removed,
        vec![
            (Change::Removed, "usr/bin".into(), 0o700),
            (Change::Removed, "usr/bin/su".into(), 0o4755),
        ]
    );
}

/// (path, kind, layer, mode) of every path of the final filesystem.
fn final_fs(m: Model) -> Vec<(String, FileKind, usize, u32)> {
    m.into_final_fs()
        .into_iter()
        .map(|(p, e)| (p, e.kind, e.layer, e.mode))
        .collect()
}

/// The final filesystem's entries carry the mode of the last layer that wrote each path: a
/// replaced file's new one, a re-declared directory's new one, a re-added path's, with or
/// without the per-layer lists.
#[test]
fn final_fs_carries_last_modes() {
    for record in [false, true] {
        let mut m = Model::new(0);
        m.keep_modes();
        if record {
            m.record_changes();
        }
        m.apply(
            0,
            &layer(&[
                ("opt", Op::Dir, 0o755),
                ("opt/run", Op::File(3), 0o755),
                ("etc/shadow", Op::File(5), 0o640),
                ("tmp", Op::Dir, 0o1777),
            ]),
        )
        .unwrap();
        m.apply(
            1,
            &layer(&[
                ("tmp", Op::Whiteout, 0),
                ("opt", Op::Dir, 0o700),
                ("opt/run", Op::File(4), 0o4750),
                ("opt/sh", Op::Symlink("run"), 0o777),
            ]),
        )
        .unwrap();
        m.apply(2, &layer(&[("tmp", Op::File(1), 0o600)])).unwrap();
        assert_eq!(
            final_fs(m),
            vec![
                ("etc/shadow".into(), FileKind::File, 0, 0o640),
                ("opt".into(), FileKind::Dir, 1, 0o700),
                ("opt/run".into(), FileKind::File, 1, 0o4750),
                ("opt/sh".into(), FileKind::Symlink, 1, 0o777),
                ("tmp".into(), FileKind::File, 2, 0o600),
            ],
            "recording the layer lists: {record}"
        );
    }
}

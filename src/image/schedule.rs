//! The layer scheduler shared by [`super::analyze`] and the pair analysis of `compare`: worker
//! threads take layer tasks biggest first (the base layers before all, since nothing can be
//! applied to an overlay model before them) and hand each result to the calling thread as soon
//! as it is done, so the caller can apply layers in order and drop their entries.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// Smallest blob worth a second thread (below it, the thread costs more than it saves).
const PIPELINE_MIN_BLOB: u64 = 32 << 20;

/// One unit of work, usually one layer of one image.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Task {
    /// Bytes to read (the blob size): bigger tasks start first.
    pub weight: u64,
    /// Started before every task without it (a base layer).
    pub first: bool,
}

/// The number of worker threads for `jobs` (0 = one per CPU).
pub(crate) fn job_count(jobs: usize) -> usize {
    if jobs == 0 {
        std::thread::available_parallelism().map_or(2, |n| n.get())
    } else {
        jobs
    }
}

/// Runs `work(t, pipeline)` for every task index `t` on `jobs` threads and calls
/// `deliver(t, result)` on the calling thread as each one finishes (in completion order).
///
/// `skip(t)`, checked when a worker would start task `t`, leaves it out (its result is never
/// delivered): the caller uses it to stop reading layers that cannot change the outcome any
/// more. `pipeline` tells a task to decode on a second thread: it is set for a big task that
/// would otherwise end up running alone while the other workers have nothing left.
pub(crate) fn run<R: Send>(
    tasks: &[Task],
    jobs: usize,
    skip: &(dyn Fn(usize) -> bool + Sync),
    work: &(dyn Fn(usize, bool) -> R + Sync),
    mut deliver: impl FnMut(usize, R),
) {
    let jobs = job_count(jobs);
    let mut order: Vec<usize> = (0..tasks.len()).collect();
    order.sort_by_key(|&t| {
        let task = tasks.get(t).copied().unwrap_or(Task {
            weight: 0,
            first: false,
        });
        (!task.first, std::cmp::Reverse(task.weight))
    });
    let next = AtomicUsize::new(0);
    // weight of the tasks no worker has taken yet
    let unstarted = AtomicU64::new(tasks.iter().map(|t| t.weight).sum());
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::channel::<(usize, R)>();
        for _ in 0..jobs.clamp(1, tasks.len().max(1)) {
            let tx = tx.clone();
            let (order, next, unstarted) = (&order, &next, &unstarted);
            s.spawn(move || {
                while let Some(&t) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let weight = tasks.get(t).map_or(0, |task| task.weight);
                    let after = unstarted
                        .fetch_sub(weight, Ordering::Relaxed)
                        .saturating_sub(weight);
                    if skip(t) {
                        continue;
                    }
                    let pipeline = jobs > 1
                        && weight >= PIPELINE_MIN_BLOB
                        && weight.saturating_mul(jobs as u64 - 1) > after;
                    if tx.send((t, work(t, pipeline))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        for (t, r) in rx {
            deliver(t, r);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn first_tasks_then_biggest_first_and_skips() {
        let tasks = [
            Task {
                weight: 1,
                first: false,
            },
            Task {
                weight: 5,
                first: false,
            },
            Task {
                weight: 0,
                first: true,
            },
            Task {
                weight: 3,
                first: false,
            },
        ];
        let started = Mutex::new(Vec::new());
        let mut delivered = Vec::new();
        run(
            &tasks,
            1,
            &|t| t == 3,
            &|t, pipeline| {
                assert!(!pipeline, "one job never pipelines");
                started.lock().unwrap().push(t);
                t * 10
            },
            |t, r| delivered.push((t, r)),
        );
        assert_eq!(*started.lock().unwrap(), [2, 1, 0]);
        assert_eq!(delivered, [(2, 20), (1, 10), (0, 0)]);
    }
}

//! The searcher threads: the engine's CPU-bound work for a request (a search, a commitment
//! search, statistics) runs on a fixed set of threads, one per core, each taking the next
//! request's work as soon as it has answered the last.
//!
//! tokio's blocking pool starts a thread for each request running at once, so four clients on
//! two cores had four searches sharing two cores' caches, switched in and out by the kernel;
//! with one thread per core a search runs to its end on a warm cache and the others wait their
//! turn in the queue (BENCHMARKS.md: the same searches per second or more, and a p99 a third
//! lower). Work that can wait on the disk or a lock (exports, which stream for seconds;
//! writes and their commits; the health check) keeps tokio's blocking pool, so it never holds
//! a searcher. A searcher is not preempted: a search past the request timeout is answered
//! with the timeout's error while it runs on, as it did on tokio's pool.
//!
//! Nor does a slow search hold up the others for long: when every searcher has been on one
//! piece of work for longer than the stall limit ([`STALL`], about twenty times the p99 of a
//! search of the benchmark at 100,000 replies under load), the work waiting in the queue and
//! any that comes while they stay stalled runs on tokio's blocking pool, as every search once
//! did. Each waiting request looks again at every stall limit, so queued work moves even when
//! no new request comes.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, unbounded};
use tokio::sync::oneshot;

type Job = Box<dyn FnOnce() + Send>;

/// How long every searcher must have been on one piece of work before the work waiting for
/// them goes to tokio's blocking pool instead.
pub(crate) const STALL: Duration = Duration::from_millis(250);

/// A queue of work and the threads that take from it.
pub(crate) struct Searchers {
    queue: Sender<Job>,
    /// The queue's other end, to move waiting work off stalled searchers.
    waiting: Receiver<Job>,
    /// What each searcher is doing: when it took its current work, in microseconds after
    /// `clock` plus one, or 0 when it waits for work.
    busy_since: Arc<[AtomicU64]>,
    clock: Instant,
    stall: Duration,
}

/// How a piece of work run on a searcher ended without a result.
#[derive(Debug)]
pub(crate) enum Failed {
    /// It panicked (the searcher thread lives on).
    Panicked(Box<dyn Any + Send>),
    /// No searcher thread could be started, or the one holding the work is gone.
    NoSearcher(String),
}

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failed::Panicked(payload) => {
                let message = payload
                    .downcast_ref::<&str>()
                    .copied()
                    .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
                    .unwrap_or("(no message)");
                write!(f, "the search panicked: {message}")
            }
            Failed::NoSearcher(why) => write!(f, "no searcher thread: {why}"),
        }
    }
}

impl Searchers {
    /// `threads` searcher threads (at least one), whose waiting work moves to tokio's
    /// blocking pool when they have all been on one piece of work for longer than `stall`.
    pub(crate) fn start(threads: usize, stall: Duration) -> std::io::Result<Self> {
        let (queue, jobs) = unbounded::<Job>();
        let clock = Instant::now();
        let busy_since: Arc<[AtomicU64]> = (0..threads.max(1)).map(|_| AtomicU64::new(0)).collect();
        for i in 0..busy_since.len() {
            let jobs = jobs.clone();
            let busy_since = busy_since.clone();
            std::thread::Builder::new()
                .name(format!("dafu-searcher-{i}"))
                .spawn(move || {
                    // Ends when every sender is gone (the process is ending).
                    while let Ok(job) = jobs.recv() {
                        if let Some(mine) = busy_since.get(i) {
                            mine.store(micros(clock) + 1, Ordering::Relaxed);
                        }
                        job();
                        if let Some(mine) = busy_since.get(i) {
                            mine.store(0, Ordering::Relaxed);
                        }
                    }
                })?;
        }
        Ok(Searchers {
            queue,
            waiting: jobs,
            busy_since,
            clock,
            stall,
        })
    }

    /// Whether every searcher has been on its current work for longer than the stall limit.
    fn stalled(&self) -> bool {
        let now = micros(self.clock);
        let stall = u64::try_from(self.stall.as_micros()).unwrap_or(u64::MAX);
        self.busy_since.iter().all(|since| {
            let since = since.load(Ordering::Relaxed);
            since != 0 && now.saturating_sub(since - 1) > stall
        })
    }

    /// When the searchers are stalled, moves the work waiting for them to tokio's blocking
    /// pool; whether they were.
    fn unblock(&self) -> bool {
        if !self.stalled() {
            return false;
        }
        let mut moved = 0usize;
        while let Ok(job) = self.waiting.try_recv() {
            tokio::task::spawn_blocking(job);
            moved += 1;
        }
        if moved > 0 {
            tracing::warn!(
                moved,
                stall_ms = self.stall.as_millis(),
                "every searcher is on a slow search; waiting work moved to the blocking pool"
            );
        }
        true
    }

    /// The process's searchers, one per core, started on first use.
    pub(crate) fn shared() -> Result<&'static Searchers, Failed> {
        static SHARED: OnceLock<Result<Searchers, String>> = OnceLock::new();
        SHARED
            .get_or_init(|| {
                let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
                Searchers::start(cores, STALL).map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(|e| Failed::NoSearcher(e.clone()))
    }

    /// Runs `work` on the next free searcher (on tokio's blocking pool while the searchers
    /// are stalled) and waits (asynchronously) for its result.
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Failed> {
        let (done, result) = oneshot::channel();
        let job: Job = Box::new(move || {
            // The receiver may be gone (the client hung up): the result is dropped.
            let _ = done.send(catch_unwind(AssertUnwindSafe(work)));
        });
        if self.unblock() {
            tokio::task::spawn_blocking(job);
        } else {
            self.queue
                .send(job)
                .map_err(|_| Failed::NoSearcher("the searcher threads are gone".into()))?;
        }
        let mut result = std::pin::pin!(result);
        let answer = loop {
            match tokio::time::timeout(self.stall, &mut result).await {
                Ok(answer) => break answer,
                // Still waiting: if it is behind stalled searchers, it moves.
                Err(_) => {
                    self.unblock();
                }
            }
        };
        match answer {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(payload)) => Err(Failed::Panicked(payload)),
            Err(_) => Err(Failed::NoSearcher("the work was dropped unanswered".into())),
        }
    }
}

/// Microseconds since `clock`.
fn micros(clock: Instant) -> u64 {
    u64::try_from(clock.elapsed().as_micros()).unwrap_or(u64::MAX - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_runs_on_a_searcher_thread_and_answers() {
        let searchers = Searchers::start(2, STALL).expect("threads start");
        let name = searchers
            .run(|| std::thread::current().name().map(str::to_string))
            .await
            .expect("the work answers");
        assert!(name.is_some_and(|n| n.starts_with("dafu-searcher-")));
    }

    #[tokio::test]
    async fn a_panic_is_an_error_and_the_searcher_lives_on() {
        let searchers = Searchers::start(1, STALL).expect("threads start");
        let failed = searchers.run(|| panic!("bad query")).await;
        match failed {
            Err(e @ Failed::Panicked(_)) => assert!(e.to_string().contains("bad query"), "{e}"),
            other => panic!("expected a panic, got {other:?}"),
        }
        // The one thread is still there to take the next piece of work.
        assert_eq!(searchers.run(|| 6 * 7).await.expect("answers"), 42);
    }

    #[tokio::test]
    async fn many_pieces_of_work_on_few_threads_all_answer() {
        let searchers = Searchers::start(2, STALL).expect("threads start");
        let answers = (0..64u64).map(|i| searchers.run(move || i * i));
        let answers = futures_util::future::join_all(answers).await;
        let sum: u64 = answers.into_iter().map(|a| a.expect("answers")).sum();
        assert_eq!(sum, (0..64u64).map(|i| i * i).sum::<u64>());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn work_behind_a_stalled_searcher_moves_to_the_blocking_pool() {
        let searchers =
            Arc::new(Searchers::start(1, Duration::from_millis(20)).expect("threads start"));
        // The one searcher takes a piece of work that holds it until released.
        let (started, on_searcher) = oneshot::channel();
        let (release, held) = std::sync::mpsc::channel::<()>();
        let slow = tokio::spawn({
            let searchers = searchers.clone();
            async move {
                searchers
                    .run(move || {
                        let _ = started.send(());
                        held.recv().is_ok()
                    })
                    .await
            }
        });
        on_searcher.await.expect("the slow work starts");
        // Queued behind it at once (before the stall limit passes), then new work once the
        // searcher is stalled: both answer while the slow work still holds the searcher. The
        // outer limit only turns a hang into a failure.
        let queued = searchers.run(|| std::thread::current().name().map(str::to_string));
        let queued = tokio::time::timeout(Duration::from_secs(60), queued)
            .await
            .expect("queued work answers while the searcher is held")
            .expect("answers");
        assert!(!queued.is_some_and(|n| n.starts_with("dafu-searcher-")));
        assert!(searchers.stalled());
        let fresh = tokio::time::timeout(Duration::from_secs(60), searchers.run(|| 6 * 7))
            .await
            .expect("new work answers while the searcher is held");
        assert_eq!(fresh.expect("answers"), 42);
        // Released, the slow work answers and the searcher takes work again.
        release.send(()).expect("the slow work waits");
        assert!(slow.await.expect("joins").expect("answers"));
        // (The searcher marks itself free just after it answers.)
        tokio::time::timeout(Duration::from_secs(60), async {
            while searchers.stalled() {
                tokio::task::yield_now().await;
            }
        })
        .await
        .expect("the released searcher is free again");
        let name = searchers
            .run(|| std::thread::current().name().map(str::to_string))
            .await
            .expect("answers");
        assert!(name.is_some_and(|n| n.starts_with("dafu-searcher-")));
    }
}

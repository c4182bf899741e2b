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

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;

use crossbeam_channel::{Sender, unbounded};
use tokio::sync::oneshot;

type Job = Box<dyn FnOnce() + Send>;

/// A queue of work and the threads that take from it.
pub(crate) struct Searchers {
    queue: Sender<Job>,
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
    /// `threads` searcher threads (at least one).
    pub(crate) fn start(threads: usize) -> std::io::Result<Self> {
        let (queue, jobs) = unbounded::<Job>();
        for i in 0..threads.max(1) {
            let jobs = jobs.clone();
            std::thread::Builder::new()
                .name(format!("dafu-searcher-{i}"))
                .spawn(move || {
                    // Ends when every sender is gone (the process is ending).
                    while let Ok(job) = jobs.recv() {
                        job();
                    }
                })?;
        }
        Ok(Searchers { queue })
    }

    /// The process's searchers, one per core, started on first use.
    pub(crate) fn shared() -> Result<&'static Searchers, Failed> {
        static SHARED: OnceLock<Result<Searchers, String>> = OnceLock::new();
        SHARED
            .get_or_init(|| {
                let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
                Searchers::start(cores).map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(|e| Failed::NoSearcher(e.clone()))
    }

    /// Runs `work` on the next free searcher and waits (asynchronously) for its result.
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Failed> {
        let (done, result) = oneshot::channel();
        let job: Job = Box::new(move || {
            // The receiver may be gone (the client hung up): the result is dropped.
            let _ = done.send(catch_unwind(AssertUnwindSafe(work)));
        });
        self.queue
            .send(job)
            .map_err(|_| Failed::NoSearcher("the searcher threads are gone".into()))?;
        match result.await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(payload)) => Err(Failed::Panicked(payload)),
            Err(_) => Err(Failed::NoSearcher("the work was dropped unanswered".into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_runs_on_a_searcher_thread_and_answers() {
        let searchers = Searchers::start(2).expect("threads start");
        let name = searchers
            .run(|| std::thread::current().name().map(str::to_string))
            .await
            .expect("the work answers");
        assert!(name.is_some_and(|n| n.starts_with("dafu-searcher-")));
    }

    #[tokio::test]
    async fn a_panic_is_an_error_and_the_searcher_lives_on() {
        let searchers = Searchers::start(1).expect("threads start");
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
        let searchers = Searchers::start(2).expect("threads start");
        let answers = (0..64u64).map(|i| searchers.run(move || i * i));
        let answers = futures_util::future::join_all(answers).await;
        let sum: u64 = answers.into_iter().map(|a| a.expect("answers")).sum();
        assert_eq!(sum, (0..64u64).map(|i| i * i).sum::<u64>());
    }
}

//! Ctrl-C (or SIGTERM) while `apply` or `destroy` holds the stack's lock.
//! The first asks the run to stop: no operation starts any more, those in
//! flight finish (so what their calls did is known, and the next plan
//! reads it), what was done is summarised and the lock is released, as on
//! an error. A second one stops the process at once; the lock then stays
//! until `berth unlock` (or another run finds its holder gone).

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Set by the first Ctrl-C.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// The exit status of a run the user interrupted (a shell's for SIGINT).
pub const EXIT_STATUS: u8 = 130;

/// Handles Ctrl-C (and SIGTERM, which CI systems send a cancelled job)
/// on `runtime` from now on, as the module says.
pub fn watch(runtime: &tokio::runtime::Runtime) {
    runtime.spawn(async {
        let mut stops = Stops::new();
        while stops.next().await {
            if INTERRUPTED.swap(true, Ordering::SeqCst) {
                eprintln!(
                    "\nInterrupted again: stopping now. The stack's lock stays held; `berth unlock` releases it."
                );
                std::process::exit(i32::from(EXIT_STATUS));
            }
            eprintln!(
                "\nInterrupted: no operation starts any more; those in flight finish, then the lock is \
                 released. Press Ctrl-C again to stop at once."
            );
        }
    });
}

/// The signals that ask a run to stop.
struct Stops {
    #[cfg(unix)]
    term: Option<tokio::signal::unix::Signal>,
}

impl Stops {
    fn new() -> Stops {
        Stops {
            #[cfg(unix)]
            term: tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok(),
        }
    }

    /// Waits for the next Ctrl-C or SIGTERM; false when none can come.
    async fn next(&mut self) -> bool {
        #[cfg(unix)]
        if let Some(term) = &mut self.term {
            return tokio::select! {
                c = tokio::signal::ctrl_c() => c.is_ok(),
                t = term.recv() => t.is_some(),
            };
        }
        tokio::signal::ctrl_c().await.is_ok()
    }
}

/// The flag the executor reads (`execute::Options::interrupt`).
pub fn flag() -> &'static AtomicBool {
    &INTERRUPTED
}

/// Whether the user pressed Ctrl-C.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// A line read from the terminal, or `None` once the user presses Ctrl-C
/// (the read itself cannot be cancelled: it is left to a thread of its
/// own, which ends with the process).
pub fn read_line() -> std::io::Result<Option<String>> {
    let (send, answer) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let read = std::io::stdin().read_line(&mut line).map(|_| line);
        let _ = send.send(read);
    });
    loop {
        match answer.recv_timeout(Duration::from_millis(50)) {
            Ok(read) => return read.map(Some),
            Err(_) if interrupted() => return Ok(None),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return Ok(None),
        }
    }
}

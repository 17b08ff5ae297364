//! Ctrl-C (or SIGTERM, which CI systems send a cancelled job) while a
//! run holds, or is taking, the stack's lock. `apply` and `destroy` stop
//! in order ([`OnInterrupt::Finish`]): no operation starts any more, those
//! in flight finish (so what their calls did is known, and the next plan
//! reads it), what was done is summarised and the lock is released, as on
//! an error; a second one stops the process at once, and the lock then
//! stays until `berth unlock` (or another run finds its holder gone).
//! Runs that only read or wait under the lock (`plan --out`, `deploy`
//! until it registers a revision) release it and stop at once
//! ([`OnInterrupt::Release`]). One interrupted
//! while the lock is being taken lets it go once taken.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Once};
use std::time::Duration;

use berth_provider::{LockInfo, Provider};

/// Set by the first Ctrl-C.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// The lock a Ctrl-C releases before stopping the process at once.
static RELEASE: Mutex<Option<Held>> = Mutex::new(None);

/// A stack's lock this run holds.
struct Held {
    provider: Arc<dyn Provider>,
    stack: String,
    me: LockInfo,
}

/// The exit status of a run the user interrupted (a shell's for SIGINT).
pub const EXIT_STATUS: u8 = 130;

/// What a Ctrl-C does to a run holding the stack's lock.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum OnInterrupt {
    /// Stop in order: the run reads [`flag`] and finishes what it started.
    Finish,
    /// Release the lock and stop at once: nothing the run does needs
    /// finishing.
    Release,
}

/// A run stopped by Ctrl-C before it changed anything; its lock released.
#[derive(Debug, thiserror::Error)]
#[error("interrupted: nothing was changed, and the stack's lock was released")]
pub struct Interrupted;

/// Handles Ctrl-C and SIGTERM on `runtime` from now on, as the module
/// says; once per process.
pub fn watch(runtime: &tokio::runtime::Runtime) {
    static WATCHING: Once = Once::new();
    WATCHING.call_once(|| {
        runtime.spawn(async {
            let mut stops = Stops::new();
            while stops.next().await {
                let held = RELEASE.lock().ok().and_then(|mut held| held.take());
                if let Some(held) = held {
                    say!("\nInterrupted: releasing the lock of stack {:?} and stopping.", held.stack);
                    if let Err(e) = held.provider.release_lock(&held.stack, &held.me).await {
                        say!("warning: cannot release the lock of stack {:?}: {e}; `berth unlock` releases it", held.stack);
                    }
                    std::process::exit(i32::from(EXIT_STATUS));
                }
                if INTERRUPTED.swap(true, Ordering::SeqCst) {
                    say!(
                        "\nInterrupted again: stopping now. The stack's lock stays held; `berth unlock` releases it."
                    );
                    std::process::exit(i32::from(EXIT_STATUS));
                }
                say!(
                    "\nInterrupted: no operation starts any more; those in flight finish, then the lock is \
                     released. Press Ctrl-C again to stop at once."
                );
            }
        });
    });
}

/// From now on a Ctrl-C releases `me`'s lock of `stack` and stops the
/// process ([`OnInterrupt::Release`]).
pub fn release_on_interrupt(provider: Arc<dyn Provider>, stack: &str, me: &LockInfo) {
    if let Ok(mut held) = RELEASE.lock() {
        *held = Some(Held {
            provider,
            stack: stack.to_owned(),
            me: me.clone(),
        });
    }
}

/// From now on a Ctrl-C no longer releases the lock and stops at once:
/// the lock is released already, or the run has changed the stack and
/// finishes in order ([`OnInterrupt::Finish`]).
pub fn finish_on_interrupt() {
    if let Ok(mut held) = RELEASE.lock() {
        *held = None;
    }
}

/// Resolves once the user presses Ctrl-C (checked every 50 ms).
pub async fn requested() {
    while !interrupted() {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
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

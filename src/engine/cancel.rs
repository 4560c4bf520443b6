//! Stopping runs early: a process-wide request that the engine checks between chunks.
//!
//! An embedding program (the Python package, on Ctrl-C) calls [`request`]; every run in progress
//! then stops after the chunks its workers are simulating and returns [`interrupted`] instead of a
//! result, so nothing partial is ever reported. The request stays until [`clear`] is called, so that
//! analyses which run the engine many times stop too. The command line never requests it (Ctrl-C
//! ends the process there).
//!
//! The flag is process-wide, like the signal it stands for: a request stops every run in progress.
//! (So it has no unit test here: setting it would stop the other tests' runs; the Python package's
//! tests exercise it.)

use crate::error::Error;
use std::sync::atomic::{AtomicBool, Ordering};

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// Asks every run in progress to stop at its next chunk boundary.
pub fn request() {
    REQUESTED.store(true, Ordering::SeqCst);
}

/// Withdraws the request, so that later runs go ahead.
pub fn clear() {
    REQUESTED.store(false, Ordering::SeqCst);
}

/// True while a stop is requested.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::Relaxed)
}

/// The message of a run stopped by a request.
pub const INTERRUPTED: &str = "the run was interrupted before it finished";

/// The error a stopped run returns (a runtime error: exit code 1).
pub fn interrupted() -> Error {
    Error::runtime(INTERRUPTED)
}

//! Flow control between the consumer and the workers: how far workers may run ahead of what
//! was applied, and a stop signal for all of them.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};

#[derive(Default)]
pub(super) struct Flow {
    /// Inputs (by sequence number) fully applied by the consumer.
    applied: Mutex<u64>,
    /// Signalled when `applied` grows or the run stops.
    progressed: Condvar,
    /// Set when the consumer stops, normally or not: workers give up.
    stop: AtomicBool,
}

impl Flow {
    pub(super) fn stopped(&self) -> bool {
        self.stop.load(Ordering::Acquire)
    }

    pub(super) fn set_applied(&self, applied: u64) {
        *self.applied.lock().unwrap_or_else(PoisonError::into_inner) = applied;
        self.progressed.notify_all();
    }

    pub(super) fn stop(&self) {
        self.stop.store(true, Ordering::Release);
        // Taking the lock orders the store before any waiter's next check.
        drop(self.applied.lock().unwrap_or_else(PoisonError::into_inner));
        self.progressed.notify_all();
    }

    /// Waits until input `seq` is fewer than `ahead` inputs past the last one applied;
    /// false if the run stopped meanwhile.
    pub(super) fn wait_until_within(&self, seq: u64, ahead: u64) -> bool {
        let mut applied = self.applied.lock().unwrap_or_else(PoisonError::into_inner);
        while seq >= *applied + ahead && !self.stopped() {
            applied = self
                .progressed
                .wait(applied)
                .unwrap_or_else(PoisonError::into_inner);
        }
        !self.stopped()
    }
}

/// Stops the flow when dropped, so that waiting workers never wait forever, however the
/// consumer's loop ends.
pub(super) struct StopOnDrop<'a>(pub(super) &'a Flow);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.stop();
    }
}
